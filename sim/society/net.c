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
        g->shift = NET_OFF_SHIFT;
        g->off32 = calloc((size_t)n + 1, sizeof *g->off32);
        g->base = calloc(((size_t)n >> NET_OFF_SHIFT) + 1, sizeof *g->base);
        g->adj = malloc(sizeof *g->adj);
        if (directed) g->in_deg = calloc(n ? n : 1, sizeof *g->in_deg);
    }
    if (!g || !g->off32 || !g->base || !g->adj || (directed && !g->in_deg)) {
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
    free(g->off32);
    free(g->base);
    free(g->adj);
    free(g->in_deg);
    free(g);
}

uint64_t net_bytes(uint64_t n, uint64_t m, int directed) {
    return sizeof(net_t) + (n + 1) * sizeof(uint32_t) +
           ((n >> NET_OFF_SHIFT) + 1) * sizeof(uint64_t) + m * sizeof(uint32_t) +
           (directed ? n * sizeof(uint32_t) : 0);
}

/* --- offsets -------------------------------------------------------------------------- */

/* Whether, under shift s, every offset block's lists (and agent n in the last block) begin
 * less than 2^32 arcs after the block's first (read through g's present offsets). */
static int shift_fits(const net_t *g, uint32_t s) {
    for (uint64_t f = 0; f <= g->n; f += 1ull << s) {
        uint32_t l = (uint32_t)min_u64(f + (1ull << s) - 1, g->n);
        if (net_begin(g, l) - net_begin(g, (uint32_t)f) > UINT32_MAX) return 0;
    }
    return 1;
}

uint32_t net_canon_shift(const net_t *g) {
    uint32_t s = NET_OFF_SHIFT;
    while (s > 0 && !shift_fits(g, s)) s--;
    return s;
}

/* The bases of g's lists under shift s ([(n >> s) + 1], read through g's present offsets),
 * or NULL out of memory. */
static uint64_t *bases_for(const net_t *g, uint32_t s) {
    uint64_t nb = ((uint64_t)g->n >> s) + 1;
    uint64_t *b = malloc(nb * sizeof *b);
    for (uint64_t k = 0; b && k < nb; k++) b[k] = net_begin(g, (uint32_t)(k << s));
    return b;
}

/* Gives g the bases of the lists as view (g itself, or g's off32 with other bases) reads
 * them, under shift (< 0: net_canon_shift). */
static sim_status rebase_from(net_t *g, const net_t *view, int shift, sim_err *err) {
    uint32_t s = shift < 0 ? net_canon_shift(view) : (uint32_t)shift;
    if (s > NET_OFF_SHIFT || !shift_fits(view, s))
        return err_set(err, SIM_ERUN, "layer: offset shift %u does not fit its lists", s);
    uint64_t *b = bases_for(view, s);
    if (!b) return net_oom(err, "a layer's offset bases", 8 * (((uint64_t)g->n >> s) + 1));
    free(g->base);
    g->base = b, g->shift = s;
    return SIM_OK;
}

sim_status net_rebase(net_t *g, int shift, sim_err *err) {
    return rebase_from(g, g, shift, err);
}

sim_status net_set_offsets(net_t *g, const uint64_t *off, int shift, sim_err *err) {
    for (uint64_t i = 0; i <= g->n; i++) g->off32[i] = (uint32_t)off[i];
    net_t view = *g;
    view.base = (uint64_t *)off, view.shift = 0;   /* one base per agent: read as is */
    return rebase_from(g, &view, shift, err);
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
    uint64_t lo = net_begin(g, i), hi = lo + net_degree(g, i);
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (g->adj[mid] == j) return 1;
        if (g->adj[mid] < j) lo = mid + 1;
        else hi = mid;
    }
    return 0;
}

static sim_status check_list(const net_t *g, uint32_t i, sim_err *err) {
    uint64_t b = net_begin(g, i), e = net_end(g, i);
    if (e != net_begin(g, i + 1) || e > g->m)
        return err_set(err, SIM_ERUN, "layer: offsets of agent %u are broken", i);
    for (uint64_t a = b; a < e; a++) {
        uint32_t j = g->adj[a];
        if (j >= g->n || j == i || (a > b && g->adj[a - 1] >= j))
            return err_set(err, SIM_ERUN, "layer: list of agent %u has id %u out of range, "
                           "a self-loop, or is not strictly ascending", i, j);
        if (!g->directed && !net_has_arc(g, j, i))
            return err_set(err, SIM_ERUN, "layer: arc %u->%u lacks its reverse", i, j);
    }
    return SIM_OK;
}

/* Whether g's offset blocks are as net.h has them: shift at most NET_OFF_SHIFT, each base
 * the begin of its block's first list (its low word that list's off32), bases ascending. */
static int bases_ok(const net_t *g) {
    if (g->shift > NET_OFF_SHIFT || g->base[0] != 0) return 0;
    for (uint64_t k = 0; k <= (uint64_t)g->n >> g->shift; k++)
        if ((uint32_t)g->base[k] != g->off32[k << g->shift] ||
            (k > 0 && g->base[k] < g->base[k - 1]))
            return 0;
    return 1;
}

sim_status net_validate(const net_t *g, sim_err *err) {
    if (!bases_ok(g) || net_begin(g, g->n) != g->m || (g->directed != !!g->in_deg))
        return err_set(err, SIM_ERUN, "layer: header inconsistent (offset bases, end of the "
                       "last list, in_deg)");
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
