/* sim/society/net_build_ref.c - net_build_reference: the straightforward layer builder that
 * tests compare net_build_new (net_build.c) with. One thread, units in order: count each
 * agent's arcs, place them at per-agent cursors, sort every list with qsort, copy the
 * distinct ids into a new array. Nothing of the fast builder's blocks, tasks, recording or
 * counting sort is used, only the sink's put_tie with one agent per block (shift 0), so
 * each agent's counter is its own cursor. */
#include "net_build.h"

#include <stdlib.h>
#include <string.h>

static int cmp_id(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Runs every unit in order into per-agent counters cur (pass 1: counts; pass 2 with adj and
 * own set: cursors). Returns the self-loops. */
static uint64_t run_all(net_gen_fn gen, const void *ctx, uint64_t units, uint64_t *cur,
                        uint32_t *adj, uint16_t *own, int directed) {
    net_sink_t k = {cur, adj, own, 0, directed, NULL, 0, 0, NET_NONE};
    uint64_t loops = 0;
    for (uint64_t u = 0; u < units; u++) loops += gen(ctx, u, &k);
    return loops;
}

/* Sorts every list of raw (offsets off, n agents), copies the distinct ids to g and their
 * offsets to at[0..n]; returns the repeats dropped. */
static uint64_t sort_into(net_t *g, const uint64_t *off, uint32_t *raw, uint64_t *at) {
    uint64_t w = 0, dups = 0;
    for (uint32_t i = 0; i < g->n; i++) {
        at[i] = w;
        uint64_t k = off[i + 1] - off[i];
        qsort(raw + off[i], k, sizeof *raw, cmp_id);
        for (uint64_t a = off[i]; a < off[i + 1]; a++)
            if (a > off[i] && raw[a] == raw[a - 1]) dups++;
            else g->adj[w++] = raw[a];
    }
    at[g->n] = g->m = w;
    return dups;
}

sim_status net_build_reference(net_t **out, uint32_t n, int directed, net_gen_fn gen,
                               const void *ctx, uint64_t units, int may_dup, int record,
                               int threads, net_stats *stats, sim_err *err) {
    (void)record, (void)threads, (void)may_dup;   /* repeats are always dropped here */
    net_t *g = NULL;
    sim_status st = net_layer_new(&g, n, directed, err);
    if (st != SIM_OK || units == 0) return *out = g, st;
    uint64_t *off = calloc((size_t)n + 2, sizeof *off), *cur = calloc((size_t)n + 1, 8);
    uint64_t loops = 0, m = 0, dups = 0;
    uint32_t *raw = NULL;
    uint16_t *own = NULL;
    if (off && cur) {
        loops = run_all(gen, ctx, units, off + 1, NULL, NULL, directed);
        for (uint32_t i = 0; i < n; i++) off[i + 1] += off[i];
        m = off[n];
        raw = malloc((m ? m : 1) * sizeof *raw);
        own = malloc((m ? m : 1) * sizeof *own);
        free(g->adj);
        g->adj = malloc((m ? m : 1) * sizeof *g->adj);
    }
    if (!off || !cur || !raw || !own || !g->adj) {
        st = net_oom(err, "a reference layer", 10 * m);
    } else {
        memcpy(cur, off, ((size_t)n + 1) * sizeof *cur);
        run_all(gen, ctx, units, cur, raw, own, directed);
        dups = sort_into(g, off, raw, cur);   /* cur is free again: the final offsets */
        for (uint64_t a = 0; directed && a < g->m; a++) g->in_deg[g->adj[a]]++;
        st = net_set_offsets(g, cur, -1, err);
    }
    free(off), free(cur), free(raw), free(own);
    if (st != SIM_OK) net_free(g), g = NULL;
    if (st == SIM_OK && stats) {
        stats->self_loops = loops;
        stats->duplicates = directed ? dups : dups / 2;
    }
    *out = g;
    return st;
}
