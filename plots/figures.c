/* plots/figures.c - the figure list, results, SQL bookkeeping and helpers shared by the
 * builders (fig_series.c, fig_bars.c, fig_phase.c). */
#include "fig_impl.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensitivity.h"

static const fig_def FIGS[] = {
    {"timeseries", fig_timeseries}, {"harm", fig_harm},         {"causes", fig_causes},
    {"groups", fig_groups},         {"lorenz", fig_lorenz},     {"disparity", fig_disparity},
    {"frontier", fig_frontier},     {"privacy", fig_privacy},   {"records", fig_records},
    {"cascades", fig_cascades},
    {"network", fig_network},       {"phase", fig_phase},       {"sensitivity", fig_sensitivity},
    {"regions", fig_regions},       /* issue 13 item 3: regional pilots (fig_regions.c) */
    {"agencies", fig_agencies},   /* per-agency lists (fig_agencies.c, ODD 7.19) */
};

const fig_def *fig_list(size_t *n) {
    *n = sizeof FIGS / sizeof FIGS[0];
    return FIGS;
}

const fig_def *fig_find(const char *name) {
    for (size_t i = 0; i < sizeof FIGS / sizeof FIGS[0]; i++)
        if (name && strcmp(FIGS[i].name, name) == 0) return &FIGS[i];
    return NULL;
}

void fig_result_free(fig_result *r) {
    if (!r) return;
    plot_fig_free(r->fig);
    free(r->sql);
    memset(r, 0, sizeof *r);
}

void fig_note(fig_result *out, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->note, sizeof out->note, fmt, ap);
    va_end(ap);
}

void fig_note_add(fig_result *out, const char *fmt, ...) {
    size_t len = strlen(out->note);
    if (len + 1 >= sizeof out->note) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->note + len, sizeof out->note - len, fmt, ap);
    va_end(ap);
}

/* The groups in state `which`, comma-separated, then why; returns how many. */
static size_t left_out_kind(fig_result *out, const fig_groups_t *g, const unsigned char *state,
                            unsigned char which, const char *why, int first) {
    size_t m = 0;
    for (size_t k = 0; k < g->ngrp; k++)
        if (state[k] == which)
            fig_note_add(out, "%s%s", m++ ? ", " : first ? "; left out: " : "; ", g->title[k]);
    if (m) fig_note_add(out, " (%s)", why);
    return m;
}

void fig_note_left_out(fig_result *out, const fig_groups_t *g, const unsigned char *state,
                       size_t max) {
    char why[96];
    snprintf(why, sizeof why, "beyond the first %zu run groups a figure shows: pick them with "
             "--runs", max);
    size_t m = left_out_kind(out, g, state, FIG_BEYOND, why, 1);
    left_out_kind(out, g, state, FIG_NODATA, "no rows for it in this figure's query", m == 0);
}

/* ---- SQL ---- */

static sim_status sql_append(fig_result *out, const char *s, sim_err *err) {
    size_t n = strlen(s);
    if (out->sql_len + n + 1 > out->sql_cap) {
        size_t cap = out->sql_cap ? out->sql_cap : 1024;
        while (cap < out->sql_len + n + 1) cap *= 2;
        char *p = realloc(out->sql, cap);
        if (!p) return err_set(err, SIM_ENOMEM, "out of memory");
        out->sql = p;
        out->sql_cap = cap;
    }
    memcpy(out->sql + out->sql_len, s, n + 1);
    out->sql_len += n;
    return SIM_OK;
}

sim_status fig_query(sqlite3 *db, fig_result *out, const char *what, const char *sql,
                     fig_row_fn fn, void *ctx, sim_err *err) {
    sim_status st;
    if ((st = sql_append(out, "-- ", err)) != SIM_OK || (st = sql_append(out, what, err)) ||
        (st = sql_append(out, "\n", err)) || (st = sql_append(out, sql, err)) ||
        (st = sql_append(out, ";\n\n", err)))
        return st;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return err_set(err, SIM_EDB, "query for %s failed: %s", what, sqlite3_errmsg(db));
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        out->rows++;
        if (fn && (st = fn(s, ctx, err)) != SIM_OK) {
            sqlite3_finalize(s);
            return st;
        }
    }
    if (rc != SQLITE_DONE)
        st = err_set(err, SIM_EDB, "query for %s failed: %s", what, sqlite3_errmsg(db));
    sqlite3_finalize(s);
    return st;
}

char *fig_idlist(const fig_sel *sel) {
    char *s = malloc(sel->nruns * 21 + 1);
    if (!s) return NULL;
    size_t len = 0;
    for (size_t i = 0; i < sel->nruns; i++)
        len += (size_t)sprintf(s + len, "%s%lld", i ? "," : "", (long long)sel->run_ids[i]);
    s[len] = '\0';
    return s;
}

/* ---- layout and statistics ---- */

sim_status fig_new_grid(plot_fig **out, const fig_sel *sel, size_t npanels, int *cols,
                        sim_err *err) {
    static const int COLS[FIG_MAX_PANELS + 1] = {1, 1, 2, 3, 2, 5, 3};   /* no empty cell */
    if (npanels < 1 || npanels > FIG_MAX_PANELS)
        return err_set(err, SIM_EUSAGE, "a figure holds 1 to %d panels, not %zu",
                       FIG_MAX_PANELS, npanels);
    *cols = COLS[npanels];
    int rows = (int)((npanels + (size_t)*cols - 1) / (size_t)*cols);
    plot_size size = sel->size == FIG_SIZE_AUTO
                         ? (npanels == 1 ? PLOT_SIZE_COLUMN : PLOT_SIZE_SLIDE)
                         : (plot_size)sel->size;
    return plot_fig_new(out, size, rows, *cols, err);
}

plot_panel *fig_panel(plot_fig *fig, int cols, size_t i) {
    return plot_fig_panel(fig, (int)(i / (size_t)cols), (int)(i % (size_t)cols));
}

void fig_mean_ci(const double *v, size_t n, double *mean, double *lo, double *hi) {
    double half;
    if (sens_mean_ci95(v, n, mean, &half) == 1) half = 0;   /* one replicate: no band */
    *lo = *mean - half;
    *hi = *mean + half;
}

/* ---- text helpers ---- */

static char *trim(char *s) {
    while (isspace((unsigned char)*s)) s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = '\0';
    return s;
}

int fig_has_table(sqlite3 *db, const char *table) {
    sqlite3_stmt *q = NULL;
    int has = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                           "name = ?", -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW) has = sqlite3_column_int(q, 0) > 0;
    }
    sqlite3_finalize(q);
    return has;
}

int fig_has_column(sqlite3 *db, const char *table, const char *column) {
    sqlite3_stmt *q = NULL;
    int has = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM pragma_table_info(?) WHERE name = ?", -1,
                           &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, column, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW) has = sqlite3_column_int(q, 0) > 0;
    }
    sqlite3_finalize(q);
    return has;
}

size_t fig_spec_params(const char *spec, char keys[][FIG_KEY_MAX], size_t max) {
    size_t k = 0;
    int in_param = 0;
    char line[512];
    for (const char *p = spec; p && *p && k < max;) {
        size_t n = strcspn(p, "\n");
        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), p);
        p += n + (p[n] == '\n');
        line[strcspn(line, ";#")] = '\0';
        char *t = trim(line);
        if (*t == '[') { in_param = strncmp(t, "[param.", 7) == 0; continue; }
        char *eq = strchr(t, '=');
        if (!in_param || !eq) continue;
        *eq = '\0';
        if (strcmp(trim(t), "key") == 0) snprintf(keys[k++], FIG_KEY_MAX, "%s", trim(eq + 1));
    }
    return k;
}

const char *fig_short_key(const char *key) {
    const char *d = strrchr(key, '.');
    return d ? d + 1 : key;
}

double fig_override_value(const char *overrides, const char *key) {
    size_t kn = strlen(key);
    for (const char *p = overrides; p && *p;) {
        p += strspn(p, " \t\r\n");
        if (strncmp(p, key, kn) == 0 && p[kn] == '=') {
            char *end;
            errno = 0;
            double v = strtod(p + kn + 1, &end);
            return end == p + kn + 1 || errno ? NAN : v;
        }
        p += strcspn(p, " \t\r\n");
    }
    return NAN;
}

/* ---- output ---- */

const char *fig_ext(plot_format fmt) {
    return fmt == PLOT_FMT_PNG ? "png" : fmt == PLOT_FMT_SVG ? "svg"
                                       : fmt == PLOT_FMT_PDF ? "pdf" : "";
}

static sim_status write_sql(const fig_result *r, const char *path, sim_err *err) {
    FILE *f = fopen(path, "w");
    if (!f) return err_set(err, SIM_EIO, "cannot write %s: %s", path, strerror(errno));
    fputs("-- Queries behind this figure (docs/plots.md); run with sqlite3 on the database.\n",
          f);
    if (r->sql) fputs(r->sql, f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        remove(path);
        return err_set(err, SIM_EIO, "cannot write %s", path);
    }
    return SIM_OK;
}

sim_status fig_write(fig_result *r, const char *dir, const char *name, plot_format fmt,
                     sim_err *err) {
    if (!r || !r->fig || fmt == PLOT_FMT_AUTO)
        return err_set(err, SIM_EUSAGE, "fig_write: no figure, or no format given");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s", dir, name, fig_ext(fmt));
    sim_status st = plot_render(r->fig, path, fmt, err);
    if (st != SIM_OK) return st;
    snprintf(path, sizeof path, "%s/%s.sql", dir, name);
    return write_sql(r, path, err);
}

void fig_short_label(const char *scenario, char *buf, size_t n) {
    if (scenario && strlen(scenario) > 32) snprintf(buf, n, "%.31s…", scenario);
    else snprintf(buf, n, "%s", scenario ? scenario : "run");
}

void fig_ci_suffix(const fig_groups_t *g, size_t ng, char *buf, size_t n) {
    size_t kmin = SIZE_MAX, kmax = 0;
    for (size_t i = 0; i < ng && i < g->ngrp; i++) {
        if (g->count[i] < kmin) kmin = g->count[i];
        if (g->count[i] > kmax) kmax = g->count[i];
    }
    if (kmax <= 1) snprintf(buf, n, "%s", "");
    else if (kmin == kmax) snprintf(buf, n, " (mean and 95%% CI of %zu runs each)", kmax);
    else snprintf(buf, n, "%s", " (mean and 95% CI of n runs)");
}

sim_status fig_group_ticks(plot_panel *p, const fig_groups_t *g, size_t ng, sim_err *err) {
    double pos[AXIS_MAX_TICKS];
    char text[AXIS_MAX_TICKS][64];
    const char *labels[AXIS_MAX_TICKS];
    if (ng > AXIS_MAX_TICKS) ng = AXIS_MAX_TICKS;
    for (size_t k = 0; k < ng; k++) {
        pos[k] = (double)k;
        fig_short_label(g->title[k], text[k], sizeof text[k]);
        labels[k] = text[k];
    }
    return plot_set_ticks(p, PLOT_X, pos, labels, ng, err);
}

sim_status fig_ref_line(plot_panel *p, const char *label, double x0, double y0, double x1,
                        double y1, sim_err *err) {
    const double x[2] = {x0, x1}, y[2] = {y0, y1};
    sim_status st = plot_line(p, label, x, y, 2, err);
    size_t i = plot_nseries(p) - 1;
    if (st == SIM_OK) st = plot_series_dashed(p, i, err);
    if (st == SIM_OK) st = plot_series_color(p, i, (pal_rgb){0.45, 0.45, 0.45}, err);
    return st;
}
