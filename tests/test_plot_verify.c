/* tests/test_plot_verify.c - the verification suite (sim/verify/verify.h): the theory functions
 * against closed forms and direct sums, `verify --quick` through the library (every check
 * holds, each check has its rows and figure), models other than the theory's failing, runs
 * that do not depend on the number of threads, and --out's database and PNG figures.
 * Named test_plot_* because verify_figures lives in the plotting library. Runs from the
 * repository root; writes build/test-verify. */
#include "testutil.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "test_plot_lsan.h"
#include "verify.h"

#define OUT "build/test-verify"

static verify_result *quick;   /* the quick suite, run once for the group */

static int setup(void **state) {
    (void)state;
    gsl_set_error_handler_off();
    sim_err err = {{0}};
    verify_opts o = {1, "scenarios/verify", NULL, 0, 0, NULL};
    if (verify_suite(&o, &quick, &err) != SIM_OK) {
        fprintf(stderr, "verify --quick: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state) {
    (void)state;
    verify_result_free(quick);
    return 0;
}

/* Rows of check whose setting contains part; *failed counts those that fail. */
static int rows_of(const verify_result *r, const char *check, const char *part, int *failed) {
    int n = 0;
    if (failed) *failed = 0;
    for (int k = 0; k < r->nrows; k++) {
        if (strcmp(r->rows[k].check, check) || (part && !strstr(r->rows[k].setting, part)))
            continue;
        n++;
        if (failed) *failed += !r->rows[k].pass;
    }
    return n;
}

/* ---- theory ------------------------------------------------------------------------ */

/* Final sizes solve their self-consistency equations; small cascades have the branching
 * process's moments; beta = 1 on a regular graph reaches everyone. */
static void test_percolation_theory(void **state) {
    (void)state;
    double R = verify_percolation_final(0, 4, 0.5, 0.002);
    assert_true(fabs(R - (1 - 0.998 * exp(-2 * R))) < 1e-10 && fabs(R - 0.7975) < 1e-3);
    assert_true(verify_percolation_theory(4, 0.5, 0.002) == R);
    double v = 0, s0 = 0.01, b = 0.4, Rk = verify_percolation_final(1, 4, b, s0);
    for (int it = 0; it < 2000; it++) v = 1 - b + b * (1 - s0) * pow(v, 3);   /* iterate */
    assert_true(fabs(Rk - (1 - (1 - s0) * pow(v, 4))) < 1e-9);
    assert_true(fabs(verify_percolation_final(1, 4, 1, 0.01) - 1) < 1e-12);
    assert_true(isnan(verify_percolation_final(0, 4, 0.5, 0)));
    double mean, var;
    verify_cascade_moments(0, 4, 0.125, &mean, &var);   /* Poisson(0.5): 1/(1-m), m/(1-m)^3 */
    assert_true(fabs(mean - 2) < 1e-12 && fabs(var - 4) < 1e-12);
    verify_cascade_moments(1, 4, 0.25, &mean, &var);    /* 1 + k b / (1 - (k-1) b) */
    assert_true(fabs(mean - 5) < 1e-12 && var > 0);
    verify_cascade_moments(0, 4, 0.3, &mean, &var);     /* above the threshold */
    assert_true(isnan(mean) && isnan(var));
}

/* The window's edges are where the cascade condition changes; the single-seed frequency is
 * 0 outside it, and with every person vulnerable it is the giant component's share. */
static void test_watts_theory(void **state) {
    (void)state;
    double lo, hi;
    assert_int_equal(verify_watts_window(0.18, &lo, &hi), 1);
    assert_true(lo > 1 && lo < 1.1 && hi > 5.5 && hi < 6);
    assert_true(!verify_watts_theory(lo - 1e-6, 0.18) && verify_watts_theory(lo + 1e-6, 0.18));
    assert_true(verify_watts_theory(hi - 1e-6, 0.18) && !verify_watts_theory(hi + 1e-6, 0.18));
    assert_int_equal(verify_watts_window(0.6, &lo, &hi), 0);
    assert_true(verify_watts_frequency(0.5, 0.18) == 0 && verify_watts_frequency(7, 0.18) == 0);
    double f = verify_watts_frequency(3, 0.18);
    assert_true(f > 0.8 && f < 0.9);
    double S = 0.5;   /* ER giant component at z = 1.5: S = 1 - exp(-z S) */
    for (int it = 0; it < 500; it++) S = 1 - exp(-1.5 * S);
    assert_true(fabs(verify_watts_frequency(1.5, 0.01) - S) < 1e-8);
}

/* The urn's variance after one and two steps, summed directly over the Poisson draws. */
static void test_urn_variance(void **state) {
    (void)state;
    const double w0 = 10, kappa = 5;
    double var[3], e1 = 0, e2 = 0;
    assert_int_equal(verify_urn_var(0.5, w0, kappa, 2, var), 1);
    for (unsigned a = 0; a < 60; a++) {
        double pa = gsl_ran_poisson_pdf(a, kappa), fa = 1 - a / pow(w0 + a, 2);
        e1 += pa * fa;
        for (unsigned b = 0; b < 60; b++)
            e2 += pa * gsl_ran_poisson_pdf(b, kappa) * fa * (1 - b / pow(w0 + a + b, 2));
    }
    assert_true(var[0] == 0);
    assert_true(fabs(var[1] - 0.25 * (1 - e1)) < 1e-12 && fabs(var[2] - 0.25 * (1 - e2)) < 1e-12);
}

/* The closed form of the mean time listed against the sum over P(D >= k) P(G >= k), with
 * P(D >= k) the chance of no W empty steps in a row among k - 1 (by recursion). */
static void test_listing_time(void **state) {
    (void)state;
    const double p = 0.005, q = 1 - p;
    const int W = 24;
    for (int ci = 0; ci < 3; ci++) {
        double c = ci * 0.05, s = 1 - c, sum = 0, f[4000];
        for (int n = 0; n < 4000; n++) {
            if (n < W) f[n] = 1;
            else {   /* the first record among the first W trials comes at trial j + 1 */
                f[n] = 0;
                for (int j = 0; j < W; j++) f[n] += p * pow(q, j) * f[n - j - 1];
            }
            sum += f[n] * pow(s, n);
        }
        double E = verify_listing_time(p, W, c);
        assert_true(fabs(E - sum) < 1e-6 * sum);
    }
    assert_true(fabs(verify_listing_time(p, W, 0) - (1 - pow(q, W)) / (p * pow(q, W))) < 1e-9);
    assert_true(fabs(verify_listing_time(0.3, 1, 0.1) - 1 / (1 - 0.3 * 0.9)) < 1e-12);
}

/* ---- the suite ----------------------------------------------------------------------- */

/* verify --quick: every check holds, each has its rows (the new settings included) and a
 * figure with data in every panel. */
static void test_quick_holds(void **state) {
    (void)state;
    for (int k = 0; k < quick->nrows; k++)
        if (!quick->rows[k].pass)
            fail_msg("%s %s: theory %g, simulated %g, tolerance %g", quick->rows[k].check,
                     quick->rows[k].setting, quick->rows[k].theory, quick->rows[k].sim,
                     quick->rows[k].tolerance);
    assert_int_equal(rows_of(quick, "watts", "one seed", NULL), 8);
    assert_int_equal(rows_of(quick, "watts", "(1/0)", NULL), 5);
    assert_int_equal(rows_of(quick, "percolation", "4-regular", NULL), 7);
    assert_int_equal(rows_of(quick, "percolation", "listed per seed", NULL), 4);
    assert_int_equal(rows_of(quick, "ensign", NULL, NULL), 4);
    assert_int_equal(rows_of(quick, "stock-flow", "comply", NULL), 3);
    assert_int_equal(rows_of(quick, "exact", "fan-out", NULL), 5);
    static const char *const checks[] = {"watts", "percolation", "ensign", "stock-flow", "exact"};
    assert_int_equal(quick->nfigs, 5);
    for (int f = 0; f < 5; f++) {
        assert_string_equal(quick->figs[f].check, checks[f]);
        for (int p = 0; p < quick->figs[f].npanels; p++)
            assert_true(quick->figs[f].panel[p].nseries >= 2);
    }
}

/* The runaway and the correction, read from the rows: uncorrected with 2:1 rates the share
 * ends far above the true-rate share, corrected near it. */
static void test_ensign_rows(void **state) {
    (void)state;
    for (int k = 0; k < quick->nrows; k++) {
        const verify_row *w = &quick->rows[k];
        if (strcmp(w->check, "ensign")) continue;
        if (strstr(w->setting, "uncorrected: share")) assert_true(w->sim > 0.8 && w->theory > 0.8);
        if (strstr(w->setting, "corrected: share") && !strstr(w->setting, "uncorrected"))
            assert_true(fabs(w->sim - 2.0 / 3) < 0.02);
        if (strstr(w->setting, "s.d.")) assert_true(w->theory > 0.1 && w->theory < 0.16);
    }
}

/* A model other than the theory's fails: overrides change the runs, never the theory. */
static void test_wrong_models_fail(void **state) {
    (void)state;
    static const struct { const char *only, *set, *fails; int nfail; } cases[] = {
        {"ensign", "inspection.correct=false", "corrected: share", 1},   /* no correction */
        {"stock-flow", "redress.comply=0.05", "", 2},   /* fixed terms: early removal on */
        {"exact", "sanction.d.lists=black", "fan-out", 1},   /* d on every listing, not in the matrix */
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        const char *sets[] = {cases[c].set};
        verify_opts o = {1, "scenarios/verify", sets, 1, 0, cases[c].only};
        verify_result *r = NULL;
        sim_err err = {{0}};
        assert_int_equal(verify_suite(&o, &r, &err), SIM_OK);
        int failed = 0, all = 0;
        for (int k = 0; k < r->nrows; k++) all += !r->rows[k].pass;
        rows_of(r, cases[c].only, cases[c].fails, &failed);
        if (failed < cases[c].nfail || all < cases[c].nfail)
            fail_msg("--only %s --set %s: %d rows failed, expected at least %d", cases[c].only,
                     cases[c].set, all, cases[c].nfail);
        verify_result_free(r);
    }
    /* the fixed-term rows, not the compliance ones (which assume it) */
    const char *sets[] = {"redress.comply=0.05"};
    verify_opts o = {1, "scenarios/verify", sets, 1, 0, "stock-flow"};
    verify_result *r = NULL;
    sim_err err = {{0}};
    assert_int_equal(verify_suite(&o, &r, &err), SIM_OK);
    int comply_failed = 0, little_failed = 0;
    rows_of(r, "stock-flow", "comply", &comply_failed);
    rows_of(r, "stock-flow", "Little", &little_failed);
    assert_int_equal(comply_failed, 0);
    assert_int_equal(little_failed, 1);
    verify_result_free(r);
}

/* Runs side by side give the same numbers as runs one after the other. */
static void test_threads_same(void **state) {
    (void)state;
    verify_result *a = NULL, *b = NULL;
    sim_err err = {{0}};
    verify_opts o1 = {1, "scenarios/verify", NULL, 0, 1, "stock-flow"}, o2 = o1;
    o2.threads = 2;
    assert_int_equal(verify_suite(&o1, &a, &err), SIM_OK);
    assert_int_equal(verify_suite(&o2, &b, &err), SIM_OK);
    assert_int_equal(a->nrows, b->nrows);
    for (int k = 0; k < a->nrows; k++)
        assert_true(a->rows[k].sim == b->rows[k].sim && a->rows[k].theory == b->rows[k].theory);
    verify_result_free(a);
    verify_result_free(b);
}

/* Bad input: an unknown check, a missing directory. */
static void test_errors(void **state) {
    (void)state;
    verify_result *r = NULL;
    sim_err err = {{0}};
    verify_opts o = {1, "scenarios/verify", NULL, 0, 0, "nope"};
    assert_int_equal(verify_suite(&o, &r, &err), SIM_EUSAGE);
    assert_null(r);
    assert_contains(err.msg, "no such check");
    verify_opts d = {1, "build/no-such-dir", NULL, 0, 0, "exact"};
    assert_int_equal(verify_suite(&d, &r, &err), SIM_EIO);
    assert_contains(err.msg, "build/no-such-dir/exact.ini");
}

static int is_png(const char *path) {
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char buf[8] = {0};
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, 8, f) : 0;
    if (f) fclose(f);
    return n == 8 && !memcmp(buf, sig, 8);
}

static double scalar(sqlite3 *db, const char *sql) {
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    double v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_double(q, 0) : NAN;
    sqlite3_finalize(q);
    return v;
}

/* --out: verify.db holds every row, the figure data of every check and the provenance;
 * one PNG per check. */
static void test_out_files(void **state) {
    (void)state;
    sim_err err = {{0}};
    verify_opts o = {1, "scenarios/verify", NULL, 0, 0, NULL};
    mkdir("build", 0777);
    mkdir(OUT, 0777);
    assert_int_equal(verify_db_write(quick, &o, OUT "/verify.db", &err), SIM_OK);
    assert_int_equal(verify_db_write(quick, &o, OUT "/verify.db", &err), SIM_OK);   /* replaces */
    int written = 0;
    assert_int_equal(verify_figures(quick, OUT, &written, &err), SIM_OK);
    assert_int_equal(written, 5);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(OUT "/verify.db", &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_true(scalar(db, "SELECT COUNT(*) FROM verify") == quick->nrows);
    assert_true(scalar(db, "SELECT COUNT(*) FROM verify WHERE verdict = 'ok'") == quick->nrows);
    assert_true(scalar(db, "SELECT COUNT(DISTINCT check_name) FROM verify_series") == 5);
    assert_true(scalar(db, "SELECT COUNT(*) FROM verify WHERE check_name = 'ensign' AND "
                           "lo <= simulated AND simulated <= hi") == 4);
    assert_true(scalar(db, "SELECT COUNT(*) FROM verify_info WHERE key = 'mode' AND "
                           "value = 'quick'") == 1);
    sqlite3_close(db);
    static const char *const checks[] = {"watts", "percolation", "ensign", "stock-flow", "exact"};
    for (int k = 0; k < 5; k++) {
        char path[256];
        snprintf(path, sizeof path, OUT "/verify-%s.png", checks[k]);
        if (!is_png(path)) fail_msg("%s is not a PNG", path);
    }
}

/* The command: --out DIR (made with its parents) gets verify.db and a figure per check. The
 * binary (SCSIM, else build/scsim) runs with fontconfig's known leak suppressed under LSan. */
static void test_command_out(void **state) {
    (void)state;
    const char *bin = getenv("SCSIM") ? getenv("SCSIM") : "build/scsim";
    FILE *f = fopen(OUT "-lsan.supp", "w");
    assert_non_null(f);
    fputs("leak:libfontconfig.so\n", f);
    fclose(f);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf " OUT "/cli && LSAN_OPTIONS=suppressions=" OUT
             "-lsan.supp %s verify --quick --only exact --out " OUT "/cli/sub > " OUT
             ".log 2>&1", bin);
    int rc = system(cmd);
    assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
    assert_true(is_png(OUT "/cli/sub/verify-exact.png"));
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(OUT "/cli/sub/verify.db", &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    assert_true(scalar(db, "SELECT COUNT(*) FROM verify WHERE check_name = 'exact'") == 8);
    sqlite3_close(db);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percolation_theory), cmocka_unit_test(test_watts_theory),
        cmocka_unit_test(test_urn_variance),       cmocka_unit_test(test_listing_time),
        cmocka_unit_test(test_quick_holds),        cmocka_unit_test(test_ensign_rows),
        cmocka_unit_test(test_wrong_models_fail),  cmocka_unit_test(test_threads_same),
        cmocka_unit_test(test_errors),             cmocka_unit_test(test_out_files),
        cmocka_unit_test(test_command_out),
    };
    return cmocka_run_group_tests_name("verify", tests, setup, teardown);
}
