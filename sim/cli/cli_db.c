/* sim/cli/cli_db.c - the commands that read a results database: summary and export. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>

#include "cli_cmds.h"
#include "merge.h"
#include "query.h"
#include "sensitivity.h"
#include "text.h"

#define MAX_COLS 8   /* runs side by side; a macro so that the help can say it */
#define STR_(x) #x
#define STR(x) STR_(x)
#define MAX_METRICS 8   /* --metric options */

typedef struct sum_args {
    opt_ids runs;        /* --runs (or the old --run) */
    const char *sweep;   /* --sweep NAME */
    opt_list metrics;    /* --metric NAME[@GRP] */
    int step;            /* --step T; -1: summary metrics */
} sum_args;

static const opt_spec SUMMARY_OPTS[] = {
    {.name = "runs", .kind = OPT_IDS, .metavar = "IDS", .off = offsetof(sum_args, runs),
     .hi = MAX_COLS,
     .help = "the runs, one column each (at most " STR(MAX_COLS) "): ids such as 3 or 1,4,7 "
             "or 1,2,5-8"},
    {.name = "run", .kind = OPT_IDS, .metavar = "IDS", .off = offsetof(sum_args, runs),
     .hi = MAX_COLS, .flags = OPT_DEPRECATED, .help = "the old spelling of --runs"},
    {.name = "sweep", .kind = OPT_STRING, .metavar = "NAME", .off = offsetof(sum_args, sweep),
     .help = "one row per design point of sweep NAME instead of one column per run"},
    {.name = "metric", .kind = OPT_LIST, .metavar = "NAME[@GRP]", .hi = MAX_METRICS,
     .off = offsetof(sum_args, metrics),
     .help = "with --sweep: a metric instead of the headline figures (repeatable, up to "
             STR(MAX_METRICS) ")"},
    {.name = "step", .kind = OPT_INT, .metavar = "T", .lo = 0, .hi = 100000,
     .off = offsetof(sum_args, step),
     .help = "with --metric: the per-step metrics at step T instead of summary metrics"},
};

const opt_cmd CLI_SUMMARY = {
    .name = "summary", .args = "DB", .min_args = 1, .max_args = 1,
    .summary = "headline figures of runs in a results database, side by side",
    .about =
    "Prints the headline figures of runs in results database DB, one column per run: sizes,\n"
    "violations, records by cause, blacklistings by cause, agents ever blacklisted and how\n"
    "many wrongly, the blacklist at the end. Without --runs: the last " STR(MAX_COLS) " runs.\n"
    "With --sweep NAME: one row per design point of that sweep, each headline figure as the\n"
    "mean over replicates with the half-width of its 95% t interval (mean +- hw);\n"
    "--metric NAME[@GRP] (up to " STR(MAX_METRICS) ") chooses any summary metric instead, or "
    "with --step T any\n"
    "per-step metric at step T (docs/results.md names them all).\n",
    .after =
    "examples:\n"
    "  scsim summary results/compare.db --runs 1-6\n"
    "  scsim summary exs.db --sweep error-x-spillover --step 60 \\\n"
    "      --metric listed.black --metric wrongly_listed.black@group:1\n",
    .opts = SUMMARY_OPTS, .nopts = sizeof SUMMARY_OPTS / sizeof *SUMMARY_OPTS};

typedef struct export_args {
    const char *csv;
} export_args;

static const opt_spec EXPORT_OPTS[] = {
    {.name = "csv", .kind = OPT_PATH, .metavar = "DIR", .off = offsetof(export_args, csv),
     .flags = OPT_REQUIRED, .help = "the folder for the CSV files (created if missing)"},
};

const opt_cmd CLI_EXPORT = {
    .name = "export", .args = "DB", .min_args = 1, .max_args = 1,
    .summary = "every table of a results database as CSV (--csv DIR)",
    .about =
    "Writes every table of results database DB as CSV into directory DIR (created if\n"
    "missing): runs.csv, metrics.csv, summary.csv, events.csv, sweeps.csv, and when DB has\n"
    "them sweep_params.csv, sensitivity.csv, contrasts.csv and run_table.csv (the wide run\n"
    "table), each with a header row (docs/results.md describes the columns).\n",
    .opts = EXPORT_OPTS, .nopts = 1};

typedef struct row_spec {
    const char *label, *name, *grp;
    int decimals;
} row_spec;

static const row_spec ROWS[] = {
    {"persons", "persons", "all", 0},
    {"firms", "firms", "all", 0},
    {"steps", "steps", "all", 0},
    {"violations", "violations", "all", 0},
    {"records", "records", "all", 0},
    {"  own record", "records", "cause:own_record", 0},
    {"  false record", "records", "cause:false_record", 0},
    {"  misattribution", "records", "cause:misattribution", 0},
    {"blacklistings", "listings.black", "all", 0},
    {"  own record", "listings.black", "cause:own_record", 0},
    {"  false record", "listings.black", "cause:false_record", 0},
    {"  misattribution", "listings.black", "cause:misattribution", 0},
    {"  spillover", "listings.black", "cause:spillover", 0},
    {"  seed", "listings.black", "cause:seed", 0},
    {"ever blacklisted", "ever_listed.black", "all", 0},
    {"  of whom wrongly", "ever_wrongly_listed.black", "all", 0},
    {"  persons", "persons_ever_listed", "black", 0},
    {"blacklisted at the end", "listed.black", "all", 0},
    {"  left by appeal", "delisted.black", "reason:appeal", 0},
    {"  left by compliance", "delisted.black", "reason:comply", 0},
    {"  left by credit repair", "delisted.black", "reason:repair", 0},
    {"appeals won / decided", NULL, NULL, 0},
    {"harm (sanction-steps)", "harm", "all", 0},
    {"  to innocents", "harm", "innocent", 0},
    {"  reached via others", "harm", "reached", 0},
    {"  Gini over persons", "harm_gini", "persons", 2},
    {"persons ever sanctioned", "ever_sanctioned", "persons", 0},
    {"  innocent", "ever_sanctioned", "innocent", 0},
    {"  children", "ever_sanctioned", "children", 0},
    {"firms failed", "firms_failed", "all", 0},
    {"violations prevented", "violations_prevented", "all", 0},
    {"  per wrongful listing", "violations_prevented_per_wrongful_listing", "all", 2},
    {"  weighted by severity", "violations_prevented_weighted", "all", 0},
    {"  weighted, per wrongful listing", "prevented_weighted_per_wrongful_listing", "all", 2},
    {"cascades", "cascades", "all", 0},
    {"  largest", "cascade_largest", "all", 0},
    {"  rooted in a false record", "cascades", "root:false_record", 0},
    {"  rooted in misattribution", "cascades", "root:misattribution", 0},
    {"third-party processing", "third_party_processing", "all", 0},
    {"records per person", "records_per_person", "mean", 2},
    {"agencies per person", "agencies_per_person", "mean", 2},
    {"named publicly", "named_publicly", "all", 0},
    {"inference AUC: contacts", "inference_auc", "listed_contact", 2},
    {"inference AUC: violations", "inference_auc", "violation_history", 2},
    {"inference AUC: associates", "inference_auc", "guilt_by_association", 2},
    {"lawful acts done", "lawful_acts", "all", 0},
    {"  suppressed (chilling)", "lawful_acts_suppressed", "all", 0},
    {"persons chilled", "persons_chilled", "all", 0},
    {"chilling harm (a cost)", "chilling_harm", "all", 0},
    /* issue 13 item 5: travel bans as acts (docs/ODD.md 7.18) */
    {"flights refused", "flights_refused", "all", 0},
    {"train trips refused", "trains_refused", "all", 0},
    {"wrongly-listed ratio g1/g0", "rate_ratio.ever_wrongly_listed", "group:1", 2},
};

static void print_header(const query_run *runs, int n) {
    char safe[4 * sizeof runs->scenario + 1];   /* text from the database: no controls */
    printf("%-26s", "run");
    for (int c = 0; c < n; c++) printf(" %16lld", (long long)runs[c].run_id);
    printf("\n%-26s", "scenario");
    for (int c = 0; c < n; c++)
        printf(" %16.16s", text_safe(safe, 17, runs[c].scenario, TEXT_ONE_LINE));
    int labelled = 0;
    for (int c = 0; c < n; c++) labelled |= runs[c].label[0] != 0;
    if (labelled) printf("\n%-26s", "label");
    for (int c = 0; labelled && c < n; c++)
        printf(" %16.16s", runs[c].label[0] ? text_safe(safe, 17, runs[c].label, TEXT_ONE_LINE)
                                             : "-");
    printf("\n%-26s", "status");
    for (int c = 0; c < n; c++)
        printf(" %16s", text_safe(safe, sizeof safe, runs[c].status, TEXT_ONE_LINE));
    printf("\n%-26s", "seed");
    for (int c = 0; c < n; c++) printf(" %16lld", (long long)runs[c].seed);
    printf("\n");
}

/* The definitions of the two wrongful rows, and the runs whose comparison is saturated. */
static void print_notes(query_t *q, const query_run *runs, int n) {
    printf("wrongly / ever: of the agents ever blacklisted, those listed without an own true\n"
           "  violation in the look-back window. error-caused listings: of all blacklistings,\n"
           "  those in cascades rooted in a false or misattributed record (the error and every\n"
           "  spillover it set off); an agent listed by an error may also have violated.\n");
    for (int c = 0; c < n; c++) {
        double e = query_summary(q, runs[c].run_id, "persons_ever_listed", "black");
        double p = query_summary(q, runs[c].run_id, "persons", "all");
        if (p > 0 && e / p > 0.8)
            printf("run %lld is saturated: %.1f%% of its persons were ever blacklisted (more "
                   "than 80%%), so comparisons with it say little\n",
                   (long long)runs[c].run_id, 100 * e / p);
    }
}

/* One cell of row r for run c: the value, "-" when missing; the Gini of a run without harm
 * to persons (harm_top1_share 0) is undefined, "no harm", not perfect equality. */
static void print_cell(query_t *q, const query_run *run, const row_spec *row) {
    char buf[40];
    if (!row->name) {   /* appeals: won / decided */
        double w = 0, d = 0;
        for (int k = 0; k < 2; k++) {
            const char *g = k ? "wrongful" : "rightful";
            w += query_summary(q, run->run_id, "appeals_won", g);
            d += query_summary(q, run->run_id, "appeals_decided", g);
        }
        if (isnan(w)) snprintf(buf, sizeof buf, "-");
        else snprintf(buf, sizeof buf, "%.0f / %.0f", w, d);
        printf(" %16s", buf);
        return;
    }
    double v = query_summary(q, run->run_id, row->name, row->grp);
    if (!strcmp(row->name, "harm_gini") &&
        query_summary(q, run->run_id, "harm_top1_share", "persons") == 0)
        printf(" %16s", "no harm");
    else if (isnan(v)) printf(" %16s", "-");
    else printf(" %16.*f", row->decimals, v);
}

/* A share of two summary values per run, in percent, "-" without a divisor. */
static void print_share(query_t *q, const query_run *runs, int n, const char *label,
                        const char *name, const char *grp, const char *den, const char *dgrp) {
    printf("%-26s", label);
    for (int c = 0; c < n; c++) {
        double w = query_summary(q, runs[c].run_id, name, grp);
        double e = den ? query_summary(q, runs[c].run_id, den, dgrp) : 1;
        if (e > 0 && !isnan(w)) printf(" %16.1f", 100 * w / e);
        else printf(" %16s", "-");
    }
    printf("\n");
}

static void print_rows(query_t *q, const query_run *runs, int n) {
    for (size_t r = 0; r < sizeof ROWS / sizeof *ROWS; r++) {
        printf("%-26s", ROWS[r].label);
        for (int c = 0; c < n; c++) print_cell(q, &runs[c], &ROWS[r]);
        printf("\n");
    }
    print_share(q, runs, n, "wrongly / ever, %", "ever_wrongly_listed.black", "all",
                "ever_listed.black", "all");
    print_share(q, runs, n, "error-caused listings, %", "error_rooted_share", "listings", NULL,
                NULL);
    print_share(q, runs, n, "persons ever listed, %", "persons_ever_listed", "black", "persons",
                "all");
    printf("%-26s", "wall seconds");
    for (int c = 0; c < n; c++) printf(" %16.2f", runs[c].wall_seconds);
    printf("\n");
    char safe[4 * sizeof runs->overrides + 1];
    for (int c = 0; c < n; c++)
        if (runs[c].overrides[0])
            printf("run %lld overrides: %s\n", (long long)runs[c].run_id,
                   text_safe(safe, sizeof safe, runs[c].overrides, TEXT_ONE_LINE));
    print_notes(q, runs, n);
}

static const row_spec SWEEP_ROWS[] = {
    {"blacklistings", "listings.black", "all", 0},
    {"ever blacklisted", "ever_listed.black", "all", 0},
    {"ever wrongly", "ever_wrongly_listed.black", "all", 0},
    {"listed at end", "listed.black", "all", 0},
};

/* The lines of point 0's overrides present in every point's: the sweep's fixed settings. */
static int is_fixed(query_t *q, int64_t id, int64_t points, const char *line) {
    char buf[4096];
    for (int64_t p = 0; p < points; p++) {
        query_point_overrides(q, id, p, buf, sizeof buf);
        const char *at = strstr(buf, line);
        size_t n = strlen(line);
        if (!at || (at != buf && at[-1] != '\n') || (at[n] && at[n] != '\n')) return 0;
    }
    return 1;
}

/* An override line "key=value" with a number value at 6 significant digits, as
 * query_point_varied prints them (0.05, not the stored 0.050000000000000003). */
static void short_value(char *line, size_t n) {
    char *eq = strchr(line, '='), *end;
    double v = eq ? strtod(eq + 1, &end) : 0;
    if (eq && end != eq + 1 && !*end) snprintf(eq + 1, n - (size_t)(eq + 1 - line), "%.6g", v);
}

/* The varied settings of point p, space-separated, into out: from sweep_params, or for an
 * older database the override lines that differ between points. */
static void varied(query_t *q, int64_t id, int64_t points, int64_t p, char *out, size_t n) {
    char buf[4096];
    if (query_point_varied(q, id, p, out, n) > 0) return;
    query_point_overrides(q, id, p, buf, sizeof buf);
    out[0] = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        char copy[256];
        snprintf(copy, sizeof copy, "%s", line);
        if (!is_fixed(q, id, points, copy)) short_value(copy, sizeof copy),
            snprintf(out + strlen(out), n - strlen(out), "%s%s", out[0] ? " " : "", copy);
    }
}


/* One row per design point: each metric's mean over replicates +- the 95% t half-width.
 * rows: the metrics (summary names, or per-step names at `step` when step >= 0). */
static sim_status sweep_table(query_t *q, const char *sweep, const row_spec *rows, int NM,
                              int step, sim_err *err) {
    int64_t points = 0, id = 0;
    int reps = 0;
    sim_status st = query_sweep_shape(q, sweep, &points, &reps, &id, err);
    if (st != SIM_OK) return st;
    uint64_t n = (uint64_t)points * (uint64_t)reps;
    double *y[MAX_METRICS] = {0};
    for (int m = 0; m < NM && st == SIM_OK; m++) {
        if (!(y[m] = malloc(n * sizeof(double)))) st = err_set(err, SIM_ENOMEM, "out of memory");
        else st = query_sweep_outputs(q, sweep, rows[m].name, rows[m].grp, step, reps, y[m], n,
                                      &id, err);
    }
    if (st == SIM_OK) {
        printf("sweep %s: %lld points x %d replicates; mean +- half-width of the 95%% interval",
               sweep, (long long)points, reps);
        if (step >= 0) printf("; per-step metrics at step %d", step);
        printf("\n%6s %3s", "point", "n");
        for (int m = 0; m < NM; m++) printf(" %22.22s", rows[m].label);
        printf("   settings\n");
    }
    for (int64_t p = 0; st == SIM_OK && p < points; p++) {
        char set[1024];
        int have = 0;
        printf("%6lld", (long long)p);
        for (int m = 0; m < NM; m++) {
            double mean, hw;
            int k = (int)sens_mean_ci95(y[m] + (uint64_t)p * (uint64_t)reps, (size_t)reps,
                                        &mean, &hw);
            if (m == 0) printf(" %3d", k), have = k;
            printf(" %11.5g +- %-8.3g", mean, hw);
        }
        char safe[4 * sizeof set + 1], label[256];   /* text from the database: no controls */
        query_point_label(q, id, p, label, sizeof label);
        size_t lead = label[0] ? (size_t)snprintf(set, sizeof set, "[%s] ", label) : 0;
        varied(q, id, points, p, set + lead, sizeof set - lead);
        printf("   %s%s\n", text_safe(safe, sizeof safe, set, TEXT_ONE_LINE),
               have < reps ? " (incomplete)" : "");
    }
    if (st == SIM_OK) st = query_status(q, err);
    for (int m = 0; m < NM; m++) free(y[m]);
    return st;
}

/* One column per run: the runs given, or the last MAX_COLS. */
static sim_status run_table(const char *db, const opt_ids *ids, sim_err *err) {
    int n = 0;
    query_t *q = NULL;
    query_run runs[MAX_COLS];
    sim_status st = query_open(&q, db, err);
    if (st == SIM_OK)
        st = query_runs(q, ids->given ? ids->v : NULL, ids->n, runs, MAX_COLS, &n, err);
    if (st == SIM_OK && n == 0) st = err_set(err, SIM_EDB, "%s holds no runs yet", db);
    if (st == SIM_OK) {
        printf("%s\n", db);
        print_header(runs, n);
        print_rows(q, runs, n);
        st = query_status(q, err);   /* a damaged database is not a missing value */
    }
    query_close(q);
    return st;
}

sim_status cli_summary(int argc, char **argv, sim_err *err) {
    sum_args a = {.step = -1};
    opt_pos pos;
    sim_status ps = opt_parse(&CLI_SUMMARY, argc, argv, &a, &pos, err);
    if (ps == SIM_OK && pos.help) opt_help(&CLI_SUMMARY, stdout);
    if (ps != SIM_OK || pos.help) return ps;
    const char *db = pos.v[0], *sweep = a.sweep;
    row_spec metrics[MAX_METRICS];
    char grps[MAX_METRICS][64], labels[MAX_METRICS][96], names[MAX_METRICS][96];
    int nmetrics = a.metrics.n, step = a.step;
    for (int m = 0; m < nmetrics; m++) {   /* NAME[@GRP] */
        const char *v = a.metrics.v[m], *at = strchr(v, '@');
        snprintf(grps[m], sizeof grps[0], "%s", at ? at + 1 : "all");
        snprintf(labels[m], sizeof labels[0], "%s", v);
        snprintf(names[m], sizeof names[0], "%.*s", at ? (int)(at - v) : (int)strlen(v), v);
        metrics[m] = (row_spec){labels[m], names[m], grps[m], 0};
    }
    if (sweep) {
        query_t *qs = NULL;
        sim_status sst = query_open(&qs, db, err);
        if (sst == SIM_OK && !nmetrics && step >= 0)
            sst = err_set(err, SIM_EUSAGE, "--step needs --metric NAME[@GRP] (a per-step metric)");
        if (sst == SIM_OK)
            sst = nmetrics ? sweep_table(qs, sweep, metrics, nmetrics, step, err)
                           : sweep_table(qs, sweep, SWEEP_ROWS,
                                         (int)(sizeof SWEEP_ROWS / sizeof *SWEEP_ROWS), -1, err);
        query_close(qs);
        return sst;
    }
    return run_table(db, &a.runs, err);
}

sim_status cli_export(int argc, char **argv, sim_err *err) {
    export_args a = {0};
    opt_pos pos;
    sim_status ps = opt_parse(&CLI_EXPORT, argc, argv, &a, &pos, err);
    if (ps == SIM_OK && pos.help) opt_help(&CLI_EXPORT, stdout);
    if (ps != SIM_OK || pos.help) return ps;
    const char *db = pos.v[0], *dir = a.csv;
    query_t *q = NULL;
    uint64_t rows = 0;
    size_t nt;
    const char *const *tables = query_export_tables(&nt);
    char files[16][64];
    const char *names[16];
    for (size_t t = 0; t < nt && t < 16; t++)
        snprintf(files[t], sizeof files[t], "%s.csv", tables[t]), names[t] = files[t];
    sim_status st = opt_check_output_in("--csv", dir, names, (int)(nt < 16 ? nt : 16), &db, 1,
                                        err);
    if (st == SIM_OK) st = query_open(&q, db, err);
    if (st == SIM_OK) st = opt_make_dir(dir, err);
    if (st == SIM_OK) st = query_export_csv(q, dir, &rows, err);
    if (st == SIM_OK) printf("%s: %llu rows written to %s/, one TABLE.csv per table\n", db,
                             (unsigned long long)rows, dir);
    query_close(q);
    return st;
}

const opt_cmd CLI_MERGE = {
    .name = "merge", .args = "OUT.db IN.db...", .min_args = 2, .max_args = -1,
    .summary = "merge results databases, e.g. the shards of a sweep",
    .about =
    "Copies every run of the IN databases (metrics, summary, events; of sweep runs the done\n"
    "ones) and their sweeps into OUT.db (created if missing), e.g. the shards of a sweep run\n"
    "with --shard. Refuses databases of another schema or scsim version, a sweep name used\n"
    "by a different experiment, and the same sweep run twice (exit 5). A single run the\n"
    "output already holds (same scenario, overrides and seed), or one flagged as a\n"
    "duplicate, is skipped and counted: merging a copy back adds nothing.\n"};

sim_status cli_merge(int argc, char **argv, sim_err *err) {
    opt_pos pos;
    sim_status st = opt_parse(&CLI_MERGE, argc, argv, NULL, &pos, err);
    if (st == SIM_OK && pos.help) opt_help(&CLI_MERGE, stdout);
    if (st != SIM_OK || pos.help) return st;
    merge_stats ms;
    st = opt_check_outputs("OUT.db", pos.v[0], (const char *const *)pos.v + 1, pos.n - 1, err);
    if (st == SIM_OK)
        st = merge_into(pos.v[0], (const char *const *)pos.v + 1, pos.n - 1, &ms, err);
    if (st == SIM_OK)
        printf("%s: %lld runs merged from %d database(s), %lld new sweep(s), %lld duplicate "
               "run(s) skipped\n", pos.v[0], (long long)ms.runs, pos.n - 1,
               (long long)ms.sweeps, (long long)ms.skipped);
    return st;
}
