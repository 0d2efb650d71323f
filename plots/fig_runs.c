/* plots/fig_runs.c - grouping the selected runs into replicate groups (fig_groups_load). */
#include "fig_impl.h"
#include "query_groups.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { KEY_MAX = 1024, SWEEPS_MAX = 64 };

typedef struct sweep_info {
    int64_t id;
    char name[64];
    size_t nkeys;
    char keys[FIG_PARAMS_MAX][FIG_KEY_MAX];
} sweep_info;

typedef struct load_ctx {
    fig_groups_t *g;
    sweep_info *sw;
    size_t nsw;
    char (*key)[KEY_MAX];     /* [nrun] grouping key */
    char (*title)[FIG_TITLE_MAX];
    unsigned char *labelled;  /* [nrun] 1: the title is the run's label (runs.label) */
    int varied;               /* the runs query has the varied-parameters column */
} load_ctx;

/* Column 5 of the runs query: a sweep run's varied parameters from sweep_params, as
 * "key=value, ..." in the design's parameter order (NULL for single runs); the keys are
 * abbreviated afterwards over all the selected runs (abbrev_titles). */
static const char VARIED_SQL[] =
    ", (SELECT group_concat(v, ', ') FROM (SELECT printf('%s=%g', p.key, p.value) AS v FROM "
    "sweep_params p WHERE p.sweep_id = runs.sweep_id AND p.point = runs.point "
    "ORDER BY p.rowid))";

static sim_status sweep_row(sqlite3_stmt *s, void *vctx, sim_err *err) {
    load_ctx *c = vctx;
    (void)err;
    if (c->nsw == SWEEPS_MAX) return SIM_OK;
    sweep_info *w = &c->sw[c->nsw++];
    w->id = sqlite3_column_int64(s, 0);
    snprintf(w->name, sizeof w->name, "%s", (const char *)sqlite3_column_text(s, 1));
    const char *spec = (const char *)sqlite3_column_text(s, 2);
    w->nkeys = fig_spec_params(spec ? spec : "", w->keys, FIG_PARAMS_MAX);
    return SIM_OK;
}

static const sweep_info *find_sweep(const load_ctx *c, int64_t id) {
    for (size_t i = 0; i < c->nsw; i++)
        if (c->sw[i].id == id) return &c->sw[i];
    return NULL;
}

/* Overrides without the run.seed line: replicates of a single run differ only there. */
static void strip_seed(const char *ov, char *dst, size_t cap) {
    size_t len = 0;
    dst[0] = '\0';
    for (const char *p = ov; *p;) {
        size_t n = strcspn(p, "\n");
        if (strncmp(p, "run.seed=", 9) != 0 && len + n + 2 < cap) {
            memcpy(dst + len, p, n);
            len += n;
            dst[len++] = '\n';
            dst[len] = '\0';
        }
        p += n + (p[n] == '\n');
    }
}

/* The title of a sweep run: its point's varied parameters, read from sweep_params (varied,
 * when not NULL), else, for a database without them, from its overrides text. */
static void sweep_title(const sweep_info *w, const char *varied, const char *ov, int64_t point,
                        char *dst) {
    size_t len = 0;
    dst[0] = '\0';
    if (varied && *varied) {
        snprintf(dst, FIG_TITLE_MAX, "%s", varied);
        return;
    }
    if (!w || w->nkeys == 0) {
        snprintf(dst, FIG_TITLE_MAX, "%s point %lld", w ? w->name : "sweep", (long long)point);
        return;
    }
    for (size_t k = 0; k < w->nkeys && len < FIG_TITLE_MAX; k++)
        len += (size_t)snprintf(dst + len, FIG_TITLE_MAX - len, "%s%s=%g", k ? ", " : "",
                                w->keys[k], fig_override_value(ov, w->keys[k]));
}

enum { ABBREV_KEYS = 64 };

/* The index of key (n bytes) among keys[0 .. *nk-1], added when absent and there is room;
 * ABBREV_KEYS when there is none. */
static size_t key_index(const char **keys, size_t *len, size_t *nk, const char *key,
                        size_t n) {
    for (size_t k = 0; k < *nk; k++)
        if (len[k] == n && strncmp(keys[k], key, n) == 0) return k;
    if (*nk == ABBREV_KEYS) return ABBREV_KEYS;
    keys[*nk] = key;
    len[*nk] = n;
    return (*nk)++;
}

/* Rewrites the titles of unlabelled sweep runs ("key=value, ...") with each key shortened to
 * its shortest ending of whole words that no other key of the selected runs shares
 * (query_key_abbrev): spillover.partners.beta and spillover.family.beta become
 * partners.beta and family.beta, a key alone in ending in beta becomes beta. */
static void abbrev_titles(const fig_groups_t *g, load_ctx *c) {
    const char *keys[ABBREV_KEYS];
    char copy[ABBREV_KEYS][FIG_TITLE_MAX];
    size_t len[ABBREV_KEYS], start[ABBREV_KEYS], nk = 0;
    for (size_t i = 0; i < g->nrun; i++) {
        if (c->labelled[i] || strncmp(c->key[i], "sweep ", 6) != 0) continue;
        for (const char *p = c->title[i]; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] != 0)) {
            p += strspn(p, " ");
            size_t eq = strcspn(p, "=,");
            if (p[eq] == '=') key_index(keys, len, &nk, p, eq);
        }
    }
    for (size_t k = 0; k < nk; k++) {   /* NUL-ended copies for query_key_abbrev */
        snprintf(copy[k], FIG_TITLE_MAX, "%.*s", (int)len[k], keys[k]);
        keys[k] = copy[k];
    }
    query_key_abbrev(keys, nk, start);
    for (size_t i = 0; i < g->nrun; i++) {
        if (c->labelled[i] || strncmp(c->key[i], "sweep ", 6) != 0) continue;
        char out[FIG_TITLE_MAX];
        size_t o = 0;
        out[0] = '\0';
        for (const char *p = c->title[i]; *p && o < FIG_TITLE_MAX;) {
            p += strspn(p, " ");
            size_t n = strcspn(p, ","), eq = strcspn(p, "=,");
            size_t k = p[eq] == '=' ? key_index(keys, len, &nk, p, eq) : ABBREV_KEYS;
            size_t skip = k < nk ? start[k] : 0;
            o += (size_t)snprintf(out + o, FIG_TITLE_MAX - o, "%s%.*s", o ? ", " : "",
                                  (int)(n - skip), p + skip);
            p += n + (p[n] == ',');
        }
        snprintf(c->title[i], FIG_TITLE_MAX, "%s", out);
    }
}

/* The grouping key of a row (run_id, sweep_id, point, scenario_name, overrides): the sweep
 * point, or the scenario and its overrides without run.seed. */
static void run_key(sqlite3_stmt *s, char key[KEY_MAX]) {
    const char *scen = (const char *)sqlite3_column_text(s, 3);
    const char *ov = (const char *)sqlite3_column_text(s, 4);
    if (sqlite3_column_type(s, 1) != SQLITE_NULL) {
        snprintf(key, KEY_MAX, "sweep %lld point %lld", (long long)sqlite3_column_int64(s, 1),
                 (long long)sqlite3_column_int64(s, 2));
        return;
    }
    int n = snprintf(key, KEY_MAX, "run of %s\n", scen ? scen : "?");
    strip_seed(ov ? ov : "", key + n, KEY_MAX - (size_t)n);
}

static sim_status run_row(sqlite3_stmt *s, void *vctx, sim_err *err) {
    load_ctx *c = vctx;
    (void)err;
    size_t i = fig_run_index(c->g, sqlite3_column_int64(s, 0));
    if (i == c->g->nrun) return SIM_OK;
    const char *scen = (const char *)sqlite3_column_text(s, 3);
    const char *ov = (const char *)sqlite3_column_text(s, 4);
    run_key(s, c->key[i]);
    const char *label = (const char *)sqlite3_column_text(s, 6);
    c->labelled[i] = label && *label;
    if (c->labelled[i]) {   /* a label names its own group */
        size_t len = strlen(c->key[i]);
        snprintf(c->key[i] + len, KEY_MAX - len, "\nlabel %s", label);
        snprintf(c->title[i], FIG_TITLE_MAX, "%s", label);
    } else if (sqlite3_column_type(s, 1) != SQLITE_NULL)
        sweep_title(find_sweep(c, sqlite3_column_int64(s, 1)),
                    c->varied ? (const char *)sqlite3_column_text(s, 5) : NULL, ov ? ov : "",
                    sqlite3_column_int64(s, 2), c->title[i]);
    else
        snprintf(c->title[i], FIG_TITLE_MAX, "%s", scen ? scen : "?");
    return SIM_OK;
}

/* 1 when override line `line` (n bytes, with its newline) is in the overrides of every
 * other unlabelled single-run group than a (so also when a is the only one: a lone group
 * has nothing to be told apart from). */
static int common_line(const fig_groups_t *g, const load_ctx *c, size_t a, const char *line,
                       size_t n) {
    size_t others = 0, have = 0;
    for (size_t i = 0; i < g->nrun; i++) {
        size_t f = 0;
        while (g->grp[f] != g->grp[i]) f++;
        if (f != i || g->grp[i] == a || c->labelled[i] || strncmp(c->key[i], "run of ", 7)) continue;
        others++;
        const char *ov = strchr(c->key[i], '\n');
        for (const char *p = ov ? ov + 1 : ""; *p; p += strcspn(p, "\n") + 1)
            if (strncmp(p, line, n) == 0) { have++; break; }
    }
    return have == others;
}

/* The default title of single-run group a (its first run i): the scenario name and the
 * overrides (without run.seed) that the other single-run groups do not all share, each key
 * without its section word when it has three parts (spillover.partners.beta is
 * partners.beta, so partners.beta and family.beta stay apart). Beside plain baseline runs,
 * a --set variant of baseline is never titled "baseline" alone. */
static void single_title(const fig_groups_t *g, const load_ctx *c, size_t a, size_t i,
                         char *dst) {
    const char *nl = strchr(c->key[i], '\n');
    size_t len = (size_t)snprintf(dst, FIG_TITLE_MAX, "%.*s", nl ? (int)(nl - c->key[i] - 7)
                                  : 1, nl ? c->key[i] + 7 : "?");
    for (const char *p = nl ? nl + 1 : ""; *p && len < FIG_TITLE_MAX; p += strcspn(p, "\n") + 1) {
        size_t n = strcspn(p, "\n");
        if (common_line(g, c, a, p, n + 1)) continue;
        const char *k = p, *d1 = memchr(p, '.', n), *eq = memchr(p, '=', n);
        const char *d2 = d1 ? memchr(d1 + 1, '.', (size_t)(p + n - d1 - 1)) : NULL;
        if (d2 && eq && d2 < eq) k = d1 + 1;
        len += (size_t)snprintf(dst + len, FIG_TITLE_MAX - len, " %.*s", (int)(p + n - k), k);
    }
}

/* Groups runs with equal keys, in order of first appearance; disambiguates equal titles. */
static void assign_groups(fig_groups_t *g, load_ctx *c) {
    for (size_t i = 0; i < g->nrun; i++) {
        size_t j = 0;
        while (j < i && strcmp(c->key[j], c->key[i]) != 0) j++;
        if (j < i) { g->grp[i] = g->grp[j]; g->count[g->grp[i]]++; continue; }
        g->grp[i] = g->ngrp;
        g->count[g->ngrp] = 1;
        snprintf(g->title[g->ngrp++], FIG_TITLE_MAX, "%s", c->title[i]);
    }
    for (size_t i = 0, a = 0; i < g->nrun; i++)   /* first run of each group */
        if (g->grp[i] == a && a++ < g->ngrp && !c->labelled[i] &&
            strncmp(c->key[i], "run of ", 7) == 0)
            single_title(g, c, g->grp[i], i, g->title[g->grp[i]]);
    for (size_t a = 0; a < g->ngrp; a++) {
        int dup = 0;
        for (size_t b = 0; b < g->ngrp; b++)
            dup |= a != b && strcmp(g->title[a], g->title[b]) == 0;
        if (!dup) continue;
        size_t first = 0;
        while (g->grp[first] != a) first++;
        size_t len = strlen(g->title[a]);
        snprintf(g->title[a] + len, FIG_TITLE_MAX - len, " (run %lld)",
                 (long long)g->run_id[first]);
    }
}

static sim_status alloc_groups(fig_groups_t *g, load_ctx *c, const fig_sel *sel,
                               sim_err *err) {
    size_t n = sel->nruns;
    memset(g, 0, sizeof *g);
    g->nrun = n;
    g->run_id = malloc(n * sizeof *g->run_id);
    g->grp = calloc(n, sizeof *g->grp);
    g->count = calloc(n, sizeof *g->count);
    g->title = calloc(n, sizeof *g->title);
    c->g = g;
    c->sw = calloc(SWEEPS_MAX, sizeof *c->sw);
    c->key = calloc(n, sizeof *c->key);
    c->title = calloc(n, sizeof *c->title);
    c->labelled = calloc(n, 1);
    if (!g->run_id || !g->grp || !g->count || !g->title || !c->sw || !c->key || !c->title ||
        !c->labelled)
        return err_set(err, SIM_ENOMEM, "out of memory");
    memcpy(g->run_id, sel->run_ids, n * sizeof *g->run_id);
    return SIM_OK;
}

sim_status fig_groups_load(sqlite3 *db, const fig_sel *sel, fig_result *out,
                           fig_groups_t *g, sim_err *err) {
    load_ctx c = {0};
    char *ids = fig_idlist(sel), *q1 = NULL, *q2 = NULL;
    sim_status st = alloc_groups(g, &c, sel, err);
    if (st == SIM_OK && !ids) st = err_set(err, SIM_ENOMEM, "out of memory");
    if (st != SIM_OK) goto done;
    q1 = sqlite3_mprintf("SELECT sweep_id, name, spec FROM sweeps WHERE sweep_id IN "
                         "(SELECT sweep_id FROM runs WHERE run_id IN (%s)) ORDER BY sweep_id",
                         ids);
    c.varied = fig_has_table(db, "sweep_params");   /* absent in older databases */
    q2 = sqlite3_mprintf("SELECT run_id, sweep_id, point, scenario_name, overrides%s, %s FROM "
                         "runs WHERE run_id IN (%s) ORDER BY run_id",
                         c.varied ? VARIED_SQL : ", NULL",
                         fig_has_column(db, "runs", "label") ? "label" : "NULL", ids);
    if (!q1 || !q2) { st = err_set(err, SIM_ENOMEM, "out of memory"); goto done; }
    if ((st = fig_query(db, out, "sweeps of the selected runs (their varied parameters)", q1,
                        sweep_row, &c, err)) != SIM_OK)
        goto done;
    if ((st = fig_query(db, out, "selected runs, grouped into replicates", q2, run_row, &c,
                        err)) != SIM_OK)
        goto done;
    abbrev_titles(g, &c);
    assign_groups(g, &c);
done:
    sqlite3_free(q1);
    sqlite3_free(q2);
    free(ids);
    free(c.sw);
    free(c.key);
    free(c.title);
    free(c.labelled);
    if (st != SIM_OK) fig_groups_free(g);
    return st;
}

void fig_groups_free(fig_groups_t *g) {
    if (!g) return;
    free(g->run_id);
    free(g->grp);
    free(g->count);
    free(g->title);
    memset(g, 0, sizeof *g);
}

size_t fig_run_index(const fig_groups_t *g, int64_t run_id) {
    size_t i = 0;
    while (i < g->nrun && g->run_id[i] != run_id) i++;
    return i;
}

/* ---- the default selection ---- */

typedef struct recent_ctx {
    size_t max_groups, ngrp, cap, n;
    char (*key)[KEY_MAX];     /* [max_groups] */
    int64_t *ids;
} recent_ctx;

/* Rows newest first: a run joins when its group is one of the first max_groups seen. */
static sim_status recent_row(sqlite3_stmt *s, void *vctx, sim_err *err) {
    recent_ctx *c = vctx;
    char key[KEY_MAX];
    (void)err;
    if (c->n == c->cap) return SIM_OK;
    run_key(s, key);
    size_t k = 0;
    while (k < c->ngrp && strcmp(c->key[k], key) != 0) k++;
    if (k == c->ngrp) {
        if (c->ngrp == c->max_groups) return SIM_OK;
        memcpy(c->key[c->ngrp++], key, KEY_MAX);
    }
    c->ids[c->n++] = sqlite3_column_int64(s, 0);
    return SIM_OK;
}

static int cmp_id(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

sim_status fig_recent_runs(sqlite3 *db, size_t max_groups, int64_t *ids, size_t cap,
                           size_t *n, sim_err *err) {
    recent_ctx c = {.max_groups = max_groups, .cap = cap, .ids = ids};
    fig_result scratch = {0};
    *n = 0;
    c.key = calloc(max_groups ? max_groups : 1, sizeof *c.key);
    if (!c.key) return err_set(err, SIM_ENOMEM, "out of memory");
    /* done runs that are not flagged duplicates (runs.duplicate, schema version 5) */
    const char *sql = fig_has_column(db, "runs", "duplicate")
        ? "SELECT run_id, sweep_id, point, scenario_name, overrides FROM runs WHERE status = "
          "'done' AND duplicate = 0 ORDER BY run_id DESC"
        : "SELECT run_id, sweep_id, point, scenario_name, overrides FROM runs WHERE status = "
          "'done' ORDER BY run_id DESC";
    sim_status st = fig_query(db, &scratch, "runs, newest first", sql, recent_row, &c, err);
    fig_result_free(&scratch);
    free(c.key);
    if (st != SIM_OK) return st;
    qsort(ids, c.n, sizeof *ids, cmp_id);
    *n = c.n;
    return SIM_OK;
}
