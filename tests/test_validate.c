/* tests/test_validate.c - what can be checked before a run is checked when the scenario is
 * loaded, so `scsim validate` sees it and `scsim run` refuses before it writes anything, and
 * the message names the keys and where they were set (issue 15, defect 8; the repro
 * /work/shared/repro/scenario/repro_validate_ok_run_fails.sh): the social layer's block
 * model asking for tie probabilities over 1, an edge list that is missing or not a regular
 * file, and additive spillover outside the points regime. Also the fuzz finding that
 * `show` wrote a --set value as a line the reader refuses: such a value is refused up
 * front. Runs from the repository root; SCSIM names the binary. */
#include "testutil.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scenario.h"

static const char *scsim(void) {
    const char *p = getenv("SCSIM");
    return p ? p : "build/scsim";
}

/* Runs "scsim ARGS" with stdout and stderr to build/val.out; returns the exit code. */
static int run(const char *args) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s %s > build/val.out 2>&1", scsim(), args);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static char *output(void) {
    static char buf[1 << 17];
    FILE *f = fopen("build/val.out", "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = 0;
    return buf;
}

/* Loads file with the overrides; expects SIM_ESCENARIO and each of want[0..n-1]. */
static void refused(const char *file, const char *const *ov, int nov, const char *const *want,
                    int n) {
    scenario sc;
    sim_err err = {{0}};
    assert_int_equal(scn_load(&sc, file, ov, nov, &err), SIM_ESCENARIO);
    for (int i = 0; i < n; i++) assert_contains(err.msg, want[i]);
}

/* population.persons = 10 on the baseline: 4 regions of 2-3 persons cannot give each a mean
 * degree of 8 with 80% of ties in the own region. Was: validate ok, run exit 3 naming no
 * key. Now the loader refuses it, pointing at the --set that made it so. */
static void test_sbm_from_set(void **state) {
    (void)state;
    const char *ov[] = {"population.persons=10"};
    const char *want[] = {"--set population.persons=10: [layer.social] mean_degree: sbm: "
                          "mean_degree 8 with homophily_region 0.8 and homophily_group 0.7 "
                          "asks for a tie probability of ", "> 1 between members of the "
                          "same region and group", "population.persons 10 in 4 regions",
                          "population.persons from --set population.persons=10"};
    refused("scenarios/baseline.ini", ov, 1, want, 4);
}

/* The same set in a file names the file and line. */
static void test_sbm_from_file(void **state) {
    (void)state;
    FILE *f = fopen("build/small.ini", "w");
    assert_non_null(f);
    fputs("; a tiny society\n[population]\npersons = 12\n[layer.social]\nmean_degree = 9\n", f);
    fclose(f);
    const char *want[] = {"build/small.ini:3: [layer.social] mean_degree: sbm: mean_degree 9",
                          "population.persons from build/small.ini:3",
                          "layer.social.mean_degree from build/small.ini:5",
                          "the rest are defaults"};
    refused("build/small.ini", NULL, 0, want, 4);
    /* what the block model can give is accepted: 12 persons at degree 2, and the
     * library's sizes */
    scenario sc;
    sim_err err = {{0}};
    const char *ok[] = {"layer.social.mean_degree=2"};
    assert_int_equal(scn_load(&sc, "build/small.ini", ok, 1, &err), SIM_OK);
    scn_free(&sc);
    const char *k200[] = {"population.persons=200"};
    assert_int_equal(scn_load(&sc, "scenarios/baseline.ini", k200, 1, &err), SIM_OK);
    scn_free(&sc);
}

/* validate exits 3 with the message; run exits 3 before it creates the database (was:
 * validate 0, run 3 and a 'failed' runs row). */
static void test_cli_validate_and_run(void **state) {
    (void)state;
    assert_int_equal(run("validate scenarios/baseline.ini --set population.persons=10"), 3);
    assert_contains(output(), "[layer.social] mean_degree: sbm");
    assert_contains(output(), "--set population.persons=10");
    unlink("build/v10.db");
    assert_int_equal(run("run scenarios/baseline.ini --set population.persons=10 --steps 2 "
                         "--quiet --out build/v10.db"), 3);
    assert_contains(output(), "tie probability");
    struct stat sb;
    assert_int_not_equal(stat("build/v10.db", &sb), 0);   /* nothing written */
    assert_int_equal(run("validate scenarios/baseline.ini --set population.persons=200"), 0);
}

/* The memory estimate counts the metric rows every step adds, by regions and groups: 64
 * regions and 8 groups over 100,000 steps need about 1.07 GB for them, so a limit of 0.9
 * GiB refuses the run in validate, with the oversized-run message and exit 1 (the old
 * estimate, 256 rows a step, put it at 0.82 GB and let it through). */
static void test_steps_estimate_refused(void **state) {
    (void)state;
    const char *wide = "validate scenarios/baseline.ini --set population.persons=3000 "
                       "--set population.regions=64 --set population.groups=8 "
                       "--set layer.social.mean_degree=4 --set run.steps=100000 ";
    char cmd[600];
    snprintf(cmd, sizeof cmd, "%s --set run.max_memory_gib=0.9", wide);
    assert_int_equal(run(cmd), 1);
    assert_contains(output(), "refusing to run: estimated memory 1.00 GiB exceeds the limit "
                              "of 0.90 GiB");
    snprintf(cmd, sizeof cmd, "%s --set run.max_memory_gib=1.5", wide);
    assert_int_equal(run(cmd), 0);
}

/* An edge list that cannot be read, or is a device, is refused by the loader naming
 * layer.NAME.file and where it was set (was: validate ok, run failed on opening it). */
static void test_edge_list_checked(void **state) {
    (void)state;
    const char *ov[] = {"layer.social.generator=csv", "layer.social.file=build/no-such.csv"};
    const char *want[] = {"--set layer.social.file=build/no-such.csv: [layer.social] file: "
                          "cannot read the edge list", "no-such.csv: No such file"};
    refused("scenarios/baseline.ini", ov, 2, want, 2);
    const char *dev[] = {"layer.social.generator=csv", "layer.social.file=/dev/zero"};
    const char *want2[] = {"[layer.social] file: the edge list /dev/zero is not a regular "
                           "file"};
    refused("scenarios/baseline.ini", dev, 2, want2, 1);
    assert_int_equal(run("validate scenarios/baseline.ini --set layer.social.generator=csv "
                         "--set layer.social.file=/dev/zero"), 3);
}

/* An edge list's content is read by validate, and by run before it writes anything, with
 * the run's member count: a NUL inside a line and an id out of range fail there naming
 * file:line (was: validate ok, run exit 3 after writing a 'failed' runs row). */
static void test_edge_list_content(void **state) {
    (void)state;
    FILE *f = fopen("build/bad-ids.csv", "w");
    assert_non_null(f);
    fputs("source,target\n0,1\n5,2500\n", f);
    fclose(f);
    const char *base = "scenarios/baseline.ini --set population.persons=2000 "
                       "--set layer.social.generator=csv --set layer.social.file=";
    char cmd[600];
    snprintf(cmd, sizeof cmd, "validate %sbuild/bad-ids.csv", base);
    assert_int_equal(run(cmd), 3);
    assert_contains(output(), "layer social: ");
    assert_contains(output(), "build/bad-ids.csv:3: target id 2500 is out of range: the "
                              "layer has 2000 members");
    unlink("build/bad-ids.db");
    snprintf(cmd, sizeof cmd, "run %sbuild/bad-ids.csv --steps 2 --quiet --out "
             "build/bad-ids.db", base);
    assert_int_equal(run(cmd), 3);
    struct stat sb;
    assert_int_not_equal(stat("build/bad-ids.db", &sb), 0);   /* nothing written */
    f = fopen("build/nul.csv", "wb");
    assert_non_null(f);
    fwrite("0,1\0junk\n", 1, 10, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "validate %sbuild/nul.csv", base);
    assert_int_equal(run(cmd), 3);
    assert_contains(output(), "build/nul.csv:1: NUL byte at column 4");
    f = fopen("build/good.csv", "w");
    assert_non_null(f);
    fputs("\xEF\xBB\xBFsource,target\n0,1\n1999,5\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "validate %sbuild/good.csv", base);
    assert_int_equal(run(cmd), 0);
}

/* Additive spillover needs the points regime: named with the rule's origin (was: only the
 * engine's sim_check, without file or line). */
static void test_additive_needs_points(void **state) {
    (void)state;
    FILE *f = fopen("build/additive.ini", "w");
    assert_non_null(f);
    fputs("[scoring]\nregime = lists\n[spillover.s]\nlayer = family\nkind = additive\n", f);
    fclose(f);
    const char *want[] = {"build/additive.ini:5: [spillover.s] kind: additive spillover "
                          "changes a score and needs scoring.regime = points"};
    refused("build/additive.ini", NULL, 0, want, 1);
}

/* The fuzz finding: a --set value of 230 characters was accepted, and `show` wrote a line of
 * 253 the reader refuses. Now refused up front; a value that fits round-trips. */
static void test_long_set_value(void **state) {
    (void)state;
    char ov[300] = "layer.social.file=";
    memset(ov + strlen(ov), 'a', 230);
    const char *one[] = {ov};
    const char *want[] = {"[layer.social] file: the value (the path as resolved) is",
                          "`scsim show` would write it as a line of", "at most 199"};
    refused("scenarios/baseline.ini", one, 1, want, 3);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "show scenarios/baseline.ini --set %s", ov);
    assert_int_equal(run(cmd), 3);
    /* a names list near the limit: 191 characters fit the key, but not show's line */
    char names[300] = "behaviour.ostracism_layers=family";
    while (strlen(names) < 27 + 185) strcat(names, ",family");
    const char *two[] = {names};
    const char *want2[] = {"[behaviour] ostracism_layers: the value is"};
    refused("scenarios/baseline.ini", two, 1, want2, 1);
    /* what fits is written and read back */
    assert_int_equal(run("show scenarios/baseline.ini --set layer.social.file=build/x.csv "
                         "--set behaviour.ostracism_layers=family,social"), 0);
    FILE *f = fopen("build/shown.ini", "w");
    assert_non_null(f);
    fputs(output(), f);
    fclose(f);
    scenario sc;
    sim_err err = {{0}};
    assert_int_equal(scn_load(&sc, "build/shown.ini", NULL, 0, &err), SIM_OK);
    assert_string_equal(sc.behaviour.ostracism_layers, "family,social");
    scn_free(&sc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sbm_from_set),
        cmocka_unit_test(test_sbm_from_file),
        cmocka_unit_test(test_cli_validate_and_run),
        cmocka_unit_test(test_edge_list_checked),
        cmocka_unit_test(test_edge_list_content),
        cmocka_unit_test(test_steps_estimate_refused),
        cmocka_unit_test(test_additive_needs_points),
        cmocka_unit_test(test_long_set_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
