/* sim/exposure.c - end-of-run disparity between groups and privacy exposure of persons.
 *
 * Disparity: for each group g, the share of its persons ever blacklisted and ever wrongly
 * blacklisted, and the ratio of each share to group 0's (docs/results.md).
 * Privacy: records held per person, how many agencies hold a record about a person, persons
 * ever named publicly by a sanction with public = true (and of those, the ones named while
 * they had no own true violation in the look-back window), and third-party processing: persons
 * whose list status or score changed through data about someone else (a misattributed
 * record, a spillover listing, or points lost to listed contacts). Persons only. */
#include <math.h>
#include <stdio.h>

#include "state.h"

static int put(struct sim *s, const char *name, const char *grp, double v) {
    return res_add_summary(s->res, res_label(s->res, name), res_label(s->res, grp), v);
}

static int put_disparity(struct sim *s) {
    uint64_t n[SCN_MAX_GROUPS] = {0}, ever[SCN_MAX_GROUPS] = {0}, wrong[SCN_MAX_GROUPS] = {0};
    for (uint32_t i = 0; i < s->pop->persons; i++) {
        int g = s->pop->group[i];
        n[g]++;
        ever[g] += (s->status[i] & ST_EVER_BLACK) != 0;
        wrong[g] += (s->status[i] & ST_EVER_WRONG) != 0;
    }
    double e0 = n[0] ? (double)ever[0] / n[0] : NAN, w0 = n[0] ? (double)wrong[0] / n[0] : NAN;
    int ok = 1;
    for (int g = 0; g < s->sc.population.groups; g++) {
        char grp[24];
        snprintf(grp, sizeof grp, "group:%d", g);
        double e = n[g] ? (double)ever[g] / n[g] : NAN, w = n[g] ? (double)wrong[g] / n[g] : NAN;
        ok &= put(s, "ever_listed_rate", grp, e);
        ok &= put(s, "ever_wrongly_listed_rate", grp, w);
        ok &= put(s, "rate_ratio.ever_listed", grp, e0 > 0 ? e / e0 : NAN);
        ok &= put(s, "rate_ratio.ever_wrongly_listed", grp, w0 > 0 ? w / w0 : NAN);
    }
    return ok;
}

static int put_privacy(struct sim *s) {
    uint64_t P = s->pop->persons, recs = 0, with = 0, maxr = 0, agencies = 0, third = 0;
    uint64_t named = 0, named_wrong = 0, by_k[SCN_MAX_AGENCIES + 1] = {0};
    for (uint32_t i = 0; i < P; i++) {
        uint64_t r = s->rec_total[i];
        int k = __builtin_popcount(s->rec_agencies[i]);
        recs += r, with += r > 0, agencies += (uint64_t)k, by_k[k]++;
        if (r > maxr) maxr = r;
        third += (s->status[i] & ST_EVER_THIRD) != 0;
        if (s->named) named += s->named[i] & 1, named_wrong += (s->named[i] >> 1) & 1;
    }
    double p = P ? (double)P : NAN;
    int ok = put(s, "records_per_person", "mean", (double)recs / p);
    ok &= put(s, "records_per_person", "max", (double)maxr);
    ok &= put(s, "persons_with_records", "all", (double)with);
    ok &= put(s, "agencies_per_person", "mean", (double)agencies / p);
    for (int k = 0; k <= s->sc.nagencies; k++) {
        char grp[24];
        snprintf(grp, sizeof grp, "agencies:%d", k);
        ok &= put(s, "persons_by_agencies_holding_records", grp, (double)by_k[k]);
    }
    ok &= put(s, "named_publicly", "all", (double)named);
    ok &= put(s, "named_publicly", "wrongly", (double)named_wrong);
    ok &= put(s, "third_party_processing", "all", (double)third);
    return ok;
}

int exposure_summary(struct sim *s) { return put_disparity(s) && put_privacy(s); }
