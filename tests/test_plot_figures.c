/* tests/test_plot_figures.c - the standard figures (plots/figures.h) and `scsim plot`: a small
 * results database made with the real binary (two single runs, a 2 x 2 grid sweep with two
 * replicates, sensitivity rows inserted directly), then the drawn record against SQL, the .sql
 * sidecars, the three formats, determinism and each bad input's exit code. Runs from the
 * repository root; SCSIM names the binary. Writes build/figtest*. */
#include "testutil.h"

#include <math.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "figures.h"
#include "test_plot_lsan.h"

#define DB "build/figtest.db"
#define OUT "build/figtest-out"
#define LSAN "LSAN_OPTIONS=suppressions=build/figtest-lsan.supp "

static const char *scsim(void) {
    const char *p = getenv("SCSIM");
    return p ? p : "build/scsim";
}

/* Runs `scsim ARGS` with output to build/figtest.out; returns the exit code. */
static int run(const char *args) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd, LSAN "%s %s > build/figtest.out 2>&1", scsim(), args);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len) *len = (size_t)n;
    return buf;
}

static double sql1(const char *sql) {
    sqlite3 *db;
    sqlite3_stmt *q;
    double v = NAN;
    if (sqlite3_open_v2(DB, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_double(q, 0);
        sqlite3_finalize(q);
    }
    sqlite3_close(db);
    return v;
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* ---- the database ---- */

static int make_db(void **state) {
    (void)state;
    if (system("rm -rf " DB " " DB "-wal " DB "-shm build/figtest-empty.db " OUT "*") != 0)
        return -1;
    write_file("build/figtest-lsan.supp", "leak:libfontconfig.so\n");
    write_file("build/figtest-grid.ini",
               "[experiment]\nname = figtest-grid\nscenario = ../scenarios/points-spillover.ini\n"
               "design = grid\nreplicates = 2\n[set]\npopulation.persons = 1500\n"
               "run.steps = 12\n[param.err]\nkey = agency.civility.false_record\n"
               "values = 0, 0.02\n[param.w]\nkey = spillover.social_points.weight\n"
               "values = 0, 6\n");
    const char *base = "run scenarios/points-spillover.ini --set population.persons=2000 --steps 24 "
                       "--out " DB " --quiet --seed ";
    char cmd[512];
    for (int seed = 1; seed <= 2; seed++) {
        snprintf(cmd, sizeof cmd, "%s%d", base, seed);
        if (run(cmd) != 0) return -1;
    }
    if (run("sweep build/figtest-grid.ini --out " DB " --quiet --jobs 2") != 0) return -1;
    sqlite3 *db;
    if (sqlite3_open(DB, &db) != SQLITE_OK) return -1;
    int rc = sqlite3_exec(db,
        "INSERT INTO sweeps(sweep_id, name, design, spec, created_at) VALUES (2, 'figtest-sobol',"
        " 'saltelli', '[experiment]', '2024-01-01');"
        "INSERT INTO sensitivity VALUES (2,'ever_wrongly_listed.black','all',"
        "'agency.civility.false_record','S1',0.1,0.0,0.2),"
        "(2,'ever_wrongly_listed.black','all','agency.civility.false_record','ST',0.15,0.05,0.3),"
        "(2,'ever_wrongly_listed.black','all','spillover.social_points.weight','S1',0.7,0.5,0.9),"
        "(2,'ever_wrongly_listed.black','all','spillover.social_points.weight','ST',0.8,0.6,1.0),"
        "(2,'ever_wrongly_listed.black','all','spillover.partners.beta','S1',0.01,-0.05,0.08),"
        "(2,'ever_wrongly_listed.black','all','spillover.partners.beta','ST',0.02,0.0,0.1);",
        NULL, NULL, NULL);
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

/* ---- builders ---- */

static const int64_t ALL_RUNS[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

/* Builds figure `name` over runs, renders it to OUT/NAME.svg (+ .sql). Caller frees r. */
static void build(const char *name, const int64_t *ids, size_t n, fig_result *r) {
    sqlite3 *db;
    sim_err err = {{0}};
    assert_int_equal(sqlite3_open_v2(DB, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    fig_sel sel = {.run_ids = ids, .nruns = n, .size = FIG_SIZE_AUTO};
    memset(r, 0, sizeof *r);
    sim_status st = fig_find(name)->build(db, &sel, r, &err);
    sqlite3_close(db);
    if (st != SIM_OK) fail_msg("%s: %s", name, err.msg);
    if (!r->fig) fail_msg("%s skipped: %s", name, r->note);
    assert_int_equal(system("mkdir -p " OUT), 0);
    if (fig_write(r, OUT, name, PLOT_FMT_SVG, &err) != SIM_OK) fail_msg("%s: %s", name, err.msg);
    assert_true(plot_rec_valid(r->fig));
}

/* Runs every statement of OUT/NAME.sql with sqlite3; returns the rows they return. */
static size_t sidecar_rows(const char *name) {
    char path[256];
    snprintf(path, sizeof path, OUT "/%s.sql", name);
    char *text = slurp(path, NULL);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(DB, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    size_t rows = 0;
    for (const char *p = text; *p;) {
        sqlite3_stmt *q = NULL;
        const char *tail;
        assert_int_equal(sqlite3_prepare_v2(db, p, -1, &q, &tail), SQLITE_OK);
        if (!q) break;   /* only comments or space left */
        while (sqlite3_step(q) == SQLITE_ROW) rows++;
        sqlite3_finalize(q);
        p = tail;
    }
    sqlite3_close(db);
    free(text);
    return rows;
}

static void test_timeseries(void **state) {
    (void)state;
    fig_result r;
    build("timeseries", ALL_RUNS, 10, &r);
    /* 5 groups: baseline (runs 1, 2) and the sweep's 4 points (2 replicates each) */
    plot_panel *p0 = plot_fig_panel(r.fig, 0, 0), *p1 = plot_fig_panel(r.fig, 0, 1);
    assert_non_null(plot_fig_panel(r.fig, 0, 4));
    double steps0 = sql1("SELECT count(*) FROM metrics WHERE run_id = 1 AND grp = 'all' AND "
                         "name = 'listed.black'");
    double steps1 = sql1("SELECT max(step) FROM metrics WHERE run_id = 3 AND grp = 'all' AND "
                         "name = 'listed.black'");
    assert_true(steps0 == 24 && steps1 == 12);
    assert_int_equal(plot_nseries(p0), 4);   /* band, line per metric */
    for (size_t i = 0; i < 4; i++) {
        const plot_series_rec *s = plot_rec_series(p0, i);
        assert_int_equal(s->kind, i % 2 ? PLOT_LINE : PLOT_BAND);
        assert_int_equal(s->n_drawn, (size_t)steps0);
        assert_int_equal(plot_rec_series(p1, i)->n_drawn, (size_t)steps1);
    }
    assert_string_equal(plot_rec_series(p0, 1)->label, "Blacklisted");
    assert_true(plot_rec_axis(p0, PLOT_Y)->lo == 0);
    assert_int_equal(sidecar_rows("timeseries"), r.rows);
    fig_result_free(&r);
    /* one run: the single line, no band */
    build("timeseries", ALL_RUNS, 1, &r);
    plot_panel *p = plot_fig_panel(r.fig, 0, 0);
    assert_int_equal(plot_nseries(p), 2);
    assert_int_equal(plot_rec_series(p, 0)->kind, PLOT_LINE);
    assert_int_equal(plot_rec_series(p, 0)->n_drawn, (size_t)steps0);
    fig_result_free(&r);
}

static void test_causes(void **state) {
    (void)state;
    fig_result r;
    build("causes", ALL_RUNS + 1, 3, &r);
    for (int c = 0; c < 3; c++) {
        const plot_series_rec *s = plot_rec_series(plot_fig_panel(r.fig, 0, c), 0);
        assert_int_equal(s->kind, PLOT_STACK);
        assert_int_equal(s->layers, 5);
        assert_int_equal(s->n_drawn, c == 0 ? 24 : 12);
    }
    double rows = sql1("SELECT count(*) FROM metrics WHERE run_id IN (2,3,4) AND "
                       "name = 'new_listed.black' AND grp LIKE 'cause:%'");
    assert_int_equal(r.rows, (size_t)rows);
    assert_int_equal(sidecar_rows("causes"), r.rows);
    fig_result_free(&r);
}

/* One line (and its points) per run; points = non-empty size classes of the run. */
static void test_cascades(void **state) {
    (void)state;
    fig_result r;
    build("cascades", ALL_RUNS, 2, &r);
    plot_panel *p = plot_fig_panel(r.fig, 0, 0);
    assert_int_equal(plot_nseries(p), 4);
    for (int run = 1; run <= 2; run++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM summary WHERE run_id = %d AND "
                 "name = 'cascades' AND grp LIKE 'size:%%' AND grp != 'size:>1' AND value > 0",
                 run);
        double classes = sql1(sql);
        assert_true(classes >= 1);
        assert_int_equal(plot_rec_series(p, 2 * (size_t)(run - 1))->kind, PLOT_LINE);
        assert_int_equal(plot_rec_series(p, 2 * (size_t)(run - 1))->n_drawn, (size_t)classes);
        assert_int_equal(plot_rec_series(p, 2 * (size_t)run - 1)->n_drawn, (size_t)classes);
    }
    assert_int_equal(plot_rec_axis(p, PLOT_X)->scale, AXIS_LOG10);
    assert_int_equal(sidecar_rows("cascades"), r.rows);
    fig_result_free(&r);
}

/* Four panels of one bar per run; the named panel also has the wrongly named bars. */
static void test_privacy(void **state) {
    (void)state;
    fig_result r;
    build("privacy", ALL_RUNS, 2, &r);
    for (int panel = 0; panel < 4; panel++) {
        plot_panel *p = plot_fig_panel(r.fig, panel / 2, panel % 2);
        assert_int_equal(plot_nseries(p), panel == 2 ? 2 : 1);
        assert_int_equal(plot_rec_series(p, 0)->kind, PLOT_BAR);
        assert_int_equal(plot_rec_series(p, 0)->n_drawn, 2);
    }
    double rows = sql1("SELECT count(*) FROM summary WHERE run_id IN (1,2) AND name IN "
                       "('persons', 'records_per_person', 'agencies_per_person', "
                       "'named_publicly', 'third_party_processing')");
    assert_int_equal(r.rows, (size_t)rows);
    assert_int_equal(sidecar_rows("privacy"), r.rows);
    fig_result_free(&r);
}

/* Two panels, one bar series per group, one bar per run. */
static void test_disparity(void **state) {
    (void)state;
    fig_result r;
    build("disparity", ALL_RUNS, 2, &r);
    double groups = sql1("SELECT count(DISTINCT grp) FROM summary WHERE run_id IN (1,2) AND "
                         "name = 'ever_listed_rate'");
    for (int panel = 0; panel < 2; panel++) {
        plot_panel *p = plot_fig_panel(r.fig, 0, panel);
        assert_int_equal(plot_nseries(p), (size_t)groups);
        assert_int_equal(plot_rec_series(p, 0)->n_drawn, 2);
    }
    assert_int_equal(sidecar_rows("disparity"), r.rows);
    fig_result_free(&r);
}

/* The cascade picture is a tree: on a percolation run (one seed, beta 0.4, 1,000 persons)
 * the drawn cascade of n listings has n - 1 edges, and the nodes add up to n. */
static void test_network(void **state) {
    (void)state;
    assert_int_equal(system("rm -f build/figtest-net.db*"), 0);
    assert_int_equal(run("run scenarios/verify/percolation.ini --set population.persons=1000 "
                         "--set run.seed_listed=0.002 --set spillover.p.beta=0.4 "
                         "--set run.event_cap=100000 --quiet --out build/figtest-net.db"), 0);
    sqlite3 *db;
    sim_err err = {{0}};
    assert_int_equal(sqlite3_open_v2("build/figtest-net.db", &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    const int64_t run1 = 1;
    fig_sel sel = {.run_ids = &run1, .nruns = 1, .size = FIG_SIZE_AUTO};
    fig_result r;
    memset(&r, 0, sizeof r);
    assert_int_equal(fig_find("network")->build(db, &sel, &r, &err), SIM_OK);
    sqlite3_close(db);
    assert_non_null(r.fig);
    assert_int_equal(fig_write(&r, OUT, "network", PLOT_FMT_PNG, &err), SIM_OK);
    plot_panel *p = plot_fig_panel(r.fig, 0, 0);
    const plot_series_rec *edges = plot_rec_series(p, 0);
    assert_int_equal(edges->kind, PLOT_LINE);
    size_t nodes = 0;
    for (size_t i = 1; i < plot_nseries(p); i++) nodes += plot_rec_series(p, i)->n_drawn;
    assert_true(nodes >= 2);
    assert_int_equal(edges->n_nonfinite, nodes - 1);     /* one break after each edge */
    assert_int_equal(edges->n_drawn, 2 * (nodes - 1));
    assert_int_equal(plot_rec_series(p, 1)->n_drawn, 1);  /* the root */
    fig_result_free(&r);
}

static void test_groups(void **state) {
    (void)state;
    fig_result r;
    build("groups", ALL_RUNS, 10, &r);
    size_t agroups = (size_t)sql1("SELECT count(DISTINCT grp) FROM metrics WHERE run_id = 1 "
                                  "AND name = 'listed.black' AND (grp LIKE 'group:%' OR "
                                  "grp = 'firms')");
    assert_int_equal(agroups, 3);
    for (int c = 0; c < 2; c++) {
        plot_panel *p = plot_fig_panel(r.fig, 0, c);
        size_t bars = 0;
        assert_int_equal(plot_nseries(p), agroups);
        for (size_t i = 0; i < plot_nseries(p); i++) {
            assert_int_equal(plot_rec_series(p, i)->kind, PLOT_BAR);
            bars += plot_rec_series(p, i)->n_drawn;
            assert_int_equal(plot_rec_series(p, i)->n_errbars, 5);
        }
        assert_int_equal(bars, agroups * 5);   /* 5 run groups */
    }
    assert_int_equal(sidecar_rows("groups"), r.rows);
    fig_result_free(&r);
}

static void test_phase(void **state) {
    (void)state;
    fig_result r;
    build("phase", ALL_RUNS, 2, &r);   /* no selected sweep run: the database's grid sweep */
    plot_panel *p = plot_fig_panel(r.fig, 0, 0);
    const plot_series_rec *s = plot_rec_series(p, 0);
    assert_int_equal(s->kind, PLOT_HEATMAP);
    size_t points = (size_t)sql1("SELECT count(DISTINCT point) FROM runs WHERE sweep_id = 1");
    assert_int_equal(points, 4);
    assert_int_equal(s->n_in, points);
    assert_int_equal(s->n_drawn, points);
    const plot_axis_rec *x = plot_rec_axis(p, PLOT_X);
    assert_int_equal(x->ticks.n, 2);
    assert_string_equal(x->ticks.label[1], "0.02");
    assert_true(plot_rec_axis(p, PLOT_Z)->present);
    assert_int_equal(sidecar_rows("phase"), r.rows);
    assert_int_equal(r.rows, 1 + 8);   /* one grid sweep; its 8 runs */
    fig_result_free(&r);
}

static void test_sensitivity(void **state) {
    (void)state;
    fig_result r;
    build("sensitivity", ALL_RUNS, 1, &r);
    plot_panel *p = plot_fig_panel(r.fig, 0, 0);
    assert_int_equal(plot_nseries(p), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(plot_rec_series(p, i)->n_drawn, 3);
        assert_int_equal(plot_rec_series(p, i)->n_errbars, 3);
    }
    assert_string_equal(plot_rec_series(p, 1)->label, "Total ST");
    assert_int_equal(sidecar_rows("sensitivity"), 6);
    fig_result_free(&r);
}

/* ---- the command ---- */

static int starts_with(const char *path, const char *magic, size_t n) {
    char *b = slurp(path, NULL);
    int ok = memcmp(b, magic, n) == 0;
    free(b);
    return ok;
}

static int pdf_pages(const char *path) {
    char cmd[512], line[256];
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>&1", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    int pages = -1;
    while (fgets(line, sizeof line, p))
        if (strncmp(line, "Pages:", 6) == 0) pages = atoi(line + 6);
    pclose(p);
    return pages;
}

static void check_pdf(const char *path) { assert_int_equal(pdf_pages(path), 1); }

static const char *const NAMES[5] = {"timeseries", "causes", "groups", "phase", "sensitivity"};

/* The brief: a title page, one page per figure with data, one appendix page per run. */
static void test_report(void **state) {
    (void)state;
    assert_int_equal(run("report " DB " -o " OUT "/brief.pdf --runs 1,2"), 0);
    /* title + timeseries, causes, disparity, cascades, privacy (+ network if run 1 has a
     * cascade of two or more) + 2 appendix pages */
    int pages = pdf_pages(OUT "/brief.pdf");
    assert_true(pages == 8 || pages == 9);
    assert_int_equal(run("report build/no-such.db -o " OUT "/x.pdf"), 4);
    assert_int_equal(run("report tests/data/engine/junk.csv -o " OUT "/x.pdf"), 5);
    assert_int_equal(run("report " DB " -o /nonexistent-dir/brief.pdf"), 4);
    assert_int_equal(run("report " DB), 2);
    assert_int_equal(run("report " DB " -o " OUT "/x.pdf --runs 999"), 5);
}

static void test_command_formats(void **state) {
    (void)state;
    static const char *const FMT[3] = {"png", "svg", "pdf"};
    char args[256], path[256];
    for (int f = 0; f < 3; f++) {
        snprintf(args, sizeof args, "plot " DB " --out " OUT "/cli-%s --format %s", FMT[f],
                 FMT[f]);
        assert_int_equal(run(args), 0);
        for (int i = 0; i < 5; i++) {
            snprintf(path, sizeof path, OUT "/cli-%s/%s.%s", FMT[f], NAMES[i], FMT[f]);
            if (f == 0) assert_true(starts_with(path, "\x89PNG\r\n\x1a\n", 8));
            if (f == 1) assert_true(starts_with(path, "<?xml", 5));
            if (f == 2) check_pdf(path);
            snprintf(path, sizeof path, OUT "/cli-%s/%s.sql", FMT[f], NAMES[i]);
            assert_int_equal(access(path, R_OK), 0);
        }
    }
    char *out = slurp("build/figtest.out", NULL);
    assert_contains(out, "sensitivity wrote");
    free(out);
    /* the same database gives the same SVG bytes */
    assert_int_equal(run("plot " DB " --out " OUT "/cli-svg2 --format svg"), 0);
    for (int i = 0; i < 5; i++) {
        snprintf(args, sizeof args, "cmp -s " OUT "/cli-svg/%s.svg " OUT "/cli-svg2/%s.svg",
                 NAMES[i], NAMES[i]);
        assert_int_equal(system(args), 0);
    }
}

static void test_command_options(void **state) {
    (void)state;
    assert_int_equal(run("plot " DB " --out " OUT "/one --figure causes --runs 2 --size slide"),
                     0);
    assert_int_equal(access(OUT "/one/causes.png", R_OK), 0);
    assert_int_equal(access(OUT "/one/timeseries.png", R_OK), -1);
    assert_int_equal(run("plot --help"), 0);
    char *out = slurp("build/figtest.out", NULL);
    assert_contains(out, "usage: scsim plot DB --out DIR");
    free(out);
    /* a database without sensitivity rows or sweeps: those figures are skipped */
    assert_int_equal(system("cp " DB " build/figtest-empty.db && sqlite3 build/figtest-empty.db "
                            "'DELETE FROM sensitivity; DELETE FROM sweeps'"), 0);
    assert_int_equal(run("plot build/figtest-empty.db --out " OUT "/skip"), 0);
    out = slurp("build/figtest.out", NULL);
    assert_contains(out, "phase       skipped: no grid sweep");
    assert_contains(out, "sensitivity skipped: the sensitivity table is empty");
    free(out);
}

static void expect_fail(const char *args, int code, const char *msg) {
    assert_int_equal(run(args), code);
    char *out = slurp("build/figtest.out", NULL);
    assert_contains(out, msg);
    free(out);
}

static void test_command_errors(void **state) {
    (void)state;
    expect_fail("plot build/figtest-none.db --out " OUT "/e", 4, "build/figtest-none.db");
    write_file("build/figtest-notdb.db", "not a database\n");
    expect_fail("plot build/figtest-notdb.db --out " OUT "/e", 5, "build/figtest-notdb.db");
    assert_int_equal(system("sqlite3 build/figtest-empty.db 'DELETE FROM metrics; DELETE FROM "
                            "summary; DELETE FROM events; DELETE FROM runs'"), 0);
    expect_fail("plot build/figtest-empty.db --out " OUT "/e", 5, "no runs");
    expect_fail("plot " DB " --out " OUT "/e --figure pie", 2,
                "timeseries, causes, groups, phase, sensitivity");
    expect_fail("plot " DB " --out " DB "/sub", 4, "cannot create output directory");
    expect_fail("plot " DB " --out " OUT "/e --runs 99", 5, "99");
    expect_fail("plot " DB, 2, "--out");
    expect_fail("plot " DB " --out " OUT "/e --format gif", 2, "gif");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timeseries),      cmocka_unit_test(test_causes),
        cmocka_unit_test(test_cascades),        cmocka_unit_test(test_privacy),
        cmocka_unit_test(test_disparity),       cmocka_unit_test(test_network),
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_groups),          cmocka_unit_test(test_phase),
        cmocka_unit_test(test_sensitivity),     cmocka_unit_test(test_command_formats),
        cmocka_unit_test(test_command_options), cmocka_unit_test(test_command_errors),
    };
    return cmocka_run_group_tests(tests, make_db, NULL);
}
