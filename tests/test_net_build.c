/* tests/test_net_build.c - the layer builder (sim/society/net_build.c) against the
 * straightforward construction (net_build_reference: one thread, per-agent cursors, qsort):
 * every generator and net_from_ties must give exactly the same offset (off32, base) and adj
 * bytes (so the fast path neither drops, repeats nor reorders a tie), with 1, 2 and 3
 * threads, at sizes with many owner blocks and tasks, and at one with full 2^16-agent blocks.
 * Also the offsets themselves (net.h): whole indices past 2^32 through 32-bit words and a
 * base per block, on hand-made offsets (a layer of 2^32 arcs would take 16 GB). */
#include "testutil.h"

#include "net_build.h"

static void assert_same(const net_t *a, const net_t *b) {
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->m, b->m);
    assert_int_equal(a->directed, b->directed);
    assert_int_equal(a->shift, b->shift);
    assert_memory_equal(a->off32, b->off32, ((size_t)a->n + 1) * sizeof *a->off32);
    assert_memory_equal(a->base, b->base, (((size_t)a->n >> a->shift) + 1) * sizeof *a->base);
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

/* Offsets of 10 agents in blocks of 4 (shift 2), whole indices up to 3 * 2^32: agent 3, the
 * last of block 0, begins at 2^32 - 1 and ends in block 1 at 2^32 + 7 (its end is not
 * computable from block 0's base and off32[4]); agent 7's list (2^31 - 6 arcs) ends in block
 * 2; each block's last list begins exactly 2^32 - 1 after its first (the widest that fits). */
#define G32 (1ull << 32)
static const uint64_t WIDE[11] = {0,           5,           G32 - 3,          G32 - 1,
                                  G32 + 7,     G32 + 7,     2 * G32,          2 * G32 + 6,
                                  2 * G32 + (1ull << 31), 2 * G32 + (1ull << 31) + 1, 3 * G32};

static void assert_wide(const net_t *g) {
    for (uint32_t i = 0; i < 10; i++) {
        assert_true(net_begin(g, i) == WIDE[i]);
        assert_true(net_end(g, i) == WIDE[i + 1]);
        assert_true(net_degree(g, i) == WIDE[i + 1] - WIDE[i]);
        assert_true(net_in_degree(g, i) == WIDE[i + 1] - WIDE[i]);
    }
    assert_true(net_begin(g, 10) == 3 * G32);
}

static void test_offsets_past_2_32(void **state) {
    (void)state;
    net_t *g = NULL;
    sim_err err = {{0}};
    assert_int_equal(net_layer_new(&g, 10, 0, NULL), SIM_OK);
    g->m = WIDE[10];
    assert_int_equal(net_set_offsets(g, WIDE, 2, &err), SIM_OK);
    assert_int_equal(g->shift, 2);
    assert_true(g->base[0] == 0 && g->base[1] == G32 + 7 && g->base[2] == WIDE[8]);
    for (uint32_t i = 0; i <= 10; i++) assert_int_equal(g->off32[i], (uint32_t)WIDE[i]);
    assert_wide(g);
    /* blocks of 8 would put agent 7 2^33 + 6 arcs after agent 0: refused, g unchanged */
    assert_int_equal(net_rebase(g, 3, &err), SIM_ERUN);
    assert_int_equal(g->shift, 2);
    assert_wide(g);
    assert_int_equal(net_canon_shift(g), 2);   /* the largest that fits */
    assert_int_equal(net_rebase(g, 0, &err), SIM_OK);   /* a base per agent */
    assert_int_equal(g->shift, 0);
    for (uint32_t i = 0; i <= 10; i++) assert_true(g->base[i] == WIDE[i]);
    assert_wide(g);
    assert_int_equal(net_rebase(g, -1, &err), SIM_OK);
    assert_int_equal(g->shift, 2);
    assert_wide(g);
    net_free(g);
    g = NULL;
    assert_int_equal(net_layer_new(&g, 10, 0, NULL), SIM_OK);   /* from whole offsets */
    g->m = WIDE[10];
    assert_int_equal(net_set_offsets(g, WIDE, -1, &err), SIM_OK);
    assert_int_equal(g->shift, 2);
    assert_wide(g);
    assert_int_equal(net_set_offsets(g, WIDE, 3, &err), SIM_ERUN);
    net_free(g);
}

/* A real layer under every shift: 9 agents, ties across the block boundaries; its lists read
 * the same and it validates whatever the blocks, and the canonical shift is NET_OFF_SHIFT. */
static void test_offsets_any_shift(void **state) {
    (void)state;
    const uint32_t src[] = {0, 0, 1, 3, 3, 3, 4, 7, 8, 2}, dst[] = {1, 8, 3, 4, 5, 7, 8, 8, 6, 5};
    net_t *g = NULL;
    sim_err err = {{0}};
    assert_int_equal(net_from_ties(&g, 9, 0, src, dst, 10, NULL, &err), SIM_OK);
    assert_int_equal(g->shift, NET_OFF_SHIFT);
    uint64_t begin[10], want[10] = {0, 2, 4, 5, 9, 11, 13, 14, 16, 20};
    for (uint32_t i = 0; i <= 9; i++) begin[i] = net_begin(g, i);
    assert_memory_equal(begin, want, sizeof want);
    for (int s = 0; s <= 3; s++) {
        assert_int_equal(net_rebase(g, s, &err), SIM_OK);
        assert_int_equal(g->shift, s);
        for (uint32_t i = 0; i < 9; i++) {
            assert_true(net_begin(g, i) == want[i] && net_end(g, i) == want[i + 1]);
            assert_true(net_has_arc(g, i, g->adj[want[i]]) || want[i] == want[i + 1]);
        }
        if (net_validate(g, &err) != SIM_OK) fail_msg("shift %d: %s", s, err.msg);
    }
    g->base[1] += 1;   /* a base that is not its block's begin: caught */
    assert_int_equal(net_validate(g, &err), SIM_ERUN);
    net_free(g);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_er_matches_reference),
        cmocka_unit_test(test_ws_matches_reference),
        cmocka_unit_test(test_config_matches_reference),
        cmocka_unit_test(test_sbm_matches_reference),
        cmocka_unit_test(test_ties_match_reference),
        cmocka_unit_test(test_offsets_past_2_32),
        cmocka_unit_test(test_offsets_any_shift),
    };
    return cmocka_run_group_tests_name("net_build", tests, NULL, NULL);
}
