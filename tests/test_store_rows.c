/* tests/test_store_rows.c - how a run reaches the results database fast (sim/store): rows
 * written many to a statement (store_rows.c) come back in order with consecutive rowids
 * around the batch size, NaN as NULL, every event field as given; a fresh file (none, or
 * empty) switched to WAL without waiting for the disk is in WAL mode, intact, and holds what
 * was written. */
#include "testutil.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

#include "scenario.h"
#include "store.h"

static const char DB[] = "build/test-store-rows.db";

static void rm_db(void) {
    unlink(DB);
    unlink("build/test-store-rows.db-wal");
    unlink("build/test-store-rows.db-shm");
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
    int all = res_grp(r, "all");
    for (int t = 1; t <= 3; t++) assert_true(res_add(r, t, M_LISTED_BLACK, all, 10.0 * t));
    assert_true(res_add_summary(r, M_PERSONS, all, 100));
    return r;
}

/* Rows are written many to a statement (store_rows.c): around the batch size (0, 1, 63, 64,
 * 65, 129, 200 rows, events and summary rows), each run's rows come back in order with
 * consecutive rowids after the last run's, NaN as NULL, every event field as given. */
static void check_rows(sqlite3 *h, const char *sql, int64_t id, const res_t *r,
                       const res_row *rows, uint64_t n, int with_step) {
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &q, NULL), SQLITE_OK);
    sqlite3_bind_int64(q, 1, id);
    uint64_t k = 0;
    int64_t first = -1;
    for (; sqlite3_step(q) == SQLITE_ROW; k++) {
        int c = 1;
        assert_true(k < n);
        if (first < 0) first = sqlite3_column_int64(q, 0);
        assert_true(sqlite3_column_int64(q, 0) == first + (int64_t)k);
        if (with_step) assert_int_equal(sqlite3_column_int(q, c++), rows[k].step);
        assert_int_equal(sqlite3_column_int(q, c++), rows[k].metric);
        assert_string_equal((const char *)sqlite3_column_text(q, c++), r->grps[rows[k].grp]);
        if (isnan(rows[k].value)) assert_int_equal(sqlite3_column_type(q, c), SQLITE_NULL);
        else assert_true(sqlite3_column_double(q, c) == rows[k].value);
    }
    assert_int_equal(k, n);
    sqlite3_finalize(q);
}

static void check_events(sqlite3 *h, int64_t id, const res_t *r) {
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT step, kind, list, agent, cause, source, "
                                        "layer, agency FROM events WHERE run_id = ? "
                                        "ORDER BY rowid", -1, &q, NULL), SQLITE_OK);
    sqlite3_bind_int64(q, 1, id);
    uint64_t k = 0;
    for (; sqlite3_step(q) == SQLITE_ROW; k++) {
        const res_event *e = &r->events[k];
        assert_true(k < r->nevents);
        assert_int_equal(sqlite3_column_int(q, 0), e->step);
        assert_string_equal((const char *)sqlite3_column_text(q, 1),
                            e->kind == EV_LISTED ? "listed" : "delisted");
        assert_string_equal((const char *)sqlite3_column_text(q, 2), "black");
        assert_int_equal(sqlite3_column_int64(q, 3), e->agent);
        assert_string_equal((const char *)sqlite3_column_text(q, 4),
                            e->kind == EV_LISTED ? res_cause_name(e->cause)
                                                 : res_exit_name(e->cause));
        if (e->source == UINT32_MAX) assert_int_equal(sqlite3_column_type(q, 5), SQLITE_NULL);
        else assert_int_equal(sqlite3_column_int64(q, 5), e->source);
        if (e->layer < 0) assert_int_equal(sqlite3_column_type(q, 6), SQLITE_NULL);
        else assert_string_equal((const char *)sqlite3_column_text(q, 6), "social");
        assert_int_equal(sqlite3_column_type(q, 7), SQLITE_NULL);
    }
    assert_int_equal(k, r->nevents);
    sqlite3_finalize(q);
}

static void test_rows_batches(void **state) {
    (void)state;
    rm_db();
    const uint64_t sizes[] = {0, 1, 63, 64, 65, 129, 200};
    store_t *db;
    sim_err err = {{0}};
    assert_int_equal(store_open(&db, DB, &err), SIM_OK);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(DB, &h), SQLITE_OK);
    for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
        res_t *r;
        assert_int_equal(res_new(&r, 1000, &err), SIM_OK);
        char grp[32];
        for (uint64_t k = 0; k < sizes[z]; k++) {
            snprintf(grp, sizeof grp, "g:%d", (int)(k % 7));
            double v = k % 11 == 3 ? NAN : (double)k / 8;
            assert_true(res_put(r, 1 + (int)(k / 5), 1 + (int)(k % 5), grp, v));
            assert_true(res_put_summary(r, 1 + (int)(k % 9), grp, -v));
            res_event e = {(int32_t)k, k % 3 ? EV_LISTED : EV_DELISTED, LIST_BLACK,
                           (uint8_t)(k % 2), (int8_t)(k % 4 ? -1 : LAYER_SOCIAL), -1,
                           (uint32_t)(7 * k), k % 5 ? UINT32_MAX : (uint32_t)k};
            assert_true(res_add_event(r, &e));
        }
        store_run info = {"batch", "", "", "{}", (int64_t)z, 0, 0, -1, NULL, 0, NULL};
        int64_t id;
        assert_int_equal(store_begin_run(db, &info, &id, &err), SIM_OK);
        assert_int_equal(store_finish_run(db, id, r, "done", 0, &err), SIM_OK);
        check_rows(h, "SELECT rowid, step, metric, grp, value FROM metric_rows WHERE run_id = ?"
                      " ORDER BY rowid", id, r, r->rows, r->nrows, 1);
        check_rows(h, "SELECT rowid, metric, grp, value FROM summary_rows WHERE run_id = ?"
                      " ORDER BY rowid", id, r, r->summary, r->nsummary, 0);
        check_events(h, id, r);
        res_free(r);
    }
    sqlite3_close(h);
    store_close(db);
    rm_db();
}

/* A fresh file (none, or empty) is switched to WAL without waiting for the disk
 * (store.c set_wal): it still ends in WAL mode, passes SQLite's integrity check and holds
 * what was written once closed (read back by another connection). */
static void test_fresh_file(void **state) {
    (void)state;
    for (int empty = 0; empty < 2; empty++) {
        rm_db();
        if (empty) {
            FILE *f = fopen(DB, "w");
            assert_non_null(f);
            fclose(f);
        }
        store_t *db;
        sim_err err = {{0}};
        assert_int_equal(store_open(&db, DB, &err), SIM_OK);
        store_run info = {"fresh", "", "", "{}", 3, 0, 0, -1, NULL, 0, NULL};
        int64_t id;
        assert_int_equal(store_begin_run(db, &info, &id, &err), SIM_OK);
        res_t *r = sample_results();
        assert_int_equal(store_finish_run(db, id, r, "done", 0, &err), SIM_OK);
        res_free(r);
        store_close(db);
        sqlite3 *h;
        sqlite3_stmt *q;
        assert_int_equal(sqlite3_open(DB, &h), SQLITE_OK);
        const char *const ask[2] = {"PRAGMA journal_mode", "PRAGMA integrity_check"};
        const char *const want[2] = {"wal", "ok"};
        for (int k = 0; k < 2; k++) {
            assert_int_equal(sqlite3_prepare_v2(h, ask[k], -1, &q, NULL), SQLITE_OK);
            assert_int_equal(sqlite3_step(q), SQLITE_ROW);
            assert_string_equal((const char *)sqlite3_column_text(q, 0), want[k]);
            sqlite3_finalize(q);
        }
        sqlite3_close(h);
        assert_true(query("SELECT count(*) FROM metrics WHERE name='listed.black'") == 3);
        assert_true(query("SELECT count(*) FROM runs WHERE status='done'") == 1);
    }
    rm_db();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_batches),
        cmocka_unit_test(test_fresh_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
