/* tests/test_serve.c - the explorer library's contract (sim/serve/serve.h): it starts on a
 * free loopback port and says so, refuses bad options, a bad address, a port in use and a
 * folder without library scenarios with the documented status, and stops cleanly. The HTTP
 * behaviour is tested end to end by tests/test_serve_hostile.py and test_serve_browser.py. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "serve.h"
#include "serve_impl.h"

static serve_opts opts(const char *db) {
    serve_opts o = {"127.0.0.1", 0, db, "scenarios", 200000, 2.0, 8, 1};
    return o;
}

static void remove_db(const char *db) {
    char p[256];
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", db, suffix[i]);
        unlink(p);
    }
}

static void test_starts_on_a_free_port(void **state) {
    (void)state;
    const char *db = "build/test_serve_start.db";
    remove_db(db);
    serve_opts o = opts(db);
    serve_t *s = NULL, *t = NULL;
    sim_err err = {{0}};
    assert_int_equal(serve_start(&s, &o, &err), SIM_OK);
    assert_true(serve_port(s) > 0 && serve_port(s) <= 65535);
    assert_int_equal(serve_loopback(s), 1);
    o.port = serve_port(s);   /* the same port again: in use */
    assert_int_equal(serve_start(&t, &o, &err), SIM_EIO);
    assert_null(t);
    assert_non_null(strstr(err.msg, "cannot listen"));
    serve_stop(s);
    assert_int_equal(access(db, F_OK), 0);   /* the database was created */
    remove_db(db);
}

static void test_refuses_bad_options(void **state) {
    (void)state;
    serve_t *s = NULL;
    sim_err err = {{0}};
    serve_opts o = opts("build/test_serve_bad.db");
    o.bind = "999.1.1.1";
    assert_int_equal(serve_start(&s, &o, &err), SIM_EUSAGE);
    assert_non_null(strstr(err.msg, "not an IPv4 or IPv6 address"));
    o = opts("build/test_serve_bad.db");
    o.port = 70000;
    assert_int_equal(serve_start(&s, &o, &err), SIM_EUSAGE);
    o = opts("build/test_serve_bad.db");
    o.max_persons = 10;
    assert_int_equal(serve_start(&s, &o, &err), SIM_EUSAGE);
    o = opts("build/test_serve_bad.db");
    o.queue = 0;
    assert_int_equal(serve_start(&s, &o, &err), SIM_EUSAGE);
    o = opts("build/test_serve_bad.db");
    o.scenarios = "tests";   /* no library scenario there */
    assert_int_equal(serve_start(&s, &o, &err), SIM_EIO);
    assert_non_null(strstr(err.msg, "no library scenario"));
    assert_null(s);
    serve_stop(NULL);
    remove_db("build/test_serve_bad.db");
}

/* A request body against the baseline library entry with the given persons cap. */
static int parse(const char *body, int64_t cap, sv_request *req, sim_err *err) {
    static sv_lib lib;
    sim_err e = {{0}};
    assert_int_equal(sv_lib_load(&lib, "scenarios", "baseline", 200000, &e), SIM_OK);
    return sv_request_parse(body, strlen(body), &lib, 1, cap, 2.0, req, err);
}

/* Settings become --set overrides in knob order, the reference's (persons, steps, seed)
 * first; the loader's own messages come back for values it refuses. */
static void test_request_to_overrides(void **state) {
    (void)state;
    sv_request req;
    sim_err err = {{0}};
    assert_int_equal(parse("{\"scenario\":\"baseline\",\"settings\":{\"spillover.partners."
                           "beta\":0.3,\"run.seed\":7,\"population.persons\":2000}}",
                           200000, &req, &err), 0);
    assert_int_equal(req.nsets, 3);
    assert_int_equal(req.nref, 2);
    assert_string_equal(req.sets[0], "population.persons=2000");
    assert_string_equal(req.sets[1], "run.seed=7");
    assert_string_equal(req.sets[2], "spillover.partners.beta=0.3");
    assert_int_equal(parse("{\"scenario\":\"baseline\",\"settings\":{\"redress.fairness\":2}}",
                           200000, &req, &err), 400);
    assert_non_null(strstr(err.msg, "fairness: 2 is out of range (allowed: number 0 .. 1)"));
    assert_int_equal(parse("{\"scenario\":\"baseline\",\"settings\":{\"redress.fairnes\":0}}",
                           200000, &req, &err), 400);
    assert_non_null(strstr(err.msg, "did you mean redress.fairness"));
}

/* The cap holds for the scenario's own persons too, when the request does not give any. */
static void test_cap_without_persons(void **state) {
    (void)state;
    sv_request req;
    sim_err err = {{0}};
    assert_int_equal(parse("{\"scenario\":\"baseline\"}", 5000, &req, &err), 422);
    assert_non_null(strstr(err.msg, "above this server's cap of 5000"));
    assert_int_equal(parse("{\"scenario\":\"baseline\",\"settings\":{\"population.persons\":"
                           "6000}}", 5000, &req, &err), 422);
    assert_int_equal(parse("{\"scenario\":\"baseline\",\"settings\":{\"population.persons\":"
                           "4000}}", 5000, &req, &err), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_starts_on_a_free_port),
        cmocka_unit_test(test_refuses_bad_options),
        cmocka_unit_test(test_request_to_overrides),
        cmocka_unit_test(test_cap_without_persons),
    };
    return cmocka_run_group_tests_name("serve", tests, NULL, NULL);
}
