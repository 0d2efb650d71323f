/* sim/store/store_meta.h - the store's structured sweep metadata (docs/results.md): the
 * sweep_params table, runs.varied_json and sweeps.spec_hash. Kept apart from the rest of the
 * schema (store.c) so that both can change on their own. Internal to sim/store/: the layer
 * above calls the store.h functions. Prefix store_meta_. */
#ifndef SIM_STORE_META_H
#define SIM_STORE_META_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum { STORE_META_HASH_LEN = 17 };   /* 16 hex digits and the NUL */

/* Adds what an older database lacks, each step checked: CREATE TABLE IF NOT EXISTS
 * sweep_params, ALTER TABLE runs ADD COLUMN varied_json and ALTER TABLE sweeps ADD COLUMN
 * spec_hash when absent, and fills spec_hash of sweeps rows that have none. Registers the
 * SQL function scsim_spec_hash(text) on db. path names the file in errors (SIM_EDB). */
sim_status store_meta_schema(sqlite3 *db, const char *path, sim_err *err);

/* In one transaction: a sweep_params row (sweep_id, point, key, value) per design point
 * 0..npoints-1 and parameter keys[0..nkeys-1], value x[point * nkeys + k]; rows already
 * there (a resumed sweep) are kept. SIM_EDB on error, nothing written. */
sim_status store_meta_params(sqlite3 *db, const char *path, int64_t sweep_id, size_t npoints,
                             size_t nkeys, const char *const *keys, const double *x,
                             sim_err *err);

/* The hash of a sweep's spec as 16 lower-case hex digits (64-bit FNV-1a of every byte of
 * the text, however long). Identifies a sweep when it is resumed. */
void store_meta_hash(const char *text, char out[STORE_META_HASH_LEN]);

/* store_meta_hash as an SQL function of one text argument (NULL gives NULL), for
 * sqlite3_create_function in the schema's migrations. */
void store_meta_sql_hash(sqlite3_context *ctx, int argc, sqlite3_value **argv);

/* 1 when table `table` of schema `schema` ("main", "src", ...) has column `column` (column
 * NULL: when the table exists), else 0. */
int store_meta_has(sqlite3 *db, const char *schema, const char *table, const char *column);

#endif
