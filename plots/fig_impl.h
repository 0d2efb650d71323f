/* plots/fig_impl.h - internals shared by figures.c and the fig_*.c builders; not an API. */
#ifndef PLOT_FIG_IMPL_H
#define PLOT_FIG_IMPL_H

#include "figures.h"

enum { FIG_KEY_MAX = 96, FIG_PARAMS_MAX = 16, FIG_TITLE_MAX = 160 };

/* The largest step and replicate a database of scsim's can hold (run.steps' upper bound in
 * sim/scenario/scenario_keys.c; an experiment's replicates): a larger one, or one below
 * the first, is damage, refused with SIM_EDB before it sizes anything. */
enum { FIG_STEP_MAX = 100000, FIG_REPLICATE_MAX = 100000 };

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

/* " (mean and 95% CI of 3 runs each)", " (mean and 95% CI of n runs)" or "" (every group one
 * run) for the first ng groups, into buf: the suffix of a figure title. */
void fig_ci_suffix(const fig_groups_t *g, size_t ng, char *buf, size_t n);

/* Tick labels under bar groups 0..ng-1 (at most AXIS_MAX_TICKS): each run group's title,
 * shortened (fig_short_label). */
sim_status fig_group_ticks(plot_panel *p, const fig_groups_t *g, size_t ng, sim_err *err);

/* A dashed grey reference line from (x0, y0) to (x1, y1) labelled label (NULL: not in the
 * legend): equality, chance, parity. Add it after the data series: it uses up a category
 * colour. */
sim_status fig_ref_line(plot_panel *p, const char *label, double x0, double y0, double x1,
                        double y1, sim_err *err);

/* ---- the frontier (fig_harm.c) ---- */

enum { FR_MAX = 64 };   /* points of the frontier figure */

/* The efficient points of (x[i] cost, y[i] benefit), i < n: those with finite values that no
 * other beats (x' <= x and y' >= y, one strict; of exact ties the first), by ascending x, into
 * idx; returns how many. */
size_t fig_efficient(const double *x, const double *y, size_t n, size_t *idx);

/* The dashed frontier line the figure draws: the efficient points by ascending x, then a
 * last point at the largest finite x of all points at the last efficient y (when larger),
 * into lx, ly (room for FR_MAX + 1); returns its points, 0 when fewer than 2 (no line: one
 * group dominates all the others at the same cost, or fewer than two points). Only the first
 * FR_MAX points count. */
size_t fig_frontier_line(const double *x, const double *y, size_t n, double *lx, double *ly);

/* ---- summary values per run (fig_sums.c) ---- */

#define FIG_NONE ((size_t)-1)   /* no key: see fig_sums_value */

typedef struct fig_key { char name[64], grp[32]; } fig_key;

typedef struct fig_sums {
    const fig_groups_t *g;    /* the runs (borrowed) */
    size_t nkey;
    const fig_key *key;       /* [nkey] the (name, grp) pairs wanted (borrowed) */
    double *v;                /* [nkey * g->nrun]: v[k * nrun + r], NaN without a row; owned */
} fig_sums;

/* Runs sql (columns run_id, name, grp, value; see fig_query) and keeps the values of the
 * wanted keys for the runs of s->g (s->g, nkey and key set by the caller). Free with
 * fig_sums_free. */
sim_status fig_sums_load(sqlite3 *db, fig_result *out, const char *what, const char *sql,
                         fig_sums *s, sim_err *err);
void fig_sums_free(fig_sums *s);

/* Index of (name, grp) among the keys, or FIG_NONE. */
size_t fig_sums_find(const fig_sums *s, const char *name, const char *grp);

/* The value of key k for run r divided by key den's (den FIG_NONE: undivided; NaN when a
 * value is missing or the divisor is 0). */
double fig_sums_value(const fig_sums *s, size_t k, size_t den, size_t r);

/* Mean and 95% t interval over the runs of group grp of fig_sums_value(k, den) times scale,
 * missing values left out; *n the runs with a value. NaN when none. */
void fig_sums_stat(const fig_sums *s, size_t k, size_t den, double scale, size_t grp,
                   double *mean, double *lo, double *hi, size_t *n);

/* A bar series over the first ng run groups (x = 0..ng-1) of fig_sums_stat(k, den, scale),
 * with 95% error bars (cut at 0 when cut0) on the groups of more than one run. */
sim_status fig_sums_bars(plot_panel *p, const fig_sums *s, const char *label, size_t k,
                         size_t den, double scale, size_t ng, int cut0, sim_err *err);

/* The share of persons ever blacklisted of each run group of g (mean over its runs of
 * persons_ever_listed black / persons; NaN without rows) into share[0..g->ngrp). One query
 * on summary, added to out. */
sim_status fig_saturation(sqlite3 *db, const fig_groups_t *g, fig_result *out, double *share,
                          sim_err *err);

/* 1 when db has the table (sweep_params is absent from databases written before it). */
int fig_has_table(sqlite3 *db, const char *table);

/* 1 when table `table` of db has column `column` (runs.duplicate is absent before schema 5). */
int fig_has_column(sqlite3 *db, const char *table, const char *column);

/* The keys of the [param.*] sections of an experiment text (sweeps.spec), in order, at most
 * max; returns how many. For databases without sweep_params (docs/results.md). */
size_t fig_spec_params(const char *spec, char keys[][FIG_KEY_MAX], size_t max);

/* The part of a scenario key after its last '.' ("weight" of "spillover.social.weight"). */
const char *fig_short_key(const char *key);

/* The value of key in an overrides text ("k=v" separated by newlines or spaces); NaN when
 * absent or not a number. For databases without sweep_params. */
double fig_override_value(const char *overrides, const char *key);

/* A scenario name short enough for a tick label: at most 32 characters as is, else its first
 * 31 and an ellipsis ("run" when NULL). Tick labels that would touch are broken into two
 * lines at a hyphen or space by the plotting layer. */
void fig_short_label(const char *scenario, char *buf, size_t n);

/* Writes printf text into out->note. */
void fig_note(fig_result *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends printf text to out->note (cut at FIG_NOTE_MAX). */
void fig_note_add(fig_result *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* What became of each run group in a figure. */
enum { FIG_DRAWN = 0, FIG_NODATA = 1, FIG_BEYOND = 2 };

/* Appends to out->note the run groups whose state[k] is not FIG_DRAWN and why:
 * "; left out: a, b (beyond the first 6 run groups a figure shows: pick runs with --runs);
 * c (no rows for it in this figure's query)". Nothing when every group was drawn. */
void fig_note_left_out(fig_result *out, const fig_groups_t *g, const unsigned char *state,
                       size_t max);

/* fig_note_left_out for a summary figure of the first max groups: a group is drawn when it
 * is among them and has a value for any key, left out as FIG_BEYOND past max, FIG_NODATA
 * without values. Returns the number drawn. */
size_t fig_sums_left_out(fig_result *out, const fig_sums *s, size_t max);

#endif
