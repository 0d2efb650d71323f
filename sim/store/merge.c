/* sim/store/merge.c - merging results databases with SQLite's ATTACH. */
#include "merge.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "schema.h"
#include "store.h"
#include "store_meta.h"
#include "version.h"

static sim_status fail(sqlite3 *db, sim_err *err, const char *path, const char *what) {
    return err_set(err, SIM_EDB, "merging %s: %s: %s", path, what, sqlite3_errmsg(db));
}

/* One integer from sql (with ?1 bound to a, ?2 to b when not NULL), or -1 (no row, NULL or
 * an SQLite error; the callers count, so -1 is a failure for them). */
static int64_t one_int(sqlite3 *db, const char *sql, const char *a, int64_t b) {
    sqlite3_stmt *q = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) return -1;
    if (a) sqlite3_bind_text(q, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, b);
    int rc = sqlite3_step(q);   /* an error, like no row, gives -1 */
    if (rc == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

static sim_status check_input(sqlite3 *db, const char *path, sim_err *err) {
    int v = 0;
    sim_status st = schema_version(db, "src", path, &v, err);
    if (st != SIM_OK) return st;
    if (v < SCHEMA_OLD || v > SCSIM_SCHEMA_VERSION)
        return err_set(err, SIM_EDB, "%s is not an scsim results database of schema version "
                       "%d to %d", path, SCHEMA_OLD, SCSIM_SCHEMA_VERSION);
    int64_t versions = one_int(db, "SELECT count(*) FROM (SELECT scsim_version FROM src.runs "
                               "UNION SELECT scsim_version FROM main.runs)", NULL, 0);
    if (versions < 0) return fail(db, err, path, "reading the runs' scsim versions");
    if (versions > 1)
        return err_set(err, SIM_EDB, "%s holds runs of another scsim version than the other "
                       "databases (see runs.scsim_version): refusing to mix them", path);
    return SIM_OK;
}

/* The design points of the mapped sweeps (sweep_params), when the input has them; rows the
 * output already has (another shard of the same sweep) are kept. */
static sim_status copy_params(sqlite3 *db, const char *path, sim_err *err) {
    static const char sql[] =
        "INSERT OR IGNORE INTO main.sweep_params SELECT m.dst, p.point, p.key, p.value FROM "
        "src.sweep_params p JOIN sweep_map m ON m.src = p.sweep_id ORDER BY p.rowid";
    if (!store_meta_has(db, "src", "sweep_params", NULL)) return SIM_OK;
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, err, path, "copying sweep_params");
    return SIM_OK;
}

/* Maps each sweep of src to a sweep of main (by name and spec), creating missing ones. */
static sim_status map_sweeps(sqlite3 *db, const char *path, merge_stats *st, sim_err *err) {
    static const char *const sql[] = {
        "CREATE TEMP TABLE IF NOT EXISTS sweep_map(src INTEGER PRIMARY KEY, dst INTEGER)",
        "DELETE FROM sweep_map",
        "INSERT INTO main.sweeps(name, design, spec, created_at) SELECT s.name, s.design, "
        "s.spec, s.created_at FROM src.sweeps s WHERE NOT EXISTS (SELECT 1 FROM main.sweeps m "
        "WHERE m.name = s.name)",
        "INSERT INTO sweep_map SELECT s.sweep_id, m.sweep_id FROM src.sweeps s JOIN "
        "main.sweeps m ON m.name = s.name AND m.spec = s.spec"};
    int64_t conflicts = one_int(db, "SELECT count(*) FROM src.sweeps s JOIN main.sweeps m ON "
                                "m.name = s.name AND m.spec != s.spec", NULL, 0);
    int64_t before = one_int(db, "SELECT count(*) FROM main.sweeps", NULL, 0);
    if (conflicts < 0 || before < 0) return fail(db, err, path, "reading sweeps");
    if (conflicts > 0)
        return err_set(err, SIM_EDB, "%s holds a sweep whose name is already used by a "
                       "different experiment in the output: refusing to merge", path);
    for (size_t k = 0; k < sizeof sql / sizeof *sql; k++)
        if (sqlite3_exec(db, sql[k], NULL, NULL, NULL) != SQLITE_OK)
            return fail(db, err, path, "copying sweeps");
    int64_t after = one_int(db, "SELECT count(*) FROM main.sweeps", NULL, 0);
    if (after < 0) return fail(db, err, path, "reading sweeps");
    st->sweeps += after - before;
    return copy_params(db, path, err);
}

/* The metric rows of the mapped runs, by metric name: src's ids (version 3) or names
 * (version 2) become the output's ids, a name new to the output getting a local id. */
static int copy_metrics(sqlite3 *db, int version) {
    static const char *const v3[] = {
        "INSERT INTO main.metric_rows SELECT rm.dst, m.step, d.id, m.grp, m.value FROM "
        "src.metric_rows m JOIN src.metric_names n ON n.id = m.metric JOIN main.metric_names d "
        "ON d.name = n.name JOIN run_map rm ON rm.src = m.run_id ORDER BY m.rowid",
        "INSERT INTO main.summary_rows SELECT rm.dst, d.id, m.grp, m.value FROM "
        "src.summary_rows m JOIN src.metric_names n ON n.id = m.metric JOIN main.metric_names d "
        "ON d.name = n.name JOIN run_map rm ON rm.src = m.run_id ORDER BY m.rowid"};
    static const char *const v2[] = {
        "INSERT INTO main.metric_rows SELECT rm.dst, m.step, d.id, m.grp, m.value FROM "
        "src.metrics m JOIN main.metric_names d ON d.name = m.name JOIN run_map rm ON "
        "rm.src = m.run_id ORDER BY m.rowid",
        "INSERT INTO main.summary_rows SELECT rm.dst, d.id, m.grp, m.value FROM src.summary m "
        "JOIN main.metric_names d ON d.name = m.name JOIN run_map rm ON rm.src = m.run_id "
        "ORDER BY m.rowid"};
    const char *const *sql = version == SCHEMA_OLD ? v2 : v3;
    return schema_add_names(db, "src") &&
           sqlite3_exec(db, sql[0], NULL, NULL, NULL) == SQLITE_OK &&
           sqlite3_exec(db, sql[1], NULL, NULL, NULL) == SQLITE_OK;
}

/* 1 when done single run src of the input is a flagged duplicate or the same run as a done
 * single run of the output (store_find_same's key); 0 when not; -1 on an error. */
static int repeats(sqlite3 *db, int64_t src) {
    static const char fmt[] =
        "SELECT %s OR EXISTS(SELECT 1 FROM main.runs m WHERE m.sweep_id IS NULL AND"
        " m.status = 'done' AND m.duplicate = 0 AND m.scenario_hash ="
        " scsim_scenario_hash(r.params_json) AND m.overrides = r.overrides AND m.seed = r.seed"
        " AND m.replicate = r.replicate) FROM src.runs r WHERE r.run_id = ?"
        " AND r.sweep_id IS NULL AND r.status = 'done'";
    char *sql = sqlite3_mprintf(fmt, store_meta_has(db, "src", "runs", "duplicate")
                                         ? "r.duplicate = 1" : "0");
    sqlite3_stmt *q = NULL;
    int v = -1;
    if (sql && sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(q, 1, src);
        int rc = sqlite3_step(q);
        v = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) != 0 : rc == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(q);
    sqlite3_free(sql);
    return v;
}

static sim_status copy_runs(sqlite3 *db, const char *path, merge_stats *st, sim_err *err) {
    /* runs.varied_json when the input has it (older databases do not); a copy of a run still
     * 'running' will never finish: it is 'stale' */
    static const char ins_fmt[] =
        "INSERT INTO main.runs(sweep_id, point, replicate, scenario_name, scenario_text,"
        " overrides, params_json, seed, scsim_version, status, started_at, finished_at,"
        " wall_seconds, varied_json, scenario_hash, label) SELECT (SELECT dst FROM sweep_map"
        " WHERE src = r.sweep_id),"
        " r.point, r.replicate, r.scenario_name, r.scenario_text, r.overrides, r.params_json,"
        " r.seed, r.scsim_version, CASE r.status WHEN 'running' THEN 'stale' ELSE r.status END,"
        " r.started_at, r.finished_at, r.wall_seconds, %s, scsim_scenario_hash(r.params_json),"
        " %s FROM src.runs r WHERE r.run_id = ?";
    char ins[sizeof ins_fmt + 32];
    snprintf(ins, sizeof ins, ins_fmt,
             store_meta_has(db, "src", "runs", "varied_json") ? "r.varied_json" : "NULL",
             store_meta_has(db, "src", "runs", "label") ? "r.label" : "NULL");
    static const char events[] =
        "INSERT INTO main.events SELECT rm.dst, e.step, e.kind, e.list, e.agent, e.cause, "
        "e.source, e.layer, e.agency FROM src.events e JOIN run_map rm ON rm.src = e.run_id "
        "ORDER BY e.rowid";
    sqlite3_stmt *list = NULL, *add = NULL, *map = NULL;
    int ok = sqlite3_exec(db, "CREATE TEMP TABLE IF NOT EXISTS run_map(src INTEGER PRIMARY "
                          "KEY, dst INTEGER); DELETE FROM run_map", NULL, NULL, NULL) == SQLITE_OK &&
             sqlite3_prepare_v2(db, "SELECT run_id FROM src.runs WHERE sweep_id IS NULL OR "
                                "status = 'done' ORDER BY run_id", -1, &list,
                                NULL) == SQLITE_OK &&
             sqlite3_prepare_v2(db, ins, -1, &add, NULL) == SQLITE_OK &&
             sqlite3_prepare_v2(db, "INSERT INTO run_map VALUES(?, ?)", -1, &map, NULL) ==
                 SQLITE_OK;
    int rc = SQLITE_DONE, version = 0;
    while (ok && (rc = sqlite3_step(list)) == SQLITE_ROW) {
        int64_t src = sqlite3_column_int64(list, 0);
        int same = repeats(db, src);
        ok = same >= 0;
        if (same > 0) st->skipped++;
        if (same != 0) continue;
        sqlite3_bind_int64(add, 1, src);
        ok = sqlite3_step(add) == SQLITE_DONE && sqlite3_reset(add) == SQLITE_OK;
        sqlite3_bind_int64(map, 1, src);
        sqlite3_bind_int64(map, 2, sqlite3_last_insert_rowid(db));
        ok = ok && sqlite3_step(map) == SQLITE_DONE && sqlite3_reset(map) == SQLITE_OK;
        st->runs += ok;
    }
    ok = ok && rc == SQLITE_DONE;
    sqlite3_finalize(list);
    sqlite3_finalize(add);
    sqlite3_finalize(map);
    if (ok && schema_version(db, "src", path, &version, err) != SIM_OK) return SIM_EDB;
    ok = ok && copy_metrics(db, version) &&
         sqlite3_exec(db, events, NULL, NULL, NULL) == SQLITE_OK;
    return ok ? SIM_OK : fail(db, err, path, "copying runs");
}

static sim_status attach(sqlite3 *db, const char *path, sim_err *err) {
    struct stat sb;
    if (stat(path, &sb) != 0)
        return err_set(err, SIM_EIO, "cannot open %s: %s", path, strerror(errno));
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, "ATTACH DATABASE ? AS src", -1, &q, NULL) != SQLITE_OK)
        return fail(db, err, path, "attaching");
    sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? SIM_OK : fail(db, err, path, "attaching");
}

/* Pass 1, before anything is written: versions, sweep specs, and no sweep run (sweep name,
 * point, replicate) twice among the output and all inputs. */
static sim_status check_one(sqlite3 *db, const char *path, sim_err *err) {
    static const char keys[] =
        "INSERT INTO seen SELECT s.name, r.point, r.replicate FROM src.runs r JOIN src.sweeps s"
        " USING(sweep_id) WHERE r.status = 'done'";
    sim_status st = attach(db, path, err);
    if (st != SIM_OK) return st;
    st = check_input(db, path, err);
    int64_t clash = st == SIM_OK ? one_int(db, "SELECT count(*) FROM src.sweeps s JOIN "
                                           "main.sweeps m ON m.name = s.name AND m.spec != "
                                           "s.spec", NULL, 0) : 0;
    if (clash < 0) st = fail(db, err, path, "reading sweeps");
    else if (clash > 0)
        st = err_set(err, SIM_EDB, "%s holds a sweep whose name is already used by a different "
                     "experiment in %s: refusing to merge", path, "the output");
    if (st == SIM_OK && sqlite3_exec(db, keys, NULL, NULL, NULL) != SQLITE_OK)
        st = err_set(err, SIM_EDB, "%s holds sweep runs (point, replicate) that another input "
                     "or the output already has: merged twice, or overlapping shards?", path);
    sqlite3_exec(db, "DETACH DATABASE src", NULL, NULL, NULL);
    return st;
}

/* Pass 2: one input in one transaction. */
static sim_status merge_one(sqlite3 *db, const char *path, merge_stats *st, sim_err *err) {
    sim_status s = attach(db, path, err);
    if (s != SIM_OK) return s;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        s = fail(db, err, path, "starting the transaction");
    if (s == SIM_OK) s = map_sweeps(db, path, st, err);
    if (s == SIM_OK) s = copy_runs(db, path, st, err);
    if (s == SIM_OK && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        s = fail(db, err, path, "committing");
    if (s != SIM_OK) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_exec(db, "DETACH DATABASE src", NULL, NULL, NULL);
    return s;
}

sim_status merge_into(const char *out, const char *const *in, int nin, merge_stats *stats,
                      sim_err *err) {
    static const char seen[] =
        "CREATE TEMP TABLE seen(name TEXT, point INTEGER, replicate INTEGER,"
        " PRIMARY KEY(name, point, replicate));"
        "INSERT INTO seen SELECT s.name, r.point, r.replicate FROM main.runs r"
        " JOIN main.sweeps s USING(sweep_id) WHERE r.status = 'done'";
    *stats = (merge_stats){0, 0, 0};
    store_t *created = NULL;
    sim_status st = store_open(&created, out, err);   /* creates the schema when new */
    store_close(created);
    if (st != SIM_OK) return st;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(out, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        st = fail(db, err, out, "opening the output");
    sqlite3_busy_timeout(db, 60000);
    if (st == SIM_OK && !schema_register(db)) st = fail(db, err, out, "registering functions");
    if (st == SIM_OK && sqlite3_exec(db, seen, NULL, NULL, NULL) != SQLITE_OK)
        st = fail(db, err, out, "reading the output's runs");
    for (int k = 0; st == SIM_OK && k < nin; k++) st = check_one(db, in[k], err);
    for (int k = 0; st == SIM_OK && k < nin; k++) st = merge_one(db, in[k], stats, err);
    sqlite3_close(db);
    store_t *reopened = NULL;   /* opening hashes the new sweeps' specs (store_meta.c) */
    if (st == SIM_OK) st = store_open(&reopened, out, err);
    store_close(reopened);
    return st;
}
