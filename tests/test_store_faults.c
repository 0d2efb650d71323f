/* tests/test_store_faults.c - fault injection for the store: SQLite's writes fail at the k-th
 * write or sync, for every k over a small run. A shim VFS ("faulty", registered as the
 * default in this test only, so store_open uses it unchanged) wraps the default VFS and
 * returns SQLITE_FULL or SQLITE_IOERR_WRITE from xWrite (SQLITE_IOERR_FSYNC from xSync) at
 * call k: once (a transient error) or from k on (a full disk). After each failure the
 * database, read with the ordinary VFS, holds the first run unchanged and the second either
 * not at all or as a complete run: never a run marked done with part of its results, never
 * results of a run not done; and the status returned is an error. */
#include "testutil.h"

#include <sqlite3.h>

#include "runner.h"
#include "store.h"

static const char DB[] = "build/test-store-faults.db";

/* --- the faulty VFS ------------------------------------------------------------------ */

typedef struct faulty_file {
    sqlite3_file base;
    sqlite3_file *real;   /* the wrapped file, allocated right after this struct */
} faulty_file;

static struct {
    sqlite3_vfs *real;
    long calls;        /* writes and syncs so far */
    long fail_at;      /* 0: never */
    int persistent;    /* fail every call from fail_at on */
    int code;          /* what xWrite returns */
    long failed;       /* failures injected */
} g_fault;

static int fault_now(void) {
    long k = ++g_fault.calls;
    int fail = g_fault.fail_at && (k == g_fault.fail_at ||
                                   (g_fault.persistent && k > g_fault.fail_at));
    if (fail) g_fault.failed++;
    return fail;
}

#define REAL(f) (((faulty_file *)(f))->real)
static int f_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int f_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o) {
    return REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int f_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o) {
    if (fault_now()) return g_fault.code;
    return REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 n) {
    return REAL(f)->pMethods->xTruncate(REAL(f), n);
}
static int f_sync(sqlite3_file *f, int flags) {
    (void)f; (void)flags;
    /* counted, not done: the test is about errors, not power loss, and fsync is slow */
    return fault_now() ? SQLITE_IOERR_FSYNC : SQLITE_OK;
}
static int f_size(sqlite3_file *f, sqlite3_int64 *n) {
    return REAL(f)->pMethods->xFileSize(REAL(f), n);
}
static int f_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int f_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int f_check(sqlite3_file *f, int *r) {
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r);
}
static int f_fcntl(sqlite3_file *f, int op, void *a) {
    return REAL(f)->pMethods->xFileControl(REAL(f), op, a);
}
static int f_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int f_dev(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int f_shm_map(sqlite3_file *f, int i, int sz, int ext, void volatile **p) {
    return REAL(f)->pMethods->xShmMap(REAL(f), i, sz, ext, p);
}
static int f_shm_lock(sqlite3_file *f, int o, int n, int fl) {
    return REAL(f)->pMethods->xShmLock(REAL(f), o, n, fl);
}
static void f_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int f_shm_unmap(sqlite3_file *f, int del) {
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

/* Version 2 (WAL's shared memory, no memory mapping: xFetch is then never called). */
static const sqlite3_io_methods FAULTY_IO = {
    2, f_close, f_read, f_write, f_truncate, f_sync, f_size, f_lock, f_unlock, f_check,
    f_fcntl, f_sector, f_dev, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap, NULL, NULL};

static int f_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags,
                  int *out_flags) {
    faulty_file *ff = (faulty_file *)file;
    ff->real = (sqlite3_file *)(ff + 1);
    ff->base.pMethods = NULL;
    int rc = g_fault.real->xOpen(g_fault.real, name, ff->real, flags, out_flags);
    if (ff->real->pMethods) ff->base.pMethods = &FAULTY_IO;
    (void)vfs;
    return rc;
}

#define RV g_fault.real
static int v_delete(sqlite3_vfs *v, const char *n, int s) { (void)v; return RV->xDelete(RV, n, s); }
static int v_access(sqlite3_vfs *v, const char *n, int f, int *r) {
    (void)v;
    return RV->xAccess(RV, n, f, r);
}
static int v_full(sqlite3_vfs *v, const char *n, int sz, char *o) {
    (void)v;
    return RV->xFullPathname(RV, n, sz, o);
}
static int v_random(sqlite3_vfs *v, int n, char *o) { (void)v; return RV->xRandomness(RV, n, o); }
static int v_sleep(sqlite3_vfs *v, int us) { (void)v; return RV->xSleep(RV, us); }
static int v_time(sqlite3_vfs *v, double *t) { (void)v; return RV->xCurrentTime(RV, t); }
static int v_error(sqlite3_vfs *v, int n, char *b) { (void)v; return RV->xGetLastError(RV, n, b); }
static int v_time64(sqlite3_vfs *v, sqlite3_int64 *t) {
    (void)v;
    return RV->xCurrentTimeInt64(RV, t);
}

static sqlite3_vfs g_vfs = {
    2, 0, 512, NULL, "faulty", NULL, f_open, v_delete, v_access, v_full, NULL, NULL, NULL,
    NULL, v_random, v_sleep, v_time, v_error, v_time64, NULL, NULL, NULL};

static void faulty_install(void) {
    g_fault.real = sqlite3_vfs_find(NULL);
    assert_non_null(g_fault.real);
    g_vfs.szOsFile = (int)sizeof(faulty_file) + g_fault.real->szOsFile;
    g_vfs.mxPathname = g_fault.real->mxPathname;
    assert_int_equal(sqlite3_vfs_register(&g_vfs, 1), SQLITE_OK);
}

static void faulty_remove(void) {
    sqlite3_vfs_unregister(&g_vfs);
    sqlite3_vfs_register(g_fault.real, 1);
}

/* --- the runs ------------------------------------------------------------------------ */

typedef struct counts {
    int found;             /* the run exists */
    char status[16];
    long metrics, summary, events;
} counts;

static long count_on(sqlite3 *db, const char *sql, int64_t run_id) {
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    sqlite3_bind_int64(s, 1, run_id);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long n = (long)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

/* What the database (read through the real VFS) holds of run run_id; also checks that it is
 * well formed. */
static counts read_run(int64_t run_id) {
    sqlite3 *db = NULL;
    counts c = {0};
    assert_int_equal(sqlite3_open_v2(DB, &db, SQLITE_OPEN_READWRITE, g_fault.real->zName),
                     SQLITE_OK);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
    sqlite3_finalize(s);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT status FROM runs WHERE run_id = ?", -1, &s,
                                        NULL), SQLITE_OK);
    sqlite3_bind_int64(s, 1, run_id);
    if (sqlite3_step(s) == SQLITE_ROW) {
        c.found = 1;
        snprintf(c.status, sizeof c.status, "%s", (const char *)sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    c.metrics = count_on(db, "SELECT count(*) FROM metric_rows WHERE run_id = ?", run_id);
    c.summary = count_on(db, "SELECT count(*) FROM summary_rows WHERE run_id = ?", run_id);
    c.events = count_on(db, "SELECT count(*) FROM events WHERE run_id = ?", run_id);
    sqlite3_close(db);
    return c;
}

static int64_t last_run_id(void) {
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(DB, &db, SQLITE_OPEN_READONLY, g_fault.real->zName),
                     SQLITE_OK);
    int64_t id = count_on(db, "SELECT max(run_id) FROM runs WHERE ?1 IS NOT NULL", 0);
    sqlite3_close(db);
    return id;
}

static void rm_db(void) {
    char side[128];
    remove(DB);
    snprintf(side, sizeof side, "%s-wal", DB);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", DB);
    remove(side);
}

static scenario g_sc;

/* One run of g_sc into DB: store_open, runner_run, store_close; the first error's status. */
static sim_status one_run(void) {
    store_t *db = NULL;
    sim_err err = {0};
    sim_status st = store_open(&db, DB, &err);
    if (st == SIM_OK) {
        runner_opts o;
        memset(&o, 0, sizeof o);
        o.sim.threads = 1;
        o.point = -1;
        runner_result r;
        st = runner_run(db, &g_sc, &o, &r, NULL, &err);
    }
    store_close(db);
    return st;
}

static int setup(void **state) {
    (void)state;
    static const char *const sets[] = {"population.persons=60", "run.steps=2"};
    sim_err err = {0};
    if (scn_load_string(&g_sc, "faults", "", sets, 2, &err) != SIM_OK) return -1;
    faulty_install();
    return 0;
}

static int teardown(void **state) {
    (void)state;
    faulty_remove();
    scn_free(&g_sc);
    return 0;
}

/* The database after a second run failed at write k: run 1 intact, run 2 complete or
 * without results; with check_reuse, a third run (no faults) stores completely. */
static void check_after(const counts *ref, sim_status st, long k, int check_reuse) {
    counts c1 = read_run(1), c2 = read_run(2);
    assert_true(c1.found);
    assert_string_equal(c1.status, "done");
    assert_true(c1.metrics == ref->metrics && c1.summary == ref->summary &&
                c1.events == ref->events);
    int complete = c2.found && !strcmp(c2.status, "done") && c2.metrics == ref->metrics &&
                   c2.summary == ref->summary && c2.events == ref->events;
    int empty = c2.metrics == 0 && c2.summary == 0 && c2.events == 0 &&
                (!c2.found || strcmp(c2.status, "done"));
    if (!complete && !empty)
        fail_msg("write %ld failed: run 2 is '%s' with %ld metrics, %ld summary rows, %ld "
                 "events (complete: %ld, %ld, %ld)", k, c2.status, c2.metrics, c2.summary,
                 c2.events, ref->metrics, ref->summary, ref->events);
    if (st == SIM_OK && !complete)
        fail_msg("write %ld failed, the run returned SIM_OK but is not stored", k);
    if (!check_reuse) return;
    assert_int_equal(one_run(), SIM_OK);
    int64_t last = last_run_id();
    assert_true(last >= 2 && last >= (c2.found ? 3 : 2));
    counts c3 = read_run(last);
    assert_true(c3.found && !strcmp(c3.status, "done") && c3.metrics == ref->metrics);
}

/* The bytes of file path (malloc'd), *n their number. */
static char *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 22);
    assert_non_null(buf);
    *n = fread(buf, 1, 1 << 22, f);
    assert_true(*n > 0 && *n < (1 << 22));
    fclose(f);
    return buf;
}

static void restore(const char *bytes, size_t n) {
    rm_db();
    FILE *f = fopen(DB, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* For every k up to the writes and syncs a clean second run makes (and two more): a
 * database with one run, then a second run whose k-th write or sync fails (xWrite with
 * SQLITE_FULL for even k, SQLITE_IOERR_WRITE for odd k), once or, persistent, from k on.
 * check_after each; with check_reuse a third run after it must store completely. */
static void sweep_faults(int persistent, int check_reuse) {
    rm_db();
    g_fault.fail_at = 0;
    assert_int_equal(one_run(), SIM_OK);
    size_t nbytes = 0;
    char *one = slurp(DB, &nbytes);   /* store_close checkpointed: the file holds it all */
    g_fault.calls = 0;
    assert_int_equal(one_run(), SIM_OK);
    long writes = g_fault.calls, errors = 0;
    counts ref = read_run(2);
    assert_string_equal(ref.status, "done");
    assert_true(ref.metrics > 0 && ref.summary > 0 && writes > 5);
    for (long k = 1; k <= writes + 2; k++) {
        restore(one, nbytes);
        g_fault.calls = g_fault.failed = 0;
        g_fault.persistent = persistent;
        g_fault.code = k % 2 ? SQLITE_IOERR_WRITE : SQLITE_FULL;
        g_fault.fail_at = k;
        sim_status st = one_run();
        g_fault.fail_at = 0;
        assert_true(k > writes || g_fault.failed > 0);
        errors += st != SIM_OK;
        check_after(&ref, st, k, check_reuse);
    }
    free(one);
    print_message("fail %s: %ld writes and syncs in a run, %ld failures reported as errors "
                  "(the others left the run complete)\n",
                  persistent ? "from k on" : "once",
                  writes, errors);
    assert_true(errors > 0);
}

static void test_transient(void **state) {
    (void)state;
    sweep_faults(0, 1);
}

/* A full disk: every write from k on fails. */
static void test_disk_full(void **state) {
    (void)state;
    sweep_faults(1, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transient),
        cmocka_unit_test(test_disk_full),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
