/* sim/cli/cli_serve.c - `scsim serve`: the web explorer (sim/serve/serve.h) until Ctrl-C,
 * SIGTERM or SIGHUP. Prints the address on stdout (one line, flushed, so a script that
 * started it with --port 0 can read the port). */
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli_cmds.h"
#include "serve.h"

typedef struct serve_args {
    int port;
    const char *bind, *db, *scenarios;
    int max_persons, queue, threads;
    double max_memory;
} serve_args;

static const opt_spec SERVE_OPTS[] = {
    {.name = "port", .kind = OPT_INT, .metavar = "N", .lo = 0, .hi = 65535, .def = "8080",
     .off = offsetof(serve_args, port), .help = "TCP port (0: any free port, printed)"},
    {.name = "bind", .kind = OPT_STRING, .metavar = "ADDR", .def = "127.0.0.1",
     .off = offsetof(serve_args, bind),
     .help = "address to listen on; the default answers this machine only. Another address "
             "(e.g. 0.0.0.0) exposes the explorer, without authentication, to everyone who "
             "can reach it: they can start runs and read every stored run"},
    {.name = "db", .kind = OPT_PATH, .metavar = "DB", .def = "results/explorer.db",
     .off = offsetof(serve_args, db),
     .help = "the explorer database: every run is stored here like a `scsim run`"},
    {.name = "scenarios", .kind = OPT_PATH, .metavar = "DIR", .def = "scenarios",
     .off = offsetof(serve_args, scenarios),
     .help = "the folder of the scenario library (the explorer offers a fixed list of it)"},
    {.name = "max-persons", .kind = OPT_INT, .metavar = "N", .lo = 100, .hi = 100000000,
     .def = "200000", .off = offsetof(serve_args, max_persons),
     .help = "a run with more persons is refused"},
    {.name = "max-memory-gib", .kind = OPT_DOUBLE, .metavar = "GIB", .dlo = 0.001, .dhi = 1e6,
     .def = "2", .off = offsetof(serve_args, max_memory),
     .help = "a run whose estimated memory is above this is refused"},
    {.name = "queue", .kind = OPT_INT, .metavar = "N", .lo = 1, .hi = 64, .def = "8",
     .off = offsetof(serve_args, queue),
     .help = "runs that may wait while one runs (more are refused with 429)"},
    {.name = "threads", .kind = OPT_INT, .metavar = "N", .lo = 0, .hi = 1024, .def = "1",
     .off = offsetof(serve_args, threads),
     .help = "OpenMP threads per run (0: the scenario's run.threads, 0 = all cores); one "
             "keeps the server answering on a shared machine; results do not depend on it"},
};

const opt_cmd CLI_SERVE = {
    .name = "serve", .min_args = 0, .max_args = 0,
    .summary = "the web explorer: sliders, Run, paired results and figures in a browser",
    .about = "Serves a page and a JSON API (docs/explorer.md) on http://BIND:PORT/: pick a library\n"
             "scenario, change its settings, run it next to its reference under the same seed,\n"
             "see the headline numbers with their paired difference, time series, figures and\n"
             "the largest cascade. Runs wait in a bounded queue and run one at a time; each is\n"
             "stored in the explorer database with its scenario, overrides and seed, and the\n"
             "page shows the `scsim run` command that reproduces it. Stops on Ctrl-C (a running\n"
             "run is stored as interrupted).\n",
    .opts = SERVE_OPTS, .nopts = sizeof SERVE_OPTS / sizeof *SERVE_OPTS};

/* Waits for SIGINT, SIGTERM or SIGHUP (blocked in every thread, taken here). */
static void wait_signal(const sigset_t *set) {
    int sig = 0;
    sigwait(set, &sig);
}

sim_status cli_serve(int argc, char **argv, sim_err *err) {
    serve_args a = {0};
    opt_pos pos;
    sim_status st = opt_parse(&CLI_SERVE, argc, argv, &a, &pos, err);
    if (st != SIM_OK) return st;
    if (pos.help) { opt_help(&CLI_SERVE, stdout); return SIM_OK; }
    if (strcmp(a.db, "results/explorer.db") == 0 && (st = opt_make_dir("results", err)) != SIM_OK)
        return st;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT), sigaddset(&set, SIGTERM), sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);   /* the server's threads inherit the mask */
    signal(SIGPIPE, SIG_IGN);
    serve_opts o = {a.bind, a.port, a.db, a.scenarios, a.max_persons, a.max_memory, a.queue,
                    a.threads};
    serve_t *s = NULL;
    if ((st = serve_start(&s, &o, err)) != SIM_OK) return st;
    printf("scsim serve: http://%s%s%s:%d/ (database %s)%s; Ctrl-C stops\n",
           strchr(a.bind, ':') ? "[" : "", a.bind, strchr(a.bind, ':') ? "]" : "",
           serve_port(s), a.db, serve_loopback(s) ? "" : "; NOT loopback: reachable by others");
    fflush(stdout);
    wait_signal(&set);
    serve_stop(s);
    return SIM_OK;
}
