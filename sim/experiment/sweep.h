/* sim/experiment/sweep.h - experiments: an experiment file names a base scenario, fixed overrides, the
 * parameters to vary and a design; each design point runs `replicates` times. Prefix sweep_.
 *
 * Experiment file (INI; docs/sweeps.md):
 *   [experiment]  name, scenario (path, relative to this file; required), design = grid |
 *                 lhs | sobol | saltelli | morris, points (base sample size; morris:
 *                 trajectories), levels (morris grid levels), replicates, seed (design
 *                 randomness)
 *   [set]         section.key = value: overrides applied to every run
 *   [param.NAME]  key = section.key (required) and one of: values = a, b, c | lo, hi, step
 *                 (grid) | lo, hi, dist = uniform | loguniform | dist = normal, mean, sd, lo, hi;
 *                 label = a name per value (list and step parameters): the points' labels
 * Replicate r of every point uses the run number r for its random streams, so the points of
 * one replicate share their random numbers (common random numbers). */
#ifndef SIM_SWEEP_H
#define SIM_SWEEP_H

#include <stdint.h>

#include "design.h"
#include "err.h"
#include "scenario.h"
#include "store.h"

enum { SWEEP_MAX_FIXED = 64, SWEEP_KV_MAX = 200, SWEEP_TASKS_MAX = 10000000 };

typedef enum sweep_design {
    SWEEP_GRID, SWEEP_LHS, SWEEP_SOBOL, SWEEP_SALTELLI, SWEEP_MORRIS
} sweep_design;

typedef struct sweep_spec {
    char           name[64];
    char           path[512];       /* the experiment file */
    char           scenario[512];   /* the base scenario, resolved against path */
    sweep_design   design;
    int            points, levels, replicates;
    uint64_t       seed;
    int            nfixed;
    char           fixed[SWEEP_MAX_FIXED][SWEEP_KV_MAX];   /* "section.key=value" */
    design_space_t space;           /* parameter j is named by its scenario key */
    char          *labels[DESIGN_MAX_PARAMS];   /* owned: parameter j's `label` list (one
                                       comma-separated name per value), or NULL */
    char          *text;            /* owned: the experiment file's whole text */
} sweep_spec;

/* Reads an experiment file. Errors (SIM_ESCENARIO, SIM_EIO) name the file, line and key. */
sim_status sweep_load(sweep_spec *sp, const char *path, sim_err *err);

/* The design's points (rows of *d, one column per parameter). */
sim_status sweep_plan(const sweep_spec *sp, design_t **d, sim_err *err);

const char *sweep_design_name(sweep_design d);

/* The overrides of design point `point`: the fixed ones, then "key=value" per parameter
 * (values printed so they read back exactly). Fills buf and ptr (cap entries each); returns
 * how many. */
int sweep_overrides(const sweep_spec *sp, const design_t *d, size_t point,
                    char (*buf)[SWEEP_KV_MAX], const char **ptr, int cap);

void sweep_free(sweep_spec *sp);   /* frees what sp owns; NULL is a no-op */

/* An experiment ready to run: its spec, design and task list. Task k is design point
 * k / replicates, replicate k % replicates. */
typedef struct sweep_job {
    sweep_spec sp;
    design_t  *d;
    uint64_t   tasks;   /* points x replicates */
    uint8_t   *done;    /* [tasks] 1 when the database already holds the task's done run */
    char      *spec;    /* experiment text + base scenario text: the sweep's identity */
} sweep_job;

/* Loads and plans the experiment and checks the scenario of every design point (so a bad
 * value stops the sweep before anything runs). On error j is freed. */
sim_status sweep_job_load(sweep_job *j, const char *file, sim_err *err);

/* Sets the replicates per point to n (sweep --replicates), instead of the experiment
 * file's: j->tasks and j->done follow (no task marked done yet). The sweep's identity (its
 * spec text and hash) does not change, so on a database that holds the sweep, the runs
 * there are kept and only the missing ones (replicates up to n - 1) run. Call before
 * sweep_job_prepare and before any worker is started. SIM_EUSAGE when n < 1 or points x n
 * exceeds SWEEP_TASKS_MAX; SIM_ENOMEM. */
sim_status sweep_job_set_replicates(sweep_job *j, int n, sim_err *err);

/* The scenario of design point p: base scenario, fixed overrides, the point's values.
 * Errors are prefixed with the experiment and point. The caller frees sc (scn_free). */
sim_status sweep_job_scenario(const sweep_job *j, size_t p, scenario *sc, sim_err *err);

/* Registers (or finds) the sweep in database db (the spec's hash identifies it), takes its
 * writer's lock (store_sweep_lock: SIM_EDB while another live process writes the sweep;
 * the caller drops it with store_sweep_unlock when done, or it ends with this process),
 * records its design points (sweep_params), deletes its unfinished runs (*removed of them)
 * and marks the done tasks in j->done. On error the lock is not held. */
sim_status sweep_job_prepare(sweep_job *j, const char *db, int64_t *sweep_id,
                             int64_t *removed, sim_err *err);

/* The varied parameters of design point p as a JSON object {"section.key": value, ...}
 * (values printed so they read back exactly), for runs.varied_json. malloc'd (the caller
 * frees); NULL when out of memory. */
char *sweep_job_varied_json(const sweep_job *j, size_t p);

/* The label of design point p (runs.label) into buf (n bytes): when some parameter has a
 * `label` list, each parameter's part joined by spaces: a labelled parameter's name for the
 * point's value, else "key=value" with the key abbreviated (query_key_abbrev) and the
 * value at 6 significant digits. NULL (buf untouched) when no parameter has labels: the
 * readers then label the point by its values (query_groups.h). */
const char *sweep_job_label(const sweep_job *j, size_t p, char *buf, size_t n);

void sweep_job_free(sweep_job *j);   /* NULL is a no-op */

#endif
