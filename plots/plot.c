/* plots/plot.c - figures, panel settings and rendering to PNG, SVG or PDF. */
#include "plot_impl.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void plot_copy_text_i(char *dst, const char *src) {
    size_t n = src ? strlen(src) : 0;
    if (n > PLOT_TEXT_MAX - 1) {
        n = PLOT_TEXT_MAX - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--;   /* no split char */
    }
    if (n) memcpy(dst, src, n);
    dst[n] = '\0';
}

/* ---- figure ---- */

static void panel_init(plot_panel *p, plot_fig *fig) {
    memset(p, 0, sizeof *p);
    p->fig = fig;
    for (int d = 0; d < 3; d++) p->ax[d].fix_lo = p->ax[d].fix_hi = NAN;
}

sim_status plot_fig_new_in(plot_fig **out, double width_in, double height_in, int rows,
                           int cols, sim_err *err) {
    *out = NULL;
    if (!(width_in >= 1 && width_in <= 40 && height_in >= 1 && height_in <= 40))
        return err_set(err, SIM_EUSAGE, "figure size %g x %g in: each side must be 1 to 40 in",
                       width_in, height_in);
    if (rows < 1 || rows > 8 || cols < 1 || cols > 8)
        return err_set(err, SIM_EUSAGE, "figure grid %d x %d: rows and columns must be 1 to 8",
                       rows, cols);
    plot_fig *f = calloc(1, sizeof *f);
    if (f) f->panels = calloc((size_t)(rows * cols), sizeof *f->panels);
    if (!f || !f->panels) {
        free(f);
        return err_set(err, SIM_ENOMEM, "out of memory creating a %d x %d figure", rows, cols);
    }
    f->w_pt = width_in * 72;
    f->h_pt = height_in * 72;
    f->dpi = 200;
    double base = fmin(16, fmax(8, 8 + (width_in - 3.5) * 8 / 6.5));
    f->font_pt = fmin(base, fmax(7, base / sqrt(rows > cols ? rows : cols)));
    f->rows = rows;
    f->cols = cols;
    for (int i = 0; i < rows * cols; i++) panel_init(&f->panels[i], f);
    *out = f;
    return SIM_OK;
}

sim_status plot_fig_new(plot_fig **out, plot_size size, int rows, int cols, sim_err *err) {
    if (size == PLOT_SIZE_SLIDE) return plot_fig_new_in(out, 10, 5.6, rows, cols, err);
    if (size == PLOT_SIZE_COLUMN) return plot_fig_new_in(out, 3.5, 2.6, rows, cols, err);
    *out = NULL;
    return err_set(err, SIM_EUSAGE, "unknown figure size preset %d", (int)size);
}

void plot_fig_free(plot_fig *fig) {
    if (!fig) return;
    for (int i = 0; i < fig->rows * fig->cols; i++) {
        plot_panel *p = &fig->panels[i];
        for (size_t j = 0; j < p->ns; j++) plot_series_free_i(&p->s[j]);
        free(p->s);
    }
    free(fig->panels);
    free(fig);
}

plot_panel *plot_fig_panel(plot_fig *fig, int row, int col) {
    if (!fig || row < 0 || col < 0 || row >= fig->rows || col >= fig->cols) return NULL;
    return &fig->panels[row * fig->cols + col];
}

sim_status plot_fig_set_dpi(plot_fig *fig, double dpi, sim_err *err) {
    if (!(dpi >= 36 && dpi <= 1200))
        return err_set(err, SIM_EUSAGE, "PNG resolution %g dpi: must be 36 to 1200", dpi);
    fig->dpi = dpi;
    fig->rec_valid = 0;
    return SIM_OK;
}

sim_status plot_fig_set_font_size(plot_fig *fig, double pt, sim_err *err) {
    if (!(pt >= 4 && pt <= 48))
        return err_set(err, SIM_EUSAGE, "text size %g pt: must be 4 to 48", pt);
    fig->font_pt = pt;
    fig->rec_valid = 0;
    return SIM_OK;
}

void plot_fig_set_title(plot_fig *fig, const char *title) {
    plot_copy_text_i(fig->title, title);
    fig->rec_valid = 0;
}

const char *plot_fig_title(const plot_fig *fig) { return fig->title; }

void plot_fig_size_pt(const plot_fig *fig, double *w_pt, double *h_pt) {
    *w_pt = fig->w_pt;
    *h_pt = fig->h_pt;
}

double plot_fig_dpi(const plot_fig *fig) { return fig->dpi; }

/* ---- panel settings ---- */

static plot_axis *axis_of(plot_panel *p, plot_dir d) {
    if (!p || (int)d < 0 || d > PLOT_Z) return NULL;
    p->fig->rec_valid = 0;
    return &p->ax[d];
}

void plot_set_title(plot_panel *p, const char *title) {
    if (!p) return;
    plot_copy_text_i(p->title, title);
    p->fig->rec_valid = 0;
}

const char *plot_panel_title(const plot_panel *p) { return p ? p->title : ""; }

void plot_fig_grid(const plot_fig *fig, int *rows, int *cols) {
    *rows = fig->rows, *cols = fig->cols;
}

void plot_set_label(plot_panel *p, plot_dir d, const char *label) {
    plot_axis *a = axis_of(p, d);
    if (a) plot_copy_text_i(a->label, label);
}

void plot_set_scale(plot_panel *p, plot_dir d, axis_scale scale) {
    plot_axis *a = d == PLOT_Z ? NULL : axis_of(p, d);
    if (a) a->scale = scale == AXIS_LOG10 ? AXIS_LOG10 : AXIS_LINEAR;
}

void plot_set_format(plot_panel *p, plot_dir d, axis_fmt fmt) {
    plot_axis *a = axis_of(p, d);
    if (a) a->fmt = fmt;
}

void plot_set_limits(plot_panel *p, plot_dir d, double lo, double hi) {
    plot_axis *a = axis_of(p, d);
    if (a) { a->fix_lo = lo; a->fix_hi = hi; }
}

sim_status plot_set_ticks(plot_panel *p, plot_dir d, const double *value,
                          const char *const *labels, size_t n, sim_err *err) {
    plot_axis *a = axis_of(p, d);
    if (!a || n > AXIS_MAX_TICKS || (n > 0 && !value))
        return err_set(err, SIM_EUSAGE, "custom ticks: need a panel, an axis and at most %d "
                       "values", AXIS_MAX_TICKS);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(value[i]))
            return err_set(err, SIM_EUSAGE, "custom tick %zu is not finite", i);
    a->ncustom = n;
    a->clab_given = labels != NULL;
    for (size_t i = 0; i < n; i++) {
        a->cval[i] = value[i];
        const char *l = labels && labels[i] ? labels[i] : "";
        size_t len = strnlen(l, AXIS_LABEL_MAX - 1);
        while (len > 0 && len < strlen(l) && ((unsigned char)l[len] & 0xC0) == 0x80) len--;
        memcpy(a->clab[i], l, len);
        a->clab[i][len] = '\0';
    }
    return SIM_OK;
}

void plot_set_legend(plot_panel *p, plot_legend where) {
    if (!p) return;
    p->legend_req = where;
    p->fig->rec_valid = 0;
}

void plot_hide_axes(plot_panel *p) {
    if (p) p->no_axes = 1;
}

/* ---- records ---- */

int plot_rec_valid(const plot_fig *fig) { return fig && fig->rec_valid; }

const plot_series_rec *plot_rec_series(const plot_panel *p, size_t i) {
    return p && i < p->ns ? &p->s[i].rec : NULL;
}

const plot_axis_rec *plot_rec_axis(const plot_panel *p, plot_dir d) {
    return p && (int)d >= 0 && d <= PLOT_Z ? &p->ax[d].rec : NULL;
}

plot_legend plot_rec_legend(const plot_panel *p) { return p ? p->legend_rec : PLOT_LEGEND_NONE; }

/* ---- rendering ---- */

static sim_status format_of(const char *path, plot_format fmt, plot_format *out, sim_err *err) {
    if (fmt == PLOT_FMT_PNG || fmt == PLOT_FMT_SVG || fmt == PLOT_FMT_PDF) {
        *out = fmt;
        return SIM_OK;
    }
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash)) {
        if (strcasecmp(dot, ".png") == 0) { *out = PLOT_FMT_PNG; return SIM_OK; }
        if (strcasecmp(dot, ".svg") == 0) { *out = PLOT_FMT_SVG; return SIM_OK; }
        if (strcasecmp(dot, ".pdf") == 0) { *out = PLOT_FMT_PDF; return SIM_OK; }
    }
    return err_set(err, SIM_EUSAGE, "%s: unknown figure format; use .png, .svg or .pdf, or "
                   "name the format", path);
}

/* Where cairo's output goes: straight to the file, or (SVG) to memory first. */
typedef struct sink {
    FILE *f;
    int failed;          /* a write failed */
    int buffered;        /* collect in buf (SVG, to renumber ids before writing) */
    char *buf;
    size_t len, cap;
} sink;

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len) {
    sink *s = closure;
    if (!s->buffered) {
        if (fwrite(data, 1, len, s->f) != len) s->failed = 1;
        return s->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
    }
    if (s->len + len > s->cap) {
        size_t cap = s->cap ? s->cap : 65536;
        while (cap < s->len + len) cap *= 2;
        char *b = realloc(s->buf, cap);
        if (!b) return CAIRO_STATUS_NO_MEMORY;
        s->buf = b;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, data, len);
    s->len += len;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *make_surface(const plot_fig *f, plot_format fmt, sink *s) {
    if (fmt == PLOT_FMT_SVG) {
        cairo_surface_t *sf = cairo_svg_surface_create_for_stream(sink_write, s, f->w_pt, f->h_pt);
        cairo_svg_surface_restrict_to_version(sf, CAIRO_SVG_VERSION_1_1);
        return sf;
    }
    if (fmt == PLOT_FMT_PDF) {
        cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(sink_write, s, f->w_pt, f->h_pt);
        cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "scsim plots");
        return sf;
    }
    int w = (int)lround(f->w_pt * f->dpi / 72), h = (int)lround(f->h_pt * f->dpi / 72);
    return cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
}

static void cell_boxes(plot_fig *f, double top) {
    double cw = f->w_pt / f->cols, ch = (f->h_pt - top) / f->rows;
    for (int r = 0; r < f->rows; r++)
        for (int c = 0; c < f->cols; c++)
            f->panels[r * f->cols + c].cell = (plot_box){c * cw, top + r * ch, cw, ch};
}

static sim_status draw_panel(const plot_ctx *c, plot_panel *p, sim_err *err) {
    plot_layout_i(c, p, p->legend_req == PLOT_LEGEND_OUTSIDE);
    plot_place_labels_i(c, p);
    sim_status st = plot_choose_legend_i(c, p, err);
    if (st != SIM_OK) return st;
    if (p->legend_rec == PLOT_LEGEND_OUTSIDE && p->legend_req != PLOT_LEGEND_OUTSIDE) {
        plot_layout_i(c, p, 1);
        plot_place_labels_i(c, p);   /* the plot area shrank */
    }
    plot_draw_frame_i(c, p);
    cairo_save(c->cr);
    cairo_rectangle(c->cr, p->area.x, p->area.y, p->area.w, p->area.h);
    cairo_clip(c->cr);
    for (size_t i = 0; i < p->ns; i++) plot_draw_series_i(c, p, &p->s[i]);
    plot_draw_labels_i(c, p, 0);
    cairo_restore(c->cr);
    plot_draw_colorbar_i(c, p);
    plot_draw_legend_i(c, p);
    return SIM_OK;
}

static sim_status draw_figure(plot_fig *f, cairo_t *cr, sim_err *err) {
    PangoFontMap *fm = pango_cairo_font_map_new();
    PangoContext *pc = pango_font_map_create_context(fm);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(pc, fo);
    pango_cairo_context_set_resolution(pc, 72);
    plot_ctx c = {cr, pc, f->font_pt, f->font_pt / 8};
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    double top = 0;
    if (f->title[0]) {
        double w, h;
        plot_text_size_i(&c, f->title, 1.25 * c.font, &w, &h);
        plot_text_i(&c, f->title, 1.25 * c.font, f->w_pt / 2, 0.3 * c.font, 0.5, 0, 0, f->w_pt);
        top = h + 0.5 * c.font;
    }
    f->legend_panel = NULL;
    for (int i = 0; i < f->rows * f->cols && !f->legend_panel; i++)
        if (f->panels[i].legend_req == PLOT_LEGEND_FIGURE) f->legend_panel = &f->panels[i];
    if (f->legend_panel) top += plot_fig_legend_i(&c, f->legend_panel, f->w_pt, top, 1);
    cell_boxes(f, top);
    sim_status st = SIM_OK;
    for (int i = 0; i < f->rows * f->cols && st == SIM_OK; i++)
        st = draw_panel(&c, &f->panels[i], err);
    cairo_font_options_destroy(fo);
    g_object_unref(pc);
    g_object_unref(fm);
    return st;
}

static sim_status finish(cairo_surface_t *sf, cairo_t *cr, plot_format fmt, sink *s,
                         const char *path, sim_err *err) {
    cairo_status_t cs = cairo_status(cr);
    if (cs == CAIRO_STATUS_SUCCESS) {
        cairo_show_page(cr);
        if (fmt == PLOT_FMT_PNG) cs = cairo_surface_write_to_png_stream(sf, sink_write, s);
        cairo_surface_finish(sf);
        if (cs == CAIRO_STATUS_SUCCESS) cs = cairo_surface_status(sf);
        if (cs == CAIRO_STATUS_SUCCESS && s->buffered && !plot_svg_write_i(s->buf, s->len, s->f))
            s->failed = 1;
    }
    if (s->failed || cs == CAIRO_STATUS_WRITE_ERROR)
        return err_set(err, SIM_EIO, "cannot write figure %s: %s", path, strerror(errno));
    if (cs == CAIRO_STATUS_NO_MEMORY)
        return err_set(err, SIM_ENOMEM, "out of memory drawing figure %s", path);
    if (cs != CAIRO_STATUS_SUCCESS)
        return err_set(err, SIM_ERUN, "drawing figure %s failed: %s", path,
                       cairo_status_to_string(cs));
    return SIM_OK;
}

void plot_fig_share_y(plot_fig *fig, int on) {
    if (fig) fig->share_y = on != 0;
}

/* 1 when panel p drew any unit (its limits come from data, not the empty default). */
static int has_drawn(const plot_panel *p) {
    for (size_t i = 0; i < p->ns; i++)
        if (p->s[i].rec.n_drawn > 0) return 1;
    return 0;
}

/* plot_fig_share_y: the union of the y limits of the panels with data, given to each (panels
 * of one scale only; a panel on another scale keeps its own). */
static void share_limits(plot_fig *f) {
    double lo = INFINITY, hi = -INFINITY;
    int n = f->rows * f->cols, scale = -1;
    for (int i = 0; i < n; i++) {
        const plot_axis *a = &f->panels[i].ax[PLOT_Y];
        if (!has_drawn(&f->panels[i])) continue;
        if (scale < 0) scale = (int)a->scale;
        if ((int)a->scale != scale) return;
        lo = fmin(lo, a->tlo), hi = fmax(hi, a->thi);
    }
    for (int i = 0; i < n && lo < hi; i++) {
        plot_axis *a = &f->panels[i].ax[PLOT_Y];
        if (!has_drawn(&f->panels[i])) continue;
        a->tlo = lo, a->thi = hi;
        a->rec.lo = a->scale == AXIS_LOG10 ? pow(10, lo) : lo;
        a->rec.hi = a->scale == AXIS_LOG10 ? pow(10, hi) : hi;
    }
}

static sim_status prepare_all(plot_fig *f, sim_err *err) {
    for (int i = 0; i < f->rows * f->cols; i++) {
        sim_status st = plot_prepare_i(&f->panels[i], err);
        if (st != SIM_OK) {
            if (f->rows * f->cols > 1) err_prefix(err, "panel %d: ", i + 1);
            return st;
        }
    }
    if (f->share_y) share_limits(f);
    return SIM_OK;
}

sim_status plot_render(plot_fig *fig, const char *path, plot_format fmt, sim_err *err) {
    if (!fig || !path) return err_set(err, SIM_EUSAGE, "plot_render: no figure or no path");
    fig->rec_valid = 0;
    plot_format f = PLOT_FMT_PNG;
    sim_status st = format_of(path, fmt, &f, err);
    if (st == SIM_OK) st = prepare_all(fig, err);
    if (st != SIM_OK) return st;
    sink s = {fopen(path, "wb"), 0, f == PLOT_FMT_SVG, NULL, 0, 0};
    if (!s.f) return err_set(err, SIM_EIO, "cannot create figure %s: %s", path, strerror(errno));
    cairo_surface_t *sf = make_surface(fig, f, &s);
    cairo_t *cr = cairo_create(sf);
    if (f == PLOT_FMT_PNG) cairo_scale(cr, fig->dpi / 72, fig->dpi / 72);
    st = draw_figure(fig, cr, err);
    if (st == SIM_OK) st = finish(sf, cr, f, &s, path, err);
    cairo_destroy(cr);
    cairo_surface_destroy(sf);
    free(s.buf);
    if (fclose(s.f) != 0 && st == SIM_OK)
        st = err_set(err, SIM_EIO, "cannot write figure %s: %s", path, strerror(errno));
    if (st != SIM_OK) remove(path);
    else fig->rec_valid = 1;
    return st;
}

sim_status plot_draw_onto(plot_fig *fig, void *cairo_context, sim_err *err) {
    if (!fig || !cairo_context) return err_set(err, SIM_EUSAGE, "plot_draw_onto: no figure");
    fig->rec_valid = 0;
    sim_status st = prepare_all(fig, err);
    if (st == SIM_OK) st = draw_figure(fig, cairo_context, err);
    if (st == SIM_OK) fig->rec_valid = 1;
    return st;
}
