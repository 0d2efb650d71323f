/* sim/store/run_table.c - the wide view run_table (schema 6, docs/results.md): one row per
 * run, a column per varied parameter of any sweep in the database and per headline summary
 * figure. A view's columns are fixed when it is created, so the view is regenerated from
 * sweep_params whenever a writer opens the database or records a sweep's design. */
#include "schema.h"

#include <stdio.h>
#include <string.h>

/* The headline figures: column, summary name, group. */
static const struct { const char *col, *name, *grp; } HEADLINE[] = {
    {"persons", "persons", "all"},
    {"violations", "violations", "all"},
    {"violations_prevented", "violations_prevented", "all"},
    {"ever_listed", "ever_listed.black", "all"},
    {"ever_wrongly_listed", "ever_wrongly_listed.black", "all"},
    {"listed_end", "listed.black", "all"},
    {"harm", "harm", "all"},
    {"harm_innocent", "harm", "innocent"},
    {"harm_gini", "harm_gini", "persons"},
    {"firms_failed", "firms_failed", "all"},
    {"cascade_largest", "cascade_largest", "all"},
};

/* The varied-parameter columns: every key of sweep_params (in order of first appearance)
 * that has a dot, as a section.key does (a key without one could collide with a fixed
 * column; it stays readable in varied_json), at most SCHEMA_RUN_TABLE_PARAMS of them. */
static int add_params(sqlite3 *db, sqlite3_str *s) {
    sqlite3_stmt *q = NULL;
    int n = 0, rc = sqlite3_prepare_v2(db, "SELECT key FROM sweep_params WHERE instr(key, '.')"
                                       " > 0 GROUP BY key ORDER BY min(rowid)", -1, &q, NULL);
    if (rc != SQLITE_OK) return 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && n++ < SCHEMA_RUN_TABLE_PARAMS) {
        const char *k = (const char *)sqlite3_column_text(q, 0);
        sqlite3_str_appendf(s, ", (SELECT p.value FROM sweep_params p WHERE p.sweep_id ="
                            " r.sweep_id AND p.point = r.point AND p.key = %Q) AS \"%w\"", k, k);
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

/* The view's CREATE statement (sqlite3_free it), or NULL on an error. */
static char *view_sql(sqlite3 *db) {
    sqlite3_str *s = sqlite3_str_new(db);
    sqlite3_str_appendall(s, "CREATE VIEW run_table AS SELECT r.run_id AS run_id, r.sweep_id AS"
                          " sweep_id, w.name AS sweep, r.point AS point, r.replicate AS replicate,"
                          " r.scenario_name AS scenario, r.label AS label, r.seed AS seed,"
                          " r.status AS status, r.duplicate AS duplicate, r.overrides AS"
                          " overrides, r.varied_json AS varied_json");
    int ok = add_params(db, s);
    for (size_t i = 0; i < sizeof HEADLINE / sizeof *HEADLINE; i++)
        sqlite3_str_appendf(s, ", (SELECT v.value FROM summary_rows v JOIN metric_names n ON"
                            " n.id = v.metric WHERE v.run_id = r.run_id AND n.name = %Q AND"
                            " v.grp = %Q) AS %s", HEADLINE[i].name, HEADLINE[i].grp,
                            HEADLINE[i].col);
    sqlite3_str_appendall(s, " FROM runs r LEFT JOIN sweeps w ON w.sweep_id = r.sweep_id");
    char *sql = sqlite3_str_finish(s);
    if (!ok) sqlite3_free(sql);
    return ok ? sql : NULL;
}

/* 1 when the stored view's text is sql (nothing to do). */
static int same_view(sqlite3 *db, const char *sql) {
    sqlite3_stmt *q = NULL;
    int same = 0;
    if (sqlite3_prepare_v2(db, "SELECT sql FROM main.sqlite_master WHERE type = 'view' AND name"
                           " = 'run_table'", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        same = strcmp((const char *)sqlite3_column_text(q, 0), sql) == 0;
    sqlite3_finalize(q);
    return same;
}

static int refresh(sqlite3 *db) {
    char *sql = view_sql(db);
    int ok = sql != NULL;
    if (ok && !same_view(db, sql))
        ok = sqlite3_exec(db, "DROP VIEW IF EXISTS run_table", NULL, NULL, NULL) == SQLITE_OK &&
             sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_free(sql);
    return ok;
}

sim_status schema_run_table(sqlite3 *db, const char *path, sim_err *err) {
    int own = sqlite3_get_autocommit(db);   /* else inside the caller's transaction */
    int ok = !own || sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
    ok = ok && refresh(db);
    if (own && ok) ok = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
    if (ok) return SIM_OK;
    sim_status st = err_set(err, SIM_EDB, "database %s: creating the view run_table: %s", path,
                            sqlite3_errmsg(db));
    if (own) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}
