/* tests/test_store.c - the results database: schema, one-transaction runs, statuses. */
#include "testutil.h"

#include <math.h>
#include <sqlite3.h>
#include <unistd.h>

#include "store.h"

static const char DB[] = "build/test-store.db";

static void rm_db(void) {
    unlink(DB);
    unlink("build/test-store.db-wal");
    unlink("build/test-store.db-shm");
}

static double query(const char *sql) {
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(DB, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    double v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_double(q, 0) : NAN;
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

static res_t *sample_results(void) {
    res_t *r;
    assert_int_equal(res_new(&r, 1, NULL), SIM_OK);
    int listed = res_label(r, "listed.black"), all = res_label(r, "all");
    assert_int_equal(res_label(r, "listed.black"), listed);   /* interned once */
    for (int t = 1; t <= 3; t++) assert_true(res_add(r, t, listed, all, 10.0 * t));
    assert_true(res_add_summary(r, res_label(r, "persons"), all, 100));
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
    store_run info = {"test", "[run]\n", "", "{}", 42, 0, 0, -1, NULL};
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
    assert_int_equal(store_open(&db, "/nonexistent-dir/x.db", &err), SIM_EDB);
    assert_contains(err.msg, "/nonexistent-dir/x.db");
    rm_db();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_roundtrip),
        cmocka_unit_test(test_finish_unknown_run_writes_nothing),
        cmocka_unit_test(test_not_a_database),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
