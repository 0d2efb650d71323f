/* sim/store/store_rows.h - a finished run's rows into the results database: the per-step
 * metric rows, the summary rows and the listing events, inserted many rows per statement
 * (STORE_ROWS_BATCH rows a statement, one prepared statement reused), in the order of the
 * results, so the tables hold the same rows with the same rowids as one INSERT a row would
 * give. Internal to sim/store/ (store_finish_run). Prefix store_rows_. */
#ifndef SIM_STORE_ROWS_H
#define SIM_STORE_ROWS_H

#include <sqlite3.h>
#include <stdint.h>

#include "results.h"

enum { STORE_ROWS_BATCH = 64 };   /* rows a statement: 64 x 9 columns < SQLite's 999 */

/* Rows rows[0..n) of res into metric_rows (with_step: run_id, step, metric, grp, value) or
 * summary_rows (run_id, metric, grp, value); a NaN value is stored as NULL. 1 on success,
 * 0 on a database error (sqlite3_errmsg(db) says which), rows written so far left to the
 * caller's transaction. */
int store_rows_insert(sqlite3 *db, int64_t run_id, const res_t *res, const res_row *rows,
                      uint64_t n, int with_step);

/* res's listing events into events, as store_rows_insert. */
int store_rows_events(sqlite3 *db, int64_t run_id, const res_t *res);

#endif
