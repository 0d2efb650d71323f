/* tests/test_crash.c - crash consistency of sweeps (issue 15): a `--jobs 2` sweep is killed
 * with SIGKILL to its whole process group (parent and workers at once) at 20 pseudo-random
 * moments (fixed seed), resumed after each kill, and finally run to the end; the database
 * then holds the same runs as an uninterrupted sweep, each task exactly once, no rows of
 * unfinished runs, and identical metrics, summaries and events. Runs from the repository
 * root (scripts/run-tests.sh); SCSIM names the binary. About 10-30 s. */
#include "testutil.h"

#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { KILLS = 20, TASKS = 12 };

static const char EXP[] = "build/crash-exp.ini", REF[] = "build/crash-ref.db",
                  DB[] = "build/crash.db";

static const char *scsim(void) {
    const char *p = getenv("SCSIM");
    return p ? p : "build/scsim";
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void nap(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void rm_db(const char *path) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -f %s %s-wal %s-shm", path, path, path);
    assert_int_equal(system(cmd), 0);
}

/* 4 points x 3 replicates of 2000 persons, 10 steps. */
static void write_experiment(void) {
    FILE *f = fopen(EXP, "w");
    assert_non_null(f);
    fprintf(f, "[experiment]\nname = crash\nscenario = ../scenarios/points-spillover.ini\n"
               "design = grid\nreplicates = 3\n[set]\npopulation.persons = 2000\n"
               "run.steps = 10\n[param.err]\nkey = agency.civility.false_record\n"
               "values = 0, 0.004, 0.01, 0.02\n");
    assert_int_equal(fclose(f), 0);
}

/* Starts the sweep into db in its own process group (the group id is its pid). */
static pid_t start_sweep(const char *db) {
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setpgid(0, 0);
        if (!freopen("/dev/null", "w", stderr) || !freopen("/dev/null", "w", stdout)) _exit(126);
        execl(scsim(), scsim(), "sweep", EXP, "--out", db, "--jobs", "2", "--threads", "1",
              "--quiet", (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);   /* also here, so the kill below cannot come before the child's */
    return pid;
}

static int wait_exit(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

static double query(const char *sql) {
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    double v = -1;
    assert_int_equal(sqlite3_open_v2(DB, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char attach[200];
    snprintf(attach, sizeof attach, "ATTACH '%s' AS ref", REF);
    assert_int_equal(sqlite3_exec(db, attach, NULL, NULL, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_double(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

/* Done runs in DB so far; 0 when a kill came before the sweep made the database or its
 * schema (the schema is one transaction: no table, or all of them). */
static int done_runs(void) {
    if (access(DB, F_OK) != 0) return 0;
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    int n = 0;
    assert_int_equal(sqlite3_open_v2(DB, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM runs WHERE status = 'done'", -1, &q,
                           NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return n;
}

/* The rows of done runs keyed by (point, replicate) instead of run id, in schema S. */
#define KEYED_METRICS(S)                                                                     \
    "SELECT r.point, r.replicate, m.step, m.metric, m.grp, m.value FROM " S ".metric_rows m " \
    "JOIN " S ".runs r USING(run_id) WHERE r.status = 'done'"
#define KEYED_SUMMARY(S)                                                                     \
    "SELECT r.point, r.replicate, s.metric, s.grp, s.value FROM " S ".summary_rows s JOIN "  \
    S ".runs r USING(run_id) WHERE r.status = 'done'"
#define KEYED_EVENTS(S)                                                                      \
    "SELECT r.point, r.replicate, e.step, e.kind, e.list, e.agent, e.cause, e.source, "      \
    "e.layer, e.agency FROM " S ".events e JOIN " S ".runs r USING(run_id) "                \
    "WHERE r.status = 'done'"

/* Rows in one set and not the other, both ways, plus the difference in counts. */
static double differ(const char *a, const char *b) {
    char sql[2400];
    snprintf(sql, sizeof sql, "SELECT (SELECT count(*) FROM (%s EXCEPT %s)) + (SELECT count(*) "
             "FROM (%s EXCEPT %s)) + abs((SELECT count(*) FROM (%s)) - (SELECT count(*) FROM "
             "(%s)))", a, b, b, a, a, b);
    return query(sql);
}

/* DB holds every task exactly once, no rows of unfinished runs, and the same metrics,
 * summaries and events as the uninterrupted sweep REF (keyed by point and replicate). */
static void check_complete(void) {
    assert_true(query("SELECT count(*) FROM runs WHERE status = 'done'") == TASKS);
    assert_true(query("SELECT count(*) FROM runs") == TASKS);
    assert_true(query("SELECT count(*) FROM (SELECT 1 FROM runs GROUP BY point, replicate "
                      "HAVING count(*) > 1)") == 0);
    assert_true(query("SELECT count(*) FROM metric_rows WHERE run_id NOT IN (SELECT run_id "
                      "FROM runs WHERE status = 'done')") == 0);
    assert_true(query("SELECT count(*) FROM ref.runs WHERE status = 'done'") == TASKS);
    assert_true(query("SELECT count(*) FROM (" KEYED_METRICS("ref") ")") > 0);
    assert_true(differ(KEYED_METRICS("main"), KEYED_METRICS("ref")) == 0);
    assert_true(differ(KEYED_SUMMARY("main"), KEYED_SUMMARY("ref")) == 0);
    assert_true(differ(KEYED_EVENTS("main"), KEYED_EVENTS("ref")) == 0);
    assert_true(query("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check "
                      "!= 'ok'") == 0);
}

/* Kill -9 of the whole group once a pseudo-random number of runs is stored (plus 0-24 ms),
 * then resume; when a resume completes the sweep, the database is checked and
 * started afresh, so every kill lands on a sweep with work left. */
static void test_kill9_group_and_resume(void **state) {
    (void)state;
    write_experiment();
    rm_db(REF);
    rm_db(DB);
    double t0 = now_ms();
    pid_t ref = start_sweep(REF);
    assert_int_equal(wait_exit(ref), 0);
    double full_ms = now_ms() - t0;
    unsigned long long x = 20261206;   /* fixed seed: the kill moments */
    int killed = 0, partial = 0, completed = 0;
    for (int i = 0; i < KILLS; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        int target = (int)((x >> 33) % TASKS);   /* kill once this many runs are stored ... */
        long extra = (long)((x >> 20) % 25);     /* ... and 0-24 ms later, mid-run or mid-write */
        pid_t pid = start_sweep(DB);
        int status = 0, reaped = 0, rc;
        while (!(reaped = waitpid(pid, &status, WNOHANG) == pid) && done_runs() < target) nap(2);
        if (!reaped) {
            nap(extra);
            kill(-pid, SIGKILL);   /* the group: parent and workers at once */
            rc = wait_exit(pid);
        } else {
            rc = WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
        }
        assert_true(rc == 0 || rc == 1000 + SIGKILL);
        killed += rc == 1000 + SIGKILL;
        int done = done_runs();
        partial += done > 0 && done < TASKS;
        if (done == TASKS) {   /* finished before the kill or by this resume */
            check_complete();
            rm_db(DB);
            completed++;
        }
    }
    pid_t last = start_sweep(DB);
    assert_int_equal(wait_exit(last), 0);
    print_message("%d of %d kills hit a running sweep, %d left it part done (uninterrupted: "
                  "%.0f ms); %d sweeps completed between kills\n", killed, KILLS, partial,
                  full_ms, completed);
    assert_true(killed >= KILLS / 4);   /* the others came after the sweep had finished */
    assert_true(partial >= 1);   /* some kill fell between two stored runs */
    check_complete();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill9_group_and_resume),
    };
    return cmocka_run_group_tests_name("crash", tests, NULL, NULL);
}
