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
    for (int a = 0; a < s->sc.nagencies; a++) {
        s->agency.cov_max[a] = cov_max(s, a);
        s->agency.ded_one[a] = (float)sev_deduction(&s->sc, a);   /* as k.ded below */
    }
}

int agency_prepare(struct sim *s) {
    if (!arr_alloc(s, ARR_AGENCY)) return 0;
    if (s->sc.scoring.regime == REGIME_LISTS) s->agency.hist_k = arr_hist_k(&s->sc);
    agency_derive(s);
    for (size_t b = 0; b < s->nblocks; b++) {
        float m = 0;
        for (uint32_t i = blk_lo(b); i < blk_hi(s, b); i++) m = fmaxf(m, pop_propensity(s->pop, i));
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

/* min(1, x) as fmin(1.0, x) gives it (1 for NaN), without the libm call. */
static inline double min1(double x) { return x < 1.0 ? x : 1.0; }

/* The next candidate after position i (lo - 1 before the first): i + 1 + gap, or hi when
 * that passes hi, at rate q given as lq = rng_gap_log(q) (computed once per block and agency;
 * rng_geometric_gap_log returns UINT64_MAX for a rate too small to matter). */
static inline uint64_t next_candidate(rng_stream *rs, double lq, uint64_t i, uint64_t hi) {
    uint64_t gap = rng_geometric_gap_log(rs, lq);
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
    step_put(s->steps16, s->last_violation, i, t);
    if (s->status[i] & ST_BLACK) event_mark(s, i);   /* wrongly listed no more (event.c) */
    b->a.violations[acc_slot(s, i)]++;
    b->a.viol_ag[a]++;
    b->a.viol_region[s->pop->region[i]]++;
    if (!(ag->region_mask >> s->pop->region[i] & 1)) return;   /* not observed there (7.21) */
    double pd = ag->coverage * cov_mult(s, ag, i) * ag->detection;
    if (s->sanction.detect_on) pd *= sanction_detect_mult(s, i);
    pd = min1(pd);
    /* u < pd for no u when pd is 0, for every u when it is 1: the detection stream is drawn
       from only when the outcome depends on it, or misattribution draws after u */
    if (!(pd > 0)) return;
    const int mis = ag->misattribution > 0;
    rng_stream rs;
    if (pd < 1.0 || mis) {
        rng_stream_at(&rs, &s->rng, (uint32_t)t, i, RNG_DETECT + (uint32_t)a);
        if (!(rng_uniform(&rs) < pd)) return;
    }
    rec_event e = {i, (uint8_t)a, CAUSE_OWN};
    if (mis && rng_uniform(&rs) < ag->misattribution) {
        e.target = misattribute(s, ag, i, &rs);
        if (e.target != i) e.cause = CAUSE_MISATTR;
    }
    blk_push_rec(b, e);
}

/* Asks for the cache lines a candidate's observation reads. The gaps between candidates
 * (about 1 / rate agents) defeat the hardware prefetcher, and at 10^6 agents the propensity
 * load was most of this file's time (perf), so the candidates are found a chunk at a time and
 * each is fetched PREFETCH_AHEAD candidates before it is processed. */
enum { CAND_CHUNK = 64, PREFETCH_AHEAD = 8 };

/* always_inline: GCC finds a function of prefetches alone pure and drops the calls. */
__attribute__((always_inline)) static inline void prefetch_agent(const struct sim *s,
                                                                 uint32_t i) {
    if (s->pop->propensity) __builtin_prefetch(&s->pop->propensity[i]);
    __builtin_prefetch(&s->status[i]);
    __builtin_prefetch(step_addr(s->steps16, s->last_violation, i), 1);
    if (s->slot) __builtin_prefetch(&s->slot[i]);
    __builtin_prefetch(&s->pop->region[i]);
    __builtin_prefetch(&s->pop->group[i]);
}

/* Candidate i of agency a with its draw u (uniform times the block's rate q). */
static void violation_at(struct sim *s, blockbuf *b, size_t blk, int a, uint32_t i, double u,
                         uint64_t *viol, int t) {
    const scn_agency *ag = &s->sc.agencies[a];
    double p = min1(ag->violation_scale * pop_propensity(s->pop, i));
    if (!(u < p)) return;               /* decide with and without the regime */
    b->a.violations_cf[acc_slot(s, i)]++;
    b->a.viol_cf_region[s->pop->region[i]]++;
    b->a.viol_cf_ag[a]++;
    if (s->sanction.deter_on && !(u < p * sanction_deter(s, i))) return;
    if (s->status[i] & ST_FAILED) return;
    viol[(i - blk_lo(blk)) >> 6] |= 1ull << ((i - blk_lo(blk)) & 63);
    on_violation(s, b, a, i, t);
}

/* Violations of agency a among agents lo..hi-1; marks violators in the block bitmap. The
 * stream is drawn in its order (gap, u, gap, u, ..., the gap past hi) a chunk of candidates
 * ahead of their processing, which draws only from other streams: the same draws. */
static void violations(struct sim *s, blockbuf *b, size_t blk, int a, uint32_t lo,
                       uint32_t hi, uint64_t *viol, int t) {
    const scn_agency *ag = &s->sc.agencies[a];
    double q = min1(ag->violation_scale * s->agency.pmax[blk]);
    if (!(q > 0)) return;
    const double lq = rng_gap_log(q);
    rng_stream rs;
    rng_stream_at(&rs, &s->rng, (uint32_t)t, blk * 2 + (lo >= s->pop->persons),
                  RNG_VIOLATE + (uint32_t)a);
    uint32_t ci[CAND_CHUNK];
    double cu[CAND_CHUNK];   /* drawn for every candidate: the same draws with and without
                                the regime */
    uint64_t i = next_candidate(&rs, lq, lo - 1ull, hi);
    while (i < hi) {
        int n = 0;
        for (; n < CAND_CHUNK && i < hi; n++) {
            ci[n] = (uint32_t)i, cu[n] = rng_uniform(&rs) * q;
            i = next_candidate(&rs, lq, i, hi);
        }
        for (int k = 0; k < n && k < PREFETCH_AHEAD; k++) prefetch_agent(s, ci[k]);
        for (int k = 0; k < n; k++) {
            if (k + PREFETCH_AHEAD < n) prefetch_agent(s, ci[k + PREFETCH_AHEAD]);
            violation_at(s, b, blk, a, ci[k], cu[k], viol, t);
        }
    }
}

/* False records of agency a among agents lo..hi-1 that did not violate in its domain. */
static void false_records(struct sim *s, blockbuf *b, size_t blk, int a, uint32_t lo,
                          uint32_t hi, const uint64_t *viol, int t) {
    const scn_agency *ag = &s->sc.agencies[a];
    double q = min1(ag->false_record * s->agency.cov_max[a]);
    if (!(q > 0)) return;
    const double lq = rng_gap_log(q);
    rng_stream rs;
    rng_stream_at(&rs, &s->rng, (uint32_t)t, blk * 2 + (lo >= s->pop->persons),
                  RNG_FALSE + (uint32_t)a);
    for (uint64_t i = next_candidate(&rs, lq, lo - 1ull, hi); i < hi;
         i = next_candidate(&rs, lq, i, hi)) {
        uint64_t k = i - blk_lo(blk);
        if ((viol[k >> 6] >> (k & 63) & 1) || (s->status[i] & ST_FAILED)) continue;
        double p = min1(ag->false_record * cov_mult(s, ag, (uint32_t)i));
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
    b->rec_far = 0;   /* misattribution: a record about an agent of another block */
    for (uint64_t j = 0; j < b->nrec; j++)
        b->rec_far |= b->rec[j].target < lo || b->rec[j].target >= hi;
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

/* What every record of one step reads, loaded once (the tier's lists flag and deduction per
 * agency), and the step's tallies, kept here and stored when the step's records are applied:
 * the same values as reading the scenario and adding to struct sim per record. */
typedef struct rec_step {
    int      t, points, extend, insp;
    uint32_t persons;
    int8_t   lists[SCN_MAX_AGENCIES];
    float    ded[SCN_MAX_AGENCIES];
    uint64_t cause[SIM_NCAUSES], agency[SCN_MAX_AGENCIES], detected[SCN_MAX_AGENCIES];
    uint64_t rec_persons, with_records, links;
    uint64_t region[SCN_MAX_REGIONS], insp_region[SCN_MAX_REGIONS];   /* records by region */
} rec_step;

/* Asks for the cache lines apply_record touches for record e (a block's records are applied
 * in order, their targets far apart: the same reason as prefetch_agent). */
enum { REC_AHEAD = 8 };

__attribute__((always_inline)) static inline void prefetch_record(const struct sim *s,
                                                                  const rec_event *e) {
    const struct agency_state *g = &s->agency;
    const uint32_t i = e->target;
    __builtin_prefetch(&g->rec_step[i], 1);
    __builtin_prefetch(&g->rec_total[i], 1);
    if (g->rec_agencies) __builtin_prefetch(&g->rec_agencies[i], 1);
    __builtin_prefetch(&s->pop->region[i]);
    __builtin_prefetch(&s->status[i], 1);
    if (g->ded) __builtin_prefetch(&g->ded[i], 1);
    if (g->loss[e->cause - 1]) __builtin_prefetch(&g->loss[e->cause - 1][i], 1);
}

/* A record of a tier that does not list (severity.c) is kept and counted but moves no list:
 * no points, no window count, no red_clean reset, no extension, not this step's record. */
static void apply_record(struct sim *s, rec_step *k, const rec_event *e) {
    struct agency_state *g = &s->agency;
    const uint32_t i = e->target;
    const int a = e->agency, lists = k->lists[a];
    event_mark(s, i);   /* its score moves otherwise this step (event.c) */
    if (lists) {
        g->rec_step[i] = (uint8_t)(e->cause | a << 2);
    }
    k->cause[e->cause]++;
    k->agency[a]++;
    k->region[s->pop->region[i]]++;
    if (e->cause == CAUSE_OWN) k->detected[a]++;
    const uint16_t total = g->rec_total[i], ags = rec_holders(s, i);
    if (i < k->persons)
        k->rec_persons++, k->with_records += total == 0, k->links += !(ags >> a & 1);
    if (total < UINT16_MAX) g->rec_total[i] = (uint16_t)(total + 1);
    if (g->rec_agencies) g->rec_agencies[i] = (uint16_t)(ags | 1u << a);
    if (e->cause == CAUSE_MISATTR) s->status[i] |= ST_EVER_THIRD;
    if (a == k->insp) k->insp_region[s->pop->region[i]]++;
    if (!lists) return;
    if (k->extend && (s->status[i] & ST_BLACK)) redress_extend(s, i);
    if (k->points) {
        if (g->ded) g->ded[i] += k->ded[a];
        if (!(s->status[i] & ST_BLACK)) g->loss[e->cause - 1][i] += k->ded[a];
    } else {
        g->last_record[i] = k->t;
        hist_push(s, i, a, k->t);
    }
}

static void apply_block(struct sim *s, rec_step *k, size_t b) {
    const rec_event *rec = s->blk[b].rec;
    const uint64_t n = s->blk[b].nrec;
    for (uint64_t j = 0; j < n && j < REC_AHEAD; j++) prefetch_record(s, &rec[j]);
    for (uint64_t j = 0; j < n; j++) {
        if (j + REC_AHEAD < n) prefetch_record(s, &rec[j + REC_AHEAD]);
        apply_record(s, k, &rec[j]);
    }
}

/* The counts of part into sum (integers: the same in any order). */
static void add_counts(rec_step *sum, const rec_step *part, int regions) {
    for (int c = 0; c < SIM_NCAUSES; c++) sum->cause[c] += part->cause[c];
    for (int a = 0; a < SCN_MAX_AGENCIES; a++)
        sum->agency[a] += part->agency[a], sum->detected[a] += part->detected[a];
    for (int r = 0; r < regions; r++)
        sum->region[r] += part->region[r], sum->insp_region[r] += part->insp_region[r];
    sum->rec_persons += part->rec_persons;
    sum->with_records += part->with_records;
    sum->links += part->links;
}

/* Records per step below which the blocks are applied by one thread. */
enum { REC_PARALLEL = 4096 };

void agency_apply_records(struct sim *s) {
    rec_step k = {.t = s->t + 1, .points = s->sc.scoring.regime == REGIME_POINTS,
                  .extend = s->sc.redress.extend > 0, .insp = s->sc.inspection.target,
                  .persons = s->pop->persons};
    for (int a = 0; a < s->sc.nagencies; a++) {
        k.lists[a] = (int8_t)(sev_lists(&s->sc, a) != 0);
        k.ded[a] = (float)sev_deduction(&s->sc, a);
    }
    const int regions = s->sc.population.regions;
    uint64_t total = 0;
    int far = 0;
    for (size_t b = 0; b < s->nblocks; b++) total += s->blk[b].nrec, far |= s->blk[b].rec_far;
    if (far || total < REC_PARALLEL || s->threads == 1) {
        for (size_t b = 0; b < s->nblocks; b++) apply_block(s, &k, b);
    } else {
        const rec_step base = k;
#pragma omp parallel num_threads(s->threads)
        {
            rec_step part = base;
#pragma omp for schedule(dynamic, 4)
            for (size_t b = 0; b < s->nblocks; b++) apply_block(s, &part, b);
#pragma omp critical(agency_records)
            add_counts(&k, &part, regions);
        }
    }
    for (int r = 0; r < regions; r++)
        s->region.records[r] += k.region[r], s->insp_rec[r] += k.insp_region[r];
    memcpy(s->records_cause, k.cause, sizeof k.cause);
    memcpy(s->records_agency, k.agency, sizeof k.agency);
    memcpy(s->detected_agency, k.detected, sizeof k.detected);
    s->rec_persons += k.rec_persons;
    s->persons_with_records += k.with_records;
    s->agency_links += k.links;
}
