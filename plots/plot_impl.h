/* plots/plot_impl.h - internals shared by plot.c, plot_series.c, plot_draw.c and
 * plot_frame.c. Not part of the API: include plot.h instead. Prefix plot_ (internal names
 * end in _i or are static). */
#ifndef PLOT_IMPL_H
#define PLOT_IMPL_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>

#include "plot.h"

typedef struct plot_box { double x, y, w, h; } plot_box;   /* points, y down */

typedef struct plot_series {
    plot_kind kind;
    char label[PLOT_TEXT_MAX];
    pal_rgb color;
    size_t n;                 /* points, columns, bars; heat map: nx * ny */
    size_t k;                 /* stack layers; otherwise 1 */
    double *x, *y, *y2, *y3;  /* owned copies; see plot_series.c for the use per kind */
    double *x2, *x3;          /* scatter: horizontal error-bar ends (NULL: none) */
    char (*text)[PLOT_TEXT_MAX];   /* [n] point labels (NULL: none), plot_point_labels */
    plot_box *text_box;       /* [n] where each label went (w == 0: not drawn) */
    int dashed;               /* line, step: dashed (plot_series_dashed) */
    char (*layer_label)[PLOT_TEXT_MAX];   /* stack: [k] */
    pal_rgb *layer_color;                 /* stack: [k] */
    size_t nx, ny;            /* heat map */
    double x0, x1, y0, y1;    /* heat map extent */
    int slot;                 /* bars: index among the panel's bar series */
    plot_series_rec rec;
} plot_series;

typedef struct plot_axis {
    axis_scale scale;
    axis_fmt fmt;
    double fix_lo, fix_hi;    /* NaN: automatic */
    char label[PLOT_TEXT_MAX];
    size_t ncustom;           /* custom ticks, 0: automatic */
    double cval[AXIS_MAX_TICKS];
    char clab[AXIS_MAX_TICKS][AXIS_LABEL_MAX];
    int clab_given;
    double tlo, thi;          /* drawn limits in transformed units (log10 for log axes) */
    plot_axis_rec rec;
} plot_axis;

struct plot_panel {
    plot_fig *fig;
    char title[PLOT_TEXT_MAX];
    plot_axis ax[3];
    plot_series *s;
    size_t ns;
    uint64_t cap;
    size_t next_color;
    int nbars;                /* bar series in this panel */
    double bar_w;             /* width of one bar, transformed x units (set by prepare) */
    plot_legend legend_req, legend_rec;
    plot_box cell, area;      /* the panel's share of the figure; its plot area */
    plot_box legend_box;      /* where the legend goes (w == 0: none) */
    int no_axes;              /* no frame, ticks or grid: positions carry no meaning */
};

struct plot_fig {
    double w_pt, h_pt, dpi, font_pt;
    int rows, cols;
    char title[PLOT_TEXT_MAX];
    plot_panel *panels;       /* [rows * cols], row-major */
    const plot_panel *legend_panel;   /* whose legend is the figure legend (while drawing) */
    int share_y;              /* plot_fig_share_y: one y range for every panel with data */
    int rec_valid;
};

/* What drawing needs: the cairo context and a pango context bound to it. */
typedef struct plot_ctx {
    cairo_t *cr;
    PangoContext *pc;
    double font;              /* base text size, pt */
    double lw;                /* data line width, pt */
} plot_ctx;

/* plot.c */
void plot_copy_text_i(char *dst, const char *src);   /* PLOT_TEXT_MAX, UTF-8 safe */

/* plot_svg.c: writes cairo's SVG with surface/image ids renumbered; 0 on a write error. */
int plot_svg_write_i(const char *buf, size_t len, FILE *f);

/* plot_series.c */
void plot_series_free_i(plot_series *s);
/* State of unit i of s (point, band column, bar, stack column, cell): 0 drawn, 1 skipped as
 * non-finite, 2 skipped as <= 0 on a log axis. */
int plot_unit_state_i(const plot_panel *p, const plot_series *s, size_t i);
double plot_stack_top_i(const plot_series *s, size_t layer, size_t i);  /* layers 0..layer */
double plot_tx_i(const plot_axis *a, double v);                 /* to transformed units */
sim_status plot_prepare_i(plot_panel *p, sim_err *err);         /* counts, limits */

/* plot_draw.c: series inside the plot area (caller clips) */
double plot_map_x_i(const plot_panel *p, double v);
double plot_map_y_i(const plot_panel *p, double v);
void plot_draw_series_i(const plot_ctx *c, const plot_panel *p, const plot_series *s);
void plot_draw_heat_i(cairo_t *cr, const plot_panel *p, const plot_series *s);
sim_status plot_choose_legend_i(const plot_ctx *c, plot_panel *p, sim_err *err);

/* plot_label.c: point labels. place: chooses each label's box (after layout, before the
 * legend, which avoids them) and counts rec.n_texts; draw: the text, or (mask) filled boxes. */
void plot_place_labels_i(const plot_ctx *c, plot_panel *p);
void plot_draw_labels_i(const plot_ctx *c, const plot_panel *p, int mask);

/* plot_frame.c: text, layout, axes, colour bar, legend */
void plot_text_size_i(const plot_ctx *c, const char *s, double size, double *w, double *h);
void plot_text_i(const plot_ctx *c, const char *s, double size, double x, double y, double ax,
                 double ay, int vertical, double maxw);   /* maxw > 0: ellipsize to it */
void plot_layout_i(const plot_ctx *c, plot_panel *p, int legend_outside);
void plot_draw_frame_i(const plot_ctx *c, const plot_panel *p);
void plot_draw_colorbar_i(const plot_ctx *c, const plot_panel *p);
void plot_legend_size_i(const plot_ctx *c, const plot_panel *p, double *w, double *h);
void plot_draw_legend_i(const plot_ctx *c, const plot_panel *p);
/* The figure legend (PLOT_LEGEND_FIGURE) of panel p in rows centred in width w from y = top;
 * draws it when draw; returns its height (0 without entries). */
double plot_fig_legend_i(const plot_ctx *c, const plot_panel *p, double w, double top, int draw);

#endif
