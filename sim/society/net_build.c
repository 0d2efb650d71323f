/* sim/society/net_build.c - the builder every layer goes through (net_build_new): a
 * generator's units of work are run twice, once to count and once to place, and the arcs
 * are sorted by owner block by block, without atomic operations or scattered writes over the
 * whole layer.
 *
 * Agents are cut into owner blocks of 2^shift agents (shift <= 16, smaller for small layers
 * so that there are enough blocks for the threads). The units are grouped into tasks of
 * consecutive units (tasks ascending = units ascending).
 *  1. Count: every task runs its units and counts, for each owner block, the arcs whose
 *     owner (the agent whose list gets the arc) lies in it (a histogram of a few thousand
 *     counters, in cache).
 *  2. Place: block b gets the region of adj that its arcs fill, blocks in order; within it,
 *     task t's arcs follow those of tasks < t. Every task runs its units again (a unit's
 *     random stream is keyed by (step 0, unit, purpose), so it gives the same ties) or, for
 *     a generator that asked for it (record: ER and SBM, whose draws cost more than reading
 *     4 B a tie back), reads back the ties it kept in pass 1; it appends each arc to its
 *     block's part for the task: the value to adj, the owner's index within the block (16
 *     bits) to a side array. A task writes a few thousand sequential streams, not random
 *     slots.
 *  3. Arrange, per block in parallel: a stable counting sort by owner within the block's
 *     region (it fits in the L2 cache), then each list is sorted unless it already is and,
 *     where the generator can repeat a tie, cleared of repeats (NET_NONE, squeezed out
 *     afterwards). The offsets come out of the counting sort.
 * Because the counting sort is stable and tasks are in unit order, a list holds its arcs in
 * the order the units made them; a generator that makes each agent's ties in ascending order
 * (ER: row v's ties to w < v ascending, then the ties of later rows v' > v) gives sorted
 * lists and needs no sort. Either way every list ends sorted, so off32/adj are the same bytes
 * for any thread count and any split into tasks.
 * The offsets (net.h): each list's low word goes to off32, and the region starts serve as
 * the bases under the owner blocks' shift (a region holds fewer than 2^32 arcs); after any
 * compaction the bases are recomputed under the layer's own shift (net_canon_shift), which
 * depends on the lists only, so the bases too are the same bytes for any thread count.
 * Peak memory: the CSR (4 B per agent + 4 B per arc), 2 B per arc for the owners during the
 * build, the kept ties when recording (4 B a tie, 8 more per change of source; cut to size
 * when a task ends, freed task by task as they are placed), the task histograms (8 B per
 * task and block), per thread a block's counts and a copy of the largest block region, plus
 * the generator's own input. */
#include "net_build.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

enum {
    SHORT_LIST = 24,      /* lists up to this long are sorted by insertion */
    MAX_SHIFT = 16,       /* owner blocks of at most 2^16 agents: owners fit 16 bits */
    TASKS_PER_THREAD = 32 /* tasks per thread in the count and place passes */
};
#define NET_POPULATE_MAX (1ull << 30)   /* arcs and owners backed at once up to 1 GiB */

/* The split of one build: owner blocks and tasks. */
typedef struct plan {
    uint32_t shift, blocks;   /* agent i is in block i >> shift */
    uint64_t units, tasks, per_task;   /* task t: units t*per_task .. */
} plan_t;

static plan_t make_plan(uint32_t n, uint64_t units, int nt) {
    plan_t p = {MAX_SHIFT, 0, units, 0, 0};
    while (p.shift > 6 && ((uint64_t)n >> p.shift) < 16ull * (uint64_t)nt) p.shift--;
    p.blocks = (uint32_t)(((uint64_t)n + (1u << p.shift) - 1) >> p.shift);
    if (!p.blocks) p.blocks = 1;
    uint64_t want = (uint64_t)nt * TASKS_PER_THREAD;
    p.per_task = units ? units_of(units, want < units ? want : units) : 1;
    p.tasks = units_of(units, p.per_task);
    return p;
}

void net_record(net_sink_t *k, uint32_t u, uint32_t v) {
    if (k->rec_len + 3 > k->rec_cap) {
        uint64_t cap = k->rec_cap ? 2 * k->rec_cap : 1 << 14;
        uint32_t *grown = realloc(k->rec, cap * sizeof *grown);
        if (!grown) {   /* the task will be run again instead */
            free(k->rec);
            k->rec = NULL;
            return;
        }
        k->rec = grown, k->rec_cap = cap;
    }
    if (u != k->rec_u) k->rec[k->rec_len++] = NET_NONE, k->rec[k->rec_len++] = u;
    k->rec_u = u;
    k->rec[k->rec_len++] = v;
}

/* A task's recorded ties (words as in net_sink_t.rec), or NULL. */
typedef struct recording {
    uint32_t *w;
    uint64_t len;
} recording_t;

/* Places the recorded ties of one task into k. */
static void replay(const recording_t *r, net_sink_t *k) {
    uint32_t u = 0;
    for (uint64_t i = 0; i < r->len; i++) {
        if (r->w[i] == NET_NONE) {
            u = r->w[++i];
            continue;
        }
        put_arc(k, u, r->w[i]);
        if (!k->directed) put_arc(k, r->w[i], u);
    }
}

/* Runs the units of every task into its row of cur (pass 1: counts, and with rec each
 * task's ties recorded there; pass 2: cursors, a recorded task replayed, any other run
 * again). Returns the self-loops the units dropped. */
static uint64_t run_tasks(const plan_t *p, net_gen_fn gen, const void *ctx, uint64_t *cur,
                          uint32_t *adj, uint16_t *own, int directed, recording_t *rec,
                          int nt) {
    uint64_t loops = 0;
    (void)nt;   /* unused without OpenMP */
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt) reduction(+ : loops)
    for (uint64_t t = 0; t < p->tasks; t++) {
        net_sink_t k = {cur + t * p->blocks, adj, own, p->shift, directed, NULL, 0, 0, NET_NONE};
        if (adj && rec && rec[t].w) {
            replay(&rec[t], &k);
            free(rec[t].w), rec[t].w = NULL;
            continue;
        }
        if (!adj && rec && (k.rec = malloc((1 << 14) * sizeof *k.rec))) k.rec_cap = 1 << 14;
        uint64_t u1 = min_u64((t + 1) * p->per_task, p->units);
        for (uint64_t u = t * p->per_task; u < u1; u++) loops += gen(ctx, u, &k);
        if (!adj && rec && k.rec && k.rec_len < k.rec_cap) {   /* the doubling's slack back */
            uint32_t *fit = realloc(k.rec, (k.rec_len ? k.rec_len : 1) * sizeof *fit);
            if (fit) k.rec = fit;
        }
        if (!adj && rec) rec[t] = (recording_t){k.rec, k.rec_len};
    }
    return loops;
}

/* Turns the task histograms into cursors (block by block, tasks in order within a block);
 * reg gets each block's region start, reg[blocks] the total. Returns the largest region. */
static uint64_t lay_out(const plan_t *p, uint64_t *cur, uint64_t *reg) {
    uint64_t at = 0, widest = 0;
    for (uint32_t b = 0; b < p->blocks; b++) {
        reg[b] = at;
        for (uint64_t t = 0; t < p->tasks; t++) {
            uint64_t c = cur[t * p->blocks + b];
            cur[t * p->blocks + b] = at;
            at += c;
        }
        if (at - reg[b] > widest) widest = at - reg[b];
    }
    reg[p->blocks] = at;
    return widest;
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void sort_ids(uint32_t *a, uint64_t k) {
    uint64_t i = 1;
    while (i < k && a[i - 1] <= a[i]) i++;
    if (i >= k) return;   /* already in order */
    if (k > SHORT_LIST) {
        qsort(a, k, sizeof *a, cmp_u32);
        return;
    }
    for (; i < k; i++) {
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

/* Scratch of one thread for arrange_block: a block's counts and a copy of its region. */
typedef struct scratch {
    uint32_t *pos;   /* [2^shift + 1] */
    uint32_t *tmp;   /* [widest region] */
} scratch_t;

/* Stable counting sort of block b's region by owner, then every list sorted (and, with
 * may_dup, cleared of repeats); sets off32[] of the block's agents. Returns repeats dropped. */
static uint64_t arrange_block(net_t *g, const plan_t *p, const uint16_t *own,
                              const uint64_t *reg, uint32_t b, int may_dup, scratch_t *s) {
    uint64_t r0 = reg[b], len = reg[b + 1] - r0, dups = 0;
    uint32_t first = b << p->shift, na = (uint32_t)min_u64(1u << p->shift, g->n - first);
    uint32_t *pos = s->pos, *adj = g->adj + r0;
    const uint16_t *o = own + r0;
    memset(pos, 0, ((size_t)na + 1) * sizeof *pos);
    for (uint64_t a = 0; a < len; a++) pos[o[a] + 1]++;
    for (uint32_t i = 0; i < na; i++) pos[i + 1] += pos[i];
    memcpy(s->tmp, adj, len * sizeof *adj);
    for (uint64_t a = 0; a < len; a++) adj[pos[o[a]]++] = s->tmp[a];
    for (uint32_t i = 0, start = 0; i < na; start = pos[i++]) {   /* pos[i]: end of list i */
        sort_ids(adj + start, pos[i] - start);
        if (may_dup) dups += drop_repeats(adj + start, pos[i] - start);
        g->off32[first + i] = (uint32_t)(r0 + start);
    }
    return dups;
}

/* Arranges every block (in parallel); returns the repeats dropped, or UINT64_MAX when a
 * thread's scratch could not be allocated. */
static uint64_t arrange_all(net_t *g, const plan_t *p, const uint16_t *own, const uint64_t *reg,
                            uint64_t widest, int may_dup, int nt) {
    uint64_t dups = 0;
    int failed = 0;
    (void)nt;   /* unused without OpenMP */
#pragma omp parallel num_threads(nt) reduction(+ : dups) reduction(| : failed)
    {
        scratch_t s = {malloc(((1u << p->shift) + 1) * sizeof *s.pos),
                       malloc((widest ? widest : 1) * sizeof *s.tmp)};
        failed = !s.pos || !s.tmp;
#pragma omp for schedule(dynamic, 1)
        for (uint32_t b = 0; b < p->blocks; b++)
            if (!failed) dups += arrange_block(g, p, own, reg, b, may_dup, &s);
        free(s.pos);
        free(s.tmp);
    }
    g->off32[g->n] = (uint32_t)g->m;
    return failed ? UINT64_MAX : dups;
}

/* Squeezes out the NET_NONE slots left by drop_repeats (sequential, in place). Offsets stay
 * under g's shift (lists only get shorter); a block's base is rewritten once its first list
 * has been read, so the old begin of each list is carried from the end of the one before. */
static void compact(net_t *g) {
    uint64_t w = 0, b = 0, mask = (1ull << g->shift) - 1;
    for (uint32_t i = 0; i < g->n; i++) {
        uint64_t e = b + net_degree(g, i);
        g->off32[i] = (uint32_t)w;
        if (!(i & mask)) g->base[i >> g->shift] = w;
        for (uint64_t a = b; a < e; a++)
            if (g->adj[a] != NET_NONE) g->adj[w++] = g->adj[a];
        b = e;
    }
    g->off32[g->n] = (uint32_t)w;
    if (!(g->n & mask)) g->base[g->n >> g->shift] = w;
    g->m = w;
    uint32_t *smaller = realloc(g->adj, (w ? w : 1) * sizeof *g->adj);
    if (smaller) g->adj = smaller;
}

/* Counts, lays out and places the arcs of all units into g (adj allocated here); *own gets
 * the owners (freed by the caller). Returns the self-loops, or UINT64_MAX out of memory. */
static uint64_t place(net_t *g, const plan_t *p, net_gen_fn gen, const void *ctx,
                      uint64_t *cur, uint64_t *reg, uint16_t **own, uint64_t *widest,
                      recording_t *rec, int nt, sim_err *err) {
    uint64_t loops = run_tasks(p, gen, ctx, cur, NULL, NULL, g->directed, rec, nt);
    *widest = lay_out(p, cur, reg);
    g->m = reg[p->blocks];
    free(g->adj);
    g->adj = malloc((g->m ? g->m : 1) * sizeof *g->adj);
    *own = malloc((g->m ? g->m : 1) * sizeof **own);
    if (!g->adj || !*own || *widest > UINT32_MAX) {
        net_oom(err, "a layer's arcs", g->m * (sizeof *g->adj + sizeof **own));
        return UINT64_MAX;
    }
    /* every arc is written, scattered: its pages backed in one call, up to NET_POPULATE_MAX
       bytes (RSM-1 at 10^6: the whole run 5% faster; ER at 10^8, 4.8 GB: the build 9.6 s
       without, 12.1 s with, and all of it resident beside the recordings) */
    if (g->m * (sizeof *g->adj + sizeof **own) <= NET_POPULATE_MAX) {
        mem_populate(g->adj, g->m * sizeof *g->adj, nt);
        mem_populate(*own, g->m * sizeof **own, nt);
    }
    run_tasks(p, gen, ctx, cur, g->adj, *own, g->directed, rec, nt);
    return loops;
}

/* Fills g (fresh from net_layer_new) with the ties of all units, sorts every list and, with
 * may_dup, drops repeated ties; with record, pass 2 reads pass 1's recording. Sets *loops
 * and *dups. */
static sim_status fill(net_t *g, const plan_t *p, net_gen_fn gen, const void *ctx, int may_dup,
                       int record, int nt, uint64_t *loops, uint64_t *dups, sim_err *err) {
    uint64_t *cur = calloc(p->tasks * p->blocks, sizeof *cur), widest = 0;
    uint64_t *reg = malloc(((size_t)p->blocks + 1) * sizeof *reg);
    recording_t *rec = record ? calloc(p->tasks, sizeof *rec) : NULL;
    uint16_t *own = NULL;
    sim_status st = SIM_OK;
    if (!cur || !reg || (record && !rec))
        st = net_oom(err, "a layer's work plan", 8 * p->tasks * p->blocks);
    else if ((*loops = place(g, p, gen, ctx, cur, reg, &own, &widest, rec, nt, err)) ==
             UINT64_MAX)
        st = SIM_ENOMEM;
    else if ((*dups = arrange_all(g, p, own, reg, widest, may_dup, nt)) == UINT64_MAX)
        st = net_oom(err, "a layer's sort buffers", 4 * widest * (uint64_t)nt);
    else {   /* the region starts are the bases under the owner blocks' shift */
        free(g->base);
        g->base = reg, g->shift = p->shift, reg = NULL;
    }
    for (uint64_t t = 0; rec && t < p->tasks; t++) free(rec[t].w);
    free(rec);
    free(cur);
    free(reg);
    free(own);
    return st;
}

sim_status net_build_new(net_t **out, uint32_t n, int directed, net_gen_fn gen,
                         const void *ctx, uint64_t units, int may_dup, int record,
                         int threads, net_stats *stats, sim_err *err) {
    net_t *g = NULL;
    uint64_t loops = 0, dups = 0;
    int nt = net_team(threads);
    plan_t p = make_plan(n, units, nt);
    sim_status st = net_layer_new(&g, n, directed, err);
    if (st == SIM_OK && units > 0)
        st = fill(g, &p, gen, ctx, may_dup, record, nt, &loops, &dups, err);
    if (st == SIM_OK && dups) compact(g);
    if (st == SIM_OK) st = net_rebase(g, -1, err);   /* owner blocks' shift -> the layer's */
    if (st != SIM_OK) {
        net_free(g);
        *out = NULL;
        return st;
    }
    if (g->directed)
        for (uint64_t a = 0; a < g->m; a++) g->in_deg[g->adj[a]]++;
    if (stats) {
        stats->self_loops = loops;
        stats->duplicates = g->directed ? dups : dups / 2;
    }
    *out = g;
    return SIM_OK;
}
