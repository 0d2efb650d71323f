/* plots/report_lists.c - the brief's pages on per-agency lists (figure "agencies", docs/ODD.md
 * 7.19) and regional pilots (figure "regions", 7.21): when each has something to show and the
 * claims of its caption, every one from the database (the summary table; which runs are
 * regional pilots from runs.params_json). A test recomputes each claim
 * (tests/test_plot_report_pilots.c). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_impl.h"

/* ---- which runs are regional pilots ---- */

static sim_status scoped_row(sqlite3_stmt *s, void *ctx, sim_err *err) {
    (void)err;
    rp *r = ctx;
    size_t i = fig_run_index(&r->g, sqlite3_column_int64(s, 0));
    if (i < r->g.nrun && i < RP_RUNS_MAX) r->scoped[i] = 1;
    return SIM_OK;
}

sim_status rp_pilots_load(rp *r, sim_err *err) {
    fig_sel sel = {.run_ids = r->ids, .nruns = r->nrun, .size = FIG_SIZE_AUTO};
    fig_result scratch = {0};   /* not a headline query: kept out of the appendix */
    char *ids = fig_idlist(&sel);
    char *q = ids ? sqlite3_mprintf("SELECT DISTINCT r.run_id FROM runs r, "
                                    "json_tree(r.params_json) j WHERE r.run_id IN (%s) AND "
                                    "j.key = 'regions' AND j.type = 'text' AND j.atom <> ''", ids)
                  : NULL;
    memset(r->scoped, 0, sizeof r->scoped);
    sim_status st = q ? fig_query(r->db, &scratch, "regional pilots", q, scoped_row, r, err)
                      : err_set(err, SIM_ENOMEM, "out of memory");
    fig_result_free(&scratch);
    sqlite3_free(q);
    free(ids);
    return st;
}

/* Whether some run of group k is a regional pilot. */
static int group_scoped(const rp *r, size_t k) {
    for (size_t i = 0; i < r->g.nrun && i < RP_RUNS_MAX; i++)
        if (r->g.grp[i] == k && r->scoped[i]) return 1;
    return 0;
}

int rp_regions_worth(const rp *r) {
    for (size_t k = 0; k < r->g.ngrp && k < FIG_MAX_PANELS; k++)
        if (group_scoped(r, k)) return 1;
    return 0;
}

/* ---- agencies ---- */

/* "1, 7, 13": the run ids of group k, for SQL. */
static void group_idlist(const rp *r, size_t k, char *buf, size_t n) {
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->g.nrun && len < n; i++)
        if (r->g.grp[i] == k)
            len += (size_t)snprintf(buf + len, n - len, "%s%lld", len ? ", " : "",
                                    (long long)r->g.run_id[i]);
}

/* Group k's agency whose own blacklist held the most agents at the end (mean over the runs
 * with a row), into f; 0 when the group keeps no own list (or the read failed: the figure
 * fails on it too). */
static int top_agency(const rp *r, size_t k, rp_fact *f, char agency[48]) {
    char ids[RP_RUNS_MAX * 24];
    group_idlist(r, k, ids, sizeof ids);
    char *q = sqlite3_mprintf("SELECT substr(grp, 7), avg(value) FROM summary WHERE run_id IN "
                              "(%s) AND name = 'listed_by_agency' AND grp LIKE 'black:%%' AND "
                              "grp <> 'black:common' GROUP BY grp ORDER BY avg(value) DESC, grp "
                              "LIMIT 1", ids);
    sqlite3_stmt *s = NULL;
    int found = 0;
    if (q && sqlite3_prepare_v2(r->db, q, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 1) != SQLITE_NULL) {
        const char *name = (const char *)sqlite3_column_text(s, 0);
        snprintf(agency, 48, "%s", name ? name : "");
        f->value = sqlite3_column_double(s, 1);
        found = 1;
    }
    sqlite3_finalize(s);
    sqlite3_free(q);
    return found;
}

void rp_facts_agencies(const rp *r, rp_facts *F) {
    for (size_t k = 0; k < F->ngroups && F->n + 3 <= RP_FACTS_MAX; k++) {
        rp_fact top = {RF_AGENCY, RK_LISTED_END, FIG_NONE, 1, 0, (long)k, 0, NAN, 0};
        if (!top_agency(r, k, &top, F->agency[F->n])) continue;   /* no own lists: no panel */
        F->f[F->n++] = top;
        rp_fact_add(F, r, RF_GROUP, RK_MULTI, FIG_NONE, 1, 0, (long)k, 0);
        rp_fact_add(F, r, RF_GROUP, RK_LISTED_END, FIG_NONE, 1, 0, (long)k, 0);
    }
}

/* ---- regions ---- */

/* Group k's value of region R's violations prevented per 1,000 agents. */
static double prevented(const rp *r, size_t k, size_t R) {
    double m, lo, hi;
    rp_stat(r, RK_REG_PREV + R, RK_REG_AGENTS + R, 1000, k, &m, &lo, &hi, NULL);
    return m;
}

void rp_facts_regions(const rp *r, rp_facts *F) {
    for (size_t k = 0; k < F->ngroups && F->n + 4 <= RP_FACTS_MAX; k++) {
        if (!group_scoped(r, k)) continue;
        long hi = -1, lo = -1;
        for (size_t R = 0; R < RP_REGIONS; R++) {
            double v = prevented(r, k, R);
            if (!isfinite(v)) continue;
            if (hi < 0 || v > prevented(r, k, (size_t)hi)) hi = (long)R;
            if (lo < 0 || v < prevented(r, k, (size_t)lo)) lo = (long)R;
        }
        if (hi < 0 || hi == lo) continue;   /* one region, or none: nothing to set beside */
        for (int j = 0; j < 2; j++) {
            size_t R = (size_t)(j ? lo : hi);
            rp_fact *f = (rp_fact *)rp_fact_add(F, r, RF_GROUP, RK_REG_PREV + R,
                                                RK_REG_AGENTS + R, 1000, 0, (long)k, 1);
            f->kind = j ? RF_REG_MIN : RF_REG_MAX;
            rp_fact_add(F, r, RF_GROUP, RK_REG_LISTED + R, FIG_NONE, 100, 0, (long)k, 2);
        }
    }
}

/* ---- words ---- */

__attribute__((format(printf, 3, 4)))
static void add(char *buf, size_t n, const char *fmt, ...) {
    size_t len = strlen(buf);
    if (len + 1 >= n) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, n - len, fmt, ap);
    va_end(ap);
}

static const char *num(const rp_fact *f, char b[48]) {
    rp_num(b, 48, f->value, f->dec < 0 ? 0 : f->dec);
    return b;
}

void rp_cap_agencies(const rp *r, const rp_facts *F, char *buf, size_t n) {
    char a[48], b[48], c[48];
    add(buf, n, "Agents on each agency's own blacklist month by month (the common list holds "
        "those listed by agencies without lists of their own)%s, and on any blacklist "
        "(dashed): an agent on two lists counts once there, so where the lines sum to more "
        "than the dashed line, agents are on two or more lists. Only run groups with own lists "
        "have a panel. At the end:", r->g.nrun > r->g.ngrp ? ", mean over replicates" : "");
    for (size_t i = 0; i + 2 < F->n; i += 3) {
        const rp_fact *t = &F->f[i];
        add(buf, n, "%s in %s the %s list held the most (%s agents)", i ? ";" : "",
            r->g.title[t->grp], F->agency[i], num(t, a));
        if (isfinite(F->f[i + 1].value))
            add(buf, n, ", %s agents were on two or more blacklists", num(&F->f[i + 1], b));
        add(buf, n, " and %s on any blacklist", num(&F->f[i + 2], c));
    }
    add(buf, n, ".");
}

void rp_cap_regions(const rp *r, const rp_facts *F, char *buf, size_t n) {
    char a[48], b[48], c[48], d[48];
    add(buf, n, "Each region beside the others: violations prevented per 1,000 agents, "
        "records made per agent, the mean share of agents on the blacklist and harm per agent, "
        "over the run%s. This page is here because some run shown limits a rule, list, "
        "sanction, spillover or agency to some regions (a `regions` key set in its "
        "parameters).", r->g.nrun > r->g.ngrp ? ", mean and 95% interval over replicates" : "");
    for (size_t i = 0; i + 3 < F->n; i += 4) {
        const rp_fact *h = &F->f[i], *l = &F->f[i + 2];
        add(buf, n, " In %s, region %zu had the most violations prevented: %s per 1,000 "
            "agents, with %s%% of its agents on the blacklist on average; region %zu the "
            "fewest: %s, with %s%%.", r->g.title[h->grp], h->key - RK_REG_PREV, num(h, a),
            num(&F->f[i + 1], b), l->key - RK_REG_PREV, num(l, c), num(&F->f[i + 3], d));
    }
}
