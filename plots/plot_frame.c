/* plots/plot_frame.c - text, panel layout, axes with ticks, colour bar and legend.
 * Text sizes relative to the base size F: tick labels and legend 0.875 F, axis labels F,
 * panel titles 1.125 F. Distances: pad 0.4 F, tick length 0.35 F. */
#include "plot_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define TICK_F 0.875
#define TITLE_F 1.125
enum { LEGEND_MAX = 32 };   /* entries shown */

static const char FONT_FAMILY[] = "DejaVu Sans";

static PangoLayout *make_layout(const plot_ctx *c, const char *s, double size, double maxw,
                                PangoRectangle *r) {
    pango_cairo_update_context(c->cr, c->pc);
    PangoLayout *l = pango_layout_new(c->pc);
    PangoFontDescription *fd = pango_font_description_from_string(FONT_FAMILY);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    char *safe = text_safe_dup(s, TEXT_KEEP_LINES);   /* text from a database: no controls */
    pango_layout_set_text(l, safe ? safe : "", -1);
    free(safe);
    pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);   /* lines of a wrapped tick label */
    if (maxw > 0) {
        pango_layout_set_width(l, (int)(maxw * PANGO_SCALE));
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    }
    pango_layout_get_extents(l, NULL, r);
    return l;
}

void plot_text_size_i(const plot_ctx *c, const char *s, double size, double *w, double *h) {
    PangoRectangle r;
    g_object_unref(make_layout(c, s, size, 0, &r));
    *w = (double)r.width / PANGO_SCALE;
    *h = (double)r.height / PANGO_SCALE;
}

/* Draws s with the point (ax, ay) of its box (0,0 top left; 1,1 bottom right) at (x, y);
 * vertical: turned 90 degrees anticlockwise; maxw > 0: cut with an ellipsis to that length. */
void plot_text_i(const plot_ctx *c, const char *s, double size, double x, double y, double ax,
                 double ay, int vertical, double maxw) {
    cairo_save(c->cr);
    cairo_translate(c->cr, x, y);
    if (vertical) cairo_rotate(c->cr, -M_PI / 2);
    PangoRectangle r;
    PangoLayout *l = make_layout(c, s, size, maxw, &r);
    double w = (double)r.width / PANGO_SCALE, h = (double)r.height / PANGO_SCALE;
    cairo_set_source_rgb(c->cr, 0.1, 0.1, 0.1);
    cairo_move_to(c->cr, -ax * w - (double)r.x / PANGO_SCALE, -ay * h - (double)r.y / PANGO_SCALE);
    pango_cairo_show_layout(c->cr, l);
    g_object_unref(l);
    cairo_restore(c->cr);
}

static double text_w(const plot_ctx *c, const char *s, double size) {
    double w, h;
    plot_text_size_i(c, s, size, &w, &h);
    return w;
}

static double line_h(const plot_ctx *c, double size) {
    double w, h;
    plot_text_size_i(c, "0", size, &w, &h);
    return h;
}

/* ---- ticks ---- */

static void custom_ticks(plot_axis *a) {
    axis_ticks *t = &a->rec.ticks;
    memset(t, 0, sizeof *t);
    t->kind = AXIS_TICKS_CUSTOM;
    t->lo = a->rec.lo;
    t->hi = a->rec.hi;
    for (size_t i = 0; i < a->ncustom; i++) {
        double v = a->cval[i];
        if (v < fmin(t->lo, t->hi) || v > fmax(t->lo, t->hi)) continue;
        t->value[t->n] = v;
        memcpy(t->label[t->n++], a->clab[i], AXIS_LABEL_MAX);
    }
    if (!a->clab_given) axis_ticks_label(t, a->scale, a->fmt);
}

static double widest(const plot_ctx *c, const axis_ticks *t) {
    double w = 0;
    for (size_t i = 0; i < t->n; i++) w = fmax(w, text_w(c, t->label[i], TICK_F * c->font));
    return w;
}

static double tallest(const plot_ctx *c, const axis_ticks *t) {
    double h = line_h(c, TICK_F * c->font);
    for (size_t i = 0; i < t->n; i++) {
        double w, th;
        plot_text_size_i(c, t->label[i], TICK_F * c->font, &w, &th);
        h = fmax(h, th);
    }
    return h;
}

/* Breaks a label into two lines at the space or after the hyphen nearest its middle (a space
 * becomes the line break); returns 0 when it has neither or no room. */
static int wrap_label(char *l) {
    size_t n = strlen(l), best = 0;
    double mid = n / 2.0;
    for (size_t i = 1; i + 1 < n; i++)
        if ((l[i] == ' ' || l[i] == '-') && (!best || fabs(i - mid) < fabs(best - mid))) best = i;
    if (!best || strchr(l, '\n')) return 0;
    if (l[best] == ' ') { l[best] = '\n'; return 1; }
    if (n + 2 > AXIS_LABEL_MAX) return 0;
    memmove(l + best + 2, l + best + 1, n - best);   /* keeps the NUL */
    l[best + 1] = '\n';
    return 1;
}

/* When x labels would touch: first each label broken into two lines (wrap_label), then, if
 * they still touch, every k-th custom tick kept (k as small as possible). */
static void thin_ticks(const plot_ctx *c, axis_ticks *t, double len) {
    double need = t->n * (widest(c, t) + TICK_F * c->font);
    if (need > len && len > 0) {
        for (size_t i = 0; i < t->n; i++) wrap_label(t->label[i]);
        need = t->n * (widest(c, t) + TICK_F * c->font);
    }
    size_t k = need > len && len > 0 ? (size_t)ceil(need / len) : 1, n = 0;
    for (size_t i = 0; k > 1 && i < t->n; i += k, n++) {
        t->value[n] = t->value[i];
        memmove(t->label[n], t->label[i], AXIS_LABEL_MAX);
    }
    if (k > 1) t->n = n;
}

/* Ticks for axis d along len points: about one per 5.5 (x) or 3 (y, z) text heights, fewer
 * while x labels would touch. */
static void choose_ticks(const plot_ctx *c, plot_axis *a, plot_dir d, double len) {
    if (!a->rec.present) return;
    if (a->ncustom) {
        custom_ticks(a);
        if (d == PLOT_X) thin_ticks(c, &a->rec.ticks, len);
        return;
    }
    double ft = TICK_F * c->font;
    int target = (int)lround(len / (d == PLOT_X ? 5.5 * ft : 3.0 * ft));
    if (target > (d == PLOT_X ? 10 : 8)) target = d == PLOT_X ? 10 : 8;
    if (target < 3) target = 3;
    for (;; target--) {
        axis_ticks_make(a->scale, a->rec.lo, a->rec.hi, target, a->fmt, &a->rec.ticks, NULL);
        double need = a->rec.ticks.n * (d == PLOT_X ? widest(c, &a->rec.ticks) + ft
                                                    : 1.6 * line_h(c, ft));
        if (need <= len || target <= 2) break;
    }
}

/* ---- layout ---- */

static double colorbar_w(const plot_ctx *c, const plot_panel *p) {
    const plot_axis *z = &p->ax[PLOT_Z];
    if (!z->rec.present) return 0;
    double F = c->font, w = 0.8 * F + 0.8 * F + 0.35 * F + 0.15 * F + widest(c, &z->rec.ticks);
    return w + (z->label[0] ? 0.3 * F + line_h(c, F) : 0);
}

static void margins(const plot_ctx *c, const plot_panel *p, int outside, double m[4]) {
    const axis_ticks *xt = &p->ax[PLOT_X].rec.ticks;
    double F = c->font, pad = 0.4 * F, tl = 0.35 * F, th = tallest(c, xt);
    m[0] = pad + (p->title[0] ? line_h(c, TITLE_F * F) + 0.5 * pad : 0.5 * th);   /* top */
    m[1] = tl + 0.15 * F + th + (p->ax[PLOT_X].label[0] ? 0.2 * F + line_h(c, F) : 0) + pad;
    m[2] = pad + (p->ax[PLOT_Y].label[0] ? line_h(c, F) + 0.3 * F : 0) +
           widest(c, &p->ax[PLOT_Y].rec.ticks) + 0.15 * F + tl;                   /* left */
    double last = xt->n ? text_w(c, xt->label[xt->n - 1], TICK_F * F) / 2 : 0;
    m[3] = fmax(pad, last + 0.25 * F) + colorbar_w(c, p);                         /* right */
    if (outside) {
        double w, h;
        plot_legend_size_i(c, p, &w, &h);
        if (w > 0) m[3] += pad + w;
    }
}

void plot_layout_i(const plot_ctx *c, plot_panel *p, int legend_outside) {
    double F = c->font, m[4] = {F, 2.5 * F, 4 * F, F};
    for (int pass = 0; pass < 3; pass++) {
        p->area = (plot_box){p->cell.x + m[2], p->cell.y + m[0], p->cell.w - m[2] - m[3],
                             p->cell.h - m[0] - m[1]};
        if (p->area.w < F) p->area.w = F;
        if (p->area.h < F) p->area.h = F;
        choose_ticks(c, &p->ax[PLOT_X], PLOT_X, p->area.w);
        choose_ticks(c, &p->ax[PLOT_Y], PLOT_Y, p->area.h);
        choose_ticks(c, &p->ax[PLOT_Z], PLOT_Z, p->area.h);
        if (pass < 2) margins(c, p, legend_outside, m);
    }
    p->legend_box = (plot_box){0, 0, 0, 0};
    if (legend_outside) {
        double w, h;
        plot_legend_size_i(c, p, &w, &h);
        p->legend_box = (plot_box){p->cell.x + p->cell.w - w - 0.25 * F, p->area.y, w, h};
    }
}

/* ---- axes ---- */

static int has_heat(const plot_panel *p) { return p->ax[PLOT_Z].rec.present; }

static void stroke_grey(cairo_t *cr, double grey, double width) {
    cairo_set_source_rgb(cr, grey, grey, grey);
    cairo_set_line_width(cr, width);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_stroke(cr);
}

static void grid_lines(const plot_ctx *c, const plot_panel *p) {
    const plot_box *a = &p->area;
    const axis_ticks *xt = &p->ax[PLOT_X].rec.ticks, *yt = &p->ax[PLOT_Y].rec.ticks;
    for (size_t i = 0; i < xt->n; i++) {
        double X = plot_map_x_i(p, xt->value[i]);
        cairo_move_to(c->cr, X, a->y); cairo_line_to(c->cr, X, a->y + a->h);
    }
    for (size_t i = 0; i < yt->n; i++) {
        double Y = plot_map_y_i(p, yt->value[i]);
        cairo_move_to(c->cr, a->x, Y); cairo_line_to(c->cr, a->x + a->w, Y);
    }
    stroke_grey(c->cr, 0.9, 0.5 * c->lw);
}

/* Unlabelled ticks at 2..9 x 10^e on a log axis that has a tick every decade. */
static void minor_ticks(const plot_ctx *c, const plot_panel *p, plot_dir d) {
    const plot_axis_rec *r = &p->ax[d].rec;
    if (r->scale != AXIS_LOG10 || r->ticks.kind != AXIS_TICKS_DECADES || r->ticks.step != 1)
        return;
    double tl = 0.2 * c->font, lo = fmin(r->lo, r->hi), hi = fmax(r->lo, r->hi);
    for (int e = (int)floor(log10(lo)); e <= (int)ceil(log10(hi)); e++)
        for (int m = 2; m <= 9; m++) {
            double v = m * axis_pow10(e);
            if (v < lo || v > hi) continue;
            if (d == PLOT_X) {
                double X = plot_map_x_i(p, v), Y = p->area.y + p->area.h;
                cairo_move_to(c->cr, X, Y); cairo_line_to(c->cr, X, Y + tl);
            } else {
                double Y = plot_map_y_i(p, v);
                cairo_move_to(c->cr, p->area.x, Y); cairo_line_to(c->cr, p->area.x - tl, Y);
            }
        }
}

static void ticks_and_labels(const plot_ctx *c, const plot_panel *p) {
    double F = c->font, tl = 0.35 * F, ft = TICK_F * F, B = p->area.y + p->area.h;
    const axis_ticks *xt = &p->ax[PLOT_X].rec.ticks, *yt = &p->ax[PLOT_Y].rec.ticks;
    for (size_t i = 0; i < xt->n; i++) {
        double X = plot_map_x_i(p, xt->value[i]);
        cairo_move_to(c->cr, X, B); cairo_line_to(c->cr, X, B + tl);
    }
    for (size_t i = 0; i < yt->n; i++) {
        double Y = plot_map_y_i(p, yt->value[i]);
        cairo_move_to(c->cr, p->area.x, Y); cairo_line_to(c->cr, p->area.x - tl, Y);
    }
    minor_ticks(c, p, PLOT_X);
    minor_ticks(c, p, PLOT_Y);
    stroke_grey(c->cr, 0.25, 0.6 * c->lw);
    for (size_t i = 0; i < xt->n; i++)
        plot_text_i(c, xt->label[i], ft, plot_map_x_i(p, xt->value[i]), B + tl + 0.15 * F,
                    0.5, 0, 0, 0);
    for (size_t i = 0; i < yt->n; i++)
        plot_text_i(c, yt->label[i], ft, p->area.x - tl - 0.15 * F,
                    plot_map_y_i(p, yt->value[i]), 1, 0.5, 0, 0);
}

void plot_draw_frame_i(const plot_ctx *c, const plot_panel *p) {
    const plot_box *a = &p->area;
    double F = c->font, pad = 0.4 * F;
    if (!p->no_axes) {
        if (!has_heat(p)) grid_lines(c, p);
        cairo_move_to(c->cr, a->x, a->y);
        cairo_line_to(c->cr, a->x, a->y + a->h);
        cairo_line_to(c->cr, a->x + a->w, a->y + a->h);
        if (has_heat(p)) { cairo_line_to(c->cr, a->x + a->w, a->y); cairo_close_path(c->cr); }
        stroke_grey(c->cr, 0.25, 0.6 * c->lw);
        ticks_and_labels(c, p);
    }
    if (p->title[0]) {   /* centred over the plot area, within the panel's cell */
        double mid = a->x + a->w / 2;
        double half = fmin(mid - p->cell.x, p->cell.x + p->cell.w - mid) - pad;
        plot_text_i(c, p->title, TITLE_F * F, mid, p->cell.y + pad, 0.5, 0, 0, 2 * half);
    }
    if (p->ax[PLOT_X].label[0])
        plot_text_i(c, p->ax[PLOT_X].label, F, a->x + a->w / 2, p->cell.y + p->cell.h - pad,
                    0.5, 1, 0, p->cell.w - 2 * pad);
    if (p->ax[PLOT_Y].label[0])
        plot_text_i(c, p->ax[PLOT_Y].label, F, p->cell.x + pad, a->y + a->h / 2, 0.5, 0, 1,
                    a->h + fmin(a->y - p->cell.y, p->cell.y + p->cell.h - a->y - a->h) * 2);
}

void plot_draw_colorbar_i(const plot_ctx *c, const plot_panel *p) {
    const plot_axis *z = &p->ax[PLOT_Z];
    if (!z->rec.present) return;
    double F = c->font, tl = 0.35 * F, x = p->area.x + p->area.w + 0.8 * F, w = 0.8 * F;
    double y = p->area.y, h = p->area.h, lo = z->rec.lo, hi = z->rec.hi;
    cairo_pattern_t *g = cairo_pattern_create_linear(0, y + h, 0, y);
    for (size_t k = 0; k < PAL_VIRIDIS_STOPS; k++) {
        pal_rgb col = pal_viridis_stop(k);
        cairo_pattern_add_color_stop_rgb(g, (double)k / (PAL_VIRIDIS_STOPS - 1), col.r, col.g,
                                         col.b);
    }
    cairo_rectangle(c->cr, x, y, w, h);
    cairo_set_source(c->cr, g);
    cairo_fill_preserve(c->cr);
    cairo_pattern_destroy(g);
    const axis_ticks *t = &z->rec.ticks;
    for (size_t i = 0; i < t->n; i++) {
        double Y = y + h - (t->value[i] - lo) / (hi - lo) * h;
        cairo_move_to(c->cr, x + w, Y); cairo_line_to(c->cr, x + w + tl, Y);
    }
    stroke_grey(c->cr, 0.25, 0.6 * c->lw);
    for (size_t i = 0; i < t->n; i++)
        plot_text_i(c, t->label[i], TICK_F * F, x + w + tl + 0.15 * F,
                    y + h - (t->value[i] - lo) / (hi - lo) * h, 0, 0.5, 0, 0);
    if (z->label[0])
        plot_text_i(c, z->label, F, x + w + tl + 0.15 * F + widest(c, t) + 0.3 * F, y + h / 2,
                    0.5, 0, 1, h);
}

/* ---- legend ---- */

typedef struct entry {
    const char *text;
    pal_rgb color;
    plot_kind kind;
    int dashed;
} entry;

/* Labelled series in the order added; a stack's layers top first. At most LEGEND_MAX. */
static size_t entries(const plot_panel *p, entry *e) {
    size_t n = 0;
    for (size_t i = 0; i < p->ns; i++) {
        const plot_series *s = &p->s[i];
        if (s->kind == PLOT_HEATMAP) continue;
        for (size_t j = s->k; j-- > 0 && n < LEGEND_MAX;) {
            const char *text = s->kind == PLOT_STACK ? s->layer_label[j] : s->label;
            pal_rgb col = s->kind == PLOT_STACK ? s->layer_color[j] : s->color;
            if (text[0]) e[n++] = (entry){text, col, s->kind, s->dashed};
        }
    }
    return n;
}

void plot_legend_size_i(const plot_ctx *c, const plot_panel *p, double *w, double *h) {
    entry e[LEGEND_MAX];
    size_t n = entries(p, e);
    double F = c->font, tw = 0;
    for (size_t i = 0; i < n; i++) tw = fmax(tw, text_w(c, e[i].text, TICK_F * F));
    *w = n ? 0.4 * F + 1.6 * F + 0.4 * F + tw + 0.4 * F : 0;
    *h = n ? 0.5 * F + n * 1.25 * line_h(c, TICK_F * F) : 0;
}

static void swatch(const plot_ctx *c, const entry *e, double x, double y, double F) {
    cairo_t *cr = c->cr;
    double w = 1.6 * F, s = 0.7 * F;
    cairo_new_path(cr);
    if (e->kind == PLOT_LINE || e->kind == PLOT_STEP) {
        cairo_move_to(cr, x, y); cairo_line_to(cr, x + w, y);
        cairo_set_source_rgb(cr, e->color.r, e->color.g, e->color.b);
        cairo_set_line_width(cr, 1.25 * c->lw);
        const double dash[2] = {4 * c->lw, 3 * c->lw};
        if (e->dashed) cairo_set_dash(cr, dash, 2, 0);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        return;
    }
    if (e->kind == PLOT_SCATTER) cairo_arc(cr, x + w / 2, y, 0.28 * F, 0, 2 * M_PI);
    else cairo_rectangle(cr, x + (w - 1.4 * s) / 2, y - s / 2, 1.4 * s, s);
    double alpha = e->kind == PLOT_BAND ? 0.25 : e->kind == PLOT_SCATTER ? 0.8 : 1;
    cairo_set_source_rgba(cr, e->color.r, e->color.g, e->color.b, alpha);
    cairo_fill(cr);
}

void plot_draw_legend_i(const plot_ctx *c, const plot_panel *p) {
    if (p->legend_rec == PLOT_LEGEND_NONE || p->legend_rec == PLOT_LEGEND_FIGURE) return;
    entry e[LEGEND_MAX];
    size_t n = entries(p, e);
    const plot_box *b = &p->legend_box;
    double F = c->font, row = 1.25 * line_h(c, TICK_F * F);
    if (p->legend_rec != PLOT_LEGEND_OUTSIDE) {
        cairo_rectangle(c->cr, b->x, b->y, b->w, b->h);
        cairo_set_source_rgba(c->cr, 1, 1, 1, 0.9);
        cairo_fill_preserve(c->cr);
        stroke_grey(c->cr, 0.8, 0.5 * c->lw);
    }
    for (size_t i = 0; i < n; i++) {
        double y = b->y + 0.25 * F + (i + 0.5) * row;
        swatch(c, &e[i], b->x + 0.4 * F, y, F);
        plot_text_i(c, e[i].text, TICK_F * F, b->x + 2.4 * F, y, 0, 0.5, 0, 0);
    }
}

/* Entry widths and row breaks of a figure legend: e[i] starts a new row when brk[i]. */
static size_t fig_rows(const plot_ctx *c, const entry *e, size_t n, double avail, double *ew,
                       int *brk) {
    double F = c->font, x = 0;
    size_t rows = 0;
    for (size_t i = 0; i < n; i++) {
        ew[i] = 1.6 * F + 0.4 * F + text_w(c, e[i].text, TICK_F * F);
        brk[i] = i == 0 || x + 1.2 * F + ew[i] > avail;
        if (brk[i]) { rows++; x = ew[i]; }
        else x += 1.2 * F + ew[i];
    }
    return rows;
}

double plot_fig_legend_i(const plot_ctx *c, const plot_panel *p, double w, double top, int draw) {
    entry e[LEGEND_MAX];
    double ew[LEGEND_MAX], F = c->font, row = 1.3 * line_h(c, TICK_F * F);
    int brk[LEGEND_MAX];
    size_t n = entries(p, e), rows = fig_rows(c, e, n, w - 2 * F, ew, brk);
    size_t r = 0;
    for (size_t i = 0; draw && i < n; r++) {
        size_t j = i + 1;
        double rw = ew[i];
        while (j < n && !brk[j]) rw += 1.2 * F + ew[j++];
        double x = (w - rw) / 2, y = top + 0.2 * F + ((double)r + 0.5) * row;
        for (; i < j; i++) {
            swatch(c, &e[i], x, y, F);
            plot_text_i(c, e[i].text, TICK_F * F, x + 2.0 * F, y, 0, 0.5, 0, 0);
            x += ew[i] + 1.2 * F;
        }
    }
    return n ? 0.4 * F + (double)rows * row : 0;
}
