/* tests/test_collect.c - collection of data about everyone and its retention
 * (sim/engine/collect.c): records held and expired under retention, worked out by hand on
 * small societies; misidentification moves records to other agents of the same region
 * without changing the total; coverage 0 collects nothing; violation records are one kind of
 * the holdings; and common random numbers: adding a source leaves every figure of the run
 * without it bit-identical. Bad input is in the bad corpus (tests/scenarios/bad/collect_*,
 * retention_*), run by test_scenario and test_cli (exit 3). */
#include "testutil.h"

#include <math.h>

#include "engine.h"
#include "scenario.h"
#include "state.h"

/* Persons only, one region and group, no violations or false records: the only records are
 * those of the source the tests add. */
static const char QUIET[] =
    "[population]\npersons = 8\nfirms_per_person = 0\nregions = 1\ngroups = 1\n"
    "propensity_sd = 0\n"
    "[layer.family]\nenabled = false\n[layer.parent]\nenabled = false\n"
    "[layer.employment]\nenabled = false\n[layer.partner]\nenabled = false\n"
    "[layer.legalrep]\nenabled = false\n"
    "[layer.social]\ngenerator = er\nmean_degree = 2\n"
    "[agency.none]\nviolation_scale = 0\nfalse_record = 0\n"
    "[run]\nsteps = 6\nthreads = 2\n";

static sim_t *make(const char *text, const char *const *sets, int nsets) {
    scenario sc;
    sim_err err = {{0}};
    if (scn_load_string(&sc, "collect-test", text, sets, nsets, &err) != SIM_OK)
        fail_msg("scenario: %s", err.msg);
    sim_t *s = NULL;
    if (sim_new(&s, &sc, NULL, &err) != SIM_OK) fail_msg("sim_new: %s", err.msg);
    scn_free(&sc);
    return s;
}

static sim_t *run(const char *text, const char *const *sets, int nsets) {
    sim_t *s = make(text, sets, nsets);
    sim_err err = {{0}};
    if (sim_run(s, &err) != SIM_OK) fail_msg("sim_run: %s", err.msg);
    return s;
}

static double at(const sim_t *s, int t, const char *name, const char *grp) {
    return res_get(sim_results(s), t, name, grp);
}
static double sum(const sim_t *s, const char *name, const char *grp) {
    return res_get_summary(sim_results(s), name, grp);
}

/* Rate 1 a month at full coverage, retention 3: each person gets exactly one record a step;
 * held per person is 1, 2, 3, 3, 3, 3; from step 4 the 8 records of step t-3 expire. */
static void test_retention_by_hand(void **state) {
    (void)state;
    const char *sets[] = {"collect.cams.agency=none", "collect.cams.kind=sightings",
                          "retention.none.sightings=3"};
    sim_t *s = run(QUIET, sets, 3);
    const double held[7] = {0, 1, 2, 3, 3, 3, 3}, expired[7] = {0, 0, 0, 0, 8, 8, 8};
    for (int t = 1; t <= 6; t++) {
        assert_true(at(s, t, "records_held", "mean") == held[t]);
        assert_true(at(s, t, "records_held", "kind:sightings") == held[t]);
        assert_true(at(s, t, "records_held", "agency:none") == held[t]);
        assert_true(at(s, t, "records_held", "kind:violations") == 0);
        assert_true(at(s, t, "records_held", "display:provision") == held[t]);
        assert_true(at(s, t, "records_held", "display:public") == 0);
        assert_true(at(s, t, "records_collected", "all") == 8);
        assert_true(at(s, t, "records_expired", "all") == expired[t]);
        assert_true(at(s, t, "records_expired", "kind:sightings") == expired[t]);
        assert_true(at(s, t, "person_months_held", "all") == 8.0 * t);
        /* every person holds held[t] records: one class has all 8 */
        const char *cls = t == 1 ? "held:1" : t == 2 ? "held:2" : "held:3-4";
        assert_true(at(s, t, "persons_by_records_held", cls) == 8);
        assert_true(at(s, t, "persons_by_records_held", "held:0") == 0);
    }
    assert_true(sum(s, "records_collected", "all") == 48);
    assert_true(sum(s, "records_expired", "all") == 24);
    assert_true(sum(s, "records_collected", "misidentified") == 0);
    assert_true(sum(s, "records_held", "mean") == 3);
    assert_true(sum(s, "person_months_held", "all") == 48);
    assert_true(sum(s, "persons_by_records_held", "held:3-4") == 8);
    assert_true(sum(s, "persons_by_records_held", "held:0") == 0);
    for (uint32_t i = 0; i < 8; i++) assert_int_equal(s->collect.total[i], 3);
    sim_free(s);
}

/* Retention 0: records are collected and deleted in the same step, none is held; retention
 * at least the run's length: nothing expires, held grows by one a step; public display. */
static void test_retention_edges(void **state) {
    (void)state;
    const char *zero[] = {"collect.cams.agency=none", "collect.cams.kind=online",
                          "retention.none.online=0"};
    sim_t *s = run(QUIET, zero, 3);
    for (int t = 1; t <= 6; t++) {
        assert_true(at(s, t, "records_held", "mean") == 0);
        assert_true(at(s, t, "records_collected", "kind:online") == 8);
        assert_true(at(s, t, "records_expired", "kind:online") == 8);
        assert_true(at(s, t, "person_months_held", "all") == 0);
    }
    assert_true(sum(s, "persons_by_records_held", "held:0") == 8);
    sim_free(s);
    const char *keep[] = {"collect.cams.agency=none", "collect.cams.kind=registrations",
                          "collect.cams.rate=2", "retention.none.registrations=6",
                          "retention.none.public=registrations"};
    s = run(QUIET, keep, 5);
    for (int t = 1; t <= 6; t++) {
        assert_true(at(s, t, "records_held", "mean") == 2.0 * t);
        assert_true(at(s, t, "records_held", "display:public") == 2.0 * t);
        assert_true(at(s, t, "records_held", "display:provision") == 0);
        assert_true(at(s, t, "records_expired", "all") == 0);
    }
    sim_free(s);
}

/* Coverage 0 collects nothing; coverage by group 0 for group 1 collects from group 0 only;
 * a firms-only source collects about firms only. */
static void test_coverage(void **state) {
    (void)state;
    const char *none[] = {"collect.cams.agency=none", "collect.cams.kind=sightings",
                          "collect.cams.coverage=0"};
    sim_t *s = run(QUIET, none, 3);
    assert_true(sum(s, "records_collected", "all") == 0);
    assert_true(sum(s, "records_held", "mean") == 0);
    assert_true(sum(s, "person_months_held", "all") == 0);
    sim_free(s);
    const char *grp[] = {"population.persons=400", "population.groups=2",
                         "population.group_shares=0.5,0.5", "collect.cams.agency=none",
                         "collect.cams.kind=sightings", "collect.cams.coverage_by_group=1,0",
                         "population.firms_per_person=0.05", "collect.shops.agency=none",
                         "collect.shops.kind=transactions", "collect.shops.targets=firms",
                         "collect.shops.rate=3"};
    s = run(QUIET, grp, 11);
    const struct sim *q = s;
    uint64_t g0 = 0;
    for (uint32_t i = 0; i < q->pop->persons; i++) {
        uint32_t want = q->pop->group[i] == 0 ? 6 : 0;   /* retention 36 > 6 steps */
        assert_int_equal(q->collect.total[i], want);
        g0 += q->pop->group[i] == 0;
    }
    for (uint32_t f = q->pop->persons; f < q->n; f++) assert_int_equal(q->collect.total[f], 18);
    assert_true(at(s, 1, "records_collected", "kind:sightings") == (double)g0);
    assert_true(at(s, 1, "records_collected", "kind:transactions") == 3.0 * q->pop->firms);
    assert_true(sum(s, "records_held", "firms") == 18);
    sim_free(s);
}

/* Misidentification with probability 0.3: the number of records held is unchanged (each
 * person's records are still one a step in total, now spread), every region keeps exactly
 * its own records (a wrong match lands in the same region), and about 30% of the records
 * are misidentified: 3 x 1000 x 0.3 = 900 over three steps, s.d. 25 (tolerance 5 s.d.). */
static void test_misidentification(void **state) {
    (void)state;
    const char *sets[] = {"population.persons=1000", "population.regions=2",
                          "collect.cams.agency=none", "collect.cams.kind=sightings",
                          "collect.cams.misidentify=0.3", "retention.none.sightings=2",
                          "run.steps=3"};
    sim_t *s = run(QUIET, sets, 7);
    const struct sim *q = s;
    assert_true(at(s, 1, "records_held", "mean") == 1);
    assert_true(at(s, 2, "records_held", "mean") == 2);
    assert_true(at(s, 3, "records_held", "mean") == 2);
    assert_true(at(s, 3, "records_expired", "all") == 1000);
    uint64_t region[2] = {0, 0}, size[2] = {0, 0}, not_two = 0;
    for (uint32_t i = 0; i < 1000; i++) {
        region[q->pop->region[i]] += q->collect.total[i];
        size[q->pop->region[i]]++;
        not_two += q->collect.total[i] != 2;
    }
    assert_true(region[0] == 2 * size[0] && region[1] == 2 * size[1]);
    assert_true(not_two > 100);   /* the records did move */
    double mis = sum(s, "records_collected", "misidentified");
    assert_true(fabs(mis - 900) < 5 * 25);
    sim_free(s);
}

/* Violation records are the kind "violations" of the agency that made them, under its own
 * retention: two records about agent 5 at step 1 are held at step 1 and gone at step 2
 * (retention 1). */
static void test_violation_records_held(void **state) {
    (void)state;
    const char *sets[] = {"collect.cams.agency=none", "collect.cams.kind=sightings",
                          "collect.cams.coverage=0", "retention.none.violations=1"};
    sim_t *s = make(QUIET, sets, 4);
    s->blk[0].nrec = 0;
    blk_push_rec(&s->blk[0], (rec_event){5, 0, CAUSE_OWN});
    blk_push_rec(&s->blk[0], (rec_event){5, 0, CAUSE_FALSE});
    assert_true(collect_step(s));
    s->t = 1;
    assert_int_equal(s->collect.total[5], 2);
    assert_true(s->collect.held[0][0][KIND_VIOLATIONS] == 2);
    assert_true(s->collect.step_added[0][KIND_VIOLATIONS] == 2);
    assert_true(s->collect.nonzero == 1);
    s->blk[0].nrec = 0;
    assert_true(collect_step(s));
    assert_int_equal(s->collect.total[5], 0);
    assert_true(s->collect.held[0][0][KIND_VIOLATIONS] == 0);
    assert_true(s->collect.step_expired[0][KIND_VIOLATIONS] == 2);
    assert_true(s->collect.nonzero == 0);
    sim_free(s);
}

/* Common random numbers: the library's base scenario with and without two sources (one
 * misidentifying, one about firms) gives the same value for every row the run without them
 * emits, every step and the summary: violations, records, listings, harm. */
static void test_common_random_numbers(void **state) {
    (void)state;
    const char *base = "include = scenarios/base.ini\n[run]\nsteps = 24\n";
    const char *plain[] = {"population.persons=3000"};
    const char *with[] = {"population.persons=3000", "collect.cams.agency=civility",
                          "collect.cams.kind=sightings", "collect.cams.rate=2.5",
                          "collect.cams.misidentify=0.1", "collect.cams.coverage=0.7",
                          "collect.bank.agency=tax", "collect.bank.kind=transactions",
                          "collect.bank.targets=both", "collect.bank.rate=0.4",
                          "retention.civility.violations=3"};
    sim_t *a = run(base, plain, 1), *b = run(base, with, 11);
    const res_t *ra = sim_results(a), *rb = sim_results(b);
    assert_true(ra->nrows > 1000 && rb->nrows > ra->nrows);
    for (uint64_t k = 0; k < ra->nrows; k++) {
        const res_row *r = &ra->rows[k];
        double v = res_get(rb, r->step, metric_name(r->metric), ra->grps[r->grp]);
        if (!(v == r->value || (isnan(v) && isnan(r->value))))
            fail_msg("step %d %s %s: %g without the sources, %g with", r->step,
                     metric_name(r->metric), ra->grps[r->grp], r->value, v);
    }
    for (uint64_t k = 0; k < ra->nsummary; k++) {
        const res_row *r = &ra->summary[k];
        double v = res_get_summary(rb, metric_name(r->metric), ra->grps[r->grp]);
        if (!(v == r->value || (isnan(v) && isnan(r->value))))
            fail_msg("summary %s %s: %g without the sources, %g with", metric_name(r->metric),
                     ra->grps[r->grp], r->value, v);
    }
    assert_true(isnan(res_get_summary(ra, "records_held", "mean")));   /* not emitted */
    assert_true(sum(b, "violations", "all") > 0 && sum(b, "records", "all") > 0);
    /* every violation record enters the holdings */
    assert_true(sum(b, "records_collected", "kind:violations") == sum(b, "records", "all"));
    /* held now = collected - expired, over persons and firms */
    double held = sum(b, "records_held", "mean") * b->pop->persons +
                  sum(b, "records_held", "firms") * b->pop->firms;
    assert_true(fabs(held - (sum(b, "records_collected", "all") -
                             sum(b, "records_expired", "all"))) < 1e-6 * held);
    sim_free(a);
    sim_free(b);
}

/* Same scenario, 1 and 2 threads: identical holdings. */
static void test_threads_identical(void **state) {
    (void)state;
    const char *base = "include = scenarios/base.ini\n[run]\nsteps = 8\n";
    const char *one[] = {"population.persons=20000", "collect.c.agency=courts",
                         "collect.c.kind=online", "collect.c.rate=1.7",
                         "collect.c.misidentify=0.05", "retention.courts.online=3",
                         "run.threads=1"};
    sim_t *a = run(base, one, 7);
    one[6] = "run.threads=2";
    sim_t *b = run(base, one, 7);
    assert_memory_equal(a->collect.total, b->collect.total, a->n * sizeof *a->collect.total);
    assert_true(sum(a, "records_collected", "misidentified") ==
                sum(b, "records_collected", "misidentified"));
    sim_free(a);
    sim_free(b);
}

/* The calibration include (scenarios/collect/platform.ini) holds about 50 records per person
 * from month 24 on (DOMAIN: 80.7 bn records, about 50 per person or firm): expected
 * 24 x (0.9 + 0.72 + 0.475) = 50.3 plus violation records; tolerance 2 (the Bernoulli parts
 * and the region multipliers' weights at 3,000 persons, seed 1). */
static void test_platform_calibration(void **state) {
    (void)state;
    const char *text = "include = scenarios/base.ini\ninclude = scenarios/collect/platform.ini\n";
    const char *sets[] = {"population.persons=3000", "run.steps=30"};
    sim_t *s = run(text, sets, 2);
    assert_true(fabs(sum(s, "records_held", "mean") - 50) < 2);
    assert_true(fabs(sum(s, "records_held", "firms") - 24 * (0.72 + 0.475)) < 2);
    assert_true(sum(s, "records_held", "display:public") == 0);
    sim_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retention_by_hand),
        cmocka_unit_test(test_retention_edges),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_misidentification),
        cmocka_unit_test(test_violation_records_held),
        cmocka_unit_test(test_common_random_numbers),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_platform_calibration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
