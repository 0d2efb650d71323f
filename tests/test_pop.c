/* tests/test_pop.c - the synthetic population and its structural layers. */
#include "testutil.h"

#include <math.h>

#include "pop.h"
#include "scenario.h"

static pop_t *build(scenario *sc, int threads) {
    rng_t r;
    rng_init(&r, sc->run.seed, 0);
    pop_t *p = NULL;
    sim_err err;
    if (pop_build(&p, sc, &r, threads, &err) != SIM_OK) fail_msg("pop_build: %s", err.msg);
    return p;
}

static void defaults(scenario *sc, int64_t persons) {
    sim_err err;
    assert_int_equal(scn_defaults(sc, &err), SIM_OK);
    sc->population.persons = persons;
}

/* Shares and means, 50,000 persons: child share 0.2 +- 0.01, household mean 3 +- 0.05,
 * employment of adults 0.6 (+ legal representatives), propensity mean 0.01 +-
 * 5 s.e., group shares 0.8 / 0.2 by households (+- 0.02). */
static void test_population_shares(void **state) {
    (void)state;
    scenario sc;
    defaults(&sc, 50000);
    pop_t *p = build(&sc, 1);
    assert_int_equal(p->persons, 50000);
    assert_int_equal(p->firms, 2500);
    double children = 0, employed = 0, adults = 0, g1 = 0, prop = 0;
    for (uint32_t i = 0; i < p->persons; i++) {
        children += p->child[i];
        if (!p->child[i]) adults++, employed += p->employer[i] != POP_NONE;
        if (p->employer[i] != POP_NONE) {
            assert_true(p->employer[i] >= p->persons && p->employer[i] < p->n);
            assert_int_equal(p->region[p->employer[i]], p->region[i]);
            assert_false(p->child[i]);
        }
        g1 += p->group[i] == 1;
        prop += pop_propensity(p, i);
        if (i) assert_true(p->household[i] >= p->household[i - 1]);
    }
    assert_true(fabs(children / p->persons - 0.2) < 0.01);
    assert_true(fabs((double)p->persons / p->households - 3.0) < 0.05);
    /* 0.6 of adults, plus legal representatives (2,500 of 40,000 adults, 40% jobless) */
    assert_true(employed / adults > 0.59 && employed / adults < 0.64);
    assert_true(fabs(g1 / p->persons - 0.2) < 0.02);
    assert_true(fabs(prop / p->persons - 0.01) < 5 * 0.01 / sqrt(p->persons));
    for (uint32_t f = 0; f < p->firms; f++) {
        uint32_t rep = p->legalrep[f];
        assert_true(rep < p->persons);
        assert_false(p->child[rep]);
        assert_int_equal(p->region[rep], p->region[p->persons + f]);
    }
    pop_free(p);
    scn_free(&sc);
}

/* Regions are contiguous and equal; households never span two. */
static void test_regions_and_households(void **state) {
    (void)state;
    scenario sc;
    defaults(&sc, 1001);
    pop_t *p = build(&sc, 2);
    for (int kind = 0; kind < 2; kind++)
        for (int r = 0; r < sc.population.regions; r++)
            for (uint32_t i = p->region_first[kind][r]; i < p->region_first[kind][r + 1]; i++)
                assert_int_equal(p->region[i], r);
    assert_int_equal(p->region_first[0][sc.population.regions], p->persons);
    for (uint32_t i = 1; i < p->persons; i++)
        if (p->household[i] == p->household[i - 1]) {
            assert_int_equal(p->region[i], p->region[i - 1]);
            assert_int_equal(p->group[i], p->group[i - 1]);
        }
    pop_free(p);
    scn_free(&sc);
}

/* Structural layers: family = all pairs within households, parent arcs from adults to
 * children of the same household, employment mirrors employer, legalrep mirrors legalrep. */
static void test_structural_layers(void **state) {
    (void)state;
    scenario sc;
    defaults(&sc, 3000);
    pop_t *p = build(&sc, 1);
    net_t *fam, *par, *emp, *rep;
    sim_err err;
    assert_int_equal(pop_layer(&fam, p, LAYER_FAMILY, &err), SIM_OK);
    assert_int_equal(pop_layer(&par, p, LAYER_PARENT, &err), SIM_OK);
    assert_int_equal(pop_layer(&emp, p, LAYER_EMPLOYMENT, &err), SIM_OK);
    assert_int_equal(pop_layer(&rep, p, LAYER_LEGALREP, &err), SIM_OK);
    uint64_t pairs = 0;
    for (uint32_t i0 = 0, i1; i0 < p->persons; i0 = i1) {
        for (i1 = i0 + 1; i1 < p->persons && p->household[i1] == p->household[i0]; i1++) {}
        pairs += (uint64_t)(i1 - i0) * (i1 - i0 - 1);
    }
    assert_true(fam->m == pairs && !fam->directed);
    assert_true(par->directed && par->in_deg);
    for (uint32_t i = 0; i < p->persons; i++)
        for (uint64_t k = net_begin(par, i), k_end = net_end(par, i); k < k_end; k++) {
            assert_false(p->child[i]);
            assert_true(p->child[par->adj[k]]);
            assert_int_equal(p->household[par->adj[k]], p->household[i]);
        }
    for (uint32_t i = 0; i < p->persons; i++)
        assert_int_equal(net_degree(emp, i), p->employer[i] != POP_NONE);
    assert_int_equal(rep->m, p->firms);
    for (uint32_t f = 0; f < p->firms; f++)
        assert_int_equal(rep->adj[net_begin(rep, p->legalrep[f])] >= p->persons, 1);
    net_free(fam); net_free(par); net_free(emp); net_free(rep);
    pop_free(p);
    scn_free(&sc);
}

/* The same seed gives the same population with 1 and 2 threads; another seed differs. */
static void test_deterministic(void **state) {
    (void)state;
    scenario sc;
    defaults(&sc, 20000);
    pop_t *a = build(&sc, 1), *b = build(&sc, 2);
    assert_memory_equal(a->propensity, b->propensity, a->n * sizeof(float));
    assert_memory_equal(a->employer, b->employer, a->persons * sizeof(uint32_t));
    assert_memory_equal(a->household, b->household, a->persons * sizeof(uint32_t));
    assert_memory_equal(a->legalrep, b->legalrep, a->firms * sizeof(uint32_t));
    sc.run.seed = 2;
    pop_t *c = build(&sc, 2);
    assert_memory_not_equal(a->propensity, c->propensity, a->n * sizeof(float));
    pop_free(a); pop_free(b); pop_free(c);
    scn_free(&sc);
}

/* Without firms there is no employer array (4 bytes a person, issue 17 item 2): everyone is
 * unemployed, the households and propensities are those of the same society with the array,
 * and pop_bytes counts what is allocated. */
static void test_no_firms_no_employer(void **state) {
    (void)state;
    scenario sc;
    defaults(&sc, 20000);
    sc.population.firms_per_person = 0;
    pop_t *p = build(&sc, 2);
    assert_int_equal(p->firms, 0);
    assert_null(p->employer);
    for (uint32_t i = 0; i < p->persons; i++) assert_int_equal(pop_employer(p, i), POP_NONE);
    assert_int_equal(pop_bytes(&sc), 20000ull * (1 + 1 + 4 + 1 + 4));
    scenario with;
    defaults(&with, 20000);
    pop_t *q = build(&with, 2);
    assert_non_null(q->employer);
    assert_memory_equal(p->household, q->household, 20000 * sizeof *p->household);
    assert_int_equal(pop_bytes(&with), 21000ull * (1 + 1 + 4) + 20000ull * 9 + 1000ull * 4);
    pop_free(p), pop_free(q);
    scn_free(&sc), scn_free(&with);
}

/* Without spread in propensity (s.d. 0 for persons and firms) there is no array: every
 * agent's is its kind's mean, as the array held it (float), and the estimate is 4 bytes an
 * agent smaller; with a spread the array is drawn. */
static void test_constant_propensity_no_array(void **state) {
    (void)state;
    scenario sc;
    defaults(&sc, 3000);
    sc.population.propensity_sd = 0;
    sc.population.firm_propensity_sd = 0;
    sc.population.propensity_mean = 0.013;
    sc.population.firm_propensity_mean = 0.021;
    uint64_t flat = pop_bytes(&sc);
    pop_t *p = build(&sc, 2);
    assert_null(p->propensity);
    assert_true(p->firms > 0);
    assert_true(pop_propensity(p, 0) == (float)0.013);
    assert_true(pop_propensity(p, p->persons - 1) == (float)0.013);
    assert_true(pop_propensity(p, p->persons) == (float)0.021);
    assert_true(pop_propensity(p, p->n - 1) == (float)0.021);
    pop_free(p);
    sc.population.firm_propensity_sd = 0.01;   /* firms vary: an array for every agent */
    assert_true(pop_bytes(&sc) == flat + 4ull * (sc.population.persons + pop_firm_count(&sc)));
    p = build(&sc, 2);
    assert_non_null(p->propensity);
    assert_true(pop_propensity(p, 0) == (float)0.013);
    int differ = 0;
    for (uint32_t i = p->persons + 1; i < p->n; i++) differ |= p->propensity[i] != p->propensity[p->persons];
    assert_true(differ);
    pop_free(p);
    scn_free(&sc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_population_shares),
        cmocka_unit_test(test_regions_and_households),
        cmocka_unit_test(test_structural_layers),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_no_firms_no_employer),
        cmocka_unit_test(test_constant_propensity_no_array),
    };
    return cmocka_run_group_tests_name("pop", tests, NULL, NULL);
}
