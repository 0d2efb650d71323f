/* sim/experiment/design.c - parameter spaces and experiment designs (grid, LHS, Sobol, Saltelli,
 * Morris). See design.h for the contracts and docs/sensitivity.md for the methods. */
#include "design.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_qrng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double MAX_LEVELS = 1e7;   /* list/step parameters */

/* --- parameter spaces ---------------------------------------------------------------- */

void design_space_init(design_space_t *s) { memset(s, 0, sizeof *s); }

void design_space_clear(design_space_t *s) {
    if (!s) return;
    for (size_t j = 0; j < s->k; j++) free(s->param[j].values);
    design_space_init(s);
}

/* Checks the name and room for one more parameter; fills p's name. */
static sim_status check_new(const design_space_t *s, const char *name, design_param_t *p,
                            sim_err *err) {
    size_t len = name ? strlen(name) : 0;
    if (len == 0 || len >= DESIGN_NAME_MAX)
        return err_set(err, SIM_ESCENARIO, "parameter name must have 1 to %d characters",
                       DESIGN_NAME_MAX - 1);
    if (s->k >= DESIGN_MAX_PARAMS)
        return err_set(err, SIM_ESCENARIO, "parameter %s: at most %d parameters", name,
                       DESIGN_MAX_PARAMS);
    for (size_t j = 0; j < s->k; j++)
        if (strcmp(s->param[j].name, name) == 0)
            return err_set(err, SIM_ESCENARIO, "parameter %s is given twice", name);
    memset(p, 0, sizeof *p);
    memcpy(p->name, name, len + 1);
    return SIM_OK;
}

static sim_status check_range(const char *name, double lo, double hi, sim_err *err) {
    if (!isfinite(lo) || !isfinite(hi) || !(lo < hi))
        return err_set(err, SIM_ESCENARIO,
                       "parameter %s: range needs finite lo < hi (got %g, %g)", name, lo, hi);
    return SIM_OK;
}

sim_status design_space_add_list(design_space_t *s, const char *name, const double *values,
                                 size_t m, sim_err *err) {
    design_param_t p;
    sim_status st = check_new(s, name, &p, err);
    if (st != SIM_OK) return st;
    if (m == 0 || (double)m > MAX_LEVELS || !values)
        return err_set(err, SIM_ESCENARIO, "parameter %s: a list needs 1 to %g values", name,
                       MAX_LEVELS);
    p.kind = DESIGN_LIST;
    p.lo = p.hi = values[0];
    for (size_t i = 0; i < m; i++) {
        if (!isfinite(values[i]))
            return err_set(err, SIM_ESCENARIO, "parameter %s: value %zu is not finite", name,
                           i + 1);
        p.lo = fmin(p.lo, values[i]);
        p.hi = fmax(p.hi, values[i]);
    }
    if (!(p.values = malloc(m * sizeof *p.values)))
        return err_set(err, SIM_ENOMEM, "parameter %s: out of memory", name);
    memcpy(p.values, values, m * sizeof *p.values);
    p.m = m;
    s->param[s->k++] = p;
    return SIM_OK;
}

sim_status design_space_add_step(design_space_t *s, const char *name, double lo, double hi,
                                 double step, sim_err *err) {
    design_param_t p;
    sim_status st = check_new(s, name, &p, err);
    if (st == SIM_OK) st = check_range(name, lo, hi, err);
    if (st != SIM_OK) return st;
    double levels = floor((hi - lo) / step + 1e-9) + 1;
    if (!isfinite(step) || !(step > 0) || !(levels <= MAX_LEVELS))
        return err_set(err, SIM_ESCENARIO,
                       "parameter %s: step must be > 0 and give at most %g levels (got %g)",
                       name, MAX_LEVELS, step);
    p.kind = DESIGN_STEP;
    p.lo = lo;
    p.hi = hi;
    p.step = step;
    p.m = (size_t)levels;
    if (!(p.values = malloc(p.m * sizeof *p.values)))
        return err_set(err, SIM_ENOMEM, "parameter %s: out of memory", name);
    for (size_t i = 0; i < p.m; i++) p.values[i] = fmin(lo + (double)i * step, hi);
    s->param[s->k++] = p;
    return SIM_OK;
}

/* Adds a continuous parameter after its kind-specific checks passed. */
static sim_status add_continuous(design_space_t *s, const char *name, design_kind kind,
                                 double lo, double hi, sim_err *err) {
    design_param_t p;
    sim_status st = check_new(s, name, &p, err);
    if (st == SIM_OK) st = check_range(name, lo, hi, err);
    if (st != SIM_OK) return st;
    p.kind = kind;
    p.lo = lo;
    p.hi = hi;
    s->param[s->k++] = p;
    return SIM_OK;
}

sim_status design_space_add_uniform(design_space_t *s, const char *name, double lo,
                                    double hi, sim_err *err) {
    return add_continuous(s, name, DESIGN_UNIFORM, lo, hi, err);
}

sim_status design_space_add_loguniform(design_space_t *s, const char *name, double lo,
                                       double hi, sim_err *err) {
    if (!(lo > 0))
        return err_set(err, SIM_ESCENARIO, "parameter %s: log-uniform needs lo > 0 (got %g)",
                       name ? name : "?", lo);
    return add_continuous(s, name, DESIGN_LOGUNIFORM, lo, hi, err);
}

sim_status design_space_add_normal(design_space_t *s, const char *name, double mean,
                                   double sd, double lo, double hi, sim_err *err) {
    if (!isfinite(mean) || !isfinite(sd) || !(sd > 0))
        return err_set(err, SIM_ESCENARIO,
                       "parameter %s: normal needs a finite mean and sd > 0 (got %g, %g)",
                       name ? name : "?", mean, sd);
    sim_status st = add_continuous(s, name, DESIGN_NORMAL, lo, hi, err);
    if (st == SIM_OK) {
        s->param[s->k - 1].mean = mean;
        s->param[s->k - 1].sd = sd;
    }
    return st;
}

/* Inverse CDF of the standard normal truncated to [a, b]. Works in the lower tail (where
 * P is accurate) by reflecting intervals that lie above the mean. */
static double trunc_std_normal(double a, double b, double u) {
    if (a > 0) return -trunc_std_normal(-b, -a, 1.0 - u);
    double pa = gsl_cdf_ugaussian_P(a), pb = gsl_cdf_ugaussian_P(b);
    double z = gsl_cdf_ugaussian_Pinv(pa + u * (pb - pa));
    return isfinite(z) ? fmin(fmax(z, a), b) : (u < 0.5 ? a : b);
}

double design_quantile(const design_space_t *s, size_t j, double u) {
    const design_param_t *p = &s->param[j];
    u = isnan(u) ? 0.5 : fmin(fmax(u, 0.0), 1.0);
    switch (p->kind) {
    case DESIGN_LIST:
    case DESIGN_STEP: {
        size_t l = (size_t)(u * (double)p->m);
        return p->values[l < p->m ? l : p->m - 1];
    }
    case DESIGN_UNIFORM: return fmin(p->lo + u * (p->hi - p->lo), p->hi);
    case DESIGN_LOGUNIFORM:
        return fmin(fmax(p->lo * exp(u * log(p->hi / p->lo)), p->lo), p->hi);
    case DESIGN_NORMAL: {
        double z = trunc_std_normal((p->lo - p->mean) / p->sd, (p->hi - p->mean) / p->sd, u);
        return fmin(fmax(p->mean + p->sd * z, p->lo), p->hi);
    }
    }
    return NAN;
}

/* --- designs ------------------------------------------------------------------------- */

void design_free(design_t *d) {
    if (!d) return;
    free(d->x);
    free(d->u);
    free(d->block);
    free(d->base);
    free(d->change);
    free(d->sign);
    free(d);
}

/* Allocates a rows x k design with x and u (and block/base when asked). */
static sim_status design_alloc(design_t **out, design_type type, size_t rows, size_t k,
                               int with_base, sim_err *err) {
    *out = NULL;
    if (rows == 0 || k == 0)
        return err_set(err, SIM_ESCENARIO, "a design needs at least one row and parameter");
    if (rows > (size_t)DESIGN_MAX_CELLS / k)
        return err_set(err, SIM_ERUN, "design of %zu rows x %zu parameters is too large "
                       "(at most %d cells)", rows, k, DESIGN_MAX_CELLS);
    design_t *d = calloc(1, sizeof *d);
    if (!d) return err_set(err, SIM_ENOMEM, "design: out of memory");
    d->type = type;
    d->rows = d->n_base = rows;
    d->k = k;
    d->x = malloc(rows * k * sizeof *d->x);
    d->u = malloc(rows * k * sizeof *d->u);
    int ok = d->x && d->u;
    if (ok && with_base) {
        d->block = malloc(rows * sizeof *d->block);
        d->base = malloc(rows * sizeof *d->base);
        ok = d->block && d->base;
    }
    if (!ok) {
        design_free(d);
        return err_set(err, SIM_ENOMEM, "design of %zu rows: out of memory", rows);
    }
    *out = d;
    return SIM_OK;
}

/* x = Q(u) for every cell. */
static void map_units(design_t *d, const design_space_t *s) {
    for (size_t i = 0; i < d->rows; i++)
        for (size_t j = 0; j < d->k; j++)
            d->x[i * d->k + j] = design_quantile(s, j, d->u[i * d->k + j]);
}

sim_status design_grid(design_t **out, const design_space_t *s, sim_err *err) {
    *out = NULL;
    double rows = 1;
    for (size_t j = 0; j < s->k; j++) {
        if (s->param[j].kind != DESIGN_LIST && s->param[j].kind != DESIGN_STEP)
            return err_set(err, SIM_ESCENARIO, "grid design: parameter %s is a continuous "
                           "range; give it a list or a step", s->param[j].name);
        rows *= (double)s->param[j].m;
    }
    if (s->k > 0 && rows * (double)s->k > (double)DESIGN_MAX_CELLS)
        return err_set(err, SIM_ERUN, "grid design of %g rows is too large", rows);
    sim_status st = design_alloc(out, DESIGN_GRID, (size_t)rows, s->k, 0, err);
    if (st != SIM_OK) return st;
    design_t *d = *out;
    for (size_t i = 0; i < d->rows; i++) {
        size_t rest = i;
        for (size_t j = d->k; j-- > 0;) {
            size_t m = s->param[j].m, level = rest % m;
            rest /= m;
            d->u[i * d->k + j] = ((double)level + 0.5) / (double)m;
            d->x[i * d->k + j] = s->param[j].values[level];
        }
    }
    return SIM_OK;
}

sim_status design_lhs(design_t **out, const design_space_t *s, size_t n, const rng_t *rng,
                      uint32_t purpose, sim_err *err) {
    sim_status st = design_alloc(out, DESIGN_LHS, n, s->k, 0, err);
    if (st != SIM_OK) return st;
    design_t *d = *out;
    size_t *perm = malloc(n * sizeof *perm);
    if (!perm) {
        design_free(d);
        *out = NULL;
        return err_set(err, SIM_ENOMEM, "LHS of %zu points: out of memory", n);
    }
    for (size_t j = 0; j < d->k; j++) {
        rng_stream rs;
        rng_stream_at(&rs, rng, 0, j, purpose);
        for (size_t i = 0; i < n; i++) perm[i] = i;
        for (size_t i = n; i > 1; i--) {            /* Fisher-Yates */
            size_t r = (size_t)rng_below(&rs, i), t = perm[i - 1];
            perm[i - 1] = perm[r];
            perm[r] = t;
        }
        for (size_t i = 0; i < n; i++) {
            double lo = (double)perm[i] / (double)n, hi = (double)(perm[i] + 1) / (double)n;
            double u = ((double)perm[i] + rng_uniform(&rs)) / (double)n;
            d->u[i * d->k + j] = fmin(fmax(u, lo), nextafter(hi, 0.0));  /* rounding */
        }
    }
    free(perm);
    map_units(d, s);
    return SIM_OK;
}

/* Fills u (rows x cols, row-major) with the first rows points of a cols-dimensional
 * gsl_qrng_sobol sequence. */
static sim_status sobol_fill(double *u, size_t rows, size_t cols, sim_err *err) {
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)cols);
    if (!q) return err_set(err, SIM_ENOMEM, "Sobol sequence: out of memory");
    for (size_t i = 0; i < rows; i++) gsl_qrng_get(q, u + i * cols);
    gsl_qrng_free(q);
    return SIM_OK;
}

sim_status design_sobol(design_t **out, const design_space_t *s, size_t n, sim_err *err) {
    *out = NULL;
    if (s->k > DESIGN_SOBOL_MAX_DIM)
        return err_set(err, SIM_ESCENARIO, "Sobol design: %zu parameters, at most %d", s->k,
                       DESIGN_SOBOL_MAX_DIM);
    sim_status st = design_alloc(out, DESIGN_SOBOL, n, s->k, 0, err);
    if (st == SIM_OK) st = sobol_fill((*out)->u, n, s->k, err);
    if (st != SIM_OK) {
        design_free(*out);
        *out = NULL;
        return st;
    }
    map_units(*out, s);
    return SIM_OK;
}

/* Copies the Saltelli blocks out of the 2k-dimensional points ab (n x 2k). */
static void saltelli_layout(design_t *d, const double *ab) {
    size_t n = d->n_base, k = d->k;
    for (size_t b = 0; b < k + 2; b++)
        for (size_t j = 0; j < n; j++) {
            size_t row = b * n + j;
            const double *a = ab + j * 2 * k, *bb = a + k;
            memcpy(d->u + row * k, b == DESIGN_BLOCK_B ? bb : a, k * sizeof *d->u);
            if (b >= DESIGN_BLOCK_AB) d->u[row * k + (b - DESIGN_BLOCK_AB)] =
                bb[b - DESIGN_BLOCK_AB];
            d->block[row] = (int32_t)b;
            d->base[row] = j;
        }
}

sim_status design_saltelli(design_t **out, const design_space_t *s, size_t n, sim_err *err) {
    *out = NULL;
    if (2 * s->k > DESIGN_SOBOL_MAX_DIM)
        return err_set(err, SIM_ESCENARIO, "Saltelli design: %zu parameters, at most %d "
                       "(it draws from a %zu-dimensional Sobol sequence)", s->k,
                       DESIGN_SOBOL_MAX_DIM / 2, 2 * s->k);
    if (n == 0 || n > (size_t)DESIGN_MAX_CELLS / (s->k + 2))
        return err_set(err, SIM_ERUN, "Saltelli design: base size %zu must be 1 to %zu", n,
                       (size_t)DESIGN_MAX_CELLS / (s->k + 2));
    sim_status st = design_alloc(out, DESIGN_SALTELLI, n * (s->k + 2), s->k, 1, err);
    if (st != SIM_OK) return st;
    design_t *d = *out;
    d->n_base = n;
    double *ab = malloc(n * 2 * s->k * sizeof *ab);
    st = ab ? sobol_fill(ab, n, 2 * s->k, err)
            : err_set(err, SIM_ENOMEM, "Saltelli design: out of memory");
    if (st == SIM_OK) saltelli_layout(d, ab);
    free(ab);
    if (st != SIM_OK) {
        design_free(d);
        *out = NULL;
        return st;
    }
    map_units(d, s);
    return SIM_OK;
}

/* Fills trajectory t of d from its own stream: base levels, order, signs. */
static void morris_trajectory(design_t *d, size_t t, const rng_t *rng, uint32_t purpose,
                              uint32_t *order) {
    size_t k = d->k, half = d->levels / 2;
    double scale = 1.0 / (double)(d->levels - 1);
    rng_stream rs;
    rng_stream_at(&rs, rng, 0, t, purpose);
    double *p0 = d->u + t * (k + 1) * k;
    int8_t *sg = d->sign + t * k;
    for (size_t j = 0; j < k; j++) {
        size_t base = (size_t)rng_below(&rs, half);
        sg[j] = rng_below(&rs, 2) ? 1 : -1;
        p0[j] = (double)(sg[j] > 0 ? base : base + half) * scale;
        order[j] = (uint32_t)j;
    }
    for (size_t j = k; j > 1; j--) {                /* Fisher-Yates on the order */
        size_t r = (size_t)rng_below(&rs, j);
        uint32_t tmp = order[j - 1];
        order[j - 1] = order[r];
        order[r] = tmp;
    }
    int8_t by_param[DESIGN_MAX_PARAMS];
    memcpy(by_param, sg, k * sizeof *sg);
    for (size_t step = 0; step < k; step++) {
        uint32_t j = order[step];
        double *prev = p0 + step * k, *next = prev + k;
        memcpy(next, prev, k * sizeof *next);
        next[j] = by_param[j] > 0 ? next[j] + d->delta : next[j] - d->delta;
        next[j] = fmin(fmax(next[j], 0.0), 1.0);
        d->change[t * k + step] = j;
        sg[step] = by_param[j];
    }
}

sim_status design_morris(design_t **out, const design_space_t *s, size_t r, size_t p,
                         const rng_t *rng, uint32_t purpose, sim_err *err) {
    *out = NULL;
    if (p < 2 || p > 1000 || p % 2 != 0)
        return err_set(err, SIM_ESCENARIO, "Morris design: levels p must be even, 2 to 1000 "
                       "(got %zu)", p);
    if (r == 0 || (s->k > 0 && r > (size_t)DESIGN_MAX_CELLS / (s->k + 1)))
        return err_set(err, SIM_ESCENARIO, "Morris design: %zu trajectories is out of range",
                       r);
    sim_status st = design_alloc(out, DESIGN_MORRIS, r * (s->k + 1), s->k, 1, err);
    if (st != SIM_OK) return st;
    design_t *d = *out;
    free(d->block);
    d->block = NULL;
    d->n_base = r;
    d->levels = p;
    d->delta = (double)p / (2.0 * (double)(p - 1));
    d->change = malloc(r * s->k * sizeof *d->change);
    d->sign = malloc(r * s->k * sizeof *d->sign);
    if (!d->change || !d->sign) {
        design_free(d);
        *out = NULL;
        return err_set(err, SIM_ENOMEM, "Morris design: out of memory");
    }
    uint32_t order[DESIGN_MAX_PARAMS];
    for (size_t t = 0; t < r; t++) {
        morris_trajectory(d, t, rng, purpose, order);
        for (size_t i = 0; i <= s->k; i++) d->base[t * (s->k + 1) + i] = t;
    }
    map_units(d, s);
    return SIM_OK;
}

const char *design_block_name(const design_t *d, size_t row, char *buf, size_t len) {
    if (!d->block || row >= d->rows) snprintf(buf, len, "-");
    else if (d->block[row] == DESIGN_BLOCK_A) snprintf(buf, len, "A");
    else if (d->block[row] == DESIGN_BLOCK_B) snprintf(buf, len, "B");
    else snprintf(buf, len, "AB_%d", (int)(d->block[row] - DESIGN_BLOCK_AB + 1));
    return buf;
}
