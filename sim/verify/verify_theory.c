/* sim/verify/verify_theory.c - the theory the verification checks compare with (sim/verify/verify.h). */
#include "verify.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The root of f in [lo, hi] by Brent's method, given f(lo) and f(hi) of opposite signs
 * (or one of them 0); NaN when they are not. */
static double brent(double (*fn)(double, void *), void *params, double lo, double hi) {
    double flo = fn(lo, params), fhi = fn(hi, params);
    if (flo == 0) return lo;
    if (fhi == 0) return hi;
    if (!(flo * fhi < 0)) return NAN;
    gsl_function f = {fn, params};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    double r = NAN;
    if (s && gsl_root_fsolver_set(s, &f, lo, hi) == GSL_SUCCESS) {
        for (int it = 0; it < 200; it++) {
            if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS) break;
            r = gsl_root_fsolver_root(s);
            double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
            if (gsl_root_test_interval(a, b, 1e-14, 1e-12) == GSL_SUCCESS) break;
        }
    }
    gsl_root_fsolver_free(s);
    return r;
}

/* ---- bond percolation ---------------------------------------------------------------- */

typedef struct perc { int regular; double deg, beta, s0; } perc;

/* Generating functions of the degree (G0) and excess degree (G1) distributions. */
static double g0(const perc *q, double v) {
    return q->regular ? pow(v, q->deg) : exp(q->deg * (v - 1));
}
static double g1(const perc *q, double v) {
    return q->regular ? pow(v, q->deg - 1) : exp(q->deg * (v - 1));
}

/* v = P(a neighbour does not list the focal person through their tie). */
static double perc_f(double v, void *p) {
    const perc *q = p;
    return 1 - q->beta + q->beta * (1 - q->s0) * g1(q, v) - v;
}

double verify_percolation_final(int regular, double deg, double beta, double s0) {
    if (!(s0 > 0 && s0 <= 1 && beta >= 0 && beta <= 1 && deg >= (regular ? 1 : 0)))
        return NAN;
    perc q = {regular, deg, beta, s0};
    /* perc_f is convex, >= 0 at v = 0 and -beta s0 < 0 at v = 1: one root in [0, 1) */
    double v = brent(perc_f, &q, 0, 1);
    return 1 - (1 - s0) * g0(&q, v);
}

double verify_percolation_theory(double z, double beta, double s0) {
    return verify_percolation_final(0, z, beta, s0);
}

void verify_cascade_moments(int regular, double deg, double beta, double *mean, double *var) {
    double m0 = beta * deg, v0 = regular ? deg * beta * (1 - beta) : m0;   /* first generation */
    double m = regular ? beta * (deg - 1) : m0, s2 = regular ? (deg - 1) * beta * (1 - beta) : m;
    *mean = *var = NAN;
    if (!(m < 1) || beta < 0) return;
    double sub_mean = 1 / (1 - m), sub_var = s2 / pow(1 - m, 3);   /* one subtree */
    *mean = 1 + m0 * sub_mean;
    *var = m0 * sub_var + v0 * sub_mean * sub_mean;
}

/* ---- Watts' global cascades -------------------------------------------------------- */

static unsigned vulnerable_max(double phi) { return (unsigned)floor(1.0 / phi + 1e-12); }

static double watts_g(double z, void *p) {
    double phi = *(const double *)p, sum = 0;
    for (unsigned k = 2; k <= vulnerable_max(phi); k++)
        sum += (double)k * (k - 1) * gsl_ran_poisson_pdf(k, z);
    return sum - z;
}

int verify_watts_theory(double z, double phi) { return watts_g(z, &phi) > 0; }

int verify_watts_window(double phi, double *lo, double *hi) {
    *lo = *hi = NAN;
    double best = 0, zbest = 0;
    for (double z = 0.01; z < 100; z += 0.01) {   /* the maximum of the condition */
        double g = watts_g(z, &phi);
        if (g > best) best = g, zbest = z;
    }
    if (!(best > 0)) return 0;
    *lo = brent(watts_g, &phi, 1e-9, zbest);
    *hi = brent(watts_g, &phi, zbest, 100);
    return 1;
}

typedef struct wf { double z, phi; } wf;

/* u = P(a tie leads into the percolating vulnerable cluster). */
static double watts_u(double u, void *p) {
    const wf *q = p;
    double sum = 0;
    for (unsigned k = 1; k <= vulnerable_max(q->phi); k++)
        sum += gsl_ran_poisson_pdf(k - 1, q->z) * (1 - pow(1 - u, k - 1));
    return sum - u;
}

double verify_watts_frequency(double z, double phi) {
    wf q = {z, phi};
    const double eps = 1e-9;
    if (!(watts_u(eps, &q) > 0)) return 0;   /* only u = 0: no percolating cluster */
    double u = brent(watts_u, &q, eps, 1);
    return 1 - exp(-z * u);
}

/* ---- the urn of targeted inspections -------------------------------------------- */

int verify_urn_var(double x0, double w0, double kappa, int steps, double *var) {
    int kmax = (int)ceil(kappa + 12 * sqrt(kappa) + 12);
    size_t len = (size_t)steps * (size_t)kmax + 1;
    double *h = calloc(len, sizeof *h), *nh = calloc(len, sizeof *nh);
    double *pk = malloc(((size_t)kmax + 1) * sizeof *pk);
    if (!h || !nh || !pk) return free(h), free(nh), free(pk), 0;
    for (int k = 0; k <= kmax; k++) pk[k] = gsl_ran_poisson_pdf((unsigned)k, kappa);
    /* h[S] = E[prod over the steps so far of (1 - K/W^2) ; total drawn = S] */
    size_t lo = 0, hi = 0;
    h[0] = 1;
    var[0] = 0;
    for (int t = 1; t <= steps; t++) {
        size_t nlo = SIZE_MAX, nhi = 0;
        double mass = 0;
        for (size_t S = lo; S <= hi; S++) {
            if (h[S] == 0) continue;
            for (int k = 0; k <= kmax; k++) {
                double W = w0 + (double)S + k;
                nh[S + (size_t)k] += h[S] * pk[k] * (1 - k / (W * W));
            }
        }
        for (size_t S = lo; S <= hi + (size_t)kmax; S++) {   /* keep what carries mass */
            mass += nh[S];
            if (nh[S] > 1e-300 && S < nlo) nlo = S;
            if (nh[S] > 1e-300) nhi = S;
        }
        memset(h + lo, 0, (hi - lo + 1) * sizeof *h);
        memcpy(h + nlo, nh + nlo, (nhi - nlo + 1) * sizeof *h);
        memset(nh + lo, 0, (hi + (size_t)kmax - lo + 1) * sizeof *nh);
        lo = nlo, hi = nhi;
        var[t] = x0 * (1 - x0) * (1 - mass);
    }
    free(h), free(nh), free(pk);
    return 1;
}

/* ---- stock and flow of a list ----------------------------------------------------- */

double verify_listing_time(double p, int W, double c) {
    double q = 1 - p, s = 1 - c;
    return (1 - pow(q * s, W)) / (1 - s + p * pow(q, W) * pow(s, W + 1));
}
