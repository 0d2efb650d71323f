/* plots/plot.h - figures of one or more panels, drawn with cairo to PNG, SVG or PDF.
 * Prefix plot_ (tick choice: axis.h, colours: palette.h).
 *
 * A figure is a grid of panels. Each panel has an x and a y axis (linear or log10, limits
 * from the data with 4% padding, or fixed), optional labels and a title, any number of
 * series, an optional colour bar (the z axis, present when the panel holds a heat map) and a
 * legend. Series data are copied when added, so the caller's arrays may be freed at once.
 * Lengths are in points (1/72 in) throughout; a PNG is rendered at the figure's DPI.
 *
 *   plot_fig *fig = NULL;
 *   if ((st = plot_fig_new(&fig, PLOT_SIZE_COLUMN, 1, 1, err)) != SIM_OK) goto done;
 *   plot_panel *p = plot_fig_panel(fig, 0, 0);
 *   plot_set_label(p, PLOT_X, "Step");
 *   plot_set_label(p, PLOT_Y, "Share listed");
 *   if ((st = plot_band(p, NULL, t, lo, hi, n, err)) != SIM_OK) goto done;   // same colour
 *   if ((st = plot_line(p, "mean", t, mean, n, err)) != SIM_OK) goto done;   // as the band
 *   st = plot_render(fig, "build/listed.pdf", PLOT_FMT_AUTO, err);
 * done: plot_fig_free(fig);
 *
 * Skipped data: a point (or bar, band column, stack column, heat-map cell) with a non-finite
 * value is not drawn and is counted in n_nonfinite; a line or step breaks there. On a log10
 * axis a value <= 0 is likewise skipped and counted in n_nonpositive (never an error). Fixed
 * limits clip the drawing but not the counts. Bars and stacks on a log10 y axis rise from the
 * bottom of the axis.
 *
 * Errors: SIM_EUSAGE for bad arguments (NULL data, n == 0, an unknown extension, a heat map
 * on a log axis, non-positive fixed limits on a log axis), SIM_EIO when the output file
 * cannot be written (the message names the path), SIM_ENOMEM. The layer has no global state
 * of its own (each render makes its own pango font map); one figure must not be used from two
 * threads at once. */
#ifndef PLOT_PLOT_H
#define PLOT_PLOT_H

#include <stddef.h>

#include "axis.h"
#include "err.h"
#include "palette.h"

typedef struct plot_fig plot_fig;       /* opaque; owns its panels and their data */
typedef struct plot_panel plot_panel;   /* opaque; owned by its figure */

enum { PLOT_TEXT_MAX = 160 };           /* bytes kept of a label or title (UTF-8 safe cut) */

typedef enum plot_size {
    PLOT_SIZE_COLUMN = 0,   /* 3.5 x 2.6 in, one journal column; text 8 pt */
    PLOT_SIZE_SLIDE         /* 10 x 5.6 in, a 16:9 slide; text 16 pt */
} plot_size;

typedef enum plot_dir { PLOT_X = 0, PLOT_Y = 1, PLOT_Z = 2 } plot_dir;  /* Z: colour bar */

typedef enum plot_format { PLOT_FMT_AUTO = 0, PLOT_FMT_PNG, PLOT_FMT_SVG, PLOT_FMT_PDF } plot_format;

typedef enum plot_kind {
    PLOT_LINE = 0, PLOT_BAND, PLOT_STEP, PLOT_BAR, PLOT_STACK, PLOT_SCATTER, PLOT_HEATMAP
} plot_kind;

typedef enum plot_legend {
    PLOT_LEGEND_AUTO = 0,   /* request: a corner with no data under it (NE, NW, SE, SW),
                               else outside; but when the legend is wider than 40% of the
                               panel, the corner with the least data under it */
    PLOT_LEGEND_NONE,       /* no legend, or (record) nothing had a label */
    PLOT_LEGEND_NE, PLOT_LEGEND_NW, PLOT_LEGEND_SE, PLOT_LEGEND_SW,   /* inside corners */
    PLOT_LEGEND_OUTSIDE,    /* right of the plot area */
    PLOT_LEGEND_FIGURE      /* once for the whole figure, in rows centred under the figure
                               title (for a grid of panels with the same series); only the
                               first panel asking for it gets it, the others none */
} plot_legend;

/* ---- figure ---- */

/* Creates a figure of rows x cols panels (each 1..8) at a preset size. DPI 200.
 * Returns SIM_OK with *out owned by the caller (plot_fig_free), or SIM_EUSAGE / SIM_ENOMEM
 * with *out NULL. */
sim_status plot_fig_new(plot_fig **out, plot_size size, int rows, int cols, sim_err *err);

/* As plot_fig_new at an explicit size, width and height in inches in [1, 40]. The base text
 * size is 8 pt up to 3.5 in wide, 16 pt from 10 in, linear between, divided by
 * sqrt(max(rows, cols)) for a grid but not below 7 pt (a 2 x 3 slide: 9.2 pt). */
sim_status plot_fig_new_in(plot_fig **out, double width_in, double height_in, int rows,
                           int cols, sim_err *err);

void plot_fig_free(plot_fig *fig);   /* NULL is a no-op */

/* The panel at (row, col), row 0 at the top; NULL when out of range. Owned by fig. */
plot_panel *plot_fig_panel(plot_fig *fig, int row, int col);

/* PNG resolution in dots per inch, [36, 1200]; returns SIM_EUSAGE outside. */
sim_status plot_fig_set_dpi(plot_fig *fig, double dpi, sim_err *err);

/* Base text size in points, [4, 48]: tick labels 0.875x, axis labels 1x, titles 1.125x. */
sim_status plot_fig_set_font_size(plot_fig *fig, double pt, sim_err *err);

void plot_fig_set_title(plot_fig *fig, const char *title);   /* NULL or "" removes it */
const char *plot_fig_title(const plot_fig *fig);             /* "" when none; owned by fig */
void plot_fig_grid(const plot_fig *fig, int *rows, int *cols);   /* the panel grid */

/* on: every panel with drawn data gets the same y limits, the union of the limits each would
 * have alone (fixed ends included), so panels comparing scenarios read on one scale; panels
 * without drawn data keep their own. Default off. The record shows the shared limits. */
void plot_fig_share_y(plot_fig *fig, int on);

/* Size in points (width, height); a PNG is round(size * dpi / 72) pixels. */
void plot_fig_size_pt(const plot_fig *fig, double *w_pt, double *h_pt);
double plot_fig_dpi(const plot_fig *fig);

/* ---- panel and axes (p NULL: no-op) ---- */

void plot_set_title(plot_panel *p, const char *title);
const char *plot_panel_title(const plot_panel *p);   /* "" when none or p NULL; owned by p */
void plot_set_label(plot_panel *p, plot_dir d, const char *label);   /* Z: colour bar */
void plot_set_scale(plot_panel *p, plot_dir d, axis_scale scale);    /* X and Y only */
void plot_set_format(plot_panel *p, plot_dir d, axis_fmt fmt);       /* tick labels */

/* Fixes the limits of axis d; NaN leaves that end automatic. Checked when rendering. */
void plot_set_limits(plot_panel *p, plot_dir d, double lo, double hi);

/* Replaces automatic ticks on axis d by n (<= AXIS_MAX_TICKS) given positions with labels
 * (labels NULL: formatted numbers); e.g. category names under bars. n == 0 restores automatic
 * ticks. Returns SIM_EUSAGE for n too large or a NULL/non-finite value. */
sim_status plot_set_ticks(plot_panel *p, plot_dir d, const double *value,
                          const char *const *labels, size_t n, sim_err *err);

void plot_set_legend(plot_panel *p, plot_legend where);

/* Draws the panel without frame, ticks and grid lines (titles and axis labels stay), for
 * layouts whose positions carry no meaning, such as a force-directed network. */
void plot_hide_axes(plot_panel *p);

/* ---- series ----
 * label: legend text, copied; NULL or "" keeps the series out of the legend. Each series takes
 * the next category colour (pal_category) except a band, which takes the colour the next
 * series will take, so that band-then-line pairs share a colour. All return SIM_OK, or
 * SIM_EUSAGE (p or an array NULL, n == 0) or SIM_ENOMEM, leaving the panel unchanged. */

sim_status plot_line(plot_panel *p, const char *label, const double *x, const double *y,
                     size_t n, sim_err *err);

/* Filled band between lo[i] and hi[i] (e.g. a 95% interval), 25% opaque. */
sim_status plot_band(plot_panel *p, const char *label, const double *x, const double *lo,
                     const double *hi, size_t n, sim_err *err);

/* Step function: y[i] holds from x[i] to x[i + 1] (steps after the point). */
sim_status plot_step(plot_panel *p, const char *label, const double *x, const double *y,
                     size_t n, sim_err *err);

/* Bars of height y[i] centred at x[i], from 0. Several bar series in a panel stand side by side
 * within 80% of the smallest gap between x values. err_lo / err_hi (both NULL, or both given)
 * are the y values where the error bar ends, not distances; a non-finite end drops only the
 * error bar. */
sim_status plot_bars(plot_panel *p, const char *label, const double *x, const double *y,
                     const double *err_lo, const double *err_hi, size_t n, sim_err *err);

/* Stacked area of k layers over n x values: layer j's values are y[j * n + i], stacked on
 * layers 0..j-1 from 0. labels: k strings (NULL: none; a NULL entry: that layer unlabelled).
 * Layers take k category colours. A column is skipped when x or any layer is non-finite. */
sim_status plot_stack(plot_panel *p, const char *const *labels, const double *x,
                      const double *y, size_t k, size_t n, sim_err *err);

/* Points drawn as filled circles. */
sim_status plot_scatter(plot_panel *p, const char *label, const double *x, const double *y,
                        size_t n, sim_err *err);

/* Points with error bars (e.g. 95% intervals over replicates): a horizontal bar from x_lo[i]
 * to x_hi[i] and a vertical one from y_lo[i] to y_hi[i], in the series colour. Each pair is
 * both NULL (no bars in that direction) or both given; like plot_bars, the arrays hold the
 * ends, not distances, and a non-finite (or, on a log axis, non-positive) end drops only that
 * bar. The ends count in the automatic limits. A point is drawn (n_drawn) as for plot_scatter;
 * n_errbars counts the drawn points with at least one bar drawn. */
sim_status plot_scatter_err(plot_panel *p, const char *label, const double *x, const double *y,
                            const double *x_lo, const double *x_hi, const double *y_lo,
                            const double *y_hi, size_t n, sim_err *err);

/* Labels beside the points of series i (a line or scatter; its n values): text[j] is written
 * next to point j (NULL or "": none), in tick-label text, right of the point, else left,
 * above, below or on a diagonal, whichever first fits in the plot area without covering an
 * earlier label, a scatter marker or an error bar of the panel; a label that fits nowhere
 * is left out (n_texts counts the labels drawn). Copied (at most PLOT_TEXT_MAX bytes each).
 * A label is drawn only with its point; the automatic legend avoids labels. Returns
 * SIM_EUSAGE when i does not exist, is not a line or scatter, or n differs from its length. */
sim_status plot_point_labels(plot_panel *p, size_t i, const char *const *text, size_t n,
                             sim_err *err);

/* Draws line or step series i dashed (a reference line: equality, AUC 0.5, ratio 1); the
 * legend swatch too. SIM_EUSAGE when i does not exist or is another kind. */
sim_status plot_series_dashed(plot_panel *p, size_t i, sim_err *err);

/* Heat map of nx x ny cells covering [x0, x1] x [y0, y1]; cell (i, j) has value
 * z[j * nx + i], row j = 0 at y0 (bottom). Viridis over the z limits (auto: min..max of the
 * finite values), shown in a colour bar right of the panel labelled by label (also settable
 * with plot_set_label(p, PLOT_Z, ...)). Non-finite cells stay blank. One per panel; both axes
 * must be linear. nx, ny in 1..32767; x0 != x1, y0 != y1, all finite. */
sim_status plot_heatmap(plot_panel *p, const char *label, const double *z, size_t nx,
                        size_t ny, double x0, double x1, double y0, double y1, sim_err *err);

size_t plot_nseries(const plot_panel *p);

/* Overrides the colour of series i, counted from 0 in the order added (for a stack: of its
 * bottom layer). Returns SIM_EUSAGE when i is out of range. */
sim_status plot_series_color(plot_panel *p, size_t i, pal_rgb color, sim_err *err);

/* ---- render ---- */

/* Draws the figure to path. fmt PLOT_FMT_AUTO picks the format from the extension (.png, .svg,
 * .pdf, any case); otherwise fmt wins over the extension. Returns SIM_OK; SIM_EUSAGE for an
 * unknown extension or an inconsistent figure (see above); SIM_EIO when the file cannot be
 * created or written (the message names the path; a partial file is removed); SIM_ENOMEM.
 * Replaces the drawn record (below). The same figure rendered twice to SVG gives identical
 * bytes. Cost: O(total points + cells). */
sim_status plot_render(plot_fig *fig, const char *path, plot_format fmt, sim_err *err);

/* Draws the figure onto a cairo context (a cairo_t *, passed as void * so this header does
 * not need cairo's) at the context's current transformation, the figure's top-left corner
 * at the origin and its size in points: for documents of several figures, e.g. the pages of
 * a PDF report. The drawn record becomes valid as after plot_render. */
sim_status plot_draw_onto(plot_fig *fig, void *cairo_context, sim_err *err);

/* ---- what was drawn (valid after a successful plot_render, until the next one; a failed
 * render or any change to the figure clears plot_rec_valid) ---- */

typedef struct plot_series_rec {
    plot_kind kind;
    const char *label;      /* "" when unlabelled (stack: layer 0's label); owned by fig */
    size_t layers;          /* stack: k; otherwise 1 */
    size_t n_in;            /* points / band columns / bars / stack columns / cells given */
    size_t n_drawn;         /* of those, drawn */
    size_t n_nonfinite;     /* skipped: a value was NaN or infinite */
    size_t n_nonpositive;   /* skipped: a value <= 0 on a log10 axis */
    size_t n_errbars;       /* bars: error bars drawn; scatter: points with a bar drawn */
    size_t n_texts;         /* point labels drawn (plot_point_labels) */
} plot_series_rec;

typedef struct plot_axis_rec {
    int present;            /* 1 for X and Y; Z: 1 when a colour bar was drawn */
    axis_scale scale;
    double lo, hi;          /* limits drawn, in data units */
    axis_ticks ticks;       /* tick values and labels drawn */
} plot_axis_rec;

/* 1 once the figure has been rendered successfully and not changed since. */
int plot_rec_valid(const plot_fig *fig);

/* Record of series i (in the order added), NULL when out of range. Owned by the figure. */
const plot_series_rec *plot_rec_series(const plot_panel *p, size_t i);

const plot_axis_rec *plot_rec_axis(const plot_panel *p, plot_dir d);   /* NULL for bad d */

/* Where the legend went: NONE, a corner, OUTSIDE or FIGURE. */
plot_legend plot_rec_legend(const plot_panel *p);

#endif
