/* tests/fuzz/fuzz_db.c - libFuzzer target: the database readers (docs/testing.md).
 *
 * At start a small results database is made with the library on disk (a single run; sweep
 * "fz", a grid of two points with two replicates each and its sweep_params; a sensitivity
 * row and a contrast; 150 persons, 3 steps), rewritten with 1 KB pages in rollback-journal
 * mode and kept in memory. Then SQLite's in-memory VFS "memdb" becomes the default, so every
 * connection the readers open on the work path shares one database held in memory (a memdb
 * file whose name starts with '/' is shared by name); an empty file on disk at that path
 * lets query_open's stat() find a regular file. Nothing is copied to disk per input.
 *
 * An input is a selector byte and SQL. Per input: a writer connection on the work path gets
 * the template (sqlite3_backup), runs the SQL (ATTACH, every PRAGMA but user_version and
 * values over 1 MB are refused, so the input can only change that database) and rolls back
 * what it left open; then one reader, chosen by the first byte (its low 5 bits, modulo the
 * number of readers), runs on it read-only: the run list and summary values, the sweep
 * queries, the CSV export, the compare groups and contrasts, the report's text, or one
 * figure's build (not rendered). Whatever the input did, the reader must return a status,
 * never crash, hang or allocate without bound. Every connection (an auto extension) stops
 * after VM_STEPS_MAX virtual machine steps per input, so SQL in a view cannot hang SQLite. */
#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "contrast.h"
#include "figures.h"
#include "fuzz_util.h"
#include "query.h"
#include "query_groups.h"
#include "report_impl.h"
#include "runner.h"

/* NREADERS: the readers but the figures (READERS below). */
enum { MAX_RUNS = 16, VM_STEPS_MAX = 2000000, SELECTOR_BITS = 31, NREADERS = 5,
       PCACHE_LINES = 2048 };

static char g_db[300], g_export[300];
static sqlite3 *g_template;   /* the template database, in memory, read-only */
static size_t g_nfig;
static const fig_def *g_figs;

static void must(sim_status st, const sim_err *err) {
    if (st == SIM_OK) return;
    fprintf(stderr, "fuzz_db: making the template database: %s\n", err->msg);
    abort();
}

static void must_sql(sqlite3 *db, const char *sql) {
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK) return;
    fprintf(stderr, "fuzz_db: %s: %s\n", sql, sqlite3_errmsg(db));
    abort();
}

static void remove_db(const char *path) {
    char side[320];
    remove(path);
    snprintf(side, sizeof side, "%s-wal", path);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", path);
    remove(side);
}

static void add_run(store_t *db, const scenario *sc, int64_t sweep_id, int64_t point,
                    int replicate) {
    runner_opts o;
    memset(&o, 0, sizeof o);
    o.sim.threads = 1;
    o.sim.run = (uint64_t)replicate;
    o.sweep_id = sweep_id;
    o.point = point;
    o.replicate = replicate;
    runner_result r;
    sim_err err = {0};
    must(runner_run(db, sc, &o, &r, NULL, &err), &err);
}

/* The sweep "fz": two points of population.child_share, two replicates each. */
static void add_sweep(store_t *db, const scenario *sc) {
    static const char *const keys[] = {"population.child_share"};
    static const double x[] = {0.2, 0.3};
    static const store_sens_row sens[] = {{"population.child_share", "S1", 0.5, 0.1, 0.9}};
    int64_t sweep_id = 0;
    sim_err err = {0};
    must(store_sweep_open(db, "fz", "grid", "spec", &sweep_id, &err), &err);
    must(store_sweep_params(db, sweep_id, 2, 1, keys, x, &err), &err);
    for (int p = 0; p < 2; p++)
        for (int rep = 0; rep < 2; rep++) add_run(db, sc, sweep_id, p, rep);
    must(store_sensitivity(db, sweep_id, "ever_listed.black", "all", sens, 1, &err), &err);
}

static void make_template(const char *path) {
    static const char *const sets[] = {"population.persons=150", "run.steps=3"};
    static const store_contrast_row con = {"a", "b", "ever_listed.black", "all", 2, 1, 2, 1,
                                           0, 2, 2, 1, 3, "2,3", "4,5"};
    scenario sc;
    store_t *db = NULL;
    sim_err err = {0};
    remove_db(path);
    must(scn_load_string(&sc, "fuzz", "", sets, 2, &err), &err);
    must(store_open(&db, path, &err), &err);
    add_run(db, &sc, 0, -1, 0);
    add_sweep(db, &sc);
    must(store_contrasts(db, &con, 1, &err), &err);
    store_close(db);
    scn_free(&sc);
}

/* The file at path, rewritten small (1 KB pages, rollback journal: memdb has no WAL), into
 * g_template, a read-only in-memory copy. */
static void load_template(const char *path) {
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK) abort();
    must_sql(db, "PRAGMA journal_mode=DELETE; PRAGMA page_size=1024; VACUUM");
    sqlite3_int64 size = 0;
    unsigned char *bytes = sqlite3_serialize(db, "main", &size, 0);
    if (!bytes || sqlite3_close(db) != SQLITE_OK) abort();
    if (sqlite3_open(":memory:", &g_template) != SQLITE_OK ||
        sqlite3_deserialize(g_template, "main", bytes, size, size,
                            SQLITE_DESERIALIZE_READONLY | SQLITE_DESERIALIZE_FREEONCLOSE) !=
            SQLITE_OK)
        abort();
    fprintf(stderr, "fuzz_db: template database of %lld bytes\n", (long long)size);
}

/* Stops a statement after VM_STEPS_MAX virtual machine steps per input (counted in 1000s),
 * on every connection (installed by an auto extension). */
static int g_steps;
static int progress(void *ctx) {
    (void)ctx;
    return ++g_steps > VM_STEPS_MAX / 1000;
}

static int limit_connection(sqlite3 *db, char **msg, const void *api) {
    (void)msg; (void)api;
    sqlite3_progress_handler(db, 1000, progress, NULL);
    return SQLITE_OK;
}

/* The folder query_export_csv writes into: in /dev/shm where there is one (a file system
 * in memory: writing nine files per input to disk costs more than the reading), else in
 * TMPDIR. */
static void export_dir(void) {
    struct stat sb;
    if (stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) && access("/dev/shm", W_OK) == 0)
        snprintf(g_export, sizeof g_export, "/dev/shm/scsim-fuzz-%ld-export", (long)getpid());
    else
        fuzz_tmp_path(g_export, sizeof g_export, "export");
    if (mkdir(g_export, 0700) != 0 && errno != EEXIST) abort();
}

/* At exit: the work file and the export folder with what the last export wrote. */
static void remove_files(void) {
    size_t n = 0;
    const char *const *tables = query_export_tables(&n);
    char path[400];
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s.csv", g_export, tables[i]);
        remove(path);
    }
    rmdir(g_export);
    remove_db(g_db);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc; (void)argv;
    /* One thread uses SQLite here: no mutexes, no memory statistics (each costs a lock per
     * allocation); SQLite's reading and writing are the same. Before its first use. */
    if (sqlite3_config(SQLITE_CONFIG_SINGLETHREAD) != SQLITE_OK ||
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
        abort();
    /* The page caches of the 1 KB pages (the template's, the writer's and the reader's) in
     * one buffer of PCACHE_LINES lines, not a malloc each: under the sanitizer an allocation
     * costs more than reading the page. SQLite's own memory, not the readers'. */
    int hdr = 0;
    if (sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ, &hdr) != SQLITE_OK) abort();
    static uint64_t pcache[PCACHE_LINES * (1024 + 512) / 8];
    if ((size_t)hdr > 512 ||
        sqlite3_config(SQLITE_CONFIG_PAGECACHE, pcache, 1024 + hdr, PCACHE_LINES) != SQLITE_OK)
        abort();
    char tmpl[300];
    fuzz_tmp_path(tmpl, sizeof tmpl, "template.db");
    fuzz_tmp_path(g_db, sizeof g_db, "work.db");
    export_dir();
    make_template(tmpl);
    load_template(tmpl);
    remove_db(tmpl);
    remove_db(g_db);
    if (fuzz_write_file(g_db, NULL, 0) != 0) abort();   /* for query_open's stat() */
    atexit(remove_files);
    sqlite3_vfs *memdb = sqlite3_vfs_find("memdb");
    if (!memdb || sqlite3_vfs_register(memdb, 1) != SQLITE_OK) abort();
    if (sqlite3_auto_extension((void (*)(void))limit_connection) != SQLITE_OK) abort();
    g_figs = fig_list(&g_nfig);
    if (NREADERS + g_nfig > SELECTOR_BITS + 1) abort();   /* a reader no byte selects */
    return 0;
}

/* The input may change only the main database: no ATTACH (nor VACUUM INTO), no PRAGMA but
 * user_version. */
static int authorize(void *ctx, int code, const char *a, const char *b, const char *c,
                     const char *d) {
    (void)ctx; (void)b; (void)c; (void)d;
    if (code == SQLITE_ATTACH || code == SQLITE_DETACH) return SQLITE_DENY;
    if (code == SQLITE_PRAGMA) return a && !strcmp(a, "user_version") ? SQLITE_OK : SQLITE_DENY;
    return SQLITE_OK;
}

/* Opens the work database (a fresh shared memdb file), copies the template into it and runs
 * the input's SQL; what it leaves open is rolled back (as closing would). The connection
 * stays open, and the database with it, until the reader is done. */
static sqlite3 *apply_sql(const uint8_t *data, size_t size) {
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(g_db, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK)
        abort();
    sqlite3_backup *b = sqlite3_backup_init(db, "main", g_template, "main");
    if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE || sqlite3_backup_finish(b) != SQLITE_OK)
        abort();
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1 << 20);
    sqlite3_set_authorizer(db, authorize, NULL);
    char *sql = fuzz_strndup(data, size);
    sqlite3_exec(db, sql, NULL, NULL, NULL);
    free(sql);
    if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    if (!sqlite3_get_autocommit(db)) abort();   /* readers would wait for its lock */
    sqlite3_set_authorizer(db, NULL, NULL);
    return db;
}

/* ---- the readers: each opens the work database itself, as its command does ---- */

/* The runs (at most MAX_RUNS, the newest) into ids; how many. */
static size_t run_ids(query_t *q, int64_t *ids) {
    query_run runs[MAX_RUNS];
    int n = 0;
    sim_err err = {0};
    if (query_runs(q, NULL, 0, runs, MAX_RUNS, &n, &err) != SIM_OK) return 0;
    for (int i = 0; i < n; i++) ids[i] = runs[i].run_id;
    return (size_t)n;
}

/* scsim summary: the runs, a summary value of each, the runs by id, the status. */
static void read_summary(void) {
    query_t *q = NULL;
    sim_err err = {0};
    if (query_open(&q, g_db, &err) != SIM_OK) return;
    int64_t ids[MAX_RUNS];
    size_t n = run_ids(q, ids);
    for (size_t i = 0; i < n; i++) query_summary(q, ids[i], "ever_wrongly_listed.black", "all");
    query_run runs[MAX_RUNS];
    int found = 0;
    if (n) query_runs(q, ids, (int)n, runs, MAX_RUNS, &found, &err);
    query_status(q, &err);
    query_close(q);
}

/* scsim summary --sweep and plot phase: the sweep's shape, outputs and points. */
static void read_sweep(void) {
    query_t *q = NULL;
    int64_t points = 0, sweep_id = 0;
    int reps = 0;
    sim_err err = {0};
    if (query_open(&q, g_db, &err) != SIM_OK) return;
    if (query_sweep_shape(q, "fz", &points, &reps, &sweep_id, &err) == SIM_OK) {
        uint64_t n = (uint64_t)points * (uint64_t)reps;
        double *y = malloc(n * sizeof *y);
        if (!y) abort();
        query_sweep_outputs(q, "fz", "listed.black", "all", -1, reps, y, n, &sweep_id, &err);
        query_sweep_outputs(q, "fz", "listed.black", "all", 2, reps, y, n, &sweep_id, &err);
        free(y);
        char buf[512];
        for (int64_t p = 0; p < 2; p++) {
            query_point_overrides(q, sweep_id, p, buf, sizeof buf);
            query_point_varied(q, sweep_id, p, buf, sizeof buf);
            query_point_label(q, sweep_id, p, buf, sizeof buf);
        }
    }
    query_status(q, &err);
    query_close(q);
}

/* scsim export. */
static void read_export(void) {
    query_t *q = NULL;
    sim_err err = {0};
    uint64_t rows = 0;
    if (query_open(&q, g_db, &err) != SIM_OK) return;
    query_export_csv(q, g_export, &rows, &err);
    query_close(q);
}

/* One group against the reference, as scsim compare pairs and contrasts them. */
static void contrast_group(query_t *q, const query_group *ref, const query_group *g) {
    size_t *pair = malloc((g->n + 1) * sizeof *pair);
    double *x = malloc((g->n + 1) * sizeof *x), *y = malloc((g->n + 1) * sizeof *y);
    sim_err err = {0};
    if (!pair || !x || !y) abort();
    size_t k = 0;
    if (contrast_pair(ref, g, pair, &err) == SIM_OK)
        for (size_t i = 0; i < g->n; i++) {
            x[k] = query_summary(q, g->run_id[i], "ever_listed.black", "all");
            y[k] = query_summary(q, ref->run_id[pair[i]], "ever_listed.black", "all");
            if (x[k] == x[k] && y[k] == y[k]) k++;   /* neither NaN */
        }
    contrast_result r;
    contrast_paired(x, y, k, &r);
    free(pair), free(x), free(y);
}

/* scsim compare: the groups of done runs, each against the first and the last. */
static void read_compare(void) {
    query_t *q = NULL;
    query_groups gs;
    sim_err err = {0};
    if (query_open(&q, g_db, &err) != SIM_OK) return;
    if (query_groups_load(q, &gs, &err) == SIM_OK) {
        for (size_t i = 0; i < gs.n; i++) {
            if (query_groups_find(&gs, gs.g[i].label) == NULL) abort();
            contrast_group(q, &gs.g[0], &gs.g[i]);
            contrast_group(q, &gs.g[gs.n - 1], &gs.g[i]);
        }
        query_groups_free(&gs);
    }
    query_status(q, &err);
    query_close(q);
}

/* scsim report without drawing: the runs and groups it selects, every caption, the notes,
 * the appendix's run lists and overrides. */
static void read_report(void) {
    rp *r = NULL;
    sim_err err = {0};
    if (rp_open(g_db, NULL, 0, &r, &err) != SIM_OK) return;
    char *buf = malloc(RP_TEXT);
    if (!buf) abort();
    for (size_t i = 0; i < g_nfig; i++) rp_caption(r, g_figs[i].name, buf, RP_TEXT);
    rp_caption(r, "knows", buf, RP_TEXT);
    rp_notes(r, buf, RP_TEXT);
    rp_columns(buf, RP_TEXT);
    rp_knows_any(r);
    for (size_t k = 0; k < r->g.ngrp; k++) {
        rp_saturation(r, k);
        rp_group_runs(r, k, buf, RP_TEXT);
        rp_group_overrides(r, k, buf, RP_TEXT);
    }
    free(buf);
    rp_close(r);
}

/* scsim plot FIGURE: the figure's build (with its saturation flags) on the runs. */
static void read_figure(size_t f) {
    query_t *q = NULL;
    sim_err err = {0};
    if (query_open(&q, g_db, &err) != SIM_OK) return;
    int64_t ids[MAX_RUNS];
    size_t n = run_ids(q, ids);
    fig_sel sel = {.run_ids = ids, .nruns = n, .metric = NULL, .size = FIG_SIZE_AUTO};
    fig_result r;
    memset(&r, 0, sizeof r);
    if (n) fig_build(&g_figs[f], query_db(q), &sel, &r, &err);
    fig_result_free(&r);
    query_close(q);
}

static void (*const READERS[])(void) = {read_summary, read_sweep, read_export, read_compare,
                                       read_report};
_Static_assert(sizeof READERS / sizeof *READERS == NREADERS, "NREADERS counts READERS");

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t which = size ? (size_t)(data[0] & SELECTOR_BITS) % (NREADERS + g_nfig) : 0;
    g_steps = 0;
    sqlite3 *db = apply_sql(size ? data + 1 : data, size ? size - 1 : 0);
    g_steps = 0;
    if (which < NREADERS) READERS[which]();
    else read_figure(which - NREADERS);
    if (sqlite3_close(db) != SQLITE_OK) abort();
    return 0;
}
