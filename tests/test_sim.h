/* tests/test_sim.h - one helper for engine tests: load a scenario from text (with --set
 * overrides), build the simulation and run it, failing the test with the library's message
 * at any step. Include after testutil.h in tests that link the engine. */
#ifndef SCSIM_TEST_SIM_H
#define SCSIM_TEST_SIM_H

#include "engine.h"
#include "scenario.h"

/* The finished run of scenario text (named name in messages); the caller frees it with
 * sim_free. */
static inline sim_t *test_sim_run(const char *name, const char *text,
                                  const char *const *sets, int nsets) {
    scenario sc;
    sim_err err = {{0}};
    if (scn_load_string(&sc, name, text, sets, nsets, &err) != SIM_OK)
        fail_msg("scenario: %s", err.msg);
    sim_t *s = NULL;
    if (sim_new(&s, &sc, NULL, &err) != SIM_OK) fail_msg("sim_new: %s", err.msg);
    scn_free(&sc);
    if (sim_run(s, &err) != SIM_OK) fail_msg("sim_run: %s", err.msg);
    return s;
}

#endif
