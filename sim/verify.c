/* sim/verify.c - verification checks against theory. */
#include "verify.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "scenario.h"

typedef struct perc_params { double z, beta, s0; } perc_params;

static double perc_f(double r, void *p) {
    const perc_params *q = p;
    return r - 1 + (1 - q->s0) * exp(-q->beta * q->z * r);
}

double verify_percolation_theory(double z, double beta, double s0) {
    perc_params p = {z, beta, s0};
    gsl_function f = {perc_f, &p};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    double lo = s0 > 0 ? s0 * 0.5 : 1e-12, hi = 1.0, r = NAN;
    if (s && perc_f(lo, &p) < 0 && perc_f(hi, &p) > 0 &&
        gsl_root_fsolver_set(s, &f, lo, hi) == GSL_SUCCESS) {
        for (int it = 0; it < 200; it++) {
            gsl_root_fsolver_iterate(s);
            r = gsl_root_fsolver_root(s);
            double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
            if (gsl_root_test_interval(a, b, 1e-12, 1e-10) == GSL_SUCCESS) break;
        }
    }
    gsl_root_fsolver_free(s);
    return r;
}

int verify_watts_theory(double z, double phi) {
    double sum = 0;
    for (unsigned k = 1; k <= (unsigned)floor(1.0 / phi + 1e-12); k++)
        sum += (double)k * (k - 1) * gsl_ran_poisson_pdf(k, z);
    return sum > z;
}

/* Runs scenario dir/file with the check's overrides and then the user's; *out is the
 * finished run (the caller frees it). */
static sim_status simulate(const verify_opts *o, const char *file, const char *const *sets,
                           int nsets, uint64_t run, sim_t **out, sim_err *err) {
    char path[512];
    const char *all[64];
    int n = 0;
    snprintf(path, sizeof path, "%s/%s", o->dir, file);
    for (int k = 0; k < nsets && n < 64; k++) all[n++] = sets[k];
    for (int k = 0; k < o->nsets && n < 64; k++) all[n++] = o->sets[k];
    scenario sc;
    sim_status st = scn_load(&sc, path, all, n, err);
    if (st != SIM_OK) return st;
    sim_opts so = {run, o->threads, NULL, NULL, NULL};
    *out = NULL;
    if ((st = sim_new(out, &sc, &so, err)) == SIM_OK) st = sim_run(*out, err);
    if (st != SIM_OK) sim_free(*out), *out = NULL;
    scn_free(&sc);
    return st;
}

/* Runs a scenario; *frac = listed.black at the end over persons, *wrong = ever wrongly
 * listed, *other = listings not caused by own records. */
static sim_status run_one(const verify_opts *o, const char *file, const char *const *sets,
                          int nsets, uint64_t run, double *frac, double *wrong, double *other,
                          sim_err *err) {
    sim_t *s = NULL;
    sim_status st = simulate(o, file, sets, nsets, run, &s, err);
    if (st == SIM_OK) {
        const res_t *r = sim_results(s);
        *frac = res_get_summary(r, "listed.black", "all") / res_get_summary(r, "persons", "all");
        *wrong = res_get_summary(r, "ever_wrongly_listed.black", "all");
        *other = res_get_summary(r, "listings.black", "all") -
                 res_get_summary(r, "listings.black", "cause:own_record");
    }
    sim_free(s);
    return st;
}

static void add_row(verify_row *rows, int *n, const char *check, const char *setting,
                    double theory, double sim, double tol) {
    if (*n >= VERIFY_MAX_ROWS) return;
    verify_row *r = &rows[(*n)++];
    snprintf(r->check, sizeof r->check, "%s", check);
    snprintf(r->setting, sizeof r->setting, "%s", setting);
    r->theory = theory;
    r->sim = sim;
    r->tolerance = tol;
    r->pass = fabs(sim - theory) <= tol;
}

/* Final size of the independent cascade against the self-consistency equation, above and
 * below the epidemic threshold beta z = 1. */
static sim_status check_percolation(const verify_opts *o, verify_row *rows, int *n,
                                    sim_err *err) {
    static const double beta[] = {0.5, 0.35, 0.2};
    const double z = 4, s0 = 0.002, tol = o->quick ? 0.03 : 0.01;
    int reps = o->quick ? 1 : 3;
    char persons[64], zset[64], bset[64];
    snprintf(persons, sizeof persons, "population.persons=%d", o->quick ? 20000 : 200000);
    snprintf(zset, sizeof zset, "layer.social.mean_degree=%g", z);
    for (size_t b = 0; b < sizeof beta / sizeof *beta; b++) {
        snprintf(bset, sizeof bset, "spillover.p.beta=%g", beta[b]);
        const char *sets[] = {persons, zset, bset};
        double mean = 0, f, w, x;
        for (int r = 0; r < reps; r++) {
            sim_status st = run_one(o, "percolation.ini", sets, 3, (uint64_t)r, &f, &w, &x, err);
            if (st != SIM_OK) return st;
            mean += f / reps;
        }
        char setting[64];
        snprintf(setting, sizeof setting, "z=%g beta=%g (beta z = %.2f)", z, beta[b], z * beta[b]);
        add_row(rows, n, "percolation", setting, verify_percolation_theory(z, beta[b], s0), mean,
                tol);
    }
    return SIM_OK;
}

/* Global cascades (more than half the persons listed) happen inside Watts' window only. */
static sim_status check_watts(const verify_opts *o, verify_row *rows, int *n, sim_err *err) {
    static const double zs[] = {0.5, 3, 5, 8, 12};
    const double phi = 0.18;
    char persons[64], zset[64];
    snprintf(persons, sizeof persons, "population.persons=%d", o->quick ? 20000 : 200000);
    for (size_t k = 0; k < sizeof zs / sizeof *zs; k++) {
        snprintf(zset, sizeof zset, "layer.social.mean_degree=%g", zs[k]);
        const char *sets[] = {persons, zset};
        double f, w, x;
        sim_status st = run_one(o, "watts.ini", sets, 2, 0, &f, &w, &x, err);
        if (st != SIM_OK) return st;
        char setting[64];
        snprintf(setting, sizeof setting, "z=%g phi=%g: global cascade (1) or not (0)", zs[k], phi);
        add_row(rows, n, "watts", setting, verify_watts_theory(zs[k], phi), f > 0.5, 0.5);
    }
    return SIM_OK;
}

/* No errors, no spillover, no seeds: nobody wrongly listed, every listing an own record. */
static sim_status check_exact(const verify_opts *o, verify_row *rows, int *n, sim_err *err) {
    char persons[64];
    snprintf(persons, sizeof persons, "population.persons=%d", o->quick ? 20000 : 100000);
    const char *sets[] = {persons};
    double f, wrong, other;
    sim_status st = run_one(o, "exact.ini", sets, 1, 0, &f, &wrong, &other, err);
    if (st != SIM_OK) return st;
    add_row(rows, n, "exact", "ever wrongly blacklisted", 0, wrong, 0);
    add_row(rows, n, "exact", "listings not by own record", 0, other, 0);
    add_row(rows, n, "exact", "blacklisted at the end > 0", 1, f > 0, 0);
    return SIM_OK;
}

/* Stock and flow of a list under constant inflow and fixed terms: the listed share
 * 1 - (1-p)^W, the newly listed share p (1-p)^(W-1) per step, and Little's law for the mean
 * time listed, averaged over steps W+1..T (stationary from step W on). */
static sim_status check_stock_flow(const verify_opts *o, verify_row *rows, int *n,
                                   sim_err *err) {
    const double p = 0.01 * 0.5;
    const int W = 24;
    char persons[64];
    snprintf(persons, sizeof persons, "population.persons=%d", o->quick ? 20000 : 200000);
    const char *sets[] = {persons};
    sim_t *s = NULL;
    sim_status st = simulate(o, "stock-flow.ini", sets, 1, 0, &s, err);
    if (st != SIM_OK) return st;
    const res_t *r = sim_results(s);
    double N = res_get_summary(r, "persons", "all"), stock = 0, flow = 0;
    int T = sim_current_step(s), k = 0;
    for (int t = W + 1; t <= T; t++, k++) {
        stock += res_get(r, t, "listed.black", "all") / N;
        flow += res_get(r, t, "new_listed.black", "all") / N;
    }
    sim_free(s);
    stock /= k, flow /= k;
    double L = 1 - pow(1 - p, W), lambda = p * pow(1 - p, W - 1);
    double tol = o->quick ? 0.006 : 0.002;
    add_row(rows, n, "stock-flow", "listed share, W=24 p=0.005", L, stock, tol);
    add_row(rows, n, "stock-flow", "newly listed share per step", lambda, flow, tol / 10);
    add_row(rows, n, "stock-flow", "Little: mean months listed = stock / flow", L / lambda,
            flow > 0 ? stock / flow : NAN, o->quick ? 1.5 : 0.5);
    return SIM_OK;
}

sim_status verify_run(const verify_opts *o, verify_row *rows, int *n, sim_err *err) {
    static const char *const names[] = {"percolation", "watts", "exact", "stock-flow"};
    sim_status (*const checks[])(const verify_opts *, verify_row *, int *, sim_err *) = {
        check_percolation, check_watts, check_exact, check_stock_flow};
    *n = 0;
    int ran = 0;
    sim_status st = SIM_OK;
    for (int c = 0; c < 4 && st == SIM_OK; c++)
        if (!o->only || !strcmp(o->only, names[c])) st = checks[c](o, rows, n, err), ran++;
    if (!ran)
        return err_set(err, SIM_EUSAGE, "--only %s: no such check (percolation, watts, exact, "
                       "stock-flow)", o->only);
    return st;
}
