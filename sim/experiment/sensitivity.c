/* sim/experiment/sensitivity.c - Sobol indices (Saltelli 2010 first order, Jansen 1999 total) with
 * percentile bootstrap intervals, and Morris elementary-effect measures. */
#include "sensitivity.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

/* SIM_ERUN naming the first row whose output is NaN or infinite, else SIM_OK. */
static sim_status check_outputs(const design_t *d, const double *y, sim_err *err) {
    for (size_t row = 0; row < d->rows; row++) {
        if (isfinite(y[row])) continue;
        char block[16];
        design_block_name(d, row, block, sizeof block);
        if (d->type == DESIGN_SALTELLI)
            return err_set(err, SIM_ERUN, "output of design row %zu (block %s, base index "
                           "%zu) is %g; sensitivity indices need finite outputs", row, block,
                           d->base[row], y[row]);
        return err_set(err, SIM_ERUN, "output of design row %zu (trajectory %zu) is %g; "
                       "sensitivity indices need finite outputs", row, d->base[row], y[row]);
    }
    return SIM_OK;
}

/* --- Sobol --------------------------------------------------------------------------- */

void sens_sobol_free(sens_sobol_t *s) {
    if (!s) return;
    free(s->S1);
    free(s->ST);
    free(s->S1_lo);
    free(s->S1_hi);
    free(s->ST_lo);
    free(s->ST_hi);
    free(s);
}

static sens_sobol_t *sobol_alloc(size_t k, size_t n) {
    sens_sobol_t *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->k = k;
    s->n = n;
    double **arr[] = {&s->S1, &s->ST, &s->S1_lo, &s->S1_hi, &s->ST_lo, &s->ST_hi};
    for (size_t a = 0; a < sizeof arr / sizeof arr[0]; a++)
        if (!(*arr[a] = malloc(k * sizeof **arr[a]))) {
            sens_sobol_free(s);
            return NULL;
        }
    return s;
}

/* Mean and variance (denominator 2n) of the pooled outputs of A and B over the base
 * indices idx (NULL: 0..n-1). Two passes, for accuracy when |mean| >> sd. */
static void pooled_moments(const double *y, size_t n, const size_t *idx, double *mean,
                           double *var) {
    const double *ya = y, *yb = y + n;
    double sum = 0, ss = 0, lo = ya[idx ? idx[0] : 0], hi = lo;
    for (size_t j = 0; j < n; j++) {
        size_t r = idx ? idx[j] : j;
        sum += ya[r] + yb[r];
        lo = fmin(lo, fmin(ya[r], yb[r]));
        hi = fmax(hi, fmax(ya[r], yb[r]));
    }
    double m = sum / (2.0 * (double)n);
    if (lo == hi) {                 /* exactly constant: rounding must not fake a variance */
        *mean = lo;
        *var = 0;
        return;
    }
    for (size_t j = 0; j < n; j++) {
        size_t r = idx ? idx[j] : j;
        ss += (ya[r] - m) * (ya[r] - m) + (yb[r] - m) * (yb[r] - m);
    }
    *mean = m;
    *var = ss / (2.0 * (double)n);
}

/* S1 and ST of every parameter over the base indices idx (NULL: all). Returns V, or 0 when
 * the outputs of A and B do not vary (S1, ST then untouched). */
static double estimate(const double *y, size_t n, size_t k, const size_t *idx, double *S1,
                       double *ST, double *mean_out) {
    double mean, var;
    pooled_moments(y, n, idx, &mean, &var);
    if (mean_out) *mean_out = mean;
    if (!(var > 0)) return 0;
    const double *ya = y, *yb = y + n;
    for (size_t i = 0; i < k; i++) {
        const double *yab = y + (2 + i) * n;
        double vi = 0, vti = 0;
        for (size_t j = 0; j < n; j++) {
            size_t r = idx ? idx[j] : j;
            double diff = yab[r] - ya[r];
            vi += (yb[r] - mean) * diff;
            vti += diff * diff;
        }
        S1[i] = vi / (double)n / var;
        ST[i] = vti / (2.0 * (double)n) / var;
    }
    return var;
}

/* Percentile bounds of each parameter's nb resamples (rows of boot, k x stride). */
static void percentiles(double *boot, size_t k, size_t stride, size_t nb, double *lo,
                        double *hi) {
    double tail = (1.0 - SENS_CI_LEVEL) / 2.0;
    for (size_t i = 0; i < k; i++) {
        double *b = boot + i * stride;
        if (nb == 0) {
            lo[i] = hi[i] = NAN;
            continue;
        }
        gsl_sort(b, 1, nb);
        lo[i] = gsl_stats_quantile_from_sorted_data(b, 1, nb, tail);
        hi[i] = gsl_stats_quantile_from_sorted_data(b, 1, nb, 1.0 - tail);
    }
}

/* Runs n_boot resamples of the base indices and stores the percentile intervals in s. */
static sim_status bootstrap(sens_sobol_t *s, const double *y, size_t n_boot,
                            const rng_t *rng, uint32_t purpose, sim_err *err) {
    size_t n = s->n, k = s->k, used = 0;
    size_t *idx = malloc(n * sizeof *idx);
    double *b1 = malloc(k * n_boot * sizeof *b1), *bt = malloc(k * n_boot * sizeof *bt);
    double *s1 = malloc(k * sizeof *s1), *st = malloc(k * sizeof *st);
    sim_status rc = SIM_OK;
    if (!idx || !b1 || !bt || !s1 || !st) {
        rc = err_set(err, SIM_ENOMEM, "bootstrap of %zu resamples: out of memory", n_boot);
        goto done;
    }
    for (size_t b = 0; b < n_boot; b++) {
        rng_stream rs;
        rng_stream_at(&rs, rng, 0, b, purpose);
        for (size_t j = 0; j < n; j++) idx[j] = (size_t)rng_below(&rs, n);
        if (estimate(y, n, k, idx, s1, st, NULL) == 0) continue;   /* constant resample */
        for (size_t i = 0; i < k; i++) {
            b1[i * n_boot + used] = s1[i];
            bt[i * n_boot + used] = st[i];
        }
        used++;
    }
    s->n_boot = used;
    percentiles(b1, k, n_boot, used, s->S1_lo, s->S1_hi);
    percentiles(bt, k, n_boot, used, s->ST_lo, s->ST_hi);
done:
    free(idx);
    free(b1);
    free(bt);
    free(s1);
    free(st);
    return rc;
}

sim_status sens_sobol(sens_sobol_t **out, const design_t *d, const double *y, size_t n_boot,
                      const rng_t *rng, uint32_t purpose, sim_err *err) {
    *out = NULL;
    if (d->type != DESIGN_SALTELLI || d->rows != d->n_base * (d->k + 2))
        return err_set(err, SIM_ESCENARIO, "Sobol indices need a Saltelli design "
                       "(rows A, B, AB_1..AB_k)");
    if (n_boot > 0 && !rng)
        return err_set(err, SIM_ESCENARIO, "Sobol bootstrap needs a random generator");
    sim_status st = check_outputs(d, y, err);
    if (st != SIM_OK) return st;
    sens_sobol_t *s = sobol_alloc(d->k, d->n_base);
    if (!s) return err_set(err, SIM_ENOMEM, "Sobol indices: out of memory");
    s->var = estimate(y, s->n, s->k, NULL, s->S1, s->ST, &s->mean);
    if (s->var == 0) {
        st = err_set(err, SIM_ERUN, "Sobol indices are undefined: the %zu outputs of blocks "
                     "A and B all equal %g (zero variance)", 2 * s->n, s->mean);
    } else if (n_boot > 0) {
        st = bootstrap(s, y, n_boot, rng, purpose, err);
    } else {
        percentiles(NULL, s->k, 0, 0, s->S1_lo, s->S1_hi);
        percentiles(NULL, s->k, 0, 0, s->ST_lo, s->ST_hi);
    }
    if (st != SIM_OK) {
        sens_sobol_free(s);
        return st;
    }
    *out = s;
    return SIM_OK;
}

/* --- Morris -------------------------------------------------------------------------- */

void sens_morris_free(sens_morris_t *m) {
    if (!m) return;
    free(m->ee);
    free(m->mu);
    free(m->mu_star);
    free(m->sigma);
    free(m);
}

/* Elementary effects of trajectory t: ee[t*k + i] for each parameter i. */
static void morris_effects(const design_t *d, const double *y, size_t t, double *ee) {
    size_t k = d->k;
    const double *yt = y + t * (k + 1);
    for (size_t step = 0; step < k; step++) {
        uint32_t i = d->change[t * k + step];
        double h = d->sign[t * k + step] * d->delta;
        ee[t * k + i] = (yt[step + 1] - yt[step]) / h;
    }
}

/* mu, mu*, sigma of each parameter from the r x k effects. */
static void morris_moments(sens_morris_t *m) {
    size_t k = m->k, r = m->r;
    for (size_t i = 0; i < k; i++) {
        double sum = 0, sum_abs = 0, ss = 0;
        for (size_t t = 0; t < r; t++) {
            sum += m->ee[t * k + i];
            sum_abs += fabs(m->ee[t * k + i]);
        }
        m->mu[i] = sum / (double)r;
        m->mu_star[i] = sum_abs / (double)r;
        for (size_t t = 0; t < r; t++)
            ss += (m->ee[t * k + i] - m->mu[i]) * (m->ee[t * k + i] - m->mu[i]);
        m->sigma[i] = r > 1 ? sqrt(ss / (double)(r - 1)) : NAN;
    }
}

sim_status sens_morris(sens_morris_t **out, const design_t *d, const double *y,
                       sim_err *err) {
    *out = NULL;
    if (d->type != DESIGN_MORRIS || d->rows != d->n_base * (d->k + 1))
        return err_set(err, SIM_ESCENARIO, "Morris measures need a Morris design");
    sim_status st = check_outputs(d, y, err);
    if (st != SIM_OK) return st;
    sens_morris_t *m = calloc(1, sizeof *m);
    if (m) {
        m->k = d->k;
        m->r = d->n_base;
        m->delta = d->delta;
        m->ee = malloc(m->r * m->k * sizeof *m->ee);
        m->mu = malloc(m->k * sizeof *m->mu);
        m->mu_star = malloc(m->k * sizeof *m->mu_star);
        m->sigma = malloc(m->k * sizeof *m->sigma);
    }
    if (!m || !m->ee || !m->mu || !m->mu_star || !m->sigma) {
        sens_morris_free(m);
        return err_set(err, SIM_ENOMEM, "Morris measures: out of memory");
    }
    for (size_t t = 0; t < m->r; t++) morris_effects(d, y, t, m->ee);
    morris_moments(m);
    *out = m;
    return SIM_OK;
}

size_t sens_mean_ci95(const double *v, size_t n, double *mean, double *half) {
    double sum = 0, ss = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) sum += v[i], k++;
    *mean = k ? sum / (double)k : NAN;
    *half = NAN;
    if (k < 2) return k;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) ss += (v[i] - *mean) * (v[i] - *mean);
    *half = gsl_cdf_tdist_Pinv(0.975, (double)(k - 1)) * sqrt(ss / (double)(k - 1)) /
            sqrt((double)k);
    return k;
}
