/* sim/store/store_meta.c - structured sweep metadata: sweep_params, runs.varied_json,
 * sweeps.spec_hash (store_meta.h). */
#include "store_meta.h"

#include <stdio.h>
#include <string.h>

#include "schema.h"
#include "store.h"

void store_meta_hash(const char *text, char out[STORE_META_HASH_LEN]) {
    uint64_t h = 14695981039346656037ull;   /* FNV-1a, 64 bits */
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    snprintf(out, STORE_META_HASH_LEN, "%016llx", (unsigned long long)h);
}

void store_meta_sql_hash(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    (void)argc;
    const unsigned char *t = sqlite3_value_text(argv[0]);
    if (!t) { sqlite3_result_null(ctx); return; }
    char h[STORE_META_HASH_LEN];
    store_meta_hash((const char *)t, h);
    sqlite3_result_text(ctx, h, -1, SQLITE_TRANSIENT);
}

int store_meta_has(sqlite3 *db, const char *schema, const char *table, const char *column) {
    char *sql = sqlite3_mprintf("SELECT count(*) FROM pragma_table_info(%Q, %Q)%s%Q", table,
                                schema, column ? " WHERE name = " : "", column ? column : "");
    sqlite3_stmt *q = NULL;
    int has = 0;
    if (sql && sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        has = sqlite3_column_int(q, 0) > 0;
    sqlite3_finalize(q);
    sqlite3_free(sql);
    return has;
}

static sim_status exec(sqlite3 *db, const char *path, const char *sql, const char *what,
                       sim_err *err) {
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK) return SIM_OK;
    return err_set(err, SIM_EDB, "database %s: %s: %s", path, what, sqlite3_errmsg(db));
}

/* 1 when a sweeps row lacks its spec_hash (so that opening writes only when needed). */
static int unhashed(sqlite3 *db) {
    sqlite3_stmt *q = NULL;
    int any = 0;
    if (sqlite3_prepare_v2(db, "SELECT EXISTS(SELECT 1 FROM sweeps WHERE spec_hash IS NULL)",
                           -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        any = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return any;
}

sim_status store_meta_schema(sqlite3 *db, const char *path, sim_err *err) {
    static const char params[] =
        "CREATE TABLE IF NOT EXISTS sweep_params(sweep_id INTEGER NOT NULL REFERENCES"
        " sweeps(sweep_id), point INTEGER NOT NULL, key TEXT NOT NULL, value REAL,"
        " PRIMARY KEY(sweep_id, point, key))";
    if (sqlite3_create_function(db, "scsim_spec_hash", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                NULL, store_meta_sql_hash, NULL, NULL) != SQLITE_OK)
        return err_set(err, SIM_EDB, "database %s: cannot register scsim_spec_hash: %s", path,
                       sqlite3_errmsg(db));
    sim_status st = exec(db, path, params, "creating sweep_params", err);
    if (st == SIM_OK && !store_meta_has(db, "main", "runs", "varied_json"))
        st = exec(db, path, "ALTER TABLE runs ADD COLUMN varied_json TEXT",
                  "adding runs.varied_json", err);
    if (st == SIM_OK && !store_meta_has(db, "main", "sweeps", "spec_hash"))
        st = exec(db, path, "ALTER TABLE sweeps ADD COLUMN spec_hash TEXT",
                  "adding sweeps.spec_hash", err);
    if (st == SIM_OK && unhashed(db))
        st = exec(db, path, "UPDATE sweeps SET spec_hash = scsim_spec_hash(spec) WHERE "
                  "spec_hash IS NULL", "hashing the sweeps' specs", err);
    return st;
}

sim_status store_meta_params(sqlite3 *db, const char *path, int64_t sweep_id, size_t npoints,
                             size_t nkeys, const char *const *keys, const double *x,
                             sim_err *err) {
    sqlite3_stmt *q = NULL;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return err_set(err, SIM_EDB, "database %s: starting the sweep_params transaction: %s",
                       path, sqlite3_errmsg(db));
    int ok = sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO sweep_params VALUES(?,?,?,?)", -1,
                                &q, NULL) == SQLITE_OK;
    for (size_t p = 0; ok && p < npoints; p++)
        for (size_t k = 0; ok && k < nkeys; k++) {
            sqlite3_bind_int64(q, 1, sweep_id);
            sqlite3_bind_int64(q, 2, (sqlite3_int64)p);
            sqlite3_bind_text(q, 3, keys[k], -1, SQLITE_STATIC);
            sqlite3_bind_double(q, 4, x[p * nkeys + k]);
            ok = sqlite3_step(q) == SQLITE_DONE && sqlite3_reset(q) == SQLITE_OK;
        }
    sqlite3_finalize(q);
    sim_err view_err;   /* new keys: new run_table columns, in the same transaction */
    ok = ok && schema_run_table(db, path, &view_err) == SIM_OK;
    if (ok && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK) return SIM_OK;
    sim_status st = err_set(err, SIM_EDB, "database %s: writing sweep_params: %s", path,
                            sqlite3_errmsg(db));
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}
