/* plots/fig_disparity.c - disparity between population groups, from the summary
 * (docs/results.md), one bar group per run group (the first 6; mean and 95% CI over
 * replicates) with one bar per population group: the share of each group's persons ever
 * blacklisted and ever wrongly blacklisted, the harm per person (harm_rate, when the runs
 * have a sanction catalogue), and the ratios between the groups: with two groups group 1's
 * rate over group 0's (rate_ratio.*), with more the largest group rate over the smallest
 * (disparity.ratio), for each of the three measures, against a dashed parity line at 1. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig_impl.h"

enum { DP_GROUPS = 8, DP_MEASURES = 3, DP_RATE_NAMES = 6 };

/* Per population group: the three rates, then the three ratios to group 0. */
static const char *const RATE_NAME[DP_RATE_NAMES] = {
    "ever_listed_rate", "ever_wrongly_listed_rate", "harm_rate",
    "rate_ratio.ever_listed", "rate_ratio.ever_wrongly_listed", "rate_ratio.harm"};
static const char *const MEASURE[DP_MEASURES] = {"ever_listed", "ever_wrongly_listed", "harm"};
static const char *const MEASURE_LABEL[DP_MEASURES] = {"ever blacklisted",
                                                       "ever wrongly blacklisted",
                                                       "harm per person"};
static const char *const PANEL_TITLE[DP_MEASURES] = {
    "Ever blacklisted", "Ever wrongly blacklisted", "Harm borne per person"};
static const char *const PANEL_Y[DP_MEASURES] = {"Share of the group's persons",
                                                 "Share of the group's persons",
                                                 "Harm per person (units)"};

enum { DP_NKEYS = DP_RATE_NAMES * DP_GROUPS + DP_MEASURES };

/* Key of rate name j for population group g, and of disparity.ratio of measure m. */
static size_t rate_key(int j, int g) { return (size_t)(j * DP_GROUPS + g); }
static size_t spread_key(int m) { return (size_t)(DP_RATE_NAMES * DP_GROUPS + m); }

static void make_keys(fig_key *k) {
    for (int j = 0; j < DP_RATE_NAMES; j++)
        for (int g = 0; g < DP_GROUPS; g++) {
            snprintf(k[rate_key(j, g)].name, sizeof k->name, "%s", RATE_NAME[j]);
            snprintf(k[rate_key(j, g)].grp, sizeof k->grp, "group:%d", g);
        }
    for (int m = 0; m < DP_MEASURES; m++) {
        snprintf(k[spread_key(m)].name, sizeof k->name, "disparity.ratio");
        snprintf(k[spread_key(m)].grp, sizeof k->grp, "%s", MEASURE[m]);
    }
}

static int any_value(const fig_sums *s, size_t k) {
    for (size_t r = 0; r < s->g->nrun; r++)
        if (isfinite(fig_sums_value(s, k, FIG_NONE, r))) return 1;
    return 0;
}

/* Rates of measure m: one bar series per population group. */
static sim_status rate_panel(plot_panel *p, const fig_sums *s, int m, int ngroups, size_t ng,
                             sim_err *err) {
    plot_set_title(p, PANEL_TITLE[m]);
    plot_set_label(p, PLOT_Y, PANEL_Y[m]);
    plot_set_limits(p, PLOT_Y, 0, NAN);
    sim_status st = fig_group_ticks(p, s->g, ng, err);
    for (int g = 0; g < ngroups && st == SIM_OK; g++) {
        char label[24];
        snprintf(label, sizeof label, "group %d", g);
        st = fig_sums_bars(p, s, label, rate_key(m, g), FIG_NONE, 1.0, ng, 1, err);
    }
    return st;
}

/* Ratios: one bar series per measure, and the parity line. */
static sim_status ratio_panel(plot_panel *p, const fig_sums *s, int ngroups, int measures,
                              size_t ng, sim_err *err) {
    plot_set_title(p, ngroups == 2 ? "Group 1 relative to group 0"
                                   : "Largest group rate over the smallest");
    plot_set_label(p, PLOT_Y, ngroups == 2 ? "Rate ratio, group 1 / group 0" : "Rate ratio");
    plot_set_limits(p, PLOT_Y, 0, NAN);
    sim_status st = fig_group_ticks(p, s->g, ng, err);
    for (int m = 0; m < measures && st == SIM_OK; m++) {
        size_t k = ngroups == 2 ? rate_key(DP_MEASURES + m, 1) : spread_key(m);
        st = fig_sums_bars(p, s, MEASURE_LABEL[m], k, FIG_NONE, 1.0, ng, 1, err);
    }
    if (st == SIM_OK) st = fig_ref_line(p, "parity (1)", -0.5, 1, (double)ng - 0.5, 1, err);
    return st;
}

static sim_status dp_build(fig_result *out, const fig_sel *sel, const fig_sums *s,
                           int ngroups, sim_err *err) {
    const fig_groups_t *g = s->g;
    size_t ng = g->ngrp < FIG_MAX_PANELS ? g->ngrp : FIG_MAX_PANELS;
    int harm = 0, cols = 2;
    for (int pg = 0; pg < ngroups; pg++) harm |= any_value(s, rate_key(2, pg));
    int measures = harm ? 3 : 2;
    size_t np = (size_t)measures + 1;   /* 3 or 4 panels */
    sim_status st = sel->size != FIG_SIZE_AUTO ? fig_new_grid(&out->fig, sel, np, &cols, err)
                    : harm ? plot_fig_new_in(&out->fig, 15, 9, 2, 2, err)
                           : plot_fig_new_in(&out->fig, 18, 5.5, 1, 3, err);
    if (st != SIM_OK) return st;
    if (!harm && sel->size == FIG_SIZE_AUTO) cols = 3;
    char title[128], suffix[64];
    fig_ci_suffix(g, ng, suffix, sizeof suffix);
    snprintf(title, sizeof title, "Disparity between population groups%s", suffix);
    plot_fig_set_title(out->fig, title);
    for (int m = 0; m < measures && st == SIM_OK; m++) {
        plot_panel *p = fig_panel(out->fig, cols, (size_t)m);
        plot_set_legend(p, m == 0 ? PLOT_LEGEND_FIGURE : PLOT_LEGEND_NONE);
        st = rate_panel(p, s, m, ngroups, ng, err);
    }
    if (st == SIM_OK)
        st = ratio_panel(fig_panel(out->fig, cols, np - 1), s, ngroups, measures, ng, err);
    if (st == SIM_OK) {
        fig_note(out, "%zu run group(s) from %zu run(s), %d population group(s)%s", ng, g->nrun,
                 ngroups, harm ? ", with harm" : "");
        fig_sums_left_out(out, s, FIG_MAX_PANELS);
    }
    return st;
}

sim_status fig_disparity(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    fig_groups_t g = {0};
    fig_key *keys = calloc(DP_NKEYS, sizeof *keys);
    fig_sums s = {&g, DP_NKEYS, keys, NULL};
    char *ids = fig_idlist(sel), *q = NULL;
    sim_status st = ids && keys ? fig_groups_load(db, sel, out, &g, err)
                                : err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK) {
        make_keys(keys);
        q = sqlite3_mprintf(
            "SELECT s.run_id, s.name, s.grp, s.value FROM summary s WHERE s.run_id IN (%s) AND "
            "((s.name IN ('ever_listed_rate', 'ever_wrongly_listed_rate', 'harm_rate', "
            "'rate_ratio.ever_listed', 'rate_ratio.ever_wrongly_listed', 'rate_ratio.harm') AND "
            "s.grp LIKE 'group:%%') OR (s.name = 'disparity.ratio' AND s.grp IN ('ever_listed', "
            "'ever_wrongly_listed', 'harm'))) ORDER BY s.run_id, s.name, s.grp", ids);
        if (!q) st = err_set(err, SIM_ENOMEM, "out of memory");
    }
    if (st == SIM_OK) st = fig_sums_load(db, out, "listing and harm rates by group", q, &s, err);
    int ngroups = 0;
    for (int pg = 0; st == SIM_OK && pg < DP_GROUPS; pg++)
        if (any_value(&s, rate_key(0, pg))) ngroups = pg + 1;
    if (st == SIM_OK && ngroups == 0)
        fig_note(out, "no rates by group in the summary of the selected runs (older database?)");
    else if (st == SIM_OK)
        st = dp_build(out, sel, &s, ngroups, err);
    sqlite3_free(q);
    free(ids);
    free(keys);
    fig_sums_free(&s);
    fig_groups_free(&g);
    return st;
}
