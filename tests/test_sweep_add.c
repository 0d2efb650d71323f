/* tests/test_sweep_add.c - more replicates for a finished sweep and readable settings (issue
 * 14 item 8): `sweep --replicates N` on a finished experiment runs only the missing
 * replicates, keeps every existing run (ids and results), and gives the runs a sweep of N
 * replicates from scratch would give; started again it has nothing to do; `summary --sweep`
 * prints the settings at 6 significant digits (0.05, not 0.050000000000000003). (Before:
 * no --replicates option, and the settings were printed with 17 digits.) */
#include "analyst.h"

/* The experiment with the court's false-record rate 0, 0.05 (0.05 is 0.050000000000000003
 * at 17 digits), written into build/. */
static void write_experiment(void) {
    char out[2000];
    assert_int_equal(an_sh("sed -e 's/^values = 0, 0.01$/values = 0, 0.05/' -e "
                           "'s#scenario = ../../#scenario = ../#' tests/data/analyst-sweep.ini "
                           "> build/add.ini", out, sizeof out), 0);
}

#define RESULTS "SELECT group_concat(r.point || ':' || r.replicate || ':' || s.name || ':' ||" \
                " s.grp || ':' || quote(s.value), ';') FROM (SELECT * FROM runs ORDER BY"      \
                " point, replicate) r JOIN summary s USING(run_id)"

/* A text digest of a query's single text value into buf. */
static void digest(const char *db, const char *sql, char *buf, size_t n) {
    char cmd[1200], out[64];
    snprintf(cmd, sizeof cmd, "sqlite3 %s \"%s\" | md5sum | cut -c1-32", db, sql);
    assert_int_equal(an_sh(cmd, out, sizeof out), 0);
    snprintf(buf, n, "%s", out);
}

static void test_more_replicates(void **state) {
    (void)state;
    char out[8000], before[64], after[64], fresh[64];
    write_experiment();
    an_rm("build/add.db");
    an_rm("build/add5.db");
    assert_int_equal(an_run("sweep build/add.ini --quiet --out build/add.db", out, sizeof out), 0);
    assert_true(an_query("build/add.db", "SELECT count(*) FROM runs") == 12);
    digest("build/add.db", RESULTS " WHERE r.run_id <= 12", before, sizeof before);
    assert_int_equal(an_run("sweep build/add.ini --replicates 5 --quiet --out build/add.db", out,
                            sizeof out), 0);
    assert_contains(out, "sweep analyst: 8 runs done");
    assert_true(an_query("build/add.db", "SELECT count(*) FROM runs WHERE status = 'done'") == 20);
    assert_true(an_query("build/add.db", "SELECT count(*) FROM runs WHERE replicate >= 3 AND"
                                         " run_id > 12") == 8);
    assert_true(an_query("build/add.db", "SELECT count(*) FROM sweeps") == 1);
    digest("build/add.db", RESULTS " WHERE r.run_id <= 12", after, sizeof after);
    assert_string_equal(before, after);   /* the first 12 runs untouched */
    /* the runs are those of a 5-replicate sweep from scratch */
    assert_int_equal(an_run("sweep build/add.ini --replicates 5 --quiet --out build/add5.db", out,
                            sizeof out), 0);
    digest("build/add.db", RESULTS, after, sizeof after);
    digest("build/add5.db", RESULTS, fresh, sizeof fresh);
    assert_string_equal(after, fresh);
    /* again: nothing to do, nothing added */
    assert_int_equal(an_run("sweep build/add.ini --replicates 5 --quiet --out build/add.db", out,
                            sizeof out), 0);
    assert_contains(out, "sweep analyst: 0 runs done");
    assert_true(an_query("build/add.db", "SELECT count(*) FROM runs") == 20);
    assert_int_equal(an_run("sweep build/add.ini --replicates 0 --out build/add.db", out,
                            sizeof out), 2);
    an_rm("build/add5.db");
}

static void test_summary_precision(void **state) {
    (void)state;
    char out[8000];
    assert_int_equal(an_run("summary build/add.db --sweep analyst", out, sizeof out), 0);
    assert_contains(out, "4 points x 5 replicates");
    assert_contains(out, "agency.courts.false_record=0.05\n");
    assert_null(strstr(out, "0.050000000000000003"));
    /* a database without sweep_params: the settings come from the overrides, shortened too */
    assert_int_equal(an_sh("sqlite3 build/add.db \"VACUUM INTO 'build/add-old.db'\" && "
                           "sqlite3 build/add-old.db 'DROP TABLE sweep_params'", out, sizeof out),
                     0);
    assert_int_equal(an_run("summary build/add-old.db --sweep analyst", out, sizeof out), 0);
    assert_contains(out, "agency.courts.false_record=0.05\n");
    assert_null(strstr(out, "0.050000000000000003"));
    an_rm("build/add-old.db");
    an_rm("build/add.db");
}

/* scsim-mpi takes --replicates too: every rank maps tasks with the new count. */
static void test_mpi_replicates(void **state) {
    (void)state;
    char out[8000], cmd[1200], added[64], fresh[64];
    const char *mpi = getenv("SCSIM_MPI");
    if (!mpi || !an_have("mpirun")) {
        print_message("skipped: no SCSIM_MPI or mpirun\n");
        skip();
    }
    write_experiment();
    an_rm("build/add-mpi.db");
    an_rm("build/add5.db");
    assert_int_equal(an_run("sweep build/add.ini --quiet --out build/add-mpi.db", out, sizeof out),
                     0);
    snprintf(cmd, sizeof cmd, "ASAN_OPTIONS=detect_leaks=0 mpirun -x ASAN_OPTIONS --oversubscribe"
             " %s -np 3 %s sweep build/add.ini --replicates 5 --quiet --out build/add-mpi.db",
             geteuid() == 0 ? "--allow-run-as-root" : "", mpi);
    if (an_sh(cmd, out, sizeof out) != 0) fail_msg("%s:\n%s", cmd, out);
    assert_contains(out, "sweep analyst: 8 runs done");
    assert_int_equal(an_run("sweep build/add.ini --replicates 5 --quiet --out build/add5.db", out,
                            sizeof out), 0);
    digest("build/add-mpi.db", RESULTS, added, sizeof added);
    digest("build/add5.db", RESULTS, fresh, sizeof fresh);
    assert_string_equal(added, fresh);
    an_rm("build/add-mpi.db");
    an_rm("build/add5.db");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_more_replicates),
        cmocka_unit_test(test_summary_precision),
        cmocka_unit_test(test_mpi_replicates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
