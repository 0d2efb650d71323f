/* plots/figures.h - the standard figures of a results database (`scsim plot`). Prefix fig_.
 *
 * Each builder is a pure function of a read-only database and a selection of runs: it runs
 * SQL queries (docs/results.md), fills arrays and builds a figure with the plotting layer
 * (plot.h), but does not render it. The result also carries the exact SQL it ran (with the
 * run ids and names written in, so the text runs as is in sqlite3) and the number of rows
 * those queries returned, so anyone can re-derive the figure and tests can compare.
 *
 *   fig_result r = {0};
 *   if ((st = fig_timeseries(db, &sel, &r, err)) == SIM_OK && r.fig)
 *       st = fig_write(&r, "out", "timeseries", PLOT_FMT_PNG, err);  // out/timeseries.png
 *   fig_result_free(&r);                                               // + out/timeseries.sql
 *
 * A builder that finds no data for its figure returns SIM_OK with r.fig NULL and r.note
 * saying why (a skip is not an error). Errors: SIM_EDB for a failed query (the message names
 * the table), SIM_ENOMEM; r is then freed-safe (fig_result_free) but holds no figure.
 * Figures (docs/plots.md has each query). All but network, phase and sensitivity pool
 * replicates into run groups (the same scenario and overrides but the seed, or the same sweep
 * point) and show the mean with a 95% t interval over a group's runs:
 *   timeseries  listed.black and wrongly_listed.black over steps, one panel per run group;
 *   harm        harm (all, innocent, reached) over steps, one panel per run group;
 *   causes      new_listed.black by cause, stacked, one panel per run group (at most 6);
 *   groups      listed.black and wrongly_listed.black at the last step by agent group
 *               (group:G, firms), grouped bars, one bar group per run group;
 *   lorenz      Lorenz curves of the harm borne by persons (Gini in the legend) and the
 *               shares borne by the most harmed 1%, 5% and 10%;
 *   disparity   ever (wrongly) blacklisted and harm per person by population group, and
 *               group 1's rates over group 0's (or the largest over the smallest);
 *   frontier    violations prevented against agents ever wrongly blacklisted and against
 *               harm to innocents, one labelled point per run group, the efficient set;
 *   privacy     records and agencies per person, public naming (and wrongly), third-party
 *               processing, months on the blacklist per person, the inference-attack AUCs;
 *   cascades    complementary CDF of cascade sizes, log-log, one line per run group;
 *   network     the spread of the largest error-rooted cascade of the first selected run
 *               (else its largest), from the events table: listings as nodes, source ->
 *               listing as edges, force-directed layout, nodes by root cause or layer;
 *   phase       heat map of the mean over replicates of a summary metric over the two
 *               parameters of a grid sweep;
 *   sensitivity Sobol S1 and ST (95% intervals) or Morris mu* and sigma per parameter, one
 *               panel per (sweep, metric, grp) of the sensitivity table (at most 6). */
#ifndef PLOT_FIGURES_H
#define PLOT_FIGURES_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "plot.h"

enum { FIG_SIZE_AUTO = -1, FIG_MAX_PANELS = 6, FIG_NOTE_MAX = 1024 };

typedef struct fig_sel {
    const int64_t *run_ids;   /* the selected runs (borrowed), each existing in runs */
    size_t nruns;             /* >= 1 */
    const char *metric;       /* phase: summary name; NULL: ever_wrongly_listed.black */
    int size;                 /* FIG_SIZE_AUTO (column for one panel, slide for more) or a
                                 plot_size */
    int free_y;               /* 1: each panel of a per-group figure (timeseries, harm,
                                 causes) its own y scale; 0 (default): one shared scale */
} fig_sel;

typedef struct fig_result {
    plot_fig *fig;            /* the figure, owned; NULL when skipped */
    char note[FIG_NOTE_MAX];  /* skipped: why; built: what is shown (one line), and which run
                                 groups were left out and why */
    char *sql;                /* the queries run, each "-- what\nSQL;\n", owned; NUL-ended */
    size_t sql_len, sql_cap;
    size_t rows;              /* rows returned by those queries, in total */
    size_t cascade;           /* network: listings in the cascade it shows (all of them, also
                                 beyond the 300 drawn); 0 for the other figures */
} fig_result;

void fig_result_free(fig_result *r);   /* frees the figure and SQL; r is zeroed; NULL ok */

typedef sim_status (*fig_builder)(sqlite3 *db, const fig_sel *sel, fig_result *out,
                                  sim_err *err);

/* The builders. db: borrowed, read-only. sel: borrowed. out: zeroed by the caller (or
 * freshly fig_result_free'd), filled as above. Cost: one pass over the queried rows. */
sim_status fig_timeseries(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err);
sim_status fig_causes(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err);
sim_status fig_groups(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err);
sim_status fig_phase(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err);
sim_status fig_sensitivity(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err);
sim_status fig_cascades(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err);
sim_status fig_privacy(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err);
/* records: records_held agency:A per step, stacked by agency (mean over replicates), one panel
 * per run group with rows (up to 6), one y scale unless sel->free_y. */
sim_status fig_records(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err);
sim_status fig_disparity(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err);
sim_status fig_network(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err);
sim_status fig_harm(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err);
sim_status fig_lorenz(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err);
sim_status fig_frontier(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err);
/* regions: a regional pilot beside the other regions, from the summary rows by region
 * (region.*, harm region:R), one bar per region (the first 8) per run group (fig_regions.c). */
sim_status fig_regions(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err);
/* agencies: listed_by_agency black:A (and black:common) per step as lines, listed.black (all)
 * dashed; mean over replicates, one panel per run group with own lists (fig_agencies.c). */
sim_status fig_agencies(sqlite3 *db, const fig_sel *sel, fig_result *out, sim_err *err);

typedef struct fig_def {
    const char *name;         /* "timeseries", ... (the output file's base name) */
    fig_builder build;
} fig_def;

/* The figures in their standard order; *n their number. Static data. */
const fig_def *fig_list(size_t *n);

/* The figure called name, or NULL. */
const fig_def *fig_find(const char *name);

/* Builds figure f (f->build) and, for a figure that pools run groups, flags the saturated
 * ones: a run group whose runs had on average more than FIG_SATURATED of their persons ever
 * blacklisted (persons_ever_listed black / persons) compares poorly with anything (almost
 * everyone is listed whatever the regime), so the group's panel title ends "[saturated]"
 * (figures with a panel per group), else the figure title ends "[saturated: NAME]" ("[N
 * saturated]" when the names would not fit), and the note names them with the share. Same
 * contract as the builders. */
#define FIG_SATURATED 0.8
sim_status fig_build(const fig_def *f, sqlite3 *db, const fig_sel *sel, fig_result *out,
                     sim_err *err);

/* Renders r->fig to DIR/NAME.EXT (fmt PNG, SVG or PDF) and writes the SQL to DIR/NAME.sql.
 * dir must exist. Returns SIM_OK, SIM_EUSAGE when r has no figure or fmt is AUTO, SIM_EIO
 * naming the file that could not be written, SIM_ENOMEM. */
sim_status fig_write(fig_result *r, const char *dir, const char *name, plot_format fmt,
                     sim_err *err);

/* The default selection: the done runs (status 'done'; nothing else is pooled) of the
 * max_groups most recent run groups (replicates of one scenario with the same overrides but
 * the seed, or of one sweep point; the group of the newest run first), at most cap runs, in
 * ascending id order, into ids; *n how many (0 for a database without done runs). Reads the
 * runs table. SIM_EDB when the query fails. */
sim_status fig_recent_runs(sqlite3 *db, size_t max_groups, int64_t *ids, size_t cap,
                           size_t *n, sim_err *err);

/* The file extension of a format ("png", "svg", "pdf"; "" for AUTO). */
const char *fig_ext(plot_format fmt);

#endif
