/* sim/serve/serve.c - starting and stopping the explorer: the options, the library
 * scenarios and their catalogue (GET /api/scenarios), the database, the worker thread and
 * the libmicrohttpd daemon (one internal polling thread, a connection limit, a connection
 * timeout and a memory limit per connection). Contracts in serve.h. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "serve_http.h"
#include "serve_impl.h"
#include "version.h"

enum { CONNECTIONS_MAX = 256, CONNECTION_TIMEOUT_S = 15, CONNECTION_MEMORY = 65536 };

static const char *type_name(sv_type t) {
    return t == SV_BOOL ? "boolean" : t == SV_INT ? "integer" : "number";
}

static json_t *knob_json(const sv_knob *k) {
    return json_pack("{s:s,s:s,s:s,s:s,s:f,s:f,s:f,s:f,s:b}", "key", k->key, "label", k->label,
                     "group", k->group, "type", type_name(k->type), "min", k->lo, "max", k->hi,
                     "step", k->step, "value", k->value, "reference", k->reference);
}

static sim_status build_catalogue(serve_t *s, sim_err *err) {
    json_t *list = json_array();
    for (int i = 0; i < s->nlibs; i++) {
        json_t *knobs = json_array();
        for (int k = 0; k < s->libs[i].nknobs; k++)
            json_array_append_new(knobs, knob_json(&s->libs[i].knobs[k]));
        json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:o}", "name", s->libs[i].name,
                                              "file", s->libs[i].path, "summary",
                                              s->libs[i].summary, "knobs", knobs));
    }
    json_t *o = json_pack("{s:o,s:I,s:f,s:s,s:s}", "scenarios", list, "max_persons",
                          (json_int_t)s->o.max_persons, "max_memory_gib", s->o.max_memory_gib,
                          "version", SCSIM_VERSION, "database", s->o.db);
    s->catalogue = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
    json_decref(o);
    return s->catalogue ? SIM_OK : err_set(err, SIM_ENOMEM, "out of memory");
}

/* Every name of the fixed library list whose file exists in the scenarios folder. */
static sim_status load_libraries(serve_t *s, sim_err *err) {
    int n;
    const char *const *names = sv_library_names(&n);
    if (!(s->libs = calloc((size_t)n, sizeof *s->libs)))
        return err_set(err, SIM_ENOMEM, "out of memory");
    sim_err first = {{0}};
    for (int i = 0; i < n && s->nlibs < SV_LIB_MAX; i++) {
        char path[700];
        snprintf(path, sizeof path, "%s/%s.ini", s->o.scenarios, names[i]);
        if (access(path, R_OK) != 0) continue;
        sim_err e = {{0}};
        if (sv_lib_load(&s->libs[s->nlibs], s->o.scenarios, names[i], s->o.max_persons, &e) ==
            SIM_OK)
            s->nlibs++;
        else if (!first.msg[0]) first = e;
    }
    if (s->nlibs == 0)
        return err_set(err, SIM_EIO, "%.200s: no library scenario could be read (scsim serve "
                       "--scenarios DIR)%s%s", s->o.scenarios, first.msg[0] ? ": " : "",
                       first.msg);
    return build_catalogue(s, err);
}

static sim_status check_opts(const serve_opts *o, sim_err *err) {
    if (o->port < 0 || o->port > 65535)
        return err_set(err, SIM_EUSAGE, "port %d: must be 0 .. 65535", o->port);
    if (o->max_persons < 100 || o->max_persons > 100000000)
        return err_set(err, SIM_EUSAGE, "max persons %lld: must be 100 .. 100000000",
                       (long long)o->max_persons);
    if (o->queue < 1 || o->queue > SV_QUEUE_MAX)
        return err_set(err, SIM_EUSAGE, "queue %d: must be 1 .. %d", o->queue, SV_QUEUE_MAX);
    if (!(o->max_memory_gib > 0))
        return err_set(err, SIM_EUSAGE, "max memory must be above 0 GiB");
    if (!o->bind || !o->db || !o->scenarios || strlen(o->bind) >= 64 ||
        strlen(o->db) >= 600 || strlen(o->scenarios) >= 600)
        return err_set(err, SIM_EUSAGE, "bind address, database and scenarios folder are "
                       "required (and short)");
    return SIM_OK;
}

typedef union addr {
    struct sockaddr sa;
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
} addr;

static sim_status parse_bind(serve_t *s, addr *a, sim_err *err) {
    memset(a, 0, sizeof *a);
    if (inet_pton(AF_INET, s->bind, &a->v4.sin_addr) == 1) {
        a->v4.sin_family = AF_INET;
        a->v4.sin_port = htons((uint16_t)s->o.port);
        s->loopback = (ntohl(a->v4.sin_addr.s_addr) >> 24) == 127;
        return SIM_OK;
    }
    if (inet_pton(AF_INET6, s->bind, &a->v6.sin6_addr) == 1) {
        a->v6.sin6_family = AF_INET6;
        a->v6.sin6_port = htons((uint16_t)s->o.port);
        s->loopback = IN6_IS_ADDR_LOOPBACK(&a->v6.sin6_addr);
        return SIM_OK;
    }
    return err_set(err, SIM_EUSAGE, "--bind %.60s: not an IPv4 or IPv6 address", s->bind);
}

/* Paths are matched as they arrive: nothing is unescaped (no %00 or %2e%2e tricks; every
 * path the API knows is plain ASCII). Returns the length of s, unchanged. */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s) {
    (void)cls, (void)c;
    return strlen(s);
}

static sim_status start_http(serve_t *s, sim_err *err) {
    addr a;
    sim_status st = parse_bind(s, &a, err);
    if (st != SIM_OK) return st;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
                     (a.sa.sa_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    s->mhd = MHD_start_daemon(flags, (uint16_t)s->o.port, NULL, NULL, sv_http_handler, s,
                              MHD_OPTION_SOCK_ADDR, &a.sa,
                              MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTIONS_MAX,
                              MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT_S,
                              MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
                              MHD_OPTION_NOTIFY_COMPLETED, sv_http_completed, s,
                              MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
                              MHD_OPTION_END);
    if (!s->mhd)
        return err_set(err, SIM_EIO, "cannot listen on %s port %d (in use, or not an address "
                       "of this machine?)", s->bind, s->o.port);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : s->o.port;
    return SIM_OK;
}

sim_status serve_start(serve_t **out, const serve_opts *o, sim_err *err) {
    *out = NULL;
    sim_status st = check_opts(o, err);
    if (st != SIM_OK) return st;
    serve_t *s = calloc(1, sizeof *s);
    if (!s) return err_set(err, SIM_ENOMEM, "out of memory");
    s->o = *o;
    snprintf(s->bind, sizeof s->bind, "%s", o->bind);
    snprintf(s->db, sizeof s->db, "%s", o->db);
    snprintf(s->scenarios, sizeof s->scenarios, "%s", o->scenarios);
    s->o.bind = s->bind, s->o.db = s->db, s->o.scenarios = s->scenarios;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    snprintf(s->tmpdir, sizeof s->tmpdir, "/tmp/scsim-serve.XXXXXX");
    if (!mkdtemp(s->tmpdir)) {
        s->tmpdir[0] = '\0';
        st = err_set(err, SIM_EIO, "cannot create a temporary folder for figures");
    }
    if (st == SIM_OK) st = load_libraries(s, err);
    if (st == SIM_OK) st = store_open(&s->store, s->db, err);
    if (st == SIM_OK) st = sv_worker_start(s, err);
    if (st == SIM_OK) st = start_http(s, err);
    if (st != SIM_OK) { serve_stop(s); return st; }
    *out = s;
    return SIM_OK;
}

int serve_port(const serve_t *s) { return s->port; }

int serve_loopback(const serve_t *s) { return s->loopback; }

void serve_stop(serve_t *s) {
    if (!s) return;
    if (s->mhd) MHD_stop_daemon(s->mhd);
    sv_worker_stop(s);
    store_close(s->store);
    if (s->tmpdir[0]) rmdir(s->tmpdir);
    free(s->libs);
    free(s->catalogue);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
