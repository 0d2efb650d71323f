/* sim/serve/serve_http.c - the HTTP side of the explorer: one libmicrohttpd handler that
 * reads a bounded request body, answers the embedded page files and the JSON API
 * (docs/explorer.md) from a fixed table of paths (no path from a client ever reaches the
 * file system), and answers everything else with a 4xx and a JSON error. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "serve_http.h"
#include "serve_impl.h"
#include "serve_www.h"

typedef struct request {
    char   body[SV_BODY_MAX + 1];
    size_t len;
    int    too_big;
} request;

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *type,
                            const void *data, size_t len, const char *disposition) {
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data: blob:; "
                            "style-src 'self'; script-src 'self'; frame-ancestors 'none'");
    if (code == 405) MHD_add_response_header(r, "Allow", "GET, HEAD, POST");
    if (disposition) MHD_add_response_header(r, "Content-Disposition", disposition);
    enum MHD_Result ok = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned code, json_t *o) {
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(8)) : NULL;
    json_decref(o);
    if (!text) return reply(c, 500, "application/json", "{\"error\":\"out of memory\"}", 25,
                           NULL);
    enum MHD_Result ok = reply(c, code, "application/json", text, strlen(text), NULL);
    free(text);
    return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned code, const char *msg) {
    return send_json(c, code, json_pack("{s:s,s:i}", "error", msg, "status", (int)code));
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned code, char *text) {
    if (!text) return send_error(c, 500, "out of memory");
    enum MHD_Result ok = reply(c, code, "application/json", text, strlen(text), NULL);
    free(text);
    return ok;
}

/* A positive decimal id of at most 15 digits at s, the rest after it in *rest; 0 if none. */
static int64_t parse_id(const char *s, const char **rest) {
    int64_t id = 0;
    int k = 0;
    for (; s[k] >= '0' && s[k] <= '9' && k < 15; k++) id = id * 10 + (s[k] - '0');
    *rest = s + k;
    return k > 0 && s[0] != '0' ? id : 0;
}

static enum MHD_Result job_get(serve_t *s, struct MHD_Connection *c, int64_t id) {
    char *text = sv_job_json(s, id);
    return text ? send_text(c, 200, text) : send_error(c, 404, "no such job");
}

static enum MHD_Result job_figure(serve_t *s, struct MHD_Connection *c, int64_t id,
                                  const char *file) {
    char name[32];
    const char *dot = strrchr(file, '.');
    if (!dot || dot - file >= (long)sizeof name || (strcmp(dot, ".svg") && strcmp(dot, ".png")))
        return send_error(c, 404, "no such figure (NAME.svg or NAME.png)");
    memcpy(name, file, (size_t)(dot - file));
    name[dot - file] = '\0';
    sv_request req;
    int64_t ref, var;
    int code = sv_job_done(s, id, &req, &ref, &var);
    if (code) return send_error(c, code, code == 404 ? "no such job" : "the job is not done");
    char *data = NULL, disp[96];
    size_t len = 0;
    sim_err err = {{0}};
    int png = strcmp(dot, ".png") == 0;
    code = sv_figure(s->o.db, s->tmpdir, name, png, ref, var, &data, &len, &err);
    if (code) return send_error(c, code, err.msg);
    snprintf(disp, sizeof disp, "inline; filename=\"scsim-%s-%lld.%s\"", name, (long long)id,
             png ? "png" : "svg");
    enum MHD_Result ok = reply(c, 200, png ? "image/png" : "image/svg+xml", data, len, disp);
    free(data);
    return ok;
}

static enum MHD_Result job_scenario(serve_t *s, struct MHD_Connection *c, int64_t id) {
    sv_request req;
    int64_t ref, var;
    int code = sv_job_done(s, id, &req, &ref, &var);
    if (code) return send_error(c, code, code == 404 ? "no such job" : "the job is not done");
    sim_err err = {{0}};
    char *text = sv_scenario_text(&s->libs[req.lib], &req, &err), disp[128];
    if (!text) return send_error(c, 500, err.msg);
    snprintf(disp, sizeof disp, "attachment; filename=\"%s-explorer-%lld.ini\"",
             strchr(s->libs[req.lib].name, '/') ? "platform" : s->libs[req.lib].name,
             (long long)id);
    enum MHD_Result ok = reply(c, 200, "text/plain; charset=utf-8", text, strlen(text), disp);
    free(text);
    return ok;
}

static enum MHD_Result job_cascade(serve_t *s, struct MHD_Connection *c, int64_t id) {
    sv_request req;
    int64_t ref, var;
    int code = sv_job_done(s, id, &req, &ref, &var);
    if (code) return send_error(c, code, code == 404 ? "no such job" : "the job is not done");
    sim_err err = {{0}};
    json_t *o = sv_cascade(s->o.db, var, &err);
    return o ? send_json(c, 200, o) : send_error(c, 500, err.msg);
}

/* GET /api/jobs/ID[/...]. */
static enum MHD_Result route_job(serve_t *s, struct MHD_Connection *c, const char *rest,
                                 int post) {
    const char *tail;
    int64_t id = parse_id(rest, &tail);
    if (id == 0) return send_error(c, 404, "no such job");
    if (post) {
        if (strcmp(tail, "/cancel") != 0) return send_error(c, 404, "not found");
        sim_err err = {{0}};
        int code = sv_cancel(s, id, &err);
        return code ? send_error(c, code, err.msg) : job_get(s, c, id);
    }
    if (*tail == '\0') return job_get(s, c, id);
    if (strcmp(tail, "/scenario.ini") == 0) return job_scenario(s, c, id);
    if (strcmp(tail, "/cascade") == 0) return job_cascade(s, c, id);
    if (strncmp(tail, "/figure/", 8) == 0) return job_figure(s, c, id, tail + 8);
    return send_error(c, 404, "not found");
}

static enum MHD_Result route_run(serve_t *s, struct MHD_Connection *c, const request *rq) {
    sv_request req;
    sim_err err = {{0}};
    int code = sv_request_parse(rq->body, rq->len, s->libs, s->nlibs, s->o.max_persons,
                                s->o.max_memory_gib, &req, &err);
    int64_t id = 0;
    if (!code) code = sv_submit(s, &req, &id, &err);
    if (code) return send_error(c, (unsigned)code, err.msg);
    char *text = sv_job_json(s, id);
    return text ? send_text(c, 202, text) : send_error(c, 500, "job lost");
}

static enum MHD_Result route_get(serve_t *s, struct MHD_Connection *c, const char *url) {
    if (strcmp(url, "/") == 0) url = "/index.html";
    for (const serve_file *f = serve_www_files; f->path; f++)
        if (strcmp(url, f->path) == 0) return reply(c, 200, f->type, f->data, f->len, NULL);
    if (strcmp(url, "/api/scenarios") == 0)
        return reply(c, 200, "application/json", s->catalogue, strlen(s->catalogue), NULL);
    if (strncmp(url, "/api/jobs/", 10) == 0) return route_job(s, c, url + 10, 0);
    if (strcmp(url, "/api/run") == 0) return send_error(c, 405, "POST /api/run starts a run");
    return send_error(c, 404, "not found");
}

/* The Host header names this server: on loopback only localhost names (against DNS
 * rebinding: a page of another site must not reach the API through a name of its own). */
static int host_ok(const serve_t *s, struct MHD_Connection *c) {
    if (!s->loopback) return 1;
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    if (!h) return 0;
    size_t n = strcspn(h, ":");
    if (h[0] == '[') n = strcspn(h, "]") + 1;
    return (n == 9 && strncasecmp(h, "localhost", 9) == 0) ||
           (n == 9 && strncmp(h, "127.0.0.1", 9) == 0) || (n == 5 && strncmp(h, "[::1]", 5) == 0);
}

static int is_json(struct MHD_Connection *c) {
    const char *t = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    return t && strncasecmp(t, "application/json", 16) == 0 && (t[16] == '\0' || t[16] == ';');
}

/* The first call of a request: method, host and declared length are checked at once. */
static enum MHD_Result first_call(serve_t *s, struct MHD_Connection *c, const char *method,
                                  void **con_cls) {
    int post = strcmp(method, "POST") == 0;
    if (!post && strcmp(method, "GET") && strcmp(method, "HEAD"))
        return send_error(c, 405, "method not allowed (GET, HEAD, POST)");
    if (!host_ok(s, c)) return send_error(c, 421, "this server answers to localhost only");
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl && (strlen(cl) > 9 || atol(cl) > SV_BODY_MAX))
        return send_error(c, 413, "request body too large (at most 16384 bytes)");
    if (post && !is_json(c))
        return send_error(c, 415, "POST bodies must be application/json");
    request *rq = calloc(1, sizeof *rq);
    if (!rq) return MHD_NO;
    *con_cls = rq;
    return MHD_YES;
}

enum MHD_Result sv_http_handler(void *cls, struct MHD_Connection *c, const char *url,
                                const char *method, const char *version,
                                const char *upload, size_t *upload_size, void **con_cls) {
    (void)version;
    serve_t *s = cls;
    request *rq = *con_cls;
    if (!rq) return first_call(s, c, method, con_cls);
    if (*upload_size > 0) {
        if (rq->len + *upload_size > SV_BODY_MAX) rq->too_big = 1;
        else memcpy(rq->body + rq->len, upload, *upload_size), rq->len += *upload_size;
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->too_big) return send_error(c, 413, "request body too large (at most 16384 bytes)");
    if (strcmp(method, "POST") != 0) {
        if (rq->len > 0) return send_error(c, 400, "a GET request has no body");
        return route_get(s, c, url);
    }
    if (strcmp(url, "/api/run") == 0) return route_run(s, c, rq);
    if (strncmp(url, "/api/jobs/", 10) == 0) return route_job(s, c, url + 10, 1);
    return send_error(c, strcmp(url, "/api/scenarios") == 0 ? 405 : 404,
                      "not found (POST /api/run or /api/jobs/ID/cancel)");
}

void sv_http_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                       enum MHD_RequestTerminationCode toe) {
    (void)cls, (void)c, (void)toe;
    free(*con_cls);
    *con_cls = NULL;
}
