/* sim/engine/deeds.c - points earned, not given: recorded good deeds (docs/ODD.md 7.23).
 *
 * Suzhou-style civility points: a person's volunteering, donations and the like, once
 * recorded, add points to the score, so that a red list above scoring.max holds those with
 * recorded deeds rather than everyone without a record (recovery lifts a score to max and no
 * further). Points regime only.
 *
 * At step t >= 1, after the records of t are applied and before the scores are updated
 * (policy_update_block), each person i records D_i(t) ~ Poisson(deed_rate *
 * deed_rate_by_group[g_i]) deeds, drawn by inversion (travel_attempts) of one uniform from
 * the stream (t, i, RNG_DEEDS), which nothing else reads: violations and records are
 * unchanged (common random numbers). The score becomes s_i + deed_points * D_i(t); without
 * deed_above_max it is cut to max(scoring.max, s_i), so deeds then only speed recovery.
 * With deed_above_max, policy.c caps the step's update of a score above scoring.max at the
 * score itself (recovery does not lift it further, deductions lower it as always). Firms
 * record no deeds. Tallies per block, summed in block order: the same for any number of
 * threads. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "state.h"

int deeds_prepare(struct sim *s) {
    if (!arr_alloc(s, ARR_DEEDS)) return 0;
    s->deeds.on = s->deeds.acc != NULL;
    s->deeds.lift = arr_deeds_lift(&s->sc);
    return 1;
}

void deeds_free(struct sim *s) { arr_free(s, ARR_DEEDS); }

uint64_t deeds_bytes(const scenario *sc) { return arr_bytes(sc, ARR_DEEDS); }

/* The persons of block blk at step t: deeds drawn, points added, tallied into acc. */
static void deeds_block(struct sim *s, size_t blk, int t) {
    const scn_behaviour *b = &s->sc.behaviour;
    deeds_acc *ac = &s->deeds.acc[blk];
    memset(ac, 0, sizeof *ac);
    uint32_t lo = blk_lo(blk), hi = blk_hi(s, blk), P = s->pop->persons;
    const float pts = (float)b->deed_points, hi_score = (float)s->sc.scoring.max;
    const int above = b->deed_above_max;
    if (hi > P) hi = P;
    for (uint32_t i = lo; i < hi; i++) {
        int g = s->pop->group[i];
        double rate = b->deed_rate * b->deed_rate_by_group[g];
        if (!(rate > 0)) continue;
        rng_stream rs;
        rng_stream_at(&rs, &s->rng, (uint32_t)t, i, RNG_DEEDS);
        unsigned n = travel_attempts(rate, rng_uniform(&rs));
        if (!n) continue;
        ac->deeds[g] += n;
        float old = sim_score_now(s, i), sc = old + pts * (float)n;   /* event.c: in full */
        if (!above) sc = fminf(sc, fmaxf(hi_score, old));
        event_set_score(s, i, sc);
    }
}

void deeds_step(struct sim *s) {
    struct deeds_state *x = &s->deeds;
    if (!x->on) return;
    memset(x->step, 0, sizeof x->step);
    x->lift = arr_deeds_lift(&s->sc);   /* the scenario in force at this step */
    if (!arr_deeds_on(&s->sc)) return;   /* not in force at this step (timeline) */
    int t = s->t + 1;
#pragma omp parallel for schedule(dynamic, 4) num_threads(s->threads)
    for (size_t b = 0; b < s->nblocks; b++) deeds_block(s, b, t);
    for (size_t b = 0; b < s->nblocks; b++)
        for (int g = 0; g < ACC_G; g++) x->step[g] += x->acc[b].deeds[g];
    for (int g = 0; g < ACC_G; g++) x->tot[g] += x->step[g];
}

/* deeds_recorded all and group:G (t < 0: the run's totals into the summary). */
static int put_deeds(struct sim *s, int t, const uint64_t *v) {
    uint64_t all = 0;
    char grp[32];
    int ok = 1;
    for (int g = 0; g < s->sc.population.groups; g++) {
        all += v[g];
        snprintf(grp, sizeof grp, "group:%d", g);
        ok &= t < 0 ? metrics_put_sum(s, M_DEEDS_RECORDED, grp, (double)v[g])
                    : metrics_put(s, t, M_DEEDS_RECORDED, grp, (double)v[g]);
    }
    return ok & (t < 0 ? metrics_put_sum(s, M_DEEDS_RECORDED, "all", (double)all)
                       : metrics_put(s, t, M_DEEDS_RECORDED, "all", (double)all));
}

int deeds_metrics(struct sim *s, int t) {
    if (!s->deeds.on || t <= 0) return 1;
    return put_deeds(s, t, s->deeds.step);
}

int deeds_summary(struct sim *s) {
    if (!s->deeds.on) return 1;
    return put_deeds(s, -1, s->deeds.tot);
}
