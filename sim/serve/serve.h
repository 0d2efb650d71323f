/* sim/serve/serve.h - `scsim serve`: the web explorer. An HTTP server (libmicrohttpd, one
 * internal polling thread, a connection limit and timeouts) that serves the embedded page
 * (sim/serve/www/) and a small JSON API (jansson; docs/explorer.md), and one worker thread
 * that works off a bounded queue of runs, one at a time. A run is a library scenario chosen
 * by name from a fixed list, with the API's settings applied as `--set` overrides through
 * the scenario loader (the same validation and messages as `scsim run`), run next to its
 * reference (the same scenario, persons, steps and seed without the settings: common random
 * numbers) and stored in the explorer database through the runner, like `scsim run`. Prefix
 * serve_. The library never prints and never exits. */
#ifndef SIM_SERVE_H
#define SIM_SERVE_H

#include <stdint.h>

#include "err.h"

typedef struct serve serve_t;

typedef struct serve_opts {
    const char *bind;          /* IPv4 or IPv6 address to listen on, e.g. "127.0.0.1" */
    int         port;          /* 0 .. 65535; 0: any free port (serve_port tells which) */
    const char *db;            /* the explorer database (created when missing) */
    const char *scenarios;     /* the folder of the scenario library, e.g. "scenarios" */
    int64_t     max_persons;   /* the persons cap of a run, 100 .. 10^8 */
    double      max_memory_gib;/* a run estimated above this is refused, > 0 */
    int         queue;         /* runs that may wait, 1 .. 64 */
    int         threads;       /* OpenMP threads of a run, 0: the scenario's run.threads */
} serve_opts;

/* Opens the database, reads the library scenarios that exist in o->scenarios, starts the
 * worker and the HTTP server. Returns SIM_OK with *out running; SIM_EUSAGE for a bad address
 * or option, SIM_EIO when the port cannot be bound or no library scenario can be read,
 * SIM_EDB for the database, SIM_ENOMEM. On error *out is NULL and nothing keeps running.
 * Strings of o are copied. */
sim_status serve_start(serve_t **out, const serve_opts *o, sim_err *err);

/* The port the server listens on (the bound one when o->port was 0). */
int serve_port(const serve_t *s);

/* Whether the server listens on a loopback address only. */
int serve_loopback(const serve_t *s);

/* Stops the server: no new connections, the running run is cancelled (stored as
 * 'interrupted'), the waiting ones dropped, then the threads are joined and everything
 * freed. NULL is a no-op. */
void serve_stop(serve_t *s);

#endif
