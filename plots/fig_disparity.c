/* plots/fig_disparity.c - disparity: the share of each group's persons ever blacklisted and
 * ever wrongly blacklisted, per run (summary rows ever_listed_rate and
 * ever_wrongly_listed_rate by group:G; docs/results.md), as grouped bars: one bar group per
 * run (the first 6), one bar per population group, two panels. The ratio to group 0 is in
 * the summary as rate_ratio.* and in `scsim summary`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig_impl.h"

enum { DP_RUNS = FIG_MAX_PANELS, DP_GROUPS = 8, DP_LABEL = 64 };

typedef struct dp_data {
    size_t nrun;
    int ngroups;
    const int64_t *ids;
    double rate[2][DP_RUNS][DP_GROUPS];   /* [0 ever, 1 wrongly][run][group] */
    char label[DP_RUNS][DP_LABEL];
} dp_data;

/* Row: run_id, scenario_name, name, grp, value. */
static sim_status dp_row(sqlite3_stmt *s, void *ctx, sim_err *err) {
    (void)err;
    dp_data *d = ctx;
    int64_t id = sqlite3_column_int64(s, 0);
    const char *sc = (const char *)sqlite3_column_text(s, 1);
    const char *name = (const char *)sqlite3_column_text(s, 2);
    const char *grp = (const char *)sqlite3_column_text(s, 3);
    int g;
    if (!name || !grp || sscanf(grp, "group:%d", &g) != 1 || g < 0 || g >= DP_GROUPS)
        return SIM_OK;
    int k = strcmp(name, "ever_wrongly_listed_rate") == 0;
    for (size_t r = 0; r < d->nrun; r++) {
        if (d->ids[r] != id) continue;
        d->rate[k][r][g] = sqlite3_column_double(s, 4);
        if (g + 1 > d->ngroups) d->ngroups = g + 1;
        fig_short_label(sc, d->label[r], DP_LABEL);
    }
    return SIM_OK;
}

static sim_status dp_panel(plot_panel *p, const dp_data *d, int k, sim_err *err) {
    double x[DP_RUNS], y[DP_RUNS];
    const char *ticks[DP_RUNS];
    for (size_t r = 0; r < d->nrun; r++) x[r] = (double)r, ticks[r] = d->label[r];
    plot_set_title(p, k ? "Ever wrongly blacklisted" : "Ever blacklisted");
    plot_set_label(p, PLOT_Y, "Share of the group's persons");
    plot_set_limits(p, PLOT_Y, 0, NAN);
    sim_status st = plot_set_ticks(p, PLOT_X, x, ticks, d->nrun, err);
    for (int g = 0; g < d->ngroups && st == SIM_OK; g++) {
        char label[24];
        snprintf(label, sizeof label, "group %d", g);
        for (size_t r = 0; r < d->nrun; r++) y[r] = d->rate[k][r][g];
        st = plot_bars(p, label, x, y, NULL, NULL, d->nrun, err);
    }
    return st;
}

sim_status fig_disparity(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err) {
    fig_sel first = *sel;
    if (first.nruns > DP_RUNS) first.nruns = DP_RUNS;
    dp_data *d = calloc(1, sizeof *d);
    char *ids = fig_idlist(&first), *q = NULL;
    sim_status st = d && ids ? SIM_OK : err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK) {
        d->nrun = first.nruns;
        d->ids = sel->run_ids;
        for (size_t r = 0; r < DP_RUNS; r++)
            for (int g = 0; g < DP_GROUPS; g++) d->rate[0][r][g] = d->rate[1][r][g] = NAN;
        q = sqlite3_mprintf("SELECT s.run_id, r.scenario_name, s.name, s.grp, s.value FROM "
                            "summary s JOIN runs r USING(run_id) WHERE s.run_id IN (%s) AND "
                            "s.name IN ('ever_listed_rate', 'ever_wrongly_listed_rate') AND "
                            "s.grp LIKE 'group:%%' ORDER BY s.run_id, s.grp", ids);
        if (!q) st = err_set(err, SIM_ENOMEM, "out of memory");
    }
    if (st == SIM_OK) st = fig_query(db, out, "listing rates by group", q, dp_row, d, err);
    if (st == SIM_OK && d->ngroups == 0) {
        fig_note(out, "no rates by group in the summary of the selected runs (older database?)");
    } else if (st == SIM_OK) {
        int cols = 2;
        st = sel->size == FIG_SIZE_AUTO ? plot_fig_new_in(&out->fig, 16, 5.5, 1, 2, err)
                                        : fig_new_grid(&out->fig, sel, 2, &cols, err);
        if (st == SIM_OK) plot_fig_set_title(out->fig, "Disparity between groups");
        for (int k = 0; k < 2 && st == SIM_OK; k++)
            st = dp_panel(fig_panel(out->fig, cols, (size_t)k), d, k, err);
        if (st == SIM_OK) fig_note(out, "%zu run(s), %d group(s)", d->nrun, d->ngroups);
    }
    sqlite3_free(q);
    free(ids);
    free(d);
    return st;
}
