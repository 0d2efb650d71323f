/* sim/store/store_rows.c - a run's rows, many to a statement (store_rows.h). */
#include "store_rows.h"

#include <stdlib.h>
#include <string.h>

#include "scenario.h"

/* One row's values: binds columns c, c+1, ... of q for row k. */
typedef void bind_row(sqlite3_stmt *q, int c, const void *ctx, uint64_t k);

typedef struct rows_ctx {
    int64_t run_id;
    const res_t *res;
    const res_row *rows;
    int with_step;
} rows_ctx;

/* "INSERT OR FAIL INTO table VALUES(?,..),..": rows rows of cols placeholders; NULL when
 * out of memory or on a database error. OR FAIL: a failing row stops the statement without
 * undoing the rows before it, so SQLite keeps no statement journal (a many-row INSERT
 * otherwise copies every page it changes, spilling to a temporary file); the caller's
 * transaction is rolled back whole on any failure. */
static sqlite3_stmt *prepare(sqlite3 *db, const char *table, int cols, int rows) {
    static const char head[] = "INSERT OR FAIL INTO ", values[] = " VALUES";
    size_t len = sizeof head + strlen(table) + sizeof values +
                 (size_t)rows * (2 * (size_t)cols + 2);   /* "(?,?),": 2 cols + 2 a row */
    char *sql = malloc(len), *p = sql;
    if (!sql) return NULL;
    p += strlen(strcpy(p, head)), p += strlen(strcpy(p, table)), p += strlen(strcpy(p, values));
    for (int r = 0; r < rows; r++) {
        *p++ = r ? ',' : ' ', *p++ = '(';
        for (int c = 0; c < cols; c++) {
            if (c) *p++ = ',';
            *p++ = '?';
        }
        *p++ = ')';
    }
    *p = '\0';
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) q = NULL;
    free(sql);
    return q;
}

/* Rows 0..n, STORE_ROWS_BATCH to a statement, the rest in one shorter statement. */
static int insert_batched(sqlite3 *db, const char *table, int cols, uint64_t n,
                          bind_row *bind, const void *ctx) {
    uint64_t k = 0;
    int ok = 1;
    while (ok && k < n) {
        int rows = n - k >= STORE_ROWS_BATCH ? STORE_ROWS_BATCH : (int)(n - k);
        sqlite3_stmt *q = prepare(db, table, cols, rows);
        if (!q) return 0;
        do {
            for (int r = 0; r < rows; r++) bind(q, 1 + r * cols, ctx, k + (uint64_t)r);
            ok = sqlite3_step(q) == SQLITE_DONE && sqlite3_reset(q) == SQLITE_OK;
            k += (uint64_t)rows;
        } while (ok && n - k >= (uint64_t)rows && rows == STORE_ROWS_BATCH);
        sqlite3_finalize(q);
    }
    return ok;
}

static void bind_metric(sqlite3_stmt *q, int c, const void *ctx, uint64_t k) {
    const rows_ctx *x = ctx;
    const res_row *row = &x->rows[k];
    sqlite3_bind_int64(q, c++, x->run_id);
    if (x->with_step) sqlite3_bind_int(q, c++, row->step);
    sqlite3_bind_int(q, c++, row->metric);
    sqlite3_bind_text(q, c++, x->res->grps[row->grp], -1, SQLITE_STATIC);
    if (row->value == row->value) sqlite3_bind_double(q, c, row->value);
    else sqlite3_bind_null(q, c);
}

int store_rows_insert(sqlite3 *db, int64_t run_id, const res_t *res, const res_row *rows,
                      uint64_t n, int with_step) {
    rows_ctx x = {run_id, res, rows, with_step};
    return insert_batched(db, with_step ? "metric_rows" : "summary_rows", with_step ? 5 : 4, n,
                          bind_metric, &x);
}

static void bind_text_or_null(sqlite3_stmt *q, int c, const char *text) {
    if (text) sqlite3_bind_text(q, c, text, -1, SQLITE_STATIC);
    else sqlite3_bind_null(q, c);
}

static void bind_event(sqlite3_stmt *q, int c, const void *ctx, uint64_t k) {
    const rows_ctx *x = ctx;
    const res_event *e = &x->res->events[k];
    sqlite3_bind_int64(q, c, x->run_id);
    sqlite3_bind_int(q, c + 1, e->step);
    bind_text_or_null(q, c + 2, e->kind == EV_LISTED ? "listed" : "delisted");
    bind_text_or_null(q, c + 3, scn_list_name((scn_list)e->list));
    sqlite3_bind_int64(q, c + 4, e->agent);
    bind_text_or_null(q, c + 5, e->kind == EV_LISTED    ? res_cause_name(e->cause)
                                : e->list == LIST_BLACK ? res_exit_name(e->cause)
                                                        : NULL);
    if (e->source != UINT32_MAX) sqlite3_bind_int64(q, c + 6, e->source);
    else sqlite3_bind_null(q, c + 6);
    bind_text_or_null(q, c + 7, e->layer >= 0 ? scn_layer_name((scn_layer_id)e->layer) : NULL);
    bind_text_or_null(q, c + 8, e->agency >= 0 && e->agency < x->res->nagencies
                                    ? x->res->agency_names[e->agency] : NULL);
}

int store_rows_events(sqlite3 *db, int64_t run_id, const res_t *res) {
    rows_ctx x = {run_id, res, NULL, 0};
    return insert_batched(db, "events", 9, res->nevents, bind_event, &x);
}
