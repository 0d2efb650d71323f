/* plots/report.c - `scsim report DB -o brief.pdf`: a short PDF brief from a results database.
 * Page 1: the runs compared and a table of headline figures. Then one page per standard
 * figure the database has data for, each with a caption whose numbers come from the
 * database. Last: the provenance of every run (scenario, overrides, seed, version) and its
 * resolved parameters. Everything shown is a query on the database (`scsim plot` writes each
 * figure's SQL beside it). */
#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "figures.h"
#include "query.h"
#include "version.h"

enum { RP_RUNS = FIG_MAX_PANELS, RP_TEXT = 4096 };
static const double PAGE_W = 842, PAGE_H = 595, MARGIN = 48;   /* A4 landscape, points */

typedef struct rp_run {
    int64_t id;
    char scenario[64], overrides[512];
    double v[12];   /* headline figures, see HEAD */
} rp_run;

typedef struct rp {
    sqlite3 *db;        /* for the figure builders */
    query_t *q;         /* for summary values */
    const char *path;
    rp_run run[RP_RUNS];
    size_t nrun;
    cairo_surface_t *sf;
    cairo_t *cr;
} rp;

static const struct { const char *name, *grp; } HEAD[12] = {
    {"persons", "all"}, {"listed.black", "all"}, {"ever_listed.black", "all"},
    {"ever_wrongly_listed.black", "all"}, {"named_publicly", "all"},
    {"third_party_processing", "all"}, {"cascades", "root:false_record"},
    {"cascades", "root:misattribution"}, {"cascade_largest", "all"},
    {"rate_ratio.ever_wrongly_listed", "group:1"}, {"listings.black", "cause:spillover"},
    {"listings.black", "all"}};

/* Text at (x, y) wrapped to width points; returns its height. */
static double text(cairo_t *cr, const char *s, double x, double y, double width, double size,
                   int bold, int mono) {
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *f = pango_font_description_from_string(mono ? "DejaVu Sans Mono"
                                                                       : "DejaVu Sans");
    pango_font_description_set_absolute_size(f, size * PANGO_SCALE);
    if (bold) pango_font_description_set_weight(f, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, f);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(l, s, -1);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
    pango_font_description_free(f);
    g_object_unref(l);
    return (double)h / PANGO_SCALE;
}

static void load_run(rp *r, rp_run *u) {
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(r->db, "SELECT scenario_name, overrides FROM runs WHERE run_id = ?",
                           -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(q, 1, u->id);
        if (sqlite3_step(q) == SQLITE_ROW) {
            snprintf(u->scenario, sizeof u->scenario, "%s", sqlite3_column_text(q, 0));
            snprintf(u->overrides, sizeof u->overrides, "%s", sqlite3_column_text(q, 1));
            for (char *c = u->overrides; *c; c++) if (*c == '\n') *c = ' ';
        }
        sqlite3_finalize(q);
    }
    for (int k = 0; k < 12; k++) u->v[k] = query_summary(r->q, u->id, HEAD[k].name, HEAD[k].grp);
}

static void fmt_share(char *buf, size_t n, double part, double whole) {
    if (isnan(part) || isnan(whole) || whole <= 0) snprintf(buf, n, "–");
    else snprintf(buf, n, "%.1f%%", 100 * part / whole);
}

static void fmt_num(char *buf, size_t n, double v, int dec) {
    if (isnan(v)) snprintf(buf, n, "–");
    else snprintf(buf, n, "%.*f", dec, v);
}

/* The headline table: one row per run. */
static void table(rp *r, double y) {
    static const char *const cols[] = {"run", "scenario", "blacklisted\nat the end",
                                       "ever\nblacklisted", "of whom\nwrongly",
                                       "named publicly\n(of persons)",
                                       "third-party\n(of persons)", "cascades from\nerrors",
                                       "largest\ncascade", "wrongly listed\ngroup 1 / 0"};
    static const double x[] = {0, 28, 140, 212, 280, 350, 440, 522, 604, 668};
    cairo_t *cr = r->cr;
    for (int c = 0; c < 10; c++) text(cr, cols[c], MARGIN + x[c], y, 78, 8.5, 1, 0);
    y += 30;
    for (size_t i = 0; i < r->nrun; i++, y += 18) {
        const rp_run *u = &r->run[i];
        char cell[10][64];
        snprintf(cell[0], 64, "%lld", (long long)u->id);
        snprintf(cell[1], 64, "%s", u->scenario);
        fmt_num(cell[2], 64, u->v[1], 0);
        fmt_num(cell[3], 64, u->v[2], 0);
        fmt_share(cell[4], 64, u->v[3], u->v[2]);
        fmt_share(cell[5], 64, u->v[4], u->v[0]);
        fmt_share(cell[6], 64, u->v[5], u->v[0]);
        fmt_num(cell[7], 64, (isnan(u->v[6]) ? 0 : u->v[6]) + (isnan(u->v[7]) ? 0 : u->v[7]), 0);
        fmt_num(cell[8], 64, u->v[8], 0);
        fmt_num(cell[9], 64, u->v[9], 1);
        for (int c = 0; c < 10; c++)
            text(cr, cell[c], MARGIN + x[c], y, c == 1 ? 108 : 74, 9, 0, 0);
    }
}

static void title_page(rp *r) {
    cairo_pdf_surface_set_size(r->sf, PAGE_W, PAGE_H);
    cairo_t *cr = r->cr;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    double y = MARGIN;
    y += text(cr, "Social-credit spillover: what the regimes compared here do to people", MARGIN,
              y, PAGE_W - 2 * MARGIN, 20, 1, 0) + 6;
    char line[RP_TEXT];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char date[32];
    strftime(date, sizeof date, "%Y-%m-%d", &tm);
    snprintf(line, sizeof line, "A brief from the results database %s, made by scsim %s on %s. "
             "Every number below is a query on that database (docs/results.md); `scsim plot` "
             "writes each figure with its SQL.", r->path, SCSIM_VERSION, date);
    y += text(cr, line, MARGIN, y, PAGE_W - 2 * MARGIN, 10, 0, 0) + 14;
    y += text(cr, "The runs compared", MARGIN, y, 400, 12, 1, 0) + 4;
    for (size_t i = 0; i < r->nrun; i++) {
        snprintf(line, sizeof line, "run %lld: %s%s%s", (long long)r->run[i].id,
                 r->run[i].scenario, r->run[i].overrides[0] ? " with " : "",
                 r->run[i].overrides);
        y += text(cr, line, MARGIN + 10, y, PAGE_W - 2 * MARGIN - 10, 9, 0, 0) + 2;
    }
    y += 12;
    table(r, y);
    text(cr, "Wrongly: blacklisted without an own true violation. Named publicly: persons ever "
         "on the (public) blacklist. Third-party: persons whose list status or score changed "
         "through data about someone else (a misattributed record, a spillover listing, points "
         "lost to listed contacts). Cascades from errors: cascade trees rooted in a false or "
         "misattributed record. Harm, deterrence and the inference attack are not modelled yet: "
         "sanctions, redress and behavioural response arrive in a later version of scsim.",
         MARGIN, PAGE_H - MARGIN - 40, PAGE_W - 2 * MARGIN, 8.5, 0, 0);
    cairo_show_page(cr);
}

/* The run with the largest (most = 1) or smallest value of v[k] / v[base] (base < 0: v[k]). */
static const rp_run *extreme(const rp *r, int k, int base, int most, double *val) {
    const rp_run *best = NULL;
    for (size_t i = 0; i < r->nrun; i++) {
        double v = base >= 0 ? r->run[i].v[k] / r->run[i].v[base] : r->run[i].v[k];
        if (!isfinite(v)) continue;
        if (!best || (most ? v > *val : v < *val)) best = &r->run[i], *val = v;
    }
    return best;
}

static void caption(const rp *r, const char *fig, char *buf, size_t n) {
    double a = NAN, b = NAN;
    const rp_run *hi = NULL, *lo = NULL;
    if (!strcmp(fig, "timeseries")) {
        size_t len = (size_t)snprintf(buf, n, "Agents on the blacklist (blue) and those on it "
                                      "without an own true violation (orange), month by month. "
                                      "At the end:");
        for (size_t i = 0; i < r->nrun && len < n; i++)
            len += (size_t)snprintf(buf + len, n - len, "%s %s %.0f, of them wrongly %.0f",
                                    i ? ";" : "", r->run[i].scenario, r->run[i].v[1],
                                    r->run[i].v[3]);
        if (len < n) snprintf(buf + len, n - len, " (ever wrongly listed).");
    } else if (!strcmp(fig, "causes")) {
        hi = extreme(r, 10, 11, 1, &a), lo = extreme(r, 10, 11, 0, &b);
        snprintf(buf, n, "New blacklistings per month by cause. Spillover from contacts caused "
                 "%.0f%% of all blacklistings in %s and %.0f%% in %s.", 100 * a,
                 hi ? hi->scenario : "-", 100 * b, lo ? lo->scenario : "-");
    } else if (!strcmp(fig, "disparity")) {
        hi = extreme(r, 9, -1, 1, &a);
        snprintf(buf, n, "The share of each group's persons ever blacklisted (left) and ever "
                 "wrongly blacklisted (right). The largest gap: in %s, persons of group 1 were "
                 "wrongly blacklisted %.1f times as often as persons of group 0.",
                 hi ? hi->scenario : "-", a);
    } else if (!strcmp(fig, "cascades")) {
        hi = extreme(r, 8, -1, 1, &a);
        snprintf(buf, n, "How far listings spread: the share of cascade trees (a listing and "
                 "everything that spread from it) of at least a given size. The largest cascade: "
                 "%.0f listings, in %s.", a, hi ? hi->scenario : "-");
    } else if (!strcmp(fig, "privacy")) {
        hi = extreme(r, 5, 0, 1, &a);
        snprintf(buf, n, "What the regime records and shows about persons: records and agencies "
                 "per person, persons named on the public blacklist, and persons affected by "
                 "data about someone else, most in %s (%.0f%% of persons).",
                 hi ? hi->scenario : "-", 100 * a);
    } else if (!strcmp(fig, "network")) {
        snprintf(buf, n, "The spread of one cascade, preferably one that began with an error: "
                 "each dot a listing, each line from the listing it spread from, coloured by "
                 "how the agent was listed (run %lld).", r->nrun ? (long long)r->run[0].id : 0);
    } else {
        snprintf(buf, n, "Figure '%s'; docs/plots.md describes it and its query.", fig);
    }
}

/* One page: the figure, then its caption. */
static sim_status figure_page(rp *r, const char *name, const fig_sel *sel, int *pages,
                              sim_err *err) {
    fig_result res;
    memset(&res, 0, sizeof res);
    sim_status st = fig_find(name)->build(r->db, sel, &res, err);
    if (st != SIM_OK || !res.fig) {
        fig_result_free(&res);
        return st;
    }
    double w, h;
    plot_fig_size_pt(res.fig, &w, &h);
    cairo_pdf_surface_set_size(r->sf, w, h + 90);
    cairo_save(r->cr);
    st = plot_draw_onto(res.fig, r->cr, err);
    cairo_restore(r->cr);
    if (st == SIM_OK) {
        char cap[RP_TEXT];
        caption(r, name, cap, sizeof cap);
        text(r->cr, cap, 24, h + 12, w - 48, 10, 0, 0);
        cairo_show_page(r->cr);
        (*pages)++;
    }
    fig_result_free(&res);
    return st;
}

/* One page per run: its provenance and resolved parameters (runs.params_json). */
static void appendix(rp *r) {
    for (size_t i = 0; i < r->nrun; i++) {
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(r->db, "SELECT scenario_name, overrides, seed, scsim_version, "
                               "status, params_json FROM runs WHERE run_id = ?", -1, &q,
                               NULL) != SQLITE_OK)
            continue;
        sqlite3_bind_int64(q, 1, r->run[i].id);
        if (sqlite3_step(q) == SQLITE_ROW) {
            cairo_pdf_surface_set_size(r->sf, PAGE_W, PAGE_H);
            char head[RP_TEXT];
            snprintf(head, sizeof head, "Appendix: run %lld, scenario %s, seed %lld, scsim %s, "
                     "status %s. Overrides: %s", (long long)r->run[i].id,
                     sqlite3_column_text(q, 0), (long long)sqlite3_column_int64(q, 2),
                     sqlite3_column_text(q, 3), sqlite3_column_text(q, 4),
                     r->run[i].overrides[0] ? r->run[i].overrides : "none");
            double y = MARGIN + text(r->cr, head, MARGIN, MARGIN, PAGE_W - 2 * MARGIN, 10, 1, 0);
            y += 4 + text(r->cr, "The fully resolved scenario (every key, defaults filled in; "
                          "`scsim show` gives it as INI):", MARGIN, y + 4, PAGE_W - 2 * MARGIN,
                          9, 0, 0);
            text(r->cr, (const char *)sqlite3_column_text(q, 5), MARGIN, y + 8,
                 PAGE_W - 2 * MARGIN, 6.5, 0, 1);
            cairo_show_page(r->cr);
        }
        sqlite3_finalize(q);
    }
}

static const char USAGE_REPORT[] =
    "usage: scsim report DB -o BRIEF.pdf [--runs ID,ID,...]\n"
    "\n"
    "Writes a PDF brief from results database DB: the runs compared (default: the last 6)\n"
    "with a table of headline figures, one page per standard figure the database has data\n"
    "for (time series, causes, disparity, cascade sizes, privacy exposure, the spread of a\n"
    "cascade) with captions whose numbers come from the database, and an appendix with each\n"
    "run's provenance and resolved parameters.\n";

static sim_status parse_runs(const char *s, rp *r, sim_err *err) {
    r->nrun = 0;
    for (const char *p = s; *p && r->nrun < RP_RUNS;) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p || v <= 0 || (*end && *end != ','))
            return err_set(err, SIM_EUSAGE, "--runs %s: expected run ids like 1,2,3", s);
        r->run[r->nrun++].id = v;
        p = *end ? end + 1 : end;
    }
    return SIM_OK;
}

/* Opens r->q and picks the runs (the last RP_RUNS unless ids are given). */
static sim_status select_runs(rp *r, const char *runs, sim_err *err) {
    query_run qr[RP_RUNS];
    int64_t ids[RP_RUNS];
    int n = 0;
    sim_status st = runs ? parse_runs(runs, r, err) : SIM_OK;
    for (size_t i = 0; st == SIM_OK && runs && i < r->nrun; i++) ids[i] = r->run[i].id;
    if (st == SIM_OK) st = query_open(&r->q, r->path, err);
    if (st == SIM_OK)
        st = query_runs(r->q, runs ? ids : NULL, (int)r->nrun, qr, RP_RUNS, &n, err);
    if (st == SIM_OK && n == 0) st = err_set(err, SIM_EDB, "%s holds no runs yet", r->path);
    r->nrun = st == SIM_OK ? (size_t)n : 0;
    for (size_t i = 0; i < r->nrun; i++) r->run[i].id = qr[i].run_id;
    return st;
}

static sim_status write_pdf(rp *r, const char *out, int *pages, sim_err *err) {
    static const char *const figs[] = {"timeseries", "causes", "disparity", "cascades",
                                       "privacy", "network"};
    r->sf = cairo_pdf_surface_create(out, PAGE_W, PAGE_H);
    r->cr = cairo_create(r->sf);
    if (cairo_surface_status(r->sf) != CAIRO_STATUS_SUCCESS) {
        cairo_destroy(r->cr);
        cairo_surface_destroy(r->sf);
        return err_set(err, SIM_EIO, "cannot write %s", out);
    }
    int64_t ids[RP_RUNS];
    for (size_t i = 0; i < r->nrun; i++) ids[i] = r->run[i].id, load_run(r, &r->run[i]);
    fig_sel sel = {.run_ids = ids, .nruns = r->nrun, .size = FIG_SIZE_AUTO};
    title_page(r);
    *pages = 1;
    sim_status st = SIM_OK;
    for (size_t f = 0; f < sizeof figs / sizeof *figs && st == SIM_OK; f++)
        st = figure_page(r, figs[f], &sel, pages, err);
    if (st == SIM_OK) appendix(r), *pages += (int)r->nrun;
    cairo_destroy(r->cr);
    cairo_surface_finish(r->sf);
    cairo_status_t cs = cairo_surface_status(r->sf);
    cairo_surface_destroy(r->sf);
    if (st == SIM_OK && cs != CAIRO_STATUS_SUCCESS)
        st = err_set(err, SIM_EIO, "cannot write %s: %s", out, cairo_status_to_string(cs));
    if (st != SIM_OK) remove(out);
    return st;
}

sim_status cli_report(int argc, char **argv, sim_err *err) {
    const char *db = NULL, *out = NULL, *runs = NULL;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) return fputs(USAGE_REPORT, stdout), SIM_OK;
        if (v && (!strcmp(a, "-o") || !strcmp(a, "--out"))) out = v, i++;
        else if (v && !strcmp(a, "--runs")) runs = v, i++;
        else if (a[0] == '-')
            return err_set(err, SIM_EUSAGE, "%s: unknown option or missing value (see scsim "
                           "report --help)", a);
        else if (!db) db = a;
        else return err_set(err, SIM_EUSAGE, "%s: unexpected argument", a);
    }
    if (!db || !out)
        return err_set(err, SIM_EUSAGE, "report: needs DB and -o BRIEF.pdf (see scsim report "
                       "--help)");
    rp *r = calloc(1, sizeof *r);
    if (!r) return err_set(err, SIM_ENOMEM, "out of memory");
    r->path = db;
    sim_status st = select_runs(r, runs, err);
    if (st == SIM_OK && sqlite3_open_v2(db, &r->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        st = err_set(err, SIM_EDB, "cannot open %s", db);
    int pages = 0;
    if (st == SIM_OK) st = write_pdf(r, out, &pages, err);
    if (st == SIM_OK) printf("%s: %d pages from %zu run(s) of %s\n", out, pages, r->nrun, db);
    sqlite3_close(r->db);
    query_close(r->q);
    free(r);
    return st;
}
