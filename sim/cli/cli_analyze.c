/* sim/cli/cli_analyze.c - `scsim analyze`: a sweep's output metric per design point (mean and
 * 95% interval over replicates) and, for Saltelli and Morris designs, the sensitivity
 * indices, printed and stored in the `sensitivity` table. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_cmds.h"
#include "query.h"
#include "sensitivity.h"
#include "store.h"
#include "sweep.h"

typedef struct an_args {
    const char *file, *db, *metric, *grp;
    int boot, step;
} an_args;

#define STR_(x) #x
#define STR(x) STR_(x)
#define BOOT_DEFAULT 1000   /* as text in the table and the help */
_Static_assert(BOOT_DEFAULT == SENS_BOOT_DEFAULT, "the help states the bootstrap default");

static const opt_spec ANALYZE_OPTS[] = {
    {.name = "db", .kind = OPT_PATH, .metavar = "DB", .off = offsetof(an_args, db),
     .flags = OPT_REQUIRED, .help = "the results database the sweep ran into"},
    {.name = "metric", .kind = OPT_STRING, .metavar = "NAME", .off = offsetof(an_args, metric),
     .flags = OPT_REQUIRED, .help = "the summary metric (docs/results.md), or with --step the "
     "per-step metric"},
    {.name = "grp", .kind = OPT_STRING, .metavar = "GRP", .def = "all",
     .off = offsetof(an_args, grp), .help = "the metric's group"},
    {.name = "step", .kind = OPT_INT, .metavar = "T", .lo = 0, .hi = 100000,
     .off = offsetof(an_args, step), .help = "read the per-step metric at step T"},
    {.name = "boot", .kind = OPT_INT, .metavar = "N", .lo = 0, .hi = 100000,
     .def = STR(BOOT_DEFAULT), .off = offsetof(an_args, boot),
     .help = "bootstrap resamples for the Sobol intervals"},
};

const opt_cmd CLI_ANALYZE = {
    .name = "analyze", .args = "EXPERIMENT.ini", .min_args = 1, .max_args = 1,
    .summary = "a sweep's metric per point (95% intervals), Sobol/Morris indices",
    .about =
    "Reads summary metric NAME (group GRP, default all; docs/results.md), or with --step T the\n"
    "per-step metric NAME at step T, of every run of the\n"
    "experiment's sweep in DB and prints, per design point, the mean over replicates with a\n"
    "95% t interval. For a saltelli design it adds first-order and total Sobol indices with\n"
    "95% bootstrap intervals (N resamples, default " STR(BOOT_DEFAULT) "); for a "
    "morris design mu*, mu and\n"
    "sigma of the elementary effects. Indices are also stored in DB's sensitivity table.\n",
    .after =
    "Example: scsim analyze scenarios/sweeps/error-x-spillover.ini --db exs.db \\\n"
    "             --metric ever_wrongly_listed.black\n",
    .opts = ANALYZE_OPTS, .nopts = sizeof ANALYZE_OPTS / sizeof *ANALYZE_OPTS};

/* Means over replicates into mean[p]; SIM_EDB naming the first missing run. */
static sim_status point_means(const double *y, size_t points, int reps, const char *db,
                              double *mean, double *half, sim_err *err) {
    for (size_t p = 0; p < points; p++) {
        for (int r = 0; r < reps; r++)
            if (isnan(y[p * (size_t)reps + (size_t)r]))
                return err_set(err, SIM_EDB, "%s lacks the result of point %zu replicate %d: "
                               "finish the sweep (run it again) first", db, p, r);
        sens_mean_ci95(y + p * (size_t)reps, (size_t)reps, &mean[p], &half[p]);
    }
    return SIM_OK;
}

static void print_points(const sweep_spec *sp, const design_t *d, const double *mean,
                         const double *half) {
    printf("%6s %14s %25s   %s\n", "point", "mean", "95% interval", "parameters");
    for (size_t p = 0; p < d->rows; p++) {
        printf("%6zu %14.6g  [%11.6g, %11.6g]  ", p, mean[p], mean[p] - half[p],
               mean[p] + half[p]);
        for (size_t j = 0; j < d->k; j++)
            printf(" %s=%.6g", sp->space.param[j].name, d->x[p * d->k + j]);
        printf("\n");
    }
}

/* Sobol or Morris indices of the point means, printed and put in rows (k*2 or k*3 rows). */
static sim_status indices(const sweep_spec *sp, const design_t *d, const double *mean,
                          int boot, store_sens_row *rows, size_t *nrows, sim_err *err) {
    rng_t rng;
    rng_init(&rng, sp->seed, 0);
    *nrows = 0;
    if (sp->design == SWEEP_SALTELLI) {
        sens_sobol_t *o = NULL;
        sim_status st = sens_sobol(&o, d, mean, (size_t)boot, &rng, RNG_DESIGN + 1, err);
        if (st != SIM_OK) return st;
        printf("\nSobol indices (Saltelli, n = %zu, %zu bootstrap resamples, 95%%):\n", o->n,
               o->n_boot);
        for (size_t j = 0; j < o->k; j++) {
            const char *name = sp->space.param[j].name;
            printf("  %-40s S1 %7.3f [%7.3f, %7.3f]   ST %7.3f [%7.3f, %7.3f]\n", name,
                   o->S1[j], o->S1_lo[j], o->S1_hi[j], o->ST[j], o->ST_lo[j], o->ST_hi[j]);
            rows[(*nrows)++] = (store_sens_row){name, "S1", o->S1[j], o->S1_lo[j], o->S1_hi[j]};
            rows[(*nrows)++] = (store_sens_row){name, "ST", o->ST[j], o->ST_lo[j], o->ST_hi[j]};
        }
        sens_sobol_free(o);
    } else if (sp->design == SWEEP_MORRIS) {
        sens_morris_t *o = NULL;
        sim_status st = sens_morris(&o, d, mean, err);
        if (st != SIM_OK) return st;
        printf("\nMorris elementary effects (r = %zu trajectories, unit-cube units):\n", o->r);
        for (size_t j = 0; j < o->k; j++) {
            const char *name = sp->space.param[j].name;
            printf("  %-40s mu* %10.4g   mu %10.4g   sigma %10.4g\n", name, o->mu_star[j],
                   o->mu[j], o->sigma[j]);
            rows[(*nrows)++] = (store_sens_row){name, "mu_star", o->mu_star[j], NAN, NAN};
            rows[(*nrows)++] = (store_sens_row){name, "mu", o->mu[j], NAN, NAN};
            rows[(*nrows)++] = (store_sens_row){name, "sigma", o->sigma[j], NAN, NAN};
        }
        sens_morris_free(o);
    }
    return SIM_OK;
}

static sim_status analyze(const an_args *a, const sweep_spec *sp, const design_t *d,
                          sim_err *err) {
    uint64_t n = (uint64_t)d->rows * (uint64_t)sp->replicates;
    double *y = malloc(n * sizeof *y), *mean = malloc(d->rows * sizeof *mean);
    double *half = malloc(d->rows * sizeof *half);
    store_sens_row *rows = malloc(3 * d->k * sizeof *rows + 1);
    query_t *q = NULL;
    int64_t sweep_id = 0;
    size_t nrows = 0;
    sim_status st = y && mean && half && rows ? query_open(&q, a->db, err)
                                              : err_set(err, SIM_ENOMEM, "out of memory");
    if (st == SIM_OK)
        st = query_sweep_outputs(q, sp->name, a->metric, a->grp, a->step, sp->replicates, y,
                                 n, &sweep_id, err);
    query_close(q);
    if (st == SIM_OK) st = point_means(y, d->rows, sp->replicates, a->db, mean, half, err);
    if (st == SIM_OK) {
        printf("sweep %s (%s), metric %s [%s], %zu points x %d replicates\n", sp->name,
               sweep_design_name(sp->design), a->metric, a->grp, d->rows, sp->replicates);
        print_points(sp, d, mean, half);
        st = indices(sp, d, mean, a->boot, rows, &nrows, err);
    }
    store_t *db = NULL;
    if (st == SIM_OK && nrows) st = store_open(&db, a->db, err);
    if (st == SIM_OK && nrows)
        st = store_sensitivity(db, sweep_id, a->metric, a->grp, rows, nrows, err);
    store_close(db);
    free(y), free(mean), free(half), free(rows);
    return st;
}

sim_status cli_analyze(int argc, char **argv, sim_err *err) {
    an_args a = {.step = -1};
    opt_pos pos;
    sim_status st = opt_parse(&CLI_ANALYZE, argc, argv, &a, &pos, err);
    if (st == SIM_OK && pos.help) opt_help(&CLI_ANALYZE, stdout);
    if (st != SIM_OK || pos.help) return st;
    a.file = pos.v[0];
    sweep_spec sp;
    design_t *d = NULL;
    st = sweep_load(&sp, a.file, err);
    if (st != SIM_OK) return st;
    st = sweep_plan(&sp, &d, err);
    if (st == SIM_OK) st = analyze(&a, &sp, d, err);
    design_free(d);
    sweep_free(&sp);
    return st;
}
