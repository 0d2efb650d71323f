/* sim/store/store.h - the SQLite results database. Prefix store_.
 *
 * Schema (docs/results.md): runs, metric_names, metric_rows and summary_rows (read through
 * the views metrics and summary, schema.h), events, sweeps, sweep_params, sensitivity, meta;
 * the schema version is PRAGMA user_version. The database is
 * opened in WAL mode; a run is registered as 'running' in its own short transaction, and its
 * results (metrics, summary, events) and final status are written in one transaction, so a
 * crash leaves either a complete run or a run marked 'running' without results, which the
 * next writer marks 'stale' once its process is gone (store_open). Run ids are never
 * reused (AUTOINCREMENT). */
#ifndef SIM_STORE_H
#define SIM_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "results.h"

typedef struct store store_t;

typedef struct store_run {
    const char *scenario_name;
    const char *scenario_text;   /* every file read, for provenance */
    const char *overrides;       /* --set overrides, one per line */
    const char *params_json;     /* the resolved scenario */
    uint64_t    seed;
    int64_t     sweep_id;        /* 0: not part of a sweep (NULL in the table) */
    int         replicate;
    int64_t     point;           /* design point of a sweep; -1: none (NULL) */
    const char *varied_json;     /* the point's varied parameters as a JSON object; NULL:
                                    none (a single run) */
    int         duplicate;       /* 1: a copy of an existing run stored on purpose (run
                                    --again): runs.duplicate, never pooled */
    const char *label;           /* the run group's label (run --label); NULL: none */
} store_run;

/* Opens (creating if needed) the database at path and its schema, writing the metric
 * registry into metric_names; an older database (version 2 or 3) is migrated to
 * SCSIM_SCHEMA_VERSION in one transaction. Marks the runs left 'running' by a process that
 * is gone as 'stale' (store_owner.h). SIM_EDB when it cannot be opened, is not an scsim
 * database, is of another version, or was written by a newer scsim (the message names both
 * versions). */
sim_status store_open(store_t **out, const char *path, sim_err *err);

/* Inserts a runs row with status 'running', started_at now and this process as its writer
 * (pid, host, start_token); *run_id is its id, never one an earlier run had. */
sim_status store_begin_run(store_t *db, const store_run *info, int64_t *run_id, sim_err *err);

/* The done single run (no sweep, not itself a duplicate) that info would repeat: the same
 * scenario hash (of info->params_json), overrides, seed and replicate; *run_id is its id, or
 * 0 when there is none. SIM_EDB on a read error. */
sim_status store_find_same(store_t *db, const store_run *info, int64_t *run_id, sim_err *err);

/* Makes the store_finish_run of run_id with status "done" delete run old_id (its metrics,
 * summary and events) in the same transaction (run --replace): the old run stays when the
 * new one does not finish. One replacement is remembered per store handle. */
void store_replace_on_finish(store_t *db, int64_t run_id, int64_t old_id);

/* In one transaction: every metric, summary row and event of res, and the run's status
 * ("done", "interrupted" or "failed"), finished_at and wall_seconds. On error nothing of
 * it is written. res may be NULL (status only). */
sim_status store_finish_run(store_t *db, int64_t run_id, const res_t *res,
                            const char *status, double wall_seconds, sim_err *err);

/* The sweeps row of experiment `name`: created with design, spec and the spec's hash
 * (sweeps.spec_hash, of the whole text), or found when a row of that name exists with the
 * same hash (a resumed sweep). SIM_EDB when the name exists with another spec (the
 * experiment file changed). */
sim_status store_sweep_open(store_t *db, const char *name, const char *design,
                            const char *spec, int64_t *sweep_id, sim_err *err);

/* Records the design (docs/results.md, sweep_params): for each point p < npoints and each
 * parameter k < nkeys, the row (sweep_id, p, keys[k], x[p * nkeys + k]), in one transaction;
 * rows already there (a resumed sweep) are kept. */
sim_status store_sweep_params(store_t *db, int64_t sweep_id, size_t npoints, size_t nkeys,
                              const char *const *keys, const double *x, sim_err *err);

/* Takes the writer's lock of sweep sweep_id (named `name` in messages): a sweep_locks row
 * with this process's id, host and start token (docs/sweeps.md). SIM_EDB, naming the
 * holder, while another live process (or one on another host) holds it; the lock of a
 * process that is gone is taken over. Held until store_sweep_unlock or the process ends. */
sim_status store_sweep_lock(store_t *db, int64_t sweep_id, const char *name, sim_err *err);

/* Drops this process's lock of sweep sweep_id (if it holds it). db NULL: a no-op. */
void store_sweep_unlock(store_t *db, int64_t sweep_id);

/* Resuming: deletes, in one transaction, every run of the sweep that is not 'done' (left
 * 'running' by a crash, 'failed' or 'interrupted') with its metrics, summary and events;
 * *removed counts them. */
sim_status store_sweep_reset(store_t *db, int64_t sweep_id, int64_t *removed, sim_err *err);

/* Marks done[point * replicates + replicate] = 1 for every 'done' run of the sweep (entries
 * outside 0..n-1 are ignored). */
sim_status store_sweep_done(store_t *db, int64_t sweep_id, int replicates, uint8_t *done,
                            uint64_t n, sim_err *err);

typedef struct store_sens_row {
    const char *parameter;   /* scenario key, or "" for a figure of the point itself */
    const char *measure;     /* S1, ST, mu, mu_star, sigma */
    double      value, lo, hi;   /* lo, hi: 95% interval, NaN when none (stored as NULL) */
} store_sens_row;

/* Replaces, in one transaction, the sensitivity rows of (sweep, metric, grp) by rows[0..n-1]. */
sim_status store_sensitivity(store_t *db, int64_t sweep_id, const char *metric,
                             const char *grp, const store_sens_row *rows, size_t n,
                             sim_err *err);

/* One row of the contrasts table (schema 6, docs/results.md): group `label` against the
 * reference `ref` for summary figure (metric, grp) over `pairs` paired runs; NaN values are
 * stored as NULL. ref_runs, runs: the run ids, comma-separated, in pair order. */
typedef struct store_contrast_row {
    const char *ref, *label, *metric, *grp;
    size_t      pairs;
    double      ref_mean, mean, diff, diff_lo, diff_hi, ratio, ratio_lo, ratio_hi;
    const char *ref_runs, *runs;
} store_contrast_row;

/* Writes rows[0..n-1] into contrasts in one transaction, each replacing the row of the same
 * (ref, label, metric, grp), with created_at now. */
sim_status store_contrasts(store_t *db, const store_contrast_row *rows, size_t n,
                           sim_err *err);

void store_close(store_t *db);   /* NULL is a no-op */

#endif
