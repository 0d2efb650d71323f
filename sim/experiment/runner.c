/* sim/experiment/runner.c - one run into a results database. */
#include "runner.h"

#include <omp.h>
#include <stdlib.h>

sim_status runner_run(store_t *db, const scenario *sc, const runner_opts *o,
                      runner_result *res, sim_t **s_out, sim_err *err) {
    if (s_out) *s_out = NULL;
    char *json = scn_to_json(sc);
    store_run info = {sc->name, sc->text, sc->overrides, json, sc->run.seed, o->sweep_id,
                      o->replicate, o->point};
    sim_status st = json ? store_begin_run(db, &info, &res->run_id, err)
                         : err_set(err, SIM_ENOMEM, "out of memory");
    free(json);
    if (st != SIM_OK) return st;
    sim_t *s = NULL;
    double start = omp_get_wtime();
    st = sim_new(&s, sc, &o->sim, err);
    if (st == SIM_OK) {
        if (o->on_built) o->on_built(o->ctx, s);
        start = omp_get_wtime();
        st = sim_run(s, err);
    }
    res->wall_seconds = omp_get_wtime() - start;
    const char *status = st == SIM_OK ? "done" : st == SIM_EINTR ? "interrupted" : "failed";
    sim_err e2 = {{0}};
    sim_status st2 = store_finish_run(db, res->run_id, st == SIM_OK || st == SIM_EINTR
                                      ? sim_results(s) : NULL, status, res->wall_seconds, &e2);
    if (st == SIM_OK && st2 != SIM_OK) st = st2, *err = e2;
    if (st == SIM_OK && s_out) *s_out = s;
    else sim_free(s);
    return st;
}
