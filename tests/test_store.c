/* tests/test_store.c - the results database: schema, one-transaction runs, statuses; the
 * schema version (a newer database refused with both versions named, a version 2 database
 * read as it is and migrated when appended to), the metrics view equal to the rows written,
 * merging databases whose metric ids differ, and a failed step reported. */
#include "testutil.h"

#include <math.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "merge.h"
#include "query.h"
#include "schema.h"
#include "store.h"
#include "version.h"

static const char DB[] = "build/test-store.db";

static void rm_db(void) {
    unlink(DB);
    unlink("build/test-store.db-wal");
    unlink("build/test-store.db-shm");
}

static double query_on(const char *path, const char *sql) {
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    double v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_double(q, 0) : NAN;
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

static double query(const char *sql) { return query_on(DB, sql); }

static void exec_on(const char *path, const char *sql) {
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

static res_t *sample_results(void) {
    res_t *r;
    assert_int_equal(res_new(&r, 1, NULL), SIM_OK);
    int all = res_grp(r, "all");
    assert_int_equal(res_grp(r, "all"), all);   /* interned once */
    for (int t = 1; t <= 3; t++) assert_true(res_add(r, t, M_LISTED_BLACK, all, 10.0 * t));
    assert_true(res_add_summary(r, M_PERSONS, all, 100));
    res_event e = {1, EV_LISTED, 0, 4, 2, -1, 7, 3};
    assert_true(res_add_event(r, &e));
    assert_true(res_add_event(r, &e));   /* over the cap of 1: counted, not kept */
    assert_int_equal(r->nevents, 1);
    assert_int_equal(r->events_dropped, 1);
    return r;
}

static void test_run_roundtrip(void **state) {
    (void)state;
    rm_db();
    store_t *db;
    sim_err err;
    assert_int_equal(store_open(&db, DB, &err), SIM_OK);
    store_run info = {"test", "[run]\n", "", "{}", 42, 0, 0, -1, NULL, 0, NULL};
    int64_t id;
    assert_int_equal(store_begin_run(db, &info, &id, &err), SIM_OK);
    assert_true(query("SELECT count(*) FROM runs WHERE status='running'") == 1);
    res_t *r = sample_results();
    assert_int_equal(store_finish_run(db, id, r, "done", 1.5, &err), SIM_OK);
    store_close(db);
    assert_true(query("SELECT count(*) FROM runs WHERE status='done' AND seed=42 AND "
                      "point IS NULL AND sweep_id IS NULL") == 1);
    assert_true(query("SELECT value FROM metrics WHERE step=2 AND name='listed.black'"
                      " AND grp='all'") == 20);
    assert_true(query("SELECT value FROM summary WHERE name='persons'") == 100);
    assert_true(query("SELECT count(*) FROM events WHERE cause='spillover' AND "
                      "layer='social' AND agent=7 AND source=3 AND agency IS NULL") == 1);
    assert_true(query("SELECT count(*) FROM meta WHERE key='schema_version'") == 1);
    res_free(r);
}

/* A failed write leaves no rows: the transaction is rolled back. */
static void test_finish_unknown_run_writes_nothing(void **state) {
    (void)state;
    rm_db();
    store_t *db;
    sim_err err;
    assert_int_equal(store_open(&db, DB, &err), SIM_OK);
    res_t *r = sample_results();
    assert_int_equal(store_finish_run(db, 999, r, "done", 1.0, &err), SIM_EDB);
    store_close(db);
    assert_true(query("SELECT count(*) FROM metrics") == 0);
    assert_true(query("SELECT count(*) FROM events") == 0);
    res_free(r);
}

static void test_not_a_database(void **state) {
    (void)state;
    rm_db();
    FILE *f = fopen(DB, "w");
    assert_non_null(f);
    fputs("this is not a database, just text that is long enough to have a header\n", f);
    fclose(f);
    store_t *db = NULL;
    sim_err err = {{0}};
    assert_int_equal(store_open(&db, DB, &err), SIM_EDB);
    assert_null(db);
    assert_contains(err.msg, DB);
    assert_contains(err.msg, "is not an SQLite database");
    /* the real reason, an I/O error naming the folder (issue 15, defect 7) */
    assert_int_equal(store_open(&db, "/nonexistent-dir/x.db", &err), SIM_EIO);
    assert_contains(err.msg, "/nonexistent-dir/x.db");
    assert_contains(err.msg, "folder /nonexistent-dir does not exist");
    rm_db();
}

/* ---- schema versions ------------------------------------------------------------------ */

/* A database written by a newer scsim is refused by writers and readers, naming both. */
static void test_newer_version_refused(void **state) {
    (void)state;
    rm_db();
    store_t *db = NULL;
    sim_err err = {{0}};
    assert_int_equal(store_open(&db, DB, &err), SIM_OK);
    store_close(db);
    assert_true(query("PRAGMA user_version") == SCSIM_SCHEMA_VERSION);
    exec_on(DB, "PRAGMA user_version = 99");
    assert_int_equal(store_open(&db, DB, &err), SIM_EDB);
    assert_null(db);
    assert_contains(err.msg, "schema version 99");
    assert_contains(err.msg, "newer scsim");
    char mine[16];
    snprintf(mine, sizeof mine, "%d", SCSIM_SCHEMA_VERSION);
    assert_contains(err.msg, mine);
    query_t *q = NULL;
    assert_int_equal(query_open(&q, DB, &err), SIM_EDB);
    assert_contains(err.msg, "schema version 99");
    const char *bin = getenv("SCSIM");   /* the command exits 5 (database error) */
    if (bin) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "%s summary %s >/dev/null 2>&1", bin, DB);
        int rc = system(cmd);
        assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 5);
    }
    rm_db();
}

/* Version 2 as scsim 0.1.0 wrote it: metrics and summary are tables of text names. */
static const char V2[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "INSERT INTO meta VALUES('schema_version','2');"
    "CREATE TABLE sweeps(sweep_id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " design TEXT NOT NULL, spec TEXT NOT NULL, created_at TEXT NOT NULL);"
    "CREATE TABLE runs(run_id INTEGER PRIMARY KEY, sweep_id INTEGER, point INTEGER,"
    " replicate INTEGER NOT NULL DEFAULT 0, scenario_name TEXT NOT NULL, scenario_text TEXT"
    " NOT NULL, overrides TEXT NOT NULL, params_json TEXT NOT NULL, seed INTEGER NOT NULL,"
    " scsim_version TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL,"
    " finished_at TEXT, wall_seconds REAL);"
    "CREATE TABLE metrics(run_id INTEGER NOT NULL, step INTEGER NOT NULL, name TEXT NOT NULL,"
    " grp TEXT NOT NULL, value REAL);"
    "CREATE INDEX metrics_by_name ON metrics(run_id, name, grp, step);"
    "CREATE TABLE summary(run_id INTEGER NOT NULL, name TEXT NOT NULL, grp TEXT NOT NULL,"
    " value REAL);"
    "CREATE INDEX summary_by_name ON summary(run_id, name, grp);"
    "CREATE TABLE events(run_id INTEGER NOT NULL, step INTEGER NOT NULL, kind TEXT NOT NULL,"
    " list TEXT NOT NULL, agent INTEGER NOT NULL, cause TEXT, source INTEGER, layer TEXT,"
    " agency TEXT);"
    "CREATE TABLE sensitivity(sweep_id INTEGER NOT NULL, metric TEXT NOT NULL, grp TEXT NOT"
    " NULL, parameter TEXT NOT NULL, measure TEXT NOT NULL, value REAL, lo REAL, hi REAL);"
    "INSERT INTO runs VALUES(1, NULL, NULL, 0, 'old', '', '', '{}', 7, '" SCSIM_VERSION "',"
    " 'done', 'then', 'then', 1.0);"
    "INSERT INTO metrics VALUES(1, 2, 'listed.black', 'all', 5), (1, 1, 'listed.black',"
    " 'all', 4), (1, 1, 'old_metric', 'all', NULL), (1, 2, 'harm', 'group:1', 0.5);"
    "INSERT INTO summary VALUES(1, 'persons', 'all', 100), (1, 'old_total', 'all', 3);";

static const char ROWS_SQL[] =
    "SELECT group_concat(run_id || ',' || step || ',' || name || ',' || grp || ',' ||"
    " ifnull(value, 'null'), ';') FROM metrics";

static double text_equal(const char *path, const char *sql, const char *want) {
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    const char *got = (const char *)sqlite3_column_text(q, 0);
    int same = got && strcmp(got, want) == 0;
    if (!same) print_error("%s\n  got  %s\n  want %s\n", sql, got ? got : "NULL", want);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return same;
}

/* metrics.csv as `scsim export` writes it (malloc'd text). */
static char *export_metrics(query_t *q) {
    const char *dir = "build/test-store-csv";
    mkdir(dir, 0777);
    uint64_t rows = 0;
    sim_err err = {{0}};
    assert_int_equal(query_export_csv(q, dir, &rows, &err), SIM_OK);
    FILE *f = fopen("build/test-store-csv/metrics.csv", "rb");
    assert_non_null(f);
    char *text = calloc(1, 4096);
    assert_true(fread(text, 1, 4095, f) > 0);
    fclose(f);
    return text;
}

/* An old database is read as it is, and migrated (rows and their order kept, unknown names
 * given local ids) in one transaction by the first command that appends to it. */
static void test_old_database(void **state) {
    (void)state;
    rm_db();
    exec_on(DB, V2);
    static const char rows[] = "1,2,listed.black,all,5.0;1,1,listed.black,all,4.0;"
                               "1,1,old_metric,all,null;1,2,harm,group:1,0.5";
    assert_true(text_equal(DB, ROWS_SQL, rows));
    query_t *q = NULL;
    sim_err err = {{0}};
    assert_int_equal(query_open(&q, DB, &err), SIM_OK);   /* readers: as it is */
    assert_true(query_summary(q, 1, "persons", "all") == 100);
    assert_true(query_summary(q, 1, "old_total", "all") == 3);
    char *csv_old = export_metrics(q);
    assert_string_equal(csv_old, "run_id,step,name,grp,value\n1,2,listed.black,all,5\n"
                        "1,1,listed.black,all,4\n1,1,old_metric,all,\n1,2,harm,group:1,0.5\n");
    query_close(q);
    assert_true(query("PRAGMA user_version") == 0);   /* reading changed nothing */
    store_t *db = NULL;
    assert_int_equal(store_open(&db, DB, &err), SIM_OK);   /* a writer migrates */
    assert_true(query("PRAGMA user_version") == SCSIM_SCHEMA_VERSION);
    assert_true(query("SELECT count(*) FROM sqlite_master WHERE type='view' AND name IN "
                      "('metrics','summary')") == 2);
    assert_true(text_equal(DB, ROWS_SQL, rows));
    assert_true(query("SELECT id FROM metric_names WHERE name='old_metric'") >= SCHEMA_LOCAL_ID);
    assert_true(query("SELECT id FROM metric_names WHERE name='listed.black'") == M_LISTED_BLACK);
    assert_true(query("SELECT value FROM summary WHERE name='old_total'") == 3);
    assert_int_equal(query_open(&q, DB, &err), SIM_OK);   /* the same export after it */
    char *csv_new = export_metrics(q);
    query_close(q);
    assert_string_equal(csv_new, csv_old);
    free(csv_old);
    free(csv_new);
    store_run info = {"new", "", "", "{}", 8, 0, 0, -1, NULL, 0, NULL};   /* and it takes new runs */
    int64_t id;
    assert_int_equal(store_begin_run(db, &info, &id, &err), SIM_OK);
    res_t *r = sample_results();
    assert_int_equal(store_finish_run(db, id, r, "done", 1.0, &err), SIM_OK);
    res_free(r);
    store_close(db);
    assert_true(query("SELECT count(*) FROM metrics WHERE run_id=2") == 3);
    assert_true(query("SELECT count(*) FROM metrics WHERE run_id=1") == 4);
    assert_int_equal(store_open(&db, DB, &err), SIM_OK);   /* opening again: no change */
    store_close(db);
    assert_true(query("SELECT count(*) FROM metric_rows") == 7);
    rm_db();
}

/* The metrics and summary views give back exactly the rows written, in order, NaN as NULL. */
static void test_view_equals_rows(void **state) {
    (void)state;
    rm_db();
    res_t *r;
    sim_err err = {{0}};
    assert_int_equal(res_new(&r, 0, &err), SIM_OK);
    char grp[32];
    for (int k = 0; k < 300; k++) {   /* many grp labels: the hash table grows */
        snprintf(grp, sizeof grp, "group:%d", k % 97);
        assert_true(res_put(r, 1 + k % 5, 1 + k % (M_END - 1), grp, k == 7 ? NAN : k * 0.25));
    }
    assert_true(res_put_summary(r, M_HARM_LORENZ, "p:0.999", 0.75));
    assert_int_equal(r->ngrps, 98);
    store_t *db;
    assert_int_equal(store_open(&db, DB, &err), SIM_OK);
    store_run info = {"view", "", "", "{}", 1, 0, 0, -1, NULL, 0, NULL};
    int64_t id;
    assert_int_equal(store_begin_run(db, &info, &id, &err), SIM_OK);
    assert_int_equal(store_finish_run(db, id, r, "done", 0, &err), SIM_OK);
    store_close(db);
    sqlite3 *h;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(DB, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT run_id, step, name, grp, value FROM metrics",
                                        -1, &q, NULL), SQLITE_OK);
    uint64_t k = 0;
    for (; sqlite3_step(q) == SQLITE_ROW; k++) {
        const res_row *w = &r->rows[k];
        assert_true(k < r->nrows && sqlite3_column_int64(q, 0) == id);
        assert_int_equal(sqlite3_column_int(q, 1), w->step);
        assert_string_equal((const char *)sqlite3_column_text(q, 2), metric_name(w->metric));
        assert_string_equal((const char *)sqlite3_column_text(q, 3), r->grps[w->grp]);
        if (isnan(w->value)) assert_int_equal(sqlite3_column_type(q, 4), SQLITE_NULL);
        else assert_true(sqlite3_column_double(q, 4) == w->value);
    }
    assert_int_equal(k, r->nrows);
    sqlite3_finalize(q);
    sqlite3_close(h);
    assert_true(query("SELECT value FROM summary WHERE name='harm_lorenz' AND grp='p:0.999'")
                == 0.75);
    assert_true(query("SELECT count(*) FROM metric_names") == M_END - 1);
    exec_on(DB, "DELETE FROM metrics WHERE step = 1");   /* the views take deletes */
    assert_true(query("SELECT count(*) FROM metric_rows WHERE step = 1") == 0);
    assert_true(query("SELECT count(*) FROM metrics") == 240);
    res_free(r);
    rm_db();
}

/* Merging maps metric ids by name: an old database (names as text, one unknown) and a new
 * one with a local id of its own for another unknown name. */
static void test_merge_across_ids(void **state) {
    (void)state;
    const char *a = "build/test-store-a.db", *b = "build/test-store-b.db",
               *out = "build/test-store-out.db";
    for (int k = 0; k < 3; k++) unlink(k == 0 ? a : k == 1 ? b : out);
    exec_on(a, V2);
    store_t *db;
    sim_err err = {{0}};
    assert_int_equal(store_open(&db, b, &err), SIM_OK);
    store_run info = {"b", "", "", "{}", 9, 0, 0, -1, NULL, 0, NULL};
    int64_t id;
    assert_int_equal(store_begin_run(db, &info, &id, &err), SIM_OK);
    res_t *r = sample_results();
    assert_int_equal(store_finish_run(db, id, r, "done", 1.0, &err), SIM_OK);
    res_free(r);
    store_close(db);
    exec_on(b, "INSERT INTO metric_names(id, name) VALUES(1000000, 'other_metric');"
               "INSERT INTO metrics VALUES(1, 3, 'other_metric', 'all', 42)");
    const char *in[] = {a, b};
    merge_stats st;
    assert_int_equal(merge_into(out, in, 2, &st, &err), SIM_OK);
    assert_int_equal(st.runs, 2);
    assert_true(query_on(out, "SELECT count(DISTINCT id) FROM metric_names WHERE name IN "
                              "('old_metric', 'other_metric')") == 2);
    assert_true(query_on(out, "SELECT value FROM metrics m JOIN runs r USING(run_id) WHERE "
                              "r.scenario_name='b' AND m.name='other_metric'") == 42);
    assert_true(query_on(out, "SELECT count(*) FROM metrics m JOIN runs r USING(run_id) "
                              "WHERE r.scenario_name='old' AND m.name='old_metric' AND "
                              "m.value IS NULL") == 1);
    assert_true(query_on(out, "SELECT value FROM summary s JOIN runs r USING(run_id) WHERE "
                              "r.scenario_name='old' AND s.name='old_total'") == 3);
    assert_true(query_on(out, "SELECT count(*) FROM metrics") == 4 + 3 + 1);
    assert_true(query_on(out, "SELECT value FROM metrics m JOIN runs r USING(run_id) WHERE "
                              "r.scenario_name='b' AND m.name='listed.black' AND step=2") == 20);
    assert_true(query_on(a, "PRAGMA user_version") == 0);   /* inputs are not changed */
    for (int k = 0; k < 3; k++) unlink(k == 0 ? a : k == 1 ? b : out);
}

/* A step that fails (here: an integer overflow while reading runs) is an error, not OK. */
static void test_failed_step_reported(void **state) {
    (void)state;
    rm_db();
    store_t *db;
    sim_err err = {{0}};
    assert_int_equal(store_open(&db, DB, &err), SIM_OK);
    store_close(db);
    exec_on(DB, "DROP TABLE runs; CREATE VIEW runs AS SELECT 1 AS sweep_id, 1 AS run_id,"
                " abs(-9223372036854775807 - 1) AS point, 0 AS replicate, 'done' AS status,"
                " NULL AS varied_json, NULL AS pid, NULL AS host, NULL AS start_token");
    assert_int_equal(store_open(&db, DB, &err), SIM_OK);
    uint8_t done[4] = {0};
    assert_int_equal(store_sweep_done(db, 1, 1, done, 4, &err), SIM_EDB);
    assert_contains(err.msg, "reading the sweep's runs");
    assert_contains(err.msg, "overflow");
    store_close(db);
    rm_db();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_roundtrip),
        cmocka_unit_test(test_finish_unknown_run_writes_nothing),
        cmocka_unit_test(test_not_a_database),
        cmocka_unit_test(test_newer_version_refused),
        cmocka_unit_test(test_old_database),
        cmocka_unit_test(test_view_equals_rows),
        cmocka_unit_test(test_merge_across_ids),
        cmocka_unit_test(test_failed_step_reported),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
