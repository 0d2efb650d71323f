/* tests/test_severity.c - severity tiers (sim/engine/severity.c, docs/ODD.md 7.20), on small
 * societies with fixed seeds: a blacklisting caused by a serious record lasts the serious
 * term and an ordinary one the ordinary term (read from the listing and delisting events);
 * the credit-repair display period follows the tier; the points deducted follow the tier;
 * records of a tier with lists = false never list (both regimes); a tier's sanctions reach
 * exactly the agents its agency blacklisted; the weighted prevented violations equal the sum
 * over agencies of weight x the agency's prevented violations, those summing to the count
 * violations_prevented, and weights change nothing else; the weighted rows are the same for
 * 1 and 2 threads; `scsim summary` prints the weighted benefit next to the count (the
 * library's court-blacklist, whose serious tier makes them differ). Unknown tiers are in tests/scenarios/bad (severity_*.ini). */
#include "testutil.h"
#include "test_sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "scenario.h"
#include "state.h"

/* 3,000 persons, no firms, one region, no ties; two agencies: minor (ordinary) and grave
 * (serious), each listing on its first record (window 1: the count lapses a step later);
 * no false records, no misattribution, no red list. */
static const char TWO[] =
    "[population]\npersons = 3000\nfirms_per_person = 0\nregions = 1\ngroups = 1\n"
    "propensity_mean = 0.01\npropensity_sd = 0.005\n"
    "[layer.family]\nenabled = false\n[layer.parent]\nenabled = false\n"
    "[layer.employment]\nenabled = false\n[layer.partner]\nenabled = false\n"
    "[layer.legalrep]\nenabled = false\n[layer.social]\nenabled = false\n"
    "[agency.minor]\nviolation_scale = 1\ncoverage = 1\ndetection = 0.5\nfalse_record = 0\n"
    "misattribution = 0\nlist_after = 1\nwindow = 1\ndeduction = 50\n"
    "[agency.grave]\nviolation_scale = 0.5\ncoverage = 1\ndetection = 0.5\nfalse_record = 0\n"
    "misattribution = 0\nlist_after = 1\nwindow = 1\ndeduction = 50\nseverity = serious\n"
    "[scoring]\nregime = lists\n"
    "[lists]\nblack_term = 6\nred_clean = 10000\n"
    "[run]\nsteps = 90\nthreads = 2\nseed = 7\n";

static sim_t *run(const char *const *sets, int nsets) {
    return test_sim_run("severity-test", TWO, sets, nsets);
}

static double sum(const sim_t *s, const char *name, const char *grp) {
    return res_get_summary(sim_results(s), name, grp);
}

/* Sum of a per-step row over steps 1..T (records by agency have no summary row). */
static double over_steps(const sim_t *s, const char *name, const char *grp, int T) {
    double v = 0;
    for (int t = 1; t <= T; t++) v += res_get(sim_results(s), t, name, grp);
    return v;
}

/* Blacklistings by agency a that ended (by reason `why`, -1: any) : their shortest and
 * longest duration in steps, and how many. */
typedef struct spans { int min, max, n; } spans;

static spans black_spans(const sim_t *s, int a, int why) {
    const res_t *r = sim_results(s);
    spans sp = {1 << 30, -1, 0};
    for (uint64_t k = 0; k < r->nevents; k++) {
        const res_event *e = &r->events[k];
        if (e->kind != EV_LISTED || e->list != LIST_BLACK || e->agency != a) continue;
        for (uint64_t j = k + 1; j < r->nevents; j++) {
            const res_event *d = &r->events[j];
            if (d->agent != e->agent || d->list != LIST_BLACK || d->kind != EV_DELISTED) continue;
            if (why < 0 || d->cause == why) {
                int len = d->step - e->step;
                sp.min = len < sp.min ? len : sp.min, sp.max = len > sp.max ? len : sp.max;
                sp.n++;
            }
            break;
        }
    }
    return sp;
}

/* A blacklisting caused by a serious record lasts the serious term (30), an ordinary one the
 * ordinary term (6): never less, and exactly that when no record holds the listing on. */
static void test_term_by_tier(void **state) {
    (void)state;
    const char *sets[] = {"severity.serious.black_term=30"};
    sim_t *s = run(sets, 1);
    spans minor = black_spans(s, 0, -1), grave = black_spans(s, 1, -1);
    assert_true(minor.n >= 20 && grave.n >= 10);
    assert_int_equal(minor.min, 6);
    assert_int_equal(grave.min, 30);
    sim_free(s);
    /* without the tier's term both last the [lists] term */
    s = run(NULL, 0);
    grave = black_spans(s, 1, -1);
    assert_true(grave.n >= 10);
    assert_int_equal(grave.min, 6);
    sim_free(s);
}

/* Own lists (ODD 7.19) follow the tiers too: an agency's own blacklisting lasts its tier's
 * term unless the agency sets its own black_term, which comes first (sev_term). Spans are
 * matched on the agency's own listing and delisting events. */
static spans own_spans(const sim_t *s, int a) {
    const res_t *r = sim_results(s);
    spans sp = {1 << 30, -1, 0};
    for (uint64_t k = 0; k < r->nevents; k++) {
        const res_event *e = &r->events[k];
        if (e->kind != EV_LISTED || e->list != LIST_BLACK || e->agency != a) continue;
        for (uint64_t j = k + 1; j < r->nevents; j++) {
            const res_event *d = &r->events[j];
            if (d->agent != e->agent || d->list != LIST_BLACK || d->kind != EV_DELISTED ||
                d->agency != a)
                continue;
            int len = d->step - e->step;
            sp.min = len < sp.min ? len : sp.min, sp.max = len > sp.max ? len : sp.max;
            sp.n++;
            break;
        }
    }
    return sp;
}

static void test_own_lists_by_tier(void **state) {
    (void)state;
    const char *sets[] = {"agency.minor.own_lists=true", "agency.grave.own_lists=true",
                          "severity.serious.black_term=30"};
    sim_t *s = run(sets, 3);
    spans minor = own_spans(s, 0), grave = own_spans(s, 1);
    assert_true(minor.n >= 20 && grave.n >= 10);
    assert_int_equal(minor.min, 6);
    assert_int_equal(grave.min, 30);
    sim_free(s);
    const char *own[] = {"agency.minor.own_lists=true", "agency.grave.own_lists=true",
                         "severity.serious.black_term=30", "agency.grave.black_term=12"};
    s = run(own, 4);
    grave = own_spans(s, 1);
    assert_true(grave.n >= 10);
    assert_int_equal(grave.min, 12);
    sim_free(s);
}

/* Credit repair (always granted once allowed) ends each blacklisting exactly at its tier's
 * display period: ordinary inherits [redress] repair_after = 3, serious sets 20. */
static void test_repair_by_tier(void **state) {
    (void)state;
    const char *sets[] = {"lists.black_term=200", "redress.repair=1", "redress.repair_after=3",
                          "severity.serious.repair_after=20"};
    sim_t *s = run(sets, 4);
    spans minor = black_spans(s, 0, OUT_REPAIR), grave = black_spans(s, 1, OUT_REPAIR);
    assert_true(minor.n >= 20 && grave.n >= 5);
    assert_int_equal(minor.min, 3);
    assert_int_equal(minor.max, 3);
    assert_int_equal(grave.min, 20);
    assert_int_equal(grave.max, 20);
    sim_free(s);
}

/* Points regime without recovery or listing: every agent's score is base minus the points
 * its records deducted, so the total lost is 50 x minor's records + 7 x grave's (the
 * serious tier's deduction), not 50 x all. */
static void test_deduction_by_tier(void **state) {
    (void)state;
    const char *sets[] = {"scoring.regime=points", "scoring.recovery=0", "scoring.min=-1000000",
                          "lists.black_below=-1000000", "lists.watch_below=-1000000",
                          "severity.serious.deduction=7", "run.steps=40"};
    sim_t *s = run(sets, 7);
    double r1 = over_steps(s, "records", "agency:minor", 40);
    double r2 = over_steps(s, "records", "agency:grave", 40);
    assert_true(r1 > 50 && r2 > 50);
    double lost = 3000.0 * (1000.0 - res_get(sim_results(s), 40, "mean_score", "all"));
    assert_float_equal(lost, 50 * r1 + 7 * r2, 1e-3);
    sim_free(s);
}

/* Records of a tier with lists = false are made and counted but never list, in either
 * regime; the other agency still lists. */
static void test_lists_false(void **state) {
    (void)state;
    const char *regimes[] = {"scoring.regime=lists", "scoring.regime=points"};
    for (int k = 0; k < 2; k++) {
        const char *sets[] = {"severity.serious.lists=false", regimes[k]};
        sim_t *s = run(sets, 2);
        assert_true(over_steps(s, "records", "agency:grave", 90) > 100);
        assert_int_equal(black_spans(s, 1, -1).n, 0);
        const res_t *r = sim_results(s);
        uint64_t grave = 0, any = 0;
        for (uint64_t j = 0; j < r->nevents; j++)
            if (r->events[j].kind == EV_LISTED) any++, grave += r->events[j].agency == 1;
        assert_int_equal(grave, 0);
        assert_true(any > 0);   /* minor's records still list */
        sim_free(s);
    }
    /* points regime, only the quiet agency: no score moves, no one is listed */
    const char *sets[] = {"severity.serious.lists=false", "scoring.regime=points",
                          "agency.minor.violation_scale=0"};
    sim_t *s = run(sets, 3);
    assert_float_equal(res_get(sim_results(s), 90, "mean_score", "all"), 1000, 0);
    assert_float_equal(sum(s, "listings.black", "all"), 0, 0);
    sim_free(s);
}

/* A tier's sanctions reach exactly the agents blacklisted by its agency: at the end, a
 * blacklisted agent carries `stamp` iff grave listed it. */
static void test_sanctions_by_tier(void **state) {
    (void)state;
    char text[sizeof TWO + 200];
    snprintf(text, sizeof text, "%s[sanction.stamp]\nreach = self\n"
             "[severity.serious]\nsanctions = stamp\nblack_term = 30\n", TWO);
    sim_t *s = test_sim_run("severity-sanctions", text, NULL, 0);
    int with = 0, without = 0;
    for (uint32_t i = 0; i < s->n; i++) {
        if (!(s->status[i] & ST_BLACK)) continue;
        int stamped = (int)(s->sanction.sanc[i] & 1u);
        assert_int_equal(stamped, s->cause_agency[i] == 1);
        with += stamped, without += !stamped;
    }
    assert_true(with > 5 && without > 5);
    sim_free(s);
}

/* Deterrence makes prevented violations. With weights 1 the per-agency rows of the weighted
 * figure are each agency's prevented count and sum to violations_prevented; with weights
 * 0.25 (ordinary) and 3.5 (serious) the weighted figure is 0.25 P_minor + 3.5 P_grave, at
 * every step and over the run, and every count is unchanged. */
static void test_weighted_prevented(void **state) {
    (void)state;
    const char *one[] = {"behaviour.deter_surveillance=0.6", "severity.serious.weight=1"};
    const char *w[] = {"behaviour.deter_surveillance=0.6", "severity.serious.weight=3.5",
                       "severity.ordinary.weight=0.25"};
    sim_t *a = run(one, 2), *b = run(w, 3);
    double p1 = sum(a, "violations_prevented_weighted", "agency:minor");
    double p2 = sum(a, "violations_prevented_weighted", "agency:grave");
    assert_true(p1 > 100 && p2 > 50);
    assert_float_equal(p1 + p2, sum(a, "violations_prevented", "all"), 0);
    assert_float_equal(sum(b, "violations_prevented", "all"), sum(a, "violations_prevented", "all"), 0);
    assert_float_equal(sum(b, "violations_prevented_weighted", "all"), 0.25 * p1 + 3.5 * p2, 1e-9);
    assert_float_equal(sum(b, "violations_weighted", "all"),
                        0.25 * sum(a, "violations_weighted", "agency:minor") +
                        3.5 * sum(a, "violations_weighted", "agency:grave"), 1e-9);
    assert_float_equal(sum(b, "violations_counterfactual_weighted", "all"),
                        0.25 * (sum(a, "violations_weighted", "agency:minor") + p1) +
                        3.5 * (sum(a, "violations_weighted", "agency:grave") + p2), 1e-9);
    for (int t = 1; t <= 90; t += 11) {
        const res_t *ra = sim_results(a), *rb = sim_results(b);
        double q1 = res_get(ra, t, "violations_prevented_weighted", "agency:minor");
        double q2 = res_get(ra, t, "violations_prevented_weighted", "agency:grave");
        assert_float_equal(q1 + q2, res_get(ra, t, "violations_prevented", "all"), 0);
        assert_float_equal(res_get(rb, t, "violations_prevented_weighted", "all"),
                            0.25 * q1 + 3.5 * q2, 1e-9);
    }
    sim_free(a), sim_free(b);
}

/* The weighted rows do not depend on the number of threads. */
static void test_threads(void **state) {
    (void)state;
    const char *t1[] = {"behaviour.deter_surveillance=0.6", "run.threads=1"};
    const char *t2[] = {"behaviour.deter_surveillance=0.6", "run.threads=2"};
    sim_t *a = run(t1, 2), *b = run(t2, 2);
    const char *names[] = {"violations_weighted", "violations_prevented_weighted",
                           "detected_weighted", "violations_counterfactual_weighted"};
    for (int k = 0; k < 4; k++)
        assert_true(sum(a, names[k], "all") == sum(b, names[k], "all"));
    sim_free(a), sim_free(b);
}

/* `scsim summary` prints violations prevented counted and weighted, as stored. */
static void test_summary_prints_weighted(void **state) {
    (void)state;
    const char *bin = getenv("SCSIM") ? getenv("SCSIM") : "build/scsim";
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -f build/sevtest.db && %s run scenarios/court-blacklist.ini "
             "--set population.persons=3000 --set behaviour.deter_surveillance=2 --quiet "
             "--out build/sevtest.db > /dev/null 2>&1", bin);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s summary build/sevtest.db", bin);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[256];
    double counted = NAN, weighted = NAN;
    while (fgets(line, sizeof line, p)) {
        if (!strncmp(line, "violations prevented", 20)) counted = strtod(line + 20, NULL);
        if (!strncmp(line, "  weighted by severity", 22)) weighted = strtod(line + 22, NULL);
    }
    assert_int_equal(pclose(p), 0);
    snprintf(cmd, sizeof cmd, "sqlite3 build/sevtest.db \"SELECT value FROM summary WHERE "
             "name = 'violations_prevented_weighted' AND grp = 'all'\"");
    p = popen(cmd, "r");
    assert_non_null(p);
    assert_non_null(fgets(line, sizeof line, p));
    pclose(p);
    assert_true(counted > 0);
    assert_float_equal(weighted, strtod(line, NULL), 0.5);
    assert_true(weighted > counted);   /* a serious tier (weight 20) prevented some */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_term_by_tier), cmocka_unit_test(test_own_lists_by_tier),
        cmocka_unit_test(test_repair_by_tier),
        cmocka_unit_test(test_deduction_by_tier), cmocka_unit_test(test_lists_false),
        cmocka_unit_test(test_sanctions_by_tier), cmocka_unit_test(test_weighted_prevented),
        cmocka_unit_test(test_threads),           cmocka_unit_test(test_summary_prints_weighted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
