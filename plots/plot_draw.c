/* plots/plot_draw.c - drawing the series of a panel, and placing its legend where no data
 * lie. All coordinates in points; the caller clips to the plot area. */
#include "plot_impl.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static double map_tx(const plot_panel *p, double t) {
    const plot_axis *a = &p->ax[PLOT_X];
    return p->area.x + (t - a->tlo) / (a->thi - a->tlo) * p->area.w;
}

static double map_ty(const plot_panel *p, double t) {
    const plot_axis *a = &p->ax[PLOT_Y];
    return p->area.y + p->area.h - (t - a->tlo) / (a->thi - a->tlo) * p->area.h;
}

double plot_map_x_i(const plot_panel *p, double v) { return map_tx(p, plot_tx_i(&p->ax[PLOT_X], v)); }
double plot_map_y_i(const plot_panel *p, double v) { return map_ty(p, plot_tx_i(&p->ax[PLOT_Y], v)); }

/* Where bars and stacks start: y = 0, or the bottom of a log axis. */
static double baseline(const plot_panel *p) {
    return p->ax[PLOT_Y].scale == AXIS_LOG10 ? p->area.y + p->area.h : map_ty(p, 0);
}

static void set_color(cairo_t *cr, pal_rgb c, double alpha) {
    cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

static int ok(const plot_panel *p, const plot_series *s, size_t i) {
    return i < s->n && plot_unit_state_i(p, s, i) == 0;
}

/* Line or step path, broken at skipped points; isolated points get a dot. */
static void draw_line(const plot_ctx *c, const plot_panel *p, const plot_series *s, int step) {
    cairo_t *cr = c->cr;
    double py = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!ok(p, s, i)) continue;
        double X = plot_map_x_i(p, s->x[i]), Y = plot_map_y_i(p, s->y[i]);
        if (i == 0 || !ok(p, s, i - 1)) cairo_move_to(cr, X, Y);
        else if (step) { cairo_line_to(cr, X, py); cairo_line_to(cr, X, Y); }
        else cairo_line_to(cr, X, Y);
        py = Y;
    }
    set_color(cr, s->color, 1);
    cairo_set_line_width(cr, 1.25 * c->lw);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    const double dash[2] = {4 * c->lw, 3 * c->lw};
    if (s->dashed) cairo_set_dash(cr, dash, 2, 0);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    for (size_t i = 0; i < s->n; i++)
        if (ok(p, s, i) && (i == 0 || !ok(p, s, i - 1)) && !ok(p, s, i + 1)) {
            cairo_new_sub_path(cr);
            cairo_arc(cr, plot_map_x_i(p, s->x[i]), plot_map_y_i(p, s->y[i]), c->lw, 0, 2 * M_PI);
        }
    cairo_fill(cr);
}

/* Closed outline of run [a, b]: upper edge forwards, lower edge backwards. */
static void band_run(cairo_t *cr, const plot_panel *p, const double *x, const double *up,
                     const double *dn, size_t a, size_t b) {
    for (size_t i = a; i <= b; i++) {
        double X = plot_map_x_i(p, x[i]), Y = plot_map_y_i(p, up[i]);
        if (i == a) cairo_move_to(cr, X, Y); else cairo_line_to(cr, X, Y);
    }
    for (size_t i = b + 1; i-- > a;)
        cairo_line_to(cr, plot_map_x_i(p, x[i]), dn ? plot_map_y_i(p, dn[i]) : baseline(p));
    cairo_close_path(cr);
}

static void draw_band(const plot_ctx *c, const plot_panel *p, const plot_series *s) {
    for (size_t a = 0; a < s->n; a++) {
        if (!ok(p, s, a)) continue;
        size_t b = a;
        while (ok(p, s, b + 1)) b++;
        band_run(c->cr, p, s->x, s->y2, s->y, a, b);
        a = b;
    }
    set_color(c->cr, s->color, 0.25);
    cairo_fill(c->cr);
}

static void draw_stack(const plot_ctx *c, const plot_panel *p, const plot_series *s,
                       double *top, double *bot) {
    for (size_t j = 0; j < s->k; j++) {
        for (size_t i = 0; i < s->n; i++) {
            top[i] = ok(p, s, i) ? plot_stack_top_i(s, j, i) : NAN;
            bot[i] = j && ok(p, s, i) ? plot_stack_top_i(s, j - 1, i) : 0;
        }
        for (size_t a = 0; a < s->n; a++) {
            if (!ok(p, s, a)) continue;
            size_t b = a;
            while (ok(p, s, b + 1)) b++;
            band_run(c->cr, p, s->x, top, j ? bot : NULL, a, b);
            a = b;
        }
        set_color(c->cr, s->layer_color[j], 0.9);
        cairo_fill(c->cr);
    }
}

static void draw_stack_alloc(const plot_ctx *c, const plot_panel *p, const plot_series *s) {
    double *buf = malloc(2 * s->n * sizeof *buf);
    if (!buf) { cairo_set_source_rgb(c->cr, 0, 0, 0); return; }   /* skipped: out of memory */
    draw_stack(c, p, s, buf, buf + s->n);
    free(buf);
}

static void draw_errbar(const plot_ctx *c, const plot_panel *p, const plot_series *s, size_t i,
                        double X, double half) {
    const plot_axis *ay = &p->ax[PLOT_Y];
    double lo = s->y2[i], hi = s->y3[i];
    if (!isfinite(lo) || !isfinite(hi) || (ay->scale == AXIS_LOG10 && (lo <= 0 || hi <= 0)))
        return;
    double Y0 = plot_map_y_i(p, lo), Y1 = plot_map_y_i(p, hi);
    cairo_move_to(c->cr, X, Y0); cairo_line_to(c->cr, X, Y1);
    cairo_move_to(c->cr, X - half, Y0); cairo_line_to(c->cr, X + half, Y0);
    cairo_move_to(c->cr, X - half, Y1); cairo_line_to(c->cr, X + half, Y1);
}

static void draw_bars(const plot_ctx *c, const plot_panel *p, const plot_series *s) {
    cairo_t *cr = c->cr;
    double off = (s->slot - (p->nbars - 1) / 2.0) * p->bar_w, B = baseline(p);
    for (size_t i = 0; i < s->n; i++) {
        if (!ok(p, s, i)) continue;
        double t = plot_tx_i(&p->ax[PLOT_X], s->x[i]) + off;
        double X0 = map_tx(p, t - p->bar_w / 2), X1 = map_tx(p, t + p->bar_w / 2);
        cairo_rectangle(cr, X0, B, X1 - X0, plot_map_y_i(p, s->y[i]) - B);
    }
    set_color(cr, s->color, 1);
    cairo_fill(cr);
    if (!s->y2) return;
    for (size_t i = 0; i < s->n; i++) {
        if (!ok(p, s, i)) continue;
        double t = plot_tx_i(&p->ax[PLOT_X], s->x[i]) + off;
        double half = 0.25 * fabs(map_tx(p, t + p->bar_w / 2) - map_tx(p, t - p->bar_w / 2));
        draw_errbar(c, p, s, i, map_tx(p, t), half);
    }
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    cairo_set_line_width(cr, 0.8 * c->lw);
    cairo_stroke(cr);
}

/* Error bar of scatter point i along d (0 x, 1 y) with end caps of half-length cap. */
static void scatter_errbar(cairo_t *cr, const plot_panel *p, const plot_series *s, size_t i,
                           int d, double cap) {
    const double *lo = d ? s->y2 : s->x2, *hi = d ? s->y3 : s->x3;
    const plot_axis *a = &p->ax[d];
    if (!lo || !isfinite(lo[i]) || !isfinite(hi[i]) ||
        (a->scale == AXIS_LOG10 && (lo[i] <= 0 || hi[i] <= 0)))
        return;
    double X = plot_map_x_i(p, s->x[i]), Y = plot_map_y_i(p, s->y[i]);
    double A = d ? plot_map_y_i(p, lo[i]) : plot_map_x_i(p, lo[i]);
    double B = d ? plot_map_y_i(p, hi[i]) : plot_map_x_i(p, hi[i]);
    if (d) {
        cairo_move_to(cr, X, A); cairo_line_to(cr, X, B);
        cairo_move_to(cr, X - cap, A); cairo_line_to(cr, X + cap, A);
        cairo_move_to(cr, X - cap, B); cairo_line_to(cr, X + cap, B);
    } else {
        cairo_move_to(cr, A, Y); cairo_line_to(cr, B, Y);
        cairo_move_to(cr, A, Y - cap); cairo_line_to(cr, A, Y + cap);
        cairo_move_to(cr, B, Y - cap); cairo_line_to(cr, B, Y + cap);
    }
}

static void draw_scatter(const plot_ctx *c, const plot_panel *p, const plot_series *s) {
    double r = 0.28 * c->font;
    if (s->x2 || s->y2) {
        for (size_t i = 0; i < s->n; i++)
            for (int d = 0; d < 2 && ok(p, s, i); d++)
                scatter_errbar(c->cr, p, s, i, d, 0.25 * c->font);
        set_color(c->cr, s->color, 0.9);
        cairo_set_line_width(c->cr, 0.8 * c->lw);
        cairo_stroke(c->cr);
    }
    for (size_t i = 0; i < s->n; i++) {
        if (!ok(p, s, i)) continue;
        cairo_new_sub_path(c->cr);
        cairo_arc(c->cr, plot_map_x_i(p, s->x[i]), plot_map_y_i(p, s->y[i]), r, 0, 2 * M_PI);
    }
    set_color(c->cr, s->color, 0.8);
    cairo_fill(c->cr);
}

/* 32-bit premultiplied ARGB of viridis at t, or transparent for NaN. */
static uint32_t heat_pixel(double z, double lo, double hi) {
    if (!isfinite(z)) return 0;
    uint32_t rgb = pal_to_hex(pal_viridis((z - lo) / (hi - lo)));
    return 0xFF000000u | rgb;
}

void plot_draw_heat_i(cairo_t *cr, const plot_panel *p, const plot_series *s) {
    int nx = (int)s->nx, ny = (int)s->ny;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, nx, ny);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(img);
        return;
    }
    cairo_surface_flush(img);
    unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    const plot_axis_rec *z = &p->ax[PLOT_Z].rec;
    for (int j = 0; j < ny; j++) {
        uint32_t *row = (uint32_t *)(void *)(data + (size_t)(ny - 1 - j) * (size_t)stride);
        for (int i = 0; i < nx; i++) row[i] = heat_pixel(s->y[(size_t)j * s->nx + i], z->lo, z->hi);
    }
    cairo_surface_mark_dirty(img);
    double X0 = plot_map_x_i(p, s->x0), X1 = plot_map_x_i(p, s->x1);
    double Yt = plot_map_y_i(p, s->y1), Yb = plot_map_y_i(p, s->y0);
    cairo_save(cr);
    cairo_translate(cr, X0, Yt);
    cairo_scale(cr, (X1 - X0) / nx, (Yb - Yt) / ny);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_rectangle(cr, 0, 0, nx, ny);
    cairo_fill(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
}

void plot_draw_series_i(const plot_ctx *c, const plot_panel *p, const plot_series *s) {
    cairo_new_path(c->cr);
    switch (s->kind) {
    case PLOT_LINE: draw_line(c, p, s, 0); break;
    case PLOT_STEP: draw_line(c, p, s, 1); break;
    case PLOT_BAND: draw_band(c, p, s); break;
    case PLOT_BAR: draw_bars(c, p, s); break;
    case PLOT_STACK: draw_stack_alloc(c, p, s); break;
    case PLOT_SCATTER: draw_scatter(c, p, s); break;
    case PLOT_HEATMAP: plot_draw_heat_i(c->cr, p, s); break;
    }
    cairo_new_path(c->cr);
}

/* ---- legend placement ---- */

/* Number of inked pixels of the mask (1 px per pt, origin at the plot area) under box b. */
static long inked(cairo_surface_t *m, const plot_panel *p, plot_box b) {
    int w = cairo_image_surface_get_width(m), h = cairo_image_surface_get_height(m);
    int stride = cairo_image_surface_get_stride(m);
    const unsigned char *d = cairo_image_surface_get_data(m);
    int x0 = (int)floor(b.x - p->area.x), x1 = (int)ceil(b.x + b.w - p->area.x);
    int y0 = (int)floor(b.y - p->area.y), y1 = (int)ceil(b.y + b.h - p->area.y);
    long n = 0;
    for (int y = y0 < 0 ? 0 : y0; y < y1 && y < h; y++)
        for (int x = x0 < 0 ? 0 : x0; x < x1 && x < w; x++) n += d[y * stride + x] != 0;
    return n;
}

static plot_box corner_box(const plot_ctx *c, const plot_panel *p, plot_legend where,
                           double w, double h) {
    double in = 0.4 * c->font, a = p->area.x, t = p->area.y;
    int east = where == PLOT_LEGEND_NE || where == PLOT_LEGEND_SE;
    int south = where == PLOT_LEGEND_SE || where == PLOT_LEGEND_SW;
    return (plot_box){east ? a + p->area.w - in - w : a + in,
                      south ? t + p->area.h - in - h : t + in, w, h};
}

/* The first corner (NE, NW, SE, SW) with no ink under the legend. With ink under every
 * corner: OUTSIDE, unless the legend is wider than 40% of the panel, which would leave too
 * little room for the data; then the corner with the least ink. */
static sim_status free_corner(const plot_ctx *c, plot_panel *p, double w, double h,
                              plot_legend *out, sim_err *err) {
    int mw = (int)ceil(p->area.w) + 1, mh = (int)ceil(p->area.h) + 1;
    cairo_surface_t *m = cairo_image_surface_create(CAIRO_FORMAT_A8, mw, mh);
    cairo_t *cr = cairo_create(m);
    cairo_translate(cr, -p->area.x, -p->area.y);
    plot_ctx mc = *c;
    mc.cr = cr;
    for (size_t i = 0; i < p->ns; i++) plot_draw_series_i(&mc, p, &p->s[i]);
    plot_draw_labels_i(&mc, p, 1);
    cairo_surface_flush(m);
    sim_status st = SIM_OK;
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        st = err_set(err, SIM_ENOMEM, "out of memory placing a legend");
    plot_legend least = PLOT_LEGEND_NE;
    long least_ink = -1;
    for (plot_legend k = PLOT_LEGEND_NE; st == SIM_OK && k <= PLOT_LEGEND_SW; k++) {
        long ink = inked(m, p, corner_box(c, p, k, w, h));
        if (least_ink < 0 || ink < least_ink) { least = k; least_ink = ink; }
    }
    *out = least_ink == 0 || w > 0.4 * p->cell.w ? least : PLOT_LEGEND_OUTSIDE;
    cairo_destroy(cr);
    cairo_surface_destroy(m);
    return st;
}

sim_status plot_choose_legend_i(const plot_ctx *c, plot_panel *p, sim_err *err) {
    double w, h;
    plot_legend_size_i(c, p, &w, &h);
    plot_legend where = p->legend_req;
    p->legend_rec = PLOT_LEGEND_NONE;
    if (w <= 0 || where == PLOT_LEGEND_NONE) return SIM_OK;
    if (where == PLOT_LEGEND_FIGURE) {
        if (p->fig->legend_panel == p) p->legend_rec = PLOT_LEGEND_FIGURE;
        return SIM_OK;
    }
    if (where == PLOT_LEGEND_AUTO) {
        sim_status st = free_corner(c, p, w, h, &where, err);
        if (st != SIM_OK) return st;
    }
    p->legend_rec = where;
    if (where != PLOT_LEGEND_OUTSIDE) p->legend_box = corner_box(c, p, where, w, h);
    return SIM_OK;
}
