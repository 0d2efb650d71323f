/* tests/test_chill.c - the chilling effect (sim/engine/chill.c, docs/ODD.md 7.16): counts
 * worked out by hand on small societies (coverage 0 suppresses nothing; a known coverage and
 * elasticity suppress a known share of acts, within stated tolerances over fixed seeds);
 * listed contacts raise the suppression; common random numbers: the activity and its
 * chilling leave every other figure of a run bit-identical and every act that would be done
 * unwatched is either done or suppressed; the camera-chilling library scenario suppresses
 * acts with its cameras on and exactly none with them off; timeline changes; threads. Bad
 * input is in the bad corpus (tests/scenarios/bad/chill_*, timeline_chill_range), run by
 * test_scenario and test_cli (exit 3). */
#include "testutil.h"
#include "test_sim.h"

#include <math.h>
#include <stdio.h>

#include "engine.h"
#include "scenario.h"
#include "state.h"

/* 2,000 persons, no firms, one region, two groups, no ties, no violations or records: only
 * the activity and the sources the tests add. */
static const char QUIET[] =
    "[population]\npersons = 2000\nfirms_per_person = 0\nregions = 1\ngroups = 2\n"
    "group_shares = 0.5, 0.5\npropensity_sd = 0\n"
    "[layer.family]\nenabled = false\n[layer.parent]\nenabled = false\n"
    "[layer.employment]\nenabled = false\n[layer.partner]\nenabled = false\n"
    "[layer.legalrep]\nenabled = false\n[layer.social]\nenabled = false\n"
    "[agency.none]\nviolation_scale = 0\nfalse_record = 0\n"
    "[collect.cams]\nagency = none\nkind = sightings\ncoverage = 0.5\n"
    "[behaviour]\nlawful_rate = 0.4\nchill_elasticity = 1\n"
    "[run]\nsteps = 10\nthreads = 2\n";

static sim_t *run(const char *text, const char *const *sets, int nsets) {
    return test_sim_run("chill-test", text, sets, nsets);
}

static double sum(const sim_t *s, const char *name, const char *grp) {
    return res_get_summary(sim_results(s), name, grp);
}
static double at(const sim_t *s, int t, const char *name, const char *grp) {
    return res_get(sim_results(s), t, name, grp);
}

/* Coverage 0, no source, or only sources people do not feel watched by (transactions):
 * p = lawful_rate exactly, so not one act is suppressed; the acts done are about
 * 2,000 x 10 x 0.4 = 8,000 (s.d. 69; tolerance 350). */
static void test_no_coverage(void **state) {
    (void)state;
    const char *cases[][2] = {{"collect.cams.coverage=0", "behaviour.chill_contacts=3"},
                              {"collect.cams.enabled=false", "behaviour.chill_elasticity=5"},
                              {"collect.cams.kind=transactions", "collect.cams.coverage=1"}};
    for (int k = 0; k < 3; k++) {
        sim_t *s = run(QUIET, cases[k], 2);
        assert_true(sum(s, "lawful_acts_suppressed", "all") == 0);
        assert_true(sum(s, "persons_chilled", "all") == 0);
        assert_true(sum(s, "chilling_harm", "all") == 0);
        assert_true(fabs(sum(s, "lawful_acts", "all") - 8000) < 350);
        for (int t = 1; t <= 10; t++) assert_true(at(s, t, "lawful_acts_suppressed", "all") == 0);
        sim_free(s);
    }
}

/* Coverage 0.5 and elasticity e: p = 0.4 x 0.5^e. Per person-step an act is suppressed with
 * probability 0.4 - p: e = 1: 0.2, so 4,000 of 20,000 person-steps (s.d. 57); e = 2: 0.3,
 * 6,000 (s.d. 65). Tolerance 250 (about 4 s.d.), seeds 1-3. Persons chilled (at least one
 * act suppressed in 10 steps), e = 1: 2,000 (1 - 0.8^10) = 1,785 (s.d. 14; tolerance 60).
 * Group 1 is not covered (coverage_by_group = 1, 0): not one of its acts is suppressed;
 * group 0's n0 persons lose 10 x 0.2 n0 (s.d. under 45; tolerance 200).
 * Common random numbers: done + suppressed (the acts without surveillance) is the same
 * count for both elasticities; chilling harm = chill_harm x suppressed exactly. */
static void test_by_hand(void **state) {
    (void)state;
    for (int seed = 1; seed <= 3; seed++) {
        char sd[32];
        snprintf(sd, sizeof sd, "run.seed=%d", seed);
        const char *e1[] = {sd, "behaviour.chill_harm=2.5"};
        const char *e2[] = {sd, "behaviour.chill_elasticity=2"};
        const char *g1[] = {sd, "collect.cams.coverage_by_group=1, 0"};
        sim_t *a = run(QUIET, e1, 2), *b = run(QUIET, e2, 2), *c = run(QUIET, g1, 2);
        double sa = sum(a, "lawful_acts_suppressed", "all");
        double sb = sum(b, "lawful_acts_suppressed", "all");
        assert_true(fabs(sa - 4000) < 250);
        assert_true(fabs(sb - 6000) < 250);
        assert_true(fabs(sum(a, "persons_chilled", "all") - 1785) < 60);
        assert_true(sum(a, "chilling_harm", "all") == 2.5 * sa);
        assert_true(sum(b, "chilling_harm", "all") == sb);
        assert_true(sa + sum(a, "lawful_acts", "all") == sb + sum(b, "lawful_acts", "all"));
        assert_true(sum(c, "lawful_acts_suppressed", "group:1") == 0);
        assert_true(sum(c, "persons_chilled", "group:1") == 0);
        double n0 = 0;
        for (uint32_t i = 0; i < c->pop->persons; i++) n0 += c->pop->group[i] == 0;
        assert_true(fabs(sum(c, "lawful_acts_suppressed", "group:0") - 2 * n0) < 200);
        assert_true(sum(c, "lawful_acts_suppressed", "all") ==
                    sum(c, "lawful_acts_suppressed", "group:0"));
        double steps = 0;   /* the per-step rows add up to the summary */
        for (int t = 1; t <= 10; t++) steps += at(a, t, "lawful_acts_suppressed", "all");
        assert_true(steps == sa);
        assert_true(at(a, 10, "persons_chilled", "all") == sum(a, "persons_chilled", "all"));
        /* a rare activity (rate 0.05 < 1/8: persons who would act are found by skipping):
           0.05 - 0.025 a person-step, 500 of 20,000 (s.d. 22; tolerance 100); the acts of the
           unwatched counterfactual do not depend on the elasticity */
        const char *r1[] = {sd, "behaviour.lawful_rate=0.05"};
        const char *r2[] = {sd, "behaviour.lawful_rate=0.05", "behaviour.chill_elasticity=2"};
        sim_t *d = run(QUIET, r1, 2), *e = run(QUIET, r2, 3);
        double sd1 = sum(d, "lawful_acts_suppressed", "all");
        assert_true(fabs(sd1 - 500) < 100 && fabs(sum(d, "lawful_acts", "all") - 500) < 100);
        assert_true(sd1 + sum(d, "lawful_acts", "all") ==
                    sum(e, "lawful_acts_suppressed", "all") + sum(e, "lawful_acts", "all"));
        assert_true(sum(e, "lawful_acts_suppressed", "all") > sd1);
        sim_free(d);
        sim_free(e);
        sim_free(a);
        sim_free(b);
        sim_free(c);
    }
}

/* The label an observer predicts: chill_acted(i) for persons who did the activity at least
 * once, counted by lawful_actors; with p = 0.2 a step, 1 - 0.8^10 = 89% of persons (s.d. 14
 * of 2,000; tolerance 60). */
static void test_label(void **state) {
    (void)state;
    sim_t *s = run(QUIET, NULL, 0);
    uint64_t acted = 0;
    for (uint32_t i = 0; i < s->pop->persons; i++) acted += (uint64_t)chill_acted(s, i);
    assert_true((double)acted == sum(s, "lawful_actors", "all"));
    assert_true(fabs((double)acted - 1785) < 60);
    assert_true(chill_perceived(s, 0) == 0.5);
    sim_free(s);
}

/* Listed contacts: 30% of persons blacklisted at step 0 and kept there, a social layer of
 * mean degree 6. With chill_contacts = 2 every person with a listed contact feels more
 * watched, so (same draws) at least as many acts are suppressed as with 0 - strictly more
 * here; with coverage 0 contacts alone suppress nothing (they amplify the cameras). */
static void test_contacts(void **state) {
    (void)state;
    const char *text = "include = scenarios/base.ini\n"
        "[population]\npersons = 3000\n[lists]\nblack_term = 1000\n"
        "[collect.cams]\nagency = civility\nkind = online\ncoverage = 0.3\n"
        "[behaviour]\nlawful_rate = 0.2\n[run]\nsteps = 6\nseed_listed = 0.3\n";
    const char *k0[] = {"behaviour.chill_contacts=0"}, *k2[] = {"behaviour.chill_contacts=2"};
    const char *off[] = {"behaviour.chill_contacts=2", "collect.cams.coverage=0"};
    sim_t *a = run(text, k0, 1), *b = run(text, k2, 1), *c = run(text, off, 2);
    double sa = sum(a, "lawful_acts_suppressed", "all");
    double sb = sum(b, "lawful_acts_suppressed", "all");
    assert_true(sa > 0 && sb > 1.2 * sa);
    assert_true(sum(c, "lawful_acts_suppressed", "all") == 0);
    assert_true(sa + sum(a, "lawful_acts", "all") == sb + sum(b, "lawful_acts", "all"));
    sim_free(a);
    sim_free(b);
    sim_free(c);
}

/* Every row a run emits without the activity has the same value with it (and with its
 * chilling at full strength): violations, records, listings, harm, inference. With the
 * activity on but elasticity 0 nothing is suppressed. */
static void expect_rows_equal(const res_t *ra, const res_t *rb) {
    for (uint64_t k = 0; k < ra->nrows; k++) {
        const res_row *r = &ra->rows[k];
        double v = res_get(rb, r->step, metric_name(r->metric), ra->grps[r->grp]);
        if (!(v == r->value || (isnan(v) && isnan(r->value))))
            fail_msg("step %d %s %s: %g without, %g with", r->step, metric_name(r->metric),
                     ra->grps[r->grp], r->value, v);
    }
    for (uint64_t k = 0; k < ra->nsummary; k++) {
        const res_row *r = &ra->summary[k];
        double v = res_get_summary(rb, metric_name(r->metric), ra->grps[r->grp]);
        if (!(v == r->value || (isnan(v) && isnan(r->value))))
            fail_msg("summary %s %s: %g without, %g with", metric_name(r->metric),
                     ra->grps[r->grp], r->value, v);
    }
}

static void test_common_random_numbers(void **state) {
    (void)state;
    const char *text = "include = scenarios/camera-chilling.ini\n[run]\nsteps = 24\n";
    const char *off[] = {"population.persons=3000", "behaviour.lawful_rate=0"};
    const char *on[] = {"population.persons=3000", "behaviour.chill_elasticity=3"};
    const char *flat[] = {"population.persons=3000", "behaviour.chill_elasticity=0"};
    sim_t *a = run(text, off, 2), *b = run(text, on, 2), *c = run(text, flat, 2);
    expect_rows_equal(sim_results(a), sim_results(b));
    expect_rows_equal(sim_results(a), sim_results(c));
    assert_true(isnan(sum(a, "lawful_acts", "all")));   /* not modelled: no rows */
    assert_true(sum(b, "lawful_acts_suppressed", "all") > 0);
    assert_true(sum(c, "lawful_acts_suppressed", "all") == 0);
    assert_true(sum(c, "persons_chilled", "all") == 0 && sum(c, "chilling_harm", "all") == 0);
    assert_true(sum(b, "lawful_acts", "all") + sum(b, "lawful_acts_suppressed", "all") ==
                sum(c, "lawful_acts", "all"));
    assert_true(sum(b, "violations", "all") > 0 && sum(b, "records", "all") > 0);
    sim_free(a);
    sim_free(b);
    sim_free(c);
}

/* The library's camera-chilling at 3,000 persons and 36 months (seeds 1 and 2): cameras
 * suppress lawful acts; with the cameras off, not one. */
static void test_camera_chilling(void **state) {
    (void)state;
    const char *text = "include = scenarios/camera-chilling.ini\n";
    for (int seed = 1; seed <= 2; seed++) {
        char sd[32];
        snprintf(sd, sizeof sd, "run.seed=%d", seed);
        const char *on[] = {"population.persons=3000", "run.steps=36", sd};
        const char *off[] = {"population.persons=3000", "run.steps=36", sd,
                             "collect.cameras.enabled=false"};
        sim_t *a = run(text, on, 3), *b = run(text, off, 4);
        double done = sum(a, "lawful_acts", "all"), lost = sum(a, "lawful_acts_suppressed", "all");
        assert_true(lost > 0.2 * (done + lost));
        assert_true(sum(a, "persons_chilled", "all") > 0 && sum(a, "chilling_harm", "all") == lost);
        assert_true(sum(b, "lawful_acts_suppressed", "all") == 0);
        assert_true(sum(b, "persons_chilled", "all") == 0 && sum(b, "chilling_harm", "all") == 0);
        assert_true(sum(b, "lawful_acts", "all") == done + lost);   /* same draws */
        sim_free(a);
        sim_free(b);
    }
}

/* Timeline: the activity starts at step 4 and its chilling at step 7 (elasticity 0 before):
 * no act before 4, acts but none suppressed in 4..6, suppressed from 7 on. */
static void test_timeline(void **state) {
    (void)state;
    const char *sets[] = {"behaviour.lawful_rate=0", "at.4.behaviour.lawful_rate=0.4",
                          "behaviour.chill_elasticity=0", "at.7.behaviour.chill_elasticity=1"};
    sim_t *s = run(QUIET, sets, 4);
    for (int t = 1; t <= 10; t++) {
        double done = at(s, t, "lawful_acts", "all");
        double lost = at(s, t, "lawful_acts_suppressed", "all");
        if (t < 4) assert_true(done == 0 && lost == 0);
        else if (t < 7) assert_true(done > 500 && lost == 0);
        else assert_true(lost > 200);
    }
    sim_free(s);
}

/* 1 and 2 threads: identical per-person flags and counts. */
static void test_threads(void **state) {
    (void)state;
    const char *text = "include = scenarios/camera-chilling.ini\n[run]\nsteps = 6\n";
    const char *one[] = {"population.persons=20000", "run.threads=1"};
    const char *two[] = {"population.persons=20000", "run.threads=2"};
    sim_t *a = run(text, one, 2), *b = run(text, two, 2);
    assert_memory_equal(a->chill.flags, b->chill.flags, a->pop->persons);
    assert_true(sum(a, "lawful_acts_suppressed", "all") == sum(b, "lawful_acts_suppressed", "all"));
    assert_true(sum(a, "persons_chilled", "all") == sum(b, "persons_chilled", "all"));
    sim_free(a);
    sim_free(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_coverage),
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_label),
        cmocka_unit_test(test_contacts),
        cmocka_unit_test(test_common_random_numbers),
        cmocka_unit_test(test_camera_chilling),
        cmocka_unit_test(test_timeline),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
