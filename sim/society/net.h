/* sim/society/net.h - tie layers as compressed sparse rows (CSR), their generators and CSV import.
 * Prefix net_.
 *
 * Agent ids run over all agents of a run: persons 0..P-1, then firms P..P+F-1. A layer
 * covers all n agents, though a generator only ties agents within the id range
 * [first, first + count) it is given (persons for the social layer, firms for partners).
 * An undirected tie {i, j} is stored as the two arcs i->j and j->i; a directed tie i->j as
 * one arc in i's list (out-neighbours), with in-degrees kept in in_deg. Every adjacency list
 * is sorted ascending and free of self-loops and duplicates, so a layer is a pure function
 * of its inputs and the random streams, whatever the number of threads. */
#ifndef SIM_NET_H
#define SIM_NET_H

#include <signal.h>
#include <stdint.h>

#include "err.h"
#include "rng.h"
#include "scenario.h"

/* Offsets take 4 bytes per agent whatever the arc count: off32[i] holds the low 32 bits of
 * the index in adj where agent i's list begins, and base[b] the whole index where block b
 * (agents b << shift .. ((b + 1) << shift) - 1, and agent n in the last block) begins. An
 * agent's list begins less than 2^32 arcs after its block's, so the low bits and the block's
 * base give the index; a list is shorter than 2^32 (ids are 32-bit), so its length is the
 * difference of two low words modulo 2^32 (net_degree reads no base). shift is NET_OFF_SHIFT
 * unless a block of that many agents holds 2^32 arcs or more; then the largest smaller one
 * under which no block does (a function of the lists only, so equal layers are equal bytes). */
enum { NET_OFF_SHIFT = 16 };   /* blocks of 2^16 agents: 8 B of base per 65,536 agents */

typedef struct net {
    uint32_t  n;         /* agents the ids range over */
    uint64_t  m;         /* arcs stored (an undirected tie counts twice) */
    int       directed;  /* 1: arcs point from source to target */
    uint32_t  shift;     /* agent i lies in offset block i >> shift */
    uint32_t *off32;     /* [n+1] low 32 bits of where each list begins (net_begin) */
    uint64_t *base;      /* [(n >> shift) + 1] where each offset block's first list begins */
    uint32_t *adj;       /* [m] neighbour ids, each list ascending; agent i's are
                            adj[net_begin(g, i) .. net_end(g, i) - 1] */
    uint32_t *in_deg;    /* [n] in-degree when directed; NULL when undirected */
} net_t;

typedef struct net_stats {
    uint64_t lines;        /* csv: data lines read */
    uint64_t self_loops;   /* dropped */
    uint64_t duplicates;   /* dropped (a repeated tie; for undirected layers {i,j} = {j,i}) */
} net_stats;

/* Where agent i's list begins in adj (i <= n; net_begin(g, n) = m). One base load. */
static inline uint64_t net_begin(const net_t *g, uint32_t i) {
    uint64_t b = g->base[i >> g->shift];
    return b + (uint32_t)(g->off32[i] - (uint32_t)b);
}

/* Number of arcs in agent i's list (i < n): no base load. */
static inline uint64_t net_degree(const net_t *g, uint32_t i) {
    return (uint32_t)(g->off32[i + 1] - g->off32[i]);
}

/* One past the end of agent i's list in adj (i < n). */
static inline uint64_t net_end(const net_t *g, uint32_t i) {
    return net_begin(g, i) + net_degree(g, i);
}

/* Number of agents pointing to i (equals net_degree for undirected layers). */
static inline uint64_t net_in_degree(const net_t *g, uint32_t i) {
    return g->in_deg ? g->in_deg[i] : net_degree(g, i);
}

/* A growing list of ties src[e] -> dst[e], for building a layer with net_from_ties. */
typedef struct net_ties {
    uint32_t *src, *dst;
    uint64_t  k, cap;
} net_ties;

/* Appends the tie a -> b. Returns 0 when out of memory (the buffer is unchanged). */
int net_ties_push(net_ties *t, uint32_t a, uint32_t b);

/* Frees the buffer's arrays and empties it. */
void net_ties_free(net_ties *t);

/* An empty layer over n agents (no ties). */
sim_status net_empty(net_t **out, uint32_t n, int directed, sim_err *err);

/* Builds a layer from k ties src[e] -> dst[e] (ids < n). Undirected: each tie is stored both
 * ways. Self-loops and duplicate ties are dropped and counted in stats (may be NULL).
 * Returns SIM_ESCENARIO if an id is >= n, SIM_ENOMEM. Borrowed arrays are not modified.
 * Cost: O(n + k) time, peak extra memory about 2 bytes per arc (the owners during the build)
 * plus a copy of the largest block of lists per thread. */
sim_status net_from_ties(net_t **out, uint32_t n, int directed, const uint32_t *src,
                         const uint32_t *dst, uint64_t k, net_stats *stats, sim_err *err);

/* Erdos-Renyi G(count, p), p = z / (count - 1), among ids first..first+count-1, undirected.
 * Exact G(n,p) by geometric skipping (Batagelj & Brandes 2005). Streams are keyed by
 * (step 0, block of rows, purpose). threads: OpenMP threads (0 = default). Cost at
 * count = 1e7, z = 8: about 1.6 CPU s (under 1 s on 2 idle cores); at 1e8 about 23 CPU s;
 * peak memory about 1.5 times the final CSR (4 B per agent and 4 B per arc; on top of it the
 * ties kept from the count pass, 4 B each, and 2 B per arc of owners while the lists are
 * placed). */
sim_status net_gen_er(net_t **out, uint32_t n, uint32_t first, uint32_t count, double z,
                      const rng_t *r, uint32_t purpose, int threads, sim_err *err);

/* Watts-Strogatz: ring lattice, each agent tied to its k/2 nearest on each side
 * (k = z rounded to the nearest even number), each tie's far end rewired with probability
 * rewire to a uniform agent, avoiding self-loops and duplicates. Undirected. */
sim_status net_gen_ws(net_t **out, uint32_t n, uint32_t first, uint32_t count, double z,
                      double rewire, const rng_t *r, uint32_t purpose, int threads,
                      sim_err *err);

/* Configuration model with power-law degrees P(k) ~ k^-exponent on kmin..kmax (drawn, then
 * the sum made even); half-edges (stubs) matched uniformly; self-loops and multi-ties are erased
 * (the erased configuration model). Undirected. */
sim_status net_gen_config(net_t **out, uint32_t n, uint32_t first, uint32_t count,
                          double exponent, uint32_t kmin, uint32_t kmax, const rng_t *r,
                          uint32_t purpose, int threads, sim_err *err);

/* Stochastic block model over the blocks (region, group) of the members: region[i] and
 * group[i] (i = 0..count-1, for agent first+i), with nregions and ngroups. Expected degree
 * z; of an agent's expected ties, a share h_region lie within its region and h_group within
 * its group (regions and groups independent otherwise; exact for equal-sized blocks).
 * Undirected, ties drawn per block pair by geometric skipping. */
sim_status net_gen_sbm(net_t **out, uint32_t n, uint32_t first, uint32_t count, double z,
                       const uint8_t *region, int nregions, const uint8_t *group, int ngroups,
                       double h_region, double h_group, const rng_t *r, uint32_t purpose,
                       int threads, sim_err *err);

/* Reads a layer from a CSV edge list: one tie per line "source,target" (ids are 0-based
 * within the range, i.e. agent first+id), optional header line "source,target", blank lines
 * and lines starting with '#' skipped, spaces around fields allowed, CRLF line ends and a
 * UTF-8 byte order mark allowed. Self-loops and duplicates are dropped and counted. Errors
 * name the file and line: SIM_EIO when it cannot be opened or read; SIM_ESCENARIO when it
 * is not a regular file (a device such as /dev/zero, a pipe, a directory), for a line that
 * is not text (a NUL or control byte, invalid UTF-8), longer than 1024 bytes, with a
 * non-numeric field, a wrong field count or an id >= count. Bytes of the file shown in a
 * message are escaped (text_safe). */
sim_status net_read_csv(net_t **out, const char *path, uint32_t n, uint32_t first,
                        uint32_t count, int directed, net_stats *stats, sim_err *err);

/* As net_read_csv, and stops with SIM_EINTR when *stop (may be NULL) is set while the file is
 * read: the flag is looked at every 64 KB, so a huge file can be interrupted (the run's
 * sim_opts.stop, set by the caller's signal handler; the library installs none). */
sim_status net_read_csv_stop(net_t **out, const char *path, uint32_t n, uint32_t first,
                             uint32_t count, int directed, volatile sig_atomic_t *stop,
                             net_stats *stats, sim_err *err);

/* Checks the edge list at path as net_read_csv would read it for ids 0..count-1, without
 * keeping the ties (one pass, a 64 KB buffer): SIM_OK with *lines (ties read), or the error
 * net_read_csv would give. For checking a scenario's inputs before a run (`validate`, and
 * `run` before it writes anything). *stop as for net_read_csv_stop. */
sim_status net_check_csv(const char *path, uint32_t count, volatile sig_atomic_t *stop,
                         uint64_t *lines, sim_err *err);

/* The agents the ids of CSV layer id refer to in a run of sc: ids 0..*count-1 are agents
 * *first.. of *n (persons then firms): persons for social, family and parent, firms for
 * partner, all agents for employment and legalrep. The engine builds layers with it. */
void net_csv_range(const scenario *sc, scn_layer_id id, uint32_t *n, uint32_t *first,
                   uint32_t *count);

/* As net_gen_config, and stats (may be NULL) gets the erased self-loops and duplicates (in
 * ties; lines = 0). kmin and kmax are capped at count - 1. Cost: O(count + S) for S half-edges;
 * the half-edge shuffle is sequential (one stream), the rest parallel; peak extra memory 4 B per
 * half-edge. */
sim_status net_gen_config_stats(net_t **out, uint32_t n, uint32_t first, uint32_t count,
                                double exponent, uint32_t kmin, uint32_t kmax, const rng_t *r,
                                uint32_t purpose, int threads, net_stats *stats,
                                sim_err *err);

/* Whether the arc i -> j is stored (binary search, O(log degree)). */
int net_has_arc(const net_t *g, uint32_t i, uint32_t j);

/* Checks every invariant of a layer: offsets consistent (bases, begin(n) = m), ids < n, lists strictly ascending, no
 * self-loops, every undirected arc has its reverse, in_deg right when directed. Returns
 * SIM_OK or SIM_ERUN naming the first breach (SIM_ENOMEM). Cost O(n + m log d). */
sim_status net_validate(const net_t *g, sim_err *err);

/* Bytes a layer of n agents and m arcs occupies (for memory estimates): 4 per arc, 4 per
 * agent of offsets and 8 per 2^NET_OFF_SHIFT agents of bases, 4 more per agent of in-degrees
 * when directed. */
uint64_t net_bytes(uint64_t n, uint64_t m, int directed);

void net_free(net_t *g);   /* NULL is a no-op */

#endif
