/* sim/engine/chill.c - the chilling effect (docs/ODD.md 7.16): a lawful-but-disfavoured
 * activity (petitioning, online criticism, religious practice, assembly: one generic domain)
 * that each person does with probability behaviour.lawful_rate a month when unwatched, and
 * less often the more surveillance it believes watches it:
 *
 *     c_i   = 1 - prod_{sources k of kind sightings or online that target persons}
 *                   (1 - min(1, coverage_k * coverage_by_region_k[r_i] * coverage_by_group_k[g_i]))
 *     c~_i  = min(1, c_i * (1 + chill_contacts * L_i))   L_i: live family and social ties to
 *                                                          persons blacklisted at the end of t-1
 *     p_i   = lawful_rate * (1 - c~_i)^chill_elasticity
 *
 * Each person draws one 32-bit uniform U a step from its block's stream (t, block,
 * RNG_CHILL), which no other stage reads: it does the activity when U < p_i 2^32, and would
 * have without surveillance when U < lawful_rate 2^32 (common random numbers), so an act
 * suppressed is U in [p_i 2^32, rate 2^32). Only persons with U below the rate (a share
 * lawful_rate of them) need p_i, so the contacts are counted and the power taken for those
 * alone. Nothing else reads what is drawn here: violations, records, listings unchanged. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "state.h"

int chill_prepare(struct sim *s) {
    if (!arr_alloc(s, ARR_CHILL)) return 0;
    s->chill.on = s->chill.flags != NULL;
    chill_derive(s);
    return 1;
}

void chill_free(struct sim *s) { arr_free(s, ARR_CHILL); }

uint64_t chill_bytes(const scenario *sc) { return arr_bytes(sc, ARR_CHILL); }

/* Whether source k is one a person feels watched by: it targets persons and sees them in
 * public or online (camera sightings, online activity); transactions and registrations
 * record that something happened, not what a person does or says. */
static int watches(const scn_collect *x) {
    return (x->targets & TARGET_PERSONS) && (x->kind == KIND_SIGHTINGS || x->kind == KIND_ONLINE);
}

void chill_derive(struct sim *s) {
    struct chill_state *c = &s->chill;
    const scn_population *p = &s->sc.population;
    if (!c->on) return;
    for (int r = 0; r < p->regions; r++)
        for (int g = 0; g < p->groups; g++) {
            double unwatched = 1;
            for (int k = 0; k < s->sc.nsources; k++) {
                const scn_collect *x = &s->sc.sources[k];
                if (watches(x) && (x->region_mask >> r & 1))   /* its regions (7.21) */
                    unwatched *= 1 - fmin(1.0, x->coverage * x->coverage_by_region[r] *
                                                   x->coverage_by_group[g]);
            }
            c->base[r][g] = (float)(1 - unwatched);
        }
}

double chill_perceived(const struct sim *s, uint32_t i) {
    if (!s->chill.on || i >= s->pop->persons) return 0;
    return s->chill.base[s->pop->region[i]][s->pop->group[i]];
}

int chill_acted(const struct sim *s, uint32_t i) {
    return s->chill.on && i < s->pop->persons && (s->chill.flags[i] & CHILL_ACTED);
}

/* L_i: person i's live family and social ties to persons on the blacklist now. */
static uint32_t listed_contacts(const struct sim *s, uint32_t i) {
    const int layers[2] = {LAYER_FAMILY, LAYER_SOCIAL};
    uint32_t n = 0;
    for (int k = 0; k < 2; k++) {
        const net_t *g = s->layer[layers[k]];
        if (!g) continue;
        for (uint64_t e = net_begin(g, i), e_end = net_end(g, i); e < e_end; e++)
            n += !arc_cut(s, layers[k], e) && g->adj[e] < s->pop->persons &&
                 (s->status[g->adj[e]] & ST_BLACK);
    }
    return n;
}

/* p_i for person i (7.16). */
static double prob(const struct sim *s, uint32_t i) {
    const scn_behaviour *b = &s->sc.behaviour;
    double cov = s->chill.base[s->pop->region[i]][s->pop->group[i]];
    if (b->chill_contacts > 0 && cov > 0 && cov < 1)
        cov = fmin(1.0, cov * (1 + b->chill_contacts * listed_contacts(s, i)));
    return cov > 0 ? b->lawful_rate * pow(1 - cov, b->chill_elasticity) : b->lawful_rate;
}

/* Person i would act unwatched at this step; did: it does (else it is suppressed). */
static void tally(struct chill_state *c, chill_acc *ac, int g, uint32_t i, int did) {
    ac->done[g] += (uint64_t)did, ac->suppressed[g] += (uint64_t)!did;
    if (!did && !(c->flags[i] & CHILL_SUPPRESSED)) ac->chilled[g]++;
    c->flags[i] |= did ? CHILL_ACTED : CHILL_SUPPRESSED;
}

/* Above this rate one 32-bit draw per person costs less than skipping by geometric gaps. */
#define CHILL_DENSE 0.125

/* The persons of block blk at step t, tallied into the block's accumulator. Dense: U is one
 * 32-bit draw per person, compared with rate 2^32 and p_i 2^32. Sparse: the persons with
 * U < rate come by geometric gaps at the rate, and each draws V, uniform in [0, 1), for
 * U / rate, compared with p_i / rate. Either way the draws do not depend on p_i. */
static void chill_block(struct sim *s, size_t blk, int t) {
    struct chill_state *c = &s->chill;
    chill_acc *ac = &c->acc[blk];
    memset(ac, 0, sizeof *ac);
    uint32_t lo = blk_lo(blk), hi = blk_hi(s, blk), P = s->pop->persons;
    if (lo >= P) return;
    if (hi > P) hi = P;
    rng_stream rs;
    rng_stream_at(&rs, &s->rng, (uint32_t)t, blk, RNG_CHILL);
    const double rate = s->sc.behaviour.lawful_rate, thr = ldexp(rate, 32);
    const uint8_t *group = s->pop->group;
    if (rate >= CHILL_DENSE) {
        for (uint32_t i = lo; i < hi; i++) {
            double u = rng_u32(&rs);
            if (u < thr) tally(c, ac, group[i], i, u < ldexp(prob(s, i), 32));
        }
        return;
    }
    for (uint64_t i = lo - 1ull;;) {
        uint64_t gap = rng_geometric_gap(&rs, rate);
        if (gap >= hi - i - 1) break;
        i += 1 + gap;
        tally(c, ac, group[i], (uint32_t)i, rng_uniform(&rs) * rate < prob(s, (uint32_t)i));
    }
}

void chill_step(struct sim *s) {
    struct chill_state *c = &s->chill;
    int t = s->t + 1;
    if (!c->on) return;
    memset(c->done, 0, sizeof c->done);
    memset(c->suppressed, 0, sizeof c->suppressed);
    if (!(s->sc.behaviour.lawful_rate > 0)) {   /* off until the timeline turns it on */
        c->harm = 0;
        return;
    }
#pragma omp parallel for schedule(dynamic, 4) num_threads(s->threads)
    for (size_t b = 0; b < s->nblocks; b++) chill_block(s, b, t);
    uint64_t lost = 0;
    for (size_t b = 0; b < s->nblocks; b++)
        for (int g = 0; g < SCN_MAX_GROUPS; g++) {
            c->done[g] += c->acc[b].done[g], c->suppressed[g] += c->acc[b].suppressed[g];
            c->chilled[g] += c->acc[b].chilled[g];
        }
    for (int g = 0; g < SCN_MAX_GROUPS; g++) {
        c->tot_done[g] += c->done[g], c->tot_suppressed[g] += c->suppressed[g];
        lost += c->suppressed[g];
    }
    c->harm = (double)lost * s->sc.behaviour.chill_harm;
    c->tot_harm += c->harm;
}

/* metric by all and group:G from v[group] (t < 0: into the summary). */
static int put_groups(struct sim *s, int t, int metric, const uint64_t *v) {
    uint64_t all = 0;
    int ok = 1;
    for (int g = 0; g < s->sc.population.groups; g++) {
        char grp[24];
        snprintf(grp, sizeof grp, "group:%d", g);
        all += v[g];
        ok &= t < 0 ? metrics_put_sum(s, metric, grp, (double)v[g])
                    : metrics_put(s, t, metric, grp, (double)v[g]);
    }
    return ok && (t < 0 ? metrics_put_sum(s, metric, "all", (double)all)
                        : metrics_put(s, t, metric, "all", (double)all));
}

int chill_metrics(struct sim *s, int t) {
    struct chill_state *c = &s->chill;
    if (!c->on || t == 0) return 1;
    int ok = put_groups(s, t, M_LAWFUL_ACTS, c->done);
    ok &= put_groups(s, t, M_LAWFUL_ACTS_SUPPRESSED, c->suppressed);
    ok &= put_groups(s, t, M_PERSONS_CHILLED, c->chilled);
    ok &= metrics_put(s, t, M_CHILLING_HARM, "all", c->harm);
    return ok;
}

int chill_summary(struct sim *s) {
    struct chill_state *c = &s->chill;
    if (!c->on) return 1;
    uint64_t acted[SCN_MAX_GROUPS] = {0};
    for (uint32_t i = 0; i < s->pop->persons; i++)
        acted[s->pop->group[i]] += (c->flags[i] & CHILL_ACTED) != 0;
    int ok = put_groups(s, -1, M_LAWFUL_ACTS, c->tot_done);
    ok &= put_groups(s, -1, M_LAWFUL_ACTS_SUPPRESSED, c->tot_suppressed);
    ok &= put_groups(s, -1, M_PERSONS_CHILLED, c->chilled);
    ok &= put_groups(s, -1, M_LAWFUL_ACTORS, acted);
    ok &= metrics_put_sum(s, M_CHILLING_HARM, "all", c->tot_harm);
    return ok;
}
