/* plots/fig_verify.c - the figures of `scsim verify --out DIR`: one PNG per check, drawn
 * from the figure data the checks leave in a verify_result (sim/verify/verify.h), with the public
 * plotting layer only. Theory is drawn as lines (black, or the colour of its simulated
 * counterpart) and shaded regions, simulations as points with 95% interval bars, replicate
 * traces as pale lines, bar charts side by side. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "verify.h"

static pal_rgb colour_of(const verify_series *s) {
    pal_rgb c = s->color < 0 ? pal_okabe_ito(PAL_OI_BLACK) : pal_category((size_t)s->color);
    if (s->faint) c.r += (1 - c.r) * 0.6, c.g += (1 - c.g) * 0.6, c.b += (1 - c.b) * 0.6;
    return c;
}

/* Interval bars of points as one broken line: (x, lo) - (x, hi), then a break. */
static sim_status interval_bars(plot_panel *p, const verify_series *s, sim_err *err) {
    double *x = malloc(3 * s->n * sizeof *x), *y = malloc(3 * s->n * sizeof *y);
    sim_status st = x && y ? SIM_OK : err_set(err, SIM_ENOMEM, "out of memory");
    for (size_t i = 0; st == SIM_OK && i < s->n; i++) {
        x[3 * i] = x[3 * i + 1] = s->x[i], x[3 * i + 2] = NAN;
        y[3 * i] = s->lo[i], y[3 * i + 1] = s->hi[i], y[3 * i + 2] = NAN;
    }
    if (st == SIM_OK) st = plot_line(p, NULL, x, y, 3 * s->n, err);
    free(x), free(y);
    return st;
}

static sim_status add_series(plot_panel *p, const verify_series *s, sim_err *err) {
    sim_status st = SIM_OK;
    const char *label = s->label[0] ? s->label : NULL;
    pal_rgb c = colour_of(s);
    if (s->n == 0) return SIM_OK;
    switch (s->kind) {
    case VERIFY_LINE: st = plot_line(p, label, s->x, s->y, s->n, err); break;
    case VERIFY_BAND: st = plot_band(p, label, s->x, s->lo, s->hi, s->n, err); break;
    case VERIFY_BARS: st = plot_bars(p, label, s->x, s->y, s->lo, s->hi, s->n, err); break;
    case VERIFY_POINTS:
        if (s->lo && s->hi && (st = interval_bars(p, s, err)) == SIM_OK)
            st = plot_series_color(p, plot_nseries(p) - 1, c, err);
        if (st == SIM_OK) st = plot_scatter(p, label, s->x, s->y, s->n, err);
        break;
    }
    if (st == SIM_OK) st = plot_series_color(p, plot_nseries(p) - 1, c, err);
    return st;
}

static sim_status draw_panel(plot_panel *p, const verify_panel *vp, sim_err *err) {
    plot_set_title(p, vp->title);
    plot_set_label(p, PLOT_X, vp->xlabel);
    plot_set_label(p, PLOT_Y, vp->ylabel);
    plot_set_limits(p, PLOT_X, vp->xlim[0], vp->xlim[1]);
    plot_set_limits(p, PLOT_Y, vp->ylim[0], vp->ylim[1]);
    static const plot_legend WHERE[] = {PLOT_LEGEND_AUTO, PLOT_LEGEND_NE, PLOT_LEGEND_NW,
                                        PLOT_LEGEND_SE, PLOT_LEGEND_SW, PLOT_LEGEND_OUTSIDE};
    if (vp->legend <= VERIFY_LEGEND_OUTSIDE) plot_set_legend(p, WHERE[vp->legend]);
    sim_status st = SIM_OK;
    for (size_t k = 0; k < vp->nseries && st == SIM_OK; k++) st = add_series(p, &vp->series[k], err);
    if (st == SIM_OK && vp->ytick_max > 0) {   /* ticks below the legend's room */
        axis_ticks t;
        const char *names[AXIS_MAX_TICKS];
        double lo = isfinite(vp->ylim[0]) ? vp->ylim[0] : 0;
        st = axis_ticks_make(AXIS_LINEAR, lo, vp->ytick_max, 6, AXIS_FMT_AUTO, &t, err);
        for (size_t k = 0; st == SIM_OK && k < t.n; k++) names[k] = t.label[k];
        if (st == SIM_OK) st = plot_set_ticks(p, PLOT_Y, t.value, names, t.n, err);
    }
    if (st == SIM_OK && vp->nticks > 0) {
        double at[VERIFY_MAX_TICKS];
        const char *names[VERIFY_MAX_TICKS];
        for (int k = 0; k < vp->nticks; k++) at[k] = k, names[k] = vp->tick[k];
        st = plot_set_ticks(p, PLOT_X, at, names, (size_t)vp->nticks, err);
    }
    return st;
}

/* One figure: a panel per column, 4.2 x 3.6 inches each (text about 9 pt). */
static sim_status draw_figure(const verify_figure *vf, const char *path, sim_err *err) {
    plot_fig *fig = NULL;
    int n = vf->npanels;
    sim_status st = plot_fig_new_in(&fig, 4.2 * n + (n == 1 ? 0.8 : 0), 3.6, 1, n, err);
    if (st == SIM_OK) plot_fig_set_title(fig, vf->title);
    for (int k = 0; k < n && st == SIM_OK; k++)
        st = draw_panel(plot_fig_panel(fig, 0, k), &vf->panel[k], err);
    if (st == SIM_OK) st = plot_render(fig, path, PLOT_FMT_PNG, err);
    plot_fig_free(fig);
    return st;
}

sim_status verify_figures(const verify_result *r, const char *dir, int *written,
                          sim_err *err) {
    *written = 0;
    for (int f = 0; f < r->nfigs; f++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/verify-%s.png", dir, r->figs[f].check);
        sim_status st = draw_figure(&r->figs[f], path, err);
        if (st != SIM_OK) return st;
        (*written)++;
    }
    return SIM_OK;
}
