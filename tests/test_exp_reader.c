/* tests/test_exp_reader.c - experiment files get the scenario files' reader and checks
 * (issue 15, defect 5; the cases of /work/shared/repro/exp): a line over the limit is an
 * error naming its own line, never cut and read on as a new line; a key given twice in one
 * section is refused; NUL, 0xFF and other bytes a text file cannot hold are refused; a
 * UTF-8 byte order mark is skipped. Runs from the repository root (build/ is private to
 * this run, scripts/run-tests.sh). */
#include "testutil.h"

#include "sweep.h"

static const char *const HEAD =
    "[experiment]\nname = fault-grid\nscenario = ../scenarios/points-spillover.ini\n"
    "design = grid\nreplicates = 2\n";
static const char *const PARAMS =
    "\n[param.error]\nkey = agency.civility.false_record\nvalues = 0, 0.003, 0.006\n"
    "\n[param.spillover]\nkey = spillover.social_points.weight\nvalues = 0, 3\n";

/* Writes head, middle and the two parameters (the repro files' 3 x 2 grid) to path. */
static void write_exp(const char *path, const char *head, const char *middle, size_t mlen) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(head, f);
    fwrite(middle, 1, mlen, f);
    fputs(PARAMS, f);
    fclose(f);
}

/* Loads path, expecting failure with a message that contains each of want[0..n-1]. */
static void expect_refused(const char *path, const char *const *want, int n) {
    sweep_spec sp;
    sim_err err = {{0}};
    assert_int_equal(sweep_load(&sp, path, &err), SIM_ESCENARIO);
    for (int i = 0; i < n; i++) assert_contains(err.msg, want[i]);
}

/* A comment of 213 characters whose tail reads "replicates = 7": refused at line 7 (the
 * reader once cut it at 199 and read the tail as a key: 7 replicates, 42 runs). */
static void test_long_comment(void **state) {
    (void)state;
    char line[400];
    memset(line, 'x', sizeof line);
    line[0] = '\n', line[1] = ';', line[2] = ' ';
    int n = 3 + 197;
    n += snprintf(line + n, sizeof line - (size_t)n, "replicates = 7\n");
    write_exp("build/exp-longcomment.ini", HEAD, line, (size_t)n);
    const char *want[] = {"build/exp-longcomment.ini:7: line is 213 characters long",
                          "the limit is 199"};
    expect_refused("build/exp-longcomment.ini", want, 2);
}

/* The same in [set]: "population.persons = 1999" must not reach the runs. */
static void test_long_comment_in_set(void **state) {
    (void)state;
    char mid[500];
    int n = snprintf(mid, sizeof mid, "\n[set]\npopulation.persons = 2000\n; ");
    memset(mid + n, 'x', 197);
    n += 197;
    n += snprintf(mid + n, sizeof mid - (size_t)n, "population.persons = 1999\n");
    write_exp("build/exp-longset.ini", HEAD, mid, (size_t)n);
    const char *want[] = {"build/exp-longset.ini:9: line is 224 characters long"};
    expect_refused("build/exp-longset.ini", want, 1);
}

/* A values list of 407 characters on line 13 (the message once said line 14 and "cannot
 * parse this line"). */
static void test_long_values_line_number(void **state) {
    (void)state;
    FILE *f = fopen("build/exp-longvalues.ini", "w");
    assert_non_null(f);
    fprintf(f, "%s\n[set]\npopulation.persons = 20000\nrun.steps = 100\n\n[param.error]\n"
            "key = agency.civility.false_record\nvalues = 0.000000", HEAD);
    for (int i = 1; i < 40; i++) fprintf(f, ", %.6f", i * 0.0001);
    fprintf(f, "\n\n[param.spillover]\nkey = spillover.social_points.weight\nvalues = 0, 3\n");
    fclose(f);
    const char *want[] = {"build/exp-longvalues.ini:13: line is 407 characters long"};
    expect_refused("build/exp-longvalues.ini", want, 1);
}

/* replicates given twice (2, then 9): refused naming both lines (was: last one wins). */
static void test_duplicate_key(void **state) {
    (void)state;
    write_exp("build/exp-dup.ini", HEAD, "replicates = 9\n", 15);
    const char *want[] = {"build/exp-dup.ini:6: [experiment] replicates: duplicate key "
                          "(also set on line 5 of this file)"};
    expect_refused("build/exp-dup.ini", want, 1);
    /* the same for [set] and [param.NAME] keys */
    write_exp("build/exp-dup2.ini", HEAD, "[set]\nrun.steps = 3\nrun.steps = 4\n", 34);
    const char *want2[] = {"build/exp-dup2.ini:8: [set] run.steps: duplicate key (also set "
                           "on line 7"};
    expect_refused("build/exp-dup2.ini", want2, 1);
    write_exp("build/exp-dup3.ini", HEAD, "", 0);
    FILE *f = fopen("build/exp-dup3.ini", "a");
    fputs("values = 1, 2\n", f);
    fclose(f);
    const char *want3[] = {"build/exp-dup3.ini:14: [param.spillover] values: duplicate key"};
    expect_refused("build/exp-dup3.ini", want3, 1);
    /* one key in two sections, and a repeated section header, are not repeats */
    const char *mid = "[set]\nrun.steps = 3\n[experiment]\nseed = 4\n";
    write_exp("build/exp-nodup.ini", HEAD, mid, strlen(mid));
    sweep_spec sp;
    sim_err err = {{0}};
    assert_int_equal(sweep_load(&sp, "build/exp-nodup.ini", &err), SIM_OK);
    assert_int_equal(sp.replicates, 2);
    assert_int_equal((int)sp.seed, 4);
    sweep_free(&sp);
}

/* "design = grid<NUL>junk<0xFF>", and 0xFF alone: refused (was: accepted as grid). */
static void test_binary_bytes(void **state) {
    (void)state;
    const char nul[] = "[experiment]\nname = fault-grid\nscenario = x.ini\n"
                       "design = grid\0junk\xff\n";
    FILE *f = fopen("build/exp-nul.ini", "wb");
    fwrite(nul, 1, sizeof nul - 1, f);
    fputs(PARAMS, f);
    fclose(f);
    const char *want[] = {"build/exp-nul.ini:4: NUL byte at column 14"};
    expect_refused("build/exp-nul.ini", want, 1);
    write_exp("build/exp-ff.ini", "[experiment]\nname = fault\xff\n", "", 0);
    const char *want2[] = {"build/exp-ff.ini:2: invalid UTF-8 (byte 0xff) at column 13"};
    expect_refused("build/exp-ff.ini", want2, 1);
    write_exp("build/exp-esc.ini", "[experiment]\nname = a\x1b[31m\n", "", 0);
    const char *want3[] = {"build/exp-esc.ini:2: control character 0x1b at column 9"};
    expect_refused("build/exp-esc.ini", want3, 1);
}

/* A UTF-8 byte order mark before line 1 is skipped, as in scenario files. */
static void test_bom(void **state) {
    (void)state;
    char head[300];
    snprintf(head, sizeof head, "\xEF\xBB\xBF%s", HEAD);
    write_exp("build/exp-bom.ini", head, "", 0);
    sweep_spec sp;
    sim_err err = {{0}};
    assert_int_equal(sweep_load(&sp, "build/exp-bom.ini", &err), SIM_OK);
    assert_string_equal(sp.name, "fault-grid");
    assert_int_equal((int)sp.space.k, 2);
    sweep_free(&sp);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_comment),
        cmocka_unit_test(test_long_comment_in_set),
        cmocka_unit_test(test_long_values_line_number),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_binary_bytes),
        cmocka_unit_test(test_bom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
