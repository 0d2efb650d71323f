/* tests/test_tutorial.c - the analyst walkthrough docs/tutorial.md runs as written: every
 * sh and python block, in order (tests/tutorial.sh extracts them from the markdown, so the
 * text and the program cannot drift apart), then what the text promises exists: 12 done
 * runs under 3 labels, contrasts against "baseline", the CSV and the two figures. (Before:
 * no tutorial; compare, labels and scripts/scsim_read.py did not exist.) SCSIM names the
 * binary. */
#include "analyst.h"

static void test_tutorial_runs(void **state) {
    (void)state;
    char out[60000], cmd[600];
    snprintf(cmd, sizeof cmd, "bash tests/tutorial.sh docs/tutorial.md %s", an_scsim());
    int rc = an_sh(cmd, out, sizeof out);
    if (rc != 0) fail_msg("tests/tutorial.sh exited %d:\n%s", rc, out);
    assert_contains(out, "tutorial: 6 blocks run");
    assert_contains(out, "sweep mixups: 12 runs done");
    assert_contains(out, "4 contrasts stored in tutorial/mixups.db");
    assert_contains(out, "high      rate 0.1    runs 4");
    assert_contains(out, "timeseries  wrote tutorial/figs/timeseries.png");
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_tutorial_runs)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
