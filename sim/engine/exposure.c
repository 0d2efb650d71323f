/* sim/engine/exposure.c - end-of-run disparity between groups and privacy exposure of persons.
 *
 * Disparity: for each group g, the share of its persons ever blacklisted, ever wrongly
 * blacklisted, ever blacklisted among those who never violated and among those who did (the
 * same conduct), and harm per person; each as a ratio to group 0's, and the largest rate over
 * the smallest with the group bearing it (docs/metrics.md).
 * Privacy: records held per person, how many agencies hold a record about a person, persons
 * ever named publicly by a sanction with public = true (and of those, the ones named while
 * they had no own true violation in the look-back window), and third-party processing: persons
 * whose list status, score or sanctions changed through data about someone else (a
 * misattributed record, a spillover listing, points lost to listed contacts, or a sanction
 * reaching them through another's listing: sanction.c), and the inference attack
 * (AUC of what an observer sees publicly). Persons only. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#include "auc.h"
#include "mem.h"
#include "state.h"


/* Rates of the persons of each group, as ratios to group 0, and the spread between the
 * groups: the largest rate over the smallest, and the group with the largest. */
static int put_rates(struct sim *s, int k, const double *rate) {
    int ok = 1, G = s->sc.population.groups, hi = -1, lo = -1;
    const char *what = metric_rate_name(k);
    char grp[24];
    for (int g = 0; g < G; g++) {
        snprintf(grp, sizeof grp, "group:%d", g);
        ok &= metrics_put_sum(s, metric_of(M_RATE_RATIO_EVER_LISTED, k), grp,
                              rate[0] > 0 ? rate[g] / rate[0] : NAN);
        if (isnan(rate[g])) continue;
        if (hi < 0 || rate[g] > rate[hi]) hi = g;
        if (lo < 0 || rate[g] < rate[lo]) lo = g;
    }
    ok &= metrics_put_sum(s, M_DISPARITY_RATIO, what,
                          hi >= 0 && rate[lo] > 0 ? rate[hi] / rate[lo] : NAN);
    ok &= metrics_put_sum(s, M_DISPARITY_BEARER, what, hi >= 0 ? hi : NAN);
    return ok;
}

static int put_disparity(struct sim *s) {
    enum { G = SCN_MAX_GROUPS };
    uint64_t n[G] = {0}, ever[G] = {0}, wrong[G] = {0}, nv[2][G] = {{0}}, lv[2][G] = {{0}};
    double harm[G] = {0};
    /* the counts are integers, added in any order; the harm is added in person order */
#pragma omp parallel for schedule(static) num_threads(s->threads) \
    reduction(+ : n[:G], ever[:G], wrong[:G], nv[:2][:G], lv[:2][:G])
    for (uint32_t i = 0; i < s->pop->persons; i++) {
        int g = s->pop->group[i], v = step_at(s->steps16, s->last_violation, i) >= 0;
        int listed = (s->status[i] & ST_EVER_BLACK) != 0;
        n[g]++;
        ever[g] += (uint64_t)listed;
        wrong[g] += (s->status[i] & ST_EVER_WRONG) != 0;
        nv[v][g]++, lv[v][g] += (uint64_t)listed;
    }
    for (uint32_t i = 0; s->sanction.harm && i < s->pop->persons; i++)
        harm[s->pop->group[i]] += s->sanction.harm[i];
    int ok = 1;
    double e[G], w[G], h[G], c[2][G];
    for (int g = 0; g < s->sc.population.groups; g++) {
        char grp[24];
        snprintf(grp, sizeof grp, "group:%d", g);
        double ng = n[g] ? (double)n[g] : NAN;
        e[g] = (double)ever[g] / ng, w[g] = (double)wrong[g] / ng, h[g] = harm[g] / ng;
        for (int v = 0; v < 2; v++) c[v][g] = nv[v][g] ? (double)lv[v][g] / (double)nv[v][g] : NAN;
        ok &= metrics_put_sum(s, M_EVER_LISTED_RATE, grp, e[g]);
        ok &= metrics_put_sum(s, M_EVER_WRONGLY_LISTED_RATE, grp, w[g]);
        ok &= metrics_put_sum(s, M_EVER_LISTED_RATE_NONVIOLATORS, grp, c[0][g]);
        ok &= metrics_put_sum(s, M_EVER_LISTED_RATE_VIOLATORS, grp, c[1][g]);
        if (s->sanction.harm) ok &= metrics_put_sum(s, M_HARM_RATE, grp, h[g]);
    }
    ok &= put_rates(s, METRIC_RATE_EVER_LISTED, e);
    ok &= put_rates(s, METRIC_RATE_EVER_WRONGLY_LISTED, w);
    ok &= put_rates(s, METRIC_RATE_NONVIOLATORS, c[0]);
    ok &= put_rates(s, METRIC_RATE_VIOLATORS, c[1]);
    if (s->sanction.harm) ok &= put_rates(s, METRIC_RATE_HARM, h);
    return ok;
}

static int put_privacy(struct sim *s) {
    uint64_t P = s->pop->persons, recs = 0, with = 0, maxr = 0, agencies = 0, third = 0;
    uint64_t named = 0, named_wrong = 0, by_k[SCN_MAX_AGENCIES + 1] = {0}, bucket[18] = {0};
#pragma omp parallel for schedule(static) num_threads(s->threads) \
    reduction(+ : recs, with, agencies, third, named, named_wrong, by_k[:SCN_MAX_AGENCIES + 1], \
              bucket[:18]) reduction(max : maxr)
    for (uint32_t i = 0; i < P; i++) {
        uint64_t r = s->agency.rec_total[i];
        int k = __builtin_popcount(rec_holders(s, i));
        recs += r, with += r > 0, agencies += (uint64_t)k, by_k[k]++;
        if (r > maxr) maxr = r;
        third += (s->status[i] & ST_EVER_THIRD) != 0;
        if (s->sanction.named)
            named += s->sanction.named[i] & 1, named_wrong += (s->sanction.named[i] >> 1) & 1;
        /* persons by records held: 0, 1, 2, 3-4, 5-8, ... */
        bucket[r < 2 ? (int)r : 33 - __builtin_clz((uint32_t)r - 1)]++;   /* 2 -> 2, 3-4 -> 3 */
    }
    double p = P ? (double)P : NAN;
    int ok = metrics_put_sum(s, M_RECORDS_PER_PERSON, "mean", (double)recs / p);
    ok &= metrics_put_sum(s, M_RECORDS_PER_PERSON, "max", (double)maxr);
    ok &= metrics_put_sum(s, M_PERSONS_WITH_RECORDS, "all", (double)with);
    ok &= metrics_put_sum(s, M_AGENCIES_PER_PERSON, "mean", (double)agencies / p);
    for (int k = 0; k <= s->sc.nagencies; k++) {
        char grp[24];
        snprintf(grp, sizeof grp, "agencies:%d", k);
        ok &= metrics_put_sum(s, M_PERSONS_BY_AGENCIES_HOLDING_RECORDS, grp, (double)by_k[k]);
    }
    for (int k = 0; k < 18; k++) {
        uint64_t lo = k < 2 ? (uint64_t)k : (1ull << (k - 2)) + 1;
        uint64_t hi = k < 2 ? lo : 1ull << (k - 1);
        if (lo > maxr && k > 0) break;
        char grp[40];
        if (lo == hi) snprintf(grp, sizeof grp, "records:%llu", (unsigned long long)lo);
        else snprintf(grp, sizeof grp, "records:%llu-%llu", (unsigned long long)lo,
                      (unsigned long long)hi);
        ok &= metrics_put_sum(s, M_PERSONS_BY_RECORDS, grp, (double)bucket[k]);
    }
    ok &= metrics_put_sum(s, M_NAMED_PUBLICLY, "all", (double)named);
    ok &= metrics_put_sum(s, M_NAMED_PUBLICLY, "wrongly", (double)named_wrong);
    ok &= metrics_put_sum(s, M_THIRD_PARTY_PROCESSING, "all", (double)third);
    return ok;
}

/* The AUC of score[k] for label[k], k < n, as keys (auc.h: exact radix sort, ties by ==). */
double exposure_auc(const double *score, const uint8_t *label, size_t n) {
    uint64_t *key = malloc((2 * n + 1) * sizeof *key);   /* keys, radix buffer */
    if (!key) return NAN;
    for (size_t k = 0; k < n; k++) key[k] = auc_key((float)score[k], label[k] != 0);
    double a = auc_of_keys(key, key + n, n, 1);
    free(key);
    return a;
}

/* What an observer sees of person i: whether it is named publicly now (a public sanction in
 * force), then, in the points regime (scores assumed public), how far its score is below the
 * cap. Larger means more suspect. */
static double public_view(const struct sim *s, uint32_t i) {
    const scn_scoring *sc = &s->sc.scoring;
    double u = s->sanction.sanc && (s->sanction.sanc[i] & s->sanction.public_mask) ? 2.0 : 0.0;
    if (sc->regime == REGIME_POINTS) u += (sc->max - s->score[i]) / (sc->max - sc->min + 1);
    return u;
}

double exposure_public_view(const struct sim *s, uint32_t i) { return public_view(s, i); }

/* Whether person i has a contact (family or social tie not cut) on the blacklist now. */
static int listed_contact(const struct sim *s, uint32_t i) {
    const int layers[2] = {LAYER_FAMILY, LAYER_SOCIAL};
    for (int k = 0; k < 2; k++) {
        const net_t *g = s->layer[layers[k]];
        if (!g) continue;
        for (uint64_t e = net_begin(g, i), e_end = net_end(g, i); e < e_end; e++)
            if (!arc_cut(s, layers[k], e) && (s->status[g->adj[e]] & ST_BLACK)) return 1;
    }
    return 0;
}

/* The inference attack: how well the public view ranks (a) innocent persons (no violation
 * in the run) by whether they have a blacklisted contact, (b) all persons by whether they
 * ever violated. AUC 0.5: the view tells nothing; 1: it separates perfectly. */
static int put_inference(struct sim *s, uint64_t *key) {
    uint32_t P = s->pop->persons;
    size_t *at = calloc((size_t)s->threads + 1, sizeof *at);
    if (!at) return 0;
    /* the persons who never violated, in order: each thread counts those of its part, then
       writes their keys after the parts before it */
    int team = 0;
#pragma omp parallel num_threads(s->threads)
    {
        const int T = omp_get_num_threads(), k = omp_get_thread_num();
        const uint32_t lo = (uint32_t)((uint64_t)P * (uint64_t)k / (uint64_t)T);
        const uint32_t hi = (uint32_t)((uint64_t)P * (uint64_t)(k + 1) / (uint64_t)T);
        size_t c = 0;
        for (uint32_t i = lo; i < hi; i++) c += step_at(s->steps16, s->last_violation, i) < 0;
        at[k + 1] = c;
#pragma omp barrier
#pragma omp single
        {
            team = T;
            for (int j = 0; j < T; j++) at[j + 1] += at[j];
        }
        size_t w = at[k];
        for (uint32_t i = lo; i < hi; i++)
            if (step_at(s->steps16, s->last_violation, i) < 0)
                key[w++] = auc_key((float)public_view(s, i), listed_contact(s, i));
    }
    size_t n = at[team];
    free(at);
    double a = auc_of_keys(key, key + n, n, s->threads);
    int ok = metrics_put_sum(s, M_INFERENCE_AUC, "listed_contact", a);
#pragma omp parallel for schedule(static) num_threads(s->threads)
    for (uint32_t i = 0; i < P; i++)
        key[i] = auc_key((float)public_view(s, i), step_at(s->steps16, s->last_violation, i) >= 0);
    a = auc_of_keys(key, key + P, P, s->threads);
    ok &= metrics_put_sum(s, M_INFERENCE_AUC, "violation_history", a);
    return ok;
}

int exposure_summary(struct sim *s, uint64_t *key) {
    return put_disparity(s) && put_privacy(s) && put_inference(s, key);
}
