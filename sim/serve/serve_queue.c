/* sim/serve/serve_queue.c - the explorer's jobs: a bounded queue worked off by one worker
 * thread, one run pair at a time (the reference, then the variant), with progress and
 * cancel through the engine's progress callback and stop flag. Each run is stored through
 * the runner like `scsim run`; a run the database already holds (same scenario, overrides
 * and seed, status done) is not run again but read back. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runner.h"
#include "serve_impl.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static sv_job *find_job(serve_t *s, int64_t id) {
    for (int i = 0; i < SV_JOBS_MAX; i++)
        if (id > 0 && s->jobs[i].id == id) return &s->jobs[i];
    return NULL;
}

typedef struct progress_ctx {
    serve_t *s;
    sv_job *j;
} progress_ctx;

static void on_progress(void *ctx, int step, int steps) {
    progress_ctx *p = ctx;
    pthread_mutex_lock(&p->s->mu);
    p->j->step = step, p->j->steps = steps;
    pthread_mutex_unlock(&p->s->mu);
}

/* Runs (or finds) one run of lib with the first n overrides of req into the database. */
static sim_status one_run(serve_t *s, sv_job *j, const sv_request *req, int n, int phase,
                          int64_t *id, sim_err *err) {
    scenario sc;
    sim_status st = sv_load(&s->libs[req->lib], req, n, &sc, err);
    if (st != SIM_OK) return st;
    pthread_mutex_lock(&s->mu);
    j->phase = phase, j->step = 0, j->steps = sc.run.steps;
    pthread_mutex_unlock(&s->mu);
    int64_t same = 0;
    st = runner_find_same(s->store, &sc, &same, err);
    if (st == SIM_OK && same > 0) {
        *id = same;
        on_progress(&(progress_ctx){s, j}, sc.run.steps, sc.run.steps);
    } else if (st == SIM_OK) {
        progress_ctx pc = {s, j};
        runner_opts o = {{0, s->o.threads, &j->stop, on_progress, &pc, 0}, 0, 0, -1, NULL, NULL,
                         NULL, 0, 0};
        runner_result rr = {0, 0};
        st = runner_run(s->store, &sc, &o, &rr, NULL, err);
        *id = rr.run_id;
    }
    scn_free(&sc);
    return st;
}

/* The result object with what reproduces it. */
static char *result_text(serve_t *s, const sv_request *req, int64_t ref, int64_t var,
                         double wall, sim_err *err) {
    json_t *r = sv_result(s->o.db, ref, var, err);
    if (!r) return NULL;
    const sv_lib *lib = &s->libs[req->lib];
    json_t *sets = json_array();
    for (int i = 0; i < req->nsets; i++) json_array_append_new(sets, json_string(req->sets[i]));
    char *cmd = sv_command(lib, req);
    json_object_set_new(r, "scenario", json_string(lib->name));
    json_object_set_new(r, "overrides", sets);
    json_object_set_new(r, "reference_overrides", json_integer(req->nref));
    json_object_set_new(r, "command", cmd ? json_string(cmd) : json_null());
    json_object_set_new(r, "database", json_string(s->o.db));
    json_object_set_new(r, "wall_seconds", json_real(wall));
    free(cmd);
    char *text = json_dumps(r, JSON_COMPACT);
    json_decref(r);
    if (!text) err_set(err, SIM_ENOMEM, "out of memory writing the result");
    return text;
}

static void run_job(serve_t *s, sv_job *j, const sv_request *req) {
    sim_err err = {{0}};
    double t0 = now();
    int64_t ref = 0, var = 0;
    sim_status st = one_run(s, j, req, req->nref, 0, &ref, &err);
    if (st == SIM_OK) st = one_run(s, j, req, req->nsets, 1, &var, &err);
    char *text = NULL;
    if (st == SIM_OK && !(text = result_text(s, req, ref, var, now() - t0, &err)))
        st = SIM_EDB;
    pthread_mutex_lock(&s->mu);
    j->ref_id = ref, j->var_id = var, j->wall = now() - t0;
    j->result = text;
    j->state = st == SIM_OK ? SV_DONE : st == SIM_EINTR ? SV_CANCELLED : SV_FAILED;
    if (st == SIM_EINTR) snprintf(j->error, sizeof j->error, "cancelled");
    else if (st != SIM_OK) snprintf(j->error, sizeof j->error, "%s", err.msg);
    pthread_mutex_unlock(&s->mu);
}

static void *worker(void *arg) {
    serve_t *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->quit && s->qlen == 0) pthread_cond_wait(&s->cv, &s->mu);
        if (s->quit) break;
        sv_job *j = find_job(s, s->queue[0]);
        memmove(s->queue, s->queue + 1, (size_t)--s->qlen * sizeof *s->queue);
        if (!j || j->state != SV_QUEUED) continue;
        j->state = SV_RUNNING;
        sv_request req = j->req;
        pthread_mutex_unlock(&s->mu);
        run_job(s, j, &req);   /* a running job's slot is never recycled */
        pthread_mutex_lock(&s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

sim_status sv_worker_start(serve_t *s, sim_err *err) {
    if (pthread_create(&s->worker, NULL, worker, s) != 0)
        return err_set(err, SIM_ENOMEM, "cannot start the run worker thread");
    s->worker_started = 1;
    return SIM_OK;
}

void sv_worker_stop(serve_t *s) {
    if (!s->worker_started) return;
    pthread_mutex_lock(&s->mu);
    s->quit = 1;
    for (int i = 0; i < SV_JOBS_MAX; i++) s->jobs[i].stop = 1;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->worker, NULL);
    s->worker_started = 0;
    for (int i = 0; i < SV_JOBS_MAX; i++) free(s->jobs[i].result);
}

/* A free slot, or the oldest finished job's (its result freed). Called with mu held. */
static sv_job *free_slot(serve_t *s) {
    sv_job *old = NULL;
    for (int i = 0; i < SV_JOBS_MAX; i++) {
        sv_job *j = &s->jobs[i];
        if (j->id == 0) return j;
        if (j->state >= SV_DONE && (!old || j->id < old->id)) old = j;
    }
    if (old) free(old->result);
    return old;
}

int sv_submit(serve_t *s, const sv_request *req, int64_t *id, sim_err *err) {
    pthread_mutex_lock(&s->mu);
    sv_job *j = s->qlen < s->o.queue ? free_slot(s) : NULL;
    if (!j) {
        pthread_mutex_unlock(&s->mu);
        err_set(err, SIM_ERUN, "the run queue is full (%d waiting): try again when a run "
                "has finished", s->qlen);
        return 429;
    }
    memset(j, 0, sizeof *j);
    j->id = *id = ++s->next_id;
    j->state = SV_QUEUED;
    j->req = *req;
    s->queue[s->qlen++] = j->id;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return 0;
}

static const char *state_name(sv_state st) {
    static const char *const names[] = {"queued", "running", "done", "failed", "cancelled"};
    return names[st];
}

/* The job as JSON; called with mu held. */
static json_t *job_object(serve_t *s, const sv_job *j) {
    json_t *o = json_object();
    json_object_set_new(o, "job", json_integer(j->id));
    json_object_set_new(o, "state", json_string(state_name(j->state)));
    json_object_set_new(o, "scenario", json_string(s->libs[j->req.lib].name));
    int queued = 0;
    for (int i = 0; i < s->qlen && s->queue[i] != j->id; i++) queued++;
    if (j->state == SV_QUEUED) json_object_set_new(o, "ahead", json_integer(queued));
    json_object_set_new(o, "phase", json_string(j->phase ? "variant" : "reference"));
    json_object_set_new(o, "step", json_integer(j->step));
    json_object_set_new(o, "steps", json_integer(j->steps));
    if (j->state == SV_FAILED || j->state == SV_CANCELLED)
        json_object_set_new(o, "error", json_string(j->error));
    if (j->state == SV_DONE && j->result)
        json_object_set_new(o, "result", json_loads(j->result, 0, NULL));
    return o;
}

char *sv_job_json(serve_t *s, int64_t id) {
    pthread_mutex_lock(&s->mu);
    sv_job *j = find_job(s, id);
    json_t *o = j ? job_object(s, j) : NULL;
    pthread_mutex_unlock(&s->mu);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return text;
}

int sv_cancel(serve_t *s, int64_t id, sim_err *err) {
    pthread_mutex_lock(&s->mu);
    sv_job *j = find_job(s, id);
    int code = !j ? 404 : j->state >= SV_DONE ? 409 : 0;
    if (code == 0 && j->state == SV_QUEUED) {
        j->state = SV_CANCELLED;
        snprintf(j->error, sizeof j->error, "cancelled before it started");
    } else if (code == 0) {
        j->stop = 1;
    }
    pthread_mutex_unlock(&s->mu);
    if (code == 404) err_set(err, SIM_EUSAGE, "no job %lld", (long long)id);
    if (code == 409) err_set(err, SIM_EUSAGE, "job %lld is already over", (long long)id);
    return code;
}

int sv_job_done(serve_t *s, int64_t id, sv_request *req, int64_t *ref, int64_t *var) {
    pthread_mutex_lock(&s->mu);
    sv_job *j = find_job(s, id);
    int code = !j ? 404 : j->state != SV_DONE ? 409 : 0;
    if (code == 0) *req = j->req, *ref = j->ref_id, *var = j->var_id;
    pthread_mutex_unlock(&s->mu);
    return code;
}
