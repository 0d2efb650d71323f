/* plots/fig_series.c - figures over steps: timeseries (lists over time, mean and 95% band
 * over replicates) and causes (new blacklistings by cause, stacked). */
#include "fig_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* values[(series * nrun + run) * steps + step - 1], NaN where the database has no row. */
typedef struct cube {
    size_t nseries, nrun, steps;
    double *v;
    const fig_groups_t *g;    /* runs by id (timeseries) */
    const int64_t *ids;       /* or: runs by id (causes) */
    const char *const *names; /* series names, matched against column 1 */
} cube;

static size_t name_index(const cube *c, const char *name) {
    size_t i = 0;
    while (i < c->nseries && strcmp(c->names[i], name ? name : "") != 0) i++;
    return i;
}

static size_t run_index(const cube *c, int64_t id) {
    if (c->g) return fig_run_index(c->g, id);
    size_t i = 0;
    while (i < c->nrun && c->ids[i] != id) i++;
    return i;
}

/* Grows the step dimension to hold `steps`, keeping the values. */
static sim_status cube_grow(cube *c, size_t steps, sim_err *err) {
    if (steps <= c->steps) return SIM_OK;
    size_t cap = c->steps ? c->steps : 16;
    while (cap < steps) cap *= 2;
    double *v = malloc(c->nseries * c->nrun * cap * sizeof *v);
    if (!v) return err_set(err, SIM_ENOMEM, "out of memory");
    for (size_t r = 0; r < c->nseries * c->nrun; r++)
        for (size_t t = 0; t < cap; t++)
            v[r * cap + t] = t < c->steps ? c->v[r * c->steps + t] : NAN;
    free(c->v);
    c->v = v;
    c->steps = cap;
    return SIM_OK;
}

/* Row: run_id, series name, step, value. */
static sim_status cube_row(sqlite3_stmt *s, void *vctx, sim_err *err) {
    cube *c = vctx;
    size_t r = run_index(c, sqlite3_column_int64(s, 0));
    size_t k = name_index(c, (const char *)sqlite3_column_text(s, 1));
    sqlite3_int64 step = sqlite3_column_int64(s, 2);
    if (r == c->nrun || k == c->nseries || step < 1 || step > 10000000) return SIM_OK;
    sim_status st = cube_grow(c, (size_t)step, err);
    if (st == SIM_OK) c->v[(k * c->nrun + r) * c->steps + (size_t)step - 1] =
        sqlite3_column_double(s, 3);
    return st;
}

static double *cube_at(const cube *c, size_t k, size_t r) {
    return c->v + (k * c->nrun + r) * c->steps;
}

/* Last step with a finite value in any series of any run for which use(r) holds. */
static size_t last_step(const cube *c, const fig_groups_t *g, size_t grp) {
    size_t last = 0;
    for (size_t k = 0; k < c->nseries; k++)
        for (size_t r = 0; r < c->nrun; r++)
            for (size_t t = 0; (!g || g->grp[r] == grp) && t < c->steps; t++)
                if (isfinite(cube_at(c, k, r)[t]) && t + 1 > last) last = t + 1;
    return last;
}

/* ---- timeseries ---- */

static const char *const TS_NAMES[2] = {"listed.black", "wrongly_listed.black"};
static const char *const TS_LABELS[2] = {"Blacklisted", "Wrongly blacklisted"};

/* One metric of one group: the single line, or band and mean line. */
static sim_status ts_series(plot_panel *p, const cube *c, const fig_groups_t *g, size_t grp,
                            size_t k, size_t n, double *buf, sim_err *err) {
    double *x = buf, *m = buf + n, *lo = buf + 2 * n, *hi = buf + 3 * n, v[256];
    for (size_t t = 0; t < n; t++) {
        size_t nv = 0;
        for (size_t r = 0; r < c->nrun && nv < 256; r++)
            if (g->grp[r] == grp) v[nv++] = cube_at(c, k, r)[t];
        x[t] = (double)(t + 1);
        fig_mean_ci(v, nv, &m[t], &lo[t], &hi[t]);
    }
    sim_status st = SIM_OK;
    if (g->count[grp] > 1) st = plot_band(p, NULL, x, lo, hi, n, err);
    if (st == SIM_OK) st = plot_line(p, TS_LABELS[k], x, m, n, err);
    return st;
}

static sim_status ts_panel(plot_panel *p, const cube *c, const fig_groups_t *g, size_t grp,
                           int show_n, sim_err *err) {
    size_t n = last_step(c, g, grp);
    char title[FIG_TITLE_MAX + 48];
    if (show_n && g->count[grp] > 1)
        snprintf(title, sizeof title, "%s (n = %zu)", g->title[grp], g->count[grp]);
    else
        snprintf(title, sizeof title, "%s", g->title[grp]);
    plot_set_title(p, title);
    plot_set_label(p, PLOT_X, "Step (month)");
    plot_set_label(p, PLOT_Y, "Blacklisted agents");
    plot_set_limits(p, PLOT_Y, 0, NAN);
    if (n == 0) return SIM_OK;
    double *buf = malloc(4 * n * sizeof *buf);
    if (!buf) return err_set(err, SIM_ENOMEM, "out of memory");
    sim_status st = SIM_OK;
    for (size_t k = 0; k < 2 && st == SIM_OK; k++) st = ts_series(p, c, g, grp, k, n, buf, err);
    free(buf);
    return st;
}

static sim_status ts_build(fig_result *out, const fig_sel *sel, const cube *c,
                           const fig_groups_t *g, sim_err *err) {
    size_t np = g->ngrp < FIG_MAX_PANELS ? g->ngrp : FIG_MAX_PANELS;
    int cols;
    sim_status st = fig_new_grid(&out->fig, sel, np, &cols, err);
    if (st != SIM_OK) return st;
    size_t kmin = g->count[0], kmax = g->count[0];
    for (size_t i = 1; i < np; i++) {
        if (g->count[i] < kmin) kmin = g->count[i];
        if (g->count[i] > kmax) kmax = g->count[i];
    }
    char title[FIG_TITLE_MAX];
    if (kmax > 1 && kmin == kmax)
        snprintf(title, sizeof title, "Blacklisted and wrongly blacklisted agents (mean and "
                 "95%% CI of %zu runs each)", kmax);
    else
        snprintf(title, sizeof title, "Blacklisted and wrongly blacklisted agents%s",
                 kmax > 1 ? " (mean and 95% CI of n runs)" : "");
    plot_fig_set_title(out->fig, title);
    for (size_t i = 0; i < np && st == SIM_OK; i++) {
        plot_panel *p = fig_panel(out->fig, cols, i);
        if (i > 0) plot_set_legend(p, PLOT_LEGEND_NONE);
        st = ts_panel(p, c, g, i, kmin != kmax, err);
    }
    fig_note(out, "%zu panel(s) of %zu run group(s) from %zu run(s), up to step %zu%s", np,
             g->ngrp, g->nrun, last_step(c, NULL, 0),
             g->ngrp > np ? "; more groups than panels, the first 6 drawn" : "");
    return st;
}

sim_status fig_timeseries(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    fig_groups_t g = {0};
    cube c = {.nseries = 2, .names = TS_NAMES};
    char *ids = fig_idlist(sel), *q = NULL;
    sim_status st = ids ? fig_groups_load(db, sel, out, &g, err)
                        : err_set(err, SIM_ENOMEM, "out of memory");
    if (st != SIM_OK) goto done;
    c.nrun = g.nrun;
    c.g = &g;
    q = sqlite3_mprintf("SELECT run_id, name, step, value FROM metrics WHERE run_id IN (%s) "
                        "AND grp = 'all' AND name IN ('listed.black', 'wrongly_listed.black') "
                        "ORDER BY run_id, name, step", ids);
    if (!q) { st = err_set(err, SIM_ENOMEM, "out of memory"); goto done; }
    if ((st = fig_query(db, out, "blacklisted and wrongly blacklisted agents per step", q,
                        cube_row, &c, err)) != SIM_OK)
        goto done;
    if (last_step(&c, NULL, 0) == 0)
        fig_note(out, "no listed.black rows for the selected runs");
    else
        st = ts_build(out, sel, &c, &g, err);
done:
    sqlite3_free(q);
    free(ids);
    free(c.v);
    fig_groups_free(&g);
    return st;
}

/* ---- causes ---- */

enum { NCAUSE = 5 };
static const char *const CAUSE_GRP[NCAUSE] = {"cause:own_record", "cause:false_record",
                                              "cause:misattribution", "cause:spillover",
                                              "cause:seed"};
static const char *const CAUSE_LABEL[NCAUSE] = {"Own record", "False record",
                                                "Misattribution", "Spillover", "Seed"};

/* "scenario (run N)" for a panel title; "run N" when the run has no scenario name. */
static void run_title(sqlite3 *db, int64_t id, char *buf, size_t n) {
    sqlite3_stmt *q = NULL;
    snprintf(buf, n, "run %lld", (long long)id);
    if (sqlite3_prepare_v2(db, "SELECT scenario_name FROM runs WHERE run_id = ?", -1, &q,
                           NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int64(q, 1, id);
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        snprintf(buf, n, "%s (run %lld)", (const char *)sqlite3_column_text(q, 0),
                 (long long)id);
    sqlite3_finalize(q);
}

static sim_status causes_panel(plot_panel *p, const cube *c, size_t r, const char *name,
                               sim_err *err) {
    char title[160];
    if (c->nrun == 1) snprintf(title, sizeof title, "New blacklistings by cause, %s", name);
    else snprintf(title, sizeof title, "%s", name);
    plot_set_title(p, title);
    plot_set_label(p, PLOT_X, "Step (month)");
    plot_set_label(p, PLOT_Y, "Newly blacklisted agents");
    plot_set_limits(p, PLOT_Y, 0, NAN);
    size_t n = 0;
    for (size_t k = 0; k < NCAUSE; k++)
        for (size_t t = 0; t < c->steps; t++)
            if (isfinite(cube_at(c, k, r)[t]) && t + 1 > n) n = t + 1;
    if (n == 0) return SIM_OK;
    double *x = malloc(n * sizeof *x), *y = malloc(NCAUSE * n * sizeof *y);
    sim_status st = x && y ? SIM_OK : err_set(err, SIM_ENOMEM, "out of memory");
    for (size_t t = 0; st == SIM_OK && t < n; t++) {
        x[t] = (double)(t + 1);
        for (size_t k = 0; k < NCAUSE; k++) {
            double v = cube_at(c, k, r)[t];
            y[k * n + t] = isfinite(v) ? v : 0.0;   /* a missing cause row counts as none */
        }
    }
    if (st == SIM_OK) st = plot_stack(p, (const char *const *)CAUSE_LABEL, x, y, NCAUSE, n, err);
    free(x);
    free(y);
    return st;
}

/* Row: run_id, scenario_name; remembers the panel titles' scenario names. */
sim_status fig_causes(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    fig_sel first = *sel;
    if (first.nruns > FIG_MAX_PANELS) first.nruns = FIG_MAX_PANELS;
    cube c = {.nseries = NCAUSE, .nrun = first.nruns, .ids = sel->run_ids, .names = CAUSE_GRP};
    char *ids = fig_idlist(&first), *q = NULL;
    sim_status st = ids ? SIM_OK : err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK)
        q = sqlite3_mprintf("SELECT run_id, grp, step, value FROM metrics WHERE run_id IN "
                            "(%s) AND name = 'new_listed.black' AND grp LIKE 'cause:%%' "
                            "ORDER BY run_id, grp, step", ids);
    if (st == SIM_OK && !q) st = err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK)
        st = fig_query(db, out, "new blacklistings per step by cause", q, cube_row, &c, err);
    int cols = 1;
    if (st == SIM_OK && last_step(&c, NULL, 0) == 0)
        fig_note(out, "no new_listed.black rows by cause for the selected runs");
    else if (st == SIM_OK && (st = fig_new_grid(&out->fig, sel, c.nrun, &cols, err)) == SIM_OK) {
        if (c.nrun > 1) plot_fig_set_title(out->fig, "New blacklistings by cause");
        for (size_t r = 0; r < c.nrun && st == SIM_OK; r++) {
            plot_panel *p = fig_panel(out->fig, cols, r);
            if (r > 0) plot_set_legend(p, PLOT_LEGEND_NONE);
            char name[128];
            run_title(db, c.ids[r], name, sizeof name);
            st = causes_panel(p, &c, r, name, err);
        }
        fig_note(out, "%zu run(s), up to step %zu", c.nrun, last_step(&c, NULL, 0));
    }
    sqlite3_free(q);
    free(ids);
    free(c.v);
    return st;
}
