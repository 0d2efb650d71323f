/* plots/fig_flags.c - what a figure must say about its data beyond drawing it: run groups
 * whose comparison is saturated (more than FIG_SATURATED of their persons ever blacklisted:
 * almost everyone is listed whatever the regime does, so differences say little). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig_impl.h"

enum { SAT_EVER, SAT_PERSONS, SAT_NKEYS };
enum { TITLE_FIT = 84 };   /* characters of title and names that fit a slide's title line */
static const fig_key SAT_KEYS[SAT_NKEYS] = {{"persons_ever_listed", "black"},
                                            {"persons", "all"}};

sim_status fig_saturation(sqlite3 *db, const fig_groups_t *g, fig_result *out, double *share,
                          sim_err *err) {
    fig_sel sel = {.run_ids = g->run_id, .nruns = g->nrun, .size = FIG_SIZE_AUTO};
    fig_sums s = {g, SAT_NKEYS, SAT_KEYS, NULL};
    char *ids = fig_idlist(&sel);
    char *q = ids ? sqlite3_mprintf("SELECT run_id, name, grp, value FROM summary WHERE run_id "
                                    "IN (%s) AND ((name = 'persons_ever_listed' AND grp = "
                                    "'black') OR (name = 'persons' AND grp = 'all')) ORDER BY "
                                    "run_id, name", ids)
                  : NULL;
    sim_status st = q ? fig_sums_load(db, out, "share of persons ever blacklisted (saturation)",
                                      q, &s, err)
                      : err_set(err, SIM_ENOMEM, "out of memory");
    for (size_t k = 0; st == SIM_OK && k < g->ngrp; k++) {
        double lo, hi;
        fig_sums_stat(&s, SAT_EVER, SAT_PERSONS, 1.0, k, &share[k], &lo, &hi, NULL);
    }
    sqlite3_free(q);
    free(ids);
    fig_sums_free(&s);
    return st;
}

/* The figures that pool run groups (not network, phase, sensitivity). */
static int pools_groups(const char *name) {
    static const char *const ONE[] = {"network", "phase", "sensitivity"};
    for (size_t i = 0; i < sizeof ONE / sizeof *ONE; i++)
        if (!strcmp(name, ONE[i])) return 0;
    return 1;
}

/* Marks the panels of the saturated groups (a panel per group: its title starts with the
 * group's name) "[saturated]"; returns how many were marked. */
static size_t mark_panels(plot_fig *fig, const fig_groups_t *g, const double *share) {
    int rows, cols;
    size_t marked = 0;
    plot_fig_grid(fig, &rows, &cols);
    for (int i = 0; i < rows * cols; i++) {
        plot_panel *p = plot_fig_panel(fig, i / cols, i % cols);
        const char *t = plot_panel_title(p);
        for (size_t k = 0; k < g->ngrp; k++) {
            size_t n = strlen(g->title[k]);
            if (!(share[k] > FIG_SATURATED) || strncmp(t, g->title[k], n) || (t[n] && t[n] != ' '))
                continue;
            char title[FIG_TITLE_MAX + 80];
            snprintf(title, sizeof title, "%s [saturated]", t);
            plot_set_title(p, title);
            marked++;
            break;
        }
    }
    return marked;
}

/* The saturated groups into the figure's panels or title, and its note. */
static void flag(fig_result *out, const fig_groups_t *g, const double *share) {
    char title[512], names[384] = "";
    size_t len = 0, m = 0;
    for (size_t k = 0; k < g->ngrp; k++) {
        if (!(share[k] > FIG_SATURATED)) continue;
        len += (size_t)snprintf(names + len, len < sizeof names ? sizeof names - len : 0,
                                "%s%s", m ? ", " : "", g->title[k]);
        if (len >= sizeof names) len = sizeof names - 1;
        fig_note_add(out, "%s%s (%.1f%%)", m++ ? ", " : "; saturated: ", g->title[k],
                     100 * share[k]);
    }
    if (!m) return;
    fig_note_add(out, " of persons ever blacklisted, more than %.0f%%: comparisons with %s say "
                 "little", 100 * FIG_SATURATED, m > 1 ? "them" : "it");
    if (mark_panels(out->fig, g, share) > 0) return;
    const char *base = plot_fig_title(out->fig);
    if (strlen(base) + strlen(names) <= TITLE_FIT)
        snprintf(title, sizeof title, "%s [saturated: %s]", base, names);
    else   /* the names would not fit: the count; the names are in the note and captions */
        snprintf(title, sizeof title, "%s [%zu saturated]", base, m);
    plot_fig_set_title(out->fig, title);
}

sim_status fig_build(const fig_def *f, sqlite3 *db, const fig_sel *sel, fig_result *out,
                     sim_err *err) {
    sim_status st = f->build(db, sel, out, err);
    if (st != SIM_OK || !out->fig || !pools_groups(f->name)) return st;
    fig_groups_t g = {0};
    fig_result scratch = {0};   /* the group queries again: not the figure's SQL */
    st = fig_groups_load(db, sel, &scratch, &g, err);
    double *share = st == SIM_OK ? malloc((g.ngrp ? g.ngrp : 1) * sizeof *share) : NULL;
    if (st == SIM_OK && !share) st = err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK) st = fig_saturation(db, &g, out, share, err);
    if (st == SIM_OK) flag(out, &g, share);
    free(share);
    fig_groups_free(&g);
    fig_result_free(&scratch);
    return st;
}
