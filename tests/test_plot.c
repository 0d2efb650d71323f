/* tests/test_plot.c - figures: output formats and sizes, the drawn record, limits, legends,
 * determinism, and each error path. Writes under build/ (run from the repository root). */
#include "testutil.h"

#include <math.h>
#include <unistd.h>

#include "plot.h"
#include "test_plot_lsan.h"

/* ---- file checks ---- */

static unsigned char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    unsigned char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* PNG signature, then the IHDR chunk's width and height. */
static void check_png(const char *path, uint32_t w, uint32_t h) {
    size_t len;
    unsigned char *b = slurp(path, &len);
    assert_true(len > 33);
    assert_memory_equal(b, "\x89PNG\r\n\x1a\n", 8);
    assert_memory_equal(b + 12, "IHDR", 4);
    assert_int_equal(be32(b + 16), w);
    assert_int_equal(be32(b + 20), h);
    free(b);
}

/* Tags balance: every <name ...> is closed by </name> in order; <.../>, <?...?>, <!...>
 * stand alone. Returns the number of elements, or -1. */
static int svg_elements(const char *s) {
    char stack[64][32];
    int depth = 0, count = 0;
    for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<')) {
        const char *end = strchr(p, '>');
        if (!end) return -1;
        if (p[1] == '?' || p[1] == '!') continue;
        size_t n = strcspn(p + 1 + (p[1] == '/'), " \t\r\n/>");
        if (n == 0 || n >= 32) return -1;
        const char *name = p + 1 + (p[1] == '/');
        if (p[1] == '/') {
            if (depth == 0 || strncmp(stack[depth - 1], name, n) || stack[depth - 1][n]) return -1;
            depth--;
        } else if (end[-1] != '/') {
            if (depth == 64) return -1;
            memcpy(stack[depth], name, n);
            stack[depth++][n] = '\0';
            count++;
        } else count++;
    }
    return depth == 0 ? count : -1;
}

static void check_svg(const char *path, const char *size_attr) {
    size_t len;
    char *s = (char *)slurp(path, &len);
    assert_true(strncmp(s, "<?xml", 5) == 0);
    assert_true(svg_elements(s) > 10);
    assert_contains(s, size_attr);
    free(s);
}

/* pdfinfo reports one page of w x h points. */
static void check_pdf(const char *path, double w, double h) {
    char cmd[512], line[256];
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>&1", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    int pages = -1;
    double pw = -1, ph = -1;
    while (fgets(line, sizeof line, p)) {
        if (strncmp(line, "Pages:", 6) == 0) pages = atoi(line + 6);
        if (strncmp(line, "Page size:", 10) == 0) sscanf(line + 10, "%lf x %lf", &pw, &ph);
    }
    assert_int_equal(pclose(p), 0);
    assert_int_equal(pages, 1);
    if (fabs(pw - w) > 1e-6 || fabs(ph - h) > 1e-6)
        fail_msg("%s: page %g x %g pt, expected %g x %g", path, pw, ph, w, h);
}

static void render_ok(plot_fig *fig, const char *path) {
    sim_err err = {{0}};
    sim_status st = plot_render(fig, path, PLOT_FMT_AUTO, &err);
    if (st != SIM_OK) fail_msg("%s: %s", path, err.msg);
}

/* ---- a figure with every kind, and known skipped data ---- */

enum { N = 40 };

/* 2 x 4 panels: line (2 NaN), band (1 NaN), step, bars with error bars (1 NaN bar, 1 NaN
 * whisker), stack (1 NaN column), scatter, heat map (3 NaN cells), log-y line (2 <= 0). */
static plot_fig *every_kind(void) {
    plot_fig *fig = NULL;
    assert_int_equal(plot_fig_new(&fig, PLOT_SIZE_SLIDE, 2, 4, NULL), SIM_OK);
    double x[N], y[N], lo[N], hi[N], st[2 * N], z[12 * 8];
    for (int i = 0; i < N; i++) {
        x[i] = i; y[i] = sin(i / 6.0); lo[i] = y[i] - 0.2; hi[i] = y[i] + 0.2;
        st[i] = 1 + 0.5 * sin(i / 5.0); st[N + i] = 0.5 + 0.01 * i;
    }
    for (int i = 0; i < 96; i++) z[i] = i % 12 + i / 12;
    y[3] = NAN; y[17] = INFINITY; lo[5] = NAN; st[N + 8] = NAN;
    z[0] = NAN; z[50] = NAN; z[95] = -INFINITY;
    double bx[5] = {1, 2, 3, 4, 5}, by[5] = {3, 1, NAN, 2, 4};
    double blo[5] = {2.5, 0.5, 1, NAN, 3.5}, bhi[5] = {3.5, 1.5, 2, 2.5, 4.5};
    plot_panel *p[8];
    for (int i = 0; i < 8; i++) p[i] = plot_fig_panel(fig, i / 4, i % 4);
    assert_int_equal(plot_line(p[0], "line", x, y, N, NULL), SIM_OK);
    assert_int_equal(plot_band(p[1], "band", x, lo, hi, N, NULL), SIM_OK);
    assert_int_equal(plot_step(p[2], "step", x, hi, N, NULL), SIM_OK);
    assert_int_equal(plot_bars(p[3], "bars", bx, by, blo, bhi, 5, NULL), SIM_OK);
    const char *layers[2] = {"low", "high"};
    assert_int_equal(plot_stack(p[4], layers, x, st, 2, N, NULL), SIM_OK);
    assert_int_equal(plot_scatter(p[5], "points", x, lo, N, NULL), SIM_OK);
    assert_int_equal(plot_heatmap(p[6], "z", z, 12, 8, 0, 12, 0, 8, NULL), SIM_OK);
    double ly[N];
    for (int i = 0; i < N; i++) ly[i] = exp(i / 4.0);
    ly[0] = 0; ly[1] = -1;
    plot_set_scale(p[7], PLOT_Y, AXIS_LOG10);
    assert_int_equal(plot_line(p[7], "log", x, ly, N, NULL), SIM_OK);
    for (int i = 0; i < 8; i++) {
        plot_set_label(p[i], PLOT_X, "x");
        plot_set_label(p[i], PLOT_Y, "y");
    }
    return fig;
}

static void expect_rec(plot_fig *fig, int panel, plot_kind kind, size_t in, size_t drawn,
                       size_t nonfinite, size_t nonpos) {
    const plot_series_rec *r = plot_rec_series(plot_fig_panel(fig, panel / 4, panel % 4), 0);
    assert_non_null(r);
    assert_int_equal(r->kind, kind);
    assert_int_equal(r->n_in, in);
    assert_int_equal(r->n_drawn, drawn);
    assert_int_equal(r->n_nonfinite, nonfinite);
    assert_int_equal(r->n_nonpositive, nonpos);
    assert_int_equal(r->n_drawn + r->n_nonfinite + r->n_nonpositive, r->n_in);
}

static void check_every_kind_record(plot_fig *fig) {
    assert_true(plot_rec_valid(fig));
    expect_rec(fig, 0, PLOT_LINE, N, N - 2, 2, 0);
    expect_rec(fig, 1, PLOT_BAND, N, N - 1, 1, 0);
    expect_rec(fig, 2, PLOT_STEP, N, N, 0, 0);
    expect_rec(fig, 3, PLOT_BAR, 5, 4, 1, 0);
    expect_rec(fig, 4, PLOT_STACK, N, N - 1, 1, 0);
    expect_rec(fig, 5, PLOT_SCATTER, N, N - 1, 1, 0);
    expect_rec(fig, 6, PLOT_HEATMAP, 96, 93, 3, 0);
    expect_rec(fig, 7, PLOT_LINE, N, N - 2, 0, 2);
    plot_panel *bars = plot_fig_panel(fig, 0, 3);
    assert_int_equal(plot_rec_series(bars, 0)->n_errbars, 3);   /* NaN bar, NaN whisker */
    assert_int_equal(plot_rec_series(plot_fig_panel(fig, 1, 0), 0)->layers, 2);
    assert_string_equal(plot_rec_series(plot_fig_panel(fig, 0, 0), 0)->label, "line");
    const plot_axis_rec *z = plot_rec_axis(plot_fig_panel(fig, 1, 2), PLOT_Z);
    assert_true(z->present && z->lo == 1 && z->hi == 17);   /* finite cells span 1..17 */
    assert_false(plot_rec_axis(bars, PLOT_Z)->present);
    const plot_axis_rec *ly = plot_rec_axis(plot_fig_panel(fig, 1, 3), PLOT_Y);
    assert_int_equal(ly->scale, AXIS_LOG10);
    assert_int_equal(ly->ticks.kind, AXIS_TICKS_DECADES);
    assert_true(ly->lo > 0 && ly->lo < exp(2 / 4.0) && ly->hi > exp(39 / 4.0));
}

static void test_every_kind_png(void **state) {
    (void)state;
    plot_fig *fig = every_kind();
    render_ok(fig, "build/plot-test-all.png");
    check_png("build/plot-test-all.png", 2000, 1120);   /* 10 x 5.6 in at 200 dpi */
    check_every_kind_record(fig);
    plot_fig_free(fig);
}

static void test_every_kind_svg(void **state) {
    (void)state;
    plot_fig *fig = every_kind();
    render_ok(fig, "build/plot-test-all.svg");
    check_svg("build/plot-test-all.svg", "width=\"720pt\" height=\"403.2pt\"");
    check_every_kind_record(fig);
    plot_fig_free(fig);
}

static void test_every_kind_pdf(void **state) {
    (void)state;
    plot_fig *fig = every_kind();
    render_ok(fig, "build/plot-test-all.pdf");
    check_pdf("build/plot-test-all.pdf", 720, 403.2);
    check_every_kind_record(fig);
    plot_fig_free(fig);
}

/* ---- sizes ---- */

static plot_fig *one_line(plot_size size) {
    plot_fig *fig = NULL;
    assert_int_equal(plot_fig_new(&fig, size, 1, 1, NULL), SIM_OK);
    double x[3] = {0, 1, 2}, y[3] = {0, 1, 4};
    assert_int_equal(plot_line(plot_fig_panel(fig, 0, 0), "y", x, y, 3, NULL), SIM_OK);
    return fig;
}

/* Column 3.5 x 2.6 in: 700 x 520 px at 200 dpi, 350 x 260 at 100; 252 x 187.2 pt. */
static void test_column_sizes(void **state) {
    (void)state;
    plot_fig *fig = one_line(PLOT_SIZE_COLUMN);
    double w, h;
    plot_fig_size_pt(fig, &w, &h);
    assert_true(w == 252 && fabs(h - 187.2) < 1e-9);
    assert_true(plot_fig_dpi(fig) == 200);
    render_ok(fig, "build/plot-test-col.png");
    check_png("build/plot-test-col.png", 700, 520);
    assert_int_equal(plot_fig_set_dpi(fig, 100, NULL), SIM_OK);
    render_ok(fig, "build/plot-test-col.png");
    check_png("build/plot-test-col.png", 350, 260);
    render_ok(fig, "build/plot-test-col.PDF");   /* extension in any case */
    check_pdf("build/plot-test-col.PDF", 252, 187.2);
    plot_fig_free(fig);
}

static void test_explicit_size_and_format(void **state) {
    (void)state;
    plot_fig *fig = NULL;
    sim_err err = {{0}};
    assert_int_equal(plot_fig_new_in(&fig, 7, 3, 1, 2, &err), SIM_OK);
    double x[2] = {1, 2};
    assert_int_equal(plot_line(plot_fig_panel(fig, 0, 1), NULL, x, x, 2, &err), SIM_OK);
    assert_int_equal(plot_fig_set_dpi(fig, 72, &err), SIM_OK);
    /* an explicit format wins over the extension */
    assert_int_equal(plot_render(fig, "build/plot-test-fmt.dat", PLOT_FMT_PNG, &err), SIM_OK);
    check_png("build/plot-test-fmt.dat", 504, 216);
    assert_int_equal(plot_render(fig, "build/plot-test-fmt.dat", PLOT_FMT_SVG, &err), SIM_OK);
    check_svg("build/plot-test-fmt.dat", "width=\"504pt\" height=\"216pt\"");
    /* an empty panel is drawn with default limits */
    const plot_axis_rec *ax = plot_rec_axis(plot_fig_panel(fig, 0, 0), PLOT_X);
    assert_true(ax->present && ax->lo == 0 && ax->hi == 1);
    plot_fig_free(fig);
}

/* Rendering the same figure twice gives byte-identical SVG. */
static void test_svg_deterministic(void **state) {
    (void)state;
    plot_fig *fig = every_kind();
    render_ok(fig, "build/plot-test-a.svg");
    render_ok(fig, "build/plot-test-b.svg");
    size_t la, lb;
    unsigned char *a = slurp("build/plot-test-a.svg", &la), *b = slurp("build/plot-test-b.svg", &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    free(a);
    free(b);
    plot_fig_free(fig);
}

/* ---- limits and ticks ---- */

/* Auto limits pad the data by 4%; bars keep 0 as a hard lower limit. */
static void test_auto_limits(void **state) {
    (void)state;
    plot_fig *fig = NULL;
    assert_int_equal(plot_fig_new(&fig, PLOT_SIZE_COLUMN, 1, 2, NULL), SIM_OK);
    double x[3] = {0, 5, 10}, y[3] = {2, 3, 4.5};
    plot_panel *p = plot_fig_panel(fig, 0, 0), *q = plot_fig_panel(fig, 0, 1);
    assert_int_equal(plot_line(p, NULL, x, y, 3, NULL), SIM_OK);
    assert_int_equal(plot_bars(q, NULL, x, y, NULL, NULL, 3, NULL), SIM_OK);
    render_ok(fig, "build/plot-test-limits.svg");
    const plot_axis_rec *px = plot_rec_axis(p, PLOT_X), *py = plot_rec_axis(p, PLOT_Y);
    assert_true(fabs(px->lo + 0.4) < 1e-12 && fabs(px->hi - 10.4) < 1e-12);
    assert_true(fabs(py->lo - 1.9) < 1e-12 && fabs(py->hi - 4.6) < 1e-12);
    const plot_axis_rec *qy = plot_rec_axis(q, PLOT_Y);
    assert_true(qy->lo == 0 && fabs(qy->hi - 4.68) < 1e-12);
    for (size_t i = 0; i < px->ticks.n; i++)
        assert_true(px->ticks.value[i] >= px->lo && px->ticks.value[i] <= px->hi);
    assert_true(px->ticks.n >= 3);
    plot_fig_free(fig);
}

/* Fixed limits are kept exactly; NaN leaves one end automatic; ticks come from them. */
static void test_fixed_limits(void **state) {
    (void)state;
    plot_fig *fig = one_line(PLOT_SIZE_COLUMN);
    plot_panel *p = plot_fig_panel(fig, 0, 0);
    plot_set_limits(p, PLOT_Y, 0, 1);
    plot_set_limits(p, PLOT_X, NAN, 1.5);
    plot_set_format(p, PLOT_Y, AXIS_FMT_PLAIN);
    render_ok(fig, "build/plot-test-fixed.svg");
    const plot_axis_rec *y = plot_rec_axis(p, PLOT_Y), *x = plot_rec_axis(p, PLOT_X);
    assert_true(y->lo == 0 && y->hi == 1);
    assert_true(fabs(x->lo + 0.08) < 1e-12 && x->hi == 1.5);
    assert_true(y->ticks.value[0] == 0 && y->ticks.value[y->ticks.n - 1] == 1);
    assert_string_equal(y->ticks.label[0], "0.0");
    /* all 3 points counted as drawn even where clipped */
    assert_int_equal(plot_rec_series(p, 0)->n_drawn, 3);
    plot_fig_free(fig);
}

/* Custom ticks: category names at given positions, outside ones dropped. */
static void test_custom_ticks(void **state) {
    (void)state;
    plot_fig *fig = NULL;
    assert_int_equal(plot_fig_new(&fig, PLOT_SIZE_COLUMN, 1, 1, NULL), SIM_OK);
    plot_panel *p = plot_fig_panel(fig, 0, 0);
    double x[3] = {0, 1, 2}, h[3] = {1, 2, 3}, at[4] = {0, 1, 2, 9};
    const char *names[4] = {"a", "b", "c", "far"};
    assert_int_equal(plot_bars(p, "h", x, h, NULL, NULL, 3, NULL), SIM_OK);
    assert_int_equal(plot_set_ticks(p, PLOT_X, at, names, 4, NULL), SIM_OK);
    render_ok(fig, "build/plot-test-ticks.png");
    const axis_ticks *t = &plot_rec_axis(p, PLOT_X)->ticks;
    assert_int_equal(t->kind, AXIS_TICKS_CUSTOM);
    assert_int_equal(t->n, 3);
    assert_string_equal(t->label[2], "c");
    sim_err err = {{0}};
    double bad[1] = {NAN};
    assert_int_equal(plot_set_ticks(p, PLOT_X, bad, NULL, 1, &err), SIM_EUSAGE);
    assert_int_equal(plot_set_ticks(p, PLOT_X, at, NULL, AXIS_MAX_TICKS + 1, &err), SIM_EUSAGE);
    plot_fig_free(fig);
}

/* ---- legend and colours ---- */

/* A curve through the top right: the legend goes to the first free corner, NW. Unlabelled
 * series make no legend; a requested corner is honoured. */
static void test_legend_placement(void **state) {
    (void)state;
    plot_fig *fig = NULL;
    assert_int_equal(plot_fig_new(&fig, PLOT_SIZE_COLUMN, 1, 3, NULL), SIM_OK);
    double x[50], y[50];
    for (int i = 0; i < 50; i++) { x[i] = i; y[i] = i * i; }
    plot_panel *p[3];
    for (int i = 0; i < 3; i++) p[i] = plot_fig_panel(fig, 0, i);
    assert_int_equal(plot_line(p[0], "rising", x, y, 50, NULL), SIM_OK);
    assert_int_equal(plot_line(p[1], NULL, x, y, 50, NULL), SIM_OK);
    assert_int_equal(plot_line(p[2], "rising", x, y, 50, NULL), SIM_OK);
    plot_set_legend(p[2], PLOT_LEGEND_SE);
    render_ok(fig, "build/plot-test-legend.png");
    assert_int_equal(plot_rec_legend(p[0]), PLOT_LEGEND_NW);
    assert_int_equal(plot_rec_legend(p[1]), PLOT_LEGEND_NONE);
    assert_int_equal(plot_rec_legend(p[2]), PLOT_LEGEND_SE);
    plot_set_legend(p[0], PLOT_LEGEND_NONE);
    render_ok(fig, "build/plot-test-legend.png");
    assert_int_equal(plot_rec_legend(p[0]), PLOT_LEGEND_NONE);
    plot_fig_free(fig);
}

/* Series take Okabe-Ito colours in order; a band shares the next series' colour. */
static void test_colours(void **state) {
    (void)state;
    plot_fig *fig = NULL;
    assert_int_equal(plot_fig_new(&fig, PLOT_SIZE_COLUMN, 1, 1, NULL), SIM_OK);
    plot_panel *p = plot_fig_panel(fig, 0, 0);
    double x[2] = {0, 1}, y[2] = {0, 1};
    assert_int_equal(plot_band(p, NULL, x, x, y, 2, NULL), SIM_OK);
    assert_int_equal(plot_line(p, "a", x, y, 2, NULL), SIM_OK);
    assert_int_equal(plot_line(p, "b", x, y, 2, NULL), SIM_OK);
    assert_int_equal(plot_nseries(p), 3);
    sim_err err = {{0}};
    assert_int_equal(plot_series_color(p, 2, pal_okabe_ito(PAL_OI_BLACK), &err), SIM_OK);
    assert_int_equal(plot_series_color(p, 3, pal_okabe_ito(PAL_OI_BLACK), &err), SIM_EUSAGE);
    render_ok(fig, "build/plot-test-colours.svg");
    size_t len;
    char *s = (char *)slurp("build/plot-test-colours.svg", &len);
    assert_contains(s, "rgb(0%,44.705882%,69.803922%)");   /* #0072B2, band and line "a" */
    assert_contains(s, "rgb(0%,0%,0%)");                   /* "b", recoloured */
    assert_null(strstr(s, "rgb(90.196078%,62.352941%,0%)"));  /* #E69F00 not used */
    free(s);
    plot_fig_free(fig);
}

/* ---- errors ---- */

static void test_unwritable_path(void **state) {
    (void)state;
    plot_fig *fig = one_line(PLOT_SIZE_COLUMN);
    sim_err err = {{0}};
    const char *path[3] = {"build/no-such-dir/fig.png", "build/no-such-dir/fig.svg",
                           "build/no-such-dir/fig.pdf"};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(plot_render(fig, path[i], PLOT_FMT_AUTO, &err), SIM_EIO);
        assert_contains(err.msg, path[i]);
        assert_false(plot_rec_valid(fig));
    }
    if (access("/dev/full", W_OK) == 0) {   /* writes fail: no partial success */
        assert_int_equal(plot_render(fig, "/dev/full", PLOT_FMT_PNG, &err), SIM_EIO);
        assert_contains(err.msg, "/dev/full");
    }
    plot_fig_free(fig);
}

/* An unknown or missing extension is SIM_EUSAGE (unless a format is named), and no file. */
static void test_unknown_extension(void **state) {
    (void)state;
    plot_fig *fig = one_line(PLOT_SIZE_COLUMN);
    sim_err err = {{0}};
    remove("build/plot-test.jpg");
    assert_int_equal(plot_render(fig, "build/plot-test.jpg", PLOT_FMT_AUTO, &err), SIM_EUSAGE);
    assert_contains(err.msg, "build/plot-test.jpg");
    assert_contains(err.msg, ".png, .svg or .pdf");
    assert_int_equal(access("build/plot-test.jpg", F_OK), -1);
    assert_int_equal(plot_render(fig, "build/plot.d/fig", PLOT_FMT_AUTO, &err), SIM_EUSAGE);
    assert_int_equal(plot_render(fig, NULL, PLOT_FMT_AUTO, &err), SIM_EUSAGE);
    plot_fig_free(fig);
}

static void test_bad_series(void **state) {
    (void)state;
    plot_fig *fig = NULL;
    sim_err err = {{0}};
    assert_int_equal(plot_fig_new(&fig, PLOT_SIZE_COLUMN, 1, 1, &err), SIM_OK);
    plot_panel *p = plot_fig_panel(fig, 0, 0);
    double x[2] = {0, 1}, z[4] = {1, 2, 3, 4};
    assert_int_equal(plot_line(p, "empty", x, x, 0, &err), SIM_EUSAGE);
    assert_contains(err.msg, "empty");
    assert_contains(err.msg, "n = 0");
    assert_int_equal(plot_scatter(p, NULL, NULL, x, 2, &err), SIM_EUSAGE);
    assert_int_equal(plot_band(p, NULL, x, x, NULL, 2, &err), SIM_EUSAGE);
    assert_int_equal(plot_bars(p, NULL, x, x, x, NULL, 2, &err), SIM_EUSAGE);  /* one whisker */
    assert_int_equal(plot_stack(p, NULL, x, x, 0, 2, &err), SIM_EUSAGE);
    assert_int_equal(plot_step(plot_fig_panel(fig, 1, 0), NULL, x, x, 2, &err), SIM_EUSAGE);
    assert_contains(err.msg, "no panel");
    assert_int_equal(plot_heatmap(p, NULL, z, 2, 2, 0, 0, 0, 1, &err), SIM_EUSAGE);
    assert_int_equal(plot_heatmap(p, NULL, z, 2, 2, 0, 1, 0, 1, &err), SIM_OK);
    assert_int_equal(plot_heatmap(p, NULL, z, 2, 2, 0, 1, 0, 1, &err), SIM_EUSAGE);
    assert_int_equal(plot_nseries(p), 1);
    /* a heat map needs linear axes: refused when rendering, before any file is made */
    plot_set_scale(p, PLOT_X, AXIS_LOG10);
    remove("build/plot-test-heatlog.png");
    assert_int_equal(plot_render(fig, "build/plot-test-heatlog.png", 0, &err), SIM_EUSAGE);
    assert_contains(err.msg, "linear");
    assert_int_equal(access("build/plot-test-heatlog.png", F_OK), -1);
    plot_fig_free(fig);
}

/* On a log axis, values <= 0 are skipped and counted; non-positive fixed limits are errors. */
static void test_log_nonpositive(void **state) {
    (void)state;
    plot_fig *fig = NULL;
    sim_err err = {{0}};
    assert_int_equal(plot_fig_new(&fig, PLOT_SIZE_COLUMN, 1, 1, &err), SIM_OK);
    plot_panel *p = plot_fig_panel(fig, 0, 0);
    double x[6] = {-1, 0, 1, 10, 100, NAN}, y[6] = {1, 2, 3, -4, 5, 6};
    plot_set_scale(p, PLOT_X, AXIS_LOG10);
    plot_set_scale(p, PLOT_Y, AXIS_LOG10);
    assert_int_equal(plot_scatter(p, "s", x, y, 6, &err), SIM_OK);
    assert_int_equal(plot_bars(p, "b", x, y, NULL, NULL, 6, &err), SIM_OK);
    render_ok(fig, "build/plot-test-log.pdf");
    for (size_t i = 0; i < 2; i++) {
        const plot_series_rec *r = plot_rec_series(p, i);
        assert_int_equal(r->n_drawn, 2);
        assert_int_equal(r->n_nonpositive, 3);
        assert_int_equal(r->n_nonfinite, 1);
    }
    assert_true(plot_rec_axis(p, PLOT_X)->lo > 0);
    plot_set_limits(p, PLOT_Y, 0, 10);
    assert_int_equal(plot_render(fig, "build/plot-test-log.pdf", 0, &err), SIM_EUSAGE);
    assert_contains(err.msg, "positive");
    plot_set_limits(p, PLOT_Y, 5, 5);
    assert_int_equal(plot_render(fig, "build/plot-test-log.pdf", 0, &err), SIM_EUSAGE);
    assert_contains(err.msg, "empty");
    plot_fig_free(fig);
}

static void test_bad_figure(void **state) {
    (void)state;
    plot_fig *fig = (plot_fig *)&fig;
    sim_err err = {{0}};
    assert_int_equal(plot_fig_new_in(&fig, 0.5, 2, 1, 1, &err), SIM_EUSAGE);
    assert_null(fig);
    assert_int_equal(plot_fig_new_in(&fig, NAN, 2, 1, 1, &err), SIM_EUSAGE);
    assert_int_equal(plot_fig_new(&fig, PLOT_SIZE_COLUMN, 0, 1, &err), SIM_EUSAGE);
    assert_int_equal(plot_fig_new(&fig, (plot_size)7, 1, 1, &err), SIM_EUSAGE);
    assert_int_equal(plot_fig_new(&fig, PLOT_SIZE_COLUMN, 2, 2, &err), SIM_OK);
    assert_null(plot_fig_panel(fig, 2, 0));
    assert_null(plot_fig_panel(fig, 0, -1));
    assert_int_equal(plot_fig_set_dpi(fig, 10, &err), SIM_EUSAGE);
    assert_int_equal(plot_fig_set_font_size(fig, 100, &err), SIM_EUSAGE);
    assert_int_equal(plot_fig_set_font_size(fig, 6, &err), SIM_OK);
    plot_set_label(NULL, PLOT_X, "ignored");   /* NULL panel: no-op */
    assert_null(plot_rec_series(plot_fig_panel(fig, 0, 0), 0));
    assert_null(plot_rec_axis(plot_fig_panel(fig, 0, 0), (plot_dir)5));
    plot_fig_free(fig);
    plot_fig_free(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_kind_png),  cmocka_unit_test(test_every_kind_svg),
        cmocka_unit_test(test_every_kind_pdf),  cmocka_unit_test(test_column_sizes),
        cmocka_unit_test(test_explicit_size_and_format),
        cmocka_unit_test(test_svg_deterministic), cmocka_unit_test(test_auto_limits),
        cmocka_unit_test(test_fixed_limits),    cmocka_unit_test(test_custom_ticks),
        cmocka_unit_test(test_legend_placement), cmocka_unit_test(test_colours),
        cmocka_unit_test(test_unwritable_path), cmocka_unit_test(test_unknown_extension),
        cmocka_unit_test(test_bad_series),      cmocka_unit_test(test_log_nonpositive),
        cmocka_unit_test(test_bad_figure),
    };
    return cmocka_run_group_tests_name("plot", tests, NULL, NULL);
}
