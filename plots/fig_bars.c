/* plots/fig_bars.c - bar figures: groups (lists at the last step by agent group) and
 * sensitivity (Sobol or Morris measures per parameter). */
#include "fig_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vec.h"

enum { AGRP_MAX = 16, NAME_MAX_ = 64 };

/* ---- groups ---- */

typedef struct lastvals {
    const fig_groups_t *g;
    size_t nag;                       /* agent groups seen */
    char ag[AGRP_MAX][NAME_MAX_];     /* "group:0", ..., "firms" */
    double *v;                        /* [(metric * AGRP_MAX + ag) * nrun + run] */
} lastvals;

static size_t agent_group(lastvals *c, const char *grp) {
    size_t i = 0;
    while (i < c->nag && strcmp(c->ag[i], grp) != 0) i++;
    if (i == c->nag && c->nag < AGRP_MAX) snprintf(c->ag[c->nag++], NAME_MAX_, "%s", grp);
    return i;
}

/* Row: run_id, name, grp, value. */
static sim_status last_row(sqlite3_stmt *s, void *vctx, sim_err *err) {
    lastvals *c = vctx;
    (void)err;
    size_t r = fig_run_index(c->g, sqlite3_column_int64(s, 0));
    const char *name = (const char *)sqlite3_column_text(s, 1);
    const char *grp = (const char *)sqlite3_column_text(s, 2);
    size_t m = name && strcmp(name, "listed.black") == 0 ? 0 : 1;
    size_t a = agent_group(c, grp ? grp : "");
    if (r < c->g->nrun && a < AGRP_MAX)
        c->v[(m * AGRP_MAX + a) * c->g->nrun + r] = sqlite3_column_double(s, 3);
    return SIM_OK;
}

static void bar_label(const char *grp, char *dst, size_t cap) {
    if (strncmp(grp, "group:", 6) == 0) snprintf(dst, cap, "Group %s", grp + 6);
    else if (strcmp(grp, "firms") == 0) snprintf(dst, cap, "Firms");
    else snprintf(dst, cap, "%s", grp);
}

/* One agent group's bars in panel m: mean over each run group's runs, 95% t error bars. */
static sim_status groups_series(plot_panel *p, const lastvals *c, size_t m, size_t a,
                                double *buf, sim_err *err) {
    const fig_groups_t *g = c->g;
    size_t ng = g->ngrp;
    double *x = buf, *y = buf + ng, *lo = buf + 2 * ng, *hi = buf + 3 * ng, *v = buf + 4 * ng;
    int any_rep = 0;
    for (size_t k = 0; k < ng; k++) {
        size_t nv = 0;
        for (size_t r = 0; r < g->nrun; r++)
            if (g->grp[r] == k) v[nv++] = c->v[(m * AGRP_MAX + a) * g->nrun + r];
        x[k] = (double)k;
        fig_mean_ci(v, nv, &y[k], &lo[k], &hi[k]);
        if (lo[k] < 0) lo[k] = 0;   /* counts: the interval stops at zero */
        if (g->count[k] < 2) lo[k] = hi[k] = NAN;   /* one run: no interval */
        any_rep |= g->count[k] > 1;
    }
    char label[NAME_MAX_];
    bar_label(c->ag[a], label, sizeof label);
    return plot_bars(p, label, x, y, any_rep ? lo : NULL, any_rep ? hi : NULL, ng, err);
}

static sim_status groups_build(fig_result *out, const fig_sel *sel, const lastvals *c,
                               sim_err *err) {
    static const char *const TITLE[2] = {"Blacklisted at the last step",
                                         "Wrongly blacklisted at the last step"};
    const fig_groups_t *g = c->g;
    int cols = 2;
    /* wider than a slide by default: the run groups' names side by side under each panel */
    sim_status st = sel->size == FIG_SIZE_AUTO ? plot_fig_new_in(&out->fig, 15, 6, 1, 2, err)
                                               : fig_new_grid(&out->fig, sel, 2, &cols, err);
    double *buf = malloc((4 * g->ngrp + g->nrun) * sizeof *buf);
    if (st == SIM_OK && !buf) st = err_set(err, SIM_ENOMEM, "out of memory");
    char title[128], suffix[64];
    fig_ci_suffix(g, g->ngrp, suffix, sizeof suffix);
    snprintf(title, sizeof title, "Agents on the blacklist by group%s", suffix);
    if (st == SIM_OK) plot_fig_set_title(out->fig, title);
    for (size_t m = 0; m < 2 && st == SIM_OK; m++) {
        plot_panel *p = plot_fig_panel(out->fig, 0, (int)m);
        plot_set_title(p, TITLE[m]);
        plot_set_label(p, PLOT_X, "Run group (replicates pooled)");
        plot_set_label(p, PLOT_Y, "Agents");
        plot_set_limits(p, PLOT_Y, 0, NAN);
        plot_set_legend(p, m == 0 ? PLOT_LEGEND_FIGURE : PLOT_LEGEND_NONE);
        for (size_t a = 0; a < c->nag && st == SIM_OK; a++)
            st = groups_series(p, c, m, a, buf, err);
        if (st == SIM_OK) st = fig_group_ticks(p, g, g->ngrp, err);
    }
    fig_note(out, "%zu agent group(s) x %zu run group(s)", c->nag, g->ngrp);
    free(buf);
    return st;
}

sim_status fig_groups(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    fig_groups_t g = {0};
    lastvals c = {.g = &g};
    char *ids = fig_idlist(sel), *q = NULL;
    sim_status st = ids ? fig_groups_load(db, sel, out, &g, err)
                        : err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK && !(c.v = malloc(2 * AGRP_MAX * g.nrun * sizeof *c.v)))
        st = err_set(err, SIM_ENOMEM, "out of memory");
    for (size_t i = 0; st == SIM_OK && i < 2 * AGRP_MAX * g.nrun; i++) c.v[i] = NAN;
    if (st == SIM_OK)
        q = sqlite3_mprintf(
            "SELECT m.run_id, m.name, m.grp, m.value FROM metrics m WHERE m.run_id IN (%s) "
            "AND m.name IN ('listed.black', 'wrongly_listed.black') AND (m.grp LIKE "
            "'group:%%' OR m.grp = 'firms') AND m.step = (SELECT max(x.step) FROM metrics x "
            "WHERE x.run_id = m.run_id AND x.name = 'listed.black' AND x.grp = 'all') "
            "ORDER BY m.grp = 'firms', length(m.grp), m.grp, m.run_id, m.name", ids);
    if (st == SIM_OK && !q) st = err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK)
        st = fig_query(db, out, "blacklisted agents at each run's last step, by agent group",
                       q, last_row, &c, err);
    if (st == SIM_OK && c.nag == 0)
        fig_note(out, "no listed.black rows by group (group:G, firms) for the selected runs");
    else if (st == SIM_OK)
        st = groups_build(out, sel, &c, err);
    sqlite3_free(q);
    free(ids);
    free(c.v);
    fig_groups_free(&g);
    return st;
}

/* ---- sensitivity ---- */

typedef struct sens_row {
    size_t panel;
    char param[FIG_KEY_MAX], measure[16];
    double value, lo, hi;
} sens_row;

typedef struct sens {
    sens_row *row;
    size_t n, npanel;
    uint64_t cap;
    char title[FIG_MAX_PANELS][FIG_TITLE_MAX];
    char key[FIG_MAX_PANELS][FIG_TITLE_MAX];
    size_t more;                      /* rows of panels beyond FIG_MAX_PANELS */
} sens;

static double col_or_nan(sqlite3_stmt *s, int i) {
    return sqlite3_column_type(s, i) == SQLITE_NULL ? NAN : sqlite3_column_double(s, i);
}

/* Row: sweep_id, sweep name, metric, grp, parameter, measure, value, lo, hi. */
static sim_status sens_row_fn(sqlite3_stmt *s, void *vctx, sim_err *err) {
    sens *c = vctx;
    char key[FIG_TITLE_MAX];
    const char *sw = (const char *)sqlite3_column_text(s, 1);
    const char *metric = (const char *)sqlite3_column_text(s, 2);
    const char *grp = (const char *)sqlite3_column_text(s, 3);
    snprintf(key, sizeof key, "%lld|%s|%s", (long long)sqlite3_column_int64(s, 0),
             metric ? metric : "", grp ? grp : "");
    size_t p = 0;
    while (p < c->npanel && strcmp(c->key[p], key) != 0) p++;
    if (p == FIG_MAX_PANELS) { c->more++; return SIM_OK; }
    if (p == c->npanel) {
        snprintf(c->key[p], FIG_TITLE_MAX, "%s", key);
        snprintf(c->title[p], FIG_TITLE_MAX, "%s: %s (%s)", sw ? sw : "?", metric ? metric : "?",
                 grp ? grp : "?");
        c->npanel++;
    }
    if (!vec_reserve((void **)&c->row, &c->cap, c->n + 1, sizeof *c->row))
        return err_set(err, SIM_ENOMEM, "out of memory");
    sens_row *r = &c->row[c->n++];
    r->panel = p;
    snprintf(r->param, sizeof r->param, "%s", (const char *)sqlite3_column_text(s, 4));
    snprintf(r->measure, sizeof r->measure, "%s", (const char *)sqlite3_column_text(s, 5));
    r->value = col_or_nan(s, 6);
    r->lo = col_or_nan(s, 7);
    r->hi = col_or_nan(s, 8);
    return SIM_OK;
}

/* Parameters of panel p in order of appearance (at most AXIS_MAX_TICKS). */
static size_t sens_params(const sens *c, size_t p, const char *par[AXIS_MAX_TICKS]) {
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->row[i].panel != p) continue;
        size_t j = 0;
        while (j < k && strcmp(par[j], c->row[i].param) != 0) j++;
        if (j == k && k < AXIS_MAX_TICKS) par[k++] = c->row[i].param;
    }
    return k;
}

static sim_status sens_series(plot_panel *p, const sens *c, size_t panel, const char *measure,
                              const char *label, const char *const *par, size_t k,
                              sim_err *err) {
    double x[AXIS_MAX_TICKS], y[AXIS_MAX_TICKS], lo[AXIS_MAX_TICKS], hi[AXIS_MAX_TICKS];
    int any_ci = 0;
    for (size_t j = 0; j < k; j++) {
        x[j] = (double)j;
        y[j] = lo[j] = hi[j] = NAN;
        for (size_t i = 0; i < c->n; i++) {
            const sens_row *r = &c->row[i];
            if (r->panel != panel || strcmp(r->param, par[j]) || strcmp(r->measure, measure))
                continue;
            y[j] = r->value; lo[j] = r->lo; hi[j] = r->hi;
            any_ci |= isfinite(r->lo) && isfinite(r->hi);
        }
    }
    return plot_bars(p, label, x, y, any_ci ? lo : NULL, any_ci ? hi : NULL, k, err);
}

static int has_measure(const sens *c, size_t panel, const char *measure) {
    for (size_t i = 0; i < c->n; i++)
        if (c->row[i].panel == panel && strcmp(c->row[i].measure, measure) == 0) return 1;
    return 0;
}

static sim_status sens_panel(plot_panel *p, const sens *c, size_t panel, sim_err *err) {
    const char *par[AXIS_MAX_TICKS], *tick[AXIS_MAX_TICKS];
    double pos[AXIS_MAX_TICKS];
    size_t k = sens_params(c, panel, par);
    for (size_t j = 0; j < k; j++) {
        tick[j] = fig_short_key(par[j]);   /* "false_record"; the full keys are in the .sql */
        pos[j] = (double)j;
    }
    int sobol = has_measure(c, panel, "S1") || has_measure(c, panel, "ST");
    plot_set_title(p, c->title[panel]);
    plot_set_label(p, PLOT_X, "Parameter");
    plot_set_label(p, PLOT_Y, sobol ? "Sobol index (95% CI)" : "Elementary effect (unit cube)");
    sim_status st = sens_series(p, c, panel, sobol ? "S1" : "mu_star",
                                sobol ? "First order S1" : "μ*", par, k, err);
    if (st == SIM_OK)
        st = sens_series(p, c, panel, sobol ? "ST" : "sigma", sobol ? "Total ST" : "σ", par, k,
                         err);
    if (st == SIM_OK) st = plot_set_ticks(p, PLOT_X, pos, tick, k, err);
    return st;
}

sim_status fig_sensitivity(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    sens c = {0};
    sim_status st = fig_query(
        db, out, "sensitivity indices per sweep, metric and parameter",
        "SELECT s.sweep_id, w.name, s.metric, s.grp, s.parameter, s.measure, s.value, s.lo, "
        "s.hi FROM sensitivity s JOIN sweeps w ON w.sweep_id = s.sweep_id WHERE s.measure IN "
        "('S1', 'ST', 'mu_star', 'sigma') ORDER BY s.sweep_id, s.metric, s.grp, s.rowid",
        sens_row_fn, &c, err);
    int cols;
    if (st == SIM_OK && c.npanel == 0)
        fig_note(out, "the sensitivity table is empty (run scsim analyze on a saltelli or "
                      "morris sweep)");
    else if (st == SIM_OK && (st = fig_new_grid(&out->fig, sel, c.npanel, &cols, err)) == SIM_OK) {
        if (c.npanel > 1) plot_fig_set_title(out->fig, "Sensitivity of the outputs to the "
                                                        "parameters");
        for (size_t i = 0; i < c.npanel && st == SIM_OK; i++) {
            plot_panel *p = fig_panel(out->fig, cols, i);
            if (i > 0) plot_set_legend(p, PLOT_LEGEND_NONE);
            st = sens_panel(p, &c, i, err);
        }
        fig_note(out, "%zu panel(s)%s", c.npanel,
                 c.more ? "; more (sweep, metric) pairs than panels, the first 6 drawn" : "");
    }
    free(c.row);
    return st;
}
