/* sim/cli/cli_plot.c - `scsim plot`: the standard figures of a results database (figures.h).
 * Prints one line per figure written or skipped; errors go back to main through err. */
#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_cmds.h"
#include "figures.h"
#include "query.h"

#define RUNS_DEFAULT 6   /* run groups plotted without --runs; a macro for the help */
#define STR_(x) #x
#define STR(x) STR_(x)
enum { RUNS_MAX = 256, PLOT_FIGS_MAX = 16 };

typedef struct plot_args {
    const char *db, *out, *metric;
    opt_ids runs;
    opt_list figure;
    int fmt;    /* plot_format */
    int size;   /* FIG_SIZE_AUTO or a plot_size */
} plot_args;

/* --figure NAME: one of the standard figures. */
static sim_status check_figure(void *args, const char *opt, const char *name, sim_err *err) {
    (void)args;
    if (fig_find(name)) return SIM_OK;
    size_t n;
    const fig_def *f = fig_list(&n);
    char list[256] = "";
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", f[i].name);
    }
    return err_set(err, SIM_EUSAGE, "plot: %s %.60s: unknown figure (figures: %s)", opt, name,
                   list);
}

static const opt_word FORMATS[] = {
    {"png", PLOT_FMT_PNG}, {"svg", PLOT_FMT_SVG}, {"pdf", PLOT_FMT_PDF}, {NULL, 0}};
static const opt_word SIZES[] = {
    {"column", PLOT_SIZE_COLUMN}, {"slide", PLOT_SIZE_SLIDE}, {NULL, 0}};

static const opt_spec PLOT_OPTS[] = {
    {.name = "out", .kind = OPT_PATH, .metavar = "DIR", .off = offsetof(plot_args, out),
     .flags = OPT_REQUIRED, .help = "the folder for the figures (created if missing)"},
    {.name = "format", .kind = OPT_CHOICE, .words = FORMATS, .def = "png",
     .off = offsetof(plot_args, fmt), .help = "the figures' file format"},
    {.name = "runs", .kind = OPT_IDS, .metavar = "IDS", .hi = RUNS_MAX,
     .off = offsetof(plot_args, runs),
     .help = "the runs: ids such as 3 or 1,4,7 or 1,2,5-8 (default: the runs of the last "
             STR(RUNS_DEFAULT) " run groups)"},
    {.name = "run", .kind = OPT_IDS, .metavar = "IDS", .hi = RUNS_MAX, .flags = OPT_DEPRECATED,
     .off = offsetof(plot_args, runs), .help = "the old spelling of --runs"},
    {.name = "figure", .kind = OPT_LIST, .metavar = "NAME", .hi = PLOT_FIGS_MAX,
     .off = offsetof(plot_args, figure), .call = check_figure,
     .help = "one of the figures below (repeatable; default: every figure the database has "
             "data for)"},
    {.name = "size", .kind = OPT_CHOICE, .words = SIZES, .off = offsetof(plot_args, size),
     .help = "column (3.5 x 2.6 in) or slide (10 x 5.6 in); default column for one panel, "
             "slide for several, larger for the many-panel figures"},
    {.name = "metric", .kind = OPT_STRING, .metavar = "NAME",
     .off = offsetof(plot_args, metric),
     .help = "the summary metric of the phase figure (default ever_wrongly_listed.black)"},
};

const opt_cmd CLI_PLOT = {
    .name = "plot", .args = "DB", .min_args = 1, .max_args = 1,
    .summary = "the standard figures of a results database (PNG, SVG, PDF)",
    .about =
    "Writes the standard figures of a results database into DIR (created if missing): each\n"
    "as DIR/NAME.png (or .svg, .pdf) with DIR/NAME.sql, the SQL queries that fed it. Runs\n"
    "that are replicates (same scenario and overrides but the seed, or the same sweep point)\n"
    "form a run group, shown as a mean with a 95% interval.\n",
    .after =
    "figures:\n"
    "  timeseries   blacklisted and wrongly blacklisted agents over steps, per run group\n"
    "  harm         harm of the sanctions in force over steps (all, innocent, via others)\n"
    "  causes       new blacklistings by cause, stacked, per run group\n"
    "  groups       blacklisted agents at the last step by agent group and run group\n"
    "  lorenz       Lorenz curves of the harm borne by persons, Gini in the legend\n"
    "  disparity    ever (wrongly) blacklisted and harm per person by population group,\n"
    "               and the ratios between the groups\n"
    "  frontier     violations prevented against wrongful listings and harm to innocents\n"
    "  privacy      records and agencies per person, public naming, third parties,\n"
    "               time on the blacklist, inference-attack AUCs\n"
    "  cascades     complementary CDF of cascade sizes\n"
    "  network      the spread of one cascade of the first selected run\n"
    "  phase        heat map of a summary metric over a two-parameter grid sweep\n"
    "               (--metric, default ever_wrongly_listed.black)\n"
    "  sensitivity  Sobol S1/ST or Morris mu*/sigma from `scsim analyze`\n"
    "Without --figure: every figure the database has data for (the others are skipped with\n"
    "the reason). Without --runs: the runs of the last " STR(RUNS_DEFAULT) " run groups. "
    "docs/plots.md describes each\nfigure and its query.\n",
    .opts = PLOT_OPTS, .nopts = sizeof PLOT_OPTS / sizeof *PLOT_OPTS};

/* The runs of the last RUNS_DEFAULT run groups (fig_recent_runs). */
static sim_status recent_runs(const char *path, int64_t *ids, int *n, sim_err *err) {
    sqlite3 *db = NULL;
    size_t got = 0;
    sim_status st = SIM_OK;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        st = err_set(err, SIM_EDB, "cannot open %s: %s", path, sqlite3_errmsg(db));
    else
        st = fig_recent_runs(db, RUNS_DEFAULT, ids, RUNS_MAX, &got, err);
    sqlite3_close(db);
    *n = (int)got;
    return st;
}

/* Checks the database and resolves the selection (query.h gives the exit codes 4 and 5). */
static sim_status select_runs(const plot_args *a, int64_t *ids, int *n, sim_err *err) {
    int given = a->runs.given;
    query_t *q = NULL;
    sim_status st = query_open(&q, a->db, err);
    query_run *runs = st == SIM_OK ? calloc(RUNS_MAX, sizeof *runs) : NULL;
    if (st == SIM_OK && !runs) st = err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK && given)
        st = query_runs(q, a->runs.v, a->runs.n, runs, a->runs.n, n, err);
    for (int i = 0; st == SIM_OK && given && i < *n; i++) {
        ids[i] = runs[i].run_id;
        if (strcmp(runs[i].status, "done") != 0)   /* only done runs are pooled */
            st = err_set(err, SIM_EDB, "run %lld in %s is '%s', not 'done': only done runs are "
                         "plotted", (long long)ids[i], a->db, runs[i].status);
    }
    if (st == SIM_OK && !given) st = recent_runs(a->db, ids, n, err);
    if (st == SIM_OK && *n == 0)
        st = err_set(err, SIM_EDB, "%s has no runs to plot", a->db);
    free(runs);
    query_close(q);
    return st;
}

static sim_status one_figure(sqlite3 *db, const fig_def *f, const fig_sel *sel,
                             const plot_args *a, sim_err *err) {
    fig_result r = {0};
    sim_status st = f->build(db, sel, &r, err);
    if (st == SIM_OK && !r.fig)
        printf("%-11s skipped: %s\n", f->name, r.note);
    else if (st == SIM_OK && (st = fig_write(&r, a->out, f->name, a->fmt, err)) == SIM_OK)
        printf("%-11s wrote %s/%s.%s and %s.sql (%s)\n", f->name, a->out, f->name,
               fig_ext(a->fmt), f->name, r.note);
    if (st != SIM_OK) err_prefix(err, "plot %s: ", f->name);
    fig_result_free(&r);
    return st;
}

static sim_status plot_all(const plot_args *a, const fig_sel *sel, sim_err *err) {
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(a->db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sim_status st = err_set(err, SIM_EDB, "cannot open %s: %s", a->db, sqlite3_errmsg(db));
        sqlite3_close(db);
        return st;
    }
    sqlite3_busy_timeout(db, 60000);
    size_t n;
    const fig_def *all = fig_list(&n);
    sim_status st = SIM_OK;
    if (a->figure.n == 0)
        for (size_t i = 0; i < n && st == SIM_OK; i++) st = one_figure(db, &all[i], sel, a, err);
    for (int i = 0; i < a->figure.n && st == SIM_OK; i++)
        st = one_figure(db, fig_find(a->figure.v[i]), sel, a, err);
    sqlite3_close(db);
    return st;
}

sim_status cli_plot(int argc, char **argv, sim_err *err) {
    plot_args a = {.size = FIG_SIZE_AUTO};
    opt_pos pos;
    sim_status st = opt_parse(&CLI_PLOT, argc, argv, &a, &pos, err);
    if (st == SIM_OK && pos.help) opt_help(&CLI_PLOT, stdout);
    if (st != SIM_OK || pos.help) return st;
    a.db = pos.v[0];
    int64_t ids[RUNS_MAX];
    int n = 0;
    st = select_runs(&a, ids, &n, err);
    if (st == SIM_OK) st = opt_make_dir(a.out, err);
    if (st != SIM_OK) return st;
    fig_sel sel = {.run_ids = ids, .nruns = (size_t)n, .metric = a.metric, .size = a.size};
    return plot_all(&a, &sel, err);
}
