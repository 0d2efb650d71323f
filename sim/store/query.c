/* sim/store/query.c - reading a results database. */
#include "query.h"

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "schema.h"
#include "version.h"

struct query {
    sqlite3 *db;
    int version;   /* schema version: 2 or SCSIM_SCHEMA_VERSION */
    char path[512];
};

static sim_status db_fail(query_t *q, sim_err *err, const char *what) {
    return err_set(err, SIM_EDB, "database %s: %s: %s", q->path, what, sqlite3_errmsg(q->db));
}

/* Versions 2 to 4 are read as they are: all have metrics and summary (tables in 2, views
 * from 3) with the same columns. */
static sim_status check_schema(query_t *q, sim_err *err) {
    sim_status st = schema_version(q->db, "main", q->path, &q->version, err);
    if (st == SIM_OK && q->version == 0)
        st = err_set(err, SIM_EDB, "%s has no schema version: not an scsim results database",
                     q->path);
    else if (st == SIM_OK && (q->version < SCHEMA_OLD || q->version > SCSIM_SCHEMA_VERSION))
        st = err_set(err, SIM_EDB, "%s has results schema version %d; this scsim reads "
                     "versions %d to %d", q->path, q->version, SCHEMA_OLD,
                     SCSIM_SCHEMA_VERSION);
    return st;
}

sim_status query_open(query_t **out, const char *path, sim_err *err) {
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return err_set(err, SIM_EIO, "cannot open results database %s: %s", path,
                       strerror(errno));
    query_t *q = calloc(1, sizeof *q);
    if (!q) return err_set(err, SIM_ENOMEM, "out of memory");
    snprintf(q->path, sizeof q->path, "%s", path);
    sim_status st = SIM_OK;
    if (sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        st = db_fail(q, err, "cannot open");
    else
        st = check_schema(q, err);
    if (st != SIM_OK) {
        query_close(q);
        return st;
    }
    sqlite3_busy_timeout(q->db, 60000);
    *out = q;
    return SIM_OK;
}

void query_close(query_t *q) {
    if (!q) return;
    sqlite3_close(q->db);
    free(q);
}

static void copy_text(char *dst, size_t n, const unsigned char *src) {
    snprintf(dst, n, "%s", src ? (const char *)src : "");
}

static sim_status fetch_run(query_t *q, sqlite3_stmt *s, query_run *r, int *found,
                            sim_err *err) {
    int rc = sqlite3_step(s);
    *found = rc == SQLITE_ROW;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(q, err, "reading runs");
    if (!*found) return SIM_OK;
    r->run_id = sqlite3_column_int64(s, 0);
    copy_text(r->scenario, sizeof r->scenario, sqlite3_column_text(s, 1));
    copy_text(r->status, sizeof r->status, sqlite3_column_text(s, 2));
    copy_text(r->overrides, sizeof r->overrides, sqlite3_column_text(s, 3));
    for (char *c = r->overrides; *c; c++)
        if (*c == '\n') *c = ' ';
    r->seed = sqlite3_column_int64(s, 4);
    r->wall_seconds = sqlite3_column_type(s, 5) == SQLITE_NULL ? NAN
                                                               : sqlite3_column_double(s, 5);
    return SIM_OK;
}

sim_status query_runs(query_t *q, const int64_t *ids, int nids, query_run *runs, int cap,
                      int *n, sim_err *err) {
    static const char all[] = "SELECT * FROM (SELECT run_id, scenario_name, status, "
                              "overrides, seed, wall_seconds FROM runs ORDER BY run_id DESC "
                              "LIMIT ?) ORDER BY run_id";
    static const char one[] = "SELECT run_id, scenario_name, status, overrides, seed, "
                              "wall_seconds FROM runs WHERE run_id = ?";
    sqlite3_stmt *s = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(q->db, ids ? one : all, -1, &s, NULL) != SQLITE_OK)
        return db_fail(q, err, "reading runs");
    if (!ids) sqlite3_bind_int(s, 1, cap);
    sim_status st = SIM_OK;
    for (int k = 0; st == SIM_OK && *n < cap && (ids ? k < nids : 1); k++) {
        int found = 0;
        if (ids) {
            sqlite3_reset(s);
            sqlite3_bind_int64(s, 1, ids[k]);
        }
        st = fetch_run(q, s, &runs[*n], &found, err);
        if (st == SIM_OK && !found && ids)
            st = err_set(err, SIM_EDB, "database %s has no run %lld (see scsim summary %s)",
                         q->path, (long long)ids[k], q->path);
        if (st != SIM_OK || !found) break;
        (*n)++;
    }
    sqlite3_finalize(s);
    return st;
}

double query_summary(query_t *q, int64_t run_id, const char *name, const char *grp) {
    sqlite3_stmt *s = NULL;
    double v = NAN;
    if (sqlite3_prepare_v2(q->db, "SELECT value FROM summary WHERE run_id=? AND name=? AND "
                           "grp=?", -1, &s, NULL) != SQLITE_OK)
        return NAN;
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, grp, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);   /* an error, like no row, leaves NaN (see query.h) */
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        v = sqlite3_column_double(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* One CSV field: bare when it needs no quoting, else quoted with "" for ". */
static int put_field(FILE *f, sqlite3_stmt *s, int c) {
    int type = sqlite3_column_type(s, c);
    if (type == SQLITE_NULL) return 0;
    if (type == SQLITE_INTEGER) return fprintf(f, "%lld", sqlite3_column_int64(s, c)) < 0;
    if (type == SQLITE_FLOAT) return fprintf(f, "%.17g", sqlite3_column_double(s, c)) < 0;
    const char *v = (const char *)sqlite3_column_text(s, c);
    if (!v) return 0;
    if (!strpbrk(v, ",\"\r\n")) return fputs(v, f) == EOF;
    int bad = fputc('"', f) == EOF;
    for (const char *p = v; *p && !bad; p++)
        bad = (*p == '"' && fputc('"', f) == EOF) || fputc(*p, f) == EOF;
    return bad || fputc('"', f) == EOF;
}

/* The rows of table in the order written: rowid order; for the views of version 3, that of
 * the rows beneath, with the columns of version 2's tables. */
static void export_sql(const query_t *q, const char *table, char *sql, size_t n) {
    if (q->version >= 3 && strcmp(table, "metrics") == 0)
        snprintf(sql, n, "SELECT r.run_id AS run_id, r.step AS step, m.name AS name, r.grp AS "
                 "grp, r.value AS value FROM metric_rows r JOIN metric_names m ON m.id = "
                 "r.metric ORDER BY r.rowid");
    else if (q->version >= 3 && strcmp(table, "summary") == 0)
        snprintf(sql, n, "SELECT r.run_id AS run_id, m.name AS name, r.grp AS grp, r.value AS "
                 "value FROM summary_rows r JOIN metric_names m ON m.id = r.metric ORDER BY "
                 "r.rowid");
    else
        snprintf(sql, n, "SELECT * FROM %s ORDER BY rowid", table);
}

/* Writes every row of table (in the order written) to dir/table.csv. */
static sim_status export_table(query_t *q, const char *dir, const char *table, uint64_t *rows,
                               sim_err *err) {
    char path[1024], sql[320];
    snprintf(path, sizeof path, "%s/%s.csv", dir, table);
    export_sql(q, table, sql, sizeof sql);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(q->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_fail(q, err, table);
    FILE *f = fopen(path, "w");
    if (!f) {
        sqlite3_finalize(s);
        return err_set(err, SIM_EIO, "cannot write %s: %s", path, strerror(errno));
    }
    int ncol = sqlite3_column_count(s), bad = 0, rc = SQLITE_DONE;
    for (int c = 0; c < ncol && !bad; c++)
        bad = fprintf(f, "%s%s", c ? "," : "", sqlite3_column_name(s, c)) < 0;
    bad |= fputc('\n', f) == EOF;
    while (!bad && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        for (int c = 0; c < ncol && !bad; c++)
            bad = (c && fputc(',', f) == EOF) || put_field(f, s, c);
        bad |= fputc('\n', f) == EOF;
        (*rows)++;
    }
    sim_status st = bad || rc == SQLITE_DONE ? SIM_OK : db_fail(q, err, table);
    sqlite3_finalize(s);
    bad |= fclose(f) != 0;
    if (st != SIM_OK) return st;
    return bad ? err_set(err, SIM_EIO, "cannot write %s: %s", path, strerror(errno)) : SIM_OK;
}

sim_status query_export_csv(query_t *q, const char *dir, uint64_t *rows, sim_err *err) {
    static const char *const tables[] = {"runs", "metrics", "summary", "events", "sweeps"};
    struct stat sb;
    *rows = 0;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return err_set(err, SIM_EIO, "export directory %s does not exist", dir);
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++) {
        sim_status st = export_table(q, dir, tables[t], rows, err);
        if (st != SIM_OK) return st;
    }
    return SIM_OK;
}

sim_status query_sweep_outputs(query_t *q, const char *sweep, const char *name,
                               const char *grp, int step, int replicates, double *y,
                               uint64_t n, int64_t *sweep_id, sim_err *err) {
    sqlite3_stmt *s = NULL;
    for (uint64_t k = 0; k < n; k++) y[k] = NAN;
    if (sqlite3_prepare_v2(q->db, "SELECT sweep_id FROM sweeps WHERE name=?", -1, &s, NULL) !=
        SQLITE_OK)
        return db_fail(q, err, "reading sweeps");
    sqlite3_bind_text(s, 1, sweep, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s), found = rc == SQLITE_ROW;
    if (found) *sweep_id = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(q, err, "reading sweeps");
    if (!found)
        return err_set(err, SIM_EDB, "database %s has no sweep named \"%s\" (run scsim sweep "
                       "first)", q->path, sweep);
    const char *sql = step < 0
        ? "SELECT r.point, r.replicate, s.value FROM runs r JOIN summary s USING(run_id) "
          "WHERE r.sweep_id=?1 AND r.status='done' AND s.name=?2 AND s.grp=?3"
        : "SELECT r.point, r.replicate, m.value FROM runs r JOIN metrics m USING(run_id) "
          "WHERE r.sweep_id=?1 AND r.status='done' AND m.name=?2 AND m.grp=?3 AND m.step=?4";
    if (sqlite3_prepare_v2(q->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_fail(q, err, "reading the sweep's outputs");
    sqlite3_bind_int64(s, 1, *sweep_id);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, grp, -1, SQLITE_STATIC);
    if (step >= 0) sqlite3_bind_int(s, 4, step);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t p = sqlite3_column_int64(s, 0), r = sqlite3_column_int64(s, 1);
        uint64_t k = (uint64_t)p * (uint64_t)replicates + (uint64_t)r;
        if (p >= 0 && r >= 0 && r < replicates && k < n && sqlite3_column_type(s, 2) != SQLITE_NULL)
            y[k] = sqlite3_column_double(s, 2);
    }
    sim_status st = rc == SQLITE_DONE ? SIM_OK : db_fail(q, err, "reading the sweep's outputs");
    sqlite3_finalize(s);
    return st;
}

sim_status query_sweep_shape(query_t *q, const char *sweep, int64_t *points, int *replicates,
                             int64_t *sweep_id, sim_err *err) {
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(q->db, "SELECT w.sweep_id, max(r.point), max(r.replicate) FROM "
                           "sweeps w LEFT JOIN runs r USING(sweep_id) WHERE w.name = ? GROUP BY "
                           "w.sweep_id", -1, &s, NULL) != SQLITE_OK)
        return db_fail(q, err, "reading sweeps");
    sqlite3_bind_text(s, 1, sweep, -1, SQLITE_STATIC);
    sim_status st = SIM_OK;
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = db_fail(q, err, "reading sweeps");
    else if (rc != SQLITE_ROW)
        st = err_set(err, SIM_EDB, "database %s has no sweep named \"%s\"", q->path, sweep);
    else if (sqlite3_column_type(s, 1) == SQLITE_NULL)
        st = err_set(err, SIM_EDB, "sweep \"%s\" in %s has no runs yet", sweep, q->path);
    else {
        *sweep_id = sqlite3_column_int64(s, 0);
        *points = sqlite3_column_int64(s, 1) + 1;
        *replicates = sqlite3_column_int(s, 2) + 1;
    }
    sqlite3_finalize(s);
    return st;
}

void query_point_overrides(query_t *q, int64_t sweep_id, int64_t point, char *buf, size_t n) {
    sqlite3_stmt *s = NULL;
    buf[0] = 0;
    if (sqlite3_prepare_v2(q->db, "SELECT overrides FROM runs WHERE sweep_id = ? AND point = ? "
                           "LIMIT 1", -1, &s, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int64(s, 1, sweep_id);
    sqlite3_bind_int64(s, 2, point);
    int rc = sqlite3_step(s);   /* an error, like no row, leaves "" (see query.h) */
    if (rc == SQLITE_ROW) copy_text(buf, n, sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
}

int query_point_varied(query_t *q, int64_t sweep_id, int64_t point, char *buf, size_t n) {
    sqlite3_stmt *s = NULL;
    int k = 0;
    size_t len = 0;
    buf[0] = 0;
    if (sqlite3_prepare_v2(q->db, "SELECT key, value FROM sweep_params WHERE sweep_id = ? AND "
                           "point = ? ORDER BY rowid", -1, &s, NULL) != SQLITE_OK)
        return 0;   /* a database written before sweep_params */
    sqlite3_bind_int64(s, 1, sweep_id);
    sqlite3_bind_int64(s, 2, point);
    while (sqlite3_step(s) == SQLITE_ROW && len < n) {
        len += (size_t)snprintf(buf + len, n - len, "%s%s=%.17g", k++ ? " " : "",
                                (const char *)sqlite3_column_text(s, 0),
                                sqlite3_column_double(s, 1));
    }
    sqlite3_finalize(s);
    return k;
}
