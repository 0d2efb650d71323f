/* tests/test_dbsafe.c - end to end: no command writes over, truncates or deletes a file it
 * reads (issue 14 item 1). Every writing command (run, sweep, merge, export, plot, report,
 * verify --out) is tried with its output equal to an input through the same path, a relative
 * path, a symlink and a hard link; each attempt must be refused (exit 2) and leave the
 * input's bytes unchanged. Runs from the repository root; SCSIM names the binary. */
#include "testutil.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define D "build/dbsafe"

static const char *scsim(void) {
    const char *p = getenv("SCSIM");
    return p ? p : "build/scsim";
}

/* Runs "scsim ARGS" (stdout and stderr to D/out.txt); the exit code. */
static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...) {
    char args[1024], cmd[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    /* fontconfig's known leak (tests/test_plot_lsan.h) is suppressed under LSan */
    snprintf(cmd, sizeof cmd, "LSAN_OPTIONS=suppressions=" D "/lsan.supp %s %s > " D
             "/out.txt 2>&1", scsim(), args);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static char *output(void) {
    static char buf[1 << 14];
    FILE *f = fopen(D "/out.txt", "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = 0;
    return buf;
}

static int sh(const char *cmd) {
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* FNV-1a of the file's bytes, and its size in the high bits' place: any change shows. */
static uint64_t checksum(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    uint64_t h = 1469598103934665603ULL;
    for (int c; (c = fgetc(f)) != EOF;) h = (h ^ (uint64_t)c) * 1099511628211ULL;
    fclose(f);
    return h;
}

static int exists(const char *path) {
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* A small results database in rollback-journal mode at D/in.db (no -wal: a write into it
 * changes the file itself, and switching it to WAL changes its header). */
static int setup(void **state) {
    (void)state;
    if (sh("rm -rf " D " && mkdir -p " D " && echo leak:libfontconfig.so > " D "/lsan.supp"))
        return -1;
    if (run("run scenarios/baseline.ini --quiet --steps 3 --set population.persons=200 "
            "--out " D "/in.db") != 0)
        return -1;
    return sh("sqlite3 " D "/in.db 'PRAGMA journal_mode=DELETE' >/dev/null");
}

/* The spellings of path D/NAME an output can use: the same text, a relative path through
 * another folder, a symlink, a hard link (made here in D/alias/). */
static void spellings(const char *name, char (*out)[256]) {
    char cmd[600];
    sh("mkdir -p " D "/alias");
    snprintf(out[0], 256, D "/%s", name);
    snprintf(out[1], 256, D "/alias/../%s", name);
    snprintf(out[2], 256, D "/alias/sym-%s", name);
    snprintf(out[3], 256, D "/alias/hard-%s", name);
    snprintf(cmd, sizeof cmd, "rm -f %s %s && ln -s ../%s %s && ln " D "/%s %s", out[2], out[3],
             name, out[2], name, out[3]);
    assert_int_equal(sh(cmd), 0);
}

/* "scsim FMT" with %s the output spelled each way: refused with exit 2, input unchanged. */
static void refused(const char *input, const char *name, const char *fmt) {
    char sp[4][256];
    spellings(name, sp);
    uint64_t before = checksum(input);
    assert_true(before != 0);
    for (int k = 0; k < 4; k++) {
        char args[1024];
        snprintf(args, sizeof args, fmt, sp[k]);
        int rc = run("%s", args);
        if (rc != 2) fail_msg("scsim %s: exit %d, expected 2: %s", args, rc, output());
        assert_contains(output(), "never writes over a file it reads");
        if (checksum(input) != before) fail_msg("scsim %s changed %s", args, input);
        assert_true(exists(input));
    }
}

static void test_report_merge_into_input(void **state) {
    (void)state;
    refused(D "/in.db", "in.db", "report " D "/in.db -o %s");
    refused(D "/in.db", "in.db", "merge %s " D "/in.db");
    sh("cp " D "/in.db " D "/in-wal.db && printf x > " D "/in-wal.db-wal");
    refused(D "/in-wal.db-wal", "in-wal.db-wal", "report " D "/in-wal.db -o %s");
}

static void test_run_sweep_into_input(void **state) {
    (void)state;
    sh(": > " D "/empty.ini");   /* an empty scenario is valid: all defaults */
    refused(D "/empty.ini", "empty.ini",
            "run " D "/empty.ini --quiet --steps 2 --set population.persons=100 --out %s");
    FILE *f = fopen(D "/e.ini", "w");
    assert_non_null(f);
    fputs("[experiment]\nname = e\nscenario = empty.ini\ndesign = grid\nreplicates = 1\n"
          "[set]\npopulation.persons = 100\nrun.steps = 2\n[param.x]\n"
          "key = agency.civility.false_record\nvalues = 0, 0.01\n", f);
    fclose(f);
    refused(D "/e.ini", "e.ini", "sweep " D "/e.ini --quiet --out %s");
    refused(D "/empty.ini", "empty.ini", "sweep " D "/e.ini --quiet --out %s");
}

/* Folder outputs: an input that lies in the folder under a name the command writes. */
static void test_folder_outputs(void **state) {
    (void)state;
    sh("mkdir -p " D "/x && cp " D "/in.db " D "/x/metrics.csv && cp " D "/in.db " D
       "/x/timeseries.png");
    uint64_t a = checksum(D "/x/metrics.csv"), b = checksum(D "/x/timeseries.png");
    assert_int_equal(run("export " D "/x/metrics.csv --csv " D "/x"), 2);
    assert_contains(output(), "never writes over a file it reads");
    assert_int_equal(run("export " D "/x/metrics.csv --csv " D "/alias/../x"), 2);
    assert_true(checksum(D "/x/metrics.csv") == a);
    assert_int_equal(run("plot " D "/x/timeseries.png --out " D "/x"), 2);
    assert_int_equal(run("plot " D "/x/timeseries.png --out " D "/alias/../x"), 2);
    assert_true(checksum(D "/x/timeseries.png") == b);
    /* through a symlink in the output folder that points at the input */
    sh("mkdir -p " D "/y && ln -sf ../in.db " D "/y/runs.csv && ln -sf ../in.db " D
       "/y/harm.sql");
    uint64_t c = checksum(D "/in.db");
    assert_int_equal(run("export " D "/in.db --csv " D "/y"), 2);
    assert_int_equal(run("plot " D "/in.db --out " D "/y"), 2);
    assert_true(checksum(D "/in.db") == c);
    /* verify: a figure name in --out that is one of the --dir inputs */
    sh("rm -rf " D "/v && mkdir -p " D "/v && cp scenarios/verify/*.ini " D "/v/ && "
       "ln -s exact.ini " D "/v/verify-exact.png");
    uint64_t e = checksum(D "/v/exact.ini");
    assert_int_equal(run("verify --quick --only exact --dir " D "/v --out " D "/v"), 2);
    assert_contains(output(), "never writes over a file it reads");
    assert_true(checksum(D "/v/exact.ini") == e);
}

/* The checks do not get in the way of ordinary outputs. */
static void test_ordinary_outputs_still_work(void **state) {
    (void)state;
    assert_int_equal(run("report " D "/in.db -o " D "/brief.pdf"), 0);
    assert_int_equal(run("export " D "/in.db --csv " D "/csv"), 0);
    assert_int_equal(run("merge " D "/m2.db " D "/in.db"), 0);
    assert_int_equal(run("plot " D "/in.db --out " D "/figs --figure timeseries"), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_merge_into_input),
        cmocka_unit_test(test_run_sweep_into_input),
        cmocka_unit_test(test_folder_outputs),
        cmocka_unit_test(test_ordinary_outputs_still_work),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
