/* tests/test_plot_report.c - figures and the brief say only what is true (issue 14 items
 * 9-15), on the small database of tests/test_plot_fixture.h:
 *   - every claim of every caption (rp_caption_facts) recomputed from the summary table with
 *     this test's own SQL and arithmetic, and printed in the caption as claimed; the
 *     frontier's line in the caption exactly when the figure draws it;
 *   - a run group without harm to persons: "no harm", not a Gini of 0; a saturated group
 *     (more than 80% of persons ever blacklisted) flagged in figure, caption and summary;
 *   - one y scale over per-group panels by default, --free-y to opt out;
 *   - figures name the run groups they leave out and why; phase --metric X writes phase-X;
 *   - the brief: every page one size (A4, or Letter with --paper letter), headline tables
 *     with both wrongful measures and the headcounts, the appendix as tables (no raw JSON)
 *     with the headline SQL, the network page only for a cascade worth showing;
 *   - summary: the error-caused share, the headcounts and their definitions.
 * Runs from the repository root; writes build/reporttest*. */
#include "testutil.h"

#define FIX_DB "build/reporttest.db"
#define FIX_OUT "build/reporttest-out"

#include "figures.h"
#include "report_impl.h"
#include "test_plot_fixture.h"
#include "test_plot_lsan.h"

#define EDIT_DB "build/reporttest-edit.db"

static const char *const FIGS[] = {"timeseries", "harm", "causes", "lorenz", "disparity",
                                   "frontier", "privacy", "agencies", "regions", "cascades",
                                   "network"};

/* ---- the test's own arithmetic ---- */

/* One summary value of a run from db, NaN without a row (or a NULL value). */
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

/* What a claim says of group k: offset + scale * the mean over the group's runs of key / den
 * (runs without a value left out; a run without harm to persons has no Gini or Lorenz). */
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
        if ((f->key == RK_GINI || f->key == RK_LORENZ95) &&
            sum1(db, id, "harm_top1_share", "persons") == 0)
            v = NAN;
        if (isfinite(v)) sum += v, n++;
    }
    return n ? f->offset + f->scale * (sum / (double)n) : NAN;
}

static void assert_close(double a, double b) {
    if (!(isnan(a) && isnan(b)) && !(fabs(a - b) <= 1e-9 * fmax(1, fabs(b))))
        fail_msg("claimed %.12g, the database says %.12g", a, b);
}

/* Whether group k is beaten on both counts by another (cost key, benefit: violations
 * prevented weighted by severity, which the fixture's runs all have). */
static int dominated(const rp *r, sqlite3 *db, size_t key, size_t k, size_t ng) {
    rp_fact cost = {RF_GROUP, key, FIG_NONE, 1, 0, 0, 0, 0, 0};
    rp_fact gain = {RF_GROUP, RK_PREVENTED_W, FIG_NONE, 1, 0, 0, 0, 0, 0};
    double xk = group_value(r, db, &cost, k), yk = group_value(r, db, &gain, k);
    if (!isfinite(xk) || !isfinite(yk)) return 1;   /* no point: not on the frontier */
    for (size_t j = 0; j < ng; j++) {
        double x = group_value(r, db, &cost, j), y = group_value(r, db, &gain, j);
        if (j != k && x <= xk && y >= yk && (x < xk || y > yk || j < k)) return 1;
    }
    return 0;
}

/* The frontier lines the frontier figure draws: points of the dashed step series of panel
 * p (0: none). */
static size_t drawn_line(sqlite3 *db, const rp *r, int p) {
    fig_sel sel = {.run_ids = r->ids, .nruns = r->nrun, .size = FIG_SIZE_AUTO};
    fig_result res = {0};
    sim_err err = {{0}};
    assert_int_equal(fig_frontier(db, &sel, &res, &err), SIM_OK);
    assert_non_null(res.fig);
    assert_int_equal(plot_render(res.fig, FIX_OUT "/frontier-check.png", PLOT_FMT_PNG, &err),
                     SIM_OK);
    const plot_panel *panel = plot_fig_panel(res.fig, 0, p);
    size_t n = 0;
    for (size_t i = 0; i < plot_nseries(panel); i++)
        if (plot_rec_series(panel, i)->kind == PLOT_STEP) n = plot_rec_series(panel, i)->n_drawn;
    fig_result_free(&res);
    return n;
}

/* Every claim of fig's caption against the database; the caption prints each as claimed. */
static void check_caption(const rp *r, sqlite3 *db, const char *fig) {
    rp_facts F;
    char cap[RP_TEXT], num[48];
    rp_caption_facts(r, fig, &F);
    rp_caption(r, fig, cap, sizeof cap);
    size_t frontier[2] = {0, 0};
    for (size_t i = 0; i < F.n; i++) {
        const rp_fact *f = &F.f[i];
        switch (f->kind) {
        case RF_MAX: case RF_MIN:
            for (size_t k = 0; k < F.ngroups; k++) {
                double v = group_value(r, db, f, k);
                double tol = 1e-9 * fmax(1, fabs(f->value));   /* as assert_close: the sum
                                                   of a mean in another order */
                if (isfinite(v) && !(f->kind == RF_MAX ? v <= f->value + tol
                                                       : v >= f->value - tol))
                    fail_msg("%s: claim %zu (key %s %s) %.12g, group %zu has %.12g", fig, i,
                             rp_key(f->key)->name, rp_key(f->key)->grp, f->value, k, v);
            }
            if (f->grp >= 0) assert_close(f->value, group_value(r, db, f, (size_t)f->grp));
            break;
        case RF_GROUP:
            if (f->grp >= 0) assert_close(f->value, group_value(r, db, f, (size_t)f->grp));
            break;
        case RF_FRONTIER:
            assert_false(dominated(r, db, f->key, (size_t)f->grp, F.ngroups));
            frontier[f->key == RK_HARM_INNOCENT]++;
            break;
        case RF_LINE:
            assert_int_equal((size_t)f->value, drawn_line(db, r, f->key == RK_HARM_INNOCENT));
            break;
        case RF_NOHARM:
            for (size_t j = 0; j < r->g.nrun; j++)
                if (r->g.grp[j] == (size_t)f->grp)
                    assert_true(sum1(db, r->g.run_id[j], "harm_top1_share", "persons") == 0);
            break;
        case RF_RUN: {   /* the cascade the network figure draws, no larger than the largest */
            fig_sel one = {.run_ids = &f->run_id, .nruns = 1, .size = FIG_SIZE_AUTO};
            fig_result res = {0};
            sim_err err = {{0}};
            assert_int_equal(fig_network(db, &one, &res, &err), SIM_OK);
            assert_close(f->value, (double)res.cascade);
            assert_true(f->value <= sum1(db, f->run_id, "cascade_largest", "all"));
            fig_result_free(&res);
            break;
        }
        case RF_AGENCY: case RF_REG_MAX: case RF_REG_MIN:   /* no own lists, no pilot here: */
            fail_msg("%s: claim %zu of a page this database must not have (checked in "
                     "tests/test_plot_report_pilots.c)", fig, i);
        }
        if (f->dec >= 0 && isfinite(f->value)) {
            rp_num(num, sizeof num, f->value, f->dec);
            assert_contains(cap, num);
        }
        if (f->grp >= 0 && f->kind != RF_LINE) assert_contains(cap, r->g.title[f->grp]);
    }
    if (!strcmp(fig, "frontier"))   /* every efficient group claimed, and no other */
        for (int c = 0; c < 2; c++) {
            size_t eff = 0;
            for (size_t k = 0; k < F.ngroups; k++)
                eff += !dominated(r, db, c ? RK_HARM_INNOCENT : RK_EVER_WRONG, k, F.ngroups);
            assert_int_equal(frontier[c], eff);
        }
}

static void test_captions_against_sql(void **state) {
    (void)state;
    static const int64_t ALL[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
    sqlite3 *db;
    sim_err err = {{0}};
    assert_int_equal(sqlite3_open_v2(FIX_DB, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (int sel = 0; sel < 3; sel++) {   /* default, all 13 runs (7 groups), 11-13 */
        rp *r = NULL;
        const int64_t *ids = sel == 0 ? NULL : sel == 1 ? ALL : ALL + 10;
        size_t n = sel == 0 ? 0 : sel == 1 ? 13 : 3;
        assert_int_equal(rp_open(FIX_DB, ids, n, &r, &err), SIM_OK);
        for (size_t f = 0; f < sizeof FIGS / sizeof *FIGS; f++) check_caption(r, db, FIGS[f]);
        rp_facts F;
        rp_caption_facts(r, "frontier", &F);
        assert_true(F.n > 3);   /* the frontier's claims include its lines */
        /* the benefit is weighted by severity (issue 13 item 2), and says so */
        assert_int_equal(F.f[0].key, RK_PREVENTED_W);
        char cap[RP_TEXT];
        rp_caption(r, "frontier", cap, sizeof cap);
        assert_contains(cap, "each weighted by its severity");
        rp_close(r);
    }
    /* court-blacklist (run 13) has a serious tier: weighted and counted benefits differ, so
       the claims above check the weighted one */
    assert_true(sum1(db, 13, "violations_prevented_weighted", "all") >
                sum1(db, 13, "violations_prevented", "all"));
    sqlite3_close(db);
}

/* ---- undefined and saturated ---- */

/* EDIT_DB: the fixture with baseline (runs 11, 12) harming no person and court-blacklist
 * (run 13) saturated: 90% of its persons ever blacklisted. */
static void make_edited(void) {
    assert_int_equal(system("rm -f " EDIT_DB " " EDIT_DB "-wal " EDIT_DB "-shm"), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(FIX_DB, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "VACUUM INTO '" EDIT_DB "'", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(sqlite3_open(EDIT_DB, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, "UPDATE summary_rows SET value = 0 WHERE run_id IN (11, 12) AND "
                          "metric IN (SELECT id FROM metric_names WHERE name IN "
                          "('harm_top1_share', 'harm_gini'));"
                          "UPDATE summary_rows SET value = 0.9 * (SELECT value FROM summary p "
                          "WHERE p.run_id = 13 AND p.name = 'persons') WHERE run_id = 13 AND "
                          "metric = (SELECT id FROM metric_names WHERE name = "
                          "'persons_ever_listed');", NULL, NULL, &msg);
    if (rc != SQLITE_OK) fail_msg("editing %s: %s", EDIT_DB, msg);
    sqlite3_close(db);
}

static void test_no_harm_and_saturated(void **state) {
    (void)state;
    make_edited();
    static const int64_t IDS[] = {11, 12, 13};
    sim_err err = {{0}};
    rp *r = NULL;
    char cap[RP_TEXT];
    if (rp_open(EDIT_DB, IDS, 3, &r, &err) != SIM_OK) fail_msg("%s", err.msg);
    rp_caption(r, "lorenz", cap, sizeof cap);
    assert_contains(cap, "No harm to any person in baseline");
    assert_null(strstr(cap, "0.000 in baseline"));   /* not perfect equality */
    rp_caption(r, "timeseries", cap, sizeof cap);
    assert_contains(cap, "Saturated: court-blacklist");
    assert_contains(cap, "(90.0% of persons ever blacklisted)");
    rp_close(r);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(EDIT_DB, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    fig_sel sel = {.run_ids = IDS, .nruns = 3, .size = FIG_SIZE_AUTO};
    fig_result res = {0};
    assert_int_equal(fig_build(fig_find("lorenz"), db, &sel, &res, &err), SIM_OK);
    assert_contains(res.note, "no harm to persons (no curve, Gini undefined): baseline");
    assert_int_equal(plot_render(res.fig, FIX_OUT "/lorenz-noharm.png", PLOT_FMT_PNG, &err),
                     SIM_OK);
    const plot_panel *p = plot_fig_panel(res.fig, 0, 0);
    int seen = 0;
    for (size_t i = 0; i < plot_nseries(p); i++) {
        const plot_series_rec *s = plot_rec_series(p, i);
        if (strncmp(s->label, "baseline", 8) != 0) continue;
        assert_string_equal(s->label, "baseline: no harm to persons, Gini undefined");
        assert_int_equal(s->n_drawn, 0);   /* drawn as undefined: no curve */
        seen = 1;
    }
    assert_true(seen);
    assert_contains(plot_fig_title(res.fig), "[1 saturated]");   /* the name is too long */
    assert_contains(res.note, "saturated: court-blacklist");
    fig_result_free(&res);
    assert_int_equal(fig_build(fig_find("timeseries"), db, &sel, &res, &err), SIM_OK);
    assert_contains(plot_panel_title(plot_fig_panel(res.fig, 0, 1)), "[saturated]");
    assert_null(strstr(plot_panel_title(plot_fig_panel(res.fig, 0, 0)), "saturated"));
    fig_result_free(&res);
    sqlite3_close(db);
    assert_int_equal(fix_run("summary " EDIT_DB " --runs 11-13"), 0);
    char *log = fix_slurp(FIX_LOG, NULL);
    assert_contains(log, "no harm");
    assert_contains(log, "run 13 is saturated: 90.0% of its persons were ever blacklisted");
    assert_contains(log, "error-caused listings, %");
    assert_contains(log, "persons ever sanctioned");
    assert_contains(log, "  children");
    free(log);
}

/* ---- shared y, groups left out, file names ---- */

static void y_limits(sqlite3 *db, const fig_sel *sel, double *lo, double *hi, size_t *n) {
    fig_result res = {0};
    sim_err err = {{0}};
    assert_int_equal(fig_timeseries(db, sel, &res, &err), SIM_OK);
    assert_int_equal(plot_render(res.fig, FIX_OUT "/ts-y.png", PLOT_FMT_PNG, &err), SIM_OK);
    *n = 0;
    for (int row = 0; row < 2; row++)
        for (int col = 0; col < 3; col++) {
            const plot_panel *p = plot_fig_panel(res.fig, row, col);
            if (!p || !plot_nseries(p)) continue;
            lo[*n] = plot_rec_axis(p, PLOT_Y)->lo, hi[(*n)++] = plot_rec_axis(p, PLOT_Y)->hi;
        }
    fig_result_free(&res);
}

static void test_shared_y_and_left_out(void **state) {
    (void)state;
    static const int64_t ALL[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
    sqlite3 *db;
    sim_err err = {{0}};
    assert_int_equal(sqlite3_open_v2(FIX_DB, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    fig_sel sel = {.run_ids = ALL, .nruns = 13, .size = FIG_SIZE_AUTO};
    double lo[6], hi[6];
    size_t n, differ = 0;
    y_limits(db, &sel, lo, hi, &n);
    assert_int_equal(n, 6);
    for (size_t i = 1; i < n; i++) assert_true(lo[i] == lo[0] && hi[i] == hi[0]);
    sel.free_y = 1;
    y_limits(db, &sel, lo, hi, &n);
    for (size_t i = 1; i < n; i++) differ += hi[i] != hi[0];
    assert_true(differ > 0);   /* the panels' own ranges differ: sharing them was a change */
    sel.free_y = 0;
    fig_result res = {0};
    assert_int_equal(fig_build(fig_find("timeseries"), db, &sel, &res, &err), SIM_OK);
    assert_contains(res.note, "left out: court-blacklist");   /* the 7th group */
    assert_contains(res.note, "beyond the first 6 run groups a figure shows");
    fig_result_free(&res);
    assert_int_equal(fig_build(fig_find("harm"), db, &sel, &res, &err), SIM_OK);
    assert_contains(res.note, "left out: points-spillover");   /* no sanctions: no harm rows */
    assert_contains(res.note, "(no rows for it in this figure's query)");
    fig_result_free(&res);
    sqlite3_close(db);
    assert_int_equal(fix_run("plot " FIX_DB " --out " FIX_OUT "/ph --figure phase --metric "
                             "listed.black"), 0);
    assert_int_equal(access(FIX_OUT "/ph/phase-listed.black.png", F_OK), 0);
    assert_int_equal(access(FIX_OUT "/ph/phase-listed.black.sql", F_OK), 0);
    assert_int_equal(access(FIX_OUT "/ph/phase.png", F_OK), -1);
    assert_int_equal(fix_run("plot " FIX_DB " --out " FIX_OUT "/fy --figure causes --free-y"),
                     0);
    char *log = fix_slurp(FIX_LOG, NULL);
    assert_contains(log, "each panel its own y scale");
    free(log);
}

/* ---- the brief ---- */

/* Every page's size from pdfinfo: 1 when all are w x h points; *pages their number. */
static int pages_all(const char *pdf, int w, int h, int *pages) {
    char cmd[512], line[256], want[64];
    snprintf(cmd, sizeof cmd, "pdfinfo -f 1 -l 999 '%s' 2>&1", pdf);
    snprintf(want, sizeof want, " %d x %d pts", w, h);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    int ok = 1;
    *pages = 0;
    while (fgets(line, sizeof line, p))
        if (strncmp(line, "Page", 4) == 0 && strstr(line, " size: ") && line[4] == ' ')
            ok &= strstr(line, want) != NULL, (*pages)++;
    pclose(p);
    return ok;
}

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
    int pages;
    assert_int_equal(fix_run("report " FIX_DB " -o " FIX_OUT "/a4.pdf --runs 11,12,13"), 0);
    assert_true(pages_all(FIX_OUT "/a4.pdf", 842, 595, &pages));
    assert_int_equal(pages, fix_pdf_pages(FIX_OUT "/a4.pdf"));
    char *log = fix_slurp(FIX_LOG, NULL), want[96];
    snprintf(want, sizeof want, "a4.pdf: %d pages", pages);
    assert_contains(log, want);
    free(log);
    assert_int_equal(fix_run("report " FIX_DB " -o " FIX_OUT "/letter.pdf --runs 11,12,13 "
                             "--paper letter"), 0);
    int lpages;
    assert_true(pages_all(FIX_OUT "/letter.pdf", 792, 612, &lpages));
    assert_int_not_equal(fix_run("report " FIX_DB " -o " FIX_OUT "/x.pdf --paper a5"), 0);
    char *t = pdf_text(FIX_OUT "/a4.pdf");
    static const char *const HEADS[] = {
        "listed without an own violation", "listings caused by an error", "persons ever",
        "sanctioned or reached", "children", "firms", "Listings caused by an error: of all "
        "blacklistings", "Listed without an own violation: of the agents ever blacklisted",
        "Appendix: the headline tables' SQL", "SELECT run_id, name, grp, value FROM summary",
        "error_rooted_share", "Appendix: baseline (runs 11, 12)", "population persons 2000"};
    for (size_t i = 0; i < sizeof HEADS / sizeof *HEADS; i++) assert_contains(t, HEADS[i]);
    assert_null(strstr(t, "{\""));   /* the parameters as tables, not raw JSON */
    /* no own lists and no regional scoping here: neither page (issue 13 item 8) */
    assert_null(strstr(t, "Blacklisted, by the agency whose list it is"));
    assert_null(strstr(t, "A regional pilot beside the other regions"));
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(FIX_DB, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    int64_t run = 11;
    fig_sel one = {.run_ids = &run, .nruns = 1, .size = FIG_SIZE_AUTO};
    fig_result res = {0};
    sim_err err = {{0}};
    assert_int_equal(fig_network(db, &one, &res, &err), SIM_OK);
    if (res.cascade >= RP_NETWORK_MIN) assert_contains(t, "The spread of one cascade of run 11");
    else {
        assert_null(strstr(t, "The spread of one cascade"));
        snprintf(want, sizeof want, "from the stored events) has %zu listing(s), too few",
                 res.cascade);
        assert_contains(t, want);
    }
    fig_result_free(&res);
    sqlite3_close(db);
    free(t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_captions_against_sql),
        cmocka_unit_test(test_no_harm_and_saturated),
        cmocka_unit_test(test_shared_y_and_left_out),
        cmocka_unit_test(test_brief),
    };
    return cmocka_run_group_tests(tests, fix_make_db, NULL);
}
