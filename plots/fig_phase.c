/* plots/fig_phase.c - phase: heat map of a summary metric (mean over replicates) over the two
 * parameters of a grid sweep. */
#include "fig_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vec.h"

enum { AXIS_VALUES_MAX = AXIS_MAX_TICKS };

/* Columns 4-6 of the sweeps query: the number of varied parameters and the first two keys,
 * from sweep_params (design point 0, in the design's order). */
static const char SWEEP_KEYS_SQL[] =
    ", (SELECT count(*) FROM sweep_params p WHERE p.sweep_id = s.sweep_id AND p.point = 0)"
    ", (SELECT key FROM sweep_params p WHERE p.sweep_id = s.sweep_id AND p.point = 0"
    " ORDER BY p.rowid LIMIT 1)"
    ", (SELECT key FROM sweep_params p WHERE p.sweep_id = s.sweep_id AND p.point = 0"
    " ORDER BY p.rowid LIMIT 1 OFFSET 1)";

typedef struct sweep_pick {
    int64_t id;
    char name[64];
    char keys[2][FIG_KEY_MAX];
    int selected;             /* 1 when a selected run belongs to it */
    int found;
} sweep_pick;

/* Row: sweep_id, name, spec, selected[, number of parameters, first key, second key (from
 * sweep_params)]. Keeps the last two-parameter sweep, preferring one with a selected run.
 * Without sweep_params rows (an older database) the keys are read from the spec. */
static sim_status sweep_row(sqlite3_stmt *s, void *vctx, sim_err *err) {
    sweep_pick *p = vctx;
    (void)err;
    char keys[FIG_PARAMS_MAX][FIG_KEY_MAX];
    const char *spec = (const char *)sqlite3_column_text(s, 2);
    int selected = sqlite3_column_int(s, 3) != 0;
    int nkeys = sqlite3_column_count(s) > 4 ? sqlite3_column_int(s, 4) : 0;
    for (int k = 0; k < 2 && k < nkeys; k++)
        snprintf(keys[k], FIG_KEY_MAX, "%s", (const char *)sqlite3_column_text(s, 5 + k));
    if (nkeys == 0) nkeys = (int)fig_spec_params(spec ? spec : "", keys, FIG_PARAMS_MAX);
    if (nkeys != 2) return SIM_OK;
    if (p->found && p->selected && !selected) return SIM_OK;
    p->found = 1;
    p->selected = selected;
    p->id = sqlite3_column_int64(s, 0);
    snprintf(p->name, sizeof p->name, "%s", (const char *)sqlite3_column_text(s, 1));
    memcpy(p->keys, keys, sizeof p->keys);
    return SIM_OK;
}

typedef struct cells {
    const sweep_pick *sw;
    size_t n;
    uint64_t cap;
    double *px, *py, *val;    /* [n] per run: the two parameter values and the metric */
    size_t nval;              /* runs with a finite metric */
    int replicates;           /* largest replicate + 1 */
} cells;

/* Row: point, replicate, overrides, value[, x value, y value (from sweep_params)]; without
 * the sweep_params values (an older database) they are read from the overrides. */
static sim_status run_row(sqlite3_stmt *s, void *vctx, sim_err *err) {
    cells *c = vctx;
    uint64_t cap[3] = {c->cap, c->cap, c->cap};   /* three arrays, one capacity */
    if (!vec_reserve((void **)&c->px, &cap[0], c->n + 1, sizeof *c->px) ||
        !vec_reserve((void **)&c->py, &cap[1], c->n + 1, sizeof *c->py) ||
        !vec_reserve((void **)&c->val, &cap[2], c->n + 1, sizeof *c->val))
        return err_set(err, SIM_ENOMEM, "out of memory");
    c->cap = cap[2];
    const char *ov = (const char *)sqlite3_column_text(s, 2);
    int has = sqlite3_column_count(s) > 5 && sqlite3_column_type(s, 4) != SQLITE_NULL &&
              sqlite3_column_type(s, 5) != SQLITE_NULL;
    c->px[c->n] = has ? sqlite3_column_double(s, 4) : fig_override_value(ov ? ov : "",
                                                                         c->sw->keys[0]);
    c->py[c->n] = has ? sqlite3_column_double(s, 5) : fig_override_value(ov ? ov : "",
                                                                         c->sw->keys[1]);
    c->val[c->n] = sqlite3_column_type(s, 3) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 3);
    c->nval += isfinite(c->val[c->n]) != 0;
    sqlite3_int64 rep = sqlite3_column_int64(s, 1);
    if (rep < 0 || rep >= FIG_REPLICATE_MAX)
        return err_set(err, SIM_EDB, "sweep %s has a run with replicate %lld, outside 0 .. %d: "
                       "the database is damaged or was edited", c->sw->name, (long long)rep,
                       FIG_REPLICATE_MAX - 1);
    if (rep + 1 > c->replicates) c->replicates = (int)rep + 1;
    c->n++;
    return SIM_OK;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The distinct finite values of v[0..n-1], sorted, at most AXIS_VALUES_MAX; returns count. */
static size_t distinct(const double *v, size_t n, double *out) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < k && out[j] != v[i]) j++;
        if (j == k && isfinite(v[i]) && k < AXIS_VALUES_MAX) out[k++] = v[i];
    }
    qsort(out, k, sizeof *out, cmp_double);
    return k;
}

static size_t find(const double *v, size_t n, double x) {
    size_t i = 0;
    while (i < n && v[i] != x) i++;
    return i;
}

/* Category ticks at 0..n-1 labelled with the parameter values. */
static sim_status value_ticks(plot_panel *p, plot_dir d, const double *v, size_t n,
                              sim_err *err) {
    double pos[AXIS_VALUES_MAX];
    char text[AXIS_VALUES_MAX][24];
    const char *labels[AXIS_VALUES_MAX];
    for (size_t i = 0; i < n; i++) {
        pos[i] = (double)i;
        snprintf(text[i], sizeof text[i], "%g", v[i]);
        labels[i] = text[i];
    }
    return plot_set_ticks(p, d, pos, labels, n, err);
}

/* z[j * nx + i]: the mean of the runs at x value i and y value j (NaN when none). */
static sim_status cell_means(const cells *c, const double *xv, size_t nx, const double *yv,
                             size_t ny, double *z, sim_err *err) {
    double *buf = malloc(c->n * sizeof *buf);
    if (!buf) return err_set(err, SIM_ENOMEM, "out of memory");
    for (size_t cell = 0; cell < nx * ny; cell++) {
        size_t k = 0;
        for (size_t r = 0; r < c->n; r++)
            if (find(xv, nx, c->px[r]) == cell % nx && find(yv, ny, c->py[r]) == cell / nx)
                buf[k++] = c->val[r];
        double lo, hi;
        fig_mean_ci(buf, k, &z[cell], &lo, &hi);
    }
    free(buf);
    return SIM_OK;
}

static sim_status phase_build(fig_result *out, const fig_sel *sel, const cells *c,
                              const char *metric, sim_err *err) {
    double xv[AXIS_VALUES_MAX], yv[AXIS_VALUES_MAX];
    size_t nx = distinct(c->px, c->n, xv), ny = distinct(c->py, c->n, yv);
    if (nx == 0 || ny == 0) {
        fig_note(out, "sweep %s: the runs' overrides lack %s or %s", c->sw->name,
                 c->sw->keys[0], c->sw->keys[1]);
        return SIM_OK;
    }
    double *z = malloc(nx * ny * sizeof *z);
    sim_status st = z ? cell_means(c, xv, nx, yv, ny, z, err)
                      : err_set(err, SIM_ENOMEM, "out of memory");
    int cols;
    if (st == SIM_OK) st = fig_new_grid(&out->fig, sel, 1, &cols, err);
    plot_panel *p = st == SIM_OK ? plot_fig_panel(out->fig, 0, 0) : NULL;
    char title[FIG_TITLE_MAX], zlabel[FIG_TITLE_MAX];
    snprintf(title, sizeof title, "Sweep %s: mean of %d replicate%s", c->sw->name,
             c->replicates, c->replicates == 1 ? "" : "s");
    snprintf(zlabel, sizeof zlabel, "%s", strcmp(metric, "ever_wrongly_listed.black") == 0
                                              ? "Agents ever wrongly blacklisted" : metric);
    if (st == SIM_OK)
        st = plot_heatmap(p, zlabel, z, nx, ny, -0.5, (double)nx - 0.5, -0.5,
                          (double)ny - 0.5, err);
    int nonneg = 1;
    for (size_t i = 0; st == SIM_OK && i < nx * ny; i++) nonneg &= !(z[i] < 0);
    if (nonneg) plot_set_limits(p, PLOT_Z, 0, NAN);   /* counts: the colour scale starts at 0 */
    if (st == SIM_OK) st = value_ticks(p, PLOT_X, xv, nx, err);
    if (st == SIM_OK) st = value_ticks(p, PLOT_Y, yv, ny, err);
    plot_set_title(p, title);
    plot_set_label(p, PLOT_X, c->sw->keys[0]);
    plot_set_label(p, PLOT_Y, c->sw->keys[1]);
    fig_note(out, "sweep %s: %zu x %zu cells of %s", c->sw->name, nx, ny, metric);
    free(z);
    return st;
}

sim_status fig_phase(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    const char *metric = sel->metric ? sel->metric : "ever_wrongly_listed.black";
    sweep_pick sw = {0};
    cells c = {.sw = &sw};
    char *ids = fig_idlist(sel), *q1 = NULL, *q2 = NULL;
    int meta = fig_has_table(db, "sweep_params");   /* absent in older databases */
    sim_status st = ids ? SIM_OK : err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK)
        q1 = sqlite3_mprintf("SELECT s.sweep_id, s.name, s.spec, EXISTS(SELECT 1 FROM runs r "
                             "WHERE r.sweep_id = s.sweep_id AND r.run_id IN (%s))%s FROM sweeps s "
                             "WHERE s.design = 'grid' ORDER BY s.sweep_id", ids,
                             meta ? SWEEP_KEYS_SQL : "");
    if (st == SIM_OK && !q1) st = err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK)
        st = fig_query(db, out, "grid sweeps (a two-parameter one is used, preferably one "
                       "holding a selected run)", q1, sweep_row, &sw, err);
    if (st == SIM_OK && !sw.found) {
        fig_note(out, "no grid sweep over exactly two parameters in the database");
        goto done;
    }
    if (st == SIM_OK)
        q2 = meta ? sqlite3_mprintf(
                 "SELECT r.point, r.replicate, r.overrides, s.value, x.value, y.value FROM runs r "
                 "LEFT JOIN summary s ON s.run_id = r.run_id AND s.name = %Q AND s.grp = 'all' "
                 "LEFT JOIN sweep_params x ON x.sweep_id = r.sweep_id AND x.point = r.point AND "
                 "x.key = %Q LEFT JOIN sweep_params y ON y.sweep_id = r.sweep_id AND y.point = "
                 "r.point AND y.key = %Q WHERE r.sweep_id = %lld AND r.status = 'done' "
                 "ORDER BY r.point, r.replicate", metric, sw.keys[0], sw.keys[1],
                 (long long)sw.id)
                  : sqlite3_mprintf("SELECT r.point, r.replicate, r.overrides, s.value FROM runs r "
                             "LEFT JOIN summary s ON s.run_id = r.run_id AND s.name = %Q AND "
                             "s.grp = 'all' WHERE r.sweep_id = %lld AND r.status = 'done' "
                             "ORDER BY r.point, r.replicate", metric, (long long)sw.id);
    if (st == SIM_OK && !q2) st = err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK)
        st = fig_query(db, out, "the summary metric of every done run of the sweep", q2,
                       run_row, &c, err);
    if (st == SIM_OK && c.nval == 0)
        fig_note(out, "sweep %s has no summary rows named %s (grp all)", sw.name, metric);
    else if (st == SIM_OK)
        st = phase_build(out, sel, &c, metric, err);
done:
    sqlite3_free(q1);
    sqlite3_free(q2);
    free(ids);
    free(c.px);
    free(c.py);
    free(c.val);
    return st;
}
