/* plots/fig_privacy.c - privacy: what the regime knows and shows about persons, from the
 * summary (docs/results.md), one bar per run group (the first 6; mean and 95% CI over
 * replicates), six panels: records held per person; agencies holding records per person;
 * persons named on the public blacklist (and of those, wrongly) and persons affected by data
 * about others (third-party processing), as shares of persons; months on the blacklist per
 * person (retention exposure); and the inference attack's two AUCs (what the public view
 * reveals about contacts of listed persons and about past violations; 0.5 tells nothing). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig_impl.h"

enum { PV_PERSONS, PV_RECORDS, PV_AGENCIES, PV_NAMED, PV_NAMED_WRONG, PV_THIRD, PV_RETAIN,
       PV_AUC_CONTACT, PV_AUC_HISTORY, PV_N };

static const fig_key PV_KEYS[PV_N] = {
    {"persons", "all"},           {"records_per_person", "mean"},
    {"agencies_per_person", "mean"}, {"named_publicly", "all"},
    {"named_publicly", "wrongly"}, {"third_party_processing", "all"},
    {"retention_exposure", "black"}, {"inference_auc", "listed_contact"},
    {"inference_auc", "violation_history"}};

typedef struct pv_panel {
    const char *title, *ylabel;
    int k[2];                 /* keys of its one or two bar series (-1: none) */
    const char *label[2];
    int per_person;           /* divided by persons */
} pv_panel;

static const pv_panel PANELS[6] = {
    {"Records held per person", "Records (mean)", {PV_RECORDS, -1}, {"records", NULL}, 0},
    {"Agencies holding records", "Agencies per person (mean)", {PV_AGENCIES, -1},
     {"agencies", NULL}, 0},
    {"Named on the public blacklist", "Share of persons", {PV_NAMED, PV_NAMED_WRONG},
     {"named", "of whom wrongly"}, 1},
    {"Affected by data about others", "Share of persons", {PV_THIRD, -1},
     {"third-party processing", NULL}, 1},
    {"Time on the blacklist", "Months per person (mean)", {PV_RETAIN, -1},
     {"retention", NULL}, 1},
    {"Inference attack on the public view", "AUC", {PV_AUC_CONTACT, PV_AUC_HISTORY},
     {"has a listed contact", "has violated"}, 0}};

/* The AUC panel's reference: a dashed grey line at 0.5 across the bar groups. */
static sim_status chance_line(plot_panel *p, size_t ng, sim_err *err) {
    sim_status st = fig_ref_line(p, "no information (0.5)", -0.5, 0.5, (double)ng - 0.5, 0.5,
                                 err);
    plot_set_limits(p, PLOT_Y, 0, 1);
    return st;
}

static sim_status pv_panel_draw(plot_panel *p, const fig_sums *s, const pv_panel *d, size_t ng,
                                int auc, sim_err *err) {
    plot_set_title(p, d->title);
    plot_set_label(p, PLOT_Y, d->ylabel);
    plot_set_limits(p, PLOT_Y, 0, NAN);
    sim_status st = fig_group_ticks(p, s->g, ng, err);
    size_t den = d->per_person ? PV_PERSONS : FIG_NONE;
    for (int j = 0; j < 2 && st == SIM_OK && d->k[j] >= 0; j++)
        st = fig_sums_bars(p, s, d->label[j], (size_t)d->k[j], den, 1.0, ng, 1, err);
    if (st == SIM_OK && auc) st = chance_line(p, ng, err);
    if (st == SIM_OK && d->k[1] < 0) plot_set_legend(p, PLOT_LEGEND_NONE);
    return st;
}

static sim_status pv_build(fig_result *out, const fig_sel *sel, const fig_sums *s,
                           sim_err *err) {
    const fig_groups_t *g = s->g;
    size_t ng = g->ngrp < FIG_MAX_PANELS ? g->ngrp : FIG_MAX_PANELS;
    int cols = 3;
    /* wider than a slide by default: six scenario names side by side under each panel */
    sim_status st = sel->size == FIG_SIZE_AUTO
                        ? plot_fig_new_in(&out->fig, 20, 9.5, 2, 3, err)
                        : fig_new_grid(&out->fig, sel, 6, &cols, err);
    if (st != SIM_OK) return st;
    char title[128], suffix[64];
    fig_ci_suffix(g, ng, suffix, sizeof suffix);
    snprintf(title, sizeof title, "Privacy exposure of persons%s", suffix);
    plot_fig_set_title(out->fig, title);
    for (size_t i = 0; i < 6 && st == SIM_OK; i++)
        st = pv_panel_draw(fig_panel(out->fig, cols, i), s, &PANELS[i], ng, i == 5, err);
    if (st == SIM_OK) {
        fig_note(out, "%zu run group(s) from %zu run(s)", ng, g->nrun);
        fig_sums_left_out(out, s, FIG_MAX_PANELS);
    }
    return st;
}

sim_status fig_privacy(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    fig_groups_t g = {0};
    fig_sums s = {&g, PV_N, PV_KEYS, NULL};
    char *ids = fig_idlist(sel), *q = NULL;
    sim_status st = ids ? fig_groups_load(db, sel, out, &g, err)
                        : err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK) {
        q = sqlite3_mprintf("SELECT s.run_id, s.name, s.grp, s.value FROM summary s WHERE "
                            "s.run_id IN (%s) AND s.name IN ('persons', 'records_per_person', "
                            "'agencies_per_person', 'named_publicly', 'third_party_processing', "
                            "'retention_exposure', 'inference_auc') ORDER BY s.run_id, s.name, "
                            "s.grp", ids);
        if (!q) st = err_set(err, SIM_ENOMEM, "out of memory");
    }
    if (st == SIM_OK) st = fig_sums_load(db, out, "privacy exposure per run", q, &s, err);
    int have = 0;
    for (size_t r = 0; st == SIM_OK && r < g.nrun; r++)
        have |= isfinite(fig_sums_value(&s, PV_RECORDS, FIG_NONE, r));
    if (st == SIM_OK && !have)
        fig_note(out, "no privacy rows in the summary of the selected runs (older database?)");
    else if (st == SIM_OK)
        st = pv_build(out, sel, &s, err);
    sqlite3_free(q);
    free(ids);
    fig_sums_free(&s);
    fig_groups_free(&g);
    return st;
}
