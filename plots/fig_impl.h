/* plots/fig_impl.h - internals shared by figures.c and the fig_*.c builders; not an API. */
#ifndef PLOT_FIG_IMPL_H
#define PLOT_FIG_IMPL_H

#include "figures.h"

enum { FIG_KEY_MAX = 96, FIG_PARAMS_MAX = 16, FIG_TITLE_MAX = 160 };

/* Called once per result row; returns SIM_OK to go on. */
typedef sim_status (*fig_row_fn)(sqlite3_stmt *s, void *ctx, sim_err *err);

/* Appends "-- what\nsql;\n\n" to out->sql, runs sql (no parameters: everything is written
 * into the text), calls fn per row (fn NULL: rows only counted) and adds them to out->rows.
 * SIM_EDB naming `what` on a failed query. */
sim_status fig_query(sqlite3 *db, fig_result *out, const char *what, const char *sql,
                     fig_row_fn fn, void *ctx, sim_err *err);

/* "1,2,3" from the selection, malloc'd (NULL when out of memory). */
char *fig_idlist(const fig_sel *sel);

/* A figure of npanels (1..FIG_MAX_PANELS) panels in a grid of 1x1, 1x2, 1x3, 2x2, 1x5 or
 * 2x3 (no empty cell) at sel->size (auto: column for one panel, slide for more); *cols the
 * grid width. */
sim_status fig_new_grid(plot_fig **out, const fig_sel *sel, size_t npanels, int *cols,
                        sim_err *err);
plot_panel *fig_panel(plot_fig *fig, int cols, size_t i);

/* Mean and 95% t interval (mean +- t(0.975, n-1) sd / sqrt(n)) of the finite v[0..n-1];
 * lo = hi = mean when one value is finite, all NaN when none. */
void fig_mean_ci(const double *v, size_t n, double *mean, double *lo, double *hi);

/* Run groups: the selected runs that are replicates of each other (the same sweep point,
 * or for single runs the same scenario and overrides but the seed), in order of first run.
 * Reads runs and sweeps (two queries added to out). */
typedef struct fig_groups_t {
    size_t nrun;
    int64_t *run_id;          /* [nrun] as selected */
    size_t *grp;              /* [nrun] group of each run */
    size_t ngrp;
    size_t *count;            /* [ngrp] runs in each group */
    char (*title)[FIG_TITLE_MAX];   /* [ngrp] e.g. "baseline" or "fig-grid: w=4, err=0" */
} fig_groups_t;

sim_status fig_groups_load(sqlite3 *db, const fig_sel *sel, fig_result *out,
                           fig_groups_t *g, sim_err *err);
void fig_groups_free(fig_groups_t *g);
/* Index of run_id in g->run_id, or g->nrun. */
size_t fig_run_index(const fig_groups_t *g, int64_t run_id);

/* The keys of the [param.*] sections of an experiment text (sweeps.spec), in order, at most
 * max; returns how many. */
size_t fig_spec_params(const char *spec, char keys[][FIG_KEY_MAX], size_t max);

/* The part of a scenario key after its last '.' ("weight" of "spillover.social.weight"). */
const char *fig_short_key(const char *key);

/* The value of key in an overrides text ("k=v" separated by newlines or spaces); NaN when
 * absent or not a number. */
double fig_override_value(const char *overrides, const char *key);

/* A scenario name short enough for five tick labels side by side: at most 14 characters
 * as is, else its first 13 and an ellipsis ("run" when NULL). */
void fig_short_label(const char *scenario, char *buf, size_t n);

/* Writes printf text into out->note. */
void fig_note(fig_result *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
