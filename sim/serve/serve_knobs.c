/* sim/serve/serve_knobs.c - what the explorer offers: the fixed list of library scenarios, the
 * settings ("knobs") of each, found from the sections its files declare, and reading a run
 * request into `--set` overrides checked by the scenario loader (the same validation and
 * messages as `scsim run --set`) and then against the explorer's narrower ranges. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "serve_impl.h"

/* The scenarios the explorer may offer, relative to the scenarios folder. A client names
 * one of these; no other path is ever opened. */
static const char *const LIBRARY[] = {
    "baseline", "court-blacklist", "joint-punishment", "family-spillover",
    "partner-spillover", "points-spillover", "face-recognition", "data-minimization",
    "appeals-reform", "city-points", "commercial-opt-in", "no-regime", "collect/platform",
    "platform-pooling", "camera-chilling"};

const char *const *sv_library_names(int *n) {
    *n = (int)(sizeof LIBRARY / sizeof *LIBRARY);
    return LIBRARY;
}

static const char G_RUN[] = "Society and run", G_ERR[] = "Records and errors",
                  G_SPILL[] = "Spillover", G_JOINT[] = "Joint punishment",
                  G_LIST[] = "Blacklist and appeals", G_DATA[] = "Data collection and retention";

/* The first sentence of the header comment "; PATH - SUMMARY ..." of path. */
static void read_summary(const char *path, char *buf, size_t n) {
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f) return;
    char line[512];
    size_t len = 0;
    for (int k = 0; k < 6 && fgets(line, sizeof line, f) && line[0] == ';'; k++) {
        line[strcspn(line, "\r\n")] = '\0';
        const char *t = line + 1 + (line[1] == ' ');
        if (k == 0) t = strstr(t, " - ") ? strstr(t, " - ") + 3 : "";
        if (!*t) break;
        int w = snprintf(buf + len, n - len, "%s%s", len ? " " : "", t);
        if (w < 0 || (size_t)w >= n - len) break;
        len += (size_t)w;
    }
    fclose(f);
    char *dot = strstr(buf, ". ");
    if (dot) dot[1] = '\0';
}

/* The override text of knob k at value v. */
static void format_set(const sv_knob *k, double v, char *buf, size_t n) {
    if (k->type == SV_BOOL) snprintf(buf, n, "%s=%s", k->key, v != 0 ? "true" : "false");
    else if (k->type == SV_INT) snprintf(buf, n, "%s=%lld", k->key, (long long)v);
    else snprintf(buf, n, "%s=%.15g", k->key, v);
}

/* Whether knob k at its own value passes the loader on lib (a section --set may change). */
static int knob_loads(const sv_lib *lib, const sv_knob *k) {
    char set[SV_SET_MAX];
    const char *sets[1] = {set};
    format_set(k, k->value, set, sizeof set);
    scenario sc;
    sim_err err;
    if (scn_load_flags(&sc, lib->path, sets, 1, SCN_SET_STRICT, &err) != SIM_OK) return 0;
    scn_free(&sc);
    return 1;
}

static void add(sv_lib *lib, const char *group, sv_type type, double lo, double hi,
                double step, double value, const char *key, const char *label) {
    if (lib->nknobs >= SV_KNOBS_MAX) return;
    sv_knob *k = &lib->knobs[lib->nknobs];
    *k = (sv_knob){.group = group, .type = type, .lo = lo, .hi = hi, .step = step,
                   .value = value};
    snprintf(k->key, sizeof k->key, "%s", key);
    snprintf(k->label, sizeof k->label, "%s", label);
    if (value < lo) k->lo = value;   /* the scenario's own value is always accepted */
    if (value > hi) k->hi = value;
    if (knob_loads(lib, k)) lib->nknobs++;
}

static void add_run(sv_lib *lib, const scenario *sc, int64_t max_persons) {
    double persons = (double)sc->population.persons;
    if (persons > (double)max_persons) persons = (double)max_persons;
    add(lib, G_RUN, SV_INT, 100, (double)max_persons, 100, persons, "population.persons",
        "Persons");
    add(lib, G_RUN, SV_INT, 1, 240, 1, sc->run.steps, "run.steps", "Steps (months)");
    add(lib, G_RUN, SV_INT, 0, 2147483647.0, 1, (double)sc->run.seed, "run.seed",
        "Seed (both runs)");
    for (int i = 0; i < lib->nknobs; i++) lib->knobs[i].reference = 1;
    lib->knobs[0].value = persons;
}

static void add_agencies(sv_lib *lib, const scenario *sc) {
    char key[SV_KEY_MAX], label[96];
    for (int a = 0; a < sc->nagencies; a++) {
        const scn_agency *g = &sc->agencies[a];
        snprintf(key, sizeof key, "agency.%s.false_record", g->name);
        snprintf(label, sizeof label, "False-record rate, %s (per month)", g->name);
        add(lib, G_ERR, SV_NUM, 0, 0.01, 0.00001, g->false_record, key, label);
        snprintf(key, sizeof key, "agency.%s.misattribution", g->name);
        snprintf(label, sizeof label, "Misattribution, %s", g->name);
        add(lib, G_ERR, SV_NUM, 0, 0.2, 0.001, g->misattribution, key, label);
        snprintf(key, sizeof key, "agency.%s.coverage", g->name);
        snprintf(label, sizeof label, "Coverage (cameras, inspections), %s", g->name);
        add(lib, G_ERR, SV_NUM, 0, 1, 0.01, g->coverage, key, label);
    }
}

static void add_rules(sv_lib *lib, const scenario *sc) {
    char key[SV_KEY_MAX], label[96];
    for (int r = 0; r < sc->nrules; r++) {
        const scn_rule *u = &sc->rules[r];
        snprintf(key, sizeof key, "spillover.%s.enabled", u->name);
        snprintf(label, sizeof label, "Spillover %s (%s layer, %s)", u->name,
                 scn_layer_name(u->layer), scn_rule_kind_name(u->kind));
        add(lib, G_SPILL, SV_BOOL, 0, 1, 1, 1, key, label);
        const char *f = u->kind == RULE_PROBABILISTIC ? "beta"
                      : u->kind == RULE_THRESHOLD     ? "phi"
                      : u->kind == RULE_ADDITIVE      ? "weight" : NULL;
        if (!f) continue;
        double v = u->kind == RULE_PROBABILISTIC ? u->beta
                 : u->kind == RULE_THRESHOLD ? u->phi : u->weight;
        snprintf(key, sizeof key, "spillover.%s.%s", u->name, f);
        snprintf(label, sizeof label, "Strength of %s (%s)", u->name, f);
        if (u->kind == RULE_ADDITIVE) add(lib, G_SPILL, SV_NUM, 0, 100, 0.5, v, key, label);
        else add(lib, G_SPILL, SV_NUM, 0.01, 1, 0.01, v, key, label);
    }
}

static void add_lists(sv_lib *lib, const scenario *sc) {
    char key[SV_KEY_MAX], label[96];
    for (int j = 0; j < sc->njoint; j++) {
        snprintf(key, sizeof key, "joint.%s.enabled", sc->joint[j].name);
        snprintf(label, sizeof label, "Joint punishment on %s listings", sc->joint[j].name);
        add(lib, G_JOINT, SV_BOOL, 0, 1, 1, 1, key, label);
    }
    add(lib, G_LIST, SV_INT, 1, 120, 1, sc->lists.black_term, "lists.black_term",
        "Blacklist term (months)");
    add(lib, G_LIST, SV_NUM, 0, 1, 0.01, sc->redress.appeal, "redress.appeal",
        "Share of blacklistings appealed");
    add(lib, G_LIST, SV_NUM, 0, 1000, 1, sc->redress.appeal_capacity,
        "redress.appeal_capacity", "Appeal decisions per month per 100,000 (0: unlimited)");
    add(lib, G_LIST, SV_NUM, 0, 1, 0.01, sc->redress.fairness, "redress.fairness",
        "Appeal fairness: P(a wrongful listing's appeal succeeds)");
}

/* Sharing ([share.FROM]: on or off, and the month it starts) and, where the scenario models
 * the lawful-but-disfavoured activity, the chilling elasticity. */
static void add_sharing(sv_lib *lib, const scenario *sc) {
    char key[SV_KEY_MAX], label[96];
    for (int h = 0; h < sc->nshares; h++) {
        const scn_share *sh = &sc->shares[h];
        snprintf(key, sizeof key, "share.%s.enabled", sh->name);
        snprintf(label, sizeof label, "Sharing of %s's records (to %.40s)", sh->name, sh->to);
        add(lib, G_DATA, SV_BOOL, 0, 1, 1, 1, key, label);
        snprintf(key, sizeof key, "share.%s.from_step", sh->name);
        snprintf(label, sizeof label, "Sharing of %s's records from month", sh->name);
        add(lib, G_DATA, SV_INT, 1, 240, 1, sh->from_step, key, label);
    }
    if (sc->behaviour.lawful_rate > 0)
        add(lib, G_DATA, SV_NUM, 0, 3, 0.1, sc->behaviour.chill_elasticity,
            "behaviour.chill_elasticity",
            "Chilling elasticity (how much perceived watching suppresses lawful acts)");
}

static void add_data(sv_lib *lib, const scenario *sc) {
    char key[SV_KEY_MAX], label[96];
    for (int c = 0; c < sc->nsources; c++) {
        const scn_collect *s = &sc->sources[c];
        snprintf(key, sizeof key, "collect.%s.coverage", s->name);
        snprintf(label, sizeof label, "%s coverage (%s of %s)",
                 s->kind == KIND_SIGHTINGS ? "Camera" : "Collection", scn_kind_name(s->kind),
                 s->agency);
        add(lib, G_DATA, SV_NUM, 0, 1, 0.01, s->coverage, key, label);
    }
    for (int r = 0; r < sc->nretention; r++) {
        const scn_retention *t = &sc->retention[r];
        for (int k = 0; k < SCN_NKINDS; k++) {
            int used = k == KIND_VIOLATIONS;
            for (int c = 0; c < sc->nsources; c++)
                used |= (int)sc->sources[c].kind == k && strcmp(sc->sources[c].agency,
                                                                t->name) == 0;
            if (!used) continue;
            snprintf(key, sizeof key, "retention.%s.%s", t->name, scn_kind_name((scn_kind)k));
            snprintf(label, sizeof label, "Retention of %s, %s (months)",
                     scn_kind_name((scn_kind)k), t->name);
            add(lib, G_DATA, SV_INT, 0, 120, 1, scn_retention_of(sc, t->agency, (scn_kind)k),
                key, label);
        }
    }
    add_sharing(lib, sc);
}

sim_status sv_lib_load(sv_lib *lib, const char *dir, const char *name, int64_t max_persons,
                       sim_err *err) {
    *lib = (sv_lib){.name = name};
    int w = snprintf(lib->path, sizeof lib->path, "%s/%s.ini", dir, name);
    if (w < 0 || (size_t)w >= sizeof lib->path)
        return err_set(err, SIM_EUSAGE, "%.60s: scenarios folder name too long", dir);
    scenario sc;
    sim_status st = scn_load_flags(&sc, lib->path, NULL, 0, SCN_SET_STRICT, err);
    if (st != SIM_OK) return st;
    read_summary(lib->path, lib->summary, sizeof lib->summary);
    add_run(lib, &sc, max_persons);
    add_agencies(lib, &sc);
    add_rules(lib, &sc);
    add_lists(lib, &sc);
    add_data(lib, &sc);
    scn_free(&sc);
    return SIM_OK;
}

/* ---- requests ------------------------------------------------------------------------- */

static int bad(sim_err *err, int code, const char *fmt, const char *a, const char *b) {
    err_set(err, SIM_EUSAGE, fmt, a, b);
    return code;
}

static const sv_knob *find_knob(const sv_lib *lib, const char *key, int *index) {
    for (int i = 0; i < lib->nknobs; i++)
        if (strcmp(lib->knobs[i].key, key) == 0) { *index = i; return &lib->knobs[i]; }
    return NULL;
}

/* The nearest knob name for "did you mean". */
static const char *nearest(const sv_lib *lib, const char *key) {
    int best = 4;
    const char *name = NULL;
    for (int i = 0; i < lib->nknobs; i++) {
        int d = scn_edit_distance(key, lib->knobs[i].key);
        if (d < best) best = d, name = lib->knobs[i].key;
    }
    return name;
}

/* The value v of knob k as JSON: type checked; range checked later. */
static int knob_value(const sv_knob *k, const json_t *v, double *x, sim_err *err) {
    if (k->type == SV_BOOL) {
        if (!json_is_boolean(v))
            return bad(err, 400, "settings: %s must be true or false%s", k->key, "");
        *x = json_is_true(v);
        return 0;
    }
    if (!json_is_number(v))
        return bad(err, 400, "settings: %s must be a number%s", k->key, "");
    *x = json_number_value(v);
    if (!isfinite(*x)) return bad(err, 400, "settings: %s must be finite%s", k->key, "");
    if (k->type == SV_INT && (*x != floor(*x) || fabs(*x) > 9e15))
        return bad(err, 400, "settings: %s must be a whole number%s", k->key, "");
    return 0;
}

/* The settings object into vals[knob] (NaN: not given). */
static int read_settings(const sv_lib *lib, const json_t *set, double *vals, sim_err *err) {
    for (int i = 0; i < lib->nknobs; i++) vals[i] = NAN;
    if (!set) return 0;
    if (!json_is_object(set)) return bad(err, 400, "settings must be an object%s%s", "", "");
    if (json_object_size(set) > SV_KNOBS_MAX)
        return bad(err, 400, "settings: too many keys%s%s", "", "");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)set, key, v) {
        int i;
        const sv_knob *k = find_knob(lib, key, &i);
        if (!k) {
            const char *near = nearest(lib, key);
            err_set(err, SIM_EUSAGE, "settings: unknown key \"%.60s\" for scenario %s%s%s%s "
                    "(GET /api/scenarios lists the keys of each)", key, lib->name,
                    near ? " (did you mean " : "", near ? near : "", near ? "?)" : "");
            return 400;
        }
        int code = knob_value(k, v, &vals[i], err);
        if (code) return code;
    }
    return 0;
}

/* The explorer's ranges, after the loader accepted the values. */
static int check_ranges(const sv_lib *lib, const double *vals, int64_t max_persons,
                        sim_err *err) {
    for (int i = 0; i < lib->nknobs; i++) {
        const sv_knob *k = &lib->knobs[i];
        if (isnan(vals[i]) || (vals[i] >= k->lo && vals[i] <= k->hi)) continue;
        if (strcmp(k->key, "population.persons") == 0 && vals[i] > (double)max_persons) {
            err_set(err, SIM_ERUN, "refused: population.persons = %.0f is above this "
                    "server's cap of %lld persons (scsim serve --max-persons)", vals[i],
                    (long long)max_persons);
            return 422;
        }
        err_set(err, SIM_EUSAGE, "settings: %s = %.15g is outside the explorer's range "
                "%.15g .. %.15g", k->key, vals[i], k->lo, k->hi);
        return 400;
    }
    return 0;
}

/* The overrides of vals in knob order, the reference's first. */
static void fill_sets(const sv_lib *lib, const double *vals, sv_request *req) {
    req->nsets = req->nref = 0;
    for (int pass = 1; pass >= 0; pass--)
        for (int i = 0; i < lib->nknobs; i++) {
            if (isnan(vals[i]) || lib->knobs[i].reference != pass) continue;
            format_set(&lib->knobs[i], vals[i], req->sets[req->nsets], SV_SET_MAX);
            req->nsets++;
            req->nref += pass;
        }
}

sim_status sv_load(const sv_lib *lib, const sv_request *req, int n, scenario *sc,
                   sim_err *err) {
    const char *sets[SV_KNOBS_MAX];
    for (int i = 0; i < n; i++) sets[i] = req->sets[i];
    sim_status st = scn_load_flags(sc, lib->path, sets, n, SCN_SET_STRICT, err);
    if (st != SIM_OK) return st;
    if ((st = sim_check(sc, err)) != SIM_OK) scn_free(sc);
    return st;
}

/* Loads the variant as `scsim run --set` would (400 with the loader's message), then the
 * explorer's ranges, then what the engine checks and the memory budget (422). */
static int check_run(const sv_lib *lib, const sv_request *req, const double *vals,
                     int64_t max_persons, double max_gib, sim_err *err) {
    scenario sc;
    const char *sets[SV_KNOBS_MAX];
    for (int i = 0; i < req->nsets; i++) sets[i] = req->sets[i];
    if (scn_load_flags(&sc, lib->path, sets, req->nsets, SCN_SET_STRICT, err) != SIM_OK)
        return 400;
    int code = check_ranges(lib, vals, max_persons, err);
    if (!code && sc.population.persons > max_persons) {   /* the scenario's own, not given */
        err_set(err, SIM_ERUN, "refused: the scenario has %lld persons, above this server's "
                "cap of %lld (give population.persons)", (long long)sc.population.persons,
                (long long)max_persons);
        code = 422;
    }
    sim_status st = code ? SIM_OK : sim_check(&sc, err);
    if (!code && st != SIM_OK) code = st == SIM_ERUN || st == SIM_ENOMEM ? 422 : 400;
    double gib = (double)sim_estimate_bytes(&sc) / 1073741824.0;
    scn_free(&sc);
    if (!code && gib > max_gib) {
        err_set(err, SIM_ERUN, "refused: the run's estimated memory, %.2f GiB, is above this "
                "server's limit of %.2f GiB (scsim serve --max-memory-gib)", gib, max_gib);
        code = 422;
    }
    return code;
}

static int request_fields(const json_t *root, const sv_lib *libs, int nlibs, int *lib,
                          const json_t **settings, sim_err *err) {
    const char *key;
    json_t *v;
    *lib = -1;
    *settings = NULL;
    json_object_foreach((json_t *)root, key, v) {
        if (strcmp(key, "settings") == 0) { *settings = v; continue; }
        if (strcmp(key, "scenario") != 0)
            return bad(err, 400, "unknown field \"%.60s\" (fields: scenario, settings)%s",
                       key, "");
        if (!json_is_string(v)) return bad(err, 400, "scenario must be a name%s%s", "", "");
        for (int i = 0; i < nlibs; i++)
            if (strcmp(libs[i].name, json_string_value(v)) == 0) *lib = i;
        if (*lib < 0)
            return bad(err, 400, "unknown scenario \"%.60s\"%s (GET /api/scenarios lists "
                       "them)", json_string_value(v), "");
    }
    if (*lib < 0) return bad(err, 400, "missing field \"scenario\"%s%s", "", "");
    return 0;
}

int sv_request_parse(const char *body, size_t len, const sv_lib *libs, int nlibs,
                     int64_t max_persons, double max_memory_gib, sv_request *req,
                     sim_err *err) {
    json_error_t je;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        err_set(err, SIM_EUSAGE, "invalid JSON at line %d, column %d: %.100s", je.line,
                je.column, je.text);
        return 400;
    }
    const json_t *settings;
    int code = json_is_object(root) ? 0 : bad(err, 400, "the body must be a JSON object%s%s",
                                               "", "");
    double vals[SV_KNOBS_MAX];
    *req = (sv_request){0};
    if (!code) code = request_fields(root, libs, nlibs, &req->lib, &settings, err);
    if (!code) code = read_settings(&libs[req->lib], settings, vals, err);
    json_decref(root);
    if (code) return code;
    fill_sets(&libs[req->lib], vals, req);
    return check_run(&libs[req->lib], req, vals, max_persons, max_memory_gib, err);
}

char *sv_command(const sv_lib *lib, const sv_request *req) {
    size_t n = strlen(lib->path) + 64;
    for (int i = 0; i < req->nsets; i++) n += strlen(req->sets[i]) + 8;
    char *s = malloc(n);
    if (!s) return NULL;
    size_t len = (size_t)snprintf(s, n, "scsim run %s", lib->path);
    for (int i = 0; i < req->nsets; i++)
        len += (size_t)snprintf(s + len, n - len, " --set %s", req->sets[i]);
    snprintf(s + len, n - len, " --out reproduce.db");
    return s;
}

char *sv_scenario_text(const sv_lib *lib, const sv_request *req, sim_err *err) {
    scenario sc;
    if (sv_load(lib, req, req->nsets, &sc, err) != SIM_OK) return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sim_status st = f ? scn_write(&sc, f, err) : SIM_ENOMEM;
    if (f && fclose(f) != 0 && st == SIM_OK) st = SIM_EIO;
    scn_free(&sc);
    if (st != SIM_OK) { free(buf); return NULL; }
    return buf;
}
