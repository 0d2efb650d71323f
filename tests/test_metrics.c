/* tests/test_metrics.c - harm, disparity, privacy and cause-tracing metrics on small
 * societies whose answers the tests compute themselves: the inference AUC (by hand, a
 * separable and an independent society), wrongful listings when made and their
 * conservation, every wrongful listing without errors traced to a true violation, the
 * per-step privacy figures against the end-of-run ones, disparity by group and conduct,
 * and every metric the engine emits in the registry and docs/metrics.md. */
#include "testutil.h"

#include <math.h>

#include "engine.h"
#include "scenario.h"
#include "state.h"
#include "testsim.h"


/* ---- the AUC itself ------------------------------------------------------------------- */

static void test_auc_by_hand(void **state) {
    (void)state;
    const double u[] = {1, 2, 3, 4};
    const uint8_t y[] = {0, 1, 0, 1};   /* pairs (pos, neg): 2>1, 2<3, 4>1, 4>3: 3 of 4 */
    assert_true(exposure_auc(u, y, 4) == 0.75);
    const uint8_t sep[] = {0, 0, 1, 1}, rev[] = {1, 1, 0, 0};
    assert_true(exposure_auc(u, sep, 4) == 1.0);
    assert_true(exposure_auc(u, rev, 4) == 0.0);
    const double tied[] = {5, 5, 5, 5};
    assert_true(exposure_auc(tied, y, 4) == 0.5);
    const double half[] = {1, 2, 2, 3};   /* the tie between a positive and a negative: 1/2 */
    const uint8_t hy[] = {0, 1, 0, 1};    /* 2>1, 2=2 (1/2), 3>1, 3>2: 3.5 of 4 */
    assert_true(exposure_auc(half, hy, 4) == 0.875);
    assert_true(isnan(exposure_auc(u, sep + 2, 2)));   /* one class only */
}

/* ---- a hand-built society ----------------------------------------------------------- */

/* Eight persons on a fixed social graph (tests/data/engine/threshold.csv: 0-1 0-2 0-3 0-4
 * 4-5 0-6 5-6 6-7), lists regime, one record lists, a threshold rule on the social layer
 * (phi = 1/2). Step 1, by hand: agent 5 violates and is recorded, agent 6 gets a false
 * record: both blacklisted. Step 2: 4 (neighbours 0, 5: half listed) and 7 (neighbour 6) are
 * blacklisted by spillover, from 5 and 6; 0 (one of five) is not. Sanctions on the
 * blacklist: `ban` (harm 3, self) and `shame` (public, harm 0). By hand:
 *   step 1: harm 6 = 3 (5, a violator) + 3 (6, innocent), named 2 (1 wrongly);
 *   step 2: harm 12, 9 to innocents (4, 6, 7), 6 of it to the spillover-listed 4 and 7;
 *   cascades: two (roots: own record 5, false record 6), two listings at depth 0 and two at
 *   depth 1: spillover share 1/2, error-rooted share 1/2 of cascades and of listings;
 *   wrongful listings 3 (6 false record; 4, 7 spillover); retention 2 + 4 = 6 person-steps;
 *   harm per person {0 x 4, 3, 3, 6, 6}: sum over ordered pairs |xi - xj| = 168, Gini =
 *   168 / (2 x 64 x 2.25) = 7/12, the top 1% (one person) bears 6/18;
 *   inference: innocents 0,1,2,3,4,6,7, those with a blacklisted contact 0, 4, 6, 7; the
 *   public view is 2 for the named 4, 5, 6, 7, else 0: (9 + 3 x 0.5) / 12 = 0.875; violation
 *   history: the violator 5 beats 0..3 and ties with 4, 6, 7: 5.5 / 7;
 *   third parties 2 (4, 7); records 2 over 8 persons; listed among never-violators 3/7. */
static void test_hand_built(void **state) {
    (void)state;
    const char text[] =
        "[population]\npersons = 8\nfirms_per_person = 0\nregions = 1\ngroups = 1\n"
        "propensity_sd = 0\n"
        "[layer.family]\nenabled = false\n[layer.parent]\nenabled = false\n"
        "[layer.employment]\nenabled = false\n[layer.partner]\nenabled = false\n"
        "[layer.legalrep]\nenabled = false\n"
        "[layer.social]\ngenerator = csv\nfile = tests/data/engine/threshold.csv\n"
        "[agency.none]\nviolation_scale = 0\nfalse_record = 0\nlist_after = 1\n"
        "[scoring]\nregime = lists\n"
        "[lists]\nblack_term = 1000\nred_clean = 1000\n"
        "[spillover.friends]\nlayer = social\nkind = threshold\nphi = 0.5\n"
        "[sanction.ban]\nlists = black\nharm = 3\n"
        "[sanction.shame]\nlists = black\nharm = 0\npublic = true\n"
        "[run]\nsteps = 2\nthreads = 1\n";
    scenario sc;
    sim_err err = {{0}};
    assert_int_equal(scn_load_string(&sc, "hand", text, NULL, 0, &err), SIM_OK);
    sim_t *s = NULL;
    assert_int_equal(sim_new(&s, &sc, NULL, &err), SIM_OK);
    scn_free(&sc);
    memset(&s->blk[0].a, 0, sizeof s->blk[0].a);   /* step 1, by hand */
    s->blk[0].nrec = 0;
    step_put(s->steps16, s->last_violation, 5, 1);
    s->blk[0].a.violations[0] = s->blk[0].a.violations_cf[0] = 1;
    blk_push_rec(&s->blk[0], (rec_event){5, 0, CAUSE_OWN});
    blk_push_rec(&s->blk[0], (rec_event){6, 0, CAUSE_FALSE});
    agency_apply_records(s);
    assert_true(policy_spill_marks(s));
    policy_update_block(s, 0);
    s->t = 1;
    assert_true(policy_apply_changes(s) && sanction_after(s) && metrics_step(s, 1));
    assert_int_equal(sim_step(s, &err), SIM_OK);   /* step 2: the engine's own */
    assert_true(metrics_summary(s));
    const res_t *r = sim_results(s);
    assert_true(res_get(r, 1, "harm", "all") == 6 && res_get(r, 1, "harm", "innocent") == 3);
    assert_true(res_get(r, 1, "named", "all") == 2 && res_get(r, 1, "named", "wrongly") == 1);
    assert_true(res_get(r, 2, "harm", "all") == 12 && res_get(r, 2, "harm", "innocent") == 9);
    assert_true(res_get(r, 2, "harm", "violators") == 3);
    assert_true(res_get(r, 2, "harm", "spillover_listed") == 6);
    assert_true(res_get(r, 2, "harm", "direct") == 12 && res_get(r, 2, "harm", "reached") == 0);
    assert_true(res_get(r, 2, "sanction_active", "sanction:ban") == 4);
    assert_true(res_get(r, 1, "new_wrongly_listed.black", "cause:false_record") == 1);
    assert_true(res_get(r, 2, "new_wrongly_listed.black", "cause:spillover") == 2);
    assert_true(res_get(r, 2, "retention_exposure", "black") == 6);
    assert_true(res_get(r, 2, "third_party_processing", "all") == 2);
    assert_true(res_get(r, 1, "violations_prevented", "all") == 0);
    assert_true(res_get_summary(r, "harm", "all") == 18);
    assert_true(res_get_summary(r, "harm", "innocent") == 12);
    assert_true(fabs(res_get_summary(r, "harm_gini", "persons") - 7.0 / 12) < 1e-12);
    assert_true(fabs(res_get_summary(r, "harm_top1_share", "persons") - 1.0 / 3) < 1e-12);
    assert_true(res_get_summary(r, "harm_lorenz", "p:0.50") == 0);
    assert_true(res_get_summary(r, "harm_lorenz", "p:1.00") == 1);
    assert_true(res_get_summary(r, "cascades", "all") == 2);
    assert_true(res_get_summary(r, "listings_by_depth", "depth:0") == 2);
    assert_true(res_get_summary(r, "listings_by_depth", "depth:1") == 2);
    assert_true(res_get_summary(r, "listings_by_root", "root:own_record") == 2);
    assert_true(res_get_summary(r, "listings_by_root", "root:false_record") == 2);
    assert_true(res_get_summary(r, "spillover_share", "listings") == 0.5);
    assert_true(res_get_summary(r, "error_rooted_share", "cascades") == 0.5);
    assert_true(res_get_summary(r, "error_rooted_share", "listings") == 0.5);
    assert_true(res_get_summary(r, "wrongful_listings.black", "all") == 3);
    assert_true(res_get_summary(r, "wrongful_listings.black", "cause:spillover") == 2);
    assert_true(res_get_summary(r, "retention_exposure", "black") == 6);
    assert_true(res_get_summary(r, "named_publicly", "all") == 4);
    assert_true(res_get_summary(r, "named_publicly", "wrongly") == 3);
    assert_true(res_get_summary(r, "inference_auc", "listed_contact") == 0.875);
    assert_true(fabs(res_get_summary(r, "inference_auc", "violation_history") - 5.5 / 7) < 1e-12);
    assert_true(res_get_summary(r, "third_party_processing", "all") == 2);
    assert_true(res_get_summary(r, "records_per_person", "mean") == 0.25);
    assert_true(res_get(r, 2, "agencies_per_person", "mean") == 0.25);
    assert_true(res_get_summary(r, "persons_by_records", "records:0") == 6);
    assert_true(res_get_summary(r, "persons_by_records", "records:1") == 2);
    assert_true(res_get_summary(r, "ever_listed_rate.violators", "group:0") == 1);
    assert_true(res_get_summary(r, "ever_listed_rate.nonviolators", "group:0") == 3.0 / 7);
    sim_free(s);
}

/* ---- the inference attack on whole societies ------------------------------------------ */

/* No violations; seeded blacklistings; each blacklisted social contact costs 1 point a month
 * with no recovery, and nothing is published: an innocent's score is below the cap exactly
 * when it has (had) a listed contact, and terms never end, so the public score separates
 * those with a listed contact perfectly: AUC 1. */
static void test_inference_separable(void **state) {
    (void)state;
    const char text[] =
        "[population]\npersons = 3000\nfirms_per_person = 0\nregions = 1\ngroups = 1\n"
        "[layer.family]\nenabled = false\n"
        "[layer.social]\ngenerator = er\nmean_degree = 4\n"
        "[agency.none]\nviolation_scale = 0\nfalse_record = 0\nmisattribution = 0\n"
        "[scoring]\nrecovery = 0\n"
        "[lists]\nblack_term = 1000\n"
        "[spillover.contacts]\nlayer = social\nkind = additive\nweight = 1\n"
        "[run]\nsteps = 6\nseed_listed = 0.05\n";
    sim_t *s = run_text(text, NULL, 0);
    const res_t *r = sim_results(s);
    assert_true(res_get_summary(r, "inference_auc", "listed_contact") == 1.0);
    assert_true(isnan(res_get_summary(r, "inference_auc", "violation_history")));   /* none */
    sim_free(s);
}

/* Random seeded listings named publicly, no records: what the observer sees is independent
 * of anyone's violations: AUC 0.5 within 0.02 (about 4 standard errors at 20,000 persons). */
static void test_inference_independent(void **state) {
    (void)state;
    const char text[] =
        "[population]\npersons = 20000\nfirms_per_person = 0\nregions = 1\ngroups = 1\n"
        "propensity_sd = 0\n"
        "[agency.none]\ndetection = 0\nfalse_record = 0\nmisattribution = 0\n"
        "[scoring]\nregime = lists\n"
        "[lists]\nblack_term = 1000\nred_clean = 1000\n"
        "[sanction.shame]\nlists = black\npublic = true\n"
        "[run]\nsteps = 24\nseed_listed = 0.3\n";
    sim_t *s = run_text(text, NULL, 0);
    const res_t *r = sim_results(s);
    double auc = res_get_summary(r, "inference_auc", "violation_history");
    assert_true(fabs(auc - 0.5) < 0.02);
    assert_true(res_get_summary(r, "named_publicly", "all") > 5000);
    double named = res_get_summary(r, "named_publicly", "all");   /* named from step 1, while */
    double wrongly = res_get_summary(r, "named_publicly", "wrongly");   /* mostly innocent */
    assert_true(wrongly <= named && wrongly > 0.95 * named);
    sim_free(s);
}

/* ---- wrongful listings and cause tracing ---------------------------------------------- */

/* Spillover on, every error off: nobody is listed by a false or misattributed record, and an
 * agent who never violated was only ever listed through spillover, in a cascade whose root
 * is an own record of a true violation. */
static void test_wrongful_traced_to_true_root(void **state) {
    (void)state;
    const char text[] =
        "[population]\npersons = 20000\nregions = 2\n"
        "[agency.courts]\nviolation_scale = 0.3\nfalse_record = 0\nmisattribution = 0\n"
        "[agency.tax]\nfalse_record = 0\nmisattribution = 0\n"
        "[scoring]\nregime = lists\n"
        "[spillover.partners]\nlayer = partner\nkind = probabilistic\nbeta = 0.3\n"
        "[spillover.firm_of_rep]\nlayer = legalrep\nkind = inherit\n"
        "[spillover.friends]\nlayer = social\nkind = threshold\nphi = 0.25\n"
        "[run]\nsteps = 48\n";
    sim_t *s = run_text(text, NULL, 0);
    const res_t *r = sim_results(s);
    double wl = res_get_summary(r, "wrongful_listings.black", "all");
    assert_true(wl > 20);
    assert_true(res_get_summary(r, "wrongful_listings.black", "cause:spillover") == wl);
    assert_true(res_get_summary(r, "wrongful_listings.black", "cause:false_record") == 0);
    assert_true(res_get_summary(r, "wrongful_listings.black", "cause:misattribution") == 0);
    uint32_t traced = 0;
    for (uint32_t i = 0; i < s->n; i++) {
        if (!(s->status[i] & ST_EVER_BLACK) || step_at(s->steps16, s->last_violation, i) >= 0) continue;
        assert_int_equal(s->cause[i], CAUSE_SPILL);
        assert_int_equal(s->casc.root_cause[s->casc.cid[i]], CAUSE_OWN);
        traced++;
    }
    assert_true(traced > 10);
    for (uint64_t k = 0; k < r->nevents; k++) {   /* every listing of a never-violator */
        const res_event *e = &r->events[k];
        if (e->kind == EV_LISTED && e->list == LIST_BLACK &&
            step_at(s->steps16, s->last_violation, e->agent) < 0)
            assert_int_equal(e->cause, CAUSE_SPILL);
    }
    sim_free(s);
}

/* Conservation on an everything-on society with errors: wrongful listings by cause, by
 * region and by group (persons and firms) each sum to all of them; per step they add up to
 * the run's; cascades by root sum to all listings; harm's parts add up. */
static void test_conservation(void **state) {
    (void)state;
    const char text[] =
        "[population]\npersons = 20000\nregions = 3\n"
        "[agency.courts]\nviolation_scale = 0.3\nfalse_record = 0.0005\n[agency.tax]\n"
        "[scoring]\nregime = lists\n"
        "[spillover.partners]\nlayer = partner\nkind = probabilistic\nbeta = 0.2\n"
        "[spillover.kids]\nlayer = parent\nkind = inherit\n"
        "[sanction.ban]\nlists = black\nreach = self, household, employees\nharm = 2\n"
        "[redress]\nappeal = 0.5\ncomply = 0.05\n"
        "[run]\nsteps = 36\nseed_listed = 0.001\n";
    sim_t *s = run_text(text, NULL, 0);
    const res_t *r = sim_results(s);
    const char *name = "wrongful_listings.black";
    double all = res_get_summary(r, name, "all"), by_cause = 0, by_region = 0, by_group = 0;
    double steps = 0;
    for (int c = 1; c < SIM_NCAUSES; c++) {
        char grp[40];
        snprintf(grp, sizeof grp, "cause:%s", res_cause_name(c));
        by_cause += res_get_summary(r, name, grp);
    }
    for (int g = 0; g < 3; g++) {
        char grp[24];
        snprintf(grp, sizeof grp, "region:%d", g);
        by_region += res_get_summary(r, name, grp);
    }
    for (int g = 0; g < 2; g++) {
        char grp[24];
        snprintf(grp, sizeof grp, "group:%d", g);
        by_group += res_get_summary(r, name, grp);
    }
    by_group += res_get_summary(r, name, "firms");
    for (int t = 1; t <= 36; t++) steps += res_get(r, t, "new_wrongly_listed.black", "all");
    assert_true(all > 50);
    assert_true(by_cause == all && by_region == all && by_group == all);
    assert_true(steps == all - res_get_summary(r, name, "cause:seed"));   /* seeds: step 0 */
    double listings = res_get_summary(r, "listings.black", "all"), roots = 0;
    for (int c = 1; c < SIM_NCAUSES; c++) {
        char grp[40];
        snprintf(grp, sizeof grp, "root:%s", res_cause_name(c));
        roots += res_get_summary(r, "listings_by_root", grp);
    }
    assert_true(roots == listings);
    assert_true(res_get_summary(r, "listings_by_depth", "depth:0") ==
                res_get_summary(r, "cascades", "all"));
    double spill = res_get_summary(r, "listings.black", "cause:spillover");
    assert_true(fabs(res_get_summary(r, "spillover_share", "listings") - spill / listings) < 1e-12);
    double harm = res_get_summary(r, "harm", "all");
    assert_true(harm > 0);
    assert_true(res_get_summary(r, "harm", "innocent") + res_get_summary(r, "harm", "violators") == harm);
    assert_true(res_get_summary(r, "harm", "direct") + res_get_summary(r, "harm", "reached") == harm);
    assert_true(res_get_summary(r, "harm", "spillover_listed") <= res_get_summary(r, "harm", "direct"));
    double groups = res_get_summary(r, "harm", "group:0") + res_get_summary(r, "harm", "group:1") +
                    res_get_summary(r, "harm", "firms");
    assert_true(fabs(groups - harm) < 1e-9 * harm);
    sim_free(s);
}

/* ---- privacy per step and disparity ---------------------------------------------------- */

/* The per-step privacy figures at the last step equal the end-of-run ones; retention
 * exposure is the persons on the blacklist summed over the steps; persons by records held
 * sum to all persons. Disparity figures recomputed here from the agents' state. */
static void test_privacy_and_disparity(void **state) {
    (void)state;
    const char text[] =
        "[population]\npersons = 20000\ngroups = 2\ngroup_shares = 0.7, 0.3\n"
        "[agency.civility]\ncoverage = 0.7\ncoverage_by_group = 1, 3\nfalse_record = 0.002\n"
        "misattribution = 0.05\n"
        "[spillover.contacts]\nlayer = social\nkind = additive\nweight = 3\n"
        "[sanction.ban]\nlists = black\nreach = self, children\nharm = 1\n"
        "[run]\nsteps = 30\n";
    sim_t *s = run_text(text, NULL, 0);
    const res_t *r = sim_results(s);
    const char *same[] = {"third_party_processing", "persons_with_records"};
    for (int k = 0; k < 2; k++)
        assert_true(res_get(r, 30, same[k], "all") == res_get_summary(r, same[k], "all"));
    assert_true(fabs(res_get(r, 30, "records_per_person", "mean") -
                     res_get_summary(r, "records_per_person", "mean")) < 1e-12);
    assert_true(fabs(res_get(r, 30, "agencies_per_person", "mean") -
                     res_get_summary(r, "agencies_per_person", "mean")) < 1e-12);
    double listed = 0;
    for (int t = 1; t <= 30; t++)
        listed += res_get(r, t, "listed.black", "group:0") + res_get(r, t, "listed.black", "group:1");
    assert_true(res_get_summary(r, "retention_exposure", "black") == listed);
    assert_true(res_get_summary(r, "retention_exposure", "watch") > 0);
    double by_records = 0;
    for (int k = 0; k < 40; k++) {
        char grp[40];
        if (k < 3) snprintf(grp, sizeof grp, "records:%d", k);
        else snprintf(grp, sizeof grp, "records:%d-%d", (1 << (k - 2)) + 1, 1 << (k - 1));
        double v = res_get_summary(r, "persons_by_records", grp);
        if (!isnan(v)) by_records += v;
        if (k >= 17) break;
    }
    assert_true(by_records == 20000);
    /* disparity by group and conduct, from the agents */
    double n[2][2] = {{0}}, l[2][2] = {{0}}, harm[2] = {0}, size[2] = {0};
    for (uint32_t i = 0; i < s->pop->persons; i++) {
        int g = s->pop->group[i], v = step_at(s->steps16, s->last_violation, i) >= 0;
        n[g][v]++;
        l[g][v] += (s->status[i] & ST_EVER_BLACK) != 0;
        harm[g] += s->sanction.harm[i];
        size[g]++;
    }
    double c0 = l[0][0] / n[0][0], c1 = l[1][0] / n[1][0];
    assert_true(fabs(res_get_summary(r, "ever_listed_rate.nonviolators", "group:1") - c1) < 1e-12);
    assert_true(fabs(res_get_summary(r, "rate_ratio.ever_listed.nonviolators", "group:1") -
                     c1 / c0) < 1e-12);
    double h0 = harm[0] / size[0], h1 = harm[1] / size[1];
    assert_true(fabs(res_get_summary(r, "rate_ratio.harm", "group:1") - h1 / h0) < 1e-9);
    assert_true(c1 > c0);   /* group 1 is watched three times as intensely */
    assert_true(res_get_summary(r, "disparity.bearer", "ever_listed.nonviolators") == 1);
    assert_true(fabs(res_get_summary(r, "disparity.ratio", "ever_listed.nonviolators") -
                     c1 / c0) < 1e-12);
    sim_free(s);
}

/* ---- every name documented ------------------------------------------------------------ */

/* Every metric r emits is in the registry for the table it goes to and appears as `name` in
 * doc (tests/test_registry.c checks the registry against doc both ways); prints each one
 * wrong, returns how many. */
static int check_names(const res_t *r, const char *doc) {
    int missing = 0;
    char *seen = calloc(M_END, 2);
    for (uint64_t k = 0; k < r->nrows + r->nsummary; k++) {
        int summary = k >= r->nrows;
        const res_row *row = summary ? &r->summary[k - r->nrows] : &r->rows[k];
        const metric_def *m = metric_get(row->metric);
        char quoted[RES_LABEL_MAX + 4];
        if (!m) {
            print_error("metric id %d is not in the registry\n", row->metric);
            missing++;
            continue;
        }
        if (seen[row->metric * 2 + summary]++) continue;
        snprintf(quoted, sizeof quoted, "`%s`", m->name);
        if (!strstr(doc, quoted) || !(m->tables & (summary ? METRIC_SUMMARY : METRIC_STEP))) {
            print_error("%s: not in docs/metrics.md, or the registry does not put it in %s\n",
                        quoted, summary ? "summary" : "metrics");
            missing++;
        }
    }
    free(seen);
    return missing;
}

/* Two runs that between them use every mechanism, both regimes, all three lists and CSV
 * imports: every metric and summary name they emit is defined in docs/metrics.md. */
static void test_metrics_documented(void **state) {
    (void)state;
    char *doc = test_slurp("docs/metrics.md");
    assert_non_null(doc);
    const char lists[] =
        "[population]\npersons = 5000\nregions = 2\n"
        "[agency.courts]\nviolation_scale = 0.3\n[agency.tax]\n"
        "[scoring]\nregime = lists\n"
        "[lists]\nred_clean = 6\n"
        "[spillover.partners]\nlayer = partner\nkind = probabilistic\nbeta = 0.2\n"
        "[sanction.ban]\nreach = self, household\nharm = 2\ninspection = 2\npublic = true\n"
        "[sanction.procurement]\nlists = black\nreach = firm, partners\nrevenue = 0.3\n"
        "[sanction.waiver]\nlists = red\nreward = true\ninspection = 0.5\n"
        "[joint.courts]\nblack = ban, procurement\n"
        "[redress]\nappeal = 0.3\ncomply = 0.05\nrepair = 0.1\n"
        "[inspection]\nagency = tax\nregion_spill = 1\n"
        "[behaviour]\ndeter_surveillance = 0.5\nostracism = 0.1\n"
        "[run]\nsteps = 12\nseed_listed = 0.01\n";
    sim_t *s = run_text(lists, NULL, 0);
    int missing = check_names(sim_results(s), doc);
    sim_free(s);
    const char *points[] = {"population.persons=3000", "run.steps=12",
                            "layer.partner.generator=csv",
                            "layer.partner.file=tests/data/metrics/partners.csv"};
    scenario sc;
    sim_err err = {{0}};
    assert_int_equal(scn_load(&sc, "scenarios/points-spillover.ini", points, 4, &err), SIM_OK);
    assert_int_equal(sim_new(&s, &sc, NULL, &err), SIM_OK);
    assert_int_equal(sim_run(s, &err), SIM_OK);
    missing += check_names(sim_results(s), doc);
    sim_free(s);
    scn_free(&sc);
    free(doc);
    assert_int_equal(missing, 0);
}


/* ---- third parties reached by sanctions (issue 12 item 7a) ------------------------------ */

/* Twelve persons, no spillover rule, no misattribution: the only way to be a third party is
 * to be reached by a sanction of someone else's listing. Step 1, by hand: person 5 gets an
 * own record and is blacklisted; `ban` (reach self, household) then reaches 5 and every
 * other person of 5's household. By hand: third parties = household size of 5 minus 1 (read
 * from the society), at step 1, step 2 and in the summary; 5 itself is not one. Before the
 * fix this was 0. */
static void test_third_party_reached(void **state) {
    (void)state;
    const char text[] =
        "[population]\npersons = 12\nfirms_per_person = 0\nregions = 1\ngroups = 1\n"
        "propensity_sd = 0\nhousehold_mean = 4\n"
        "[agency.none]\nviolation_scale = 0\nfalse_record = 0\nlist_after = 1\n"
        "[scoring]\nregime = lists\n"
        "[lists]\nblack_term = 1000\nred_clean = 1000\n"
        "[sanction.ban]\nlists = black\nreach = self, household\nharm = 1\n"
        "[run]\nsteps = 2\nthreads = 1\n";
    scenario sc;
    sim_err err = {{0}};
    assert_int_equal(scn_load_string(&sc, "hand", text, NULL, 0, &err), SIM_OK);
    sim_t *s = NULL;
    assert_int_equal(sim_new(&s, &sc, NULL, &err), SIM_OK);
    scn_free(&sc);
    uint64_t mates = 0;
    for (uint32_t j = 0; j < s->pop->persons; j++)
        mates += j != 5 && s->pop->household[j] == s->pop->household[5];
    assert_true(mates > 0);   /* the society has a household around 5 */
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
    assert_true(metrics_summary(s));
    const res_t *r = sim_results(s);
    assert_true(res_get(r, 1, "harm", "reached") == (double)mates);
    assert_true(res_get(r, 1, "third_party_processing", "all") == (double)mates);
    assert_true(res_get(r, 2, "third_party_processing", "all") == (double)mates);
    assert_true(res_get_summary(r, "third_party_processing", "all") == (double)mates);
    assert_false(s->status[5] & ST_EVER_THIRD);
    sim_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auc_by_hand),
        cmocka_unit_test(test_hand_built),
        cmocka_unit_test(test_inference_separable),
        cmocka_unit_test(test_inference_independent),
        cmocka_unit_test(test_wrongful_traced_to_true_root),
        cmocka_unit_test(test_conservation),
        cmocka_unit_test(test_privacy_and_disparity),
        cmocka_unit_test(test_third_party_reached),
        cmocka_unit_test(test_metrics_documented),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
