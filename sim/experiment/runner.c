/* sim/experiment/runner.c - one run into a results database. */
#include "runner.h"

#include <omp.h>
#include <stdlib.h>

sim_status runner_begin(store_t *db, const scenario *sc, const runner_reg *reg,
                        int64_t *run_id, sim_err *err) {
    char *json = scn_to_json(sc);
    store_run info = {sc->name, sc->text, sc->overrides, json, sc->run.seed, reg->sweep_id,
                      reg->replicate, reg->point, reg->varied_json, reg->duplicate,
                      reg->label};
    sim_status st = json ? store_begin_run(db, &info, run_id, err)
                         : err_set(err, SIM_ENOMEM, "out of memory");
    free(json);
    return st;
}

sim_status runner_find_same(store_t *db, const scenario *sc, int64_t *run_id, sim_err *err) {
    char *json = scn_to_json(sc);
    store_run info = {sc->name, sc->text, sc->overrides, json, sc->run.seed, 0, 0, -1, NULL,
                      0, NULL};
    sim_status st = json ? store_find_same(db, &info, run_id, err)
                         : err_set(err, SIM_ENOMEM, "out of memory");
    free(json);
    return st;
}

sim_status runner_finish(store_t *db, int64_t run_id, sim_status run_st, const res_t *res,
                         double wall_seconds, sim_err *err) {
    int kept = run_st == SIM_OK || run_st == SIM_EINTR;
    const char *status = run_st == SIM_OK ? "done" : run_st == SIM_EINTR ? "interrupted"
                                                                          : "failed";
    sim_status st = store_finish_run(db, run_id, kept ? res : NULL, status, wall_seconds, err);
    if (st != SIM_OK && kept && res)   /* e.g. a full disk: at least the status, if it fits */
        store_finish_run(db, run_id, NULL, "failed", wall_seconds, NULL);
    return st;
}

sim_status runner_run(store_t *db, const scenario *sc, const runner_opts *o,
                      runner_result *res, sim_t **s_out, sim_err *err) {
    if (s_out) *s_out = NULL;
    runner_reg reg = {o->sweep_id, o->replicate, o->point, NULL, o->duplicate, o->label};
    sim_status st = runner_begin(db, sc, &reg, &res->run_id, err);
    if (st != SIM_OK) return st;
    if (o->replace_id > 0) store_replace_on_finish(db, res->run_id, o->replace_id);
    sim_t *s = NULL;
    double start = omp_get_wtime();
    st = sim_new(&s, sc, &o->sim, err);
    if (st == SIM_OK) {
        if (o->on_built) o->on_built(o->ctx, s);
        start = omp_get_wtime();
        st = sim_run(s, err);
    }
    res->wall_seconds = omp_get_wtime() - start;
    sim_err e2 = {{0}};
    sim_status st2 = runner_finish(db, res->run_id, st, s ? sim_results(s) : NULL,
                                   res->wall_seconds, &e2);
    if (st == SIM_OK && st2 != SIM_OK) st = st2, *err = e2;
    if (st == SIM_OK && s_out) *s_out = s;
    else sim_free(s);
    return st;
}
