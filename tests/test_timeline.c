/* tests/test_timeline.c - function creep: [at.STEP] sections and --set at.STEP.*. Parsing
 * (the scenario in force from each step, cumulative, base overrides carried), errors, the
 * `show` and JSON round trip, and the engine: a change at step k leaves steps 1..k-1
 * identical, takes effect at k, is the same for any thread count, and a change at step 1 of
 * a quantity the engine caches gives exactly the run that had the value from the start (no
 * stale cache). The bad-file corpus (tests/scenarios/bad/timeline_*.ini) is checked by
 * test_scenario. Runs from the repository root. */
#include "testutil.h"

#include <math.h>

#include "engine.h"
#include "scenario.h"
#include "scenario_keys.h"
#include "state.h"

static void load_ok(scenario *sc, const char *text, const char *const *ov, int nov) {
    sim_err err = {{0}};
    sim_status st = scn_load_string(sc, "t.ini", text, ov, nov, &err);
    if (st != SIM_OK) fail_msg("load failed (%d): %s", st, err.msg);
}

static void expect_err(const char *text, const char *set, const char *want) {
    scenario sc;
    sim_err err = {{0}};
    const char *ov[] = {set};
    sim_status st = scn_load_string(&sc, "t.ini", text, ov, set ? 1 : 0, &err);
    if (st != SIM_ESCENARIO) fail_msg("status %d (want %d): %s", st, SIM_ESCENARIO, err.msg);
    assert_contains(err.msg, want);
    assert_null(sc.timeline);
}

static const char TL[] =
    "[run]\nsteps = 24\n"
    "[sanction.travel]\nlists = black\n"
    "[at.12]\njoint.courts.black = travel\nsanction.shame.public = true\n"
    "[at.6]\nagency.courts.false_record = 0.01\nagency.civility.coverage_by_region = 2\n";

/* Steps in order, each scenario cumulative, the start untouched, --set on the start carried
 * into every later scenario unless the timeline changes the key. */
static void test_parse_cumulative(void **state) {
    (void)state;
    scenario sc;
    const char *ov[] = {"at.18.agency.courts.false_record=0.02", "agency.tax.detection=0.7",
                        "agency.courts.false_record=0.001"};
    load_ok(&sc, TL, ov, 3);
    assert_non_null(sc.timeline);
    const scn_timeline *tl = sc.timeline;
    assert_int_equal(tl->n, 3);
    assert_int_equal(tl->step[0], 6);
    assert_int_equal(tl->step[1], 12);
    assert_int_equal(tl->step[2], 18);
    assert_true(sc.agencies[0].false_record == 0.001);            /* the start */
    assert_int_equal(sc.njoint, 0);
    assert_int_equal(sc.nsanctions, 1);
    assert_true(tl->at[0].agencies[0].false_record == 0.01);
    assert_true(tl->at[0].agencies[3].coverage_by_region[0] == 2);
    assert_true(tl->at[0].agencies[3].coverage_by_region[1] == 1);  /* missing entries: 1 */
    assert_int_equal(tl->at[0].njoint, 0);
    assert_int_equal(tl->at[1].njoint, 1);                        /* added at 12 */
    assert_int_equal(tl->at[1].joint[0].agency, 0);
    assert_int_equal(tl->at[1].joint[0].mask[LIST_BLACK], 1);
    assert_int_equal(tl->at[1].nsanctions, 2);
    assert_true(tl->at[1].sanctions[1].public);
    assert_true(tl->at[1].agencies[0].false_record == 0.01);      /* kept from step 6 */
    assert_true(tl->at[2].agencies[0].false_record == 0.02);
    assert_int_equal(tl->at[2].njoint, 1);
    for (int i = 0; i < 3; i++) {
        assert_true(tl->at[i].agencies[1].detection == 0.7);      /* base --set carried */
        assert_null(tl->at[i].text);
        assert_null(tl->at[i].timeline);
    }
    assert_contains(sc.text, "[at.12]");                          /* kept for provenance */
    assert_contains(sc.overrides, "at.18.agency.courts.false_record=0.02");
    scn_free(&sc);
    load_ok(&sc, "[run]\nsteps = 5\n", NULL, 0);
    assert_null(sc.timeline);
    scn_free(&sc);
}

static void test_errors(void **state) {
    (void)state;
    expect_err("[run]\nsteps = 10\n", "at.11.agency.courts.detection=0.3",
               "--set at.11.agency.courts.detection=0.3: [at.11] agency.courts.detection: "
               "step 11 is beyond the run (run.steps = 10)");
    expect_err("", "at.0.agency.courts.detection=0.3", "expected at.STEP.section.key=value");
    expect_err("", "at.x.agency.courts.detection=0.3", "expected at.STEP.section.key=value");
    expect_err("", "at.5.run.seed=3", "[run] seed: cannot change mid-run ([at.5])");
    expect_err("", "at.5.layer.social.mean_degree=3", "[layer.social] mean_degree: cannot "
               "change mid-run");
    expect_err("", "at.5.agency.courts.list_after=2", "list_after: cannot change mid-run");
    expect_err("", "at.5.agency.courts.detection=x", "\"x\" is not a number");
    expect_err("", "at.5.agency.courts.coverage=2", "2 is out of range (allowed: number 0 .. 1)"
               " (timeline: [at.5])");
    expect_err("", "at.5.agency.courts.coverag=0.2", "did you mean \"coverage\"?");
    expect_err("", "at.5.spillover.new.beta=0.2", "a new [spillover.NAME] cannot be added");
    expect_err("", "at.5.behaviour.ostracism_layers=parent", "\"parent\" is not an undirected "
               "layer");
}

/* show writes the timeline as [at.STEP] sections of the changed keys (new sections in
 * full); reading it back gives the same scenario, the same timeline and the same text. */
static char *show(const scenario *sc) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sim_err err;
    assert_int_equal(scn_write(sc, f, &err), SIM_OK);
    fclose(f);
    return buf;
}

static void test_show_round_trip(void **state) {
    (void)state;
    scenario a, b;
    const char *ov[] = {"at.18.agency.courts.coverage_by_region=0.5, 1, 1, 1, 2",
                        "population.regions=8"};
    load_ok(&a, TL, ov, 2);
    char *ta = show(&a);
    assert_contains(ta, "\n[at.6]\nagency.courts.false_record = 0.01\n"
                        "agency.civility.coverage_by_region = 2, 1, 1, 1, 1, 1\n"
                        "agency.civility.coverage_by_region += 1, 1\n");
    assert_contains(ta, "\n[at.12]\nsanction.shame.by = \n");
    assert_contains(ta, "sanction.shame.public = true\n");
    assert_contains(ta, "joint.courts.black = travel\njoint.courts.watch = \n");
    assert_contains(ta, "[at.18]\nagency.courts.coverage_by_region = 0.5, 1, 1, 1, 2, 1\n");
    assert_null(strstr(strstr(ta, "[at.18]"), "false_record"));   /* unchanged: not shown */
    load_ok(&b, ta, NULL, 0);
    char *tb = show(&b);
    assert_string_equal(ta, tb);
    assert_int_equal(b.timeline->n, 3);
    for (int i = 0; i < 3; i++) {
        char *ja = scn_to_json(&a.timeline->at[i]), *jb = scn_to_json(&b.timeline->at[i]);
        assert_string_equal(ja, jb);
        free(ja), free(jb);
    }
    char *ja = scn_to_json(&a), *jb = scn_to_json(&b);
    assert_string_equal(ja, jb);
    assert_contains(ja, "\"timeline\": [{\"step\": 6, \"changes\": {\"agency.courts."
                        "false_record\": 0.01, \"agency.civility.coverage_by_region\": [2, 1");
    free(ja), free(jb), free(ta), free(tb);
    scn_free(&a), scn_free(&b);
}

/* The library scenario: its timeline is read, and `show` reads back to the same text. */
static void test_library_scenario(void **state) {
    (void)state;
    scenario a, b;
    sim_err err = {{0}};
    if (scn_load(&a, "scenarios/function-creep.ini", NULL, 0, &err) != SIM_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(a.timeline->n, 4);
    const int steps[] = {25, 49, 73, 97};
    for (int i = 0; i < 4; i++) assert_int_equal(a.timeline->step[i], steps[i]);
    assert_true(a.rules[0].weight == 0 && a.timeline->at[1].rules[0].weight == 10);
    assert_true(a.agencies[1].coverage_by_group[1] == 0);
    assert_true(a.timeline->at[0].agencies[1].coverage_by_group[1] == 1);
    assert_true(a.timeline->at[2].agencies[1].false_record == 0.004);
    char *ta = show(&a);
    load_ok(&b, ta, NULL, 0);
    char *tb = show(&b);
    assert_string_equal(strchr(ta, '\n'), strchr(tb, '\n'));   /* all but the name line */
    free(ta), free(tb);
    scn_free(&a), scn_free(&b);
}

/* docs/scenario.md's table of changeable keys says exactly what scn_changeable accepts: per
 * section row, "none", "all ..." or the backticked keys of the second column. */
static void test_docs_table(void **state) {
    (void)state;
    FILE *f = fopen("docs/scenario.md", "r");
    assert_non_null(f);
    char line[1024];
    int in = 0, rows = 0, seen[SEC_NKINDS] = {0};
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "| section | keys that may change |", 34) == 0) { in = 1; continue; }
        if (in && strncmp(line, "| `[", 4) != 0) { if (rows) break; continue; }
        if (!in) continue;
        char name[32] = "", *col2 = strstr(line + 4, " | "), *end;
        size_t nl = strcspn(line + 4, ".]");
        assert_true(col2 && nl < sizeof name);
        memcpy(name, line + 4, nl);
        col2 += 3;
        end = strstr(col2, " | ");
        assert_non_null(end);
        *end = '\0';
        int sec = -1;
        for (int k = 0; k < SEC_NKINDS; k++) if (strcmp(scn_sec_names[k], name) == 0) sec = k;
        if (sec < 0) fail_msg("docs/scenario.md timeline table: unknown section %s", name);
        seen[sec]++, rows++;
        for (int i = 0; i < NKEYS; i++) {
            if ((int)scn_keys[i].sec != sec) continue;
            char tick[64];
            snprintf(tick, sizeof tick, "`%s`", scn_keys[i].name);
            int doc = strncmp(col2, "all", 3) == 0 ? 1 : strcmp(col2, "none") == 0 ? 0
                    : strstr(col2, tick) != NULL;
            if (doc != scn_changeable(name, scn_keys[i].name))
                fail_msg("docs/scenario.md says %s.%s %s change; the code says otherwise", name,
                         scn_keys[i].name, doc ? "may" : "may not");
        }
    }
    fclose(f);
    for (int k = 0; k < SEC_NKINDS; k++)
        if (seen[k] != 1) fail_msg("docs/scenario.md timeline table: %d rows for [%s]", seen[k],
                                   scn_sec_names[k]);
}

/* ---- the engine ---------------------------------------------------------------------- */

/* Runs text with the overrides (threads: 1 or 2). */
static sim_t *run(const char *text, const char *const *sets, int nsets, int threads) {
    scenario sc;
    sim_err err = {{0}};
    char th[32];
    const char *all[16];
    for (int i = 0; i < nsets; i++) all[i] = sets[i];
    snprintf(th, sizeof th, "run.threads=%d", threads);
    all[nsets] = th;
    if (scn_load_string(&sc, "tl", text, all, nsets + 1, &err) != SIM_OK)
        fail_msg("scenario: %s", err.msg);
    sim_t *s = NULL;
    if (sim_new(&s, &sc, NULL, &err) != SIM_OK) fail_msg("sim_new: %s", err.msg);
    if (sim_run(s, &err) != SIM_OK) fail_msg("sim_run: %s", err.msg);
    scn_free(&sc);
    return s;
}

/* Rows of a with lo <= step < hi equal those of b (metric, grp label, value bit for bit), in
 * the same order; returns the number compared. */
static uint64_t rows_equal(const res_t *a, const res_t *b, int lo, int hi) {
    uint64_t i = 0, j = 0, n = 0;
    for (;;) {
        while (i < a->nrows && (a->rows[i].step < lo || a->rows[i].step >= hi)) i++;
        while (j < b->nrows && (b->rows[j].step < lo || b->rows[j].step >= hi)) j++;
        if (i == a->nrows || j == b->nrows) break;
        const res_row *x = &a->rows[i++], *y = &b->rows[j++];
        if (x->step != y->step || x->metric != y->metric ||
            strcmp(a->grps[x->grp], b->grps[y->grp]) != 0 ||
            memcmp(&x->value, &y->value, sizeof x->value) != 0)
            fail_msg("step %d metric %d grp %s: %.17g vs step %d metric %d grp %s: %.17g",
                     x->step, x->metric, a->grps[x->grp], x->value, y->step, y->metric,
                     b->grps[y->grp], y->value);
        n++;
    }
    if (i != a->nrows || j != b->nrows) fail_msg("row counts differ in steps %d..%d", lo, hi - 1);
    return n;
}

static int rows_differ(const res_t *a, const res_t *b, int lo) {
    if (a->nrows != b->nrows) return 1;
    for (uint64_t i = 0; i < a->nrows; i++)
        if (a->rows[i].step >= lo && (a->rows[i].value != b->rows[i].value ||
                                      a->rows[i].metric != b->rows[i].metric))
            return 1;
    return 0;
}

static void events_equal_before(const res_t *a, const res_t *b, int k) {
    uint64_t na = 0, nb = 0;
    while (na < a->nevents && a->events[na].step < k) na++;
    while (nb < b->nevents && b->events[nb].step < k) nb++;
    assert_true(na == nb && na > 0);
    for (uint64_t i = 0; i < na; i++) {
        const res_event *x = &a->events[i], *y = &b->events[i];
        assert_true(x->step == y->step && x->kind == y->kind && x->agent == y->agent &&
                    x->cause == y->cause && x->list == y->list && x->source == y->source);
    }
}

/* A small society with sanctions, a spillover rule and seeds; the changes below touch what
 * the engine caches. */
static const char SOC[] =
    "[population]\npersons = 4000\nregions = 3\n"
    "[sanction.travel]\nlists = black\nharm = 2\n"
    "[sanction.audit]\ninspection = 2\n"
    "[spillover.kin]\nlayer = family\nkind = probabilistic\nbeta = 0\n"
    "[run]\nsteps = 14\n";

static const char *const CREEP[] = {
    "at.7.agency.civility.coverage_by_region=3, 0.5", "at.7.agency.civility.false_record=0.004",
    "at.7.joint.courts.black=audit", "at.7.joint.tax.black=audit, travel",
    "at.7.spillover.kin.beta=0.3", "at.7.sanction.travel.public=true",
    "at.7.inspection.region_spill=1", "at.7.redress.comply=0.05",
    "at.7.behaviour.deter_surveillance=0.5"};
enum { NCREEP = sizeof CREEP / sizeof *CREEP };

/* Steps 0..6 of the run with changes at step 7 are those of the run without them, bit for
 * bit (metrics and events); from step 7 on they differ. */
static void test_prefix_identical(void **state) {
    (void)state;
    const char *seeds[] = {"run.seed_listed=0.01"};
    const char *sets[NCREEP + 1];
    sets[0] = seeds[0];
    for (int i = 0; i < NCREEP; i++) sets[i + 1] = CREEP[i];
    sim_t *a = run(SOC, seeds, 1, 2), *b = run(SOC, sets, NCREEP + 1, 2);
    const res_t *ra = sim_results(a), *rb = sim_results(b);
    assert_true(rows_equal(ra, rb, 0, 7) > 100);
    events_equal_before(ra, rb, 7);
    assert_true(rows_differ(ra, rb, 7));
    sim_free(a), sim_free(b);
}

/* The same timeline run with 1 and with 2 threads: identical rows and summary. */
static void test_threads(void **state) {
    (void)state;
    const char *sets[NCREEP + 1];
    sets[0] = "run.seed_listed=0.01";
    for (int i = 0; i < NCREEP; i++) sets[i + 1] = CREEP[i];
    sim_t *a = run(SOC, sets, NCREEP + 1, 1), *b = run(SOC, sets, NCREEP + 1, 2);
    const res_t *ra = sim_results(a), *rb = sim_results(b);
    assert_true(ra->nrows == rb->nrows && ra->nsummary == rb->nsummary);
    assert_memory_equal(ra->rows, rb->rows, ra->nrows * sizeof *ra->rows);
    assert_memory_equal(ra->summary, rb->summary, ra->nsummary * sizeof *ra->summary);
    sim_free(a), sim_free(b);
}

/* Each change, made at step 1, gives exactly the run with the value from the start (no
 * listings at step 0, so nothing before step 1 depends on it): every cached quantity is
 * re-derived. One case per cache: the coverage maximum (agency), the joint punishment
 * matrix, the catalogue's masks and a new public sanction (sanction), a spillover rate
 * (policy), region multipliers and detection flags, redress on, deterrence on. */
static void test_change_at_one_is_from_start(void **state) {
    (void)state;
    for (int c = 0; c < NCREEP; c++) {
        char at1[200];
        snprintf(at1, sizeof at1, "at.1.%s", strchr(CREEP[c] + 3, '.') + 1);
        const char *from_start = strchr(CREEP[c] + 3, '.') + 1;
        const char *sa[] = {"run.seed=3", at1}, *sb[] = {"run.seed=3", from_start};
        const char *extra = c == 2 || c == 3 ? "joint.market.black=travel" : "run.seed=3";
        const char *sa2[] = {sa[0], sa[1], extra}, *sb2[] = {sb[0], sb[1], extra};
        sim_t *a = run(SOC, sa2, 3, 2), *b = run(SOC, sb2, 3, 2);
        const res_t *ra = sim_results(a), *rb = sim_results(b);
        assert_true(rows_equal(ra, rb, 1, 1 << 30) > 100);
        assert_int_equal(ra->nsummary, rb->nsummary);
        for (uint64_t i = 0; i < ra->nsummary; i++)
            assert_true(ra->summary[i].value == rb->summary[i].value ||
                        (isnan(ra->summary[i].value) && isnan(rb->summary[i].value)));
        sim_free(a), sim_free(b);
    }
}

/* The change takes effect: false records of civility rise from step 7 on, not before. */
static void test_takes_effect(void **state) {
    (void)state;
    const char *sets[] = {"at.7.agency.civility.false_record=0.05", "run.steps=12"};
    sim_t *a = run(SOC, sets, 2, 2);
    const res_t *r = sim_results(a);
    int cause = res_grp_find(r, "cause:false_record");
    double before = 0, after = 0;
    for (uint64_t i = 0; i < r->nrows; i++)
        if (r->rows[i].metric == M_RECORDS && r->rows[i].grp == cause)
            *(r->rows[i].step < 7 ? &before : &after) += r->rows[i].value;
    /* 4000 persons x 0.7 coverage x 0.05 over 6 steps: ~840 after; before ~ 4000 x 0.7 x
       0.002 x 6 = 34; a factor of 5 leaves a wide margin both ways */
    assert_true(cause >= 0);
    assert_true(after > 5 * before);
    sim_free(a);
}

/* Switching region_spill off at step 5 resets the region detection multipliers to 1 at the
 * start of step 5 (they are derived from region_spill, not left from step 4). */
static void test_region_spill_off(void **state) {
    (void)state;
    const char *sets[] = {"run.seed_listed=0.05", "sanction.audit.lists=black",
                          "inspection.region_spill=1", "at.5.inspection.region_spill=0",
                          "run.threads=2"};
    scenario sc;
    sim_err err = {{0}};
    if (scn_load_string(&sc, "tl", SOC, sets, 5, &err) != SIM_OK) fail_msg("%s", err.msg);
    sim_t *s = NULL;
    assert_int_equal(sim_new(&s, &sc, NULL, &err), SIM_OK);
    scn_free(&sc);
    for (int t = 1; t <= 4; t++) assert_int_equal(sim_step(s, &err), SIM_OK);
    assert_true(s->sanction.region_mult[0] > 1.0);       /* inspections raise it by step 4 */
    assert_true(s->sanction.detect_on);
    assert_int_equal(timeline_apply(s), 1);               /* what sim_step does first */
    for (int r = 0; r < 3; r++) assert_true(s->sanction.region_mult[r] == 1.0);
    assert_true(s->sc.inspection.region_spill == 0);
    assert_int_equal(timeline_apply(s), 1);               /* idempotent: the same again */
    assert_int_equal(sim_step(s, &err), SIM_OK);
    for (int r = 0; r < 3; r++) assert_true(s->sanction.region_mult[r] == 1.0);
    sim_free(s);
}

/* scenarios/function-creep.ini's sharing widens on the timeline (1,500 persons, 120 steps,
 * seed 1). Year 3 (step 25): the pilot's uploads no longer ask for consent, so group 1's
 * camera sightings reach the platform too: the flows of steps 25..36 exceed those of steps
 * 13..24 by more than 10% (group 1 is 20% of persons: about +25%, each step's flow about
 * 1,000 records, Poisson s.d. about 3%). Year 5 (step 49): the court's records reach the
 * platform and the pilot's reach the courts; against the same file with those two lines
 * undone by --set (the scenario in force from 49 then equals the one before), steps 0..48
 * are bit-identical, every step from 49 on has at least as many flows and their sum more,
 * and at the end more bodies hold or can read data about a person. */
static double flows(const res_t *r, int lo, int hi) {
    double n = 0;
    for (int t = lo; t <= hi; t++) n += res_get(r, t, "data_flows", "all");
    return n;
}

static void test_creep_sharing(void **state) {
    (void)state;
    const char *text = "include = scenarios/function-creep.ini\n";
    const char *with[] = {"population.persons=1500"};
    const char *without[] = {"population.persons=1500", "at.49.share.courts.from_step=1000",
                             "at.49.share.civility.to=platform"};
    sim_t *a = run(text, with, 1, 2), *b = run(text, without, 3, 2);
    const res_t *ra = sim_results(a), *rb = sim_results(b);
    assert_true(flows(ra, 13, 24) > 1000);
    assert_true(flows(ra, 25, 36) > 1.1 * flows(ra, 13, 24));
    assert_true(rows_equal(ra, rb, 0, 49) > 1000);
    events_equal_before(ra, rb, 49);
    for (int t = 49; t <= 120; t++)
        assert_true(res_get(ra, t, "data_flows", "all") >= res_get(rb, t, "data_flows", "all"));
    assert_true(flows(ra, 49, 120) > flows(rb, 49, 120));
    double ba = res_get_summary(ra, "bodies_per_person", "mean");
    double bb = res_get_summary(rb, "bodies_per_person", "mean");
    assert_true(ba > bb);
    assert_true(res_get_summary(ra, "bodies_per_person", "shared") >
                res_get_summary(rb, "bodies_per_person", "shared"));
    sim_free(a), sim_free(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_cumulative), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_show_round_trip), cmocka_unit_test(test_library_scenario),
        cmocka_unit_test(test_docs_table),
        cmocka_unit_test(test_prefix_identical),
        cmocka_unit_test(test_threads), cmocka_unit_test(test_change_at_one_is_from_start),
        cmocka_unit_test(test_takes_effect), cmocka_unit_test(test_region_spill_off),
        cmocka_unit_test(test_creep_sharing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
