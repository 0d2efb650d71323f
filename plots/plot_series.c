/* plots/plot_series.c - adding series, which data are drawn, and axis limits.
 *
 * Storage per kind: LINE, STEP: x, y. SCATTER: x, y, y2 / y3 = vertical error-bar ends and
 * x2 / x3 = horizontal ones (each pair NULL without). BAND: x, y = lower, y2 = upper. BAR: x,
 * y, y2 = error-bar low end, y3 = high end (both NULL without error bars). STACK: x [n],
 * y [k * n]. HEATMAP: y = z [nx * ny], n = nx * ny. LINE and SCATTER may carry point labels
 * (text [n]). */
#include "plot_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vec.h"

static const char *const KIND_NAME[] = {"line", "band", "step", "bars", "stack", "scatter",
                                        "heat map"};

void plot_series_free_i(plot_series *s) {
    free(s->x); free(s->y); free(s->y2); free(s->y3); free(s->x2); free(s->x3);
    free(s->layer_label); free(s->layer_color); free(s->text); free(s->text_box);
}

static double *dup_array(const double *v, size_t n, int *oom) {
    if (!v) return NULL;
    double *d = malloc(n * sizeof *d);
    if (!d) { *oom = 1; return NULL; }
    memcpy(d, v, n * sizeof *d);
    return d;
}

/* Appends an empty series of kind with copies of up to four arrays of n values (the last m
 * of which may be NULL). On error the panel is unchanged. */
static sim_status add_series(plot_panel *p, plot_kind kind, const char *label, size_t n,
                             const double *const v[4], const size_t len[4], sim_err *err) {
    if (!vec_reserve((void **)&p->s, &p->cap, p->ns + 1, sizeof *p->s))
        return err_set(err, SIM_ENOMEM, "out of memory adding a %s", KIND_NAME[kind]);
    plot_series *s = &p->s[p->ns];
    memset(s, 0, sizeof *s);
    int oom = 0;
    double **dst[4] = {&s->x, &s->y, &s->y2, &s->y3};
    for (int j = 0; j < 4; j++) *dst[j] = dup_array(v[j], len[j], &oom);
    if (oom) {
        plot_series_free_i(s);
        return err_set(err, SIM_ENOMEM, "out of memory copying a %s of %zu values",
                       KIND_NAME[kind], n);
    }
    s->kind = kind;
    s->n = n;
    s->k = 1;
    plot_copy_text_i(s->label, label);
    s->color = pal_category(p->next_color);
    p->ns++;
    p->fig->rec_valid = 0;
    return SIM_OK;
}

static sim_status check(const plot_panel *p, plot_kind kind, const char *label, size_t n,
                        int ok_arrays, sim_err *err) {
    const char *name = label && label[0] ? label : "(unlabelled)";
    if (!p) return err_set(err, SIM_EUSAGE, "%s %s: no panel (plot_fig_panel gave NULL)",
                           KIND_NAME[kind], name);
    if (!ok_arrays) return err_set(err, SIM_EUSAGE, "%s %s: a data array is NULL",
                                   KIND_NAME[kind], name);
    if (n == 0) return err_set(err, SIM_EUSAGE, "%s %s: no data (n = 0)", KIND_NAME[kind], name);
    return SIM_OK;
}

static sim_status add_xy(plot_panel *p, plot_kind kind, const char *label, const double *x,
                         const double *y, size_t n, sim_err *err) {
    sim_status st = check(p, kind, label, n, x && y, err);
    if (st != SIM_OK) return st;
    const double *v[4] = {x, y, NULL, NULL};
    const size_t len[4] = {n, n, 0, 0};
    st = add_series(p, kind, label, n, v, len, err);
    if (st == SIM_OK) p->next_color++;
    return st;
}

sim_status plot_line(plot_panel *p, const char *label, const double *x, const double *y,
                     size_t n, sim_err *err) {
    return add_xy(p, PLOT_LINE, label, x, y, n, err);
}

sim_status plot_step(plot_panel *p, const char *label, const double *x, const double *y,
                     size_t n, sim_err *err) {
    return add_xy(p, PLOT_STEP, label, x, y, n, err);
}

sim_status plot_scatter(plot_panel *p, const char *label, const double *x, const double *y,
                        size_t n, sim_err *err) {
    return add_xy(p, PLOT_SCATTER, label, x, y, n, err);
}

sim_status plot_scatter_err(plot_panel *p, const char *label, const double *x, const double *y,
                            const double *x_lo, const double *x_hi, const double *y_lo,
                            const double *y_hi, size_t n, sim_err *err) {
    sim_status st = check(p, PLOT_SCATTER, label, n,
                          x && y && !x_lo == !x_hi && !y_lo == !y_hi, err);
    if (st != SIM_OK) return st;
    const double *v[4] = {x, y, y_lo, y_hi};
    const size_t len[4] = {n, n, n, n};
    if ((st = add_series(p, PLOT_SCATTER, label, n, v, len, err)) != SIM_OK) return st;
    plot_series *s = &p->s[p->ns - 1];
    int oom = 0;
    s->x2 = dup_array(x_lo, n, &oom);
    s->x3 = dup_array(x_hi, n, &oom);
    if (oom) {
        plot_series_free_i(s);
        p->ns--;
        return err_set(err, SIM_ENOMEM, "out of memory copying a scatter of %zu points", n);
    }
    p->next_color++;
    return SIM_OK;
}

sim_status plot_point_labels(plot_panel *p, size_t i, const char *const *text, size_t n,
                             sim_err *err) {
    if (!p || i >= p->ns || !text || (p->s[i].kind != PLOT_LINE && p->s[i].kind != PLOT_SCATTER)
        || n != p->s[i].n)
        return err_set(err, SIM_EUSAGE, "point labels: series %zu must exist, be a line or "
                       "scatter and have %zu points", i, n);
    plot_series *s = &p->s[i];
    char (*t)[PLOT_TEXT_MAX] = calloc(n, sizeof *t);
    plot_box *b = calloc(n, sizeof *b);
    if (!t || !b) {
        free(t);
        free(b);
        return err_set(err, SIM_ENOMEM, "out of memory copying %zu point labels", n);
    }
    for (size_t j = 0; j < n; j++) plot_copy_text_i(t[j], text[j]);
    free(s->text);
    free(s->text_box);
    s->text = t;
    s->text_box = b;
    p->fig->rec_valid = 0;
    return SIM_OK;
}

sim_status plot_series_dashed(plot_panel *p, size_t i, sim_err *err) {
    if (!p || i >= p->ns || (p->s[i].kind != PLOT_LINE && p->s[i].kind != PLOT_STEP))
        return err_set(err, SIM_EUSAGE, "dashed: series %zu must exist and be a line or step",
                       i);
    p->s[i].dashed = 1;
    p->fig->rec_valid = 0;
    return SIM_OK;
}

sim_status plot_band(plot_panel *p, const char *label, const double *x, const double *lo,
                     const double *hi, size_t n, sim_err *err) {
    sim_status st = check(p, PLOT_BAND, label, n, x && lo && hi, err);
    if (st != SIM_OK) return st;
    const double *v[4] = {x, lo, hi, NULL};
    const size_t len[4] = {n, n, n, 0};
    return add_series(p, PLOT_BAND, label, n, v, len, err);   /* colour not consumed */
}

sim_status plot_bars(plot_panel *p, const char *label, const double *x, const double *y,
                     const double *err_lo, const double *err_hi, size_t n, sim_err *err) {
    sim_status st = check(p, PLOT_BAR, label, n, x && y && !err_lo == !err_hi, err);
    if (st != SIM_OK) return st;
    const double *v[4] = {x, y, err_lo, err_hi};
    const size_t len[4] = {n, n, n, n};
    st = add_series(p, PLOT_BAR, label, n, v, len, err);
    if (st != SIM_OK) return st;
    p->s[p->ns - 1].slot = p->nbars++;
    p->next_color++;
    return SIM_OK;
}

static sim_status stack_layers(plot_series *s, const char *const *labels, size_t k,
                               size_t color0, sim_err *err) {
    s->layer_label = calloc(k, sizeof *s->layer_label);
    s->layer_color = calloc(k, sizeof *s->layer_color);
    if (!s->layer_label || !s->layer_color)
        return err_set(err, SIM_ENOMEM, "out of memory adding a stack of %zu layers", k);
    for (size_t j = 0; j < k; j++) {
        plot_copy_text_i(s->layer_label[j], labels ? labels[j] : NULL);
        s->layer_color[j] = pal_category(color0 + j);
    }
    s->k = k;
    s->color = s->layer_color[0];
    plot_copy_text_i(s->label, s->layer_label[0]);
    return SIM_OK;
}

sim_status plot_stack(plot_panel *p, const char *const *labels, const double *x,
                      const double *y, size_t k, size_t n, sim_err *err) {
    sim_status st = check(p, PLOT_STACK, NULL, n * k, x && y, err);
    if (st != SIM_OK) return st;
    if (k > SIZE_MAX / n) return err_set(err, SIM_EUSAGE, "stack: %zu x %zu is too large", k, n);
    const double *v[4] = {x, y, NULL, NULL};
    const size_t len[4] = {n, n * k, 0, 0};
    if ((st = add_series(p, PLOT_STACK, NULL, n, v, len, err)) != SIM_OK) return st;
    if ((st = stack_layers(&p->s[p->ns - 1], labels, k, p->next_color, err)) != SIM_OK) {
        plot_series_free_i(&p->s[--p->ns]);
        return st;
    }
    p->next_color += k;
    return SIM_OK;
}

sim_status plot_heatmap(plot_panel *p, const char *label, const double *z, size_t nx,
                        size_t ny, double x0, double x1, double y0, double y1, sim_err *err) {
    sim_status st = check(p, PLOT_HEATMAP, label, nx * ny, z != NULL, err);
    if (st != SIM_OK) return st;
    if (nx > 32767 || ny > 32767)
        return err_set(err, SIM_EUSAGE, "heat map %zu x %zu: at most 32767 cells a side", nx, ny);
    if (!isfinite(x0) || !isfinite(x1) || !isfinite(y0) || !isfinite(y1) || x0 == x1 || y0 == y1)
        return err_set(err, SIM_EUSAGE, "heat map extent [%g, %g] x [%g, %g]: need finite, "
                       "non-empty ranges", x0, x1, y0, y1);
    for (size_t i = 0; i < p->ns; i++)
        if (p->s[i].kind == PLOT_HEATMAP)
            return err_set(err, SIM_EUSAGE, "heat map: a panel holds at most one");
    const double *v[4] = {NULL, z, NULL, NULL};
    const size_t len[4] = {0, nx * ny, 0, 0};
    if ((st = add_series(p, PLOT_HEATMAP, label, nx * ny, v, len, err)) != SIM_OK) return st;
    plot_series *s = &p->s[p->ns - 1];
    s->nx = nx; s->ny = ny;
    s->x0 = x0; s->x1 = x1; s->y0 = y0; s->y1 = y1;
    if (label && label[0]) plot_copy_text_i(p->ax[PLOT_Z].label, label);
    return SIM_OK;
}

size_t plot_nseries(const plot_panel *p) { return p ? p->ns : 0; }

sim_status plot_series_color(plot_panel *p, size_t i, pal_rgb color, sim_err *err) {
    if (!p || i >= p->ns)
        return err_set(err, SIM_EUSAGE, "series %zu does not exist (panel has %zu)", i,
                       p ? p->ns : 0);
    p->s[i].color = color;
    if (p->s[i].layer_color) p->s[i].layer_color[0] = color;
    p->fig->rec_valid = 0;
    return SIM_OK;
}

/* ---- which data are drawn ---- */

double plot_tx_i(const plot_axis *a, double v) {
    return a->scale == AXIS_LOG10 ? log10(v) : v;
}

static double inv_tx(const plot_axis *a, double t) {
    return a->scale == AXIS_LOG10 ? pow(10.0, t) : t;
}

static int val_state(const plot_axis *a, double v) {
    if (!isfinite(v)) return 1;
    return a->scale == AXIS_LOG10 && v <= 0 ? 2 : 0;
}

static int worse(int a, int b) { return a == 1 || b == 1 ? 1 : a ? a : b; }

double plot_stack_top_i(const plot_series *s, size_t layer, size_t i) {
    double t = 0;
    for (size_t j = 0; j <= layer; j++) t += s->y[j * s->n + i];
    return t;
}

static int stack_state(const plot_panel *p, const plot_series *s, size_t i) {
    int st = val_state(&p->ax[PLOT_X], s->x[i]);
    for (size_t j = 0; j < s->k; j++) st = worse(st, isfinite(s->y[j * s->n + i]) ? 0 : 1);
    for (size_t j = 0; j < s->k && st == 0; j++)
        st = val_state(&p->ax[PLOT_Y], plot_stack_top_i(s, j, i));
    return st;
}

int plot_unit_state_i(const plot_panel *p, const plot_series *s, size_t i) {
    const plot_axis *ax = &p->ax[PLOT_X], *ay = &p->ax[PLOT_Y];
    switch (s->kind) {
    case PLOT_HEATMAP: return isfinite(s->y[i]) ? 0 : 1;
    case PLOT_STACK: return stack_state(p, s, i);
    case PLOT_BAND: return worse(val_state(ax, s->x[i]),
                                 worse(val_state(ay, s->y[i]), val_state(ay, s->y2[i])));
    default: return worse(val_state(ax, s->x[i]), val_state(ay, s->y[i]));
    }
}

/* ---- counts and limits ---- */

typedef struct range {
    double lo, hi;      /* extremes of all data, transformed units */
    double hlo, hhi;    /* extremes of "hard" data (baselines, heat-map edges): no padding */
} range;

static const range EMPTY = {INFINITY, -INFINITY, INFINITY, -INFINITY};

static void extend(range *r, double t, int hard) {
    if (!isfinite(t)) return;
    r->lo = fmin(r->lo, t); r->hi = fmax(r->hi, t);
    if (hard) { r->hlo = fmin(r->hlo, t); r->hhi = fmax(r->hhi, t); }
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Width of one bar: 80% of the smallest gap between bar positions, shared by the bar series. */
static sim_status bar_width(plot_panel *p, sim_err *err) {
    size_t m = 0;
    for (size_t j = 0; j < p->ns; j++) if (p->s[j].kind == PLOT_BAR) m += p->s[j].n;
    double gap = INFINITY, *t = m ? malloc(m * sizeof *t) : NULL;
    if (m && !t) return err_set(err, SIM_ENOMEM, "out of memory placing %zu bars", m);
    m = 0;
    for (size_t j = 0; j < p->ns; j++)
        for (size_t i = 0; p->s[j].kind == PLOT_BAR && i < p->s[j].n; i++)
            if (plot_unit_state_i(p, &p->s[j], i) == 0)
                t[m++] = plot_tx_i(&p->ax[PLOT_X], p->s[j].x[i]);
    if (m) qsort(t, m, sizeof *t, cmp_double);
    for (size_t i = 1; i < m; i++) if (t[i] > t[i - 1]) gap = fmin(gap, t[i] - t[i - 1]);
    free(t);
    p->bar_w = 0.8 * (isfinite(gap) ? gap : 1.0) / (p->nbars ? p->nbars : 1);
    return SIM_OK;
}

static void extend_bar(const plot_panel *p, const plot_series *s, size_t i, range *r) {
    const plot_axis *ay = &p->ax[PLOT_Y];
    double c = plot_tx_i(&p->ax[PLOT_X], s->x[i]) + (s->slot - (p->nbars - 1) / 2.0) * p->bar_w;
    extend(&r[PLOT_X], c - p->bar_w / 2, 0);
    extend(&r[PLOT_X], c + p->bar_w / 2, 0);
    extend(&r[PLOT_Y], plot_tx_i(ay, s->y[i]), 0);
    if (ay->scale == AXIS_LINEAR) extend(&r[PLOT_Y], 0, 1);
    for (int e = 0; s->y2 && e < 2; e++) {
        double v = e ? s->y3[i] : s->y2[i];
        if (val_state(ay, v) == 0) extend(&r[PLOT_Y], plot_tx_i(ay, v), 0);
    }
}

/* Error-bar ends of scatter point i that can be drawn, into the ranges; returns how many of
 * the two bars (x, y) are drawable. */
static int extend_scatter_err(const plot_panel *p, const plot_series *s, size_t i, range *r) {
    const double *lo[2] = {s->x2, s->y2}, *hi[2] = {s->x3, s->y3};
    int bars = 0;
    for (int d = 0; d < 2; d++) {
        const plot_axis *a = &p->ax[d];
        if (!lo[d] || val_state(a, lo[d][i]) || val_state(a, hi[d][i])) continue;
        if (r) {
            extend(&r[d], plot_tx_i(a, lo[d][i]), 0);
            extend(&r[d], plot_tx_i(a, hi[d][i]), 0);
        }
        bars++;
    }
    return bars;
}

static void extend_unit(const plot_panel *p, const plot_series *s, size_t i, range *r) {
    const plot_axis *ax = &p->ax[PLOT_X], *ay = &p->ax[PLOT_Y];
    if (s->kind == PLOT_SCATTER) extend_scatter_err(p, s, i, r);
    switch (s->kind) {
    case PLOT_BAR: extend_bar(p, s, i, r); return;
    case PLOT_HEATMAP: extend(&r[PLOT_Z], s->y[i], 1); return;
    case PLOT_STACK:
        if (ay->scale == AXIS_LINEAR) extend(&r[PLOT_Y], 0, 1);
        for (size_t j = 0; j < s->k; j++)
            extend(&r[PLOT_Y], plot_tx_i(ay, plot_stack_top_i(s, j, i)), 0);
        extend(&r[PLOT_X], plot_tx_i(ax, s->x[i]), 1);   /* areas fill the width */
        return;
    case PLOT_BAND: extend(&r[PLOT_Y], plot_tx_i(ay, s->y2[i]), 0); /* fall through */
    default: extend(&r[PLOT_Y], plot_tx_i(ay, s->y[i]), 0);
    }
    extend(&r[PLOT_X], plot_tx_i(ax, s->x[i]), 0);
}

static sim_status count_series(const plot_panel *p, plot_series *s, range *r, sim_err *err) {
    if (s->kind == PLOT_HEATMAP && (p->ax[PLOT_X].scale != AXIS_LINEAR ||
                                    p->ax[PLOT_Y].scale != AXIS_LINEAR))
        return err_set(err, SIM_EUSAGE, "heat map %s: needs linear x and y axes (plot log10 "
                       "values on a linear axis instead)", s->label[0] ? s->label : "");
    plot_series_rec *rec = &s->rec;
    memset(rec, 0, sizeof *rec);
    rec->kind = s->kind;
    rec->label = s->label;
    rec->layers = s->k;
    rec->n_in = s->n;
    for (size_t i = 0; i < s->n; i++) {
        int st = plot_unit_state_i(p, s, i);
        if (st == 1) rec->n_nonfinite++;
        else if (st == 2) rec->n_nonpositive++;
        else { rec->n_drawn++; extend_unit(p, s, i, r); }
        if (st == 0 && s->kind == PLOT_BAR && s->y2 &&
            val_state(&p->ax[PLOT_Y], s->y2[i]) == 0 && val_state(&p->ax[PLOT_Y], s->y3[i]) == 0)
            rec->n_errbars++;
        if (st == 0 && s->kind == PLOT_SCATTER && extend_scatter_err(p, s, i, NULL) > 0)
            rec->n_errbars++;
    }
    if (s->kind == PLOT_HEATMAP) {
        extend(&r[PLOT_X], s->x0, 1); extend(&r[PLOT_X], s->x1, 1);
        extend(&r[PLOT_Y], s->y0, 1); extend(&r[PLOT_Y], s->y1, 1);
    }
    return SIM_OK;
}

/* Automatic limits in transformed units: data range, widened if zero, padded by 4% at ends
 * that are not hard. No data: [0, 1] (log: [1, 10]). */
static void auto_limits(const plot_axis *a, const range *r, double *tlo, double *thi) {
    if (r->lo > r->hi) { *tlo = 0; *thi = 1; return; }
    double lo = inv_tx(a, r->lo), hi = inv_tx(a, r->hi);
    if (axis_widen(a->scale, &lo, &hi, NULL) != SIM_OK) { *tlo = 0; *thi = 1; return; }
    int widened = lo != inv_tx(a, r->lo) || hi != inv_tx(a, r->hi);
    *tlo = plot_tx_i(a, lo);
    *thi = plot_tx_i(a, hi);
    double pad = 0.04 * (*thi - *tlo);
    if (!widened && r->lo < r->hlo) *tlo -= pad;
    if (!widened && r->hi > r->hhi) *thi += pad;
}

static sim_status finalize_axis(plot_axis *a, const range *r, int present, const char *name,
                                sim_err *err) {
    memset(&a->rec, 0, sizeof a->rec);
    if (!present) return SIM_OK;
    auto_limits(a, r, &a->tlo, &a->thi);
    double fix[2] = {a->fix_lo, a->fix_hi};
    for (int e = 0; e < 2; e++) {
        if (!isfinite(fix[e])) continue;
        if (a->scale == AXIS_LOG10 && fix[e] <= 0)
            return err_set(err, SIM_EUSAGE, "%s axis: fixed limit %g must be positive on a log "
                           "axis", name, fix[e]);
        *(e ? &a->thi : &a->tlo) = plot_tx_i(a, fix[e]);
    }
    if (!(a->tlo < a->thi))
        return err_set(err, SIM_EUSAGE, "%s axis: limits [%g, %g] are empty; the lower must be "
                       "below the upper", name, inv_tx(a, a->tlo), inv_tx(a, a->thi));
    a->rec.present = 1;
    a->rec.scale = a->scale;
    a->rec.lo = isfinite(fix[0]) ? fix[0] : inv_tx(a, a->tlo);
    a->rec.hi = isfinite(fix[1]) ? fix[1] : inv_tx(a, a->thi);
    return SIM_OK;
}

sim_status plot_prepare_i(plot_panel *p, sim_err *err) {
    static const char *const NAME[3] = {"x", "y", "colour-bar"};
    range r[3] = {EMPTY, EMPTY, EMPTY};
    int heat = 0;
    p->ax[PLOT_Z].scale = AXIS_LINEAR;
    sim_status st = bar_width(p, err);
    for (size_t i = 0; i < p->ns && st == SIM_OK; i++) {
        st = count_series(p, &p->s[i], r, err);
        heat |= p->s[i].kind == PLOT_HEATMAP;
    }
    for (int d = 0; d < 3 && st == SIM_OK; d++)
        st = finalize_axis(&p->ax[d], &r[d], d < 2 || heat, NAME[d], err);
    p->legend_rec = PLOT_LEGEND_NONE;
    return st;
}
