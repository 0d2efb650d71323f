/* sim/engine/redress.c - leaving the blacklist other than by serving the term: appeals, compliance
 * (performing the obligation, e.g. paying the judgment debt), credit repair after a minimum
 * display period, and the extension of a term by new records. Scenario section [redress].
 *
 * Appeals: each new blacklisting is appealed with probability `appeal` (stream (t, agent,
 * RNG_APPEAL_FILE)), joining a first-come first-served queue; from step t + appeal_delay it
 * may be decided, at most `capacity` decisions per step (appeal_capacity per 100,000 agents,
 * at least one; unlimited when 0). An appeal succeeds with probability `fairness` when the
 * listing was wrongful when made (no own true violation within the look-back window) and
 * `appeal_rightful` otherwise (stream (t, agent, RNG_APPEAL_DECIDE)). A won appeal takes the
 * agent off the blacklist in the same step's dense pass and clears its record (points: the
 * score returns to at least the base; lists: the record history is erased). An appeal whose
 * listing ended before the decision is dropped without using capacity.
 *
 * Compliance and repair, each step for each blacklisted agent (stream (t, agent,
 * RNG_REDRESS)): it complies with probability comply * e, where e = 1 for an employed person,
 * comply_unemployed for a person without a job (none, its employer failed, or its employment
 * tie was cut), and the revenue share for a firm; else, once
 * listed for repair_after steps, a credit-repair application succeeds with probability
 * `repair`. Either takes the agent off and settles its record (points: score raised to the
 * blacklist line; lists: history erased). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "severity.h"
#include "state.h"

/* Own lists (docs/ODD.md 7.19): each own blacklisting has its agency's repair and appeal
 * (ownlist.c draws them); the appeals share the one queue and capacity, each decided with
 * streams of its own (RNG_OWN_* + agency). */
void redress_derive(struct sim *s) {
    const scn_redress *r = &s->sc.redress;
    s->redress.on = r->comply > 0 || r->repair > 0 || r->appeal > 0;
    s->redress.appeals = r->appeal > 0;
    for (int a = 0; a < s->sc.nagencies; a++) {
        const scn_agency *g = &s->sc.agencies[a];
        if (!g->own_lists) continue;
        double ap = g->appeal >= 0 ? g->appeal : r->appeal;
        double rp = g->repair >= 0 ? g->repair : r->repair;
        s->redress.appeals |= ap > 0;
        s->redress.on |= ap > 0 || rp > 0;
    }
}

int redress_prepare(struct sim *s) {
    redress_derive(s);
    return arr_alloc(s, ARR_REDRESS);
}

void redress_free(struct sim *s) {
    free(s->redress.q), s->redress.q = NULL;
    arr_free(s, ARR_REDRESS);
}

uint64_t redress_bytes(const scenario *sc) { return arr_bytes(sc, ARR_REDRESS); }

/* Files an appeal of the blacklisting of agent i made at step t (owner -1: the common list,
 * else its agency) with probability p, drawn from stream (t, i, purpose). */
static int file(struct sim *s, uint32_t i, int t, int owner, double p, uint32_t purpose) {
    const scn_redress *r = &s->sc.redress;
    if (!(p > 0)) return 1;
    rng_stream rs;
    rng_stream_at(&rs, &s->rng, (uint32_t)t, i, purpose);
    if (!(rng_uniform(&rs) < p)) return 1;
    struct redress_state *x = &s->redress;
    if (x->qhead > 0 && x->qhead * 2 >= x->qn) {   /* drop what was decided */
        memmove(x->q, x->q + x->qhead, (x->qn - x->qhead) * sizeof *x->q);
        x->qn -= x->qhead;
        x->qhead = 0;
    }
    if (!vec_reserve((void **)&x->q, &x->qcap, x->qn + 1, sizeof *x->q)) return 0;
    x->q[x->qn++] = (appeal){i, t, t + r->appeal_delay, (uint8_t)sim_wrongful(s, i, t),
                             (int8_t)owner};
    s->appeals_filed++;
    return 1;
}

int redress_file(struct sim *s, uint32_t i, int t) {
    return file(s, i, t, -1, s->sc.redress.appeal, RNG_APPEAL_FILE);
}

int redress_file_own(struct sim *s, uint32_t i, int t, int a) {
    double p = s->sc.agencies[a].appeal >= 0 ? s->sc.agencies[a].appeal : s->sc.redress.appeal;
    return file(s, i, t, a, p, RNG_OWN_APPEAL_FILE + (uint32_t)a);
}

/* Whether appeal a still has its listing (not ended since); an own one's entry into *e. */
static int still_listed(struct sim *s, const appeal *a, own_entry **e) {
    *e = NULL;
    if (a->owner < 0) {
        uint8_t on = s->own.on ? s->own.common[a->agent] : s->status[a->agent];
        return (on & ST_BLACK) && step_at(s->steps16, s->since, a->agent) == a->since;
    }
    *e = ownlist_find(s, a->agent, a->owner);
    return *e && (*e)->since == a->since;
}

void redress_decide(struct sim *s) {
    const scn_redress *r = &s->sc.redress;
    int t = s->t + 1;
    uint64_t cap = UINT64_MAX, done = 0;
    if (r->appeal_capacity > 0) {
        double c = floor(r->appeal_capacity * s->n / 1e5 + 0.5);
        cap = c < 1 ? 1 : (uint64_t)c;
    }
    struct redress_state *x = &s->redress;
    while (x->qhead < x->qn && done < cap && x->q[x->qhead].due <= t) {
        appeal a = x->q[x->qhead++];
        own_entry *e;
        if (!still_listed(s, &a, &e)) continue;
        int common = a.owner < 0;
        done++;
        s->appeals_decided[a.wrongful]++;
        rng_stream rs;
        rng_stream_at(&rs, &s->rng, (uint32_t)t, a.agent,
                      common ? RNG_APPEAL_DECIDE : RNG_OWN_APPEAL_DECIDE + (uint32_t)a.owner);
        if (rng_uniform(&rs) < (a.wrongful ? r->fairness : r->appeal_rightful)) {
            if (common) s->redress.release[a.agent] = 1, event_mark(s, a.agent);
            else e->flags |= OWN_RELEASE;
            s->appeals_won[a.wrongful]++;
        }
    }
}

void redress_clear_history(struct sim *s, uint32_t i, int a) {
    size_t k = (size_t)s->agency.hist_k;
    memset(s->agency.hist + ((size_t)i * (size_t)s->sc.nagencies + (size_t)a) * k, 0,
           k * sizeof *s->agency.hist);
}

/* The record behind a blacklisting is settled (comply, repair) or annulled (appeal). */
static void clear_record(struct sim *s, uint32_t i, int annul) {
    const scenario *sc = &s->sc;
    if (sc->scoring.regime == REGIME_POINTS) {
        double floor_to = annul ? sc->scoring.base
                                : fmax(sc->lists.black_below, sc->lists.watch_below);
        if (floor_to > sc->scoring.max) floor_to = sc->scoring.max;
        if (s->score[i] < floor_to) s->score[i] = (float)floor_to;
        for (int c = 0; c < 4; c++)
            if (s->agency.loss[c]) s->agency.loss[c][i] = 0;
    } else if (!s->own.on) {
        memset(s->agency.hist + (size_t)i * (size_t)sc->nagencies * (size_t)s->agency.hist_k, 0,
               (size_t)sc->nagencies * (size_t)s->agency.hist_k * sizeof *s->agency.hist);
    } else {   /* the common listing: the records of agencies without own lists */
        for (int a = 0; a < sc->nagencies; a++)
            if (!(s->own.mask >> a & 1)) redress_clear_history(s, i, a);
    }
}

/* How blacklisted agent i leaves at step t (OUT_APPEAL, OUT_COMPLY, OUT_REPAIR) or -1:
 * the draws only, no change. */
static int decide(const struct sim *s, uint32_t i, int t) {
    const scn_redress *r = &s->sc.redress;
    if (s->redress.release && s->redress.release[i]) return OUT_APPEAL;
    if (!(r->comply > 0) && !(r->repair > 0)) return -1;
    rng_stream rs;
    rng_stream_at(&rs, &s->rng, (uint32_t)t, i, RNG_REDRESS);
    double u = rng_uniform(&rs), e = redress_comply_factor(s, i);
    if (u < r->comply * e) return OUT_COMPLY;
    if (r->repair > 0 &&
        t - step_at(s->steps16, s->since, i) >= sev_repair_after(&s->sc, s->cause_agency[i]) &&
        rng_uniform(&rs) < r->repair)
        return OUT_REPAIR;
    return -1;
}

int redress_exit(struct sim *s, uint32_t i, int t) {
    int out = decide(s, i, t);
    if (out == OUT_APPEAL) s->redress.release[i] = 0;
    if (out >= 0) clear_record(s, i, out == OUT_APPEAL);
    return out;
}

int redress_would_exit(const struct sim *s, uint32_t i, int t) { return decide(s, i, t) >= 0; }

double redress_comply_factor(const struct sim *s, uint32_t i) {
    if (i >= s->pop->persons)
        return s->response.health ? s->response.health[i - s->pop->persons] : 1.0;
    return sim_employed(s, i) ? 1.0 : s->sc.redress.comply_unemployed;
}

void redress_extend(struct sim *s, uint32_t i) {
    const scn_redress *r = &s->sc.redress;
    /* own lists: only the common blacklisting, by a record of an agency without own lists
       (own blacklistings are extended by ownlist.c) */
    if (s->own.on && (!(s->own.common[i] & ST_BLACK) ||
                      (s->own.mask >> rec_agency(s, i) & 1)))
        return;
    const int n16 = s->steps16;
    int32_t until = step_at(n16, s->until[LIST_BLACK], i);
    int32_t added = until - step_at(n16, s->since, i) -
                    sev_term(&s->sc, LIST_BLACK, s->cause_agency[i]);
    int32_t ext = r->extend;
    if (r->extend_max > 0 && added + ext > r->extend_max) ext = r->extend_max - added;
    if (ext > 0) step_put(n16, s->until[LIST_BLACK], i, until + ext);
}
