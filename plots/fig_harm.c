/* plots/fig_harm.c - figures of harm and deterrence from the summary (docs/results.md), one
 * curve or point per run group (replicates pooled):
 *   lorenz    left: the Lorenz curve of the harm accrued by persons over the run
 *             (harm_lorenz at the points of sim/core/results.h, with (0, 0)), the mean over replicates,
 *             the Gini coefficient (harm_gini; mean and 95% CI half-width) in the legend, and
 *             the dashed line of equality; right: the share of that harm borne by the most
 *             harmed 1% (harm_top1_share), 5% and 10% of persons (1 - harm_lorenz at p:0.95,
 *             p:0.90), bars with 95% intervals over replicates;
 *   frontier  violations prevented weighted by severity (violations_prevented_weighted;
 *             the count violations_prevented for a database without it, said in the axis
 *             label and a note) against agents ever wrongly
 *             blacklisted (ever_wrongly_listed.black) and against harm to innocents (harm
 *             innocent), each point labelled with its group and crossed by 95% intervals over
 *             replicates; a dashed grey staircase is the frontier: through the efficient
 *             groups (no other group prevents at least as many violations at no greater
 *             cost) by ascending cost, then flat to the largest cost shown, so every group
 *             on or below-right of it is dominated (fig_frontier_line); when some run
 *             models the lawful activity, a third panel against lawful acts suppressed
 *             (lawful_acts_suppressed all), the chilling cost, kept apart from harm. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"
#include "fig_impl.h"

/* ---- lorenz ---- */

/* Keys 0 .. LZ_POINTS-1: harm_lorenz at res_lorenz_p and at 1 (sim/core/results.h). */
enum { LZ_POINTS = RES_LORENZ_N + 1, LZ_GINI = LZ_POINTS, LZ_TOP1, LZ_NKEYS,
       LZ_P90 = 17, LZ_P95 = 18, LZ_LABEL = FIG_TITLE_MAX + 48 };

static double lorenz_p(int q) { return q < RES_LORENZ_N ? res_lorenz_p[q] : 1.0; }

static void lorenz_keys(fig_key *k) {
    for (int q = 0; q < LZ_POINTS; q++) {
        snprintf(k[q].name, sizeof k->name, "harm_lorenz");
        res_lorenz_grp(q, k[q].grp, sizeof k->grp);
    }
    snprintf(k[LZ_GINI].name, sizeof k->name, "harm_gini");
    snprintf(k[LZ_GINI].grp, sizeof k->grp, "persons");
    snprintf(k[LZ_TOP1].name, sizeof k->name, "harm_top1_share");
    snprintf(k[LZ_TOP1].grp, sizeof k->grp, "persons");
}

/* A run with no harm to persons stores harm_top1_share 0 (and Gini 0, the diagonal as its
 * curve): there is no distribution of harm, so its Lorenz points and Gini are made NaN
 * (undefined, not perfect equality); harm_top1_share keeps its 0 as the mark. */
static void undefined_without_harm(fig_sums *s) {
    size_t nrun = s->g->nrun;
    for (size_t r = 0; r < nrun; r++)
        if (fig_sums_value(s, LZ_TOP1, FIG_NONE, r) == 0)
            for (size_t k = 0; k < LZ_TOP1; k++) s->v[k * nrun + r] = NAN;
}

/* 1 when every run of group grp with rows had no harm to persons. */
static int no_harm(const fig_sums *s, size_t grp) {
    size_t runs = 0, none = 0;
    for (size_t r = 0; r < s->g->nrun; r++) {
        double v = s->g->grp[r] == grp ? fig_sums_value(s, LZ_TOP1, FIG_NONE, r) : NAN;
        runs += isfinite(v), none += v == 0;
    }
    return runs > 0 && none == runs;
}

/* The curve of group grp (mean over its runs) into x, y with (0, 0) first; 0 when the group
 * has no Lorenz rows. */
static size_t lorenz_curve(const fig_sums *s, size_t grp, double *x, double *y) {
    double lo, hi;
    size_t n = 0, have = 0;
    x[0] = y[0] = 0;
    for (int q = 0; q < LZ_POINTS; q++) {
        fig_sums_stat(s, (size_t)q, FIG_NONE, 1.0, grp, &y[q + 1], &lo, &hi, &n);
        x[q + 1] = lorenz_p(q);
        have += n > 0;
    }
    return have ? LZ_POINTS + 1 : 0;
}

/* "0.961 ± 0.004": the half-width with one significant digit at most 4 decimals. */
static void lorenz_label(const fig_sums *s, size_t grp, char *buf, size_t cap) {
    double m, lo, hi;
    size_t n;
    fig_sums_stat(s, LZ_GINI, FIG_NONE, 1.0, grp, &m, &lo, &hi, &n);
    double half = (hi - lo) / 2;
    int dec = half >= 0.0005 ? 3 : 4;
    if (n > 1 && half >= 0.00005)
        snprintf(buf, cap, "%s: Gini %.*f ± %.*f", s->g->title[grp], dec, m, dec, half);
    else if (n > 1) snprintf(buf, cap, "%s: Gini %.4f ± <0.0001", s->g->title[grp], m);
    else if (n == 1) snprintf(buf, cap, "%s: Gini %.3f", s->g->title[grp], m);
    else snprintf(buf, cap, "%s", s->g->title[grp]);
}

static sim_status lorenz_panel(plot_panel *p, const fig_sums *s, size_t ng, size_t *curves,
                               sim_err *err) {
    plot_set_title(p, "Lorenz curves");
    plot_set_label(p, PLOT_X, "Share of persons, least harmed first");
    plot_set_label(p, PLOT_Y, "Share of all harm to persons");
    plot_set_limits(p, PLOT_X, 0, 1);
    plot_set_limits(p, PLOT_Y, 0, 1);
    sim_status st = SIM_OK;
    for (size_t k = 0; k < ng && st == SIM_OK; k++) {
        double x[LZ_POINTS + 1], y[LZ_POINTS + 1];
        char label[LZ_LABEL];
        size_t n = lorenz_curve(s, k, x, y);
        if (n == 0 && no_harm(s, k)) {   /* in the legend, drawn as undefined: no curve */
            double nan2[2] = {NAN, NAN};
            snprintf(label, sizeof label, "%s: no harm to persons, Gini undefined",
                     s->g->title[k]);
            st = plot_line(p, label, nan2, nan2, 2, err);
        }
        if (n == 0) continue;
        lorenz_label(s, k, label, sizeof label);
        st = plot_line(p, label, x, y, n, err);
        (*curves)++;
    }
    if (st == SIM_OK) st = fig_ref_line(p, "equality (Gini 0)", 0, 0, 1, 1, err);
    return st;
}

/* Bars of the share borne by the most harmed: key itself (top 1%), or 1 - key (Lorenz). */
static sim_status top_bars(plot_panel *p, const fig_sums *s, const char *label, size_t key,
                           int complement, size_t ng, sim_err *err) {
    const fig_groups_t *g = s->g;
    double x[FIG_MAX_PANELS], y[FIG_MAX_PANELS], lo[FIG_MAX_PANELS], hi[FIG_MAX_PANELS];
    double *v = malloc((g->nrun ? g->nrun : 1) * sizeof *v);
    if (!v) return err_set(err, SIM_ENOMEM, "out of memory");
    int rep = 0;
    for (size_t k = 0; k < ng; k++) {
        size_t m = 0;
        for (size_t r = 0; r < g->nrun; r++) {
            double u = g->grp[r] == k ? fig_sums_value(s, key, FIG_NONE, r) : NAN;
            if (key == LZ_TOP1 && u == 0) u = NAN;   /* no harm: no share of it */
            if (isfinite(u)) v[m++] = complement ? 1 - u : u;
        }
        x[k] = (double)k;
        y[k] = lo[k] = hi[k] = NAN;
        if (m) fig_mean_ci(v, m, &y[k], &lo[k], &hi[k]);
        if (g->count[k] < 2) lo[k] = hi[k] = NAN;
        rep |= g->count[k] > 1;
    }
    free(v);
    return plot_bars(p, label, x, y, rep ? lo : NULL, rep ? hi : NULL, ng, err);
}

static sim_status top_panel(plot_panel *p, const fig_sums *s, size_t ng, sim_err *err) {
    plot_set_title(p, "Borne by the most harmed persons");
    plot_set_label(p, PLOT_Y, "Share of all harm to persons");
    plot_set_limits(p, PLOT_Y, 0, 1);
    plot_set_legend(p, PLOT_LEGEND_FIGURE);   /* the bars reach 1: no free corner */
    sim_status st = fig_group_ticks(p, s->g, ng, err);
    if (st == SIM_OK) st = top_bars(p, s, "most harmed 1%", LZ_TOP1, 0, ng, err);
    if (st == SIM_OK) st = top_bars(p, s, "most harmed 5%", LZ_P95, 1, ng, err);
    if (st == SIM_OK) st = top_bars(p, s, "most harmed 10%", LZ_P90, 1, ng, err);
    return st;
}

static sim_status lorenz_build(fig_result *out, const fig_sel *sel, const fig_sums *s,
                               sim_err *err) {
    const fig_groups_t *g = s->g;
    size_t ng = g->ngrp < FIG_MAX_PANELS ? g->ngrp : FIG_MAX_PANELS, curves = 0;
    int cols = 2;
    sim_status st = sel->size == FIG_SIZE_AUTO ? plot_fig_new_in(&out->fig, 16, 6.5, 1, 2, err)
                                               : fig_new_grid(&out->fig, sel, 2, &cols, err);
    if (st != SIM_OK) return st;
    char title[128], suffix[64];
    fig_ci_suffix(g, ng, suffix, sizeof suffix);
    snprintf(title, sizeof title, "Harm inequality over persons%s", suffix);
    plot_fig_set_title(out->fig, title);
    st = lorenz_panel(fig_panel(out->fig, cols, 0), s, ng, &curves, err);
    if (st == SIM_OK) st = top_panel(fig_panel(out->fig, cols, 1), s, ng, err);
    if (st == SIM_OK) {
        fig_note(out, "%zu curve(s) of %zu run group(s) from %zu run(s)", curves, ng, g->nrun);
        fig_sums_left_out(out, s, FIG_MAX_PANELS);
        for (size_t k = 0, m = 0; k < ng; k++)
            if (no_harm(s, k))
                fig_note_add(out, "%s%s", m++ ? ", " : "; no harm to persons (no curve, Gini "
                             "undefined): ", g->title[k]);
    }
    return st;
}

sim_status fig_lorenz(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    fig_groups_t g = {0};
    fig_key keys[LZ_NKEYS];
    fig_sums s = {&g, LZ_NKEYS, keys, NULL};
    char *ids = fig_idlist(sel), *q = NULL;
    sim_status st = ids ? fig_groups_load(db, sel, out, &g, err)
                        : err_set(err, SIM_ENOMEM, "out of memory");
    lorenz_keys(keys);
    if (st == SIM_OK) {
        q = sqlite3_mprintf("SELECT s.run_id, s.name, s.grp, s.value FROM summary s WHERE "
                            "s.run_id IN (%s) AND ((s.name = 'harm_lorenz' AND s.grp LIKE "
                            "'p:%%') OR (s.name IN ('harm_gini', 'harm_top1_share') AND s.grp = "
                            "'persons')) ORDER BY s.run_id, s.name, s.grp", ids);
        if (!q) st = err_set(err, SIM_ENOMEM, "out of memory");
    }
    if (st == SIM_OK) st = fig_sums_load(db, out, "Lorenz curve and Gini of harm", q, &s, err);
    if (st == SIM_OK) undefined_without_harm(&s);
    double x[LZ_POINTS + 1], y[LZ_POINTS + 1];
    size_t have = 0;
    for (size_t k = 0; st == SIM_OK && k < g.ngrp && k < FIG_MAX_PANELS; k++)
        have += lorenz_curve(&s, k, x, y) > 0 || no_harm(&s, k);
    if (st == SIM_OK && !have)
        fig_note(out, "no harm_lorenz rows for the selected runs (no sanction catalogue, or an "
                      "older database)");
    else if (st == SIM_OK)
        st = lorenz_build(out, sel, &s, err);
    sqlite3_free(q);
    free(ids);
    fig_sums_free(&s);
    fig_groups_free(&g);
    return st;
}

/* ---- frontier ---- */

enum { FR_PREVENTED, FR_WRONGLY, FR_HARM, FR_CHILL, FR_COUNT, FR_NKEYS, FR_LABELS = 12 };

/* FR_CHILL: lawful acts suppressed (chilling, issue 12 item 5), a cost of its own: drawn in a
 * third panel only when some selected run has the rows, never added to harm. */
/* FR_PREVENTED is the benefit weighted by severity (docs/ODD.md 7.20); FR_COUNT the count,
 * used in its place when no selected run has the weighted rows (an older database). */
static const fig_key FR_KEYS[FR_NKEYS] = {{"violations_prevented_weighted", "all"},
                                          {"ever_wrongly_listed.black", "all"},
                                          {"harm", "innocent"},
                                          {"lawful_acts_suppressed", "all"},
                                          {"violations_prevented", "all"}};

/* Whether some selected run has a value of key k. */
static int has_key(const fig_sums *s, size_t k) {
    for (size_t r = 0; r < s->g->nrun; r++)
        if (isfinite(fig_sums_value(s, k, FIG_NONE, r))) return 1;
    return 0;
}

static int has_chilling(const fig_sums *s) { return has_key(s, FR_CHILL); }

/* The benefit key the figure plots: weighted when any run has it, else the count. */
static size_t benefit_key(const fig_sums *s) {
    return has_key(s, FR_PREVENTED) ? FR_PREVENTED : FR_COUNT;
}

typedef struct fr_pts {
    size_t n;
    double x[FR_MAX], y[FR_MAX], xlo[FR_MAX], xhi[FR_MAX], ylo[FR_MAX], yhi[FR_MAX];
    const char *label[FR_MAX];
} fr_pts;

size_t fig_efficient(const double *x, const double *y, size_t n, size_t *idx) {
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        int dominated = !isfinite(x[i]) || !isfinite(y[i]);
        for (size_t j = 0; j < n && !dominated; j++)
            dominated = j != i && isfinite(x[j]) && isfinite(y[j]) && x[j] <= x[i] &&
                        y[j] >= y[i] && (x[j] < x[i] || y[j] > y[i] || j < i);
        if (dominated) continue;
        size_t k = m++;
        for (; k > 0 && x[idx[k - 1]] > x[i]; k--) idx[k] = idx[k - 1];
        idx[k] = i;
    }
    return m;
}

size_t fig_frontier_line(const double *x, const double *y, size_t n, double *lx, double *ly) {
    size_t idx[FR_MAX], m = fig_efficient(x, y, n < FR_MAX ? n : FR_MAX, idx);
    double xmax = -INFINITY;
    for (size_t i = 0; i < n && i < FR_MAX; i++)
        if (isfinite(x[i]) && isfinite(y[i])) xmax = fmax(xmax, x[i]);
    for (size_t k = 0; k < m; k++) lx[k] = x[idx[k]], ly[k] = y[idx[k]];
    if (m > 0 && xmax > lx[m - 1]) lx[m] = xmax, ly[m] = ly[m - 1], m++;
    return m >= 2 ? m : 0;
}

/* The frontier as a dashed grey staircase (fig_frontier_line), when there is one. */
static sim_status efficient_line(plot_panel *p, const fr_pts *d, sim_err *err) {
    double ex[FR_MAX + 1], ey[FR_MAX + 1];
    size_t m = fig_frontier_line(d->x, d->y, d->n, ex, ey);
    if (m < 2) return SIM_OK;
    sim_status st = plot_step(p, "frontier: nothing above-left of it", ex, ey, m, err);
    if (st == SIM_OK) st = plot_series_dashed(p, plot_nseries(p) - 1, err);
    if (st == SIM_OK)
        st = plot_series_color(p, plot_nseries(p) - 1, (pal_rgb){0.45, 0.45, 0.45}, err);
    return st;
}

/* One point per group: up to 8 groups each its own series (colour, legend entry and label),
 * more in one series with labels when there are at most FR_LABELS. */
static sim_status frontier_points(plot_panel *p, const fr_pts *d, int rep, sim_err *err) {
    size_t per = d->n <= 8 ? 1 : d->n, i0 = plot_nseries(p);
    sim_status st = SIM_OK;
    for (size_t a = 0; a < d->n && st == SIM_OK; a += per) {
        size_t n = per, i = plot_nseries(p);
        st = plot_scatter_err(p, per == 1 ? d->label[a] : NULL, d->x + a, d->y + a,
                              rep ? d->xlo + a : NULL, rep ? d->xhi + a : NULL,
                              rep ? d->ylo + a : NULL, rep ? d->yhi + a : NULL, n, err);
        if (st == SIM_OK) st = plot_series_color(p, i, pal_category(i - i0), err);
        if (st == SIM_OK && d->n <= FR_LABELS)
            st = plot_point_labels(p, i, d->label + a, n, err);
    }
    return st;
}

static sim_status frontier_panel(plot_panel *p, const fig_sums *s, size_t ng, size_t kx,
                                 const char *title, const char *xlabel, int legend,
                                 sim_err *err) {
    fr_pts d = {.n = ng};
    double ymin = INFINITY;
    int rep = 0;
    for (size_t k = 0; k < ng; k++) {
        fig_sums_stat(s, kx, FIG_NONE, 1.0, k, &d.x[k], &d.xlo[k], &d.xhi[k], NULL);
        if (d.xlo[k] < 0) d.xlo[k] = 0;   /* counts and harm: the interval stops at zero */
        fig_sums_stat(s, benefit_key(s), FIG_NONE, 1.0, k, &d.y[k], &d.ylo[k], &d.yhi[k], NULL);
        if (d.ylo[k] < 0) d.ylo[k] = 0;   /* prevented (weighted or not) is never negative */
        d.label[k] = s->g->title[k];
        if (isfinite(d.ylo[k])) ymin = fmin(ymin, d.ylo[k]);
        rep |= s->g->count[k] > 1;
        if (s->g->count[k] < 2) d.xlo[k] = d.xhi[k] = d.ylo[k] = d.yhi[k] = NAN;   /* one run */
    }
    plot_set_title(p, title);
    plot_set_label(p, PLOT_X, xlabel);
    plot_set_label(p, PLOT_Y, benefit_key(s) == FR_PREVENTED
                                  ? "Violations prevented (weighted by severity)"
                                  : "Violations prevented (count)");
    plot_set_limits(p, PLOT_X, 0, NAN);
    if (!(ymin < 0)) plot_set_limits(p, PLOT_Y, 0, NAN);
    if (!legend) plot_set_legend(p, PLOT_LEGEND_NONE);
    sim_status st = frontier_points(p, &d, rep, err);
    if (st == SIM_OK) st = efficient_line(p, &d, err);
    return st;
}

static sim_status frontier_build(fig_result *out, const fig_sel *sel, const fig_sums *s,
                                 sim_err *err) {
    const fig_groups_t *g = s->g;
    size_t ng = g->ngrp < FR_MAX ? g->ngrp : FR_MAX;
    int chill = has_chilling(s), cols = 2 + chill;
    sim_status st = sel->size == FIG_SIZE_AUTO
                        ? plot_fig_new_in(&out->fig, chill ? 18 : 12, 5.6, 1, cols, err)
                        : fig_new_grid(&out->fig, sel, (size_t)cols, &cols, err);
    if (st != SIM_OK) return st;
    char title[160], suffix[64];
    int none = 1;   /* no run prevented a violation: say so, the points all lie on y = 0 */
    for (size_t r = 0; r < g->nrun; r++) {
        double v = fig_sums_value(s, benefit_key(s), FIG_NONE, r);
        none &= !isfinite(v) || v == 0;
    }
    fig_ci_suffix(g, ng, suffix, sizeof suffix);
    snprintf(title, sizeof title, "Deterrence against its cost%s%s", suffix,
             none ? ": none of these runs prevented a violation" : "");
    plot_fig_set_title(out->fig, title);
    plot_fig_share_y(out->fig, !sel->free_y);   /* every panel's y is violations prevented */
    st = frontier_panel(fig_panel(out->fig, cols, 0), s, ng, FR_WRONGLY,
                        "Against wrongful blacklisting", "Agents ever wrongly blacklisted", 1,
                        err);
    if (st == SIM_OK)
        st = frontier_panel(fig_panel(out->fig, cols, 1), s, ng, FR_HARM,
                            "Against harm to innocents", "Harm to innocent agents (units)", 0,
                            err);
    if (st == SIM_OK && chill)   /* a cost apart from harm: its own panel, never summed */
        st = frontier_panel(fig_panel(out->fig, cols, 2), s, ng, FR_CHILL,
                            "Against chilling (lawful acts suppressed)",
                            "Lawful acts suppressed (whole run)", 0, err);
    if (st == SIM_OK) {
        fig_note(out, "%zu point(s) from %zu run(s)%s", ng, g->nrun,
                 chill ? "" : "; no chilling panel: no selected run has lawful_acts_suppressed "
                 "rows (no lawful activity modelled)");
        if (benefit_key(s) == FR_COUNT)
            fig_note(out, "no violations_prevented_weighted rows (older database): the benefit "
                     "axis counts violations prevented, every violation weighing the same");
        fig_sums_left_out(out, s, FR_MAX);
    }
    return st;
}

sim_status fig_frontier(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    fig_groups_t g = {0};
    fig_sums s = {&g, FR_NKEYS, FR_KEYS, NULL};
    char *ids = fig_idlist(sel), *q = NULL;
    sim_status st = ids ? fig_groups_load(db, sel, out, &g, err)
                        : err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK) {
        q = sqlite3_mprintf("SELECT s.run_id, s.name, s.grp, s.value FROM summary s WHERE "
                            "s.run_id IN (%s) AND ((s.name IN ('violations_prevented', "
                            "'violations_prevented_weighted', 'ever_wrongly_listed.black', "
                            "'lawful_acts_suppressed') AND s.grp = 'all') OR (s.name = 'harm' AND s.grp = 'innocent')) ORDER BY "
                            "s.run_id, s.name", ids);
        if (!q) st = err_set(err, SIM_ENOMEM, "out of memory");
    }
    if (st == SIM_OK)
        st = fig_sums_load(db, out, "violations prevented, wrongful listings, harm to innocents",
                           q, &s, err);
    int have = 0;
    for (size_t r = 0; st == SIM_OK && r < g.nrun; r++)
        have |= isfinite(fig_sums_value(&s, benefit_key(&s), FIG_NONE, r));
    if (st == SIM_OK && !have)
        fig_note(out, "no violations_prevented rows for the selected runs (older database?)");
    else if (st == SIM_OK)
        st = frontier_build(out, sel, &s, err);
    sqlite3_free(q);
    free(ids);
    fig_sums_free(&s);
    fig_groups_free(&g);
    return st;
}
