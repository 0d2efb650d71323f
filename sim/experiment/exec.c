/* sim/experiment/exec.c - the one sweep executor (exec.h): task list, registration, results,
 * progress; in this process or as the master of a link's workers. */
#include "exec.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "runner.h"

enum { MSG_READY = 1, MSG_DONE = 2 };

/* Worker -> master: this header, then packed results (status SIM_OK or SIM_EINTR) or the
 * error message (any other status). Master -> worker: one int64_t task, -1 to stop. */
typedef struct msg_head {
    int32_t kind, status;
    int64_t task;
    double  wall;
} msg_head;

typedef struct master {
    sweep_job       *j;
    const exec_opts *o;
    store_t         *db;
    int64_t          sweep_id;
    uint64_t         cursor;     /* next task to consider */
    exec_result     *res;
} master;

typedef struct flight { int64_t task, run_id; } flight;

static int stopped(const exec_opts *o) { return o->stop && *o->stop; }

/* The next pending task of the shard, or -1 (also once stopped). */
static int64_t next_task(master *m) {
    uint64_t n = (uint64_t)m->o->nshards, k = m->cursor;
    k += (n - k % n + (uint64_t)(m->o->shard - 1)) % n;   /* first task of the shard >= k */
    while (k < m->j->tasks && m->j->done[k]) k += n;
    if (stopped(m->o) || k >= m->j->tasks) return -1;
    m->cursor = k + 1;
    return (int64_t)k;
}

static size_t point_of(const sweep_job *j, uint64_t k) {
    return (size_t)(k / (uint64_t)j->sp.replicates);
}
static int replicate_of(const sweep_job *j, uint64_t k) {
    return (int)(k % (uint64_t)j->sp.replicates);
}

/* Registers task k's run: its scenario, design point and varied parameters. */
static sim_status register_task(master *m, int64_t k, int64_t *run_id, sim_err *err) {
    size_t p = point_of(m->j, (uint64_t)k);
    scenario sc;
    sim_status st = sweep_job_scenario(m->j, p, &sc, err);
    if (st != SIM_OK) return st;
    char *varied = sweep_job_varied_json(m->j, p), label[256];
    runner_reg reg = {m->sweep_id, replicate_of(m->j, (uint64_t)k), (int64_t)p, varied, 0,
                      sweep_job_label(m->j, p, label, sizeof label)};   /* NULL: none */
    st = varied ? runner_begin(m->db, &sc, &reg, run_id, err)
                : err_set(err, SIM_ENOMEM, "out of memory");
    free(varied);
    scn_free(&sc);
    return st;
}

/* Stores task k's end and reports a done run. */
static sim_status finish_task(master *m, int64_t k, int64_t run_id, sim_status run_st,
                              const res_t *r, double wall, int worker, sim_err *err) {
    sim_status st = runner_finish(m->db, run_id, run_st, r, wall, err);
    if (st != SIM_OK || run_st != SIM_OK) return st;
    m->res->done++;
    if (m->o->progress) {
        exec_event ev = {EXEC_RUN, m->sweep_id, m->j->tasks, 0, 0, (uint64_t)k,
                         point_of(m->j, (uint64_t)k), replicate_of(m->j, (uint64_t)k), run_id,
                         wall, worker};
        m->o->progress(m->o->ctx, &ev);
    }
    return SIM_OK;
}

/* Builds and runs task k; *s (the caller frees) holds what ran, *wall the step loop's time. */
static sim_status compute(const sweep_job *j, int64_t k, int threads,
                          volatile sig_atomic_t *stop, sim_t **s, double *wall, sim_err *err) {
    scenario sc;
    *s = NULL;
    *wall = 0;
    sim_status st = sweep_job_scenario(j, point_of(j, (uint64_t)k), &sc, err);
    if (st != SIM_OK) return st;
    sim_opts so = {(uint64_t)replicate_of(j, (uint64_t)k), threads, stop, NULL, NULL, 0};
    st = sim_new(s, &sc, &so, err);
    double start = omp_get_wtime();
    if (st == SIM_OK) st = sim_run(*s, err);
    *wall = omp_get_wtime() - start;
    scn_free(&sc);
    return st;
}

/* In this process: register, run, store, one task after the other. */
static sim_status run_here(master *m, sim_err *err) {
    sim_status st = SIM_OK;
    for (int64_t k; st == SIM_OK && (k = next_task(m)) >= 0;) {
        int64_t run_id = 0;
        if ((st = register_task(m, k, &run_id, err)) != SIM_OK) break;
        sim_t *s = NULL;
        double wall = 0;
        sim_status run_st = compute(m->j, k, m->o->threads, m->o->stop, &s, &wall, err);
        sim_err e2 = {{0}};
        st = finish_task(m, k, run_id, run_st, s ? sim_results(s) : NULL, wall, -1, &e2);
        if (run_st != SIM_OK) st = run_st;
        else if (st != SIM_OK) *err = e2;
        sim_free(s);
    }
    return st;
}

/* Master: a worker's message. A done task is stored; its error becomes the sweep's. */
static sim_status take_in(master *m, flight *f, int from, const void *buf, size_t len,
                          sim_err *err) {
    msg_head h;
    if (len < sizeof h) return err_set(err, SIM_ERUN, "worker %d: a message too short", from);
    memcpy(&h, buf, sizeof h);
    if (h.kind == MSG_READY) return SIM_OK;
    if (h.kind != MSG_DONE || h.task != f->task)
        return err_set(err, SIM_ERUN, "worker %d: an unexpected message", from);
    const char *body = (const char *)buf + sizeof h;
    size_t blen = len - sizeof h;
    sim_status run_st = (sim_status)h.status, st = SIM_OK;
    res_t *r = NULL;
    if ((run_st == SIM_OK || run_st == SIM_EINTR) &&
        (st = res_unpack(&r, body, blen, err)) != SIM_OK)
        run_st = st;
    else if (run_st != SIM_OK && run_st != SIM_EINTR)
        err_set(err, run_st, "worker %d, task %lld: %.*s", from, (long long)h.task, (int)blen,
                body);
    sim_err e2 = {{0}};
    st = finish_task(m, f->task, f->run_id, run_st, r, h.wall, from, &e2);
    res_free(r);
    f->task = -1;
    if (run_st != SIM_OK) return run_st;
    if (st != SIM_OK) *err = e2;
    return st;
}

/* Master: sends worker w its next task (registered first), or -1; returns 1 when sent a task. */
static int hand_out(master *m, const exec_link *link, flight *f, int w, int stopping,
                    sim_status *st, sim_err *err) {
    int64_t k = stopping ? -1 : next_task(m);
    if (k >= 0 && (*st = register_task(m, k, &f->run_id, err)) != SIM_OK) k = -1;
    f->task = k;
    sim_err e2 = {{0}};
    if (link->send(link->ctx, w, &k, sizeof k, &e2) != SIM_OK) {
        if (k >= 0) runner_finish(m->db, f->run_id, SIM_ERUN, NULL, 0, NULL);
        if (*st == SIM_OK) *st = SIM_ERUN, *err = e2;
        return f->task = -1, 0;
    }
    return k >= 0;
}

/* Master: a worker is gone; its run in flight is stored as failed. */
static void lost(master *m, flight *f) {
    if (f->task >= 0) runner_finish(m->db, f->run_id, SIM_ERUN, NULL, 0, NULL);
    f->task = -1;
}

static sim_status run_master(master *m, const exec_link *link, sim_err *err) {
    flight *fl = malloc((size_t)link->workers * sizeof *fl);
    if (!fl) return err_set(err, SIM_ENOMEM, "out of memory");
    for (int w = 0; w < link->workers; w++) fl[w] = (flight){-1, 0};
    sim_status first = SIM_OK;
    for (int active = link->workers; active > 0;) {
        void *buf = NULL;
        size_t len = 0;
        int from = -1;
        sim_err e = {{0}};
        sim_status st = link->recv(link->ctx, &from, &buf, &len, &e);
        if (st == SIM_OK && (from < 0 || from >= link->workers))
            st = err_set(&e, SIM_ERUN, "a message from no known worker (%d)", from);
        if (st == SIM_OK) st = take_in(m, &fl[from], from, buf, len, &e);
        free(buf);
        if (st != SIM_OK && first == SIM_OK) first = st, *err = e;
        if (from < 0 || from >= link->workers) break;   /* the link failed */
        if (st != SIM_OK) lost(m, &fl[from]);   /* its run (if any) is failed; it stops */
        if (!hand_out(m, link, &fl[from], from, first != SIM_OK, &st, &e)) {
            if (link->retire) link->retire(link->ctx, from);
            active--;
        }
        if (st != SIM_OK && first == SIM_OK) first = st, *err = e;
    }
    for (int w = 0; w < link->workers; w++) lost(m, &fl[w]);
    free(fl);
    return first;
}

/* When the sweep cannot start: tells every worker, as it reports ready, to stop. */
static void release(const exec_link *link) {
    for (int active = link->workers; active > 0; active--) {
        void *buf = NULL;
        size_t len = 0;
        int from = -1;
        int64_t stop = -1;
        sim_err e = {{0}};
        sim_status st = link->recv(link->ctx, &from, &buf, &len, &e);
        free(buf);
        if (from < 0 || from >= link->workers) return;
        if (st == SIM_OK) link->send(link->ctx, from, &stop, sizeof stop, &e);
        if (link->retire) link->retire(link->ctx, from);
    }
}

static void report_start(master *m, int64_t removed) {
    exec_event ev = {EXEC_START, m->sweep_id, m->j->tasks, m->res->pending, removed,
                     0, 0, 0, 0, 0, -1};
    if (m->o->progress) m->o->progress(m->o->ctx, &ev);
}

sim_status exec_run(sweep_job *j, const exec_opts *o, const exec_link *link,
                    exec_result *res, sim_err *err) {
    *res = (exec_result){0, 0, 0};
    master m = {j, o, NULL, 0, 0, res};
    int64_t removed = 0;
    sim_status st = SIM_OK;
    if (o->nshards < 1 || o->shard < 1 || o->shard > o->nshards)
        st = err_set(err, SIM_EUSAGE, "shard %d of %d: expected 1 <= shard <= shards",
                     o->shard, o->nshards);
    if (st == SIM_OK) st = sweep_job_prepare(j, o->db, &m.sweep_id, &removed, err);
    res->sweep_id = m.sweep_id;
    for (uint64_t k = (uint64_t)(o->shard - 1); st == SIM_OK && k < j->tasks;
         k += (uint64_t)o->nshards)
        res->pending += !j->done[k];
    if (st == SIM_OK) st = store_open(&m.db, o->db, err);
    if (st == SIM_OK) report_start(&m, removed);
    if (st == SIM_OK) st = link ? run_master(&m, link, err) : run_here(&m, err);
    else if (link) release(link);
    if (st == SIM_OK && stopped(o) && res->done < res->pending) st = SIM_EINTR;
    if (st == SIM_EINTR) err_set(err, SIM_EINTR, "sweep interrupted");
    if (m.sweep_id > 0) store_sweep_unlock(m.db, m.sweep_id);   /* taken by the prepare */
    store_close(m.db);
    return st;
}

/* Worker: the message for a finished task (header, then results or error text). */
static sim_status reply(const exec_link *link, int64_t k, sim_status st, sim_t *s, double wall,
                        const sim_err *run_err, sim_err *err) {
    void *packed = NULL;
    size_t plen = 0;
    sim_err pe = {{0}};
    if ((st == SIM_OK || st == SIM_EINTR) &&
        res_pack(sim_results(s), &packed, &plen, &pe) != SIM_OK) {
        st = SIM_ENOMEM, run_err = &pe;
    }
    const char *body = st == SIM_OK || st == SIM_EINTR ? packed : run_err->msg;
    size_t blen = st == SIM_OK || st == SIM_EINTR ? plen : strlen(run_err->msg);
    msg_head h = {MSG_DONE, (int32_t)st, k, wall};
    char *buf = malloc(sizeof h + blen + 1);
    sim_status sst = buf ? SIM_OK : err_set(err, SIM_ENOMEM, "out of memory");
    if (buf) {
        memcpy(buf, &h, sizeof h);
        if (blen) memcpy(buf + sizeof h, body, blen);
        sst = link->send(link->ctx, 0, buf, sizeof h + blen, err);
    }
    free(buf);
    free(packed);
    return sst;
}

sim_status exec_serve(const sweep_job *j, const exec_link *link, int threads,
                      volatile sig_atomic_t *stop, sim_err *err) {
    msg_head ready = {MSG_READY, 0, -1, 0};
    sim_status st = link->send(link->ctx, 0, &ready, sizeof ready, err);
    while (st == SIM_OK) {
        void *buf = NULL;
        size_t len = 0;
        int from = 0;
        int64_t k = -1;
        if ((st = link->recv(link->ctx, &from, &buf, &len, err)) != SIM_OK) break;
        if (len == sizeof k) memcpy(&k, buf, sizeof k);
        free(buf);
        if (k < 0 || (uint64_t)k >= j->tasks) break;
        sim_t *s = NULL;
        double wall = 0;
        sim_err run_err = {{0}};
        sim_status run_st = compute(j, k, threads, stop, &s, &wall, &run_err);
        st = reply(link, k, run_st, s, wall, &run_err, err);
        sim_free(s);
    }
    return st;
}
