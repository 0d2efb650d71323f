/* tests/test_rng.c - Philox known answers, stream keying, samplers. */
#include "testutil.h"

#include <gsl/gsl_randist.h>
#include <math.h>

#include "rng.h"

/* Known-answer vectors of Random123's kat_vectors for philox4x32_10. */
static void test_philox_known_answers(void **state) {
    (void)state;
    uint32_t out[4];
    const uint32_t c0[4] = {0, 0, 0, 0}, k0[2] = {0, 0};
    rng_philox4x32(c0, k0, out);
    assert_int_equal(out[0], 0x6627e8d5u);
    assert_int_equal(out[1], 0xe169c58du);
    assert_int_equal(out[2], 0xbc57ac4cu);
    assert_int_equal(out[3], 0x9b00dbd8u);
    const uint32_t c1[4] = {0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu};
    const uint32_t k1[2] = {0xffffffffu, 0xffffffffu};
    rng_philox4x32(c1, k1, out);
    assert_int_equal(out[0], 0x408f276du);
    assert_int_equal(out[1], 0x41c83b0eu);
    assert_int_equal(out[2], 0xa20bc7c6u);
    assert_int_equal(out[3], 0x6d5451fdu);
    const uint32_t c2[4] = {0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u};
    const uint32_t k2[2] = {0xa4093822u, 0x299f31d0u};
    rng_philox4x32(c2, k2, out);
    assert_int_equal(out[0], 0xd16cfe09u);
    assert_int_equal(out[1], 0x94fdccebu);
    assert_int_equal(out[2], 0x5001e420u);
    assert_int_equal(out[3], 0x24126ea1u);
}

/* A stream is a pure function of its key; any key component changes it. */
static void test_stream_keying(void **state) {
    (void)state;
    rng_t r, r2, r3;
    rng_init(&r, 42, 0);
    rng_init(&r2, 43, 0);
    rng_init(&r3, 42, 1);
    rng_stream a, b;
    rng_stream_at(&a, &r, 5, 7, RNG_VIOLATE);
    rng_stream_at(&b, &r, 5, 7, RNG_VIOLATE);
    for (int i = 0; i < 100; i++) assert_int_equal(rng_u32(&a), rng_u32(&b));
    uint32_t base;
    rng_stream_at(&a, &r, 5, 7, RNG_VIOLATE);
    base = rng_u32(&a);
    rng_stream_at(&b, &r, 6, 7, RNG_VIOLATE);
    assert_int_not_equal(base, rng_u32(&b));
    rng_stream_at(&b, &r, 5, 8, RNG_VIOLATE);
    assert_int_not_equal(base, rng_u32(&b));
    rng_stream_at(&b, &r, 5, 7 + (1ull << 32), RNG_VIOLATE);
    assert_int_not_equal(base, rng_u32(&b));
    rng_stream_at(&b, &r, 5, 7, RNG_FALSE);
    assert_int_not_equal(base, rng_u32(&b));
    rng_stream_at(&b, &r2, 5, 7, RNG_VIOLATE);
    assert_int_not_equal(base, rng_u32(&b));
    rng_stream_at(&b, &r3, 5, 7, RNG_VIOLATE);
    assert_int_not_equal(base, rng_u32(&b));
}

/* Uniform mean and variance over 1e6 draws: tolerance 5 standard errors. */
static void test_uniform_moments(void **state) {
    (void)state;
    rng_t r;
    rng_init(&r, 1, 0);
    rng_stream s;
    rng_stream_at(&s, &r, 0, 0, RNG_TEST);
    const int n = 1000000;
    double sum = 0, sq = 0;
    for (int i = 0; i < n; i++) {
        double u = rng_uniform(&s);
        assert_true(u >= 0.0 && u < 1.0);
        sum += u;
        sq += u * u;
    }
    double mean = sum / n, var = sq / n - mean * mean;
    assert_true(fabs(mean - 0.5) < 5 * sqrt(1.0 / 12 / n));
    assert_true(fabs(var - 1.0 / 12) < 5 * sqrt(1.0 / 180 / n));
}

/* rng_below is uniform: chi-square over 10 cells, 1e5 draws, p > 1e-4 (27.9 at 9 df). */
static void test_below_uniform(void **state) {
    (void)state;
    rng_t r;
    rng_init(&r, 9, 0);
    rng_stream s;
    rng_stream_at(&s, &r, 0, 0, RNG_TEST);
    long cnt[10] = {0};
    const int n = 100000;
    for (int i = 0; i < n; i++) {
        uint64_t x = rng_below(&s, 10);
        assert_true(x < 10);
        cnt[x]++;
    }
    double chi = 0;
    for (int c = 0; c < 10; c++) chi += (cnt[c] - n / 10.0) * (cnt[c] - n / 10.0) / (n / 10.0);
    assert_true(chi < 27.9);
}

/* The geometric gap has mean (1-p)/p; skipping gives Bernoulli(p) thinning. 5 s.e. */
static void test_geometric_gap_mean(void **state) {
    (void)state;
    rng_t r;
    rng_init(&r, 3, 0);
    rng_stream s;
    rng_stream_at(&s, &r, 0, 0, RNG_TEST);
    const double p = 0.01;
    const int n = 200000;
    double sum = 0;
    for (int i = 0; i < n; i++) sum += (double)rng_geometric_gap(&s, p);
    double mean = sum / n, expect = (1 - p) / p, sd = sqrt(1 - p) / p;
    assert_true(fabs(mean - expect) < 5 * sd / sqrt(n));
    assert_int_equal(rng_geometric_gap(&s, 1.0), 0);
}

/* rng_geometric_gap_log with a precomputed rng_gap_log(p) returns exactly what
 * rng_geometric_gap(p) returns and leaves the stream at the same place: 60 rates from 1e-300
 * to 1 (and the rates the engine uses), 2000 gaps each on two identically keyed streams. */
static void test_geometric_gap_log_identical(void **state) {
    (void)state;
    rng_t r;
    rng_init(&r, 17, 4);
    double rates[64];
    int nr = 0;
    for (int k = 0; k < 50; k++) rates[nr++] = pow(10.0, -300.0 + 6.0 * k);   /* 1e-300..1e-6 */
    const double more[] = {1e-3, 0.001 * 0.5, 0.01, 0.0123456789, 0.1, 0.5, 0.75,
                           0.999999, 1.0 - 0x1p-52, 1.0};
    for (int k = 0; k < 10; k++) rates[nr++] = more[k];
    assert_true(rng_gap_log(1.0) == 0 && rng_gap_log(2.0) == 0 && rng_gap_log(0.5) < 0);
    for (int k = 0; k < nr; k++) {
        rng_stream a, b;
        rng_stream_at(&a, &r, (uint32_t)k, 9, RNG_TEST);
        rng_stream_at(&b, &r, (uint32_t)k, 9, RNG_TEST);
        double lq = rng_gap_log(rates[k]);
        assert_true(rates[k] >= 1.0 || lq < 0);
        for (int i = 0; i < 2000; i++) {
            uint64_t ga = rng_geometric_gap(&a, rates[k]), gb = rng_geometric_gap_log(&b, lq);
            if (ga != gb) fail_msg("rate %g gap %d: %llu != %llu", rates[k], i,
                                   (unsigned long long)ga, (unsigned long long)gb);
        }
        assert_int_equal(rng_u32(&a), rng_u32(&b));   /* the same draws consumed */
    }
}

/* GSL samplers run on our type, and rng_gsl_at repositions deterministically. */
static void test_gsl_type(void **state) {
    (void)state;
    gsl_rng *g = rng_gsl_new();
    assert_non_null(g);
    assert_string_equal(gsl_rng_name(g), "scsim-philox");
    rng_t r;
    rng_init(&r, 11, 2);
    rng_gsl_at(g, &r, 3, 4, RNG_TEST);
    double a = gsl_ran_beta(g, 2.0, 5.0);
    unsigned int k = gsl_ran_poisson(g, 3.0);
    rng_gsl_at(g, &r, 3, 4, RNG_TEST);
    assert_true(gsl_ran_beta(g, 2.0, 5.0) == a);
    assert_int_equal(gsl_ran_poisson(g, 3.0), k);
    /* Beta(2,5) mean 2/7 over 1e5 draws, 5 s.e. (sd = 0.16). */
    double sum = 0;
    for (int i = 0; i < 100000; i++) sum += gsl_ran_beta(g, 2.0, 5.0);
    assert_true(fabs(sum / 100000 - 2.0 / 7) < 5 * 0.16 / sqrt(100000));
    gsl_rng_free(g);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_philox_known_answers), cmocka_unit_test(test_stream_keying),
        cmocka_unit_test(test_uniform_moments),      cmocka_unit_test(test_below_uniform),
        cmocka_unit_test(test_geometric_gap_mean),   cmocka_unit_test(test_gsl_type),
        cmocka_unit_test(test_geometric_gap_log_identical),
    };
    return cmocka_run_group_tests_name("rng", tests, NULL, NULL);
}
