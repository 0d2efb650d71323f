/* sim/store/query.c - reading a results database. */
#include "query.h"

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schema.h"
#include "version.h"

struct query {
    sqlite3 *db;
    int version;   /* schema version: 2 or SCSIM_SCHEMA_VERSION */
    char path[512];
    sim_err failed;   /* the first read that failed in a call without a status */
    int nfailed;      /* how many did */
};

/* A read without a status of its own failed (query_summary, query_point_*): kept for
 * query_status. */
static void note_fail(query_t *q, const char *what) {
    if (q->nfailed++ == 0)
        err_set(&q->failed, SIM_EDB, "database %s: %s: %s", q->path, what,
                sqlite3_errmsg(q->db));
}

sim_status query_status(const query_t *q, sim_err *err) {
    if (!q->nfailed) return SIM_OK;
    if (err) *err = q->failed;
    if (q->nfailed > 1) err_prefix(err, "%d reads failed, the first: ", q->nfailed);
    return SIM_EDB;
}

static sim_status db_fail(query_t *q, sim_err *err, const char *what) {
    return err_set(err, SIM_EDB, "database %s: %s: %s", q->path, what, sqlite3_errmsg(q->db));
}

/* Versions 2 to 4 are read as they are: all have metrics and summary (tables in 2, views
 * from 3) with the same columns. */
static sim_status check_schema(query_t *q, sim_err *err) {
    sim_status st = schema_version(q->db, "main", q->path, &q->version, err);
    if (st == SIM_OK && q->version == 0)
        st = err_set(err, SIM_EDB, "%s is another program's SQLite database (no scsim schema "
                     "version): not an scsim results database", q->path);
    else if (st == SIM_OK && (q->version < SCHEMA_OLD || q->version > SCSIM_SCHEMA_VERSION))
        st = err_set(err, SIM_EDB, "%s has results schema version %d; this scsim reads "
                     "versions %d to %d", q->path, q->version, SCHEMA_OLD,
                     SCSIM_SCHEMA_VERSION);
    return st;
}

/* The first read: the number of schema objects (0 for an empty file), or -1 with *code and
 * msg (n bytes) set to SQLite's error. */
static int first_read(query_t *q, int *code, char *msg, size_t n) {
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(q->db, "SELECT count(*) FROM sqlite_master", -1, &s, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(s);
    int objects = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
    *code = rc == SQLITE_ROW ? SQLITE_OK : sqlite3_errcode(q->db);
    snprintf(msg, n, "%s", sqlite3_errmsg(q->db));
    errno = sqlite3_system_errno(q->db);
    sqlite3_finalize(s);
    return objects;
}

/* Why the first read failed, as a sentence: not SQLite, damaged, or not readable. */
static sim_status first_read_error(const query_t *q, int code, const char *msg, int e,
                                   sim_err *err) {
    if (code == SQLITE_NOTADB)
        return err_set(err, SIM_EDB, "%s is not an SQLite database (%s)", q->path, msg);
    if (code == SQLITE_CORRUPT)
        return err_set(err, SIM_EDB, "%s is damaged (%s; `sqlite3 %s \"PRAGMA "
                       "integrity_check\"` shows where)", q->path, msg, q->path);
    return err_set(err, code == SQLITE_CANTOPEN || code == SQLITE_IOERR ? SIM_EIO : SIM_EDB,
                   "cannot read results database %s: %s%s%s", q->path, msg, e ? ": " : "",
                   e ? strerror(e) : "");
}

/* The folder of path, into dir. */
static void folder_of(const char *path, char *dir, size_t n) {
    snprintf(dir, n, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash) snprintf(dir, n, ".");
    else *(slash == dir ? slash + 1 : slash) = '\0';
}

/* A WAL database on read-only media: SQLite cannot create its -shm file. When no -wal file
 * holds changes, nothing else can write there either, so it is read as immutable; else
 * SIM_EIO saying why. *retry: open again as immutable. */
static sim_status read_only_media(const query_t *q, int *retry, sim_err *err) {
    char dir[512], wal[600];
    struct stat sb;
    *retry = 0;
    folder_of(q->path, dir, sizeof dir);
    if (access(dir, W_OK) == 0) return SIM_OK;   /* not the folder: the first message stands */
    int e = errno;
    snprintf(wal, sizeof wal, "%s-wal", q->path);
    if (stat(wal, &sb) == 0 && sb.st_size > 0)
        return err_set(err, SIM_EIO, "cannot read results database %s: its %s holds changes "
                       "not yet in the database and folder %s is not writable (%s), so SQLite "
                       "cannot open them; copy both files to a writable folder", q->path, wal,
                       dir, strerror(e));
    *retry = 1;
    return SIM_OK;
}

/* Opens q->path read-only, as an immutable file when asked (URI: '%', '?', '#' escaped). */
static int open_ro(query_t *q, int immutable) {
    char uri[1600] = "file:";
    size_t n = strlen(uri);
    for (const char *p = q->path; *p && n + 4 < sizeof uri - 16; p++)
        n += strchr("%?#", *p) ? (size_t)snprintf(uri + n, sizeof uri - n, "%%%02X",
                                                 (unsigned char)*p)
                               : (uri[n] = *p, uri[n + 1] = '\0', 1);
    snprintf(uri + n, sizeof uri - n, "?immutable=1");
    sqlite3_close(q->db);
    q->db = NULL;
    return sqlite3_open_v2(immutable ? uri : q->path, &q->db,
                           SQLITE_OPEN_READONLY | (immutable ? SQLITE_OPEN_URI : 0), NULL);
}

/* Opens q->path and reads it once; on read-only media as an immutable file (see
 * read_only_media). Then the schema: empty, another program's, or a version not read. */
static sim_status open_checked(query_t *q, sim_err *err) {
    char msg[256] = "";
    int code = SQLITE_OK, retry = 0, e = 0;
    int objects = open_ro(q, 0) == SQLITE_OK ? first_read(q, &code, msg, sizeof msg) : -1;
    if (objects < 0 && code == SQLITE_CANTOPEN) {
        e = errno;
        sim_status st = read_only_media(q, &retry, err);
        if (st != SIM_OK) return st;
        if (retry)
            objects = open_ro(q, 1) == SQLITE_OK ? first_read(q, &code, msg, sizeof msg) : -1;
    }
    if (objects < 0 && code == SQLITE_OK) code = sqlite3_errcode(q->db), e = 0;
    if (objects < 0)
        return first_read_error(q, code, msg[0] ? msg : sqlite3_errmsg(q->db), e, err);
    if (objects == 0)
        return err_set(err, SIM_EDB, "%s is empty: not an scsim results database", q->path);
    return check_schema(q, err);
}

sim_status query_open(query_t **out, const char *path, sim_err *err) {
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return err_set(err, SIM_EIO, "cannot open results database %s: %s", path,
                       strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return err_set(err, SIM_EIO, "%s is not a file: not a results database", path);
    query_t *q = calloc(1, sizeof *q);
    if (!q) return err_set(err, SIM_ENOMEM, "out of memory");
    snprintf(q->path, sizeof q->path, "%s", path);
    sim_status st = open_checked(q, err);
    if (st != SIM_OK) {
        query_close(q);
        return st;
    }
    sqlite3_busy_timeout(q->db, 60000);
    *out = q;
    return SIM_OK;
}

sqlite3 *query_db(query_t *q) { return q->db; }

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
    r->duplicate = sqlite3_column_int(s, 6);
    copy_text(r->label, sizeof r->label, sqlite3_column_text(s, 7));
    return SIM_OK;
}

sim_status query_runs(query_t *q, const int64_t *ids, int nids, query_run *runs, int cap,
                      int *n, sim_err *err) {
    static const char all[] = "SELECT * FROM (SELECT run_id, scenario_name, status, "
                              "overrides, seed, wall_seconds, %s FROM runs ORDER BY run_id "
                              "DESC LIMIT ?) ORDER BY run_id";
    static const char one[] = "SELECT run_id, scenario_name, status, overrides, seed, "
                              "wall_seconds, %s FROM runs WHERE run_id = ?";
    char sql[sizeof all + 32];   /* runs.duplicate and label from schema version 5 */
    snprintf(sql, sizeof sql, ids ? one : all,
             q->version >= 5 ? "duplicate, label" : "0, NULL");
    sqlite3_stmt *s = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(q->db, sql, -1, &s, NULL) != SQLITE_OK)
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
        return note_fail(q, "reading summary"), NAN;
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, grp, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);   /* an error, like no row, leaves NaN (see query.h) */
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        v = sqlite3_column_double(s, 0);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) note_fail(q, "reading summary");
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
    else if (strcmp(table, "run_table") == 0)   /* a view: no rowid */
        snprintf(sql, n, "SELECT * FROM run_table ORDER BY run_id");
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

/* Every table, in this order; from EXPORT_OPTIONAL on only when the database has it (an
 * older schema, or no sweep / analysis / comparison yet). */
static const char *const EXPORT_TABLES[] = {"runs", "metrics", "summary", "events", "sweeps",
                                            "sweep_params", "sensitivity", "contrasts",
                                            "run_table"};
enum { EXPORT_OPTIONAL = 5 };

static int has_object(query_t *q, const char *name) {
    sqlite3_stmt *s = NULL;
    int has = 0;
    if (sqlite3_prepare_v2(q->db, "SELECT 1 FROM sqlite_master WHERE name = ?", -1, &s, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
        has = sqlite3_step(s) == SQLITE_ROW;
    }
    sqlite3_finalize(s);
    return has;
}

const char *const *query_export_tables(size_t *n) {
    *n = sizeof EXPORT_TABLES / sizeof *EXPORT_TABLES;
    return EXPORT_TABLES;
}

sim_status query_export_csv(query_t *q, const char *dir, uint64_t *rows, sim_err *err) {
    const char *const *tables = EXPORT_TABLES;
    struct stat sb;
    *rows = 0;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return err_set(err, SIM_EIO, "export directory %s does not exist", dir);
    for (size_t t = 0; t < sizeof EXPORT_TABLES / sizeof *EXPORT_TABLES; t++) {
        if (t >= EXPORT_OPTIONAL && !has_object(q, tables[t])) continue;
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
        if (p < 0 || r < 0 || r >= replicates || replicates <= 0 ||
            (uint64_t)p >= n / (uint64_t)replicates)
            continue;   /* outside the shape asked for: no index computed, none overflows */
        if (sqlite3_column_type(s, 2) != SQLITE_NULL)
            y[(uint64_t)p * (uint64_t)replicates + (uint64_t)r] = sqlite3_column_double(s, 2);
    }
    sim_status st = rc == SQLITE_DONE ? SIM_OK : db_fail(q, err, "reading the sweep's outputs");
    sqlite3_finalize(s);
    return st;
}

/* The shape from max(point), max(replicate), min(point), min(replicate) in columns 1-4 of
 * s: values a database may hold but scsim never writes are refused (SIM_EDB). */
static sim_status shape_of(const query_t *q, sqlite3_stmt *s, const char *sweep,
                           int64_t *points, int *replicates, sim_err *err) {
    int64_t pmax = sqlite3_column_int64(s, 1), rmax = sqlite3_column_int64(s, 2);
    int64_t pmin = sqlite3_column_int64(s, 3), rmin = sqlite3_column_int64(s, 4);
    if (pmin < 0 || rmin < 0 || pmax >= QUERY_POINTS_MAX || rmax >= QUERY_REPLICATES_MAX ||
        (uint64_t)(pmax + 1) * (uint64_t)(rmax + 1) > QUERY_CELLS_MAX)
        return err_set(err, SIM_EDB, "database %s: sweep \"%s\" has runs at design points "
                       "%lld .. %lld and replicates %lld .. %lld: outside what scsim writes "
                       "(points 0 .. %d, replicates 0 .. %d, at most %d cells); the database "
                       "is damaged or was edited", q->path, sweep, (long long)pmin,
                       (long long)pmax, (long long)rmin, (long long)rmax, QUERY_POINTS_MAX - 1,
                       QUERY_REPLICATES_MAX - 1, QUERY_CELLS_MAX);
    *points = pmax + 1;
    *replicates = (int)rmax + 1;
    return SIM_OK;
}

sim_status query_sweep_shape(query_t *q, const char *sweep, int64_t *points, int *replicates,
                             int64_t *sweep_id, sim_err *err) {
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(q->db, "SELECT w.sweep_id, max(r.point), max(r.replicate), "
                           "min(r.point), min(r.replicate) FROM sweeps w LEFT JOIN runs r "
                           "USING(sweep_id) WHERE w.name = ? GROUP BY w.sweep_id", -1, &s,
                           NULL) != SQLITE_OK)
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
    else if ((st = shape_of(q, s, sweep, points, replicates, err)) == SIM_OK)
        *sweep_id = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return st;
}

void query_point_overrides(query_t *q, int64_t sweep_id, int64_t point, char *buf, size_t n) {
    sqlite3_stmt *s = NULL;
    buf[0] = 0;
    if (sqlite3_prepare_v2(q->db, "SELECT overrides FROM runs WHERE sweep_id = ? AND point = ? "
                           "LIMIT 1", -1, &s, NULL) != SQLITE_OK)
        return note_fail(q, "reading runs");
    sqlite3_bind_int64(s, 1, sweep_id);
    sqlite3_bind_int64(s, 2, point);
    int rc = sqlite3_step(s);   /* an error, like no row, leaves "" (see query.h) */
    if (rc == SQLITE_ROW) copy_text(buf, n, sqlite3_column_text(s, 0));
    else if (rc != SQLITE_DONE) note_fail(q, "reading runs");
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
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && len < n) {
        const unsigned char *key = sqlite3_column_text(s, 0);
        len += (size_t)snprintf(buf + len, n - len, "%s%s=%.6g", k++ ? " " : "",
                                key ? (const char *)key : "", sqlite3_column_double(s, 1));
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) note_fail(q, "reading sweep_params");
    sqlite3_finalize(s);
    return k;
}

void query_point_label(query_t *q, int64_t sweep_id, int64_t point, char *buf, size_t n) {
    sqlite3_stmt *s = NULL;
    buf[0] = 0;
    if (q->version < 5) return;   /* no runs.label */
    if (sqlite3_prepare_v2(q->db, "SELECT label FROM runs WHERE sweep_id = ? AND point = ? AND"
                           " label IS NOT NULL AND label != '' ORDER BY run_id LIMIT 1", -1, &s,
                           NULL) != SQLITE_OK)
        return note_fail(q, "reading runs");
    sqlite3_bind_int64(s, 1, sweep_id);
    sqlite3_bind_int64(s, 2, point);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) copy_text(buf, n, sqlite3_column_text(s, 0));
    else if (rc != SQLITE_DONE) note_fail(q, "reading runs");
    sqlite3_finalize(s);
}
