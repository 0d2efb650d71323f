/* tests/test_infer.c - the guilt-by-association observer (sim/engine/infer.c, docs/metrics.md
 * "The inference attack"): on hand-built societies the AUC is worked out by hand (separable:
 * exactly 1; own status ranks first, contacts only break its ties; all tied: 0.5; one class:
 * NaN), independent labels give 0.5 within a stated tolerance over fixed seeds, and in a run
 * without any tie the observer is exactly the own-status observer (violation_history). */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>

#include "engine.h"
#include "rng.h"
#include "scenario.h"
#include "state.h"

/* Ten persons: 8 and 9 are named (public status 2) and violated; 0-3 violated and each has
 * a tie to 8 or 9; 4-7 did not and are tied only among themselves. The observer ranks 8, 9
 * first, then 0-3 (own status 0, contacts' mean > 0), then 4-7 (0, 0): every violator above
 * every non-violator, AUC 1. Own status alone ranks 8, 9 above everyone and ties 0-3 with
 * 4-7: (2 x 4 + 4 x 4 / 2) / (6 x 4) = 2/3. */
static void test_separable(void **state) {
    (void)state;
    /* undirected ties 0-8, 1-8, 2-9, 3-9, 4-5, 6-7 as CSR arcs */
    const uint64_t off[11] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12};
    const uint32_t adj[12] = {8, 8, 9, 9, 5, 4, 7, 6, 0, 1, 2, 3};
    const double own[10] = {0, 0, 0, 0, 0, 0, 0, 0, 2, 2};
    const uint8_t label[10] = {1, 1, 1, 1, 0, 0, 0, 0, 1, 1};
    assert_true(infer_gba_auc(10, own, off, adj, label) == 1.0);
    const uint64_t none[11] = {0};   /* no ties: the own-status observer */
    assert_true(fabs(infer_gba_auc(10, own, none, adj, label) - 2.0 / 3.0) < 1e-15);
}

/* Own status first: a named person without listed contacts (label 0) ranks above an unnamed
 * one whose contacts are all named (label 1): AUC 0. Equal in both keys: ties, AUC 0.5. */
static void test_order_and_ties(void **state) {
    (void)state;
    const uint64_t off[4] = {0, 0, 1, 2};
    const uint32_t adj[2] = {2, 1};   /* 1 - 2 */
    const double own[3] = {2, 0, 2};
    const uint8_t label[3] = {0, 1, 0};
    /* 0: (2, 0) y 0; 1: (0, 2) y 1; 2: (2, 0) y 0: the positive is below both negatives */
    assert_true(infer_gba_auc(3, own, off, adj, label) == 0.0);
    infer_pair v[4] = {{1, 1, 1}, {1, 1, 0}, {1, 1, 1}, {1, 1, 0}};
    assert_true(infer_auc_lex(v, 4) == 0.5);
    infer_pair w[3] = {{0, 0, 0}, {1, 0, 0}, {2, 0, 0}};
    assert_true(isnan(infer_auc_lex(w, 3)));   /* no positive */
}

/* Independent labels: 20,000 persons on a random graph (each picks 3 others uniformly; ties
 * both ways), 10% named, violation labels Bernoulli(0.3) drawn apart from both: AUC 0.5 with
 * s.d. about 0.005; tolerance 0.02, seeds 1-3. */
static void test_independent(void **state) {
    (void)state;
    enum { N = 20000, K = 3 };
    uint64_t *off = calloc(N + 1, sizeof *off);
    uint32_t *adj = malloc(2 * N * K * sizeof *adj), *from = malloc(N * K * sizeof *from);
    uint32_t *fill = calloc(N, sizeof *fill);
    double *own = malloc(N * sizeof *own);
    uint8_t *label = malloc(N);
    assert_non_null(off && adj && from && fill && own && label);
    for (uint64_t seed = 1; seed <= 3; seed++) {
        rng_t r;
        rng_stream rs;
        rng_init(&r, seed, 0);
        rng_stream_at(&rs, &r, 0, 0, RNG_TEST);
        for (uint32_t i = 0; i <= N; i++) off[i] = 0;
        for (uint32_t i = 0; i < N; i++)
            for (int k = 0; k < K; k++) {
                uint32_t j = (uint32_t)rng_below(&rs, N);
                from[i * K + k] = j;
                off[i + 1]++, off[j + 1]++;
            }
        for (uint32_t i = 0; i < N; i++) off[i + 1] += off[i], fill[i] = 0;
        for (uint32_t i = 0; i < N; i++)
            for (int k = 0; k < K; k++) {
                uint32_t j = from[i * K + k];
                adj[off[i] + fill[i]++] = j;
                adj[off[j] + fill[j]++] = i;
            }
        for (uint32_t i = 0; i < N; i++) own[i] = rng_uniform(&rs) < 0.1 ? 2 : 0;
        for (uint32_t i = 0; i < N; i++) label[i] = rng_uniform(&rs) < 0.3;
        double a = infer_gba_auc(N, own, off, adj, label);
        if (!(fabs(a - 0.5) < 0.02)) fail_msg("seed %d: AUC %g", (int)seed, a);
    }
    free(off), free(adj), free(from), free(fill), free(own), free(label);
}

static sim_t *run(const char *text, const char *const *sets, int nsets) {
    scenario sc;
    sim_err err = {{0}};
    if (scn_load_string(&sc, "infer-test", text, sets, nsets, &err) != SIM_OK)
        fail_msg("scenario: %s", err.msg);
    sim_t *s = NULL;
    if (sim_new(&s, &sc, NULL, &err) != SIM_OK) fail_msg("sim_new: %s", err.msg);
    scn_free(&sc);
    if (sim_run(s, &err) != SIM_OK) fail_msg("sim_run: %s", err.msg);
    return s;
}

/* A run: with neither family nor social ties the observer has no contacts to look at and
 * is exactly the own-status observer; with them it is an AUC in [0, 1], and the existing
 * members are what they are without it (computed apart, from the same public view). */
static void test_in_a_run(void **state) {
    (void)state;
    const char *text = "include = scenarios/face-recognition.ini\n[run]\nsteps = 24\n";
    const char *alone[] = {"population.persons=3000", "layer.family.enabled=false",
                           "layer.social.enabled=false", "layer.parent.enabled=false"};
    sim_t *a = run(text, alone, 4), *b = run(text, alone, 1);
    const res_t *ra = sim_results(a), *rb = sim_results(b);
    double own = res_get_summary(ra, "inference_auc", "violation_history");
    assert_true(own > 0.5 && res_get_summary(ra, "inference_auc", "guilt_by_association") == own);
    double g = res_get_summary(rb, "inference_auc", "guilt_by_association");
    assert_true(g >= 0 && g <= 1);
    assert_true(g != res_get_summary(rb, "inference_auc", "violation_history"));
    sim_free(a);
    sim_free(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_separable),
        cmocka_unit_test(test_order_and_ties),
        cmocka_unit_test(test_independent),
        cmocka_unit_test(test_in_a_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
