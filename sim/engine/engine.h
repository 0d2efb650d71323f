/* sim/engine/engine.h - a run: build the society from a scenario and a seed, then advance it step
 * by step. Prefix sim_.
 *
 * Each step t = 1..T reads the state at the end of step t-1 and applies, in order:
 * behaviour and observation (violations, detection, false records, misattribution:
 * sim/engine/agency.c), scoring and listing (points or lists regime) with spillover (sim/engine/policy.c),
 * then the per-step metrics (sim/engine/metrics.c). The engine is a library: it never prints or
 * exits, and it keeps everything in one sim_t so that several runs can share a process.
 * Results (metrics, summary, events) are held in memory until the caller stores them. */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <signal.h>
#include <stdint.h>

#include "err.h"
#include "results.h"
#include "scenario.h"

typedef struct sim sim_t;

/* Called after each step from the calling thread (never inside a parallel region). */
typedef void (*sim_progress_fn)(void *ctx, int step, int steps);

typedef struct sim_opts {
    uint64_t run;                 /* run number within a sweep: part of every stream key */
    int threads;                  /* OpenMP threads, 0 = scenario's run.threads (0 = all) */
    volatile sig_atomic_t *stop;  /* when non-NULL and set, sim_run returns SIM_EINTR */
    sim_progress_fn progress;     /* may be NULL */
    void *progress_ctx;
    int dense;                    /* 1: step every agent every step (the reference path of
                                     the event-driven stepping, docs/ODD.md 7.24); results
                                     are identical either way */
} sim_opts;

typedef struct sim_timing {
    double population_s;   /* building persons and firms */
    double layers_s;       /* building all tie layers */
    double steps_s;        /* the step loop */
    int    event_steps;    /* steps whose scoring pass ran event-driven (docs/ODD.md 7.24) */
} sim_timing;

/* NULL when scenario sc lets the scoring and list pass run event-driven (docs/ODD.md 7.24),
 * else the first reason it runs dense, e.g. "a watch list" (a static string). */
const char *sim_why_dense(const scenario *sc);

/* The estimated peak heap of a run of sc, by part, without allocating anything. The society
 * is built first (population, then each layer with its build scratch); the run state and
 * the results come after, so the peak is population + layers + the larger of the two. */
typedef struct sim_estimate {
    uint64_t population;   /* the population's per-agent fields (pop_bytes) */
    uint64_t layers;       /* every enabled tie layer (CSR, in-degrees of directed layers) */
    uint64_t build;        /* scratch while building the largest layer */
    uint64_t state;        /* the engine modules' arrays: the array table (arrays.c) and the
                              cut-tie bitsets */
    uint64_t results;      /* metric rows, events up to run.event_cap, end-of-run scratch */
    uint64_t total;        /* population + layers + max(build, state + results) */
} sim_estimate;
void sim_estimate_parts(const scenario *sc, sim_estimate *out);

/* Estimated peak heap bytes of a run of sc (sim_estimate_parts: total). The test
 * tests/test_arrays.c holds it within 10% of the measured peak for library scenarios. */
uint64_t sim_estimate_bytes(const scenario *sc);

/* Checks what only the engine knows: rules on disabled layers, additive rules outside the
 * points regime, and the memory estimate against run.max_memory_gib (or physical memory).
 * Returns SIM_OK, SIM_ESCENARIO or SIM_ERUN (too large) with err set. No allocation. */
sim_status sim_check(const scenario *sc, sim_err *err);

/* Builds the society of sc: population, tie layers (generated, structural or read from CSV),
 * agencies' derived rates, state at step 0 (seeded listings). sc is copied (its text is not).
 * Returns SIM_OK; SIM_ERUN when the estimate exceeds run.max_memory_gib (or physical
 * memory), before allocating; SIM_ESCENARIO/SIM_EIO for a bad edge list; SIM_ENOMEM.
 * On error *out is NULL. */
sim_status sim_new(sim_t **out, const scenario *sc, const sim_opts *opts, sim_err *err);

/* Advances one step (t = last step + 1). Returns SIM_OK or SIM_ENOMEM; after an error the
 * run must be abandoned. */
sim_status sim_step(sim_t *s, sim_err *err);

/* Runs the remaining steps up to run.steps, then adds the end-of-run summary. Returns
 * SIM_OK, SIM_EINTR when opts->stop was set (results then hold the completed steps),
 * SIM_ENOMEM. After SIM_OK the run is over: its state that only the steps need is freed
 * before the summary, so the sim may be read (results, timing) but not stepped again. */
sim_status sim_run(sim_t *s, sim_err *err);

const res_t *sim_results(const sim_t *s);   /* borrowed; valid until sim_free */
int sim_current_step(const sim_t *s);
sim_timing sim_get_timing(const sim_t *s);

/* Layer facts for messages: arcs stored, and for CSV layers the lines read and the
 * self-loops and duplicates dropped. Returns 0 for a layer that is disabled. */
int sim_layer_info(const sim_t *s, scn_layer_id id, uint64_t *arcs, uint64_t *lines,
                   uint64_t *self_loops, uint64_t *duplicates);

void sim_free(sim_t *s);   /* NULL is a no-op */

#endif
