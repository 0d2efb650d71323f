/* sim/engine/share.c - sharing: which bodies receive which agencies' records ([share.FROM]),
 * and joint punishment notices as shares of a listing (docs/ODD.md 7.17).
 *
 * A record of kind k that agency a makes about person i at step s is shared when the rules
 * in force at s ([share.a], possibly changed on the timeline) name kind k, s >= from_step,
 * and i consents: always under consent = none; under opt_in when u_i(a) < opt_in[group of
 * i], u_i(a) a uniform drawn once per (person, sender) from its own stream (RNG_SHARE + a,
 * step 0), so nothing else draws differently. Every body in `to` then holds a copy. A copy
 * is the sender's record: it is held exactly while the sender holds the record (its
 * retention, [retention.a]), so it expires with it. Records are the holdings of collect.c,
 * which is on whenever sharing is, and keeps every holding by step of making (a ring, or the
 * sparse queue) while sharing is on, also when its retention outlasts the run; this module
 * keeps no per-agent state, only the rules of each epoch and the joint notices.
 *
 * Joint punishment: a new listing of person i by agency a on list L whose joint row names
 * sanctions tells the bodies that apply them (a sanction's `by`, or its name when `by` is
 * empty; an agency when `by` names one) of the listing: each such body holds the listing's
 * record from the step of listing for a's violation retention.
 *
 * Flows at step t: the shared records made at t about persons, once per receiving body,
 * plus one per body told of a listing at t. Firms' records are not counted (the metrics are
 * per person). Serial; the same for any number of threads. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

/* The bit of body name (adding it when new); 0 when the table is full. */
static uint64_t body_bit(struct share_state *x, const char *name) {
    for (int b = 0; b < x->nbodies; b++)
        if (strcmp(x->body[b], name) == 0) return 1ull << b;
    if (x->nbodies == SHARE_MAX_BODIES) return 0;
    snprintf(x->body[x->nbodies], SCN_NAME_MAX, "%s", name);
    return 1ull << x->nbodies++;
}

static void epoch_fill(struct share_state *x, share_epoch *e, const scenario *sc, int start) {
    memset(e, 0, sizeof *e);
    e->start = start;
    for (int r = 0; r < sc->nshares; r++) {
        const scn_share *h = &sc->shares[r];
        int a = h->agency;
        e->to[a] = h->to_mask, e->kinds[a] = h->kind_mask, e->from[a] = h->from_step;
        e->opt_in[a] = h->consent == CONSENT_OPT_IN;
        memcpy(e->share[a], h->opt_in, sizeof e->share[a]);
        x->receivers |= h->to_mask;
    }
    for (int k = 0; k < sc->nsanctions; k++) {
        const scn_sanction *q = &sc->sanctions[k];
        e->san_body[k] = body_bit(x, q->by[0] ? q->by : q->name);
    }
}

int share_prepare(struct sim *s) {
    struct share_state *x = &s->share;
    const scn_timeline *tl = s->sc.timeline;
    x->on = s->sc.nshares > 0;
    if (!x->on) return 1;
    x->nepoch = 1 + (tl ? tl->n : 0);
    x->epoch = calloc((size_t)x->nepoch, sizeof *x->epoch);
    if (!x->epoch) return 0;
    x->nbodies = s->sc.nagencies;
    for (int a = 0; a < s->sc.nagencies; a++)
        snprintf(x->body[a], SCN_NAME_MAX, "%s", s->sc.agencies[a].name);
    for (int e = 0; e < x->nepoch; e++)
        epoch_fill(x, &x->epoch[e], e ? &tl->at[e - 1] : &s->sc, e ? tl->step[e - 1] : 1);
    x->cur = 0;
    return 1;
}

void share_free(struct sim *s) {
    free(s->share.epoch), s->share.epoch = NULL;
    free(s->share.told), s->share.told = NULL;
    s->share.ntold = s->share.told_cap = 0;
}

/* No per-agent arrays: the records are collect.c's (its estimate counts the longer rings
 * sharing needs); the notices grow with the listings. */
uint64_t share_bytes(const scenario *sc) {
    (void)sc;
    return 0;
}

static int epoch_at(const struct share_state *x, int st) {
    int e = x->nepoch - 1;
    while (e > 0 && x->epoch[e].start > st) e--;
    return e;
}

void share_derive(struct sim *s) {
    if (s->share.on) s->share.cur = epoch_at(&s->share, s->t + 1);
}

static int consents(const struct sim *s, const share_epoch *e, int a, uint32_t i) {
    if (!e->opt_in[a]) return 1;
    rng_stream r;
    rng_stream_at(&r, &s->rng, 0, i, RNG_SHARE + (uint32_t)a);
    return rng_uniform(&r) < e->share[a][s->pop->group[i]];
}

uint32_t share_to(const struct sim *s, int a, int k, int st, uint32_t i) {
    const share_epoch *e = &s->share.epoch[epoch_at(&s->share, st)];
    if (!e->to[a] || !(e->kinds[a] >> k & 1) || st < e->from[a]) return 0;
    return consents(s, e, a, i) ? e->to[a] : 0;
}

/* Records of (a, k) made at step t about persons, of those who consent under e. */
static uint64_t made_at(const struct sim *s, const share_epoch *e, int a, int k, int t) {
    const struct collect_state *c = &s->collect;
    uint32_t P = s->pop->persons;
    uint64_t n = 0;
    for (int h = 0; h < c->nhold; h++) {
        if (c->hold_agency[h] != a || c->hold_kind[h] != k || c->hold_mode[h] != COLLECT_RING)
            continue;
        const uint8_t *row = c->ring[h] + (size_t)(t % c->hold_len[h]) * s->n;
        if (!e->opt_in[a])
            for (uint32_t i = 0; i < P; i++) n += row[i];
        else
            for (uint32_t i = 0; i < P; i++) n += row[i] && consents(s, e, a, i) ? row[i] : 0;
    }
    const collect_queue *q = &c->q[a][k];
    for (uint64_t j = q->n; j-- > q->head && q->e[j].step == t;)
        n += q->e[j].agent < P && consents(s, e, a, q->e[j].agent);
    return n;
}

/* This step's new listings whose joint punishment row tells bodies. */
static int notices(struct sim *s, int t) {
    struct share_state *x = &s->share;
    const share_epoch *e = &x->epoch[x->cur];
    for (int l = 0; l < SCN_NLISTS; l++) {
        const int8_t *lister = s->sanction.lister[l];
        for (uint64_t n = 0; lister && n < s->policy.nnewly[l]; n++) {
            uint32_t i = s->policy.newly[l][n];
            if (i >= s->pop->persons || lister[i] < 0) continue;
            uint64_t bodies = 0;
            for (uint32_t m = s->sanction.jmask[lister[i]][l]; m; m &= m - 1)
                bodies |= e->san_body[__builtin_ctz(m)];
            if (!bodies) continue;
            if (!vec_reserve((void **)&x->told, &x->told_cap, x->ntold + 1, sizeof *x->told))
                return 0;
            x->told[x->ntold++] = (share_told){i, t, lister[i], bodies};
            x->step_joint += (uint64_t)__builtin_popcountll(bodies);
        }
    }
    return 1;
}

int share_after(struct sim *s) {
    struct share_state *x = &s->share;
    int t = s->t;
    if (!x->on || t == 0) return 1;
    const share_epoch *e = &x->epoch[x->cur];
    memset(x->step_flows, 0, sizeof x->step_flows);
    x->step_joint = 0;
    for (int a = 0; a < s->sc.nagencies; a++) {
        if (!e->to[a] || t < e->from[a]) continue;
        uint64_t n = 0;
        for (int k = 0; k < SCN_NKINDS; k++)
            if (e->kinds[a] >> k & 1) n += made_at(s, e, a, k, t);
        x->step_flows[a] = n * (uint64_t)__builtin_popcount(e->to[a]);
    }
    if (!notices(s, t)) return 0;
    for (int a = 0; a < s->sc.nagencies; a++) x->tot_flows[a] += x->step_flows[a];
    x->tot_joint += x->step_joint;
    return 1;
}
