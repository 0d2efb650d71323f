/* sim/cli/cli_sweep.c - `scsim sweep`: every design point of an experiment, replicated, into one
 * database; resumable, and spread over worker processes with --jobs. */
#include <errno.h>
#include <omp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_cmds.h"
#include "runner.h"
#include "sweep.h"

static volatile sig_atomic_t stop = 0;
static void on_signal(int sig) { (void)sig; stop = 1; }

typedef struct sweep_args {
    const char *file, *out;
    int jobs, threads, quiet, help, dry_run;
    int shard, nshards;   /* this process runs part shard (1-based) of nshards */
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
};

const opt_cmd CLI_SWEEP = {
    .name = "sweep", .args = "EXPERIMENT.ini", .min_args = 1, .max_args = 1,
    .summary = "an experiment: design points x replicates into one database",
    .about =
    "Runs every design point of an experiment (a base scenario, fixed overrides, parameters\n"
    "to vary and a design: grid, lhs, sobol, saltelli or morris; docs/sweeps.md) `replicates`\n"
    "times into DB, one runs row each, tied to a sweeps row. Started again with the same\n"
    "command it resumes: runs already done are kept, runs left unfinished are redone.\n",
    .opts = SWEEP_OPTS, .nopts = sizeof SWEEP_OPTS / sizeof *SWEEP_OPTS};

static sim_status parse(sweep_args *a, int argc, char **argv, sim_err *err) {
    *a = (sweep_args){NULL, NULL, 1, -1, 0, 0, 0, 1, 1};
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

static sim_status run_task(const sweep_job *pl, const sweep_args *a, store_t *db, int64_t sweep_id,
                           uint64_t k, sim_err *err) {
    size_t p = (size_t)(k / (uint64_t)pl->sp.replicates);
    int rep = (int)(k % (uint64_t)pl->sp.replicates);
    scenario sc;
    sim_status st = sweep_job_scenario(pl, p, &sc, err);
    if (st != SIM_OK) return st;
    runner_opts o = {{(uint64_t)rep, a->threads, &stop, NULL, NULL}, sweep_id, rep,
                     (int64_t)p, NULL, NULL};
    runner_result res = {0, 0};
    st = runner_run(db, &sc, &o, &res, NULL, err);
    if (st == SIM_OK && !a->quiet)
        fprintf(stderr, "scsim: sweep %s: point %zu replicate %d: run %lld done in %.2f s\n",
                pl->sp.name, p, rep, (long long)res.run_id, res.wall_seconds);
    scn_free(&sc);
    return st;
}

/* Worker w of n: the shard's tasks are k = shard-1, shard-1 + nshards, ...; of those still
 * pending, the worker runs every n-th from its w-th, in order, on its own connection. */
static sim_status work(const sweep_job *pl, const sweep_args *a, int64_t sweep_id, int w, int n,
                       sim_err *err) {
    store_t *db = NULL;
    sim_status st = store_open(&db, a->out, err);
    uint64_t pending = 0;
    for (uint64_t k = (uint64_t)(a->shard - 1); st == SIM_OK && k < pl->tasks;
         k += (uint64_t)a->nshards) {
        if (pl->done[k] || pending++ % (uint64_t)n != (uint64_t)w) continue;
        st = stop ? SIM_EINTR : run_task(pl, a, db, sweep_id, k, err);
    }
    store_close(db);
    if (st == SIM_EINTR && !err->msg[0]) err_set(err, SIM_EINTR, "sweep interrupted");
    return st;
}

/* Forks a worker per job; a worker's exit code carries its status. */
static sim_status fork_workers(const sweep_job *pl, const sweep_args *a, int64_t sweep_id,
                               sim_err *err) {
    pid_t pid[1024];
    int started = 0, worst = 0;
    fflush(NULL);
    for (int w = 0; w < a->jobs; w++) {
        pid[w] = fork();
        if (pid[w] == 0) {
            sim_err e = {{0}};
            sim_status st = work(pl, a, sweep_id, w, a->jobs, &e);
            if (st != SIM_OK && st != SIM_EINTR) fprintf(stderr, "scsim: %s\n", e.msg);
            fflush(NULL);
            _exit(err_exit_code(st));
        }
        if (pid[w] < 0) break;
        started++;
    }
    for (int w = 0; w < started; w++) {
        int status = 0;
        if (waitpid(pid[w], &status, 0) > 0 && WIFEXITED(status) && WEXITSTATUS(status) > worst)
            worst = WEXITSTATUS(status);
        else if (!WIFEXITED(status)) worst = worst ? worst : 1;
    }
    if (started < a->jobs)
        return err_set(err, SIM_ERUN, "could only start %d of %d workers: %s", started,
                       a->jobs, strerror(errno));
    return worst == 0 ? SIM_OK : worst == 130 ? err_set(err, SIM_EINTR, "sweep interrupted")
         : err_set(err, worst == 5 ? SIM_EDB : SIM_ERUN, "a worker failed (exit code %d); "
                   "run the same command again to resume", worst);
}

/* Registers (or finds) the sweep, clears its unfinished runs and marks the done ones. */
static sim_status prepare_db(sweep_job *pl, const sweep_args *a, int64_t *sweep_id,
                             uint64_t *pending, sim_err *err) {
    int64_t removed = 0;
    sim_status st = sweep_job_prepare(pl, a->out, sweep_id, &removed, err);
    *pending = 0;
    for (uint64_t k = (uint64_t)(a->shard - 1); k < pl->tasks; k += (uint64_t)a->nshards)
        *pending += !pl->done[k];
    if (st == SIM_OK && !a->quiet)
        fprintf(stderr, "scsim: sweep %s (%s): %zu points x %d replicates = %llu runs; shard %d/%d:"
                " %llu to do%s; %d job(s)\n", pl->sp.name, sweep_design_name(pl->sp.design),
                pl->d->rows, pl->sp.replicates, (unsigned long long)pl->tasks, a->shard,
                a->nshards, (unsigned long long)*pending,
                removed ? " (unfinished runs cleared)" : "", a->jobs);
    return st;
}

sim_status cli_sweep(int argc, char **argv, sim_err *err) {
    sweep_args a;
    sim_status st = parse(&a, argc, argv, err);
    if (st != SIM_OK) return st;
    if (a.help) return opt_help(&CLI_SWEEP, stdout), SIM_OK;
    sweep_job pl;
    int64_t sweep_id = 0;
    uint64_t pending = 0;
    st = sweep_job_load(&pl, a.file, err);
    if (st == SIM_OK && a.dry_run) {
        printf("%s: ok: sweep %s (%s), %zu points x %d replicates = %llu runs of %s\n", a.file,
               pl.sp.name, sweep_design_name(pl.sp.design), pl.d->rows, pl.sp.replicates,
               (unsigned long long)pl.tasks, pl.sp.scenario);
        sweep_job_free(&pl);
        return SIM_OK;
    }
    if (st == SIM_OK) st = prepare_db(&pl, &a, &sweep_id, &pending, err);
    if (st == SIM_OK) {
        struct sigaction sa = {0};
        sa.sa_handler = on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        double t0 = omp_get_wtime();
        st = a.jobs > 1 ? fork_workers(&pl, &a, sweep_id, err)
                        : work(&pl, &a, sweep_id, 0, 1, err);
        double wall = omp_get_wtime() - t0;
        if (st == SIM_OK)
            printf("sweep %s: %llu runs done in %.1f s (%.1f runs/min): %s\n", pl.sp.name,
                   (unsigned long long)pending, wall, wall > 0 ? 60.0 * pending / wall : 0.0,
                   a.out);
    }
    sweep_job_free(&pl);
    return st;
}
