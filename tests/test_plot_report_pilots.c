/* tests/test_plot_report_pilots.c - the brief follows per-agency lists and regional pilots
 * (issue 13 item 8): on a database with a sector-lists run (two seeds, one run group; courts
 * and tax made busier so agents sit on two blacklists) and a regional-pilot run (plus a
 * baseline run):
 *   - the brief has the page "agencies" and the page "regions";
 *   - every claim of their captions (rp_caption_facts) recomputed with this test's own SQL:
 *     the agency whose own blacklist held the most at the end and how many, listed_multi and
 *     listed.black; the region with the most and the fewest violations prevented per 1,000
 *     agents and each one's listed share; printed in the caption as claimed;
 *   - the regions page only for groups that scope a key to regions (the pilot, not the
 *     sector lists or the baseline);
 * and on the figure tests' database without own lists or regional scoping
 * (tests/test_plot_fixture.h) neither page. Runs from the repository root; writes
 * build/reportpilots*. */
#include "testutil.h"

#define FIX_DB "build/reportpilots.db"
#define FIX_OUT "build/reportpilots-out"
#define PLAIN_DB "build/reportpilots-plain.db"

#include "figures.h"
#include "report_impl.h"
#include "test_plot_fixture.h"
#include "test_plot_lsan.h"

static const char *const AGENCY_CAP = "Agents on each agency's own blacklist month by month";
static const char *const REGION_CAP = "Each region beside the others";

/* The first column of sql's first row on db as a double, NaN without a row or value. */
static double q1(sqlite3 *db, const char *sql) {
    sqlite3_stmt *s;
    double v = NAN;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) fail_msg("%s", sql);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        v = sqlite3_column_double(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* The mean over group k's runs of summary (name, grp) / (dname, dgrp) (dname NULL: not
 * divided), runs without both left out. */
static double gmean(const rp *r, sqlite3 *db, size_t k, const char *name, const char *grp,
                    const char *dname, const char *dgrp) {
    double sum = 0;
    size_t n = 0;
    char sql[512];
    for (size_t i = 0; i < r->g.nrun; i++) {
        if (r->g.grp[i] != k) continue;
        long long id = (long long)r->g.run_id[i];
        snprintf(sql, sizeof sql, "SELECT value FROM summary WHERE run_id = %lld AND name = '%s'"
                 " AND grp = '%s'", id, name, grp);
        double v = q1(db, sql);
        if (dname) {
            snprintf(sql, sizeof sql, "SELECT value FROM summary WHERE run_id = %lld AND name ="
                     " '%s' AND grp = '%s'", id, dname, dgrp);
            double d = q1(db, sql);
            v = d != 0 ? v / d : NAN;
        }
        if (isfinite(v)) sum += v, n++;
    }
    return n ? sum / (double)n : NAN;
}

static void close_to(double a, double b) {
    if (!(fabs(a - b) <= 1e-9 * fmax(1, fabs(b))))
        fail_msg("claimed %.12g, the database says %.12g", a, b);
}

static void build_dbs(void) {
    assert_int_equal(system("rm -rf " FIX_DB "* " PLAIN_DB "* " FIX_OUT " && mkdir -p "
                            FIX_OUT), 0);
    fix_write("build/plottest-lsan.supp", "leak:libfontconfig.so\n");
    static const char *const RUNS[] = {
        "run scenarios/sector-lists.ini --seed 1 --set agency.courts.violation_scale=0.5 "
        "--set agency.tax.violation_scale=1",
        "run scenarios/sector-lists.ini --seed 2 --set agency.courts.violation_scale=0.5 "
        "--set agency.tax.violation_scale=1",
        "run scenarios/regional-pilot.ini --seed 1",
        "run scenarios/baseline.ini --seed 1"};
    char cmd[1024];
    for (size_t i = 0; i < sizeof RUNS / sizeof *RUNS; i++) {
        snprintf(cmd, sizeof cmd, "%s --out " FIX_DB " --quiet --set population.persons=3000 "
                 "--steps 36", RUNS[i]);
        assert_int_equal(fix_run(cmd), 0);
    }
    snprintf(cmd, sizeof cmd, "run scenarios/court-blacklist.ini --seed 1 --out " PLAIN_DB
             " --quiet --set population.persons=2000 --steps 24");
    assert_int_equal(fix_run(cmd), 0);
    snprintf(cmd, sizeof cmd, "run scenarios/baseline.ini --seed 1 --out " PLAIN_DB
             " --quiet --set population.persons=2000 --steps 24");
    assert_int_equal(fix_run(cmd), 0);
}

static int setup(void **state) {
    (void)state;
    build_dbs();
    return 0;
}

/* The agencies caption: each group's top agency, listed_multi and listed.black. */
static void check_agencies(const rp *r, sqlite3 *db, const char *cap, size_t *groups) {
    rp_facts F;
    char num[48], sql[512], ids[256];
    rp_caption_facts(r, "agencies", &F);
    *groups = 0;
    for (size_t i = 0; i < F.n; i++) {
        const rp_fact *f = &F.f[i];
        size_t k = (size_t)f->grp;
        if (f->kind == RF_AGENCY) {
            (*groups)++;
            rp_group_runs(r, k, ids, sizeof ids);   /* "runs 1, 2" */
            const char *list = strchr(ids, ' ') + 1;
            snprintf(sql, sizeof sql, "SELECT max(m) FROM (SELECT avg(value) AS m FROM summary "
                     "WHERE run_id IN (%s) AND name = 'listed_by_agency' AND grp LIKE 'black:%%'"
                     " AND grp <> 'black:common' GROUP BY grp)", list);
            close_to(f->value, q1(db, sql));   /* the largest of the group's agencies */
            char grp[64];
            snprintf(grp, sizeof grp, "black:%s", F.agency[i]);
            close_to(f->value, gmean(r, db, k, "listed_by_agency", grp, NULL, NULL));
            assert_contains(cap, F.agency[i]);
        } else if (f->kind == RF_GROUP && f->key == RK_MULTI) {
            close_to(f->value, gmean(r, db, k, "listed_multi", "black", NULL, NULL));
        } else if (f->kind == RF_GROUP && f->key == RK_LISTED_END) {
            close_to(f->value, gmean(r, db, k, "listed.black", "all", NULL, NULL));
        } else if (!(f->kind == RF_GROUP && f->key == RK_PERSONS_EVER)) {
            fail_msg("agencies: an unexpected claim %zu", i);
        }
        rp_num(num, sizeof num, f->value, f->dec);
        assert_contains(cap, num);
        assert_contains(cap, r->g.title[k]);
    }
}

/* Region R's violations prevented per 1,000 agents in group k. */
static double per1000(const rp *r, sqlite3 *db, size_t k, size_t R) {
    char g[32];
    snprintf(g, sizeof g, "region:%zu", R);
    return 1000 * gmean(r, db, k, "region.violations_prevented", g, "region.agents", g);
}

/* The regions caption: the most and fewest prevented, the listed shares. */
static void check_regions(const rp *r, sqlite3 *db, const char *cap, size_t *groups) {
    rp_facts F;
    char num[48], g[32], words[64];
    rp_caption_facts(r, "regions", &F);
    *groups = 0;
    for (size_t i = 0; i < F.n; i++) {
        const rp_fact *f = &F.f[i];
        size_t k = (size_t)f->grp;
        if (f->kind == RF_REG_MAX || f->kind == RF_REG_MIN) {
            size_t R = f->key - RK_REG_PREV;
            *groups += f->kind == RF_REG_MAX;
            close_to(f->value, per1000(r, db, k, R));
            for (size_t o = 0; o < RP_REGIONS; o++) {
                double v = per1000(r, db, k, o);
                if (isfinite(v) && (f->kind == RF_REG_MAX ? v > f->value : v < f->value))
                    fail_msg("region %zu: %g, beyond the claimed region %zu's %g", o, v, R,
                             f->value);
            }
            snprintf(words, sizeof words, "region %zu", R);
            assert_contains(cap, words);
        } else if (f->kind == RF_GROUP && f->key >= RK_REG_LISTED) {
            snprintf(g, sizeof g, "region:%zu", (size_t)(f->key - RK_REG_LISTED));
            close_to(f->value, 100 * gmean(r, db, k, "region.listed_share", g, NULL, NULL));
            assert_int_equal(f->key - RK_REG_LISTED, F.f[i - 1].key - RK_REG_PREV);
        } else if (!(f->kind == RF_GROUP && f->key == RK_PERSONS_EVER)) {
            fail_msg("regions: an unexpected claim %zu", i);
        }
        rp_num(num, sizeof num, f->value, f->dec);
        assert_contains(cap, num);
        assert_contains(cap, r->g.title[k]);
    }
}

static void test_captions(void **state) {
    (void)state;
    sqlite3 *db;
    sim_err err = {{0}};
    rp *r = NULL;
    char cap[RP_TEXT];
    size_t groups;
    assert_int_equal(sqlite3_open_v2(FIX_DB, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (rp_open(FIX_DB, NULL, 0, &r, &err) != SIM_OK) fail_msg("%s", err.msg);
    assert_int_equal(r->g.ngrp, 3);
    rp_caption(r, "agencies", cap, sizeof cap);
    check_agencies(r, db, cap, &groups);
    assert_int_equal(groups, 1);   /* sector-lists only: the others keep no own lists */
    assert_contains(cap, "the courts list held the most");
    /* the runs put agents on two lists: the claim is not a zero by default */
    assert_true(q1(db, "SELECT sum(value) FROM summary WHERE name = 'listed_multi'") > 0);
    rp_caption(r, "regions", cap, sizeof cap);
    check_regions(r, db, cap, &groups);
    assert_int_equal(groups, 1);   /* regional-pilot only */
    assert_contains(cap, "In regional-pilot, region");
    assert_null(strstr(cap, "In sector-lists"));
    assert_null(strstr(cap, "In baseline"));
    /* the pilot's regions 2 and 3 run nothing: the fewest prevented is 0 there */
    assert_contains(cap, "the fewest: 0.0, with 0.00%");
    assert_true(rp_regions_worth(r));
    rp_close(r);
    static const int64_t NOPILOT[] = {1, 2, 4};   /* sector-lists and baseline */
    if (rp_open(FIX_DB, NOPILOT, 3, &r, &err) != SIM_OK) fail_msg("%s", err.msg);
    assert_false(rp_regions_worth(r));
    rp_facts F;
    rp_caption_facts(r, "regions", &F);
    for (size_t i = 0; i < F.n; i++) assert_true(F.f[i].kind == RF_GROUP);   /* no region */
    rp_close(r);
    sqlite3_close(db);
}

static char *brief_text(const char *db, const char *runs) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "report %s -o " FIX_OUT "/brief.pdf%s%s", db, runs ? " --runs " : "",
             runs ? runs : "");
    assert_int_equal(fix_run(cmd), 0);
    assert_int_equal(system("pdftotext -raw " FIX_OUT "/brief.pdf " FIX_OUT "/brief.txt"), 0);
    char *t = fix_slurp(FIX_OUT "/brief.txt", NULL);
    for (char *c = t; *c; c++) if (*c == '\n' || *c == '\f') *c = ' ';
    return t;
}

static void test_pages(void **state) {
    (void)state;
    char *t = brief_text(FIX_DB, NULL);
    assert_contains(t, AGENCY_CAP);
    assert_contains(t, "Blacklisted, by the agency whose list it is");   /* the figure */
    assert_contains(t, REGION_CAP);
    assert_contains(t, "A regional pilot beside the other regions");
    free(t);
    t = brief_text(FIX_DB, "4");   /* the baseline alone: neither page */
    assert_null(strstr(t, AGENCY_CAP));
    assert_null(strstr(t, REGION_CAP));
    free(t);
    t = brief_text(FIX_DB, "1,2,4");   /* own lists, no pilot: agencies only */
    assert_contains(t, AGENCY_CAP);
    assert_null(strstr(t, REGION_CAP));
    free(t);
    t = brief_text(PLAIN_DB, NULL);   /* demo-like: no own lists, no regional scoping */
    assert_null(strstr(t, AGENCY_CAP));
    assert_null(strstr(t, REGION_CAP));
    assert_null(strstr(t, "A regional pilot beside"));
    free(t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_captions),
        cmocka_unit_test(test_pages),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
