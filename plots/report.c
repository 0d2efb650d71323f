/* plots/report.c - `scsim report DB -o brief.pdf`: a short PDF brief from a results database.
 * Every page the same size (landscape A4 or Letter). Page 1: the run groups compared
 * (replicates pooled) and the headline tables with 95% intervals over replicates
 * (report_text.c). Then one page per standard figure the database has data for, each scaled
 * to fit above a caption whose claims come from the database (report_caption.c). Last: the
 * appendix (report_appendix.c).
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

void rp_new_page(rp *r) {
    cairo_pdf_surface_set_size(r->sf, r->page_w, r->page_h);
    cairo_set_source_rgb(r->cr, 1, 1, 1);
    cairo_paint(r->cr);
}

void rp_end_page(rp *r) {
    cairo_show_page(r->cr);
    r->pages++;
}

static void title_page(rp *r) {
    cairo_t *cr = r->cr;
    const double W = r->page_w - 2 * RP_MARGIN;
    rp_new_page(r);
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
             "Every number below is a query on that database (docs/results.md; the appendix "
             "gives the headline tables' SQL); `scsim plot` writes each figure with its SQL.",
             r->path, SCSIM_VERSION, date);
    y += rp_text(cr, line, RP_MARGIN, y, W, 10, 0, 0) + 10;
    y += rp_text(cr, "The scenarios compared", RP_MARGIN, y, 400, 12, 1, 0) + 4;
    for (size_t k = 0; k < r->g.ngrp && k < RP_TABLE_MAX; k++) {
        rp_group_runs(r, k, runs, sizeof runs);
        rp_group_overrides(r, k, ov, sizeof ov);
        snprintf(line, sizeof line, "%s: %s%s%s", r->g.title[k], runs, ov[0] ? "; with " : "",
                 ov);
        y += rp_text(cr, line, RP_MARGIN + 10, y, W - 10, 8.5, 0, 0) + 1;
    }
    y = rp_tables(r, y + 10) + 6;
    rp_notes(r, line, sizeof line);
    if (y + rp_text_at(cr, line, RP_MARGIN, y, W, 7.5, 0, 0, 0) > r->page_h - RP_MARGIN) {
        rp_end_page(r);
        rp_new_page(r);
        y = RP_MARGIN;
    }
    rp_text(cr, line, RP_MARGIN, y, W, 7.5, 0, 0);
    rp_end_page(r);
}

/* The page "What the regime knows about people", when some run has collection, sharing or
 * chilling rows (else page 1's notes say there is none): the table and a caption whose
 * claims come from the database (rp_caption "knows"). */
static void knows_page(rp *r) {
    if (!rp_knows_any(r)) return;
    const double W = r->page_w - 2 * RP_MARGIN;
    rp_new_page(r);
    double y = RP_MARGIN;
    y += rp_text(r->cr, "What the regime knows about people", RP_MARGIN, y, W, 16, 1, 0) + 6;
    y += rp_text(r->cr, "Beyond the lists: the records the agencies collect and keep about "
                 "everyone, who else can read them, what an adversary can infer from them, and "
                 "the lawful acts people give up because they feel watched. The records over "
                 "time, by agency, and the privacy figure follow.", RP_MARGIN, y, W, 10, 0, 0)
         + 10;
    y = rp_knows_table(r, y) + 4;
    char cap[RP_TEXT];
    rp_caption(r, "knows", cap, sizeof cap);
    rp_text(r->cr, cap, RP_MARGIN, y, W, 10, 0, 0);
    rp_end_page(r);
}

/* One page: the figure scaled to fit the page above its caption. A figure with nothing to
 * show (no fig: agencies without own lists), the network without a cascade worth showing and
 * regions without a regional pilot (rp_regions_worth) have no page. */
static sim_status figure_page(rp *r, const char *name, const fig_sel *sel, sim_err *err) {
    fig_result res;
    memset(&res, 0, sizeof res);
    double largest;
    if (!strcmp(name, "network") && !rp_network_worth(r, &largest)) return SIM_OK;
    if (!strcmp(name, "regions") && !rp_regions_worth(r)) return SIM_OK;
    sim_status st = fig_build(fig_find(name), r->db, sel, &res, err);
    if (st != SIM_OK || !res.fig) {
        fig_result_free(&res);
        return st;
    }
    char cap[RP_TEXT];
    rp_caption(r, name, cap, sizeof cap);
    const double W = r->page_w - 2 * RP_MARGIN;
    double ch = rp_text_at(r->cr, cap, RP_MARGIN, 0, W, 10, 0, 0, 0);
    double w, h, avail = r->page_h - 2 * RP_MARGIN - ch - 12;
    plot_fig_size_pt(res.fig, &w, &h);
    double k = fmin(W / w, avail / h);
    rp_new_page(r);
    cairo_save(r->cr);
    cairo_translate(r->cr, RP_MARGIN + (W - k * w) / 2, RP_MARGIN);
    cairo_scale(r->cr, k, k);
    st = plot_draw_onto(res.fig, r->cr, err);
    cairo_restore(r->cr);
    if (st == SIM_OK) {
        rp_text(r->cr, cap, RP_MARGIN, RP_MARGIN + k * h + 12, W, 10, 0, 0);
        rp_end_page(r);
    }
    fig_result_free(&res);
    return st;
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

static sim_status write_pdf(rp *r, const char *out, sim_err *err) {
    static const char *const figs[] = {"timeseries", "harm", "causes", "lorenz", "disparity",
                                       "frontier", "privacy", "records", "agencies",
                                       "regions", "cascades", "network"};
    pdf_sink sink = {fopen(out, "wb"), 0};
    if (!sink.f) return err_set(err, SIM_EIO, "cannot write %s: %s", out, strerror(errno));
    r->sf = cairo_pdf_surface_create_for_stream(pdf_write, &sink, r->page_w, r->page_h);
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
    knows_page(r);
    sim_status st = SIM_OK;
    for (size_t f = 0; f < sizeof figs / sizeof *figs && st == SIM_OK; f++)
        st = figure_page(r, figs[f], &sel, err);
    if (st == SIM_OK) rp_appendix(r);
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

sim_status rp_open(const char *db, const int64_t *ids, size_t nids, rp **out, sim_err *err) {
    *out = NULL;
    if (nids > RP_RUNS_MAX)
        return err_set(err, SIM_EUSAGE, "a brief takes up to %d runs (%zu asked for)",
                       RP_RUNS_MAX, nids);
    rp *r = calloc(1, sizeof *r);
    if (!r) return err_set(err, SIM_ENOMEM, "out of memory");
    r->path = db;
    r->nrun = nids;
    r->page_w = 842, r->page_h = 595;   /* A4 landscape */
    if (nids) memcpy(r->ids, ids, nids * sizeof *ids);
    sim_status st = select_runs(r, nids > 0, err);
    if (st == SIM_OK) st = rp_load(r, err);
    if (st == SIM_OK) st = rp_pilots_load(r, err);
    if (st != SIM_OK) rp_close(r);
    else *out = r;
    return st;
}

void rp_close(rp *r) {
    if (!r) return;
    fig_sums_free(&r->s);
    fig_groups_free(&r->g);
    fig_result_free(&r->scratch);
    query_close(r->q);
    free(r);
}

sim_status report_write(const char *db, const int64_t *ids, size_t nids, const char *out,
                        report_paper paper, report_info *info, sim_err *err) {
    rp *r = NULL;
    sim_status st = rp_open(db, ids, nids, &r, err);
    if (st != SIM_OK) return st;
    if (paper == REPORT_LETTER) r->page_w = 792, r->page_h = 612;   /* 11 x 8.5 in */
    st = write_pdf(r, out, err);
    if (st == SIM_OK && info) *info = (report_info){r->pages, r->nrun, r->g.ngrp};
    rp_close(r);
    return st;
}
