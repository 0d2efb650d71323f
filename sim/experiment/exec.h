/* sim/experiment/exec.h - the one sweep executor: runs the task list of a sweep (design points
 * x replicates, optionally one shard of it) in this process, on forked worker processes, or
 * on any other transport the caller supplies as an exec_link (scsim-mpi passes MPI ranks).
 * Whatever the transport, the runs are registered, their results written and the resume
 * bookkeeping done here, by the one process that holds the database (runner_begin,
 * runner_finish, sweep_job_prepare); workers only compute. A run's results depend only on its
 * scenario and replicate, so every transport gives the same database contents (run ids
 * aside). Library code: no printing, no exit; progress goes through a callback. Prefix
 * exec_. */
#ifndef SIM_EXEC_H
#define SIM_EXEC_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "sweep.h"

/* A message channel between the master (the process writing the database) and its workers.
 * Master side: workers > 0, send(to = worker 0..workers-1), recv from any worker (*from set).
 * Worker side: workers = 0, send goes to the master (to ignored), recv reads the master's.
 * recv hands over a malloc'd *buf of *len bytes (the caller frees). On a failed recv the
 * master side sets *from to the worker that is gone (-1: the link as a whole failed).
 * retire (master side, may be NULL): worker w was told to stop or is gone; recv must not
 * wait for it any more. */
typedef struct exec_link {
    sim_status (*send)(void *ctx, int to, const void *buf, size_t len, sim_err *err);
    sim_status (*recv)(void *ctx, int *from, void **buf, size_t *len, sim_err *err);
    void *ctx;
    int   workers;
    void (*retire)(void *ctx, int w);
} exec_link;

typedef enum exec_event_kind {
    EXEC_START,   /* the sweep is registered and its done runs counted; nothing ran yet */
    EXEC_RUN      /* a run is stored as done */
} exec_event_kind;

typedef struct exec_event {
    exec_event_kind kind;
    int64_t  sweep_id;
    uint64_t tasks;          /* points x replicates */
    uint64_t pending;        /* EXEC_START: tasks of this shard still to run */
    int64_t  removed;        /* EXEC_START: unfinished runs cleared for redoing */
    uint64_t task;           /* EXEC_RUN: task = point * replicates + replicate */
    size_t   point;
    int      replicate;
    int64_t  run_id;
    double   wall_seconds;   /* the run's step loop (its society's build excluded) */
    int      worker;         /* EXEC_RUN: the worker that computed it; -1 in this process */
} exec_event;

typedef struct exec_opts {
    const char *db;                /* results database path */
    int  shard, nshards;           /* tasks k with k % nshards == shard - 1 (1 <= shard) */
    int  threads;                  /* OpenMP threads per run (0: the scenario's run.threads) */
    volatile sig_atomic_t *stop;   /* may be NULL; once set no run starts, and running runs
                                      stop at their next step (stored as 'interrupted') */
    void (*progress)(void *ctx, const exec_event *ev);   /* may be NULL */
    void *ctx;
} exec_opts;

typedef struct exec_result {
    int64_t  sweep_id;
    uint64_t pending;   /* tasks of this shard that were still to run */
    uint64_t done;      /* runs stored as done by this call */
} exec_result;

/* Runs every pending task of j's shard: registers the sweep and its design (sweep_params),
 * clears unfinished runs, then runs the rest, here (link NULL) or on link's workers. Stops
 * at the first failed run or when *stop is set (SIM_EINTR, "sweep interrupted"); running
 * again resumes. Returns the first failure's status with err set. */
sim_status exec_run(sweep_job *j, const exec_opts *o, const exec_link *link,
                    exec_result *res, sim_err *err);

/* The worker side: tells the master it is ready, then runs each task it is sent until told
 * to stop, sending back its packed results (or its error). threads, stop: as in exec_opts.
 * Returns SIM_OK, or the link's error. */
sim_status exec_serve(const sweep_job *j, const exec_link *link, int threads,
                      volatile sig_atomic_t *stop, sim_err *err);

/* exec_run on `jobs` forked worker processes (exec_fork.c), connected by socket pairs. The
 * workers end with _exit once the master closes their channel; a worker that dies takes its
 * run with it (stored as 'failed', the sweep stops with SIM_ERUN). Workers die with the
 * master (PR_SET_PDEATHSIG SIGKILL, and a getppid check right after fork), so a master
 * killed by SIGKILL leaves no worker computing. The workers' runs watch a stop flag on a
 * page shared with the master; once the master sees *o->stop set (a signal to it alone or
 * to the group; it looks at least every 0.1 s) it sets that flag: the running runs stop at
 * their next step and are stored as 'interrupted', and the master reaps every worker before
 * it returns (waitpid retried on EINTR; SIM_EINTR). jobs 1..1024. Call it before this
 * process has run
 * an OpenMP parallel region: libgomp's thread pool does not survive fork (the workers would
 * hang). */
sim_status exec_run_forked(sweep_job *j, const exec_opts *o, int jobs, exec_result *res,
                           sim_err *err);

#endif
