/* plots/plot_label.c - labels beside points (plot_point_labels): where each goes, and drawing.
 * A label tries eight places around its point (right, left, above, below, then the diagonals)
 * and takes the first that lies inside the plot area without covering an earlier label, a
 * scatter marker or an error bar of the panel; when none does, it is left out (rec.n_texts counts those
 * drawn), so labels never print over each other.
 * Placement depends only on the figure, so SVG output stays byte-identical. */
#include "plot_impl.h"

#include <math.h>

#define LABEL_F 0.875   /* label text, times the base size: as tick labels */

static int overlaps(plot_box a, plot_box b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static int inside(const plot_panel *p, plot_box b) {
    return b.x >= p->area.x && b.y >= p->area.y && b.x + b.w <= p->area.x + p->area.w &&
           b.y + b.h <= p->area.y + p->area.h;
}

static int drawn(const plot_panel *p, const plot_series *s, size_t i) {
    return plot_unit_state_i(p, s, i) == 0;
}

/* Whether b covers an error bar of scatter point i (its ends clamped to the plot area). */
static int covers_errbar(const plot_panel *p, const plot_series *s, size_t i, plot_box b,
                         double r) {
    double X = plot_map_x_i(p, s->x[i]), Y = plot_map_y_i(p, s->y[i]);
    for (int d = 0; d < 2; d++) {
        const double *lo = d ? s->y2 : s->x2, *hi = d ? s->y3 : s->x3;
        if (!lo || !isfinite(lo[i]) || !isfinite(hi[i])) continue;
        double A = d ? plot_map_y_i(p, lo[i]) : plot_map_x_i(p, lo[i]);
        double B = d ? plot_map_y_i(p, hi[i]) : plot_map_x_i(p, hi[i]);
        double a = fmin(A, B), z = fmax(A, B);
        plot_box e = d ? (plot_box){X - r / 2, a, r, z - a} : (plot_box){a, Y - r / 2, z - a, r};
        if (overlaps(b, e)) return 1;
    }
    return 0;
}

/* Whether b covers a label placed before (series si, point before pi), another point's
 * scatter marker (radius r) or any error bar. */
static int covers(const plot_panel *p, plot_box b, size_t si, size_t pi, double r) {
    for (size_t k = 0; k < p->ns; k++) {
        const plot_series *s = &p->s[k];
        for (size_t i = 0; i < s->n; i++) {
            if (s->text_box && (k < si || (k == si && i < pi)) && s->text_box[i].w > 0 &&
                overlaps(b, s->text_box[i]))
                return 1;
            if (s->kind != PLOT_SCATTER || !drawn(p, s, i)) continue;
            if (covers_errbar(p, s, i, b, r)) return 1;
            if (k == si && i == pi) continue;
            plot_box m = {plot_map_x_i(p, s->x[i]) - r, plot_map_y_i(p, s->y[i]) - r, 2 * r,
                          2 * r};
            if (overlaps(b, m)) return 1;
        }
    }
    return 0;
}

static plot_box place_one(const plot_ctx *c, const plot_panel *p, size_t si, size_t pi,
                          double w, double h) {
    const plot_series *s = &p->s[si];
    double X = plot_map_x_i(p, s->x[pi]), Y = plot_map_y_i(p, s->y[pi]);
    double g = 0.5 * c->font, d = 0.75 * g, r = 0.28 * c->font;
    double v = fmax(g, h / 2 + 0.1 * c->font);   /* above and below clear a right or left label */
    const plot_box cand[8] = {
        {X + g, Y - h / 2, w, h},     {X - g - w, Y - h / 2, w, h},
        {X - w / 2, Y - v - h, w, h}, {X - w / 2, Y + v, w, h},
        {X + d, Y - d - h, w, h},     {X + d, Y + d, w, h},
        {X - d - w, Y - d - h, w, h}, {X - d - w, Y + d, w, h}};
    for (int k = 0; k < 8; k++)
        if (inside(p, cand[k]) && !covers(p, cand[k], si, pi, r)) return cand[k];
    return (plot_box){0, 0, 0, 0};
}

void plot_place_labels_i(const plot_ctx *c, plot_panel *p) {
    for (size_t si = 0; si < p->ns; si++) {
        plot_series *s = &p->s[si];
        s->rec.n_texts = 0;
        for (size_t i = 0; s->text && i < s->n; i++) {
            s->text_box[i] = (plot_box){0, 0, 0, 0};
            if (!s->text[i][0] || !drawn(p, s, i)) continue;
            double w, h;
            plot_text_size_i(c, s->text[i], LABEL_F * c->font, &w, &h);
            s->text_box[i] = place_one(c, p, si, i, w, h);
            s->rec.n_texts += s->text_box[i].w > 0;
        }
    }
}

void plot_draw_labels_i(const plot_ctx *c, const plot_panel *p, int mask) {
    for (size_t si = 0; si < p->ns; si++) {
        const plot_series *s = &p->s[si];
        for (size_t i = 0; s->text && i < s->n; i++) {
            plot_box b = s->text_box[i];
            if (b.w <= 0) continue;
            if (mask) {
                cairo_rectangle(c->cr, b.x, b.y, b.w, b.h);
                cairo_set_source_rgb(c->cr, 0, 0, 0);
                cairo_fill(c->cr);
            } else {
                plot_text_i(c, s->text[i], LABEL_F * c->font, b.x, b.y, 0, 0, 0, 0);
            }
        }
    }
}
