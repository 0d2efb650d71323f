/* plots/report_impl.h - internals shared by report.c (the command, pages, appendix) and
 * report_text.c (headline values, table, captions) of `scsim report`. Not an API. Prefix rp_. */
#ifndef PLOT_REPORT_IMPL_H
#define PLOT_REPORT_IMPL_H

#include <cairo.h>

#include "fig_impl.h"
#include "query.h"

enum { RP_RUNS_MAX = 256, RP_GROUPS_DEFAULT = 6, RP_TABLE_MAX = 8, RP_TEXT = 4096 };

/* The summary values the brief uses, per run (fig_sums keys, in this order). */
enum {
    RK_PERSONS, RK_LISTED_END, RK_EVER, RK_EVER_WRONG, RK_HARM, RK_HARM_INNOCENT,
    RK_HARM_REACHED, RK_PREVENTED, RK_COUNTERFACTUAL, RK_NAMED, RK_THIRD, RK_AUC_CONTACT,
    RK_AUC_HISTORY, RK_GINI, RK_LORENZ95, RK_CASC_FALSE, RK_CASC_MIS, RK_CASC_LARGEST,
    RK_RATIO_WRONG, RK_RATIO_HARM, RK_LIST_SPILL, RK_LIST_ALL, RK_RECORDS, RK_RETENTION,
    RK_NKEYS
};

typedef struct rp {
    query_t *q;               /* the database, opened and checked by query_open */
    sqlite3 *db;              /* query_db(q): for the figure builders and the appendix */
    const char *path;
    int64_t ids[RP_RUNS_MAX];
    size_t nrun;
    fig_groups_t g;           /* the runs in replicate groups */
    fig_sums s;               /* their summary values (keys RK_*) */
    fig_result scratch;       /* the SQL of those queries (not written anywhere) */
    cairo_surface_t *sf;
    cairo_t *cr;
    sim_err failed;           /* the first read of a page that failed (write_pdf fails) */
    int nfailed;
} rp;

/* Page size (A4 landscape) and margin, points. */
#define RP_PAGE_W 842.0
#define RP_PAGE_H 595.0
#define RP_MARGIN 48.0

/* report_text.c */

/* Loads r->g and r->s for r->ids (two queries on runs, one on summary). */
sim_status rp_load(rp *r, sim_err *err);

/* Group k's mean and 95% CI of value key (divided by key den, FIG_NONE: not) times scale. */
void rp_stat(const rp *r, size_t key, size_t den, double scale, size_t k, double *mean,
             double *lo, double *hi, size_t *n);

/* Text at (x, y) wrapped to width points; returns its height. */
double rp_text(cairo_t *cr, const char *s, double x, double y, double width, double size,
               int bold, int mono);

/* The headline table at y on the title page; returns its height. */
double rp_table(rp *r, double y);

/* The definitions under the table, generated with the numbers that need saying. */
void rp_notes(const rp *r, char *buf, size_t n);

/* The caption of figure `fig` from the database's numbers. */
void rp_caption(const rp *r, const char *fig, char *buf, size_t n);

#endif
