/* plots/fig_regions.c - regions: a regional pilot beside the regions without it (docs/ODD.md
 * 7.21), from the summary's rows by region (docs/metrics.md, "Regional pilots"). Four panels,
 * one bar per region in each run group's bar group (the first 6 run groups, mean and 95% CI
 * over replicates): violations prevented per 1,000 agents (region.violations_prevented /
 * region.agents), records made per agent (region.records / region.agents), the mean share
 * of agents on the blacklist (region.listed_share) and harm per agent (harm region:R /
 * region.agents). Regions beyond the first RG_MAX are named in the note. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig_impl.h"

enum { RG_MAX = 8, RG_AGENTS = 0, RG_PREVENTED, RG_RECORDS, RG_LISTED, RG_HARM, RG_NKEY };

static const char *const RG_NAME[RG_NKEY] = {"region.agents", "region.violations_prevented",
    "region.records", "region.listed_share", "harm"};

typedef struct rg_panel {
    const char *title, *ylabel;
    int key;
    int per_agent;      /* divided by region.agents */
    double scale;
} rg_panel;

static const rg_panel PANELS[4] = {
    {"Violations prevented", "Per 1,000 agents over the run", RG_PREVENTED, 1, 1000},
    {"Records made about agents", "Records per agent over the run", RG_RECORDS, 1, 1},
    {"On the blacklist", "Mean share of agents", RG_LISTED, 0, 1},
    {"Harm from sanctions", "Harm per agent over the run", RG_HARM, 1, 1},
};

/* Key of (measure m, region r): m * RG_MAX + r. */
static void rg_keys(fig_key *keys) {
    for (int m = 0; m < RG_NKEY; m++)
        for (int r = 0; r < RG_MAX; r++) {
            snprintf(keys[m * RG_MAX + r].name, sizeof keys->name, "%s", RG_NAME[m]);
            snprintf(keys[m * RG_MAX + r].grp, sizeof keys->grp, "region:%d", r);
        }
}

/* The regions with an agents row in some selected run: 1 + the largest such index. */
static int rg_count(const fig_sums *s) {
    int n = 0;
    for (int r = 0; r < RG_MAX; r++)
        for (size_t k = 0; k < s->g->nrun; k++)
            if (isfinite(fig_sums_value(s, (size_t)(RG_AGENTS * RG_MAX + r), FIG_NONE, k)))
                n = r + 1;
    return n;
}

static sim_status rg_panel_draw(plot_panel *p, const fig_sums *s, const rg_panel *d, int nreg,
                                size_t ng, int first, sim_err *err) {
    plot_set_title(p, d->title);
    plot_set_label(p, PLOT_Y, d->ylabel);
    plot_set_limits(p, PLOT_Y, 0, NAN);
    plot_set_legend(p, first ? PLOT_LEGEND_FIGURE : PLOT_LEGEND_NONE);
    sim_status st = SIM_OK;
    for (int r = 0; r < nreg && st == SIM_OK; r++) {
        char label[32];
        snprintf(label, sizeof label, "Region %d", r);
        size_t den = d->per_agent ? (size_t)(RG_AGENTS * RG_MAX + r) : FIG_NONE;
        st = fig_sums_bars(p, s, label, (size_t)(d->key * RG_MAX + r), den, d->scale, ng, 1, err);
    }
    if (st == SIM_OK) st = fig_group_ticks(p, s->g, ng, err);
    return st;
}

static sim_status rg_build(fig_result *out, const fig_sel *sel, const fig_sums *s, int nreg,
                           sim_err *err) {
    size_t ng = s->g->ngrp < FIG_MAX_PANELS ? s->g->ngrp : FIG_MAX_PANELS;
    int cols = 2;
    sim_status st = sel->size == FIG_SIZE_AUTO ? plot_fig_new_in(&out->fig, 15, 9, 2, 2, err)
                                               : fig_new_grid(&out->fig, sel, 4, &cols, err);
    char title[128], suffix[64];
    fig_ci_suffix(s->g, ng, suffix, sizeof suffix);
    snprintf(title, sizeof title, "A regional pilot beside the other regions%s", suffix);
    if (st == SIM_OK) plot_fig_set_title(out->fig, title);
    for (size_t i = 0; i < 4 && st == SIM_OK; i++)
        st = rg_panel_draw(fig_panel(out->fig, cols, i), s, &PANELS[i], nreg, ng, i == 0, err);
    if (st != SIM_OK) return st;
    fig_note(out, "%d region(s) x %zu run group(s) from %zu run(s)", nreg, ng, s->g->nrun);
    fig_sums_left_out(out, s, FIG_MAX_PANELS);
    return SIM_OK;
}

sim_status fig_regions(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    fig_groups_t g = {0};
    fig_key keys[RG_NKEY * RG_MAX];
    rg_keys(keys);
    fig_sums s = {&g, RG_NKEY * RG_MAX, keys, NULL};
    char *ids = fig_idlist(sel), *q = NULL;
    sim_status st = ids ? fig_groups_load(db, sel, out, &g, err)
                        : err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK) {
        q = sqlite3_mprintf("SELECT s.run_id, s.name, s.grp, s.value FROM summary s WHERE "
                            "s.run_id IN (%s) AND s.name IN ('region.agents', "
                            "'region.violations_prevented', 'region.records', "
                            "'region.listed_share', 'harm') AND s.grp LIKE 'region:%%' "
                            "ORDER BY s.run_id, s.name, s.grp", ids);
        if (!q) st = err_set(err, SIM_ENOMEM, "out of memory");
    }
    if (st == SIM_OK) st = fig_sums_load(db, out, "figures by region per run", q, &s, err);
    int nreg = st == SIM_OK ? rg_count(&s) : 0;
    if (st == SIM_OK && nreg == 0)
        fig_note(out, "no region.agents rows for the selected runs (a database written before "
                 "regional pilots)");
    else if (st == SIM_OK)
        st = rg_build(out, sel, &s, nreg, err);
    if (st == SIM_OK && nreg == RG_MAX)
        fig_note_add(out, "; regions beyond %d are not drawn", RG_MAX - 1);
    sqlite3_free(q);
    free(ids);
    fig_sums_free(&s);
    fig_groups_free(&g);
    return st;
}
