/* sim/store/query.h - reading a results database: runs, summary figures, CSV export. Prefix
 * query_. The read side of sim/store (which only writes); opens databases read-only. */
#ifndef SIM_QUERY_H
#define SIM_QUERY_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"

typedef struct query query_t;

typedef struct query_run {
    int64_t run_id;
    char    scenario[64];
    char    status[16];
    char    overrides[256];   /* first line(s), shortened for display */
    int64_t seed;
    double  wall_seconds;     /* NaN when the run has not finished */
} query_run;

/* Opens path read-only. SIM_EIO when the file does not exist; SIM_EDB when it is not an
 * scsim results database (no schema version) or has a schema version other than 2 (read as
 * it is: metrics and summary are tables there) and SCSIM_SCHEMA_VERSION, e.g. a newer one. */
sim_status query_open(query_t **out, const char *path, sim_err *err);

/* The runs with the given ids (ids NULL: the last cap runs), in the order asked (else by
 * id), at most cap of them, into runs; *n is how many were found. SIM_EDB when an asked-for
 * id does not exist. */
sim_status query_runs(query_t *q, const int64_t *ids, int nids, query_run *runs, int cap,
                      int *n, sim_err *err);

/* A summary value of a run, or NaN when the run has no such row, the value is NULL, or
 * reading fails (a figure the caller shows as missing; no status to carry). */
double query_summary(query_t *q, int64_t run_id, const char *name, const char *grp);

/* Writes runs.csv, metrics.csv, summary.csv, events.csv and sweeps.csv into dir (which must
 * exist), each with a header row, values quoted as RFC 4180 wants. *rows counts the data
 * rows written. SIM_EIO naming the file on a write error. */
sim_status query_export_csv(query_t *q, const char *dir, uint64_t *rows, sim_err *err);

/* The value (name, grp) of every done run of sweep `sweep` — from the summary table when
 * step < 0, else the per-step metric at that step — into y[point * replicates + replicate]
 * (NaN where missing; y has n entries); *sweep_id its id. SIM_EDB when the database has no
 * sweep of that name. */
sim_status query_sweep_outputs(query_t *q, const char *sweep, const char *name,
                               const char *grp, int step, int replicates, double *y,
                               uint64_t n, int64_t *sweep_id, sim_err *err);

/* The size of sweep `sweep`: design points (1 + the largest point) and replicates (1 + the
 * largest replicate) among its runs, and its id. SIM_EDB when there is no such sweep or it
 * has no runs yet. */
sim_status query_sweep_shape(query_t *q, const char *sweep, int64_t *points, int *replicates,
                             int64_t *sweep_id, sim_err *err);

/* The overrides of a run of design point `point` of the sweep, into buf: "" when there are
 * none, no such run, or reading fails (used for labels only). */
void query_point_overrides(query_t *q, int64_t sweep_id, int64_t point, char *buf, size_t n);

/* The varied parameters of design point `point` of the sweep, read from sweep_params, as
 * "key=value" (value %.17g, as in the overrides) separated by spaces, into buf; returns how
 * many (0 when none are recorded: a database written before sweep_params). */
int query_point_varied(query_t *q, int64_t sweep_id, int64_t point, char *buf, size_t n);

void query_close(query_t *q);   /* NULL is a no-op */

#endif
