/* tests/test_plot_demo.c - renders one demo figure of each kind to build/plot-demo-*.png for
 * a person to look at, and checks the legend placement rules on them. */
#include "testutil.h"

#include <math.h>

#include "plot.h"
#include "test_plot_lsan.h"

enum { N = 61 };

/* Deterministic noise in [-0.5, 0.5) (a hash, not a random number generator). */
static double noise(unsigned i) {
    i = (i ^ 61u) ^ (i >> 16);
    i *= 9u; i ^= i >> 4; i *= 0x27d4eb2du; i ^= i >> 15;
    return (i & 0xFFFF) / 65536.0 - 0.5;
}

static void render_ok(plot_fig *fig, const char *path) {
    sim_err err = {{0}};
    sim_status st = plot_render(fig, path, PLOT_FMT_AUTO, &err);
    if (st != SIM_OK) fail_msg("%s: %s", path, err.msg);
}

/* Two rising curves: the top-left corner stays free. */
static void fill_line(plot_panel *p) {
    double x[N], a[N], b[N];
    for (int i = 0; i < N; i++) {
        x[i] = i * 5;
        a[i] = 0.6 / (1 + exp(-(i - 30) / 5.0));
        b[i] = 0.35 / (1 + exp(-(i - 40) / 6.0));
    }
    plot_set_label(p, PLOT_X, "Step");
    plot_set_label(p, PLOT_Y, "Share listed");
    assert_int_equal(plot_line(p, "blacklisted", x, a, N, NULL), SIM_OK);
    assert_int_equal(plot_line(p, "red-listed", x, b, N, NULL), SIM_OK);
}

static void fill_band(plot_panel *p) {
    double x[N], m[N], lo[N], hi[N], m2[N], lo2[N], hi2[N];
    for (int i = 0; i < N; i++) {
        x[i] = i;
        m[i] = 700 - 150 * exp(-i / 15.0);
        lo[i] = m[i] - 20 - i * 0.6; hi[i] = m[i] + 20 + i * 0.6;
        m2[i] = 650 - 80 * exp(-i / 25.0) + 10 * sin(i / 5.0);
        lo2[i] = m2[i] - 15; hi2[i] = m2[i] + 15;
    }
    plot_set_label(p, PLOT_X, "Step");
    plot_set_label(p, PLOT_Y, "Mean score (95% CI)");
    assert_int_equal(plot_band(p, NULL, x, lo, hi, N, NULL), SIM_OK);
    assert_int_equal(plot_line(p, "with spillover", x, m, N, NULL), SIM_OK);
    assert_int_equal(plot_band(p, NULL, x, lo2, hi2, N, NULL), SIM_OK);
    assert_int_equal(plot_line(p, "no spillover", x, m2, N, NULL), SIM_OK);
}

static void fill_step(plot_panel *p) {
    double x[20], y[20], y2[20];
    for (int i = 0; i < 20; i++) {
        x[i] = i;
        y[i] = floor(3 + 10 * (1 - exp(-i / 6.0)));
        y2[i] = floor(2 + 4 * (1 - exp(-i / 4.0)));
    }
    plot_set_label(p, PLOT_X, "Year");
    plot_set_label(p, PLOT_Y, "Rules in force");
    assert_int_equal(plot_step(p, "national", x, y, 20, NULL), SIM_OK);
    assert_int_equal(plot_step(p, "local", x, y2, 20, NULL), SIM_OK);
}

static void fill_bars(plot_panel *p) {
    const double x[4] = {0, 1, 2, 3}, a[4] = {0.42, 0.31, 0.18, 0.09}, b[4] = {0.36, 0.35, 0.2, 0.07};
    double alo[4], ahi[4], blo[4], bhi[4];
    for (int i = 0; i < 4; i++) {
        alo[i] = a[i] - 0.04; ahi[i] = a[i] + 0.04; blo[i] = b[i] - 0.03; bhi[i] = b[i] + 0.03;
    }
    const char *cats[4] = {"none", "low", "mid", "high"};
    assert_int_equal(plot_set_ticks(p, PLOT_X, x, cats, 4, NULL), SIM_OK);
    plot_set_label(p, PLOT_X, "Spillover");
    plot_set_label(p, PLOT_Y, "Share of agents");
    assert_int_equal(plot_bars(p, "trusting", x, a, alo, ahi, 4, NULL), SIM_OK);
    assert_int_equal(plot_bars(p, "wary", x, b, blo, bhi, 4, NULL), SIM_OK);
}

static void fill_stack(plot_panel *p) {
    double x[N], y[3 * N];
    for (int i = 0; i < N; i++) {
        x[i] = i;
        double red = 0.25 / (1 + exp(-(i - 25) / 6.0)), black = 0.12 / (1 + exp(-(i - 35) / 5.0));
        y[i] = 1 - red - black; y[N + i] = red; y[2 * N + i] = black;
    }
    const char *labels[3] = {"clear", "red list", "blacklist"};
    plot_set_label(p, PLOT_X, "Step");
    plot_set_label(p, PLOT_Y, "Share of agents");
    plot_set_legend(p, PLOT_LEGEND_OUTSIDE);
    assert_int_equal(plot_stack(p, labels, x, y, 3, N, NULL), SIM_OK);
}

static void fill_scatter(plot_panel *p, int n) {
    double x[400], y[400], x2[400], y2[400];
    for (int i = 0; i < n; i++) {
        x[i] = 0.1 + 0.8 * (noise(4 * i) + 0.5);
        y[i] = 0.2 + 0.5 * x[i] + 0.15 * noise(4 * i + 1);
        x2[i] = 0.1 + 0.8 * (noise(4 * i + 2) + 0.5);
        y2[i] = 0.6 - 0.4 * x2[i] + 0.1 * noise(4 * i + 3);
    }
    plot_set_label(p, PLOT_X, "Initial score / 1000");
    plot_set_label(p, PLOT_Y, "Violation rate");
    assert_int_equal(plot_scatter(p, "urban", x, y, (size_t)n, NULL), SIM_OK);
    assert_int_equal(plot_scatter(p, "rural", x2, y2, (size_t)n, NULL), SIM_OK);
}

static void fill_heat(plot_panel *p) {
    double z[30 * 20];
    for (int j = 0; j < 20; j++)
        for (int i = 0; i < 30; i++)
            z[j * 30 + i] = (i / 29.0) * (j / 19.0) + 0.1 * sin(i / 3.0);
    z[5 * 30 + 5] = NAN;
    plot_set_label(p, PLOT_X, "Spillover weight \u03c9");
    plot_set_label(p, PLOT_Y, "Detection p");
    assert_int_equal(plot_heatmap(p, "Share listed", z, 30, 20, 0, 1.5, 0, 1, NULL), SIM_OK);
}

static void fill_log(plot_panel *p) {
    double x[N], y[N], y2[N];
    for (int i = 0; i < N; i++) {
        x[i] = pow(10, i / 10.0);           /* 1 .. 1e6 */
        y[i] = 3e-3 * pow(x[i], 0.8);
        y2[i] = 1e-3 * pow(x[i], 0.5);
    }
    plot_set_scale(p, PLOT_X, AXIS_LOG10);
    plot_set_scale(p, PLOT_Y, AXIS_LOG10);
    plot_set_label(p, PLOT_X, "Agents N");
    plot_set_label(p, PLOT_Y, "Time per step (s)");
    assert_int_equal(plot_line(p, "RSM-1", x, y, N, NULL), SIM_OK);
    assert_int_equal(plot_scatter(p, "baseline", x, y2, N, NULL), SIM_OK);
}

typedef void (*fill_fn)(plot_panel *);

static void demo(const char *name, fill_fn fill, const char *title, plot_legend expect) {
    plot_fig *fig = NULL;
    assert_int_equal(plot_fig_new(&fig, PLOT_SIZE_COLUMN, 1, 1, NULL), SIM_OK);
    plot_panel *p = plot_fig_panel(fig, 0, 0);
    plot_set_title(p, title);
    fill(p);
    char path[128];
    snprintf(path, sizeof path, "build/plot-demo-%s.png", name);
    render_ok(fig, path);
    if (expect != PLOT_LEGEND_AUTO && plot_rec_legend(p) != expect)
        fail_msg("%s: legend at %d, expected %d", name, plot_rec_legend(p), expect);
    plot_fig_free(fig);
}

static void fill_scatter80(plot_panel *p) { fill_scatter(p, 80); }

/* 400 points spread evenly over the unit square (a jittered 20 x 20 grid). */
static void fill_uniform(plot_panel *p) {
    double x[400], y[400];
    for (int i = 0; i < 400; i++) {
        x[i] = (i % 20 + 0.5 + 0.8 * noise(2 * i)) / 20;
        y[i] = (i / 20 + 0.5 + 0.8 * noise(2 * i + 1)) / 20;
    }
    plot_set_label(p, PLOT_X, "x");
    plot_set_label(p, PLOT_Y, "y");
    assert_int_equal(plot_scatter(p, "agents", x, y, 400, NULL), SIM_OK);
}

static void test_demo_kinds(void **state) {
    (void)state;
    demo("line", fill_line, "Listing over time", PLOT_LEGEND_NW);
    demo("band", fill_band, "Scores with intervals", PLOT_LEGEND_AUTO);
    demo("step", fill_step, "Rules in force", PLOT_LEGEND_NW);
    demo("bar", fill_bars, "Trust by spillover", PLOT_LEGEND_NE);
    demo("stack", fill_stack, "Listing states", PLOT_LEGEND_OUTSIDE);
    demo("scatter", fill_scatter80, "Violations", PLOT_LEGEND_AUTO);
    demo("heatmap", fill_heat, "Parameter sweep", PLOT_LEGEND_NONE);
    demo("log", fill_log, "Scaling", PLOT_LEGEND_NW);
}

/* Data everywhere: no free corner, so the legend goes outside on the right. */
static void test_legend_outside_when_crowded(void **state) {
    (void)state;
    demo("crowded", fill_uniform, "Dense points", PLOT_LEGEND_OUTSIDE);
}

/* A slide with a 2 x 3 grid of every kind, and a figure title. */
static void test_demo_slide(void **state) {
    (void)state;
    plot_fig *fig = NULL;
    assert_int_equal(plot_fig_new(&fig, PLOT_SIZE_SLIDE, 2, 3, NULL), SIM_OK);
    plot_fig_set_title(fig, "scsim plotting layer: every kind on one slide");
    fill_fn fills[6] = {fill_line, fill_band, fill_bars, fill_stack, fill_heat, fill_log};
    for (int i = 0; i < 6; i++) fills[i](plot_fig_panel(fig, i / 3, i % 3));
    render_ok(fig, "build/plot-demo-slide.png");
    plot_fig_free(fig);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_kinds),
        cmocka_unit_test(test_legend_outside_when_crowded),
        cmocka_unit_test(test_demo_slide),
    };
    return cmocka_run_group_tests_name("plot_demo", tests, NULL, NULL);
}
