/* sim/serve/serve_impl.h - shared by the files of sim/serve/ (not exported): the library
 * table and its settings ("knobs", serve_knobs.c), the jobs and the queue (serve_queue.c),
 * the answers read from the database (serve_result.c) and the HTTP side (serve_http.c).
 * Prefix sv_. */
#ifndef SIM_SERVE_IMPL_H
#define SIM_SERVE_IMPL_H

#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "scenario.h"
#include "serve.h"
#include "store.h"

enum {
    SV_BODY_MAX = 16384,   /* bytes of a request body */
    SV_KNOBS_MAX = 64,     /* settings offered for one scenario */
    SV_KEY_MAX = 96,       /* "section.name.key" */
    SV_SET_MAX = 128,      /* "section.name.key=value" */
    SV_LIB_MAX = 24,       /* library scenarios */
    SV_JOBS_MAX = 64,      /* jobs remembered (the oldest finished one is recycled) */
    SV_QUEUE_MAX = 64
};

typedef enum sv_type { SV_NUM, SV_INT, SV_BOOL } sv_type;

/* One setting the API accepts for a scenario: a scenario key and its explorer range. */
typedef struct sv_knob {
    char    key[SV_KEY_MAX];     /* the --set key, e.g. "agency.courts.false_record" */
    char    label[96];           /* for the page */
    const char *group;           /* the page's heading: "Society and run", ... */
    sv_type type;
    double  lo, hi, step;        /* the accepted range (within the key table's) */
    double  value;               /* the scenario's own value (the reference's) */
    int     reference;           /* 1: also applied to the reference run (persons, steps,
                                    seed), so that the two runs are paired */
} sv_knob;

/* A library scenario the explorer offers. */
typedef struct sv_lib {
    const char *name;            /* from the fixed table, e.g. "baseline" */
    char    path[600];           /* scenarios folder + "/" + name + ".ini" */
    char    summary[256];        /* from its header comment */
    sv_knob knobs[SV_KNOBS_MAX];
    int     nknobs;
} sv_lib;

/* The fixed list of scenario names (relative to the scenarios folder, without ".ini") the
 * explorer may offer; *n their number. Static data. */
const char *const *sv_library_names(int *n);

/* Reads the library scenario into lib (path, summary, the knobs of its declared sections,
 * each with the scenario's value). SIM_OK, or the loader's status with err set. */
sim_status sv_lib_load(sv_lib *lib, const char *dir, const char *name, int64_t max_persons,
                       sim_err *err);

/* A validated run request: the library scenario and its overrides in knob order. */
typedef struct sv_request {
    int  lib;                    /* index into the server's libraries */
    int  nsets;
    int  nref;                   /* the first nref of sets apply to the reference too */
    char sets[SV_KNOBS_MAX][SV_SET_MAX];
} sv_request;

/* Checks a request body {"scenario": NAME, "settings": {KEY: VALUE, ...}} against the
 * libraries and fills req. Returns 0, or the HTTP status to answer (400 malformed or an
 * unknown key or a value out of range, 422 a run refused: over the persons cap or the
 * memory estimate) with err set. The scenario is loaded with the overrides and checked
 * (sim_check) as `scsim run` would. */
int sv_request_parse(const char *body, size_t len, const sv_lib *libs, int nlibs,
                     int64_t max_persons, double max_memory_gib, sv_request *req,
                     sim_err *err);

/* Loads lib with the first n overrides of req (strict, as `scsim run --set`). */
sim_status sv_load(const sv_lib *lib, const sv_request *req, int n, scenario *sc,
                   sim_err *err);

/* The command that reproduces the variant run of req, into a new string. */
char *sv_command(const sv_lib *lib, const sv_request *req);

typedef enum sv_state { SV_QUEUED, SV_RUNNING, SV_DONE, SV_FAILED, SV_CANCELLED } sv_state;

typedef struct sv_job {
    int64_t    id;               /* 0: a free slot */
    sv_state   state;
    sv_request req;
    volatile sig_atomic_t stop;  /* set to cancel (the engine's stop flag) */
    int        phase;            /* 0 reference, 1 variant */
    int        step, steps;      /* progress of the phase */
    int64_t    ref_id, var_id;   /* run ids once stored */
    double     wall;             /* seconds from start to the numbers */
    char      *result;           /* the result object (JSON text) when done; owned */
    char       error[ERR_MSG_MAX];
} sv_job;

/* The server: what both threads share is guarded by mu. */
struct serve {
    serve_opts o;                /* strings point into the buffers below */
    char    bind[64], db[600], scenarios[600], tmpdir[64];
    int     port, loopback;
    sv_lib *libs;                /* [nlibs] */
    int     nlibs;
    char   *catalogue;           /* GET /api/scenarios, JSON text */
    struct MHD_Daemon *mhd;
    pthread_t worker;
    int     worker_started;
    pthread_mutex_t mu;
    pthread_cond_t  cv;
    int     quit;
    sv_job  jobs[SV_JOBS_MAX];
    int64_t next_id;
    int64_t queue[SV_QUEUE_MAX]; /* ids of queued jobs, oldest first */
    int     qlen;
    store_t *store;              /* the worker's connection */
};

/* Starts / stops the worker thread. */
sim_status sv_worker_start(serve_t *s, sim_err *err);
void sv_worker_stop(serve_t *s);

/* Queues req; *id is its job. Returns 0, or 429 when the queue is full (err set). */
int sv_submit(serve_t *s, const sv_request *req, int64_t *id, sim_err *err);

/* The job as a JSON object (state, progress, result when done); NULL when there is no such
 * job. The caller frees the string. */
char *sv_job_json(serve_t *s, int64_t id);

/* Cancels a queued or running job. Returns 0, or 404 (no such job), 409 (already over). */
int sv_cancel(serve_t *s, int64_t id, sim_err *err);

/* A copy of the job's request and run ids when it is done; 0, or 404/409. */
int sv_job_done(serve_t *s, int64_t id, sv_request *req, int64_t *ref, int64_t *var);

/* The result object of runs ref and var of db: headline numbers with paired differences,
 * time series. A new JSON object, or NULL with err set. */
json_t *sv_result(const char *db, int64_t ref, int64_t var, sim_err *err);

/* The largest spillover cascade of run run_id: nodes with positions (a radial tree),
 * the tie layer and step of each listing, the root's cause. A new JSON object or NULL. */
json_t *sv_cascade(const char *db, int64_t run_id, sim_err *err);

/* Figure name (a standard figure of plots/figures.h, from a fixed list) of runs ref and
 * var, rendered by the plotting layer as SVG (png 0) or PNG (png 1) into a new buffer.
 * Returns 0, or 404 for a name not in the list, 500 with err set. */
int sv_figure(const char *db, const char *tmpdir, const char *name, int png, int64_t ref,
              int64_t var, char **data, size_t *len, sim_err *err);

/* The resolved scenario of the job's variant (scn_write) into a new string, or NULL. */
char *sv_scenario_text(const sv_lib *lib, const sv_request *req, sim_err *err);

#endif
