/* tests/test_auc.c - the AUC's radix ranking (sim/engine/auc.c) against the comparison sort
 * it replaced in exposure.c (qsort with a float comparator, then Mann-Whitney over runs of
 * equal scores): on random scores with many ties (fixed seeds 1-20, scores from a few
 * values, -0 and +0 among them, and from the full float range), the radix order holds the
 * same scores in the same order, the same labels in each tie, and the AUC is bit-identical
 * (exposure_auc and auc_of_keys); keys of every byte pattern sort as unsigned integers. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "auc.h"
#include "rng.h"
#include "state.h"

/* ---- the comparison sort the radix sort replaces (exposure.c before, verbatim) -------- */

typedef struct scored { float u; uint32_t y; } scored;

static int cmp_scored(const void *a, const void *b) {
    float x = ((const scored *)a)->u, y = ((const scored *)b)->u;
    return (x > y) - (x < y);
}

static double auc_sorted(const scored *v, size_t n) {
    double pos = 0, rank_sum = 0;
    for (size_t k = 0; k < n;) {
        size_t e = k;
        while (e < n && v[e].u == v[k].u) e++;
        double mid = (double)(k + e + 1) / 2;
        for (size_t j = k; j < e; j++)
            if (v[j].y) pos++, rank_sum += mid;
        k = e;
    }
    double neg = (double)n - pos;
    if (pos == 0 || neg == 0) return NAN;
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

static float key_score(uint64_t k) {   /* auc_order_bits inverted */
    uint32_t b = (uint32_t)(k >> 1);
    b = b >> 31 ? b & 0x7fffffffu : ~b;
    float u;
    memcpy(&u, &b, sizeof u);
    return u;
}

/* n random scores: mode 0 from 7 values (ties, -0 and +0 among them), mode 1 any finite
 * float of random bits, mode 2 the points-regime public view (k/1001, k < 50, plus 2). */
static void draw(rng_stream *rs, int mode, size_t n, double *score, uint8_t *y) {
    static const double few[7] = {-3.5, -0.0, 0.0, 0.25, 1.0, 2.0, 1e30};
    for (size_t i = 0; i < n; i++) {
        if (mode == 0) score[i] = few[rng_below(rs, 7)];
        else if (mode == 1) {
            uint32_t b;
            do b = (uint32_t)rng_below(rs, UINT32_MAX);
            while (((b >> 23) & 0xff) == 0xff);   /* no inf or NaN */
            float f;
            memcpy(&f, &b, sizeof f);
            score[i] = f;
        } else score[i] = 2.0 * (double)rng_below(rs, 2) + (double)rng_below(rs, 50) / 1001;
        y[i] = (uint8_t)rng_below(rs, 2);
    }
}

static void check_one(const double *score, const uint8_t *y, size_t n) {
    scored *v = malloc((n + 1) * sizeof *v);
    uint64_t *key = malloc((2 * n + 1) * sizeof *key);
    assert_non_null(v);
    assert_non_null(key);
    for (size_t i = 0; i < n; i++)
        v[i] = (scored){(float)score[i], y[i]}, key[i] = auc_key((float)score[i], y[i]);
    qsort(v, n, sizeof *v, cmp_scored);
    auc_radix_sort(key, key + n, n, 1);
    for (size_t k = 0; k < n;) {   /* tie by tie: same score, same size, same positives */
        size_t e = k, pos_old = 0, pos_new = 0;
        while (e < n && v[e].u == v[k].u) e++;
        for (size_t j = k; j < e; j++) {
            assert_true(key_score(key[j]) == v[k].u);
            pos_old += v[j].y, pos_new += key[j] & 1;
        }
        assert_true(e == n || key_score(key[e]) != v[k].u);
        assert_int_equal(pos_old, pos_new);
        k = e;
    }
    double old = auc_sorted(v, n), now = exposure_auc(score, y, n);
    assert_true(isnan(old) ? isnan(now) : memcmp(&old, &now, sizeof old) == 0);
    free(v);
    free(key);
}

static void test_same_as_qsort(void **state) {
    (void)state;
    enum { N = 5000 };
    double *score = malloc(N * sizeof *score);
    uint8_t *y = malloc(N);
    assert_non_null(score);
    assert_non_null(y);
    for (uint64_t seed = 1; seed <= 20; seed++) {
        rng_t r;
        rng_stream rs;
        rng_init(&r, seed, 0);
        rng_stream_at(&rs, &r, 0, 0, RNG_TEST);
        for (int mode = 0; mode < 3; mode++) {
            size_t n = 1 + (size_t)rng_below(&rs, N);
            draw(&rs, mode, n, score, y);
            check_one(score, y, n);
        }
    }
    const double u[4] = {1, 1, 1, 1};
    const uint8_t none[4] = {0, 0, 0, 0};
    check_one(u, none, 4);   /* one class: NaN both ways */
    check_one(u, none, 0);
    free(score);
    free(y);
}

/* Whole 64-bit keys (every byte varies) come out in unsigned order, a permutation. */
static void test_radix_keys(void **state) {
    (void)state;
    enum { N = 3000 };
    uint64_t key[2 * N], copy[N];
    rng_t r;
    rng_stream rs;
    rng_init(&r, 7, 0);
    rng_stream_at(&rs, &r, 0, 0, RNG_TEST);
    for (size_t i = 0; i < N; i++) {
        key[i] = (uint64_t)rng_below(&rs, UINT32_MAX) << 32 | rng_below(&rs, UINT32_MAX);
        if (i % 3 == 0) key[i] = key[i / 2];   /* repeats */
        copy[i] = key[i];
    }
    auc_radix_sort(key, key + N, N, 1);
    for (size_t i = 1; i < N; i++) assert_true(key[i - 1] <= key[i]);
    uint64_t sum_a = 0, sum_b = 0, x_a = 0, x_b = 0;
    for (size_t i = 0; i < N; i++)
        sum_a += key[i], sum_b += copy[i], x_a ^= key[i] * 0x9e3779b97f4a7c15u,
        x_b ^= copy[i] * 0x9e3779b97f4a7c15u;
    assert_true(sum_a == sum_b && x_a == x_b);
    assert_true(auc_order_bits(-0.0f) == auc_order_bits(0.0f));
    assert_true(auc_order_bits(-1.0f) < auc_order_bits(-0.5f));
    assert_true(auc_order_bits(0.5f) < auc_order_bits(1.0f));
}

/* The sort with 2, 3 and AUC_MAX_THREADS + 4 threads (capped) gives the array one thread
 * gives, for sizes at and above AUC_PARALLEL_MIN (the parallel passes run) with many
 * repeats and bytes that vary in some keys only (skipped passes), and so the same AUC. */
static void test_threads_same_order(void **state) {
    (void)state;
    const size_t sizes[] = {AUC_PARALLEL_MIN, AUC_PARALLEL_MIN + 777, 300001};
    rng_t r;
    rng_stream rs;
    rng_init(&r, 11, 0);
    rng_stream_at(&rs, &r, 0, 0, RNG_TEST);
    for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
        const size_t n = sizes[z];
        uint64_t *one = malloc(2 * n * sizeof *one), *many = malloc(2 * n * sizeof *many);
        assert_non_null(one);
        assert_non_null(many);
        for (size_t i = 0; i < n; i++)   /* bytes 0-2 and 5 vary: 3 and 4 are skipped */
            one[i] = rng_below(&rs, 1u << 24) | (uint64_t)rng_below(&rs, 3) << 40;
        for (size_t i = 0; i < n; i += 5) one[i] = one[i / 2];   /* repeats */
        const int threads[] = {2, 3, AUC_MAX_THREADS + 4};
        for (int k = 0; k < 3; k++) {
            memcpy(many, one, n * sizeof *one);
            auc_radix_sort(many, many + n, n, threads[k]);
            if (k == 0) {
                uint64_t *ref = malloc(n * sizeof *ref);
                assert_non_null(ref);
                memcpy(ref, one, n * sizeof *one);
                auc_radix_sort(ref, one + n, n, 1);
                memcpy(one, ref, n * sizeof *one);
                free(ref);
                for (size_t i = 1; i < n; i++) assert_true(one[i - 1] <= one[i]);
            }
            assert_memory_equal(many, one, n * sizeof *one);
        }
        memcpy(many, one, n * sizeof *one);
        double a1 = auc_of_keys(one, one + n, n, 1), a2 = auc_of_keys(many, many + n, n, 2);
        assert_true(a1 > 0 && a1 < 1 && memcmp(&a1, &a2, sizeof a1) == 0);
        free(one);
        free(many);
    }
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Arrays larger than a part sorted in the cache (the MSD steps run, and with threads the
 * team's, with one digit value holding most keys, which is then split again): the sorted
 * array equals qsort's, with 1, 2 and 3 threads; and the AUC equals the serial Mann-Whitney
 * of earlier versions (auc_sorted's loop over the keys) bit for bit, with tie groups that
 * straddle the threads' split of the scan. Fixed seed 13. */
static void test_large_parts(void **state) {
    (void)state;
    enum { N = 400003 };
    uint64_t *src = malloc(N * sizeof *src), *ref = malloc(N * sizeof *ref);
    uint64_t *k = malloc(2 * N * sizeof *k);
    assert_non_null(src);
    assert_non_null(ref);
    assert_non_null(k);
    rng_t r;
    rng_stream rs;
    rng_init(&r, 13, 0);
    rng_stream_at(&rs, &r, 0, 0, RNG_TEST);
    for (int mode = 0; mode < 4; mode++) {
        for (size_t i = 0; i < N; i++) {
            uint64_t hi = rng_below(&rs, UINT32_MAX), lo = rng_below(&rs, UINT32_MAX);
            if (mode == 0) src[i] = hi << 32 | lo;                     /* every bit varies */
            else if (mode == 1)   /* 90% under one top digit: a part too large, split again */
                src[i] = (rng_below(&rs, 10) ? 0x5a5ull << 53 : hi << 32) | lo;
            else if (mode == 2) src[i] = rng_below(&rs, 3000) << 1 | (lo & 1);   /* ties */
            else src[i] = (uint64_t)rng_below(&rs, 5) << 40 | (lo & 0x7ff);   /* few values */
        }
        memcpy(ref, src, N * sizeof *src);
        qsort(ref, N, sizeof *ref, cmp_u64);
        double pos = 0, rank_sum = 0;   /* auc_sorted over the keys */
        for (size_t a = 0; a < N;) {
            size_t e = a;
            while (e < N && ref[e] >> 1 == ref[a] >> 1) e++;
            for (size_t j = a; j < e; j++)
                if (ref[j] & 1) pos++, rank_sum += (double)(a + e + 1) / 2;
            a = e;
        }
        const double want = (rank_sum - pos * (pos + 1) / 2) / (pos * ((double)N - pos));
        for (int threads = 1; threads <= 3; threads++) {
            memcpy(k, src, N * sizeof *src);
            auc_radix_sort(k, k + N, N, threads);
            assert_memory_equal(k, ref, N * sizeof *ref);
            memcpy(k, src, N * sizeof *src);
            double got = auc_of_keys(k, k + N, N, threads);
            assert_true(memcmp(&got, &want, sizeof got) == 0);
        }
    }
    free(src);
    free(ref);
    free(k);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_qsort),
        cmocka_unit_test(test_radix_keys),
        cmocka_unit_test(test_threads_same_order),
        cmocka_unit_test(test_large_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
