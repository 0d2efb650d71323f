/* tests/test_headcounts.c - the headcounts beside the harm units (issue 14 item 15):
 * ever_sanctioned (persons, innocent, children) and persons_ever_listed on a hand-built society whose answer the test
 * computes itself, and its bounds against the per-step `sanctioned` rows of a whole run. */
#include "testutil.h"

#include <math.h>

#include "engine.h"
#include "scenario.h"
#include "state.h"
#include "testsim.h"

/* Person 5 violates at step 1 and is blacklisted; a household sanction reaches its household
 * mates, who did nothing (lookback 0: the whole run counts, so 5 is never innocent). */
static void test_household_by_hand(void **state) {
    (void)state;
    const char text[] =
        "[population]\npersons = 12\nfirms_per_person = 0\nregions = 1\ngroups = 1\n"
        "propensity_sd = 0\nhousehold_mean = 4\nchild_share = 0.5\n"
        "[agency.none]\nviolation_scale = 0\nfalse_record = 0\nlist_after = 1\n"
        "[scoring]\nregime = lists\n"
        "[lists]\nblack_term = 1000\nred_clean = 1000\nlookback = 0\n"
        "[sanction.ban]\nlists = black\nreach = self, household\nharm = 1\n"
        "[run]\nsteps = 3\nthreads = 1\n";
    scenario sc;
    sim_err err = {{0}};
    assert_int_equal(scn_load_string(&sc, "hand", text, NULL, 0, &err), SIM_OK);
    sim_t *s = NULL;
    assert_int_equal(sim_new(&s, &sc, NULL, &err), SIM_OK);
    scn_free(&sc);
    uint64_t mates = 0, children = 0;
    for (uint32_t j = 0; j < s->pop->persons; j++) {
        int in = s->pop->household[j] == s->pop->household[5];
        mates += in && j != 5;
        children += in && s->pop->child[j];
    }
    assert_true(mates > 0 && children > 0);
    memset(&s->blk[0].a, 0, sizeof s->blk[0].a);   /* step 1, by hand */
    s->blk[0].nrec = 0;
    step_put(s->steps16, s->last_violation, 5, 1);
    blk_push_rec(&s->blk[0], (rec_event){5, 0, CAUSE_OWN});
    agency_apply_records(s);
    assert_true(policy_spill_marks(s));
    policy_update_block(s, 0);
    s->t = 1;
    assert_true(policy_apply_changes(s) && sanction_after(s) && metrics_step(s, 1));
    assert_int_equal(sim_step(s, &err), SIM_OK);
    assert_int_equal(sim_step(s, &err), SIM_OK);
    assert_true(metrics_summary(s));
    const res_t *r = sim_results(s);
    assert_true(res_get_summary(r, "ever_sanctioned", "persons") == (double)(mates + 1));
    assert_true(res_get_summary(r, "ever_sanctioned", "innocent") == (double)mates);
    assert_true(res_get_summary(r, "ever_sanctioned", "children") == (double)children);
    assert_true(res_get_summary(r, "persons_ever_listed", "black") == 1);   /* person 5 */
    sim_free(s);
}

/* A whole run of a sanctioned society: every step's sanctioned persons are at most the ever
 * sanctioned, who are at most their sum over steps; innocent and children are subsets. */
static void test_bounds_over_a_run(void **state) {
    (void)state;
    const char text[] =
        "[population]\npersons = 3000\nregions = 2\ngroups = 2\n"
        "[agency.courts]\nviolation_scale = 1\nfalse_record = 0.01\nlist_after = 1\n"
        "[scoring]\nregime = lists\n"
        "[sanction.ban]\nlists = black\nreach = self, household\nharm = 1\n"
        "[run]\nsteps = 12\nthreads = 1\nseed = 7\n";
    sim_t *s = run_text(text, NULL, 0);
    const res_t *r = sim_results(s);
    double ever = res_get_summary(r, "ever_sanctioned", "persons");
    double inn = res_get_summary(r, "ever_sanctioned", "innocent");
    double kids = res_get_summary(r, "ever_sanctioned", "children");
    double most = 0, sum = 0;
    for (int t = 1; t <= 12; t++) {
        double v = res_get(r, t, "sanctioned", "group:0") + res_get(r, t, "sanctioned", "group:1");
        most = fmax(most, v), sum += v;
    }
    assert_true(most > 0);
    assert_true(ever >= most && ever <= sum);
    assert_true(inn > 0 && inn <= ever);   /* false records and household reach: innocents */
    assert_true(kids <= ever);
    uint64_t listed = 0;   /* persons_ever_listed: the persons among ever_listed.black */
    for (uint32_t i = 0; i < s->pop->persons; i++) listed += (s->status[i] & ST_EVER_BLACK) != 0;
    assert_true(listed > 0);
    assert_true(res_get_summary(r, "persons_ever_listed", "black") == (double)listed);
    assert_true(listed <= res_get_summary(r, "ever_listed.black", "all"));
    sim_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_household_by_hand),
        cmocka_unit_test(test_bounds_over_a_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
