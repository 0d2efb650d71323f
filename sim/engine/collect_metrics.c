/* sim/engine/collect_metrics.c - the figures of collection and retention (sim/engine/collect.c):
 * records held now per person by agency, kind and display, person-months of data held,
 * records collected and expired, and the distribution of records held over persons, per
 * step and in the summary. Emitted only when the scenario has a collection
 * source, so runs without one keep exactly their rows. Definitions in docs/metrics.md. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "state.h"

static int put_at(struct sim *s, int t, int metric, const char *grp, double v) {
    return t < 0 ? metrics_put_sum(s, metric, grp, v) : metrics_put(s, t, metric, grp, v);
}

/* metric by "all", agency:A and kind:K from v[agency][kind] (t < 0: the summary). */
static int put_ak(struct sim *s, int t, int metric, uint64_t v[][SCN_NKINDS]) {
    uint64_t all = 0, by_k[SCN_NKINDS] = {0};
    int ok = 1;
    char grp[64];
    for (int a = 0; a < s->sc.nagencies; a++) {
        uint64_t sum = 0;
        for (int k = 0; k < SCN_NKINDS; k++) sum += v[a][k], by_k[k] += v[a][k];
        all += sum;
        snprintf(grp, sizeof grp, "agency:%s", s->sc.agencies[a].name);
        ok &= put_at(s, t, metric, grp, (double)sum);
    }
    ok &= put_at(s, t, metric, "all", (double)all);
    for (int k = 0; k < SCN_NKINDS; k++) {
        snprintf(grp, sizeof grp, "kind:%s", scn_kind_name((scn_kind)k));
        ok &= put_at(s, t, metric, grp, (double)by_k[k]);
    }
    return ok;
}

/* records_held: per person by agency, kind and display; per firm in "firms". */
static int put_held(struct sim *s, int t) {
    const struct collect_state *c = &s->collect;
    double P = s->pop->persons ? (double)s->pop->persons : NAN;
    uint64_t all = 0, by_k[SCN_NKINDS] = {0}, shown[2] = {0, 0}, firms = 0;
    int ok = 1;
    char grp[64];
    for (int a = 0; a < s->sc.nagencies; a++) {
        uint64_t sum = 0;
        for (int k = 0; k < SCN_NKINDS; k++) {
            uint64_t v = c->held[0][a][k];
            sum += v, by_k[k] += v, firms += c->held[1][a][k];
            shown[scn_displayed(&s->sc, a, (scn_kind)k)] += v;
        }
        all += sum;
        snprintf(grp, sizeof grp, "agency:%s", s->sc.agencies[a].name);
        ok &= put_at(s, t, M_RECORDS_HELD, grp, (double)sum / P);
    }
    ok &= put_at(s, t, M_RECORDS_HELD, "mean", (double)all / P);
    for (int k = 0; k < SCN_NKINDS; k++) {
        snprintf(grp, sizeof grp, "kind:%s", scn_kind_name((scn_kind)k));
        ok &= put_at(s, t, M_RECORDS_HELD, grp, (double)by_k[k] / P);
    }
    ok &= put_at(s, t, M_RECORDS_HELD, "display:public", (double)shown[1] / P);
    ok &= put_at(s, t, M_RECORDS_HELD, "display:provision", (double)shown[0] / P);
    if (s->pop->firms)
        ok &= put_at(s, t, M_RECORDS_HELD, "firms", (double)firms / (double)s->pop->firms);
    return ok;
}

/* persons_by_records_held at step t (t < 0: the summary): held:0, held:1, held:2,
 * held:3-4, held:5-8, ... up to the largest class in use. Integer sums: the same for any
 * number of threads. */
static int put_distribution(struct sim *s, int t) {
    uint64_t bucket[34] = {0};
    uint32_t maxr = 0;
    const uint32_t *total = s->collect.total;
#pragma omp parallel for reduction(+ : bucket[:34]) reduction(max : maxr) num_threads(s->threads)
    for (uint32_t i = 0; i < s->pop->persons; i++) {
        uint32_t r = total[i];
        int k = r < 2 ? (int)r : 33 - __builtin_clz(r - 1);   /* 2 -> 2, 3-4 -> 3, ... */
        bucket[k]++;
        if (r > maxr) maxr = r;
    }
    int ok = 1;
    for (int k = 0; k < 34; k++) {
        uint64_t lo = k < 2 ? (uint64_t)k : (1ull << (k - 2)) + 1;
        uint64_t hi = k < 2 ? lo : 1ull << (k - 1);
        if (lo > maxr && k > 0) break;
        char grp[48];
        if (lo == hi) snprintf(grp, sizeof grp, "held:%llu", (unsigned long long)lo);
        else snprintf(grp, sizeof grp, "held:%llu-%llu", (unsigned long long)lo,
                      (unsigned long long)hi);
        ok &= put_at(s, t, M_PERSONS_BY_RECORDS_HELD, grp, (double)bucket[k]);
    }
    return ok;
}

int collect_metrics(struct sim *s, int t) {
    struct collect_state *c = &s->collect;
    if (!c->on || t == 0) return 1;
    int ok = put_held(s, t) && put_distribution(s, t);
    ok &= metrics_put(s, t, M_PERSON_MONTHS_HELD, "all", (double)c->person_months);
    ok &= put_ak(s, t, M_RECORDS_EXPIRED, c->step_expired);
    ok &= put_ak(s, t, M_RECORDS_COLLECTED, c->step_added);
    ok &= metrics_put(s, t, M_RECORDS_COLLECTED, "misidentified", (double)c->step_misid);
    return ok;
}

int collect_summary(struct sim *s) {
    struct collect_state *c = &s->collect;
    if (!c->on) return 1;
    int ok = put_held(s, -1) && put_distribution(s, -1);
    ok &= metrics_put_sum(s, M_PERSON_MONTHS_HELD, "all", (double)c->person_months);
    ok &= put_ak(s, -1, M_RECORDS_EXPIRED, c->tot_expired);
    ok &= put_ak(s, -1, M_RECORDS_COLLECTED, c->tot_added);
    ok &= metrics_put_sum(s, M_RECORDS_COLLECTED, "misidentified", (double)c->tot_misid);
    return ok;
}
