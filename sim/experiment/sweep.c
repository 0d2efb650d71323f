/* sim/experiment/sweep.c - experiment files and their designs. */
#include "sweep.h"

#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "query_groups.h"
#include "scn_ini.h"

enum { LINE_MAX_LEN = 400 };

/* Parameter specs collected while reading, turned into the design space at the end. */
typedef struct pspec {
    char   name[32], key[64], dist[16];
    double lo, hi, step, mean, sd;
    int    has_lo, has_hi, has_step, has_mean, has_sd, nvalues, line;
    double values[64];
    char   labels[LINE_MAX_LEN];   /* `label`: one name per value, comma-separated */
    int    nlabels;
} pspec;

typedef struct reader {
    sweep_spec *sp;
    scn_ini     ini;   /* the shared line reader over the whole file */
    scn_ini_seen seen; /* keys given so far, for refusing one given twice */
    int         line;
    pspec       p[DESIGN_MAX_PARAMS];
    int         np;
    sim_err    *err;
    sim_status  st;
} reader;

/* inih's reader: the shared line reader (scn_ini.c); a refused line is an error naming the
 * file and line. */
static char *read_line(char *buf, int n, void *stream) {
    reader *r = stream;
    if (r->st != SIM_OK) return NULL;
    char *line = scn_ini_next(buf, n, &r->ini);
    r->line = r->ini.line;
    if (!line && r->ini.why[0])
        r->st = err_set(r->err, SIM_ESCENARIO, "%s:%d: %s", r->sp->path, r->line, r->ini.why);
    return line;
}

static int fail(reader *r, const char *sec, const char *key, const char *fmt, const char *v) {
    char msg[300];
    snprintf(msg, sizeof msg, fmt, v);
    r->st = err_set(r->err, SIM_ESCENARIO, "%s:%d: [%s] %s: %s", r->sp->path, r->line, sec,
                    key, msg);
    return 0;
}

static int read_num(reader *r, const char *sec, const char *key, const char *v, double *out) {
    char *end;
    errno = 0;
    *out = strtod(v, &end);
    if (end == v || *end || errno || !isfinite(*out))
        return fail(r, sec, key, "\"%s\" is not a finite number", v);
    return 1;
}

static int read_int(reader *r, const char *sec, const char *key, const char *v, long lo,
                    long hi, int *out) {
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (end == v || *end || errno || x < lo || x > hi) {
        char msg[64];
        snprintf(msg, sizeof msg, "\"%%s\" is not an integer %ld .. %ld", lo, hi);
        return fail(r, sec, key, msg, v);
    }
    *out = (int)x;
    return 1;
}

static int experiment_key(reader *r, const char *k, const char *v) {
    sweep_spec *sp = r->sp;
    static const char *const designs[] = {"grid", "lhs", "sobol", "saltelli", "morris"};
    if (!strcmp(k, "name")) return snprintf(sp->name, sizeof sp->name, "%s", v), 1;
    if (!strcmp(k, "scenario")) {
        const char *slash = strrchr(sp->path, '/');
        int dir = slash ? (int)(slash - sp->path) + 1 : 0;
        snprintf(sp->scenario, sizeof sp->scenario, "%.*s%s", v[0] == '/' ? 0 : dir, sp->path, v);
        return 1;
    }
    if (!strcmp(k, "design")) {
        for (int d = 0; d < 5; d++)
            if (!strcmp(v, designs[d])) return sp->design = (sweep_design)d, 1;
        return fail(r, "experiment", k, "\"%s\" is not a design (grid, lhs, sobol, saltelli, "
                    "morris)", v);
    }
    if (!strcmp(k, "points")) return read_int(r, "experiment", k, v, 1, 1000000, &sp->points);
    if (!strcmp(k, "levels")) return read_int(r, "experiment", k, v, 2, 1000, &sp->levels);
    if (!strcmp(k, "replicates"))
        return read_int(r, "experiment", k, v, 1, 100000, &sp->replicates);
    if (!strcmp(k, "seed")) {
        int s;
        if (!read_int(r, "experiment", k, v, 0, 2147483647, &s)) return 0;
        return sp->seed = (uint64_t)s, 1;
    }
    return fail(r, "experiment", k, "unknown key (name, scenario, design, points, levels, "
                "replicates, seed)%s", "");
}

static int read_values(reader *r, pspec *p, const char *sec, const char *v) {
    char buf[LINE_MAX_LEN];
    snprintf(buf, sizeof buf, "%s", v);
    p->nvalues = 0;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        while (*tok == ' ' || *tok == '\t') tok++;
        for (char *e = tok + strlen(tok); e > tok && (e[-1] == ' ' || e[-1] == '\t');) *--e = 0;
        if (p->nvalues == 64) return fail(r, sec, "values", "more than 64 values%s", "");
        if (!read_num(r, sec, "values", tok, &p->values[p->nvalues++])) return 0;
    }
    return p->nvalues ? 1 : fail(r, sec, "values", "empty list%s", "");
}

/* label = a, b, c: one non-empty name per value (checked against the values in add_param),
 * at most 40 bytes each, without '=' (a label is not a setting). */
static int read_labels(reader *r, pspec *p, const char *sec, const char *v) {
    snprintf(p->labels, sizeof p->labels, "%s", v);
    p->nlabels = 0;
    for (const char *t = v; ; t += strcspn(t, ",") + 1) {
        size_t n = strcspn(t, ","), b = strspn(t, " \t"), e = n;
        while (e > b && (t[e - 1] == ' ' || t[e - 1] == '\t')) e--;
        if (e == b || e - b > 40 || memchr(t, '=', n))
            return fail(r, sec, "label", "\"%s\": expected a name per value, comma-separated "
                        "(each 1 to 40 characters, no '=')", v);
        p->nlabels++;
        if (!t[n]) return 1;
    }
}

static int param_key(reader *r, pspec *p, const char *sec, const char *k, const char *v) {
    struct { const char *k; double *d; int *has; } nums[] = {
        {"lo", &p->lo, &p->has_lo}, {"hi", &p->hi, &p->has_hi}, {"step", &p->step, &p->has_step},
        {"mean", &p->mean, &p->has_mean}, {"sd", &p->sd, &p->has_sd}};
    if (!strcmp(k, "key")) return snprintf(p->key, sizeof p->key, "%s", v), 1;
    if (!strcmp(k, "values")) return read_values(r, p, sec, v);
    if (!strcmp(k, "label")) return read_labels(r, p, sec, v);
    if (!strcmp(k, "dist")) {
        if (strcmp(v, "uniform") && strcmp(v, "loguniform") && strcmp(v, "normal"))
            return fail(r, sec, k, "\"%s\" is not a distribution (uniform, loguniform, "
                        "normal)", v);
        return snprintf(p->dist, sizeof p->dist, "%s", v), 1;
    }
    for (size_t n = 0; n < sizeof nums / sizeof *nums; n++)
        if (!strcmp(k, nums[n].k)) return *nums[n].has = 1, read_num(r, sec, k, v, nums[n].d);
    return fail(r, sec, k, "unknown key (key, values, label, lo, hi, step, dist, mean, sd)%s",
                "");
}

static pspec *param_of(reader *r, const char *name) {
    for (int i = 0; i < r->np; i++)
        if (!strcmp(r->p[i].name, name)) return &r->p[i];
    if (r->np == DESIGN_MAX_PARAMS) return NULL;
    pspec *p = &r->p[r->np++];
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", name);
    p->line = r->line;
    return p;
}

static int handler(void *user, const char *sec, const char *k, const char *v) {
    reader *r = user;
    if (r->st != SIM_OK) return 0;
    if (!strcmp(sec, "experiment")) return experiment_key(r, k, v);
    if (!strcmp(sec, "set")) {
        sweep_spec *sp = r->sp;
        if (sp->nfixed == SWEEP_MAX_FIXED) return fail(r, sec, k, "too many overrides%s", "");
        snprintf(sp->fixed[sp->nfixed++], SWEEP_KV_MAX, "%s=%s", k, v);
        return 1;
    }
    if (!strncmp(sec, "param.", 6) && sec[6]) {
        pspec *p = param_of(r, sec + 6);
        return p ? param_key(r, p, sec, k, v) : fail(r, sec, k, "too many parameters%s", "");
    }
    return fail(r, sec, k, "unknown section (experiment, set, param.NAME)%s", "");
}

/* inih's handler: a key given twice in one section is refused (as in scenario files), the
 * rest goes to handler. */
static int on_key(void *user, const char *sec, const char *k, const char *v) {
    reader *r = user;
    if (r->st != SIM_OK) return 0;
    int before = scn_ini_seen_add(&r->seen, sec, k, r->line);
    if (before < 0) return r->st = err_set(r->err, SIM_ENOMEM, "out of memory"), 0;
    if (before > 0) {
        char msg[80];
        snprintf(msg, sizeof msg, "duplicate key (also set on line %d of this file)", before);
        return fail(r, sec, k, "%s", msg);
    }
    return handler(user, sec, k, v);
}

/* One parameter spec into the design space. */
static sim_status add_param(sweep_spec *sp, const pspec *p, sim_err *err) {
    if (!p->key[0])
        return err_set(err, SIM_ESCENARIO, "%s: [param.%s]: needs key = section.key",
                       sp->path, p->name);
    design_space_t *s = &sp->space;
    sim_status st;
    if (p->nvalues) st = design_space_add_list(s, p->key, p->values, (size_t)p->nvalues, err);
    else if (!strcmp(p->dist, "normal"))
        st = design_space_add_normal(s, p->key, p->mean, p->sd, p->lo, p->hi, err);
    else if (!p->has_lo || !p->has_hi)
        return err_set(err, SIM_ESCENARIO, "%s: [param.%s]: needs values = ..., or lo and hi "
                       "(with step, or dist)", sp->path, p->name);
    else if (p->has_step) st = design_space_add_step(s, p->key, p->lo, p->hi, p->step, err);
    else if (!strcmp(p->dist, "loguniform"))
        st = design_space_add_loguniform(s, p->key, p->lo, p->hi, err);
    else st = design_space_add_uniform(s, p->key, p->lo, p->hi, err);
    size_t m = st == SIM_OK ? s->param[s->k - 1].m : 0;
    if (st == SIM_OK && p->nlabels && (size_t)p->nlabels != m)
        st = err_set(err, SIM_ESCENARIO, "label: %d names for %zu values%s", p->nlabels, m,
                     m ? "" : " (label needs values = ... or lo, hi, step)");
    if (st == SIM_OK && p->nlabels && !(sp->labels[s->k - 1] = strdup(p->labels)))
        st = err_set(err, SIM_ENOMEM, "out of memory");
    if (st != SIM_OK) err_prefix(err, "%s: [param.%s]: ", sp->path, p->name);
    return st;
}

const char *sweep_design_name(sweep_design d) {
    static const char *const names[] = {"grid", "lhs", "sobol", "saltelli", "morris"};
    return d <= SWEEP_MORRIS ? names[d] : "?";
}

static void defaults(sweep_spec *sp, const char *path) {
    memset(sp, 0, sizeof *sp);
    design_space_init(&sp->space);
    snprintf(sp->path, sizeof sp->path, "%s", path);
    const char *base = strrchr(path, '/');
    snprintf(sp->name, sizeof sp->name, "%s", base ? base + 1 : path);
    char *dot = strrchr(sp->name, '.');
    if (dot && !strcmp(dot, ".ini")) *dot = 0;
    sp->design = SWEEP_GRID;
    sp->points = 8;
    sp->levels = 4;
    sp->replicates = 1;
    sp->seed = 1;
}

/* Parses the experiment text sp->text (the whole file) into sp. */
static sim_status parse(sweep_spec *sp, reader *r, size_t len, sim_err *err) {
    const char *path = sp->path;
    scn_ini_start(&r->ini, sp->text, len);
    int rc = ini_parse_stream(read_line, r, on_key, r);
    scn_ini_seen_free(&r->seen);
    sim_status st = r->st;
    if (st == SIM_OK && rc < 0) st = err_set(err, SIM_ENOMEM, "out of memory parsing %s", path);
    if (st == SIM_OK && rc > 0)
        st = err_set(err, SIM_ESCENARIO, "%s:%d: cannot parse this line", path, rc);
    if (st == SIM_OK && !sp->scenario[0])
        st = err_set(err, SIM_ESCENARIO, "%s: [experiment] scenario: required (the base "
                     "scenario file)", path);
    if (st == SIM_OK && r->np == 0)
        st = err_set(err, SIM_ESCENARIO, "%s: no [param.NAME] section: nothing to vary", path);
    for (int i = 0; st == SIM_OK && i < r->np; i++) st = add_param(sp, &r->p[i], err);
    return st;
}

sim_status sweep_load(sweep_spec *sp, const char *path, sim_err *err) {
    defaults(sp, path);
    char why[700];
    size_t len = 0;
    if (scn_ini_read_file(path, SCN_TEXT_MAX, &sp->text, &len, why, sizeof why) != 0) {
        sweep_free(sp);
        return err_set(err, SIM_EIO, "experiment: %s", why);
    }
    reader *r = calloc(1, sizeof *r);
    if (!r) {
        sweep_free(sp);
        return err_set(err, SIM_ENOMEM, "out of memory");
    }
    r->sp = sp;
    r->err = err;
    sim_status st = parse(sp, r, len, err);
    free(r);
    if (st != SIM_OK) sweep_free(sp);
    return st;
}

sim_status sweep_plan(const sweep_spec *sp, design_t **d, sim_err *err) {
    rng_t rng;
    rng_init(&rng, sp->seed, 0);
    size_t n = (size_t)sp->points;
    switch (sp->design) {
    case SWEEP_GRID: return design_grid(d, &sp->space, err);
    case SWEEP_LHS: return design_lhs(d, &sp->space, n, &rng, RNG_DESIGN, err);
    case SWEEP_SOBOL: return design_sobol(d, &sp->space, n, err);
    case SWEEP_SALTELLI: return design_saltelli(d, &sp->space, n, err);
    case SWEEP_MORRIS:
        return design_morris(d, &sp->space, n, (size_t)sp->levels, &rng, RNG_DESIGN, err);
    }
    return err_set(err, SIM_ESCENARIO, "unknown design");
}

int sweep_overrides(const sweep_spec *sp, const design_t *d, size_t point,
                    char (*buf)[SWEEP_KV_MAX], const char **ptr, int cap) {
    int n = 0;
    for (int f = 0; f < sp->nfixed && n < cap; f++, n++) {
        snprintf(buf[n], SWEEP_KV_MAX, "%s", sp->fixed[f]);
        ptr[n] = buf[n];
    }
    for (size_t j = 0; j < d->k && n < cap; j++, n++) {
        snprintf(buf[n], SWEEP_KV_MAX, "%s=%.17g", sp->space.param[j].name,
                 d->x[point * d->k + j]);
        ptr[n] = buf[n];
    }
    return n;
}

void sweep_free(sweep_spec *sp) {
    if (!sp) return;
    design_space_clear(&sp->space);
    for (size_t k = 0; k < DESIGN_MAX_PARAMS; k++) free(sp->labels[k]), sp->labels[k] = NULL;
    free(sp->text);
    sp->text = NULL;
}

sim_status sweep_job_scenario(const sweep_job *j, size_t p, scenario *sc, sim_err *err) {
    char buf[SWEEP_MAX_FIXED + DESIGN_MAX_PARAMS][SWEEP_KV_MAX];
    const char *ptr[SWEEP_MAX_FIXED + DESIGN_MAX_PARAMS];
    int n = sweep_overrides(&j->sp, j->d, p, buf, ptr, SWEEP_MAX_FIXED + DESIGN_MAX_PARAMS);
    sim_status st = scn_load(sc, j->sp.scenario, ptr, n, err);
    if (st != SIM_OK) err_prefix(err, "experiment %s, point %zu: ", j->sp.path, p);
    return st;
}

void sweep_job_free(sweep_job *j) {
    if (!j) return;
    sweep_free(&j->sp);
    design_free(j->d);
    free(j->done);
    free(j->spec);
    j->d = NULL, j->done = NULL, j->spec = NULL;
}

sim_status sweep_job_load(sweep_job *j, const char *file, sim_err *err) {
    memset(j, 0, sizeof *j);
    sim_status st = sweep_load(&j->sp, file, err);
    if (st == SIM_OK) st = sweep_plan(&j->sp, &j->d, err);
    if (st == SIM_OK) {
        j->tasks = (uint64_t)j->d->rows * (uint64_t)j->sp.replicates;
        if (!(j->done = calloc(j->tasks ? j->tasks : 1, 1)))
            st = err_set(err, SIM_ENOMEM, "out of memory");
    }
    for (size_t p = 0; st == SIM_OK && p < j->d->rows; p++) {
        scenario sc;
        if ((st = sweep_job_scenario(j, p, &sc, err)) != SIM_OK) break;
        if ((st = sim_check(&sc, err)) == SIM_OK && p == 0) {
            size_t n = strlen(j->sp.text) + strlen(sc.text) + 2;
            if ((j->spec = malloc(n))) snprintf(j->spec, n, "%s\n%s", j->sp.text, sc.text);
            else st = err_set(err, SIM_ENOMEM, "out of memory");
        }
        scn_free(&sc);
    }
    if (st != SIM_OK) sweep_job_free(j);
    return st;
}

/* The design's points into sweep_params (store.h), one row per point and parameter. */
static sim_status record_design(const sweep_job *j, store_t *db, int64_t sweep_id,
                                sim_err *err) {
    const char *keys[DESIGN_MAX_PARAMS];
    for (size_t k = 0; k < j->d->k; k++) keys[k] = j->sp.space.param[k].name;
    return store_sweep_params(db, sweep_id, j->d->rows, j->d->k, keys, j->d->x, err);
}

sim_status sweep_job_prepare(sweep_job *j, const char *path, int64_t *sweep_id,
                             int64_t *removed, sim_err *err) {
    store_t *db = NULL;
    *removed = 0;
    sim_status st = store_open(&db, path, err);
    if (st == SIM_OK)
        st = store_sweep_open(db, j->sp.name, sweep_design_name(j->sp.design), j->spec,
                              sweep_id, err);
    int locked = st == SIM_OK && (st = store_sweep_lock(db, *sweep_id, j->sp.name, err)) ==
                                     SIM_OK;
    if (st == SIM_OK) st = store_sweep_reset(db, *sweep_id, removed, err);
    if (st == SIM_OK) st = record_design(j, db, *sweep_id, err);
    if (st == SIM_OK)
        st = store_sweep_done(db, *sweep_id, j->sp.replicates, j->done, j->tasks, err);
    if (st != SIM_OK && locked) store_sweep_unlock(db, *sweep_id);
    store_close(db);
    return st;
}

char *sweep_job_varied_json(const sweep_job *j, size_t p) {
    size_t cap = 2 + j->d->k * (SWEEP_KV_MAX + 32), len = 0;
    char *s = malloc(cap);
    if (!s) return NULL;
    len += (size_t)snprintf(s, cap, "{");
    for (size_t k = 0; k < j->d->k; k++)
        len += (size_t)snprintf(s + len, cap - len, "%s\"%s\": %.17g", k ? ", " : "",
                                j->sp.space.param[k].name, j->d->x[p * j->d->k + k]);
    snprintf(s + len, cap - len, "}");
    return s;
}

/* Name i of a comma-separated label list into buf, blanks trimmed. */
static void label_at(const char *list, size_t i, char *buf, size_t n) {
    const char *t = list;
    for (; i && *t; i--) t += strcspn(t, ",") + (t[strcspn(t, ",")] == ',');
    t += strspn(t, " \t");
    size_t e = strcspn(t, ",");
    while (e && (t[e - 1] == ' ' || t[e - 1] == '\t')) e--;
    snprintf(buf, n, "%.*s", (int)e, t);
}

const char *sweep_job_label(const sweep_job *j, size_t p, char *buf, size_t n) {
    const design_space_t *s = &j->sp.space;
    const char *keys[DESIGN_MAX_PARAMS];
    size_t start[DESIGN_MAX_PARAMS], len = 0, any = 0;
    for (size_t k = 0; k < s->k; k++) keys[k] = s->param[k].name, any |= j->sp.labels[k] != NULL;
    if (!any || n == 0) return NULL;
    query_key_abbrev(keys, s->k, start);
    buf[0] = 0;
    for (size_t k = 0; k < s->k && len < n; k++) {
        double x = j->d->x[p * j->d->k + k];
        char part[SWEEP_KV_MAX];
        size_t i = 0;
        while (i < s->param[k].m && s->param[k].values[i] != x) i++;
        if (j->sp.labels[k] && i < s->param[k].m) label_at(j->sp.labels[k], i, part, sizeof part);
        else snprintf(part, sizeof part, "%s=%.6g", keys[k] + start[k], x);
        len += (size_t)snprintf(buf + len, n - len, "%s%s", k ? " " : "", part);
    }
    return buf;
}

sim_status sweep_job_set_replicates(sweep_job *j, int n, sim_err *err) {
    uint64_t tasks = (uint64_t)j->d->rows * (uint64_t)n;
    if (n < 1 || tasks > SWEEP_TASKS_MAX)
        return err_set(err, SIM_EUSAGE, "--replicates %d: %zu points x %d replicates is more "
                       "than %d runs", n, j->d->rows, n, SWEEP_TASKS_MAX);
    uint8_t *done = calloc(tasks ? tasks : 1, 1);
    if (!done) return err_set(err, SIM_ENOMEM, "out of memory");
    free(j->done);
    j->done = done, j->tasks = tasks, j->sp.replicates = n;
    return SIM_OK;
}
