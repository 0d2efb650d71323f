/* sim/serve/serve_result.c - what the explorer shows, read back from the explorer database
 * (so every number on the page is a query anyone can re-run): the headline figures of the
 * reference and the variant with their paired difference, their time series, the largest
 * spillover cascade with positions for the page to animate, and the standard figures drawn
 * by the plotting layer as SVG or PNG. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "figures.h"
#include "query.h"
#include "serve_impl.h"

typedef struct headline {
    const char *name, *grp, *label;
} headline;

static const headline HEADLINE[] = {
    {"ever_wrongly_listed.black", "all", "Wrongly blacklisted (ever)"},
    {"ever_listed.black", "all", "Blacklisted (ever)"},
    {"third_party_processing", "all", "Innocent persons reached (processed for others' data)"},
    {"harm", "innocent", "Harm to innocents"},
    {"harm", "reached", "Harm through others' listings"},
    {"harm", "all", "Harm, all"},
    {"violations_prevented", "all", "Violations prevented"},
    {"named_publicly", "all", "Named publicly"},
    {"named_publicly", "wrongly", "Named publicly, wrongly"},
    {"persons_with_records", "all", "Persons with a record made about them"},
    {"person_months_held", "all", "Person-months of data held"},
    {"records_per_person", "mean", "Records made per person (mean)"},
    {"inference_auc", "violation_history", "Inference of past violations by the public (AUC)"},
    {"inference_auc", "listed_contact", "Inference of ties to listed agents (AUC)"},
    {"cascade_largest", "all", "Largest spillover cascade (agents)"},
    {"spillover_share", "all", "Share of listings due to spillover"},
};

static const headline SERIES[] = {
    {"listed.black", "all", "Blacklisted"},
    {"wrongly_listed.black", "all", "Wrongly blacklisted"},
    {"harm", "innocent", "Harm to innocents per month"},
    {"third_party_processing", "all", "Processed for others' data"},
};

static json_t *number(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *headlines(query_t *q, int64_t ref, int64_t var) {
    json_t *a = json_array();
    for (size_t i = 0; i < sizeof HEADLINE / sizeof *HEADLINE; i++) {
        const headline *h = &HEADLINE[i];
        double r = query_summary(q, ref, h->name, h->grp);
        double v = query_summary(q, var, h->name, h->grp);
        if (!isfinite(r) && !isfinite(v)) continue;
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(h->name));
        json_object_set_new(o, "grp", json_string(h->grp));
        json_object_set_new(o, "label", json_string(h->label));
        json_object_set_new(o, "reference", number(r));
        json_object_set_new(o, "variant", number(v));
        json_object_set_new(o, "difference", number(v - r));
        json_array_append_new(a, o);
    }
    return a;
}

/* The per-step values of (name, grp) of run id, as an array indexed by step - 1. */
static sim_status series_of(sqlite3 *db, int64_t id, const headline *h, int steps,
                            json_t **out, sim_err *err) {
    sqlite3_stmt *st = NULL;
    *out = json_array();
    for (int t = 0; t < steps; t++) json_array_append_new(*out, json_null());
    if (sqlite3_prepare_v2(db, "SELECT step, value FROM metrics WHERE run_id = ?1 AND "
                           "name = ?2 AND grp = ?3 ORDER BY step", -1, &st, NULL) != SQLITE_OK)
        return err_set(err, SIM_EDB, "reading metrics: %s", sqlite3_errmsg(db));
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, h->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, h->grp, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t t = sqlite3_column_int64(st, 0);
        if (t >= 1 && t <= steps && sqlite3_column_type(st, 1) != SQLITE_NULL)
            json_array_set_new(*out, (size_t)(t - 1), json_real(sqlite3_column_double(st, 1)));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SIM_OK : err_set(err, SIM_EDB, "reading metrics failed");
}

static sim_status all_series(query_t *q, int64_t ref, int64_t var, json_t *res, sim_err *err) {
    double s = query_summary(q, var, "steps", "all");
    int steps = isfinite(s) && s >= 1 && s <= 100000 ? (int)s : 0;
    json_t *a = json_array();
    json_object_set_new(res, "steps", json_integer(steps));
    json_object_set_new(res, "series", a);
    sim_status st = SIM_OK;
    for (size_t i = 0; st == SIM_OK && i < sizeof SERIES / sizeof *SERIES; i++) {
        json_t *r = NULL, *v = NULL, *o = json_object();
        st = series_of(query_db(q), ref, &SERIES[i], steps, &r, err);
        if (st == SIM_OK) st = series_of(query_db(q), var, &SERIES[i], steps, &v, err);
        json_object_set_new(o, "name", json_string(SERIES[i].name));
        json_object_set_new(o, "grp", json_string(SERIES[i].grp));
        json_object_set_new(o, "label", json_string(SERIES[i].label));
        json_object_set_new(o, "reference", r ? r : json_null());
        json_object_set_new(o, "variant", v ? v : json_null());
        json_array_append_new(a, o);
    }
    return st;
}

json_t *sv_result(const char *db, int64_t ref, int64_t var, sim_err *err) {
    query_t *q = NULL;
    if (query_open(&q, db, err) != SIM_OK) return NULL;
    json_t *res = json_object();
    json_object_set_new(res, "reference_run", json_integer(ref));
    json_object_set_new(res, "variant_run", json_integer(var));
    json_object_set_new(res, "headline", headlines(q, ref, var));
    sim_status st = all_series(q, ref, var, res, err);
    if (st == SIM_OK) st = query_status(q, err);
    query_close(q);
    if (st != SIM_OK) { json_decref(res); return NULL; }
    return res;
}

/* ---- figures -------------------------------------------------------------------------- */

static const char *const FIGURES[] = {"timeseries", "harm", "causes", "privacy", "cascades",
                                      "lorenz", "disparity"};

static sim_status read_file(const char *path, char **data, size_t *len, sim_err *err) {
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(err, SIM_EIO, "cannot read the figure back");
    char *buf = NULL;
    size_t n = 0, cap = 0, k;
    char chunk[65536];
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (n + k > cap) {
            cap = (n + k) * 2;
            char *b = realloc(buf, cap);
            if (!b) { free(buf); fclose(f); return err_set(err, SIM_ENOMEM, "out of memory"); }
            buf = b;
        }
        memcpy(buf + n, chunk, k);
        n += k;
    }
    fclose(f);
    *data = buf, *len = n;
    return buf ? SIM_OK : err_set(err, SIM_EIO, "the figure is empty");
}

int sv_figure(const char *db, const char *tmpdir, const char *name, int png, int64_t ref,
              int64_t var, char **data, size_t *len, sim_err *err) {
    const fig_def *def = NULL;
    for (size_t i = 0; i < sizeof FIGURES / sizeof *FIGURES; i++)
        if (strcmp(name, FIGURES[i]) == 0) def = fig_find(name);
    if (!def) { err_set(err, SIM_EUSAGE, "no such figure"); return 404; }
    query_t *q = NULL;
    if (query_open(&q, db, err) != SIM_OK) return 500;
    int64_t ids[2] = {ref, var};
    fig_sel sel = {ids, ref == var ? 1 : 2, NULL, FIG_SIZE_AUTO, 0};   /* shared y */
    fig_result r = {0};
    sim_status st = def->build(query_db(q), &sel, &r, err);
    char path[128];
    snprintf(path, sizeof path, "%s/figure.%s", tmpdir, png ? "png" : "svg");
    if (st == SIM_OK && !r.fig) st = err_set(err, SIM_EUSAGE, "%s", r.note);
    if (st == SIM_OK) st = plot_render(r.fig, path, png ? PLOT_FMT_PNG : PLOT_FMT_SVG, err);
    if (st == SIM_OK) st = read_file(path, data, len, err);
    unlink(path);
    fig_result_free(&r);
    query_close(q);
    return st == SIM_OK ? 0 : st == SIM_EUSAGE ? 404 : 500;
}
