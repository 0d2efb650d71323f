/* tests/test_net.c - CSR layers: generators (ER, WS, config, SBM), ties, CSV import.
 * Statistical checks use fixed seeds and a tolerance of 5 standard errors unless stated.
 * Fixtures are read from tests/data/ relative to the working directory (the repository). */
#include "testutil.h"

#include <math.h>

#include "net.h"

#define DATA "tests/data/"

/* Every invariant, and all arcs inside [first, first + count). */
static void check_layer(const net_t *g, uint32_t first, uint32_t count) {
    sim_err err = {{0}};
    if (net_validate(g, &err) != SIM_OK) fail_msg("%s", err.msg);
    for (uint32_t i = 0; i < g->n; i++) {
        if (i >= first && i < first + count) continue;
        assert_int_equal(net_degree(g, i), 0);
    }
    for (uint64_t a = 0; a < g->m; a++)
        assert_true(g->adj[a] >= first && g->adj[a] < first + count);
}

static void assert_same_layer(const net_t *a, const net_t *b) {
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->m, b->m);
    assert_int_equal(a->shift, b->shift);
    assert_memory_equal(a->off32, b->off32, ((size_t)a->n + 1) * sizeof *a->off32);
    assert_memory_equal(a->base, b->base, (((size_t)a->n >> a->shift) + 1) * sizeof *a->base);
    if (a->m) assert_memory_equal(a->adj, b->adj, a->m * sizeof *a->adj);
}

static void assert_neighbours(const net_t *g, uint32_t i, const uint32_t *want, int k) {
    assert_int_equal(net_degree(g, i), k);
    for (int e = 0; e < k; e++) assert_int_equal(g->adj[net_begin(g, i) + e], want[e]);
}

static uint32_t max_degree(const net_t *g) {
    uint64_t mx = 0;
    for (uint32_t i = 0; i < g->n; i++) mx = net_degree(g, i) > mx ? net_degree(g, i) : mx;
    return (uint32_t)mx;
}

static void test_empty_and_bytes(void **state) {
    (void)state;
    net_t *g = NULL;
    assert_int_equal(net_empty(&g, 5, 1, NULL), SIM_OK);
    assert_int_equal(g->m, 0);
    assert_non_null(g->in_deg);
    assert_int_equal(net_in_degree(g, 4), 0);
    check_layer(g, 0, 0);
    net_free(g);
    net_free(NULL);
    assert_int_equal(net_bytes(10, 20, 0), sizeof(net_t) + 11 * 4 + 8 + 20 * 4);
    assert_int_equal(net_bytes(10, 20, 1), sizeof(net_t) + 11 * 4 + 8 + 20 * 4 + 10 * 4);
    /* 4 B per agent of offsets and 8 B per 2^16 agents of bases, whatever the arcs */
    assert_true(net_bytes(100000000, 5000000000ull, 0) ==
                sizeof(net_t) + 100000001ull * 4 + 1526 * 8 + 20000000000ull);
}

/* G(n, p) at n = 20000, z = 8: mean degree (sd sqrt(2 z (1-p) / n)) and the degree variance
 * (binomial (n-1) p (1-p); sd of the sample variance about sqrt((mu4 - sigma^4) / n) with
 * the Poisson mu4 = 3 z^2 + z). Pinned arc count for seed 1. */
static void test_er_degree_moments(void **state) {
    (void)state;
    const uint32_t n = 20000;
    const double z = 8, p = z / (n - 1);
    rng_t r;
    rng_init(&r, 1, 0);
    net_t *g = NULL;
    assert_int_equal(net_gen_er(&g, n, 0, n, z, &r, RNG_NET, 2, NULL), SIM_OK);
    check_layer(g, 0, n);
    double sum = 0, sq = 0;
    for (uint32_t i = 0; i < n; i++) {
        double d = (double)net_degree(g, i);
        sum += d, sq += d * d;
    }
    double mean = sum / n, var = sq / n - mean * mean, bvar = (n - 1) * p * (1 - p);
    assert_true(fabs(mean - z) < 5 * sqrt(2 * z * (1 - p) / n));
    assert_true(fabs(var - bvar) < 5 * sqrt((3 * z * z + z - z * z) / n));
    assert_int_equal(g->m, 159586);   /* pinned: seed 1, run 0, RNG_NET */
    net_free(g);
}

static void test_er_small(void **state) {
    (void)state;
    rng_t r;
    rng_init(&r, 2, 0);
    net_t *g = NULL;
    assert_int_equal(net_gen_er(&g, 10, 3, 5, 0.0, &r, RNG_NET, 1, NULL), SIM_OK);
    assert_int_equal(g->m, 0);
    check_layer(g, 3, 5);
    net_free(g);
    assert_int_equal(net_gen_er(&g, 1, 0, 1, 8.0, &r, RNG_NET, 1, NULL), SIM_OK);
    assert_int_equal(g->m, 0);
    net_free(g);
    assert_int_equal(net_gen_er(&g, 4, 2, 2, 1.0, &r, RNG_NET, 1, NULL), SIM_OK);   /* p = 1 */
    assert_int_equal(g->m, 2);
    assert_true(net_has_arc(g, 2, 3) && net_has_arc(g, 3, 2));
    net_free(g);
    assert_int_equal(net_gen_er(&g, 8, 1, 5, 50.0, &r, RNG_NET, 1, NULL), SIM_OK);   /* p = 1 */
    check_layer(g, 1, 5);
    for (uint32_t i = 1; i < 6; i++) assert_int_equal(net_degree(g, i), 4);
    net_free(g);
    assert_int_equal(net_gen_er(&g, 0, 0, 0, 3.0, &r, RNG_NET, 1, NULL), SIM_OK);
    assert_int_equal(g->n, 0);
    net_free(g);
}

static void test_er_errors(void **state) {
    (void)state;
    rng_t r;
    rng_init(&r, 2, 0);
    net_t *g = (net_t *)&r;
    sim_err err = {{0}};
    assert_int_equal(net_gen_er(&g, 10, 5, 6, 2.0, &r, RNG_NET, 1, &err), SIM_ESCENARIO);
    assert_null(g);
    assert_contains(err.msg, "outside");
    assert_int_equal(net_gen_er(&g, 10, 0, 10, -1.0, &r, RNG_NET, 1, &err), SIM_ESCENARIO);
    assert_int_equal(net_gen_er(&g, 10, 0, 10, NAN, &r, RNG_NET, 1, &err), SIM_ESCENARIO);
    assert_contains(err.msg, "mean degree");
}

/* 1, 2 and 3 threads give the same bytes; another seed gives another layer. */
static void test_er_threads(void **state) {
    (void)state;
    rng_t r, r2;
    rng_init(&r, 5, 0);
    rng_init(&r2, 6, 0);
    net_t *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    assert_int_equal(net_gen_er(&a, 40000, 100, 39000, 6, &r, RNG_NET + 2, 1, NULL), SIM_OK);
    assert_int_equal(net_gen_er(&b, 40000, 100, 39000, 6, &r, RNG_NET + 2, 2, NULL), SIM_OK);
    assert_int_equal(net_gen_er(&c, 40000, 100, 39000, 6, &r, RNG_NET + 2, 3, NULL), SIM_OK);
    assert_int_equal(net_gen_er(&d, 40000, 100, 39000, 6, &r2, RNG_NET + 2, 2, NULL), SIM_OK);
    check_layer(a, 100, 39000);
    assert_same_layer(a, b);
    assert_same_layer(a, c);
    assert_true(a->m != d->m || memcmp(a->adj, d->adj, a->m * sizeof *a->adj) != 0);
    net_free(a), net_free(b), net_free(c), net_free(d);
}

/* Rewire 0: the exact ring, k = 4 from z = 4.2, ids offset by first = 5. */
static void test_ws_ring(void **state) {
    (void)state;
    rng_t r;
    rng_init(&r, 3, 0);
    net_t *g = NULL;
    assert_int_equal(net_gen_ws(&g, 110, 5, 100, 4.2, 0.0, &r, RNG_NET, 2, NULL), SIM_OK);
    check_layer(g, 5, 100);
    assert_int_equal(g->m, 400);
    const uint32_t n0[] = {6, 7, 103, 104}, n50[] = {53, 54, 56, 57}, n99[] = {5, 6, 102, 103};
    assert_neighbours(g, 5, n0, 4);
    assert_neighbours(g, 55, n50, 4);
    assert_neighbours(g, 104, n99, 4);
    net_free(g);
    assert_int_equal(net_gen_ws(&g, 5, 0, 5, 10, 0.0, &r, RNG_NET, 1, NULL), SIM_OK);
    for (uint32_t i = 0; i < 5; i++) assert_int_equal(net_degree(g, i), 4);   /* h capped */
    net_free(g);
}

/* Rewiring keeps every tie (degree sum count * k) and rewires a share `rewire` of them
 * (ties reaching beyond the lattice; sd sqrt(b (1-b) / ties)); 1 vs 2 threads identical. */
static void test_ws_rewire(void **state) {
    (void)state;
    rng_t r;
    rng_init(&r, 4, 0);
    const uint32_t count = 20000;
    net_t *a = NULL, *b = NULL;
    assert_int_equal(net_gen_ws(&a, count, 0, count, 6, 0.3, &r, RNG_NET, 1, NULL), SIM_OK);
    assert_int_equal(net_gen_ws(&b, count, 0, count, 6, 0.3, &r, RNG_NET, 2, NULL), SIM_OK);
    check_layer(a, 0, count);
    assert_same_layer(a, b);
    assert_int_equal(a->m, (uint64_t)count * 6);
    uint64_t far = 0;
    for (uint32_t i = 0; i < count; i++)
        for (uint64_t e = net_begin(a, i), e_end = net_end(a, i); e < e_end; e++) {
            uint32_t d = a->adj[e] > i ? a->adj[e] - i : i - a->adj[e];
            far += (d < count - d ? d : count - d) > 3;
        }
    double share = far / (double)a->m, ties = count * 3.0;
    assert_true(fabs(share - 0.3) < 5 * sqrt(0.3 * 0.7 / ties));
    net_free(a), net_free(b);
}

/* Tiny rings with rewire 1: mutual picks are frequent and must be redrawn, never lost. */
static void test_ws_tiny_rings(void **state) {
    (void)state;
    for (uint64_t seed = 0; seed < 200; seed++) {
        rng_t r;
        rng_init(&r, seed, 0);
        net_t *g = NULL;
        assert_int_equal(net_gen_ws(&g, 12, 0, 12, 4, 1.0, &r, RNG_NET, 1, NULL), SIM_OK);
        check_layer(g, 0, 12);
        assert_int_equal(g->m, 48);
        net_free(g);
        assert_int_equal(net_gen_ws(&g, 6, 0, 6, 4, 1.0, &r, RNG_NET, 1, NULL), SIM_OK);
        check_layer(g, 0, 6);   /* no agent beyond the lattice: every tie stays */
        assert_int_equal(g->m, 24);
        net_free(g);
    }
    sim_err err = {{0}};
    net_t *g = NULL;
    rng_t r;
    rng_init(&r, 1, 0);
    assert_int_equal(net_gen_ws(&g, 10, 0, 10, 4, 1.5, &r, RNG_NET, 1, &err), SIM_ESCENARIO);
    assert_contains(err.msg, "rewiring");
}

/* Power law on 2..300, exponent 2.5: degrees never above kmax; the mean is the truncated
 * law's (5 sd, counting erased ties back in; under 3 % erased); the tail far heavier than
 * ER's at the same mean. */
static void test_config(void **state) {
    (void)state;
    const uint32_t count = 20000, kmin = 2, kmax = 300;
    rng_t r;
    rng_init(&r, 7, 0);
    net_t *a = NULL, *b = NULL, *er = NULL;
    net_stats st;
    assert_int_equal(net_gen_config_stats(&a, count + 10, 10, count, 2.5, kmin, kmax, &r,
                                          RNG_NET, 1, &st, NULL), SIM_OK);
    assert_int_equal(net_gen_config(&b, count + 10, 10, count, 2.5, kmin, kmax, &r, RNG_NET, 2,
                                    NULL), SIM_OK);
    check_layer(a, 10, count);
    assert_same_layer(a, b);
    assert_true(max_degree(a) <= kmax);
    double k1 = 0, k2 = 0, den = 0;
    for (uint32_t k = kmin; k <= kmax; k++)
        k1 += pow(k, -1.5), k2 += pow(k, -0.5), den += pow(k, -2.5);
    double expect = k1 / den, sd = sqrt(k2 / den - expect * expect);
    /* the drawn stub sum: kept arcs plus two stubs per erased tie */
    double drawn = (double)(a->m + 2 * (st.self_loops + st.duplicates)) / count;
    assert_true(fabs(drawn - expect) < 5 * sd / sqrt(count) + 1.0 / count);
    assert_true(st.self_loops + st.duplicates > 0);
    assert_true(st.self_loops + st.duplicates < 0.03 * a->m / 2);
    double mean = (double)a->m / count;
    assert_int_equal(net_gen_er(&er, count, 0, count, mean, &r, RNG_NET, 1, NULL), SIM_OK);
    assert_true(max_degree(a) > 3 * max_degree(er));
    net_free(a), net_free(b), net_free(er);
}

static void test_config_edges(void **state) {
    (void)state;
    rng_t r;
    rng_init(&r, 8, 0);
    net_t *g = NULL;
    sim_err err = {{0}};
    assert_int_equal(net_gen_config(&g, 10, 0, 10, 2.0, 0, 5, &r, RNG_NET, 1, &err),
                     SIM_ESCENARIO);
    assert_int_equal(net_gen_config(&g, 10, 0, 10, 2.0, 6, 5, &r, RNG_NET, 1, &err),
                     SIM_ESCENARIO);
    assert_contains(err.msg, "kmin");
    assert_int_equal(net_gen_config(&g, 10, 0, 1, 2.0, 1, 5, &r, RNG_NET, 1, NULL), SIM_OK);
    assert_int_equal(g->m, 0);
    net_free(g);
    /* kmax beyond the members: capped; kmin = kmax = 3 on 7 members (odd sum) */
    assert_int_equal(net_gen_config(&g, 7, 0, 7, 2.0, 3, 3, &r, RNG_NET, 1, NULL), SIM_OK);
    check_layer(g, 0, 7);
    assert_true(max_degree(g) <= 3);
    net_free(g);
    assert_int_equal(net_gen_config(&g, 5, 0, 5, 2.0, 10, 20, &r, RNG_NET, 1, NULL), SIM_OK);
    check_layer(g, 0, 5);   /* kmin and kmax capped at 4: degrees 4 drawn, some erased */
    assert_true(max_degree(g) <= 4 && g->m > 0);
    net_free(g);
    assert_int_equal(net_gen_config(&g, 50, 0, 50, 1.0, 1, 1000, &r, RNG_NET, 1, NULL), SIM_OK);
    check_layer(g, 0, 50);
    net_free(g);
}

/* Shares of arcs within the region and within the group. */
static void shares(const net_t *g, const uint8_t *region, const uint8_t *group, double *hr,
                   double *hg) {
    uint64_t sr = 0, sg = 0;
    for (uint32_t i = 0; i < g->n; i++)
        for (uint64_t e = net_begin(g, i), e_end = net_end(g, i); e < e_end; e++) {
            sr += region[i] == region[g->adj[e]];
            sg += group[i] == group[g->adj[e]];
        }
    *hr = sr / (double)g->m;
    *hg = sg / (double)g->m;
}

/* 4 equal regions (of 5 declared: one empty) x 2 groups, z = 10, h = 0.7 and 0.6: shares
 * within 0.015 (about 5 sd at 2e5 ties), mean degree within 5 sd. */
static void test_sbm_shares(void **state) {
    (void)state;
    const uint32_t n = 40000;
    uint8_t *region = malloc(n), *group = malloc(n);
    for (uint32_t i = 0; i < n; i++) region[i] = i % 4, group[i] = (i / 4) % 2;
    rng_t r;
    rng_init(&r, 9, 0);
    net_t *a = NULL, *b = NULL;
    assert_int_equal(net_gen_sbm(&a, n, 0, n, 10, region, 5, group, 2, 0.7, 0.6, &r, RNG_NET,
                                 1, NULL), SIM_OK);
    assert_int_equal(net_gen_sbm(&b, n, 0, n, 10, region, 5, group, 2, 0.7, 0.6, &r, RNG_NET,
                                 2, NULL), SIM_OK);
    check_layer(a, 0, n);
    assert_same_layer(a, b);
    double hr, hg;
    shares(a, region, group, &hr, &hg);
    assert_true(fabs(hr - 0.7) < 0.015 && fabs(hg - 0.6) < 0.015);
    assert_true(fabs((double)a->m / n - 10) < 5 * sqrt(2 * 10.0 / n));
    net_free(a), net_free(b);
    free(region), free(group);
}

/* h = 1 and h = 0 are exact; one region makes h_region irrelevant; bad input. */
static void test_sbm_extremes(void **state) {
    (void)state;
    const uint32_t n = 3000;
    uint8_t *region = malloc(n), *group = malloc(n), *one = calloc(n, 1);
    for (uint32_t i = 0; i < n; i++) region[i] = i % 3, group[i] = (i / 3) % 2;
    rng_t r;
    rng_init(&r, 10, 0);
    net_t *g = NULL;
    double hr, hg;
    assert_int_equal(net_gen_sbm(&g, n + 5, 5, n, 6, region, 3, group, 2, 1.0, 0.0, &r,
                                 RNG_NET, 2, NULL), SIM_OK);
    check_layer(g, 5, n);
    net_free(g);
    assert_int_equal(net_gen_sbm(&g, n, 0, n, 6, region, 3, group, 2, 1.0, 0.0, &r, RNG_NET,
                                 2, NULL), SIM_OK);
    shares(g, region, group, &hr, &hg);
    assert_true(hr == 1.0 && hg == 0.0);
    net_free(g);
    assert_int_equal(net_gen_sbm(&g, n, 0, n, 6, one, 1, group, 2, 0.0, 0.5, &r, RNG_NET, 2,
                                 NULL), SIM_OK);
    check_layer(g, 0, n);
    assert_true(fabs((double)g->m / n - 6) < 5 * sqrt(12.0 / n));
    net_free(g);
    sim_err err = {{0}};
    assert_int_equal(net_gen_sbm(&g, n, 0, n, 6, region, 2, group, 2, 0.5, 0.5, &r, RNG_NET, 1,
                                 &err), SIM_ESCENARIO);
    assert_contains(err.msg, "region 2");
    assert_int_equal(net_gen_sbm(&g, 30, 0, 30, 20, region, 3, group, 2, 1.0, 1.0, &r, RNG_NET,
                                 1, &err), SIM_ESCENARIO);
    assert_contains(err.msg, "> 1");
    free(region), free(group), free(one);
}

static void test_csv_good(void **state) {
    (void)state;
    net_t *g = NULL;
    net_stats st;
    sim_err err = {{0}};
    assert_int_equal(net_read_csv(&g, DATA "net_good.csv", 20, 10, 6, 0, &st, &err), SIM_OK);
    check_layer(g, 10, 6);
    assert_int_equal(st.lines, 6);
    assert_int_equal(st.self_loops, 1);
    assert_int_equal(st.duplicates, 1);
    assert_int_equal(g->m, 8);
    const uint32_t n10[] = {11, 12}, n14[] = {15};
    assert_neighbours(g, 10, n10, 2);
    assert_neighbours(g, 14, n14, 1);
    assert_int_equal(net_degree(g, 13), 0);
    net_free(g);
    assert_int_equal(net_read_csv(&g, DATA "net_good.csv", 16, 10, 6, 1, &st, &err), SIM_OK);
    check_layer(g, 10, 6);
    assert_int_equal(st.duplicates, 0);   /* 1->0 is not 0->1 when directed */
    assert_int_equal(g->m, 5);
    assert_int_equal(net_in_degree(g, 10), 2);
    assert_int_equal(net_in_degree(g, 15), 1);
    assert_int_equal(net_degree(g, 11), 2);
    net_free(g);
}

static void expect_csv_error(const char *file, const char *where, const char *what) {
    char path[256];
    snprintf(path, sizeof path, DATA "%s", file);
    net_t *g = (net_t *)path;
    sim_err err = {{0}};
    assert_int_equal(net_read_csv(&g, path, 6, 0, 6, 0, NULL, &err), SIM_ESCENARIO);
    assert_null(g);
    assert_contains(err.msg, where);
    assert_contains(err.msg, what);
}

static void test_csv_bad(void **state) {
    (void)state;
    expect_csv_error("net_bad_nonnum.csv", "net_bad_nonnum.csv:3:", "not a non-negative");
    expect_csv_error("net_bad_fields.csv", "net_bad_fields.csv:3:", "found 3");
    expect_csv_error("net_bad_onefield.csv", "net_bad_onefield.csv:3:", "found 1");
    expect_csv_error("net_bad_negative.csv", "net_bad_negative.csv:2:", "negative");
    expect_csv_error("net_bad_range.csv", "net_bad_range.csv:4:", "out of range");
    expect_csv_error("net_bad_long.csv", "net_bad_long.csv:2:", "longer than");
    expect_csv_error("net_bad_empty.csv", "net_bad_empty.csv:2:", "source \"\"");
    net_t *g = NULL;
    sim_err err = {{0}};
    assert_int_equal(net_read_csv(&g, DATA "no_such_file.csv", 6, 0, 6, 0, NULL, &err),
                     SIM_EIO);
    assert_contains(err.msg, DATA "no_such_file.csv");
    assert_int_equal(net_read_csv(&g, DATA "net_good.csv", 6, 2, 6, 0, NULL, &err),
                     SIM_ESCENARIO);
}

static void test_from_ties(void **state) {
    (void)state;
    /* ties: 0-1, 1-0 (repeat when undirected), 2-2 (loop), 0-1 (repeat), 3-0, 0-3 */
    const uint32_t src[] = {0, 1, 2, 0, 3, 0}, dst[] = {1, 0, 2, 1, 0, 3};
    net_t *g = NULL;
    net_stats st;
    assert_int_equal(net_from_ties(&g, 5, 0, src, dst, 6, &st, NULL), SIM_OK);
    check_layer(g, 0, 5);
    assert_int_equal(st.self_loops, 1);
    assert_int_equal(st.duplicates, 3);
    assert_int_equal(g->m, 4);
    assert_null(g->in_deg);
    net_free(g);
    assert_int_equal(net_from_ties(&g, 5, 1, src, dst, 6, &st, NULL), SIM_OK);
    check_layer(g, 0, 5);
    assert_int_equal(st.self_loops, 1);
    assert_int_equal(st.duplicates, 1);
    assert_int_equal(g->m, 4);
    assert_int_equal(net_in_degree(g, 0), 2);
    assert_int_equal(net_in_degree(g, 1), 1);
    assert_int_equal(net_in_degree(g, 3), 1);
    assert_int_equal(net_degree(g, 0), 2);
    net_free(g);
    sim_err err = {{0}};
    const uint32_t bad[] = {0, 5};
    assert_int_equal(net_from_ties(&g, 5, 0, bad, src, 2, &st, &err), SIM_ESCENARIO);
    assert_null(g);
    assert_contains(err.msg, "tie 1");
    assert_int_equal(net_from_ties(&g, 3, 1, NULL, NULL, 0, NULL, NULL), SIM_OK);
    assert_int_equal(g->m, 0);
    net_free(g);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_bytes), cmocka_unit_test(test_er_degree_moments),
        cmocka_unit_test(test_er_small),        cmocka_unit_test(test_er_errors),
        cmocka_unit_test(test_er_threads),      cmocka_unit_test(test_ws_ring),
        cmocka_unit_test(test_ws_rewire),       cmocka_unit_test(test_ws_tiny_rings),
        cmocka_unit_test(test_config),          cmocka_unit_test(test_config_edges),
        cmocka_unit_test(test_sbm_shares),      cmocka_unit_test(test_sbm_extremes),
        cmocka_unit_test(test_csv_good),        cmocka_unit_test(test_csv_bad),
        cmocka_unit_test(test_from_ties),
    };
    return cmocka_run_group_tests_name("net", tests, NULL, NULL);
}
