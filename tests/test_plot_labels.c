/* tests/test_plot_labels.c - run group labels (issue 14 item 5): run --label names its group
 * in figures; without a label a single-run group is titled by its scenario and the overrides
 * the other groups do not share, with three-part keys shortened to their last two words, so
 * a --set variant of baseline is not titled "baseline" and partners.beta and
 * children.weight stay apart. (Before: every baseline run group was titled "baseline", told
 * apart only by " (run N)".) Runs from the repository root; SCSIM names the binary. */
#include "testutil.h"

#include <sqlite3.h>
#include <sys/wait.h>

#include "fig_impl.h"

#define DB "build/labels.db"

static int run_cmd(const char *args) {
    const char *bin = getenv("SCSIM");
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "%s %s --steps 4 --set population.persons=1500 --threads 1 "
             "--quiet --out " DB " > build/labels.out 2>&1", bin ? bin : "build/scsim", args);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void test_titles(void **state) {
    (void)state;
    assert_int_equal(system("rm -f " DB " " DB "-wal " DB "-shm"), 0);
    assert_int_equal(run_cmd("run scenarios/baseline.ini --seed 1"), 0);
    assert_int_equal(run_cmd("run scenarios/baseline.ini --seed 2"), 0);
    assert_int_equal(run_cmd("run scenarios/baseline.ini --set spillover.partners.beta=0.5"), 0);
    assert_int_equal(run_cmd("run scenarios/baseline.ini --set spillover.children.weight=0"), 0);
    assert_int_equal(run_cmd("run scenarios/baseline.ini --seed 5 --label \"my label\""), 0);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(DB, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    int64_t ids[] = {1, 2, 3, 4, 5};
    fig_sel sel = {.run_ids = ids, .nruns = 5, .size = 0};
    fig_result r = {0};
    fig_groups_t g = {0};
    sim_err err = {{0}};
    assert_int_equal(fig_groups_load(db, &sel, &r, &g, &err), SIM_OK);
    assert_int_equal(g.ngrp, 4);
    assert_string_equal(g.title[0], "baseline");
    assert_int_equal(g.count[0], 2);
    assert_string_equal(g.title[1], "baseline partners.beta=0.5");
    assert_string_equal(g.title[2], "baseline children.weight=0");
    assert_string_equal(g.title[3], "my label");
    fig_groups_free(&g);
    fig_result_free(&r);
    sqlite3_close(db);
    assert_int_equal(system("rm -f " DB " " DB "-wal " DB "-shm"), 0);
}

/* Sweep points are titled by their varied parameters with each key shortened to the
 * shortest ending no other varied key shares: two rules' weights stay apart as
 * partners.weight and children.weight. (Before: both were titled "weight=...", and four
 * points collapsed onto two titles, told apart only by " (run N)".) */
static void test_sweep_titles(void **state) {
    (void)state;
    const char *exp = "build/labels-exp.ini", *db = "build/labels-sweep.db";
    assert_int_equal(system("rm -f build/labels-sweep.db*"), 0);
    FILE *f = fopen(exp, "w");
    assert_non_null(f);
    fprintf(f, "[experiment]\nname = w\nscenario = ../scenarios/baseline.ini\ndesign = grid\n"
               "replicates = 1\n[set]\npopulation.persons = 1500\nrun.steps = 4\n"
               "[param.a]\nkey = spillover.partners.weight\nvalues = 0.5, 1\n"
               "[param.b]\nkey = spillover.children.weight\nvalues = 0, 1\n");
    fclose(f);
    const char *bin = getenv("SCSIM");
    char cmd[600];
    snprintf(cmd, sizeof cmd, "%s sweep %s --out %s --threads 1 --quiet > build/labels.out 2>&1",
             bin ? bin : "build/scsim", exp, db);
    assert_int_equal(system(cmd), 0);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    int64_t ids[] = {1, 2, 3, 4};
    fig_sel sel = {.run_ids = ids, .nruns = 4, .size = 0};
    fig_result r = {0};
    fig_groups_t g = {0};
    sim_err err = {{0}};
    assert_int_equal(fig_groups_load(h, &sel, &r, &g, &err), SIM_OK);
    assert_int_equal(g.ngrp, 4);
    const char *want[] = {"partners.weight=0.5, children.weight=0",
                          "partners.weight=0.5, children.weight=1",
                          "partners.weight=1, children.weight=0",
                          "partners.weight=1, children.weight=1"};
    for (size_t a = 0; a < 4; a++) {
        int found = 0;
        for (size_t b = 0; b < g.ngrp; b++) found += strcmp(g.title[b], want[a]) == 0;
        if (found != 1) fprintf(stderr, "title '%s' found %d times\n", want[a], found);
        assert_int_equal(found, 1);
    }
    fig_groups_free(&g);
    fig_result_free(&r);
    sqlite3_close(h);
    assert_int_equal(system("rm -f build/labels-sweep.db* build/labels-exp.ini"), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_titles),
                                       cmocka_unit_test(test_sweep_titles)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
