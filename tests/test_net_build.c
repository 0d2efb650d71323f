/* tests/test_net_build.c - the layer builder (sim/society/net_build.c) against the
 * straightforward construction (net_build_reference: one thread, per-agent cursors, qsort):
 * every generator and net_from_ties must give exactly the same off/adj bytes (so the fast
 * path neither drops, repeats nor reorders a tie), with 1, 2 and 3 threads, at sizes with
 * many owner blocks and tasks, and at one with full 2^16-agent blocks. */
#include "testutil.h"

#include "net_build.h"

static void assert_same(const net_t *a, const net_t *b) {
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->m, b->m);
    assert_int_equal(a->directed, b->directed);
    assert_memory_equal(a->off, b->off, ((size_t)a->n + 1) * sizeof *a->off);
    if (a->m) assert_memory_equal(a->adj, b->adj, a->m * sizeof *a->adj);
    if (a->directed) assert_memory_equal(a->in_deg, b->in_deg, a->n * sizeof *a->in_deg);
    sim_err err = {{0}};
    if (net_validate(a, &err) != SIM_OK) fail_msg("%s", err.msg);
}

static void test_er_matches_reference(void **state) {
    (void)state;
    const struct { uint32_t n, first, count; double z; } c[] = {
        {60000, 7, 59000, 8}, {3000, 0, 3000, 300}, {2200000, 0, 2200000, 1}, {5, 0, 5, 50}};
    rng_t r;
    rng_init(&r, 11, 0);
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        net_t *ref = NULL, *g = NULL;
        assert_int_equal(net_gen_er_by(net_build_reference, &ref, c[i].n, c[i].first,
                                       c[i].count, c[i].z, &r, RNG_NET, 1, NULL), SIM_OK);
        assert_true(ref->m > 0);
        for (int t = 1; t <= 3; t++) {
            assert_int_equal(net_gen_er(&g, c[i].n, c[i].first, c[i].count, c[i].z, &r,
                                        RNG_NET, t, NULL), SIM_OK);
            assert_same(g, ref);
            net_free(g);
        }
        net_free(ref);
    }
}

static void test_ws_matches_reference(void **state) {
    (void)state;
    const double rewire[] = {0, 0.3, 1};
    rng_t r;
    rng_init(&r, 12, 0);
    for (int i = 0; i < 3; i++) {
        net_t *ref = NULL, *g = NULL;
        assert_int_equal(net_gen_ws_by(net_build_reference, &ref, 50100, 100, 50000, 6,
                                       rewire[i], &r, RNG_NET, 1, NULL), SIM_OK);
        assert_int_equal(ref->m, 300000);
        for (int t = 1; t <= 2; t++) {
            assert_int_equal(net_gen_ws(&g, 50100, 100, 50000, 6, rewire[i], &r, RNG_NET, t,
                                        NULL), SIM_OK);
            assert_same(g, ref);
            net_free(g);
        }
        net_free(ref);
    }
}

/* Degrees up to 2000 (long lists, qsort) and many erased self-loops and multi-ties. */
static void test_config_matches_reference(void **state) {
    (void)state;
    rng_t r;
    rng_init(&r, 13, 0);
    net_t *ref = NULL, *g = NULL;
    net_stats sr = {0}, sg = {0};
    assert_int_equal(net_gen_config_by(net_build_reference, &ref, 40000, 0, 40000, 2.1, 1,
                                       2000, &r, RNG_NET, 1, &sr, NULL), SIM_OK);
    assert_true(sr.duplicates > 0 && sr.self_loops > 0);
    for (int t = 1; t <= 3; t++) {
        assert_int_equal(net_gen_config_stats(&g, 40000, 0, 40000, 2.1, 1, 2000, &r, RNG_NET, t,
                                              &sg, NULL), SIM_OK);
        assert_same(g, ref);
        assert_int_equal(sg.duplicates, sr.duplicates);
        assert_int_equal(sg.self_loops, sr.self_loops);
        net_free(g);
    }
    net_free(ref);
}

static void test_sbm_matches_reference(void **state) {
    (void)state;
    enum { COUNT = 50000 };
    static uint8_t region[COUNT], group[COUNT];
    for (uint32_t i = 0; i < COUNT; i++)
        region[i] = (uint8_t)((i * 2654435761u >> 16) % 8), group[i] = (uint8_t)(i % 3);
    rng_t r;
    rng_init(&r, 14, 0);
    net_t *ref = NULL, *g = NULL;
    assert_int_equal(net_gen_sbm_by(net_build_reference, &ref, COUNT + 3, 3, COUNT, 8, region,
                                    8, group, 3, 0.6, 0.5, &r, RNG_NET, 1, NULL), SIM_OK);
    for (int t = 1; t <= 2; t++) {
        assert_int_equal(net_gen_sbm(&g, COUNT + 3, 3, COUNT, 8, region, 8, group, 3, 0.6, 0.5,
                                     &r, RNG_NET, t, NULL), SIM_OK);
        assert_same(g, ref);
        net_free(g);
    }
    net_free(ref);
}

/* Random ties with a hub (agent 5 in a tenth of them), repeats and self-loops, directed and
 * undirected: the builder's generic path, and a list far longer than a block's average. */
static void test_ties_match_reference(void **state) {
    (void)state;
    enum { N = 90000, K = 400000 };
    uint32_t *src = malloc(K * sizeof *src), *dst = malloc(K * sizeof *dst);
    assert_non_null(src), assert_non_null(dst);
    rng_t r;
    rng_init(&r, 15, 0);
    rng_stream s;
    rng_stream_at(&s, &r, 0, 0, RNG_TEST);
    for (uint32_t e = 0; e < K; e++) {
        src[e] = rng_below(&s, 10) == 0 ? 5 : (uint32_t)rng_below(&s, N);
        dst[e] = e % 50 == 0 ? src[e] : e % 7 == 0 ? src[e / 2] : (uint32_t)rng_below(&s, N);
    }
    for (int directed = 0; directed <= 1; directed++) {
        net_t *ref = NULL, *g = NULL;
        net_stats sr = {0}, sg = {0};
        assert_int_equal(net_from_ties_by(net_build_reference, &ref, N, directed, src, dst, K,
                                          &sr, NULL), SIM_OK);
        assert_true(sr.self_loops >= K / 50 && sr.duplicates > 0);
        assert_int_equal(net_from_ties(&g, N, directed, src, dst, K, &sg, NULL), SIM_OK);
        assert_same(g, ref);
        assert_int_equal(sg.self_loops, sr.self_loops);
        assert_int_equal(sg.duplicates, sr.duplicates);
        net_free(g), net_free(ref);
    }
    free(src), free(dst);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_er_matches_reference),
        cmocka_unit_test(test_ws_matches_reference),
        cmocka_unit_test(test_config_matches_reference),
        cmocka_unit_test(test_sbm_matches_reference),
        cmocka_unit_test(test_ties_match_reference),
    };
    return cmocka_run_group_tests_name("net_build", tests, NULL, NULL);
}
