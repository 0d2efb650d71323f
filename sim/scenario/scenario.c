/* sim/scenario/scenario.c - loading scenario files: INI parsing (inih, with our own line reader for
 * line numbers and input checks), includes, --set overrides, cross-key checks and the
 * public load functions. The key table that drives it all is in scenario_keys.c, `show`
 * and JSON output in scenario_out.c; shared declarations in scenario_keys.h (internal).
 * Contracts in scenario.h; user reference in docs/scenario.md. */
#include "scenario_keys.h"
#include "scn_ini.h"
#include "scn_society.h"
#include "vec.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    MAX_DEPTH = 16,         /* include nesting */
    MAX_INST = SCN_MAX_SANCTIONS, /* instances of one section kind (sanctions, agencies, ...) */
    SUGGEST_MAX = 3,        /* largest edit distance for "did you mean" */
    SEC_AT = -2,            /* filectx.sec inside an [at.STEP] section (inst: the step) */
    AT_MAX_STEP = 100000    /* run.steps' upper bound */
};

/* Index of the candidate nearest to s within SUGGEST_MAX edits, or -1. */
static int nearest(const char *s, const char *const *cand, int n) {
    int best = -1, bestd = SUGGEST_MAX + 1;
    for (int i = 0; i < n; i++) {
        int d = scn_edit_distance(s, cand[i]);
        if (d < bestd) best = i, bestd = d;
    }
    return best;
}

/* ---- loader state -------------------------------------------------------------------- */

typedef struct origin {
    const char *file;   /* file name or "--set ..."; NULL: the default */
    const char *dir;    /* directory of file, for relative paths ("" = current) */
    int line;           /* 0: not a file line */
} origin;

typedef struct strnode { struct strnode *next; char s[]; } strnode;

typedef struct tl_entry {            /* one `section.key = value` of the timeline */
    int step;
    origin at;
    const char *lhs, *key, *value;   /* "agency.courts", "false_record" (maybe "NAME +") */
} tl_entry;

typedef struct loader {
    scenario *sc;
    sim_err e;                       /* messages are composed here, copied out at the end */
    sim_status st;                   /* first failure; parsing stops at it */
    const char *top;                 /* top-level name, for values that are defaults */
    int agencies_declared;           /* a file declared an [agency.*] section */
    int defaults_done;               /* the defaults are in; new sections are checked */
    int set_declares;                /* overrides may declare new sections (not SCN_SET_STRICT) */
    origin org[NKEYS][MAX_INST];     /* where each key was last set */
    int listn[NKEYS][MAX_INST];      /* entries given, for list keys */
    origin head[SEC_NKINDS][MAX_INST];  /* where each named section first appeared */
    strnode *owned;                  /* strings that origins point to */
    const char *stack[MAX_DEPTH + 1], *shown[MAX_DEPTH + 1];  /* include chain */
    int depth;
    sbuf text;
    tl_entry *tl;                    /* the timeline's changes, in the order read */
    uint64_t ntl, tlcap;
} loader;

typedef struct filectx {
    loader *L;
    origin at;                       /* file, dir, current line */
    scn_ini ini;                     /* the line reader over the file's text */
    int sec, inst;                   /* current section; sec -1 before the first */
    int keys_here;                   /* keys since the last section header */
    int seen[NKEYS][MAX_INST];       /* line where each key was set in this file */
} filectx;

static const char *keep(loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *keep(loader *L, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    strnode *s = n < 0 ? NULL : malloc(sizeof *s + (size_t)n + 1);
    if (!s) return "?";
    va_start(ap, fmt);
    vsnprintf(s->s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    s->next = L->owned, L->owned = s;
    return s->s;
}

static const char *where(const loader *L, const origin *o, char *buf, size_t n) {
    if (!o || !o->file) snprintf(buf, n, "%s", L->top);
    else if (o->line > 0) snprintf(buf, n, "%s:%d", o->file, o->line);
    else snprintf(buf, n, "%s", o->file);
    return buf;
}

/* "WHERE: [SECTION] KEY: message" (key NULL: "WHERE: [SECTION]: message"). */
static sim_status key_err(loader *L, const origin *o, int sec, int inst, const char *key,
                          const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static sim_status key_err(loader *L, const origin *o, int sec, int inst, const char *key,
                          const char *fmt, ...) {
    char msg[700], w[300], label[80];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    scn_sec_label(L->sc, sec, inst, label, sizeof label);
    where(L, o, w, sizeof w);
    if (key) err_set(&L->e, SIM_ESCENARIO, "%s: [%s] %s: %s", w, label, key, msg);
    else err_set(&L->e, SIM_ESCENARIO, "%s: [%s]: %s", w, label, msg);
    return L->st = SIM_ESCENARIO;
}

/* "WHERE: message", for problems not tied to a key. */
static sim_status at_err(loader *L, const origin *o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static sim_status at_err(loader *L, const origin *o, const char *fmt, ...) {
    char msg[800], w[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    err_set(&L->e, SIM_ESCENARIO, "%s: %s", where(L, o, w, sizeof w), msg);
    return L->st = SIM_ESCENARIO;
}

static int find_key(int sec, const char *name) {
    for (int i = 0; i < NKEYS; i++)
        if ((int)scn_keys[i].sec == sec && strcmp(scn_keys[i].name, name) == 0) return i;
    return -1;
}

static const origin *org_of(loader *L, int sec, int inst, const char *name) {
    return &L->org[find_key(sec, name)][inst];
}

static int is_set(loader *L, int sec, int inst, const char *name) {
    return org_of(L, sec, inst, name)->file != NULL;
}

/* ---- values --------------------------------------------------------------------------- */

/* Parses a comma-separated list into the array at dst (appending when asked). */
static int set_list(loader *L, int kidx, int inst, void *dst, const char *v, int append,
                    char *why, size_t n) {
    const key_desc *k = &scn_keys[kidx];
    double *a = dst;
    int cap = (int)(k->size / sizeof(double)), cnt = append ? L->listn[kidx][inst] : 0;
    for (const char *p = v;;) {
        const char *comma = strchr(p, ',');
        size_t tl = comma ? (size_t)(comma - p) : strlen(p);
        char tok[64], sub[200];
        if (!scn_trim_copy(p, tl, tok, sizeof tok)) {
            snprintf(why, n, "entry %d is too long", cnt + 1);
            return 0;
        }
        if (!*tok) { snprintf(why, n, "entry %d is empty", cnt + 1); return 0; }
        if (cnt == cap) { snprintf(why, n, "more than %d entries", cap); return 0; }
        if (!scn_read_double(tok, k, &a[cnt], sub, sizeof sub)) {
            snprintf(why, n, "entry %d: %s", cnt + 1, sub);
            return 0;
        }
        cnt++;
        if (!comma) break;
        p = comma + 1;
    }
    for (int i = cnt; i < cap; i++) a[i] = 0.0;
    L->listn[kidx][inst] = cnt;
    return 1;
}


/* A path relative to dir, made absolute (against the working directory) when needed. */
static int set_path(const origin *o, const key_desc *k, char *dst, const char *v, char *why,
                    size_t n) {
    char buf[SCN_PATH_MAX * 2] = "", cwd[SCN_PATH_MAX] = "";
    if (!*v) { memset(dst, 0, k->size); return 1; }
    const char *dir = (o && o->dir) ? o->dir : "";
    if (v[0] == '/') snprintf(buf, sizeof buf, "%s", v);
    else if (dir[0] == '/') snprintf(buf, sizeof buf, "%s%s", dir, v);
    else if (getcwd(cwd, sizeof cwd)) snprintf(buf, sizeof buf, "%s/%s%s", cwd, dir, v);
    else { snprintf(why, n, "cannot resolve \"%.60s\": %s", v, strerror(errno)); return 0; }
    if (strlen(buf) >= k->size) {
        snprintf(why, n, "path is longer than %zu characters", k->size - 1);
        return 0;
    }
    memset(dst, 0, k->size);
    memcpy(dst, buf, strlen(buf));
    return 1;
}

/* Parses v into key kidx of instance inst and records where it came from. */
static sim_status set_value(loader *L, const origin *o, int kidx, int inst, const char *v,
                            int append) {
    const key_desc *k = &scn_keys[kidx];
    char *dst = (char *)scn_sec_base(L->sc, k->sec, inst) + k->off, why[400] = "", al[200];
    int ok = 0;
    if (append && k->type != K_LIST) return key_err(L, o, k->sec, inst, k->name,
                                                    "\"+=\" works only for list keys");
    if (!*v && k->type != K_PATH && k->type != K_NAMES) snprintf(why, sizeof why, "empty value");
    else switch (k->type) {
    case K_INT: case K_I64: case K_U64: case K_DBL:
        ok = scn_set_number(k, dst, v, why, sizeof why); break;
    case K_BOOL: case K_ENUM: ok = scn_set_word(k, dst, v, why, sizeof why); break;
    case K_LIST: ok = set_list(L, kidx, inst, dst, v, append, why, sizeof why); break;
    case K_GRADES: ok = scn_set_grades(k, (scn_scoring *)scn_sec_base(L->sc, k->sec, 0), v, why,
                                   sizeof why); break;
    case K_PATH: ok = set_path(o, k, dst, v, why, sizeof why); break;
    case K_NAMES: ok = scn_set_names(k, dst, v, why, sizeof why); break;
    }
    if (!ok) {
        scn_allowed(k, al, sizeof al);
        return key_err(L, o, k->sec, inst, k->name, "%s (allowed: %s)", why, al);
    }
    L->org[kidx][inst] = o ? *o : (origin){NULL, NULL, 0};
    return SIM_OK;
}

/* Splits "key +" (from "key += v") into key and the append flag, then sets the value. */
static sim_status set_named(loader *L, const origin *o, int sec, int inst, const char *name,
                            const char *v, int (*seen)[MAX_INST]) {
    char key[64];
    size_t len = strlen(name);
    int append = len > 0 && name[len - 1] == '+';
    if (!scn_trim_copy(name, len - (size_t)append, key, sizeof key)) key[0] = '\0';
    int kidx = find_key(sec, key);
    if (kidx < 0) {
        const char *cand[NKEYS];
        char list[600] = "";
        int nc = 0;
        for (int i = 0; i < NKEYS; i++)
            if ((int)scn_keys[i].sec == sec) {
                cand[nc++] = scn_keys[i].name;
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                         nc > 1 ? ", " : "", scn_keys[i].name);
            }
        int best = nearest(key[0] ? key : name, cand, nc);
        if (best >= 0)
            return key_err(L, o, sec, inst, name, "unknown key; did you mean \"%s\"?", cand[best]);
        return key_err(L, o, sec, inst, name, "unknown key; the keys here are: %s", list);
    }
    if (seen && !append) {
        if (seen[kidx][inst])
            return key_err(L, o, sec, inst, key, "duplicate key (also set on line %d of this "
                           "file, and on line %d)", seen[kidx][inst], o->line);
        seen[kidx][inst] = o->line;
    }
    return set_value(L, o, kidx, inst, v, append);
}

static void instance_defaults(loader *L, int sec, int inst) {
    for (int i = 0; i < NKEYS; i++)
        if ((int)scn_keys[i].sec == sec) set_value(L, NULL, i, inst, scn_keys[i].def, 0);
}

/* ---- sections ------------------------------------------------------------------------- */

static int valid_name(const char *s) {
    size_t n = strlen(s);
    return n >= 1 && n < SCN_NAME_MAX && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/* How a named section is opened: from a file (may declare a new one), by --set (may change a
 * declared one only) or by a timeline change (apply_change decides about new ones). */
enum { OPEN_SET = 0, OPEN_FILE = 1, OPEN_TIMELINE = 2 };

static int *count_of(scenario *sc, int sec) {
    switch (sec) {
    case SEC_AGENCY: return &sc->nagencies;
    case SEC_SPILLOVER: return &sc->nrules;
    case SEC_SANCTION: return &sc->nsanctions;
    case SEC_COLLECT: return &sc->nsources;
    case SEC_RETENTION: return &sc->nretention;
    case SEC_SHARE: return &sc->nshares;
    case SEC_SEVERITY: return &sc->ntiers;
    default: return &sc->njoint;
    }
}

/* The declared names of section kind sec: into cand, and comma-separated into list. */
static int declared(const scenario *sc, int sec, const char **cand, char *list, size_t n) {
    int count = scn_sec_count(sc, sec);
    list[0] = '\0';
    for (int i = 0; i < count; i++) {
        cand[i] = scn_sec_name(sc, sec, i);
        snprintf(list + strlen(list), n - strlen(list), "%s%s", i ? ", " : "", cand[i]);
    }
    return count;
}

/* A new sec.name that is not allowed: by --set (never), or from a file one slip away from a
 * declared name. Returns SIM_OK when the new section may be made. */
static sim_status check_new(loader *L, const origin *o, int sec, const char *name, int mode) {
    const char *cand[SCN_MAX_SANCTIONS + SCN_MAX_AGENCIES + SCN_MAX_RULES + SCN_MAX_SOURCES];
    char list[600], mean[120] = "";
    const char *kind = scn_sec_names[sec];
    int n = declared(L->sc, sec, cand, list, sizeof list);
    if (mode == OPEN_FILE || L->set_declares) {
        for (int i = 0; i < n; i++)
            if (scn_one_slip(name, cand[i]))
                return at_err(L, o, "[%s.%s]: no %s \"%s\" is declared; did you mean \"%s\"? "
                              "(a new section named one letter away from a declared one is "
                              "taken for a typo; choose a more distinct name)%s", kind, name,
                              kind, name, cand[i], sec == SEC_AGENCY && !L->agencies_declared ?
                              " (the first [agency.NAME] of the files replaces the default "
                              "agencies: declare each agency the scenario needs)" : "");
        return SIM_OK;
    }
    int best = nearest(name, cand, n);
    if (best >= 0) snprintf(mean, sizeof mean, "did you mean \"%s\"? ", cand[best]);
    return at_err(L, o, "[%s.%s]: no %s \"%s\" is declared; %s--set changes a declared "
                  "section only (declared: %s); a new [%s.NAME] must be declared in a scenario "
                  "file", kind, name, kind, name, mean, n ? list : "none", kind);
}

/* Finds or creates the named section sec.name (agency, spillover, sanction, joint, collect,
 * retention); from a file, the first agency section replaces the default agencies. */
static sim_status open_named(loader *L, const origin *o, int sec, const char *name, int mode,
                             int *inst) {
    scenario *sc = L->sc;
    int first = sec == SEC_AGENCY && mode == OPEN_FILE && !L->agencies_declared;
    int count = first ? 0 : scn_sec_count(sc, sec), max = scn_sec_max(sec);
    for (int i = 0; i < count; i++)
        if (strcmp(scn_sec_name(sc, sec, i), name) == 0) {
            *inst = i;
            return SIM_OK;
        }
    if (mode != OPEN_TIMELINE && L->defaults_done && check_new(L, o, sec, name, mode) != SIM_OK)
        return L->st;
    if (first) {
        L->agencies_declared = 1;
        sc->nagencies = count = 0;
        memset(sc->agencies, 0, sizeof sc->agencies);
    }
    if (count == max)
        return at_err(L, o, "[%s.%s]: too many %s sections (at most %d)", scn_sec_names[sec], name,
                      scn_sec_names[sec], max);
    *inst = count;
    (*count_of(sc, sec))++;
    char *dst = scn_sec_name(sc, sec, *inst);
    memset(dst, 0, SCN_NAME_MAX);
    memcpy(dst, name, strlen(name));
    L->head[sec][*inst] = o ? *o : (origin){NULL, NULL, 0};
    instance_defaults(L, sec, *inst);
    return SIM_OK;
}

static sim_status unknown_section(loader *L, const origin *o, const char *name) {
    char buf[24][80];
    const char *cand[24];
    const char *dot = strchr(name, '.'), *sub = dot ? dot + 1 : "NAME";
    int n = 0;
    for (int s = 0; s < SEC_NKINDS; s++)
        if (!scn_sec_named(s)) snprintf(buf[n++], 80, "%s", scn_sec_names[s]);
        else if (s != SEC_LAYER) snprintf(buf[n++], 80, "%s.%.60s", scn_sec_names[s], sub);
    for (int l = 0; l < SCN_NLAYERS; l++)
        snprintf(buf[n++], 80, "layer.%s", scn_layer_name((scn_layer_id)l));
    for (int i = 0; i < n; i++) cand[i] = buf[i];
    int best = nearest(name, cand, n);
    if (best >= 0)
        return at_err(L, o, "[%s]: unknown section; did you mean \"%s\"?", name, cand[best]);
    return at_err(L, o, "[%s]: unknown section; the sections are [population] [scoring] [lists] "
                  "[redress] [inspection] [behaviour] [run] [layer.NAME] (NAME: family, parent, "
                  "social, employment, partner, legalrep) [agency.NAME] [spillover.NAME] "
                  "[sanction.NAME] [joint.AGENCY] [collect.NAME] [retention.AGENCY] [share.AGENCY] "
                  "[commercial] [severity.NAME]", name);
}

static sim_status open_section(loader *L, const origin *o, const char *name, int mode,
                               int *sec, int *inst) {
    const char *dot = strchr(name, '.');
    size_t plen = dot ? (size_t)(dot - name) : strlen(name);
    for (int s = 0; s < SEC_NKINDS; s++) {
        if (strlen(scn_sec_names[s]) != plen || strncmp(scn_sec_names[s], name, plen) != 0)
            continue;
        int named = scn_sec_named(s);
        *sec = s, *inst = 0;
        if (!named && !dot) return SIM_OK;
        if (!named) break;
        if (!dot || !dot[1])
            return at_err(L, o, "[%s]: this section needs a name, as in [%s.%s]", name,
                          scn_sec_names[s], s == SEC_LAYER ? "social" : "NAME");
        if (s == SEC_LAYER) {
            for (int l = 0; l < SCN_NLAYERS; l++)
                if (strcmp(scn_layer_name((scn_layer_id)l), dot + 1) == 0) {
                    *inst = l;
                    return SIM_OK;
                }
            break;
        }
        if (!valid_name(dot + 1))
            return at_err(L, o, "[%s]: the name must be 1 to %d characters of a-z, 0-9 and _",
                          name, SCN_NAME_MAX - 1);
        return open_named(L, o, s, dot + 1, mode, inst);
    }
    return unknown_section(L, o, name);
}

/* ---- files ---------------------------------------------------------------------------- */

/* Reads a whole scenario file (at most SCN_TEXT_MAX bytes). Returns 0, or -1 with why set. */
static int read_all(const char *path, char **data, size_t *len, char *why, size_t n) {
    return scn_ini_read_file(path, SCN_TEXT_MAX, data, len, why, n);
}

/* ---- the timeline: [at.STEP] sections and --set at.STEP.section.key=value ----------- */

/* A step number: all digits, 1 .. AT_MAX_STEP; -1 otherwise. */
static int parse_step(const char *d, size_t len) {
    if (len == 0 || len > 6 || strspn(d, "0123456789") < len) return -1;
    long v = 0;
    for (size_t i = 0; i < len; i++) v = v * 10 + (d[i] - '0');
    return v >= 1 && v <= AT_MAX_STEP ? (int)v : -1;
}

static sim_status open_at(loader *L, const origin *o, const char *name, int *sec, int *inst) {
    int step = name[2] == '.' ? parse_step(name + 3, strlen(name + 3)) : -1;
    if (step < 0)
        return at_err(L, o, "[%s]: a timeline section is [at.STEP], STEP a whole number 1 .. "
                      "%d: the step at whose start its changes apply", name, AT_MAX_STEP);
    *sec = SEC_AT, *inst = step;
    return SIM_OK;
}

/* Records `name = value` of [at.step] (name: section.key, as in agency.courts.detection). */
static sim_status add_change(loader *L, const origin *o, int step, const char *name,
                             const char *value) {
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name || !dot[1])
        return at_err(L, o, "[at.%d] %s: a timeline line is section.key = value, as in "
                      "agency.courts.detection = 0.4", step, name);
    if (!vec_reserve((void **)&L->tl, &L->tlcap, L->ntl + 1, sizeof *L->tl))
        return L->st = err_set(&L->e, SIM_ENOMEM, "out of memory");
    tl_entry e = {step, *o, keep(L, "%.*s", (int)(dot - name), name), keep(L, "%s", dot + 1),
                  keep(L, "%s", value)};
    for (size_t i = 0; i < L->ntl && o->line > 0 && !strchr(e.key, '+'); i++) {
        const tl_entry *x = &L->tl[i];
        if (x->step == step && x->at.line > 0 && strcmp(x->at.file, o->file) == 0 &&
            strcmp(x->lhs, e.lhs) == 0 && strcmp(x->key, e.key) == 0)
            return at_err(L, o, "[at.%d] %s: duplicate key (also set on line %d of this "
                          "file)", step, name, x->at.line);
    }
    L->tl[L->ntl++] = e;
    return SIM_OK;
}

/* --set at.STEP.section.key=value. */
static sim_status override_at(loader *L, const origin *o, const char *ov, const char *eq) {
    const char *d = ov + 3, *dot = strchr(d, '.');
    char name[256], value[SCN_NAMES_MAX * 2];
    int step = dot && dot < eq ? parse_step(d, (size_t)(dot - d)) : -1;
    if (step < 0 || !scn_trim_copy(dot + 1, (size_t)(eq - dot - 1), name, sizeof name) ||
        !scn_trim_copy(eq + 1, strlen(eq + 1), value, sizeof value))
        return at_err(L, o, "expected at.STEP.section.key=value, as in "
                      "at.36.agency.courts.false_record=0.01 (STEP 1 .. %d)", AT_MAX_STEP);
    return add_change(L, o, step, name, value);
}

/* A "[name]" line: mimics inih's parse (a ';' after a blank starts a comment). */
static sim_status section_line(filectx *c, const char *line) {
    const char *p = line + 1;
    int blank = 0;
    while (*p && *p != ']' && !(blank && *p == ';')) blank = (*p == ' ' || *p == '\t'), p++;
    if (*p != ']') return at_err(c->L, &c->at, "section header without a closing ']'");
    char name[128];
    if (!scn_trim_copy(line + 1, (size_t)(p - line - 1), name, sizeof name))
        return at_err(c->L, &c->at, "section name is too long");
    c->keys_here = 0;
    if (strncmp(name, "at.", 3) == 0 || strcmp(name, "at") == 0)
        return open_at(c->L, &c->at, name, &c->sec, &c->inst);
    return open_section(c->L, &c->at, name, OPEN_FILE, &c->sec, &c->inst);
}

/* inih's reader: the shared line reader (scn_ini.c) with this loader's errors; section
 * headers are handled here. */
static char *reader(char *str, int num, void *stream) {
    filectx *c = stream;
    if (c->L->st != SIM_OK) return NULL;
    char *line = scn_ini_next(str, num, &c->ini);
    c->at.line = c->ini.line;
    if (!line) {
        if (c->ini.why[0]) at_err(c->L, &c->at, "%s", c->ini.why);
        return NULL;
    }
    if (line[0] == '[' && section_line(c, line) != SIM_OK) return NULL;
    return line;
}

static sim_status parse_buffer(loader *L, const char *path, const char *data, size_t len);

static sim_status include_file(filectx *c, const char *value) {
    loader *L = c->L;
    char path[SCN_PATH_MAX * 2], why[700], real[PATH_MAX];
    if (c->keys_here > 0)
        return at_err(L, &c->at, "include must come before any other key of the file or "
                      "section");
    if (!*value) return at_err(L, &c->at, "include: empty path");
    snprintf(path, sizeof path, "%s%s", value[0] == '/' ? "" : c->at.dir, value);
    const char *id = keep(L, "%s", realpath(path, real) ? real : path);
    for (int i = 0; i < L->depth; i++)
        if (strcmp(L->stack[i], id) == 0) {
            char chain[600] = "";
            for (int j = i; j < L->depth; j++)
                snprintf(chain + strlen(chain), sizeof chain - strlen(chain), "%s -> ",
                         L->shown[j]);
            return at_err(L, &c->at, "include \"%s\": include cycle: %s%s", value, chain, path);
        }
    if (L->depth == MAX_DEPTH)
        return at_err(L, &c->at, "include \"%s\": includes nested deeper than %d", value,
                      MAX_DEPTH);
    char *data = NULL;
    size_t len = 0;
    if (read_all(path, &data, &len, why, sizeof why) != 0)
        return at_err(L, &c->at, "include \"%s\": %s", value, why);
    L->stack[L->depth] = id, L->shown[L->depth++] = keep(L, "%s", path);
    sim_status st = parse_buffer(L, L->shown[L->depth - 1], data, len);
    L->depth--;
    free(data);
    if (st == SIM_ESCENARIO) {
        size_t m = strlen(L->e.msg);
        snprintf(L->e.msg + m, sizeof L->e.msg - m, " (included from %s:%d)", c->at.file,
                 c->at.line);
    }
    return st;
}

static int on_key(void *user, const char *section, const char *name, const char *value) {
    filectx *c = user;
    loader *L = c->L;
    (void)section;
    if (L->st != SIM_OK) return 0;
    if (strcmp(name, "include") == 0) include_file(c, value);
    else if (c->sec == SEC_AT) {
        c->keys_here++;
        add_change(L, &c->at, c->inst, name, value);
    } else if (c->sec < 0)
        at_err(L, &c->at, "%s: key outside any section; put it under a [section] (only "
               "include may come first)", name);
    else {
        c->keys_here++;
        set_named(L, &c->at, c->sec, c->inst, name, value, c->seen);
    }
    return L->st == SIM_OK;
}

static sim_status parse_buffer(loader *L, const char *path, const char *data, size_t len) {
    filectx *c = calloc(1, sizeof *c);
    if (!c) return L->st = err_set(&L->e, SIM_ENOMEM, "out of memory reading %s", path);
    const char *slash = strrchr(path, '/');
    c->L = L, c->sec = -1;
    scn_ini_start(&c->ini, data, len);
    c->at.file = keep(L, "%s", path);
    c->at.dir = keep(L, "%.*s", slash ? (int)(slash - path + 1) : 0, path);
    scn_sb_printf(&L->text, "; --- file: %s\n", path);
    scn_sb_put(&L->text, data, len);
    if (len > 0 && data[len - 1] != '\n') scn_sb_put(&L->text, "\n", 1);
    if (L->text.len > SCN_TEXT_MAX)
        at_err(L, &c->at, "the scenario files together exceed %d bytes", SCN_TEXT_MAX);
    int r = L->st == SIM_OK ? ini_parse_stream(reader, c, on_key, c) : 0;
    if (L->st == SIM_OK && r > 0) {
        c->at.line = r;
        at_err(L, &c->at, "cannot parse this line; expected [section], key = value or a comment");
    } else if (L->st == SIM_OK && r < 0) {
        L->st = err_set(&L->e, SIM_ENOMEM, "out of memory parsing %s", path);
    }
    free(c);
    return L->st;
}

/* ---- overrides ------------------------------------------------------------------------ */

static sim_status apply_override(loader *L, const char *ov) {
    char why[160];
    if (!scn_ini_text_ok(ov, strlen(ov), why, sizeof why)) {   /* not echoed: raw bytes */
        origin bad = {"--set", "", 0};
        return at_err(L, &bad, "%s", why);
    }
    origin o = {keep(L, "--set %s", ov), "", 0};
    const char *eq = strchr(ov, '=');
    char lhs[256], *dot;
    int sec, inst;
    if (eq && strncmp(ov, "at.", 3) == 0) return override_at(L, &o, ov, eq);
    if (!eq || !scn_trim_copy(ov, (size_t)(eq - ov), lhs, sizeof lhs) ||
        !(dot = strrchr(lhs, '.')) || dot == lhs || !dot[1])
        return at_err(L, &o, "expected section.key=value, as in population.persons=1000");
    *dot = '\0';
    char *value = malloc(strlen(eq + 1) + 1);
    if (!value) return L->st = err_set(&L->e, SIM_ENOMEM, "out of memory");
    scn_trim_copy(eq + 1, strlen(eq + 1), value, strlen(eq + 1) + 1);
    if (open_section(L, &o, lhs, OPEN_SET, &sec, &inst) == SIM_OK)
        set_named(L, &o, sec, inst, dot + 1, value, NULL);
    free(value);
    return L->st;
}

/* ---- cross-key checks ----------------------------------------------------------------- */

/* Fills a list up to n entries (missing: fill) and zeroes the rest; too many entries given
 * explicitly is an error, a default that is too long is cut. */
static sim_status fin_list(loader *L, int sec, int inst, const char *name, int n, double fill,
                           const char *what) {
    int kidx = find_key(sec, name);
    double *a = (double *)((char *)scn_sec_base(L->sc, sec, inst) + scn_keys[kidx].off);
    int cnt = L->listn[kidx][inst], cap = (int)(scn_keys[kidx].size / sizeof(double));
    if (cnt > n && L->org[kidx][inst].file)
        return key_err(L, &L->org[kidx][inst], sec, inst, name, "%d entries, but there are "
                       "only %d %s", cnt, n, what);
    for (int i = cnt < n ? cnt : n; i < cap; i++) a[i] = i < n ? fill : 0.0;
    return SIM_OK;
}

static sim_status fin_lists(loader *L) {
    scn_population *p = &L->sc->population;
    if (fin_list(L, SEC_POPULATION, 0, "group_shares", p->groups, 1.0 / p->groups, "groups"))
        return L->st;
    double sum = 0;
    for (int i = 0; i < p->groups; i++) sum += p->group_shares[i];
    if (!(sum > 0))
        return key_err(L, org_of(L, SEC_POPULATION, 0, "group_shares"), SEC_POPULATION, 0,
                       "group_shares", "the shares sum to 0");
    if (fabs(sum - 1.0) > 1e-12)
        for (int i = 0; i < p->groups; i++) p->group_shares[i] /= sum;
    /* every entry is now set: the timeline's re-check of each step (finish again) must not
       fill and normalise the normalised shares a second time */
    L->listn[find_key(SEC_POPULATION, "group_shares")][0] = p->groups;
    for (int a = 0; a < L->sc->nagencies; a++)
        if (fin_list(L, SEC_AGENCY, a, "coverage_by_region", p->regions, 1.0, "regions") ||
            fin_list(L, SEC_AGENCY, a, "coverage_by_group", p->groups, 1.0, "groups") ||
            fin_list(L, SEC_AGENCY, a, "false_match_by_group", p->groups, 1.0, "groups"))
            return L->st;
    for (int c = 0; c < L->sc->nsources; c++)
        if (fin_list(L, SEC_COLLECT, c, "coverage_by_region", p->regions, 1.0, "regions") ||
            fin_list(L, SEC_COLLECT, c, "coverage_by_group", p->groups, 1.0, "groups"))
            return L->st;
    for (int r = 0; r < L->sc->nshares; r++)
        if (fin_list(L, SEC_SHARE, r, "opt_in", p->groups, 0.5, "groups")) return L->st;
    if (fin_list(L, SEC_BEHAVIOUR, 0, "deed_rate_by_group", p->groups, 1.0, "groups") ||
        fin_list(L, SEC_COMMERCIAL, 0, "opt_in", p->groups, 0.0, "groups"))
        return L->st;
    return SIM_OK;
}

static sim_status check_population(loader *L) {
    const scn_population *p = &L->sc->population;
    for (int f = 0; f < 2; f++) {
        double m = f ? p->firm_propensity_mean : p->propensity_mean;
        double sd = f ? p->firm_propensity_sd : p->propensity_sd;
        const char *sdk = f ? "firm_propensity_sd" : "propensity_sd";
        const char *mk = f ? "firm_propensity_mean" : "propensity_mean";
        if (sd < sqrt(m * (1 - m))) continue;
        const char *k = is_set(L, SEC_POPULATION, 0, sdk) ? sdk : mk;
        return key_err(L, org_of(L, SEC_POPULATION, 0, k), SEC_POPULATION, 0, sdk,
                       "%g must be below sqrt(m(1-m)) = %g for %s m = %g (Beta distribution)",
                       sd, sqrt(m * (1 - m)), mk, m);
    }
    return SIM_OK;
}

static sim_status check_scoring(loader *L) {
    const scn_scoring *s = &L->sc->scoring;
    if (s->min <= s->base && s->base <= s->max) return SIM_OK;
    const char *k = is_set(L, SEC_SCORING, 0, "base") ? "base"
                  : is_set(L, SEC_SCORING, 0, "min") ? "min" : "max";
    return key_err(L, org_of(L, SEC_SCORING, 0, k), SEC_SCORING, 0, k,
                   "need min <= base <= max, but min = %g, base = %g, max = %g",
                   s->min, s->base, s->max);
}

/* Own lists (docs/ODD.md 7.19): only in the lists regime; each term and redress key of an
 * agency is -1 (inherit) or in its range, and is set only with own_lists = true. */
static sim_status check_own_lists(loader *L) {
    static const char *const keys[6] = {"black_term", "watch_term", "extend", "repair",
                                        "repair_after", "appeal"};
    for (int a = 0; a < L->sc->nagencies; a++) {
        const scn_agency *g = &L->sc->agencies[a];
        const double v[6] = {g->black_term, g->watch_term, g->extend, g->repair,
                             g->repair_after, g->appeal};
        const double lo[6] = {1, 1, 0, 0, 0, 0}, hi[6] = {10000, 10000, 10000, 1, 10000, 1};
        if (g->own_lists && L->sc->scoring.regime != REGIME_LISTS)
            return key_err(L, org_of(L, SEC_AGENCY, a, "own_lists"), SEC_AGENCY, a, "own_lists",
                           "own lists need scoring.regime = lists (points: one score, one "
                           "set of lists)");
        for (int k = 0; k < 6; k++) {
            if (!is_set(L, SEC_AGENCY, a, keys[k])) continue;
            const origin *o = org_of(L, SEC_AGENCY, a, keys[k]);
            if (!g->own_lists && v[k] != -1)
                return key_err(L, o, SEC_AGENCY, a, keys[k], "only with own_lists = true");
            if (v[k] != -1 && v[k] < lo[k])
                return key_err(L, o, SEC_AGENCY, a, keys[k], "%g is out of range (allowed: -1 "
                               "to inherit, or %g .. %g)", v[k], lo[k], hi[k]);
        }
        if (g->public && !g->own_lists)
            return key_err(L, org_of(L, SEC_AGENCY, a, "public"), SEC_AGENCY, a, "public",
                           "only with own_lists = true");
    }
    return SIM_OK;
}

/* Which generators a layer may use. */
static int generator_ok(int layer, scn_generator g) {
    if (g == GEN_CSV) return 1;
    if (layer == LAYER_SOCIAL) return g != GEN_STRUCTURAL;
    if (layer == LAYER_PARTNER) return g != GEN_STRUCTURAL && g != GEN_SBM;
    return g == GEN_STRUCTURAL;
}

static sim_status check_degree(loader *L, int l, double nodes) {
    const scn_layer *y = &L->sc->layers[l];
    const origin *o = org_of(L, SEC_LAYER, l, "mean_degree");
    if (y->generator == GEN_CONFIG) {
        if (y->min_degree <= y->max_degree) return SIM_OK;
        return key_err(L, org_of(L, SEC_LAYER, l, "min_degree"), SEC_LAYER, l, "min_degree",
                       "%lld exceeds max_degree %lld", (long long)y->min_degree,
                       (long long)y->max_degree);
    }
    if (y->generator == GEN_WS && (y->mean_degree < 2 || fmod(y->mean_degree, 2) != 0))
        return key_err(L, o, SEC_LAYER, l, "mean_degree", "ws needs an even whole number >= 2 "
                       "(the ring's k), not %g", y->mean_degree);
    if ((y->generator == GEN_ER || y->generator == GEN_WS || y->generator == GEN_SBM) &&
        !(y->mean_degree < nodes))
        return key_err(L, o, SEC_LAYER, l, "mean_degree", "%g must be below the number of "
                       "nodes (%.0f)", y->mean_degree, nodes);
    return SIM_OK;
}

static sim_status check_layers(loader *L) {
    const scenario *sc = L->sc;
    double firms = floor(sc->population.persons * sc->population.firms_per_person + 0.5);
    for (int l = 0; l < SCN_NLAYERS; l++) {
        const scn_layer *y = &sc->layers[l];
        const origin *go = org_of(L, SEC_LAYER, l, "generator");
        if (!generator_ok(l, y->generator))
            return key_err(L, go, SEC_LAYER, l, "generator", "\"%s\" is not available for "
                           "this layer (allowed here: %s)", scn_generator_name(y->generator),
                           l == LAYER_SOCIAL ? "er, ws, config, sbm, csv" : l == LAYER_PARTNER
                           ? "er, ws, config, csv" : "structural, csv");
        if (y->generator == GEN_CSV && !y->file[0])
            return key_err(L, go, SEC_LAYER, l, "generator", "csv needs file = PATH of an edge "
                           "list");
        if (y->enabled && (l == LAYER_SOCIAL || l == LAYER_PARTNER) &&
            check_degree(L, l, l == LAYER_SOCIAL ? (double)sc->population.persons : firms))
            return L->st;
    }
    return SIM_OK;
}

static sim_status check_rules(loader *L) {
    const scenario *sc = L->sc;
    for (int r = 0; r < sc->nrules; r++) {
        const scn_rule *u = &sc->rules[r];
        if (!is_set(L, SEC_SPILLOVER, r, "layer") || !is_set(L, SEC_SPILLOVER, r, "kind"))
            return key_err(L, &L->head[SEC_SPILLOVER][r], SEC_SPILLOVER, r, NULL, "a rule needs %s set "
                           "explicitly (layer = family|parent|social|employment|partner|"
                           "legalrep; kind = additive|threshold|probabilistic|inherit)",
                           is_set(L, SEC_SPILLOVER, r, "layer") ? "kind" : "layer");
        if (u->kind == RULE_INHERIT && u->layer != LAYER_PARENT && u->layer != LAYER_LEGALREP)
            return key_err(L, org_of(L, SEC_SPILLOVER, r, "kind"), SEC_SPILLOVER, r, "kind",
                           "inherit needs a directed layer (parent or legalrep), not %s",
                           scn_layer_name(u->layer));
        if (!sc->layers[u->layer].enabled)
            return key_err(L, org_of(L, SEC_SPILLOVER, r, "layer"), SEC_SPILLOVER, r, "layer",
                           "layer %s is disabled (enabled = false)", scn_layer_name(u->layer));
    }
    return SIM_OK;
}

/* ---- what the society will need: checked here, so that validate sees it --------------- */

typedef struct keyref { int sec, inst; const char *name; } keyref;

/* Where to point for a problem of keys k[0..n-1]: the first set by --set, else the first set
 * in a file, else NULL (all defaults). Into buf: where each non-default one was set. */
static const origin *blame(loader *L, const keyref *k, int n, char *buf, size_t len) {
    const origin *best = NULL;
    size_t used = 0;
    int defaults = 0;
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        const origin *o = org_of(L, k[i].sec, k[i].inst, k[i].name);
        if (!o->file && ++defaults) continue;
        char label[80], w[300];
        scn_sec_label(L->sc, k[i].sec, k[i].inst, label, sizeof label);
        used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s.%s from %s",
                                 used ? "; " : " (", label, k[i].name,
                                 where(L, o, w, sizeof w));
        if (!best || (o->line == 0 && best->line > 0)) best = o;
    }
    if (used && used < len) snprintf(buf + used, len - used, "%s)",
                                     defaults ? "; the rest are defaults" : "");
    return best;
}

/* The social layer's stochastic block model must ask for tie probabilities <= 1. */
static sim_status check_sbm(loader *L) {
    const scenario *sc = L->sc;
    const scn_layer *y = &sc->layers[LAYER_SOCIAL];
    if (!y->enabled || y->generator != GEN_SBM) return SIM_OK;
    scn_sbm_need need;
    scn_sbm_need_of(sc, &need);
    if (!need.none && need.p <= 1 + 1e-9) return SIM_OK;
    const keyref k[] = {{SEC_POPULATION, 0, "persons"}, {SEC_POPULATION, 0, "regions"},
                        {SEC_POPULATION, 0, "groups"}, {SEC_POPULATION, 0, "group_shares"},
                        {SEC_LAYER, LAYER_SOCIAL, "mean_degree"},
                        {SEC_LAYER, LAYER_SOCIAL, "homophily_region"},
                        {SEC_LAYER, LAYER_SOCIAL, "homophily_group"}};
    char set[700], what[200];
    const origin *o = blame(L, k, (int)(sizeof k / sizeof *k), set, sizeof set);
    if (need.none) snprintf(what, sizeof what, "ties only between members of blocks that "
                            "have no such pairs");
    else snprintf(what, sizeof what, "a tie probability of %.3g > 1 between members of %s",
                  need.p, scn_sbm_class_name(need.cls));
    return key_err(L, o, SEC_LAYER, LAYER_SOCIAL, "mean_degree", "sbm: mean_degree %g with "
                   "homophily_region %g and homophily_group %g asks for %s (population."
                   "persons %lld in %d regions and %d groups, at the expected group sizes); "
                   "lower the degree or the homophily, or raise population.persons%s",
                   y->mean_degree, y->homophily_region, y->homophily_group, what,
                   (long long)sc->population.persons, sc->population.regions,
                   sc->population.groups, set);
}

/* An edge list must be a regular file the run can open. */
static sim_status check_edge_lists(loader *L) {
    for (int l = 0; l < SCN_NLAYERS; l++) {
        const scn_layer *y = &L->sc->layers[l];
        struct stat sb;
        if (!y->enabled || y->generator != GEN_CSV || !y->file[0]) continue;
        const origin *o = org_of(L, SEC_LAYER, l, "file");
        if (stat(y->file, &sb) != 0 || access(y->file, R_OK) != 0)
            return key_err(L, o, SEC_LAYER, l, "file", "cannot read the edge list %s: %s",
                           y->file, strerror(errno));
        if (!S_ISREG(sb.st_mode))
            return key_err(L, o, SEC_LAYER, l, "file", "the edge list %s is not a regular "
                           "file (a device, pipe or directory cannot be read as one)", y->file);
    }
    return SIM_OK;
}

/* A text value (a path as resolved, a list of names) that `show` could not write as a line
 * the reader accepts: refused, so that show's output always reads back. */
static sim_status check_line_lengths(loader *L) {
    for (int i = 0; i < NKEYS; i++) {
        const key_desc *k = &scn_keys[i];
        if (k->type != K_PATH && k->type != K_NAMES) continue;
        for (int inst = 0; inst < scn_sec_count(L->sc, (int)k->sec); inst++) {
            const char *v = (const char *)scn_sec_base(L->sc, (int)k->sec, inst) + k->off;
            size_t line = strlen(k->name) + 3 + strnlen(v, k->size);
            if (line <= SCN_INI_LINE_MAX) continue;
            return key_err(L, &L->org[i][inst], (int)k->sec, inst, k->name, "the value%s is "
                           "%zu characters long: `scsim show` would write it as a line of %zu "
                           "characters, and a scenario line may have at most %d; use a "
                           "shorter one", k->type == K_PATH ? " (the path as resolved)" : "",
                           strnlen(v, k->size), line, SCN_INI_LINE_MAX);
        }
    }
    return SIM_OK;
}

/* Rules the engine cannot apply, layers it cannot build, values show cannot write. */
static sim_status check_society(loader *L) {
    const scenario *sc = L->sc;
    char set[700];
    for (int r = 0; r < sc->nrules; r++)
        if (sc->rules[r].kind == RULE_ADDITIVE && sc->scoring.regime != REGIME_POINTS) {
            const keyref k[] = {{SEC_SPILLOVER, r, "kind"}, {SEC_SCORING, 0, "regime"}};
            return key_err(L, blame(L, k, 2, set, sizeof set), SEC_SPILLOVER, r, "kind",
                           "additive spillover changes a score and needs scoring.regime = "
                           "points%s", set);
        }
    return check_sbm(L) || check_edge_lists(L) || check_line_lengths(L) ? L->st : SIM_OK;
}

/* ---- names that refer to other parts ------------------------------------------------ */

typedef struct resolve {
    loader *L;
    int sec, inst;
    const char *key;
    const char *what;        /* for the message: "a list", "a sanction", ... */
    unsigned mask;
} resolve;

static int bad_name(resolve *r, const char *name, const char *allowed) {
    key_err(r->L, org_of(r->L, r->sec, r->inst, r->key), r->sec, r->inst, r->key,
            "\"%s\" is not %s (allowed: %s)", name, r->what, allowed);
    return 1;
}

static int add_list(void *ctx, const char *name) {
    resolve *r = ctx;
    int l = scn_list_word(name);
    if (l < 0) return bad_name(r, name, "black, watch, red");
    r->mask |= 1u << l;
    return 0;
}

static int add_reach(void *ctx, const char *name) {
    resolve *r = ctx;
    int b = scn_reach_word(name);
    if (!b) return bad_name(r, name, scn_reach_words);
    r->mask |= (unsigned)b;
    return 0;
}

static int add_layer(void *ctx, const char *name) {
    resolve *r = ctx;
    int l = scn_layer_word(name);
    if (l < 0 || l == LAYER_PARENT || l == LAYER_LEGALREP)
        return bad_name(r, name, "family, social, employment, partner (undirected layers)");
    r->mask |= 1u << l;
    return 0;
}

static int add_sanction(void *ctx, const char *name) {
    resolve *r = ctx;
    const scenario *sc = r->L->sc;
    for (int k = 0; k < sc->nsanctions; k++)
        if (strcmp(sc->sanctions[k].name, name) == 0) { r->mask |= 1u << k; return 0; }
    char list[400] = "";
    for (int k = 0; k < sc->nsanctions; k++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? ", " : "",
                 sc->sanctions[k].name);
    return bad_name(r, name, sc->nsanctions ? list : "none declared; add a [sanction.NAME]");
}

static int find_agency(const scenario *sc, const char *name) {
    for (int a = 0; a < sc->nagencies; a++)
        if (strcmp(sc->agencies[a].name, name) == 0) return a;
    return -1;
}

static int one_name(const char *s, char *out, size_t n) {
    while (*s == ' ' || *s == '\t') s++;
    return scn_trim_copy(s, strlen(s), out, n) && !strchr(out, ',');
}

/* Resolves the names in sanctions, the joint punishment matrix, [inspection] and
 * [behaviour] to indices and bit masks, naming file, line and key when one is unknown. */
static sim_status resolve_names(loader *L) {
    scenario *sc = L->sc;
    char agencies[400] = "";
    for (int a = 0; a < sc->nagencies; a++)
        snprintf(agencies + strlen(agencies), sizeof agencies - strlen(agencies), "%s%s",
                 a ? ", " : "", sc->agencies[a].name);
    for (int k = 0; k < sc->nsanctions; k++) {
        scn_sanction *x = &sc->sanctions[k];
        resolve r = {L, SEC_SANCTION, k, "lists", "a list", 0};
        if (scn_each_name(x->lists, add_list, &r)) return L->st;
        x->list_mask = r.mask;
        r = (resolve){L, SEC_SANCTION, k, "reach", "a reach", 0};
        if (scn_each_name(x->reach, add_reach, &r)) return L->st;
        if (!r.mask)
            return key_err(L, org_of(L, SEC_SANCTION, k, "reach"), SEC_SANCTION, k, "reach",
                           "reaches no one (allowed: %s)", scn_reach_words);
        x->reach_mask = r.mask;
    }
    for (int j = 0; j < sc->njoint; j++) {
        scn_joint *x = &sc->joint[j];
        if ((x->agency = find_agency(sc, x->name)) < 0)
            return key_err(L, &L->head[SEC_JOINT][j], SEC_JOINT, j, NULL, "\"%s\" is not a "
                           "declared agency (agencies: %s)", x->name, agencies);
        const char *keys[2] = {"black", "watch"};
        const char *vals[2] = {x->black, x->watch};
        for (int l = 0; l < 2; l++) {
            resolve r = {L, SEC_JOINT, j, keys[l], "a declared sanction", 0};
            if (scn_each_name(vals[l], add_sanction, &r)) return L->st;
            x->mask[l] = r.mask;
        }
    }
    scn_inspection *in = &sc->inspection;
    char name[SCN_NAME_MAX];
    in->target = -1;
    if (in->agency[0]) {
        if (!one_name(in->agency, name, sizeof name) || (in->target = find_agency(sc, name)) < 0)
            return key_err(L, org_of(L, SEC_INSPECTION, 0, "agency"), SEC_INSPECTION, 0,
                           "agency", "\"%s\" is not one declared agency (agencies: %s)",
                           in->agency, agencies);
    }
    resolve r = {L, SEC_BEHAVIOUR, 0, "ostracism_layers", "an undirected layer", 0};
    if (scn_each_name(sc->behaviour.ostracism_layers, add_layer, &r)) return L->st;
    sc->behaviour.layer_mask = r.mask;
    return SIM_OK;
}

/* An agency name for key (sec, inst, key): its index, or an error naming the declared
 * agencies and the nearest one. head: where to point when the name is a section's own. */
static int agency_ref(loader *L, int sec, int inst, const char *key, const char *name,
                      const origin *head) {
    const scenario *sc = L->sc;
    char one[SCN_NAME_MAX], agencies[400] = "";
    const char *cand[SCN_MAX_AGENCIES];
    int a = one_name(name, one, sizeof one) ? find_agency(sc, one) : -1;
    if (a >= 0) return a;
    for (int k = 0; k < sc->nagencies; k++) {
        cand[k] = sc->agencies[k].name;
        snprintf(agencies + strlen(agencies), sizeof agencies - strlen(agencies), "%s%s",
                 k ? ", " : "", sc->agencies[k].name);
    }
    int best = nearest(name, cand, sc->nagencies);
    const origin *o = head ? head : org_of(L, sec, inst, key);
    if (best >= 0)
        key_err(L, o, sec, inst, key, "\"%s\" is not a declared agency; did you mean \"%s\"? "
                "(agencies: %s)", name, cand[best], agencies);
    else
        key_err(L, o, sec, inst, key, "\"%s\" is not a declared agency (agencies: %s)",
                name[0] ? name : "(none)", agencies);
    return -1;
}

static int add_kind(void *ctx, const char *name) {
    resolve *r = ctx;
    int k = scn_kind_word(name);
    if (k < 0)
        return bad_name(r, name, "violations, sightings, transactions, registrations, online");
    r->mask |= 1u << k;
    return 0;
}

/* [collect.NAME]: agency and kind given, the agency declared; [retention.AGENCY]: the
 * agency declared, one section per agency, the public kinds known. */
static sim_status resolve_collection(loader *L) {
    scenario *sc = L->sc;
    for (int c = 0; c < sc->nsources; c++) {
        scn_collect *x = &sc->sources[c];
        if (!is_set(L, SEC_COLLECT, c, "agency") || !is_set(L, SEC_COLLECT, c, "kind"))
            return key_err(L, &L->head[SEC_COLLECT][c], SEC_COLLECT, c,
                           is_set(L, SEC_COLLECT, c, "agency") ? "kind" : "agency",
                           "a collection source needs %s set explicitly",
                           is_set(L, SEC_COLLECT, c, "agency")
                               ? "kind = sightings|transactions|registrations|online"
                               : "agency = NAME of a declared [agency.NAME]");
        if ((x->agency_index = agency_ref(L, SEC_COLLECT, c, "agency", x->agency, NULL)) < 0)
            return L->st;
    }
    for (int r = 0; r < sc->nretention; r++) {
        scn_retention *x = &sc->retention[r];
        if ((x->agency = agency_ref(L, SEC_RETENTION, r, NULL, x->name,
                                    &L->head[SEC_RETENTION][r])) < 0)
            return L->st;
        resolve rs = {L, SEC_RETENTION, r, "public", "a kind", 0};
        if (scn_each_name(x->public, add_kind, &rs)) return L->st;
        x->public_mask = rs.mask;
    }
    return SIM_OK;
}

/* One receiver of [share.FROM] to: a declared agency other than FROM. */
static int add_receiver(void *ctx, const char *name) {
    resolve *r = ctx;
    const scenario *sc = r->L->sc;
    int a = find_agency(sc, name), from = sc->shares[r->inst].agency;
    if (a < 0) return agency_ref(r->L, SEC_SHARE, r->inst, "to", name, NULL) < 0;
    if (a == from)
        return key_err(r->L, org_of(r->L, SEC_SHARE, r->inst, "to"), SEC_SHARE, r->inst, "to",
                       "\"%s\" is the sending agency itself; name the bodies that receive "
                       "its records", name), 1;
    r->mask |= 1u << a;
    return 0;
}

/* [share.FROM]: FROM declared, to names one or more declared agencies (not FROM), the kinds
 * known. */
static sim_status resolve_sharing(loader *L) {
    scenario *sc = L->sc;
    for (int r = 0; r < sc->nshares; r++) {
        scn_share *x = &sc->shares[r];
        if ((x->agency = agency_ref(L, SEC_SHARE, r, NULL, x->name, &L->head[SEC_SHARE][r])) < 0)
            return L->st;
        resolve to = {L, SEC_SHARE, r, "to", "a declared agency", 0};
        if (scn_each_name(x->to, add_receiver, &to)) return L->st;
        if (!to.mask)
            return key_err(L, is_set(L, SEC_SHARE, r, "to") ? org_of(L, SEC_SHARE, r, "to")
                           : &L->head[SEC_SHARE][r], SEC_SHARE, r, "to", "a share needs to = "
                           "the receiving bodies (declared agencies, e.g. a platform)");
        x->to_mask = to.mask;
        resolve ks = {L, SEC_SHARE, r, "kinds", "a kind", 0};
        if (scn_each_name(x->kinds, add_kind, &ks)) return L->st;
        x->kind_mask = ks.mask;
    }
    return SIM_OK;
}

/* ---- regional pilots (docs/ODD.md 7.21) ------------------------------------------------ */

typedef struct region_ctx { loader *L; int sec, inst; uint64_t mask; } region_ctx;

/* One region of a `regions` key: a 0-based index below population.regions. */
static int add_region(void *ctx, const char *name) {
    region_ctx *r = ctx;
    int R = r->L->sc->population.regions;
    char *end;
    long v = strtol(name, &end, 10);
    if (*end || end == name || v < 0 || v >= R) {
        key_err(r->L, org_of(r->L, r->sec, r->inst, "regions"), r->sec, r->inst, "regions",
                "\"%s\" is not a region index (allowed: 0 .. %d, since population.regions = "
                "%d; indices are 0-based)", name, R - 1, R);
        return 1;
    }
    r->mask |= 1ull << v;
    return 0;
}

/* The `regions` key of every agency, spillover rule, sanction and collection source, and of
 * [lists], into its region_mask: the regions listed, or every bit (every region, whatever
 * population.regions) when it is empty. */
static sim_status resolve_regions(loader *L) {
    scenario *sc = L->sc;
    static const int secs[] = {SEC_AGENCY, SEC_SPILLOVER, SEC_SANCTION, SEC_COLLECT, SEC_LISTS};
    for (size_t k = 0; k < sizeof secs / sizeof *secs; k++) {
        size_t off = scn_keys[find_key(secs[k], "regions")].off;
        for (int i = 0; i < scn_sec_count(sc, secs[k]); i++) {
            region_ctx r = {L, secs[k], i, 0};
            if (scn_each_name((char *)scn_sec_base(sc, secs[k], i) + off, add_region, &r))
                return L->st;
            uint64_t m = r.mask ? r.mask : UINT64_MAX;
            if (secs[k] == SEC_AGENCY) sc->agencies[i].region_mask = m;
            else if (secs[k] == SEC_SPILLOVER) sc->rules[i].region_mask = m;
            else if (secs[k] == SEC_SANCTION) sc->sanctions[i].region_mask = m;
            else if (secs[k] == SEC_COLLECT) sc->sources[i].region_mask = m;
            else sc->lists.region_mask = m;
        }
    }
    return SIM_OK;
}

/* [severity.*] sanctions name declared sanctions; every agency's severity names one tier
 * (ordinary and serious always exist). */
static sim_status resolve_severity(loader *L) {
    scenario *sc = L->sc;
    for (int k = 0; k < sc->ntiers; k++) {
        resolve r = {L, SEC_SEVERITY, k, "sanctions", "a declared sanction", 0};
        if (scn_each_name(sc->tiers[k].sanctions, add_sanction, &r)) return L->st;
        sc->tiers[k].sanction_mask = r.mask;
    }
    for (int a = 0; a < sc->nagencies; a++) {
        const char *cand[SCN_MAX_TIERS];
        char list[400], one[SCN_NAME_MAX];
        int n = declared(sc, SEC_SEVERITY, cand, list, sizeof list), t = -1;
        if (one_name(sc->agencies[a].severity, one, sizeof one))
            for (int k = 0; k < n && t < 0; k++) t = strcmp(cand[k], one) ? -1 : k;
        if ((sc->agencies[a].tier = t) >= 0) continue;
        int best = nearest(sc->agencies[a].severity, cand, n);
        char mean[80] = "";
        if (best >= 0) snprintf(mean, sizeof mean, "did you mean \"%s\"? ", cand[best]);
        return key_err(L, org_of(L, SEC_AGENCY, a, "severity"), SEC_AGENCY, a, "severity",
                       "\"%s\" is not a severity tier; %s(tiers: %s; declare a new one as "
                       "[severity.NAME])", sc->agencies[a].severity, mean, list);
    }
    return SIM_OK;
}

/* One agency of [commercial] agencies: a declared agency. */
static int add_agency(void *ctx, const char *name) {
    resolve *r = ctx;
    int a = find_agency(r->L->sc, name);
    if (a < 0) return agency_ref(r->L, r->sec, r->inst, r->key, name, NULL) < 0;
    r->mask |= 1u << a;
    return 0;
}

/* [commercial] (issue 13 item 4): min <= base <= max; agencies declared; rewards declared
 * sanctions that are rewards. */
static sim_status resolve_commercial(loader *L) {
    scn_commercial *x = &L->sc->commercial;
    if (!(x->min <= x->base && x->base <= x->max)) {
        const char *k = is_set(L, SEC_COMMERCIAL, 0, "base") ? "base"
                      : is_set(L, SEC_COMMERCIAL, 0, "min") ? "min" : "max";
        return key_err(L, org_of(L, SEC_COMMERCIAL, 0, k), SEC_COMMERCIAL, 0, k,
                       "need min <= base <= max, but min = %g, base = %g, max = %g",
                       x->min, x->base, x->max);
    }
    resolve ag = {L, SEC_COMMERCIAL, 0, "agencies", "a declared agency", 0};
    if (scn_each_name(x->agencies, add_agency, &ag)) return L->st;
    x->agency_mask = ag.mask;   /* 0: every agency */
    resolve rw = {L, SEC_COMMERCIAL, 0, "rewards", "a declared sanction", 0};
    if (scn_each_name(x->rewards, add_sanction, &rw)) return L->st;
    for (int k = 0; k < L->sc->nsanctions; k++)
        if ((rw.mask >> k & 1) && !L->sc->sanctions[k].reward)
            return key_err(L, org_of(L, SEC_COMMERCIAL, 0, "rewards"), SEC_COMMERCIAL, 0,
                           "rewards", "\"%s\" is a sanction, not a reward (give it reward = "
                           "true)", L->sc->sanctions[k].name);
    x->reward_mask = rw.mask;
    return SIM_OK;
}

/* ---- sections switched off (enabled = false) ----------------------------------------- */

/* Moves instance from to instance to of section kind sec, with the loader's records of it. */
static void move_instance(loader *L, int sec, int from, int to) {
    char *b0 = scn_sec_base(L->sc, sec, 0), *b1 = scn_sec_base(L->sc, sec, 1);
    size_t stride = (size_t)(b1 - b0);
    memmove(b0 + (size_t)to * stride, b0 + (size_t)from * stride, stride);
    for (int k = 0; k < NKEYS; k++)
        if ((int)scn_keys[k].sec == sec) {
            L->org[k][to] = L->org[k][from];
            L->listn[k][to] = L->listn[k][from];
        }
    L->head[sec][to] = L->head[sec][from];
}

/* Drops every user-named section whose enabled is false, as if it had not been declared;
 * what referred to it then fails the name checks. */
static void drop_disabled(loader *L) {
    static const int secs[] = {SEC_AGENCY, SEC_SPILLOVER, SEC_SANCTION, SEC_JOINT, SEC_COLLECT,
                               SEC_RETENTION, SEC_SHARE};
    for (size_t s = 0; s < sizeof secs / sizeof *secs; s++) {
        int sec = secs[s], *count = count_of(L->sc, sec), kept = 0;
        size_t off = scn_keys[find_key(sec, "enabled")].off;
        for (int i = 0; i < *count; i++) {
            if (!*(int *)((char *)scn_sec_base(L->sc, sec, i) + off)) continue;
            if (kept != i) move_instance(L, sec, i, kept);
            kept++;
        }
        *count = kept;
    }
}

static sim_status finish(loader *L) {
    drop_disabled(L);
    if (fin_lists(L) || check_population(L) || check_scoring(L) || check_layers(L) ||
        check_rules(L) || resolve_names(L) || resolve_collection(L) || resolve_sharing(L) ||
        resolve_regions(L) || resolve_commercial(L) || resolve_severity(L) ||
        check_society(L) || check_own_lists(L))
        return L->st;
    return SIM_OK;
}

/* ---- the timeline's scenarios --------------------------------------------------------- */

/* Applies one change to L->sc (the scenario in force before its step), as a --set would,
 * refusing keys that cannot change mid-run and new agencies or spillover rules. */
static sim_status apply_change(loader *L, const tl_entry *e, int steps) {
    scenario *sc = L->sc;
    int count[SEC_NKINDS], sec, inst;
    if (e->step > steps)
        return at_err(L, &e->at, "[at.%d] %s.%s: step %d is beyond the run (run.steps = %d)",
                      e->step, e->lhs, e->key, e->step, steps);
    for (int k = 0; k < SEC_NKINDS; k++) count[k] = scn_sec_count(sc, k);
    if (open_section(L, &e->at, e->lhs, OPEN_TIMELINE, &sec, &inst) != SIM_OK) return L->st;
    if (scn_sec_count(sc, sec) > count[sec] && !scn_tl_new_allowed(sec))
        return at_err(L, &e->at, "[at.%d] %s.%s: [%s] does not exist at the start, and a new "
                      "[%s.NAME] cannot be added mid-run (its per-agent state is built at the "
                      "start); declare it in the scenario (an agency with coverage = 0, a rule "
                      "with weight or beta = 0) and change it here", e->step, e->lhs, e->key,
                      e->lhs, scn_sec_names[sec]);
    char key[64];
    size_t kl = strlen(e->key);
    int plus = kl > 0 && e->key[kl - 1] == '+';
    if (!scn_trim_copy(e->key, kl - (size_t)plus, key, sizeof key)) key[0] = '\0';
    if (find_key(sec, key) >= 0 && !scn_changeable(scn_sec_names[sec], key))
        return key_err(L, &e->at, sec, inst, key, "cannot change mid-run ([at.%d]): the "
                       "society and the per-agent state are built from it at the start (the "
                       "keys that can change: docs/scenario.md, \"Timeline\")", e->step);
    if (set_named(L, &e->at, sec, inst, e->key, e->value, NULL) != SIM_OK) return L->st;
    int kidx = find_key(sec, key);
    if (strcmp(key, "enabled") == 0 && sec != SEC_LAYER &&
        !*(int *)((char *)scn_sec_base(sc, sec, inst) + scn_keys[kidx].off))
        return key_err(L, &e->at, sec, inst, key, "cannot be switched off mid-run ([at.%d]): "
                       "the sections in force are fixed at the start; set its effect to zero "
                       "instead", e->step);
    return SIM_OK;
}

/* The entries of the timeline sorted by step, keeping the order read within a step. */
static void sort_changes(loader *L) {
    for (size_t i = 1; i < L->ntl; i++) {
        tl_entry x = L->tl[i];
        size_t j = i;
        for (; j > 0 && L->tl[j - 1].step > x.step; j--) L->tl[j] = L->tl[j - 1];
        L->tl[j] = x;
    }
}

/* Applies the changes step by step to the checked scenario, checks each result as a whole
 * scenario, keeps it as the scenario in force from that step, and restores the start. */
static sim_status timeline_build(loader *L) {
    scenario *sc = L->sc, *base = malloc(sizeof *base);
    scn_timeline *tl = calloc(1, sizeof *tl);
    if (tl) tl->step = malloc((L->ntl + 1) * sizeof *tl->step);
    if (tl) tl->at = malloc((L->ntl + 1) * sizeof *tl->at);
    if (!base || !tl || !tl->step || !tl->at) {
        free(base), scn_timeline_free(tl);
        return L->ntl ? (L->st = err_set(&L->e, SIM_ENOMEM, "out of memory")) : SIM_OK;
    }
    *base = *sc;
    sort_changes(L);
    int health = scn_firm_health(sc);
    for (size_t i = 0, j; i < L->ntl && L->st == SIM_OK; i = j) {
        for (j = i; j < L->ntl && L->tl[j].step == L->tl[i].step && L->st == SIM_OK; j++)
            apply_change(L, &L->tl[j], base->run.steps);
        if (L->st == SIM_OK && finish(L) == SIM_OK && scn_firm_health(sc) != health)
            at_err(L, &L->tl[i].at, "[at.%d]: the changes of this step turn firm health %s "
                   "(a sanction's revenue, or ostracism of partner ties at a partner_loss), "
                   "which is set up at the start: give the scenario a revenue or partner "
                   "loss from step 1 (it may be tiny)", L->tl[i].step, health ? "off" : "on");
        if (L->st != SIM_OK) {
            char at[32];
            snprintf(at, sizeof at, "[at.%d]", L->tl[i].step);
            size_t m = strlen(L->e.msg);
            if (!strstr(L->e.msg, at))
                snprintf(L->e.msg + m, sizeof L->e.msg - m, " (timeline: %s)", at);
            break;
        }
        tl->step[tl->n] = L->tl[i].step;
        tl->at[tl->n++] = *sc;
    }
    *sc = *base;
    free(base);
    if (L->st != SIM_OK || !tl->n) { scn_timeline_free(tl); return L->st; }
    sc->timeline = tl;
    return SIM_OK;
}

/* ---- defaults and loading ------------------------------------------------------------- */

static void apply_defaults(loader *L) {
    scenario *sc = L->sc;
    memset(sc, 0, sizeof *sc);
    for (int i = 0; i < NKEYS; i++) {
        if (!scn_sec_named((int)scn_keys[i].sec)) set_value(L, NULL, i, 0, scn_keys[i].def, 0);
    }
    for (int l = 0; l < SCN_NLAYERS; l++) instance_defaults(L, SEC_LAYER, l);
    set_value(L, NULL, find_key(SEC_LAYER, "generator"), LAYER_SOCIAL, "sbm", 0);
    set_value(L, NULL, find_key(SEC_LAYER, "generator"), LAYER_PARTNER, "config", 0);
    set_value(L, NULL, find_key(SEC_LAYER, "mean_degree"), LAYER_PARTNER, "4", 0);
    int tier = 0;   /* the two tiers that exist undeclared: SCN_TIER_ORDINARY, _SERIOUS */
    open_named(L, NULL, SEC_SEVERITY, "ordinary", 0, &tier);
    open_named(L, NULL, SEC_SEVERITY, "serious", 0, &tier);
    set_value(L, NULL, find_key(SEC_SEVERITY, "weight"), tier, SCN_SERIOUS_WEIGHT, 0);
    for (int a = 0; a < NDEFAULT_AGENCIES; a++) {
        int inst = 0;
        open_named(L, NULL, SEC_AGENCY, scn_default_agencies[a][0], 0, &inst);
        for (int c = 0; c < NAGENCY_COLS; c++)
            set_value(L, NULL, find_key(SEC_AGENCY, scn_agency_cols[c]), inst,
                      scn_default_agencies[a][c + 1], 0);
        L->sc->agencies[inst].region_mask = UINT64_MAX;   /* every region (7.21) */
    }
    sc->lists.region_mask = UINT64_MAX;
    L->defaults_done = 1;
}

static loader *loader_new(scenario *sc, const char *top) {
    loader *L = calloc(1, sizeof *L);
    if (!L) return NULL;
    L->sc = sc;
    L->top = top;
    return L;
}

static void loader_free(loader *L) {
    while (L->owned) {
        strnode *n = L->owned;
        L->owned = n->next;
        free(n);
    }
    free(L->text.s);
    free(L->tl);
    free(L);
}

sim_status scn_defaults(scenario *sc, sim_err *err) {
    loader *L = loader_new(sc, "defaults");
    if (!L) { memset(sc, 0, sizeof *sc); return err_set(err, SIM_ENOMEM, "out of memory"); }
    apply_defaults(L);
    if (fin_lists(L) == SIM_OK && resolve_names(L) == SIM_OK) resolve_severity(L);
    sim_status st = L->st;
    if (st != SIM_OK && err) *err = L->e;
    loader_free(L);
    sc->text = malloc(1), sc->overrides = malloc(1);
    if (st == SIM_OK && (!sc->text || !sc->overrides))
        st = err_set(err, SIM_ENOMEM, "out of memory");
    if (st != SIM_OK) { scn_free(sc); memset(sc, 0, sizeof *sc); return st; }
    sc->text[0] = sc->overrides[0] = '\0';
    return SIM_OK;
}

/* Everything after the defaults: the top file (path, or text when path is NULL), the
 * overrides, the checks, and the kept text. */
static sim_status load_all(loader *L, const char *path, const char *text,
                           const char *const *ov, int nov) {
    char *data = NULL, why[700], real[PATH_MAX];
    size_t len = 0;
    if (path && read_all(path, &data, &len, why, sizeof why) != 0)
        return L->st = err_set(&L->e, SIM_EIO, "%s", why);
    const char *name = path ? path : L->top;
    L->stack[0] = keep(L, "%s", path && realpath(path, real) ? real : name);
    L->shown[0] = name, L->depth = 1;
    parse_buffer(L, name, path ? data : text, path ? len : strlen(text));
    free(data);
    sbuf ovs = {0};
    for (int i = 0; i < nov && L->st == SIM_OK; i++) {
        if (apply_override(L, ov[i]) == SIM_OK) scn_sb_printf(&ovs, "%s\n", ov[i]);
    }
    if (L->st == SIM_OK) finish(L);
    if (L->st == SIM_OK) timeline_build(L);
    L->sc->overrides = scn_sb_take(&ovs);
    L->sc->text = scn_sb_take(&L->text);
    if (L->st == SIM_OK && (!L->sc->overrides || !L->sc->text))
        L->st = err_set(&L->e, SIM_ENOMEM, "out of memory");
    return L->st;
}

static sim_status load_top(scenario *sc, const char *name, const char *path, const char *text,
                           const char *const *ov, int nov, unsigned flags, sim_err *err) {
    loader *L = loader_new(sc, name);
    if (!L) { memset(sc, 0, sizeof *sc); return err_set(err, SIM_ENOMEM, "out of memory"); }
    L->set_declares = !(flags & SCN_SET_STRICT);
    apply_defaults(L);
    const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    size_t bl = strlen(base);
    if (bl >= 4 && strcmp(base + bl - 4, ".ini") == 0) bl -= 4;
    if (bl >= sizeof sc->name) bl = sizeof sc->name - 1;
    memcpy(sc->name, base, bl);
    sim_status st = load_all(L, path, text, ov, nov);
    if (st != SIM_OK) {
        if (err) *err = L->e;
        scn_free(sc);
        memset(sc, 0, sizeof *sc);
    }
    loader_free(L);
    return st;
}

sim_status scn_load(scenario *sc, const char *path, const char *const *overrides,
                    int noverrides, sim_err *err) {
    return load_top(sc, path, path, NULL, overrides, noverrides, 0, err);
}

sim_status scn_load_flags(scenario *sc, const char *path, const char *const *overrides,
                          int noverrides, unsigned flags, sim_err *err) {
    return load_top(sc, path, path, NULL, overrides, noverrides, flags, err);
}

sim_status scn_load_string(scenario *sc, const char *name, const char *text,
                           const char *const *overrides, int noverrides, sim_err *err) {
    return load_top(sc, name, NULL, text, overrides, noverrides, 0, err);
}

void scn_free(scenario *sc) {
    if (!sc) return;
    free(sc->text);
    free(sc->overrides);
    scn_timeline_free(sc->timeline);
    sc->text = sc->overrides = NULL;
    sc->timeline = NULL;
}

