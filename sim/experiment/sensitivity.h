/* sim/experiment/sensitivity.h - variance-based (Sobol) and screening (Morris) sensitivity indices from
 * model outputs on a design of sim/experiment/design.h. Prefix sens_.
 *
 * Sobol indices from a Saltelli design (rows A, B, AB_1..AB_k, n base rows each):
 *   first order  S_i  = V_i / V,   V_i  = (1/n)  sum_j f(B)_j (f(AB_i)_j - f(A)_j)
 *                                  (Saltelli et al. 2010, Comput. Phys. Commun. 181:259)
 *   total        S_Ti = VT_i / V,  VT_i = (1/2n) sum_j (f(A)_j - f(AB_i)_j)^2   (Jansen 1999)
 * with V the variance (denominator 2n) of the 2n pooled outputs of A and B. f(B) enters
 * V_i centred on the pooled mean: the same estimator in expectation, but indices do not
 * change when a constant is added to y and their variance drops when |mean| >> sd.
 * Confidence intervals: percentile bootstrap, resampling the base indices j with
 * replacement (the rows of A, B and every AB_i that share a j move together).
 *
 * Morris elementary effects, in unit-cube units: EE = (f(x + s delta e_i) - f(x)) / (s delta)
 * for each step of each trajectory (s = +-1); mu = mean EE, mu* = mean |EE| (Campolongo
 * et al. 2007), sigma = standard deviation of EE (denominator r - 1). See
 * docs/sensitivity.md. */
#ifndef SIM_SENSITIVITY_H
#define SIM_SENSITIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "design.h"
#include "err.h"
#include "rng.h"

enum { SENS_BOOT_DEFAULT = 1000 };     /* bootstrap resamples unless told otherwise */
#define SENS_CI_LEVEL 0.95             /* two-sided coverage of the percentile intervals */

typedef struct sens_sobol {
    size_t  k;        /* parameters */
    size_t  n;        /* base rows */
    double  mean;     /* mean of the 2n pooled outputs of A and B */
    double  var;      /* their variance V (denominator 2n), > 0 */
    double *S1;       /* [k] first-order indices (can fall outside [0, 1] by sampling error) */
    double *ST;       /* [k] total indices */
    double *S1_lo, *S1_hi;   /* [k] bootstrap percentile interval of S1 (NaN if no resample) */
    double *ST_lo, *ST_hi;   /* [k] the same for ST */
    size_t  n_boot;   /* resamples used: those asked for minus any with zero variance */
} sens_sobol_t;

typedef struct sens_morris {
    size_t  k;        /* parameters */
    size_t  r;        /* trajectories */
    double  delta;    /* the design's step in unit coordinates */
    double *ee;       /* [r*k] elementary effect of parameter i in trajectory t: ee[t*k + i] */
    double *mu;       /* [k] mean elementary effect */
    double *mu_star;  /* [k] mean absolute elementary effect */
    double *sigma;    /* [k] standard deviation of the elementary effects (NaN when r = 1) */
} sens_morris_t;

/* Sobol indices and bootstrap intervals. d: a design_saltelli design (borrowed). y: [d->rows]
 * outputs in d's row order (borrowed). n_boot: resamples (0 = point estimates only; use
 * SENS_BOOT_DEFAULT); resample b uses the stream (step 0, agent b, purpose) of rng (which
 * may be NULL when n_boot = 0). Returns SIM_OK with *out owned by the caller
 * (sens_sobol_free); SIM_ESCENARIO when d is not a Saltelli design; SIM_ERUN when an output
 * is NaN or infinite (message names the row, its block and base index) or when the outputs
 * of A and B have zero variance (indices undefined); SIM_ENOMEM. *out is NULL on error.
 * Cost: O(n k (n_boot + 1)) time, O(k n_boot + n) memory. */
sim_status sens_sobol(sens_sobol_t **out, const design_t *d, const double *y, size_t n_boot,
                      const rng_t *rng, uint32_t purpose, sim_err *err);

void sens_sobol_free(sens_sobol_t *s);   /* NULL is a no-op */

/* Morris screening measures. d: a design_morris design (borrowed). y: [d->rows] outputs in
 * d's row order. Returns SIM_OK with *out owned by the caller (sens_morris_free);
 * SIM_ESCENARIO when d is not a Morris design; SIM_ERUN naming the row of the first NaN or
 * infinite output; SIM_ENOMEM. *out is NULL on error. Cost: O(r k). */
sim_status sens_morris(sens_morris_t **out, const design_t *d, const double *y,
                       sim_err *err);

void sens_morris_free(sens_morris_t *m);   /* NULL is a no-op */

/* Mean of the finite values among v[0..n) into *mean and the half-width of its two-sided
 * 95% Student-t interval, t(0.975, k-1) s / sqrt(k) with s the sample standard deviation
 * (two-pass), into *half. Returns k, the number of finite values; *mean is NaN when k = 0
 * and *half is NaN when k < 2. Used for replicate means by summary, analyze and the plots. */
size_t sens_mean_ci95(const double *v, size_t n, double *mean, double *half);

#endif
