/* tests/test_concurrency.c - writers that meet (issue 15, defects 1, 2, 9): two sweeps or two
 * runs into one database, signals to a --jobs sweep, kill -9 of its parent and the resume,
 * run ids never reused, and 'running' rows whose writer is gone. Runs from the repository
 * root (scripts/run-tests.sh); SCSIM names the binary. Runs are small (5000 persons), so
 * each test takes a few seconds. */
#include "testutil.h"

#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store.h"
#include "store_owner.h"
#include "version.h"

enum { WORKERS_MAX = 8 };

static const char *scsim(void) {
    const char *p = getenv("SCSIM");
    return p ? p : "build/scsim";
}

static double query(const char *path, const char *sql) {
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    double v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_busy_timeout(db, 5000) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_double(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

static void exec_sql(const char *path, const char *sql) {
    sqlite3 *db = NULL;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) fail_msg("%s: %s", sql, msg ? msg : "?");
    sqlite3_close(db);
}

static void rm_db(const char *path) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -f %s %s-wal %s-shm", path, path, path);
    assert_int_equal(system(cmd), 0);
}

static void nap(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* 2 points x 2 replicates of `steps` steps, 5000 persons. */
static void write_experiment(const char *path, int steps) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "[experiment]\nname = conc\nscenario = ../scenarios/points-spillover.ini\n"
               "design = grid\nreplicates = 2\n[set]\npopulation.persons = 5000\n"
               "run.steps = %d\n[param.err]\nkey = agency.civility.false_record\n"
               "values = 0, 0.004\n", steps);
    fclose(f);
}

/* Starts `scsim sweep exp --out db --jobs jobs --threads 1 --quiet` (its own process group
 * when group), stderr into err_path. */
static pid_t start_sweep(const char *exp, const char *db, const char *jobs, int group,
                         const char *err_path) {
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (group) setpgid(0, 0);
        if (!freopen(err_path, "w", stderr) || !freopen("/dev/null", "w", stdout)) _exit(126);
        execl(scsim(), scsim(), "sweep", exp, "--out", db, "--jobs", jobs, "--threads", "1",
              "--quiet", (char *)NULL);
        _exit(127);
    }
    return pid;
}

static int exit_code(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

static int run_cmd(const char *args) {
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "%s %s > build/conc.out 2>&1", scsim(), args);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Waits (at most 30 s) until sql on db gives at least n. */
static void wait_for(const char *db, const char *sql, double n) {
    for (int i = 0; i < 3000 && query(db, sql) < n; i++) nap(10);
    assert_true(query(db, sql) >= n);
}

/* The children of pid (from /proc), at most WORKERS_MAX. */
static int children(pid_t pid, pid_t *out) {
    char path[64], buf[512];
    int n = 0;
    FILE *ls = popen("ls /proc", "r");
    assert_non_null(ls);
    while (n < WORKERS_MAX && fgets(buf, sizeof buf, ls)) {
        long p = atol(buf);
        if (p <= 0) continue;
        snprintf(path, sizeof path, "/proc/%ld/stat", p);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        size_t len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = 0;
        char *r = strrchr(buf, ')');
        char state = 0;
        long ppid = 0;
        if (r && sscanf(r + 1, " %c %ld", &state, &ppid) == 2 && ppid == pid)
            out[n++] = (pid_t)p;
    }
    pclose(ls);
    return n;
}

/* 1 when process p still runs (not gone, not a zombie). */
static int running(pid_t p) {
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)p);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = 0;
    char *r = strrchr(buf, ')');
    return r && r[1] == ' ' && r[2] != 'Z' && r[2] != 'X';
}

/* How many of the n processes still run after waiting up to ms milliseconds. */
static int alive_after(const pid_t *w, int n, long ms) {
    int alive = n;
    for (long t = 0; t <= ms && alive > 0; t += 10) {
        alive = 0;
        for (int k = 0; k < n; k++) alive += running(w[k]);
        if (alive) nap(10);
    }
    return alive;
}

/* The same task exactly once, and no run id holding two runs' rows. */
static void assert_once(const char *db, int tasks) {
    assert_true(query(db, "SELECT count(*) FROM runs WHERE status='done'") == tasks);
    assert_true(query(db, "SELECT count(*) FROM (SELECT 1 FROM runs GROUP BY point, replicate "
                          "HAVING count(*) > 1)") == 0);
    assert_true(query(db, "SELECT count(*) FROM (SELECT 1 FROM metrics GROUP BY run_id, step, "
                          "name, grp HAVING count(*) > 1)") == 0);
    assert_true(query(db, "SELECT count(*) FROM metrics WHERE run_id NOT IN (SELECT run_id "
                          "FROM runs)") == 0);
}

/* Defect 1: a second sweep of the same experiment into the same database while the first
 * runs is refused with exit 5 naming the writer; the first finishes every task once; the
 * second, run again afterwards, finds nothing to do. (Before: both exit 0, 46 done runs for
 * 24 tasks, a run id holding two runs' metrics.) */
static void test_two_sweeps_one_db(void **state) {
    (void)state;
    const char *exp = "build/conc-two.ini", *db = "build/conc-two.db";
    write_experiment(exp, 1500);   /* about 2 s: B meets A still running */
    rm_db(db);
    pid_t a = start_sweep(exp, db, "1", 0, "build/conc-a.err");
    wait_for(db, "SELECT count(*) FROM runs", 1);
    pid_t b = start_sweep(exp, db, "1", 0, "build/conc-b.err");
    assert_int_equal(exit_code(b), 5);
    assert_int_equal(exit_code(a), 0);
    char msg[600] = "";
    FILE *f = fopen("build/conc-b.err", "r");
    assert_non_null(f);
    size_t len = fread(msg, 1, sizeof msg - 1, f);
    msg[len] = 0;
    fclose(f);
    assert_contains(msg, "is being written by process");
    assert_once(db, 4);
    assert_int_equal(run_cmd("sweep build/conc-two.ini --out build/conc-two.db --quiet"), 0);
    assert_once(db, 4);
    assert_true(query(db, "SELECT count(*) FROM runs") == 4);
    assert_true(query(db, "SELECT count(*) FROM sweep_locks") == 0);   /* released */
}

/* Two `scsim run` into one database at the same time: both stored, distinct ids, each with
 * its own rows only. */
static void test_two_runs_one_db(void **state) {
    (void)state;
    const char *db = "build/conc-runs.db";
    rm_db(db);
    char cmd[1000];
    snprintf(cmd, sizeof cmd, "for s in 1 2; do (%s run scenarios/baseline.ini --steps 200 "
             "--set population.persons=5000 --set run.seed=$s --threads 1 --quiet --out %s "
             "> build/conc-runs-$s.err 2>&1; echo \"exit $?\" >> build/conc-runs-$s.err) & "
             "done; wait", scsim(), db);
    assert_int_equal(system(cmd), 0);
    double done = query(db, "SELECT count(*) FROM runs WHERE status='done'");
    if (done != 2) {   /* what each run said, for the log */
        fprintf(stderr, "done runs: %g\n", done);
        system("cat build/conc-runs-1.err build/conc-runs-2.err >&2");
    }
    assert_true(done == 2);
    assert_true(query(db, "SELECT count(DISTINCT run_id) FROM runs") == 2);
    assert_true(query(db, "SELECT count(*) FROM (SELECT 1 FROM metrics GROUP BY run_id, step, "
                          "name, grp HAVING count(*) > 1)") == 0);
    assert_true(query(db, "SELECT count(DISTINCT n) FROM (SELECT count(*) AS n FROM metrics "
                          "GROUP BY run_id)") == 1);
}

/* Several `scsim run` creating one new database at the same moment: each opening adds the
 * sweep metadata's columns after reading that they are missing, so the reading and the
 * writing must be one transaction (before: "adding sweeps.spec_hash: duplicate column
 * name", exit 5, or "marking stale runs: database is locked"; the test failed in about half
 * of its executions before the fix). Twenty rounds of six small runs. */
static void test_runs_create_one_db(void **state) {
    (void)state;
    const char *db = "build/conc-create.db";
    for (int round = 0; round < 20; round++) {
        rm_db(db);
        char cmd[1200];
        snprintf(cmd, sizeof cmd, "fail=0; pids=; for s in 1 2 3 4 5 6; do %s run "
                 "scenarios/baseline.ini --steps 1 --set population.persons=200 --set "
                 "run.seed=$s --threads 1 --quiet --out %s > build/conc-create-$s.err 2>&1 & "
                 "pids=\"$pids $!\"; done; for j in $pids; do wait $j || fail=1; done; "
                 "exit $fail", scsim(), db);
        int rc = system(cmd);
        if (rc != 0) system("cat build/conc-create-*.err >&2");
        assert_int_equal(rc, 0);
        assert_true(query(db, "SELECT count(*) FROM runs WHERE status='done'") == 6);
    }
}

/* Defect 1: a run id is never given twice, also after the newest run was deleted (a resumed
 * sweep clears its unfinished runs), and also in a database migrated from version 3, where
 * a run left 'running' by an older scsim becomes 'stale'. (Before: the id came back.) */
static void test_ids_never_reused(void **state) {
    (void)state;
    const char *path = "build/conc-ids.db";
    rm_db(path);
    store_t *db = NULL;
    sim_err err = {{0}};
    store_run info = {"s", "", "", "{}", 1, 0, 0, -1, NULL, 0, NULL};
    int64_t id1 = 0, id2 = 0, id3 = 0;
    assert_int_equal(store_open(&db, path, &err), SIM_OK);
    assert_int_equal(store_begin_run(db, &info, &id1, &err), SIM_OK);
    assert_int_equal(store_begin_run(db, &info, &id2, &err), SIM_OK);
    exec_sql(path, "DELETE FROM runs WHERE run_id = (SELECT max(run_id) FROM runs)");
    assert_int_equal(store_begin_run(db, &info, &id3, &err), SIM_OK);
    assert_true(id3 > id2 && id2 > id1);
    store_close(db);
    /* the same database as version 3 wrote it: runs without AUTOINCREMENT nor writer */
    exec_sql(path, "DROP TABLE runs; DROP TABLE sweep_locks; DELETE FROM sqlite_sequence;"
             "CREATE TABLE runs(run_id INTEGER PRIMARY KEY, sweep_id INTEGER, point INTEGER,"
             " replicate INTEGER NOT NULL DEFAULT 0, scenario_name TEXT NOT NULL,"
             " scenario_text TEXT NOT NULL, overrides TEXT NOT NULL, params_json TEXT NOT NULL,"
             " seed INTEGER NOT NULL, scsim_version TEXT NOT NULL, status TEXT NOT NULL CHECK"
             "(status IN ('running','done','failed','interrupted')), started_at TEXT NOT NULL,"
             " finished_at TEXT, wall_seconds REAL, varied_json TEXT);"
             "INSERT INTO runs VALUES(1,NULL,NULL,0,'s','','','{}',1,'0','done','t',NULL,NULL,"
             "NULL), (2,NULL,NULL,0,'s','','','{}',1,'0','done','t',NULL,NULL,NULL),"
             "(3,NULL,NULL,0,'s','','','{}',1,'0','running','t',NULL,NULL,'{}');"
             "PRAGMA user_version = 3; UPDATE meta SET value = '3' WHERE key = 'schema_version'");
    assert_int_equal(store_open(&db, path, &err), SIM_OK);
    assert_true(query(path, "PRAGMA user_version") == SCSIM_SCHEMA_VERSION);
    assert_true(query(path, "SELECT count(*) FROM runs") == 3);
    assert_true(query(path, "SELECT count(*) FROM runs WHERE status = 'stale'") == 1);
    assert_true(query(path, "SELECT count(*) FROM runs WHERE varied_json = '{}'") == 1);
    exec_sql(path, "DELETE FROM runs WHERE run_id = 3");
    assert_int_equal(store_begin_run(db, &info, &id3, &err), SIM_OK);
    assert_true(id3 == 4);
    store_close(db);
    rm_db(path);
}

/* Defect 2: kill -9 of a --jobs 2 sweep's parent takes its workers with it at once (they
 * are gone 0.3 s later, /proc; a run takes about 0.6 s); the resume runs every task exactly once and gives the same
 * metrics and summaries as an uninterrupted sweep. (Before: the workers computed on as
 * orphans to the end of their runs.) */
static void test_kill9_parent(void **state) {
    (void)state;
    const char *exp = "build/conc-k9.ini", *db = "build/conc-k9.db", *ref = "build/conc-ref.db";
    write_experiment(exp, 1500);
    rm_db(db);
    rm_db(ref);
    pid_t p = start_sweep(exp, db, "2", 0, "/dev/null");
    wait_for(db, "SELECT count(*) FROM runs WHERE status = 'running'", 2);
    pid_t w[WORKERS_MAX];
    int n = children(p, w);
    assert_int_equal(n, 2);
    kill(p, SIGKILL);
    assert_int_equal(exit_code(p), 1000 + SIGKILL);
    assert_int_equal(alive_after(w, n, 300), 0);
    assert_int_equal(run_cmd("sweep build/conc-k9.ini --out build/conc-k9.db --jobs 2 "
                             "--threads 1 --quiet"), 0);
    assert_once(db, 4);
    assert_true(query(db, "SELECT count(*) FROM runs") == 4);
    assert_int_equal(run_cmd("sweep build/conc-k9.ini --out build/conc-ref.db --jobs 2 "
                             "--threads 1 --quiet"), 0);
    exec_sql(db, "ATTACH 'build/conc-ref.db' AS ref; CREATE TEMP VIEW a AS SELECT r.point,"
             " r.replicate, m.step, m.name, m.grp, m.value FROM main.runs r JOIN main.metrics m"
             " USING(run_id); CREATE TEMP VIEW b AS SELECT r.point, r.replicate, m.step, m.name,"
             " m.grp, m.value FROM ref.runs r JOIN ref.metrics m USING(run_id);"
             "CREATE TABLE diff AS SELECT (SELECT count(*) FROM (SELECT * FROM a EXCEPT SELECT *"
             " FROM b)) + (SELECT count(*) FROM (SELECT * FROM b EXCEPT SELECT * FROM a)) AS n,"
             " (SELECT count(*) FROM a) AS rows, (SELECT count(*) FROM b) AS ref_rows");
    assert_true(query(db, "SELECT n FROM diff") == 0);
    assert_true(query(db, "SELECT rows FROM diff") > 0);
    assert_true(query(db, "SELECT rows = ref_rows FROM diff") == 1);
}

/* Defect 2: a signal to the parent of a --jobs 2 sweep (or Ctrl-C to its group) reaches
 * the workers: the runs in flight stop and are stored as 'interrupted', nothing stays
 * 'running', the parent exits 130 and no worker outlives it. (Before: SIGTERM let the runs
 * finish as 'done'; SIGHUP killed the parent and left 'running' rows.) */
static void signal_sweep(int sig, int group, int resume) {
    const char *exp = "build/conc-sig.ini", *db = "build/conc-sig.db";
    write_experiment(exp, 1500);
    rm_db(db);
    pid_t p = start_sweep(exp, db, "2", group, "/dev/null");
    wait_for(db, "SELECT count(*) FROM runs WHERE status = 'running'", 2);
    pid_t w[WORKERS_MAX];
    int n = children(p, w);
    assert_int_equal(n, 2);
    kill(group ? -p : p, sig);
    assert_int_equal(exit_code(p), 130);
    assert_int_equal(alive_after(w, n, 0), 0);
    assert_true(query(db, "SELECT count(*) FROM runs WHERE status = 'running'") == 0);
    assert_true(query(db, "SELECT count(*) FROM runs WHERE status = 'interrupted'") == 2);
    if (!resume) return;
    assert_int_equal(run_cmd("sweep build/conc-sig.ini --out build/conc-sig.db --jobs 2 "
                             "--threads 1 --quiet"), 0);
    assert_once(db, 4);
}

static void test_sigterm_parent(void **state) { (void)state; signal_sweep(SIGTERM, 0, 1); }
static void test_sighup_parent(void **state) { (void)state; signal_sweep(SIGHUP, 0, 0); }
static void test_ctrl_c_group(void **state) { (void)state; signal_sweep(SIGINT, 1, 0); }

/* Defect 9: 'running' rows whose writer is gone (a dead pid on this host, or a live pid
 * with another start token: the pid was reused) are marked 'stale' by the next writer;
 * rows of a live writer and of another host are left; plot pools only done runs and
 * refuses a run that is not done. (Before: they stayed 'running' and plot pooled them.) */
static void test_stale_rows(void **state) {
    (void)state;
    const char *db = "build/conc-stale.db";
    rm_db(db);
    const char *run = "run scenarios/baseline.ini --steps 20 --set population.persons=2000 "
                      "--threads 1 --quiet --out build/conc-stale.db";
    assert_int_equal(run_cmd(run), 0);
    pid_t dead = fork();
    if (dead == 0) _exit(0);
    exit_code(dead);
    store_owner me;
    store_owner_self(&me);
    char sql[2000];
    snprintf(sql, sizeof sql,
             "CREATE TEMP TABLE w(pid, host, tok); INSERT INTO w VALUES (%d, '%s', '%s'),"
             "(%ld, '%s', '%s'), (%ld, '%s', 'another:1'), (%ld, 'elsewhere.example', 'x');"
             "INSERT INTO runs(sweep_id, point, replicate, scenario_name, scenario_text,"
             " overrides, params_json, seed, scsim_version, status, started_at, pid, host,"
             " start_token) SELECT sweep_id, point, replicate, scenario_name, scenario_text,"
             " overrides, params_json, seed, scsim_version, 'running', started_at, w.pid, w.host,"
             " w.tok FROM runs, w WHERE run_id = 1 ORDER BY w.rowid;"
             "INSERT INTO metric_rows SELECT r.run_id, m.step, m.metric, m.grp, m.value FROM"
             " metric_rows m, runs r WHERE m.run_id = 1 AND r.run_id > 1",
             (int)dead, me.host, me.token, me.pid, me.host, me.token, me.pid, me.host, me.pid);
    exec_sql(db, sql);
    char next[300];   /* another seed: the same run again would be refused as a duplicate */
    snprintf(next, sizeof next, "%s --seed 2", run);
    assert_int_equal(run_cmd(next), 0);   /* the next writer */
    assert_true(query(db, "SELECT status = 'stale' FROM runs WHERE run_id = 2") == 1);
    assert_true(query(db, "SELECT status = 'running' FROM runs WHERE run_id = 3") == 1);
    assert_true(query(db, "SELECT status = 'stale' FROM runs WHERE run_id = 4") == 1);
    assert_true(query(db, "SELECT status = 'running' FROM runs WHERE run_id = 5") == 1);
    assert_true(query(db, "SELECT count(*) FROM runs WHERE status = 'done'") == 2);
    assert_int_equal(run_cmd("plot build/conc-stale.db --figure timeseries --out "
                             "build/conc-figs"), 0);
    FILE *f = fopen("build/conc.out", "r");
    char out[1000] = "";
    assert_non_null(f);
    size_t len = fread(out, 1, sizeof out - 1, f);
    out[len] = 0;
    fclose(f);
    assert_contains(out, "data from 2 run(s)");
    assert_int_equal(run_cmd("plot build/conc-stale.db --runs 2 --figure timeseries --out "
                             "build/conc-figs"), 5);
}

/* Defect 9: a run whose results cannot be stored (here a trigger refuses every metric row,
 * as a full disk would) exits 5 and is marked 'failed', not left 'running'. (Before: it
 * stayed 'running'.) */
static void test_failed_store_marked(void **state) {
    (void)state;
    const char *db = "build/conc-full.db";
    rm_db(db);
    const char *run = "run scenarios/baseline.ini --steps 5 --set population.persons=2000 "
                      "--threads 1 --quiet --out build/conc-full.db";
    assert_int_equal(run_cmd(run), 0);
    exec_sql(db, "CREATE TRIGGER full BEFORE INSERT ON metric_rows BEGIN SELECT "
                 "RAISE(ABORT, 'database or disk is full (simulated)'); END");
    assert_int_equal(run_cmd("run scenarios/baseline.ini --steps 5 --set population.persons="
                             "2000 --threads 1 --quiet --out build/conc-full.db --seed 2"), 5);
    assert_true(query(db, "SELECT count(*) FROM runs WHERE status = 'failed'") == 1);
    assert_true(query(db, "SELECT count(*) FROM runs WHERE status = 'running'") == 0);
    assert_true(query(db, "SELECT count(*) FROM metrics WHERE run_id = 2") == 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_sweeps_one_db),
        cmocka_unit_test(test_two_runs_one_db),
        cmocka_unit_test(test_runs_create_one_db),
        cmocka_unit_test(test_ids_never_reused),
        cmocka_unit_test(test_kill9_parent),
        cmocka_unit_test(test_sigterm_parent),
        cmocka_unit_test(test_sighup_parent),
        cmocka_unit_test(test_ctrl_c_group),
        cmocka_unit_test(test_stale_rows),
        cmocka_unit_test(test_failed_store_marked),
    };
    return cmocka_run_group_tests_name("concurrency", tests, NULL, NULL);
}
