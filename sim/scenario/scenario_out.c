/* sim/scenario/scenario_out.c - a resolved scenario as text: `scsim show` (INI, every key with a
 * comment giving its type, range and meaning; reads back to the same scenario) and JSON
 * (runs.params_json). Both walk the key table of scenario_keys.c. Contracts in
 * scenario.h. */
#include "scenario_keys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LIST_CHUNK = 6 };   /* list values per written line */

static void json_str(sbuf *b, const char *s) {
    scn_sb_put(b, "\"", 1);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') scn_sb_printf(b, "\\%c", ch);
        else if (ch < 0x20) scn_sb_printf(b, "\\u%04x", ch);
        else scn_sb_put(b, s, 1);
    }
    scn_sb_put(b, "\"", 1);
}

/* Entries of a list to show: all that apply (regions or groups); INI output drops trailing
 * entries equal to the fill value 1 of coverage multipliers. */
static int list_len(const scenario *sc, const key_desc *k, const double *a, int ini) {
    int n = (int)(k->size / sizeof(double)) == SCN_MAX_REGIONS ? sc->population.regions
                                                               : sc->population.groups;
    while (ini && (k->flags & F_FILL1) && n > 1 && a[n - 1] == 1.0) n--;
    return n;
}

static void put_list(sbuf *b, const scenario *sc, const key_desc *k, const double *a, int json) {
    char num[40];
    int n = list_len(sc, k, a, !json);
    if (json) scn_sb_put(b, "[", 1);
    for (int i = 0; i < n; i++) {
        scn_fmt_double(a[i], num, sizeof num);
        if (!json && i % LIST_CHUNK == 0)
            scn_sb_printf(b, "%s%s %s= ", i ? "\n" : "", k->name, i ? "+" : "");
        else if (i > 0) scn_sb_put(b, ", ", 2);
        scn_sb_printf(b, "%s", num);
    }
    scn_sb_put(b, json ? "]" : "\n", 1);
}

static void put_value(sbuf *b, const scenario *sc, const key_desc *k, const void *base, int json) {
    const char *p = (const char *)base + k->off;
    char num[40];
    switch (k->type) {
    case K_INT: scn_sb_printf(b, "%d", *(const int *)p); break;
    case K_I64: scn_sb_printf(b, "%lld", (long long)*(const int64_t *)p); break;
    case K_U64: scn_sb_printf(b, "%llu", (unsigned long long)*(const uint64_t *)p); break;
    case K_DBL:
        scn_fmt_double(*(const double *)p, num, sizeof num);
        scn_sb_printf(b, "%s", num);
        break;
    case K_BOOL: scn_sb_printf(b, "%s", *(const int *)p ? "true" : "false"); break;
    case K_ENUM:
        if (json) json_str(b, scn_word_of(k->words, *(const int *)p));
        else scn_sb_printf(b, "%s", scn_word_of(k->words, *(const int *)p));
        break;
    case K_LIST: put_list(b, sc, k, (const double *)p, json); return;
    case K_GRADES: {
        const scn_scoring *s = base;
        sbuf g = {0};
        for (int i = 0; i < s->ngrades; i++) {
            scn_fmt_double(s->grade_min[i], num, sizeof num);
            scn_sb_printf(&g, "%s%s:%s", i ? " " : "", s->grade_name[i], num);
        }
        const char *gs = g.s ? g.s : "";
        if (json) json_str(b, gs); else scn_sb_printf(b, "%s", gs);
        free(g.s);
        break;
    }
    case K_PATH: case K_NAMES:
        if (json) json_str(b, p); else scn_sb_printf(b, "%s", p);
        break;
    }
    if (!json) scn_sb_put(b, "\n", 1);
}

/* Whether name is one slip away from a default agency, or from (or equal to) an agency of sc. */
static int near_agency(const scenario *sc, const char *name, int defaults_only) {
    for (int d = 0; d < NDEFAULT_AGENCIES; d++)
        if (scn_one_slip(name, scn_default_agencies[d][0])) return 1;
    for (int a = 0; !defaults_only && a < sc->nagencies; a++)
        if (strcmp(name, sc->agencies[a].name) == 0 || scn_one_slip(name, sc->agencies[a].name))
            return 1;
    return 0;
}

/* The reader takes a first [agency.X] one slip away from a default agency for a typo of it
 * (the first agency section replaces the defaults). When the first agency is so named, a
 * switched-off agency goes first, which replaces the defaults and is then dropped, so what
 * is written reads back. */
static void agency_lead(sbuf *b, const scenario *sc) {
    static const char *const lead[] = {"defaults_replaced", "replaces_defaults",
                                       "no_default_agencies"};
    if (sc->nagencies == 0 || !near_agency(sc, sc->agencies[0].name, 1)) return;
    for (size_t i = 0; i < sizeof lead / sizeof *lead; i++)
        if (!near_agency(sc, lead[i], 0)) {
            scn_sb_printf(b, "\n; switched off, and so dropped: declared first so that [agency.%s]"
                          "\n; below is not taken for a typo of a default agency\n[agency.%s]"
                          "\nenabled = false\n", sc->agencies[0].name, lead[i]);
            return;
        }
}

static void ini_section(sbuf *b, const scenario *sc, int sec, int inst) {
    char label[80], al[200];
    if (sec == SEC_AGENCY && inst == 0) agency_lead(b, sc);
    scn_sec_label(sc, sec, inst, label, sizeof label);
    scn_sb_printf(b, "\n[%s]\n", label);
    const void *base = scn_sec_base(sc, sec, inst);
    for (int i = 0; i < NKEYS; i++) {
        if ((int)scn_keys[i].sec != sec) continue;
        scn_allowed(&scn_keys[i], al, sizeof al);
        scn_sb_printf(b, "; %s: %s\n", al, scn_keys[i].doc);
        if (scn_keys[i].type != K_LIST) scn_sb_printf(b, "%s = ", scn_keys[i].name);
        put_value(b, sc, &scn_keys[i], base, 0);
    }
}

/* Calls fn for each section instance in output order. */
static void each_section(sbuf *b, const scenario *sc,
                         void (*fn)(sbuf *, const scenario *, int, int)) {
    for (int s = 0; s < SEC_NKINDS; s++) {
        int n = scn_sec_count(sc, s);
        for (int i = 0; i < n; i++) fn(b, sc, s, i);
    }
}

/* ---- the timeline -------------------------------------------------------------------- */

/* The instance of sec in sc with the label of instance inst of `of`, or -1. */
static int same_instance(const scenario *sc, const scenario *of, int sec, int inst) {
    if (!scn_sec_named(sec) || sec == SEC_LAYER) return inst;
    const char *name = scn_sec_name(of, sec, inst);
    for (int i = 0; i < scn_sec_count(sc, sec); i++)
        if (strcmp(scn_sec_name(sc, sec, i), name) == 0) return i;
    return -1;
}

/* Key k of an instance as JSON text (lists: every entry that applies). */
static char *value_text(const scenario *sc, const key_desc *k, const void *base) {
    sbuf v = {0};
    put_value(&v, sc, k, base, 1);
    return scn_sb_take(&v);
}

/* One changed key: `label.key = value` (lists as `=` and `+=` lines of LIST_CHUNK entries),
 * or `"label.key": value` in JSON. */
static void put_change(sbuf *b, const scenario *sc, const char *label, const key_desc *k,
                       const void *base, int json, int *nchanged) {
    if (json) {
        scn_sb_printf(b, "%s\"%s.%s\": ", (*nchanged)++ ? ", " : "", label, k->name);
        put_value(b, sc, k, base, 1);
        return;
    }
    (*nchanged)++;
    if (k->type != K_LIST) {
        scn_sb_printf(b, "%s.%s = ", label, k->name);
        put_value(b, sc, k, base, 0);
        return;
    }
    const double *a = (const double *)((const char *)base + k->off);
    char num[40];
    int n = list_len(sc, k, a, 0);
    for (int i = 0; i < n; i++) {
        scn_fmt_double(a[i], num, sizeof num);
        if (i % LIST_CHUNK == 0)
            scn_sb_printf(b, "%s%s.%s %s= ", i ? "\n" : "", label, k->name, i ? "+" : "");
        else scn_sb_put(b, ", ", 2);
        scn_sb_printf(b, "%s", num);
    }
    scn_sb_put(b, "\n", 1);
}

/* The keys of `now` that differ from `before` (all keys of an instance new in `now`). */
static void put_step(sbuf *b, const scenario *before, const scenario *now, int json) {
    int nchanged = 0;
    for (int sec = 0; sec < SEC_NKINDS; sec++)
        for (int inst = 0; inst < scn_sec_count(now, sec); inst++) {
            int was = same_instance(before, now, sec, inst);
            const void *nb = scn_sec_base(now, sec, inst);
            const void *bb = was >= 0 ? scn_sec_base(before, sec, was) : NULL;
            char label[80];
            scn_sec_label(now, sec, inst, label, sizeof label);
            for (int i = 0; i < NKEYS; i++) {
                const key_desc *k = &scn_keys[i];
                if ((int)k->sec != sec) continue;
                char *x = value_text(now, k, nb), *y = bb ? value_text(before, k, bb) : NULL;
                if (!x || !y || strcmp(x, y) != 0) put_change(b, now, label, k, nb, json,
                                                              &nchanged);
                free(x), free(y);
            }
        }
}

void scn_tl_write(sbuf *b, const scenario *sc, int json) {
    const scn_timeline *tl = sc->timeline;
    if (json) scn_sb_put(b, "[", 1);
    for (int i = 0; tl && i < tl->n; i++) {
        const scenario *before = i ? &tl->at[i - 1] : sc;
        if (json) scn_sb_printf(b, "%s{\"step\": %d, \"changes\": {", i ? ", " : "", tl->step[i]);
        else scn_sb_printf(b, "\n; from step %d on (the timeline: docs/scenario.md)\n[at.%d]\n",
                           tl->step[i], tl->step[i]);
        put_step(b, before, &tl->at[i], json);
        if (json) scn_sb_put(b, "}}", 2);
    }
    if (json) scn_sb_put(b, "]", 1);
}

sim_status scn_write(const scenario *sc, FILE *out, sim_err *err) {
    sbuf b = {0};
    scn_sb_printf(&b, "; scenario %s, fully resolved: every key with its value. Each key's\n"
              "; comment gives its type, range and meaning (docs/scenario.md).\n", sc->name);
    each_section(&b, sc, ini_section);
    if (sc->timeline) scn_tl_write(&b, sc, 0);
    if (b.oom) {
        free(b.s);
        return err_set(err, SIM_ENOMEM, "out of memory writing the scenario");
    }
    int bad = fputs(b.s, out) == EOF || fflush(out) != 0 || ferror(out);
    free(b.s);
    if (bad) return err_set(err, SIM_EIO, "cannot write the scenario: %s", strerror(errno));
    return SIM_OK;
}

static void json_section(sbuf *b, const scenario *sc, int sec, int inst) {
    int named = scn_sec_named(sec);
    if (inst == 0) {
        scn_sb_printf(b, "%s\"%s\": ", b->len > 1 ? ", " : "", scn_sec_names[sec]);
        if (named) scn_sb_put(b, "{", 1);
    }
    if (named) {
        char label[80];
        scn_sec_label(sc, sec, inst, label, sizeof label);
        if (inst > 0) scn_sb_put(b, ", ", 2);
        json_str(b, strchr(label, '.') + 1);
        scn_sb_put(b, ": ", 2);
    }
    scn_sb_put(b, "{", 1);
    const void *base = scn_sec_base(sc, sec, inst);
    int nk = 0;
    for (int i = 0; i < NKEYS; i++) {
        if ((int)scn_keys[i].sec != sec) continue;
        scn_sb_printf(b, "%s\"%s\": ", nk++ ? ", " : "", scn_keys[i].name);
        put_value(b, sc, &scn_keys[i], base, 1);
    }
    scn_sb_put(b, "}", 1);
    if (named && inst == scn_sec_count(sc, sec) - 1) scn_sb_put(b, "}", 1);
}

char *scn_to_json(const scenario *sc) {
    sbuf b = {0};
    scn_sb_put(&b, "{", 1);
    scn_sb_put(&b, "\"name\": ", 8);
    json_str(&b, sc->name);
    each_section(&b, sc, json_section);
    for (int s = 0; s < SEC_NKINDS; s++)
        if (scn_sec_named(s) && scn_sec_count(sc, s) == 0)
            scn_sb_printf(&b, ", \"%s\": {}", scn_sec_names[s]);
    if (sc->timeline) {
        scn_sb_put(&b, ", \"timeline\": ", 14);
        scn_tl_write(&b, sc, 1);
    }
    scn_sb_put(&b, "}", 1);
    return scn_sb_take(&b);
}
