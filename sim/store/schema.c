/* sim/store/schema.c - the versioned schema: metric ids and their names, the views with the
 * old text columns, the version number, and the migration from version 2 (schema.h). */
#include "schema.h"

#include <stdio.h>
#include <string.h>

#include "metric.h"
#include "store_meta.h"
#include "version.h"

/* ---- schema version 5 (one block): runs.scenario_hash (store_meta_hash of params_json, the
 * resolved scenario), runs.duplicate (1: a copy of another run stored on purpose, never
 * pooled) and runs.label (the run group's name in figures, summaries and the brief). A run
 * is a duplicate of another when both are single runs (no sweep) with the same
 * scenario_hash, overrides, seed and replicate (docs/results.md). */
#define RUNS_V5_COLUMNS                                                                       \
    ", scenario_hash TEXT, duplicate INTEGER NOT NULL DEFAULT 0, label TEXT"

/* Version 4's runs gain the three columns; every run is hashed, and of the done single runs
 * that share a key, all but the first (lowest id) are flagged as duplicates. */
static const char *const MIGRATE_V4[] = {
    "ALTER TABLE runs ADD COLUMN scenario_hash TEXT",
    "ALTER TABLE runs ADD COLUMN duplicate INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE runs ADD COLUMN label TEXT"};
static const char V5_HASH[] =
    "UPDATE runs SET scenario_hash = scsim_scenario_hash(params_json)"
    " WHERE scenario_hash IS NULL;"
    "CREATE INDEX IF NOT EXISTS runs_by_key ON runs(scenario_hash, seed);";
static const char V5_FLAG[] =
    "UPDATE runs SET duplicate = 1 WHERE sweep_id IS NULL AND status = 'done' AND duplicate = 0"
    " AND EXISTS (SELECT 1 FROM runs o WHERE o.sweep_id IS NULL AND o.status = 'done'"
    " AND o.duplicate = 0 AND o.scenario_hash = runs.scenario_hash AND o.overrides ="
    " runs.overrides AND o.seed = runs.seed AND o.replicate = runs.replicate"
    " AND o.run_id < runs.run_id);";

int schema_register(sqlite3 *db) {
    return sqlite3_create_function(db, "scsim_scenario_hash", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, store_meta_sql_hash,
                                   NULL, NULL) == SQLITE_OK;
}

/* Registers scsim_scenario_hash(text) and brings runs to version 5 (v: the version read,
 * 0 for a new file; from version 3 the runs table was rebuilt with the columns already). */
static int migrate_v5(sqlite3 *db, int v) {
    if (!schema_register(db)) return 0;
    if (v == 5) return 1;
    for (size_t k = 0; v == 4 && k < sizeof MIGRATE_V4 / sizeof *MIGRATE_V4; k++)
        if (sqlite3_exec(db, MIGRATE_V4[k], NULL, NULL, NULL) != SQLITE_OK) return 0;
    return sqlite3_exec(db, V5_HASH, NULL, NULL, NULL) == SQLITE_OK &&
           (v == 0 || sqlite3_exec(db, V5_FLAG, NULL, NULL, NULL) == SQLITE_OK);
}
/* ---- end of schema version 5 */

/* The runs table of version 4: ids are never reused (AUTOINCREMENT), a 'running' run names
 * its writer (pid, host, start_token: store_owner.h), and 'stale' marks a run whose writer
 * is gone. Version 3's runs lacked all three. */
#define RUNS_COLUMNS                                                                          \
    "(run_id INTEGER PRIMARY KEY AUTOINCREMENT,"                                              \
    " sweep_id INTEGER REFERENCES sweeps(sweep_id), point INTEGER,"                           \
    " replicate INTEGER NOT NULL DEFAULT 0,"                                                  \
    " scenario_name TEXT NOT NULL, scenario_text TEXT NOT NULL, overrides TEXT NOT NULL,"     \
    " params_json TEXT NOT NULL, seed INTEGER NOT NULL, scsim_version TEXT NOT NULL,"         \
    " status TEXT NOT NULL CHECK(status IN ('running','done','failed','interrupted','stale')),"\
    " started_at TEXT NOT NULL, finished_at TEXT, wall_seconds REAL, varied_json TEXT,"       \
    " pid INTEGER, host TEXT, start_token TEXT" RUNS_V5_COLUMNS ")"

/* Version 3's rows of runs into version 4's table (same ids, same order); the runs left
 * 'running' by an scsim that recorded no writer become 'stale'. %s: varied_json or NULL. */
static const char MIGRATE_V3[] =
    "CREATE TABLE runs_v4" RUNS_COLUMNS ";"
    "INSERT INTO runs_v4(run_id, sweep_id, point, replicate, scenario_name, scenario_text,"
    " overrides, params_json, seed, scsim_version, status, started_at, finished_at,"
    " wall_seconds, varied_json) SELECT run_id, sweep_id, point, replicate, scenario_name,"
    " scenario_text, overrides, params_json, seed, scsim_version, status, started_at,"
    " finished_at, wall_seconds, %s FROM runs ORDER BY run_id;"
    "DROP TABLE runs; ALTER TABLE runs_v4 RENAME TO runs;"
    "UPDATE runs SET status = 'stale' WHERE status = 'running';";

/* The current version's own objects; the views keep every SQL written for version 2
 * working. */
static const char SCHEMA_CUR[] =
    "CREATE TABLE IF NOT EXISTS runs" RUNS_COLUMNS ";"
    "CREATE TABLE IF NOT EXISTS sweep_locks(sweep_id INTEGER PRIMARY KEY REFERENCES"
    " sweeps(sweep_id), pid INTEGER NOT NULL, host TEXT NOT NULL, start_token TEXT NOT NULL,"
    " started_at TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS metric_names(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " grouping TEXT, unit TEXT, definition TEXT, tables TEXT);"
    "CREATE TABLE IF NOT EXISTS metric_rows(run_id INTEGER NOT NULL REFERENCES runs(run_id),"
    " step INTEGER NOT NULL, metric INTEGER NOT NULL REFERENCES metric_names(id),"
    " grp TEXT NOT NULL, value REAL);"
    "CREATE INDEX IF NOT EXISTS metric_rows_by_metric ON metric_rows(run_id, metric, grp, step);"
    "CREATE TABLE IF NOT EXISTS summary_rows(run_id INTEGER NOT NULL REFERENCES runs(run_id),"
    " metric INTEGER NOT NULL REFERENCES metric_names(id), grp TEXT NOT NULL, value REAL);"
    "CREATE INDEX IF NOT EXISTS summary_rows_by_metric ON summary_rows(run_id, metric, grp);"
    "CREATE VIEW IF NOT EXISTS metrics AS SELECT r.run_id AS run_id, r.step AS step,"
    " n.name AS name, r.grp AS grp, r.value AS value"
    " FROM metric_rows r JOIN metric_names n ON n.id = r.metric;"
    "CREATE VIEW IF NOT EXISTS summary AS SELECT r.run_id AS run_id, n.name AS name,"
    " r.grp AS grp, r.value AS value FROM summary_rows r JOIN metric_names n ON n.id = r.metric;"
    "CREATE TRIGGER IF NOT EXISTS metrics_insert INSTEAD OF INSERT ON metrics BEGIN"
    " SELECT RAISE(ABORT, 'metrics: unknown metric name (see metric_names)') WHERE NOT EXISTS"
    " (SELECT 1 FROM metric_names WHERE name = NEW.name);"
    " INSERT INTO metric_rows VALUES(NEW.run_id, NEW.step,"
    " (SELECT id FROM metric_names WHERE name = NEW.name), NEW.grp, NEW.value); END;"
    "CREATE TRIGGER IF NOT EXISTS metrics_delete INSTEAD OF DELETE ON metrics BEGIN"
    " DELETE FROM metric_rows WHERE run_id = OLD.run_id AND step = OLD.step AND grp = OLD.grp"
    " AND metric = (SELECT id FROM metric_names WHERE name = OLD.name)"
    " AND value IS OLD.value; END;"
    "CREATE TRIGGER IF NOT EXISTS summary_insert INSTEAD OF INSERT ON summary BEGIN"
    " SELECT RAISE(ABORT, 'summary: unknown metric name (see metric_names)') WHERE NOT EXISTS"
    " (SELECT 1 FROM metric_names WHERE name = NEW.name);"
    " INSERT INTO summary_rows VALUES(NEW.run_id,"
    " (SELECT id FROM metric_names WHERE name = NEW.name), NEW.grp, NEW.value); END;"
    "CREATE TRIGGER IF NOT EXISTS summary_delete INSTEAD OF DELETE ON summary BEGIN"
    " DELETE FROM summary_rows WHERE run_id = OLD.run_id AND grp = OLD.grp"
    " AND metric = (SELECT id FROM metric_names WHERE name = OLD.name)"
    " AND value IS OLD.value; END;";

/* Version 2's metrics and summary tables into version 3's, in their row order. */
static const char MIGRATE_V2[] =
    "CREATE TABLE metric_rows(run_id INTEGER NOT NULL REFERENCES runs(run_id),"
    " step INTEGER NOT NULL, metric INTEGER NOT NULL REFERENCES metric_names(id),"
    " grp TEXT NOT NULL, value REAL);"
    "INSERT INTO metric_rows SELECT m.run_id, m.step, n.id, m.grp, m.value FROM metrics m"
    " JOIN metric_names n ON n.name = m.name ORDER BY m.rowid;"
    "CREATE TABLE summary_rows(run_id INTEGER NOT NULL REFERENCES runs(run_id),"
    " metric INTEGER NOT NULL REFERENCES metric_names(id), grp TEXT NOT NULL, value REAL);"
    "INSERT INTO summary_rows SELECT m.run_id, n.id, m.grp, m.value FROM summary m"
    " JOIN metric_names n ON n.name = m.name ORDER BY m.rowid;"
    "DROP TABLE metrics; DROP TABLE summary;";

static sim_status fail(sqlite3 *db, const char *path, const char *what, sim_err *err) {
    return err_set(err, SIM_EDB, "database %s: %s: %s", path, what, sqlite3_errmsg(db));
}

/* One integer from sql, or dflt when there is no row; -1 on an SQLite error. */
static int one_int(sqlite3 *db, const char *sql, int dflt) {
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) return -1;
    int rc = sqlite3_step(q), v = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : dflt;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) v = -1;
    sqlite3_finalize(q);
    return v;
}

sim_status schema_version(sqlite3 *db, const char *schema, const char *path, int *version,
                          sim_err *err) {
    char sql[160];
    snprintf(sql, sizeof sql, "PRAGMA %s.user_version", schema);
    int v = one_int(db, sql, 0);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s.sqlite_master WHERE name='meta'", schema);
    int meta = v == 0 ? one_int(db, sql, 0) : 0;
    if (meta > 0) {
        snprintf(sql, sizeof sql, "SELECT value FROM %s.meta WHERE key='schema_version'", schema);
        v = one_int(db, sql, 0);
    }
    if (v < 0 || meta < 0) return fail(db, path, "reading the schema version", err);
    *version = v;
    if (v > SCSIM_SCHEMA_VERSION)
        return err_set(err, SIM_EDB, "database %s has results schema version %d, written by a "
                       "newer scsim; this scsim (%s) reads versions %d and %d: use a newer "
                       "scsim", path, v, SCSIM_VERSION, SCHEMA_OLD, SCSIM_SCHEMA_VERSION);
    return SIM_OK;
}

/* The first object of the main database, for the message (e.g. "table t"). */
static void first_object(sqlite3 *db, char *buf, size_t n) {
    sqlite3_stmt *q = NULL;
    buf[0] = 0;
    if (sqlite3_prepare_v2(db, "SELECT type || ' ' || name FROM main.sqlite_master ORDER BY "
                           "rowid LIMIT 1", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        snprintf(buf, n, "%.80s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
}

sim_status schema_check_owner(sqlite3 *db, const char *path, sim_err *err) {
    int objects = one_int(db, "SELECT count(*) FROM main.sqlite_master", 0), v = 0;
    if (objects < 0 && sqlite3_errcode(db) == SQLITE_NOTADB)
        return err_set(err, SIM_EDB, "%s is not an SQLite database (%s): refusing to write "
                       "into it; give a new file", path, sqlite3_errmsg(db));
    if (objects < 0) return fail(db, path, "reading the schema", err);
    if (objects == 0) return SIM_OK;
    sim_status st = schema_version(db, "main", path, &v, err);
    if (st != SIM_OK || v != 0) return st;
    char what[96];
    first_object(db, what, sizeof what);
    return err_set(err, SIM_EDB, "%s is another program's SQLite database (%d schema "
                   "object(s), e.g. %s; no scsim schema version): refusing to add scsim's "
                   "tables to it; give a new file", path, objects, what);
}

static int exec(sqlite3 *db, const char *sql) {
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

/* The registry into metric_names; SIM_EDB when an id of the registry has another name. */
static sim_status put_registry(sqlite3 *db, const char *path, sim_err *err) {
    static const char *const tables[] = {"", "metrics", "summary", "metrics, summary"};
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO metric_names VALUES(?,?,?,?,?,?)", -1,
                           &q, NULL) != SQLITE_OK)
        return fail(db, path, "preparing metric_names", err);
    int ok = 1;
    for (int id = 1; id < M_END && ok; id++) {
        const metric_def *m = metric_get(id);
        if (!m) continue;
        sqlite3_bind_int(q, 1, id);
        sqlite3_bind_text(q, 2, m->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, m->grouping, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, m->unit, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 5, m->definition, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 6, tables[m->tables & 3], -1, SQLITE_STATIC);
        ok = sqlite3_step(q) == SQLITE_DONE && sqlite3_reset(q) == SQLITE_OK;
    }
    sqlite3_finalize(q);
    if (!ok) return fail(db, path, "writing metric_names", err);
    return SIM_OK;
}

/* SIM_EDB when a registry id is stored under another name (or a name under another id). */
static sim_status check_registry(sqlite3 *db, const char *path, sim_err *err) {
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, "SELECT name FROM metric_names WHERE id=?", -1, &q, NULL) !=
        SQLITE_OK)
        return fail(db, path, "reading metric_names", err);
    sim_status st = SIM_OK;
    for (int id = 1; id < M_END && st == SIM_OK; id++) {
        if (!metric_get(id)) continue;
        sqlite3_bind_int(q, 1, id);
        int rc = sqlite3_step(q);
        const char *name = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : NULL;
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) st = fail(db, path, "reading metric_names", err);
        else if (!name || strcmp(name, metric_name(id)) != 0)
            st = err_set(err, SIM_EDB, "database %s: metric_names gives id %d the name %s, "
                         "the registry %s: not a database of this scsim's metrics", path, id,
                         name ? name : "(none)", metric_name(id));
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    return st;
}

/* The version 2 tables into version 3's: names first (the registry, then unknown ones). */
static sim_status migrate(sqlite3 *db, const char *path, sim_err *err) {
    sim_status st;
    if (!exec(db, "CREATE TABLE metric_names(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                  " grouping TEXT, unit TEXT, definition TEXT, tables TEXT)"))
        return fail(db, path, "migrating from schema version 2", err);
    if ((st = put_registry(db, path, err)) != SIM_OK) return st;
    if (!schema_add_names(db, "main") || !exec(db, MIGRATE_V2))
        return fail(db, path, "migrating from schema version 2", err);
    return SIM_OK;
}

int schema_add_names(sqlite3 *db, const char *schema) {
    char *sql = sqlite3_mprintf(
        "INSERT INTO main.metric_names(id, name) SELECT (SELECT max(coalesce(max(id), 0) + 1,"
        " %d) FROM main.metric_names) + row_number() OVER (ORDER BY name) - 1, name FROM"
        " (SELECT name FROM %w.metrics UNION SELECT name FROM %w.summary)"
        " WHERE name NOT IN (SELECT name FROM main.metric_names)",
        SCHEMA_LOCAL_ID, schema, schema);
    int ok = sql && exec(db, sql);
    sqlite3_free(sql);
    return ok;
}

/* Version 3's runs into version 4's (MIGRATE_V3). */
static sim_status migrate_runs(sqlite3 *db, const char *path, sim_err *err) {
    int varied = store_meta_has(db, "main", "runs", "varied_json");
    char *sql = sqlite3_mprintf(MIGRATE_V3, varied ? "varied_json" : "NULL");
    int ok = sql && exec(db, sql);
    sqlite3_free(sql);
    return ok ? SIM_OK : fail(db, path, "migrating runs from schema version 3", err);
}

/* Everything of schema_prepare inside its transaction. */
static sim_status prepare(sqlite3 *db, const char *path, const char *common, sim_err *err) {
    int v = 0;
    sim_status st = schema_version(db, "main", path, &v, err);
    if (st != SIM_OK) return st;
    if (v != 0 && (v < SCHEMA_OLD || v > SCSIM_SCHEMA_VERSION))
        return err_set(err, SIM_EDB, "database %s has results schema version %d; this scsim "
                       "writes version %d (and migrates versions %d to %d): use a new file",
                       path, v, SCSIM_SCHEMA_VERSION, SCHEMA_OLD, SCSIM_SCHEMA_VERSION - 1);
    if (v == SCHEMA_OLD && (st = migrate(db, path, err)) != SIM_OK) return st;
    if (v != 0 && v < 4 && (st = migrate_runs(db, path, err)) != SIM_OK)
        return st;
    if (!exec(db, common) || !exec(db, SCHEMA_CUR))
        return fail(db, path, "cannot create the schema (is it an scsim database?)", err);
    if (!migrate_v5(db, v)) return fail(db, path, "migrating runs to schema version 5", err);
    if ((st = put_registry(db, path, err)) != SIM_OK ||
        (st = check_registry(db, path, err)) != SIM_OK)
        return st;
    char sql[160];
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d; INSERT OR REPLACE INTO meta "
             "VALUES('schema_version','%d')", SCSIM_SCHEMA_VERSION, SCSIM_SCHEMA_VERSION);
    return exec(db, sql) ? SIM_OK : fail(db, path, "cannot write the schema version", err);
}

sim_status schema_prepare(sqlite3 *db, const char *path, const char *common, sim_err *err) {
    if (!exec(db, "BEGIN IMMEDIATE")) return fail(db, path, "starting the schema transaction", err);
    sim_status st = prepare(db, path, common, err);
    if (st == SIM_OK && !exec(db, "COMMIT")) st = fail(db, path, "committing the schema", err);
    if (st != SIM_OK) exec(db, "ROLLBACK");
    return st;
}
