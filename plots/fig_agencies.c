/* plots/fig_agencies.c - per-agency lists (docs/ODD.md 7.19): agents on each agency's own
 * blacklist at each step (`listed_by_agency` black:AGENCY, and black:common for the common
 * list) as lines, with the aggregate `listed.black` (on any blacklist) dashed: the gap
 * between the aggregate and the sum of the lines is the agents on two or more lists. Mean
 * over a run group's runs; one panel per run group that has own lists (up to
 * FIG_MAX_PANELS), one y scale unless sel->free_y. Skipped with a note when no selected run
 * has own lists. */
#include "fig_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { AG_MAX = 9 };   /* series drawn: up to 8 lists by name, then the aggregate */

typedef struct ag_data {
    const fig_groups_t *g;
    size_t n, more, steps;           /* series (the aggregate last), left out, steps 0..steps */
    char grp[AG_MAX][64];            /* "black:A" ...; the aggregate: "" */
    double *v;                       /* [ngrp][AG_MAX][steps + 1] means */
    unsigned char has[FIG_MAX_PANELS];   /* the group has a listed_by_agency row */
} ag_data;

static sim_status name_row(sqlite3_stmt *s, void *ctx, sim_err *err) {
    (void)err;
    ag_data *d = ctx;
    const char *grp = (const char *)sqlite3_column_text(s, 0);
    if (!grp) return SIM_OK;
    if (d->n == AG_MAX - 1) { d->more++; return SIM_OK; }
    snprintf(d->grp[d->n++], sizeof d->grp[0], "%s", grp);
    return SIM_OK;
}

static sim_status steps_row(sqlite3_stmt *s, void *ctx, sim_err *err) {
    (void)err;
    ag_data *d = ctx;
    int64_t t = sqlite3_column_int64(s, 0);
    d->steps = t > 0 ? (size_t)t : 0;
    return SIM_OK;
}

static sim_status value_row(sqlite3_stmt *s, void *ctx, sim_err *err) {
    (void)err;
    ag_data *d = ctx;
    size_t r = fig_run_index(d->g, sqlite3_column_int64(s, 0));
    const char *name = (const char *)sqlite3_column_text(s, 1);
    const char *grp = (const char *)sqlite3_column_text(s, 2);
    int64_t t = sqlite3_column_int64(s, 3);
    if (r >= d->g->nrun || !name || !grp || t < 0 || (size_t)t > d->steps) return SIM_OK;
    size_t k = d->n;   /* the aggregate */
    if (strcmp(name, "listed_by_agency") == 0)
        for (k = 0; k < d->n && strcmp(d->grp[k], grp) != 0; k++) {}
    if (k > d->n || (k == d->n && strcmp(name, "listed.black") != 0)) return SIM_OK;
    size_t gi = d->g->grp[r];
    if (gi >= FIG_MAX_PANELS) return SIM_OK;
    if (k < d->n) d->has[gi] = 1;
    d->v[(gi * AG_MAX + k) * (d->steps + 1) + (size_t)t] +=
        sqlite3_column_double(s, 4) / (double)d->g->count[gi];
    return SIM_OK;
}

static sim_status panel(plot_panel *p, const ag_data *d, size_t gi, sim_err *err) {
    char title[FIG_TITLE_MAX + 48];
    snprintf(title, sizeof title, d->g->count[gi] > 1 ? "%s (mean of %zu runs)" : "%s",
             d->g->title[gi], d->g->count[gi]);
    plot_set_title(p, title);
    plot_set_label(p, PLOT_X, "Step (month)");
    plot_set_label(p, PLOT_Y, "Agents on the blacklist");
    plot_set_limits(p, PLOT_Y, 0, NAN);
    size_t n = d->steps;   /* steps 1..steps */
    double *x = malloc((n ? n : 1) * sizeof *x);
    if (!x) return err_set(err, SIM_ENOMEM, "out of memory");
    for (size_t t = 0; t < n; t++) x[t] = (double)(t + 1);
    sim_status st = SIM_OK;
    for (size_t k = 0; k <= d->n && st == SIM_OK; k++) {
        const double *y = d->v + (gi * AG_MAX + k) * (d->steps + 1) + 1;
        const char *label = k == d->n ? "on any blacklist"
                          : strcmp(d->grp[k], "black:common") == 0 ? "common list"
                                                                   : d->grp[k] + strlen("black:");
        st = plot_line(p, label, x, y, n, err);
        if (st == SIM_OK && k == d->n) st = plot_series_dashed(p, k, err);
    }
    free(x);
    return st;
}

static sim_status build(fig_result *out, const fig_sel *sel, const ag_data *d, sim_err *err) {
    size_t pick[FIG_MAX_PANELS], np = 0;
    for (size_t gi = 0; gi < d->g->ngrp && gi < FIG_MAX_PANELS; gi++)
        if (d->has[gi]) pick[np++] = gi;
    int cols;
    sim_status st = fig_new_grid(&out->fig, sel, np, &cols, err);
    if (st != SIM_OK) return st;
    plot_fig_set_title(out->fig, "Blacklisted, by the agency whose list it is");
    plot_fig_share_y(out->fig, !sel->free_y);
    for (size_t i = 0; i < np && st == SIM_OK; i++) {
        plot_panel *p = fig_panel(out->fig, cols, i);
        plot_set_legend(p, np > 1 ? (i == 0 ? PLOT_LEGEND_FIGURE : PLOT_LEGEND_NONE)
                                  : PLOT_LEGEND_AUTO);
        st = panel(p, d, pick[i], err);
    }
    fig_note(out, "%zu panel(s) of %zu run group(s) with own lists, up to step %zu; dashed: "
             "on any blacklist (an agent on two lists counts once)", np, d->g->ngrp, d->steps);
    if (d->more) fig_note_add(out, "; %zu lists beyond the first %d (by name) not drawn",
                              d->more, AG_MAX - 1);
    return st;
}

sim_status fig_agencies(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    fig_groups_t g = {0};
    ag_data d = {.g = &g};
    char *ids = fig_idlist(sel), *q[3] = {NULL, NULL, NULL};
    sim_status st = ids ? fig_groups_load(db, sel, out, &g, err)
                        : err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK) {
        q[0] = sqlite3_mprintf("SELECT DISTINCT grp FROM metrics WHERE run_id IN (%s) AND name ="
                               " 'listed_by_agency' AND grp LIKE 'black:%%' ORDER BY grp", ids);
        q[1] = sqlite3_mprintf("SELECT max(step) FROM metrics WHERE run_id IN (%s) AND name = "
                               "'listed_by_agency'", ids);
        q[2] = sqlite3_mprintf("SELECT run_id, name, grp, step, value FROM metrics WHERE run_id"
                               " IN (%s) AND ((name = 'listed_by_agency' AND grp LIKE 'black:%%')"
                               " OR (name = 'listed.black' AND grp = 'all')) ORDER BY run_id, "
                               "name, grp, step", ids);
        if (!q[0] || !q[1] || !q[2]) st = err_set(err, SIM_ENOMEM, "out of memory");
    }
    if (st == SIM_OK) st = fig_query(db, out, "lists kept by agencies", q[0], name_row, &d, err);
    if (st == SIM_OK && d.n) st = fig_query(db, out, "last step", q[1], steps_row, &d, err);
    if (st == SIM_OK && d.n && d.steps) {
        d.v = calloc(FIG_MAX_PANELS * AG_MAX * (d.steps + 1), sizeof *d.v);
        st = d.v ? fig_query(db, out, "agents on each blacklist per step", q[2], value_row, &d,
                             err)
                 : err_set(err, SIM_ENOMEM, "out of memory");
    }
    if (st == SIM_OK && (d.n == 0 || d.steps == 0))
        fig_note(out, "no listed_by_agency rows for the selected runs (no agency with "
                 "own_lists = true, or an older database)");
    else if (st == SIM_OK)
        st = build(out, sel, &d, err);
    for (int k = 0; k < 3; k++) sqlite3_free(q[k]);
    free(ids);
    free(d.v);
    fig_groups_free(&g);
    return st;
}
