/* plots/fig_sums.c - summary values per run and their mean and 95% interval per run group,
 * shared by the bar and scatter figures (privacy, disparity, inequality, frontier). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig_impl.h"

size_t fig_sums_find(const fig_sums *s, const char *name, const char *grp) {
    for (size_t k = 0; k < s->nkey; k++)
        if (!strcmp(s->key[k].name, name) && !strcmp(s->key[k].grp, grp)) return k;
    return FIG_NONE;
}

/* Row: run_id, name, grp, value. */
static sim_status sums_row(sqlite3_stmt *st, void *ctx, sim_err *err) {
    (void)err;
    fig_sums *s = ctx;
    size_t r = fig_run_index(s->g, sqlite3_column_int64(st, 0));
    const char *name = (const char *)sqlite3_column_text(st, 1);
    const char *grp = (const char *)sqlite3_column_text(st, 2);
    size_t k = name && grp ? fig_sums_find(s, name, grp) : FIG_NONE;
    if (r < s->g->nrun && k != FIG_NONE && sqlite3_column_type(st, 3) != SQLITE_NULL)
        s->v[k * s->g->nrun + r] = sqlite3_column_double(st, 3);
    return SIM_OK;
}

sim_status fig_sums_load(sqlite3 *db, fig_result *out, const char *what, const char *sql,
                         fig_sums *s, sim_err *err) {
    size_t n = s->nkey * s->g->nrun;
    s->v = malloc((n ? n : 1) * sizeof *s->v);
    if (!s->v) return err_set(err, SIM_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) s->v[i] = NAN;
    return fig_query(db, out, what, sql, sums_row, s, err);
}

void fig_sums_free(fig_sums *s) {
    if (!s) return;
    free(s->v);
    s->v = NULL;
}

double fig_sums_value(const fig_sums *s, size_t k, size_t den, size_t r) {
    if (k == FIG_NONE || !s->v) return NAN;
    double v = s->v[k * s->g->nrun + r];
    if (den == FIG_NONE) return v;
    double d = s->v[den * s->g->nrun + r];
    return d != 0 ? v / d : NAN;
}

void fig_sums_stat(const fig_sums *s, size_t k, size_t den, double scale, size_t grp,
                   double *mean, double *lo, double *hi, size_t *n) {
    const fig_groups_t *g = s->g;
    double *v = malloc((g->nrun ? g->nrun : 1) * sizeof *v);
    size_t m = 0;
    for (size_t r = 0; v && r < g->nrun; r++) {
        double x = g->grp[r] == grp ? fig_sums_value(s, k, den, r) * scale : NAN;
        if (isfinite(x)) v[m++] = x;
    }
    *mean = *lo = *hi = NAN;
    if (m) fig_mean_ci(v, m, mean, lo, hi);
    if (n) *n = m;
    free(v);
}

sim_status fig_sums_bars(plot_panel *p, const fig_sums *s, const char *label, size_t k,
                         size_t den, double scale, size_t ng, int cut0, sim_err *err) {
    double x[FIG_MAX_PANELS], y[FIG_MAX_PANELS], lo[FIG_MAX_PANELS], hi[FIG_MAX_PANELS];
    int rep = 0;
    if (ng > FIG_MAX_PANELS) ng = FIG_MAX_PANELS;
    for (size_t j = 0; j < ng; j++) {
        x[j] = (double)j;
        fig_sums_stat(s, k, den, scale, j, &y[j], &lo[j], &hi[j], NULL);
        if (cut0 && lo[j] < 0) lo[j] = 0;
        if (s->g->count[j] < 2) lo[j] = hi[j] = NAN;   /* one run: no interval */
        rep |= s->g->count[j] > 1;
    }
    return plot_bars(p, label, x, y, rep ? lo : NULL, rep ? hi : NULL, ng, err);
}

size_t fig_sums_left_out(fig_result *out, const fig_sums *s, size_t max) {
    const fig_groups_t *g = s->g;
    unsigned char *state = calloc(g->ngrp ? g->ngrp : 1, 1);
    size_t drawn = 0;
    if (!state) return 0;   /* out of memory: the note only lacks the list */
    for (size_t r = 0; r < g->nrun; r++)
        for (size_t k = 0; k < s->nkey; k++)
            if (isfinite(fig_sums_value(s, k, FIG_NONE, r))) state[g->grp[r]] = 1;
    for (size_t k = 0; k < g->ngrp; k++) {
        state[k] = !state[k] ? FIG_NODATA : k < max ? FIG_DRAWN : FIG_BEYOND;
        drawn += state[k] == FIG_DRAWN;
    }
    fig_note_left_out(out, g, state, max);
    free(state);
    return drawn;
}
