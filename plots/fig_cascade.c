/* plots/fig_cascade.c - cascades: the complementary CDF of cascade sizes on log-log axes,
 * one line per run group (the first 6), from the summary rows `cascades` by size class
 * (docs/results.md: classes 1, 2, 3-4, 5-8, ...), the classes' counts summed over the
 * group's replicates. At the lower edge x of each class, P(size >= x) is exact: the share of
 * cascades in that class or a larger one. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig_impl.h"

enum { CLASSES = 64, LABEL_MAX = 80 };

typedef struct casc_data {
    const fig_groups_t *g;
    double (*count)[CLASSES];   /* [group][class k]: cascades of size 2^(k-1)+1 .. 2^k */
} casc_data;

/* "size:K" or "size:LO-HI" -> class index k (size 1: 0; 2: 1; 3-4: 2; ...), -1 if neither. */
static int class_of(const char *grp) {
    unsigned long long lo;
    if (strncmp(grp, "size:", 5) != 0 || sscanf(grp + 5, "%llu", &lo) != 1 || lo == 0) return -1;
    int k = 0;
    while ((1ull << k) < lo) k++;
    return k < CLASSES ? k : -1;
}

/* Row: run_id, scenario_name, grp, value. */
static sim_status casc_row(sqlite3_stmt *s, void *ctx, sim_err *err) {
    (void)err;
    casc_data *c = ctx;
    size_t r = fig_run_index(c->g, sqlite3_column_int64(s, 0));
    const char *grp = (const char *)sqlite3_column_text(s, 2);
    int k = grp ? class_of(grp) : -1;
    if (r < c->g->nrun && k >= 0) c->count[c->g->grp[r]][k] += sqlite3_column_double(s, 3);
    return SIM_OK;
}

/* The CCDF of group r at each non-empty class's lower edge into x, y; returns the points. */
static size_t ccdf(const casc_data *c, size_t r, double *x, double *y) {
    double total = 0, above = 0;
    for (int k = 0; k < CLASSES; k++) total += c->count[r][k];
    size_t n = 0;
    for (int k = CLASSES - 1; k >= 0; k--) {
        above += c->count[r][k];
        if (c->count[r][k] <= 0 || total <= 0) continue;
        x[n] = k == 0 ? 1.0 : (double)((1ull << (k - 1)) + 1);
        y[n++] = above / total;
    }
    for (size_t a = 0, b = n ? n - 1 : 0; a < b; a++, b--) {   /* ascending x */
        double tx = x[a], ty = y[a];
        x[a] = x[b], y[a] = y[b], x[b] = tx, y[b] = ty;
    }
    return n;
}

/* The groups without a line in the note: state[0..ng) as drawn, beyond ng by their rows. */
static void left_out(fig_result *out, const casc_data *c, const unsigned char *state,
                     size_t ng) {
    const fig_groups_t *g = c->g;
    unsigned char *all = calloc(g->ngrp ? g->ngrp : 1, 1);
    if (!all) return;   /* out of memory: the note only lacks the list */
    for (size_t r = 0; r < g->ngrp; r++) {
        double any = 0;
        for (int k = 0; r >= ng && k < CLASSES; k++) any += c->count[r][k];
        all[r] = r < ng ? state[r] : any > 0 ? FIG_BEYOND : FIG_NODATA;
    }
    fig_note_left_out(out, g, all, FIG_MAX_PANELS);
    free(all);
}

static sim_status casc_build(fig_result *out, const fig_sel *sel, const casc_data *c,
                             sim_err *err) {
    int cols = 1;
    const fig_groups_t *g = c->g;
    size_t ng = g->ngrp < FIG_MAX_PANELS ? g->ngrp : FIG_MAX_PANELS;
    sim_status st = fig_new_grid(&out->fig, sel, 1, &cols, err);
    if (st != SIM_OK) return st;
    plot_panel *p = fig_panel(out->fig, cols, 0);
    plot_set_title(p, "Cascade sizes (complementary CDF)");
    plot_set_label(p, PLOT_X, "Cascade size s (blacklistings)");
    plot_set_label(p, PLOT_Y, "Share of cascades of size ≥ s");
    plot_set_scale(p, PLOT_X, AXIS_LOG10);
    plot_set_scale(p, PLOT_Y, AXIS_LOG10);
    size_t lines = 0;
    unsigned char state[FIG_MAX_PANELS];
    for (size_t r = 0; r < ng && st == SIM_OK; r++) {
        double x[CLASSES], y[CLASSES];
        char label[LABEL_MAX];
        size_t n = ccdf(c, r, x, y);
        state[r] = n ? FIG_DRAWN : FIG_NODATA;
        if (n == 0) continue;
        if (g->count[r] > 1) snprintf(label, sizeof label, "%s (%zu runs)", g->title[r], g->count[r]);
        else snprintf(label, sizeof label, "%s", g->title[r]);
        /* a line and its points in the group's colour: series 2 lines, 2 lines + 1, ... */
        st = plot_line(p, label, x, y, n, err);
        if (st == SIM_OK) st = plot_scatter(p, NULL, x, y, n, err);
        if (st == SIM_OK) st = plot_series_color(p, 2 * lines + 1, pal_category(lines), err);
        if (st == SIM_OK) st = plot_series_color(p, 2 * lines, pal_category(lines), err);
        lines++;
    }
    if (st == SIM_OK) {
        fig_note(out, "%zu run group(s) with cascades from %zu run(s)", lines, g->nrun);
        left_out(out, c, state, ng);
    }
    return st;
}

sim_status fig_cascades(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    fig_groups_t g = {0};
    casc_data c = {&g, NULL};
    char *ids = fig_idlist(sel), *q = NULL;
    sim_status st = ids ? fig_groups_load(db, sel, out, &g, err)
                        : err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK && !(c.count = calloc(g.ngrp, sizeof *c.count)))
        st = err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK)
        q = sqlite3_mprintf("SELECT s.run_id, r.scenario_name, s.grp, s.value FROM summary s "
                            "JOIN runs r USING(run_id) WHERE s.run_id IN (%s) AND s.name = "
                            "'cascades' AND s.grp LIKE 'size:%%' ORDER BY s.run_id, s.grp", ids);
    if (st == SIM_OK && !q) st = err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK) st = fig_query(db, out, "cascades by size class", q, casc_row, &c, err);
    double any = 0;
    for (size_t r = 0; st == SIM_OK && r < g.ngrp && r < FIG_MAX_PANELS; r++)
        for (int k = 0; k < CLASSES; k++) any += c.count[r][k];
    if (st == SIM_OK && any <= 0)
        fig_note(out, "no cascade rows in the summary of the selected runs (older database?)");
    else if (st == SIM_OK)
        st = casc_build(out, sel, &c, err);
    sqlite3_free(q);
    free(ids);
    free(c.count);
    fig_groups_free(&g);
    return st;
}
