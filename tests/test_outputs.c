/* tests/test_outputs.c - output paths in a missing folder, one rule for every writing command
 * (issue 14 item 3): an output FILE (run --out, sweep --out, merge OUT.db, report -o) in a
 * folder that does not exist is refused with exit 4 naming the folder, and nothing is
 * created; an output FOLDER (export --csv, plot --out, verify --out) is created with its
 * parents, as each command's help says, and holds what the help lists. (Before: report -o
 * in a missing folder failed after drawing, with "No such file or directory" naming only
 * the file.) */
#include "analyst.h"

#define IN "build/out-in.db"

static int setup(void **state) {
    (void)state;
    char out[4000];
    an_rm(IN);
    an_rm("build/nofolder");
    return an_run("run scenarios/baseline.ini --steps 4 --set population.persons=2000 "
                  "--quiet --out " IN, out, sizeof out);
}

static int teardown(void **state) {
    (void)state;
    an_rm(IN);
    an_rm("build/nofolder");
    return 0;
}

/* The command (with "%s" for the output path build/nofolder/x/NAME) exits 4 naming the
 * folder build/nofolder/x, and build/nofolder stays absent. */
static void refused(const char *fmt, const char *name) {
    char args[600], path[200], out[4000];
    snprintf(path, sizeof path, "build/nofolder/x/%s", name);
    snprintf(args, sizeof args, fmt, path);
    assert_int_equal(an_run(args, out, sizeof out), 4);
    assert_contains(out, "build/nofolder/x");
    assert_contains(out, "does not exist");
    assert_int_equal(access("build/nofolder", F_OK), -1);
}

static void test_run(void **state) {
    (void)state;
    refused("run scenarios/baseline.ini --steps 2 --set population.persons=500 --quiet --out %s",
            "r.db");
}

static void test_sweep(void **state) {
    (void)state;
    refused("sweep tests/data/analyst-sweep.ini --quiet --out %s", "s.db");
}

static void test_merge(void **state) {
    (void)state;
    refused("merge %s " IN, "m.db");
}

static void test_report(void **state) {
    (void)state;
    refused("report " IN " -o %s", "brief.pdf");
}

/* Folders are created with their parents and hold the files the help names (export: every
 * table, the run_table view included; before, sweep_params, sensitivity and the tables of
 * schema 6 were missing although the help said "every table"). */
static void test_export(void **state) {
    (void)state;
    char out[4000];
    assert_int_equal(an_run("export " IN " --csv build/nofolder/e/csv", out, sizeof out), 0);
    const char *files[] = {"runs", "metrics", "summary", "events", "sweeps", "sweep_params",
                           "sensitivity", "contrasts", "run_table"};
    for (size_t k = 0; k < 9; k++) {
        char p[200];
        snprintf(p, sizeof p, "build/nofolder/e/csv/%s.csv", files[k]);
        if (access(p, R_OK) != 0) fail_msg("export did not write %s", p);
    }
    assert_contains(out, "written to build/nofolder/e/csv/");
    /* "every table": the wide run table too, one row per run */
    assert_int_equal(an_sh("cat build/nofolder/e/csv/run_table.csv", out, sizeof out), 0);
    assert_true(strncmp(out, "run_id,sweep_id,sweep,point,replicate,scenario,", 47) == 0);
    assert_contains(out, "\n1,,,,0,baseline,,1,done,0,\"");   /* run 1, its overrides quoted */
}

static void test_plot(void **state) {
    (void)state;
    char out[4000];
    assert_int_equal(an_run("plot " IN " --out build/nofolder/p/figs --figure timeseries", out,
                            sizeof out), 0);
    assert_int_equal(access("build/nofolder/p/figs/timeseries.png", R_OK), 0);
    assert_int_equal(access("build/nofolder/p/figs/timeseries.sql", R_OK), 0);
}

static void test_verify(void **state) {
    (void)state;
    char out[8000];
    assert_int_equal(an_run("verify --quick --only exact --out build/nofolder/v/out", out,
                            sizeof out), 0);
    assert_int_equal(access("build/nofolder/v/out/verify.db", R_OK), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sweep, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
