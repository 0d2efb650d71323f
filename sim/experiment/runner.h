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
    const char *label;    /* runs.label; NULL: none */
    int      duplicate;   /* 1: store as a flagged duplicate (run --again), never pooled */
    int64_t  replace_id;  /* > 0: the run this one replaces once done (run --replace) */
} runner_opts;

/* What a run is registered with besides its scenario. */
typedef struct runner_reg {
    int64_t     sweep_id;      /* 0: not part of a sweep */
    int         replicate;
    int64_t     point;         /* -1: not a design point */
    const char *varied_json;   /* NULL: none */
    int         duplicate;     /* runs.duplicate (store.h) */
    const char *label;         /* runs.label; NULL: none */
} runner_reg;

/* The done single run of db that a run of sc (replicate 0, no sweep) would repeat (same
 * resolved scenario, overrides and seed: store_find_same); *run_id 0 when there is none. */
sim_status runner_find_same(store_t *db, const scenario *sc, int64_t *run_id, sim_err *err);

/* Registers a run of sc in db (a runs row with status 'running'); *run_id is its id. The one
 * place a run is registered, for single runs and every sweep transport (exec.h). */
sim_status runner_begin(store_t *db, const scenario *sc, const runner_reg *reg,
                        int64_t *run_id, sim_err *err);

/* Stores the end of run run_id: run_st SIM_OK gives 'done', SIM_EINTR 'interrupted' (both
 * with res, which may be NULL), anything else 'failed' (no results). In one transaction;
 * returns the database's status. When the results cannot be stored (a full disk), the run
 * is marked 'failed' if that still can be written (else it stays 'running' until the next
 * writer marks it 'stale', store_open). */
sim_status runner_finish(store_t *db, int64_t run_id, sim_status run_st, const res_t *res,
                         double wall_seconds, sim_err *err);

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
