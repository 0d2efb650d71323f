/* tests/test_ownlist.c - per-agency lists (sim/engine/ownlist.c, docs/ODD.md 7.19).
 *
 * Hand-built: a society with no violations and no false records, where the test writes
 * records into the agencies' histories itself, so every listing is known in advance. A
 * person on two agencies' blacklists leaves one when its term ends and stays on the other
 * (own bits, the aggregate status, the events and the per-agency counts); joint punishment
 * fires per (agency, list): the union of both rows while both listings hold, one row after
 * the first ends, none after the second; an agency without own lists still feeds the
 * common list, and own agencies' records do not. A full run (fixed seed): the per-agency
 * counts of every step equal those replayed independently from the events, and the
 * aggregate listed.black equals the agents on some blacklist in the replay; 1 and 2 threads
 * give the same rows and events. Without own lists nothing is allocated. Bad input is in
 * tests/scenarios/bad (own_*, joint_unknown_*). */
#include "testutil.h"
#include "test_sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "scenario.h"
#include "state.h"

/* 100 persons, no firms, no ties; agencies a and b keep own lists (terms 3 and 10, window 1,
 * one record lists), c feeds the common list (term 5). Nobody violates or is recorded but
 * by the test. sa, sb: the joint rows of a and b; sc: of c. */
static const char HAND[] =
    "[population]\npersons = 100\nfirms_per_person = 0\nregions = 1\ngroups = 1\n"
    "propensity_sd = 0\n"
    "[layer.family]\nenabled = false\n[layer.parent]\nenabled = false\n"
    "[layer.employment]\nenabled = false\n[layer.partner]\nenabled = false\n"
    "[layer.legalrep]\nenabled = false\n[layer.social]\nenabled = false\n"
    "[agency.a]\nviolation_scale = 0\nfalse_record = 0\nwindow = 1\nown_lists = true\n"
    "black_term = 3\n"
    "[agency.b]\nviolation_scale = 0\nfalse_record = 0\nwindow = 1\nown_lists = true\n"
    "black_term = 10\n"
    "[agency.c]\nviolation_scale = 0\nfalse_record = 0\nwindow = 1\n"
    "[scoring]\nregime = lists\n"
    "[lists]\nblack_term = 5\nwatch_term = 1\nred_clean = 10000\n"
    "[sanction.sa]\n[sanction.sb]\n[sanction.sc]\n"
    "[joint.a]\nblack = sa\n[joint.b]\nblack = sb\n[joint.c]\nblack = sc\n"
    "[run]\nsteps = 20\nthreads = 2\n";

static sim_t *build(const char *text) {
    scenario sc;
    sim_err err = {{0}};
    if (scn_load_string(&sc, "ownlist-test", text, NULL, 0, &err) != SIM_OK)
        fail_msg("scenario: %s", err.msg);
    sim_t *s = NULL;
    if (sim_new(&s, &sc, NULL, &err) != SIM_OK) fail_msg("sim_new: %s", err.msg);
    scn_free(&sc);
    return s;
}

/* A record of agency a about agent i at step t (the next step), as agency.c makes one. */
static void record(sim_t *s, uint32_t i, int a, int t) {
    int32_t *h = s->agency.hist + ((size_t)i * (size_t)s->sc.nagencies + (size_t)a) *
                                      (size_t)s->agency.hist_k;
    memmove(h + 1, h, (size_t)(s->agency.hist_k - 1) * sizeof *h);
    h[0] = t;
    s->agency.rec_step[i] = (uint8_t)(CAUSE_OWN | a << 2);
    s->agency.last_record[i] = t;
}

static void step(sim_t *s) {
    sim_err err = {{0}};
    if (sim_step(s, &err) != SIM_OK) fail_msg("sim_step: %s", err.msg);
}

static double at(const sim_t *s, int t, const char *name, const char *grp) {
    return res_get(sim_results(s), t, name, grp);
}

static uint32_t bit_of(const sim_t *s, const char *sanction) {
    for (int k = 0; k < s->sc.nsanctions; k++)
        if (strcmp(s->sc.sanctions[k].name, sanction) == 0) return 1u << k;
    fail_msg("no sanction %s", sanction);
    return 0;
}

/* Events of agent i of the given kind, list and agency so far; their steps into steps[]. */
static int events_of(const sim_t *s, uint32_t i, int kind, int agency, int *steps) {
    const res_t *r = sim_results(s);
    int n = 0;
    for (uint64_t k = 0; k < r->nevents; k++) {
        const res_event *e = &r->events[k];
        if (e->agent == i && e->kind == kind && e->list == LIST_BLACK && e->agency == agency)
            steps[n++] = e->step;
    }
    return n;
}

/* Person 7 is listed by a and b at step 1: a's term (3) ends at step 4, b's (10) at 11; it
 * stays blacklisted (aggregate) until then, and the events say so, with the agency. */
static void test_two_lists_one_ends(void **state) {
    (void)state;
    sim_t *s = build(HAND);
    const uint32_t P = 7;
    record(s, P, 0, 1);
    record(s, P, 1, 1);
    step(s);   /* t = 1 */
    assert_int_equal(s->own.bits[LIST_BLACK][P], 3);
    assert_true(s->status[P] & ST_BLACK);
    assert_int_equal(s->own.common[P] & ST_BLACK, 0);
    for (int t = 2; t <= 3; t++) {
        step(s);
        assert_int_equal(s->own.bits[LIST_BLACK][P], 3);
    }
    step(s);   /* t = 4: a's term is over and its window holds no record */
    assert_int_equal(s->own.bits[LIST_BLACK][P], 2);
    assert_true(s->status[P] & ST_BLACK);
    assert_int_equal(at(s, 4, "listed_by_agency", "black:a"), 0);
    assert_int_equal(at(s, 4, "listed_by_agency", "black:b"), 1);
    assert_int_equal(at(s, 4, "listed.black", "all"), 1);
    assert_int_equal(at(s, 3, "listed_multi", "black"), 1);
    assert_int_equal(at(s, 4, "listed_multi", "black"), 0);
    while (s->t < 10) {
        step(s);
        assert_true(s->status[P] & ST_BLACK);
    }
    step(s);   /* t = 11 */
    assert_int_equal(s->own.bits[LIST_BLACK][P], 0);
    assert_false(s->status[P] & ST_BLACK);
    int st[8];
    assert_int_equal(events_of(s, P, EV_LISTED, 0, st), 1);
    assert_int_equal(st[0], 1);
    assert_int_equal(events_of(s, P, EV_DELISTED, 0, st), 1);
    assert_int_equal(st[0], 4);
    assert_int_equal(events_of(s, P, EV_DELISTED, 1, st), 1);
    assert_int_equal(st[0], 11);
    /* one aggregate blacklisting: begun at 1, ended at 11 */
    assert_int_equal(at(s, 1, "new_listed.black", "all"), 1);
    assert_int_equal(at(s, 4, "delisted.black", "all"), 0);
    assert_int_equal(at(s, 11, "delisted.black", "all"), 1);
    assert_int_equal(step_at(s->steps16, s->since, P), 1);
    sim_free(s);
}

/* Joint punishment per (agency, list): the union of a's and b's rows, then b's alone, then
 * none; c's row fires for c's common listing only. */
static void test_joint_per_agency(void **state) {
    (void)state;
    sim_t *s = build(HAND);
    const uint32_t P = 7, Q = 9;
    const uint32_t sa = bit_of(s, "sa"), sb = bit_of(s, "sb"), scb = bit_of(s, "sc");
    record(s, P, 0, 1);
    record(s, P, 1, 1);
    record(s, Q, 2, 1);   /* c: the common list */
    step(s);
    assert_int_equal(s->sanction.sanc[P], sa | sb);
    assert_int_equal(s->sanction.sanc[Q], scb);
    assert_int_equal(s->own.common[Q] & ST_BLACK, ST_BLACK);
    assert_int_equal(s->own.bits[LIST_BLACK][Q], 0);
    while (s->t < 4) step(s);
    assert_int_equal(s->sanction.sanc[P], sb);   /* a's listing ended: its row is dropped */
    while (s->t < 6) step(s);
    assert_int_equal(s->sanction.sanc[Q], 0);     /* c's common term (5) ended at 6 */
    assert_int_equal(s->sanction.lister[LIST_BLACK][Q], -1);
    while (s->t < 11) step(s);
    assert_int_equal(s->sanction.sanc[P], 0);
    sim_free(s);
}

/* A record of a while P is on b's list lists P on a's too (own records feed own lists only:
 * the common list stays empty); the aggregate does not begin a second time. */
static void test_own_records_stay_own(void **state) {
    (void)state;
    sim_t *s = build(HAND);
    const uint32_t P = 3;
    record(s, P, 1, 1);
    step(s);
    while (s->t < 5) step(s);
    record(s, P, 0, 6);
    step(s);   /* t = 6 */
    assert_int_equal(s->own.bits[LIST_BLACK][P], 3);
    assert_int_equal(s->own.common[P], 0);
    assert_int_equal(at(s, 6, "new_listed.black", "all"), 0);
    assert_int_equal(at(s, 6, "new_listed_by_agency", "black:a"), 1);
    sim_free(s);
}

/* 5,000 persons, two own-list agencies and one common, violations and false records,
 * appeals and repair (fixed seed): replaying the events gives, at every step, the counts
 * on each agency's blacklist and the agents on some blacklist. */
static const char FULL[] =
    "[population]\npersons = 5000\nfirms_per_person = 0\nregions = 2\ngroups = 2\n"
    "propensity_mean = 0.02\npropensity_sd = 0.02\n"
    "[agency.a]\nviolation_scale = 1\ncoverage = 0.8\ndetection = 0.5\nfalse_record = 0.001\n"
    "list_after = 1\nwindow = 6\nown_lists = true\nblack_term = 6\nrepair = 0.1\n"
    "repair_after = 3\nappeal = 0.3\n"
    "[agency.b]\nviolation_scale = 1\ncoverage = 0.8\ndetection = 0.5\nfalse_record = 0.001\n"
    "list_after = 2\nwindow = 12\nown_lists = true\nblack_term = 12\nextend = 2\n"
    "[agency.c]\nviolation_scale = 1\ncoverage = 0.8\ndetection = 0.5\nfalse_record = 0.001\n"
    "list_after = 1\nwindow = 6\n"
    "[scoring]\nregime = lists\n"
    "[lists]\nblack_term = 6\nred_clean = 10000\n"
    "[redress]\nappeal = 0.2\nappeal_delay = 2\nfairness = 0.8\nappeal_rightful = 0.2\n"
    "comply = 0.02\nextend_max = 6\n"
    "[spillover.t]\nlayer = social\nkind = threshold\nphi = 0.3\nlist = black\n"
    "[run]\nsteps = 40\nseed = 7\nthreads = 2\n";

static void test_counts_from_events(void **state) {
    (void)state;
    sim_t *s = test_sim_run("ownlist-full", FULL, NULL, 0);
    const res_t *r = sim_results(s);
    assert_int_equal(r->events_dropped, 0);
    const uint32_t n = s->n;
    uint8_t *on = calloc((size_t)n * 4, 1);   /* [agent][a, b, c(common)] */
    assert_non_null(on);
    uint64_t k = 0, multi_seen = 0, both_then_one = 0;
    for (int t = 0; t <= s->sc.run.steps; t++) {
        for (; k < r->nevents && r->events[k].step == t; k++) {
            const res_event *e = &r->events[k];
            if (e->list != LIST_BLACK) continue;
            int slot = e->agency >= 0 && e->agency < 2 ? e->agency : 2;
            if (e->kind == EV_DELISTED && e->agency < 0) slot = 2;
            int was_both = on[e->agent * 4] && on[e->agent * 4 + 1];
            on[e->agent * 4 + slot] = e->kind == EV_LISTED;
            if (was_both && e->kind == EV_DELISTED && slot < 2 && on[e->agent * 4 + 1 - slot])
                both_then_one++;
        }
        uint64_t cnt[3] = {0}, any = 0, multi = 0;
        for (uint32_t i = 0; i < n; i++) {
            int c = on[i * 4] + on[i * 4 + 1] + on[i * 4 + 2];
            for (int j = 0; j < 3; j++) cnt[j] += on[i * 4 + j];
            any += c > 0, multi += c >= 2;
        }
        multi_seen += multi;
        if (t == 0) continue;   /* step 0: the seeding's events only */
        assert_int_equal(any, (uint64_t)at(s, t, "listed.black", "all"));
        assert_int_equal(cnt[0], (uint64_t)at(s, t, "listed_by_agency", "black:a"));
        assert_int_equal(cnt[1], (uint64_t)at(s, t, "listed_by_agency", "black:b"));
        assert_int_equal(cnt[2], (uint64_t)at(s, t, "listed_by_agency", "black:common"));
        assert_int_equal(multi, (uint64_t)at(s, t, "listed_multi", "black"));
    }
    assert_int_equal(k, r->nevents);
    assert_true(multi_seen > 0);      /* the run exercises overlapping listings ... */
    assert_true(both_then_one > 0);   /* ... and leaving one while staying on the other */
    assert_true(res_get_summary(r, "appeals_won", "wrongful") +
                res_get_summary(r, "appeals_won", "rightful") > 0);
    free(on);
    sim_free(s);
}

/* The same run with 1 and 2 threads: every metric row, summary row and event identical (the
 * entries are per block, so threads never share one). */
static void test_threads(void **state) {
    (void)state;
    const char *one[] = {"run.threads=1", "run.steps=20"}, *two[] = {"run.threads=2",
                                                                       "run.steps=20"};
    sim_t *a = test_sim_run("ownlist-t1", FULL, one, 2), *b = test_sim_run("ownlist-t2", FULL,
                                                                            two, 2);
    const res_t *x = sim_results(a), *y = sim_results(b);
    assert_true(x->nevents > 100);
    assert_int_equal(x->nrows, y->nrows);
    assert_int_equal(x->nsummary, y->nsummary);
    assert_int_equal(x->nevents, y->nevents);
    for (uint64_t k = 0; k < x->nrows; k++) {
        assert_int_equal(x->rows[k].metric, y->rows[k].metric);
        assert_string_equal(x->grps[x->rows[k].grp], y->grps[y->rows[k].grp]);
        if (memcmp(&x->rows[k].value, &y->rows[k].value, sizeof(double)) != 0)
            fail_msg("row %llu differs", (unsigned long long)k);
    }
    for (uint64_t k = 0; k < x->nsummary; k++)
        if (memcmp(&x->summary[k].value, &y->summary[k].value, sizeof(double)) != 0)
            fail_msg("summary row %llu differs", (unsigned long long)k);
    for (uint64_t k = 0; k < x->nevents; k++) {   /* field by field: the struct has padding */
        const res_event *e = &x->events[k], *f = &y->events[k];
        if (e->step != f->step || e->kind != f->kind || e->list != f->list ||
            e->cause != f->cause || e->layer != f->layer || e->agency != f->agency ||
            e->agent != f->agent || e->source != f->source)
            fail_msg("event %llu differs", (unsigned long long)k);
    }
    sim_free(a);
    sim_free(b);
}

/* Without own lists nothing of ownlist.c exists or is emitted. */
static void test_off_allocates_nothing(void **state) {
    (void)state;
    scenario sc;
    sim_err err = {{0}};
    assert_int_equal(scn_load_string(&sc, "x", FULL, (const char *const[]){
                         "agency.a.own_lists=false", "agency.a.black_term=-1",
                         "agency.a.repair=-1", "agency.a.repair_after=-1", "agency.a.appeal=-1",
                         "agency.b.own_lists=false", "agency.b.black_term=-1",
                         "agency.b.extend=-1"}, 8, &err), SIM_OK);
    assert_int_equal(arr_bytes(&sc, ARR_OWN), 0);
    sim_t *s = NULL;
    assert_int_equal(sim_new(&s, &sc, NULL, &err), SIM_OK);
    scn_free(&sc);
    assert_false(s->own.on);
    assert_null(s->own.bits[0]);
    assert_null(s->own.blk);
    assert_int_equal(sim_run(s, &err), SIM_OK);
    assert_true(isnan(res_get_summary(sim_results(s), "listed_multi", "black")));
    sim_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_lists_one_ends),
        cmocka_unit_test(test_joint_per_agency),
        cmocka_unit_test(test_own_records_stay_own),
        cmocka_unit_test(test_counts_from_events),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_off_allocates_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
