/* plots/fig_series.c - figures over steps, one panel per run group: timeseries (lists over
 * time) and harm (harm of the sanctions in force), each a mean with a 95% band over
 * replicates; causes (new blacklistings by cause, stacked, mean over replicates). */
#include "fig_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* values[(series * nrun + run) * steps + step - 1], NaN where the database has no row. */
typedef struct cube {
    size_t nseries, nrun, steps;
    double *v;
    const fig_groups_t *g;    /* the runs, by id */
    const char *const *names; /* series names, matched against column 1 */
} cube;

static size_t name_index(const cube *c, const char *name) {
    size_t i = 0;
    while (i < c->nseries && strcmp(c->names[i], name ? name : "") != 0) i++;
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
    size_t r = fig_run_index(c->g, sqlite3_column_int64(s, 0));
    size_t k = name_index(c, (const char *)sqlite3_column_text(s, 1));
    sqlite3_int64 step = sqlite3_column_int64(s, 2);
    if (r == c->nrun || k == c->nseries) return SIM_OK;
    if (step < 1 || step > FIG_STEP_MAX)
        return err_set(err, SIM_EDB, "run %lld has a metrics row at step %lld, outside 1 .. %d "
                       "(run.steps): the database is damaged or was edited",
                       (long long)sqlite3_column_int64(s, 0), (long long)step, FIG_STEP_MAX);
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

/* ---- timeseries and harm ---- */

/* A figure of lines over steps, one panel per run group. */
typedef struct ts_spec {
    size_t nseries;
    const char *const *names;     /* matched against column 1 of the query */
    const char *const *labels;
    const char *what, *sql_fmt;   /* the query, %s: the run ids */
    const char *title, *ylabel, *empty;
} ts_spec;

static const char *const TS_NAMES[2] = {"listed.black", "wrongly_listed.black"};
static const char *const TS_LABELS[2] = {"Blacklisted", "Wrongly blacklisted"};
static const ts_spec TS_LISTS = {
    2, TS_NAMES, TS_LABELS, "blacklisted and wrongly blacklisted agents per step",
    "SELECT run_id, name, step, value FROM metrics WHERE run_id IN (%s) AND grp = 'all' AND "
    "name IN ('listed.black', 'wrongly_listed.black') ORDER BY run_id, name, step",
    "Blacklisted and wrongly blacklisted agents", "Blacklisted agents",
    "no listed.black rows for the selected runs"};

static const char *const HARM_GRPS[3] = {"all", "innocent", "reached"};
static const char *const HARM_LABELS[3] = {"All agents", "Innocent agents",
                                           "Via others' listings"};
static const ts_spec TS_HARM = {
    3, HARM_GRPS, HARM_LABELS, "harm per step: all, to innocents, reached via others",
    "SELECT run_id, grp, step, value FROM metrics WHERE run_id IN (%s) AND name = 'harm' AND "
    "grp IN ('all', 'innocent', 'reached') ORDER BY run_id, grp, step",
    "Harm of sanctions in force", "Harm per month (units)",
    "no harm rows for the selected runs (no sanction catalogue, or an older database)"};

/* One metric of one group: the single line, or band and mean line. */
static sim_status ts_series(plot_panel *p, const ts_spec *sp, const cube *c,
                            const fig_groups_t *g, size_t grp, size_t k, size_t n, double *buf,
                            sim_err *err) {
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
    if (st == SIM_OK) st = plot_line(p, sp->labels[k], x, m, n, err);
    return st;
}

static sim_status ts_panel(plot_panel *p, const ts_spec *sp, const cube *c,
                           const fig_groups_t *g, size_t grp, int show_n, sim_err *err) {
    size_t n = last_step(c, g, grp);
    char title[FIG_TITLE_MAX + 48];
    if (show_n && g->count[grp] > 1)
        snprintf(title, sizeof title, "%s (n = %zu)", g->title[grp], g->count[grp]);
    else
        snprintf(title, sizeof title, "%s", g->title[grp]);
    plot_set_title(p, title);
    plot_set_label(p, PLOT_X, "Step (month)");
    plot_set_label(p, PLOT_Y, sp->ylabel);
    plot_set_limits(p, PLOT_Y, 0, NAN);
    if (n == 0) return SIM_OK;
    double *buf = malloc(4 * n * sizeof *buf);
    if (!buf) return err_set(err, SIM_ENOMEM, "out of memory");
    sim_status st = SIM_OK;
    for (size_t k = 0; k < sp->nseries && st == SIM_OK; k++)
        st = ts_series(p, sp, c, g, grp, k, n, buf, err);
    free(buf);
    return st;
}

/* The first FIG_MAX_PANELS run groups with data, into sel; returns how many. */
static size_t groups_with_data(const cube *c, const fig_groups_t *g, size_t *sel) {
    size_t n = 0;
    for (size_t k = 0; k < g->ngrp && n < FIG_MAX_PANELS; k++)
        if (last_step(c, g, k) > 0) sel[n++] = k;
    return n;
}

/* Names in the note the run groups without a panel: without rows, or beyond the first 6
 * with rows. */
static void note_left_out(fig_result *out, const cube *c, const fig_groups_t *g) {
    unsigned char *state = calloc(g->ngrp ? g->ngrp : 1, 1);
    if (!state) return;   /* out of memory: the note only lacks the list */
    size_t with = 0;
    for (size_t k = 0; k < g->ngrp; k++)
        state[k] = last_step(c, g, k) == 0 ? FIG_NODATA
                 : with++ < FIG_MAX_PANELS ? FIG_DRAWN : FIG_BEYOND;
    fig_note_left_out(out, g, state, FIG_MAX_PANELS);
    free(state);
}

static sim_status ts_build(fig_result *out, const fig_sel *sel, const ts_spec *sp,
                           const cube *c, const fig_groups_t *g, sim_err *err) {
    size_t pick[FIG_MAX_PANELS], np = groups_with_data(c, g, pick);
    int cols;
    sim_status st = fig_new_grid(&out->fig, sel, np, &cols, err);
    if (st != SIM_OK) return st;
    size_t kmin = SIZE_MAX, kmax = 0, with = 0;
    for (size_t i = 0; i < np; i++) {
        if (g->count[pick[i]] < kmin) kmin = g->count[pick[i]];
        if (g->count[pick[i]] > kmax) kmax = g->count[pick[i]];
    }
    for (size_t k = 0; k < g->ngrp; k++) with += last_step(c, g, k) > 0;
    char title[FIG_TITLE_MAX];
    if (kmax > 1 && kmin == kmax)
        snprintf(title, sizeof title, "%s (mean and 95%% CI of %zu runs each)", sp->title, kmax);
    else
        snprintf(title, sizeof title, "%s%s", sp->title,
                 kmax > 1 ? " (mean and 95% CI of n runs)" : "");
    plot_fig_set_title(out->fig, title);
    plot_fig_share_y(out->fig, !sel->free_y);   /* panels compare scenarios: one scale */
    for (size_t i = 0; i < np && st == SIM_OK; i++) {
        plot_panel *p = fig_panel(out->fig, cols, i);
        if (np > 1) plot_set_legend(p, i == 0 ? PLOT_LEGEND_FIGURE : PLOT_LEGEND_NONE);
        st = ts_panel(p, sp, c, g, pick[i], kmin != kmax, err);
    }
    fig_note(out, "%zu panel(s) of %zu run group(s) with data from %zu run(s), up to step %zu%s",
             np, with, g->nrun, last_step(c, NULL, 0),
             np > 1 ? (sel->free_y ? ", each panel its own y scale" : ", one y scale") : "");
    note_left_out(out, c, g);
    return st;
}

static sim_status ts_figure(sqlite3 *db, const fig_sel *sel, const ts_spec *sp,
                            fig_result *out, sim_err *err) {
    fig_groups_t g = {0};
    cube c = {.nseries = sp->nseries, .names = sp->names};
    char *ids = fig_idlist(sel), *q = NULL;
    sim_status st = ids ? fig_groups_load(db, sel, out, &g, err)
                        : err_set(err, SIM_ENOMEM, "out of memory");
    if (st != SIM_OK) goto done;
    c.nrun = g.nrun;
    c.g = &g;
    q = sqlite3_mprintf(sp->sql_fmt, ids);
    if (!q) { st = err_set(err, SIM_ENOMEM, "out of memory"); goto done; }
    if ((st = fig_query(db, out, sp->what, q, cube_row, &c, err)) != SIM_OK) goto done;
    if (last_step(&c, NULL, 0) == 0)
        fig_note(out, "%s", sp->empty);
    else
        st = ts_build(out, sel, sp, &c, &g, err);
done:
    sqlite3_free(q);
    free(ids);
    free(c.v);
    fig_groups_free(&g);
    return st;
}

sim_status fig_timeseries(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    return ts_figure(db, sel, &TS_LISTS, out, err);
}

sim_status fig_harm(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    return ts_figure(db, sel, &TS_HARM, out, err);
}

/* ---- causes ---- */

enum { NCAUSE = 5 };
static const char *const CAUSE_GRP[NCAUSE] = {"cause:own_record", "cause:false_record",
                                              "cause:misattribution", "cause:spillover",
                                              "cause:seed"};
static const char *const CAUSE_LABEL[NCAUSE] = {"Own record", "False record",
                                                "Misattribution", "Spillover", "Seed"};

static sim_status causes_panel(plot_panel *p, const cube *c, const fig_groups_t *g,
                               size_t grp, sim_err *err) {
    char title[FIG_TITLE_MAX + 48];
    if (g->count[grp] > 1)
        snprintf(title, sizeof title, "%s (mean of %zu runs)", g->title[grp], g->count[grp]);
    else if (g->ngrp == 1)
        snprintf(title, sizeof title, "New blacklistings by cause, %s", g->title[grp]);
    else
        snprintf(title, sizeof title, "%s", g->title[grp]);
    plot_set_title(p, title);
    plot_set_label(p, PLOT_X, "Step (month)");
    plot_set_label(p, PLOT_Y, "Newly blacklisted agents");
    plot_set_limits(p, PLOT_Y, 0, NAN);
    size_t n = last_step(c, g, grp);
    if (n == 0) return SIM_OK;
    double *x = malloc(n * sizeof *x), *y = calloc(NCAUSE * n, sizeof *y);
    sim_status st = x && y ? SIM_OK : err_set(err, SIM_ENOMEM, "out of memory");
    for (size_t t = 0; st == SIM_OK && t < n; t++) {
        x[t] = (double)(t + 1);
        for (size_t k = 0; k < NCAUSE; k++)
            for (size_t r = 0; r < c->nrun; r++) {
                double v = cube_at(c, k, r)[t];
                if (g->grp[r] == grp && isfinite(v))   /* a missing cause row counts as none */
                    y[k * n + t] += v / (double)g->count[grp];
            }
    }
    if (st == SIM_OK) st = plot_stack(p, (const char *const *)CAUSE_LABEL, x, y, NCAUSE, n, err);
    free(x);
    free(y);
    return st;
}

sim_status fig_causes(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    fig_groups_t g = {0};
    cube c = {.nseries = NCAUSE, .names = CAUSE_GRP};
    char *ids = fig_idlist(sel), *q = NULL;
    sim_status st = ids ? fig_groups_load(db, sel, out, &g, err)
                        : err_set(err, SIM_ENOMEM, "out of memory");
    c.nrun = g.nrun;
    c.g = &g;
    if (st == SIM_OK)
        q = sqlite3_mprintf("SELECT run_id, grp, step, value FROM metrics WHERE run_id IN "
                            "(%s) AND name = 'new_listed.black' AND grp LIKE 'cause:%%' "
                            "ORDER BY run_id, grp, step", ids);
    if (st == SIM_OK && !q) st = err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK)
        st = fig_query(db, out, "new blacklistings per step by cause", q, cube_row, &c, err);
    size_t pick[FIG_MAX_PANELS], np = groups_with_data(&c, &g, pick);
    int cols = 1;
    if (st == SIM_OK && np == 0)
        fig_note(out, "no new_listed.black rows by cause for the selected runs");
    else if (st == SIM_OK && (st = fig_new_grid(&out->fig, sel, np, &cols, err)) == SIM_OK) {
        if (np > 1) plot_fig_set_title(out->fig, "New blacklistings by cause");
        plot_fig_share_y(out->fig, !sel->free_y);   /* panels compare scenarios: one scale */
        for (size_t i = 0; i < np && st == SIM_OK; i++) {
            plot_panel *p = fig_panel(out->fig, cols, i);
            if (np > 1) plot_set_legend(p, i == 0 ? PLOT_LEGEND_FIGURE : PLOT_LEGEND_NONE);
            st = causes_panel(p, &c, &g, pick[i], err);
        }
        fig_note(out, "%zu panel(s) of %zu run group(s) from %zu run(s), up to step %zu%s",
                 np, g.ngrp, g.nrun, last_step(&c, NULL, 0),
                 np > 1 ? (sel->free_y ? ", each panel its own y scale" : ", one y scale") : "");
        note_left_out(out, &c, &g);
    }
    sqlite3_free(q);
    free(ids);
    free(c.v);
    fig_groups_free(&g);
    return st;
}

/* ---- records held over time, by agency ---- */

enum { REC_AGENCIES = 8 };   /* agencies stacked (category colours); more are named in the note */

typedef struct rec_names {
    size_t n, more;
    char grp[REC_AGENCIES][64];     /* "agency:A" */
    char label[REC_AGENCIES][64];   /* "A" */
} rec_names;

static sim_status rec_name_row(sqlite3_stmt *s, void *vctx, sim_err *err) {
    (void)err;
    rec_names *a = vctx;
    const char *grp = (const char *)sqlite3_column_text(s, 0);
    if (!grp) return SIM_OK;
    if (a->n == REC_AGENCIES) { a->more++; return SIM_OK; }
    snprintf(a->grp[a->n], sizeof a->grp[0], "%s", grp);
    snprintf(a->label[a->n], sizeof a->label[0], "%s", grp + strlen("agency:"));
    a->n++;
    return SIM_OK;
}

/* One panel: the mean over the group's runs of records_held agency:A per step, stacked. */
static sim_status records_panel(plot_panel *p, const cube *c, const fig_groups_t *g,
                                const char *const *labels, size_t grp, sim_err *err) {
    char title[FIG_TITLE_MAX + 48];
    snprintf(title, sizeof title, g->count[grp] > 1 ? "%s (mean of %zu runs)" : "%s",
             g->title[grp], g->count[grp]);
    plot_set_title(p, title);
    plot_set_label(p, PLOT_X, "Step (month)");
    plot_set_label(p, PLOT_Y, "Records held per person");
    plot_set_limits(p, PLOT_Y, 0, NAN);
    size_t n = last_step(c, g, grp), na = c->nseries;
    double *x = malloc(n * sizeof *x), *y = calloc(na * n, sizeof *y);
    sim_status st = x && y ? SIM_OK : err_set(err, SIM_ENOMEM, "out of memory");
    for (size_t t = 0; st == SIM_OK && t < n; t++) {
        x[t] = (double)(t + 1);
        for (size_t k = 0; k < na; k++)
            for (size_t r = 0; r < c->nrun; r++) {
                double v = cube_at(c, k, r)[t];
                if (g->grp[r] == grp && isfinite(v)) y[k * n + t] += v / (double)g->count[grp];
            }
    }
    if (st == SIM_OK) st = plot_stack(p, labels, x, y, na, n, err);
    free(x);
    free(y);
    return st;
}

static sim_status records_build(fig_result *out, const fig_sel *sel, const cube *c,
                                const fig_groups_t *g, const rec_names *a, sim_err *err) {
    size_t pick[FIG_MAX_PANELS], np = groups_with_data(c, g, pick);
    const char *labels[REC_AGENCIES];
    for (size_t k = 0; k < a->n; k++) labels[k] = a->label[k];
    int cols;
    sim_status st = fig_new_grid(&out->fig, sel, np, &cols, err);
    if (st != SIM_OK) return st;
    plot_fig_set_title(out->fig, "Records held per person, by agency");
    plot_fig_share_y(out->fig, !sel->free_y);   /* panels compare scenarios: one scale */
    for (size_t i = 0; i < np && st == SIM_OK; i++) {
        plot_panel *p = fig_panel(out->fig, cols, i);
        plot_set_legend(p, np > 1 ? (i == 0 ? PLOT_LEGEND_FIGURE : PLOT_LEGEND_NONE)
                                  : PLOT_LEGEND_AUTO);
        st = records_panel(p, c, g, labels, pick[i], err);
    }
    fig_note(out, "%zu panel(s) of %zu run group(s) from %zu run(s), up to step %zu%s", np,
             g->ngrp, g->nrun, last_step(c, NULL, 0),
             np > 1 ? (sel->free_y ? ", each panel its own y scale" : ", one y scale") : "");
    if (a->more)
        fig_note_add(out, "; %zu agencies beyond the first %d (by name) not stacked", a->more,
                     REC_AGENCIES);
    note_left_out(out, c, g);
    return st;
}

sim_status fig_records(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    fig_groups_t g = {0};
    rec_names a = {0};
    const char *names[REC_AGENCIES];
    cube c = {.names = names};
    char *ids = fig_idlist(sel), *q1 = NULL, *q2 = NULL;
    sim_status st = ids ? fig_groups_load(db, sel, out, &g, err)
                        : err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK) {
        q1 = sqlite3_mprintf("SELECT DISTINCT grp FROM metrics WHERE run_id IN (%s) AND name = "
                             "'records_held' AND grp LIKE 'agency:%%' ORDER BY grp", ids);
        q2 = sqlite3_mprintf("SELECT run_id, grp, step, value FROM metrics WHERE run_id IN (%s) "
                             "AND name = 'records_held' AND grp LIKE 'agency:%%' ORDER BY "
                             "run_id, grp, step", ids);
        if (!q1 || !q2) st = err_set(err, SIM_ENOMEM, "out of memory");
    }
    if (st == SIM_OK) st = fig_query(db, out, "agencies holding records", q1, rec_name_row, &a, err);
    for (size_t k = 0; k < a.n; k++) names[k] = a.grp[k];
    c.nseries = a.n, c.nrun = g.nrun, c.g = &g;
    if (st == SIM_OK && a.n)
        st = fig_query(db, out, "records held per person per step, by agency", q2, cube_row, &c,
                       err);
    if (st == SIM_OK && (a.n == 0 || last_step(&c, NULL, 0) == 0))
        fig_note(out, "no records_held rows by agency for the selected runs (no [collect.*] "
                 "source, or an older database)");
    else if (st == SIM_OK)
        st = records_build(out, sel, &c, &g, &a, err);
    sqlite3_free(q1);
    sqlite3_free(q2);
    free(ids);
    free(c.v);
    fig_groups_free(&g);
    return st;
}
