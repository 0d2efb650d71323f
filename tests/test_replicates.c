/* tests/test_replicates.c - honest replicates (issue 14 item 4): the same run twice into one
 * database is refused (exit 5) unless --replace or --again; --again stores a copy flagged as
 * a duplicate that plot never pools; merging a copy of a database back adds nothing and says
 * how many runs it skipped; a version 4 database holding two identical runs is migrated with
 * the later one flagged. (Before: the second run and the merged copies were stored and
 * pooled as replicates.) Runs from the repository root; SCSIM names the binary. */
#include "testutil.h"

#include <sqlite3.h>
#include <sys/wait.h>

#include "version.h"

static const char *scsim(void) {
    const char *p = getenv("SCSIM");
    return p ? p : "build/scsim";
}

static double query(const char *path, const char *sql) {
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    double v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_double(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

static void exec_sql(const char *path, const char *sql) {
    sqlite3 *db = NULL;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

static void rm_db(const char *path) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -f %s %s-wal %s-shm", path, path, path);
    assert_int_equal(system(cmd), 0);
}

/* Runs scsim with args; its output (stdout and stderr) into out (n bytes). */
static int run_cmd(const char *args, char *out, size_t n) {
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "%s %s > build/repl.out 2>&1", scsim(), args);
    int rc = system(cmd);
    FILE *f = fopen("build/repl.out", "r");
    size_t len = f ? fread(out, 1, n - 1, f) : 0;
    out[len] = 0;
    if (f) fclose(f);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

#define RUN "run scenarios/baseline.ini --steps 5 --set population.persons=2000 --threads 1 " \
            "--quiet --out "

static void test_same_run_refused(void **state) {
    (void)state;
    const char *db = "build/repl-same.db";
    char out[4000];
    rm_db(db);
    assert_int_equal(run_cmd(RUN "build/repl-same.db", out, sizeof out), 0);
    assert_int_equal(run_cmd(RUN "build/repl-same.db", out, sizeof out), 5);
    assert_contains(out, "already holds this run (run 1");
    assert_contains(out, "--replace");
    assert_contains(out, "--again");
    assert_true(query(db, "SELECT count(*) FROM runs") == 1);
    /* another seed is another replicate: stored */
    assert_int_equal(run_cmd(RUN "build/repl-same.db --seed 2", out, sizeof out), 0);
    assert_true(query(db, "SELECT count(*) FROM runs WHERE duplicate = 0") == 2);
    assert_int_equal(run_cmd(RUN "build/repl-same.db --replace --again", out, sizeof out), 2);
    rm_db(db);
}

static void test_again_flagged_never_pooled(void **state) {
    (void)state;
    const char *db = "build/repl-again.db";
    char out[4000];
    rm_db(db);
    assert_int_equal(run_cmd(RUN "build/repl-again.db", out, sizeof out), 0);
    assert_int_equal(run_cmd(RUN "build/repl-again.db --again", out, sizeof out), 0);
    assert_true(query(db, "SELECT count(*) FROM runs") == 2);
    assert_true(query(db, "SELECT duplicate FROM runs WHERE run_id = 2") == 1);
    assert_true(query(db, "SELECT duplicate FROM runs WHERE run_id = 1") == 0);
    assert_true(query(db, "SELECT count(DISTINCT scenario_hash) FROM runs") == 1);
    /* the default selection pools the original only; asking for the copy is refused */
    assert_int_equal(run_cmd("plot build/repl-again.db --figure timeseries --out "
                             "build/repl-figs", out, sizeof out), 0);
    assert_contains(out, "data from 1 run(s)");
    assert_int_equal(run_cmd("plot build/repl-again.db --runs 1,2 --figure timeseries --out "
                             "build/repl-figs", out, sizeof out), 5);
    assert_contains(out, "run 2 in build/repl-again.db is a flagged duplicate");
    rm_db(db);
}

static void test_replace_in_one_transaction(void **state) {
    (void)state;
    const char *db = "build/repl-replace.db";
    char out[4000];
    rm_db(db);
    assert_int_equal(run_cmd(RUN "build/repl-replace.db", out, sizeof out), 0);
    double rows = query(db, "SELECT count(*) FROM metrics");
    assert_true(rows > 0);
    /* a replacement that cannot store its results (a full disk, simulated) keeps the old */
    exec_sql(db, "CREATE TRIGGER full BEFORE INSERT ON metric_rows BEGIN SELECT "
                 "RAISE(ABORT, 'database or disk is full (simulated)'); END");
    assert_int_equal(run_cmd(RUN "build/repl-replace.db --replace", out, sizeof out), 5);
    assert_true(query(db, "SELECT count(*) FROM runs WHERE run_id = 1 AND status = 'done'") == 1);
    assert_true(query(db, "SELECT count(*) FROM metrics WHERE run_id = 1") == rows);
    exec_sql(db, "DROP TRIGGER full");
    assert_int_equal(run_cmd(RUN "build/repl-replace.db --replace", out, sizeof out), 0);
    assert_true(query(db, "SELECT count(*) FROM runs WHERE run_id = 1") == 0);
    assert_true(query(db, "SELECT count(*) FROM runs WHERE status = 'done'") == 1);
    assert_true(query(db, "SELECT count(*) FROM metrics WHERE run_id = 1") == 0);
    assert_true(query(db, "SELECT count(*) FROM metrics") == rows);
    rm_db(db);
}

static void test_merge_copy_adds_nothing(void **state) {
    (void)state;
    char out[4000];
    rm_db("build/repl-m.db");
    rm_db("build/repl-m2.db");
    assert_int_equal(run_cmd(RUN "build/repl-m.db", out, sizeof out), 0);
    assert_int_equal(run_cmd(RUN "build/repl-m.db --seed 3", out, sizeof out), 0);
    assert_int_equal(run_cmd(RUN "build/repl-m.db --seed 3 --again", out, sizeof out), 0);
    assert_int_equal(system("cp build/repl-m.db build/repl-m2.db"), 0);
    assert_int_equal(run_cmd("merge build/repl-m.db build/repl-m2.db", out, sizeof out), 0);
    assert_contains(out, "0 runs merged");
    assert_contains(out, "3 duplicate run(s) skipped");
    assert_true(query("build/repl-m.db", "SELECT count(*) FROM runs") == 3);
    rm_db("build/repl-m3.db");
    assert_int_equal(run_cmd("merge build/repl-m3.db build/repl-m.db build/repl-m2.db", out,
                             sizeof out), 0);
    assert_contains(out, "2 runs merged");
    assert_contains(out, "4 duplicate run(s) skipped");
    assert_true(query("build/repl-m3.db", "SELECT count(*) FROM runs WHERE duplicate = 0") == 2);
    for (int k = 1; k <= 3; k++) {
        char p[40];
        snprintf(p, sizeof p, k == 1 ? "build/repl-m.db" : "build/repl-m%d.db", k);
        rm_db(p);
    }
}

/* A version 4 database (the columns of schema 5 dropped, user_version 4) with two identical
 * done runs: opening it for writing hashes every run and flags the later copy. */
static void test_v4_migration_flags(void **state) {
    (void)state;
    const char *db = "build/repl-v4.db";
    char out[4000];
    rm_db(db);
    assert_int_equal(run_cmd(RUN "build/repl-v4.db", out, sizeof out), 0);
    assert_int_equal(run_cmd(RUN "build/repl-v4.db --again", out, sizeof out), 0);
    exec_sql(db, "DROP VIEW run_table; DROP TABLE contrasts;"
                 "DROP INDEX runs_by_key; ALTER TABLE runs DROP COLUMN scenario_hash;"
                 "ALTER TABLE runs DROP COLUMN duplicate; ALTER TABLE runs DROP COLUMN label;"
                 "PRAGMA user_version = 4; UPDATE meta SET value = '4' WHERE key = "
                 "'schema_version'");
    assert_int_equal(run_cmd(RUN "build/repl-v4.db --seed 9", out, sizeof out), 0);
    assert_true(query(db, "PRAGMA user_version") == SCSIM_SCHEMA_VERSION);
    assert_true(query(db, "SELECT count(*) FROM runs WHERE scenario_hash IS NULL") == 0);
    assert_true(query(db, "SELECT duplicate FROM runs WHERE run_id = 1") == 0);
    assert_true(query(db, "SELECT duplicate FROM runs WHERE run_id = 2") == 1);
    assert_true(query(db, "SELECT duplicate FROM runs WHERE run_id = 3") == 0);
    rm_db(db);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_run_refused),
        cmocka_unit_test(test_again_flagged_never_pooled),
        cmocka_unit_test(test_replace_in_one_transaction),
        cmocka_unit_test(test_merge_copy_adds_nothing),
        cmocka_unit_test(test_v4_migration_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
