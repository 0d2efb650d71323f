/* sim/experiment/runner.h - one run from a resolved scenario into a results database: register it,
 * build and run the society, store its results in one transaction. Shared by `scsim run`
 * and `scsim sweep`. Prefix runner_. */
#ifndef SIM_RUNNER_H
#define SIM_RUNNER_H

#include <stdint.h>

#include "engine.h"
#include "scenario.h"
#include "store.h"

typedef struct runner_opts {
    sim_opts sim;        /* run number (replicate), threads, stop flag, progress */
    int64_t  sweep_id;   /* 0: not part of a sweep */
    int      replicate;
    int64_t  point;      /* design point within the sweep; -1 for a single run */
    /* Called once the society is built, before the first step (may be NULL). */
    void   (*on_built)(void *ctx, const sim_t *s);
    void    *ctx;
} runner_opts;

typedef struct runner_result {
    int64_t run_id;
    double  wall_seconds;
} runner_result;

/* Runs sc and stores it in db. The run row is 'running' from the start and becomes 'done',
 * 'interrupted' (results of the completed steps kept) or 'failed' (no results). On success
 * *s_out (when not NULL) receives the finished run for the caller to inspect and free.
 * Returns the run's status (SIM_EINTR when stopped) or the database's. */
sim_status runner_run(store_t *db, const scenario *sc, const runner_opts *o,
                      runner_result *res, sim_t **s_out, sim_err *err);

#endif
