/* tests/test_plot_cli.c - `scsim plot` and `scsim report` on a small results database made
 * with the binary (tests/test_plot_fixture.h): every standard figure written as PNG (size as
 * the figure says), SVG (well-formed XML, the same bytes twice) and PDF (one page), each with
 * its .sql; the default selection; skipped figures; each bad input's exit code and message;
 * the brief's pages and captions. Runs from the repository root; writes build/clitest*. */
#include "testutil.h"

#define FIX_DB "build/clitest.db"
#define FIX_OUT "build/clitest-out"

#include "figures.h"
#include "test_plot_fixture.h"
#include "test_plot_lsan.h"

#define OUT FIX_OUT

enum { NFIG = 15 };

static char *log_text(void) { return fix_slurp(FIX_LOG, NULL); }

/* Whether the last command's log says figure `name` was written. */
static int wrote(const char *log, const char *name) {
    char want[64];
    snprintf(want, sizeof want, "%-11s wrote ", name);
    return strstr(log, want) != NULL;
}

/* The size in pixels at 200 dpi of figure `name` over the default selection, built through
 * the library; 0 x 0 when it is skipped. */
static void expected_png(const char *name, uint32_t *w, uint32_t *h) {
    sqlite3 *db;
    sim_err err = {{0}};
    int64_t ids[64];
    size_t n;
    assert_int_equal(sqlite3_open_v2(FIX_DB, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(fig_recent_runs(db, 6, ids, 64, &n, &err), SIM_OK);
    fig_sel sel = {.run_ids = ids, .nruns = n, .size = FIG_SIZE_AUTO};
    fig_result r = {0};
    assert_int_equal(fig_find(name)->build(db, &sel, &r, &err), SIM_OK);
    double wp = 0, hp = 0;
    if (r.fig) plot_fig_size_pt(r.fig, &wp, &hp);
    *w = (uint32_t)lround(wp * 200 / 72);
    *h = (uint32_t)lround(hp * 200 / 72);
    fig_result_free(&r);
    sqlite3_close(db);
}

static void check_one(const char *fmt, const char *name) {
    char path[256];
    snprintf(path, sizeof path, OUT "/cli-%s/%s.%s", fmt, name, fmt);
    if (!strcmp(fmt, "png")) {
        uint32_t w, h;
        expected_png(name, &w, &h);
        fix_check_png(path, w, h);
    } else if (!strcmp(fmt, "svg")) {
        fix_check_svg(path);
    } else if (fix_pdf_pages(path) != 1) {
        fail_msg("%s: expected a one-page PDF", path);
    }
    snprintf(path, sizeof path, OUT "/cli-%s/%s.sql", fmt, name);
    char *sql = fix_slurp(path, NULL);
    assert_contains(sql, "-- Queries behind this figure");
    assert_contains(sql, "SELECT ");
    free(sql);
}

/* Every figure in every format; only the network may be skipped (its first run may have no
 * cascade of two), records (the fixture has no collection source: written in
 * tests/test_plot_privacy.c) and agencies (no own lists: written in test_plot_figures.c),
 * and only phase and sensitivity need their tables. */
static void test_formats(void **state) {
    (void)state;
    static const char *const FMT[3] = {"png", "svg", "pdf"};
    size_t n;
    const fig_def *f = fig_list(&n);
    assert_int_equal(n, NFIG);
    for (int k = 0; k < 3; k++) {
        char args[256];
        snprintf(args, sizeof args, "plot " FIX_DB " --out " OUT "/cli-%s --format %s", FMT[k],
                 FMT[k]);
        assert_int_equal(fix_run(args), 0);
        char *log = log_text();
        for (size_t i = 0; i < n; i++) {
            if (!wrote(log, f[i].name) &&
                (!strcmp(f[i].name, "network") || !strcmp(f[i].name, "records") ||
                 !strcmp(f[i].name, "agencies")))
                continue;
            if (!wrote(log, f[i].name)) fail_msg("%s not written:\n%s", f[i].name, log);
            check_one(FMT[k], f[i].name);
        }
        free(log);
    }
}

/* The same database gives the same SVG bytes, figure by figure. */
static void test_svg_deterministic(void **state) {
    (void)state;
    assert_int_equal(fix_run("plot " FIX_DB " --out " OUT "/svg-a --format svg"), 0);
    assert_int_equal(fix_run("plot " FIX_DB " --out " OUT "/svg-b --format svg"), 0);
    size_t n, compared = 0;
    const fig_def *f = fig_list(&n);
    for (size_t i = 0; i < n; i++) {
        char a[256], b[256];
        snprintf(a, sizeof a, OUT "/svg-a/%s.svg", f[i].name);
        snprintf(b, sizeof b, OUT "/svg-b/%s.svg", f[i].name);
        if (access(a, R_OK) != 0) continue;
        size_t la, lb;
        char *x = fix_slurp(a, &la), *y = fix_slurp(b, &lb);
        if (la != lb || memcmp(x, y, la) != 0) fail_msg("%s differs between two runs", a);
        free(x);
        free(y);
        compared++;
    }
    assert_true(compared >= NFIG - 3);   /* network, records and agencies may be skipped */
}

static void test_options(void **state) {
    (void)state;
    assert_int_equal(fix_run("plot " FIX_DB " --out " OUT "/one --figure causes --runs 2 "
                             "--size slide"), 0);
    assert_int_equal(access(OUT "/one/causes.png", R_OK), 0);
    assert_int_equal(access(OUT "/one/timeseries.png", R_OK), -1);
    assert_int_equal(fix_run("plot " FIX_DB " --out " OUT "/two --figure frontier --figure "
                             "lorenz --runs 11,12,13 --size column"), 0);
    fix_check_png(OUT "/two/frontier.png", 700, 520);   /* the column preset */
    fix_check_png(OUT "/two/lorenz.png", 700, 520);
    assert_int_equal(fix_run("plot --help"), 0);
    char *log = log_text();
    assert_contains(log, "usage: scsim plot DB --out DIR");
    assert_contains(log, "frontier");
    free(log);
    /* the default selection: the runs of the last 6 run groups, 11 of the 13 runs */
    assert_int_equal(fix_run("plot " FIX_DB " --out " OUT "/default --figure timeseries"), 0);
    log = log_text();
    assert_contains(log, "from 11 run(s)");
    free(log);
}

/* Figures without their data are skipped with the reason, and the command succeeds. */
static void test_skipped(void **state) {
    (void)state;
    assert_int_equal(fix_run("plot " FIX_DB " --out " OUT "/noharm --runs 1,2"), 0);
    char *log = log_text();
    assert_contains(log, "harm        skipped: no harm rows");
    assert_contains(log, "lorenz      skipped: no harm_lorenz rows");
    assert_contains(log, "timeseries  wrote");
    assert_int_equal(access(OUT "/noharm/harm.png", R_OK), -1);
    free(log);
    assert_int_equal(system("cp " FIX_DB " build/clitest-empty.db && sqlite3 "
                            "build/clitest-empty.db 'DELETE FROM sensitivity; DELETE FROM "
                            "sweeps'"), 0);
    assert_int_equal(fix_run("plot build/clitest-empty.db --out " OUT "/skip"), 0);
    log = log_text();
    assert_contains(log, "phase       skipped: no grid sweep");
    assert_contains(log, "sensitivity skipped: the sensitivity table is empty");
    free(log);
}

static void expect_fail(const char *args, int code, const char *msg) {
    int rc = fix_run(args);
    char *log = log_text();
    if (rc != code) fail_msg("scsim %s: exit %d, expected %d:\n%s", args, rc, code, log);
    assert_contains(log, msg);
    free(log);
}

static void test_errors(void **state) {
    (void)state;
    expect_fail("plot build/clitest-none.db --out " OUT "/e", 4, "build/clitest-none.db");
    fix_write("build/clitest-notdb.db", "not a database\n");
    expect_fail("plot build/clitest-notdb.db --out " OUT "/e", 5, "build/clitest-notdb.db");
    assert_int_equal(system("cp " FIX_DB " build/clitest-norun.db && sqlite3 "
                            "build/clitest-norun.db 'DELETE FROM metrics; DELETE FROM summary; "
                            "DELETE FROM events; DELETE FROM runs'"), 0);
    expect_fail("plot build/clitest-norun.db --out " OUT "/e", 5, "no runs");
    expect_fail("plot " FIX_DB " --out " OUT "/e --figure pie", 2,
                "timeseries, harm, causes, groups, lorenz, disparity, frontier, privacy");
    expect_fail("plot " FIX_DB " --out " FIX_DB "/sub", 4, "cannot create output directory");
    expect_fail("plot " FIX_DB " --out " OUT "/e --runs 99", 5, "99");
    expect_fail("plot " FIX_DB " --out " OUT "/e --figure lorenz --runs 1,99", 5, "99");
    expect_fail("plot " FIX_DB, 2, "--out");
    expect_fail("plot " FIX_DB " --out " OUT "/e --format gif", 2, "gif");
    expect_fail("plot " FIX_DB " --out " OUT "/e --runs 1,x", 2, "--runs");
}

/* pdftotext of the brief, whitespace folded to single spaces. */
static char *brief_text(const char *pdf) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdftotext '%s' " OUT "/brief.txt", pdf);
    assert_int_equal(system(cmd), 0);
    char *t = fix_slurp(OUT "/brief.txt", NULL), *w = t;
    int space = 0;
    for (const char *p = t; *p; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\f' || *p == '\t') { space = 1; continue; }
        if (space && w > t) *w++ = ' ';
        space = 0;
        *w++ = *p;
    }
    *w = '\0';
    return t;
}

/* The brief: a title page, one page per figure with data, one appendix page per run group;
 * the headline table and the captions carry the database's numbers. */
static void test_report(void **state) {
    (void)state;
    assert_int_equal(fix_run("report " FIX_DB " -o " OUT "/brief.pdf --runs 11,12,13"), 0);
    /* title (1-2 pages) + timeseries, harm, causes, lorenz, disparity, frontier, privacy,
     * cascades (+ network for a cascade of 10 or more) + 2 run groups (1-2 pages each) + the
     * headline SQL; page sizes and the rest: tests/test_plot_report.c */
    int pages = fix_pdf_pages(OUT "/brief.pdf");
    if (pages < 12 || pages > 16) fail_msg("brief: %d pages", pages);
    char *t = brief_text(OUT "/brief.pdf"), want[256];
    assert_contains(t, "harm to innocents");
    assert_contains(t, "violations prevented");
    assert_contains(t, "baseline 2 runs");
    snprintf(want, sizeof want, "court-blacklist behaviour.deter_surveillance=2 "
             "behaviour.deter_sanction=0.5 prevented the most weighted violations (%.0f)",
             fix_sql1("SELECT value FROM summary WHERE run_id = 13 AND name = "
                      "'violations_prevented_weighted' AND grp = 'all'"));
    assert_contains(t, want);
    snprintf(want, sizeof want, "Gini coefficient runs from");
    assert_contains(t, want);
    assert_contains(t, "Appendix: baseline (runs 11, 12)");
    free(t);
    /* the default selection: 6 run groups, so 6 appendix pages */
    assert_int_equal(fix_run("report " FIX_DB " -o " OUT "/brief6.pdf"), 0);
    char *log = log_text();
    assert_contains(log, "from 11 run(s) in 6 group(s)");
    free(log);
    expect_fail("report build/no-such.db -o " OUT "/x.pdf", 4, "no-such.db");
    expect_fail("report tests/data/engine/junk.csv -o " OUT "/x.pdf", 5, "junk.csv");
    expect_fail("report " FIX_DB " -o /nonexistent-dir/brief.pdf", 4,
                "folder /nonexistent-dir does not exist");
    expect_fail("report " FIX_DB, 2, "-o BRIEF.pdf");
    expect_fail("report " FIX_DB " -o " OUT "/x.pdf --runs 999", 5, "999");
    assert_int_equal(access(OUT "/x.pdf", F_OK), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats), cmocka_unit_test(test_svg_deterministic),
        cmocka_unit_test(test_options), cmocka_unit_test(test_skipped),
        cmocka_unit_test(test_errors),  cmocka_unit_test(test_report),
    };
    return cmocka_run_group_tests(tests, fix_make_db, NULL);
}
