/* tests/test_policy.c - the policy mechanisms on small societies with known answers:
 * sanctions reach exactly the parties they name, joint punishment fans out exactly as the
 * matrix says, appeals succeed at the stated rate within capacity, compliance and credit
 * repair, ostracism keeps the spillover counts exact, sanctioned firms fail and their
 * employees lose their jobs, targeted inspections run away (and the correction holds them),
 * no mechanism makes a wrongful listing when errors and spillover are off, and the
 * stock-flow (Little's law) check holds within 2%. */
#include "testutil.h"

#include <math.h>

#include "engine.h"
#include "scenario.h"
#include "state.h"
#include "testsim.h"
#include "verify.h"


/* No records at all: listings come only from seeding, and last (term 1000). */
#define SILENT                                                                     \
    "[agency.none]\nviolation_scale = 0\nfalse_record = 0\nmisattribution = 0\n"    \
    "[lists]\nblack_term = 1000\n"

/* ---- reach ------------------------------------------------------------------------------ */

static const char REACH[] =
    "[population]\npersons = 600\nfirms_per_person = 0.08\nregions = 2\ngroups = 1\n"
    "household_mean = 3.5\nchild_share = 0.3\nemployment_rate = 0.7\n"
    "[layer.partner]\ngenerator = er\nmean_degree = 3\n"
    SILENT
    "[run]\nsteps = 2\nseed_listed = 0.08\nthreads = 1\n"
    "[sanction.s_self]\nlists = black\nreach = self\nharm = 1\n"
    "[sanction.s_household]\nlists = black\nreach = household\nharm = 2\n"
    "[sanction.s_children]\nlists = black\nreach = children\nharm = 4\n"
    "[sanction.s_firm]\nlists = black\nreach = firm\nharm = 8\n"
    "[sanction.s_legalrep]\nlists = black\nreach = legalrep\nharm = 16\n"
    "[sanction.s_employees]\nlists = black\nreach = employees\nharm = 32\n"
    "[sanction.s_employer]\nlists = black\nreach = employer\nharm = 64\n"
    "[sanction.s_partners]\nlists = black\nreach = partners\nharm = 128\n";

/* Each sanction reaches exactly the parties it names, computed here from the population's
 * own arrays (households, employers, legal representatives) and the layers. */
static void test_reach_exact(void **state) {
    (void)state;
    sim_t *s = run_text(REACH, NULL, 0);
    const pop_t *p = s->pop;
    uint32_t n = s->n, P = p->persons;
    uint32_t *want = calloc(n, sizeof *want);
    uint32_t listed = 0, firms_listed = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (!(s->status[i] & ST_BLACK)) continue;
        listed++;
        want[i] |= 1u;
        if (i < P) {
            for (uint32_t j = 0; j < P; j++)
                if (j != i && p->household[j] == p->household[i]) want[j] |= 2u;
            for (uint32_t j = 0; j < P; j++)   /* children: i is one of the two first adults */
                if (p->child[j] && net_has_arc(s->layer[LAYER_PARENT], i, j)) want[j] |= 4u;
            for (uint32_t f = 0; f < p->firms; f++)
                if (p->legalrep[f] == i) want[P + f] |= 8u;
            if (p->employer[i] != POP_NONE) want[p->employer[i]] |= 64u;
        } else {
            firms_listed++;
            if (p->legalrep[i - P] != POP_NONE) want[p->legalrep[i - P]] |= 16u;
            for (uint32_t j = 0; j < P; j++)
                if (p->employer[j] == i) want[j] |= 32u;
            for (uint32_t f = P; f < n; f++)
                if (net_has_arc(s->layer[LAYER_PARTNER], i, f)) want[f] |= 128u;
        }
    }
    assert_true(listed > 20 && firms_listed > 2);
    double harm = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (s->sanction.sanc[i] != want[i])
            fail_msg("agent %u: sanctions %#x, expected %#x", i, s->sanction.sanc[i], want[i]);
        harm += s->sanction.sanc[i];   /* harm weights are the bits' values */
    }
    for (uint32_t bit = 0; bit < 8; bit++) {   /* every kind of reach was exercised */
        uint32_t k = 0;
        for (uint32_t i = 0; i < n; i++) k += (want[i] >> bit) & 1;
        assert_true(k > 0);
    }
    const res_t *r = sim_results(s);
    assert_true(fabs(res_get(r, 2, "harm", "all") - harm) < 1e-9);
    assert_true(fabs(res_get_summary(r, "harm", "all") - 2 * harm) < 1e-9);
    /* Gini of harm over persons by its definition: mean absolute difference / (2 mean) */
    double diff = 0, sum = 0, top = 0, regions = 0;
    for (uint32_t i = 0; i < P; i++) {
        sum += want[i];
        for (uint32_t j = 0; j < P; j++) diff += fabs((double)want[i] - (double)want[j]);
    }
    double gini = diff / (2.0 * P * sum);
    assert_true(fabs(res_get_summary(r, "harm_gini", "persons") - gini) < 1e-9);
    uint32_t *sorted = malloc(P * sizeof *sorted);   /* top 1%: the 6 most harmed */
    memcpy(sorted, want, P * sizeof *sorted);
    for (int k = 0; k < 6; k++) {
        uint32_t best = k;
        for (uint32_t j = k; j < P; j++) if (sorted[j] > sorted[best]) best = j;
        uint32_t tmp = sorted[k]; sorted[k] = sorted[best]; sorted[best] = tmp;
        top += sorted[k];
    }
    assert_true(fabs(res_get_summary(r, "harm_top1_share", "persons") - top / sum) < 1e-9);
    assert_true(res_get_summary(r, "harm_lorenz", "p:1.00") == 1);
    for (int g = 0; g < 2; g++) {
        char grp[24];
        snprintf(grp, sizeof grp, "region:%d", g);
        regions += res_get_summary(r, "harm", grp);
    }
    assert_true(fabs(regions - 2 * harm) < 1e-9);
    free(sorted);
    /* targets = persons: the same run, but the self sanction skips listed firms */
    const char *persons_only[] = {"sanction.s_self.targets=persons"};
    sim_t *t = run_text(REACH, persons_only, 1);
    for (uint32_t i = 0; i < n; i++)
        assert_int_equal(t->sanction.sanc[i], i < P ? want[i] : want[i] & ~1u);
    sim_free(t);
    free(want);
    sim_free(s);
}

/* ---- joint punishment -------------------------------------------------------------------- */

static const char JOINT[] =
    "[population]\npersons = 3000\nfirms_per_person = 0\nregions = 1\ngroups = 1\n"
    "propensity_mean = 0.02\npropensity_sd = 0\n"
    "[scoring]\nregime = lists\n"
    "[lists]\nblack_term = 1000\nred_clean = 1000\n"
    "[agency.courts]\ncoverage = 1\ndetection = 1\nfalse_record = 0\nmisattribution = 0\n"
    "violation_scale = 0.5\n"
    "[agency.tax]\ncoverage = 1\ndetection = 1\nfalse_record = 0\nmisattribution = 0\n"
    "violation_scale = 0.5\n"
    "[sanction.flight_ban]\nby = transport\nharm = 3\n"
    "[sanction.loan_denial]\nby = banks\nharm = 2\n"
    "[sanction.audit]\nby = tax\nharm = 1\n"
    "[run]\nsteps = 6\nthreads = 1\n";

/* A blacklisting by the courts triggers flight bans and loan denials, one by tax triggers
 * audits, nothing else; the same file with the matrix emptied lists the same people and
 * sanctions no one. */
static void test_joint_fanout(void **state) {
    (void)state;
    size_t len = strlen(JOINT) + 200;
    char *text = malloc(len);
    snprintf(text, len, "%s[joint.courts]\nblack = flight_ban, loan_denial\n"
             "[joint.tax]\nblack = audit\n", JOINT);
    sim_t *s = run_text(text, NULL, 0), *off = run_text(JOINT, NULL, 0);
    uint32_t by[2] = {0}, count[3] = {0};
    for (uint32_t i = 0; i < s->n; i++) {
        uint32_t want = 0;
        if (s->status[i] & ST_BLACK) {
            int a = s->cause_agency[i];
            assert_true(a == 0 || a == 1);
            by[a]++;
            want = a == 0 ? 3u : 4u;
        }
        if (s->sanction.sanc[i] != want)
            fail_msg("agent %u: %#x, expected %#x", i, s->sanction.sanc[i], want);
        for (int k = 0; k < 3; k++) count[k] += (s->sanction.sanc[i] >> k) & 1;
        assert_true(off->sanction.sanc[i] == 0);
        assert_true((off->status[i] & ST_BLACK) == (s->status[i] & ST_BLACK));
    }
    assert_true(by[0] > 50 && by[1] > 50);
    const res_t *r = sim_results(s);
    assert_true(res_get(r, 6, "sanction_active", "sanction:flight_ban") == count[0]);
    assert_true(res_get(r, 6, "sanction_active", "sanction:loan_denial") == count[1]);
    assert_true(res_get(r, 6, "sanction_active", "sanction:audit") == count[2]);
    assert_true(res_get(r, 6, "harm", "all") == 3.0 * by[0] + 2.0 * by[0] + 1.0 * by[1]);
    assert_true(res_get_summary(sim_results(off), "harm", "all") == 0);
    assert_true(res_get_summary(r, "listings.black", "all") ==
                res_get_summary(sim_results(off), "listings.black", "all"));
    sim_free(s);
    sim_free(off);
    free(text);
}

/* ---- redress ------------------------------------------------------------------------------ */

static const char APPEALS[] =
    "[population]\npersons = 6000\nfirms_per_person = 0\nregions = 1\ngroups = 1\n"
    SILENT
    "[redress]\nappeal = 1\nappeal_delay = 2\nfairness = 0.7\n"
    "[run]\nsteps = 6\nseed_listed = 0.5\nthreads = 1\n";

/* Every seeded listing is wrongful and appealed; decisions come after the delay and succeed
 * at the stated rate: 0.7, tolerance 0.03 (about 5 standard errors at n = 3000). */
static void test_appeal_rate(void **state) {
    (void)state;
    sim_t *s = run_text(APPEALS, NULL, 0);
    const res_t *r = sim_results(s);
    double filed = res_get_summary(r, "appeals_filed", "all");
    double listed0 = res_get_summary(r, "listings.black", "all");
    double decided = res_get_summary(r, "appeals_decided", "wrongful");
    double won = res_get_summary(r, "appeals_won", "wrongful");
    assert_true(filed == listed0 && filed > 2800);
    assert_true(decided == filed);
    assert_true(res_get_summary(r, "appeals_decided", "rightful") == 0);
    assert_true(res_get(r, 1, "appeals_decided", "wrongful") == 0);   /* delay 2 */
    assert_true(res_get(r, 2, "appeals_decided", "wrongful") == filed);
    assert_true(fabs(won / decided - 0.7) < 0.03);
    assert_true(res_get_summary(r, "delisted.black", "reason:appeal") == won);
    assert_true(res_get_summary(r, "listed.black", "all") == listed0 - won);
    sim_free(s);
}

/* With 250 decisions per 100,000 agents per step (15 here), a queue forms: exactly 15 are
 * decided each step from the first due step, and the rest wait. */
static void test_appeal_capacity(void **state) {
    (void)state;
    const char *sets[] = {"redress.appeal_capacity=250"};
    sim_t *s = run_text(APPEALS, sets, 1);
    const res_t *r = sim_results(s);
    double filed = res_get_summary(r, "appeals_filed", "all");
    for (int t = 2; t <= 6; t++) assert_true(res_get(r, t, "appeals_decided", "wrongful") == 15);
    assert_true(res_get_summary(r, "appeal_queue", "all") == filed - 5 * 15);
    assert_true(res_get(r, 6, "appeal_queue", "all") == filed - 5 * 15);
    sim_free(s);
}

/* Compliance at 0.1 per step for everyone (comply_unemployed = 1): 10% of the listed leave
 * in the first step, tolerance 0.02 (about 4 standard errors at n = 3000). Credit repair
 * with a 3-step display period and certain success empties the list at step 3 exactly. */
static void test_comply_and_repair(void **state) {
    (void)state;
    const char *comply[] = {"redress.appeal=0", "redress.comply=0.1",
                            "redress.comply_unemployed=1"};
    sim_t *s = run_text(APPEALS, comply, 3);
    const res_t *r = sim_results(s);
    double listed0 = res_get_summary(r, "listings.black", "all");
    assert_true(fabs(res_get(r, 1, "delisted.black", "reason:comply") / listed0 - 0.1) < 0.02);
    sim_free(s);
    const char *repair[] = {"redress.appeal=0", "redress.repair=1", "redress.repair_after=3"};
    s = run_text(APPEALS, repair, 3);
    r = sim_results(s);
    assert_true(res_get(r, 2, "listed.black", "all") == listed0);
    assert_true(res_get(r, 3, "listed.black", "all") == 0);
    assert_true(res_get(r, 3, "delisted.black", "reason:repair") == listed0);
    sim_free(s);
}

/* Each record while blacklisted adds `extend` steps to the term, up to extend_max in all. */
static void test_term_extension(void **state) {
    (void)state;
    const char text[] =
        "[population]\npersons = 3000\nfirms_per_person = 0\nregions = 1\ngroups = 1\n"
        "propensity_mean = 0.1\npropensity_sd = 0\n"
        "[scoring]\nregime = lists\n"
        "[agency.courts]\ncoverage = 1\ndetection = 1\nfalse_record = 0\nmisattribution = 0\n"
        "window = 1\n"
        "[lists]\nblack_term = 50\nred_clean = 1000\n"
        "[redress]\nextend = 3\nextend_max = 9\n"
        "[run]\nsteps = 30\nthreads = 1\n";
    sim_t *s = run_text(text, NULL, 0);
    uint32_t listed = 0, some = 0, capped = 0;
    for (uint32_t i = 0; i < s->n; i++) {
        if (!(s->status[i] & ST_BLACK)) continue;
        listed++;
        int added = step_at(s->steps16, s->until[LIST_BLACK], i) - step_at(s->steps16, s->since, i) - 50;
        assert_true(added >= 0 && added <= 9 && added % 3 == 0);
        some += added > 0;
        capped += added == 9;
    }
    assert_true(listed > 1000 && some > 100 && capped > 10);
    sim_free(s);
}

/* ---- ostracism and firm health -------------------------------------------------------- */

static const char OSTRACISM[] =
    "[population]\npersons = 3000\nfirms_per_person = 0\nregions = 1\ngroups = 1\n"
    "[layer.social]\ngenerator = er\nmean_degree = 8\n"
    "[agency.none]\nviolation_scale = 0\nfalse_record = 0\nmisattribution = 0\n"
    "[lists]\nblack_term = 3\n"
    "[spillover.watchers]\nlayer = social\nkind = additive\nweight = 0\n"
    "[behaviour]\nostracism = 0.3\nostracism_layers = social\n"
    "[run]\nsteps = 8\nseed_listed = 0.1\nthreads = 1\n";

/* Ties to blacklisted agents are cut, and the neighbour counts of a rule on the layer stay
 * exactly the number of blacklisted neighbours over the ties that remain, through cuts and
 * delistings. */
static void test_ostracism_counts(void **state) {
    (void)state;
    sim_t *s = run_text(OSTRACISM, NULL, 0);
    const net_t *g = s->layer[LAYER_SOCIAL];
    uint64_t cut = 0;
    for (uint32_t i = 0; i < s->n; i++) {
        uint32_t c = 0, k = 0;
        for (uint64_t e = net_begin(g, i), e_end = net_end(g, i); e < e_end; e++) {
            if (arc_cut(s, LAYER_SOCIAL, e)) { k++; continue; }
            c += (s->status[g->adj[e]] & ST_BLACK) != 0;
        }
        assert_int_equal(k, s->response.ncut[LAYER_SOCIAL][i]);
        assert_int_equal(c, s->policy.cnt[0][i]);
        cut += k;
    }
    double ties = res_get_summary(sim_results(s), "ties_cut", "layer:social");
    assert_true(ties > 100 && cut == 2 * (uint64_t)ties);
    sim_free(s);
}

/* The neighbour counts stay exactly the number of blacklisted neighbours when a step's
 * changes are pushed in rounds on two threads (push.c): half the persons listed at step 0
 * (about 160,000 arcs, ten rounds of PUSH_BUF), most of them taken off at the end of step 1
 * (term 1, score above the line), others listed by spillover after. A lost, repeated or
 * misdirected add breaks the count of some agent. */
static void test_push_rounds(void **state) {
    (void)state;
    const char text[] =
        "[population]\npersons = 40000\nfirms_per_person = 0\nregions = 1\ngroups = 1\n"
        "[layer.social]\ngenerator = er\nmean_degree = 8\n"
        "[agency.none]\nviolation_scale = 0\nfalse_record = 0\nmisattribution = 0\n"
        "[lists]\nblack_term = 1\n"
        "[spillover.friends]\nlayer = social\nkind = threshold\nphi = 0.75\n"
        "[run]\nsteps = 6\nseed_listed = 0.5\nthreads = 2\n";
    scenario sc;
    sim_err err = {{0}};
    assert_int_equal(scn_load_string(&sc, "test", text, NULL, 0, &err), SIM_OK);
    sim_t *s = NULL;
    assert_int_equal(sim_new(&s, &sc, NULL, &err), SIM_OK);
    const net_t *g = s->layer[LAYER_SOCIAL];
    uint64_t seeded_arcs = 0, moved = 0;
    for (int t = 0; t <= 6; t++) {
        if (t > 0) assert_int_equal(sim_step(s, &err), SIM_OK);
        uint64_t listed = 0;
        for (uint32_t i = 0; i < s->n; i++) {
            uint32_t c = 0;
            for (uint64_t e = net_begin(g, i), e_end = net_end(g, i); e < e_end; e++)
                c += (s->status[g->adj[e]] & ST_BLACK) != 0;
            assert_int_equal(c, s->policy.cnt[0][i]);
            if (s->status[i] & ST_BLACK) listed++, seeded_arcs += t == 0 ? net_degree(g, i) : 0;
        }
        if (t == 2) moved = listed;
    }
    assert_true(seeded_arcs > 8 * (uint64_t)PUSH_BUF);   /* several rounds at step 0 */
    assert_true(moved < 15000);                         /* and many removals at step 1 */
    sim_free(s);
    scn_free(&sc);
}

/* A sanction taking all revenue makes each blacklisted firm fail in the first step; each of
 * its employees loses the job (job_loss harm once) and the employment tie. */
static void test_firm_failure(void **state) {
    (void)state;
    const char text[] =
        "[population]\npersons = 2000\nfirms_per_person = 0.05\nregions = 1\ngroups = 1\n"
        "employment_rate = 0.8\n"
        SILENT
        "[sanction.procurement_ban]\nlists = black\nreach = self\nharm = 0\nrevenue = 1\n"
        "[behaviour]\njob_loss = 5\n"
        "[run]\nsteps = 3\nseed_listed = 0.2\nthreads = 1\n";
    sim_t *s = run_text(text, NULL, 0);
    const pop_t *p = s->pop;
    uint32_t failed = 0, jobs = 0;
    for (uint32_t f = p->persons; f < s->n; f++) {
        int black = (s->status[f] & ST_BLACK) != 0;
        assert_int_equal(black, (s->status[f] & ST_FAILED) != 0);
        if (!black) continue;
        failed++;
        for (uint32_t j = 0; j < p->persons; j++) jobs += p->employer[j] == f;
        assert_int_equal(s->response.ncut[LAYER_EMPLOYMENT][f],
                         net_degree(s->layer[LAYER_EMPLOYMENT], f));
    }
    const res_t *r = sim_results(s);
    assert_true(failed > 5 && jobs > 20);
    assert_true(res_get(r, 1, "firms_failed", "all") == failed);
    assert_true(res_get_summary(r, "firms_failed", "all") == failed);
    assert_true(res_get_summary(r, "jobs_lost", "all") == jobs);
    assert_true(res_get_summary(r, "harm", "all") == 5.0 * jobs);
    sim_free(s);
}

/* ---- inspections ---------------------------------------------------------------------- */

static const char INSPECT[] =
    "[population]\npersons = 400\nfirms_per_person = 0\nregions = 2\ngroups = 1\n"
    "propensity_mean = 0.02\npropensity_sd = 0\n"
    "[agency.police]\ncoverage = 0.5\ndetection = 0.5\nfalse_record = 0\nmisattribution = 0\n"
    "[inspection]\nagency = police\n"
    "[run]\nsteps = 120\nthreads = 1\n";

/* Mean |share - 1/2| of region 0's inspection allocation at the end, over 12 seeds. */
static double drift(int correct) {
    double sum = 0;
    for (int seed = 1; seed <= 12; seed++) {
        char sd[32];
        snprintf(sd, sizeof sd, "run.seed=%d", seed);
        const char *sets[] = {sd, correct ? "inspection.correct=true" : "inspection.correct=false"};
        sim_t *s = run_text(INSPECT, sets, 2);
        sum += fabs(res_get(sim_results(s), 120, "inspection_share", "region:0") - 0.5);
        sim_free(s);
    }
    return sum / 12;
}

/* Two regions with equal true violation rates. Allocating inspections by past records is a
 * Polya urn: the allocation drifts away from one half (mean deviation > 0.1; a uniform limit
 * would give 0.25). With the correction it stays within 0.05 of one half on average. */
static void test_inspection_feedback(void **state) {
    (void)state;
    double loop = drift(0), corrected = drift(1);
    print_message("mean |share - 1/2|: %.3f uncorrected, %.3f corrected\n", loop, corrected);
    if (!(loop > 0.1)) fail_msg("uncorrected drift %g, expected > 0.1", loop);
    if (!(corrected < 0.05)) fail_msg("corrected drift %g, expected < 0.05", corrected);
}

/* ---- exactness and stock-flow ------------------------------------------------------------ */

/* Every mechanism on, but no false records, misattribution or spillover: no wrongful
 * listing, though sanctions reach innocent family members. */
static void test_no_errors_no_wrongful(void **state) {
    (void)state;
    const char text[] =
        "[population]\npersons = 20000\nregions = 2\n"
        "[agency.courts]\nviolation_scale = 0.3\nfalse_record = 0\nmisattribution = 0\n"
        "[agency.tax]\nfalse_record = 0\nmisattribution = 0\n"
        "[scoring]\nregime = lists\n"
        "[sanction.flight_ban]\nreach = self, household\nharm = 2\ninspection = 2\n"
        "[sanction.procurement]\nreach = firm\nrevenue = 0.2\n"
        "[joint.courts]\nblack = flight_ban, procurement\n"
        "[redress]\nappeal = 0.3\ncomply = 0.05\nextend = 6\nrepair = 0.1\n"
        "[inspection]\nagency = tax\nregion_spill = 1\n"
        "[behaviour]\ndeter_surveillance = 0.5\ndeter_sanction = 0.3\nostracism = 0.1\n"
        "[run]\nsteps = 36\n";
    sim_t *s = run_text(text, NULL, 0);
    const res_t *r = sim_results(s);
    assert_true(res_get_summary(r, "listings.black", "all") > 200);
    assert_true(res_get_summary(r, "ever_wrongly_listed.black", "all") == 0);
    assert_true(res_get_summary(r, "harm", "innocent") > 0);   /* household members */
    sim_free(s);
}

/* Every mechanism on, with errors and spillover: 1 and 2 threads give identical metrics,
 * summary and events, bit for bit. */
static void test_threads_identical(void **state) {
    (void)state;
    const char text[] =
        "[population]\npersons = 30000\nregions = 3\n"
        "[agency.courts]\nviolation_scale = 0.3\n[agency.tax]\n"
        "[scoring]\nregime = lists\n"
        "[spillover.partners]\nlayer = partner\nkind = probabilistic\nbeta = 0.2\n"
        "[spillover.friends]\nlayer = social\nkind = threshold\nphi = 0.3\n"
        "[sanction.flight_ban]\nreach = self, household\nharm = 2\ninspection = 2\npublic = true\n"
        "[sanction.procurement]\nreach = firm, partners\nrevenue = 0.2\n"
        "[sanction.deposit_waiver]\nlists = red\nreward = true\ninspection = 0.5\n"
        "[joint.courts]\nblack = flight_ban, procurement\n"
        "[joint.tax]\nblack = procurement\n"
        "[redress]\nappeal = 0.3\nappeal_capacity = 20\ncomply = 0.05\nextend = 6\nrepair = 0.1\n"
        "[inspection]\nagency = tax\nregion_spill = 1\n"
        "[behaviour]\ndeter_surveillance = 0.5\ndeter_sanction = 0.3\nostracism = 0.1\n"
        "[run]\nsteps = 30\nseed_listed = 0.002\n";
    const char *one[] = {"run.threads=1"}, *two[] = {"run.threads=2"};
    sim_t *a = run_text(text, one, 1), *b = run_text(text, two, 1);
    const res_t *x = sim_results(a), *y = sim_results(b);
    assert_true(res_get_summary(x, "firms_failed", "all") > 0);
    assert_true(res_get_summary(x, "appeals_decided", "wrongful") > 0);
    assert_true(x->nrows == y->nrows && x->nsummary == y->nsummary && x->nevents == y->nevents);
    assert_memory_equal(x->rows, y->rows, x->nrows * sizeof *x->rows);
    assert_memory_equal(x->summary, y->summary, x->nsummary * sizeof *x->summary);
    for (uint64_t k = 0; k < x->nevents; k++) {   /* field by field: the struct has padding */
        const res_event *e = &x->events[k], *f = &y->events[k];
        assert_true(e->step == f->step && e->kind == f->kind && e->list == f->list &&
                    e->cause == f->cause && e->layer == f->layer && e->agency == f->agency &&
                    e->agent == f->agent && e->source == f->source);
    }
    sim_free(a);
    sim_free(b);
}

/* Common random numbers: the counterfactual violations of a run with deterrence and failing
 * firms are exactly the violations of the same society and seed with both switched off. */
static void test_counterfactual_exact(void **state) {
    (void)state;
    const char text[] =
        "[population]\npersons = 20000\n"
        "[sanction.procurement]\nlists = black\nreach = self\nrevenue = 0.5\n"
        "[behaviour]\ndeter_surveillance = 1\ndeter_sanction = 0.5\n"
        "[run]\nsteps = 36\n";
    const char *off[] = {"behaviour.deter_surveillance=0", "behaviour.deter_sanction=0",
                         "sanction.procurement.revenue=0"};
    sim_t *a = run_text(text, NULL, 0), *b = run_text(text, off, 3);
    const res_t *x = sim_results(a), *y = sim_results(b);
    double prevented = res_get_summary(x, "violations_prevented", "all");
    assert_true(prevented > 100);
    assert_true(res_get_summary(x, "firms_failed", "all") > 0);
    assert_true(res_get_summary(x, "violations_counterfactual", "all") ==
                res_get_summary(y, "violations", "all"));
    assert_true(res_get_summary(y, "violations_prevented", "all") == 0);
    assert_true(res_get_summary(x, "violations", "all") + prevented ==
                res_get_summary(y, "violations", "all"));
    sim_free(a);
    sim_free(b);
}

/* scenarios/verify/stock-flow.ini at full size: the listed stock matches inflow x mean time
 * listed (Little's law) within 2%. */
static void test_stock_flow_2pct(void **state) {
    (void)state;
    verify_row rows[VERIFY_MAX_ROWS];
    int n = 0;
    sim_err err = {{0}};
    verify_opts o = {0, "scenarios/verify", NULL, 0, 0, "stock-flow"};
    assert_int_equal(verify_run(&o, rows, &n, &err), SIM_OK);
    assert_true(n >= 1);
    int stock = 0;
    for (int k = 0; k < n; k++) {   /* the stock rows: listed share, and stock / inflow */
        if (strncmp(rows[k].setting, "listed share", 12) && strncmp(rows[k].setting, "Little", 6))
            continue;
        stock++;
        if (!rows[k].pass || fabs(rows[k].sim - rows[k].theory) > 0.02 * fabs(rows[k].theory))
            fail_msg("%s %s: theory %g sim %g", rows[k].check, rows[k].setting, rows[k].theory,
                     rows[k].sim);
    }
    assert_int_equal(stock, 2);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reach_exact),
        cmocka_unit_test(test_joint_fanout),
        cmocka_unit_test(test_appeal_rate),
        cmocka_unit_test(test_appeal_capacity),
        cmocka_unit_test(test_comply_and_repair),
        cmocka_unit_test(test_term_extension),
        cmocka_unit_test(test_ostracism_counts),
        cmocka_unit_test(test_firm_failure),
        cmocka_unit_test(test_inspection_feedback),
        cmocka_unit_test(test_no_errors_no_wrongful),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_push_rounds),
        cmocka_unit_test(test_counterfactual_exact),
        cmocka_unit_test(test_stock_flow_2pct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
