/* tests/testsim.h - a whole run from scenario text, for the tests of the engine's
 * mechanisms and metrics. Include after testutil.h. */
#ifndef TESTSIM_H
#define TESTSIM_H

#include "engine.h"
#include "scenario.h"

/* Loads text (with the overrides), builds the society and runs every step; fails the test
 * with the engine's message on any error. The caller frees the run with sim_free. */
static inline sim_t *run_text(const char *text, const char *const *sets, int nsets) {
    scenario sc;
    sim_err err = {{0}};
    if (scn_load_string(&sc, "test", text, sets, nsets, &err) != SIM_OK)
        fail_msg("scenario: %s", err.msg);
    sim_t *s = NULL;
    if (sim_new(&s, &sc, NULL, &err) != SIM_OK) fail_msg("sim_new: %s", err.msg);
    if (sim_run(s, &err) != SIM_OK) fail_msg("sim_run: %s", err.msg);
    scn_free(&sc);
    return s;
}

#endif
