/* sim/store/store.c - the SQLite results database. */
#include "store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "scenario.h"
#include "schema.h"
#include "store_meta.h"
#include "store_owner.h"
#include "store_rows.h"
#include "version.h"

struct store {
    sqlite3 *db;
    char path[512];
    int64_t replace_new, replace_old;   /* store_replace_on_finish; 0: none */
};

/* The tables that do not depend on the schema version; runs, metrics and summary are in
 * schema.c. */
static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS sweeps(sweep_id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " design TEXT NOT NULL, spec TEXT NOT NULL, created_at TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS events(run_id INTEGER NOT NULL REFERENCES runs(run_id),"
    " step INTEGER NOT NULL, kind TEXT NOT NULL, list TEXT NOT NULL, agent INTEGER NOT NULL,"
    " cause TEXT, source INTEGER, layer TEXT, agency TEXT);"
    "CREATE INDEX IF NOT EXISTS events_by_run ON events(run_id, step);"
    "CREATE TABLE IF NOT EXISTS sensitivity(sweep_id INTEGER NOT NULL REFERENCES"
    " sweeps(sweep_id), metric TEXT NOT NULL, grp TEXT NOT NULL, parameter TEXT NOT NULL,"
    " measure TEXT NOT NULL, value REAL, lo REAL, hi REAL);";

static sim_status db_fail(store_t *db, sim_err *err, const char *what) {
    return err_set(err, SIM_EDB, "database %s: %s: %s", db->path, what, sqlite3_errmsg(db->db));
}

static void now_iso(char *buf, size_t n) {
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* SQLite could not open or create path: the operating system's reason, naming the folder
 * when it is missing (SIM_EIO). */
static sim_status open_fail(store_t *db, sim_err *err) {
    int e = db->db ? sqlite3_system_errno(db->db) : 0;
    char dir[512];
    snprintf(dir, sizeof dir, "%s", db->path);
    char *slash = strrchr(dir, '/');
    if (slash) *(slash == dir ? slash + 1 : slash) = '\0';
    else snprintf(dir, sizeof dir, ".");
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return err_set(err, SIM_EIO, "cannot create results database %s: folder %s does not "
                       "exist (create it first)", db->path, dir);
    return err_set(err, SIM_EIO, "cannot open results database %s: %s", db->path,
                   e ? strerror(e) : sqlite3_errmsg(db->db));
}

/* WAL mode. Switching a new file to WAL needs a moment's exclusive lock, and SQLite reports
 * SQLITE_BUSY for it without waiting on the busy handler when another process is creating
 * the same database: retry for up to a minute, like every other lock.
 * A file that was empty when opened (fresh: it holds nothing yet) is switched without
 * waiting for the disk: the switch writes only the header, in a rollback journal that SQLite
 * would otherwise flush four times (journal, folder, journal, file: about 10 ms on a disk).
 * Nothing of value is at risk: the first checkpoint (at the latest when the database is
 * closed, after the run's rows) flushes the header with everything else, as before. */
static int set_wal(sqlite3 *db, int fresh) {
    const char *sql = fresh ? "PRAGMA synchronous=OFF; PRAGMA journal_mode=WAL;"
                              " PRAGMA synchronous=NORMAL;"
                            : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
    for (int tries = 0; tries < 3000; tries++) {
        int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
        if (rc == SQLITE_OK) return 1;
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) return 0;
        sqlite3_sleep(20);
    }
    return 0;
}

/* What opening adds after the schema: the sweep metadata's columns, the run_table view and
 * the marking of stale runs. Each reads before it writes (a column that is missing, a row
 * still 'running'), so all run in one write transaction: two writers opening one database
 * at once otherwise both see a column missing and the second fails adding it. */
static sim_status open_tail(store_t *db, sim_err *err) {
    if (sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, err, "cannot open");
    sim_status st = store_meta_schema(db->db, db->path, err);   /* sweep metadata */
    if (st == SIM_OK) st = schema_run_table(db->db, db->path, err);   /* its columns */
    if (st == SIM_OK) st = store_owner_mark_stale(db->db, db->path, NULL, err);   /* store_owner.c */
    if (st == SIM_OK && sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        st = db_fail(db, err, "cannot open");
    if (st != SIM_OK) sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

sim_status store_open(store_t **out, const char *path, sim_err *err) {
    *out = NULL;
    store_t *db = calloc(1, sizeof *db);
    if (!db) return err_set(err, SIM_ENOMEM, "out of memory");
    snprintf(db->path, sizeof db->path, "%s", path);
    sim_status st = SIM_OK;
    struct stat sb;
    int fresh = stat(path, &sb) != 0 || (S_ISREG(sb.st_mode) && sb.st_size == 0);
    if (sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK)
        st = open_fail(db, err);
    else if (sqlite3_busy_timeout(db->db, 60000) != SQLITE_OK)
        st = db_fail(db, err, "cannot open");
    else   /* another program's database, or not one: refused before anything is written */
        st = schema_check_owner(db->db, db->path, err);
    if (st == SIM_OK && !set_wal(db->db, fresh)) st = db_fail(db, err, "cannot set WAL mode");
    if (st == SIM_OK) st = schema_prepare(db->db, db->path, SCHEMA, err);
    if (st == SIM_OK) st = open_tail(db, err);
    if (st != SIM_OK) {
        store_close(db);
        return st;
    }
    *out = db;
    return SIM_OK;
}

sim_status store_sweep_lock(store_t *db, int64_t sweep_id, const char *name, sim_err *err) {
    return store_owner_lock(db->db, db->path, sweep_id, name, err);
}

void store_sweep_unlock(store_t *db, int64_t sweep_id) {
    if (db) store_owner_unlock(db->db, sweep_id);
}

void store_close(store_t *db) {
    if (!db) return;
    sqlite3_close(db->db);
    free(db);
}

sim_status store_begin_run(store_t *db, const store_run *info, int64_t *run_id, sim_err *err) {
    static const char sql[] =
        "INSERT INTO runs(sweep_id, replicate, scenario_name, scenario_text, overrides,"
        " params_json, seed, scsim_version, status, started_at, point, varied_json, pid, host,"
        " start_token, scenario_hash, duplicate, label)"
        " VALUES(?,?,?,?,?,?,?,?,'running',?,?,?,?,?,?,?,?,?)";
    char hash[STORE_META_HASH_LEN];
    store_meta_hash(info->params_json ? info->params_json : "{}", hash);
    store_owner me;
    store_owner_self(&me);
    sqlite3_stmt *q = NULL;
    char now[32];
    now_iso(now, sizeof now);
    if (sqlite3_prepare_v2(db->db, sql, -1, &q, NULL) != SQLITE_OK)
        return db_fail(db, err, "preparing the run");
    if (info->sweep_id > 0) sqlite3_bind_int64(q, 1, info->sweep_id);
    sqlite3_bind_int(q, 2, info->replicate);
    sqlite3_bind_text(q, 3, info->scenario_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, info->scenario_text ? info->scenario_text : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, info->overrides ? info->overrides : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, info->params_json ? info->params_json : "{}", -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 7, (sqlite3_int64)info->seed);
    sqlite3_bind_text(q, 8, SCSIM_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 9, now, -1, SQLITE_TRANSIENT);
    if (info->point >= 0) sqlite3_bind_int64(q, 10, info->point);
    if (info->varied_json) sqlite3_bind_text(q, 11, info->varied_json, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 12, me.pid);
    sqlite3_bind_text(q, 13, me.host, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 14, me.token, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 15, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 16, info->duplicate != 0);
    if (info->label) sqlite3_bind_text(q, 17, info->label, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) return db_fail(db, err, "registering the run");
    *run_id = sqlite3_last_insert_rowid(db->db);
    return SIM_OK;
}

sim_status store_find_same(store_t *db, const store_run *info, int64_t *run_id, sim_err *err) {
    static const char sql[] =
        "SELECT run_id FROM runs WHERE scenario_hash = ? AND overrides = ? AND seed = ? AND"
        " replicate = ? AND sweep_id IS NULL AND status = 'done' AND duplicate = 0"
        " ORDER BY run_id LIMIT 1";
    char hash[STORE_META_HASH_LEN];
    store_meta_hash(info->params_json ? info->params_json : "{}", hash);
    sqlite3_stmt *q = NULL;
    *run_id = 0;
    if (sqlite3_prepare_v2(db->db, sql, -1, &q, NULL) != SQLITE_OK)
        return db_fail(db, err, "looking for the same run");
    sqlite3_bind_text(q, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, info->overrides ? info->overrides : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)info->seed);
    sqlite3_bind_int(q, 4, info->replicate);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) *run_id = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SIM_OK
                                                 : db_fail(db, err, "looking for the same run");
}

void store_replace_on_finish(store_t *db, int64_t run_id, int64_t old_id) {
    db->replace_new = run_id;
    db->replace_old = old_id;
}

/* Deletes run id with its metrics, summary and events (inside the caller's transaction). */
static int delete_run(sqlite3 *db, int64_t id) {
    static const char *const sql[] = {
        "DELETE FROM metric_rows WHERE run_id = ?", "DELETE FROM summary_rows WHERE run_id = ?",
        "DELETE FROM events WHERE run_id = ?", "DELETE FROM runs WHERE run_id = ?"};
    int ok = 1;
    for (size_t k = 0; ok && k < sizeof sql / sizeof *sql; k++) {
        sqlite3_stmt *q = NULL;
        ok = sqlite3_prepare_v2(db, sql[k], -1, &q, NULL) == SQLITE_OK;
        if (ok) sqlite3_bind_int64(q, 1, id);
        ok = ok && sqlite3_step(q) == SQLITE_DONE;
        sqlite3_finalize(q);
    }
    return ok;
}

static int update_status(sqlite3 *db, int64_t run_id, const char *status, double wall) {
    sqlite3_stmt *q = NULL;
    char now[32];
    now_iso(now, sizeof now);
    if (sqlite3_prepare_v2(db, "UPDATE runs SET status=?, finished_at=?, wall_seconds=?"
                           " WHERE run_id=?", -1, &q, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(q, 1, status, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(q, 3, wall);
    sqlite3_bind_int64(q, 4, run_id);
    int ok = sqlite3_step(q) == SQLITE_DONE && sqlite3_changes(db) == 1;
    sqlite3_finalize(q);
    return ok;
}

sim_status store_finish_run(store_t *db, int64_t run_id, const res_t *res,
                            const char *status, double wall_seconds, sim_err *err) {
    if (sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, err, "starting the results transaction");
    int ok = !res || (store_rows_insert(db->db, run_id, res, res->rows, res->nrows, 1) &&
                      store_rows_insert(db->db, run_id, res, res->summary, res->nsummary, 0) &&
                      store_rows_events(db->db, run_id, res));
    ok = ok && update_status(db->db, run_id, status, wall_seconds);
    if (ok && db->replace_old > 0 && run_id == db->replace_new && strcmp(status, "done") == 0)
        ok = delete_run(db->db, db->replace_old);
    if (ok && sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK) return SIM_OK;
    sim_status st = db_fail(db, err, "writing the results");
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

/* The sweeps row named `name`: 1 with *sweep_id and *same (its spec hash equals hash), 0
 * when there is none, -1 on a database error. */
static int find_sweep(store_t *db, const char *name, const char *hash, int64_t *sweep_id,
                      int *same) {
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db->db, "SELECT sweep_id, spec_hash FROM sweeps WHERE name=?", -1,
                           &q, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q), found = rc == SQLITE_ROW;
    if (found) {
        *sweep_id = sqlite3_column_int64(q, 0);
        const char *old = (const char *)sqlite3_column_text(q, 1);
        *same = old && strcmp(old, hash) == 0;
    }
    sqlite3_finalize(q);
    return found ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

sim_status store_sweep_open(store_t *db, const char *name, const char *design,
                            const char *spec, int64_t *sweep_id, sim_err *err) {
    char hash[STORE_META_HASH_LEN];
    store_meta_hash(spec, hash);
    int same = 0, found = find_sweep(db, name, hash, sweep_id, &same);
    if (found < 0) return db_fail(db, err, "reading sweeps");
    if (found && !same)
        return err_set(err, SIM_EDB, "database %s already holds a sweep named \"%s\" from a "
                       "different experiment file; use another --out or change "
                       "[experiment] name", db->path, name);
    if (found) return SIM_OK;
    char now[32];
    now_iso(now, sizeof now);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db->db, "INSERT INTO sweeps(name, design, spec, created_at, "
                           "spec_hash) VALUES(?,?,?,?,?)", -1, &q, NULL) != SQLITE_OK)
        return db_fail(db, err, "registering the sweep");
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, design, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, spec, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 5, hash, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) return db_fail(db, err, "registering the sweep");
    *sweep_id = sqlite3_last_insert_rowid(db->db);
    return SIM_OK;
}

sim_status store_sweep_params(store_t *db, int64_t sweep_id, size_t npoints, size_t nkeys,
                              const char *const *keys, const double *x, sim_err *err) {
    return store_meta_params(db->db, db->path, sweep_id, npoints, nkeys, keys, x, err);
}

sim_status store_sweep_reset(store_t *db, int64_t sweep_id, int64_t *removed, sim_err *err) {
    static const char *const sql[] = {
        "DELETE FROM metric_rows WHERE run_id IN (SELECT run_id FROM runs WHERE sweep_id=?1 AND "
        "status != 'done')",
        "DELETE FROM summary_rows WHERE run_id IN (SELECT run_id FROM runs WHERE sweep_id=?1 AND "
        "status != 'done')",
        "DELETE FROM events WHERE run_id IN (SELECT run_id FROM runs WHERE sweep_id=?1 AND "
        "status != 'done')",
        "DELETE FROM runs WHERE sweep_id=?1 AND status != 'done'"};
    if (sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, err, "starting the resume transaction");
    int ok = 1;
    for (size_t k = 0; k < sizeof sql / sizeof *sql && ok; k++) {
        sqlite3_stmt *q = NULL;
        ok = sqlite3_prepare_v2(db->db, sql[k], -1, &q, NULL) == SQLITE_OK;
        if (ok) sqlite3_bind_int64(q, 1, sweep_id);
        ok = ok && sqlite3_step(q) == SQLITE_DONE;
        if (ok) *removed = sqlite3_changes(db->db);
        sqlite3_finalize(q);
    }
    if (ok && sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK) return SIM_OK;
    sim_status st = db_fail(db, err, "clearing unfinished runs");
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

sim_status store_sweep_done(store_t *db, int64_t sweep_id, int replicates, uint8_t *done,
                            uint64_t n, sim_err *err) {
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db->db, "SELECT point, replicate FROM runs WHERE sweep_id=? AND "
                           "status='done'", -1, &q, NULL) != SQLITE_OK)
        return db_fail(db, err, "reading the sweep's runs");
    sqlite3_bind_int64(q, 1, sweep_id);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t p = sqlite3_column_int64(q, 0), r = sqlite3_column_int64(q, 1);
        uint64_t k = (uint64_t)p * (uint64_t)replicates + (uint64_t)r;
        if (p >= 0 && r >= 0 && r < replicates && k < n) done[k] = 1;
    }
    sim_status st = rc == SQLITE_DONE ? SIM_OK : db_fail(db, err, "reading the sweep's runs");
    sqlite3_finalize(q);
    return st;
}

static void bind_real(sqlite3_stmt *q, int c, double v) {
    if (v == v) sqlite3_bind_double(q, c, v);
    else sqlite3_bind_null(q, c);
}

sim_status store_sensitivity(store_t *db, int64_t sweep_id, const char *metric,
                             const char *grp, const store_sens_row *rows, size_t n,
                             sim_err *err) {
    sqlite3_stmt *del = NULL, *ins = NULL;
    if (sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, err, "starting the sensitivity transaction");
    int ok = sqlite3_prepare_v2(db->db, "DELETE FROM sensitivity WHERE sweep_id=? AND metric=?"
                                " AND grp=?", -1, &del, NULL) == SQLITE_OK &&
             sqlite3_prepare_v2(db->db, "INSERT INTO sensitivity VALUES(?,?,?,?,?,?,?,?)", -1,
                                &ins, NULL) == SQLITE_OK;
    if (ok) {
        sqlite3_bind_int64(del, 1, sweep_id);
        sqlite3_bind_text(del, 2, metric, -1, SQLITE_STATIC);
        sqlite3_bind_text(del, 3, grp, -1, SQLITE_STATIC);
        ok = sqlite3_step(del) == SQLITE_DONE;
    }
    for (size_t k = 0; ok && k < n; k++) {
        sqlite3_bind_int64(ins, 1, sweep_id);
        sqlite3_bind_text(ins, 2, metric, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, grp, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 4, rows[k].parameter, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 5, rows[k].measure, -1, SQLITE_STATIC);
        bind_real(ins, 6, rows[k].value);
        bind_real(ins, 7, rows[k].lo);
        bind_real(ins, 8, rows[k].hi);
        ok = sqlite3_step(ins) == SQLITE_DONE && sqlite3_reset(ins) == SQLITE_OK;
    }
    sqlite3_finalize(del);
    sqlite3_finalize(ins);
    if (ok && sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK) return SIM_OK;
    sim_status st = db_fail(db, err, "writing sensitivity indices");
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

sim_status store_contrasts(store_t *db, const store_contrast_row *rows, size_t n,
                           sim_err *err) {
    sqlite3_stmt *ins = NULL;
    if (sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, err, "starting the contrasts transaction");
    int ok = sqlite3_prepare_v2(db->db, "INSERT OR REPLACE INTO contrasts VALUES(?,?,?,?,?,?,?,"
                                "?,?,?,?,?,?,?,?,strftime('%Y-%m-%dT%H:%M:%SZ','now'))", -1,
                                &ins, NULL) == SQLITE_OK;
    for (size_t k = 0; ok && k < n; k++) {
        const store_contrast_row *r = &rows[k];
        const char *text[] = {r->ref, r->label, r->metric, r->grp};
        const double real[] = {r->ref_mean, r->mean, r->diff, r->diff_lo, r->diff_hi,
                               r->ratio, r->ratio_lo, r->ratio_hi};
        for (int c = 0; c < 4; c++) sqlite3_bind_text(ins, c + 1, text[c], -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 5, (sqlite3_int64)r->pairs);
        for (int c = 0; c < 8; c++) bind_real(ins, c + 6, real[c]);
        sqlite3_bind_text(ins, 14, r->ref_runs, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 15, r->runs, -1, SQLITE_STATIC);
        ok = sqlite3_step(ins) == SQLITE_DONE && sqlite3_reset(ins) == SQLITE_OK;
    }
    sqlite3_finalize(ins);
    if (ok && sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK) return SIM_OK;
    sim_status st = db_fail(db, err, "writing contrasts");
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}
