/* tests/test_cli.c - end to end: the scsim command, its exit codes, and the database it
 * writes, queried with SQL. Runs from the repository root; SCSIM names the binary. */
#include "testutil.h"

#include <ctype.h>

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *scsim(void) {
    const char *p = getenv("SCSIM");
    return p ? p : "build/scsim";
}

/* Runs "scsim ARGS", stdout and stderr to build/e2e.out; returns the exit code. */
static int run(const char *args) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s %s > build/e2e.out 2>&1", scsim(), args);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static char *output(void) {
    static char buf[1 << 16];
    FILE *f = fopen("build/e2e.out", "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = 0;
    return buf;
}

static void rm_db(const char *path) {
    char p[512];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static double query(const char *path, const char *sql) {
    sqlite3 *db;
    sqlite3_stmt *q;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);   /* a handle is returned even on failure */
        return NAN;
    }
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    double v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_double(q, 0) : NAN;
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

/* Every row of sql, every column as text, in one malloc'd string. */
static char *dump(const char *path, const char *sql) {
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    size_t cap = 1 << 16, len = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    s[0] = 0;
    while (sqlite3_step(q) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count(q); c++) {
            const char *v = (const char *)sqlite3_column_text(q, c);
            size_t k = strlen(v ? v : "NULL") + 2;
            while (len + k + 1 > cap) s = realloc(s, cap *= 2);
            len += (size_t)sprintf(s + len, "%s%c", v ? v : "NULL", c ? '|' : '\n');
        }
    sqlite3_finalize(q);
    sqlite3_close(db);
    return s;
}

static void test_help_version_usage(void **state) {
    (void)state;
    assert_int_equal(run("--help"), 0);
    assert_contains(output(), "run FILE");
    const char *every = "run\0validate\0show\0list\0sweep\0summary\0export\0merge\0analyze\0"
                        "plot\0verify\0report\0";
    for (const char *c = every; *c; c += strlen(c) + 1) {
        char line[64];
        snprintf(line, sizeof line, "\n  %s ", c);
        if (!strstr(output(), line)) fail_msg("scsim --help does not list %s", c);
    }
    assert_int_equal(run("--version"), 0);
    assert_contains(output(), "scsim ");
    for (const char *c = every; *c; c += strlen(c) + 1) {
        char args[64], want[64];
        snprintf(args, sizeof args, "%s --help", c);
        assert_int_equal(run(args), 0);
        snprintf(want, sizeof want, "usage: scsim %s", c);
        assert_contains(output(), want);
        assert_contains(output(), "-h, --help");
    }
    assert_int_equal(run(""), 2);
    assert_int_equal(run("frobnicate"), 2);
    assert_contains(output(), "unknown command");
    assert_int_equal(run("run"), 2);
    assert_int_equal(run("run scenarios/baseline.ini --bogus"), 2);
    assert_int_equal(run("run scenarios/baseline.ini --threads x"), 2);
    assert_int_equal(run("run scenarios/baseline.ini --set nodot"), 2);
    assert_int_equal(run("run scenarios/baseline.ini --seed 12x"), 2);
    assert_contains(output(), "--seed 12x: expected an integer 0 .. 9223372036854775807");
    assert_int_equal(run("run scenarios/baseline.ini --seed 9223372036854775808"), 2);
    assert_int_equal(run("run scenarios/baseline.ini --out"), 2);
    assert_contains(output(), "--out needs a value");
    assert_int_equal(run("run scenarios/baseline.ini --quie"), 2);
    assert_int_equal(run("sweep scenarios/sweeps/error-x-spillover.ini --out x.db --jobs 0"), 2);
    assert_contains(output(), "--jobs 0: expected an integer 1 .. 1024");
    assert_int_equal(run("verify --threads -1"), 2);
    assert_int_equal(run("merge build/e2e-only.db"), 2);
    /* --seed and --steps take what run.seed and run.steps take (the scenario key table):
     * at the bounds the scenario is built (and fails here on the population, exit 3) */
    assert_int_equal(run("validate scenarios/baseline.ini --set run.steps=100000 "
                         "--set run.seed=9223372036854775807"), 0);
    assert_int_equal(run("validate scenarios/baseline.ini --set run.steps=100001"), 3);
    assert_int_equal(run("run scenarios/baseline.ini --steps 100000 --seed 9223372036854775807 "
                         "--set population.persons=-1 --out build/e2e-none.db"), 3);
    assert_int_equal(run("run scenarios/baseline.ini --steps 100001"), 2);
    assert_int_equal(run("run scenarios/baseline.ini --steps 0"), 2);
    assert_int_equal(run("run no-such-file.ini --out build/e2e-none.db"), 4);
}

/* A small baseline run: exit 0, one done run, and the invariants of the metrics. */
static void test_run_invariants(void **state) {
    (void)state;
    const char *db = "build/e2e-run.db";
    rm_db(db);
    assert_int_equal(run("run scenarios/baseline.ini --set population.persons=3000 "
                         "--steps 36 --set run.seed_listed=0.01 --out build/e2e-run.db"), 0);
    assert_contains(output(), "done");
    assert_true(query(db, "SELECT count(*) FROM runs WHERE status='done' AND wall_seconds "
                          "IS NOT NULL AND scenario_text LIKE '%include = base.ini%'") == 1);
    assert_true(query(db, "SELECT count(DISTINCT step) FROM metrics") == 36);
    /* causes sum to new listings, at every step */
    assert_true(query(db, "SELECT count(*) FROM metrics a WHERE a.name='new_listed.black' "
                          "AND a.grp='all' AND a.value != (SELECT sum(value) FROM metrics b "
                          "WHERE b.run_id=a.run_id AND b.step=a.step AND b.name=a.name AND "
                          "b.grp LIKE 'cause:%')") == 0);
    /* wrongly listed <= listed; listed and violations <= population */
    assert_true(query(db, "SELECT count(*) FROM metrics w JOIN metrics l USING(run_id, step,"
                          " grp) WHERE w.name='wrongly_listed.black' AND l.name="
                          "'listed.black' AND w.value > l.value") == 0);
    double n = query(db, "SELECT sum(value) FROM summary WHERE name IN ('persons','firms')");
    assert_true(n == 3000 + 150);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM metrics WHERE (name LIKE 'listed.%%' OR "
             "name='violations') AND value > %g", n);
    assert_true(query(db, sql) == 0);
    /* events agree with the metrics while under the cap */
    assert_true(query(db, "SELECT count(*) FROM events WHERE kind='listed' AND list='black'")
                == query(db, "SELECT value FROM summary WHERE name='listings.black' AND "
                             "grp='all'"));
    assert_true(query(db, "SELECT count(*) FROM events WHERE cause='spillover' AND "
                          "list='black' AND layer IS NULL") == 0);
    assert_true(query(db, "SELECT count(*) FROM events WHERE cause='spillover' AND "
                          "layer='partner' AND source IS NULL") == 0);
}

/* The same scenario and seed give the same database contents with 1 and 2 threads. */
static void test_threads_same_database(void **state) {
    (void)state;
    const char *dbs[2] = {"build/e2e-t1.db", "build/e2e-t2.db"};
    for (int k = 0; k < 2; k++) {
        char args[256];
        rm_db(dbs[k]);
        snprintf(args, sizeof args, "run scenarios/baseline.ini --set population.persons="
                 "20000 --steps 24 --seed 7 --threads %d --quiet --out %s", k + 1, dbs[k]);
        assert_int_equal(run(args), 0);
    }
    const char *sqls[] = {
        "SELECT run_id, scenario_name, scenario_text, overrides, params_json, seed, "
        "scsim_version, status FROM runs ORDER BY run_id",
        "SELECT * FROM metrics ORDER BY run_id, step, name, grp",
        "SELECT * FROM summary ORDER BY run_id, name, grp",
        "SELECT * FROM events ORDER BY rowid"};
    for (size_t q = 0; q < sizeof sqls / sizeof *sqls; q++) {
        char *a = dump(dbs[0], sqls[q]), *b = dump(dbs[1], sqls[q]);
        assert_true(strlen(a) > 10);
        if (strcmp(a, b) != 0) fail_msg("differs with 2 threads: %s", sqls[q]);
        free(a);
        free(b);
    }
}

/* Every file of the bad corpus: exit code 3, its name in the message, no done run. */
static void test_bad_corpus(void **state) {
    (void)state;
    DIR *d = opendir("tests/scenarios/bad");
    assert_non_null(d);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".ini") != 0) continue;
        char path[600], args[800], first[256] = "";
        snprintf(path, sizeof path, "tests/scenarios/bad/%s", e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f || !fgets(first, sizeof first, f) || strncmp(first, "; expect:", 9) != 0) {
            if (f) fclose(f);
            continue;   /* a helper file included by another */
        }
        fclose(f);
        rm_db("build/e2e-bad.db");
        snprintf(args, sizeof args, "run %s --out build/e2e-bad.db", path);
        int rc = run(args);
        if (rc != 3) fail_msg("%s: exit %d, expected 3: %s", path, rc, output());
        if (!strstr(output(), e->d_name)) fail_msg("%s: message lacks the file: %s", path, output());
        double done = query("build/e2e-bad.db", "SELECT count(*) FROM runs WHERE status='done'");
        assert_true(isnan(done) || done == 0);
        files++;
    }
    closedir(d);
    assert_true(files >= 15);
}

/* An edge list with junk: exit 3 naming file and line; an over-large run: exit 1 with the
 * estimate, before a run is registered. */
static void test_bad_inputs(void **state) {
    (void)state;
    rm_db("build/e2e-in.db");
    assert_int_equal(run("run scenarios/baseline.ini --set layer.social.generator=csv "
                         "--set layer.social.file=tests/data/engine/junk.csv "
                         "--out build/e2e-in.db"), 3);
    assert_contains(output(), "junk.csv");
    assert_contains(output(), ":3");
    /* read before the database is opened, so none is written (NAN: no database) */
    assert_true(isnan(query("build/e2e-in.db", "SELECT count(*) FROM runs")));
    assert_int_equal(run("run scenarios/baseline.ini --set population.persons=2000000000 "
                         "--out build/e2e-in.db"), 1);
    assert_contains(output(), "estimated memory");
}

/* --set may change declared sections only; a near name is suggested; exit 3. */
static void test_set_section_names(void **state) {
    (void)state;
    assert_int_equal(run("validate scenarios/baseline.ini --set agency.court.false_record=0.02"),
                     3);
    assert_contains(output(), "did you mean \"courts\"?");
    assert_int_equal(run("run scenarios/partner-spillover.ini --set spillover.partner.beta=0 "
                         "--out build/e2e-names.db"), 3);
    assert_contains(output(), "did you mean \"partners\"?");
    assert_int_equal(run("validate scenarios/baseline.ini --set sanction.brand_new.reach=self"),
                     3);
    assert_contains(output(), "a new [sanction.NAME] must be declared in a scenario file");
    assert_int_equal(run("validate scenarios/baseline.ini --set spillover.partners.enabled=no"),
                     0);
}

/* show prints a scenario that validates and shows the same again. */
static void test_show_validate_roundtrip(void **state) {
    (void)state;
    assert_int_equal(run("show scenarios/baseline.ini --set population.persons=1234"), 0);
    char *first = strdup(output());
    FILE *f = fopen("build/e2e-shown.ini", "w");
    fputs(first, f);
    fclose(f);
    assert_int_equal(run("validate build/e2e-shown.ini"), 0);
    assert_contains(output(), "1234 persons");
    assert_int_equal(run("show build/e2e-shown.ini"), 0);
    /* the same after the header line, which names the scenario */
    assert_string_equal(strchr(output(), '\n'), strchr(first, '\n'));
    free(first);
}

/* summary and export read what run wrote; bad databases get distinct exit codes. */
static void test_summary_export(void **state) {
    (void)state;
    const char *db = "build/e2e-sum.db";
    rm_db(db);
    assert_int_equal(run("run scenarios/baseline.ini --set population.persons=2000 --steps 12 "
                         "--quiet --out build/e2e-sum.db"), 0);
    assert_int_equal(run("run scenarios/baseline.ini --set population.persons=2000 --steps 12 "
                         "--seed 9 --quiet --out build/e2e-sum.db"), 0);
    assert_int_equal(run("summary build/e2e-sum.db"), 0);
    assert_contains(output(), "ever blacklisted");
    assert_contains(output(), "run 2 overrides: population.persons=2000 run.steps=12 run.seed=9");
    char expect[64];
    snprintf(expect, sizeof expect, "%16.0f", query(db, "SELECT value FROM summary WHERE "
             "run_id=2 AND name='listings.black' AND grp='all'"));
    assert_contains(output(), expect);
    assert_int_equal(run("summary build/e2e-sum.db --runs 2"), 0);
    assert_null(strstr(output(), "run 1 overrides"));
    assert_contains(output(), "run 2 overrides");
    assert_int_equal(run("summary build/e2e-sum.db --runs 2,1"), 0);   /* in that order */
    assert_true(strstr(output(), "run 2 overrides") < strstr(output(), "run 1 overrides"));
    assert_int_equal(run("summary build/e2e-sum.db --runs 1-2"), 0);
    assert_contains(output(), "run 2 overrides");
    assert_int_equal(run("summary build/e2e-sum.db --run 2"), 0);   /* the old spelling */
    assert_contains(output(), "--run is deprecated");
    assert_contains(output(), "run 2 overrides");
    assert_int_equal(run("summary build/e2e-sum.db --runs 99"), 5);
    assert_contains(output(), "no run 99");
    assert_int_equal(run("summary build/e2e-sum.db --runs x"), 2);
    assert_contains(output(), "--runs x");
    assert_int_equal(run("summary build/e2e-sum.db --runs 1,1"), 2);
    assert_int_equal(run("summary build/e2e-sum.db --step 5x"), 2);
    assert_int_equal(run("summary build/no-such.db"), 4);
    assert_int_equal(run("summary tests/data/engine/junk.csv"), 5);
    assert_int_equal(run("export build/e2e-sum.db --csv build/e2e-csv"), 0);
    FILE *f = fopen("build/e2e-csv/metrics.csv", "r");
    assert_non_null(f);
    char line[256];
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "run_id,step,name,grp,value\n");
    double rows = 0;
    while (fgets(line, sizeof line, f)) rows++;
    fclose(f);
    assert_true(rows == query(db, "SELECT count(*) FROM metrics"));
    assert_int_equal(run("export build/e2e-sum.db"), 2);
}

/* Whether the header comment (the leading comment lines) of a scenario file names its
 * sources and its assumptions. */
static int header_ok(const char *path) {
    FILE *f = fopen(path, "r");
    char line[512];
    int sources = 0, assumptions = 0, lines = 0;
    while (f && fgets(line, sizeof line, f) && line[0] == ';') {
        for (char *p = line; *p; p++) *p = (char)tolower((unsigned char)*p);
        sources |= strstr(line, "source") != NULL || strstr(line, "domain.md") != NULL;
        assumptions |= strstr(line, "assum") != NULL || strstr(line, "sweep") != NULL;
        lines++;
    }
    if (f) fclose(f);
    return lines >= 3 && sources && assumptions;
}

/* A timeline is stored with the run (the file's [at.STEP] sections in scenario_text, a --set
 * at.* in overrides, every change step in params_json) and shown by `show`. */
static void test_timeline_stored(void **state) {
    (void)state;
    rm_db("build/e2e-tl.db");
    assert_int_equal(run("run scenarios/function-creep.ini --set population.persons=2000 "
                         "--set at.30.redress.comply=0.05 --quiet --out build/e2e-tl.db"), 0);
    char *d = dump("build/e2e-tl.db", "SELECT scenario_text, overrides, params_json FROM runs");
    assert_contains(d, "\n[at.25]\n");
    assert_contains(d, "at.30.redress.comply=0.05\n");
    assert_contains(d, "\"timeline\": [{\"step\": 25, \"changes\": {\"agency.civility."
                       "coverage_by_group\": [1, 1]");
    assert_contains(d, "{\"step\": 30, \"changes\": {\"redress.comply\": 0.05}}");
    free(d);
    assert_int_equal(run("show scenarios/function-creep.ini --set at.30.redress.comply=0.05"), 0);
    assert_contains(output(), "\n[at.30]\nredress.comply = 0.05\n");
    assert_contains(output(), "\n[at.97]\nsanction.more_inspections.lists = black\n");
}

/* Whether the file at path contains s. */
static int file_has(const char *path, const char *s) {
    static char buf[1 << 16];
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, s) != NULL;
}

/* Every scenario of the library validates, runs (small: 3,000 persons, 24 steps; with a
 * timeline, all its steps), and its
 * header comment names its sources and the assumptions to sweep. */
static void test_scenario_library_valid(void **state) {
    (void)state;
    const char *dirs[] = {"scenarios", "scenarios/bench"};
    const char *library[] = {"baseline", "no-regime", "court-blacklist", "joint-punishment",
                             "city-points", "family-spillover", "partner-spillover",
                             "face-recognition", "appeals-reform", "data-minimization",
                             "commercial-opt-in", "function-creep", "regional-pilot",
                             "sector-lists"};
    int files = 0;
    for (size_t k = 0; k < sizeof library / sizeof *library; k++) {
        char path[256];
        snprintf(path, sizeof path, "scenarios/%s.ini", library[k]);
        if (access(path, R_OK) != 0) fail_msg("%s is missing from the library", path);
    }
    for (int k = 0; k < 2; k++) {
        DIR *d = opendir(dirs[k]);
        assert_non_null(d);
        struct dirent *e;
        while ((e = readdir(d))) {
            size_t len = strlen(e->d_name);
            if (len < 5 || strcmp(e->d_name + len - 4, ".ini") != 0) continue;
            char args[600], path[400];
            snprintf(path, sizeof path, "%s/%s", dirs[k], e->d_name);
            snprintf(args, sizeof args, "validate %s", path);
            if (run(args) != 0) fail_msg("%s: %s", args, output());
            if (!header_ok(path)) fail_msg("%s: the header comment must name its sources "
                                           "and its assumptions", path);
            /* a timeline's steps must lie within the run: its own length (function-creep) */
            snprintf(args, sizeof args, "run %s --set population.persons=3000 %s "
                     "--quiet --out build/e2e-lib.db", path,
                     file_has(path, "\n[at.") ? "" : "--steps 24");
            if (run(args) != 0) fail_msg("%s: %s", args, output());
            files++;
        }
        closedir(d);
    }
    unlink("build/e2e-lib.db");
    assert_true(files >= 12);
    DIR *d = opendir("scenarios/sweeps");   /* experiments: checked without running */
    assert_non_null(d);
    struct dirent *e;
    int experiments = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".ini") != 0) continue;
        char args[600];
        snprintf(args, sizeof args, "sweep scenarios/sweeps/%s --dry-run", e->d_name);
        if (run(args) != 0) fail_msg("%s: %s", args, output());
        experiments++;
    }
    closedir(d);
    assert_true(experiments >= 3);
}

/* scsim verify --quick holds; a model that is not the one the theory describes fails
 * (tests/test_plot_verify.c tests the suite in detail, and --out). */
static void test_verify(void **state) {
    (void)state;
    assert_int_equal(run("verify --quick"), 0);
    assert_contains(output(), "checks hold (quick)");
    assert_null(strstr(output(), "FAILED"));
    /* transmissibility 0.4 where theory assumes 0.1 .. 0.7: the final sizes are off */
    assert_int_equal(run("verify --quick --only percolation --set spillover.p.beta=0.4"), 1);
    assert_contains(output(), "FAILED");
    /* threshold 0.3 instead of 0.18: no cascade at z = 3 and 5, where Watts predicts one */
    assert_int_equal(run("verify --quick --only watts --set spillover.p.phi=0.3"), 1);
    const char *z3 = strstr(output(), "z=3 phi=0.18: global cascade");
    assert_non_null(z3);
    assert_true(strstr(z3, "FAILED") && strstr(z3, "FAILED") < strchr(z3, '\n'));
    /* a term of 30 months where the theory has 24: the stock and Little's law fail */
    assert_int_equal(run("verify --quick --only stock-flow --set lists.black_term=30"), 1);
    assert_contains(output(), "verification check(s) failed");
    assert_int_equal(run("verify --only nope"), 2);
}

/* scsim list: summaries from hand-made headers (continued lines, first sentence only, no
 * header), sweeps told by [experiment], subfolders one level down, other files skipped;
 * and every file of the shipped library has a summary. */
static void test_list(void **state) {
    (void)state;
    assert_int_equal(system("rm -rf build/lst && mkdir -p build/lst/sub && cd build/lst && "
                            "printf '; a.ini - first part\\n; and more. Not this.\\n;\\n; no\\n"
                            "[run]\\n' > a.ini && printf '[run]\\nsteps = 2\\n' > b.ini && "
                            "printf '; sub/c.ini - a sweep\\n[experiment]\\n' > sub/c.ini && "
                            "printf '; d.txt - skipped\\n' > d.txt"), 0);
    assert_int_equal(run("list build/lst"), 0);
    const char *o = output();
    assert_non_null(strstr(o, "build/lst/a.ini"));
    assert_contains(o, "scenario first part and more.\n");
    assert_null(strstr(o, "Not this"));
    assert_null(strstr(o, "d.txt"));
    assert_non_null(strstr(o, "build/lst/b.ini"));
    assert_contains(o, "build/lst/sub/c.ini");
    assert_contains(o, "sweep    a sweep\n");
    assert_true(strstr(o, "a.ini") < strstr(o, "b.ini") && strstr(o, "b.ini") < strstr(o, "c.ini"));
    assert_int_equal(run("list build/lst/none"), 4);
    assert_contains(output(), "build/lst/none");
    assert_int_equal(run("list a b"), 2);
    assert_int_equal(run("list"), 0);
    o = output();
    assert_contains(o, "scenarios/baseline.ini                   scenario the default scenario");
    for (const char *l = strchr(o, '\n') + 1; *l; l = strchr(l, '\n') + 1)
        if (strlen(l) < 53 || l[52] == '\n') fail_msg("a library file without summary: %s", l);
}

/* The binary that runs `BIN validate FILE` (FILE a FIFO, so the process waits for it):
 * /proc/PID/exe read while it waits; then the scenario is written and the exit code taken. */
static void exe_of_validate(const char *bin, char *exe, size_t n, int *rc) {
    const char *fifo = "build/e2e.fifo";
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout)) _exit(99);
        execl(bin, bin, "validate", fifo, (char *)NULL);
        _exit(98);
    }
    int fd = -1, status = 0;   /* open once validate has opened it (its exec is done) */
    for (int tries = 0; fd < 0 && tries < 2000; tries++) {
        fd = open(fifo, O_WRONLY | O_NONBLOCK);
        if (fd < 0) {
            assert_int_equal(waitpid(pid, &status, WNOHANG), 0);   /* still running */
            usleep(5000);
        }
    }
    assert_true(fd >= 0);
    assert_int_equal(fcntl(fd, F_SETFL, 0), 0);
    FILE *w = fdopen(fd, "w");
    assert_non_null(w);
    char link[64];
    snprintf(link, sizeof link, "/proc/%d/exe", (int)pid);
    ssize_t len = readlink(link, exe, n - 1);
    exe[len > 0 ? len : 0] = 0;
    FILE *in = fopen("scenarios/base.ini", "r");
    assert_non_null(in);
    char buf[4096];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, in)) > 0) assert_true(fwrite(buf, 1, k, w) == k);
    fclose(in);
    fclose(w);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    *rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    unlink(fifo);
}

static int ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* scsim runs the commands that neither draw nor serve itself (built without the drawing and
 * serving libraries) and executes scsim-ui, beside it, for the others: `scsim validate`
 * stays scsim; `scsim plot --help` prints scsim-ui's full help; both binaries list the same
 * commands and write the same database. Without scsim-ui beside it, scsim refuses a drawing
 * command with a usage error naming scsim-ui. */
static void test_core_binary(void **state) {
    (void)state;
    char exe[4096], ui[4200];
    int rc = -1;
    exe_of_validate(scsim(), exe, sizeof exe, &rc);
    assert_int_equal(rc, 0);
    assert_true(ends_with(exe, "/scsim"));
    snprintf(ui, sizeof ui, "%s-ui", scsim());
    exe_of_validate(ui, exe, sizeof exe, &rc);
    assert_int_equal(rc, 0);
    assert_true(ends_with(exe, "/scsim-ui"));
    assert_int_equal(run("plot --help"), 0);
    assert_contains(output(), "--figure NAME");   /* plot's own options: scsim-ui's */
    char cmd[8600];
    snprintf(cmd, sizeof cmd, "cmp -s <(%s --help) <(%s --help)", scsim(), ui);
    char sh[8700];
    snprintf(sh, sizeof sh, "bash -c '%s'", cmd);
    assert_int_equal(system(sh), 0);   /* the same command list */
    rm_db("build/e2e-core.db");
    rm_db("build/e2e-ui.db");
    assert_int_equal(run("run scenarios/base.ini --steps 6 --quiet --out build/e2e-core.db"), 0);
    snprintf(cmd, sizeof cmd, "%s run scenarios/base.ini --steps 6 --quiet "
             "--out build/e2e-ui.db > build/e2e.out 2>&1", ui);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(system("scripts/compare-db.sh build/e2e-core.db build/e2e-ui.db "
                            "| grep -v identical | grep -q . && exit 1 || exit 0"), 0);
    /* alone in a folder, scsim cannot draw */
    assert_int_equal(system("rm -rf build/e2e-alone && mkdir -p build/e2e-alone"), 0);
    snprintf(cmd, sizeof cmd, "cp %s build/e2e-alone/scsim && build/e2e-alone/scsim plot "
             "build/e2e-core.db --out build/e2e-alone/figs > build/e2e.out 2>&1", scsim());
    int r = system(cmd);
    assert_int_equal(WIFEXITED(r) ? WEXITSTATUS(r) : -1, 2);
    assert_contains(output(), "scsim-ui");
    assert_int_equal(system("rm -rf build/e2e-alone"), 0);
    rm_db("build/e2e-core.db");
    rm_db("build/e2e-ui.db");
}

/* scripts/bench.sh (make bench) reads the `time:` line of each run: every workload's row
 * carries a positive rate, a step time, a build time and a peak, whatever the pass is called
 * ("event-driven" for RSM-1 and RSM-P, "dense: own lists" for LISTS8). Until session 10 the
 * rows printed 0 and the line's words when the pass's name was in the line. */
static void test_bench_script(void **state) {
    (void)state;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "BENCH_STEPS=3 BENCH_REPEAT=1 scripts/bench.sh %s 2000 "
             "> build/e2e.out 2>&1", scsim());
    int rc = system(cmd);
    assert_int_equal(WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, 0);
    assert_contains(output(), "# LISTS8, 3 steps");
    rc = system("awk '$1 == 2000 { n++; if (!($3 > 0 && $5 ~ /^[0-9.]+$/ && $6 ~ /^[0-9.]+$/ "
                "&& $7 > 0)) bad++ } END { exit !(n == 3 && bad == 0) }' build/e2e.out");
    assert_int_equal(WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, 0);
    /* a line it cannot read stops it with a message, not a row of words */
    assert_int_equal(system("printf '#!/bin/sh\\ncase \"$1\" in --version) echo scsim 0.1.0;; "
                            "run) echo \"  time: unknown\";; esac\\n' > build/e2e-fake && "
                            "chmod +x build/e2e-fake"), 0);
    rc = system("BENCH_WORKLOADS=rsm1 scripts/bench.sh build/e2e-fake 2000 > build/e2e.out 2>&1");
    assert_int_equal(WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, 1);
    assert_contains(output(), "cannot read scsim's timing line");
    unlink("build/e2e-fake");
    /* --help, and a binary that is not there (exit 2, the usage errors of the other scripts) */
    for (int k = 0; k < 2; k++) {
        const char *script = k ? "scripts/bench-layers.sh" : "scripts/bench.sh";
        snprintf(cmd, sizeof cmd, "%s --help > build/e2e.out 2>&1", script);
        rc = system(cmd);
        assert_int_equal(WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, 0);
        assert_contains(output(), k ? "bench-layers.sh LAYER_BENCH" : "bench.sh SCSIM");
        snprintf(cmd, sizeof cmd, "%s build/no-such-binary > build/e2e.out 2>&1", script);
        rc = system(cmd);
        assert_int_equal(WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, 2);
        assert_contains(output(), "is not an executable");
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_version_usage), cmocka_unit_test(test_list),
        cmocka_unit_test(test_run_invariants),
        cmocka_unit_test(test_threads_same_database),
        cmocka_unit_test(test_bad_corpus),
        cmocka_unit_test(test_bad_inputs),     cmocka_unit_test(test_set_section_names),
        cmocka_unit_test(test_show_validate_roundtrip),
        cmocka_unit_test(test_summary_export),
        cmocka_unit_test(test_scenario_library_valid),
        cmocka_unit_test(test_timeline_stored),
        cmocka_unit_test(test_verify),
        cmocka_unit_test(test_core_binary),
        cmocka_unit_test(test_bench_script),
    };
    return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
