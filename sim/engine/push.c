/* sim/engine/push.c - a step's list changes into the neighbour counts (policy.c).
 *
 * Each change (agent i put on or taken off list L) adds +1 or -1 to cnt[r][j] for every
 * out-neighbour j of i on the layer of every rule r whose `from` list is L (but
 * probabilistic rules, which read the new listings instead), skipping cut arcs; with the
 * event pass on, j is marked to be processed in the next pass. The counts are integer sums,
 * so the order of the adds does not matter and the result is the same with any number of
 * threads.
 *
 * With one thread the adds are made as the arcs are read. With more, an atomic add per arc
 * was the slowest part of a step (an atomic read-modify-write waits for its cache line, so
 * the scattered adds did not overlap). Instead the work goes in rounds: each thread reads
 * the arcs of its share of the changes into one buffer per thread (the thread that owns the
 * target's range of agents, a multiple of 64 so that the marks' words are owned too), until
 * one buffer is full; after a barrier each thread makes the adds aimed at its range, with
 * plain adds; after another barrier the next round starts where each thread stopped. The
 * buffers are small (PUSH_BUF entries per thread, kept for the run), so memory does not grow
 * with the step. */
#include <omp.h>
#include <stdlib.h>

#include "state.h"

/* *p = max(*p, v), atomically: the result does not depend on the order of the calls. */
static void atomic_max_u64(uint64_t *p, uint64_t v) {
    uint64_t cur = __atomic_load_n(p, __ATOMIC_RELAXED);
    while (cur < v &&
           !__atomic_compare_exchange_n(p, &cur, v, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
}

/* The rules a change of each list pushes to, in scenario order. */
typedef struct pushing {
    int n[SCN_NLISTS];
    int8_t rule[SCN_NLISTS][SCN_MAX_RULES];
    const net_t *first[SCN_NLISTS];   /* the layer of the first, for prefetching */
} pushing;

static void pushing_rules(const struct sim *s, pushing *p) {
    for (int l = 0; l < SCN_NLISTS; l++) p->n[l] = 0, p->first[l] = NULL;
    for (int r = 0; r < s->sc.nrules; r++) {
        const scn_rule *rule = &s->sc.rules[r];
        if (rule->kind != RULE_PROBABILISTIC && s->layer[rule->layer]) {
            if (!p->n[rule->from]) p->first[rule->from] = s->layer[rule->layer];
            p->rule[rule->from][p->n[rule->from]++] = (int8_t)r;
        }
    }
}

/* Change q of block b is next: the arcs of the change AHEAD further on, and the offsets of
 * the one twice as far, are requested now (the changed agents lie far apart in the
 * adjacency, so each list is a cache miss the hardware does not foresee). */
enum { AHEAD = 8 };
static inline __attribute__((always_inline)) void ahead(const pushing *p, const blockbuf *b,
                                                        uint32_t q) {
    if (q + 2 * AHEAD < b->nchg) {
        const change *c = &b->chg[q + 2 * AHEAD];
        if (p->first[c->list]) __builtin_prefetch(&p->first[c->list]->off32[c->agent]);
    }
    if (q + AHEAD < b->nchg) {
        const change *c = &b->chg[q + AHEAD];
        const net_t *g = p->first[c->list];
        if (g) {   /* a list may straddle two lines */
            const uint32_t *a = &g->adj[net_begin(g, c->agent)];
            __builtin_prefetch(a);
            __builtin_prefetch(a + 15);
        }
    }
}

/* For threshold and inherit rules a listing also becomes the neighbours' latest tip (step
 * s->t, lowest id first within a step): atomic maximum, any order. */
static void push_tip(struct sim *s, int r, const change *c) {
    const net_t *g = s->layer[s->sc.rules[r].layer];
    if (!s->policy.tip[r] || c->delta < 0) return;
    uint64_t key = (uint64_t)s->t << 32 | (UINT32_MAX - c->agent);
    for (uint64_t k = net_begin(g, c->agent), e = net_end(g, c->agent); k < e; k++)
        if (!arc_cut(s, s->sc.rules[r].layer, k))
            atomic_max_u64(&s->policy.tip[r][g->adj[k]], key);
}

/* One thread: every change's adds as its arcs are read. */
static void push_serial(struct sim *s, const pushing *p) {
    for (size_t b = 0; b < s->nblocks; b++)
        for (uint32_t q = 0; q < s->blk[b].nchg; q++) {
            const change *c = &s->blk[b].chg[q];
            ahead(p, &s->blk[b], q);
            for (int x = 0; x < p->n[c->list]; x++) {
                const int r = p->rule[c->list][x], l = s->sc.rules[r].layer;
                const net_t *g = s->layer[l];
                uint32_t *cnt = s->policy.cnt[r], d = (uint32_t)(int32_t)c->delta;
                for (uint64_t k = net_begin(g, c->agent), e = net_end(g, c->agent); k < e; k++) {
                    if (arc_cut(s, l, k)) continue;
                    cnt[g->adj[k]] += d;
                    event_mark(s, g->adj[k]);
                }
                push_tip(s, r, c);
            }
        }
}

/* A buffer entry: the target (bits 0-31), the rule (32-39), a removal (bit 40). */
#define ENTRY(j, r, neg) ((uint64_t)(j) | (uint64_t)(r) << 32 | (uint64_t)(neg) << 40)

typedef struct cursor {      /* where a thread's gathering stands */
    uint64_t g, end;         /* global index of the change, one past its share */
    size_t   b;              /* the change's block ... */
    uint32_t q;              /* ... and index in it */
    int      x;              /* the rule (index into pushing.rule[list]) */
    uint64_t k;              /* the next arc of that rule's layer, UINT64_MAX: not begun */
} cursor;

typedef struct team {
    const pushing *p;
    uint64_t *buf;           /* [T][T][cap] entries from thread u for thread v */
    uint32_t *fill;          /* [T][T] */
    uint32_t cap, span;      /* entries per buffer; agents per thread's range (× 64) */
    int      more[2];        /* threads that stopped on a full buffer, by round parity */
} team;

/* Thread u's cursor at its first change, the changes cut into T equal shares by count. */
static void cursor_start(const struct sim *s, cursor *cu, uint64_t total, int u, int T) {
    cu->g = total * (uint64_t)u / (uint64_t)T, cu->end = total * (uint64_t)(u + 1) / (uint64_t)T;
    uint64_t before = 0;
    for (cu->b = 0; cu->b < s->nblocks && before + s->blk[cu->b].nchg <= cu->g; cu->b++)
        before += s->blk[cu->b].nchg;
    cu->q = (uint32_t)(cu->g - before), cu->x = 0, cu->k = UINT64_MAX;
}

/* Reads arcs from where thread u stopped into its buffers; 1 when it stopped on a full
 * buffer (to go on next round), 0 when its share is done. */
static int gather(struct sim *s, team *tm, cursor *cu, int u, int T) {
    uint64_t *buf = tm->buf + (size_t)u * (size_t)T * tm->cap;
    uint32_t *fill = tm->fill + (size_t)u * (size_t)T;
    for (int v = 0; v < T; v++) fill[v] = 0;
    for (; cu->g < cu->end; cu->g++, cu->q++, cu->x = 0) {
        while (cu->q >= s->blk[cu->b].nchg) cu->b++, cu->q = 0;
        const change *c = &s->blk[cu->b].chg[cu->q];
        if (cu->x == 0 && cu->k == UINT64_MAX) ahead(tm->p, &s->blk[cu->b], cu->q);
        for (; cu->x < tm->p->n[c->list]; cu->x++, cu->k = UINT64_MAX) {
            const int r = tm->p->rule[c->list][cu->x], l = s->sc.rules[r].layer;
            const net_t *g = s->layer[l];
            if (cu->k == UINT64_MAX) cu->k = net_begin(g, c->agent);
            const uint64_t *cut = s->response.cut[l], sign = ENTRY(0, r, c->delta < 0);
            const uint32_t *adj = g->adj, span = tm->span, cap = tm->cap;
            uint64_t k = cu->k;
            for (const uint64_t e = net_end(g, c->agent); k < e; k++) {
                if (cut && (cut[k >> 6] >> (k & 63) & 1)) continue;
                const uint32_t j = adj[k];
                const int v = T == 2 ? j >= span : (int)(j / span);   /* no division for two */
                if (fill[v] == cap) {
                    cu->k = k;
                    return 1;
                }
                buf[(size_t)v * cap + fill[v]++] = sign | j;
            }
            cu->k = k;
            push_tip(s, r, c);
        }
    }
    return 0;
}

/* Thread v's adds: every thread's buffer for v, plain adds to agents in v's range. */
static void apply(struct sim *s, const team *tm, int v, int T) {
    uint32_t *cnt[SCN_MAX_RULES];   /* locals: the adds could alias fields read through s */
    for (int r = 0; r < s->sc.nrules; r++) cnt[r] = s->policy.cnt[r];
    uint64_t *const active = s->ev.on ? s->ev.active : NULL;   /* event_mark */
    for (int u = 0; u < T; u++) {
        const uint64_t *buf = tm->buf + ((size_t)u * (size_t)T + (size_t)v) * tm->cap;
        for (uint32_t m = 0, n = tm->fill[(size_t)u * (size_t)T + (size_t)v]; m < n; m++) {
            const uint32_t j = (uint32_t)buf[m];
            if (m + 16 < n)
                __builtin_prefetch(&cnt[buf[m + 16] >> 32 & 0xff][(uint32_t)buf[m + 16]], 1);
            cnt[buf[m] >> 32 & 0xff][j] += buf[m] >> 40 ? UINT32_MAX : 1u;
            if (active) active[j >> 6] |= 1ull << (j & 63);
        }
    }
}

uint64_t push_bytes(const scenario *sc) {
    uint64_t threads = sc->run.threads > 0 ? (uint64_t)sc->run.threads
                                           : (uint64_t)omp_get_max_threads();
    return threads > 1 ? threads * PUSH_BUF * sizeof(uint64_t) : 0;
}

int push_changes(struct sim *s) {
    uint64_t total = 0;
    for (size_t b = 0; b < s->nblocks; b++) total += s->blk[b].nchg;
    pushing p;
    pushing_rules(s, &p);
    if (!p.n[0] && !p.n[1] && !p.n[2]) return 1;
    const int threads = s->threads > 1 && total >= PUSH_PARALLEL_MIN ? s->threads : 1;
    if (threads == 1) {
        push_serial(s, &p);
        return 1;
    }
    struct policy_state *ps = &s->policy;
    if (!ps->push_buf) {   /* kept for the run: PUSH_BUF entries per thread */
        ps->push_buf = malloc((size_t)threads * PUSH_BUF * sizeof *ps->push_buf);
        ps->push_fill = malloc((size_t)threads * (size_t)threads * sizeof *ps->push_fill);
        if (!ps->push_buf || !ps->push_fill) return 0;
    }
    team tm = {&p, ps->push_buf, ps->push_fill, PUSH_BUF / (uint32_t)threads, 0, {0, 0}};
#pragma omp parallel num_threads(threads)
    {
        const int T = omp_get_num_threads(), u = omp_get_thread_num();
#pragma omp single
        tm.span = (uint32_t)(((uint64_t)s->n + (uint64_t)T * 64 - 1) / ((uint64_t)T * 64) * 64);
        cursor cu;
        cursor_start(s, &cu, total, u, T);
        for (int round = 0;; round++) {
            const int more = gather(s, &tm, &cu, u, T);
#pragma omp atomic
            tm.more[round & 1] += more;
#pragma omp barrier
            if (u == 0) tm.more[(round + 1) & 1] = 0;   /* last read before this barrier */
            apply(s, &tm, u, T);
            const int again = tm.more[round & 1] > 0;
#pragma omp barrier
            if (!again) break;
        }
    }
    return 1;
}

void push_free(struct sim *s) {
    free(s->policy.push_buf), s->policy.push_buf = NULL;
    free(s->policy.push_fill), s->policy.push_fill = NULL;
}
