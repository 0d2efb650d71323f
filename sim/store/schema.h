/* sim/store/schema.h - the versioned part of the results schema, shared by the store, the
 * readers (query.c) and merge (internal to sim/store/). Prefix schema_.
 *
 * Version 3 (SCSIM_SCHEMA_VERSION, held in PRAGMA user_version and meta.schema_version)
 * stores metric rows with an integer metric id: metric_rows(run_id, step, metric, grp,
 * value), summary_rows(run_id, metric, grp, value), metric_names(id, name, grouping, unit,
 * definition, tables) holding the registry (sim/core/metric.h; ids from SCHEMA_LOCAL_ID up
 * name metrics unknown to the registry, from an older database), and the views metrics and
 * summary with the text columns of version 2, writable through INSTEAD OF triggers.
 * Version 2 (user_version 0, meta.schema_version 2) had metrics and summary as tables with
 * the name as text; it is read as it is and migrated when a command appends to it. */
#ifndef SIM_STORE_SCHEMA_H
#define SIM_STORE_SCHEMA_H

#include <sqlite3.h>

#include "err.h"

enum { SCHEMA_OLD = 2, SCHEMA_LOCAL_ID = 1000000, SCHEMA_RUN_TABLE_PARAMS = 500 };

/* Registers the SQL function scsim_scenario_hash(text) on db (runs.scenario_hash of a
 * params_json: store_meta_hash). 0 on failure. */
int schema_register(sqlite3 *db);

/* The schema version of the database attached as `schema` ("main", "src"): its
 * user_version, or for user_version 0 meta.schema_version; 0 for a database without a meta
 * table (empty, or not scsim's). SIM_EDB when it cannot be read, or when it is newer than
 * SCSIM_SCHEMA_VERSION (the message names both versions). */
sim_status schema_version(sqlite3 *db, const char *schema, const char *path, int *version,
                          sim_err *err);

/* Before anything is written to the main database: SIM_OK when it is empty (a new file) or
 * has an scsim schema version; SIM_EDB naming the file when it is another program's SQLite
 * database (objects but no scsim version: scsim never adds its tables to it nor switches it
 * to WAL) or not an SQLite database at all. Reads only. */
sim_status schema_check_owner(sqlite3 *db, const char *path, sim_err *err);

/* Makes the main database ready for writing, in one IMMEDIATE transaction: creates what is
 * missing (tables, indices, views, triggers), migrates a version 2 database (its rows keep
 * their order), writes the registry into metric_names and the version. SIM_EDB (nothing
 * changed) for a database of another or a newer version, or when metric_names gives a
 * registry id another name. common: the version-independent tables (runs, sweeps, ...). */
sim_status schema_prepare(sqlite3 *db, const char *path, const char *common, sim_err *err);

/* Gives every metric name of schema.metrics and schema.summary (tables or views; schema
 * "main" or "src") missing from main.metric_names a local id (SCHEMA_LOCAL_ID and up, in
 * name order), so rows can be copied by name. Inside the caller's transaction. Returns 0 on
 * an SQLite error. */
int schema_add_names(sqlite3 *db, const char *schema);

/* Creates or regenerates the view run_table (schema 6, docs/results.md; run_table.c): one
 * row per run with the fixed columns, then one column per varied parameter of any sweep
 * (the keys of sweep_params with a dot, in order of first appearance, at most
 * SCHEMA_RUN_TABLE_PARAMS), then the headline summary figures. Writes only when the view's
 * text changes. Inside the caller's transaction when one is open, else in its own
 * IMMEDIATE one. SIM_EDB naming path on an SQLite error. */
sim_status schema_run_table(sqlite3 *db, const char *path, sim_err *err);

#endif
