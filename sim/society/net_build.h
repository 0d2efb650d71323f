/* sim/society/net_build.h - INTERNAL to the net module: shared by sim/society/net.c (the builder),
 * sim/society/net_gen.c (generators) and sim/society/net_csv.c (CSV import) only. Not part of the public
 * API; every other file includes net.h. Prefix net_ (NET_ for constants); the small
 * static inline helpers keep the short names they have inside the module.
 *
 * Every layer is made by net_build_new(): a generator places the ties of one unit of work
 * into a sink with put_tie(), and the builder runs each unit twice (count, then place). The
 * algorithm and its guarantees are described at the top of net_build.c. */
#ifndef SIM_NET_BUILD_H
#define SIM_NET_BUILD_H

#include <stdint.h>

#include "err.h"
#include "net.h"

enum {
    NET_TIES_PER_UNIT = 1 << 16,   /* ties of a tie list per unit of work */
    NET_ROWS_PER_UNIT = 4096       /* rows or agents per unit of work of a generator */
};
static const uint64_t NET_SUB_STREAM = 1ull << 40;   /* second streams of generators: agent
                                                        key NET_SUB_STREAM + i (unit indices
                                                        stay far below it) */
static const uint32_t NET_NONE = UINT32_MAX;   /* a dropped duplicate, before compaction;
                                                  also "no entry" for generators */

static inline uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static inline uint64_t units_of(uint64_t items, uint64_t per) { return (items + per - 1) / per; }

/* Where the ties of one task (a run of units) go (net_build.c). The owner of an arc is the
 * agent whose list gets it; agents fall in owner blocks of 2^shift. */
typedef struct net_sink {
    uint64_t *cur;   /* [blocks] pass 1: arcs counted per owner block; pass 2: next slot */
    uint32_t *adj;   /* NULL in pass 1 */
    uint16_t *own;   /* pass 2: the owner of each slot, as its index within its block */
    uint32_t shift;
    int directed;    /* 0: a tie is placed both ways */
    /* pass 1 with recording: the ties as words, "NET_NONE u" whenever the source changes to
     * u, then each target (a generator that makes a source's ties together costs 4 B a tie).
     * rec is NULL when not recording or after a failed allocation (the task is then run
     * again in pass 2). */
    uint32_t *rec;
    uint64_t rec_len, rec_cap;
    uint32_t rec_u;   /* the source of the last recorded tie */
} net_sink_t;

static inline void put_arc(const net_sink_t *k, uint32_t u, uint32_t v) {
    uint64_t at = k->cur[u >> k->shift]++;
    if (!k->adj) return;
    k->adj[at] = v;
    k->own[at] = (uint16_t)(u & ((1u << k->shift) - 1));
}

/* Appends the tie u -> v to k->rec, growing it (net_build.c). */
void net_record(net_sink_t *k, uint32_t u, uint32_t v);

/* Adds the tie u -> v (u -- v when undirected) to the sink. */
static inline void put_tie(net_sink_t *k, uint32_t u, uint32_t v) {
    if (k->rec) {
        if (u == k->rec_u && k->rec_len < k->rec_cap) k->rec[k->rec_len++] = v;
        else net_record(k, u, v);
    }
    put_arc(k, u, v);
    if (!k->directed) put_arc(k, v, u);
}

/* Places the ties of one unit of work into k (the same ties on every call) and returns the
 * number of self-loops it dropped. */
typedef uint64_t (*net_gen_fn)(const void *ctx, uint64_t unit, net_sink_t *k);

/* A tie list for net_ties_unit: tie e is src[e * stride] + add -> dst[e * stride] + add. */
typedef struct net_tie_view {
    const uint32_t *src, *dst;
    uint64_t k;        /* ties */
    uint64_t stride;
    uint32_t add;
} net_tie_view_t;

/* A net_gen_fn over a net_tie_view_t (ctx): unit u is ties u*NET_TIES_PER_UNIT.. ; drops and
 * counts self-loops. */
uint64_t net_ties_unit(const void *ctx, uint64_t u, net_sink_t *k);

/* OpenMP threads to use: threads when > 0, else the default (1 without OpenMP). */
int net_team(int threads);

/* Sets err to SIM_ENOMEM naming what could not be allocated; returns SIM_ENOMEM. */
sim_status net_oom(sim_err *err, const char *what, uint64_t bytes);

/* SIM_OK when ids first..first+count-1 lie within n agents, else SIM_ESCENARIO naming the
 * layer kind what. */
sim_status net_check_range(const char *what, uint32_t n, uint32_t first, uint32_t count,
                           sim_err *err);

/* A layer of n agents with no arcs: offsets zeroed (shift NET_OFF_SHIFT), adj a 1-element
 * placeholder (net.c). */
sim_status net_layer_new(net_t **out, uint32_t n, int directed, sim_err *err);

/* The shift every layer is stored with (net.h): the largest s <= NET_OFF_SHIFT under which no
 * offset block's lists begin 2^32 or more arcs after its first, read through g's present
 * offsets (which may use any shift). Cost O(n >> s) per shift tried. */
uint32_t net_canon_shift(const net_t *g);

/* Re-expresses g's offsets (valid under its present shift and bases) under shift (< 0: the
 * canonical one, net_canon_shift): new bases, off32 unchanged. SIM_ERUN when a block would
 * not fit, SIM_ENOMEM; g is unchanged then. */
sim_status net_rebase(net_t *g, int shift, sim_err *err);

/* Sets g's offsets from whole indices off[0..n] (nondecreasing, off[n] = g->m), under shift
 * (< 0: the canonical one; a given one lets tests make small blocks). SIM_ERUN when a block
 * would not fit, SIM_ENOMEM; g's offsets are unusable then (free it). */
sim_status net_set_offsets(net_t *g, const uint64_t *off, int shift, sim_err *err);

/* Builds a layer of n agents from units units of gen (ctx passed through): two passes,
 * every list sorted and, with may_dup, cleared of repeated ties. record: 1 to keep the ties
 * of the first pass (4 B a tie for a generator that makes each source's ties together) and
 * place them from there, for generators that cost more than reading them back; 0 to run
 * every unit twice (tie lists). threads: OpenMP threads
 * (0 = default). stats (may be NULL) gets self_loops and duplicates. units == 0 gives an
 * empty layer (gen may then be NULL). On failure frees the layer and leaves *out NULL;
 * returns SIM_OK or SIM_ENOMEM. */
sim_status net_build_new(net_t **out, uint32_t n, int directed, net_gen_fn gen,
                         const void *ctx, uint64_t units, int may_dup, int record,
                         int threads, net_stats *stats, sim_err *err);

/* A builder: net_build_new, or net_build_reference in tests. */
typedef sim_status (*net_builder_fn)(net_t **out, uint32_t n, int directed, net_gen_fn gen,
                                     const void *ctx, uint64_t units, int may_dup, int record,
                                     int threads, net_stats *stats, sim_err *err);

/* As net_build_new, the straightforward way, for tests to compare with: every unit run in
 * order on one thread to count each agent's arcs, then again to place them at per-agent
 * cursors, every list sorted (qsort) and cleared of repeats into a new array. record and
 * threads are ignored. */
sim_status net_build_reference(net_t **out, uint32_t n, int directed, net_gen_fn gen,
                               const void *ctx, uint64_t units, int may_dup, int record,
                               int threads, net_stats *stats, sim_err *err);

/* The generators and net_from_ties of net.h with the builder build (the public functions
 * pass net_build_new). */
sim_status net_gen_er_by(net_builder_fn build, net_t **out, uint32_t n, uint32_t first,
                         uint32_t count, double z, const rng_t *r, uint32_t purpose,
                         int threads, sim_err *err);
sim_status net_gen_ws_by(net_builder_fn build, net_t **out, uint32_t n, uint32_t first,
                         uint32_t count, double z, double rewire, const rng_t *r,
                         uint32_t purpose, int threads, sim_err *err);
sim_status net_gen_config_by(net_builder_fn build, net_t **out, uint32_t n, uint32_t first,
                             uint32_t count, double exponent, uint32_t kmin, uint32_t kmax,
                             const rng_t *r, uint32_t purpose, int threads, net_stats *stats,
                             sim_err *err);
sim_status net_gen_sbm_by(net_builder_fn build, net_t **out, uint32_t n, uint32_t first,
                          uint32_t count, double z, const uint8_t *region, int nregions,
                          const uint8_t *group, int ngroups, double h_region, double h_group,
                          const rng_t *r, uint32_t purpose, int threads, sim_err *err);
sim_status net_from_ties_by(net_builder_fn build, net_t **out, uint32_t n, int directed,
                            const uint32_t *src, const uint32_t *dst, uint64_t k,
                            net_stats *stats, sim_err *err);

#endif
