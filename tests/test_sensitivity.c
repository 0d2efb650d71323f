/* tests/test_sensitivity.c - Sobol indices (Ishigami, linear model), bootstrap intervals,
 * degenerate inputs, Morris measures and the replicate mean interval. Designs are deterministic
 * (Sobol) or seeded. */
#include "testutil.h"

#include <math.h>

#include "design.h"
#include "sensitivity.h"

static const double PI = 3.14159265358979323846;
static const double ISHI_A = 7.0, ISHI_B = 0.1;

static double ishigami(const double *x) {
    double s1 = sin(x[0]), s2 = sin(x[1]);
    return s1 + ISHI_A * s2 * s2 + ISHI_B * pow(x[2], 4) * s1;
}

/* Analytic Ishigami indices from the closed-form partial variances (Ishigami & Homma 1990;
 * Sobol' & Levitan 1999): V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8, V3 = 0,
 * V13 = b^2 pi^8 (1/18 - 1/50), V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2. */
static void ishigami_truth(double S1[3], double ST[3]) {
    double a = ISHI_A, b = ISHI_B, pi4 = pow(PI, 4), pi8 = pow(PI, 8);
    double V = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
    double V1 = (1 + b * pi4 / 5) * (1 + b * pi4 / 5) / 2, V2 = a * a / 8;
    double V13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
    S1[0] = V1 / V;
    S1[1] = V2 / V;
    S1[2] = 0;
    ST[0] = (V1 + V13) / V;
    ST[1] = V2 / V;
    ST[2] = V13 / V;
}

/* Evaluates f on every row of d into a new array. */
static double *evaluate(const design_t *d, double (*f)(const double *)) {
    double *y = malloc(d->rows * sizeof *y);
    assert_non_null(y);
    for (size_t i = 0; i < d->rows; i++) y[i] = f(d->x + i * d->k);
    return y;
}

static void ishigami_space(design_space_t *s) {
    design_space_init(s);
    assert_int_equal(design_space_add_uniform(s, "x1", -PI, PI, NULL), SIM_OK);
    assert_int_equal(design_space_add_uniform(s, "x2", -PI, PI, NULL), SIM_OK);
    assert_int_equal(design_space_add_uniform(s, "x3", -PI, PI, NULL), SIM_OK);
}

/* Ishigami, n = 2^13 base rows (40960 runs), 1000 bootstrap resamples: every estimate is
 * within 0.01 of the analytic index and every 95% interval covers the truth. The design is
 * deterministic; its measured largest error is 4e-4 (quasi-Monte Carlo), so 0.01 leaves a
 * 25-fold margin for other compilers and libms while still catching a wrong estimator
 * (random-sampling error at this n would be ~0.015, the bootstrap half-width ~0.02-0.03). */
static void test_ishigami(void **state) {
    (void)state;
    design_space_t s;
    ishigami_space(&s);
    design_t *d = NULL;
    assert_int_equal(design_saltelli(&d, &s, 1 << 13, NULL), SIM_OK);
    double *y = evaluate(d, ishigami), S1[3], ST[3];
    ishigami_truth(S1, ST);
    rng_t r;
    rng_init(&r, 2024, 0);
    sens_sobol_t *o = NULL;
    assert_int_equal(sens_sobol(&o, d, y, SENS_BOOT_DEFAULT, &r, RNG_TEST, NULL), SIM_OK);
    assert_int_equal(o->n_boot, SENS_BOOT_DEFAULT);
    double worst = 0;
    for (int i = 0; i < 3; i++) {
        print_message("x%d  S1 %.4f (true %.4f) [%.4f, %.4f]   ST %.4f (true %.4f) "
                      "[%.4f, %.4f]\n", i + 1, o->S1[i], S1[i], o->S1_lo[i], o->S1_hi[i],
                      o->ST[i], ST[i], o->ST_lo[i], o->ST_hi[i]);
        worst = fmax(worst, fmax(fabs(o->S1[i] - S1[i]), fabs(o->ST[i] - ST[i])));
        assert_true(o->S1_lo[i] <= S1[i] && S1[i] <= o->S1_hi[i]);
        assert_true(o->ST_lo[i] <= ST[i] && ST[i] <= o->ST_hi[i]);
        assert_true(o->S1_lo[i] <= o->S1[i] + 0.01 && o->S1[i] - 0.01 <= o->S1_hi[i]);
    }
    print_message("Ishigami n = 8192: largest |error| %.4f\n", worst);
    assert_true(worst <= 0.01);
    sens_sobol_free(o);
    free(y);
    design_free(d);
    design_space_clear(&s);
}

/* A linear model y = sum c_i x_i with independent inputs has S_i = S_Ti =
 * c_i^2 Var(x_i) / sum_j c_j^2 Var(x_j). Uniform: Var = (hi-lo)^2/12; log-uniform on
 * [a, b] with L = ln(b/a): E = (b-a)/L, E[x^2] = (b^2-a^2)/(2L). x4 is inactive. */
static const double LIN_C[4] = {1.0, 0.5, 0.3, 0.0};

static double linear(const double *x) {
    return LIN_C[0] * x[0] + LIN_C[1] * x[1] + LIN_C[2] * x[2] + LIN_C[3] * x[3];
}

static void test_linear(void **state) {
    (void)state;
    design_space_t s;
    design_space_init(&s);
    assert_int_equal(design_space_add_uniform(&s, "x1", 0, 1, NULL), SIM_OK);
    assert_int_equal(design_space_add_uniform(&s, "x2", -2, 2, NULL), SIM_OK);
    assert_int_equal(design_space_add_loguniform(&s, "x3", 1, 8, NULL), SIM_OK);
    assert_int_equal(design_space_add_uniform(&s, "x4", 0, 10, NULL), SIM_OK);
    double L = log(8.0), m3 = 7.0 / L, var[4] = {1.0 / 12, 16.0 / 12, 63.0 / (2 * L) - m3 * m3,
                                                100.0 / 12};
    double tot = 0, truth[4];
    for (int i = 0; i < 4; i++) tot += LIN_C[i] * LIN_C[i] * var[i];
    for (int i = 0; i < 4; i++) truth[i] = LIN_C[i] * LIN_C[i] * var[i] / tot;
    design_t *d = NULL;
    assert_int_equal(design_saltelli(&d, &s, 1 << 12, NULL), SIM_OK);
    double *y = evaluate(d, linear);
    sens_sobol_t *o = NULL;
    assert_int_equal(sens_sobol(&o, d, y, 0, NULL, 0, NULL), SIM_OK);
    for (int i = 0; i < 4; i++) {              /* tolerance 0.01 (errors seen < 1e-3) */
        assert_true(fabs(o->S1[i] - truth[i]) <= 0.01);
        assert_true(fabs(o->ST[i] - truth[i]) <= 0.01);
        assert_true(isnan(o->S1_lo[i]) && isnan(o->ST_hi[i]));
    }
    assert_true(o->S1[3] == 0 && o->ST[3] == 0);   /* inactive: AB_4 rows equal A rows */
    /* Adding a constant leaves the indices unchanged (to rounding, 1e-6). */
    for (size_t i = 0; i < d->rows; i++) y[i] += 1e6;
    sens_sobol_t *o2 = NULL;
    assert_int_equal(sens_sobol(&o2, d, y, 0, NULL, 0, NULL), SIM_OK);
    for (int i = 0; i < 4; i++) {
        assert_true(fabs(o2->S1[i] - o->S1[i]) < 1e-6);
        assert_true(fabs(o2->ST[i] - o->ST[i]) < 1e-6);
    }
    sens_sobol_free(o);
    sens_sobol_free(o2);
    free(y);
    design_free(d);
    design_space_clear(&s);
}

/* The bootstrap is a pure function of (seed, purpose); another seed moves the bounds. */
static void test_bootstrap_determinism(void **state) {
    (void)state;
    design_space_t s;
    ishigami_space(&s);
    design_t *d = NULL;
    assert_int_equal(design_saltelli(&d, &s, 256, NULL), SIM_OK);
    double *y = evaluate(d, ishigami);
    rng_t r, r2;
    rng_init(&r, 5, 0);
    rng_init(&r2, 6, 0);
    sens_sobol_t *a = NULL, *b = NULL, *c = NULL;
    assert_int_equal(sens_sobol(&a, d, y, 200, &r, RNG_TEST, NULL), SIM_OK);
    assert_int_equal(sens_sobol(&b, d, y, 200, &r, RNG_TEST, NULL), SIM_OK);
    assert_int_equal(sens_sobol(&c, d, y, 200, &r2, RNG_TEST, NULL), SIM_OK);
    assert_memory_equal(a->S1_lo, b->S1_lo, 3 * sizeof(double));
    assert_memory_equal(a->ST_hi, b->ST_hi, 3 * sizeof(double));
    assert_true(a->S1_lo[0] != c->S1_lo[0]);
    for (int i = 0; i < 3; i++) assert_true(a->S1_lo[i] < a->S1_hi[i]);
    sens_sobol_free(a);
    sens_sobol_free(b);
    sens_sobol_free(c);
    free(y);
    design_free(d);
    design_space_clear(&s);
}

/* Constant outputs, non-finite outputs and the wrong design are refused. */
static void test_sobol_errors(void **state) {
    (void)state;
    design_space_t s;
    ishigami_space(&s);
    design_t *d = NULL, *lhs = NULL;
    assert_int_equal(design_saltelli(&d, &s, 8, NULL), SIM_OK);
    double y[40];
    for (int i = 0; i < 40; i++) y[i] = 0.1;
    sim_err err = {{0}};
    sens_sobol_t *o = NULL;
    rng_t r;
    rng_init(&r, 1, 0);
    assert_int_equal(sens_sobol(&o, d, y, 10, &r, RNG_TEST, &err), SIM_ERUN);
    assert_null(o);
    assert_contains(err.msg, "zero variance");
    for (int i = 0; i < 40; i++) y[i] = i;
    y[29] = NAN;                                  /* block AB_2 (rows 24..31), base 5 */
    assert_int_equal(sens_sobol(&o, d, y, 10, &r, RNG_TEST, &err), SIM_ERUN);
    assert_contains(err.msg, "row 29 (block AB_2, base index 5) is nan");
    y[29] = INFINITY;
    assert_int_equal(sens_sobol(&o, d, y, 10, &r, RNG_TEST, &err), SIM_ERUN);
    y[29] = 29;
    assert_int_equal(sens_sobol(&o, d, y, 10, NULL, RNG_TEST, &err), SIM_ESCENARIO);
    assert_int_equal(design_lhs(&lhs, &s, 40, &r, RNG_TEST, NULL), SIM_OK);
    assert_int_equal(sens_sobol(&o, lhs, y, 0, NULL, 0, &err), SIM_ESCENARIO);
    assert_contains(err.msg, "Saltelli design");
    assert_null(o);
    sens_sobol_free(NULL);
    design_free(d);
    design_free(lhs);
    design_space_clear(&s);
}

/* Morris on f = 2 x1 - 3 x2 + x4^2 (x3 inactive) over uniform ranges: linear terms give
 * constant effects c (hi - lo) (sigma 0), x3 gives mu* = 0 exactly, x4 varies (sigma > 0). */
static double morris_f(const double *x) { return 2 * x[0] - 3 * x[1] + x[3] * x[3]; }

static void test_morris(void **state) {
    (void)state;
    design_space_t s;
    design_space_init(&s);
    assert_int_equal(design_space_add_uniform(&s, "x1", 0, 1, NULL), SIM_OK);
    assert_int_equal(design_space_add_uniform(&s, "x2", -1, 3, NULL), SIM_OK);
    assert_int_equal(design_space_add_uniform(&s, "x3", 0, 5, NULL), SIM_OK);
    assert_int_equal(design_space_add_uniform(&s, "x4", 0, 2, NULL), SIM_OK);
    rng_t r;
    rng_init(&r, 9, 0);
    design_t *d = NULL;
    assert_int_equal(design_morris(&d, &s, 30, 4, &r, RNG_TEST, NULL), SIM_OK);
    double *y = evaluate(d, morris_f);
    sens_morris_t *m = NULL;
    assert_int_equal(sens_morris(&m, d, y, NULL), SIM_OK);
    assert_int_equal(m->r, 30);
    assert_true(fabs(m->mu[0] - 2.0) < 1e-9 && fabs(m->mu_star[0] - 2.0) < 1e-9);
    assert_true(fabs(m->mu[1] + 12.0) < 1e-9 && fabs(m->mu_star[1] - 12.0) < 1e-9);
    assert_true(m->sigma[0] < 1e-9 && m->sigma[1] < 1e-9);
    assert_true(m->mu_star[2] == 0 && m->mu[2] == 0 && m->sigma[2] == 0);
    assert_true(m->mu_star[3] > 1 && m->sigma[3] > 0.5);   /* EE of x^2: 2 (2x+h)(h>0) */
    sim_err err = {{0}};
    sens_morris_t *bad = NULL;
    y[17] = NAN;
    assert_int_equal(sens_morris(&bad, d, y, &err), SIM_ERUN);
    assert_contains(err.msg, "row 17 (trajectory 3)");
    assert_null(bad);
    sens_morris_free(NULL);
    sens_morris_free(m);
    free(y);
    design_free(d);
    design_space_clear(&s);
}

/* Replicate mean and 95% t half-width: {1,2,3,4} (NaN and inf skipped) has mean 2.5,
 * s = sqrt(5/3), t(0.975, 3) = 3.182446305284263 (tables), half = 2.0542..; fewer than two
 * finite values leave the half-width NaN. */
static void test_mean_ci95(void **state) {
    (void)state;
    const double v[] = {1, NAN, 2, 3, INFINITY, 4};
    double mean, half;
    assert_int_equal(sens_mean_ci95(v, 6, &mean, &half), 4);
    assert_true(mean == 2.5);
    assert_true(fabs(half - 3.182446305284263 * sqrt(5.0 / 3.0) / 2.0) < 1e-12);
    assert_int_equal(sens_mean_ci95(v, 2, &mean, &half), 1);
    assert_true(mean == 1.0);
    assert_true(isnan(half));
    assert_int_equal(sens_mean_ci95(v + 1, 1, &mean, &half), 0);
    assert_true(isnan(mean) && isnan(half));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ishigami),     cmocka_unit_test(test_linear),
        cmocka_unit_test(test_bootstrap_determinism), cmocka_unit_test(test_sobol_errors),
        cmocka_unit_test(test_morris), cmocka_unit_test(test_mean_ci95),
    };
    return cmocka_run_group_tests_name("sensitivity", tests, NULL, NULL);
}
