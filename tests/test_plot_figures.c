/* tests/test_plot_figures.c - the standard figures (plots/figures.h) built from a small
 * results database made with the binary (tests/test_plot_fixture.h): each figure's drawn
 * record (points, bars, curves, error bars, labels) against the SQL that fed it, its .sql
 * sidecar (run again, it returns the same rows), the run groups that pool replicates, the
 * default selection and the skip notes. The command, formats and the brief are in
 * tests/test_plot_cli.c. Runs from the repository root; writes build/figtest*. */
#include "testutil.h"

#define FIX_DB "build/figtest.db"
#define FIX_OUT "build/figtest-out"

#include "figures.h"
#include "results.h"
#include "test_plot_fixture.h"
#include "test_plot_lsan.h"

#define OUT FIX_OUT

static const int64_t ALL_RUNS[13] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
static const int64_t HARM_RUNS[3] = {11, 12, 13};   /* baseline x 2, court-blacklist */

/* Builds figure `name` over runs; r->fig NULL (skipped) is returned as is. */
static void build_maybe(const char *name, const int64_t *ids, size_t n, fig_result *r) {
    sqlite3 *db;
    sim_err err = {{0}};
    assert_int_equal(sqlite3_open_v2(FIX_DB, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    fig_sel sel = {.run_ids = ids, .nruns = n, .size = FIG_SIZE_AUTO};
    memset(r, 0, sizeof *r);
    sim_status st = fig_find(name)->build(db, &sel, r, &err);
    sqlite3_close(db);
    if (st != SIM_OK) fail_msg("%s: %s", name, err.msg);
}

/* Builds figure `name` over runs and renders it to OUT/NAME.svg (+ .sql). Caller frees r. */
static void build(const char *name, const int64_t *ids, size_t n, fig_result *r) {
    sim_err err = {{0}};
    build_maybe(name, ids, n, r);
    if (!r->fig) fail_msg("%s skipped: %s", name, r->note);
    if (fig_write(r, OUT, name, PLOT_FMT_SVG, &err) != SIM_OK) fail_msg("%s: %s", name, err.msg);
    assert_true(plot_rec_valid(r->fig));
}

/* Runs every statement of OUT/NAME.sql with sqlite3; returns the rows they return. */
static size_t sidecar_rows(const char *name) {
    char path[256];
    snprintf(path, sizeof path, OUT "/%s.sql", name);
    char *text = fix_slurp(path, NULL);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(FIX_DB, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
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

/* The count of a query with one %d or %s filled in. */
static double count1(const char *fmt, long long v) {
    char sql[512];
    snprintf(sql, sizeof sql, fmt, v);
    return fix_sql1(sql);
}

/* Bars drawn over all series of panel p of the given kind. */
static size_t drawn(const plot_panel *p, plot_kind kind) {
    size_t n = 0;
    for (size_t i = 0; i < plot_nseries(p); i++)
        if (plot_rec_series(p, i)->kind == kind) n += plot_rec_series(p, i)->n_drawn;
    return n;
}

/* ---- over steps ---- */

static void test_timeseries(void **state) {
    (void)state;
    fig_result r;
    build("timeseries", ALL_RUNS, 10, &r);
    /* 5 groups: points-spillover (runs 1, 2) and the sweep's 4 points (2 replicates each) */
    plot_panel *p0 = plot_fig_panel(r.fig, 0, 0), *p1 = plot_fig_panel(r.fig, 0, 1);
    assert_non_null(plot_fig_panel(r.fig, 0, 4));
    double steps0 = fix_sql1("SELECT count(*) FROM metrics WHERE run_id = 1 AND grp = 'all' "
                             "AND name = 'listed.black'");
    double steps1 = fix_sql1("SELECT max(step) FROM metrics WHERE run_id = 3 AND grp = 'all' "
                             "AND name = 'listed.black'");
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
    assert_int_equal(plot_rec_legend(p0), PLOT_LEGEND_FIGURE);   /* one legend, on top */
    assert_int_equal(plot_rec_legend(p1), PLOT_LEGEND_NONE);
    assert_int_equal(sidecar_rows("timeseries"), r.rows);
    fig_result_free(&r);
    /* one run: the single line, no band, the legend inside */
    build("timeseries", ALL_RUNS, 1, &r);
    plot_panel *p = plot_fig_panel(r.fig, 0, 0);
    assert_int_equal(plot_nseries(p), 2);
    assert_int_equal(plot_rec_series(p, 0)->kind, PLOT_LINE);
    assert_int_equal(plot_rec_series(p, 0)->n_drawn, (size_t)steps0);
    assert_true(plot_rec_legend(p) != PLOT_LEGEND_FIGURE);
    fig_result_free(&r);
}

/* Harm: baseline (2 replicates) and court-blacklist; three lines, bands for baseline only. */
static void test_harm(void **state) {
    (void)state;
    fig_result r;
    build("harm", HARM_RUNS, 3, &r);
    plot_panel *p0 = plot_fig_panel(r.fig, 0, 0), *p1 = plot_fig_panel(r.fig, 0, 1);
    double steps = fix_sql1("SELECT count(*) FROM metrics WHERE run_id = 11 AND name = 'harm' "
                            "AND grp = 'all'");
    assert_true(steps == 24);
    assert_int_equal(plot_nseries(p0), 6);   /* band and line for all, innocent, reached */
    assert_int_equal(plot_nseries(p1), 3);   /* one run: lines only */
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(plot_rec_series(p0, i)->kind, i % 2 ? PLOT_LINE : PLOT_BAND);
        assert_int_equal(plot_rec_series(p0, i)->n_drawn, (size_t)steps);
    }
    assert_string_equal(plot_rec_series(p0, 3)->label, "Innocent agents");
    assert_int_equal(r.rows, 0 + 3 + (size_t)fix_sql1("SELECT count(*) FROM metrics WHERE "
                     "run_id IN (11,12,13) AND name = 'harm' AND grp IN ('all', 'innocent', "
                     "'reached')"));
    assert_int_equal(sidecar_rows("harm"), r.rows);
    fig_result_free(&r);
    /* runs without a sanction catalogue: skipped, with the reason */
    build_maybe("harm", ALL_RUNS, 2, &r);
    assert_null(r.fig);
    assert_contains(r.note, "no harm rows");
    fig_result_free(&r);
}

static void test_causes(void **state) {
    (void)state;
    fig_result r;
    build("causes", ALL_RUNS + 1, 3, &r);   /* run 2; runs 3, 4 (one sweep point) */
    for (int c = 0; c < 2; c++) {
        const plot_series_rec *s = plot_rec_series(plot_fig_panel(r.fig, 0, c), 0);
        assert_int_equal(s->kind, PLOT_STACK);
        assert_int_equal(s->layers, 5);
        assert_int_equal(s->n_drawn, c == 0 ? 24 : 12);
    }
    double rows = fix_sql1("SELECT count(*) FROM metrics WHERE run_id IN (2,3,4) AND "
                           "name = 'new_listed.black' AND grp LIKE 'cause:%'");
    assert_int_equal(r.rows, 1 + 3 + (size_t)rows);   /* + the sweep and runs of the groups */
    assert_int_equal(sidecar_rows("causes"), r.rows);
    fig_result_free(&r);
}

/* ---- from the summary ---- */

/* One line (and its points) per run group; points = size classes non-empty in the pooled
 * replicates. */
static void test_cascades(void **state) {
    (void)state;
    fig_result r;
    build("cascades", ALL_RUNS, 4, &r);   /* runs 1, 2 (one group); runs 3, 4 (another) */
    plot_panel *p = plot_fig_panel(r.fig, 0, 0);
    assert_int_equal(plot_nseries(p), 4);
    const char *runs[2] = {"1,2", "3,4"};
    for (int g = 0; g < 2; g++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT grp FROM summary WHERE run_id "
                 "IN (%s) AND name = 'cascades' AND grp LIKE 'size:%%' AND grp != 'size:>1' "
                 "GROUP BY grp HAVING sum(value) > 0)", runs[g]);
        double classes = fix_sql1(sql);
        assert_true(classes >= 1);
        assert_int_equal(plot_rec_series(p, 2 * (size_t)g)->kind, PLOT_LINE);
        assert_int_equal(plot_rec_series(p, 2 * (size_t)g)->n_drawn, (size_t)classes);
        assert_int_equal(plot_rec_series(p, 2 * (size_t)g + 1)->n_drawn, (size_t)classes);
    }
    assert_string_equal(plot_rec_series(p, 0)->label, "points-spillover (2 runs)");
    assert_int_equal(plot_rec_axis(p, PLOT_X)->scale, AXIS_LOG10);
    assert_int_equal(sidecar_rows("cascades"), r.rows);
    fig_result_free(&r);
}

/* Six panels of one bar per run group (named: two series; AUC: three, guilt by association
 * included); 95% error bars where a group has replicates; the AUC panel has its dashed 0.5
 * line. No collection, sharing or chilling rows: only these six panels. */
static void test_privacy(void **state) {
    (void)state;
    fig_result r;
    build("privacy", HARM_RUNS, 3, &r);
    for (int panel = 0; panel < 6; panel++) {
        plot_panel *p = plot_fig_panel(r.fig, panel / 3, panel % 3);
        size_t bars = panel == 2 ? 2 : panel == 5 ? 3 : 1;
        assert_int_equal(plot_nseries(p), bars + (panel == 5));
        for (size_t i = 0; i < bars; i++) {
            assert_int_equal(plot_rec_series(p, i)->kind, PLOT_BAR);
            assert_int_equal(plot_rec_series(p, i)->n_drawn, 2);   /* 2 groups */
            assert_int_equal(plot_rec_series(p, i)->n_errbars, 1);   /* baseline's 2 runs */
        }
    }
    plot_panel *auc = plot_fig_panel(r.fig, 1, 2);
    assert_int_equal(plot_rec_series(auc, 3)->kind, PLOT_LINE);
    int rows_, cols_;
    plot_fig_grid(r.fig, &rows_, &cols_);
    assert_int_equal(rows_ * cols_, 6);
    assert_true(plot_rec_axis(auc, PLOT_Y)->hi == 1);
    double rows = fix_sql1("SELECT count(*) FROM summary WHERE run_id IN (11,12,13) AND name IN "
                           "('persons', 'records_per_person', 'agencies_per_person', "
                           "'named_publicly', 'third_party_processing', 'retention_exposure', "
                           "'inference_auc')");
    assert_int_equal(r.rows, 0 + 3 + (size_t)rows);   /* no sweep; 3 runs; the values */
    assert_int_equal(sidecar_rows("privacy"), r.rows);
    fig_result_free(&r);
}

/* Harm runs: four panels (rates, harm per person, ratios); points-spillover: three. */
static void test_disparity(void **state) {
    (void)state;
    fig_result r;
    build("disparity", HARM_RUNS, 3, &r);
    double groups = fix_sql1("SELECT count(DISTINCT grp) FROM summary WHERE run_id IN "
                             "(11,12,13) AND name = 'ever_listed_rate'");
    assert_true(groups == 2);
    for (int panel = 0; panel < 3; panel++) {
        plot_panel *p = plot_fig_panel(r.fig, panel / 2, panel % 2);
        assert_int_equal(plot_nseries(p), (size_t)groups);
        assert_int_equal(drawn(p, PLOT_BAR), 2 * (size_t)groups);   /* 2 run groups */
    }
    plot_panel *ratio = plot_fig_panel(r.fig, 1, 1);
    assert_int_equal(plot_nseries(ratio), 3 + 1);   /* listed, wrongly, harm; parity line */
    assert_string_equal(plot_rec_series(ratio, 2)->label, "harm per person");
    /* a ratio bar per (measure, run group) with a value: NaN (stored as NULL) when group 0's
     * rate is 0 in every run of the group */
    double bars = fix_sql1("SELECT count(*) FROM (SELECT name, run_id = 13 AS g FROM summary "
                           "WHERE run_id IN (11,12,13) AND name IN ('rate_ratio.ever_listed', "
                           "'rate_ratio.ever_wrongly_listed', 'rate_ratio.harm') AND grp = "
                           "'group:1' AND value IS NOT NULL GROUP BY name, g)");
    assert_int_equal(drawn(ratio, PLOT_BAR), (size_t)bars);
    assert_int_equal(sidecar_rows("disparity"), r.rows);
    fig_result_free(&r);
    build("disparity", ALL_RUNS, 2, &r);   /* no harm: 1 x 3 */
    assert_non_null(plot_fig_panel(r.fig, 0, 2));
    assert_null(plot_fig_panel(r.fig, 1, 0));
    fig_result_free(&r);
}

/* Lorenz: one curve per run group, (0, 0) and the RES_LORENZ_N + 1 points of the summary
 * (sim/core/results.h), the equality line, Gini in the legend;
 * beside it the shares borne by the most harmed 1%, 5% and 10%, a bar per run group. */
static void test_lorenz(void **state) {
    (void)state;
    fig_result r;
    build("lorenz", HARM_RUNS, 3, &r);
    plot_panel *p = plot_fig_panel(r.fig, 0, 0), *top = plot_fig_panel(r.fig, 0, 1);
    assert_int_equal(plot_nseries(p), 3);
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(plot_rec_series(p, i)->n_drawn, RES_LORENZ_N + 2);
    assert_int_equal(plot_rec_series(p, 2)->n_drawn, 2);   /* the diagonal */
    double gini = count1("SELECT value FROM summary WHERE run_id = %lld AND name = 'harm_gini'",
                         13);
    char label[128];
    /* its overrides that the baseline group lacks are part of its title (issue 14 item 5) */
    snprintf(label, sizeof label, "court-blacklist behaviour.deter_surveillance=2 "
             "behaviour.deter_sanction=0.5: Gini %.3f", gini);
    assert_string_equal(plot_rec_series(p, 1)->label, label);
    assert_contains(plot_rec_series(p, 0)->label, "baseline: Gini ");
    assert_contains(plot_rec_series(p, 0)->label, " ± ");
    assert_true(plot_rec_axis(p, PLOT_X)->lo == 0 && plot_rec_axis(p, PLOT_X)->hi == 1);
    assert_int_equal(plot_nseries(top), 3);
    assert_int_equal(drawn(top, PLOT_BAR), 3 * 2);
    assert_int_equal(plot_rec_series(top, 0)->n_errbars, 1);   /* baseline's two runs */
    assert_int_equal(plot_rec_legend(top), PLOT_LEGEND_FIGURE);
    assert_int_equal(r.rows, 0 + 3 + 3 * (RES_LORENZ_N + 1 + 2));   /* runs; Lorenz, Gini, top 1% */
    assert_int_equal(sidecar_rows("lorenz"), r.rows);
    fig_result_free(&r);
    build_maybe("lorenz", ALL_RUNS, 2, &r);
    assert_null(r.fig);
    assert_contains(r.note, "no harm_lorenz rows");
    fig_result_free(&r);
}

/* Frontier: one point per run group in each panel, crossed by 95% intervals where the group
 * has replicates, labelled; the efficient set. */
static void test_frontier(void **state) {
    (void)state;
    fig_result r;
    build("frontier", HARM_RUNS, 3, &r);
    double prevented = count1("SELECT value FROM summary WHERE run_id = %lld AND name = "
                              "'violations_prevented_weighted' AND grp = 'all'", 13);
    assert_true(prevented > 0);   /* deterrence on in run 13 */
    for (int panel = 0; panel < 2; panel++) {
        plot_panel *p = plot_fig_panel(r.fig, 0, panel);
        assert_int_equal(drawn(p, PLOT_SCATTER), 2);
        const plot_series_rec *base = plot_rec_series(p, 0), *court = plot_rec_series(p, 1);
        assert_string_equal(base->label, "baseline");
        assert_int_equal(base->n_errbars, 1);    /* two replicates */
        assert_int_equal(court->n_errbars, 0);   /* one run */
        assert_true(base->n_texts + court->n_texts >= 1);
        assert_true(plot_rec_axis(p, PLOT_X)->lo == 0 && plot_rec_axis(p, PLOT_Y)->lo == 0);
        assert_true(plot_rec_axis(p, PLOT_Y)->hi >= prevented);
    }
    assert_int_equal(r.rows, 0 + 3 + 3 * 4);   /* + violations_prevented_weighted per run */
    assert_int_equal(sidecar_rows("frontier"), r.rows);
    fig_result_free(&r);
}

static void test_network(void **state) {
    (void)state;
    assert_int_equal(system("rm -f build/figtest-net.db*"), 0);
    assert_int_equal(fix_run("run scenarios/verify/percolation.ini --set population.persons=1000 "
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
    size_t agroups = (size_t)fix_sql1("SELECT count(DISTINCT grp) FROM metrics WHERE run_id = "
                                      "1 AND name = 'listed.black' AND (grp LIKE 'group:%' OR "
                                      "grp = 'firms')");
    assert_int_equal(agroups, 3);
    for (int c = 0; c < 2; c++) {
        plot_panel *p = plot_fig_panel(r.fig, 0, c);
        assert_int_equal(plot_nseries(p), agroups);
        for (size_t i = 0; i < plot_nseries(p); i++) {
            assert_int_equal(plot_rec_series(p, i)->kind, PLOT_BAR);
            assert_int_equal(plot_rec_series(p, i)->n_errbars, 5);
        }
        assert_int_equal(drawn(p, PLOT_BAR), agroups * 5);   /* 5 run groups */
        /* the group's name, broken after its hyphen to fit beside the others */
        assert_string_equal(plot_rec_axis(p, PLOT_X)->ticks.label[0], "points-\nspillover");
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
    size_t points = (size_t)fix_sql1("SELECT count(DISTINCT point) FROM runs WHERE sweep_id = 1");
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

/* Figure `name` over runs from database `path`, written to OUT/<tag>-NAME.svg. */
static void build_from(const char *path, const char *tag, const char *name, const int64_t *ids,
                       size_t n) {
    sqlite3 *db;
    sim_err err = {{0}};
    char file[64];
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    fig_sel sel = {.run_ids = ids, .nruns = n, .size = FIG_SIZE_AUTO};
    fig_result r = {0};
    if (fig_find(name)->build(db, &sel, &r, &err) != SIM_OK) fail_msg("%s: %s", name, err.msg);
    sqlite3_close(db);
    if (!r.fig) fail_msg("%s skipped: %s", name, r.note);
    snprintf(file, sizeof file, "%s-%s", tag, name);
    if (fig_write(&r, OUT, file, PLOT_FMT_SVG, &err) != SIM_OK) fail_msg("%s", err.msg);
    fig_result_free(&r);
}

/* A database written before sweep_params and runs.varied_json: the sweep figures read the
 * varied parameters from the spec and overrides instead, and draw the same pictures. */
static void test_old_database(void **state) {
    (void)state;
    assert_int_equal(system("rm -f build/figtest-old.db* && sqlite3 " FIX_DB " 'PRAGMA "
                            "wal_checkpoint(TRUNCATE)' >/dev/null && cp " FIX_DB
                            " build/figtest-old.db && sqlite3 build/figtest-old.db 'DROP "
                            "TABLE sweep_params; DROP VIEW run_table; ALTER TABLE runs DROP COLUMN varied_json'"), 0);
    const char *figs[] = {"phase", "timeseries"};
    for (size_t k = 0; k < 2; k++) {
        build_from(FIX_DB, "new", figs[k], ALL_RUNS, 10);
        build_from("build/figtest-old.db", "old", figs[k], ALL_RUNS, 10);
        char cmd[300];
        snprintf(cmd, sizeof cmd, "cmp -s %s/new-%s.svg %s/old-%s.svg", OUT, figs[k], OUT,
                 figs[k]);
        if (system(cmd) != 0) fail_msg("%s differs on the old database", figs[k]);
    }
    /* the new database's group names come from sweep_params: "false_record=0.02, ..." */
    assert_true(fix_sql1("SELECT count(*) FROM sweep_params WHERE sweep_id = 1") >= 8);
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

/* The default selection: the runs of the last k run groups, the newest group first. */
static void test_recent_runs(void **state) {
    (void)state;
    sqlite3 *db;
    sim_err err = {{0}};
    int64_t ids[32];
    size_t n = 0;
    assert_int_equal(sqlite3_open_v2(FIX_DB, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(fig_recent_runs(db, 2, ids, 32, &n, &err), SIM_OK);
    assert_int_equal(n, 3);   /* court-blacklist (13), baseline (11, 12) */
    assert_true(ids[0] == 11 && ids[1] == 12 && ids[2] == 13);
    assert_int_equal(fig_recent_runs(db, 4, ids, 32, &n, &err), SIM_OK);
    assert_int_equal(n, 7);   /* and the two sweep points run last, two replicates each */
    assert_true(ids[4] == 11 && ids[5] == 12 && ids[6] == 13);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(DISTINCT point) = 2 AND min(sweep_id) = 1 FROM runs "
             "WHERE run_id IN (%lld,%lld,%lld,%lld)", (long long)ids[0], (long long)ids[1],
             (long long)ids[2], (long long)ids[3]);
    assert_true(fix_sql1(sql) == 1);
    assert_int_equal(fig_recent_runs(db, 100, ids, 5, &n, &err), SIM_OK);
    assert_int_equal(n, 5);   /* capped: the newest five */
    assert_true(ids[0] == 9 && ids[4] == 13);
    sqlite3_close(db);
}

/* agencies (per-agency lists, fig_agencies.c): on a run of sector-lists, one line per
 * blacklist (the common one and each own list, by name) and the aggregate, dashed, each with
 * a point per step; the runs of the fixture have no own lists: skipped with a note. */
static void test_agencies(void **state) {
    (void)state;
    const char *path = "build/plottest-agencies.db";
    assert_int_equal(system("rm -f build/plottest-agencies.db*"), 0);
    assert_int_equal(fix_run("run scenarios/sector-lists.ini --seed 1 --quiet --set "
                             "population.persons=2000 --steps 24 --out "
                             "build/plottest-agencies.db"), 0);
    sqlite3 *db;
    sim_err err = {{0}};
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    const int64_t one[1] = {1};
    fig_sel sel = {.run_ids = one, .nruns = 1, .size = FIG_SIZE_AUTO};
    fig_result r = {0};
    assert_int_equal(fig_agencies(db, &sel, &r, &err), SIM_OK);
    sqlite3_close(db);
    assert_non_null(r.fig);
    if (fig_write(&r, OUT, "agencies", PLOT_FMT_SVG, &err) != SIM_OK) fail_msg("%s", err.msg);
    assert_true(plot_rec_valid(r.fig));   /* the records below are filled when drawn */
    plot_panel *p = plot_fig_panel(r.fig, 0, 0);
    const char *want[] = {"common list", "courts", "market", "tax", "on any blacklist"};
    assert_int_equal(plot_nseries(p), 5);
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(plot_rec_series(p, i)->label, want[i]);
        assert_int_equal(plot_rec_series(p, i)->n_drawn, 24);
    }
    fig_result_free(&r);
    build_maybe("agencies", HARM_RUNS, 3, &r);
    assert_null(r.fig);
    assert_non_null(strstr(r.note, "own_lists"));
    fig_result_free(&r);
}

/* Every figure's list entry builds on the harm runs or is skipped with a note. */
static void test_every_figure(void **state) {
    (void)state;
    size_t n;
    const fig_def *f = fig_list(&n);
    assert_int_equal(n, 15);
    for (size_t i = 0; i < n; i++) {
        fig_result r;
        build_maybe(f[i].name, HARM_RUNS, 3, &r);
        if (!r.fig) assert_true(strlen(r.note) > 10);
        assert_ptr_equal(fig_find(f[i].name), &f[i]);
        fig_result_free(&r);
    }
    assert_null(fig_find("pie"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timeseries), cmocka_unit_test(test_harm),
        cmocka_unit_test(test_causes),     cmocka_unit_test(test_cascades),
        cmocka_unit_test(test_privacy),    cmocka_unit_test(test_disparity),
        cmocka_unit_test(test_lorenz),     cmocka_unit_test(test_frontier),
        cmocka_unit_test(test_network),    cmocka_unit_test(test_groups),
        cmocka_unit_test(test_phase),      cmocka_unit_test(test_sensitivity),
        cmocka_unit_test(test_old_database),
        cmocka_unit_test(test_recent_runs), cmocka_unit_test(test_every_figure),
        cmocka_unit_test(test_agencies),
    };
    return cmocka_run_group_tests(tests, fix_make_db, NULL);
}
