/* tests/test_sweep.c - `scsim sweep` end to end: identical results for any --jobs, resume
 * after SIGKILL with every run exactly once, and clear errors. Runs from the repository root;
 * SCSIM names the binary. */
#include "testutil.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>
#include <math.h>
#include <unistd.h>

#include "results.h"
#include "store.h"
#include "sweep.h"

static const char *scsim(void) {
    const char *p = getenv("SCSIM");
    return p ? p : "build/scsim";
}

static int sh(const char *fmt, const char *a, const char *b) {
    char cmd[2048], line[1024];
    snprintf(line, sizeof line, fmt, a, b);
    snprintf(cmd, sizeof cmd, "%s %s > build/sweep.out 2>&1", scsim(), line);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static double query(const char *path, const char *sql) {
    sqlite3 *db;
    sqlite3_stmt *q;
    double v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_double(q, 0);
        sqlite3_finalize(q);
    }
    sqlite3_close(db);
    return v;
}

static void rm_db(const char *path) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -f %s %s-wal %s-shm", path, path, path);
    assert_int_equal(system(cmd), 0);
}

/* A 3 x 2 grid, 2 replicates: 12 runs of `persons` persons. */
static void write_experiment(const char *path, int persons) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "[experiment]\nname = test-grid\nscenario = ../scenarios/points-spillover.ini\n"
               "design = grid\nreplicates = 2\n[set]\npopulation.persons = %d\n"
               "run.steps = 30\n[param.err]\nkey = agency.civility.false_record\n"
               "values = 0, 0.002, 0.004\n[param.w]\nkey = spillover.social_points.weight\n"
               "lo = 0\nhi = 4\nstep = 4\n", persons);
    fclose(f);
}

/* Tidy contents keyed by design point and replicate, in a file, for comparison. */
static void dump(const char *db, const char *out) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "sqlite3 %s \"SELECT r.point, r.replicate, r.overrides, "
             "m.step, m.name, m.grp, m.value FROM metrics m JOIN runs r USING(run_id) "
             "ORDER BY 1, 2, 4, 5, 6\" > %s", db, out);
    assert_int_equal(system(cmd), 0);
}

static void test_jobs_identical(void **state) {
    (void)state;
    write_experiment("build/exp-grid.ini", 2000);
    rm_db("build/sweep1.db");
    rm_db("build/sweep2.db");
    assert_int_equal(sh("sweep %s --out %s --quiet", "build/exp-grid.ini", "build/sweep1.db"), 0);
    assert_int_equal(sh("sweep %s --out %s --quiet --jobs 2", "build/exp-grid.ini",
                        "build/sweep2.db"), 0);
    assert_true(query("build/sweep1.db", "SELECT count(*) FROM runs WHERE status='done' AND "
                      "sweep_id=1") == 12);
    assert_true(query("build/sweep1.db", "SELECT count(DISTINCT point) FROM runs") == 6);
    dump("build/sweep1.db", "build/sweep1.txt");
    dump("build/sweep2.db", "build/sweep2.txt");
    assert_int_equal(system("cmp -s build/sweep1.txt build/sweep2.txt"), 0);
    /* as three shards, merged */
    const char *shards[3] = {"build/shard1.db", "build/shard2.db", "build/shard3.db"};
    for (int k = 0; k < 3; k++) {
        char opt[32];
        rm_db(shards[k]);
        snprintf(opt, sizeof opt, "--shard %d/3", k + 1);
        char args[128];
        snprintf(args, sizeof args, "%s --quiet %s", shards[k], opt);
        assert_int_equal(sh("sweep %s --out %s", "build/exp-grid.ini", args), 0);
        assert_true(query(shards[k], "SELECT count(*) FROM runs") == 4);
    }
    rm_db("build/merged.db");
    assert_int_equal(sh("merge build/merged.db %s %s", "build/shard1.db",
                        "build/shard2.db build/shard3.db"), 0);
    dump("build/merged.db", "build/merged.txt");
    assert_int_equal(system("cmp -s build/sweep1.txt build/merged.txt"), 0);
    assert_true(query("build/merged.db", "SELECT count(*) FROM sweeps") == 1);
    /* merging a shard again is refused and changes nothing */
    assert_int_equal(sh("merge build/merged.db %s%s", "build/shard2.db", ""), 5);
    assert_true(query("build/merged.db", "SELECT count(*) FROM runs") == 12);
    assert_int_equal(sh("merge build/merged.db %s%s", "build/no-such.db", ""), 4);
    /* under MPI: 3 ranks (rank 0 writes, 2 simulate) */
    const char *mpi = getenv("SCSIM_MPI");
    assert_non_null(mpi);
    rm_db("build/sweep-mpi.db");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "ASAN_OPTIONS=detect_leaks=0 mpirun -x ASAN_OPTIONS "
             "--oversubscribe %s -np 3 %s sweep build/exp-grid.ini --out build/sweep-mpi.db "
             "--quiet > build/sweep-mpi.out 2>&1", geteuid() == 0 ? "--allow-run-as-root" : "",
             mpi);
    int rc = system(cmd);
    if (!WIFEXITED(rc) || WEXITSTATUS(rc) != 0) {
        system("cat build/sweep-mpi.out");
        fail_msg("mpirun failed: %d", rc);
    }
    dump("build/sweep-mpi.db", "build/sweep-mpi.txt");
    assert_int_equal(system("cmp -s build/sweep1.txt build/sweep-mpi.txt"), 0);
    /* run again: nothing left to do, nothing duplicated */
    assert_int_equal(sh("sweep %s --out %s --quiet", "build/exp-grid.ini", "build/sweep1.db"), 0);
    /* summary per design point: 6 rows, means with intervals, the varied settings only */
    assert_int_equal(sh("summary %s --sweep %s", "build/sweep1.db", "test-grid"), 0);
    FILE *f = fopen("build/sweep.out", "r");
    assert_non_null(f);
    char line[1024];
    int rows = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, " +- ") && !strstr(line, "half-width")) {
            rows++;
            assert_non_null(strstr(line, "agency.civility.false_record="));
            assert_null(strstr(line, "population.persons"));
        }
    fclose(f);
    assert_int_equal(rows, 6);
    /* any metric, per-step ones at a chosen step */
    assert_int_equal(sh("summary %s --sweep test-grid --step 30 --metric %s", "build/sweep1.db",
                        "wrongly_listed.black@group:0"), 0);
    FILE *g = fopen("build/sweep.out", "r");
    assert_non_null(g);
    rows = 0;
    while (fgets(line, sizeof line, g)) rows += strstr(line, " +- ") && !strstr(line, "half-width");
    fclose(g);
    assert_int_equal(rows, 6);
    assert_int_equal(sh("summary %s --sweep test-grid --step 30%s", "build/sweep1.db", ""), 2);
    assert_int_equal(sh("summary %s --sweep %s", "build/sweep1.db", "no-such-sweep"), 5);
    assert_true(query("build/sweep1.db", "SELECT count(*) FROM runs") == 12);
}

/* SIGKILL partway, then the same command again: every design point has exactly its two
 * replicates, each done. */
static void test_resume_after_sigkill(void **state) {
    (void)state;
    write_experiment("build/exp-kill.ini", 100000);
    rm_db("build/sweep-kill.db");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr)) _exit(126);
        execl(scsim(), scsim(), "sweep", "build/exp-kill.ini", "--out", "build/sweep-kill.db",
              "--threads", "1", (char *)NULL);
        _exit(127);
    }
    /* wait until some runs are done (at most 60 s), then kill mid-run */
    double done = 0;
    for (int i = 0; i < 600 && done < 3; i++) {
        struct timespec ts = {0, 100000000};
        nanosleep(&ts, NULL);
        done = query("build/sweep-kill.db", "SELECT count(*) FROM runs WHERE status='done'");
    }
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status));   /* it was killed, not finished */
    double before = query("build/sweep-kill.db", "SELECT count(*) FROM runs WHERE status='done'");
    assert_true(before >= 3 && before < 12);
    assert_int_equal(sh("sweep %s --out %s --quiet", "build/exp-kill.ini",
                        "build/sweep-kill.db"), 0);
    assert_true(query("build/sweep-kill.db", "SELECT count(*) FROM runs") == 12);
    assert_true(query("build/sweep-kill.db", "SELECT count(*) FROM runs WHERE status='done'")
                == 12);
    assert_true(query("build/sweep-kill.db", "SELECT count(*) FROM (SELECT DISTINCT point, "
                      "replicate FROM runs)") == 12);
    assert_true(query("build/sweep-kill.db", "SELECT count(*) FROM metrics WHERE run_id NOT IN "
                      "(SELECT run_id FROM runs)") == 0);
}

/* SIGINT stops cleanly: exit 130, the run in progress stored as 'interrupted' (or none in
 * progress), nothing 'running'; the same command then finishes the sweep. */
static void test_sigint_then_resume(void **state) {
    (void)state;
    write_experiment("build/exp-int.ini", 100000);
    rm_db("build/sweep-int.db");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr)) _exit(126);
        execl(scsim(), scsim(), "sweep", "build/exp-int.ini", "--out", "build/sweep-int.db",
              "--threads", "1", (char *)NULL);
        _exit(127);
    }
    double done = 0;
    for (int i = 0; i < 600 && done < 2; i++) {
        struct timespec ts = {0, 50000000};
        nanosleep(&ts, NULL);
        done = query("build/sweep-int.db", "SELECT count(*) FROM runs WHERE status='done'");
    }
    kill(pid, SIGINT);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 130);
    assert_true(query("build/sweep-int.db", "SELECT count(*) FROM runs WHERE status='running'")
                == 0);
    assert_true(query("build/sweep-int.db", "SELECT count(*) FROM runs WHERE status NOT IN "
                      "('done', 'interrupted')") == 0);
    assert_int_equal(sh("sweep %s --out %s --quiet", "build/exp-int.ini", "build/sweep-int.db"), 0);
    assert_true(query("build/sweep-int.db", "SELECT count(*) FROM runs WHERE status='done'")
                == 12);
    assert_true(query("build/sweep-int.db", "SELECT count(*) FROM runs") == 12);
}

/* Bad experiments: exit 3 naming file and key; a changed experiment on the same database:
 * exit 5; usage errors: exit 2. */
static void test_bad_experiments(void **state) {
    (void)state;
    FILE *f = fopen("build/exp-bad.ini", "w");
    assert_non_null(f);
    fputs("[experiment]\ndesign = grid\n[param.x]\nkey = run.seed\nvalues = 1, 2\n", f);
    fclose(f);
    assert_int_equal(sh("sweep %s --out %s", "build/exp-bad.ini", "build/sweep-bad.db"), 3);
    f = fopen("build/exp-bad.ini", "w");
    fputs("[experiment]\nscenario = ../scenarios/base.ini\ndesign = gird\n", f);
    fclose(f);
    assert_int_equal(sh("sweep %s --out %s", "build/exp-bad.ini", "build/sweep-bad.db"), 3);
    f = fopen("build/exp-bad.ini", "w");
    fputs("[experiment]\nscenario = ../scenarios/base.ini\n[param.x]\n"
          "key = population.persns\nvalues = 100, 200\n", f);
    fclose(f);
    assert_int_equal(sh("sweep %s --out %s", "build/exp-bad.ini", "build/sweep-bad.db"), 3);
    write_experiment("build/exp-grid.ini", 2100);   /* differs from the one in sweep1.db */
    assert_int_equal(sh("sweep %s --out %s --quiet", "build/exp-grid.ini", "build/sweep1.db"), 5);
    assert_int_equal(sh("sweep %s %s", "build/exp-grid.ini", ""), 2);
    assert_int_equal(sh("sweep %s --out %s --jobs 0", "build/exp-grid.ini", "x.db"), 2);
    assert_int_equal(sh("sweep --help%s%s", "", ""), 0);
}

/* The analysis path of `scsim analyze` on the Ishigami function (a = 7, b = 0.1), whose
 * Sobol indices are known: runs whose summary value is f(x) of their design point are
 * written with the store, analyzed by the command, and read back from the sensitivity table.
 * Tolerance 0.05 at n = 1024 (the estimator's error there is about 0.02, docs/sensitivity.md);
 * the analytic values come from the closed-form variances. */
static void test_analyze_ishigami(void **state) {
    (void)state;
    const double a = 7, b = 0.1, pi = 3.14159265358979323846;
    FILE *f = fopen("build/exp-ishi.ini", "w");
    assert_non_null(f);
    fputs("[experiment]\nname = ishigami\nscenario = ../scenarios/base.ini\ndesign = saltelli\n"
          "points = 1024\n", f);
    for (int j = 1; j <= 3; j++)
        fprintf(f, "[param.x%d]\nkey = x%d\nlo = %.17g\nhi = %.17g\n", j, j, -pi, pi);
    fclose(f);
    sweep_spec sp;
    design_t *d = NULL;
    sim_err err;
    assert_int_equal(sweep_load(&sp, "build/exp-ishi.ini", &err), SIM_OK);
    assert_int_equal(sweep_plan(&sp, &d, &err), SIM_OK);
    rm_db("build/ishi.db");
    store_t *db;
    int64_t sweep_id, run_id;
    assert_int_equal(store_open(&db, "build/ishi.db", &err), SIM_OK);
    assert_int_equal(store_sweep_open(db, "ishigami", "saltelli", "spec", &sweep_id, &err), SIM_OK);
    for (size_t p = 0; p < d->rows; p++) {
        const double *x = d->x + p * 3;
        double y = sin(x[0]) + a * sin(x[1]) * sin(x[1]) + b * pow(x[2], 4) * sin(x[0]);
        res_t *r;
        assert_int_equal(res_new(&r, 0, &err), SIM_OK);
        assert_true(res_put_summary(r, M_VIOLATIONS, "all", y));   /* any registry metric */
        store_run info = {"ishigami", "", "", "{}", 1, sweep_id, 0, (int64_t)p, NULL, 0, NULL};
        assert_int_equal(store_begin_run(db, &info, &run_id, &err), SIM_OK);
        assert_int_equal(store_finish_run(db, run_id, r, "done", 0, &err), SIM_OK);
        res_free(r);
    }
    store_close(db);
    assert_int_equal(sh("analyze %s --db %s --metric violations --boot 200", "build/exp-ishi.ini",
                        "build/ishi.db"), 0);
    double V = a * a / 8 + b * pow(pi, 4) / 5 + b * b * pow(pi, 8) / 18 + 0.5;
    double V1 = pow(1 + b * pow(pi, 4) / 5, 2) / 2, V2 = a * a / 8;
    double V13 = b * b * pow(pi, 8) * (1.0 / 18 - 1.0 / 50);
    const double S1[3] = {V1 / V, V2 / V, 0}, ST[3] = {(V1 + V13) / V, V2 / V, V13 / V};
    for (int j = 0; j < 3; j++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT value FROM sensitivity WHERE parameter='x%d' AND "
                 "measure='S1' AND metric='violations'", j + 1);
        assert_true(fabs(query("build/ishi.db", sql) - S1[j]) < 0.05);
        snprintf(sql, sizeof sql, "SELECT value FROM sensitivity WHERE parameter='x%d' AND "
                 "measure='ST' AND metric='violations'", j + 1);
        assert_true(fabs(query("build/ishi.db", sql) - ST[j]) < 0.05);
    }
    assert_true(query("build/ishi.db", "SELECT count(*) FROM sensitivity") == 6);
    design_free(d);
    sweep_free(&sp);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jobs_identical),
        cmocka_unit_test(test_resume_after_sigkill),
        cmocka_unit_test(test_sigint_then_resume),
        cmocka_unit_test(test_bad_experiments),
        cmocka_unit_test(test_analyze_ishigami),
    };
    return cmocka_run_group_tests_name("sweep", tests, NULL, NULL);
}
