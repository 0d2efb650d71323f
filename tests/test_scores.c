/* tests/test_scores.c - the commercial score next to the state's (sim/engine/commercial.c,
 * docs/ODD.md 7.22) and good deeds (sim/engine/deeds.c, 7.23).
 *
 * Commercial: opt-in shares by group within a stated tolerance (fixed seeds, 20,000 persons);
 * opt-in is each person's own draw (computed here from the stream), the same with 1 and 2
 * threads and whatever other keys say; the commercial score moves only for opted-in persons
 * and equals base - record_points x their records (computed here from the records held);
 * rewards counted over the persons at or above the threshold; feeds_state changes the state
 * score by the stated weight (hand-built: no state deduction, no recovery); flows counted,
 * in commercial_flows and in data_flows when the scenario shares; 1 vs 2 threads identical.
 * Deeds: zero deeds (or deeds that may not pass max) leave nobody red above max; a stated
 * rate gives a red-list share within 4 s.d. of the Poisson tail computed independently, and
 * deeds_recorded equals the deeds drawn here from the same streams. Bad input: exit 3 naming
 * file, line and key (tests/scenarios/bad/commercial_*, deed_*). */
#include "testutil.h"
#include "test_sim.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "engine.h"
#include "scenario.h"
#include "state.h"

/* No ties, no firms, one region; one agency `shop` whose violation records count. */
#define SOCIETY                                                                             \
    "[population]\nfirms_per_person = 0\nregions = 1\ngroups = 2\ngroup_shares = 0.5, 0.5\n" \
    "[layer.family]\nenabled = false\n[layer.parent]\nenabled = false\n"                    \
    "[layer.employment]\nenabled = false\n[layer.partner]\nenabled = false\n"               \
    "[layer.legalrep]\nenabled = false\n[layer.social]\nenabled = false\n"

static const char COMMERCIAL[] = SOCIETY
    "[population]\npersons = 4000\npropensity_mean = 0.05\n"
    "[agency.shop]\ntargets = persons\ncoverage = 1\ndetection = 0.5\ndeduction = 0\n"
    "misattribution = 0.01\n"
    "[scoring]\nrecovery = 0\n"
    "[sanction.deposit_waiver]\nreward = true\nharm = 2\n"
    "[commercial]\nopt_in = 0.6, 0.3\nrecovery = 0\nrecord_points = 40\nbase = 600\n"
    "min = 350\nmax = 950\nreward_at_least = 600\nrewards = deposit_waiver\n"
    "[run]\nsteps = 12\nthreads = 2\n";

static sim_t *run(const char *text, const char *const *sets, int nsets) {
    return test_sim_run("scores-test", text, sets, nsets);
}
static double sum(const sim_t *s, const char *name, const char *grp) {
    return res_get_summary(sim_results(s), name, grp);
}
static double at(const sim_t *s, int t, const char *name, const char *grp) {
    return res_get(sim_results(s), t, name, grp);
}

/* Opted-in shares by group: 10,000 persons a group, opt_in 0.7 and 0.2, seeds 1-3: each share
 * within 0.02 (at least 4.3 s.d. of a binomial share), and the summary counts the array. */
static void test_opt_in_shares(void **state) {
    (void)state;
    for (int seed = 1; seed <= 3; seed++) {
        char sd[40];
        snprintf(sd, sizeof sd, "run.seed=%d", seed);
        const char *sets[] = {"population.persons=20000", "commercial.opt_in=0.7, 0.2",
                              "run.steps=1", sd};
        sim_t *s = run(COMMERCIAL, sets, 4);
        uint64_t n[2] = {0, 0}, in[2] = {0, 0};
        for (uint32_t i = 0; i < s->pop->persons; i++)
            n[s->pop->group[i]]++, in[s->pop->group[i]] += s->commercial.opted[i];
        const double p[2] = {0.7, 0.2};
        for (int g = 0; g < 2; g++) {
            double share = (double)in[g] / (double)n[g];
            if (fabs(share - p[g]) > 0.02) fail_msg("seed %d group %d: %g", seed, g, share);
            char grp[24];
            snprintf(grp, sizeof grp, "group:%d", g);
            assert_true(sum(s, "commercial_opted_in", grp) == (double)in[g]);
        }
        assert_true(sum(s, "commercial_opted_in", "all") == (double)(in[0] + in[1]));
        sim_free(s);
    }
}

/* Person i opted in exactly when its own uniform (step 0, RNG_COMMERCIAL) is below its
 * group's share; the same persons with 1 and 2 threads and with other keys changed. */
static void test_opt_in_deterministic(void **state) {
    (void)state;
    const char *one[] = {"run.threads=1"};
    const char *two[] = {"run.threads=2", "agency.shop.detection=0.9",
                         "commercial.record_points=5"};
    sim_t *a = run(COMMERCIAL, one, 1), *b = run(COMMERCIAL, two, 3);
    uint64_t opted = 0;
    for (uint32_t i = 0; i < a->pop->persons; i++) {
        rng_stream r;
        rng_stream_at(&r, &a->rng, 0, i, RNG_COMMERCIAL);
        int want = rng_uniform(&r) < (a->pop->group[i] ? 0.3 : 0.6);
        assert_int_equal(a->commercial.opted[i], want);
        assert_int_equal(b->commercial.opted[i], want);
        opted += (uint64_t)want;
    }
    assert_true(opted > 1000 && opted < 2000);
    sim_free(a);
    sim_free(b);
}

/* Without recovery, an opted-in person's commercial score is clamp(600 - 40 x records, 350,
 * 950), records being every record made about it (rec_total: the one agency); a person who
 * did not opt in keeps base and is in no mean. The mean and the rewards follow. */
static void test_moves_only_opted(void **state) {
    (void)state;
    sim_t *s = run(COMMERCIAL, NULL, 0);
    double total = 0;
    uint64_t opted = 0, moved = 0, rewarded = 0, unopted_records = 0;
    for (uint32_t i = 0; i < s->pop->persons; i++) {
        float c = s->commercial.score[i];
        unsigned r = s->agency.rec_total[i];
        if (!s->commercial.opted[i]) {
            assert_true(c == 600.0f);
            unopted_records += r;
            continue;
        }
        float want = fmaxf(350.0f, 600.0f - 40.0f * (float)r);
        if (c != want) fail_msg("person %u: %g, want %g (%u records)", i, c, want, r);
        opted++, total += c, moved += c < 600.0f, rewarded += c >= 600.0f;
    }
    assert_true(moved > 100 && unopted_records > 100);   /* both sides are exercised */
    assert_float_equal(sum(s, "commercial_score", "all"), total / (double)opted, 1e-9);
    assert_true(at(s, 12, "commercial_rewards", "all") == (double)rewarded);
    assert_true(at(s, 12, "commercial_rewards", "sanction:deposit_waiver") == (double)rewarded);
    assert_float_equal(at(s, 12, "commercial_benefit", "all"), 2.0 * (double)rewarded, 1e-9);
    assert_true(isnan(sum(s, "commercial_flows", "all")) ||
                sum(s, "commercial_flows", "all") == 0);   /* feeds_state = 0: no flow */
    sim_free(s);
}

/* feeds_state = 0.5: the state score (no state deduction, no recovery) of an opted-in person
 * is 1000 + 0.5 x (its commercial score - 600); a person who did not opt in stays at 1000;
 * with feeds_state = 0 everyone stays at 1000. One flow per opted-in person and step, also
 * in data_flows (commercial, and in all) when the scenario shares. */
static void test_feeds_state(void **state) {
    (void)state;
    const char *sets[] = {"commercial.feeds_state=0.5"};
    sim_t *s = run(COMMERCIAL, sets, 1), *z = run(COMMERCIAL, NULL, 0);
    uint64_t opted = 0, fed = 0;
    for (uint32_t i = 0; i < s->pop->persons; i++) {
        assert_true(z->score[i] == 1000.0f);
        float want = s->commercial.opted[i] ? 1000.0f + 0.5f * (s->commercial.score[i] - 600.0f)
                                            : 1000.0f;
        if (s->score[i] != want) fail_msg("person %u: %g, want %g", i, s->score[i], want);
        opted += s->commercial.opted[i], fed += s->score[i] < 1000.0f;
    }
    assert_true(fed > 100);
    for (int t = 1; t <= 12; t++) assert_true(at(s, t, "commercial_flows", "all") == (double)opted);
    assert_true(sum(s, "commercial_flows", "all") == 12.0 * (double)opted);
    sim_free(z);
    sim_free(s);
    char text[sizeof COMMERCIAL + 200];
    snprintf(text, sizeof text, "%s[agency.bank]\ntargets = persons\n[share.shop]\nto = bank\n",
             COMMERCIAL);
    s = run(text, sets, 1);
    double com = at(s, 5, "data_flows", "commercial"), all = at(s, 5, "data_flows", "all");
    assert_true(com == at(s, 5, "commercial_flows", "all") && com > 1000);
    assert_true(all >= com + at(s, 5, "data_flows", "agency:shop"));
    sim_free(s);
}

/* Every summary row and the commercial arrays are the same with 1 and 2 threads. */
static void test_threads(void **state) {
    (void)state;
    const char *one[] = {"run.threads=1", "commercial.feeds_state=0.3", "behaviour.deed_rate=0.1"};
    const char *two[] = {"run.threads=2", "commercial.feeds_state=0.3", "behaviour.deed_rate=0.1"};
    sim_t *a = run(COMMERCIAL, one, 3), *b = run(COMMERCIAL, two, 3);
    const res_t *ra = sim_results(a), *rb = sim_results(b);
    assert_int_equal(ra->nsummary, rb->nsummary);
    for (size_t k = 0; k < ra->nsummary; k++) {
        assert_int_equal(ra->summary[k].metric, rb->summary[k].metric);
        assert_true(memcmp(&ra->summary[k].value, &rb->summary[k].value, sizeof(double)) == 0);
    }
    assert_memory_equal(a->commercial.score, b->commercial.score, a->pop->persons * sizeof(float));
    assert_memory_equal(a->score, b->score, a->n * sizeof(float));
    assert_true(sum(a, "deeds_recorded", "all") > 0);
    sim_free(a);
    sim_free(b);
}

/* Deeds: no violations, base = max = 1000, red list at 1050, 10 points a deed, 24 steps. */
static const char DEEDS[] = SOCIETY
    "[population]\npersons = 20000\n"
    "[agency.none]\nviolation_scale = 0\nfalse_record = 0\n"
    "[scoring]\nrecovery = 1\n"
    "[lists]\nred_at_least = 1050\nred_term = 1\n"
    "[behaviour]\ndeed_points = 10\n"
    "[run]\nsteps = 24\nthreads = 2\n";

/* Zero deeds, or deeds that may not lift a score above max: nobody is red at any step. */
static void test_no_deeds_no_red(void **state) {
    (void)state;
    const char *off[] = {"behaviour.deed_rate=0"};
    const char *capped[] = {"behaviour.deed_rate=0.5", "behaviour.deed_above_max=false"};
    sim_t *a = run(DEEDS, off, 1), *b = run(DEEDS, capped, 2);
    assert_true(isnan(at(a, 24, "deeds_recorded", "all")));   /* not modelled: no rows */
    assert_true(at(b, 24, "deeds_recorded", "all") > 1000);
    for (int t = 1; t <= 24; t++) {
        double ra = at(a, t, "listed.red", "all"), rb = at(b, t, "listed.red", "all");
        assert_true((isnan(ra) || ra == 0) && (isnan(rb) || rb == 0));
    }
    for (uint32_t i = 0; i < b->pop->persons; i++) assert_true(b->score[i] <= 1000.0f);
    sim_free(a);
    sim_free(b);
}

/* deed_rate 0.02, group 1 twice that: at step 24 a person is red iff it recorded >= 5 deeds
 * (50 points above 1000; nothing lowers a score). The share per group is within 4 s.d. of
 * P(Poisson(24 rate) >= 5) (GSL), and deeds_recorded equals the deeds drawn here from the
 * same streams, person by person. */
static void test_red_share_follows_rate(void **state) {
    (void)state;
    const char *sets[] = {"behaviour.deed_rate=0.02", "behaviour.deed_rate_by_group=1, 2"};
    sim_t *s = run(DEEDS, sets, 2);
    uint64_t n[2] = {0, 0}, red[2] = {0, 0}, drawn = 0;
    for (uint32_t i = 0; i < s->pop->persons; i++) {
        int g = s->pop->group[i];
        unsigned d = 0;
        for (int t = 1; t <= 24; t++) {
            rng_stream r;
            rng_stream_at(&r, &s->rng, (uint32_t)t, i, RNG_DEEDS);
            d += travel_attempts(0.02 * (g ? 2 : 1), rng_uniform(&r));
        }
        drawn += d;
        n[g]++, red[g] += (s->status[i] & ST_RED) != 0;
        assert_int_equal((s->status[i] & ST_RED) != 0, d >= 5);
    }
    assert_true(sum(s, "deeds_recorded", "all") == (double)drawn);
    for (int g = 0; g < 2; g++) {
        double p = gsl_cdf_poisson_Q(4, 24 * 0.02 * (g ? 2 : 1)), share = (double)red[g] / n[g];
        double sd = sqrt(p * (1 - p) / (double)n[g]);
        if (fabs(share - p) > 4 * sd) fail_msg("group %d: %g against %g (sd %g)", g, share, p, sd);
        char grp[24];
        snprintf(grp, sizeof grp, "group:%d", g);
        assert_true(at(s, 24, "listed.red", grp) == (double)red[g]);
    }
    assert_true(red[1] > red[0]);
    sim_free(s);
}

static void test_bad_input(void **state) {
    (void)state;
    test_expect_exit3("scores", "tests/scenarios/bad/commercial_reward_unknown.ini",
                      "commercial_reward_unknown.ini:7", "rewards");
    test_expect_exit3("scores", "tests/scenarios/bad/commercial_reward_not_reward.ini",
                      "commercial_reward_not_reward.ini:6", "rewards");
    test_expect_exit3("scores", "tests/scenarios/bad/commercial_opt_in_range.ini",
                      "commercial_opt_in_range.ini:4", "opt_in");
    test_expect_exit3("scores", "tests/scenarios/bad/commercial_base_range.ini",
                      "commercial_base_range.ini:4", "base");
    test_expect_exit3("scores", "tests/scenarios/bad/deed_rate_negative.ini",
                      "deed_rate_negative.ini:4", "deed_rate");
    remove("build/scores-bad.db");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opt_in_shares),
        cmocka_unit_test(test_opt_in_deterministic),
        cmocka_unit_test(test_moves_only_opted),
        cmocka_unit_test(test_feeds_state),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_no_deeds_no_red),
        cmocka_unit_test(test_red_share_follows_rate),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
