/* sim/engine/agency.c - behaviour and observation: violations, detection, false records and
 * misattribution, per agency.
 *
 * Agent i violates in agency a's domain with p = min(1, violation_scale_a * propensity_i).
 * A violation is recorded with probability min(1, coverage_a * m_a(i) * detection_a * x(i)),
 * x(i) the detection multiplier of sim/engine/sanction.c (inspections, region_spill; 1 without), where
 * m_a(i) = coverage_by_region_a[region] * coverage_by_group_a[group] (group multiplier for
 * persons only). A recorded violation is misattributed with probability misattribution_a: it
 * lands on another agent of the same kind (person or firm) in the same region: uniformly
 * chosen, or for persons with weight false_match_by_group_a[group] (face recognition's
 * false matches fall more on some groups: NIST 2019).
 * An agent that did not violate in the domain gets a false record with probability
 * min(1, false_record_a * m_a(i)).
 * Regional pilots (docs/ODD.md 7.21): an agency whose `regions` key names some regions
 * observes only agents of those regions: it makes no record about an agent elsewhere (the
 * agents still violate: violations are behaviour, records are observation). Every draw is
 * made as without the key and the record then dropped, so the records it makes in its
 * regions are exactly those of the same run without the key (common random numbers).
 *
 * Rare events are sampled per block by skipping geometric gaps at the block's largest rate
 * and thinning each candidate to its own rate, which gives exactly one Bernoulli trial per
 * agent with the agent's own probability while drawing only about rate * block numbers.
 *
 * Common random numbers: every candidate draws one uniform u, and violates when u < p times
 * its deterrence multiplier (sim/engine/sanction.c) and it is not a failed firm; with the regime
 * switched off it would have violated when u < p. The draws do not depend on the regime, so
 * the counterfactual count (violations_cf) is exactly what the same society and seed give
 * without deterrence, and their difference is the violations the regime prevented. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "severity.h"
#include "state.h"

int blk_push_rec(blockbuf *b, rec_event e) {
    if (!vec_reserve((void **)&b->rec, &b->rec_cap, b->nrec + 1, sizeof *b->rec))
        return b->oom = 1, 0;
    b->rec[b->nrec++] = e;
    return 1;
}

static double cov_mult(const struct sim *s, const scn_agency *ag, uint32_t i) {
    double m = ag->coverage_by_region[s->pop->region[i]];
    if (i < s->pop->persons) m *= ag->coverage_by_group[s->pop->group[i]];
    return m;
}

/* The largest coverage multiplier of agency a over regions and groups (the rate bound of its
 * false-record sampling). */
static double cov_max(const struct sim *s, int a) {
    const scn_agency *ag = &s->sc.agencies[a];
    double mr = 0, mg = s->pop->firms ? 1.0 : 0.0;
    for (int r = 0; r < s->sc.population.regions; r++) mr = fmax(mr, ag->coverage_by_region[r]);
    for (int g = 0; g < s->sc.population.groups; g++) mg = fmax(mg, ag->coverage_by_group[g]);
    return mr * mg;
}

void agency_derive(struct sim *s) {
    for (int a = 0; a < s->sc.nagencies; a++) s->agency.cov_max[a] = cov_max(s, a);
}

int agency_prepare(struct sim *s) {
    if (!arr_alloc(s, ARR_AGENCY)) return 0;
    if (s->sc.scoring.regime == REGIME_LISTS) s->agency.hist_k = arr_hist_k(&s->sc);
    agency_derive(s);
    for (size_t b = 0; b < s->nblocks; b++) {
        float m = 0;
        for (uint32_t i = blk_lo(b); i < blk_hi(s, b); i++) m = fmaxf(m, s->pop->propensity[i]);
        s->agency.pmax[b] = m;
    }
    return 1;
}

void agency_free(struct sim *s) { arr_free(s, ARR_AGENCY); }
uint64_t agency_bytes(const scenario *sc) { return arr_bytes(sc, ARR_AGENCY); }

void agency_before(struct sim *s) {
    int a = s->sc.inspection.target;
    if (a >= 0) s->agency.cov_max[a] = cov_max(s, a);
}

/* The next candidate after position i (lo - 1 before the first): i + 1 + gap, or hi when
 * that passes hi (rng_geometric_gap returns UINT64_MAX for a rate too small to matter). */
static inline uint64_t next_candidate(rng_stream *rs, double q, uint64_t i, uint64_t hi) {
    uint64_t gap = rng_geometric_gap(rs, q);
    return gap >= hi - i - 1 ? hi : i + 1 + gap;
}

/* An agent of i's kind and region other than i, or i if it is alone: uniformly chosen,
 * except that a wrong person is drawn with weight false_match_by_group[group] (rejection:
 * a uniform candidate is kept with probability weight / largest weight; after
 * MISATTR_TRIES candidates the last is kept). With equal weights no draw is added. */
enum { MISATTR_TRIES = 10000 };

static uint32_t misattribute(const struct sim *s, const scn_agency *ag, uint32_t i,
                             rng_stream *rs) {
    int kind = i >= s->pop->persons, r = s->pop->region[i];
    uint32_t first = s->pop->region_first[kind][r];
    uint32_t count = s->pop->region_first[kind][r + 1] - first;
    if (count < 2) return i;
    const double *w = ag->false_match_by_group;
    double wmax = 0;
    int even = 1;
    for (int g = 0; !kind && g < s->sc.population.groups; g++)
        wmax = fmax(wmax, w[g]), even &= w[g] == w[0];
    for (int k = 0;; k++) {
        uint32_t j = first + (uint32_t)rng_below(rs, count - 1);
        j = j >= i ? j + 1 : j;
        if (kind || even || k + 1 >= MISATTR_TRIES) return j;
        if (rng_uniform(rs) * wmax < w[s->pop->group[j]]) return j;
    }
}

static void on_violation(struct sim *s, blockbuf *b, int a, uint32_t i, int t) {
    const scn_agency *ag = &s->sc.agencies[a];
    s->last_violation[i] = t;
    if (s->status[i] & ST_BLACK) event_mark(s, i);   /* wrongly listed no more (event.c) */
    b->a.violations[acc_slot(s, i)]++;
    b->a.viol_ag[a]++;
    b->a.viol_region[s->pop->region[i]]++;
    if (!(ag->region_mask >> s->pop->region[i] & 1)) return;   /* not observed there (7.21) */
    rng_stream rs;
    rng_stream_at(&rs, &s->rng, (uint32_t)t, i, RNG_DETECT + (uint32_t)a);
    double pd = ag->coverage * cov_mult(s, ag, i) * ag->detection;
    if (s->sanction.detect_on) pd *= sanction_detect_mult(s, i);
    pd = fmin(1.0, pd);
    if (!(rng_uniform(&rs) < pd)) return;
    rec_event e = {i, (uint8_t)a, CAUSE_OWN};
    if (ag->misattribution > 0 && rng_uniform(&rs) < ag->misattribution) {
        e.target = misattribute(s, ag, i, &rs);
        if (e.target != i) e.cause = CAUSE_MISATTR;
    }
    blk_push_rec(b, e);
}

/* Violations of agency a among agents lo..hi-1; marks violators in the block bitmap. */
static void violations(struct sim *s, blockbuf *b, size_t blk, int a, uint32_t lo,
                       uint32_t hi, uint64_t *viol, int t) {
    const scn_agency *ag = &s->sc.agencies[a];
    double q = fmin(1.0, ag->violation_scale * s->agency.pmax[blk]);
    const int deter = s->sanction.deter_on;
    if (!(q > 0)) return;
    rng_stream rs;
    rng_stream_at(&rs, &s->rng, (uint32_t)t, blk * 2 + (lo >= s->pop->persons),
                  RNG_VIOLATE + (uint32_t)a);
    for (uint64_t i = next_candidate(&rs, q, lo - 1ull, hi); i < hi;
         i = next_candidate(&rs, q, i, hi)) {
        double p = fmin(1.0, ag->violation_scale * s->pop->propensity[i]);
        double u = rng_uniform(&rs) * q;   /* drawn for every candidate: the same draws */
        if (!(u < p)) continue;            /* decide with and without the regime */
        b->a.violations_cf[acc_slot(s, (uint32_t)i)]++;
        b->a.viol_cf_region[s->pop->region[i]]++;
        b->a.viol_cf_ag[a]++;
        if (deter && !(u < p * sanction_deter(s, (uint32_t)i))) continue;
        if (s->status[i] & ST_FAILED) continue;
        viol[(i - blk_lo(blk)) >> 6] |= 1ull << ((i - blk_lo(blk)) & 63);
        on_violation(s, b, a, (uint32_t)i, t);
    }
}

/* False records of agency a among agents lo..hi-1 that did not violate in its domain. */
static void false_records(struct sim *s, blockbuf *b, size_t blk, int a, uint32_t lo,
                          uint32_t hi, const uint64_t *viol, int t) {
    const scn_agency *ag = &s->sc.agencies[a];
    double q = fmin(1.0, ag->false_record * s->agency.cov_max[a]);
    if (!(q > 0)) return;
    rng_stream rs;
    rng_stream_at(&rs, &s->rng, (uint32_t)t, blk * 2 + (lo >= s->pop->persons),
                  RNG_FALSE + (uint32_t)a);
    for (uint64_t i = next_candidate(&rs, q, lo - 1ull, hi); i < hi;
         i = next_candidate(&rs, q, i, hi)) {
        uint64_t k = i - blk_lo(blk);
        if ((viol[k >> 6] >> (k & 63) & 1) || (s->status[i] & ST_FAILED)) continue;
        double p = fmin(1.0, ag->false_record * cov_mult(s, ag, (uint32_t)i));
        if (p < q && !(rng_uniform(&rs) * q < p)) continue;
        if (!(ag->region_mask >> s->pop->region[i] & 1)) continue;   /* not observed (7.21) */
        blk_push_rec(b, (rec_event){(uint32_t)i, (uint8_t)a, CAUSE_FALSE});
    }
}

void agency_observe_block(struct sim *s, size_t blk) {
    blockbuf *b = &s->blk[blk];
    int t = s->t + 1;
    uint32_t lo = blk_lo(blk), hi = blk_hi(s, blk), P = s->pop->persons;
    b->nrec = 0;
    memset(&b->a, 0, sizeof b->a);
    for (int a = 0; a < s->sc.nagencies; a++) {
        uint64_t viol[SIM_BLOCK / 64] = {0};
        scn_targets tg = s->sc.agencies[a].targets;
        /* persons part, then firms part, of this block */
        uint32_t part[2][2] = {{lo, hi < P ? hi : P}, {lo > P ? lo : P, hi}};
        for (int k = 0; k < 2; k++) {
            if (!(tg & (k ? TARGET_FIRMS : TARGET_PERSONS)) || part[k][0] >= part[k][1]) continue;
            violations(s, b, blk, a, part[k][0], part[k][1], viol, t);
            false_records(s, b, blk, a, part[k][0], part[k][1], viol, t);
        }
    }
}

/* Lists regime: remembers step t as agent i's newest record with agency a. */
static void hist_push(struct sim *s, uint32_t i, int a, int t) {
    int32_t *h = s->agency.hist +
                 ((size_t)i * (size_t)s->sc.nagencies + (size_t)a) * (size_t)s->agency.hist_k;
    memmove(h + 1, h, (size_t)(s->agency.hist_k - 1) * sizeof *h);
    h[0] = t;
}

int agency_records_in_window(const struct sim *s, uint32_t i, int a, int t) {
    const int32_t *h = s->agency.hist +
                       ((size_t)i * (size_t)s->sc.nagencies + (size_t)a) * (size_t)s->agency.hist_k;
    int w = s->sc.agencies[a].window, k = 0;
    while (k < s->agency.hist_k && h[k] > 0 && h[k] > t - w) k++;
    return k;
}

/* A record of a tier that does not list (severity.c) is kept and counted but moves no list:
 * no points, no window count, no red_clean reset, no extension, not this step's record. */
static void apply_record(struct sim *s, const rec_event *e, int t) {
    uint32_t i = e->target;
    const int lists = sev_lists(&s->sc, e->agency);
    event_mark(s, i);   /* its score moves otherwise this step (event.c) */
    if (lists) {
        if (s->agency.nrec[i] < UINT8_MAX) s->agency.nrec[i]++;
        s->agency.rec_cause[i] = e->cause;
        s->agency.rec_agency[i] = (int8_t)e->agency;
    }
    s->records_cause[e->cause]++;
    s->records_agency[e->agency]++;
    s->region.records[s->pop->region[i]]++;
    if (e->cause == CAUSE_OWN) s->detected_agency[e->agency]++;
    if (i < s->pop->persons) {
        s->rec_persons++, s->persons_with_records += s->agency.rec_total[i] == 0;
        s->agency_links += !(s->agency.rec_agencies[i] >> e->agency & 1);
    }
    if (s->agency.rec_total[i] < UINT16_MAX) s->agency.rec_total[i]++;
    s->agency.rec_agencies[i] |= (uint16_t)(1u << e->agency);
    if (e->cause == CAUSE_MISATTR) s->status[i] |= ST_EVER_THIRD;
    if (e->agency == s->sc.inspection.target) s->insp_rec[s->pop->region[i]]++;
    if (!lists) return;
    if (s->sc.redress.extend > 0 && (s->status[i] & ST_BLACK)) redress_extend(s, i);
    if (s->sc.scoring.regime == REGIME_POINTS) {
        float d = (float)sev_deduction(&s->sc, e->agency);
        s->agency.ded[i] += d;
        if (!(s->status[i] & ST_BLACK)) s->agency.loss[e->cause - 1][i] += d;
    } else {
        s->agency.last_record[i] = t;
        hist_push(s, i, e->agency, t);
    }
}

void agency_apply_records(struct sim *s) {
    int t = s->t + 1;
    memset(s->records_cause, 0, sizeof s->records_cause);
    memset(s->records_agency, 0, sizeof s->records_agency);
    memset(s->detected_agency, 0, sizeof s->detected_agency);
    for (size_t b = 0; b < s->nblocks; b++)
        for (uint32_t k = 0; k < s->blk[b].nrec; k++) apply_record(s, &s->blk[b].rec[k], t);
}
