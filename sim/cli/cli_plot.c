/* sim/cli/cli_plot.c - `scsim plot`: the standard figures of a results database (figures.h).
 * Prints one line per figure written or skipped; errors go back to main through err. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "figures.h"
#include "query.h"

enum { RUNS_DEFAULT = 6, RUNS_MAX = 256, PLOT_FIGS_MAX = 16 };

static const char USAGE[] =
    "usage: scsim plot DB --out DIR [--format png|svg|pdf] [--runs ID,ID,...]\n"
    "                  [--figure NAME] [--size column|slide] [--metric NAME]\n\n"
    "Writes the standard figures of a results database into DIR (created if missing): each\n"
    "as DIR/NAME.png (or .svg, .pdf) with DIR/NAME.sql, the SQL queries that fed it. Runs\n"
    "that are replicates (same scenario and overrides but the seed, or the same sweep point)\n"
    "form a run group, shown as a mean with a 95%% interval.\n"
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
    "the reason). Without --runs: the runs of the last %d run groups. --size: column\n"
    "(3.5 x 2.6 in) or slide (10 x 5.6 in); default column for one panel, slide for several,\n"
    "larger for the many-panel figures. docs/plots.md describes each figure and its query.\n";

typedef struct plot_args {
    const char *db, *out, *runs, *metric;
    const char *figure[PLOT_FIGS_MAX];
    int nfig;
    plot_format fmt;
    int size;
} plot_args;

static sim_status names_error(const char *name, sim_err *err) {
    size_t n;
    const fig_def *f = fig_list(&n);
    char list[256] = "";
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", f[i].name);
    }
    return err_set(err, SIM_EUSAGE, "plot: unknown figure %s (figures: %s)", name, list);
}

static sim_status parse_value(plot_args *a, const char *opt, const char *v, sim_err *err) {
    if (!strcmp(opt, "--out")) a->out = v;
    else if (!strcmp(opt, "--runs") || !strcmp(opt, "--run")) a->runs = v;
    else if (!strcmp(opt, "--metric")) a->metric = v;
    else if (!strcmp(opt, "--figure")) {
        if (!fig_find(v)) return names_error(v, err);
        if (a->nfig == PLOT_FIGS_MAX)
            return err_set(err, SIM_EUSAGE, "plot: too many --figure options");
        a->figure[a->nfig++] = v;
    } else if (!strcmp(opt, "--format")) {
        a->fmt = !strcmp(v, "png") ? PLOT_FMT_PNG : !strcmp(v, "svg") ? PLOT_FMT_SVG
               : !strcmp(v, "pdf") ? PLOT_FMT_PDF : PLOT_FMT_AUTO;
        if (a->fmt == PLOT_FMT_AUTO)
            return err_set(err, SIM_EUSAGE, "plot: --format %s: expected png, svg or pdf", v);
    } else if (!strcmp(opt, "--size")) {
        a->size = !strcmp(v, "column") ? PLOT_SIZE_COLUMN : !strcmp(v, "slide")
                                                               ? PLOT_SIZE_SLIDE : -2;
        if (a->size == -2)
            return err_set(err, SIM_EUSAGE, "plot: --size %s: expected column or slide", v);
    } else
        return err_set(err, SIM_EUSAGE, "plot: unknown option %s (see scsim plot --help)", opt);
    return SIM_OK;
}

static sim_status parse_args(int argc, char **argv, plot_args *a, sim_err *err) {
    *a = (plot_args){.fmt = PLOT_FMT_PNG, .size = FIG_SIZE_AUTO};
    for (int i = 2; i < argc; i++) {
        sim_status st;
        if (argv[i][0] != '-') {
            if (a->db) return err_set(err, SIM_EUSAGE, "plot: one database only (%s)", argv[i]);
            a->db = argv[i];
        } else if (i + 1 >= argc) {
            return err_set(err, SIM_EUSAGE, "plot: %s needs a value", argv[i]);
        } else if ((st = parse_value(a, argv[i], argv[i + 1], err)) != SIM_OK) {
            return st;
        } else {
            i++;
        }
    }
    if (!a->db) return err_set(err, SIM_EUSAGE, "plot: which database? (scsim plot DB --out DIR)");
    if (!a->out) return err_set(err, SIM_EUSAGE, "plot: --out DIR is required");
    return SIM_OK;
}

/* "3" or "1,4,7". */
static sim_status parse_ids(const char *s, int64_t *ids, int *n, sim_err *err) {
    *n = 0;
    for (const char *p = s; *p;) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p || v < 1 || (*end && *end != ',') || *n == RUNS_MAX)
            return err_set(err, SIM_EUSAGE, "--runs %s: expected up to %d run ids like 3 or "
                           "1,4,7", s, RUNS_MAX);
        ids[(*n)++] = v;
        p = *end ? end + 1 : end;
    }
    return *n ? SIM_OK : err_set(err, SIM_EUSAGE, "--runs needs a run id");
}

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
    int64_t want[RUNS_MAX];
    int nwant = 0;
    sim_status st = a->runs ? parse_ids(a->runs, want, &nwant, err) : SIM_OK;
    query_t *q = NULL;
    if (st == SIM_OK) st = query_open(&q, a->db, err);
    query_run *runs = st == SIM_OK ? calloc(RUNS_MAX, sizeof *runs) : NULL;
    if (st == SIM_OK && !runs) st = err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK && a->runs) st = query_runs(q, want, nwant, runs, nwant, n, err);
    for (int i = 0; st == SIM_OK && a->runs && i < *n; i++) ids[i] = runs[i].run_id;
    if (st == SIM_OK && !a->runs) st = recent_runs(a->db, ids, n, err);
    if (st == SIM_OK && *n == 0)
        st = err_set(err, SIM_EDB, "%s has no runs to plot", a->db);
    free(runs);
    query_close(q);
    return st;
}

/* mkdir -p dir, then checks that it is a writable directory. */
static sim_status make_dir(const char *dir, sim_err *err) {
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1;; p++) {
        char c = *p;
        if (c != '/' && c != '\0') continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return err_set(err, SIM_EIO, "cannot create output directory %s: %s", path,
                           strerror(errno));
        *p = c;
        if (c == '\0') break;
    }
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return err_set(err, SIM_EIO, "output %s is not a directory", dir);
    if (access(dir, W_OK | X_OK) != 0)
        return err_set(err, SIM_EIO, "cannot write into output directory %s: %s", dir,
                       strerror(errno));
    return SIM_OK;
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
    if (a->nfig == 0)
        for (size_t i = 0; i < n && st == SIM_OK; i++) st = one_figure(db, &all[i], sel, a, err);
    for (int i = 0; i < a->nfig && st == SIM_OK; i++)
        st = one_figure(db, fig_find(a->figure[i]), sel, a, err);
    sqlite3_close(db);
    return st;
}

sim_status cli_plot(int argc, char **argv, sim_err *err) {
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            printf(USAGE, RUNS_DEFAULT);
            return SIM_OK;
        }
    plot_args a;
    int64_t ids[RUNS_MAX];
    int n = 0;
    sim_status st = parse_args(argc, argv, &a, err);
    if (st == SIM_OK) st = select_runs(&a, ids, &n, err);
    if (st == SIM_OK) st = make_dir(a.out, err);
    if (st != SIM_OK) return st;
    fig_sel sel = {.run_ids = ids, .nruns = (size_t)n, .metric = a.metric, .size = a.size};
    return plot_all(&a, &sel, err);
}
