/* sim/society/net.c - tie layers as CSR: the two-pass builder every layer goes through, empty
 * layers, net_from_ties, and the checks. Generators are in net_gen.c, CSV import in
 * net_csv.c; what they share is declared in net_build.h (internal).
 *
 * Building. Every layer goes through net_build_new(). A generator is cut into units of work
 * (a block of ROWS_PER_UNIT rows or agents, or NET_TIES_PER_UNIT ties) and each unit is run
 * twice: once to count every agent's arcs (atomically, into off[i+1]) and, after a prefix
 * sum, once more to place them (off[i] used as an atomic cursor, then shifted back); ties are
 * buffered NET_SINK_TIES at a time so the scattered accesses of a batch overlap. A unit's
 * random stream is keyed by (step 0, unit index, purpose), so the second run replays the
 * first exactly and the set of arcs does not depend on which thread ran which unit; only the
 * order within a list does, and every list is then sorted (and, where a generator can repeat
 * a tie, cleared of duplicates). So off/adj are bit-identical for any thread count. Peak
 * memory: the CSR (8 B per agent + 4 B per arc) plus the generator's own input. A second
 * stream per agent, where needed, is keyed by agent index SUB_STREAM + i (unit indices stay
 * far below it). */
#include "net_build.h"
#include "vec.h"

#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

enum { SHORT_LIST = 24 };   /* lists up to this long are sorted by insertion */

int net_team(int threads) {
#ifdef _OPENMP
    return threads > 0 ? threads : omp_get_max_threads();
#else
    (void)threads;
    return 1;
#endif
}

sim_status net_oom(sim_err *err, const char *what, uint64_t bytes) {
    return err_set(err, SIM_ENOMEM, "out of memory allocating %s (%.1f MB)", what, bytes / 1e6);
}

/* --- layer objects -------------------------------------------------------------------- */

/* A layer of n agents with no arcs: off zeroed, adj a 1-element placeholder. */
static sim_status layer_new(net_t **out, uint32_t n, int directed, sim_err *err) {
    net_t *g = calloc(1, sizeof *g);
    if (g) {
        g->n = n;
        g->directed = directed != 0;
        g->off = calloc((size_t)n + 1, sizeof *g->off);
        g->adj = malloc(sizeof *g->adj);
        if (directed) g->in_deg = calloc(n ? n : 1, sizeof *g->in_deg);
    }
    if (!g || !g->off || !g->adj || (directed && !g->in_deg)) {
        net_free(g);
        return net_oom(err, "a layer", net_bytes(n, 0, directed));
    }
    *out = g;
    return SIM_OK;
}

sim_status net_empty(net_t **out, uint32_t n, int directed, sim_err *err) {
    *out = NULL;
    return layer_new(out, n, directed, err);
}

void net_free(net_t *g) {
    if (!g) return;
    free(g->off);
    free(g->adj);
    free(g->in_deg);
    free(g);
}

uint64_t net_bytes(uint64_t n, uint64_t m, int directed) {
    return sizeof(net_t) + (n + 1) * sizeof(uint64_t) + m * sizeof(uint32_t) +
           (directed ? n * sizeof(uint32_t) : 0);
}

sim_status net_check_range(const char *what, uint32_t n, uint32_t first, uint32_t count,
                           sim_err *err) {
    if ((uint64_t)first + count <= n) return SIM_OK;
    return err_set(err, SIM_ESCENARIO,
                   "%s layer: agents %u..%llu lie outside the layer's %u agents", what, first,
                   (unsigned long long)first + count - 1, n);
}

/* --- the two-pass builder ------------------------------------------------------------- */

static uint64_t run_units(net_gen_fn gen, const void *ctx, uint64_t units, uint64_t *off,
                          uint32_t *adj, int directed, int nt) {
    uint64_t loops = 0;
    (void)nt;   /* unused without OpenMP */
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt) reduction(+ : loops)
    for (uint64_t u = 0; u < units; u++) {
        net_sink_t k;
        k.off = off, k.adj = adj, k.directed = directed, k.k = 0;
        loops += gen(ctx, u, &k);
        flush(&k);
    }
    return loops;
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void sort_ids(uint32_t *a, uint64_t k) {
    if (k > SHORT_LIST) {
        qsort(a, k, sizeof *a, cmp_u32);
        return;
    }
    for (uint64_t i = 1; i < k; i++) {
        uint32_t x = a[i];
        uint64_t j = i;
        for (; j > 0 && a[j - 1] > x; j--) a[j] = a[j - 1];
        a[j] = x;
    }
}

/* Moves the distinct values of sorted a to its front, fills the rest with NET_NONE; returns
 * how many repeats were dropped. */
static uint64_t drop_repeats(uint32_t *a, uint64_t k) {
    if (k < 2) return 0;
    uint64_t w = 1;
    for (uint64_t i = 1; i < k; i++)
        if (a[i] != a[w - 1]) a[w++] = a[i];
    for (uint64_t i = w; i < k; i++) a[i] = NET_NONE;
    return k - w;
}

static uint64_t sort_lists(net_t *g, int may_dup, int nt) {
    uint64_t dups = 0;
    (void)nt;   /* unused without OpenMP */
#pragma omp parallel for schedule(dynamic, 4096) num_threads(nt) reduction(+ : dups)
    for (uint32_t i = 0; i < g->n; i++) {
        uint32_t *a = g->adj + g->off[i];
        uint64_t k = g->off[i + 1] - g->off[i];
        sort_ids(a, k);
        if (may_dup) dups += drop_repeats(a, k);
    }
    return dups;
}

/* Squeezes out the NET_NONE slots left by drop_repeats (sequential, in place). */
static void compact(net_t *g) {
    uint64_t w = 0;
    for (uint32_t i = 0; i < g->n; i++) {
        uint64_t b = g->off[i], e = g->off[i + 1];
        g->off[i] = w;
        for (uint64_t a = b; a < e; a++)
            if (g->adj[a] != NET_NONE) g->adj[w++] = g->adj[a];
    }
    g->off[g->n] = g->m = w;
    uint32_t *smaller = realloc(g->adj, (w ? w : 1) * sizeof *g->adj);
    if (smaller) g->adj = smaller;
}

/* Fills g (fresh from layer_new) with the ties of all units, sorts every list and, with
 * may_dup, drops repeated ties. stats (may be NULL) gets self_loops and duplicates. */
static sim_status build(net_t *g, net_gen_fn gen, const void *ctx, uint64_t units, int may_dup,
                        int nt, net_stats *stats, sim_err *err) {
    uint64_t loops = run_units(gen, ctx, units, g->off, NULL, g->directed, nt);
    for (uint32_t i = 0; i < g->n; i++) g->off[i + 1] += g->off[i];
    g->m = g->off[g->n];
    free(g->adj);
    if (!(g->adj = malloc((g->m ? g->m : 1) * sizeof *g->adj)))
        return net_oom(err, "a layer's arcs", g->m * sizeof *g->adj);
    run_units(gen, ctx, units, g->off, g->adj, g->directed, nt);
    memmove(g->off + 1, g->off, (size_t)g->n * sizeof *g->off);
    g->off[0] = 0;
    uint64_t dups = sort_lists(g, may_dup, nt);
    if (dups) compact(g);
    if (g->directed)
        for (uint64_t a = 0; a < g->m; a++) g->in_deg[g->adj[a]]++;
    if (stats) {
        stats->self_loops = loops;
        stats->duplicates = g->directed ? dups : dups / 2;
    }
    return SIM_OK;
}

/* Runs build on a fresh layer; on failure frees it and leaves *out NULL. */
sim_status net_build_new(net_t **out, uint32_t n, int directed, net_gen_fn gen,
                         const void *ctx, uint64_t units, int may_dup, int threads,
                         net_stats *stats, sim_err *err) {
    net_t *g = NULL;
    sim_status st = layer_new(&g, n, directed, err);
    if (st == SIM_OK && units > 0)
        st = build(g, gen, ctx, units, may_dup, net_team(threads), stats, err);
    if (st != SIM_OK) net_free(g), g = NULL;
    *out = g;
    return st;
}

/* --- tie lists (from_ties, config) ---------------------------------------------------- */

uint64_t net_ties_unit(const void *ctx, uint64_t u, net_sink_t *k) {
    const net_tie_view_t *c = ctx;
    uint64_t loops = 0, end = min_u64((u + 1) * NET_TIES_PER_UNIT, c->k);
    for (uint64_t e = u * NET_TIES_PER_UNIT; e < end; e++) {
        uint32_t a = c->src[e * c->stride] + c->add, b = c->dst[e * c->stride] + c->add;
        if (a == b) loops++;
        else put_tie(k, a, b);
    }
    return loops;
}

sim_status net_from_ties(net_t **out, uint32_t n, int directed, const uint32_t *src,
                         const uint32_t *dst, uint64_t k, net_stats *stats, sim_err *err) {
    *out = NULL;
    if (stats) memset(stats, 0, sizeof *stats);
    for (uint64_t e = 0; e < k; e++)
        if (src[e] >= n || dst[e] >= n)
            return err_set(err, SIM_ESCENARIO,
                           "tie %llu (%u -> %u): agent id %u is out of range, the layer has "
                           "%u agents", (unsigned long long)e, src[e], dst[e],
                           src[e] >= n ? src[e] : dst[e], n);
    net_tie_view_t c = {src, dst, k, 1, 0};
    return net_build_new(out, n, directed, net_ties_unit, &c, units_of(k, NET_TIES_PER_UNIT), 1,
                         0, stats, err);
}

/* --- checks --------------------------------------------------------------------------- */

int net_has_arc(const net_t *g, uint32_t i, uint32_t j) {
    uint64_t lo = g->off[i], hi = g->off[i + 1];
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (g->adj[mid] == j) return 1;
        if (g->adj[mid] < j) lo = mid + 1;
        else hi = mid;
    }
    return 0;
}

static sim_status check_list(const net_t *g, uint32_t i, sim_err *err) {
    if (g->off[i + 1] < g->off[i] || g->off[i + 1] > g->m)
        return err_set(err, SIM_ERUN, "layer: offsets of agent %u are broken", i);
    for (uint64_t a = g->off[i]; a < g->off[i + 1]; a++) {
        uint32_t j = g->adj[a];
        if (j >= g->n || j == i || (a > g->off[i] && g->adj[a - 1] >= j))
            return err_set(err, SIM_ERUN, "layer: list of agent %u has id %u out of range, "
                           "a self-loop, or is not strictly ascending", i, j);
        if (!g->directed && !net_has_arc(g, j, i))
            return err_set(err, SIM_ERUN, "layer: arc %u->%u lacks its reverse", i, j);
    }
    return SIM_OK;
}

sim_status net_validate(const net_t *g, sim_err *err) {
    if (g->off[0] != 0 || g->off[g->n] != g->m || (g->directed != !!g->in_deg))
        return err_set(err, SIM_ERUN, "layer: header inconsistent (off[0], off[n], in_deg)");
    for (uint32_t i = 0; i < g->n; i++) {
        sim_status st = check_list(g, i, err);
        if (st != SIM_OK) return st;
    }
    if (!g->directed) return SIM_OK;
    uint64_t *cnt = calloc(g->n ? g->n : 1, sizeof *cnt);
    if (!cnt) return net_oom(err, "a layer check", 8ull * g->n);
    for (uint64_t a = 0; a < g->m; a++) cnt[g->adj[a]]++;
    uint32_t bad = g->n;
    for (uint32_t i = 0; i < g->n && bad == g->n; i++)
        if (cnt[i] != g->in_deg[i]) bad = i;
    free(cnt);
    if (bad < g->n) return err_set(err, SIM_ERUN, "layer: in_deg of agent %u is wrong", bad);
    return SIM_OK;
}

int net_ties_push(net_ties *t, uint32_t a, uint32_t b) {
    uint64_t cap = t->cap;
    if (!vec_reserve((void **)&t->src, &cap, t->k + 1, sizeof *t->src)) return 0;
    cap = t->cap;
    if (!vec_reserve((void **)&t->dst, &cap, t->k + 1, sizeof *t->dst)) return 0;
    t->cap = cap;
    t->src[t->k] = a;
    t->dst[t->k++] = b;
    return 1;
}

void net_ties_free(net_ties *t) {
    free(t->src);
    free(t->dst);
    *t = (net_ties){0};
}
