/* sim/cli/cli_plot.c - `scsim plot`: the standard figures of a results database (figures.h).
 * Prints one line per figure written or skipped; errors go back to main through err. */
#include <ctype.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_cmds.h"
#include "figures.h"
#include "query.h"
#include "text.h"

#define RUNS_DEFAULT 6   /* run groups plotted without --runs; a macro for the help */
#define STR_(x) #x
#define STR(x) STR_(x)
enum { RUNS_MAX = 256, PLOT_FIGS_MAX = 16 };

typedef struct plot_args {
    const char *db, *out, *metric;
    int free_y;   /* --free-y */
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
     .help = "the summary metric of the phase figure (default ever_wrongly_listed.black); "
             "the file is then named phase-NAME"},
    {.name = "free-y", .kind = OPT_FLAG, .off = offsetof(plot_args, free_y),
     .help = "give each panel of timeseries, harm and causes its own y scale (default: one "
             "scale for all, so scenarios compare at a glance)"},
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
    "               time on the blacklist, inference-attack AUCs; bodies per person,\n"
    "               platform AUC against pooling, lawful acts suppressed (when stored)\n"
    "  records      records held per person over steps, stacked by agency, per run group\n"
    "  cascades     complementary CDF of cascade sizes\n"
    "  network      the spread of one cascade of the first selected run\n"
    "  phase        heat map of a summary metric over a two-parameter grid sweep\n"
    "               (--metric, default ever_wrongly_listed.black)\n"
    "  sensitivity  Sobol S1/ST or Morris mu*/sigma from `scsim analyze`\n"
    "  regions      a regional pilot beside the other regions: violations prevented, records,\n"
    "               time on the blacklist and harm per agent, by region\n"
    "  agencies     agents on each agency's own blacklist over steps, and on any blacklist\n"
    "Without --figure: every figure the database has data for (the others are skipped with\n"
    "the reason). Without --runs: the runs of the last " STR(RUNS_DEFAULT) " run groups. "
    "docs/plots.md describes each\nfigure and its query. A figure draws every run group it is "
    "given, or its line says which\nit left out and why (at most 6 panels, bars or curves; no "
    "rows). A run group whose persons\nwere more than 80% ever blacklisted is marked "
    "saturated: its comparisons say little.\n",
    .opts = PLOT_OPTS, .nopts = sizeof PLOT_OPTS / sizeof *PLOT_OPTS};

/* Resolves the selection: the runs given (each must exist), else the runs of the last
 * RUNS_DEFAULT run groups (fig_recent_runs). */
static sim_status select_runs(const plot_args *a, query_t *q, int64_t *ids, int *n,
                              sim_err *err) {
    int given = a->runs.given;
    size_t got = 0;
    query_run *runs = given ? calloc(RUNS_MAX, sizeof *runs) : NULL;
    sim_status st = given && !runs ? err_set(err, SIM_ENOMEM, "out of memory") : SIM_OK;
    if (st == SIM_OK && given)
        st = query_runs(q, a->runs.v, a->runs.n, runs, a->runs.n, n, err);
    for (int i = 0; st == SIM_OK && given && i < *n; i++) {
        ids[i] = runs[i].run_id;
        if (strcmp(runs[i].status, "done") != 0)   /* only done runs are pooled */
            st = err_set(err, SIM_EDB, "run %lld in %s is '%s', not 'done': only done runs are "
                         "plotted", (long long)ids[i], a->db, runs[i].status);
        else if (runs[i].duplicate)   /* a flagged copy is never pooled */
            st = err_set(err, SIM_EDB, "run %lld in %s is a flagged duplicate of another run "
                         "(runs.duplicate, stored by run --again): duplicates are never "
                         "plotted", (long long)ids[i], a->db);
    }
    if (st == SIM_OK && !given) {
        st = fig_recent_runs(query_db(q), RUNS_DEFAULT, ids, RUNS_MAX, &got, err);
        *n = (int)got;
    }
    if (st == SIM_OK && *n == 0)
        st = err_set(err, SIM_EDB, "%s has no runs to plot", a->db);
    free(runs);
    return st;
}

/* The file name of figure f without extension: its name, and for phase with --metric X
 * "phase-X" (characters other than letters, digits, '.', '_' and '-' as '_'), so figures of
 * different metrics do not overwrite each other. */
static void file_name(const fig_def *f, const plot_args *a, char *buf, size_t n) {
    if (strcmp(f->name, "phase") != 0 || !a->metric) {
        snprintf(buf, n, "%s", f->name);
        return;
    }
    snprintf(buf, n, "phase-%s", a->metric);
    for (char *c = buf + 6; *c; c++)
        if (!isalnum((unsigned char)*c) && !strchr("._-", *c)) *c = '_';
}

static sim_status one_figure(sqlite3 *db, const fig_def *f, const fig_sel *sel,
                             const plot_args *a, sim_err *err) {
    fig_result r = {0};
    char note[4 * sizeof r.note + 1];   /* may quote the database: no controls */
    char name[128];
    file_name(f, a, name, sizeof name);
    sim_status st = fig_build(f, db, sel, &r, err);
    if (st == SIM_OK) text_safe(note, sizeof note, r.note, TEXT_ONE_LINE);
    if (st == SIM_OK && !r.fig)
        printf("%-11s skipped: %s\n", f->name, note);
    else if (st == SIM_OK && (st = fig_write(&r, a->out, name, a->fmt, err)) == SIM_OK)
        printf("%-11s wrote %s/%s.%s and %s.sql (%s)\n", f->name, a->out, name,
               fig_ext(a->fmt), name, note);
    if (st != SIM_OK) err_prefix(err, "plot %s: ", f->name);
    fig_result_free(&r);
    return st;
}

static sim_status plot_all(sqlite3 *db, const plot_args *a, const fig_sel *sel, sim_err *err) {
    size_t n;
    const fig_def *all = fig_list(&n);
    sim_status st = SIM_OK;
    if (a->figure.n == 0)
        for (size_t i = 0; i < n && st == SIM_OK; i++) st = one_figure(db, &all[i], sel, a, err);
    for (int i = 0; i < a->figure.n && st == SIM_OK; i++)
        st = one_figure(db, fig_find(a->figure.v[i]), sel, a, err);
    return st;
}

/* No figure or query file this command may write into DIR is the database it reads. */
static sim_status check_outputs(const plot_args *a, sim_err *err) {
    enum { NAMES_MAX = 64 };
    char buf[NAMES_MAX][136];
    const char *names[NAMES_MAX];
    size_t n;
    const fig_def *f = fig_list(&n);
    int k = 0;
    for (size_t i = 0; i < n && k + 2 <= NAMES_MAX; i++) {
        char name[128];
        file_name(&f[i], a, name, sizeof name);
        snprintf(buf[k], sizeof buf[k], "%.120s.%s", name, fig_ext(a->fmt));
        names[k] = buf[k], k++;
        snprintf(buf[k], sizeof buf[k], "%.120s.sql", name);
        names[k] = buf[k], k++;
    }
    return opt_check_output_in("--out", a->out, names, k, &a->db, 1, err);
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
    query_t *q = NULL;
    st = check_outputs(&a, err);
    if (st == SIM_OK) st = query_open(&q, a.db, err);   /* query.h: exit codes 4 and 5 */
    if (st == SIM_OK) st = select_runs(&a, q, ids, &n, err);
    if (st == SIM_OK) st = opt_make_dir(a.out, err);
    fig_sel sel = {.run_ids = ids, .nruns = (size_t)n, .metric = a.metric, .size = a.size,
                   .free_y = a.free_y};
    if (st == SIM_OK) st = plot_all(query_db(q), &a, &sel, err);
    query_close(q);
    return st;
}
