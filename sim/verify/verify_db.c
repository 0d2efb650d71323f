/* sim/verify/verify_db.c - a verification run as an SQLite database (verify.db; schema in
 * docs/validation.md): the table's rows, the figures' data and the provenance. */
#include "verify.h"

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "version.h"

static const char SCHEMA[] =
    "CREATE TABLE verify_info(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE verify(row INTEGER PRIMARY KEY, check_name TEXT NOT NULL,"
    " setting TEXT NOT NULL, theory REAL, simulated REAL, lo REAL, hi REAL,"
    " tolerance REAL, verdict TEXT NOT NULL CHECK(verdict IN ('ok','FAILED')));"
    "CREATE TABLE verify_series(check_name TEXT NOT NULL, panel INTEGER NOT NULL,"
    " series INTEGER NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL, i INTEGER NOT NULL,"
    " x REAL, y REAL, lo REAL, hi REAL);";

typedef struct db { sqlite3 *h; const char *path; sim_err *err; } db;

static sim_status fail(const db *d, const char *what) {
    return err_set(d->err, SIM_EDB, "verification database %s: %s: %s", d->path, what,
                   d->h ? sqlite3_errmsg(d->h) : "cannot open");
}

/* Binds v as a REAL, or NULL when it is not finite. */
static void bind_real(sqlite3_stmt *q, int k, double v) {
    if (isfinite(v)) sqlite3_bind_double(q, k, v);
    else sqlite3_bind_null(q, k);
}

static sim_status put_info(const db *d, const verify_opts *o) {
    char sets[4096] = "", mode[8];
    size_t at = 0;
    for (int k = 0; k < o->nsets && at < sizeof sets; k++)
        at += (size_t)snprintf(sets + at, sizeof sets - at, "%s%s", k ? "\n" : "", o->sets[k]);
    snprintf(mode, sizeof mode, "%s", o->quick ? "quick" : "full");
    const char *kv[][2] = {{"scsim_version", SCSIM_VERSION}, {"mode", mode},
                           {"dir", o->dir}, {"only", o->only ? o->only : ""},
                           {"overrides", sets}};
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(d->h, "INSERT INTO verify_info VALUES(?,?)", -1, &q, NULL) != SQLITE_OK)
        return fail(d, "preparing verify_info");
    int ok = 1;
    for (size_t k = 0; ok && k < sizeof kv / sizeof *kv; k++) {
        sqlite3_bind_text(q, 1, kv[k][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, kv[k][1], -1, SQLITE_STATIC);
        ok = sqlite3_step(q) == SQLITE_DONE;
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    return ok ? SIM_OK : fail(d, "writing verify_info");
}

static sim_status put_rows(const db *d, const verify_result *r) {
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(d->h, "INSERT INTO verify VALUES(?,?,?,?,?,?,?,?,?)", -1, &q,
                           NULL) != SQLITE_OK)
        return fail(d, "preparing verify");
    int ok = 1;
    for (int k = 0; ok && k < r->nrows; k++) {
        const verify_row *w = &r->rows[k];
        sqlite3_bind_int(q, 1, k + 1);
        sqlite3_bind_text(q, 2, w->check, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, w->setting, -1, SQLITE_STATIC);
        bind_real(q, 4, w->theory);
        bind_real(q, 5, w->sim);
        bind_real(q, 6, w->lo);
        bind_real(q, 7, w->hi);
        bind_real(q, 8, w->tolerance);
        sqlite3_bind_text(q, 9, w->pass ? "ok" : "FAILED", -1, SQLITE_STATIC);
        ok = sqlite3_step(q) == SQLITE_DONE;
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    return ok ? SIM_OK : fail(d, "writing verify");
}

static const char *kind_name(verify_kind k) {
    static const char *const names[] = {"line", "band", "points", "bars"};
    return k <= VERIFY_BARS ? names[k] : "?";
}

static int put_series(sqlite3_stmt *q, const char *check, int panel, int series,
                      const verify_series *s) {
    for (size_t i = 0; i < s->n; i++) {
        sqlite3_bind_text(q, 1, check, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 2, panel);
        sqlite3_bind_int(q, 3, series);
        sqlite3_bind_text(q, 4, kind_name(s->kind), -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 5, s->label, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 6, (sqlite3_int64)i);
        bind_real(q, 7, s->x ? s->x[i] : NAN);
        bind_real(q, 8, s->y ? s->y[i] : NAN);
        bind_real(q, 9, s->lo ? s->lo[i] : NAN);
        bind_real(q, 10, s->hi ? s->hi[i] : NAN);
        int ok = sqlite3_step(q) == SQLITE_DONE;
        sqlite3_reset(q);
        if (!ok) return 0;
    }
    return 1;
}

static sim_status put_figures(const db *d, const verify_result *r) {
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(d->h, "INSERT INTO verify_series VALUES(?,?,?,?,?,?,?,?,?,?)", -1,
                           &q, NULL) != SQLITE_OK)
        return fail(d, "preparing verify_series");
    int ok = 1;
    for (int f = 0; ok && f < r->nfigs; f++)
        for (int p = 0; ok && p < r->figs[f].npanels; p++)
            for (size_t s = 0; ok && s < r->figs[f].panel[p].nseries; s++)
                ok = put_series(q, r->figs[f].check, p, (int)s, &r->figs[f].panel[p].series[s]);
    sqlite3_finalize(q);
    return ok ? SIM_OK : fail(d, "writing verify_series");
}

sim_status verify_db_write(const verify_result *r, const verify_opts *o, const char *path,
                           sim_err *err) {
    if (unlink(path) != 0 && errno != ENOENT)
        return err_set(err, SIM_EIO, "cannot replace %s: %s", path, strerror(errno));
    db d = {NULL, path, err};
    sim_status st = SIM_OK;
    if (sqlite3_open_v2(path, &d.h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK)
        st = fail(&d, "opening");
    else if (sqlite3_exec(d.h, "BEGIN;", NULL, NULL, NULL) != SQLITE_OK ||
             sqlite3_exec(d.h, SCHEMA, NULL, NULL, NULL) != SQLITE_OK)
        st = fail(&d, "creating the tables");
    if (st == SIM_OK) st = put_info(&d, o);
    if (st == SIM_OK) st = put_rows(&d, r);
    if (st == SIM_OK) st = put_figures(&d, r);
    if (st == SIM_OK && sqlite3_exec(d.h, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
        st = fail(&d, "committing");
    sqlite3_close(d.h);
    if (st != SIM_OK) unlink(path);
    return st;
}
