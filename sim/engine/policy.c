/* sim/engine/policy.c - scoring, lists and spillover: the dense pass over all agents.
 *
 * Within step t every rule reads the state at the end of step t-1: neighbour counts
 * (cnt[r][i], in-neighbours on rule r's layer on rule r's `from` list) are updated only
 * after the whole pass, from the status changes each block collected.
 *
 * Points regime: score <- clamp(score + recovery - deductions of this step's records
 *   - sum over additive rules of weight * cnt, min, max); with good deeds that may lift a
 *   score above max (deeds.c), the cap is max(max, score) instead. Own criteria: black when
 *   score < black_below, watch when score < watch_below, red when score >= red_at_least.
 * Lists regime: black when some agency a holds >= list_after_a records within its window;
 *   watch when some agency holds at least one; red after red_clean steps without a record.
 * Spillover criteria for list L, from the rules that put agents on L: threshold, the
 *   fraction of in-neighbours on the rule's `from` list >= phi (never for an agent without
 *   in-neighbours); inherit, at least one in-neighbour on the `from` list along a directed
 *   layer; probabilistic, a mark from a neighbour newly put on the `from` list in the
 *   previous step.
 * An agent not on L is listed when an own or spillover criterion holds (own first, for the
 * cause), for at least the list's term; an agent on L whose term is over is delisted when
 * no own, threshold or inherit criterion holds. Black excludes watch and red; watch
 * excludes red.
 * Regional pilots (docs/ODD.md 7.21): a rule whose `regions` key names some regions acts
 * only on agents of those regions (its neighbours may live anywhere): an additive rule
 * deducts nothing elsewhere, a threshold or inherit rule never lists there, a probabilistic
 * rule draws for every arc as before but marks no one there. [lists] regions limits the own
 * criteria (score thresholds, record counts, red_clean) likewise: elsewhere no one is
 * listed by them, and a listing there ends when its term is over. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "severity.h"
#include "state.h"

int blk_push_chg(blockbuf *b, change c) {
    if (!vec_reserve((void **)&b->chg, &b->chg_cap, b->nchg + 1, sizeof *b->chg))
        return b->oom = 1, 0;
    b->chg[b->nchg++] = c;
    return 1;
}

/* The events of a step that starts with the results' events at their cap are all dropped
 * (res_add_event), so they are counted, not kept: a runaway step lists millions. Not with
 * own lists, whose appeals read the step's events (ownlist_after). */
void blk_start_events(const struct sim *s, blockbuf *b) {
    b->nev = 0;
    b->ev_dropped = 0;
    b->ev_drop = !s->own.on && s->res->nevents >= s->res->event_cap_limit;
}

int blk_push_ev(blockbuf *b, res_event e) {
    if (b->ev_drop) return b->ev_dropped++, 1;
    if (!vec_reserve((void **)&b->ev, &b->ev_cap, b->nev + 1, sizeof *b->ev))
        return b->oom = 1, 0;
    b->ev[b->nev++] = e;
    return 1;
}

/* The term of a listing on list by agency (-1: none): sim/engine/severity.c. */
static int term_of(const scenario *sc, int list, int agency) {
    return sev_term(sc, list, agency);
}


typedef struct why {         /* why an agent is (to be) on a list */
    uint8_t  cause;
    int8_t   agency, rule;
    uint32_t source;
} why;

/* Own lists in use and agent i in ownlist_agent's hands: a common black or watch transition
 * is told to it (the aggregate's change and tallies are its). */
static own_blk *own_wrap(const struct sim *s, uint32_t i, int list) {
    own_blk *o = s->own.on && list != LIST_RED ? &s->own.blk[i / SIM_BLOCK] : NULL;
    return o && o->wrap ? o : NULL;
}

static void put_on(struct sim *s, blockbuf *b, uint32_t i, int list, int t, why w) {
    own_blk *ow = own_wrap(s, i, list);
    s->status[i] |= st_bit(list);
    step_put(s->steps16, s->until[list], i, t + term_of(&s->sc, list, w.agency));
    if (ow) ow->c_new[list] = 1, ow->c_cause[list] = (int8_t)w.cause;
    else b->a.new_listed[list][w.cause]++;
    if (w.cause == CAUSE_SPILL || w.cause == CAUSE_MISATTR) s->status[i] |= ST_EVER_THIRD;
    if (s->sanction.lister[list])   /* spillover: set in apply_changes */
        s->sanction.lister[list][i] = w.agency;
    if (list == LIST_BLACK) {
        step_put(s->steps16, s->since, i, t);
        if (!ow && sim_wrongful(s, i, t)) {
            b->a.wl_cause[w.cause]++;
            b->a.wl_grp[acc_slot(s, i)]++;
            b->a.wl_region[s->pop->region[i]]++;
        }
        s->cause[i] = w.cause;
        s->cause_agency[i] = w.agency;
        s->cause_rule[i] = w.rule;
        if (s->source) s->source[i] = w.source;   /* SIM_NONE without single-source rules */
        s->status[i] |= ST_EVER_BLACK;
        for (int c = 0; c < 4; c++)
            if (s->agency.loss[c]) s->agency.loss[c][i] = 0;
    }
    if (!ow) blk_push_chg(b, (change){i, (uint8_t)list, +1});
    int8_t layer = w.rule >= 0 ? (int8_t)s->sc.rules[w.rule].layer : -1;
    blk_push_ev(b, (res_event){t, EV_LISTED, (uint8_t)list, w.cause, layer, w.agency, i,
                               w.source});
}

/* reason: OUT_* (the cause field of the delisting event). */
static void take_off(struct sim *s, blockbuf *b, uint32_t i, int list, int t, int reason) {
    own_blk *ow = own_wrap(s, i, list);
    s->status[i] &= (uint8_t)~st_bit(list);
    if (ow && list == LIST_BLACK) ow->c_out = (int8_t)reason;
    if (ow && s->sanction.lister[list]) s->sanction.lister[list][i] = -1;
    if (!ow) {
        b->a.delisted[list]++;
        if (list == LIST_BLACK) b->a.delisted_by[reason]++;
        blk_push_chg(b, (change){i, (uint8_t)list, -1});
    }
    blk_push_ev(b, (res_event){t, EV_DELISTED, (uint8_t)list, (uint8_t)reason, -1, -1, i,
                               SIM_NONE});
}

/* The largest share of the points lost while off the blacklist (since the start, or since
 * the agent was last taken off it) names the cause. */
static why points_cause(const struct sim *s, uint32_t i) {
    why w = {CAUSE_SEED, -1, -1, SIM_NONE};
    float best = 0;
    for (int c = 0; c < 4; c++)
        if (s->agency.loss[c] && s->agency.loss[c][i] > best)
            best = s->agency.loss[c][i], w.cause = (uint8_t)(c + 1);
    if (w.cause != CAUSE_SPILL && rec_any(s, i)) w.agency = (int8_t)rec_agency(s, i);
    if (w.cause == CAUSE_SPILL) {
        for (int r = 0; r < s->sc.nrules; r++)
            if (s->sc.rules[r].kind == RULE_ADDITIVE && s->policy.cnt[r][i] &&
                (s->sc.rules[r].region_mask >> s->pop->region[i] & 1)) {
                w.rule = (int8_t)r;
                break;
            }
    }
    return w;
}

/* Lists regime: the first agency holding at least `need` records (need 0: its own
 * list_after) within its window, or -1. */
static int agency_holding(const struct sim *s, uint32_t i, int t, int need) {
    for (int a = 0; a < s->sc.nagencies; a++) {
        if (s->own.mask >> a & 1) continue;   /* its records feed its own lists only */
        int k = need ? need : s->sc.agencies[a].list_after;
        if (agency_records_in_window(s, i, a, t) >= k) return a;
    }
    return -1;
}

/* Own criterion for list L; fills w (unless NULL) with the cause when it holds. check:
 * whether a lists-regime window count may have changed (a record now) or must be re-read
 * (term over, or just taken off the blacklist). Lists regime cause: the agency of the
 * agent's latest record this step if its count holds (with that record's cause), else the
 * first agency whose count holds (cause own_record: the records are older). */
static inline __attribute__((always_inline)) int
own_criterion(const struct sim *s, uint32_t i, int list, int t, float score, int check, why *w) {
    const scenario *sc = &s->sc;
    /* [lists] regions (one region: region 0, not read: a scattered read per agent) */
    if (!(sc->lists.region_mask >> (sc->population.regions > 1 ? s->pop->region[i] : 0) & 1))
        return 0;
    if (sc->scoring.regime == REGIME_POINTS) {
        int on = list == LIST_BLACK ? score < sc->lists.black_below
               : list == LIST_WATCH ? score < sc->lists.watch_below
               : score >= sc->lists.red_at_least;
        if (on && w) *w = list != LIST_RED ? points_cause(s, i)
                                           : (why){CAUSE_OWN, -1, -1, SIM_NONE};
        return on;
    }
    if (list == LIST_RED)
        return t >= sc->lists.red_clean && t - s->agency.last_record[i] >= sc->lists.red_clean &&
               (w ? (*w = (why){CAUSE_OWN, -1, -1, SIM_NONE}, 1) : 1);
    if (!check) return 0;
    int need = list == LIST_BLACK ? 0 : 1, a = -1;
    if (rec_any(s, i)) {   /* the agency of this step's latest record, when its count holds */
        int r = rec_agency(s, i);
        if (!(s->own.mask >> r & 1) && agency_records_in_window(s, i, r, t) >= (need ? need : sc->agencies[r].list_after))
            a = r;
    }
    if (a < 0) a = agency_holding(s, i, t, need);
    if (a < 0) return 0;
    uint8_t c = rec_any(s, i) && rec_agency(s, i) == a ? rec_cause(s, i)
                                                                  : CAUSE_OWN;
    if (w) *w = (why){c, (int8_t)a, -1, SIM_NONE};
    return 1;
}

int policy_prepare(struct sim *s) {
    if (!arr_alloc(s, ARR_POLICY)) return 0;
    for (uint32_t i = 0; s->policy.spill_src && i < s->n; i++) s->policy.spill_src[i] = SIM_NONE;
    policy_derive(s);
    return 1;
}

void policy_derive(struct sim *s) {
    int R = s->sc.population.regions;
    uint64_t all = R >= 64 ? UINT64_MAX : (1ull << R) - 1;
    s->policy.nadd = 0;
    s->policy.add_scoped = 0;
    for (int l = 0; l < SCN_NLISTS; l++) s->policy.nspill[l] = 0;
    for (int r = 0; r < s->sc.nrules; r++) {
        const scn_rule *rule = &s->sc.rules[r];
        if (rule->kind == RULE_ADDITIVE) {
            s->policy.add_mask[s->policy.nadd] = rule->region_mask;
            s->policy.add_scoped |= (rule->region_mask & all) != all;
            s->policy.add_rule[s->policy.nadd++] = (int8_t)r;
        } else {
            s->policy.spill_rule_of[rule->list][s->policy.nspill[rule->list]++] = (int8_t)r;
        }
    }
}

void policy_free(struct sim *s) {
    push_free(s);
    free(s->policy.marked), s->policy.marked = NULL;
    for (int l = 0; l < SCN_NLISTS; l++) free(s->policy.newly[l]), s->policy.newly[l] = NULL;
    arr_free(s, ARR_POLICY);
}

uint64_t policy_bytes(const scenario *sc) { return arr_bytes(sc, ARR_POLICY) + push_bytes(sc); }

/* Spillover criterion for list L (threshold, inherit; probabilistic marks when marks). */
static int spill_criterion(const struct sim *s, uint32_t i, int list, int marks, why *w) {
    for (int k = 0; k < s->policy.nspill[list]; k++) {
        int r = s->policy.spill_rule_of[list][k];
        const scn_rule *rule = &s->sc.rules[r];
        int on = 0;
        if (!(rule->region_mask >> s->pop->region[i] & 1)) continue;   /* outside its regions */
        if (rule->kind == RULE_PROBABILISTIC) {
            on = marks && s->policy.spill_src[i] != SIM_NONE && s->policy.spill_rule[i] == r;
            if (on) *w = (why){CAUSE_SPILL, -1, (int8_t)r, s->policy.spill_src[i]};
            if (on) return 1;
            continue;
        }
        const net_t *g = s->layer[rule->layer];
        uint64_t deg = g ? net_in_degree(g, i) : 0;
        if (s->response.ncut[rule->layer]) deg -= s->response.ncut[rule->layer][i];
        uint32_t c = s->policy.cnt[r][i];
        if (rule->kind == RULE_THRESHOLD) on = deg > 0 && (double)c / (double)deg >= rule->phi;
        else on = c > 0;
        if (on) {
            uint64_t tip = s->policy.tip[r][i];
            *w = (why){CAUSE_SPILL, -1, (int8_t)r, tip ? UINT32_MAX - (uint32_t)tip : SIM_NONE};
            return 1;
        }
    }
    return 0;
}

/* One list's transition for agent i. recheck: re-read lists-regime window counts even
 * without a new record. Returns whether i is on the list afterwards. */
static inline __attribute__((always_inline)) int
transition(struct sim *s, blockbuf *b, uint32_t i, int list, int t, float score, int recheck) {
    int on = s->status[i] & st_bit(list);
    int check = rec_any(s, i) || recheck || (on && t >= step_at(s->steps16, s->until[list], i));
    why w;
    if (!on) {
        if (own_criterion(s, i, list, t, score, check, &w) ||
            (s->policy.nspill[list] && spill_criterion(s, i, list, 1, &w))) {
            put_on(s, b, i, list, t, w);
            return 1;
        }
        return 0;
    }
    if (t < step_at(s->steps16, s->until[list], i) ||
        own_criterion(s, i, list, t, score, check, NULL) ||
        (s->policy.nspill[list] && spill_criterion(s, i, list, 0, &w)))
        return 1;
    take_off(s, b, i, list, t, OUT_TERM);
    return 0;
}

/* Regional pilots: the additive deduction of agent i (of region r) from the rules that act
 * in r only, summed in rule order as the dense pass sums them all. */
static float scoped_additive(const struct sim *s, uint32_t i, int r, const uint32_t *const *cnt,
                             const float *weight) {
    float x = 0.0f;
    for (int k = 0; k < s->policy.nadd; k++)
        if (s->policy.add_mask[k] >> r & 1) x += weight[k] * (float)cnt[k][i];
    return x;
}

/* Per-block tallies in four lanes (agent i goes to lane i % 4), so that consecutive agents
 * do not wait on one memory cell; lanes are folded in a fixed order, so sums do not depend
 * on threads. on[lane][k][slot]: k = 0 black, 1 watch, 2 red; wrong: wrongly blacklisted. */
typedef struct lanes {
    uint32_t on[4][SCN_NLISTS][ACC_G];
    uint32_t wrong[4][ACC_G];
    uint32_t region[4][SCN_MAX_REGIONS][2];   /* blacklisted, wrongly blacklisted */
    uint32_t wrong_cause[4][SIM_NCAUSES];
    double   score[4][ACC_G];
} lanes;

/* Transitions of agent i (whose new score is given) on every list in use; returns the
 * tally index: 0 black, 1 watch, 2 red, -1 none; sets *wrong for a wrongful blacklisting. */
static int update_agent(struct sim *s, blockbuf *b, uint32_t i, int t, const int *list_on,
                        float score, int *wrong) {
    *wrong = 0;
    int was_black = s->status[i] & ST_BLACK, out;
    if (was_black && s->redress.on && (out = redress_exit(s, i, t)) >= 0) {
        take_off(s, b, i, LIST_BLACK, t, out);   /* early: no other black transition now */
        score = s->score[i];
        if (list_on[LIST_WATCH] && transition(s, b, i, LIST_WATCH, t, score, 1)) return 1;
        return -1;
    }
    if (transition(s, b, i, LIST_BLACK, t, score, 0)) {
        for (int l = LIST_WATCH; l <= LIST_RED; l++)
            if (list_on[l] && (s->status[i] & st_bit(l))) take_off(s, b, i, l, t, OUT_TERM);
        *wrong = sim_wrongful(s, i, t);
        return 0;
    }
    if (list_on[LIST_WATCH] && transition(s, b, i, LIST_WATCH, t, score, was_black)) {
        if (list_on[LIST_RED] && (s->status[i] & ST_RED)) take_off(s, b, i, LIST_RED, t, OUT_TERM);
        return 1;
    }
    if (list_on[LIST_RED] && transition(s, b, i, LIST_RED, t, score, 0)) return 2;
    return -1;
}

int policy_common(struct sim *s, blockbuf *b, uint32_t i, int t, const int *list_on,
                  float score, int *wrong) {
    return update_agent(s, b, i, t, list_on, score, wrong);
}

void policy_take_off(struct sim *s, blockbuf *b, uint32_t i, int list, int t, int reason) {
    take_off(s, b, i, list, t, reason);
}

static void fold_lanes(acc *a, const lanes *ln) {
    for (int lane = 0; lane < 4; lane++) {
        for (int g = 0; g < ACC_G; g++) {
            for (int l = 0; l < SCN_NLISTS; l++) a->listed[l][g] += ln->on[lane][l][g];
            a->wrongly_grp[g] += ln->wrong[lane][g];
            a->score_sum[g] += ln->score[lane][g];
        }
        for (int c = 0; c < SIM_NCAUSES; c++) a->wrongly[c] += ln->wrong_cause[lane][c];
        for (int r = 0; r < SCN_MAX_REGIONS; r++) {
            a->black_region[r] += ln->region[lane][r][0];
            a->wrongly_region[r] += ln->region[lane][r][1];
        }
    }
}

/* Scoring and list transitions of one block. The common case (points regime, additive
 * rules only, no record this step, no line crossed) is handled inline from local copies of
 * every field it reads: byte-sized stores (status, nrec) may alias anything reachable
 * through s or through a struct whose address is taken, so reading through them would
 * reload every field for every agent. Every other agent goes through update_agent. */
void policy_update_block(struct sim *s, size_t blk) {
    const scenario *scn = &s->sc;
    blockbuf *b = &s->blk[blk];
    const int t = s->t + 1, points = scn->scoring.regime == REGIME_POINTS;
    /* early exits (redress) need the general path for every blacklisted agent */
    const int fast = points && !s->redress.on &&
                     s->policy.nspill[0] + s->policy.nspill[1] + s->policy.nspill[2] == 0;
    const int nadd = s->policy.nadd;
    const float recovery = (float)scn->scoring.recovery, lo = (float)scn->scoring.min;
    const float hi = (float)scn->scoring.max;
    const int lift = s->deeds.lift;   /* good deeds may hold scores above max (7.23) */
    float *restrict score = s->score, *restrict ded = s->agency.ded;
    float *restrict loss_spill = s->agency.loss[CAUSE_SPILL - 1];
    uint8_t *restrict status = s->status, *restrict recs = s->agency.rec_step;
    const uint8_t *restrict slots = s->slot, *restrict cause = s->cause;   /* slots: NULL
                                                      with one group (acc_slot) */
    const uint32_t persons = s->pop->persons;
    const uint8_t *restrict region = s->pop->region;
    const uint32_t *cnt[SCN_MAX_RULES];
    float weight[SCN_MAX_RULES];
    for (int k = 0; k < nadd; k++) {
        cnt[k] = s->policy.cnt[s->policy.add_rule[k]];
        weight[k] = (float)scn->rules[s->policy.add_rule[k]].weight;
    }
    const uint32_t *restrict cnt0 = nadd ? cnt[0] : NULL;
    const int add_scoped = s->policy.add_scoped;   /* regional pilots: rare, tested once */
    const policy_quick quick = policy_quick_of(s);   /* the list shortcut (state.h) */
    const float w0 = nadd ? weight[0] : 0.0f;
    int list_on[SCN_NLISTS];
    for (int l = 0; l < SCN_NLISTS; l++) list_on[l] = s->until[l] != NULL;
    lanes ln;
    memset(&ln, 0, sizeof ln);
    b->nchg = 0;
    blk_start_events(s, b);
    for (uint32_t i = blk_lo(blk), end = blk_hi(s, blk); i < end; i++) {
        const int lane = i & 3, slot = slots ? slots[i] : i < persons ? 0 : ACC_G - 1;
        const uint8_t st = status[i], rec = recs[i];
        float sc = 0.0f;
        if (points) {
            const float s0 = score[i];
            sc = s0 + recovery;
            if (rec && ded) sc -= ded[i], ded[i] = 0;
            else if (rec) sc -= s->agency.ded_one[rec >> 2];   /* rec_deduction */
            float x = nadd ? w0 * (float)cnt0[i] : 0.0f;   /* the first additive rule */
            for (int k = 1; k < nadd; k++) x += weight[k] * (float)cnt[k][i];
            if (add_scoped) x = scoped_additive(s, i, region[i], cnt, weight);
            if (x != 0.0f) {
                sc -= x;
                if (!(st & ST_BLACK)) loss_spill[i] += x;
                if (!(st & ST_EVER_THIRD)) status[i] |= ST_EVER_THIRD;
            }
            const float top = lift && s0 > hi ? s0 : hi;   /* deeds.c: kept above max */
            sc = sc < lo ? lo : sc > top ? top : sc;
            score[i] = sc;
        }
        int on, wrong;
        if (!fast || rec || !policy_shortcut(&quick, i, t, st, sc, &on, &wrong)) goto general;
        if (wrong && !(st & ST_EVER_WRONG)) status[i] |= ST_EVER_WRONG;
        goto tally;
    general:
        on = s->own.on ? ownlist_agent(s, b, i, t, list_on, sc, &wrong)
                       : update_agent(s, b, i, t, list_on, sc, &wrong);
        if (wrong) status[i] |= ST_EVER_WRONG;
        if (rec) recs[i] = 0;
    tally:
        if (on >= 0) ln.on[lane][on][slot]++;
        if (on == 0) {
            ln.region[lane][region[i]][0]++;
            ln.region[lane][region[i]][1] += (uint32_t)wrong;
        }
        if (wrong) {
            ln.wrong[lane][slot]++;
            ln.wrong_cause[lane][cause[i]]++;
        }
        ln.score[lane][slot] += sc;
    }
    fold_lanes(&b->a, &ln);
    if (s->own.on) ownlist_block_end(s, blk);
    uint32_t third = 0, pend = blk_hi(s, blk) < s->pop->persons ? blk_hi(s, blk) : s->pop->persons;
    for (uint32_t i = blk_lo(blk); i < pend; i++) third += (status[i] >> 5) & 1;   /* vectorised */
    b->a.third = third;   /* persons of the block ever processed as third parties */
}

static int push_newly(struct sim *s, int list, uint32_t i) {
    struct policy_state *p = &s->policy;
    if (!vec_reserve((void **)&p->newly[list], &p->newly_cap[list], p->nnewly[list] + 1,
                     sizeof *p->newly[list]))
        return 0;
    s->policy.newly[list][s->policy.nnewly[list]++] = i;
    return 1;
}

/* The counts are integer sums (push.c), so the order in which they are made does not matter;
 * the new-listing lists are then built in block order. */
int policy_apply_changes(struct sim *s) {
    uint64_t total = 0;
    const int t = s->t;
    for (size_t b = 0; b < s->nblocks; b++) {
        if (s->blk[b].oom) return 0;
        total += s->blk[b].nchg;
    }
    if (!push_changes(s)) return 0;   /* push.c: the counts, and the marks of the event pass */
    for (int l = 0; l < SCN_NLISTS; l++) s->policy.nnewly[l] = 0;
    /* lone roots (no single-source rule: cascade.c) are counted by cause in parallel; the
       rest goes serially, in block order */
    const int lone = !s->casc.cid, appeals = !s->own.on && s->sc.redress.appeal > 0;
    const int each = !lone || appeals || s->sanction.lister[LIST_BLACK];
    /* the new listings by list, for their readers only: probabilistic rules (the next
       step's marks) and sharing's notices */
    int newly = s->share.on;
    for (int r = 0; r < s->sc.nrules; r++) newly |= s->sc.rules[r].kind == RULE_PROBABILISTIC;
    for (size_t b = 0; (newly || each) && b < s->nblocks; b++)
        for (uint32_t k = 0; k < s->blk[b].nchg; k++) {
            const change *c = &s->blk[b].chg[k];
            if (c->delta <= 0) continue;
            if (newly && !push_newly(s, c->list, c->agent)) return 0;
            if (c->list != LIST_BLACK || !each) continue;
            uint32_t i = c->agent, src = s->source ? s->source[i] : SIM_NONE;
            if (s->sanction.lister[LIST_BLACK] && s->cause[i] == CAUSE_SPILL && src != SIM_NONE)
                s->sanction.lister[LIST_BLACK][i] =
                    s->sanction.lister[s->sc.rules[s->cause_rule[i]].from][src];
            if ((!lone && !cascade_record(s, i)) || (appeals && !redress_file(s, i, t)))
                return 0;
        }
    if (lone) {
        uint64_t roots[SIM_NCAUSES] = {0};
#pragma omp parallel for schedule(dynamic, 4) num_threads(s->threads) if (total > 4096) \
    reduction(+ : roots[:SIM_NCAUSES])
        for (size_t b = 0; b < s->nblocks; b++)
            for (uint32_t k = 0; k < s->blk[b].nchg; k++) {
                const change *c = &s->blk[b].chg[k];
                if (c->delta > 0 && c->list == LIST_BLACK) roots[cascade_cause(s, c->agent)]++;
            }
        cascade_roots(s, roots);
    }
    if (s->own.on && !ownlist_after(s, t)) return 0;   /* appeals per listing */
    for (uint64_t k = 0; k < s->policy.nmarked; k++)
        s->policy.spill_src[s->policy.marked[k]] = SIM_NONE;
    s->policy.nmarked = 0;
    return 1;
}

static int mark(struct sim *s, uint32_t i, uint32_t src, int rule) {
    struct policy_state *p = &s->policy;
    if (!vec_reserve((void **)&p->marked, &p->marked_cap, p->nmarked + 1, sizeof *p->marked))
        return 0;
    s->policy.marked[s->policy.nmarked++] = i;
    event_mark(s, i);   /* a mark to act on this step (event.c) */
    s->policy.spill_src[i] = src;
    s->policy.spill_rule[i] = (int8_t)rule;
    return 1;
}

/* Each agent newly put on the rule's `from` list in step t-1 lists each out-neighbour on the
 * rule's layer with probability beta at step t: one uniform draw per arc, from the stream
 * (t, source, RNG_SPILL + rule). Within a rule the lowest source id wins when several reach
 * one agent; across rules the first rule in scenario order wins, and an agent carries at
 * most one mark per step (a later rule's mark is dropped even if it gives another list). */
int policy_spill_marks(struct sim *s) {
    int t = s->t + 1;
    for (int r = 0; r < s->sc.nrules; r++) {
        const scn_rule *rule = &s->sc.rules[r];
        const net_t *g = s->layer[rule->layer];
        if (rule->kind != RULE_PROBABILISTIC || !g) continue;
        uint8_t bit = st_bit(rule->list);
        for (uint64_t k = 0; k < s->policy.nnewly[rule->from]; k++) {
            uint32_t j = s->policy.newly[rule->from][k];
            rng_stream rs;
            rng_stream_at(&rs, &s->rng, (uint32_t)t, j, RNG_SPILL + (uint32_t)r);
            for (uint64_t e = net_begin(g, j), e_end = net_end(g, j); e < e_end; e++) {
                uint32_t i = g->adj[e];
                if (arc_cut(s, rule->layer, e)) continue;
                if (rng_uniform(&rs) < rule->beta && !(s->status[i] & bit) &&
                    (rule->region_mask >> s->pop->region[i] & 1) &&
                    s->policy.spill_src[i] == SIM_NONE && !mark(s, i, j, r))
                    return 0;
            }
        }
    }
    return 1;
}

int policy_seed(struct sim *s) {
    double share = s->sc.run.seed_listed;
#pragma omp parallel for schedule(dynamic, 4) num_threads(s->threads)
    for (size_t b = 0; b < s->nblocks; b++) {
        blockbuf *bb = &s->blk[b];
        bb->nchg = 0;
        blk_start_events(s, bb);
        if (share <= 0) continue;
        for (uint32_t i = blk_lo(b), hi = blk_hi(s, b); i < hi; i++) {
            rng_stream rs;
            rng_stream_at(&rs, &s->rng, 0, i, RNG_SEED_LISTED);
            if (rng_uniform(&rs) < share) {
                put_on(s, bb, i, LIST_BLACK, 0, (why){CAUSE_SEED, -1, -1, SIM_NONE});
                s->status[i] |= ST_EVER_WRONG;
                if (s->own.common) s->own.common[i] |= ST_BLACK;   /* seeds: common list */
            }
        }
    }
    return policy_apply_changes(s);
}
