/* plots/report_text.c - the numbers of `scsim report`: the summary values of the runs, their
 * means and 95% intervals per run group, the headline tables, each with a caption defining its
 * columns, and the notes under them. Every number printed comes from the database; a missing
 * or undefined value prints as a dash. */
#include <math.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_impl.h"
#include "text.h"

static const fig_key KEYS[RK_NKEYS] = {
    {"persons", "all"}, {"listed.black", "all"}, {"ever_listed.black", "all"},
    {"ever_wrongly_listed.black", "all"}, {"harm", "all"}, {"harm", "innocent"},
    {"harm", "reached"}, {"violations_prevented", "all"}, {"violations_counterfactual", "all"},
    {"named_publicly", "all"}, {"third_party_processing", "all"},
    {"inference_auc", "listed_contact"}, {"inference_auc", "violation_history"},
    {"harm_gini", "persons"}, {"harm_lorenz", "p:0.95"}, {"cascades", "root:false_record"},
    {"cascades", "root:misattribution"}, {"cascade_largest", "all"},
    {"rate_ratio.ever_wrongly_listed", "group:1"}, {"rate_ratio.harm", "group:1"},
    {"listings.black", "cause:spillover"}, {"listings.black", "all"},
    {"records_per_person", "mean"}, {"retention_exposure", "black"},
    {"harm_top1_share", "persons"}, {"persons_ever_listed", "black"},
    {"error_rooted_share", "listings"}, {"ever_sanctioned", "persons"},
    {"ever_sanctioned", "innocent"}, {"ever_sanctioned", "children"}, {"firms_failed", "all"},
    {"records_held", "mean"}, {"bodies_per_person", "mean"}, {"pooled_profile", "mean"},
    {"platform_auc", "group:platform"}, {"inference_auc", "guilt_by_association"},
    {"lawful_acts_suppressed", "all"}, {"persons_chilled", "all"},
    {"violations_prevented_weighted", "all"}, {"listed_multi", "black"},
#define RP_REG8(name) {name, "region:0"}, {name, "region:1"}, {name, "region:2"}, \
    {name, "region:3"}, {name, "region:4"}, {name, "region:5"}, {name, "region:6"}, \
    {name, "region:7"}
    RP_REG8("region.agents"), RP_REG8("region.violations_prevented"),
    RP_REG8("region.listed_share")};
#undef RP_REG8

const fig_key *rp_key(size_t k) { return k < RK_NKEYS ? &KEYS[k] : NULL; }

/* A run with no harm to persons (harm_top1_share 0: the engine then stores Gini 0 and the
 * diagonal as its Lorenz curve) has no distribution of harm: its Gini and Lorenz values are
 * undefined, not perfect equality (harm_top1_share stays 0: it marks the run). */
static void undefined_without_harm(rp *r) {
    for (size_t i = 0; i < r->g.nrun; i++) {
        if (fig_sums_value(&r->s, RK_TOP1, FIG_NONE, i) != 0) continue;
        r->s.v[RK_GINI * r->g.nrun + i] = NAN;
        r->s.v[RK_LORENZ95 * r->g.nrun + i] = NAN;
    }
}

sim_status rp_load(rp *r, sim_err *err) {
    fig_sel sel = {.run_ids = r->ids, .nruns = r->nrun, .size = FIG_SIZE_AUTO};
    sim_status st = fig_groups_load(r->db, &sel, &r->scratch, &r->g, err);
    if (st != SIM_OK) return st;
    r->s = (fig_sums){&r->g, RK_NKEYS, KEYS, NULL};
    char *ids = fig_idlist(&sel);
    char *q = ids ? sqlite3_mprintf("SELECT run_id, name, grp, value FROM summary WHERE run_id "
                                    "IN (%s) AND name IN ('persons', 'listed.black', "
                                    "'ever_listed.black', 'ever_wrongly_listed.black', 'harm', "
                                    "'violations_prevented', 'violations_counterfactual', "
                                    "'named_publicly', 'third_party_processing', "
                                    "'inference_auc', 'harm_gini', 'harm_lorenz', 'cascades', "
                                    "'cascade_largest', 'rate_ratio.ever_wrongly_listed', "
                                    "'rate_ratio.harm', 'listings.black', 'records_per_person', "
                                    "'retention_exposure', 'harm_top1_share', "
                                    "'persons_ever_listed', 'error_rooted_share', "
                                    "'ever_sanctioned', 'firms_failed', 'records_held', "
                                    "'bodies_per_person', 'pooled_profile', 'platform_auc', "
                                    "'lawful_acts_suppressed', 'persons_chilled', "
                                    "'violations_prevented_weighted', 'listed_multi', "
                                    "'region.agents', 'region.violations_prevented', "
                                    "'region.listed_share')", ids)
                  : NULL;
    st = q ? fig_sums_load(r->db, &r->scratch, "headline figures", q, &r->s, err)
           : err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK) undefined_without_harm(r);
    sqlite3_free(q);
    free(ids);
    return st;
}

void rp_stat(const rp *r, size_t key, size_t den, double scale, size_t k, double *mean,
             double *lo, double *hi, size_t *n) {
    fig_sums_stat(&r->s, key, den, scale, k, mean, lo, hi, n);
}

double rp_text_at(cairo_t *cr, const char *s, double x, double y, double width, double size,
                  int bold, int mono, int draw) {
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *f = pango_font_description_from_string(mono ? "DejaVu Sans Mono"
                                                                       : "DejaVu Sans");
    pango_font_description_set_absolute_size(f, size * PANGO_SCALE);
    if (bold) pango_font_description_set_weight(f, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, f);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    char *safe = text_safe_dup(s, TEXT_KEEP_LINES);   /* text from a database: no controls */
    pango_layout_set_text(l, safe ? safe : "", -1);
    free(safe);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    if (draw) {
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cairo_move_to(cr, x, y);
        pango_cairo_show_layout(cr, l);
    }
    pango_font_description_free(f);
    g_object_unref(l);
    return (double)h / PANGO_SCALE;
}

double rp_text(cairo_t *cr, const char *s, double x, double y, double width, double size,
               int bold, int mono) {
    return rp_text_at(cr, s, x, y, width, size, bold, mono, 1);
}

/* ---- numbers as text ---- */

/* v with dec decimals; whole numbers of 10,000 and more with thousands commas; "–" for NaN. */
void rp_num(char *buf, size_t n, double v, int dec) {
    if (!isfinite(v)) { snprintf(buf, n, "–"); return; }
    if (dec > 0 || fabs(v) < 10000) { snprintf(buf, n, "%.*f", dec, v); return; }
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", fabs(v));
    size_t len = strlen(digits), o = 0;
    if (v < 0 && o + 1 < n) buf[o++] = '-';
    for (size_t i = 0; i < len && o + 2 < n; i++) {
        if (i && (len - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

/* "mean" and, with several runs, "± half-width" of the 95% interval. */
static void cell(char *top, char *bottom, size_t n, const rp *r, size_t key, size_t den,
                 double scale, size_t k, int dec, const char *unit) {
    double m, lo, hi;
    size_t runs;
    rp_stat(r, key, den, scale, k, &m, &lo, &hi, &runs);
    char a[40], b[40];
    rp_num(a, sizeof a, m, dec);
    snprintf(top, n, "%s%s", a, isfinite(m) ? unit : "");
    rp_num(b, sizeof b, (hi - lo) / 2, dec);
    if (runs > 1 && isfinite(m)) snprintf(bottom, n, "± %s%s", b, unit);
    else bottom[0] = '\0';
}

/* ---- the headline tables ---- */

typedef struct column {
    const char *head;
    size_t key, den;
    double scale;
    int dec;
    const char *unit;
} column;

typedef struct table {
    const char *title;
    size_t ncol;
    column col[7];
    const char *caption;   /* defines each column */
} table;

static const table TABLES[] = {
    {"Who is listed, and why", 7,
     {{"blacklisted\nat the end", RK_LISTED_END, FIG_NONE, 1, 0, ""},
      {"persons ever\nblacklisted", RK_PERSONS_EVER, RK_PERSONS, 100, 1, "%"},
      {"listed without\nan own violation", RK_EVER_WRONG, RK_EVER, 100, 1, "%"},
      {"listings caused\nby an error", RK_ERROR_SHARE, FIG_NONE, 100, 1, "%"},
      {"spillover\nlistings", RK_LIST_SPILL, RK_LIST_ALL, 100, 1, "%"},
      {"violations\nprevented", RK_PREVENTED, FIG_NONE, 1, 0, ""},
      {"prevented,\nweighted", RK_PREVENTED_W, FIG_NONE, 1, 0, ""}},
     "Blacklisted at the end: agents (persons and firms) on the blacklist in the last month. "
     "Persons ever blacklisted: the share of persons blacklisted at some month (above 80%: "
     "saturated, see below). Listed without an own violation: of the agents ever blacklisted, "
     "the share who had no own true violation in the look-back window when listed "
     "(ever_wrongly_listed.black / ever_listed.black). Listings caused by an error: of all "
     "blacklistings, the share in cascades rooted in a false record or a misattributed record "
     "(the error itself and every spillover listing it set off; error_rooted_share); an agent "
     "listed by an error may also have violated, so this share can exceed the one before. "
     "Spillover listings: the share of blacklistings through ties (cause spillover). "
     "Violations prevented: violations of the same society and seed with the regime's "
     "deterrence and firm failure off, minus those committed. Prevented, weighted: the same "
     "with each violation weighted by its agency's severity tier (ordinary 1, serious 20 "
     "unless the scenario sets them; violations_prevented_weighted), the benefit the "
     "frontier figure plots."},
    {"Who bears it: harm and headcounts", 5,
     {{"harm to\ninnocents", RK_HARM_INNOCENT, FIG_NONE, 1, 0, ""},
      {"persons ever\nsanctioned", RK_SANCTIONED, FIG_NONE, 1, 0, ""},
      {"innocent persons\nsanctioned or reached", RK_SANCT_INNOCENT, FIG_NONE, 1, 0, ""},
      {"children\nreached", RK_SANCT_CHILDREN, FIG_NONE, 1, 0, ""},
      {"firms\nfailed", RK_FIRMS_FAILED, FIG_NONE, 1, 0, ""}},
     "Harm to innocents: the harm of the sanctions in force summed over the months, borne by "
     "agents without an own violation in the look-back window (units of the scenario's harm "
     "weights; one unit = one month of a weight-1 sanction). The headcounts beside it: persons "
     "ever under a sanction, through their own listing or reached through someone else's "
     "(family, household, employer; ever_sanctioned); of those, the ones under a sanction at "
     "a month when they had no own violation in the look-back window; the children among "
     "them; firms that failed (– where the scenario has no firm failure)."},
    {"Privacy and fairness", 4,
     {{"named publicly\n(of persons)", RK_NAMED, RK_PERSONS, 100, 2, "%"},
      {"inference AUC\n(violations)", RK_AUC_HISTORY, FIG_NONE, 1, 2, ""},
      {"third-party\n(of persons)", RK_THIRD, RK_PERSONS, 100, 2, "%"},
      {"wrongly listed\ngroup 1 / 0", RK_RATIO_WRONG, FIG_NONE, 1, 2, ""}},
     "Named publicly: persons ever under a public sanction. Inference AUC: how well the public "
     "view (named, and in the points regime the score) ranks persons who violated above those "
     "who did not (0.5: no information). Third-party: persons whose list status, score or "
     "sanctions changed through data about someone else. Wrongly listed group 1 / 0: the "
     "share of group 1's persons ever wrongly blacklisted over group 0's."},
};

/* The table of the page "What the regime knows about people" (not on page 1). */
static const table KNOWS = {
    "Per scenario: records, bodies, inference, chilling", 7,
    {{"records held\nper person", RK_HELD, FIG_NONE, 1, 1, ""},
     {"bodies per\nperson", RK_BODIES, FIG_NONE, 1, 2, ""},
     {"pooled profile\n(records)", RK_POOLED, FIG_NONE, 1, 2, ""},
     {"platform AUC\n(group)", RK_PLATFORM_AUC, FIG_NONE, 1, 2, ""},
     {"guilt-by-\nassociation AUC", RK_AUC_GBA, FIG_NONE, 1, 2, ""},
     {"lawful acts\nsuppressed", RK_SUPPRESSED, FIG_NONE, 1, 0, ""},
     {"persons chilled\n(of persons)", RK_CHILLED, RK_PERSONS, 100, 1, "%"}},
    "Records held per person: records of every kind (violations, sightings, transactions, "
    "registrations, online) the agencies hold about a person at the end, after expiry "
    "(records_held mean). Bodies per person: agencies and sanctioning bodies that hold or can "
    "read data about a person at the end, directly or through a share (bodies_per_person "
    "mean). Pooled profile: records per person held at the end that at least one body reads "
    "through a share (pooled_profile mean). Platform AUC: how well an adversary at the "
    "national platform, seeing only what is shared to it, tells a person's group (never "
    "disclosed) from the pooled records (platform_auc group:platform; 0.5: no information). "
    "Guilt-by-association AUC: how well a member of the public, ranking persons by their own "
    "public status and then their contacts', picks out who violated (inference_auc "
    "guilt_by_association). Lawful acts suppressed: lawful-but-disfavoured acts (petitioning, "
    "criticism, assembly) persons would have done unwatched but did not, over the run, a cost "
    "kept apart from sanction harm and never added to it; persons chilled: the share of "
    "persons with at least one act suppressed. – where the scenario does not model it (no "
    "collection, sharing, platform or lawful activity: no rows) or the value is undefined."};

/* Table t from y; returns its height (0 when it would not fit below max_y: not drawn). */
static double one_table(rp *r, const table *t, double y, int draw) {
    const double x0 = RP_MARGIN, first = 150, W = r->page_w - 2 * RP_MARGIN;
    const double w = fmin(110, (W - first) / (double)t->ncol);
    cairo_t *cr = r->cr;
    double y0 = y;
    y += rp_text_at(cr, t->title, x0, y, W, 11, 1, 0, draw) + 3;
    double head = rp_text_at(cr, "scenario\n(runs)", x0, y, first - 6, 8.5, 1, 0, draw);
    for (size_t c = 0; c < t->ncol; c++)
        head = fmax(head, rp_text_at(cr, t->col[c].head, x0 + first + (double)c * w, y, w - 4,
                                     8.5, 1, 0, draw));
    y += head + 4;
    for (size_t k = 0; k < r->g.ngrp && k < RP_TABLE_MAX; k++) {
        char name[FIG_TITLE_MAX + 32];
        snprintf(name, sizeof name, "%s\n%zu run%s", r->g.title[k], r->g.count[k],
                 r->g.count[k] > 1 ? "s" : "");
        double h = rp_text_at(cr, name, x0, y, first - 6, 8.5, 0, 0, draw);
        for (size_t c = 0; c < t->ncol; c++) {
            char top[64], bottom[64];
            const column *col = &t->col[c];
            double cx = x0 + first + (double)c * w;
            cell(top, bottom, sizeof top, r, col->key, col->den, col->scale, k, col->dec,
                 col->unit);
            double th = rp_text_at(cr, top, cx, y, w - 4, 9, 0, 0, draw);
            if (bottom[0]) th += rp_text_at(cr, bottom, cx, y + th, w - 4, 7.5, 0, 0, draw);
            h = fmax(h, th);
        }
        y += h + 4;
    }
    y += rp_text_at(cr, t->caption, x0, y + 2, W, 7.5, 0, 0, draw) + 10;
    return y - y0;
}

double rp_tables(rp *r, double y) {
    for (size_t i = 0; i < sizeof TABLES / sizeof *TABLES; i++) {
        double h = one_table(r, &TABLES[i], y, 0);
        if (y + h > r->page_h - RP_MARGIN && y > RP_MARGIN) {
            rp_end_page(r);
            rp_new_page(r);
            y = RP_MARGIN;
        }
        y += one_table(r, &TABLES[i], y, 1);
    }
    return y;
}

int rp_knows_any(const rp *r) {
    static const size_t keys[] = {RK_HELD, RK_BODIES, RK_SUPPRESSED};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        for (size_t i = 0; i < r->g.nrun; i++)
            if (isfinite(fig_sums_value(&r->s, keys[k], FIG_NONE, i))) return 1;
    return 0;
}

double rp_knows_table(rp *r, double y) { return y + one_table(r, &KNOWS, y, 1); }

void rp_columns(char *buf, size_t n) {
    size_t len = 0;
    buf[0] = '\0';
    const size_t nt = sizeof TABLES / sizeof *TABLES;
    for (size_t i = 0; i <= nt; i++)
        for (size_t c = 0; c < (i < nt ? TABLES[i].ncol : KNOWS.ncol) && len < n; c++) {
            const column *col = i < nt ? &TABLES[i].col[c] : &KNOWS.col[c];
            char head[64];
            snprintf(head, sizeof head, "%s", col->head);
            for (char *p = head; *p; p++) if (*p == '\n') *p = ' ';
            len += (size_t)snprintf(buf + len, n - len, "%s%s = %s (%s)", len ? "; " : "", head,
                                    KEYS[col->key].name, KEYS[col->key].grp);
            if (col->den != FIG_NONE && len < n)
                len += (size_t)snprintf(buf + len, n - len, " / %s (%s)", KEYS[col->den].name,
                                        KEYS[col->den].grp);
            if (col->scale != 1 && len < n)
                len += (size_t)snprintf(buf + len, n - len, " x %g", col->scale);
        }
}

double rp_saturation(const rp *r, size_t k) {
    double m, lo, hi;
    rp_stat(r, RK_PERSONS_EVER, RK_PERSONS, 1, k, &m, &lo, &hi, NULL);
    return m;
}

/* Appends printf text to buf (of n bytes, holding *len). */
__attribute__((format(printf, 4, 5)))
static void add(char *buf, size_t n, size_t *len, const char *fmt, ...) {
    if (*len >= n) return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *len, n - *len, fmt, ap);
    va_end(ap);
    if (w > 0) *len += (size_t)w;
    if (*len >= n) *len = n - 1;
}

void rp_notes(const rp *r, char *buf, size_t n) {
    size_t len = 0, sat = 0, shown = r->g.ngrp < RP_TABLE_MAX ? r->g.ngrp : RP_TABLE_MAX;
    int prevented = 0, any = 0;
    add(buf, n, &len, "Each row pools a scenario's replicate runs (same scenario and overrides, "
        "another seed): the mean, and under it the half-width of the 95%% t interval over the "
        "runs; – where a value is missing or undefined. Definitions: docs/metrics.md.");
    for (size_t k = 0; k < shown; k++) {
        double v, lo, hi, s = rp_saturation(r, k);
        rp_stat(r, RK_PREVENTED, FIG_NONE, 1, k, &v, &lo, &hi, NULL);
        prevented |= isfinite(v) && v != 0, any |= isfinite(v);
        if (!(s > FIG_SATURATED)) continue;
        add(buf, n, &len, "%s %s (%.1f%% of persons ever blacklisted)",
            sat++ ? ";" : " Saturated (more than 80% of persons ever blacklisted, so almost "
            "everyone is listed whatever the regime does and comparisons say little):",
            r->g.title[k], 100 * s);
    }
    if (sat) add(buf, n, &len, ".");
    for (size_t k = RP_TABLE_MAX; k < r->g.ngrp; k++)   /* rows left out are named */
        add(buf, n, &len, "%s%s", k == RP_TABLE_MAX ? " Not in the tables (at most 8 rows; "
            "choose runs with --runs): " : ", ", r->g.title[k]);
    if (r->g.ngrp > RP_TABLE_MAX) add(buf, n, &len, ".");
    if (!rp_knows_any(r))
        add(buf, n, &len, " No run here models collection, sharing or the chilling of lawful "
            "acts (no records_held, bodies_per_person or lawful_acts_suppressed rows), so the "
            "brief has no page on what the regime knows about people.");
    if (any && !prevented)
        add(buf, n, &len, " No scenario here prevented a violation (violations prevented is 0 "
            "in every run): deterrence is nonzero only when a scenario sets behaviour.deter_*.");
}
