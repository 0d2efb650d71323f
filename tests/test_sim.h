/* tests/test_sim.h - one helper for engine tests: load a scenario from text (with --set
 * overrides), build the simulation and run it, failing the test with the library's message
 * at any step. Include after testutil.h in tests that link the engine. */
#ifndef SCSIM_TEST_SIM_H
#define SCSIM_TEST_SIM_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

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

/* The scsim binary: $SCSIM (scripts/run-tests.sh sets it), else build/scsim. */
static inline const char *test_scsim(void) {
    const char *p = getenv("SCSIM");
    return p ? p : "build/scsim";
}

/* Runs `scsim run` (the binary test_scsim) on
 * a bad scenario file: it must exit 3 with a message naming at_line (file:line) and key. Its
 * output goes to build/TAG.out, its database to build/TAG-bad.db (nothing is written). */
static inline void test_expect_exit3(const char *tag, const char *path, const char *at_line,
                                     const char *key) {
    char cmd[1200], outp[256], out[4096] = "";
    snprintf(outp, sizeof outp, "build/%s.out", tag);
    snprintf(cmd, sizeof cmd, "%s run %s --out build/%s-bad.db > %s 2>&1", test_scsim(), path,
             tag, outp);
    int rc = system(cmd);
    FILE *f = fopen(outp, "r");
    size_t n = f ? fread(out, 1, sizeof out - 1, f) : 0;
    if (f) fclose(f);
    out[n] = 0;
    if (!WIFEXITED(rc) || WEXITSTATUS(rc) != 3) fail_msg("%s: exit %d: %s", path, rc, out);
    assert_contains(out, at_line);
    assert_contains(out, key);
}

#endif
