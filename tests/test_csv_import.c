/* tests/test_csv_import.c - the CSV edge-list importer (net_read_csv, sim/society/net_csv.c)
 * against hostile input (issue 15, defect 6; /work/shared/repro/csv): a device such as
 * /dev/zero is refused at once (it was an endless loop), a file of NUL bytes and a NUL
 * inside a line are refused naming file and line (they were read as an empty layer and as
 * "0,1"), fields shown in messages are escaped (no ESC or bidirectional control reaches the
 * terminal), a UTF-8 byte order mark is skipped, and the stop flag ends a long read with
 * SIM_EINTR. The end-to-end part runs build/scsim (SCSIM) on /dev/zero. Runs from the
 * repository root, with a private build/ (scripts/run-tests.sh). */
#include "testutil.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net.h"

/* Writes n bytes of data to build/NAME and returns the path (static storage). */
static const char *put(const char *name, const char *data, size_t n) {
    static char path[8][128];
    static int k;
    k = (k + 1) % 8;
    snprintf(path[k], sizeof path[k], "build/%s", name);
    FILE *f = fopen(path[k], "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
    return path[k];
}

/* Reads path as an undirected layer of 6 agents; expects st and, in the message, want. */
static void expect(const char *path, sim_status st, const char *want) {
    net_t *g = NULL;
    sim_err err = {{0}};
    assert_int_equal(net_read_csv(&g, path, 6, 0, 6, 0, NULL, &err), st);
    assert_null(g);
    assert_contains(err.msg, want);
    for (const char *p = err.msg; *p; p++)   /* nothing that steers a terminal */
        if ((unsigned char)*p < 0x20 || *p == 0x7f) fail_msg("control byte in \"%s\"", err.msg);
    assert_null(strstr(err.msg, "\xE2\x80\xAE"));
}

/* A device is refused before anything is read (was: an endless loop on /dev/zero). */
static void test_device_refused(void **state) {
    (void)state;
    alarm(20);   /* before the fix this never returned: fail rather than hang */
    expect("/dev/zero", SIM_ESCENARIO, "edge list /dev/zero is not a regular file");
    expect("build", SIM_ESCENARIO, "is not a regular file");
    alarm(0);
}

/* 4 MB of NUL bytes (a sparse file): refused at line 1 (was: an empty layer, accepted). */
static void test_nul_file_refused(void **state) {
    (void)state;
    const char *path = put("zeros.csv", "", 0);
    assert_int_equal(truncate(path, 4 << 20), 0);
    expect(path, SIM_ESCENARIO, "build/zeros.csv:1: NUL byte at column 1");
}

/* "0,1<NUL> this tail is ignored,junk,junk" (the repro file): refused naming line and
 * column (was: read as 0,1). */
static void test_nul_in_line_refused(void **state) {
    (void)state;
    const char data[] = "0,1\0 this tail is ignored,junk,junk\n1,2\n";
    const char *path = put("nul_in_line.csv", data, sizeof data - 1);
    expect(path, SIM_ESCENARIO, "build/nul_in_line.csv:1: NUL byte at column 4");
}

/* Control bytes are refused by position, never echoed; a bidirectional override inside a
 * field (valid UTF-8, so not refused as binary) is shown escaped. */
static void test_no_raw_bytes_in_messages(void **state) {
    (void)state;
    const char esc[] = "0,1\n\x1b[2J\x1b]0;pwned\x07,3\n";
    expect(put("esc.csv", esc, sizeof esc - 1), SIM_ESCENARIO,
           "build/esc.csv:2: control character 0x1b at column 1");
    const char rlo[] = "0,1\n\xE2\x80\xAE" "12,3\n";
    expect(put("rlo.csv", rlo, sizeof rlo - 1), SIM_ESCENARIO,
           "build/rlo.csv:2: source \"\\u202E12\" is not a non-negative integer id");
    const char bad[] = "0,1\n2,\xff\xfe\n";
    expect(put("ff.csv", bad, sizeof bad - 1), SIM_ESCENARIO,
           "build/ff.csv:2: invalid UTF-8 (byte 0xff) at column 3");
}

/* A byte order mark before the header is skipped (was: 'source "<U+FEFF>source" is not a
 * non-negative integer id'); only on line 1. CRLF line ends are fine. */
static void test_bom_skipped(void **state) {
    (void)state;
    const char bom[] = "\xEF\xBB\xBFsource,target\r\n0,1\r\n2,3\r\n";
    net_t *g = NULL;
    net_stats st;
    sim_err err = {{0}};
    assert_int_equal(net_read_csv(&g, put("bom.csv", bom, sizeof bom - 1), 6, 0, 6, 0, &st,
                                  &err), SIM_OK);
    assert_int_equal(st.lines, 2);
    assert_int_equal(g->m, 4);
    net_free(g);
    const char late[] = "0,1\n\xEF\xBB\xBF" "2,3\n";
    expect(put("bom2.csv", late, sizeof late - 1), SIM_ESCENARIO, "build/bom2.csv:2: source");
}

/* Line length: 1024 bytes are fine, 1025 are refused with the line's number, also when the
 * line spans two of the reader's chunks. */
static void test_line_limit(void **state) {
    (void)state;
    size_t n = 70000;
    char *data = malloc(n + 2000);
    size_t k = 0;
    while (k < 65530) k += (size_t)sprintf(data + k, "0,1\n");   /* 16383 lines */
    memset(data + k, ' ', 1021);
    memcpy(data + k + 1021, "1,2\n", 4);   /* line 16384: 1024 bytes, across the chunk edge */
    k += 1025;
    net_t *g = NULL;
    sim_err err = {{0}};
    net_stats st;
    assert_int_equal(net_read_csv(&g, put("long.csv", data, k), 6, 0, 6, 0, &st, &err), SIM_OK);
    assert_int_equal(st.lines, 16384);
    net_free(g);
    memset(data + k, ' ', 1022);
    memcpy(data + k + 1022, "1,2\n", 4);
    expect(put("long2.csv", data, k + 1026), SIM_ESCENARIO,
           "build/long2.csv:16385: line longer than 1024 characters");
    free(data);
}

/* The stop flag ends the read with SIM_EINTR and no layer. */
static void test_stop_flag(void **state) {
    (void)state;
    const char data[] = "0,1\n1,2\n";
    const char *path = put("stop.csv", data, sizeof data - 1);
    volatile sig_atomic_t stop = 1;
    net_t *g = NULL;
    sim_err err = {{0}};
    assert_int_equal(net_read_csv_stop(&g, path, 6, 0, 6, 0, &stop, NULL, &err), SIM_EINTR);
    assert_null(g);
    assert_contains(err.msg, "interrupted");
    stop = 0;
    assert_int_equal(net_read_csv_stop(&g, path, 6, 0, 6, 0, &stop, NULL, &err), SIM_OK);
    net_free(g);
}

/* net_check_csv reads as net_read_csv does, keeping nothing; net_csv_range gives the
 * members the engine reads a layer against (persons; firms after the persons; all). */
static void test_check_only(void **state) {
    (void)state;
    const char data[] = "source,target\n0,1\n# a comment\n\n4,5\n";
    const char *path = put("check.csv", data, sizeof data - 1);
    uint64_t lines = 9;
    sim_err err = {{0}};
    assert_int_equal(net_check_csv(path, 6, NULL, &lines, &err), SIM_OK);
    assert_int_equal(lines, 2);
    assert_int_equal(net_check_csv(path, 5, NULL, &lines, &err), SIM_ESCENARIO);
    assert_contains(err.msg, "build/check.csv:5: target id 5 is out of range");
    assert_int_equal(net_check_csv("/dev/zero", 5, NULL, &lines, &err), SIM_ESCENARIO);
    scenario sc;
    const char *ov[] = {"population.persons=1000", "population.firms_per_person=0.05"};
    assert_int_equal(scn_load_string(&sc, "r.ini", "[run]\nsteps = 2\n", ov, 2, &err), SIM_OK);
    uint32_t n, first, count;
    net_csv_range(&sc, LAYER_SOCIAL, &n, &first, &count);
    assert_true(n == 1050 && first == 0 && count == 1000);
    net_csv_range(&sc, LAYER_PARTNER, &n, &first, &count);
    assert_true(first == 1000 && count == 50);
    net_csv_range(&sc, LAYER_EMPLOYMENT, &n, &first, &count);
    assert_true(first == 0 && count == 1050);
    scn_free(&sc);
}

/* End to end: `scsim run` with layer.social.file=/dev/zero ends with exit 3 naming the
 * file, well within 20 s (was: only SIGKILL stopped it). */
static void test_cli_dev_zero(void **state) {
    (void)state;
    const char *scsim = getenv("SCSIM") ? getenv("SCSIM") : "build/scsim";
    char cmd[700];
    snprintf(cmd, sizeof cmd, "timeout -k 3 20 %s run scenarios/baseline.ini --quiet --steps 2 "
             "--threads 1 --set population.persons=2000 --set layer.social.generator=csv "
             "--set layer.social.file=/dev/zero --out build/zero.db 2>build/zero.err", scsim);
    int rc = system(cmd);
    assert_true(WIFEXITED(rc));
    assert_int_equal(WEXITSTATUS(rc), 3);
    char *msg = test_slurp("build/zero.err");
    assert_non_null(msg);
    assert_contains(msg, "/dev/zero is not a regular file");
    free(msg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_device_refused),
        cmocka_unit_test(test_nul_file_refused),
        cmocka_unit_test(test_nul_in_line_refused),
        cmocka_unit_test(test_no_raw_bytes_in_messages),
        cmocka_unit_test(test_bom_skipped),
        cmocka_unit_test(test_line_limit),
        cmocka_unit_test(test_stop_flag),
        cmocka_unit_test(test_check_only),
        cmocka_unit_test(test_cli_dev_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
