/* sim/engine/sanction.c - what a listing does: the sanctions and rewards catalogue with joint
 * punishment, the harm they cause, and the responses they feed back into: inspections
 * (detection), targeted inspection budgets, deterrence, ostracism and firm health.
 * Scenario sections [sanction.*], [joint.*], [inspection], [behaviour]; docs/ODD.md 7.
 *
 * Sanctions in force at the end of step t (sanc[i], one bit per catalogue entry): agent j's
 * own listings trigger, per list L it is on, the sanctions whose `lists` name L plus the
 * joint punishment row of the agency that listed j on L (lister[L][j]: the agency of the
 * record behind the listing; a spillover blacklisting takes its source's); a sanction with a
 * duration stops that many steps after the listing began (the blacklisting if j is on it,
 * else the watch, else the red listing). Each triggered sanction reaches the parties its
 * `reach` names, relative to j, if of the kind its `targets` allows (household: the persons
 * sharing j's household id; legalrep: the population's representative; the others along
 * their layer's ties that are not cut).
 * Bits are ORed atomically, so the result does not depend on
 * the order of the threads. Each reached agent accrues, per step, the harm of every sanction
 * (benefit for rewards) in force on it; harm is split by whether the agent has an own true
 * violation in the look-back window, and into direct (a sanction of its own listing reaching
 * itself) and reached (through another's listing or reach). A person a sanction or reward
 * reaches other than through its own listing is processed as a third party (ST_EVER_THIRD,
 * counted in third_party_processing from the step it is first reached).
 *
 * Feedback: a sanction's `inspection` multiplies the detection probability of the agents it
 * reaches in the next step; with region_spill, every agent of a region has its detection
 * multiplied by 1 + region_spill * (share of the region under a sanction raising
 * inspections). Targeted inspections ([inspection] agency): the agency's coverage multiplier
 * of region r is R * w_r / sum w, where w_r = prior + the agency's records in r so far (with
 * `correct`: each record weighted by 1 / its region's multiplier when made).
 *
 * Deterrence: propensity multiplier max(floor, 1 - deter_surveillance * perceived - deter_
 * sanction * [ever sanctioned]), capped at 1, where perceived = min(1, X_i * mean over
 * agencies a of min(1, coverage_a * coverage_by_region_a[r] * detection_a * region_mult_r)),
 * X_i the agent's own inspection multiplier and r its region.
 * Ostracism and firm health, which sanctions set off, are in sim/engine/response.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "severity.h"
#include "state.h"

/* The catalogue's bit masks and the joint punishment matrix. */
static void masks(struct sim *s) {
    const scenario *sc = &s->sc;
    struct sanction_state *x = &s->sanction;
    for (int k = 0; k < sc->nsanctions; k++) {
        const scn_sanction *c = &sc->sanctions[k];
        uint32_t bit = 1u << k;
        for (int l = 0; l < SCN_NLISTS; l++)
            if (c->list_mask & (1u << l)) x->trig_any[l] |= bit;
        if (c->reach_mask & REACH_SELF) x->self_mask |= bit;
        if (c->targets & TARGET_PERSONS) x->person_mask |= bit;
        if (c->targets & TARGET_FIRMS) x->firm_mask |= bit;
        if (c->duration > 0) x->dur_mask |= bit;
        if (c->inspection != 1) x->insp_mask |= bit;
        if (c->inspection > 1) x->up_mask |= bit;
        if (c->reward) x->reward_mask |= bit;
        if (c->public) x->public_mask |= bit;
        if (c->revenue > 0) x->revenue_mask |= bit;
        x->insp_of[k] = (float)c->inspection;
    }
    for (int j = 0; j < sc->njoint; j++)
        for (int l = 0; l < SCN_NLISTS; l++)
            x->jmask[sc->joint[j].agency][l] |= sc->joint[j].mask[l];
    for (int a = 0; a < sc->nagencies; a++)   /* the tier's sanctions (severity.c) */
        x->jmask[a][LIST_BLACK] |= sev_sanctions(sc, a);
}

/* Detection multiplier per region from the share of it under increased inspection in the
 * last step (the blocks' tallies): 1 + region_spill * share. */
static void region_mults(struct sim *s) {
    int R = s->sc.population.regions;
    uint64_t in[SCN_MAX_REGIONS] = {0};
    for (size_t b = 0; b < s->nblocks; b++)
        for (int r = 0; r < R; r++) in[r] += s->blk[b].a.inspected_region[r];
    for (int r = 0; r < R; r++) {
        uint64_t size = s->pop->region_first[0][r + 1] - s->pop->region_first[0][r] +
                        s->pop->region_first[1][r + 1] - s->pop->region_first[1][r];
        s->sanction.region_mult[r] = 1 + s->sc.inspection.region_spill *
                                    (size ? (double)in[r] / (double)size : 0);
    }
}

/* Regional pilots (docs/ODD.md 7.21): the sanctions that can reach an agent of each region
 * (a sanction limited by its `regions` key reaches no one elsewhere, whoever is listed). */
static void region_masks(struct sim *s) {
    const scenario *sc = &s->sc;
    struct sanction_state *x = &s->sanction;
    int R = sc->population.regions;
    uint64_t all = R >= 64 ? UINT64_MAX : (1ull << R) - 1;
    x->region_on = 0;
    for (int r = 0; r < SCN_MAX_REGIONS; r++) x->region_ok[r] = UINT32_MAX;
    for (int k = 0; k < sc->nsanctions; k++) {
        uint64_t m = sc->sanctions[k].region_mask;
        if ((m & all) == all) continue;
        x->region_on = 1;
        for (int r = 0; r < R; r++)
            if (!(m >> r & 1)) x->region_ok[r] &= ~(1u << k);
    }
}

void sanction_derive(struct sim *s) {
    const scenario *sc = &s->sc;
    struct sanction_state *x = &s->sanction;
    memset(x->trig_any, 0, sizeof x->trig_any);
    memset(x->jmask, 0, sizeof x->jmask);
    memset(x->insp_of, 0, sizeof x->insp_of);
    x->person_mask = x->firm_mask = x->self_mask = 0;
    x->dur_mask = x->insp_mask = x->reward_mask = x->public_mask = x->revenue_mask = 0;
    x->up_mask = 0;
    masks(s);
    region_masks(s);
    travel_derive(s);   /* the sanctions banning travel (travel.c) */
    x->detect_on = x->insp_mask || sc->inspection.region_spill > 0;
    x->deter_on = sc->behaviour.deter_surveillance > 0 || sc->behaviour.deter_sanction > 0;
    region_mults(s);   /* as the last step left them (all 1 before step 1) */
}

int sanction_prepare(struct sim *s) {
    const scenario *sc = &s->sc;
    struct sanction_state *x = &s->sanction;
    sanction_derive(s);
    for (int g = 0; g < SCN_MAX_REGIONS; g++) {
        x->region_mult[g] = 1.0;
        x->insp_w[g] = sc->inspection.prior;
    }
    return arr_alloc(s, ARR_SANCTION);
}

void sanction_free(struct sim *s) { arr_free(s, ARR_SANCTION); }
uint64_t sanction_bytes(const scenario *sc) { return arr_bytes(sc, ARR_SANCTION); }

void sanction_before(struct sim *s) {
    scenario *sc = &s->sc;
    int R = sc->population.regions, a = sc->inspection.target;
    if (a >= 0) {   /* agency_before then updates the agency's false-record rate bound */
        double w = 0;
        for (int r = 0; r < R; r++) w += s->sanction.insp_w[r];
        for (int r = 0; r < R; r++)
            sc->agencies[a].coverage_by_region[r] = R * s->sanction.insp_w[r] / w;
    }
    memset(s->insp_rec, 0, sizeof s->insp_rec);
    if (!(sc->behaviour.deter_surveillance > 0)) return;
    for (int r = 0; r < R; r++) {
        double sum = 0;
        for (int g = 0; g < sc->nagencies; g++) {
            const scn_agency *ag = &sc->agencies[g];
            if (!(ag->region_mask >> r & 1)) continue;   /* not watching r (7.21) */
            sum += fmin(1.0, ag->coverage * ag->coverage_by_region[r] * ag->detection *
                                 s->sanction.region_mult[r]);
        }
        s->sanction.perceived[r] = sc->nagencies ? sum / sc->nagencies : 0;
    }
}

static double own_inspection(const struct sim *s, uint32_t i) {
    double m = 1.0;
    if (!s->sanction.sanc) return m;
    for (uint32_t b = s->sanction.sanc[i] & s->sanction.insp_mask; b; b &= b - 1)
        m *= s->sanction.insp_of[__builtin_ctz(b)];
    return m;
}

double sanction_detect_mult(const struct sim *s, uint32_t i) {
    return s->sanction.region_mult[s->pop->region[i]] * own_inspection(s, i);
}

double sanction_deter(const struct sim *s, uint32_t i) {
    const scn_behaviour *b = &s->sc.behaviour;
    if (!(b->deter_surveillance > 0) && !(b->deter_sanction > 0)) return 1.0;
    double d = 1.0;
    if (b->deter_surveillance > 0)
        d -= b->deter_surveillance * fmin(1.0, s->sanction.perceived[s->pop->region[i]] *
                                                   own_inspection(s, i));
    if (s->status[i] & ST_SANCTIONED) d -= b->deter_sanction;
    return d < b->deter_floor ? b->deter_floor : d > 1 ? 1 : d;
}

/* ---- sanctions in force ---------------------------------------------------------------- */

static uint32_t direct_mask(const struct sim *s, uint32_t i, int t) {
    uint8_t st = s->status[i];
    uint32_t m = 0;
    for (int l = 0; l < SCN_NLISTS; l++) {
        if (!(st & st_bit(l))) continue;
        m |= s->sanction.trig_any[l];
        if (s->sanction.lister[l] && s->sanction.lister[l][i] >= 0)
            m |= s->sanction.jmask[s->sanction.lister[l][i]][l];
    }
    if (s->own.on) m |= ownlist_joint(s, i);   /* a row per (agency, own list) held */
    if (m & s->sanction.dur_mask) {
        const int n16 = s->steps16;
        int32_t start =
            st & ST_BLACK   ? step_at(n16, s->since, i)
            : st & ST_WATCH ? step_at(n16, s->until[LIST_WATCH], i) - s->sc.lists.watch_term
                            : step_at(n16, s->until[LIST_RED], i) - s->sc.lists.red_term;
        for (uint32_t b = m & s->sanction.dur_mask; b; b &= b - 1) {
            int k = __builtin_ctz(b);
            if (t - start >= s->sc.sanctions[k].duration) m &= ~(1u << k);
        }
    }
    return m;
}

static inline void give(struct sim *s, uint32_t j, uint32_t m) {
    m &= j < s->pop->persons ? s->sanction.person_mask : s->sanction.firm_mask;
    if (s->sanction.region_on) m &= s->sanction.region_ok[s->pop->region[j]];   /* 7.21 */
    if (m) __atomic_fetch_or(&s->sanction.sanc[j], m, __ATOMIC_RELAXED);
}

/* ORs m into every live neighbour of i on layer l (only ids in [lo, hi)). */
static void give_layer(struct sim *s, int l, uint32_t i, uint32_t m, uint32_t lo, uint32_t hi) {
    const net_t *g = s->layer[l];
    if (!g) return;
    for (uint64_t e = net_begin(g, i), e_end = net_end(g, i); e < e_end; e++) {
        uint32_t j = g->adj[e];
        if (j >= lo && j < hi && !arc_cut(s, l, e)) give(s, j, m);
    }
}

/* The sanctions m of agent i's own listings reach the parties each names. */
static void reach(struct sim *s, uint32_t i, uint32_t m) {
    const pop_t *p = s->pop;
    uint32_t by[8] = {0}, P = p->persons;
    for (uint32_t b = m; b; b &= b - 1) {
        int k = __builtin_ctz(b);
        unsigned rm = s->sc.sanctions[k].reach_mask;
        for (int r = 0; r < 8; r++)
            if (rm & (1u << r)) by[r] |= 1u << k;
    }
    int person = i < P;
    if (by[0]) give(s, i, by[0]);
    if (by[1] && person) {   /* household: persons are laid out household by household */
        for (uint32_t j = i; j-- > 0 && p->household[j] == p->household[i];) give(s, j, by[1]);
        for (uint32_t j = i + 1; j < P && p->household[j] == p->household[i]; j++)
            give(s, j, by[1]);
    }
    if (by[2] && person) give_layer(s, LAYER_PARENT, i, by[2], 0, P);
    if (by[3] && person) give_layer(s, LAYER_LEGALREP, i, by[3], P, s->n);
    if (by[4] && !person && p->legalrep[i - P] != POP_NONE) give(s, p->legalrep[i - P], by[4]);
    if (by[5] && !person) give_layer(s, LAYER_EMPLOYMENT, i, by[5], 0, P);
    if (by[6] && person) {
        if (s->layer[LAYER_EMPLOYMENT]) give_layer(s, LAYER_EMPLOYMENT, i, by[6], P, s->n);
        else if (pop_employer(p, i) != POP_NONE) give(s, p->employer[i], by[6]);
    }
    if (by[7] && !person) give_layer(s, LAYER_PARTNER, i, by[7], P, s->n);
}

static void tally_block(struct sim *s, size_t blk, int t) {
    acc *a = &s->blk[blk].a;
    for (uint32_t i = blk_lo(blk), hi = blk_hi(s, blk); i < hi; i++) {
        uint32_t m = s->sanction.sanc[i];
        if (!m) continue;
        uint32_t dm = direct_mask(s, i, t) & s->sanction.self_mask;
        double h = 0, hd = 0, bn = 0;
        for (uint32_t b = m; b; b &= b - 1) {
            int k = __builtin_ctz(b);
            double w = s->sc.sanctions[k].harm;
            a->sanction_count[k]++;
            if (s->sanction.reward_mask & (1u << k)) { bn += w; continue; }
            h += w;
            if (dm & (1u << k)) hd += w;
        }
        int slot = acc_slot(s, i), innocent = sim_wrongful(s, i, t);
        a->harm[slot] += h;
        a->harm_direct += hd, a->harm_reached += h - hd;
        if (hd > 0 && (s->status[i] & ST_BLACK) && s->cause[i] == CAUSE_SPILL) a->harm_spill += hd;
        a->benefit += bn;
        if (innocent) a->harm_innocent += h; else a->harm_violators += h;
        if ((m & ~dm) && i < s->pop->persons && !(s->status[i] & ST_EVER_THIRD)) {
            s->status[i] |= ST_EVER_THIRD;   /* reached through someone else's listing */
            a->third++;
        }
        if (m & ~s->sanction.reward_mask) {
            a->sanctioned[slot]++;
            s->status[i] |= ST_SANCTIONED;
            if (innocent) s->sanction.wronged[i] = 1;
        }
        if (m & s->sanction.public_mask) {
            a->named++, a->named_wrong += (uint64_t)innocent;
            s->sanction.named[i] |= (uint8_t)(1 | (innocent << 1));
        }
        if (m & s->sanction.up_mask) a->inspected_region[s->pop->region[i]]++;
        s->sanction.harm[i] += (float)h;
    }
}

int sanction_after(struct sim *s) {
    int t = s->t, R = s->sc.population.regions, a = s->sc.inspection.target;
    if (a >= 0)
        for (int r = 0; r < R; r++) {
            double m = s->sc.agencies[a].coverage_by_region[r];
            s->sanction.insp_w[r] += s->sc.inspection.correct ? (m > 0 ? s->insp_rec[r] / m : 0)
                                                     : (double)s->insp_rec[r];
        }
    if (s->sc.behaviour.ostracism > 0) response_ostracism(s, t);
    if (s->sanction.sanc) {
#pragma omp parallel for schedule(static) num_threads(s->threads)
        for (size_t b = 0; b < s->nblocks; b++)
            memset(s->sanction.sanc + blk_lo(b), 0,
                   (blk_hi(s, b) - blk_lo(b)) * sizeof *s->sanction.sanc);
#pragma omp parallel for schedule(dynamic, 4) num_threads(s->threads)
        for (size_t b = 0; b < s->nblocks; b++)
            for (uint32_t i = blk_lo(b), hi = blk_hi(s, b); i < hi; i++) {
                if (!(s->status[i] & (ST_BLACK | ST_WATCH | ST_RED))) continue;
                uint32_t m = direct_mask(s, i, t);
                if (m) reach(s, i, m);
            }
        if (t > 0) {
#pragma omp parallel for schedule(dynamic, 4) num_threads(s->threads)
            for (size_t b = 0; b < s->nblocks; b++) tally_block(s, b, t);
            travel_step(s, t);   /* trips refused under the bans now in force (7.18) */
        }
    }
    if (s->response.health && t > 0) response_firm_health(s, t);
    if (s->sc.inspection.region_spill > 0) region_mults(s);
    return 1;
}

/* Whether ties of layer l are cut by ostracism (so ties_cut is reported for it). */
static int ostracised(const struct sim *s, int l) {
    return s->response.cut[l] && (s->sc.behaviour.layer_mask & (1u << l)) &&
           s->sc.behaviour.ostracism > 0;
}

/* ---- figures ---------------------------------------------------------------------------- */


int sanction_metrics(struct sim *s, int t, const acc *a) {
    int ok = 1;
    char grp[64];
    struct totals *T = &s->tot;
    double harm = 0;
    for (int g = 0; g < ACC_G; g++) harm += a->harm[g];
    T->harm += harm, T->harm_innocent += a->harm_innocent, T->harm_direct += a->harm_direct;
    T->harm_violators += a->harm_violators, T->harm_reached += a->harm_reached;
    T->harm_spill += a->harm_spill;
    for (int g = 0; g < ACC_G; g++) T->harm_grp[g] += a->harm[g];
    T->benefit += a->benefit;
    T->failed += a->failed, T->jobs_lost += s->jobs_lost;
    for (int k = 0; k < s->sc.nsanctions; k++) T->sanction_steps[k] += a->sanction_count[k];
    for (int r = 0; r < SIM_NOUT; r++) T->delisted_by[r] += a->delisted_by[r];
    T->appeals_filed += s->appeals_filed;
    for (int w = 0; w < 2; w++)
        T->appeals_decided[w] += s->appeals_decided[w], T->appeals_won[w] += s->appeals_won[w];
    for (int l = 0; l < SCN_NLAYERS; l++) T->ties_cut[l] += s->ties_cut[l];
    if (t > 0 && (s->sc.nsanctions || s->response.health)) {
        ok &= metrics_put(s, t, M_HARM, "all", harm);
        ok &= metrics_put(s, t, M_HARM, "innocent", a->harm_innocent);
        ok &= metrics_put(s, t, M_HARM, "violators", a->harm_violators);
        ok &= metrics_put(s, t, M_HARM, "direct", a->harm_direct);
        ok &= metrics_put(s, t, M_HARM, "spillover_listed", a->harm_spill);
        ok &= metrics_put(s, t, M_HARM, "reached", a->harm_reached);
        for (int g = 0; g < s->sc.population.groups; g++) {
            snprintf(grp, sizeof grp, "group:%d", g);
            ok &= metrics_put(s, t, M_HARM, grp, a->harm[g]);
        }
        if (s->pop->firms) ok &= metrics_put(s, t, M_HARM, "firms", a->harm[ACC_G - 1]);
    }
    if (t > 0 && s->sc.nsanctions) {
        uint64_t all = 0;
        for (int g = 0; g < ACC_G; g++) all += a->sanctioned[g];
        ok &= metrics_put(s, t, M_SANCTIONED, "all", (double)all);
        for (int g = 0; g < s->sc.population.groups; g++) {
            snprintf(grp, sizeof grp, "group:%d", g);
            ok &= metrics_put(s, t, M_SANCTIONED, grp, (double)a->sanctioned[g]);
        }
        if (s->pop->firms)
            ok &= metrics_put(s, t, M_SANCTIONED, "firms", (double)a->sanctioned[ACC_G - 1]);
        for (int k = 0; k < s->sc.nsanctions; k++) {
            snprintf(grp, sizeof grp, "sanction:%s", s->sc.sanctions[k].name);
            ok &= metrics_put(s, t, M_SANCTION_ACTIVE, grp, (double)a->sanction_count[k]);
        }
        if (s->sanction.reward_mask) ok &= metrics_put(s, t, M_BENEFIT, "all", a->benefit);
        if (s->sanction.public_mask) {
            ok &= metrics_put(s, t, M_NAMED, "all", (double)a->named);
            ok &= metrics_put(s, t, M_NAMED, "wrongly", (double)a->named_wrong);
        }
    }
    if (t > 0 && s->redress.on) {
        for (int r = 0; r < SIM_NOUT; r++) {
            snprintf(grp, sizeof grp, "reason:%s", res_exit_name(r));
            ok &= metrics_put(s, t, M_DELISTED_BLACK, grp, (double)a->delisted_by[r]);
        }
    }
    if (t > 0 && s->redress.appeals) {
        ok &= metrics_put(s, t, M_APPEALS_FILED, "all", (double)s->appeals_filed);
        for (int w = 0; w < 2; w++) {
            const char *g = w ? "wrongful" : "rightful";
            ok &= metrics_put(s, t, M_APPEALS_DECIDED, g, (double)s->appeals_decided[w]);
            ok &= metrics_put(s, t, M_APPEALS_WON, g, (double)s->appeals_won[w]);
        }
        ok &= metrics_put(s, t, M_APPEAL_QUEUE, "all",
                          (double)(s->redress.qn - s->redress.qhead));
    }
    if (t > 0 && s->response.health) {
        ok &= metrics_put(s, t, M_FIRMS_FAILED, "all", (double)a->failed);
        ok &= metrics_put(s, t, M_JOBS_LOST, "all", (double)s->jobs_lost);
    }
    for (int l = 0; t > 0 && l < SCN_NLAYERS; l++)
        if (ostracised(s, l)) {
            snprintf(grp, sizeof grp, "layer:%s", scn_layer_name((scn_layer_id)l));
            ok &= metrics_put(s, t, M_TIES_CUT, grp, (double)s->ties_cut[l]);
        }
    if (t > 0 && s->sc.inspection.target >= 0) {
        const scn_agency *ag = &s->sc.agencies[s->sc.inspection.target];
        int R = s->sc.population.regions;
        for (int r = 0; r < R; r++) {
            snprintf(grp, sizeof grp, "region:%d", r);
            ok &= metrics_put(s, t, M_INSPECTION_SHARE, grp, ag->coverage_by_region[r] / R);
            ok &= metrics_put(s, t, M_INSPECTION_RECORDS, grp, (double)s->insp_rec[r]);
        }
    }
    ok &= travel_metrics(s, t);
    s->appeals_filed = s->jobs_lost = 0;
    memset(s->appeals_decided, 0, sizeof s->appeals_decided);
    memset(s->appeals_won, 0, sizeof s->appeals_won);
    memset(s->ties_cut, 0, sizeof s->ties_cut);
    return ok;
}

static int cmp_float(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Inequality of the harm accrued by persons over the run: Gini coefficient, share of the
 * most harmed 1%, Lorenz curve at res_lorenz_p (results.h), and harm by region. */
static int harm_distribution(struct sim *s) {
    uint32_t P = s->pop->persons;
    if (!s->sanction.harm || P == 0) return 1;
    float *h = malloc(P * sizeof *h);
    if (!h) return 0;
    memcpy(h, s->sanction.harm, P * sizeof *h);
    qsort(h, P, sizeof *h, cmp_float);
    double total = 0, weighted = 0, top = 0;
    for (uint32_t k = 0; k < P; k++) {
        total += h[k];
        weighted += (double)(k + 1) * h[k];
    }
    uint32_t top_n = P / 100 ? P / 100 : 1;
    for (uint32_t k = P - top_n; k < P; k++) top += h[k];
    /* G = 2 sum_k k x_(k) / (n sum x) - (n + 1) / n, x sorted ascending, k = 1..n */
    double gini = total > 0 ? 2 * weighted / ((double)P * total) - (double)(P + 1) / P : 0;
    int ok = metrics_put_sum(s, M_HARM_GINI, "persons", gini);
    ok &= metrics_put_sum(s, M_HARM_TOP1_SHARE, "persons", total > 0 ? top / total : 0);
    double cum = 0;
    uint32_t k = 0;
    char grp[32];
    for (int q = 0; q <= RES_LORENZ_N; q++) {   /* the listed points, then 1 */
        double p = q < RES_LORENZ_N ? res_lorenz_p[q] : 1.0;
        uint32_t upto = q < RES_LORENZ_N ? (uint32_t)floor((double)P * p + 1e-9) : P;
        for (; k < upto; k++) cum += h[k];
        res_lorenz_grp(q, grp, sizeof grp);
        ok &= metrics_put_sum(s, M_HARM_LORENZ, grp, total > 0 ? cum / total : p);
    }
    free(h);
    double by[SCN_MAX_REGIONS] = {0};
    for (uint32_t i = 0; i < s->n; i++) by[s->pop->region[i]] += s->sanction.harm[i];
    for (int r = 0; r < s->sc.population.regions; r++) {
        snprintf(grp, sizeof grp, "region:%d", r);
        ok &= metrics_put_sum(s, M_HARM, grp, by[r]);
    }
    return ok;
}

/* Headcounts over the run: persons ever blacklisted; with a catalogue, persons ever under a
 * sanction (own listing or reached through another's), those of them reached at a step when
 * they had no own true violation in the look-back window, and the children among them. */
static int headcounts(struct sim *s) {
    const pop_t *p = s->pop;
    uint64_t listed = 0, all = 0, innocent = 0, children = 0;
    for (uint32_t i = 0; i < p->persons; i++) {
        listed += (s->status[i] & ST_EVER_BLACK) != 0;
        if (!(s->status[i] & ST_SANCTIONED)) continue;
        all++, children += p->child[i] != 0;
        innocent += s->sanction.wronged ? s->sanction.wronged[i] : 0;
    }
    int ok = metrics_put_sum(s, M_PERSONS_EVER_LISTED, "black", (double)listed);
    if (!s->sc.nsanctions) return ok;
    ok &= metrics_put_sum(s, M_EVER_SANCTIONED, "persons", (double)all);
    ok &= metrics_put_sum(s, M_EVER_SANCTIONED, "innocent", (double)innocent);
    return ok & metrics_put_sum(s, M_EVER_SANCTIONED, "children", (double)children);
}

int sanction_summary(struct sim *s) {
    const struct totals *T = &s->tot;
    int ok = harm_distribution(s);
    char grp[64];
    ok &= headcounts(s) & travel_summary(s);
    if (s->sc.nsanctions || s->response.health) {
        ok &= metrics_put_sum(s, M_HARM, "all", T->harm);
        ok &= metrics_put_sum(s, M_HARM, "innocent", T->harm_innocent);
        ok &= metrics_put_sum(s, M_HARM, "violators", T->harm_violators);
        ok &= metrics_put_sum(s, M_HARM, "direct", T->harm_direct);
        ok &= metrics_put_sum(s, M_HARM, "spillover_listed", T->harm_spill);
        for (int g = 0; g < s->sc.population.groups; g++) {
            snprintf(grp, sizeof grp, "group:%d", g);
            ok &= metrics_put_sum(s, M_HARM, grp, T->harm_grp[g]);
        }
        if (s->pop->firms) ok &= metrics_put_sum(s, M_HARM, "firms", T->harm_grp[ACC_G - 1]);
        ok &= metrics_put_sum(s, M_HARM, "reached", T->harm_reached);
    }
    if (s->sc.nsanctions) {
        if (s->sanction.reward_mask) ok &= metrics_put_sum(s, M_BENEFIT, "all", T->benefit);
        for (int k = 0; k < s->sc.nsanctions; k++) {
            snprintf(grp, sizeof grp, "sanction:%s", s->sc.sanctions[k].name);
            ok &= metrics_put_sum(s, M_SANCTION_STEPS, grp, (double)T->sanction_steps[k]);
        }
    }
    if (s->redress.on)
        for (int r = 0; r < SIM_NOUT; r++) {
            snprintf(grp, sizeof grp, "reason:%s", res_exit_name(r));
            ok &= metrics_put_sum(s, M_DELISTED_BLACK, grp, (double)T->delisted_by[r]);
        }
    if (s->redress.appeals) {
        ok &= metrics_put_sum(s, M_APPEALS_FILED, "all", (double)T->appeals_filed);
        for (int w = 0; w < 2; w++) {
            const char *g = w ? "wrongful" : "rightful";
            ok &= metrics_put_sum(s, M_APPEALS_DECIDED, g, (double)T->appeals_decided[w]);
            ok &= metrics_put_sum(s, M_APPEALS_WON, g, (double)T->appeals_won[w]);
        }
        ok &= metrics_put_sum(s, M_APPEAL_QUEUE, "all", (double)(s->redress.qn - s->redress.qhead));
    }
    if (s->response.health) {
        ok &= metrics_put_sum(s, M_FIRMS_FAILED, "all", (double)T->failed);
        ok &= metrics_put_sum(s, M_JOBS_LOST, "all", (double)T->jobs_lost);
    }
    for (int l = 0; l < SCN_NLAYERS; l++)
        if (ostracised(s, l)) {
            snprintf(grp, sizeof grp, "layer:%s", scn_layer_name((scn_layer_id)l));
            ok &= metrics_put_sum(s, M_TIES_CUT, grp, (double)T->ties_cut[l]);
        }
    return ok;
}
