/* tests/test_design.c - parameter spaces, quantiles, and the grid, LHS, Sobol, Saltelli and
 * Morris designs. */
#include "testutil.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_qrng.h>
#include <math.h>

#include "design.h"

/* Each add rejects a bad parameter with SIM_ESCENARIO and leaves the space unchanged. */
static void test_space_errors(void **state) {
    (void)state;
    design_space_t s;
    design_space_init(&s);
    sim_err err = {{0}};
    const double v[] = {1.0, NAN};
    assert_int_equal(design_space_add_uniform(&s, "a", 1, 1, &err), SIM_ESCENARIO);
    assert_contains(err.msg, "lo < hi");
    assert_int_equal(design_space_add_uniform(&s, "a", 0, INFINITY, &err), SIM_ESCENARIO);
    assert_int_equal(design_space_add_loguniform(&s, "a", 0, 1, &err), SIM_ESCENARIO);
    assert_contains(err.msg, "lo > 0");
    assert_int_equal(design_space_add_step(&s, "a", 0, 1, 0, &err), SIM_ESCENARIO);
    assert_int_equal(design_space_add_step(&s, "a", 0, 1, 1e-9, &err), SIM_ESCENARIO);
    assert_int_equal(design_space_add_normal(&s, "a", 0, 0, -1, 1, &err), SIM_ESCENARIO);
    assert_contains(err.msg, "sd > 0");
    assert_int_equal(design_space_add_list(&s, "a", v, 0, &err), SIM_ESCENARIO);
    assert_int_equal(design_space_add_list(&s, "a", v, 2, &err), SIM_ESCENARIO);
    assert_contains(err.msg, "value 2 is not finite");
    assert_int_equal(design_space_add_uniform(&s, "", 0, 1, &err), SIM_ESCENARIO);
    assert_int_equal(s.k, 0);
    assert_int_equal(design_space_add_uniform(&s, "a", 0, 1, &err), SIM_OK);
    assert_int_equal(design_space_add_uniform(&s, "a", 0, 1, &err), SIM_ESCENARIO);
    assert_contains(err.msg, "given twice");
    for (int i = 1; i < DESIGN_MAX_PARAMS; i++) {
        char name[32];
        snprintf(name, sizeof name, "p%d", i);
        assert_int_equal(design_space_add_uniform(&s, name, 0, 1, &err), SIM_OK);
    }
    assert_int_equal(design_space_add_uniform(&s, "z", 0, 1, &err), SIM_ESCENARIO);
    assert_int_equal(s.k, DESIGN_MAX_PARAMS);
    design_space_clear(&s);
    design_space_clear(NULL);
}

/* Quantiles: end points, medians, and the truncated normal's CDF round trip (1e-9). */
static void test_quantiles(void **state) {
    (void)state;
    design_space_t s;
    design_space_init(&s);
    const double v[] = {5, 1, 3};
    assert_int_equal(design_space_add_uniform(&s, "u", -2, 6, NULL), SIM_OK);
    assert_int_equal(design_space_add_loguniform(&s, "l", 1e-3, 10, NULL), SIM_OK);
    assert_int_equal(design_space_add_normal(&s, "n", 1, 2, -1, 4, NULL), SIM_OK);
    assert_int_equal(design_space_add_normal(&s, "t", 0, 1, 3, 5, NULL), SIM_OK);
    assert_int_equal(design_space_add_list(&s, "d", v, 3, NULL), SIM_OK);
    assert_true(design_quantile(&s, 0, 0) == -2 && design_quantile(&s, 0, 1) == 6);
    assert_true(fabs(design_quantile(&s, 0, 0.25) - 0.0) < 1e-12);
    assert_true(fabs(design_quantile(&s, 1, 0.5) - sqrt(1e-3 * 10)) < 1e-12);
    assert_true(fabs(design_quantile(&s, 2, 0) + 1) < 1e-9);
    assert_true(fabs(design_quantile(&s, 2, 1) - 4) < 1e-9);
    for (size_t j = 2; j <= 3; j++) {           /* P(X <= Q(u)) = u on [lo, hi] */
        const design_param_t *p = &s.param[j];
        double za = (p->lo - p->mean) / p->sd, zb = (p->hi - p->mean) / p->sd;
        double pa = gsl_cdf_ugaussian_P(za), pb = gsl_cdf_ugaussian_P(zb), prev = p->lo;
        for (double u = 0.05; u < 1; u += 0.1) {
            double x = design_quantile(&s, j, u);
            double cdf = (gsl_cdf_ugaussian_P((x - p->mean) / p->sd) - pa) / (pb - pa);
            assert_true(fabs(cdf - u) < 1e-9 && x > prev && x < p->hi);
            prev = x;
        }
    }
    assert_true(design_quantile(&s, 4, 0) == 5 && design_quantile(&s, 4, 0.4) == 1);
    assert_true(design_quantile(&s, 4, 0.99) == 3 && design_quantile(&s, 4, 1) == 3);
    assert_true(s.param[4].lo == 1 && s.param[4].hi == 5);
    design_space_clear(&s);
}

/* Grid: size is the product of the levels, the last parameter varies fastest, and a step
 * range includes hi despite rounding (0:0.1:1 has 11 levels). */
static void test_grid(void **state) {
    (void)state;
    design_space_t s;
    design_space_init(&s);
    const double v[] = {10, 20, 30};
    assert_int_equal(design_space_add_list(&s, "a", v, 3, NULL), SIM_OK);
    assert_int_equal(design_space_add_step(&s, "b", 0, 1, 0.1, NULL), SIM_OK);
    assert_int_equal(design_space_add_step(&s, "c", -1, 1, 2, NULL), SIM_OK);
    design_t *d = NULL;
    assert_int_equal(design_grid(&d, &s, NULL), SIM_OK);
    assert_int_equal(d->rows, 3 * 11 * 2);
    assert_int_equal(d->k, 3);
    assert_null(d->block);
    for (size_t i = 0; i < d->rows; i++) {
        size_t c = i % 2, b = (i / 2) % 11, a = i / 22;
        assert_true(d->x[i * 3 + 0] == v[a]);
        assert_true(fabs(d->x[i * 3 + 1] - 0.1 * (double)b) < 1e-12);
        assert_true(d->x[i * 3 + 2] == (c ? 1.0 : -1.0));
        for (size_t j = 0; j < 3; j++)
            assert_true(design_quantile(&s, j, d->u[i * 3 + j]) == d->x[i * 3 + j]);
    }
    assert_true(d->x[(d->rows - 1) * 3 + 1] == 1.0);
    design_free(d);
    sim_err err = {{0}};
    assert_int_equal(design_space_add_uniform(&s, "r", 0, 1, NULL), SIM_OK);
    assert_int_equal(design_grid(&d, &s, &err), SIM_ESCENARIO);
    assert_null(d);
    assert_contains(err.msg, "parameter r");
    design_space_clear(&s);
}

/* A space of k uniform [0, 1] parameters, where x = u. */
static void unit_space(design_space_t *s, size_t k) {
    design_space_init(s);
    for (size_t j = 0; j < k; j++) {
        char name[32];
        snprintf(name, sizeof name, "x%zu", j + 1);
        assert_int_equal(design_space_add_uniform(s, name, 0, 1, NULL), SIM_OK);
    }
}

/* LHS: each of the n strata of every dimension holds exactly one point; the design is a
 * pure function of (seed, run, purpose). */
static void test_lhs(void **state) {
    (void)state;
    design_space_t s;
    unit_space(&s, 3);
    assert_int_equal(design_space_add_loguniform(&s, "l", 0.1, 100, NULL), SIM_OK);
    const size_t n = 97;
    rng_t r, r2;
    rng_init(&r, 7, 0);
    rng_init(&r2, 8, 0);
    design_t *d = NULL, *e = NULL, *f = NULL, *g = NULL;
    assert_int_equal(design_lhs(&d, &s, n, &r, RNG_TEST, NULL), SIM_OK);
    assert_int_equal(d->rows, n);
    for (size_t j = 0; j < s.k; j++) {
        int seen[97] = {0};
        for (size_t i = 0; i < n; i++) {
            double u = d->u[i * s.k + j];
            assert_true(u >= 0 && u < 1);
            seen[(size_t)(u * (double)n)]++;
            assert_true(d->x[i * s.k + j] == design_quantile(&s, j, u));
        }
        for (size_t l = 0; l < n; l++) assert_int_equal(seen[l], 1);
    }
    assert_int_equal(design_lhs(&e, &s, n, &r, RNG_TEST, NULL), SIM_OK);
    assert_memory_equal(d->u, e->u, n * s.k * sizeof *d->u);
    assert_int_equal(design_lhs(&f, &s, n, &r2, RNG_TEST, NULL), SIM_OK);
    assert_true(memcmp(d->u, f->u, n * s.k * sizeof *d->u) != 0);
    assert_int_equal(design_lhs(&g, &s, n, &r, RNG_TEST + 1, NULL), SIM_OK);
    assert_true(memcmp(d->u, g->u, n * s.k * sizeof *d->u) != 0);
    design_free(d);
    design_free(e);
    design_free(f);
    design_free(g);
    design_space_clear(&s);
}

/* Sobol design rows are gsl_qrng_sobol's points in order, starting at (1/2, ..., 1/2). */
static void test_sobol(void **state) {
    (void)state;
    design_space_t s;
    unit_space(&s, 5);
    design_t *d = NULL;
    assert_int_equal(design_sobol(&d, &s, 256, NULL), SIM_OK);
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, 5);
    double v[5];
    for (size_t i = 0; i < 256; i++) {
        gsl_qrng_get(q, v);
        assert_memory_equal(d->u + i * 5, v, sizeof v);
        assert_memory_equal(d->x + i * 5, v, sizeof v);
    }
    for (size_t j = 0; j < 5; j++) assert_true(d->u[j] == 0.5);
    gsl_qrng_free(q);
    design_free(d);
    design_space_clear(&s);
    sim_err err = {{0}};
    unit_space(&s, DESIGN_SOBOL_MAX_DIM + 1);
    assert_int_equal(design_sobol(&d, &s, 8, &err), SIM_ESCENARIO);
    assert_null(d);
    assert_contains(err.msg, "at most 40");
    design_space_clear(&s);
}

/* Saltelli: rows A, B, AB_1..AB_k from a 2k-dimensional Sobol sequence, with block and base
 * recorded; mapped to parameter units. */
static void test_saltelli_layout(void **state) {
    (void)state;
    design_space_t s;
    design_space_init(&s);
    assert_int_equal(design_space_add_uniform(&s, "a", -1, 1, NULL), SIM_OK);
    assert_int_equal(design_space_add_uniform(&s, "b", 0, 1, NULL), SIM_OK);
    assert_int_equal(design_space_add_uniform(&s, "c", 0, 1, NULL), SIM_OK);
    const size_t n = 64, k = 3;
    design_t *d = NULL;
    assert_int_equal(design_saltelli(&d, &s, n, NULL), SIM_OK);
    assert_int_equal(d->rows, n * (k + 2));
    assert_int_equal(d->n_base, n);
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, 2 * k);
    double ab[6];
    char name[32];
    for (size_t j = 0; j < n; j++) {
        gsl_qrng_get(q, ab);
        for (size_t b = 0; b < k + 2; b++) {
            size_t row = b * n + j;
            assert_int_equal(d->block[row], b);
            assert_int_equal(d->base[row], j);
            for (size_t c = 0; c < k; c++) {
                int from_b = b == DESIGN_BLOCK_B || b == DESIGN_BLOCK_AB + c;
                assert_true(d->u[row * k + c] == ab[c + (from_b ? k : 0)]);
            }
        }
        assert_true(d->x[j * k] == -1 + 2 * ab[0]);
    }
    assert_string_equal(design_block_name(d, 0, name, sizeof name), "A");
    assert_string_equal(design_block_name(d, n, name, sizeof name), "B");
    assert_string_equal(design_block_name(d, 4 * n + 5, name, sizeof name), "AB_3");
    gsl_qrng_free(q);
    design_free(d);
    design_space_clear(&s);
    sim_err err = {{0}};
    unit_space(&s, 21);
    assert_int_equal(design_saltelli(&d, &s, 8, &err), SIM_ESCENARIO);
    assert_contains(err.msg, "at most 20");
    design_space_clear(&s);
}

/* Checks one Morris trajectory: each step changes exactly the recorded parameter by the
 * recorded sign times delta (1e-12); every parameter changes once; all points in [0, 1]. */
static void check_trajectory(const design_t *d, size_t t, int *signs) {
    size_t k = d->k;
    int changed[8] = {0};
    for (size_t step = 0; step < k; step++) {
        const double *a = d->u + (t * (k + 1) + step) * k, *b = a + k;
        uint32_t i = d->change[t * k + step];
        assert_true(i < k);
        changed[i]++;
        signs[d->sign[t * k + step] > 0]++;
        for (size_t j = 0; j < k; j++) {
            assert_true(b[j] >= 0 && b[j] <= 1 && a[j] >= 0 && a[j] <= 1);
            double want = j == i ? d->sign[t * k + step] * d->delta : 0.0;
            assert_true(fabs(b[j] - a[j] - want) < 1e-12);
        }
    }
    for (size_t j = 0; j < k; j++) assert_int_equal(changed[j], 1);
}

static void test_morris(void **state) {
    (void)state;
    design_space_t s;
    unit_space(&s, 5);
    rng_t r;
    rng_init(&r, 3, 0);
    for (size_t p = 2; p <= 8; p += 2) {
        design_t *d = NULL, *e = NULL;
        assert_int_equal(design_morris(&d, &s, 40, p, &r, RNG_TEST, NULL), SIM_OK);
        assert_int_equal(d->rows, 40 * 6);
        assert_true(fabs(d->delta - (double)p / (2.0 * (double)(p - 1))) < 1e-15);
        int signs[2] = {0, 0};
        for (size_t t = 0; t < 40; t++) check_trajectory(d, t, signs);
        assert_true(signs[0] > 0 && signs[1] > 0);        /* orientation is randomised */
        for (size_t i = 0; i < d->rows * d->k; i++) {     /* on the p-level grid */
            double l = d->u[i] * (double)(p - 1);
            assert_true(fabs(l - round(l)) < 1e-9);
        }
        assert_int_equal(design_morris(&e, &s, 40, p, &r, RNG_TEST, NULL), SIM_OK);
        assert_memory_equal(d->u, e->u, d->rows * d->k * sizeof *d->u);
        assert_memory_equal(d->change, e->change, 40 * 5 * sizeof *d->change);
        design_free(d);
        design_free(e);
    }
    sim_err err = {{0}};
    design_t *d = NULL;
    assert_int_equal(design_morris(&d, &s, 4, 5, &r, RNG_TEST, &err), SIM_ESCENARIO);
    assert_contains(err.msg, "even");
    assert_int_equal(design_morris(&d, &s, 0, 4, &r, RNG_TEST, &err), SIM_ESCENARIO);
    assert_null(d);
    design_space_clear(&s);
}

/* Empty spaces, zero rows and oversized designs are refused with the documented codes. */
static void test_design_errors(void **state) {
    (void)state;
    design_space_t s;
    design_space_init(&s);
    design_t *d = NULL;
    sim_err err = {{0}};
    rng_t r;
    rng_init(&r, 1, 0);
    assert_int_equal(design_lhs(&d, &s, 10, &r, RNG_TEST, &err), SIM_ESCENARIO);
    assert_int_equal(design_sobol(&d, &s, 10, &err), SIM_ESCENARIO);
    unit_space(&s, 2);
    assert_int_equal(design_lhs(&d, &s, 0, &r, RNG_TEST, &err), SIM_ESCENARIO);
    assert_int_equal(design_saltelli(&d, &s, 0, &err), SIM_ERUN);
    assert_int_equal(design_lhs(&d, &s, (size_t)1 << 30, &r, RNG_TEST, &err), SIM_ERUN);
    assert_contains(err.msg, "too large");
    assert_null(d);
    design_space_clear(&s);
    for (int j = 0; j < 4; j++) {
        char name[32];
        snprintf(name, sizeof name, "s%d", j);
        assert_int_equal(design_space_add_step(&s, name, 0, 1, 1e-3, NULL), SIM_OK);
    }
    assert_int_equal(design_grid(&d, &s, &err), SIM_ERUN);   /* 1001^4 rows */
    assert_null(d);
    design_free(NULL);
    design_space_clear(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_space_errors), cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_grid),         cmocka_unit_test(test_lhs),
        cmocka_unit_test(test_sobol),        cmocka_unit_test(test_saltelli_layout),
        cmocka_unit_test(test_morris),       cmocka_unit_test(test_design_errors),
    };
    return cmocka_run_group_tests_name("design", tests, NULL, NULL);
}
