/* sim/store/query_groups.c - pooled runs in labelled groups (query_groups.h). */
#include "query_groups.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One pooled run while loading: its group key, own label and "key=value" lines. */
typedef struct qrow {
    int64_t run_id, seed;
    int     replicate;
    char   *key;     /* configuration (+ label): equal keys, one group */
    char   *label;   /* runs.label, or NULL */
    char   *kv;      /* default-label lines "key=value\n..." (sweep: varied; single: overrides) */
    char   *scen;    /* single runs: the scenario name; sweep runs: NULL */
} qrow;

static const char ROWS_SQL[] =
    "SELECT r.run_id, r.seed, r.replicate, r.sweep_id, r.point, r.scenario_name, r.overrides,"
    " nullif(r.label, ''), (SELECT group_concat(kv, char(10)) FROM (SELECT p.key || '=' ||"
    " printf('%g', p.value) AS kv FROM sweep_params p WHERE p.sweep_id = r.sweep_id AND"
    " p.point = r.point ORDER BY p.rowid)) FROM runs r WHERE r.status = 'done' AND"
    " r.duplicate = 0 ORDER BY r.run_id";

static char *dup_text(sqlite3_stmt *s, int col) {
    const char *t = (const char *)sqlite3_column_text(s, col);
    return t ? strdup(t) : NULL;
}

/* Overrides without their run.seed line (replicates of a single run differ only there). */
static char *without_seed(const char *ov) {
    char *out = calloc(1, strlen(ov ? ov : "") + 2);
    size_t len = 0;
    for (const char *p = ov ? ov : ""; out && *p;) {
        size_t n = strcspn(p, "\n");
        if (n && strncmp(p, "run.seed=", 9) != 0) {
            memcpy(out + len, p, n);
            len += n;
            out[len++] = '\n';
        }
        p += n + (p[n] == '\n');
    }
    return out;
}

/* The row's key and default-label lines from the query's columns; 0: out of memory. */
static int fill_row(sqlite3_stmt *s, qrow *r) {
    r->run_id = sqlite3_column_int64(s, 0);
    r->seed = sqlite3_column_int64(s, 1);
    r->replicate = sqlite3_column_int(s, 2);
    r->label = dup_text(s, 7);
    char *cfg = NULL;
    if (sqlite3_column_type(s, 3) != SQLITE_NULL) {
        cfg = sqlite3_mprintf("sweep %lld point %lld", (long long)sqlite3_column_int64(s, 3),
                              (long long)sqlite3_column_int64(s, 4));
        r->kv = dup_text(s, 8);
        if (!r->kv) r->kv = strdup("");
    } else {
        r->scen = dup_text(s, 5);
        r->kv = without_seed((const char *)sqlite3_column_text(s, 6));
        cfg = sqlite3_mprintf("run of %s\n%s", r->scen ? r->scen : "?", r->kv ? r->kv : "");
    }
    char *key = cfg ? sqlite3_mprintf("%s\nlabel %s", cfg, r->label ? r->label : "") : NULL;
    r->key = key ? strdup(key) : NULL;
    sqlite3_free(cfg);
    sqlite3_free(key);
    return r->key && r->kv && (r->scen || sqlite3_column_type(s, 3) != SQLITE_NULL);
}

static void free_rows(qrow *rows, size_t n) {
    for (size_t i = 0; rows && i < n; i++)
        free(rows[i].key), free(rows[i].label), free(rows[i].kv), free(rows[i].scen);
    free(rows);
}

static sim_status load_rows(sqlite3 *db, qrow **out, size_t *n, sim_err *err) {
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    int rc = sqlite3_prepare_v2(db, ROWS_SQL, -1, &s, NULL), mem = 1;
    *out = NULL, *n = 0;
    if (rc == SQLITE_OK) rc = SQLITE_ROW;
    while (rc == SQLITE_ROW && mem && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            qrow *g = realloc(*out, (cap = cap ? 2 * cap : 64) * sizeof **out);
            if (!(mem = g != NULL)) break;
            *out = g;
        }
        memset(&(*out)[*n], 0, sizeof **out);
        mem = fill_row(s, &(*out)[(*n)++]);
    }
    sqlite3_finalize(s);
    if (mem && rc == SQLITE_DONE) return SIM_OK;
    sim_status st = mem ? err_set(err, SIM_EDB, "reading the runs' groups: %s", sqlite3_errmsg(db))
                        : err_set(err, SIM_ENOMEM, "out of memory");
    free_rows(*out, *n);
    *out = NULL, *n = 0;
    return st;
}

/* 1 when key b ends with the whole-word ending s of another key (s = b, or b ends ".s"). */
static int ends_with_word(const char *b, const char *s) {
    size_t lb = strlen(b), ls = strlen(s);
    return lb == ls ? strcmp(b, s) == 0 : lb > ls && b[lb - ls - 1] == '.' &&
                                           strcmp(b + lb - ls, s) == 0;
}

void query_key_abbrev(const char *const *keys, size_t n, size_t *start) {
    for (size_t i = 0; i < n; i++) {
        const char *k = keys[i];
        start[i] = 0;
        for (const char *p = k + strlen(k); p > k; p--) {   /* endings, shortest first */
            if (p[-1] != '.') continue;
            int unique = 1;
            for (size_t j = 0; j < n && unique; j++)
                unique = strcmp(keys[j], k) == 0 || !ends_with_word(keys[j], p);
            if (unique) { start[i] = (size_t)(p - k); break; }
        }
    }
}

/* A text and the index it belongs to, for sorting (O(n log n) grouping, not O(n^2)). */
typedef struct kref {
    const char *key;
    size_t      i;
} kref;

static int by_key(const void *pa, const void *pb) {
    const kref *x = pa, *y = pb;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* grp[i] = the first row with row i's key (rows sorted by key through k). */
static void leaders(const qrow *rows, size_t n, kref *k, size_t *grp) {
    for (size_t i = 0; i < n; i++) k[i] = (kref){rows[i].key, i};
    qsort(k, n, sizeof *k, by_key);
    for (size_t s = 0, lead = 0; s < n; s++) {
        if (s == 0 || strcmp(k[s].key, k[s - 1].key) != 0) lead = k[s].i;
        grp[k[s].i] = lead;
    }
}

/* Groups rows by key, in order of first run; each group's runs filled in. grp[i]: the
 * group of row i. */
static int make_groups(const qrow *rows, size_t n, query_groups *gs, size_t *grp) {
    kref *k = malloc((n ? n : 1) * sizeof *k);
    size_t *num = malloc((n ? n : 1) * sizeof *num);
    gs->g = calloc(n ? n : 1, sizeof *gs->g);
    int ok = k && num && gs->g;
    if (ok) leaders(rows, n, k, grp);
    for (size_t i = 0; ok && i < n; i++) {
        if (grp[i] == i) num[i] = gs->n++;
        grp[i] = num[grp[i]];   /* leaders come first, so num[leader] is set */
        gs->g[grp[i]].n++;
    }
    for (size_t a = 0; ok && a < gs->n; a++) {
        query_group *g = &gs->g[a];
        g->run_id = malloc(g->n * sizeof *g->run_id), g->seed = malloc(g->n * sizeof *g->seed);
        g->replicate = malloc(g->n * sizeof *g->replicate);
        ok = g->run_id && g->seed && g->replicate;
        g->n = 0;
    }
    for (size_t i = 0; ok && i < n; i++) {
        query_group *g = &gs->g[grp[i]];
        g->run_id[g->n] = rows[i].run_id, g->seed[g->n] = rows[i].seed;
        g->replicate[g->n++] = rows[i].replicate;
    }
    free(k), free(num);
    return ok;
}

/* Equal labels get " (run N)", N the group's first run (sorted: O(g log g)). */
static int disambiguate(query_groups *gs) {
    kref *k = malloc((gs->n ? gs->n : 1) * sizeof *k);
    unsigned char *same = calloc(gs->n ? gs->n : 1, 1);
    int ok = k && same;
    for (size_t a = 0; ok && a < gs->n; a++) k[a] = (kref){gs->g[a].label, a};
    if (ok) qsort(k, gs->n, sizeof *k, by_key);
    for (size_t s = 1; ok && s < gs->n; s++)
        if (strcmp(k[s].key, k[s - 1].key) == 0) same[k[s].i] = same[k[s - 1].i] = 1;
    for (size_t a = 0; ok && a < gs->n; a++) {
        size_t len = strlen(gs->g[a].label);
        if (same[a]) snprintf(gs->g[a].label + len, QUERY_LABEL_MAX - len, " (run %lld)",
                              (long long)gs->g[a].run_id[0]);
    }
    free(k), free(same);
    return ok;
}

/* Every distinct key of the default-label lines of the unlabelled rows, into keys (cap
 * entries, pointing into a copy in *store); returns how many. */
static size_t collect_keys(const qrow *rows, size_t n, char **store, const char **keys,
                           size_t cap) {
    size_t total = 1, nk = 0;
    for (size_t i = 0; i < n; i++) total += rows[i].label ? 0 : strlen(rows[i].kv) + 1;
    char *buf = *store = malloc(total), *w = buf;
    for (size_t i = 0; buf && i < n; i++) {
        for (const char *p = rows[i].label ? "" : rows[i].kv; *p; p += strcspn(p, "\n") + 1) {
            size_t len = strcspn(p, "=\n"), j = 0;
            while (j < nk && (strlen(keys[j]) != len || strncmp(keys[j], p, len))) j++;
            if (j == nk && nk < cap) {
                memcpy(w, p, len);
                w[len] = 0;
                keys[nk++] = w;
                w += len + 1;
            }
            if (!p[strcspn(p, "\n")]) break;
        }
    }
    return nk;
}

/* The default label of row r: scenario (single runs) then "short=value" per line. */
static void default_label(const qrow *r, const char *const *keys, const size_t *start,
                          size_t nk, char *dst) {
    size_t len = (size_t)snprintf(dst, QUERY_LABEL_MAX, "%s", r->scen ? r->scen : "");
    for (const char *p = r->kv; *p && len < QUERY_LABEL_MAX; p += strcspn(p, "\n") + 1) {
        size_t klen = strcspn(p, "=\n"), n = strcspn(p, "\n"), j = 0;
        while (j < nk && (strlen(keys[j]) != klen || strncmp(keys[j], p, klen))) j++;
        size_t from = j < nk ? start[j] : 0;
        len += (size_t)snprintf(dst + len, QUERY_LABEL_MAX - len, "%s%.*s", len ? " " : "",
                                (int)(n - from), p + from);
        if (!p[n]) break;
    }
    if (!dst[0]) snprintf(dst, QUERY_LABEL_MAX, "%s", "(no parameters)");
}

enum { KEYS_MAX = 512 };

/* Labels every group: its runs' label or the default one; equal labels get " (run N)". */
static int label_groups(const qrow *rows, size_t n, const size_t *grp, query_groups *gs) {
    char *store = NULL;
    const char **keys = calloc(KEYS_MAX, sizeof *keys);
    size_t *start = malloc(KEYS_MAX * sizeof *start);
    size_t nk = keys && start ? collect_keys(rows, n, &store, keys, KEYS_MAX) : 0;
    int ok = keys && start && store;
    if (ok) query_key_abbrev(keys, nk, start);
    for (size_t i = 0; ok && i < n; i++) {
        query_group *g = &gs->g[grp[i]];
        if (g->run_id[0] != rows[i].run_id) continue;   /* not the group's first run */
        g->labelled = rows[i].label != NULL;
        if (g->labelled) snprintf(g->label, sizeof g->label, "%s", rows[i].label);
        else default_label(&rows[i], keys, start, nk, g->label);
    }
    free(store), free(keys), free(start);
    return ok && disambiguate(gs);
}

sim_status query_groups_load(query_t *q, query_groups *out, sim_err *err) {
    qrow *rows = NULL;
    size_t n = 0;
    memset(out, 0, sizeof *out);
    sim_status st = load_rows(query_db(q), &rows, &n, err);
    if (st != SIM_OK) return st;
    size_t *grp = calloc(n ? n : 1, sizeof *grp);
    int ok = grp && make_groups(rows, n, out, grp) && label_groups(rows, n, grp, out);
    free(grp);
    free_rows(rows, n);
    if (ok) return SIM_OK;
    query_groups_free(out);
    return err_set(err, SIM_ENOMEM, "out of memory");
}

const query_group *query_groups_find(const query_groups *gs, const char *label) {
    for (size_t i = 0; i < gs->n; i++)
        if (strcmp(gs->g[i].label, label) == 0) return &gs->g[i];
    return NULL;
}

void query_groups_free(query_groups *gs) {
    if (!gs) return;
    for (size_t i = 0; gs->g && i < gs->n; i++)
        free(gs->g[i].run_id), free(gs->g[i].seed), free(gs->g[i].replicate);
    free(gs->g);
    gs->g = NULL, gs->n = 0;
}
