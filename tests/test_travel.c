/* tests/test_travel.c - travel bans as acts (sim/engine/travel.c, docs/ODD.md 7.18): the
 * inversion that draws a person's attempts against GSL's Poisson distribution function;
 * refused trips at every step equal the blacklisted persons' attempts, computed here
 * independently from the same streams (RNG_TRAVEL + mode), and none come from unlisted
 * persons, from sanctions that ban nothing or from a ban on a list no one is on; the
 * flight:rail ratio of refused trips follows the rates within a stated tolerance (fixed
 * seeds); counts per sanction; common random numbers (bans leave every other row of a run
 * bit-identical); threads; the timeline; and bad input (an unknown mode, a negative rate:
 * exit 3 naming file, line and key; the same files are in tests/scenarios/bad). */
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

/* 2,000 persons, no firms, one region, no ties, no violations or records; half the persons
 * blacklisted at step 0 for longer than the run, so the listed set is fixed. fly bans
 * flights and train rail for blacklisted persons; idle (black) and watchfly (watch, a list
 * no one is on) ban nothing that anyone is under. */
static const char QUIET[] =
    "[population]\npersons = 2000\nfirms_per_person = 0\nregions = 1\ngroups = 2\n"
    "propensity_sd = 0\n"
    "[layer.family]\nenabled = false\n[layer.parent]\nenabled = false\n"
    "[layer.employment]\nenabled = false\n[layer.partner]\nenabled = false\n"
    "[layer.legalrep]\nenabled = false\n[layer.social]\nenabled = false\n"
    "[agency.none]\nviolation_scale = 0\nfalse_record = 0\n"
    "[lists]\nblack_term = 10000\nwatch_below = 960\n"
    "[sanction.fly]\nlists = black\ntargets = persons\nbans = flight\n"
    "[sanction.train]\nlists = black\ntargets = persons\nbans = rail\n"
    "[sanction.idle]\nlists = black\n"
    "[sanction.watchfly]\nlists = watch\nbans = both\n"
    "[behaviour]\nflight_rate = 0.3\nrail_rate = 0.1\n"
    "[run]\nsteps = 12\nthreads = 2\nseed_listed = 0.5\n";

static sim_t *run(const char *text, const char *const *sets, int nsets) {
    return test_sim_run("travel-test", text, sets, nsets);
}

static double sum(const sim_t *s, const char *name, const char *grp) {
    return res_get_summary(sim_results(s), name, grp);
}
static double at(const sim_t *s, int t, const char *name, const char *grp) {
    return res_get(sim_results(s), t, name, grp);
}

/* Poisson(rate) by inversion, from GSL's distribution function (not travel.c's sums). */
static unsigned poisson_inv(double rate, double u) {
    unsigned k = 0;
    while (u >= gsl_cdf_poisson_P(k, rate)) k++;
    return k;
}

/* travel_attempts(rate, u) is the smallest k with P(N <= k) > u, for rates from a tenth of
 * a trip to 20 a month and u on a grid of 2,001 points plus the edges. */
static void test_inversion(void **state) {
    (void)state;
    const double rates[] = {0.013, 0.056, 0.3, 1, 7.5, 20};
    for (size_t r = 0; r < sizeof rates / sizeof *rates; r++)
        for (int j = 0; j <= 2000; j++) {
            double u = j < 2000 ? j / 2000.0 : 1 - 1e-12;
            unsigned a = travel_attempts(rates[r], u), b = poisson_inv(rates[r], u);
            /* at a grid point equal to a CDF value up to rounding the two may differ by 1 */
            if (a != b && fabs(gsl_cdf_poisson_P(a < b ? a : b, rates[r]) - u) > 1e-12)
                fail_msg("rate %g u %.17g: %u against %u", rates[r], u, a, b);
        }
    assert_int_equal(travel_attempts(0, 0.5), 0);
    assert_int_equal(travel_attempts(1, 0), 0);   /* u < e^-1: no trip */
    assert_int_equal(travel_attempts(1, 0.5), 1);   /* e^-1 <= u < 2 e^-1 */
}

/* Person i's attempts of mode m at step t, from its stream, independently of travel.c. */
static unsigned attempts(const sim_t *s, int t, uint32_t i, int m, double rate) {
    rng_stream rs;
    rng_stream_at(&rs, &s->rng, (uint32_t)t, i, RNG_TRAVEL + (uint32_t)m);
    return poisson_inv(rate, rng_uniform(&rs));
}

/* Refused trips at every step = the blacklisted persons' attempts, per mode; the unlisted
 * persons' attempts (which would be counted if the ban leaked) are many; idle (bans nothing)
 * has no rows and watchfly (bans both, on the watch list no one is on) refuses 0; fly
 * refuses no train trip and train no flight. */
static void test_equals_listed_attempts(void **state) {
    (void)state;
    for (int seed = 1; seed <= 2; seed++) {
        char set[32];
        snprintf(set, sizeof set, "run.seed=%d", seed);
        const char *sets[] = {set};
        sim_t *s = run(QUIET, sets, 1);
        uint32_t listed = 0;
        for (uint32_t i = 0; i < s->pop->persons; i++) listed += (s->status[i] & ST_BLACK) != 0;
        assert_true(listed > 900 && listed < 1100);
        uint64_t tot[2] = {0}, outside = 0;
        for (int t = 1; t <= 12; t++) {
            assert_true(at(s, t, "listed.black", "all") == listed);   /* fixed all run */
            uint64_t n[2] = {0};
            for (uint32_t i = 0; i < s->pop->persons; i++)
                for (int m = 0; m < 2; m++) {
                    unsigned k = attempts(s, t, i, m, m ? 0.1 : 0.3);
                    if (s->status[i] & ST_BLACK) n[m] += k;
                    else outside += k;
                }
            assert_true(at(s, t, "flights_refused", "all") == n[0]);
            assert_true(at(s, t, "flights_refused", "sanction:fly") == n[0]);
            assert_true(at(s, t, "trains_refused", "all") == n[1]);
            assert_true(at(s, t, "trains_refused", "sanction:train") == n[1]);
            assert_true(at(s, t, "sanction_active", "sanction:fly") == listed);
            tot[0] += n[0], tot[1] += n[1];
        }
        assert_true(outside > 2000);   /* ~ 1,000 x 12 x 0.4 attempts outside the lists */
        assert_true(sum(s, "flights_refused", "all") == tot[0]);
        assert_true(sum(s, "trains_refused", "all") == tot[1]);
        assert_true(sum(s, "flights_refused", "sanction:fly") == tot[0]);
        assert_true(tot[0] > 3000 && tot[1] > 900);   /* ~ 1,000 x 12 x 0.3 and x 0.1 */
        assert_true(isnan(sum(s, "flights_refused", "sanction:idle")));
        assert_true(isnan(sum(s, "trains_refused", "sanction:fly")));
        assert_true(isnan(sum(s, "flights_refused", "sanction:train")));
        assert_true(sum(s, "flights_refused", "sanction:watchfly") == 0);
        assert_true(sum(s, "trains_refused", "sanction:watchfly") == 0);
        sim_free(s);
    }
}

/* A sanction banning both modes counts every refused trip of both; with fly also in force
 * a flight refused under both sanctions counts once in all and once under each. Rates 0:
 * nothing is drawn or refused, rows of 0 remain. */
static void test_per_sanction(void **state) {
    (void)state;
    const char *both[] = {"sanction.idle.bans=both"};
    sim_t *s = run(QUIET, both, 1);
    double f = sum(s, "flights_refused", "all"), r = sum(s, "trains_refused", "all");
    assert_true(f > 0 && r > 0);
    assert_true(sum(s, "flights_refused", "sanction:idle") == f);
    assert_true(sum(s, "trains_refused", "sanction:idle") == r);
    assert_true(sum(s, "flights_refused", "sanction:fly") == f);
    sim_free(s);
    const char *zero[] = {"behaviour.flight_rate=0", "behaviour.rail_rate=0"};
    s = run(QUIET, zero, 2);
    assert_true(sum(s, "flights_refused", "all") == 0 && sum(s, "trains_refused", "all") == 0);
    sim_free(s);
}

/* The seeds' ratio: 5,000 persons, all blacklisted, 60 months at the default rates (0.056
 * flights, 0.013 train trips): about 16,800 flights (s.d. 130) and 3,900 train trips (s.d.
 * 62) refused, a flight:rail ratio of 0.056 / 0.013 = 4.31 (s.d. about 0.077). Tolerances
 * for seeds 1-3: ratio within 0.25 (about 3 s.d.), each count within 4 s.d. */
static void test_ratio(void **state) {
    (void)state;
    for (int seed = 1; seed <= 3; seed++) {
        char set[32];
        snprintf(set, sizeof set, "run.seed=%d", seed);
        const char *sets[] = {set, "population.persons=5000", "run.seed_listed=1",
                              "run.steps=60", "behaviour.flight_rate=0.056",
                              "behaviour.rail_rate=0.013"};
        sim_t *s = run(QUIET, sets, 6);
        double f = sum(s, "flights_refused", "all"), r = sum(s, "trains_refused", "all");
        print_message("seed %d: flights %.0f, trains %.0f, ratio %.3f\n", seed, f, r, f / r);
        assert_true(fabs(f - 16800) < 4 * 130);
        assert_true(fabs(r - 3900) < 4 * 62);
        assert_true(fabs(f / r - 0.056 / 0.013) < 0.25);
        sim_free(s);
    }
}

/* Every row of a run without bans has the same value with them (trips draw from their own
 * streams), and the run without bans has no travel rows. */
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
    const char *text = "include = scenarios/joint-punishment.ini\n[run]\nsteps = 24\n";
    const char *off[] = {"population.persons=3000", "sanction.flight_ban.bans=none",
                         "sanction.rail_ban.bans=none"};
    const char *on[] = {"population.persons=3000"};
    const char *one[] = {"population.persons=3000", "sanction.rail_ban.bans=none",
                         "run.threads=1"};
    sim_t *a = run(text, off, 3), *b = run(text, on, 1), *c = run(text, one, 3);
    expect_rows_equal(sim_results(a), sim_results(b));
    assert_true(isnan(sum(a, "flights_refused", "all")));
    /* court-blacklist declares sanctions.ini's banning sanctions but triggers neither: a
       sanction nothing applies bans nothing, so there are no travel rows */
    const char *court_text = "include = scenarios/court-blacklist.ini\n[run]\nsteps = 6\n";
    sim_t *d = run(court_text, on, 1);
    assert_true(isnan(sum(d, "flights_refused", "all")) && isnan(at(d, 3, "trains_refused", "all")));
    sim_free(d);
    assert_true(sum(b, "flights_refused", "all") > 0 && sum(b, "trains_refused", "all") > 0);
    /* without the rail ban, on one thread: the same flights, no train trip refused */
    assert_true(sum(c, "flights_refused", "all") == sum(b, "flights_refused", "all"));
    assert_true(sum(c, "trains_refused", "all") == 0);
    for (int t = 1; t <= 24; t++)
        assert_true(at(c, t, "flights_refused", "all") == at(b, t, "flights_refused", "all"));
    sim_free(a);
    sim_free(b);
    sim_free(c);
}

/* A ban put in force at step 7 refuses nothing before it and, from it on, what a run with
 * the ban from the start refuses (the same streams). */
static void test_timeline(void **state) {
    (void)state;
    char text[sizeof QUIET + 200];
    snprintf(text, sizeof text, "%s[at.7]\nsanction.idle.bans = flight\n", QUIET);
    const char *no_fly[] = {"sanction.fly.bans=none"};
    const char *from_start[] = {"sanction.fly.bans=none", "sanction.idle.bans=flight"};
    sim_t *a = run(text, no_fly, 1), *b = run(QUIET, from_start, 2);
    for (int t = 1; t <= 12; t++) {
        double va = at(a, t, "flights_refused", "all"), vb = at(b, t, "flights_refused", "all");
        assert_true(t < 7 ? va == 0 : va == vb && va > 0);
    }
    sim_free(a);
    sim_free(b);
}

static void test_bad_input(void **state) {
    (void)state;
    test_expect_exit3("travel", "tests/scenarios/bad/travel_mode_unknown.ini",
                      "travel_mode_unknown.ini:5", "bans");
    test_expect_exit3("travel", "tests/scenarios/bad/travel_rate_negative.ini",
                      "travel_rate_negative.ini:4", "rail_rate");
    remove("build/travel-bad.db");
}

/* The summary headline shows the two counts of a run with bans, and "-" for one without. */
static void test_headline(void **state) {
    (void)state;
    remove("build/travel-head.db");
    char cmd[2048];
    const char *x = test_scsim();
    const char *o = "--out build/travel-head.db --set population.persons=2000 "
                    "--set run.steps=24 > /dev/null 2>&1";
    snprintf(cmd, sizeof cmd, "%s run scenarios/joint-punishment.ini %s && %s run "
             "scenarios/court-blacklist.ini %s && %s summary build/travel-head.db > "
             "build/travel.out 2>&1", x, o, x, o, x);
    int rc = system(cmd);
    assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
    char *out = test_slurp("build/travel.out");
    assert_non_null(out);
    const char *f = strstr(out, "flights refused"), *r = strstr(out, "train trips refused");
    assert_non_null(f);
    assert_non_null(r);
    long a, b;
    char dash[4];
    /* columns: run 1 (joint-punishment: counts), run 2 (court-blacklist: no bans, "-") */
    assert_int_equal(sscanf(f + strlen("flights refused"), " %ld %3s", &a, dash), 2);
    assert_true(a > 0 && strcmp(dash, "-") == 0);
    assert_int_equal(sscanf(r + strlen("train trips refused"), " %ld %3s", &b, dash), 2);
    assert_true(b > 0 && b < a && strcmp(dash, "-") == 0);
    free(out);
    remove("build/travel-head.db");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inversion),
        cmocka_unit_test(test_equals_listed_attempts),
        cmocka_unit_test(test_per_sanction),
        cmocka_unit_test(test_ratio),
        cmocka_unit_test(test_common_random_numbers),
        cmocka_unit_test(test_timeline),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_headline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
