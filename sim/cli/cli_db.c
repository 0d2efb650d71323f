/* sim/cli/cli_db.c - the commands that read a results database: summary and export. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "merge.h"
#include "query.h"
#include "sensitivity.h"

enum { MAX_COLS = 8 };

static const char USAGE_SUMMARY[] =
    "usage: scsim summary DB [--run ID[,ID...]]\n"
    "       scsim summary DB --sweep NAME [--metric NAME[@GRP]]... [--step T]\n"
    "\n"
    "Prints the headline figures of runs in results database DB, one column per run: sizes,\n"
    "violations, records by cause, blacklistings by cause, agents ever blacklisted and how\n"
    "many wrongly, the blacklist at the end. Without --run: the last %d runs.\n"
    "With --sweep NAME: one row per design point of that sweep, each headline figure as the\n"
    "mean over replicates with the half-width of its 95%% t interval (mean +- hw);\n"
    "--metric NAME[@GRP] (up to 8) chooses any summary metric instead, or with --step T any\n"
    "per-step metric at step T (docs/results.md names them all), e.g.\n"
    "  scsim summary exs.db --sweep error-x-spillover --step 60 \\\n"
    "      --metric listed.black --metric wrongly_listed.black@group:1\n";

static const char USAGE_EXPORT[] =
    "usage: scsim export DB --csv DIR\n"
    "\n"
    "Writes every table of results database DB as CSV into directory DIR (created if\n"
    "missing): runs.csv, metrics.csv, summary.csv, events.csv, sweeps.csv, each with a header\n"
    "row (docs/results.md describes the columns).\n";

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
    {"blacklisted at the end", "listed.black", "all", 0},
    {"  left by appeal", "delisted.black", "reason:appeal", 0},
    {"  left by compliance", "delisted.black", "reason:comply", 0},
    {"  left by credit repair", "delisted.black", "reason:repair", 0},
    {"appeals won / decided", NULL, NULL, 0},
    {"harm (sanction-steps)", "harm", "all", 0},
    {"  to innocents", "harm", "innocent", 0},
    {"  reached via others", "harm", "reached", 0},
    {"  Gini over persons", "harm_gini", "persons", 2},
    {"firms failed", "firms_failed", "all", 0},
    {"violations prevented", "violations_prevented", "all", 0},
    {"  per wrongful listing", "violations_prevented_per_wrongful_listing", "all", 2},
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
    {"wrongly-listed ratio g1/g0", "rate_ratio.ever_wrongly_listed", "group:1", 2},
};

/* "--run 3" or "--run 1,4,7". */
static sim_status parse_ids(const char *s, int64_t *ids, int *n, sim_err *err) {
    *n = 0;
    for (const char *p = s; *p;) {
        char *end;
        errno = 0;
        long long v = strtoll(p, &end, 10);
        if (end == p || errno || v <= 0 || (*end && *end != ',') || *n >= MAX_COLS)
            return err_set(err, SIM_EUSAGE, "--run %s: expected up to %d run ids like 3 or "
                           "1,4,7", s, MAX_COLS);
        ids[(*n)++] = v;
        p = *end ? end + 1 : end;
    }
    return *n ? SIM_OK : err_set(err, SIM_EUSAGE, "--run needs a run id");
}

static void print_header(const query_run *runs, int n) {
    printf("%-26s", "run");
    for (int c = 0; c < n; c++) printf(" %16lld", (long long)runs[c].run_id);
    printf("\n%-26s", "scenario");
    for (int c = 0; c < n; c++) printf(" %16.16s", runs[c].scenario);
    printf("\n%-26s", "status");
    for (int c = 0; c < n; c++) printf(" %16s", runs[c].status);
    printf("\n%-26s", "seed");
    for (int c = 0; c < n; c++) printf(" %16lld", (long long)runs[c].seed);
    printf("\n");
}

static void print_rows(query_t *q, const query_run *runs, int n) {
    for (size_t r = 0; r < sizeof ROWS / sizeof *ROWS; r++) {
        printf("%-26s", ROWS[r].label);
        for (int c = 0; c < n; c++) {
            if (!ROWS[r].name) {   /* appeals: won / decided */
                char buf[40];
                double w = 0, d = 0;
                for (int k = 0; k < 2; k++) {
                    const char *g = k ? "wrongful" : "rightful";
                    w += query_summary(q, runs[c].run_id, "appeals_won", g);
                    d += query_summary(q, runs[c].run_id, "appeals_decided", g);
                }
                if (isnan(w)) snprintf(buf, sizeof buf, "-");
                else snprintf(buf, sizeof buf, "%.0f / %.0f", w, d);
                printf(" %16s", buf);
                continue;
            }
            double v = query_summary(q, runs[c].run_id, ROWS[r].name, ROWS[r].grp);
            if (isnan(v)) printf(" %16s", "-");
            else printf(" %16.*f", ROWS[r].decimals, v);
        }
        printf("\n");
    }
    printf("%-26s", "wrongly / ever, %");
    for (int c = 0; c < n; c++) {
        double w = query_summary(q, runs[c].run_id, "ever_wrongly_listed.black", "all");
        double e = query_summary(q, runs[c].run_id, "ever_listed.black", "all");
        if (e > 0) printf(" %16.1f", 100 * w / e);
        else printf(" %16s", "-");
    }
    printf("\n%-26s", "wall seconds");
    for (int c = 0; c < n; c++) printf(" %16.2f", runs[c].wall_seconds);
    printf("\n");
    for (int c = 0; c < n; c++)
        if (runs[c].overrides[0])
            printf("run %lld overrides: %s\n", (long long)runs[c].run_id, runs[c].overrides);
}

static int is_help(const char *a) { return strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0; }

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
        if (!is_fixed(q, id, points, copy))
            snprintf(out + strlen(out), n - strlen(out), "%s%s", out[0] ? " " : "", copy);
    }
}

enum { MAX_METRICS = 8 };

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
        varied(q, id, points, p, set, sizeof set);
        printf("   %s%s\n", set, have < reps ? " (incomplete)" : "");
    }
    for (int m = 0; m < NM; m++) free(y[m]);
    return st;
}

sim_status cli_summary(int argc, char **argv, sim_err *err) {
    const char *db = NULL, *run = NULL, *sweep = NULL;
    row_spec metrics[MAX_METRICS];
    char grps[MAX_METRICS][64], labels[MAX_METRICS][96];
    int nmetrics = 0, step = -1;
    for (int i = 2; i < argc; i++) {
        if (is_help(argv[i])) return printf(USAGE_SUMMARY, MAX_COLS), SIM_OK;
        if (strcmp(argv[i], "--sweep") == 0 && i + 1 < argc) sweep = argv[++i];
        else if (strcmp(argv[i], "--step") == 0 && i + 1 < argc) step = atoi(argv[++i]);
        else if (strcmp(argv[i], "--metric") == 0 && i + 1 < argc) {
            if (nmetrics == MAX_METRICS)
                return err_set(err, SIM_EUSAGE, "at most %d --metric options", MAX_METRICS);
            char *m = argv[++i], *at = strchr(m, '@');
            snprintf(grps[nmetrics], sizeof grps[0], "%s", at ? at + 1 : "all");
            snprintf(labels[nmetrics], sizeof labels[0], "%s", m);
            if (at) *at = 0;
            metrics[nmetrics] = (row_spec){labels[nmetrics], m, grps[nmetrics], 0};
            nmetrics++;
        }
        else if (strcmp(argv[i], "--run") == 0 && i + 1 < argc) run = argv[++i];
        else if (argv[i][0] == '-')
            return err_set(err, SIM_EUSAGE, "%s: unknown option for 'summary' (see scsim "
                           "summary --help)", argv[i]);
        else if (!db) db = argv[i];
        else return err_set(err, SIM_EUSAGE, "%s: unexpected argument", argv[i]);
    }
    if (!db) return err_set(err, SIM_EUSAGE, "summary: missing DB (see scsim summary --help)");
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
    int64_t ids[MAX_COLS];
    int nids = 0, n = 0;
    sim_status st = run ? parse_ids(run, ids, &nids, err) : SIM_OK;
    query_t *q = NULL;
    query_run runs[MAX_COLS];
    if (st == SIM_OK) st = query_open(&q, db, err);
    if (st == SIM_OK) st = query_runs(q, run ? ids : NULL, nids, runs, MAX_COLS, &n, err);
    if (st == SIM_OK && n == 0) st = err_set(err, SIM_EDB, "%s holds no runs yet", db);
    if (st == SIM_OK) {
        printf("%s\n", db);
        print_header(runs, n);
        print_rows(q, runs, n);
    }
    query_close(q);
    return st;
}

sim_status cli_export(int argc, char **argv, sim_err *err) {
    const char *db = NULL, *dir = NULL;
    for (int i = 2; i < argc; i++) {
        if (is_help(argv[i])) return fputs(USAGE_EXPORT, stdout), SIM_OK;
        if (strcmp(argv[i], "--csv") == 0 && i + 1 < argc) dir = argv[++i];
        else if (argv[i][0] == '-')
            return err_set(err, SIM_EUSAGE, "%s: unknown option for 'export' (see scsim "
                           "export --help)", argv[i]);
        else if (!db) db = argv[i];
        else return err_set(err, SIM_EUSAGE, "%s: unexpected argument", argv[i]);
    }
    if (!db || !dir)
        return err_set(err, SIM_EUSAGE, "export: needs DB and --csv DIR (see scsim export "
                       "--help)");
    query_t *q = NULL;
    uint64_t rows = 0;
    sim_status st = query_open(&q, db, err);
    if (st == SIM_OK && mkdir(dir, 0777) != 0 && errno != EEXIST)
        st = err_set(err, SIM_EIO, "cannot create directory %s: %s", dir, strerror(errno));
    if (st == SIM_OK) st = query_export_csv(q, dir, &rows, err);
    if (st == SIM_OK) printf("%s: %llu rows written to %s/{runs,metrics,summary,events,"
                             "sweeps}.csv\n", db, (unsigned long long)rows, dir);
    query_close(q);
    return st;
}

static const char USAGE_MERGE[] =
    "usage: scsim merge OUT.db IN.db...\n"
    "\n"
    "Copies every run of the IN databases (metrics, summary, events; of sweep runs the done\n"
    "ones) and their sweeps into OUT.db (created if missing), e.g. the shards of a sweep run\n"
    "with --shard. Refuses databases of another schema or scsim version, a sweep name used\n"
    "by a different experiment, and the same sweep run twice (exit 5).\n";

sim_status cli_merge(int argc, char **argv, sim_err *err) {
    for (int i = 2; i < argc; i++) {
        if (is_help(argv[i])) return fputs(USAGE_MERGE, stdout), SIM_OK;
        if (argv[i][0] == '-')
            return err_set(err, SIM_EUSAGE, "%s: unknown option for 'merge' (see scsim merge "
                           "--help)", argv[i]);
    }
    if (argc < 4)
        return err_set(err, SIM_EUSAGE, "merge: needs OUT.db and at least one IN.db (see scsim "
                       "merge --help)");
    merge_stats ms;
    sim_status st = merge_into(argv[2], (const char *const *)argv + 3, argc - 3, &ms, err);
    if (st == SIM_OK)
        printf("%s: %lld runs merged from %d database(s), %lld new sweep(s)\n", argv[2],
               (long long)ms.runs, argc - 3, (long long)ms.sweeps);
    return st;
}
