/* sim/verify/verify_impl.h - internals shared by sim/verify/verify.c (the runner) and the checks
 * (sim/verify/verify_spread.c, sim/verify/verify_policy.c); not an API. */
#ifndef SIM_VERIFY_IMPL_H
#define SIM_VERIFY_IMPL_H

#include "engine.h"
#include "scenario.h"
#include "verify.h"

enum { VERIFY_MAX_PARTS = 3, VERIFY_STATS = 40 };

/* One design point of a part: the scenario the theory describes (the part's file with the
 * point's and the quick mode's overrides, but not the user's) and what each replicate gave. */
typedef struct vpoint {
    scenario sc;          /* the check's own model; the theory reads it */
    char     label[64];   /* "mean_degree=4" for a design point, "" for a plain scenario */
    double   x;           /* the point's first parameter value; NaN for a plain scenario */
    int      reps;
    int      steps;       /* trace length - 1 (run.steps) */
    double  *stat;        /* [reps * nstat] per-replicate statistics (the part's extract) */
    double  *trace;       /* [reps * ntrace * (steps + 1)] per-step series, NaN where absent */
} vpoint;

typedef struct vpart vpart;

/* Reads one finished run: its statistics into stat[0..nstat-1] and, when the part has
 * traces, each trace j into trace[j * (steps + 1) + t], t = 0..steps. */
typedef void (*vextract_fn)(const sim_t *s, const scenario *sc, double *stat, double *trace);

struct vpart {
    const char *file;          /* under verify_opts.dir */
    int         experiment;    /* 1: an experiment file (design points, its replicates) */
    int         reps_full;     /* a plain scenario's replicates (experiments: the file's) */
    int         reps_quick;    /* replicates in quick mode (both kinds) */
    const char *quick[3];      /* overrides in quick mode (sizes), NULL-terminated */
    int         nstat, ntrace;
    int         until_quiet;   /* stop a run after the first step that lists no one: exact
                                  when agencies are silent and listings permanent */
    vextract_fn extract;
};

typedef struct vpart_runs {   /* one part's points after running */
    const vpart *part;
    int          npoints;
    vpoint      *pt;
} vpart_runs;

typedef struct vcheck {
    const char *name;
    int         nparts;
    vpart       part[VERIFY_MAX_PARTS];
    /* Compares the runs of every part with theory: adds rows and one figure to res. */
    sim_status (*evaluate)(const verify_opts *o, const vpart_runs *runs, verify_result *res,
                           sim_err *err);
} vcheck;

/* The checks (sim/verify/verify_spread.c: watts, percolation; sim/verify/verify_policy.c: ensign,
 * stock-flow, exact). */
extern const vcheck VERIFY_WATTS, VERIFY_PERCOLATION, VERIFY_ENSIGN, VERIFY_STOCK_FLOW,
    VERIFY_EXACT;

/* ---- helpers (sim/verify/verify.c) ---- */

/* Appends a row; pass = |sim - theory| <= tol. Returns 0 when out of memory. */
int verify_add_row(verify_result *r, const char *check, const char *setting, double theory,
                   double sim, double lo, double hi, double tol);

/* A new figure for check (NULL when out of memory), npanels panels with NaN limits. */
verify_figure *verify_add_figure(verify_result *r, const char *check, const char *title,
                                 int npanels);

/* Appends a series of n points to panel p, copying x, y, lo, hi (any may be NULL). Returns
 * the series (NULL when out of memory). */
verify_series *verify_add_series(verify_panel *p, verify_kind kind, const char *label,
                                 int color, const double *x, const double *y,
                                 const double *lo, const double *hi, size_t n);

/* A horizontal line at y from x0 to x1. */
verify_series *verify_add_level(verify_panel *p, const char *label, int color, double y,
                                double x0, double x1);

void verify_panel_labels(verify_panel *p, const char *title, const char *xlabel,
                         const char *ylabel);

/* Points with 95% intervals, collected for a VERIFY_POINTS series. */
typedef struct verify_pts { double *x, *y, *lo, *hi; int n; } verify_pts;
int  verify_pts_new(verify_pts *p, int cap);   /* 0 when out of memory (p then empty) */
void verify_pts_add(verify_pts *p, double x, double y, double lo, double hi);  /* within cap */
int  verify_pts_draw(verify_panel *pan, const char *label, int color, const verify_pts *p);
void verify_pts_free(verify_pts *p);

/* Mean of the finite v[0..n-1] (stride apart) and its 95% t interval (NaN when fewer than
 * two); returns how many were finite. */
int verify_mean_ci(const double *v, size_t n, size_t stride, double *mean, double *lo,
                   double *hi);

/* v rounded to an integer with thousands separators: "200,000". */
void verify_thousands(double v, char *buf, size_t n);

/* Wilson 95% interval of k successes in n trials. */
void verify_wilson(double k, double n, double *lo, double *hi);

/* The value of metric (name, grp) at every step 0..steps of a finished run into out[]
 * (NaN where absent): one pass over the rows. */
void verify_series_of(const res_t *r, const char *name, const char *grp, double *out,
                      int steps);

/* The value of metric (name, grp) at step t, searching back from the newest rows (cheap
 * right after that step); NaN when absent. */
double verify_step_value(const res_t *r, int t, const char *name, const char *grp);

#endif
