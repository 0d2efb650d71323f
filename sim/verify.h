/* sim/verify.h - verification: checks that the simulation reproduces results known from
 * theory, each expressed as an ordinary scenario under scenarios/verify/ plus overrides, the
 * theoretical value computed here (GSL), and a stated tolerance. Prefix verify_.
 * docs/validation.md describes every check. */
#ifndef SIM_VERIFY_H
#define SIM_VERIFY_H

#include "err.h"

enum { VERIFY_MAX_ROWS = 32 };

typedef struct verify_row {
    char   check[32];     /* "percolation", "watts", "exact" */
    char   setting[64];   /* e.g. "z=4 beta=0.5" */
    double theory;        /* the theoretical value */
    double sim;           /* the simulated value (mean over replicates) */
    double tolerance;     /* |sim - theory| allowed (watts, exact: 0.5, i.e. exact match) */
    int    pass;
} verify_row;

typedef struct verify_opts {
    int         quick;        /* small sizes and one replicate, for make test */
    const char *dir;          /* directory of the verification scenarios */
    const char *const *sets;  /* extra overrides applied to every run (to break a check) */
    int         nsets;
    int         threads;
    const char *only;         /* run only this check (NULL: all) */
} verify_opts;

/* Runs every check; fills rows[0..*n-1]. Returns SIM_OK when the checks could run (whether
 * or not they pass), or the first error of a scenario or run. */
sim_status verify_run(const verify_opts *o, verify_row *rows, int *n, sim_err *err);

/* Final listed fraction R of an independent cascade with transmissibility beta on an
 * Erdos-Renyi graph of mean degree z from a seed fraction s0: the root in (0, 1] of
 * R = 1 - (1 - s0) exp(-beta z R) (Newman 2002). */
double verify_percolation_theory(double z, double beta, double s0);

/* Watts (2002): whether global cascades are possible at mean degree z and threshold phi on
 * an Erdos-Renyi graph: sum_k k (k - 1) p_k [1 <= k <= 1/phi] > z, p_k Poisson(z). */
int verify_watts_theory(double z, double phi);

#endif
