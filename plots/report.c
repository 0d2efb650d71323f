/* plots/report.c - `scsim report DB -o brief.pdf`: a short PDF brief from a results database.
 * Page 1: the run groups compared (replicates pooled) and a table of headline figures with
 * 95% intervals over replicates. Then one page per standard figure the database has data for,
 * each with a caption whose numbers come from the database (report_text.c). Last: per run
 * group, the provenance (scenario, overrides, seeds, version) and the resolved parameters.
 * Everything shown is a query on the database (`scsim plot` writes each figure's SQL). */
#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "query.h"
#include "report.h"
#include "report_impl.h"
#include "version.h"

/* "run 1, 7 and 13 (seeds 1, 2, 3)" for group k. */
static void group_runs(const rp *r, size_t k, char *buf, size_t n) {
    size_t len = (size_t)snprintf(buf, n, "run%s", r->g.count[k] > 1 ? "s" : "");
    size_t m = 0;
    for (size_t i = 0; i < r->g.nrun && len < n; i++)
        if (r->g.grp[i] == k)
            len += (size_t)snprintf(buf + len, n - len, "%s %lld", m++ ? "," : "",
                                    (long long)r->g.run_id[i]);
}

/* Column i of the current row as text; "" for NULL (a damaged or edited row). */
static const char *col_text(sqlite3_stmt *q, int i) {
    const unsigned char *t = sqlite3_column_text(q, i);
    return t ? (const char *)t : "";
}

/* A read for a page failed: kept, so the brief fails instead of missing a part. */
static void read_failed(rp *r, const char *what) {
    if (r->nfailed++ == 0)
        err_set(&r->failed, SIM_EDB, "database %s: %s: %s", r->path, what,
                sqlite3_errmsg(r->db));
}

/* The overrides of the first run of group k without run.seed, on one line. */
static void group_overrides(rp *r, size_t k, char *buf, size_t n) {
    sqlite3_stmt *q = NULL;
    size_t first = 0;
    while (r->g.grp[first] != k) first++;
    buf[0] = '\0';
    if (sqlite3_prepare_v2(r->db, "SELECT overrides FROM runs WHERE run_id = ?", -1, &q,
                           NULL) != SQLITE_OK)
        return read_failed(r, "reading runs");
    sqlite3_bind_int64(q, 1, r->g.run_id[first]);
    size_t len = 0;
    int rc = sqlite3_step(q);
    const char *ov = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : NULL;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) read_failed(r, "reading runs");
    for (const char *p = ov; p && *p;) {
        size_t l = strcspn(p, "\n");
        if (strncmp(p, "run.seed=", 9) != 0 && len + l + 2 < n)
            len += (size_t)snprintf(buf + len, n - len, "%s%.*s", len ? " " : "", (int)l, p);
        p += l + (p[l] == '\n');
    }
    sqlite3_finalize(q);
}

static void title_page(rp *r) {
    cairo_pdf_surface_set_size(r->sf, RP_PAGE_W, RP_PAGE_H);
    cairo_t *cr = r->cr;
    const double W = RP_PAGE_W - 2 * RP_MARGIN;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    double y = RP_MARGIN;
    y += rp_text(cr, "Social-credit spillover: what the regimes compared here do to people",
                 RP_MARGIN, y, W, 20, 1, 0) + 6;
    char line[RP_TEXT], runs[512], ov[512];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char date[32];
    strftime(date, sizeof date, "%Y-%m-%d", &tm);
    snprintf(line, sizeof line, "A brief from the results database %s, made by scsim %s on %s. "
             "Every number below is a query on that database (docs/results.md); `scsim plot` "
             "writes each figure with its SQL.", r->path, SCSIM_VERSION, date);
    y += rp_text(cr, line, RP_MARGIN, y, W, 10, 0, 0) + 10;
    y += rp_text(cr, "The scenarios compared", RP_MARGIN, y, 400, 12, 1, 0) + 4;
    for (size_t k = 0; k < r->g.ngrp && k < RP_TABLE_MAX; k++) {
        group_runs(r, k, runs, sizeof runs);
        group_overrides(r, k, ov, sizeof ov);
        snprintf(line, sizeof line, "%s: %s%s%s", r->g.title[k], runs, ov[0] ? "; with " : "",
                 ov);
        y += rp_text(cr, line, RP_MARGIN + 10, y, W - 10, 8.5, 0, 0) + 1;
    }
    y += 10;
    y += rp_table(r, y) + 6;
    rp_notes(r, line, sizeof line);
    rp_text(cr, line, RP_MARGIN, fmax(y, RP_PAGE_H - RP_MARGIN - 70), W, 7.5, 0, 0);
    cairo_show_page(cr);
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
    cairo_pdf_surface_set_size(r->sf, w, h + 96);
    cairo_save(r->cr);
    st = plot_draw_onto(res.fig, r->cr, err);
    cairo_restore(r->cr);
    if (st == SIM_OK) {
        char cap[RP_TEXT];
        rp_caption(r, name, cap, sizeof cap);
        rp_text(r->cr, cap, 24, h + 12, w - 48, 10, 0, 0);
        cairo_show_page(r->cr);
        (*pages)++;
    }
    fig_result_free(&res);
    return st;
}

/* One page per run group: its provenance and the resolved parameters of its first run
 * (runs.params_json; replicates differ only in run.seed). */
static void appendix(rp *r, int *pages) {
    for (size_t k = 0; k < r->g.ngrp; k++) {
        size_t first = 0;
        while (r->g.grp[first] != k) first++;
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(r->db, "SELECT scenario_name, seed, scsim_version, status, "
                               "params_json FROM runs WHERE run_id = ?", -1, &q,
                               NULL) != SQLITE_OK) {
            read_failed(r, "reading runs for the appendix");
            continue;
        }
        sqlite3_bind_int64(q, 1, r->g.run_id[first]);
        int rc = sqlite3_step(q);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) read_failed(r, "reading runs for the appendix");
        if (rc == SQLITE_ROW) {
            cairo_pdf_surface_set_size(r->sf, RP_PAGE_W, RP_PAGE_H);
            char head[RP_TEXT], runs[512], ov[512];
            group_runs(r, k, runs, sizeof runs);
            group_overrides(r, k, ov, sizeof ov);
            snprintf(head, sizeof head, "Appendix: %s (%s), scenario %s, scsim %s, status of "
                     "run %lld %s. Overrides: %s", r->g.title[k], runs, col_text(q, 0),
                     col_text(q, 2), (long long)r->g.run_id[first], col_text(q, 3),
                     ov[0] ? ov : "none");
            double W = RP_PAGE_W - 2 * RP_MARGIN;
            double y = RP_MARGIN + rp_text(r->cr, head, RP_MARGIN, RP_MARGIN, W, 10, 1, 0);
            snprintf(head, sizeof head, "The fully resolved scenario of run %lld (seed %lld; "
                     "every key, defaults filled in; `scsim show` gives it as INI)%s:",
                     (long long)r->g.run_id[first], (long long)sqlite3_column_int64(q, 1),
                     r->g.count[k] > 1 ? ". Its replicates differ only in run.seed" : "");
            y += 4 + rp_text(r->cr, head, RP_MARGIN, y + 4, W, 9, 0, 0);
            rp_text(r->cr, (const char *)sqlite3_column_text(q, 4), RP_MARGIN, y + 8, W, 6.5, 0,
                    1);
            cairo_show_page(r->cr);
            (*pages)++;
        }
        sqlite3_finalize(q);
    }
}

/* Checks the database (query_open: 4 missing, 5 not scsim) and picks the runs: the asked-for
 * ids (each must exist), else the runs of the last RP_GROUPS_DEFAULT run groups. */
static sim_status select_runs(rp *r, int runs, sim_err *err) {
    sim_status st = query_open(&r->q, r->path, err);
    query_run *qr = st == SIM_OK && runs ? calloc(r->nrun, sizeof *qr) : NULL;
    int n = 0;
    if (st == SIM_OK && runs && !qr) st = err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK && runs)
        st = query_runs(r->q, r->ids, (int)r->nrun, qr, (int)r->nrun, &n, err);
    for (int i = 0; st == SIM_OK && i < n; i++)   /* only done runs are pooled */
        if (strcmp(qr[i].status, "done") != 0)
            st = err_set(err, SIM_EDB, "run %lld in %s is '%s', not 'done': only done runs are "
                         "reported", (long long)qr[i].run_id, r->path, qr[i].status);
        else if (qr[i].duplicate)   /* a flagged copy is never pooled */
            st = err_set(err, SIM_EDB, "run %lld in %s is a flagged duplicate of another run "
                         "(runs.duplicate, stored by run --again): duplicates are never "
                         "reported", (long long)qr[i].run_id, r->path);
    free(qr);
    if (st == SIM_OK) r->db = query_db(r->q);
    if (st == SIM_OK && !runs)
        st = fig_recent_runs(r->db, RP_GROUPS_DEFAULT, r->ids, RP_RUNS_MAX, &r->nrun, err);
    if (st == SIM_OK && r->nrun == 0) st = err_set(err, SIM_EDB, "%s holds no runs yet", r->path);
    return st;
}

/* The PDF's bytes into the file, every write checked (cairo's own file output ignores a
 * full disk); the first failure's errno is kept. */
typedef struct pdf_sink {
    FILE *f;
    int failed;
} pdf_sink;

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int len) {
    pdf_sink *s = closure;
    if (!s->failed && fwrite(data, 1, len, s->f) != len) s->failed = errno ? errno : EIO;
    return s->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* Closes the brief: SIM_EIO when any write, the flush or the close failed. */
static sim_status pdf_close(pdf_sink *s, const char *out, sim_err *err) {
    if (!s->failed && fflush(s->f) != 0) s->failed = errno ? errno : EIO;
    if (fclose(s->f) != 0 && !s->failed) s->failed = errno ? errno : EIO;
    if (s->failed)
        return err_set(err, SIM_EIO, "cannot write %s: %s", out, strerror(s->failed));
    return SIM_OK;
}

static sim_status write_pdf(rp *r, const char *out, int *pages, sim_err *err) {
    static const char *const figs[] = {"timeseries", "harm", "causes", "lorenz", "disparity",
                                       "frontier", "privacy", "cascades", "network"};
    pdf_sink sink = {fopen(out, "wb"), 0};
    if (!sink.f) return err_set(err, SIM_EIO, "cannot write %s: %s", out, strerror(errno));
    r->sf = cairo_pdf_surface_create_for_stream(pdf_write, &sink, RP_PAGE_W, RP_PAGE_H);
    r->cr = cairo_create(r->sf);
    if (cairo_surface_status(r->sf) != CAIRO_STATUS_SUCCESS) {
        cairo_destroy(r->cr);
        cairo_surface_destroy(r->sf);
        fclose(sink.f);
        remove(out);
        return err_set(err, SIM_EIO, "cannot write %s", out);
    }
    fig_sel sel = {.run_ids = r->ids, .nruns = r->nrun, .size = FIG_SIZE_AUTO};
    title_page(r);
    *pages = 1;
    sim_status st = SIM_OK;
    for (size_t f = 0; f < sizeof figs / sizeof *figs && st == SIM_OK; f++)
        st = figure_page(r, figs[f], &sel, pages, err);
    if (st == SIM_OK) appendix(r, pages);
    cairo_destroy(r->cr);
    cairo_surface_finish(r->sf);
    cairo_status_t cs = cairo_surface_status(r->sf);
    cairo_surface_destroy(r->sf);
    sim_status cl = pdf_close(&sink, out, err);
    if (st == SIM_OK) st = cl;
    if (st == SIM_OK && r->nfailed) st = err_set(err, SIM_EDB, "%s", r->failed.msg);
    if (st == SIM_OK && cs != CAIRO_STATUS_SUCCESS)
        st = err_set(err, SIM_EIO, "cannot write %s: %s", out, cairo_status_to_string(cs));
    if (st != SIM_OK) remove(out);
    return st;
}

sim_status report_write(const char *db, const int64_t *ids, size_t nids, const char *out,
                        report_info *info, sim_err *err) {
    if (nids > RP_RUNS_MAX)
        return err_set(err, SIM_EUSAGE, "a brief takes up to %d runs (%zu asked for)",
                       RP_RUNS_MAX, nids);
    rp *r = calloc(1, sizeof *r);
    if (!r) return err_set(err, SIM_ENOMEM, "out of memory");
    r->path = db;
    r->nrun = nids;
    if (nids) memcpy(r->ids, ids, nids * sizeof *ids);
    sim_status st = select_runs(r, nids > 0, err);
    if (st == SIM_OK) st = rp_load(r, err);
    int pages = 0;
    if (st == SIM_OK) st = write_pdf(r, out, &pages, err);
    if (st == SIM_OK && info) *info = (report_info){pages, r->nrun, r->g.ngrp};
    fig_sums_free(&r->s);
    fig_groups_free(&r->g);
    fig_result_free(&r->scratch);
    query_close(r->q);
    free(r);
    return st;
}
