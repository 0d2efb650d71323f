/* sim/serve/serve_cascade.c - the largest spillover cascade of a stored run, for the page to
 * animate: the tree of spillover listings in the run's events (each agent's first spillover
 * listing hangs under its source agent; a link that would close a loop is left out), the
 * largest tree by agents, laid out as a radial tree (depth = rings, each subtree a wedge in
 * proportion to its leaves), with the step and tie layer of each listing and the cause of the
 * root's own listing (the error at its root, when it was one). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "serve_impl.h"

enum { EVENTS_MAX = 4000000, SHOWN_MAX = 4000, LAYERS_MAX = 8 };

typedef struct cnode {
    int64_t agent;
    int parent, step, layer, root, depth, child, sibling;
    double leaves, a0, a1;
} cnode;

typedef struct forest {
    cnode *v;
    size_t n, cap;
    int *slot;            /* open addressing: node index + 1, 0 empty */
    size_t hcap;
    char layers[LAYERS_MAX][16];
    int nlayers;
} forest;

static size_t hash(int64_t a, size_t cap) {
    uint64_t x = (uint64_t)a * 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 17) & (cap - 1);
}

static int grow(forest *f) {
    size_t cap = f->hcap ? f->hcap * 2 : 1024;
    int *slot = calloc(cap, sizeof *slot);
    if (!slot) return -1;
    for (size_t i = 0; i < f->n; i++) {
        size_t h = hash(f->v[i].agent, cap);
        while (slot[h]) h = (h + 1) & (cap - 1);
        slot[h] = (int)i + 1;
    }
    free(f->slot);
    f->slot = slot, f->hcap = cap;
    return 0;
}

/* The node of agent a, created when new; -1 when out of memory. */
static int node_of(forest *f, int64_t a) {
    if ((f->n + 1) * 2 > f->hcap && grow(f) != 0) return -1;
    size_t h = hash(a, f->hcap);
    for (; f->slot[h]; h = (h + 1) & (f->hcap - 1))
        if (f->v[f->slot[h] - 1].agent == a) return f->slot[h] - 1;
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 1024;
        cnode *v = realloc(f->v, cap * sizeof *v);
        if (!v) return -1;
        f->v = v, f->cap = cap;
    }
    f->v[f->n] = (cnode){.agent = a, .parent = -1, .root = -1, .child = -1, .sibling = -1};
    f->slot[h] = (int)f->n + 1;
    return (int)f->n++;
}

static int layer_index(forest *f, const char *name) {
    for (int i = 0; i < f->nlayers; i++) if (strcmp(f->layers[i], name) == 0) return i;
    if (f->nlayers == LAYERS_MAX) return LAYERS_MAX - 1;
    snprintf(f->layers[f->nlayers], sizeof f->layers[0], "%s", name);
    return f->nlayers++;
}

/* Links agent a under source b at step t, unless a has a parent or b descends from a. */
static void link(forest *f, int a, int b, int t, int layer) {
    if (a == b || f->v[a].parent >= 0) return;
    for (int x = b, k = 0; x >= 0 && k <= (int)f->n; x = f->v[x].parent, k++)
        if (x == a) return;
    f->v[a].parent = b, f->v[a].step = t, f->v[a].layer = layer;
}

static sim_status read_links(sqlite3 *db, int64_t run, forest *f, sim_err *err) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT step, agent, source, COALESCE(layer, '') FROM events "
                           "WHERE run_id = ?1 AND kind = 'listed' AND cause = 'spillover' AND "
                           "source IS NOT NULL ORDER BY step, rowid LIMIT ?2", -1, &st,
                           NULL) != SQLITE_OK)
        return err_set(err, SIM_EDB, "reading events: %s", sqlite3_errmsg(db));
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int(st, 2, EVENTS_MAX);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int a = node_of(f, sqlite3_column_int64(st, 1));
        int b = a < 0 ? -1 : node_of(f, sqlite3_column_int64(st, 2));
        if (a < 0 || b < 0) { rc = SQLITE_NOMEM; break; }
        link(f, a, b, sqlite3_column_int(st, 0),
             layer_index(f, (const char *)sqlite3_column_text(st, 3)));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SIM_OK : err_set(err, SIM_EDB, "reading events failed");
}

/* The root with the most nodes in its tree, or -1 when there is no link at all. */
static int largest_root(forest *f, size_t *size) {
    int *count = calloc(f->n ? f->n : 1, sizeof *count), best = -1;
    if (!count) return -1;
    for (size_t i = 0; i < f->n; i++) {
        int x = (int)i;
        while (f->v[x].parent >= 0 && f->v[x].root < 0) x = f->v[x].parent;
        int r = f->v[x].root >= 0 ? f->v[x].root : x;
        for (int y = (int)i; y >= 0 && f->v[y].root < 0; y = f->v[y].parent) f->v[y].root = r;
        if (++count[r] > 1 && (best < 0 || count[r] > count[best])) best = r;
    }
    *size = best >= 0 ? (size_t)count[best] : 0;
    free(count);
    return best;
}

/* Breadth-first order of the tree of root (at most SHOWN_MAX nodes) into order[]. */
static size_t bfs(forest *f, int root, int *order) {
    for (size_t i = f->n; i-- > 0;) {   /* children lists, in listing order */
        cnode *c = &f->v[i];
        if (c->root != root || c->parent < 0) continue;
        c->sibling = f->v[c->parent].child;
        f->v[c->parent].child = (int)i;
    }
    size_t n = 0;
    order[n++] = root;
    f->v[root].depth = 0;
    for (size_t k = 0; k < n; k++)
        for (int c = f->v[order[k]].child; c >= 0 && n < SHOWN_MAX; c = f->v[c].sibling) {
            f->v[c].depth = f->v[order[k]].depth + 1;
            order[n++] = c;
        }
    return n;
}

/* Wedges in proportion to leaves, children after their parent in order[]. */
static void layout(forest *f, const int *order, size_t n, char *shown) {
    for (size_t k = 0; k < n; k++) shown[order[k]] = 1, f->v[order[k]].leaves = 0;
    for (size_t k = n; k-- > 0;) {
        cnode *c = &f->v[order[k]];
        if (c->leaves == 0) c->leaves = 1;
        if (c->parent >= 0 && k > 0) f->v[c->parent].leaves += c->leaves;
    }
    f->v[order[0]].a0 = 0, f->v[order[0]].a1 = 2 * M_PI;
    for (size_t k = 0; k < n; k++) {
        cnode *p = &f->v[order[k]];
        double a = p->a0, span = p->a1 - p->a0, total = 0;
        for (int c = p->child; c >= 0; c = f->v[c].sibling) if (shown[c]) total += f->v[c].leaves;
        for (int c = p->child; c >= 0; c = f->v[c].sibling) {
            if (!shown[c]) continue;
            f->v[c].a0 = a;
            a += span * f->v[c].leaves / total;
            f->v[c].a1 = a;
        }
    }
}

/* The cause, step and agency of the root's own listing at or before step t. */
static json_t *root_cause(sqlite3 *db, int64_t run, int64_t agent, int t) {
    json_t *o = json_object();
    json_object_set_new(o, "agent", json_integer(agent));
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT COALESCE(cause, ''), step, COALESCE(agency, ''), list "
                           "FROM events WHERE run_id = ?1 AND agent = ?2 AND kind = 'listed' "
                           "AND COALESCE(cause, '') != 'spillover' AND step <= ?3 ORDER BY "
                           "step DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return o;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int64(st, 2, agent);
    sqlite3_bind_int(st, 3, t);
    if (sqlite3_step(st) == SQLITE_ROW) {
        json_object_set_new(o, "cause", json_string((const char *)sqlite3_column_text(st, 0)));
        json_object_set_new(o, "step", json_integer(sqlite3_column_int(st, 1)));
        json_object_set_new(o, "agency", json_string((const char *)sqlite3_column_text(st, 2)));
        json_object_set_new(o, "list", json_string((const char *)sqlite3_column_text(st, 3)));
    }
    sqlite3_finalize(st);
    return o;
}

static json_t *nodes_json(forest *f, const int *order, size_t n, int *first_step) {
    json_t *a = json_array();
    int maxd = 1;
    for (size_t k = 0; k < n; k++) if (f->v[order[k]].depth > maxd) maxd = f->v[order[k]].depth;
    *first_step = 0;
    for (size_t k = 0; k < n; k++) {
        cnode *c = &f->v[order[k]];
        int parent = -1;
        for (size_t j = 0; j < k && k > 0; j++) if (order[j] == c->parent) parent = (int)j;
        if (k > 0 && (*first_step == 0 || c->step < *first_step)) *first_step = c->step;
        double r = (double)c->depth / maxd, ang = (c->a0 + c->a1) / 2;
        json_array_append_new(a, json_pack("[I,i,i,i,f,f]", (json_int_t)c->agent, parent,
                                           k ? c->step : 0, k ? c->layer : -1,
                                           round(r * cos(ang) * 1e4) / 1e4,
                                           round(r * sin(ang) * 1e4) / 1e4));
    }
    return a;
}

static json_t *cascade_json(sqlite3 *db, int64_t run, forest *f, sim_err *err) {
    size_t size = 0;
    int root = largest_root(f, &size);
    json_t *o = json_object();
    json_object_set_new(o, "run_id", json_integer(run));
    json_object_set_new(o, "size", json_integer((json_int_t)size));
    json_t *layers = json_array();
    for (int i = 0; i < f->nlayers; i++) json_array_append_new(layers, json_string(f->layers[i]));
    json_object_set_new(o, "layers", layers);
    if (root < 0) { json_object_set_new(o, "nodes", json_array()); return o; }
    int *order = malloc(SHOWN_MAX * sizeof *order);
    char *shown = calloc(f->n, 1);
    if (!order || !shown) {
        free(order), free(shown), json_decref(o);
        err_set(err, SIM_ENOMEM, "out of memory laying out the cascade");
        return NULL;
    }
    size_t n = bfs(f, root, order);
    layout(f, order, n, shown);
    int first = 0;
    json_object_set_new(o, "nodes", nodes_json(f, order, n, &first));
    json_object_set_new(o, "truncated", json_boolean(n < size));
    json_object_set_new(o, "root", root_cause(db, run, f->v[root].agent, first));
    free(order), free(shown);
    return o;
}

json_t *sv_cascade(const char *db, int64_t run_id, sim_err *err) {
    query_t *q = NULL;
    if (query_open(&q, db, err) != SIM_OK) return NULL;
    forest f = {0};
    json_t *o = NULL;
    if (read_links(query_db(q), run_id, &f, err) == SIM_OK)
        o = cascade_json(query_db(q), run_id, &f, err);
    free(f.v), free(f.slot);
    query_close(q);
    return o;
}
