/* tests/fuzz/fuzz_db.c - libFuzzer target: the database readers. At start a small results
 * database is made with the library (a single run and two runs of a sweep "fz", 150 persons,
 * 3 steps) and kept as bytes. Each input is SQL, applied to a fresh copy of it (ATTACH,
 * PRAGMAs other than user_version and long statements are refused, so the input can only
 * change that file); then the readers run read-only on it: query_open, query_runs,
 * query_summary, the sweep queries, query_export_csv and every figure's build (not
 * rendered). Whatever the input did, they must return a status, never crash, hang or
 * allocate without bound. */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "figures.h"
#include "fuzz_util.h"
#include "query.h"
#include "runner.h"

enum { MAX_RUNS = 16, VM_STEPS_MAX = 2000000 };

static char g_db[300], g_export[300];
static uint8_t *g_template;
static size_t g_template_size;

static void must(sim_status st, const sim_err *err) {
    if (st == SIM_OK) return;
    fprintf(stderr, "fuzz_db: making the template database: %s\n", err->msg);
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

static void add_run(store_t *db, const scenario *sc, int64_t sweep_id, int64_t point) {
    runner_opts o;
    memset(&o, 0, sizeof o);
    o.sim.threads = 1;
    o.sweep_id = sweep_id;
    o.point = point;
    runner_result r;
    sim_err err = {0};
    must(runner_run(db, sc, &o, &r, NULL, &err), &err);
}

static void make_template(const char *path) {
    static const char *const sets[] = {"population.persons=150", "run.steps=3"};
    scenario sc;
    store_t *db = NULL;
    int64_t sweep_id = 0;
    sim_err err = {0};
    remove_db(path);
    must(scn_load_string(&sc, "fuzz", "", sets, 2, &err), &err);
    must(store_open(&db, path, &err), &err);
    add_run(db, &sc, 0, -1);
    must(store_sweep_open(db, "fz", "grid", "spec", &sweep_id, &err), &err);
    add_run(db, &sc, sweep_id, 0);
    add_run(db, &sc, sweep_id, 1);
    store_close(db);
    scn_free(&sc);
}

static void read_template(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0) abort();
    long n = ftell(f);
    if (n <= 0 || fseek(f, 0, SEEK_SET) != 0) abort();
    g_template = malloc((size_t)n);
    if (!g_template || fread(g_template, 1, (size_t)n, f) != (size_t)n) abort();
    g_template_size = (size_t)n;
    fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc; (void)argv;
    char tmpl[300];
    fuzz_tmp_path(tmpl, sizeof tmpl, "template.db");
    fuzz_tmp_path(g_db, sizeof g_db, "work.db");
    fuzz_tmp_path(g_export, sizeof g_export, "export");
    mkdir(g_export, 0700);
    make_template(tmpl);
    read_template(tmpl);
    remove_db(tmpl);
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

/* Stops a statement after VM_STEPS_MAX virtual machine steps (counted in 1000s). */
static int g_steps;
static int progress(void *ctx) {
    (void)ctx;
    return ++g_steps > VM_STEPS_MAX / 1000;
}

static void apply_sql(const uint8_t *data, size_t size) {
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(g_db, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) abort();
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1 << 20);
    sqlite3_set_authorizer(db, authorize, NULL);
    g_steps = 0;
    sqlite3_progress_handler(db, 1000, progress, NULL);
    char *sql = fuzz_strndup(data, size);
    sqlite3_exec(db, sql, NULL, NULL, NULL);
    free(sql);
    if (sqlite3_close(db) != SQLITE_OK) abort();
}

static void read_sweep(query_t *q) {
    int64_t points = 0, sweep_id = 0;
    int reps = 0;
    sim_err err = {0};
    if (query_sweep_shape(q, "fz", &points, &reps, &sweep_id, &err) != SIM_OK) return;
    uint64_t n = (uint64_t)points * (uint64_t)reps;
    double *y = malloc(n * sizeof *y);
    if (!y) abort();
    query_sweep_outputs(q, "fz", "listed.black", "all", -1, reps, y, n, &sweep_id, &err);
    query_sweep_outputs(q, "fz", "listed.black", "all", 2, reps, y, n, &sweep_id, &err);
    free(y);
    char buf[512];
    query_point_overrides(q, sweep_id, 0, buf, sizeof buf);
    query_point_varied(q, sweep_id, 1, buf, sizeof buf);
}

static void build_figures(sqlite3 *db, const int64_t *ids, size_t n) {
    fig_sel sel = {.run_ids = ids, .nruns = n, .metric = NULL, .size = FIG_SIZE_AUTO};
    size_t nfig = 0;
    const fig_def *defs = fig_list(&nfig);
    for (size_t i = 0; i < nfig; i++) {
        fig_result r;
        memset(&r, 0, sizeof r);
        sim_err err = {0};
        g_steps = 0;
        defs[i].build(db, &sel, &r, &err);
        fig_result_free(&r);
    }
}

static void read_all(void) {
    query_t *q = NULL;
    sim_err err = {0};
    if (query_open(&q, g_db, &err) != SIM_OK) return;
    g_steps = 0;
    sqlite3_progress_handler(query_db(q), 1000, progress, NULL);
    query_run runs[MAX_RUNS];
    int n = 0;
    int64_t ids[MAX_RUNS];
    if (query_runs(q, NULL, 0, runs, MAX_RUNS, &n, &err) == SIM_OK) {
        for (int i = 0; i < n; i++) {
            ids[i] = runs[i].run_id;
            query_summary(q, ids[i], "ever_wrongly_listed.black", "all");
        }
    }
    g_steps = 0;
    read_sweep(q);
    uint64_t rows = 0;
    g_steps = 0;
    query_export_csv(q, g_export, &rows, &err);
    if (n > 0) build_figures(query_db(q), ids, (size_t)n);
    query_status(q, &err);
    query_close(q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    remove_db(g_db);
    if (fuzz_write_file(g_db, g_template, g_template_size) != 0) abort();
    apply_sql(data, size);
    read_all();
    return 0;
}
