/* plots/fig_privacy.c - privacy: what the regime knows and shows about persons, from the
 * summary (docs/results.md), one bar, curve or point per run group (the first 6; mean and 95%
 * CI over replicates). Six panels always: records made per person; agencies holding records
 * per person; persons named on the public blacklist (and of those, wrongly) and persons
 * affected by data about others (third-party processing), as shares of persons; months on the
 * blacklist per person (retention exposure); the inference attacks on the public view (has a
 * listed contact, has violated; with the tie graph, guilt by association, when stored).
 * Then, each only when some selected run has its rows (else the note says why it is left
 * out, it is never drawn as zero): the bodies holding data per person (persons_by_bodies, the
 * distribution); the platform observer's AUC against the pooled profile it reads
 * (platform_auc and pooled_profile of the national platform, docs/metrics.md); lawful acts
 * suppressed per 1,000 persons (chilling). Records held over time by agency: the `records`
 * figure (fig_series.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig_impl.h"

/* PV_BODIES .. PV_BODIES + PV_NBODIES - 1: persons_by_bodies bodies:0 .. bodies:23. */
enum { PV_PERSONS, PV_RECORDS, PV_AGENCIES, PV_NAMED, PV_NAMED_WRONG, PV_THIRD, PV_RETAIN,
       PV_AUC_CONTACT, PV_AUC_HISTORY, PV_AUC_GBA, PV_POOLED, PV_PLATFORM_AUC, PV_SUPPRESSED,
       PV_BODIES, PV_NBODIES = 24, PV_N = PV_BODIES + PV_NBODIES };

/* The receiving body whose observer the AUC-against-pooling panel and the brief show: the
 * national platform of platform-pooling, data-minimization and function-creep. */
#define PV_PLATFORM "platform"

static const fig_key PV_BASE[PV_BODIES] = {
    {"persons", "all"},           {"records_per_person", "mean"},
    {"agencies_per_person", "mean"}, {"named_publicly", "all"},
    {"named_publicly", "wrongly"}, {"third_party_processing", "all"},
    {"retention_exposure", "black"}, {"inference_auc", "listed_contact"},
    {"inference_auc", "violation_history"}, {"inference_auc", "guilt_by_association"},
    {"pooled_profile", "body:" PV_PLATFORM}, {"platform_auc", "group:" PV_PLATFORM},
    {"lawful_acts_suppressed", "all"}};

typedef struct pv_panel {
    const char *title, *ylabel;
    int k[3];                 /* keys of its bar series (-1: none) */
    const char *label[3];
    int per_person;           /* divided by persons */
    double scale;
} pv_panel;

enum { PV_BARS = 6, PV_DIST = 6, PV_POOL = 7, PV_CHILL = 8, PV_PANELS = 9 };

static const pv_panel PANELS[PV_BARS] = {
    {"Violation records made per person", "Records over the run (mean)", {PV_RECORDS, -1, -1},
     {"records"}, 0, 1},
    {"Agencies holding violation records", "Agencies per person (mean)",
     {PV_AGENCIES, -1, -1}, {"agencies"}, 0, 1},
    {"Named on the public blacklist", "Share of persons", {PV_NAMED, PV_NAMED_WRONG, -1},
     {"named", "of whom wrongly"}, 1, 1},
    {"Affected by data about others", "Share of persons", {PV_THIRD, -1, -1},
     {"third-party processing"}, 1, 1},
    {"Time on the blacklist", "Months per person (mean)", {PV_RETAIN, -1, -1},
     {"retention"}, 1, 1},
    {"Inference attacks on the public view", "AUC",
     {PV_AUC_CONTACT, PV_AUC_HISTORY, PV_AUC_GBA},
     {"has a listed contact", "has violated (own status)",
      "has violated (with contacts: guilt by association)"}, 0, 1}};

/* Whether some run has a value for key k (k0 .. k1 - 1 for a range). */
static int any_value(const fig_sums *s, size_t k0, size_t k1) {
    for (size_t k = k0; k < k1; k++)
        for (size_t r = 0; r < s->g->nrun; r++)
            if (isfinite(fig_sums_value(s, k, FIG_NONE, r))) return 1;
    return 0;
}

/* The AUC panels' reference: a dashed grey line at 0.5 from x0 to x1. */
static sim_status chance_line(plot_panel *p, double x0, double x1, sim_err *err) {
    sim_status st = fig_ref_line(p, "no information (0.5)", x0, 0.5, x1, 0.5, err);
    plot_set_limits(p, PLOT_Y, 0, 1);
    return st;
}

static sim_status bars_panel(plot_panel *p, const fig_sums *s, const pv_panel *d, size_t ng,
                             int auc, sim_err *err) {
    plot_set_title(p, d->title);
    plot_set_label(p, PLOT_Y, d->ylabel);
    plot_set_limits(p, PLOT_Y, 0, NAN);
    sim_status st = fig_group_ticks(p, s->g, ng, err);
    size_t den = d->per_person ? PV_PERSONS : FIG_NONE;
    int nser = 0;
    for (int j = 0; j < 3 && st == SIM_OK && d->k[j] >= 0; j++) {
        if (!any_value(s, (size_t)d->k[j], (size_t)d->k[j] + 1) && j > 0) continue;
        st = fig_sums_bars(p, s, d->label[j], (size_t)d->k[j], den, d->scale, ng, 1, err);
        nser++;
    }
    if (st == SIM_OK && auc) st = chance_line(p, -0.5, (double)ng - 0.5, err);
    if (st == SIM_OK && nser < 2) plot_set_legend(p, PLOT_LEGEND_NONE);
    return st;
}

/* The distribution of bodies holding data per person: bars side by side per run group over
 * N, the share of persons held by exactly N bodies (mean over the group's runs), on a log
 * axis so that a small tail shows (a share of 0 is not drawn: no such person). */
static sim_status bodies_panel(plot_panel *p, const fig_sums *s, size_t ng, sim_err *err) {
    plot_set_title(p, "Bodies holding data per person");
    plot_set_label(p, PLOT_X, "Bodies holding or reading data about the person");
    plot_set_label(p, PLOT_Y, "Share of persons (log)");
    plot_set_scale(p, PLOT_Y, AXIS_LOG10);
    sim_status st = SIM_OK;
    size_t nmax = 0;
    for (size_t n = 0; n < PV_NBODIES; n++)
        if (any_value(s, PV_BODIES + n, PV_BODIES + n + 1)) nmax = n + 1;
    for (size_t k = 0; k < ng && st == SIM_OK; k++) {
        double x[PV_NBODIES], y[PV_NBODIES], lo, hi;
        size_t n_with = 0;
        for (size_t n = 0; n < nmax; n++) {
            x[n] = (double)n;
            fig_sums_stat(s, PV_BODIES + n, PV_PERSONS, 1.0, k, &y[n], &lo, &hi, NULL);
            n_with += isfinite(y[n]);
        }
        if (n_with == 0) continue;   /* no sharing rows: no bars, not bars at zero */
        size_t i = plot_nseries(p);
        st = plot_bars(p, s->g->title[k], x, y, NULL, NULL, nmax, err);
        if (st == SIM_OK) st = plot_series_color(p, i, pal_category(k), err);
    }
    return st;
}

/* The platform observer's AUC (y) against the pooled profile it reads (x), a point per run
 * group with 95% intervals, labelled; the dashed chance line. */
static sim_status pooled_panel(plot_panel *p, const fig_sums *s, size_t ng, sim_err *err) {
    double x[FIG_MAX_PANELS], y[FIG_MAX_PANELS], xl[FIG_MAX_PANELS], xh[FIG_MAX_PANELS],
        yl[FIG_MAX_PANELS], yh[FIG_MAX_PANELS], xmax = 0;
    const char *label[FIG_MAX_PANELS];
    for (size_t k = 0; k < ng; k++) {
        fig_sums_stat(s, PV_POOLED, FIG_NONE, 1.0, k, &x[k], &xl[k], &xh[k], NULL);
        fig_sums_stat(s, PV_PLATFORM_AUC, FIG_NONE, 1.0, k, &y[k], &yl[k], &yh[k], NULL);
        if (s->g->count[k] < 2) xl[k] = xh[k] = yl[k] = yh[k] = NAN;
        if (isfinite(xh[k]) ? xh[k] > xmax : isfinite(x[k]) && x[k] > xmax)
            xmax = isfinite(xh[k]) ? xh[k] : x[k];
        label[k] = s->g->title[k];
    }
    plot_set_title(p, "Platform observer against what is pooled");
    plot_set_label(p, PLOT_X, "Pooled profile (records per person the platform reads)");
    plot_set_label(p, PLOT_Y, "AUC (group membership)");
    plot_set_limits(p, PLOT_X, 0, NAN);
    sim_status st = plot_scatter_err(p, "platform observer", x, y, xl, xh, yl, yh, ng, err);
    if (st == SIM_OK) st = plot_point_labels(p, 0, label, ng, err);
    if (st == SIM_OK) st = chance_line(p, 0, xmax > 0 ? xmax : 1, err);
    return st;
}

static sim_status chill_panel(plot_panel *p, const fig_sums *s, size_t ng, sim_err *err) {
    static const pv_panel d = {"Lawful acts suppressed (chilling)",
                               "Acts per 1,000 persons (whole run)", {PV_SUPPRESSED, -1, -1},
                               {"suppressed"}, 1, 1000};
    return bars_panel(p, s, &d, ng, 0, err);
}

static const char *const WHY_OUT[PV_PANELS] = {
    [PV_DIST] = "bodies holding data (no persons_by_bodies rows: no [share.*] section)",
    [PV_POOL] = "platform observer against pooling (no platform_auc group:platform rows: "
                "nothing shared to a body named platform)",
    [PV_CHILL] = "lawful acts suppressed (no lawful_acts_suppressed rows: no lawful activity "
                 "modelled, behaviour.lawful_rate 0)"};

/* The key whose rows decide whether a group is in optional panel k. */
static size_t panel_key(int k, size_t *k1) {
    size_t k0 = k == PV_DIST ? PV_BODIES : k == PV_POOL ? PV_PLATFORM_AUC : PV_SUPPRESSED;
    *k1 = k == PV_DIST ? PV_N : k0 + 1;
    return k0;
}

/* Appends to the note the shown groups without rows in optional panel k (not drawn there,
 * not drawn as zero): "; no rows for the lawful acts panel: a, b". */
static void note_without(fig_result *out, const fig_sums *s, size_t ng, int k) {
    static const char *const what[PV_PANELS] = {[PV_DIST] = "bodies panel",
                                                [PV_POOL] = "platform observer panel",
                                                [PV_CHILL] = "lawful acts panel"};
    size_t k1, k0 = panel_key(k, &k1), m = 0;
    for (size_t g = 0; g < ng; g++) {
        int has = 0;
        for (size_t key = k0; key < k1 && !has; key++)
            for (size_t r = 0; r < s->g->nrun && !has; r++)
                has = s->g->grp[r] == g && isfinite(fig_sums_value(s, key, FIG_NONE, r));
        if (!has && m++ == 0) fig_note_add(out, "; no rows for the %s: %s", what[k], s->g->title[g]);
        else if (!has) fig_note_add(out, ", %s", s->g->title[g]);
    }
}

/* Which panels have rows: the six bar panels always, the others when some run has them. */
static size_t panels_present(const fig_sums *s, int *on) {
    size_t n = 0;
    for (int i = 0; i < PV_PANELS; i++) {
        on[i] = i < PV_BARS || (i == PV_DIST && any_value(s, PV_BODIES, PV_N)) ||
                (i == PV_POOL && any_value(s, PV_PLATFORM_AUC, PV_PLATFORM_AUC + 1)) ||
                (i == PV_CHILL && any_value(s, PV_SUPPRESSED, PV_SUPPRESSED + 1));
        n += (size_t)on[i];
    }
    return n;
}

/* A grid for n (6..9) panels: 2 x 3, 2 x 4 (7: the last cell left blank) or 3 x 3. */
static sim_status pv_grid(plot_fig **fig, const fig_sel *sel, size_t n, int *rows, int *cols,
                          sim_err *err) {
    *cols = n <= 6 ? 3 : n <= 8 ? 4 : 3;
    *rows = (int)((n + (size_t)*cols - 1) / (size_t)*cols);
    if (sel->size != FIG_SIZE_AUTO) return plot_fig_new(fig, (plot_size)sel->size, *rows, *cols, err);
    /* wider than a slide: six scenario names side by side under each panel */
    return plot_fig_new_in(fig, *cols == 4 ? 25 : 20, *rows == 3 ? 14 : 9.5, *rows, *cols, err);
}

static sim_status pv_build(fig_result *out, const fig_sel *sel, const fig_sums *s,
                           sim_err *err) {
    const fig_groups_t *g = s->g;
    size_t ng = g->ngrp < FIG_MAX_PANELS ? g->ngrp : FIG_MAX_PANELS;
    int on[PV_PANELS], rows, cols;
    size_t np = panels_present(s, on), i = 0;
    sim_status st = pv_grid(&out->fig, sel, np, &rows, &cols, err);
    if (st != SIM_OK) return st;
    char title[128], suffix[64];
    fig_ci_suffix(g, ng, suffix, sizeof suffix);
    snprintf(title, sizeof title, "Privacy exposure of persons%s", suffix);
    plot_fig_set_title(out->fig, title);
    for (int k = 0; k < PV_PANELS && st == SIM_OK; k++) {
        if (!on[k]) continue;
        plot_panel *p = fig_panel(out->fig, cols, i++);
        st = k < PV_BARS ? bars_panel(p, s, &PANELS[k], ng, k == 5, err)
           : k == PV_DIST ? bodies_panel(p, s, ng, err)
           : k == PV_POOL ? pooled_panel(p, s, ng, err) : chill_panel(p, s, ng, err);
    }
    for (; i < (size_t)(rows * cols); i++) plot_hide_axes(fig_panel(out->fig, cols, i));
    if (st != SIM_OK) return st;
    fig_note(out, "%zu panel(s), %zu run group(s) from %zu run(s)", np, ng, g->nrun);
    for (int k = PV_BARS, m = 0; k < PV_PANELS; k++)
        if (!on[k]) fig_note_add(out, "%s%s", m++ ? "; " : "; left out: ", WHY_OUT[k]);
    for (int k = PV_BARS; k < PV_PANELS; k++)
        if (on[k]) note_without(out, s, ng, k);
    fig_sums_left_out(out, s, FIG_MAX_PANELS);
    return st;
}

/* The keys: PV_BASE, then persons_by_bodies bodies:0 .. bodies:PV_NBODIES-1. */
static void pv_keys(fig_key *keys) {
    memcpy(keys, PV_BASE, sizeof PV_BASE);
    for (int n = 0; n < PV_NBODIES; n++) {
        snprintf(keys[PV_BODIES + n].name, sizeof keys->name, "persons_by_bodies");
        snprintf(keys[PV_BODIES + n].grp, sizeof keys->grp, "bodies:%d", n);
    }
}

sim_status fig_privacy(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    fig_groups_t g = {0};
    fig_key keys[PV_N];
    pv_keys(keys);
    fig_sums s = {&g, PV_N, keys, NULL};
    char *ids = fig_idlist(sel), *q = NULL;
    sim_status st = ids ? fig_groups_load(db, sel, out, &g, err)
                        : err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK) {
        q = sqlite3_mprintf("SELECT s.run_id, s.name, s.grp, s.value FROM summary s WHERE "
                            "s.run_id IN (%s) AND (s.name IN ('persons', 'records_per_person', "
                            "'agencies_per_person', 'named_publicly', 'third_party_processing', "
                            "'retention_exposure', 'inference_auc', 'persons_by_bodies', "
                            "'lawful_acts_suppressed') OR (s.name = 'pooled_profile' AND s.grp "
                            "= 'body:" PV_PLATFORM "') OR (s.name = 'platform_auc' AND s.grp = "
                            "'group:" PV_PLATFORM "')) ORDER BY s.run_id, s.name, s.grp", ids);
        if (!q) st = err_set(err, SIM_ENOMEM, "out of memory");
    }
    if (st == SIM_OK) st = fig_sums_load(db, out, "privacy exposure per run", q, &s, err);
    if (st == SIM_OK && !any_value(&s, PV_RECORDS, PV_RECORDS + 1))
        fig_note(out, "no privacy rows in the summary of the selected runs (older database?)");
    else if (st == SIM_OK)
        st = pv_build(out, sel, &s, err);
    sqlite3_free(q);
    free(ids);
    fig_sums_free(&s);
    fig_groups_free(&g);
    return st;
}
