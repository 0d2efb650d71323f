/* sim/cli/cli_compare.c - `scsim compare DB --ref LABEL [--metric M ...]`: every run group
 * against a reference group, over paired replicates (same seed and replicate: common random
 * numbers), with 95% intervals of the difference and the ratio; printed and stored in the
 * contrasts table (docs/results.md). The groups are query_groups.h's, the statistics
 * contrast.h's. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_cmds.h"
#include "contrast.h"
#include "metric.h"
#include "query.h"
#include "query_groups.h"
#include "store.h"
#include "text.h"

enum { COMPARE_METRICS = 32, METRIC_SPEC_MAX = 160 };

typedef struct compare_args {
    const char *db, *ref;
    opt_list metrics;
} compare_args;

/* The figures compared when no --metric is given. */
static const char *const DEFAULT_METRICS[] = {"ever_wrongly_listed.black", "ever_listed.black",
                                              "harm", "violations_prevented"};

/* --metric NAME or NAME@GRP: NAME a summary metric of the registry. */
static sim_status check_metric(void *args, const char *opt, const char *v, sim_err *err) {
    (void)args;
    char name[METRIC_SPEC_MAX];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(v, "@"), v);
    const char *at = strchr(v, '@');
    if (strlen(v) >= METRIC_SPEC_MAX || metric_by_name(name) == M_NONE || (at && !at[1]))
        return err_set(err, SIM_EUSAGE, "%s %.80s: expected a summary metric NAME or NAME@GRP "
                       "(e.g. harm@innocent; names in docs/metrics.md, scsim list metrics)",
                       opt, v);
    return SIM_OK;
}

static const opt_spec COMPARE_OPTS[] = {
    {.name = "ref", .kind = OPT_STRING, .metavar = "LABEL", .flags = OPT_REQUIRED,
     .off = offsetof(compare_args, ref),
     .help = "the reference group's label (run --label, a sweep point's label, or the\n"
             "default label: an unknown one lists them)"},
    {.name = "metric", .kind = OPT_LIST, .metavar = "M", .hi = COMPARE_METRICS,
     .call = check_metric, .off = offsetof(compare_args, metrics),
     .help = "a summary figure NAME or NAME@GRP (group 'all' unless given); repeatable.\n"
             "Default: ever_wrongly_listed.black, ever_listed.black, harm,\n"
             "violations_prevented"},
};

const opt_cmd CLI_COMPARE = {
    .name = "compare", .args = "DB", .min_args = 1, .max_args = 1,
    .summary = "groups against a reference: paired differences and ratios, 95% CI",
    .about =
    "Groups the done runs of DB (duplicates never pooled) by configuration and label, and\n"
    "compares every group with the reference group LABEL over paired replicates: runs with\n"
    "the same seed and replicate number share their random numbers (common random numbers),\n"
    "so each pair differs only by the configuration. Prints, per metric and group, the\n"
    "mean, the difference to the reference and the ratio, each with a 95% interval (t with\n"
    "n-1 degrees of freedom over the n pairs; the ratio's by the delta method), and stores\n"
    "them in DB's contrasts table, which replaces the rows of an earlier comparison with the\n"
    "same reference, group and metric (docs/results.md). Exit 2 for an unknown label (the\n"
    "message lists the labels), 5 when a run has no partner of the same seed.\n",
    .opts = COMPARE_OPTS, .nopts = sizeof COMPARE_OPTS / sizeof *COMPARE_OPTS};

/* Unknown reference: SIM_EUSAGE listing every label. */
static sim_status unknown_ref(const query_groups *gs, const char *ref, sim_err *err) {
    char list[ERR_MSG_MAX / 2] = "", safe[QUERY_LABEL_MAX * 2], r[160];
    size_t len = 0;
    for (size_t i = 0; i < gs->n && len + 8 < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s\"%s\"", i ? ", " : "",
                                text_safe(safe, sizeof safe, gs->g[i].label, TEXT_ONE_LINE));
    return err_set(err, SIM_EUSAGE, "compare: no group is labelled \"%s\"; the groups of "
                   "done runs are: %s", text_safe(r, sizeof r, ref, TEXT_ONE_LINE),
                   gs->n ? list : "(none)");
}

/* Run ids "1,4,7" of group g (in pair order when pair is not NULL) into a new string. */
static char *id_list(const query_group *g, const size_t *pair, size_t n) {
    char *s = malloc(n * 22 + 1);
    size_t len = 0;
    if (s) s[0] = 0;
    for (size_t i = 0; s && i < n; i++)
        len += (size_t)sprintf(s + len, "%s%lld", i ? "," : "",
                               (long long)g->run_id[pair ? pair[i] : i]);
    return s;
}

/* "v [lo, hi]" at 4 significant digits; "-" when v is NaN, no interval when lo is. */
static const char *fmt_ci(char *buf, size_t n, double v, double lo, double hi) {
    if (isnan(v)) snprintf(buf, n, "-");
    else if (isnan(lo)) snprintf(buf, n, "%.4g", v);
    else snprintf(buf, n, "%.4g [%.4g, %.4g]", v, lo, hi);
    return buf;
}

typedef struct metric_spec { char name[METRIC_SPEC_MAX], grp[METRIC_SPEC_MAX]; } metric_spec;

/* The values of the pairs without a missing value: x (group), y (reference); used[k] the
 * index in g of pair k. Returns how many. */
static size_t paired_values(query_t *q, const query_group *ref, const query_group *g,
                            const size_t *pair, const metric_spec *m, double *x, double *y,
                            size_t *used) {
    size_t k = 0;
    for (size_t i = 0; i < g->n; i++) {
        x[k] = query_summary(q, g->run_id[i], m->name, m->grp);
        y[k] = query_summary(q, ref->run_id[pair[i]], m->name, m->grp);
        if (!isnan(x[k]) && !isnan(y[k])) used[k++] = i;
    }
    return k;
}

/* Group g against the reference for metric m: printed, and into *row (run id lists
 * allocated; row->pairs 0 when no pair has both values). */
static sim_status one_contrast(query_t *q, const query_group *ref, const query_group *g,
                               const metric_spec *m, store_contrast_row *row, sim_err *err) {
    size_t *pair = malloc((g->n + 1) * sizeof *pair), *used = malloc((g->n + 1) * sizeof *used);
    size_t *rpair = malloc((g->n + 1) * sizeof *rpair);
    double *x = malloc((g->n + 1) * sizeof *x), *y = malloc((g->n + 1) * sizeof *y);
    sim_status st = pair && used && rpair && x && y ? contrast_pair(ref, g, pair, err)
                                                    : err_set(err, SIM_ENOMEM, "out of memory");
    size_t n = st == SIM_OK ? paired_values(q, ref, g, pair, m, x, y, used) : 0;
    contrast_result r;
    contrast_paired(x, y, n, &r);
    for (size_t k = 0; k < n; k++) rpair[k] = pair[used[k]];
    *row = (store_contrast_row){ref->label, g->label, m->name, m->grp, n, r.ref_mean, r.mean,
                                r.diff, r.diff_lo, r.diff_hi, r.ratio, r.ratio_lo, r.ratio_hi,
                                n ? id_list(ref, rpair, n) : NULL, n ? id_list(g, used, n) : NULL};
    if (st == SIM_OK && n && (!row->ref_runs || !row->runs))
        st = err_set(err, SIM_ENOMEM, "out of memory");
    char safe[QUERY_LABEL_MAX * 2], d[96], rt[96];
    if (st == SIM_OK)
        printf("  %-34s %5zu %11.4g   %-30s %s\n", text_safe(safe, 35, g->label, TEXT_ONE_LINE),
               n, r.mean, n ? fmt_ci(d, sizeof d, r.diff, r.diff_lo, r.diff_hi) : "no values",
               fmt_ci(rt, sizeof rt, r.ratio, r.ratio_lo, r.ratio_hi));
    free(pair), free(used), free(rpair), free(x), free(y);
    return st;
}

/* Every group but the reference for metric m; rows appended at rows[*nrows]. */
static sim_status one_metric(query_t *q, const query_groups *gs, const query_group *ref,
                             const metric_spec *m, store_contrast_row *rows, size_t *nrows,
                             sim_err *err) {
    char safe[QUERY_LABEL_MAX * 2];
    double refmean = 0;
    size_t nref = 0;
    for (size_t j = 0; j < ref->n; j++) {
        double v = query_summary(q, ref->run_id[j], m->name, m->grp);
        if (!isnan(v)) refmean += v, nref++;
    }
    printf("\n%s (%s) against \"%s\" (%zu runs, mean %.4g):\n", m->name, m->grp,
           text_safe(safe, sizeof safe, ref->label, TEXT_ONE_LINE), ref->n,
           nref ? refmean / (double)nref : NAN);
    printf("  %-34s %5s %11s   %-30s %s\n", "group", "pairs", "mean", "difference [95% CI]",
           "ratio [95% CI]");
    sim_status st = SIM_OK;
    for (size_t i = 0; st == SIM_OK && i < gs->n; i++) {
        if (&gs->g[i] == ref) continue;
        st = one_contrast(q, ref, &gs->g[i], m, &rows[*nrows], err);
        if (rows[*nrows].pairs) (*nrows)++;
        else free((char *)rows[*nrows].ref_runs), free((char *)rows[*nrows].runs);
    }
    return st;
}

/* The metrics asked for (or the default ones) as (name, grp). */
static size_t metric_specs(const compare_args *a, metric_spec *m) {
    size_t n = a->metrics.n ? (size_t)a->metrics.n : sizeof DEFAULT_METRICS / sizeof *DEFAULT_METRICS;
    for (size_t k = 0; k < n; k++) {
        const char *v = a->metrics.n ? a->metrics.v[k] : DEFAULT_METRICS[k];
        const char *at = strchr(v, '@');
        snprintf(m[k].name, sizeof m[k].name, "%.*s", (int)strcspn(v, "@"), v);
        snprintf(m[k].grp, sizeof m[k].grp, "%s", at ? at + 1 : "all");
    }
    return n;
}

/* Compares and stores, with the database open for reading (q) and writing (s). */
static sim_status compare(const compare_args *a, query_t *q, store_t *s, sim_err *err) {
    query_groups gs;
    sim_status st = query_groups_load(q, &gs, err);
    if (st != SIM_OK) return st;
    const query_group *ref = query_groups_find(&gs, a->ref);
    metric_spec m[COMPARE_METRICS];
    size_t nm = metric_specs(a, m), nrows = 0;
    store_contrast_row *rows = ref ? calloc(nm * gs.n + 1, sizeof *rows) : NULL;
    if (!ref) st = unknown_ref(&gs, a->ref, err);
    else if (!rows) st = err_set(err, SIM_ENOMEM, "out of memory");
    else printf("compare %s: %zu groups; 95%% intervals over paired replicates (same seed "
                "and replicate)\n", a->db, gs.n);
    for (size_t k = 0; st == SIM_OK && k < nm; k++)
        st = one_metric(q, &gs, ref, &m[k], rows, &nrows, err);
    if (st == SIM_OK) st = query_status(q, err);
    if (st == SIM_OK && nrows) st = store_contrasts(s, rows, nrows, err);
    if (st == SIM_OK) printf("\n%zu contrasts stored in %s (table contrasts)\n", nrows, a->db);
    for (size_t k = 0; rows && k < nrows; k++)
        free((char *)rows[k].ref_runs), free((char *)rows[k].runs);
    free(rows);
    query_groups_free(&gs);
    return st;
}

sim_status cli_compare(int argc, char **argv, sim_err *err) {
    compare_args a = {0};
    opt_pos pos;
    sim_status st = opt_parse(&CLI_COMPARE, argc, argv, &a, &pos, err);
    if (st != SIM_OK) return st;
    if (pos.help) return opt_help(&CLI_COMPARE, stdout), SIM_OK;
    a.db = pos.v[0];
    query_t *q = NULL;
    store_t *s = NULL;
    if ((st = query_open(&q, a.db, err)) != SIM_OK) return st;   /* exists, is scsim's */
    query_close(q);
    q = NULL;
    st = store_open(&s, a.db, err);   /* migrates it: the contrasts table */
    if (st == SIM_OK) st = query_open(&q, a.db, err);
    if (st == SIM_OK) st = compare(&a, q, s, err);
    query_close(q);
    store_close(s);
    return st;
}
