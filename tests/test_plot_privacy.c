/* tests/test_plot_privacy.c - the privacy figures and the brief's page "What the regime knows
 * about people" (issue 12 item 9) say only what the database holds, on a small database made
 * with the binary: runs 1, 2 platform-pooling, 3, 4 data-minimization, 5, 6 camera-chilling
 * (seeds 1, 2), run 7 baseline (no collection, sharing or chilling rows); 2,000 persons, 24
 * steps.
 *   - every claim of the captions of privacy, records, frontier and the "knows" page
 *     (rp_caption_facts) recomputed with this test's own SQL, and printed as claimed;
 *   - the privacy figure's new panels drawn exactly for the groups that have rows (bars of the
 *     bodies distribution = nonzero persons_by_bodies classes; one platform point per group
 *     with platform_auc; a lawful-acts bar only for camera-chilling), the others named;
 *   - the records figure: a panel per group with records_held rows, one y scale whose top
 *     holds every group's largest total;
 *   - the frontier's chilling panel only with lawful_acts_suppressed rows: one point per
 *     group that has them, on its own axis (never added to harm); the frontier's panels on
 *     one y scale (violations prevented), --free-y giving each its own;
 *   - without privacy rows (run 7): the panels and the page left out with the reason.
 * Runs from the repository root; writes build/privtest*. */
#include "testutil.h"

#define FIX_DB "build/privtest.db"
#define FIX_OUT "build/privtest-out"

#include "figures.h"
#include "report_impl.h"
#include "test_plot_fixture.h"
#include "test_plot_lsan.h"

static const int64_t PRIV[] = {1, 2, 3, 4, 5, 6};
static const int64_t BASE[] = {7};

static int make_db(void **state) {
    (void)state;
    if (system("rm -rf " FIX_DB " " FIX_DB "-wal " FIX_DB "-shm " FIX_OUT " && mkdir -p "
               FIX_OUT) != 0)
        return -1;
    fix_write("build/plottest-lsan.supp", "leak:libfontconfig.so\n");
    static const char *const SC[] = {"platform-pooling", "data-minimization", "camera-chilling"};
    char cmd[512];
    for (size_t i = 0; i < 7; i++) {
        snprintf(cmd, sizeof cmd, "run scenarios/%s.ini --seed %zu --out " FIX_DB " --quiet "
                 "--set population.persons=2000 --steps 24", i < 6 ? SC[i / 2] : "baseline",
                 i < 6 ? i % 2 + 1 : 1);
        if (fix_run(cmd) != 0) return -1;
    }
    return 0;
}

/* ---- the test's own arithmetic ---- */

static double sum1(sqlite3 *db, int64_t run, const char *name, const char *grp) {
    sqlite3_stmt *q;
    double v = NAN;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT value FROM summary WHERE run_id = ? AND "
                                        "name = ? AND grp = ?", -1, &q, NULL), SQLITE_OK);
    sqlite3_bind_int64(q, 1, run);
    sqlite3_bind_text(q, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, grp, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
        v = sqlite3_column_double(q, 0);
    sqlite3_finalize(q);
    return v;
}

/* offset + scale * the mean over group k's runs of key / den (runs without a value left out). */
static double group_value(const rp *r, sqlite3 *db, const rp_fact *f, size_t k) {
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < r->g.nrun; i++) {
        if (r->g.grp[i] != k) continue;
        int64_t id = r->g.run_id[i];
        double v = sum1(db, id, rp_key(f->key)->name, rp_key(f->key)->grp);
        if (f->den != FIG_NONE) {
            double d = sum1(db, id, rp_key(f->den)->name, rp_key(f->den)->grp);
            v = d != 0 ? v / d : NAN;
        }
        if (isfinite(v)) sum += v, n++;
    }
    return n ? f->offset + f->scale * (sum / (double)n) : NAN;
}

static void assert_close(double a, double b) {
    if (!(isnan(a) && isnan(b)) && !(fabs(a - b) <= 1e-9 * fmax(1, fabs(b))))
        fail_msg("claimed %.12g, the database says %.12g", a, b);
}

static int dominated(const rp *r, sqlite3 *db, size_t key, size_t k, size_t ng) {
    rp_fact cost = {RF_GROUP, key, FIG_NONE, 1, 0, 0, 0, 0, 0};
    rp_fact gain = {RF_GROUP, RK_PREVENTED_W, FIG_NONE, 1, 0, 0, 0, 0, 0};   /* weighted */
    double xk = group_value(r, db, &cost, k), yk = group_value(r, db, &gain, k);
    if (!isfinite(xk) || !isfinite(yk)) return 1;
    for (size_t j = 0; j < ng; j++) {
        double x = group_value(r, db, &cost, j), y = group_value(r, db, &gain, j);
        if (j != k && x <= xk && y >= yk && (x < xk || y > yk || j < k)) return 1;
    }
    return 0;
}

/* Points of the dashed frontier line in the frontier figure's panel p (0: none). */
static size_t drawn_line(sqlite3 *db, const rp *r, int p) {
    fig_sel sel = {.run_ids = r->ids, .nruns = r->nrun, .size = FIG_SIZE_AUTO};
    fig_result res = {0};
    sim_err err = {{0}};
    assert_int_equal(fig_frontier(db, &sel, &res, &err), SIM_OK);
    assert_int_equal(plot_render(res.fig, FIX_OUT "/frontier-check.png", PLOT_FMT_PNG, &err),
                     SIM_OK);
    const plot_panel *panel = plot_fig_panel(res.fig, 0, p);
    size_t n = 0;
    for (size_t i = 0; i < plot_nseries(panel); i++)
        if (plot_rec_series(panel, i)->kind == PLOT_STEP) n = plot_rec_series(panel, i)->n_drawn;
    fig_result_free(&res);
    return n;
}

static int panel_of(size_t key) {
    return key == RK_EVER_WRONG ? 0 : key == RK_HARM_INNOCENT ? 1 : 2;
}

/* Every claim of fig's caption against the database; printed as claimed. */
static void check_caption(const rp *r, sqlite3 *db, const char *fig) {
    rp_facts F;
    char cap[RP_TEXT], num[48];
    rp_caption_facts(r, fig, &F);
    rp_caption(r, fig, cap, sizeof cap);
    assert_true(F.n > 0);
    for (size_t i = 0; i < F.n; i++) {
        const rp_fact *f = &F.f[i];
        if (f->kind == RF_MAX || f->kind == RF_MIN)
            for (size_t k = 0; k < F.ngroups; k++) {
                double v = group_value(r, db, f, k);
                double tol = 1e-9 * fmax(1, fabs(f->value));   /* as assert_close */
                if (isfinite(v) && !(f->kind == RF_MAX ? v <= f->value + tol
                                                       : v >= f->value - tol))
                    fail_msg("%s: claim %zu (%s %s) %.12g, group %zu has %.12g", fig, i,
                             rp_key(f->key)->name, rp_key(f->key)->grp, f->value, k, v);
            }
        if ((f->kind == RF_MAX || f->kind == RF_MIN || f->kind == RF_GROUP) && f->grp >= 0)
            assert_close(f->value, group_value(r, db, f, (size_t)f->grp));
        if (f->kind == RF_FRONTIER)
            assert_false(dominated(r, db, f->key, (size_t)f->grp, F.ngroups));
        if (f->kind == RF_LINE)
            assert_int_equal((size_t)f->value, drawn_line(db, r, panel_of(f->key)));
        if (f->dec >= 0 && isfinite(f->value) && f->grp >= 0) {
            rp_num(num, sizeof num, f->value, f->dec);
            assert_contains(cap, num);
        }
        if (f->grp >= 0 && f->kind != RF_LINE) assert_contains(cap, r->g.title[f->grp]);
    }
}

static void test_captions_against_sql(void **state) {
    (void)state;
    static const char *const FIGS[] = {"privacy", "records", "frontier", "knows"};
    sqlite3 *db;
    sim_err err = {{0}};
    rp *r = NULL;
    assert_int_equal(sqlite3_open_v2(FIX_DB, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(rp_open(FIX_DB, PRIV, 6, &r, &err), SIM_OK);
    assert_int_equal(r->g.ngrp, 3);
    for (size_t f = 0; f < sizeof FIGS / sizeof *FIGS; f++) check_caption(r, db, FIGS[f]);
    char cap[RP_TEXT];
    rp_caption(r, "knows", cap, sizeof cap);   /* the rules that chose them */
    assert_contains(cap, "The agencies hold the most about people in platform-pooling");
    assert_contains(cap, "the fewest in data-minimization");
    assert_contains(cap, "camera-chilling suppressed the most lawful acts");
    rp_caption(r, "frontier", cap, sizeof cap);   /* one group with chilling rows: no line */
    assert_contains(cap, "Only camera-chilling models it");
    rp_facts F;
    rp_caption_facts(r, "frontier", &F);
    char num[48];   /* a positive number prevented is never printed as 0 */
    rp_num(num, sizeof num, F.f[0].value, F.f[0].dec);
    if (F.f[0].value > 0) assert_true(strtod(num, NULL) > 0);
    for (size_t i = 0; i < F.n; i++)   /* chilling claims only for the group with rows */
        if (F.f[i].key == RK_SUPPRESSED && F.f[i].kind != RF_LINE)
            assert_int_equal(F.f[i].grp, 2);
    assert_true(rp_knows_any(r));
    rp_close(r);
    sqlite3_close(db);
}

/* ---- the figures ---- */

static fig_result build_y(sqlite3 *db, const char *fig, const int64_t *ids, size_t n,
                          int free_y) {
    fig_sel sel = {.run_ids = ids, .nruns = n, .size = FIG_SIZE_AUTO, .free_y = free_y};
    fig_result res = {0};
    sim_err err = {{0}};
    if (fig_build(fig_find(fig), db, &sel, &res, &err) != SIM_OK) fail_msg("%s", err.msg);
    if (res.fig) {
        char path[256];
        snprintf(path, sizeof path, FIX_OUT "/%s-%zu%s.png", fig, n, free_y ? "-free" : "");
        assert_int_equal(plot_render(res.fig, path, PLOT_FMT_PNG, &err), SIM_OK);
    }
    return res;
}

static fig_result build(sqlite3 *db, const char *fig, const int64_t *ids, size_t n) {
    return build_y(db, fig, ids, n, 0);
}

/* The panel titled title, or NULL. */
static const plot_panel *find_panel(const plot_fig *fig, const char *title) {
    int rows, cols;
    plot_fig_grid(fig, &rows, &cols);
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            if (!strcmp(plot_panel_title(plot_fig_panel((plot_fig *)fig, i, j)), title))
                return plot_fig_panel((plot_fig *)fig, i, j);
    return NULL;
}

static void test_privacy_figure(void **state) {
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(FIX_DB, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    fig_result res = build(db, "privacy", PRIV, 6);
    int rows, cols;
    plot_fig_grid(res.fig, &rows, &cols);
    assert_int_equal(rows * cols, 9);
    const plot_panel *p = find_panel(res.fig, "Bodies holding data per person");
    assert_non_null(p);
    assert_int_equal(plot_nseries(p), 2);   /* platform-pooling, data-minimization */
    for (size_t i = 0; i < 2; i++) {   /* a bar per class some run of the group fills */
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT count(DISTINCT grp) FROM summary WHERE run_id IN "
                 "(%zu, %zu) AND name = 'persons_by_bodies' AND value > 0", 2 * i + 1,
                 2 * i + 2);
        assert_int_equal(plot_rec_series(p, i)->n_drawn, (size_t)fix_sql1(sql));
    }
    p = find_panel(res.fig, "Platform observer against what is pooled");
    assert_non_null(p);
    assert_int_equal(plot_rec_series(p, 0)->n_drawn, 2);   /* camera-chilling: no point */
    assert_true(fix_sql1("SELECT count(*) FROM summary WHERE run_id IN (5, 6) AND name = "
                         "'platform_auc'") == 0);
    p = find_panel(res.fig, "Lawful acts suppressed (chilling)");
    assert_non_null(p);
    assert_int_equal(plot_rec_series(p, 0)->n_drawn, 1);
    assert_contains(res.note, "no rows for the lawful acts panel: platform-pooling, "
                    "data-minimization");
    assert_contains(res.note, "no rows for the platform observer panel: camera-chilling");
    fig_result_free(&res);

    res = build(db, "records", PRIV, 6);
    plot_fig_grid(res.fig, &rows, &cols);
    assert_int_equal(rows * cols, 3);
    double top = fix_sql1("SELECT max(value) FROM metrics WHERE run_id IN (1, 2, 3, 4, 5, 6) "
                          "AND name = 'records_held' AND grp = 'mean'");
    for (int j = 0; j < 3; j++) {   /* one y scale holding the largest total */
        const plot_axis_rec *y = plot_rec_axis(plot_fig_panel(res.fig, 0, j), PLOT_Y);
        assert_true(y->lo == 0 && y->hi >= top * 0.999);
        assert_true(y->hi == plot_rec_axis(plot_fig_panel(res.fig, 0, 0), PLOT_Y)->hi);
        assert_int_equal(plot_rec_series(plot_fig_panel(res.fig, 0, j), 0)->n_drawn, 24);
    }
    fig_result_free(&res);

    res = build(db, "frontier", PRIV, 6);
    plot_fig_grid(res.fig, &rows, &cols);
    assert_int_equal(cols, 3);   /* the chilling panel */
    /* the chilling cost has its own panel: one point (camera-chilling), x its own axis */
    const plot_panel *chill = plot_fig_panel(res.fig, 0, 2);
    size_t points = 0;
    for (size_t i = 0; i < plot_nseries(chill); i++)
        if (plot_rec_series(chill, i)->kind == PLOT_SCATTER) points += plot_rec_series(chill, i)->n_drawn;
    assert_int_equal(points, 1);
    for (int j = 1; j < 3; j++) {   /* one y scale: violations prevented in every panel */
        const plot_axis_rec *y = plot_rec_axis(plot_fig_panel(res.fig, 0, j), PLOT_Y);
        assert_true(y->lo == plot_rec_axis(plot_fig_panel(res.fig, 0, 0), PLOT_Y)->lo);
        assert_true(y->hi == plot_rec_axis(plot_fig_panel(res.fig, 0, 0), PLOT_Y)->hi);
    }
    assert_true(plot_rec_axis(chill, PLOT_X)->hi >=
                fix_sql1("SELECT avg(value) FROM summary WHERE run_id IN (5, 6) AND name = "
                         "'lawful_acts_suppressed' AND grp = 'all'"));
    assert_contains(plot_panel_title(plot_fig_panel(res.fig, 0, 2)), "lawful acts suppressed");
    fig_result_free(&res);
    sqlite3_close(db);
}

/* The frontier's panels share y: with platform-pooling (no chilling rows) preventing the most
 * (an edited copy: 40 in runs 1, 2), the chilling panel still spans its y, and with --free-y
 * it does not (so sharing is what makes them equal). */
static void test_frontier_shared_y(void **state) {
    (void)state;
    assert_int_equal(system("rm -f " FIX_OUT "/edit.db"), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(FIX_DB, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "VACUUM INTO '" FIX_OUT "/edit.db'", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(sqlite3_open(FIX_OUT "/edit.db", &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE summary_rows SET value = 40 WHERE run_id IN (1, 2) "
                                  "AND metric = (SELECT id FROM metric_names WHERE name = "
                                  "'violations_prevented_weighted')", NULL, NULL, NULL), SQLITE_OK);
    double his[2];
    for (int free_y = 0; free_y < 2; free_y++) {
        fig_result res = build_y(db, "frontier", PRIV, 6, free_y);
        const plot_axis_rec *y0 = plot_rec_axis(plot_fig_panel(res.fig, 0, 0), PLOT_Y);
        const plot_axis_rec *y2 = plot_rec_axis(plot_fig_panel(res.fig, 0, 2), PLOT_Y);
        assert_true(y0->hi >= 40);
        his[free_y] = y2->hi;
        if (!free_y) assert_true(y2->lo == y0->lo && y2->hi == y0->hi);
        fig_result_free(&res);
    }
    assert_true(his[1] < 40);   /* alone, the chilling panel would stop below 40 */
    sqlite3_close(db);
}

/* ---- without privacy rows ---- */

static void test_without_privacy_rows(void **state) {
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(FIX_DB, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    fig_result res = build(db, "privacy", BASE, 1);
    int rows, cols;
    plot_fig_grid(res.fig, &rows, &cols);
    assert_int_equal(rows * cols, 6);   /* the six old panels, none drawn as zero */
    assert_null(find_panel(res.fig, "Bodies holding data per person"));
    assert_contains(res.note, "left out: bodies holding data (no persons_by_bodies rows");
    assert_contains(res.note, "platform observer against pooling (no platform_auc");
    assert_contains(res.note, "lawful acts suppressed (no lawful_acts_suppressed rows");
    fig_result_free(&res);
    res = build(db, "records", BASE, 1);
    assert_null(res.fig);
    assert_contains(res.note, "no records_held rows by agency");
    fig_result_free(&res);
    res = build(db, "frontier", BASE, 1);
    plot_fig_grid(res.fig, &rows, &cols);
    assert_int_equal(cols, 2);
    assert_contains(res.note, "no chilling panel");
    fig_result_free(&res);
    sqlite3_close(db);
    sim_err err = {{0}};
    rp *r = NULL;
    assert_int_equal(rp_open(FIX_DB, BASE, 1, &r, &err), SIM_OK);
    assert_false(rp_knows_any(r));
    char notes[RP_TEXT];
    rp_notes(r, notes, sizeof notes);
    assert_contains(notes, "so the brief has no page on what the regime knows about people");
    rp_close(r);
}

/* ---- the brief ---- */

static char *pdf_text(const char *pdf) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdftotext -raw '%s' " FIX_OUT "/brief.txt", pdf);
    assert_int_equal(system(cmd), 0);
    char *t = fix_slurp(FIX_OUT "/brief.txt", NULL);
    for (char *c = t; *c; c++) if (*c == '\n' || *c == '\f') *c = ' ';
    return t;
}

static void test_brief(void **state) {
    (void)state;
    assert_int_equal(fix_run("report " FIX_DB " -o " FIX_OUT "/priv.pdf --runs 1-7"), 0);
    char *t = pdf_text(FIX_OUT "/priv.pdf");
    static const char *const HAVE[] = {
        "What the regime knows about people", "Per scenario: records, bodies, inference, "
        "chilling", "records held per person", "guilt-by- association AUC", "'records_held'",
        "records held per person = records_held (mean)", "Records held per person, by agency",
        "Against chilling (lawful acts suppressed)"};
    for (size_t i = 0; i < sizeof HAVE / sizeof *HAVE; i++) assert_contains(t, HAVE[i]);
    free(t);
    assert_int_equal(fix_run("report " FIX_DB " -o " FIX_OUT "/base.pdf --runs 7"), 0);
    t = pdf_text(FIX_OUT "/base.pdf");
    assert_null(strstr(t, "Per scenario: records, bodies"));
    assert_contains(t, "no page on what the regime knows about people");
    free(t);
    assert_int_equal(fix_run("plot " FIX_DB " --out " FIX_OUT "/cli --runs 1-6 --figure records "
                             "--figure privacy --figure frontier"), 0);
    char *log = fix_slurp(FIX_LOG, NULL);
    assert_contains(log, "records     wrote");
    assert_contains(log, "privacy     wrote");
    fix_check_png(FIX_OUT "/cli/records.png", 2000, 1120);   /* slide: three panels */
    fix_check_png(FIX_OUT "/cli/privacy.png", 4000, 2800);   /* 20 x 14 in, 3 x 3 panels */
    fix_check_png(FIX_OUT "/cli/frontier.png", 3600, 1120);  /* 18 x 5.6 in with chilling */
    free(log);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_captions_against_sql),
        cmocka_unit_test(test_privacy_figure),
        cmocka_unit_test(test_frontier_shared_y),
        cmocka_unit_test(test_without_privacy_rows),
        cmocka_unit_test(test_brief),
    };
    return cmocka_run_group_tests(tests, make_db, NULL);
}
