/* sim/cli/cli_sweep.c - `scsim sweep`: every design point of an experiment, replicated, into one
 * database; resumable, and spread over worker processes with --jobs. The running is the
 * sweep executor's (sim/experiment/exec.h); this file parses options and prints. */
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exec.h"
#include "sweep.h"

static const char USAGE_SWEEP[] =
    "usage: scsim sweep EXPERIMENT.ini --out DB [--jobs N] [--shard I/N] [--threads N]\n"
    "                   [--quiet]\n"
    "\n"
    "Runs every design point of an experiment (a base scenario, fixed overrides, parameters\n"
    "to vary and a design: grid, lhs, sobol, saltelli or morris; docs/sweeps.md) `replicates`\n"
    "times into DB, one runs row each, tied to a sweeps row. Started again with the same\n"
    "command it resumes: runs already done are kept, runs left unfinished are redone.\n"
    "\n"
    "options:\n"
    "  --out DB      results database (required)\n"
    "  --dry-run     check the experiment and every point's scenario, print the run count\n"
    "  --jobs N      worker processes (default 1); results do not depend on N\n"
    "  --shard I/N   run only part I of N disjoint parts (tasks I-1, I-1+N, ...), e.g. one\n"
    "                per cluster job into its own DB; join them with scsim merge\n"
    "  --threads N   OpenMP threads per run (default: all cores with --jobs 1, else 1)\n"
    "  --quiet       no line per run\n";

static volatile sig_atomic_t stop = 0;
static void on_signal(int sig) { (void)sig; stop = 1; }

typedef struct sweep_args {
    const char *file, *out;
    int jobs, threads, quiet, help, dry_run;
    int shard, nshards;   /* this process runs part shard (1-based) of nshards */
} sweep_args;


static sim_status parse(sweep_args *a, int argc, char **argv, sim_err *err) {
    *a = (sweep_args){NULL, NULL, 1, -1, 0, 0, 0, 1, 1};
    for (int i = 2; i < argc; i++) {
        const char *o = argv[i];
        char *end;
        if (!strcmp(o, "-h") || !strcmp(o, "--help")) return a->help = 1, SIM_OK;
        if (!strcmp(o, "--quiet")) { a->quiet = 1; continue; }
        if (!strcmp(o, "--dry-run")) { a->dry_run = 1; continue; }
        if (!strcmp(o, "--shard") && i + 1 < argc) {
            const char *v = argv[++i];
            if (sscanf(v, "%d/%d", &a->shard, &a->nshards) != 2 || a->nshards < 1 ||
                a->shard < 1 || a->shard > a->nshards || a->nshards > 100000)
                return err_set(err, SIM_EUSAGE, "--shard %s: expected I/N with 1 <= I <= N, "
                               "e.g. --shard 2/8", v);
            continue;
        }
        if ((!strcmp(o, "--out") || !strcmp(o, "--jobs") || !strcmp(o, "--threads")) &&
            i + 1 < argc) {
            const char *v = argv[++i];
            if (!strcmp(o, "--out")) { a->out = v; continue; }
            long n = strtol(v, &end, 10);
            if (end == v || *end || n < (o[2] == 'j' ? 1 : 0) || n > 1024)
                return err_set(err, SIM_EUSAGE, "%s %s: expected an integer %d .. 1024", o, v,
                               o[2] == 'j');
            *(o[2] == 'j' ? &a->jobs : &a->threads) = (int)n;
            continue;
        }
        if (o[0] == '-') return err_set(err, SIM_EUSAGE, "%s: unknown option or missing value "
                                        "(see scsim sweep --help)", o);
        if (a->file) return err_set(err, SIM_EUSAGE, "%s: unexpected argument", o);
        a->file = o;
    }
    if (!a->file || (!a->out && !a->dry_run))
        return err_set(err, SIM_EUSAGE, "sweep: needs EXPERIMENT.ini and --out DB (see scsim "
                       "sweep --help)");
    if (a->threads < 0) a->threads = a->jobs > 1 ? 1 : 0;
    return SIM_OK;
}




typedef struct shown { const sweep_args *a; const sweep_job *pl; } shown;

/* Progress lines (stderr) for the executor's events. */
static void on_event(void *ctx, const exec_event *ev) {
    const sweep_args *a = ((const shown *)ctx)->a;
    const sweep_job *pl = ((const shown *)ctx)->pl;
    if (a->quiet) return;
    if (ev->kind == EXEC_START)
        fprintf(stderr, "scsim: sweep %s (%s): %zu points x %d replicates = %llu runs; shard "
                "%d/%d: %llu to do%s; %d job(s)\n", pl->sp.name, sweep_design_name(pl->sp.design),
                pl->d->rows, pl->sp.replicates, (unsigned long long)ev->tasks, a->shard,
                a->nshards, (unsigned long long)ev->pending,
                ev->removed ? " (unfinished runs cleared)" : "", a->jobs);
    else
        fprintf(stderr, "scsim: sweep %s: point %zu replicate %d: run %lld done in %.2f s\n",
                pl->sp.name, ev->point, ev->replicate, (long long)ev->run_id, ev->wall_seconds);
}

static void print_dry_run(const sweep_args *a, const sweep_job *pl) {
    printf("%s: ok: sweep %s (%s), %zu points x %d replicates = %llu runs of %s\n", a->file,
           pl->sp.name, sweep_design_name(pl->sp.design), pl->d->rows, pl->sp.replicates,
           (unsigned long long)pl->tasks, pl->sp.scenario);
}

sim_status cli_sweep(int argc, char **argv, sim_err *err) {
    sweep_args a;
    sim_status st = parse(&a, argc, argv, err);
    if (st != SIM_OK) return st;
    if (a.help) return fputs(USAGE_SWEEP, stdout), SIM_OK;
    sweep_job pl;
    if ((st = sweep_job_load(&pl, a.file, err)) != SIM_OK) return st;
    if (a.dry_run) {
        print_dry_run(&a, &pl);
        sweep_job_free(&pl);
        return SIM_OK;
    }
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    shown ctx = {&a, &pl};
    exec_opts o = {a.out, a.shard, a.nshards, a.threads, &stop, on_event, &ctx};
    exec_result res;
    double t0 = omp_get_wtime();
    fflush(NULL);
    st = a.jobs > 1 ? exec_run_forked(&pl, &o, a.jobs, &res, err)
                    : exec_run(&pl, &o, NULL, &res, err);
    double wall = omp_get_wtime() - t0;
    if (st == SIM_OK)
        printf("sweep %s: %llu runs done in %.1f s (%.1f runs/min): %s\n", pl.sp.name,
               (unsigned long long)res.done, wall, wall > 0 ? 60.0 * res.done / wall : 0.0,
               a.out);
    sweep_job_free(&pl);
    return st;
}
