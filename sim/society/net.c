/* sim/society/net.c - tie layers as CSR: layer objects, empty layers, net_from_ties, and the
 * checks. Every layer is built by net_build_new() (net_build.c, which describes how and why
 * the result does not depend on the thread count); generators are in net_gen.c, CSV import
 * in net_csv.c; what they share is declared in net_build.h (internal). */
#include "net_build.h"
#include "vec.h"

#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

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

sim_status net_layer_new(net_t **out, uint32_t n, int directed, sim_err *err) {
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
    return net_layer_new(out, n, directed, err);
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
    return net_from_ties_by(net_build_new, out, n, directed, src, dst, k, stats, err);
}

sim_status net_from_ties_by(net_builder_fn build, net_t **out, uint32_t n, int directed,
                            const uint32_t *src, const uint32_t *dst, uint64_t k,
                            net_stats *stats, sim_err *err) {
    *out = NULL;
    if (stats) memset(stats, 0, sizeof *stats);
    for (uint64_t e = 0; e < k; e++)
        if (src[e] >= n || dst[e] >= n)
            return err_set(err, SIM_ESCENARIO,
                           "tie %llu (%u -> %u): agent id %u is out of range, the layer has "
                           "%u agents", (unsigned long long)e, src[e], dst[e],
                           src[e] >= n ? src[e] : dst[e], n);
    net_tie_view_t c = {src, dst, k, 1, 0};
    return build(out, n, directed, net_ties_unit, &c, units_of(k, NET_TIES_PER_UNIT), 1, 0, 0,
                 stats, err);
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
