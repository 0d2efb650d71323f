/* plots/fig_network.c - network: the spread of one cascade, drawn from the events table of
 * the first selected run. Each blacklisting event is a node; an event's parent is the latest
 * earlier blacklisting of its source agent (events.source), so the edges show the path by
 * which the listing spread. The cascade shown is the largest one rooted in an error (a false
 * or misattributed record), else the largest of all; at most NET_MAX nodes, in event order.
 * Layout: Fruchterman-Reingold from a fixed spiral, so the picture is the same every time.
 * Nodes are coloured by how they were listed (the root's cause, or the layer spread along). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig_impl.h"
#include "vec.h"

enum { NET_MAX = 300, NET_ITER = 300, NET_CATS = 8 };

typedef struct ev { uint32_t agent, source; int has_source; char cause[24], layer[16]; } ev;

typedef struct net_data {
    ev *e;
    size_t n;
    uint64_t cap;
} net_data;

/* Row: agent, cause, source, layer. */
static sim_status ev_row(sqlite3_stmt *s, void *ctx, sim_err *err) {
    net_data *d = ctx;
    if (!vec_reserve((void **)&d->e, &d->cap, d->n + 1, sizeof *d->e))
        return err_set(err, SIM_ENOMEM, "out of memory reading events");
    ev *v = &d->e[d->n++];
    v->agent = (uint32_t)sqlite3_column_int64(s, 0);
    snprintf(v->cause, sizeof v->cause, "%s", (const char *)sqlite3_column_text(s, 1));
    v->has_source = sqlite3_column_type(s, 2) != SQLITE_NULL;
    v->source = v->has_source ? (uint32_t)sqlite3_column_int64(s, 2) : 0;
    const char *layer = (const char *)sqlite3_column_text(s, 3);
    snprintf(v->layer, sizeof v->layer, "%s", layer ? layer : "");
    return SIM_OK;
}

/* parent[i]: the latest earlier event of event i's source agent, or -1 (open hashing). */
static int link_parents(const net_data *d, long *parent, long *root) {
    size_t cap = 16;
    while (cap < 2 * d->n) cap *= 2;
    uint32_t *key = malloc(cap * sizeof *key);
    long *val = malloc(cap * sizeof *val);
    if (!key || !val) return free(key), free(val), 0;
    for (size_t k = 0; k < cap; k++) val[k] = -1;
    for (size_t i = 0; i < d->n; i++) {
        parent[i] = -1;
        if (d->e[i].has_source) {
            size_t h = (d->e[i].source * 2654435761u) & (cap - 1);
            while (val[h] >= 0 && key[h] != d->e[i].source) h = (h + 1) & (cap - 1);
            parent[i] = val[h];
        }
        root[i] = parent[i] >= 0 ? root[parent[i]] : (long)i;
        size_t h = (d->e[i].agent * 2654435761u) & (cap - 1);
        while (val[h] >= 0 && key[h] != d->e[i].agent) h = (h + 1) & (cap - 1);
        key[h] = d->e[i].agent, val[h] = (long)i;
    }
    free(key), free(val);
    return 1;
}

/* The root whose cascade to draw: the largest rooted in an error, else the largest. */
static long pick_root(const net_data *d, const long *root, size_t *size) {
    size_t *count = calloc(d->n ? d->n : 1, sizeof *count);
    long best = -1, best_err = -1;
    if (!count) return -1;
    for (size_t i = 0; i < d->n; i++) count[root[i]]++;
    for (size_t i = 0; i < d->n; i++) {
        if (root[i] != (long)i) continue;
        int error = !strcmp(d->e[i].cause, "false_record") || !strcmp(d->e[i].cause,
                                                                       "misattribution");
        if (best < 0 || count[i] > count[best]) best = (long)i;
        if (error && (best_err < 0 || count[i] > count[best_err])) best_err = (long)i;
    }
    long pick = best_err >= 0 && count[best_err] > 1 ? best_err : best;
    *size = pick >= 0 ? count[pick] : 0;
    free(count);
    return pick;
}

/* Fruchterman-Reingold on n nodes with edges (i, parent[i]) inside the set; x, y in/out. */
static void layout(size_t n, const long *par, double *x, double *y) {
    const double area = 1.0, k = sqrt(area / (double)(n ? n : 1));
    double *dx = calloc(n, sizeof *dx), *dy = calloc(n, sizeof *dy);
    if (!dx || !dy) { free(dx); free(dy); return; }
    for (size_t i = 0; i < n; i++) {   /* a fixed spiral */
        double a = 2.39996 * (double)i, r = 0.5 * sqrt(((double)i + 0.5) / (double)n);
        x[i] = r * cos(a), y[i] = r * sin(a);
    }
    for (int it = 0; it < NET_ITER; it++) {
        double t = 0.1 * (1.0 - (double)it / NET_ITER) + 0.002;
        memset(dx, 0, n * sizeof *dx), memset(dy, 0, n * sizeof *dy);
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++) {
                double ex = x[i] - x[j], ey = y[i] - y[j], d2 = ex * ex + ey * ey + 1e-9;
                double f = k * k / d2;   /* repulsion k^2/d along the unit vector */
                dx[i] += ex * f, dy[i] += ey * f, dx[j] -= ex * f, dy[j] -= ey * f;
            }
        for (size_t i = 0; i < n; i++) {
            if (par[i] < 0) continue;
            size_t j = (size_t)par[i];
            double ex = x[i] - x[j], ey = y[i] - y[j], d = sqrt(ex * ex + ey * ey) + 1e-9;
            double f = d / k;            /* attraction d^2/k along the unit vector */
            dx[i] -= ex * f, dy[i] -= ey * f, dx[j] += ex * f, dy[j] += ey * f;
        }
        for (size_t i = 0; i < n; i++) {
            double d = sqrt(dx[i] * dx[i] + dy[i] * dy[i]) + 1e-12, m = d < t ? d : t;
            x[i] += dx[i] / d * m, y[i] += dy[i] / d * m;
        }
    }
    free(dx), free(dy);
}

/* The category of node i: "root: CAUSE" or "via LAYER". */
static void category(const ev *e, int is_root, char *buf, size_t n) {
    if (is_root) snprintf(buf, n, "root: %s", e->cause);
    else snprintf(buf, n, "via %s", e->layer[0] ? e->layer : "spillover");
}

static sim_status draw(fig_result *out, const fig_sel *sel, const net_data *d, const long *sub,
                       size_t n, const long *par, int64_t run, sim_err *err) {
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    double *ex = malloc(3 * n * sizeof *ex), *ey = malloc(3 * n * sizeof *ey);
    double *cx = malloc(n * sizeof *cx), *cy = malloc(n * sizeof *cy);
    sim_status st = x && y && ex && ey && cx && cy ? SIM_OK
                                                   : err_set(err, SIM_ENOMEM, "out of memory");
    int cols = 1;
    if (st == SIM_OK) {
        layout(n, par, x, y);
        st = sel->size == FIG_SIZE_AUTO ? plot_fig_new_in(&out->fig, 9, 6.5, 1, 1, err)
                                        : fig_new_grid(&out->fig, sel, 1, &cols, err);
    }
    plot_panel *p = st == SIM_OK ? fig_panel(out->fig, cols, 0) : NULL;
    size_t m = 0;
    for (size_t i = 0; st == SIM_OK && i < n; i++) {
        if (par[i] < 0) continue;
        ex[m] = x[par[i]], ey[m++] = y[par[i]];
        ex[m] = x[i], ey[m++] = y[i];
        ex[m] = NAN, ey[m++] = NAN;
    }
    if (st == SIM_OK) {
        char title[FIG_TITLE_MAX];
        snprintf(title, sizeof title, "Run %lld: %zu listings from a %s", (long long)run, n,
                 !strcmp(d->e[sub[0]].cause, "false_record") ? "false record"
                 : !strcmp(d->e[sub[0]].cause, "misattribution") ? "misattribution"
                 : d->e[sub[0]].cause);
        plot_set_title(p, title);
        plot_set_label(p, PLOT_X, "force-directed layout (positions carry no meaning)");
        plot_set_label(p, PLOT_Y, "");
        double lo = INFINITY, hi = -INFINITY, zero = 0;
        for (size_t i = 0; i < n; i++) {
            lo = fmin(lo, fmin(x[i], y[i]));
            hi = fmax(hi, fmax(x[i], y[i]));
        }
        double pad = 0.08 * (hi - lo + 1e-9);
        plot_set_limits(p, PLOT_X, lo - pad, hi + pad);   /* one scale on both axes */
        plot_set_limits(p, PLOT_Y, lo - pad, hi + pad);
        const char *blank[] = {""};
        zero = (lo + hi) / 2;
        st = plot_set_ticks(p, PLOT_X, &zero, blank, 1, err);   /* no numbers under the axes */
        if (st == SIM_OK) st = plot_set_ticks(p, PLOT_Y, &zero, blank, 1, err);
        plot_hide_axes(p);
        plot_set_legend(p, PLOT_LEGEND_OUTSIDE);
        if (st == SIM_OK && m) st = plot_line(p, "spread (source to listing)", ex, ey, m, err);
    }
    char seen[NET_CATS][40];
    size_t ncat = 0;
    for (size_t i = 0; st == SIM_OK && i < n; i++) {   /* one scatter per category */
        char cat[40];
        category(&d->e[sub[i]], par[i] < 0, cat, sizeof cat);
        size_t c = 0;
        while (c < ncat && strcmp(seen[c], cat)) c++;
        if (c < ncat || ncat == NET_CATS) continue;
        snprintf(seen[ncat++], sizeof seen[0], "%s", cat);
        size_t k = 0;
        for (size_t j = 0; j < n; j++) {
            char cj[40];
            category(&d->e[sub[j]], par[j] < 0, cj, sizeof cj);
            if (!strcmp(cj, cat)) cx[k] = x[j], cy[k++] = y[j];
        }
        st = plot_scatter(p, cat, cx, cy, k, err);
    }
    if (st == SIM_OK) fig_note(out, "%zu listings, %zu edges, run %lld", n, m / 3, (long long)run);
    free(x), free(y), free(ex), free(ey), free(cx), free(cy);
    return st;
}

sim_status fig_network(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    net_data d = {0};
    char *q = sqlite3_mprintf("SELECT agent, cause, source, layer FROM events WHERE run_id = "
                              "%lld AND kind = 'listed' AND list = 'black' ORDER BY rowid",
                              (long long)sel->run_ids[0]);
    sim_status st = q ? fig_query(db, out, "blacklisting events of the run", q, ev_row, &d, err)
                      : err_set(err, SIM_ENOMEM, "out of memory");
    long *par = NULL, *root = NULL, *sub = NULL, *pos = NULL, *spar = NULL;
    size_t size = 0, n = 0;
    long pick = -1;
    if (st == SIM_OK && d.n) {
        par = malloc(d.n * sizeof *par), root = malloc(d.n * sizeof *root);
        pos = malloc(d.n * sizeof *pos);
        sub = malloc(NET_MAX * sizeof *sub), spar = malloc(NET_MAX * sizeof *spar);
        if (!par || !root || !pos || !sub || !spar || !link_parents(&d, par, root))
            st = err_set(err, SIM_ENOMEM, "out of memory");
        else pick = pick_root(&d, root, &size);
    }
    for (size_t i = 0; st == SIM_OK && pick >= 0 && i < d.n; i++) {
        pos[i] = -1;
        if (root[i] != pick || n == NET_MAX) continue;
        pos[i] = (long)n;
        spar[n] = par[i] >= 0 ? pos[par[i]] : -1;
        sub[n++] = (long)i;
    }
    if (st == SIM_OK) out->cascade = size;
    if (st == SIM_OK && size < 2)
        fig_note(out, "no cascade beyond single listings in run %lld's events",
                 (long long)sel->run_ids[0]);
    else if (st == SIM_OK)
        st = draw(out, sel, &d, sub, n, spar, sel->run_ids[0], err);
    sqlite3_free(q);
    free(d.e), free(par), free(root), free(pos), free(sub), free(spar);
    return st;
}
