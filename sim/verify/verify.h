/* sim/verify/verify.h - verification: checks that the simulation reproduces results known from
 * theory. Prefix verify_.
 *
 * Each check is ordinary scenario and experiment files under scenarios/verify/ (an
 * experiment file's design points, or a scenario run `replicates` times), the theoretical
 * value computed here (GSL root finding, distributions and special functions) from the
 * check's own scenario, and a stated tolerance. The user's --set overrides change the runs
 * but never the theory, so that a model other than the one the theory describes fails.
 * docs/validation.md describes every check, its theory, figure and tolerances.
 *
 *   verify_result *res = NULL;
 *   if ((st = verify_suite(&opts, &res, err)) != SIM_OK) goto done;
 *   for (int k = 0; k < res->nrows; k++) ... res->rows[k].pass ...
 *   st = verify_db_write(res, &opts, "results/verify/verify.db", err);
 * done: verify_result_free(res);
 *
 * Internals shared by the verify_*.c files: sim/verify/verify_impl.h. */
#ifndef SIM_VERIFY_H
#define SIM_VERIFY_H

#include <stddef.h>

#include "err.h"

enum {
    VERIFY_MAX_ROWS = 128,     /* rows verify_run copies out */
    VERIFY_MAX_PANELS = 3,     /* panels of one check's figure */
    VERIFY_MAX_TICKS = 16      /* named ticks of a bar panel */
};

typedef struct verify_row {
    char   check[32];     /* "watts", "percolation", "ensign", "stock-flow", "exact" */
    char   setting[80];   /* e.g. "ER z=4 beta=0.5: final listed share" */
    double theory;        /* the theoretical value */
    double sim;           /* the simulated value (mean over replicates, or a pooled ratio) */
    double lo, hi;        /* 95% interval of the simulated value; NaN when there is none */
    double tolerance;     /* |sim - theory| allowed (0: exact; 0.5 for a yes/no) */
    int    pass;          /* |sim - theory| <= tolerance */
} verify_row;

typedef struct verify_opts {
    int         quick;        /* small sizes and few replicates, for make test */
    const char *dir;          /* directory of the verification scenarios */
    const char *const *sets;  /* extra overrides applied to every run (to break a check) */
    int         nsets;
    int         threads;      /* runs side by side (one thread each); 0: all cores */
    const char *only;         /* run only this check (NULL: all) */
} verify_opts;

/* ---- figure data: what each check's figure shows, drawn by plots/fig_verify.c ---- */

typedef enum verify_kind {
    VERIFY_LINE = 0,   /* y over x */
    VERIFY_BAND,       /* shaded between lo and hi over x (y unused) */
    VERIFY_POINTS,     /* points y with interval bars lo..hi (lo, hi may be NULL) */
    VERIFY_BARS        /* bars of height y at x with optional interval bars */
} verify_kind;

typedef struct verify_series {
    verify_kind kind;
    char    label[80];     /* legend text; "" keeps the series out of the legend */
    int     color;         /* category colour (plots: pal_category index); -1 black */
    int     faint;         /* drawn pale: one replicate's trace */
    size_t  n;
    double *x, *y, *lo, *hi;   /* [n] each, owned; y NULL for a band, lo/hi NULL for none */
} verify_series;

typedef enum verify_legend {   /* where the legend goes (as plots/plot.h's plot_legend) */
    VERIFY_LEGEND_AUTO = 0, VERIFY_LEGEND_NE, VERIFY_LEGEND_NW, VERIFY_LEGEND_SE,
    VERIFY_LEGEND_SW, VERIFY_LEGEND_OUTSIDE
} verify_legend;

typedef struct verify_panel {
    char   title[96], xlabel[64], ylabel[64];
    double xlim[2], ylim[2];                 /* fixed limits; NaN: automatic */
    double ytick_max;                        /* > 0: y ticks stop here, the room above the
                                                data holds the legend */
    verify_legend legend;
    int    nticks;                           /* bar panels: tick k at x = k named tick[k] */
    char   tick[VERIFY_MAX_TICKS][24];
    verify_series *series;                   /* [nseries], owned */
    size_t nseries, cap;
} verify_panel;

typedef struct verify_figure {
    char         check[32];                  /* file name: verify-CHECK.png */
    char         title[128];
    int          npanels;
    verify_panel panel[VERIFY_MAX_PANELS];
} verify_figure;

typedef struct verify_result {
    verify_row    *rows;      /* [nrows], owned */
    int            nrows, rows_cap;
    verify_figure *figs;      /* [nfigs], owned: one per check run */
    int            nfigs, figs_cap;
} verify_result;

/* Runs every check (or o->only) and returns their rows and figure data in *out (the caller
 * frees it with verify_result_free). Returns SIM_OK when the checks could run, whether or
 * not they pass; SIM_EUSAGE for an unknown --only; else the first error of a scenario,
 * experiment or run (SIM_ESCENARIO, SIM_EIO, SIM_ERUN, SIM_ENOMEM), with *out NULL.
 * Runs are spread over o->threads threads; results do not depend on the number. */
sim_status verify_suite(const verify_opts *o, verify_result **out, sim_err *err);

void verify_result_free(verify_result *r);   /* NULL is a no-op */

/* As verify_suite, copying at most VERIFY_MAX_ROWS rows into rows[0..*n-1]. */
sim_status verify_run(const verify_opts *o, verify_row *rows, int *n, sim_err *err);

/* Writes r into a new SQLite database at path (an existing file is replaced): tables
 * verify (the rows), verify_series (the figure data, one row per point) and verify_info
 * (version, mode, overrides); docs/validation.md gives the schema. Returns SIM_OK or
 * SIM_EDB/SIM_EIO naming the path. */
sim_status verify_db_write(const verify_result *r, const verify_opts *o, const char *path,
                           sim_err *err);

/* Draws each figure of r to dir/verify-CHECK.png (dir must exist). *written counts the
 * files. Defined in plots/fig_verify.c, in the plotting library: only the scsim command
 * links it, so the engine library does not depend on cairo. Returns SIM_OK, or SIM_EIO /
 * SIM_EUSAGE / SIM_ENOMEM from the plotting layer. */
sim_status verify_figures(const verify_result *r, const char *dir, int *written,
                          sim_err *err);

/* ---- theory (sim/verify/verify_theory.c); pure functions ---- */

/* Final listed fraction R of an independent cascade (SIR, transmissibility beta, each
 * listing passes once along each tie) from a seed fraction s0 > 0 on a locally tree-like
 * graph: R = 1 - (1 - s0) G0(v) with v = 1 - beta + beta (1 - s0) G1(v) (Newman 2002).
 * regular = 0: Erdos-Renyi, Poisson degrees of mean deg (G0 = G1 = exp(deg (v - 1)));
 * regular = 1: every degree deg (G0 = v^deg, G1 = v^(deg-1)). Brent's method. NaN for bad
 * arguments. */
double verify_percolation_final(int regular, double deg, double beta, double s0);

/* Erdos-Renyi case of the above (kept for callers of the first version). */
double verify_percolation_theory(double z, double beta, double s0);

/* Mean and variance of the size of one small cascade (seed included) below the threshold
 * (branching process: first generation Poisson(beta deg) or Binomial(deg, beta), later
 * ones Poisson(beta deg) or Binomial(deg - 1, beta)); NaN at or above the threshold. */
void verify_cascade_moments(int regular, double deg, double beta, double *mean, double *var);

/* Watts (2002): whether global cascades are possible at mean degree z and threshold phi on
 * an Erdos-Renyi graph: sum_k k (k - 1) p_k [1 <= k <= 1/phi] > z, p_k Poisson(z). */
int verify_watts_theory(double z, double phi);

/* The window of mean degrees where that holds: *lo < z < *hi, each found by Brent's
 * method. Returns 0 when there is none (phi > 1/2). */
int verify_watts_window(double phi, double *lo, double *hi);

/* Probability that one seed on an Erdos-Renyi graph of mean degree z starts a global
 * cascade under the threshold phi: the seed reaches the percolating cluster of vulnerable
 * persons, 1 - exp(-z u) with u = sum_{k<=1/phi} p_{k-1} (1 - (1 - u)^(k-1)) (Watts 2002,
 * the extended vulnerable cluster); 0 outside the window. */
double verify_watts_frequency(double z, double phi);

/* Polya urn with Poisson(kappa) draws per step from a composition fixed within the step,
 * starting from total weight w0 with share x0 of one colour: var[t] is the exact variance
 * of that share after t steps, t = 0..steps, x0 (1 - x0) (1 - E prod_s (1 - K_s /
 * W_{s+1}^2)) computed by dynamic programming over the total drawn. Returns 0 when out
 * of memory. Cost: O(steps * kappa * spread). */
int verify_urn_var(double x0, double w0, double kappa, int steps, double *var);

/* Lists regime with one agency, list_after = 1 and term = window = W, a record with
 * probability p per person-step and early removal with probability c per listed step
 * (compliance, from the step after the listing): the mean number of steps listed,
 * E min(D, G) = (1 - (q s)^W) / (1 - s + p q^W s^(W+1)), q = 1 - p, s = 1 - c, from the
 * generating function of record sequences without W empty steps in a row. The stationary
 * listed share is E / (E + 1/p) and the newly listed share per step 1 / (E + 1/p). */
double verify_listing_time(double p, int W, double c);

#endif
