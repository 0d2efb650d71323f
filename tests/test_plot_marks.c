/* tests/test_plot_marks.c - the plotting layer's marks for the harm and deterrence figures:
 * points with error bars (plot_scatter_err), labels beside points (plot_point_labels),
 * dashed reference lines (plot_series_dashed), the figure legend (PLOT_LEGEND_FIGURE) and
 * tick labels broken into two lines when they would touch. Records against the data, the
 * automatic limits, determinism and each usage error. Writes build/plot-marks-*. */
#include "testutil.h"

#include <math.h>
#include <unistd.h>

#include "plot.h"
#include "test_plot_lsan.h"

static void render_ok(plot_fig *fig, const char *path) {
    sim_err err = {{0}};
    if (plot_render(fig, path, PLOT_FMT_AUTO, &err) != SIM_OK) fail_msg("%s: %s", path, err.msg);
}

static plot_fig *one_panel(plot_panel **p) {
    plot_fig *fig = NULL;
    assert_int_equal(plot_fig_new_in(&fig, 6, 4, 1, 1, NULL), SIM_OK);
    *p = plot_fig_panel(fig, 0, 0);
    return fig;
}

/* Error bars: counted per point with at least one bar drawn; their ends widen the limits; a
 * non-finite end drops only that bar; a NaN point is not drawn and has no bars. */
static void test_scatter_err(void **state) {
    (void)state;
    plot_panel *p;
    plot_fig *fig = one_panel(&p);
    double x[4] = {1, 2, 3, NAN}, y[4] = {10, 20, 30, 40};
    double xlo[4] = {0.5, NAN, 2.5, 0}, xhi[4] = {1.5, 2.5, 3.5, 1};
    double ylo[4] = {5, NAN, 25, 0}, yhi[4] = {15, 22, 60, 1};
    assert_int_equal(plot_scatter_err(p, "points", x, y, xlo, xhi, ylo, yhi, 4, NULL), SIM_OK);
    render_ok(fig, "build/plot-marks-err.png");
    const plot_series_rec *s = plot_rec_series(p, 0);
    assert_int_equal(s->kind, PLOT_SCATTER);
    assert_int_equal(s->n_drawn, 3);
    assert_int_equal(s->n_nonfinite, 1);
    assert_int_equal(s->n_errbars, 2);   /* point 2 has neither bar whole */
    const plot_axis_rec *ax = plot_rec_axis(p, PLOT_X), *ay = plot_rec_axis(p, PLOT_Y);
    assert_true(ax->lo < 0.5 && ax->hi > 3.5);   /* bar ends, padded */
    assert_true(ay->lo < 5 && ay->hi > 60);
    /* only y bars; none at all is plot_scatter */
    assert_int_equal(plot_scatter_err(p, NULL, x, y, NULL, NULL, ylo, yhi, 3, NULL), SIM_OK);
    assert_int_equal(plot_scatter_err(p, NULL, x, y, NULL, NULL, NULL, NULL, 3, NULL), SIM_OK);
    render_ok(fig, "build/plot-marks-err.svg");
    assert_int_equal(plot_rec_series(p, 1)->n_errbars, 2);
    assert_int_equal(plot_rec_series(p, 2)->n_errbars, 0);
    sim_err err = {{0}};
    assert_int_equal(plot_scatter_err(p, "bad", x, y, xlo, NULL, NULL, NULL, 3, &err),
                     SIM_EUSAGE);
    assert_int_equal(plot_scatter_err(p, "bad", x, y, NULL, NULL, ylo, yhi, 0, &err),
                     SIM_EUSAGE);
    assert_int_equal(plot_nseries(p), 3);
    plot_fig_free(fig);
}

/* Labels: drawn beside drawn points; a crowd of labels on one point keeps those that fit
 * without overlapping; none for a NaN point or an empty text. */
static void test_point_labels(void **state) {
    (void)state;
    plot_panel *p;
    plot_fig *fig = one_panel(&p);
    double x[4] = {0, 10, NAN, 5}, y[4] = {0, 10, 5, 5};
    const char *text[4] = {"origin", "far corner", "never", ""};
    assert_int_equal(plot_scatter(p, "pts", x, y, 4, NULL), SIM_OK);
    assert_int_equal(plot_point_labels(p, 0, text, 4, NULL), SIM_OK);
    double cx[12], cy[12];
    const char *crowd[12];
    for (int i = 0; i < 12; i++) cx[i] = 5, cy[i] = 8, crowd[i] = "a rather long label";
    assert_int_equal(plot_scatter(p, NULL, cx, cy, 12, NULL), SIM_OK);
    assert_int_equal(plot_point_labels(p, 1, crowd, 12, NULL), SIM_OK);
    render_ok(fig, "build/plot-marks-labels.png");
    assert_int_equal(plot_rec_series(p, 0)->n_texts, 2);
    size_t crowded = plot_rec_series(p, 1)->n_texts;
    assert_true(crowded >= 2 && crowded < 12);
    /* labels change nothing about what is counted as drawn */
    assert_int_equal(plot_rec_series(p, 1)->n_drawn, 12);
    sim_err err = {{0}};
    double bx[1] = {0}, by[1] = {1};
    assert_int_equal(plot_bars(p, "bar", bx, by, NULL, NULL, 1, NULL), SIM_OK);
    assert_int_equal(plot_point_labels(p, 2, text, 1, &err), SIM_EUSAGE);   /* a bar series */
    assert_int_equal(plot_point_labels(p, 0, text, 3, &err), SIM_EUSAGE);   /* wrong length */
    assert_int_equal(plot_point_labels(p, 9, text, 4, &err), SIM_EUSAGE);   /* no series 9 */
    assert_int_equal(plot_point_labels(p, 0, NULL, 4, &err), SIM_EUSAGE);
    plot_fig_free(fig);
}

/* The same labelled figure twice gives the same SVG bytes. */
static void test_labels_deterministic(void **state) {
    (void)state;
    const char *paths[2] = {"build/plot-marks-a.svg", "build/plot-marks-b.svg"};
    for (int k = 0; k < 2; k++) {
        plot_panel *p;
        plot_fig *fig = one_panel(&p);
        double x[5] = {1, 2, 2, 3, 4}, y[5] = {1, 2, 2.1, 3, 1}, lo[5], hi[5];
        const char *t[5] = {"one", "two", "two too", "three", "four"};
        for (int i = 0; i < 5; i++) lo[i] = x[i] - 0.3, hi[i] = x[i] + 0.3;
        assert_int_equal(plot_scatter_err(p, "s", x, y, lo, hi, NULL, NULL, 5, NULL), SIM_OK);
        assert_int_equal(plot_point_labels(p, 0, t, 5, NULL), SIM_OK);
        render_ok(fig, paths[k]);
        plot_fig_free(fig);
    }
    char cmd[256];
    snprintf(cmd, sizeof cmd, "cmp -s %s %s", paths[0], paths[1]);
    assert_int_equal(system(cmd), 0);
}

static void test_dashed(void **state) {
    (void)state;
    plot_panel *p;
    plot_fig *fig = one_panel(&p);
    double x[2] = {0, 1}, y[2] = {0, 1};
    sim_err err = {{0}};
    assert_int_equal(plot_line(p, "equality", x, y, 2, NULL), SIM_OK);
    assert_int_equal(plot_scatter(p, "pts", x, y, 2, NULL), SIM_OK);
    assert_int_equal(plot_series_dashed(p, 0, &err), SIM_OK);
    assert_int_equal(plot_series_dashed(p, 1, &err), SIM_EUSAGE);   /* not a line */
    assert_int_equal(plot_series_dashed(p, 2, &err), SIM_EUSAGE);
    render_ok(fig, "build/plot-marks-dashed.pdf");
    assert_int_equal(plot_rec_series(p, 0)->n_drawn, 2);
    plot_fig_free(fig);
}

/* The figure legend: only the first panel asking gets it; it takes room under the title. */
static void test_figure_legend(void **state) {
    (void)state;
    plot_fig *fig = NULL;
    assert_int_equal(plot_fig_new(&fig, PLOT_SIZE_SLIDE, 1, 2, NULL), SIM_OK);
    plot_fig_set_title(fig, "Two panels, one legend");
    double x[3] = {0, 1, 2}, y[3] = {3, 1, 2};
    for (int c = 0; c < 2; c++) {
        plot_panel *p = plot_fig_panel(fig, 0, c);
        assert_int_equal(plot_line(p, "first", x, y, 3, NULL), SIM_OK);
        assert_int_equal(plot_line(p, "second", y, x, 3, NULL), SIM_OK);
        plot_set_legend(p, PLOT_LEGEND_FIGURE);
    }
    render_ok(fig, "build/plot-marks-figlegend.png");
    assert_int_equal(plot_rec_legend(plot_fig_panel(fig, 0, 0)), PLOT_LEGEND_FIGURE);
    assert_int_equal(plot_rec_legend(plot_fig_panel(fig, 0, 1)), PLOT_LEGEND_NONE);
    plot_fig_free(fig);
}

/* Category names that would touch are broken at a hyphen or space and all kept; names
 * without a break point are thinned instead. */
static void test_wrapped_ticks(void **state) {
    (void)state;
    static const char *const HY[6] = {"court-blacklist", "joint-punishment", "family-spillover",
                                      "face-recognition", "data-minimization", "no regime"};
    static const char *const SOLID[6] = {"courtblacklist", "jointpunishment", "familyspillover",
                                         "facerecognition", "dataminimization", "noregime"};
    for (int k = 0; k < 2; k++) {
        plot_fig *fig = NULL;
        assert_int_equal(plot_fig_new_in(&fig, 5, 3, 1, 1, NULL), SIM_OK);
        assert_int_equal(plot_fig_set_font_size(fig, 8, NULL), SIM_OK);   /* ticks 7 pt */
        plot_panel *p = plot_fig_panel(fig, 0, 0);
        double x[6] = {0, 1, 2, 3, 4, 5}, y[6] = {1, 2, 3, 4, 5, 6};
        assert_int_equal(plot_bars(p, "b", x, y, NULL, NULL, 6, NULL), SIM_OK);
        assert_int_equal(plot_set_ticks(p, PLOT_X, x, k ? SOLID : HY, 6, NULL), SIM_OK);
        render_ok(fig, k ? "build/plot-marks-solid.png" : "build/plot-marks-wrap.png");
        const axis_ticks *t = &plot_rec_axis(p, PLOT_X)->ticks;
        if (k == 0) {
            assert_int_equal(t->n, 6);
            assert_string_equal(t->label[0], "court-\nblacklist");
            assert_string_equal(t->label[5], "no\nregime");
        } else {
            assert_true(t->n < 6);
            assert_null(strchr(t->label[0], '\n'));
        }
        plot_fig_free(fig);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scatter_err),   cmocka_unit_test(test_point_labels),
        cmocka_unit_test(test_labels_deterministic), cmocka_unit_test(test_dashed),
        cmocka_unit_test(test_figure_legend), cmocka_unit_test(test_wrapped_ticks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
