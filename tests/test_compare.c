/* tests/test_compare.c - paired contrasts and labels (issue 14 items 5 and 6): scsim compare
 * DB --ref LABEL prints and stores (table contrasts) each group's difference and ratio to
 * the reference with 95% intervals over runs paired by seed and replicate, equal to a hand
 * computation with Student's t quantile from GSL; an unknown label lists the labels (exit
 * 2); a run without a partner of the same seed is named (exit 5). Labels: a sweep point
 * takes its parameters' `label` names; default labels abbreviate keys to their shortest
 * unambiguous ending (partners.beta vs family.beta) and a --set variant of baseline is never
 * "baseline". (Before: no compare command, no contrasts table, no label key.) */
#include "analyst.h"

#include <gsl/gsl_cdf.h>

#include "query_groups.h"

#define SWEEP "sweep tests/data/analyst-sweep.ini --quiet --out "
#define RUN "run scenarios/baseline.ini --steps 5 --set population.persons=2000 --threads 1 " \
            "--quiet --out "

/* Keys abbreviate to their shortest ending no other key shares. */
static void test_key_abbrev(void **state) {
    (void)state;
    const char *keys[] = {"spillover.partners.beta", "spillover.family.beta",
                          "population.persons", "agency.courts.false_record",
                          "spillover.partners.beta", "beta"};
    size_t start[6];
    query_key_abbrev(keys, 6, start);
    assert_string_equal(keys[0] + start[0], "partners.beta");
    assert_string_equal(keys[1] + start[1], "family.beta");
    assert_string_equal(keys[2] + start[2], "persons");
    assert_string_equal(keys[3] + start[3], "false_record");
    assert_string_equal(keys[4] + start[4], "partners.beta");
    assert_string_equal(keys[5] + start[5], "beta");
}

/* The paired values of one metric are set by hand (ref 10, 12, 14; group 13, 14, 20,
 * paired by replicate), and the stored contrast is checked against the formulas computed
 * here with GSL's t quantile, and against the numbers worked out by hand (t_0.975,2 =
 * 4.302653 from a t table; differences 3, 2, 6: mean 3.666667, sd 2.081666, half-width
 * 5.171145; ratio 15.666667 / 12 = 1.305556, z = x - R y: sd 1.695127, half-width
 * 0.350911). */
static void test_interval_by_hand(void **state) {
    (void)state;
    const char *db = "build/cmp-hand.db";
    char out[8000];
    an_rm(db);
    assert_int_equal(an_run(SWEEP "build/cmp-hand.db", out, sizeof out), 0);
    an_exec(db, "UPDATE summary_rows SET value = CASE (SELECT replicate FROM runs r WHERE"
                " r.run_id = summary_rows.run_id) WHEN 0 THEN 10 WHEN 1 THEN 12 ELSE 14 END +"
                " CASE (SELECT point FROM runs r WHERE r.run_id = summary_rows.run_id) WHEN 2"
                " THEN (SELECT CASE replicate WHEN 0 THEN 3 WHEN 1 THEN 2 ELSE 6 END FROM"
                " runs r WHERE r.run_id = summary_rows.run_id) ELSE 0 END WHERE metric ="
                " (SELECT id FROM metric_names WHERE name = 'persons') AND grp = 'all'");
    assert_int_equal(an_run("compare build/cmp-hand.db --ref 'beta=0 false_record=0' "
                            "--metric persons", out, sizeof out), 0);
    assert_contains(out, "beta=0.5 false_record=0");
    const double x[] = {13, 14, 20}, y[] = {10, 12, 14};
    double d[3], md = 0, sd = 0, mx = 0, my = 0;
    for (int i = 0; i < 3; i++) d[i] = x[i] - y[i], md += d[i] / 3, mx += x[i] / 3, my += y[i] / 3;
    for (int i = 0; i < 3; i++) sd += (d[i] - md) * (d[i] - md) / 2;
    double t = gsl_cdf_tdist_Pinv(0.975, 2), R = mx / my, sz = 0;
    for (int i = 0; i < 3; i++) sz += (x[i] - R * y[i]) * (x[i] - R * y[i]) / 2;
    assert_true(fabs(t - 4.302653) < 1e-6);
    const char *row = "FROM contrasts WHERE ref = 'beta=0 false_record=0' AND label ="
                      " 'beta=0.5 false_record=0' AND metric = 'persons' AND grp = 'all'";
    char sql[400];
    struct { const char *col; double want, paper; } c[] = {
        {"pairs", 3, 3}, {"ref_mean", 12, 12}, {"mean", mx, 15.666667}, {"diff", md, 3.666667},
        {"diff_lo", md - t * sqrt(sd / 3), -1.504478}, {"diff_hi", md + t * sqrt(sd / 3), 8.837812},
        {"ratio", R, 1.305556}, {"ratio_lo", R - t * sqrt(sz / 3) / my, 0.954645},
        {"ratio_hi", R + t * sqrt(sz / 3) / my, 1.656466}};
    for (size_t k = 0; k < sizeof c / sizeof *c; k++) {
        snprintf(sql, sizeof sql, "SELECT %s %s", c[k].col, row);
        double v = an_query(db, sql);
        if (fabs(v - c[k].want) > 1e-9 || fabs(v - c[k].paper) > 1e-6)
            fail_msg("%s: stored %.9g, formula %.9g, on paper %.9g", c[k].col, v, c[k].want,
                     c[k].paper);
    }
    /* the reference's own runs are not compared with themselves; 3 other groups */
    assert_true(an_query(db, "SELECT count(*) FROM contrasts") == 3);
    an_rm(db);
}

/* Unknown label: exit 2 listing the labels. A group whose seed has no partner: exit 5
 * naming the run, seed and replicate. */
static void test_errors(void **state) {
    (void)state;
    const char *db = "build/cmp-err.db";
    char out[8000];
    an_rm(db);
    assert_int_equal(an_run(RUN "build/cmp-err.db --seed 3", out, sizeof out), 0);
    assert_int_equal(an_run(RUN "build/cmp-err.db --seed 4", out, sizeof out), 0);
    assert_int_equal(an_run(RUN "build/cmp-err.db --seed 3 --set spillover.partners.beta=0.5",
                            out, sizeof out), 0);
    assert_int_equal(an_run("compare build/cmp-err.db --ref nosuch", out, sizeof out), 2);
    assert_contains(out, "no group is labelled \"nosuch\"");
    assert_contains(out, "\"baseline steps=5 persons=2000 beta=0.5\"");
    assert_contains(out, "\"baseline steps=5 persons=2000\"");
    assert_int_equal(an_run("compare build/cmp-err.db --ref 'baseline steps=5 persons=2000'",
                            out, sizeof out), 5);
    assert_contains(out, "reference \"baseline steps=5 persons=2000\": run 2 (seed 4, "
                         "replicate 0) has no run of group");
    assert_int_equal(an_run("compare build/cmp-err.db --ref x --metric no.such.metric", out,
                            sizeof out), 2);
    assert_contains(out, "--metric no.such.metric: expected a summary metric");
    assert_int_equal(an_run("compare build/no-such.db --ref x", out, sizeof out), 4);
    an_rm(db);
}

/* A sweep point takes its parameters' label names (runs.label); compare and both summaries
 * use them. */
static void test_point_labels(void **state) {
    (void)state;
    const char *db = "build/cmp-lab.db";
    char out[8000];
    an_rm(db);
    assert_int_equal(an_sh("sed 's/^values = 0, 0.5$/values = 0, 0.5\\nlabel = none, strong/' "
                           "tests/data/analyst-sweep.ini > build/cmp-lab.ini && sed -i "
                           "'s#scenario = ../../#scenario = ../#' build/cmp-lab.ini", out,
                           sizeof out), 0);
    assert_int_equal(an_run("sweep build/cmp-lab.ini --quiet --out build/cmp-lab.db", out,
                            sizeof out), 0);
    assert_true(an_query(db, "SELECT count(*) FROM runs WHERE label = 'none false_record=0'")
                == 3);
    assert_true(an_query(db, "SELECT count(*) FROM runs WHERE label = 'strong false_record=0.01'")
                == 3);
    assert_int_equal(an_run("compare build/cmp-lab.db --ref 'none false_record=0' --metric "
                            "ever_listed.black --metric harm@innocent", out, sizeof out), 0);
    assert_contains(out, "strong false_record=0.01");
    assert_true(an_query(db, "SELECT count(*) FROM contrasts WHERE metric = 'harm' AND grp ="
                             " 'innocent' AND pairs = 3") == 3);
    /* the summaries show the labels: per design point, and run by run */
    assert_int_equal(an_run("summary build/cmp-lab.db --sweep analyst", out, sizeof out), 0);
    assert_contains(out, "[strong false_record=0.01] spillover.partners.beta=0.5");
    assert_int_equal(an_run("summary build/cmp-lab.db --runs 1,4", out, sizeof out), 0);
    assert_contains(out, "\nlabel                      none false_recor none false_recor\n");
    /* a label list of the wrong length is an error naming the parameter */
    assert_int_equal(an_sh("sed -i 's/^label = none, strong$/label = none/' build/cmp-lab.ini",
                           out, sizeof out), 0);
    assert_int_equal(an_run("sweep build/cmp-lab.ini --dry-run", out, sizeof out), 3);
    assert_contains(out, "[param.partners]: label: 1 names for 2 values");
    an_rm(db);
}

/* One label on two configurations: two groups, told apart by their first run. */
static void test_same_label_twice(void **state) {
    (void)state;
    const char *db = "build/cmp-twin.db";
    char out[8000];
    an_rm(db);
    assert_int_equal(an_run(RUN "build/cmp-twin.db --label twin", out, sizeof out), 0);
    assert_int_equal(an_run(RUN "build/cmp-twin.db --label twin --seed 2", out, sizeof out), 0);
    assert_int_equal(an_run(RUN "build/cmp-twin.db --label twin --set spillover.partners.beta=0.5",
                            out, sizeof out), 0);
    assert_int_equal(an_run("compare build/cmp-twin.db --ref nosuch", out, sizeof out), 2);
    assert_contains(out, "are: \"twin (run 1)\", \"twin (run 3)\"\n");
    an_rm(db);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_abbrev),
        cmocka_unit_test(test_interval_by_hand),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_point_labels),
        cmocka_unit_test(test_same_label_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
