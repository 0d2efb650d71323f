/* plots/fig_privacy.c - privacy: what the regime knows and shows about persons, per run, from
 * the summary (docs/results.md): records per person, agencies holding records per person,
 * persons named on the public blacklist (and of those, wrongly), and third-party processing,
 * the last two as shares of persons. One bar per selected run (the first 6) in four panels. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig_impl.h"

enum { PV_RUNS = FIG_MAX_PANELS, PV_N = 6, PV_LABEL = 64 };

/* The summary rows read, in this order. */
static const char *const PV_NAME[PV_N] = {"persons", "records_per_person", "agencies_per_person",
                                          "named_publicly", "named_publicly",
                                          "third_party_processing"};
static const char *const PV_GRP[PV_N] = {"all", "mean", "mean", "all", "wrongly", "all"};

typedef struct pv_data {
    size_t nrun;
    const int64_t *ids;
    double v[PV_RUNS][PV_N];
    char label[PV_RUNS][PV_LABEL];
} pv_data;

/* Row: run_id, scenario_name, name, grp, value. */
static sim_status pv_row(sqlite3_stmt *s, void *ctx, sim_err *err) {
    (void)err;
    pv_data *d = ctx;
    int64_t id = sqlite3_column_int64(s, 0);
    const char *name = (const char *)sqlite3_column_text(s, 2);
    const char *grp = (const char *)sqlite3_column_text(s, 3);
    for (size_t r = 0; r < d->nrun; r++) {
        if (d->ids[r] != id) continue;
        fig_short_label((const char *)sqlite3_column_text(s, 1), d->label[r], PV_LABEL);
        for (int k = 0; k < PV_N; k++)
            if (name && grp && !strcmp(name, PV_NAME[k]) && !strcmp(grp, PV_GRP[k]))
                d->v[r][k] = sqlite3_column_double(s, 4);
    }
    return SIM_OK;
}

/* Panel i: bars over the runs of series (k, share of persons when share) and maybe a second. */
static sim_status pv_panel(plot_panel *p, const pv_data *d, const char *title, const char *ylab,
                           int k, int k2, int share, const char *l1, const char *l2,
                           sim_err *err) {
    double x[PV_RUNS], y[PV_RUNS], y2[PV_RUNS];
    const char *ticks[PV_RUNS];
    for (size_t r = 0; r < d->nrun; r++) {
        double persons = share && d->v[r][0] > 0 ? d->v[r][0] : 1.0;
        x[r] = (double)r;
        y[r] = d->v[r][k] / persons;
        y2[r] = k2 >= 0 ? d->v[r][k2] / persons : 0;
        ticks[r] = d->label[r];
    }
    plot_set_title(p, title);
    plot_set_label(p, PLOT_Y, ylab);
    plot_set_limits(p, PLOT_Y, 0, NAN);
    sim_status st = plot_set_ticks(p, PLOT_X, x, ticks, d->nrun, err);
    if (st == SIM_OK) st = plot_bars(p, l1, x, y, NULL, NULL, d->nrun, err);
    if (st == SIM_OK && k2 >= 0) st = plot_bars(p, l2, x, y2, NULL, NULL, d->nrun, err);
    if (st == SIM_OK && k2 < 0) plot_set_legend(p, PLOT_LEGEND_NONE);
    return st;
}

static sim_status pv_build(fig_result *out, const fig_sel *sel, const pv_data *d,
                           sim_err *err) {
    int cols = 2;
    /* wider than a slide by default: five scenario names side by side under each panel */
    sim_status st = sel->size == FIG_SIZE_AUTO
                        ? plot_fig_new_in(&out->fig, 16, 8, 2, 2, err)
                        : fig_new_grid(&out->fig, sel, 4, &cols, err);
    if (st != SIM_OK) return st;
    plot_fig_set_title(out->fig, "Privacy exposure of persons");
    st = pv_panel(fig_panel(out->fig, cols, 0), d, "Records held per person", "Records (mean)",
                  1, -1, 0, "records", NULL, err);
    if (st == SIM_OK)
        st = pv_panel(fig_panel(out->fig, cols, 1), d, "Agencies holding records",
                      "Agencies per person (mean)", 2, -1, 0, "agencies", NULL, err);
    if (st == SIM_OK)
        st = pv_panel(fig_panel(out->fig, cols, 2), d, "Named on the public blacklist",
                      "Share of persons", 3, 4, 1, "named", "of whom wrongly", err);
    if (st == SIM_OK)
        st = pv_panel(fig_panel(out->fig, cols, 3), d, "Affected by data about others",
                      "Share of persons", 5, -1, 1, "third-party processing", NULL, err);
    if (st == SIM_OK) fig_note(out, "%zu run(s)", d->nrun);
    return st;
}

sim_status fig_privacy(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    fig_sel first = *sel;
    if (first.nruns > PV_RUNS) first.nruns = PV_RUNS;
    pv_data *d = calloc(1, sizeof *d);
    char *ids = fig_idlist(&first), *q = NULL;
    sim_status st = d && ids ? SIM_OK : err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK) {
        d->nrun = first.nruns;
        d->ids = sel->run_ids;
        for (size_t r = 0; r < d->nrun; r++)
            for (int k = 0; k < PV_N; k++) d->v[r][k] = NAN;
        q = sqlite3_mprintf("SELECT s.run_id, r.scenario_name, s.name, s.grp, s.value FROM "
                            "summary s JOIN runs r USING(run_id) WHERE s.run_id IN (%s) AND "
                            "s.name IN ('persons', 'records_per_person', 'agencies_per_person', "
                            "'named_publicly', 'third_party_processing') ORDER BY s.run_id", ids);
        if (!q) st = err_set(err, SIM_ENOMEM, "out of memory");
    }
    if (st == SIM_OK) st = fig_query(db, out, "privacy exposure per run", q, pv_row, d, err);
    int have = 0;
    for (size_t r = 0; st == SIM_OK && r < d->nrun; r++) have |= isfinite(d->v[r][1]);
    if (st == SIM_OK && !have)
        fig_note(out, "no privacy rows in the summary of the selected runs (older database?)");
    else if (st == SIM_OK)
        st = pv_build(out, sel, d, err);
    sqlite3_free(q);
    free(ids);
    free(d);
    return st;
}
