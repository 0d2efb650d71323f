/* sim/engine/collect.c - collection of data about everyone, and how long it is held.
 *
 * A collection source c ([collect.NAME]) of agency a observes kind k (sightings,
 * transactions, registrations, online activity) about every agent it targets, law-abiding or
 * not. At step t agent i gets
 *     n_c(i) = floor(lambda) + Bernoulli(lambda - floor(lambda)),
 *     lambda = rate_c * min(1, coverage_c * coverage_by_region_c[region] *
 *                              coverage_by_group_c[group])      (group: persons only)
 * records (so a rate of 1 at full coverage is exactly one record a month), and none outside
 * the source's regions when its `regions` key names some (docs/ODD.md 7.21). The Bernoulli
 * part is one 32-bit draw per agent against the fraction times 2^32 when the part's largest
 * fraction is at least 1/8, else geometric skipping at that fraction with thinning. Each record is
 * attached to a wrong agent with probability misidentify_c: a uniformly chosen other agent
 * of the same kind (person or firm) in the same region, as a false match lands on someone
 * who lives nearby; the total is unchanged.
 *
 * Holdings: records held are exact counts per (agent, agency, kind) by step of making. A
 * record made at step s under retention R is held at steps s .. s+R-1 and removed ("expired")
 * at step s+R; R = 0 deletes it in the step it is made. While the scenario shares
 * ([share.*], share.c), every holding is kept by step of making, also when R outlasts the
 * run (a ring of run.steps rows; violation records in the sparse queue). The violation records the agencies
 * make (sim/engine/agency.c: own, false, misattributed) are the kind "violations" of the
 * making agency. Retention is per agency and kind ([retention.AGENCY]), and so is display:
 * a kind is public (displayed) or provided to authorised bodies only.
 *
 * Randomness: per (step, block part, source) streams with purposes RNG_COLLECT + c (the
 * Bernoulli part, by skipping geometric gaps at the largest fraction and thinning) and
 * RNG_COLLECT_ID + c (misidentification: geometric gaps over the block's records, then the
 * wrong agent). No other stage draws from them and collection feeds back into nothing, so
 * adding a source leaves violations and violation records bit-identical (common random
 * numbers). Blocks write only their own agents; records that land on another block's agent,
 * or that do not fit a cell's byte, are applied serially in block order. Within a block part
 * the work goes holding by holding: its sources count records for every agent of the part
 * (one tight loop per source), then the ring row of step t expires and takes the counts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

int collect_prepare(struct sim *s) {
    struct collect_state *c = &s->collect;
    const scenario *sc = &s->sc;
    int agency[SCN_MAX_SOURCES], kind[SCN_MAX_SOURCES];
    c->on = sc->nsources > 0 || sc->nshares > 0;   /* sharing reads the holdings */
    if (!c->on) return 1;
    if (!arr_alloc(s, ARR_COLLECT)) return 0;
    c->nhold = arr_holdings(sc, agency, kind);
    for (int h = 0; h < c->nhold; h++) {
        int r = scn_retention_of(sc, agency[h], (scn_kind)kind[h]);
        c->hold_agency[h] = (uint8_t)agency[h], c->hold_kind[h] = (uint8_t)kind[h];
        c->hold_ret[h] = r;
        c->hold_len[h] = arr_ring_len(sc, h);
        c->hold_mode[h] = r == 0 ? COLLECT_DROP : c->hold_len[h] ? COLLECT_RING : COLLECT_KEEP;
    }
    for (int k = 0; k < sc->nsources; k++) {
        int h = 0;
        while (!(agency[h] == sc->sources[k].agency_index && kind[h] == (int)sc->sources[k].kind))
            h++;
        c->src_hold[k] = h;
    }
    return 1;
}

void collect_free(struct sim *s) {
    struct collect_state *c = &s->collect;
    for (size_t b = 0; c->acc && b < s->nblocks; b++) free(c->acc[b].rec);
    for (int a = 0; a < SCN_MAX_AGENCIES; a++)
        for (int k = 0; k < SCN_NKINDS; k++) free(c->q[a][k].e), c->q[a][k].e = NULL;
    arr_free(s, ARR_COLLECT);
}

uint64_t collect_bytes(const scenario *sc) { return arr_bytes(sc, ARR_COLLECT); }

/* lambda's whole and fractional parts per (region, group) for persons and per region for
 * firms, from the scenario as it stands at this step. */
static void rates(struct sim *s) {
    struct collect_state *c = &s->collect;
    const scn_population *p = &s->sc.population;
    for (int k = 0; k < s->sc.nsources; k++) {
        const scn_collect *x = &s->sc.sources[k];
        c->qmax[k][0] = c->qmax[k][1] = 0;
        for (int r = 0; r < p->regions; r++)
            for (int g = 0; g <= p->groups; g++) {   /* g == groups: firms */
                int firm = g == p->groups;
                double m = x->coverage * x->coverage_by_region[r];
                if (!firm) m *= x->coverage_by_group[g];
                double lam = (x->targets & (firm ? TARGET_FIRMS : TARGET_PERSONS)) &&
                             (x->region_mask >> r & 1)   /* its regions only (ODD 7.21) */
                                 ? x->rate * fmin(1.0, m) : 0.0;
                double d = floor(lam), f = lam - d;
                uint32_t thr = (uint32_t)ldexp(f, 32);   /* f < 1 */
                if (firm) c->det_f[k][r] = (uint8_t)d, c->frac_f[k][r] = (float)f;
                else c->det_p[k][r][g] = (uint8_t)d, c->frac_p[k][r][g] = (float)f;
                if (firm) c->thr_f[k][r] = thr;
                else c->thr_p[k][r][g] = thr;
                c->qmax[k][firm] = fmax(c->qmax[k][firm], (double)(float)f);
            }
        for (int firm = 0; firm < 2; firm++) {
            int uni = 1;
            for (int r = 0; r < p->regions; r++)
                for (int g = 0; g < (firm ? 1 : p->groups); g++)
                    uni &= firm ? c->thr_f[k][r] == c->thr_f[k][0] && c->det_f[k][r] == c->det_f[k][0]
                                : c->thr_p[k][r][g] == c->thr_p[k][0][0] &&
                                  c->det_p[k][r][g] == c->det_p[k][0][0];
            c->uniform[k][firm] = uni;
        }
    }
}

static int push_rec(collect_acc *ac, collect_rec r) {
    if (!vec_reserve((void **)&ac->rec, &ac->rec_cap, ac->nrec + 1, sizeof *ac->rec))
        return ac->oom = 1, 0;
    ac->rec[ac->nrec++] = r;
    return 1;
}

/* One source's cursor over a block part: the next Bernoulli candidate and the position of
 * the next misidentified record among the part's records. */
typedef struct cursor {
    rng_stream bern, mis;
    uint64_t next, pos, next_mis;
    double q, eps;
    int dense;          /* q >= COLLECT_DENSE: one 32-bit draw per agent, no skipping */
} cursor;

/* Above this largest fraction, skipping costs more than one draw per agent. */
#define COLLECT_DENSE 0.125

static uint64_t gap_after(rng_stream *rs, double q, uint64_t i, uint64_t hi) {
    uint64_t gap = rng_geometric_gap(rs, q);
    return gap >= hi - i - 1 ? hi : i + 1 + gap;
}

static void cursor_start(struct sim *s, cursor *u, int k, size_t blk, int firm, uint32_t lo,
                         uint32_t hi, int t) {
    u->q = s->collect.qmax[k][firm];
    u->eps = s->sc.sources[k].misidentify;
    rng_stream_at(&u->bern, &s->rng, (uint32_t)t, blk * 2 + (uint64_t)firm,
                  RNG_COLLECT + (uint32_t)k);
    rng_stream_at(&u->mis, &s->rng, (uint32_t)t, blk * 2 + (uint64_t)firm,
                  RNG_COLLECT_ID + (uint32_t)k);
    u->dense = u->q >= COLLECT_DENSE;
    u->next = u->q > 0 && !u->dense ? gap_after(&u->bern, u->q, lo - 1ull, hi) : hi;
    u->pos = 0;
    u->next_mis = u->eps > 0 ? rng_geometric_gap(&u->mis, u->eps) : UINT64_MAX;
}

/* A uniformly chosen agent of i's kind and region other than i, or i if it is alone. */
static uint32_t wrong_agent(const struct sim *s, uint32_t i, rng_stream *rs) {
    int kind = i >= s->pop->persons, r = s->pop->region[i];
    uint32_t first = s->pop->region_first[kind][r];
    uint32_t count = s->pop->region_first[kind][r + 1] - first;
    if (count < 2) return i;
    uint32_t j = first + (uint32_t)rng_below(rs, count - 1);
    return j >= i ? j + 1 : j;
}

/* Source k's records about agents lo..hi-1 this step, added to cnt[i - lo]; those attached
 * to someone else go to the block's serial list instead. */
static void source_part(struct sim *s, int k, size_t blk, int firm, uint32_t lo, uint32_t hi,
                        int t, uint16_t *cnt, collect_acc *ac) {
    const struct collect_state *c = &s->collect;
    const uint8_t *region = s->pop->region, *group = s->pop->group;
    cursor u;
    cursor_start(s, &u, k, blk, firm, lo, hi, t);
    const uint8_t *detf = c->det_f[k];
    const uint32_t *thrf = c->thr_f[k];
    const int uni = c->uniform[k][firm];   /* one rate for every agent of the part */
    const unsigned d0 = firm ? detf[0] : c->det_p[k][0][0];
    const uint32_t t0 = firm ? thrf[0] : c->thr_p[k][0][0];
    if (uni && u.dense && !(u.eps > 0)) {   /* the common case, as one tight loop */
        for (uint32_t i = lo; i < hi; i++)
            cnt[i - lo] = (uint16_t)(cnt[i - lo] + d0 + (rng_u32(&u.bern) < t0));
        return;
    }
    for (uint32_t i = lo; i < hi; i++) {
        int r = uni ? 0 : region[i], g = uni || firm ? 0 : group[i];
        unsigned n = uni ? d0 : firm ? detf[r] : c->det_p[k][r][g];
        if (u.dense) {
            n += rng_u32(&u.bern) < (uni ? t0 : firm ? thrf[r] : c->thr_p[k][r][g]);
        } else if (i == u.next) {
            double f = firm ? c->frac_f[k][r] : c->frac_p[k][r][g];
            n += rng_uniform(&u.bern) * u.q < f;
            u.next = gap_after(&u.bern, u.q, i, hi);
        }
        unsigned kept = n;
        while (u.next_mis < u.pos + n) {
            uint32_t j = wrong_agent(s, i, &u.mis);
            if (j != i) {
                kept--;
                push_rec(ac, (collect_rec){j, (uint8_t)c->src_hold[k], 1, 1});
            }
            uint64_t gap = rng_geometric_gap(&u.mis, u.eps);
            u.next_mis = gap >= UINT64_MAX - u.next_mis - 1 ? UINT64_MAX : u.next_mis + 1 + gap;
        }
        u.pos += n;
        cnt[i - lo] = (uint16_t)(cnt[i - lo] + kept);
    }
}

/* Holding h of agents lo..hi-1: the ring cells of step t expire and cnt takes their place
 * (what does not fit a byte goes to the serial list). Tallies into add and exp. */
static void hold_part(struct sim *s, int h, int t, uint32_t lo, uint32_t hi,
                      const uint16_t *cnt, uint64_t *add, uint64_t *exp, collect_acc *ac) {
    struct collect_state *c = &s->collect;
    uint32_t *total = c->total;
    uint64_t added = 0, expired = 0;
    int mode = c->hold_mode[h];
    if (mode != COLLECT_RING) {
        for (uint32_t i = lo; i < hi; i++) added += cnt[i - lo];
        if (mode == COLLECT_DROP) expired = added;
        else for (uint32_t i = lo; i < hi; i++) total[i] += cnt[i - lo];
        *add += added, *exp += expired;
        return;
    }
    uint8_t *row = c->ring[h] + (size_t)(t % c->hold_len[h]) * s->n;
    unsigned over = 0;
    for (uint32_t i = lo; i < hi; i++) {   /* branch-free: the compiler vectorises it */
        unsigned n = cnt[i - lo], old = row[i], fit = n < UINT8_MAX ? n : UINT8_MAX;
        row[i] = (uint8_t)fit;
        total[i] = total[i] - old + fit;
        added += fit, expired += old;
        over |= n > fit;
    }
    for (uint32_t i = lo; over && i < hi; i++)   /* rare: counts beyond a byte */
        if (cnt[i - lo] > UINT8_MAX)
            push_rec(ac, (collect_rec){i, (uint8_t)h, 0, (uint16_t)(cnt[i - lo] - UINT8_MAX)});
    *add += added, *exp += expired;
}

static uint64_t nonzero_in(const uint32_t *total, uint32_t lo, uint32_t hi) {
    uint64_t n = 0;
    for (uint32_t i = lo; i < hi; i++) n += total[i] > 0;
    return n;
}

/* Expiry and collection of agents lo..hi-1 (all persons or all firms) of block blk: each
 * source in turn over the part, then each holding. */
static void collect_part(struct sim *s, size_t blk, int firm, uint32_t lo, uint32_t hi, int t) {
    struct collect_state *c = &s->collect;
    collect_acc *ac = &c->acc[blk];
    uint16_t cnt[SIM_BLOCK];
    uint64_t before = firm ? 0 : nonzero_in(c->total, lo, hi);
    for (int h = 0; h < c->nhold; h++) {
        uint64_t add = 0, exp = 0;
        memset(cnt, 0, (hi - lo) * sizeof *cnt);
        for (int k = 0; k < s->sc.nsources; k++)
            if (c->src_hold[k] == h) source_part(s, k, blk, firm, lo, hi, t, cnt, ac);
        hold_part(s, h, t, lo, hi, cnt, &add, &exp, ac);
        ac->added[firm][c->hold_agency[h]][c->hold_kind[h]] += add;
        ac->expired[firm][c->hold_agency[h]][c->hold_kind[h]] += exp;
    }
    if (!firm) ac->nonzero += (int64_t)nonzero_in(c->total, lo, hi) - (int64_t)before;
}

static void collect_block(struct sim *s, size_t blk, int t) {
    collect_acc *ac = &s->collect.acc[blk];
    memset(ac->added, 0, sizeof ac->added);
    memset(ac->expired, 0, sizeof ac->expired);
    ac->nonzero = 0, ac->nrec = 0;
    uint32_t lo = blk_lo(blk), hi = blk_hi(s, blk), P = s->pop->persons;
    if (lo < P) collect_part(s, blk, 0, lo, hi < P ? hi : P, t);
    if (hi > P) collect_part(s, blk, 1, lo > P ? lo : P, hi, t);
}

/* Adds n records of holding (agency a, kind k) about agent i at step t. cell: the ring cell,
 * or NULL when the holding has no ring (then a sparse entry is queued when it can expire). */
static int hold_add(struct sim *s, uint32_t i, int a, int k, int mode, uint8_t *cell,
                    unsigned n, int t) {
    struct collect_state *c = &s->collect;
    int firm = i >= s->pop->persons;
    c->step_added[a][k] += n;
    if (mode == COLLECT_DROP) { c->step_expired[a][k] += n; return 1; }
    if (!firm && c->total[i] == 0) c->nonzero++;
    c->total[i] += n, c->held[firm][a][k] += n;
    while (cell && n > 0 && *cell < UINT8_MAX) (*cell)++, n--;
    collect_queue *q = &c->q[a][k];
    for (; n > 0 && mode == COLLECT_RING; n--) {
        if (q->head > 0 && q->head == q->n) q->head = q->n = 0;
        if (!vec_reserve((void **)&q->e, &q->cap, q->n + 1, sizeof *q->e)) return 0;
        q->e[q->n++] = (collect_entry){i, t};
    }
    return 1;
}

/* Sparse entries made at step t - R or before leave at step t. */
static void expire_queue(struct sim *s, int a, int k, int ret, int t) {
    struct collect_state *c = &s->collect;
    collect_queue *q = &c->q[a][k];
    for (; q->head < q->n && q->e[q->head].step <= t - ret; q->head++) {
        uint32_t i = q->e[q->head].agent;
        int firm = i >= s->pop->persons;
        c->total[i]--, c->held[firm][a][k]--, c->step_expired[a][k]++;
        if (!firm && c->total[i] == 0) c->nonzero--;
    }
    if (q->head > 4096 && q->head * 2 > q->n) {   /* keep the queue's memory to what is held */
        memmove(q->e, q->e + q->head, (size_t)(q->n - q->head) * sizeof *q->e);
        q->n -= q->head, q->head = 0;
    }
}

static void sum_blocks(struct sim *s) {
    struct collect_state *c = &s->collect;
    for (size_t b = 0; b < s->nblocks; b++) {
        const collect_acc *ac = &c->acc[b];
        for (int f = 0; f < 2; f++)
            for (int a = 0; a < s->sc.nagencies; a++)
                for (int k = 0; k < SCN_NKINDS; k++) {
                    c->step_added[a][k] += ac->added[f][a][k];
                    c->step_expired[a][k] += ac->expired[f][a][k];
                    c->held[f][a][k] += ac->added[f][a][k];
                    c->held[f][a][k] -= ac->expired[f][a][k];
                }
        c->nonzero = (uint64_t)((int64_t)c->nonzero + ac->nonzero);
    }
}

/* The serial part: sparse expiry, then the blocks' leftover records, then this step's
 * violation records, in block order. */
static int collect_serial(struct sim *s, int t) {
    struct collect_state *c = &s->collect;
    for (int a = 0; a < s->sc.nagencies; a++)
        for (int k = 0; k < SCN_NKINDS; k++) {
            int ret = scn_retention_of(&s->sc, a, (scn_kind)k);
            if (ret > 0 && ret < s->sc.run.steps) expire_queue(s, a, k, ret, t);
        }
    for (size_t b = 0; b < s->nblocks; b++)
        for (uint64_t r = 0; r < c->acc[b].nrec; r++) {
            const collect_rec *e = &c->acc[b].rec[r];
            int h = e->hold, mode = c->hold_mode[h];
            uint8_t *cell = mode == COLLECT_RING
                          ? c->ring[h] + (size_t)(t % c->hold_len[h]) * s->n + e->target : NULL;
            if (!hold_add(s, e->target, c->hold_agency[h], c->hold_kind[h], mode, cell,
                          e->count, t))
                return 0;
            c->step_misid += e->misid;
        }
    for (size_t b = 0; b < s->nblocks; b++)
        for (uint64_t r = 0; r < s->blk[b].nrec; r++) {
            const rec_event *e = &s->blk[b].rec[r];
            int ret = scn_retention_of(&s->sc, e->agency, KIND_VIOLATIONS);
            int mode = ret == 0 ? COLLECT_DROP
                     : ret < s->sc.run.steps || s->share.on ? COLLECT_RING : COLLECT_KEEP;
            if (!hold_add(s, e->target, e->agency, KIND_VIOLATIONS, mode, NULL, 1, t))
                return 0;
        }
    return 1;
}

int collect_step(struct sim *s) {
    struct collect_state *c = &s->collect;
    int t = s->t + 1, oom = 0;
    if (!c->on) return 1;
    rates(s);
    memset(c->step_added, 0, sizeof c->step_added);
    memset(c->step_expired, 0, sizeof c->step_expired);
    c->step_misid = 0;
#pragma omp parallel for schedule(dynamic, 4) num_threads(s->threads)
    for (size_t b = 0; b < s->nblocks; b++) collect_block(s, b, t);
    for (size_t b = 0; b < s->nblocks; b++) oom |= c->acc[b].oom;
    if (oom) return 0;
    sum_blocks(s);
    if (!collect_serial(s, t)) return 0;
    for (int a = 0; a < s->sc.nagencies; a++)
        for (int k = 0; k < SCN_NKINDS; k++)
            c->tot_added[a][k] += c->step_added[a][k], c->tot_expired[a][k] += c->step_expired[a][k];
    c->tot_misid += c->step_misid;
    c->person_months += c->nonzero;
    return 1;
}
