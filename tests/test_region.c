/* tests/test_region.c - regional pilots (issue 13 item 3, docs/ODD.md 7.21): an agency, a
 * spillover rule, a sanction or a collection source whose `regions` key names some regions
 * acts only on agents of those regions. Each test counts by region by hand from the
 * per-agent state (records, listings and their causes, scores, harm, records held) or the
 * events, independently of region.c's tallies, checks that those equal the region.* and
 * region-grouped summary rows, that nothing happens outside the regions named while the
 * same mechanism does act there without the key, and that the records an agency makes in
 * its regions are exactly those of the same run without the key (common random numbers).
 * Also: a scenario naming every region equals one without the key, bit for bit; results do
 * not depend on the thread count; the timeline widens a pilot at its step; a region index
 * beyond population.regions (or not an index) is exit 3 naming file, line and key. */
#include "testutil.h"
#include "test_sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "engine.h"
#include "metric.h"
#include "scenario.h"
#include "state.h"

enum { R = 4 };

/* 4,000 persons in 4 regions, no firms, no ties but a social layer (spillover tests), the
 * lists regime (one record blacklists), one agency that sees most violations. */
static const char BASE[] =
    "[population]\npersons = 4000\nfirms_per_person = 0\nregions = 4\ngroups = 2\n"
    "propensity_mean = 0.02\n"
    "[layer.family]\nenabled = false\n[layer.parent]\nenabled = false\n"
    "[layer.employment]\nenabled = false\n[layer.partner]\nenabled = false\n"
    "[layer.legalrep]\nenabled = false\n"
    "[layer.social]\ngenerator = er\nmean_degree = 6\n"
    "[scoring]\nregime = lists\n"
    "[lists]\nblack_term = 6\n"
    "[agency.pilot]\ncoverage = 0.9\ndetection = 0.8\nfalse_record = 0.002\n"
    "misattribution = 0.05\n"
    "[run]\nsteps = 24\nthreads = 2\n";

static sim_t *run(const char *text, const char *const *sets, int nsets) {
    return test_sim_run("region-test", text, sets, nsets);
}

static double sum(const sim_t *s, const char *name, int r) {
    char grp[24];
    snprintf(grp, sizeof grp, "region:%d", r);
    return res_get_summary(sim_results(s), name, grp);
}

/* Records ever made about the agents of each region, from the per-agent counters. */
static void records_by_hand(const sim_t *s, uint64_t *n) {
    memset(n, 0, R * sizeof *n);
    for (uint32_t i = 0; i < s->n; i++) n[s->pop->region[i]] += s->agency.rec_total[i];
}

/* The agency of regions 1 and 3 makes records only there, as many as the same run without
 * the key makes there (the same draws); blacklistings by records (events) too. */
static void test_agency_scoped(void **state) {
    (void)state;
    const char *scoped[] = {"agency.pilot.regions=1, 3"};
    sim_t *a = run(BASE, NULL, 0), *b = run(BASE, scoped, 1);
    uint64_t na[R], nb[R];
    records_by_hand(a, na), records_by_hand(b, nb);
    for (int r = 0; r < R; r++) {
        assert_true(na[r] > 100);                       /* without the key: everywhere */
        assert_true(sum(a, "region.records", r) == na[r]);
        assert_true(sum(b, "region.records", r) == nb[r]);
        if (r == 1 || r == 3) assert_true(nb[r] == na[r]);   /* common random numbers */
        else assert_true(nb[r] == 0);
        /* violations are behaviour: the same with and without the key */
        assert_true(sum(a, "region.violations", r) == sum(b, "region.violations", r));
        assert_true(sum(b, "region.violations", r) > 100);
    }
    const res_t *res = sim_results(b);
    uint64_t listed[R] = {0};
    for (uint64_t k = 0; k < res->nevents; k++) {
        const res_event *e = &res->events[k];
        if (e->kind == EV_LISTED) listed[b->pop->region[e->agent]]++;
    }
    for (int r = 0; r < R; r++) {
        if (r == 1 || r == 3) assert_true(listed[r] > 50);
        else assert_true(listed[r] == 0);
        uint64_t ever = 0, agents = 0;
        for (uint32_t i = 0; i < b->n; i++)
            if (b->pop->region[i] == r) agents++, ever += (b->status[i] & ST_EVER_BLACK) != 0;
        assert_true(sum(b, "region.agents", r) == agents);
        assert_true(fabs(sum(b, "region.ever_listed_rate", r) - (double)ever / agents) < 1e-12);
    }
    sim_free(a), sim_free(b);
}

/* A threshold rule and an additive rule of region 0 only: with 10% of agents seeded on the
 * blacklist everywhere and no records, spillover listings (cause spillover, from the
 * events) and points lost to listed neighbours happen in region 0 and nowhere else. */
static void test_spillover_scoped(void **state) {
    (void)state;
    static const char extra[] =
        "[spillover.nbr]\nlayer = social\nkind = threshold\nphi = 0.15\n";
    char text[sizeof BASE + sizeof extra];
    snprintf(text, sizeof text, "%s%s", BASE, extra);
    const char *sets[] = {"agency.pilot.violation_scale=0", "agency.pilot.false_record=0",
                          "run.seed_listed=0.1", "spillover.nbr.regions=0"};
    for (int k = 0; k < 2; k++) {
        sim_t *s = run(text, sets, 3 + k);
        uint64_t spill[R] = {0};
        const res_t *res = sim_results(s);
        for (uint64_t e = 0; e < res->nevents; e++)
            if (res->events[e].kind == EV_LISTED && res->events[e].cause == CAUSE_SPILL)
                spill[s->pop->region[res->events[e].agent]]++;
        for (int r = 0; r < R; r++) {
            if (k == 0 || r == 0) assert_true(spill[r] > 20);   /* the rule acts */
            else assert_true(spill[r] == 0);                     /* ... only in region 0 */
        }
        sim_free(s);
    }
    /* additive, points regime: scores fall only in region 0 */
    static const char add[] =
        "[spillover.pts]\nlayer = social\nkind = additive\nweight = 1\nregions = 0\n";
    char text2[sizeof BASE + sizeof add];
    snprintf(text2, sizeof text2, "%s%s", BASE, add);
    const char *pts[] = {"scoring.regime=points", "scoring.recovery=0",
                         "agency.pilot.violation_scale=0", "agency.pilot.false_record=0",
                         "run.seed_listed=0.2"};
    sim_t *s = run(text2, pts, 5);
    uint64_t lower[R] = {0};
    for (uint32_t i = 0; i < s->n; i++) lower[s->pop->region[i]] += s->score[i] < 1000;
    assert_true(lower[0] > 500);
    for (int r = 1; r < R; r++) assert_true(lower[r] == 0);
    sim_free(s);
}

/* A sanction of region 2's jurisdiction reaches the listed agents there only (10% of agents
 * seeded on the blacklist everywhere, for longer than the run); harm by region (summary)
 * equals the hand count of the per-agent harm: 2 a month for 24 months per listed agent. */
static void test_sanction_scoped(void **state) {
    (void)state;
    static const char extra[] = "[sanction.ban]\nlists = black\nreach = self\nharm = 2\n";
    char text[sizeof BASE + sizeof extra];
    snprintf(text, sizeof text, "%s%s", BASE, extra);
    const char *sets[] = {"agency.pilot.violation_scale=0", "agency.pilot.false_record=0",
                          "lists.black_term=1000", "run.seed_listed=0.1",
                          "sanction.ban.regions=2"};
    for (int k = 0; k < 2; k++) {
        sim_t *s = run(text, sets, 4 + k);
        double harm[R] = {0};
        uint64_t listed[R] = {0};
        for (uint32_t i = 0; i < s->n; i++) {
            harm[s->pop->region[i]] += s->sanction.harm[i];
            listed[s->pop->region[i]] += (s->status[i] & ST_BLACK) != 0;
        }
        for (int r = 0; r < R; r++) {
            char grp[24];
            snprintf(grp, sizeof grp, "region:%d", r);
            assert_true(listed[r] > 50);   /* listed everywhere ... */
            assert_true(fabs(res_get_summary(sim_results(s), "harm", grp) - harm[r]) <
                        1e-6 * (1 + harm[r]));
            if (k == 0 || r == 2) assert_true(harm[r] == 2.0 * 24 * listed[r]);
            else assert_true(harm[r] == 0);   /* ... sanctioned only in region 2 */
        }
        sim_free(s);
    }
}

/* [lists] regions: in the lists regime red_clean red-lists everyone without records, in
 * every region without the key and only in regions 0 and 2 with it; with the agency limited
 * to the same regions, nobody elsewhere is on any list at the end. */
static void test_lists_scoped(void **state) {
    (void)state;
    const char *sets[] = {"lists.red_clean=6", "agency.pilot.regions=0, 2",
                          "lists.regions=0, 2"};
    for (int k = 0; k < 2; k++) {
        sim_t *s = run(BASE, sets, 1 + 2 * k);
        uint64_t red[R] = {0}, any[R] = {0};
        for (uint32_t i = 0; i < s->n; i++) {
            red[s->pop->region[i]] += (s->status[i] & ST_RED) != 0;
            any[s->pop->region[i]] += (s->status[i] & (ST_BLACK | ST_WATCH | ST_RED)) != 0;
        }
        for (int r = 0; r < R; r++) {
            if (k == 0 || r == 0 || r == 2) assert_true(red[r] > 500);
            else assert_true(any[r] == 0);
        }
        sim_free(s);
    }
}

/* A camera source of region 0 holds records about agents of region 0 only. */
static void test_collect_scoped(void **state) {
    (void)state;
    static const char extra[] =
        "[collect.cam]\nagency = pilot\nkind = sightings\nrate = 2\ncoverage = 0.5\n"
        "regions = 0\n";
    char text[sizeof BASE + sizeof extra];
    snprintf(text, sizeof text, "%s%s", BASE, extra);
    sim_t *s = run(text, NULL, 0);
    uint64_t held[R] = {0}, agents[R] = {0};
    for (uint32_t i = 0; i < s->n; i++) {
        agents[s->pop->region[i]]++;
        held[s->pop->region[i]] += s->collect.total[i];
    }
    assert_true(held[0] > agents[0] * 20);   /* about 24: rate 2 x coverage 0.5 x 24 steps */
    for (int r = 1; r < R; r++) {
        /* violation records (the agency is unscoped) are held too: fewer than 1 a person */
        assert_true(held[r] < agents[r]);
    }
    sim_free(s);
}

/* Every region named = no key, bit for bit (every metric, summary and event row); and the
 * region.* rows do not depend on the thread count. */
static void test_all_regions_unchanged(void **state) {
    (void)state;
    const char *all[] = {"agency.pilot.regions=0,1,2,3", "run.threads=1"};
    sim_t *a = run(BASE, NULL, 0), *b = run(BASE, all, 2);
    const res_t *x = sim_results(a), *y = sim_results(b);
    assert_true(x->nrows == y->nrows && x->nsummary == y->nsummary &&
                x->nevents == y->nevents);
    for (uint64_t k = 0; k < x->nrows + x->nsummary; k++) {
        const res_row *u = k < x->nrows ? &x->rows[k] : &x->summary[k - x->nrows];
        const res_row *v = k < x->nrows ? &y->rows[k] : &y->summary[k - x->nrows];
        if (u->step != v->step || u->metric != v->metric || u->grp != v->grp ||
            memcmp(&u->value, &v->value, sizeof u->value) != 0)
            fail_msg("row %llu (step %d, %s %s): %.17g against %.17g", (unsigned long long)k,
                     u->step, metric_name(u->metric), x->grps[u->grp], u->value, v->value);
    }
    for (uint64_t k = 0; k < x->nevents; k++) {
        const res_event *u = &x->events[k], *v = &y->events[k];
        assert_true(u->step == v->step && u->kind == v->kind && u->list == v->list &&
                    u->cause == v->cause && u->layer == v->layer && u->agency == v->agency &&
                    u->agent == v->agent && u->source == v->source);
    }
    sim_free(a), sim_free(b);
}

/* The pilot becomes national at step 13 ([at.13] agency.pilot.regions = ""): no record
 * about an agent of region 0 before, records there after. */
static void test_timeline_widens(void **state) {
    (void)state;
    static const char extra[] = "[at.13]\nagency.pilot.regions = \n";
    char text[sizeof BASE + sizeof extra];
    snprintf(text, sizeof text, "%s%s", BASE, extra);
    scenario sc;
    sim_err err = {{0}};
    const char *sets[] = {"agency.pilot.regions=1"};
    if (scn_load_string(&sc, "region-tl", text, sets, 1, &err) != SIM_OK)
        fail_msg("scenario: %s", err.msg);
    sim_t *s = NULL;
    if (sim_new(&s, &sc, NULL, &err) != SIM_OK) fail_msg("sim_new: %s", err.msg);
    scn_free(&sc);
    uint64_t n[R];
    for (int t = 1; t <= 24; t++) {
        if (sim_step(s, &err) != SIM_OK) fail_msg("step %d: %s", t, err.msg);
        records_by_hand(s, n);
        if (t == 12) assert_true(n[0] == 0 && n[2] == 0 && n[3] == 0 && n[1] > 50);
    }
    assert_true(n[0] > 50 && n[2] > 50 && n[3] > 50);
    sim_free(s);
}

static void test_bad_input(void **state) {
    (void)state;
    test_expect_exit3("region", "tests/scenarios/bad/region_beyond.ini",
                      "region_beyond.ini:8", "regions");
    test_expect_exit3("region", "tests/scenarios/bad/region_not_index.ini",
                      "region_not_index.ini:9", "regions");
    test_expect_exit3("region", "tests/scenarios/bad/region_sanction.ini",
                      "region_sanction.ini:7", "regions");
    test_expect_exit3("region", "tests/scenarios/bad/region_collect.ini",
                      "region_collect.ini:9", "regions");
    remove("build/region-bad.db");
    remove("build/region.out");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_agency_scoped),
        cmocka_unit_test(test_spillover_scoped),
        cmocka_unit_test(test_sanction_scoped),
        cmocka_unit_test(test_lists_scoped),
        cmocka_unit_test(test_collect_scoped),
        cmocka_unit_test(test_all_regions_unchanged),
        cmocka_unit_test(test_timeline_widens),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
