/* sim/cli/cli_sweep.c - `scsim sweep`: every design point of an experiment, replicated, into one
 * database; resumable, and spread over worker processes with --jobs. The running is the
 * sweep executor's (sim/experiment/exec.h); this file parses options and prints. */
#include <omp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_cmds.h"
#include "exec.h"
#include "sweep.h"

/* Set by SIGINT, SIGTERM or SIGHUP: no run starts, running runs stop, exit 130. */
static volatile sig_atomic_t stop = 0;
static void on_signal(int sig) { (void)sig; stop = 1; }

typedef struct sweep_args {
    const char *file, *out;
    int jobs, threads, quiet, help, dry_run;
    int shard, nshards;   /* this process runs part shard (1-based) of nshards */
    int replicates;       /* --replicates; 0: the experiment file's */
} sweep_args;

/* --shard I/N: 1 <= I <= N <= 100000. */
static sim_status parse_shard(void *args, const char *opt, const char *v, sim_err *err) {
    sweep_args *a = args;
    const char *slash = strchr(v, '/');
    char part[32];
    long long i = 0, n = 0;
    int ok = slash && (size_t)(slash - v) < sizeof part;
    if (ok) snprintf(part, sizeof part, "%.*s", (int)(slash - v), v);
    ok = ok && opt_int(opt, part, 1, 100000, &i, err) == SIM_OK &&
         opt_int(opt, slash + 1, 1, 100000, &n, err) == SIM_OK && i <= n;
    if (!ok)
        return err_set(err, SIM_EUSAGE, "%s %.60s: expected I/N with 1 <= I <= N <= 100000, "
                       "e.g. --shard 2/8", opt, v);
    a->shard = (int)i, a->nshards = (int)n;
    return SIM_OK;
}

static const opt_spec SWEEP_OPTS[] = {
    {.name = "out", .kind = OPT_PATH, .metavar = "DB", .off = offsetof(sweep_args, out),
     .help = "results database (required unless --dry-run)"},
    {.name = "dry-run", .kind = OPT_FLAG, .off = offsetof(sweep_args, dry_run),
     .help = "check the experiment and every point's scenario, print the run count"},
    {.name = "jobs", .kind = OPT_INT, .metavar = "N", .lo = 1, .hi = 1024, .def = "1",
     .off = offsetof(sweep_args, jobs),
     .help = "worker processes; results do not depend on N"},
    {.name = "shard", .kind = OPT_CALL, .metavar = "I/N", .call = parse_shard,
     .help = "run only part I of N disjoint parts (tasks I-1, I-1+N, ...), e.g. one\n"
             "per cluster job into its own DB; join them with scsim merge"},
    {.name = "threads", .kind = OPT_INT, .metavar = "N", .lo = 0, .hi = 1024,
     .off = offsetof(sweep_args, threads),
     .help = "OpenMP threads per run (default: all cores with --jobs 1, else 1)"},
    {.name = "quiet", .kind = OPT_FLAG, .off = offsetof(sweep_args, quiet),
     .help = "no line per run"},
    {.name = "replicates", .kind = OPT_INT, .metavar = "N", .lo = 1, .hi = 100000,
     .off = offsetof(sweep_args, replicates),
     .help = "runs per design point instead of the file's `replicates`: on a finished\n"
             "sweep, runs only replicates the database lacks and keeps the others"},
};

const opt_cmd CLI_SWEEP = {
    .name = "sweep", .args = "EXPERIMENT.ini", .min_args = 1, .max_args = 1,
    .summary = "an experiment: design points x replicates into one database",
    .about =
    "Runs every design point of an experiment (a base scenario, fixed overrides, parameters\n"
    "to vary and a design: grid, lhs, sobol, saltelli or morris; docs/sweeps.md) `replicates`\n"
    "times into DB, one runs row each, tied to a sweeps row. Started again with the same\n"
    "command it resumes: runs already done are kept, runs left unfinished are redone.\n"
    "With --replicates N a finished sweep gets more replicates: only the new ones run.\n"
    "One process writes a sweep at a time: a second one into the same DB is refused\n"
    "(exit 5). SIGINT, SIGTERM or SIGHUP stop the running runs (stored as interrupted),\n"
    "and scsim exits 130 once every worker has ended (docs/sweeps.md).\n",
    .opts = SWEEP_OPTS, .nopts = sizeof SWEEP_OPTS / sizeof *SWEEP_OPTS};

static sim_status parse(sweep_args *a, int argc, char **argv, sim_err *err) {
    *a = (sweep_args){NULL, NULL, 1, -1, 0, 0, 0, 1, 1, 0};
    opt_pos pos;
    sim_status st = opt_parse(&CLI_SWEEP, argc, argv, a, &pos, err);
    if (st != SIM_OK || (a->help = pos.help)) return st;
    a->file = pos.v[0];
    if (!a->out && !a->dry_run)
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
    if (a.help) return opt_help(&CLI_SWEEP, stdout), SIM_OK;
    sweep_job pl;
    if ((st = sweep_job_load(&pl, a.file, err)) != SIM_OK) return st;
    if (a.replicates && (st = sweep_job_set_replicates(&pl, a.replicates, err)) != SIM_OK) {
        sweep_job_free(&pl);
        return st;
    }
    const char *inputs[] = {a.file, pl.sp.scenario};
    if (!a.dry_run && (st = opt_check_outputs("--out", a.out, inputs, 2, err)) != SIM_OK) {
        sweep_job_free(&pl);
        return st;
    }
    if (a.dry_run) {
        print_dry_run(&a, &pl);
        sweep_job_free(&pl);
        return SIM_OK;
    }
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);   /* also what the master sends the workers (exec.h) */
    sigaction(SIGHUP, &sa, NULL);
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
