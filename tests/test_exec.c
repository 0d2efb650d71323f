/* tests/test_exec.c - the sweep executor (sim/experiment/exec.h) through the library: the
 * same database contents in this process, on 2 forked workers and as 3 shards merged; the
 * structured metadata it writes (sweep_params, runs.varied_json, sweeps.spec_hash); the
 * resume check on the full experiment text; the shared INI line reader's errors. Runs from
 * the repository root. */
#include "testutil.h"

#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include "exec.h"
#include "merge.h"
#include "sweep.h"

/* This process's own files (make test and make check may run side by side). */
static char dir[64];

static const char *path(const char *name) {
    static char buf[64][160];   /* each test uses fewer names than this */
    static int k;
    k = (k + 1) % 64;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

/* A 3 x 2 grid, 2 replicates: 12 small runs; `comment` lines of 190 characters first. */
static void write_experiment(const char *file, int comment_lines, char last) {
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    for (int i = 0; i < comment_lines; i++)
        fprintf(f, "; %0188d\n", i);
    if (comment_lines) fprintf(f, "; %c\n", last);
    fprintf(f, "[experiment]\nname = exec-grid\nscenario = %s/scenarios/points-spillover.ini\n"
               "design = grid\nreplicates = 2\n[set]\npopulation.persons = 1500\n"
               "run.steps = 12\n[param.err]\nkey = agency.civility.false_record\n"
               "values = 0, 0.002, 0.004\n[param.w]\nkey = spillover.social_points.weight\n"
               "values = 0, 4\n", getenv("PWD") ? getenv("PWD") : ".");
    fclose(f);
}

static void rm_db(const char *db) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -f %s %s-wal %s-shm", db, db, db);
    assert_int_equal(system(cmd), 0);
}

typedef struct counts { int start, runs; uint64_t pending; } counts;

static void on_event(void *ctx, const exec_event *ev) {
    counts *c = ctx;
    if (ev->kind == EXEC_START) c->start++, c->pending = ev->pending;
    else c->runs++;
}

/* Runs the experiment into db: jobs 0 in this process, else forked; returns the status. */
static sim_status sweep(const char *exp, const char *db, int jobs, int shard, int nshards,
                        counts *c, sim_err *err) {
    sweep_job j;
    sim_status st = sweep_job_load(&j, exp, err);
    if (st != SIM_OK) return st;
    exec_opts o = {db, shard, nshards, 1, NULL, on_event, c};
    exec_result res;
    st = jobs ? exec_run_forked(&j, &o, jobs, &res, err) : exec_run(&j, &o, NULL, &res, err);
    if (st == SIM_OK) assert_int_equal(res.done, (uint64_t)c->runs);
    sweep_job_free(&j);
    return st;
}

/* Every stored figure keyed by design point and replicate, as text. */
static void dump(const char *db, const char *out) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "sqlite3 %s \"SELECT r.point, r.replicate, r.status, m.step, "
             "m.name, m.grp, m.value FROM metrics m JOIN runs r USING(run_id) ORDER BY 1, 2, "
             "4, 5, 6; SELECT r.point, r.replicate, e.step, e.kind, e.agent FROM events e "
             "JOIN runs r USING(run_id) ORDER BY 1, 2, 3, 4, 5\" > %s", db, out);
    assert_int_equal(system(cmd), 0);
}

static double one(const char *db, const char *sql) {
    sqlite3 *d;
    sqlite3_stmt *q;
    double v = -1;
    if (sqlite3_open_v2(db, &d, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(d, sql, -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_double(q, 0);
        sqlite3_finalize(q);
    }
    sqlite3_close(d);
    return v;
}

static int same_files(const char *a, const char *b) {
    char cmd[400];
    snprintf(cmd, sizeof cmd, "cmp -s %s %s", a, b);
    return system(cmd) == 0;
}

static void test_transports_identical(void **state) {
    (void)state;
    sim_err err = {{0}};
    const char *exp = path("exec.ini");
    write_experiment(exp, 0, 0);
    counts here = {0}, forked = {0};
    rm_db(path("here.db"));
    rm_db(path("forked.db"));
    /* forked first: libgomp is not fork-safe once this process has run OpenMP (exec.h) */
    assert_int_equal(sweep(exp, path("forked.db"), 2, 1, 1, &forked, &err), SIM_OK);
    assert_int_equal(sweep(exp, path("here.db"), 0, 1, 1, &here, &err), SIM_OK);
    assert_int_equal(here.start, 1);
    assert_int_equal(here.runs, 12);
    assert_int_equal(forked.runs, 12);
    const char *parts[3] = {path("s1.db"), path("s2.db"), path("s3.db")};
    for (int k = 0; k < 3; k++) {
        counts c = {0};
        rm_db(parts[k]);
        assert_int_equal(sweep(exp, parts[k], 0, k + 1, 3, &c, &err), SIM_OK);
        assert_int_equal(c.runs, 4);
        assert_true(c.pending == 4);
    }
    rm_db(path("merged.db"));
    merge_stats ms;
    assert_int_equal(merge_into(path("merged.db"), parts, 3, &ms, &err), SIM_OK);
    dump(path("here.db"), path("here.txt"));
    dump(path("forked.db"), path("forked.txt"));
    dump(path("merged.db"), path("merged.txt"));
    assert_true(one(path("here.db"), "SELECT count(*) FROM metrics") > 1000);
    assert_true(same_files(path("here.txt"), path("forked.txt")));
    assert_true(same_files(path("here.txt"), path("merged.txt")));
    /* the merged shards carry the design and the varied parameters too */
    assert_true(one(path("merged.db"), "SELECT count(*) FROM sweep_params") == 12);
    assert_true(one(path("merged.db"), "SELECT count(*) FROM runs WHERE varied_json IS NULL")
                == 0);
    assert_true(one(path("merged.db"), "SELECT count(*) FROM sweeps WHERE spec_hash IS NULL")
                == 0);
    /* run again: nothing left to do */
    counts again = {0};
    assert_int_equal(sweep(exp, path("here.db"), 0, 1, 1, &again, &err), SIM_OK);
    assert_int_equal(again.runs, 0);
    assert_true(again.pending == 0);
}

static void test_metadata(void **state) {
    (void)state;
    const char *db = path("here.db");   /* from test_transports_identical */
    /* 6 points x 2 parameters, each point's values as in the design */
    assert_true(one(db, "SELECT count(*) FROM sweep_params WHERE sweep_id = 1") == 12);
    assert_true(one(db, "SELECT count(DISTINCT key) FROM sweep_params") == 2);
    assert_true(one(db, "SELECT value FROM sweep_params WHERE point = 5 AND key = "
                    "'agency.civility.false_record'") == 0.004);
    assert_true(one(db, "SELECT value FROM sweep_params WHERE point = 1 AND key = "
                    "'spillover.social_points.weight'") == 4);
    /* every run's varied_json holds exactly its point's sweep_params values (JSON1) */
    assert_true(one(db, "SELECT count(*) FROM runs r JOIN sweep_params p ON p.sweep_id = "
                    "r.sweep_id AND p.point = r.point WHERE json_extract(r.varied_json, "
                    "'$.\"' || p.key || '\"') = p.value") == 24);
    assert_true(one(db, "SELECT count(*) FROM runs, json_each(runs.varied_json)") == 24);
    assert_true(one(db, "SELECT length(spec_hash) FROM sweeps") == 16);
}

/* A database from before sweep_params, runs.varied_json and sweeps.spec_hash: opened again,
 * it gains them, and its done sweep resumes with nothing to do. */
static void test_old_database(void **state) {
    (void)state;
    sim_err err = {{0}};
    const char *db = path("old.db");
    char cmd[600];
    rm_db(db);
    snprintf(cmd, sizeof cmd, "sqlite3 %s 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null && cp %s "
             "%s && sqlite3 %s 'DROP TABLE sweep_params; DROP VIEW run_table; ALTER TABLE runs DROP COLUMN "
             "varied_json; ALTER TABLE sweeps DROP COLUMN spec_hash'", path("here.db"),
             path("here.db"), db, db);
    assert_int_equal(system(cmd), 0);
    counts c = {0};
    assert_int_equal(sweep(path("exec.ini"), db, 0, 1, 1, &c, &err), SIM_OK);
    assert_int_equal(c.runs, 0);
    assert_true(one(db, "SELECT count(*) FROM sweeps WHERE length(spec_hash) = 16") == 1);
    assert_true(one(db, "SELECT count(*) FROM sweep_params") == 12);   /* recorded again */
    assert_true(one(db, "SELECT count(*) FROM runs WHERE varied_json IS NULL") == 12);
}

/* The resume check sees a change past 64 KiB of experiment text (the whole text is hashed). */
static void test_resume_full_text(void **state) {
    (void)state;
    sim_err err = {{0}};
    const char *exp = path("long.ini"), *db = path("long.db");
    write_experiment(exp, 400, 'a');   /* 400 x 191 bytes: the change is at 76 KB */
    rm_db(db);
    counts c = {0};
    assert_int_equal(sweep(exp, db, 0, 2, 6, &c, &err), SIM_OK);   /* 2 of the 12 runs */
    assert_int_equal(c.runs, 2);
    assert_true(one(db, "SELECT length(spec) > 76000 FROM sweeps") == 1);
    counts same = {0};
    assert_int_equal(sweep(exp, db, 0, 2, 6, &same, &err), SIM_OK);   /* resumes */
    assert_int_equal(same.runs, 0);
    write_experiment(exp, 400, 'b');
    counts changed = {0};
    assert_int_equal(sweep(exp, db, 0, 2, 6, &changed, &err), SIM_EDB);
    assert_contains(err.msg, "different experiment file");
    assert_int_equal(changed.runs, 0);
}

/* A line over the limit is an error naming the file and line, not a silent cut. */
static void test_long_line(void **state) {
    (void)state;
    const char *exp = path("longline.ini");
    FILE *f = fopen(exp, "w");
    assert_non_null(f);
    fprintf(f, "[experiment]\nscenario = x.ini\n[param.a]\nkey = run.seed\nvalues = 1");
    for (int i = 0; i < 80; i++) fprintf(f, ", %d", i + 2);
    fprintf(f, "\n");
    fclose(f);
    sweep_spec sp;
    sim_err err = {{0}};
    assert_int_equal(sweep_load(&sp, exp, &err), SIM_ESCENARIO);
    char want[200];
    snprintf(want, sizeof want, "%s:5: line is", exp);
    assert_contains(err.msg, want);
    assert_contains(err.msg, "the limit is 199");
}

/* A stop flag set before the start: nothing runs, SIM_EINTR, and the sweep resumes later. */
static void test_stop_flag(void **state) {
    (void)state;
    sim_err err = {{0}};
    const char *exp = path("exec.ini"), *db = path("stop.db");
    write_experiment(exp, 0, 0);
    rm_db(db);
    volatile sig_atomic_t stop = 1;
    for (int jobs = 0; jobs <= 2; jobs += 2) {
        sweep_job j;
        assert_int_equal(sweep_job_load(&j, exp, &err), SIM_OK);
        counts c = {0};
        exec_opts o = {db, 1, 1, 1, &stop, on_event, &c};
        exec_result res;
        sim_status st = jobs ? exec_run_forked(&j, &o, jobs, &res, &err)
                             : exec_run(&j, &o, NULL, &res, &err);
        assert_int_equal(st, SIM_EINTR);
        assert_contains(err.msg, "interrupted");
        assert_int_equal(c.runs, 0);
        assert_true(res.pending == 12);
        sweep_job_free(&j);
    }
    assert_true(one(db, "SELECT count(*) FROM runs") == 0);
}

int main(void) {
    snprintf(dir, sizeof dir, "build/test-exec.%d", (int)getpid());
    char cmd[128];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    if (system(cmd) != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transports_identical),
        cmocka_unit_test(test_metadata),
        cmocka_unit_test(test_old_database),
        cmocka_unit_test(test_resume_full_text),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_stop_flag),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (!failed && system(cmd) != 0) return 1;
    return failed;
}
