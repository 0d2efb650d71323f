/* sim/engine/commercial.c - a commercial score next to the state's (docs/ODD.md 7.22).
 *
 * Sesame-Credit-style scoring by a licensed firm: only persons who opted in are scored, on
 * the firm's own inputs and scale, with its own rewards (deposit waivers and the like), and
 * a scenario may let the commercial score feed the state score (a data flow from the
 * commercial body to the state).
 *
 * Opt-in: person i opts in when u_i < opt_in[g_i], u_i one uniform from the stream (step 0,
 * i, RNG_COMMERCIAL), drawn once when the run is built; nothing else reads that stream, so the
 * same seed opts in the same persons whatever the thread count or any other key. Firms never
 * opt in.
 *
 * At step t >= 1, after the records of t are applied (agency_apply_records) and after
 * deeds_step, before the state scores are updated (policy_update_block), for each opted-in
 * person i: C_i <- clamp(C_i + recovery - record_points * R_i(t), min, max), R_i(t) the
 * violation records made at t about i by the agencies in `agencies` (own, false and
 * misattributed alike; every agency when it is empty), C_i(0) = base. A person with
 * C_i(t) >= reward_at_least gets every reward in `rewards` at t: counted, with its `harm`
 * as benefit (commercial_benefit; apart from the state's sanctions and benefit). With
 * feeds_state = w > 0 in the points regime the state score S_i gains w * (C_i(t) - C_i(t-1))
 * before its own update (a rise is cut at max(scoring.max, S_i): the feed never lifts a
 * score above the state's cap), and each opted-in person's score sent to the state is one
 * data flow per step (commercial_flows; data_flows commercial when the scenario shares).
 * The records are gathered serially in block order, the persons updated per block and the
 * tallies summed in block order: the same for any number of threads. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "state.h"

int commercial_opts_in(const struct sim *s, uint32_t i) {
    if (i >= s->pop->persons) return 0;
    rng_stream r;
    rng_stream_at(&r, &s->rng, 0, i, RNG_COMMERCIAL);
    return rng_uniform(&r) < s->sc.commercial.opt_in[s->pop->group[i]];
}

int commercial_prepare(struct sim *s) {
    struct commercial_state *x = &s->commercial;
    if (!arr_alloc(s, ARR_COMMERCIAL)) return 0;
    x->on = x->opted != NULL;
    for (uint32_t i = 0; x->on && i < s->pop->persons; i++) {
        x->opted[i] = (uint8_t)commercial_opts_in(s, i);
        x->score[i] = (float)s->sc.commercial.base;
        x->opted_grp[s->pop->group[i]] += x->opted[i];
    }
    return 1;
}

void commercial_free(struct sim *s) { arr_free(s, ARR_COMMERCIAL); }

uint64_t commercial_bytes(const scenario *sc) { return arr_bytes(sc, ARR_COMMERCIAL); }

/* The records of step t that count, as points pending on the opted-in persons they name. */
static void gather_records(struct sim *s) {
    struct commercial_state *x = &s->commercial;
    const scn_commercial *c = &s->sc.commercial;
    const float pts = (float)c->record_points;
    for (size_t b = 0; b < s->nblocks; b++)
        for (uint32_t k = 0; k < s->blk[b].nrec; k++) {
            const rec_event *e = &s->blk[b].rec[k];
            if (e->target < s->pop->persons && x->opted[e->target] &&
                (!c->agency_mask || (c->agency_mask >> e->agency & 1)))
                x->pend[e->target] += pts;
        }
}

/* Rewards of an opted-in person at or above reward_at_least, tallied into ac. */
static void reward(const struct sim *s, commercial_acc *ac) {
    uint32_t m = s->sc.commercial.reward_mask;
    if (!m) return;
    ac->rewarded++;
    for (; m; m &= m - 1) {
        int k = __builtin_ctz(m);
        ac->by[k]++;
        ac->benefit += s->sc.sanctions[k].harm;
    }
}

static void commercial_block(struct sim *s, size_t blk) {
    struct commercial_state *x = &s->commercial;
    const scn_commercial *c = &s->sc.commercial;
    commercial_acc *ac = &x->acc[blk];
    memset(ac, 0, sizeof *ac);
    const float lo = (float)c->min, hi = (float)c->max, rec = (float)c->recovery;
    const float w = (float)c->feeds_state, cap = (float)s->sc.scoring.max;
    const int feed = c->feeds_state > 0 && s->sc.scoring.regime == REGIME_POINTS;
    uint32_t end = blk_hi(s, blk) < s->pop->persons ? blk_hi(s, blk) : s->pop->persons;
    for (uint32_t i = blk_lo(blk); i < end; i++) {
        if (!x->opted[i]) continue;
        float old = x->score[i], v = old + rec - x->pend[i];
        v = v < lo ? lo : v > hi ? hi : v;
        x->pend[i] = 0, x->score[i] = v;
        ac->score_sum[acc_slot(s, i)] += v;
        if (v >= (float)c->reward_at_least) reward(s, ac);
        if (!feed) continue;
        ac->flows++;
        float st = s->score[i], d = w * (v - old);
        if (d > 0) s->score[i] = fminf(st + d, fmaxf(cap, st));
        else if (d < 0) s->score[i] = st + d;
    }
}

static void add_acc(commercial_acc *to, const commercial_acc *a) {
    to->rewarded += a->rewarded, to->flows += a->flows, to->benefit += a->benefit;
    for (int k = 0; k < SCN_MAX_SANCTIONS; k++) to->by[k] += a->by[k];
    for (int g = 0; g < ACC_G; g++) to->score_sum[g] += a->score_sum[g];
}

void commercial_step(struct sim *s) {
    struct commercial_state *x = &s->commercial;
    if (!x->on) return;
    gather_records(s);
#pragma omp parallel for schedule(dynamic, 4) num_threads(s->threads)
    for (size_t b = 0; b < s->nblocks; b++) commercial_block(s, b);
    memset(&x->step, 0, sizeof x->step);
    for (size_t b = 0; b < s->nblocks; b++) add_acc(&x->step, &x->acc[b]);
    add_acc(&x->tot, &x->step);
}

static int put(struct sim *s, int t, int metric, const char *grp, double v) {
    return t < 0 ? metrics_put_sum(s, metric, grp, v) : metrics_put(s, t, metric, grp, v);
}

/* The rows of step t (t < 0: the run's totals, and the scores at the end). */
static int put_all(struct sim *s, int t) {
    const struct commercial_state *x = &s->commercial;
    const commercial_acc *a = t < 0 ? &x->tot : &x->step;
    uint64_t opted = 0;
    double sum = 0;
    char grp[64];
    int ok = 1;
    for (int g = 0; g < s->sc.population.groups; g++) {
        opted += x->opted_grp[g], sum += x->step.score_sum[g];
        snprintf(grp, sizeof grp, "group:%d", g);
        ok &= put(s, t, M_COMMERCIAL_SCORE, grp,
                  x->opted_grp[g] ? x->step.score_sum[g] / (double)x->opted_grp[g] : NAN);
        if (t < 0) ok &= put(s, t, M_COMMERCIAL_OPTED_IN, grp, (double)x->opted_grp[g]);
    }
    ok &= put(s, t, M_COMMERCIAL_SCORE, "all", opted ? sum / (double)opted : NAN);
    if (t < 0) ok &= put(s, t, M_COMMERCIAL_OPTED_IN, "all", (double)opted);
    ok &= put(s, t, M_COMMERCIAL_REWARDS, "all", (double)a->rewarded);
    for (int k = 0; k < s->sc.nsanctions; k++) {
        if (!(s->sc.commercial.reward_mask >> k & 1)) continue;
        snprintf(grp, sizeof grp, "sanction:%s", s->sc.sanctions[k].name);
        ok &= put(s, t, M_COMMERCIAL_REWARDS, grp, (double)a->by[k]);
    }
    ok &= put(s, t, M_COMMERCIAL_BENEFIT, "all", a->benefit);
    return ok & put(s, t, M_COMMERCIAL_FLOWS, "all", (double)a->flows);
}

int commercial_metrics(struct sim *s, int t) {
    if (!s->commercial.on || t <= 0) return 1;
    return put_all(s, t);
}

int commercial_summary(struct sim *s) {
    if (!s->commercial.on) return 1;
    return put_all(s, -1);
}
