/* sim/store/query.h - reading a results database: runs, summary figures, CSV export. Prefix
 * query_. The read side of sim/store (which only writes); opens databases read-only. */
#ifndef SIM_QUERY_H
#define SIM_QUERY_H

#include <stdint.h>
#include <sqlite3.h>
#include <stdio.h>

#include "err.h"

typedef struct query query_t;

/* What a reader accepts of a sweep's shape (the experiment file's limits: points 1 ..
 * 1,000,000, replicates 1 .. 100,000; and the cells points x replicates a summary holds in
 * memory, 80 MB per metric); larger values in a database are damage, refused (SIM_EDB). */
enum { QUERY_POINTS_MAX = 1000000, QUERY_REPLICATES_MAX = 100000, QUERY_CELLS_MAX = 10000000 };

typedef struct query_run {
    int64_t run_id;
    char    scenario[64];
    char    status[16];
    char    overrides[256];   /* first line(s), shortened for display */
    int64_t seed;
    double  wall_seconds;     /* NaN when the run has not finished */
    int     duplicate;        /* runs.duplicate (schema 5; 0 in older databases) */
    char    label[64];        /* runs.label, shortened; "" when none (or before schema 5) */
} query_run;

/* Opens path read-only. SIM_EIO when the file does not exist, is not a regular file or
 * cannot be read (the operating system's reason); SIM_EDB when it is not an SQLite database,
 * is damaged, empty, another program's database (no schema version) or has a schema version
 * other than 2 (read as it is: metrics and summary are tables there) and
 * SCSIM_SCHEMA_VERSION, e.g. a newer one. A WAL database on read-only media (SQLite cannot
 * create its -shm file) is opened as an immutable file when no -wal file holds changes, else
 * SIM_EIO says why. */
sim_status query_open(query_t **out, const char *path, sim_err *err);

/* The open database handle, borrowed (valid until query_close), for readers that run their
 * own SQL (plots, the brief): one handle, opened and checked as query_open does. */
sqlite3 *query_db(query_t *q);

/* The runs with the given ids (ids NULL: the last cap runs), in the order asked (else by
 * id), at most cap of them, into runs; *n is how many were found. SIM_EDB when an asked-for
 * id does not exist. */
sim_status query_runs(query_t *q, const int64_t *ids, int nids, query_run *runs, int cap,
                      int *n, sim_err *err);

/* A summary value of a run, or NaN when the run has no such row or the value is NULL (a
 * figure the caller shows as missing), or when reading fails: then query_status says so. */
double query_summary(query_t *q, int64_t run_id, const char *name, const char *grp);

/* Writes runs.csv, metrics.csv, summary.csv, events.csv and sweeps.csv into dir (which must
 * exist), and sweep_params.csv, sensitivity.csv, contrasts.csv and run_table.csv when the
 * database has those, each with a header row, values quoted as RFC 4180 wants. *rows counts the data
 * rows written. SIM_EIO naming the file on a write error. */
sim_status query_export_csv(query_t *q, const char *dir, uint64_t *rows, sim_err *err);

/* The tables query_export_csv writes, each as TABLE.csv, in order; *n how many. */
const char *const *query_export_tables(size_t *n);

/* The value (name, grp) of every done run of sweep `sweep` — from the summary table when
 * step < 0, else the per-step metric at that step — into y[point * replicates + replicate]
 * (NaN where missing; y has n entries); *sweep_id its id. SIM_EDB when the database has no
 * sweep of that name. */
sim_status query_sweep_outputs(query_t *q, const char *sweep, const char *name,
                               const char *grp, int step, int replicates, double *y,
                               uint64_t n, int64_t *sweep_id, sim_err *err);

/* The size of sweep `sweep`: design points (1 + the largest point) and replicates (1 + the
 * largest replicate) among its runs, and its id. SIM_EDB when there is no such sweep, it
 * has no runs yet, or a point or replicate is negative or beyond QUERY_POINTS_MAX,
 * QUERY_REPLICATES_MAX or QUERY_CELLS_MAX (a damaged or edited database). */
sim_status query_sweep_shape(query_t *q, const char *sweep, int64_t *points, int *replicates,
                             int64_t *sweep_id, sim_err *err);

/* The overrides of a run of design point `point` of the sweep, into buf: "" when there are
 * none, no such run, or reading fails (query_status). */
void query_point_overrides(query_t *q, int64_t sweep_id, int64_t point, char *buf, size_t n);

/* The varied parameters of design point `point` of the sweep, read from sweep_params, as
 * "key=value" (value %.6g, for display: 0.05, never 0.050000000000000003) separated by
 * spaces, into buf; returns how many (0 when none are recorded: a database written before
 * sweep_params). */
int query_point_varied(query_t *q, int64_t sweep_id, int64_t point, char *buf, size_t n);

/* The label of design point `point` of the sweep (runs.label of its first labelled run:
 * the experiment's `label` names, docs/sweeps.md) into buf; "" when none, or when reading
 * fails (query_status). */
void query_point_label(query_t *q, int64_t sweep_id, int64_t point, char *buf, size_t n);

/* SIM_OK, or SIM_EDB with the message of the first read that failed in query_summary,
 * query_point_overrides or query_point_varied since query_open (which return "nothing" then,
 * having no status of their own): a command that showed their values checks this before it
 * exits, so a damaged database never looks like missing values. */
sim_status query_status(const query_t *q, sim_err *err);

void query_close(query_t *q);   /* NULL is a no-op */

#endif
