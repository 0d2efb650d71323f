/* sim/engine/severity.c - severity tiers: the tier of an agency's records decides their
 * deduction, whether they list, the term and the credit-repair display period of the
 * blacklisting they cause and the sanctions it triggers; and the benefit figures weighted by
 * severity. Contracts in severity.h; docs/ODD.md 7.20, docs/metrics.md. */
#include <math.h>
#include <stdio.h>

#include "severity.h"
#include "state.h"

const scn_severity *sev_tier(const scenario *sc, int a) {
    return &sc->tiers[sc->agencies[a].tier];
}

double sev_weight(const scenario *sc, int a) { return sev_tier(sc, a)->weight; }

double sev_deduction(const scenario *sc, int a) {
    double d = sev_tier(sc, a)->deduction;
    return d >= 0 ? d : sc->agencies[a].deduction;
}

int sev_lists(const scenario *sc, int a) { return sev_tier(sc, a)->lists; }

int sev_term(const scenario *sc, int list, int a) {
    if (list == LIST_WATCH) return sc->lists.watch_term;
    if (list == LIST_RED) return sc->lists.red_term;
    if (a < 0) return sc->lists.black_term;
    /* per-agency lists (ODD 7.19): an agency's own black_term, where set, comes first */
    if (sc->agencies[a].black_term >= 0) return sc->agencies[a].black_term;
    int tier = sev_tier(sc, a)->black_term;
    return tier > 0 ? tier : sc->lists.black_term;
}

int sev_repair_after(const scenario *sc, int a) {
    int r = a >= 0 ? sev_tier(sc, a)->repair_after : -1;
    return r >= 0 ? r : sc->redress.repair_after;
}

uint32_t sev_sanctions(const scenario *sc, int a) { return sev_tier(sc, a)->sanction_mask; }

int sev_sanctions_any(const scenario *sc) {
    for (int a = 0; a < sc->nagencies; a++)
        if (sev_sanctions(sc, a)) return 1;
    return 0;
}

double sev_weighted(const scenario *sc, const uint64_t *count) {
    double sum = 0;
    for (int a = 0; a < sc->nagencies; a++) sum += sev_weight(sc, a) * (double)count[a];
    return sum;
}

/* Metric id's "all" row and its agency:A rows, weight x count[a] each. */
static int put_by_agency(struct sim *s, int t, int id, const uint64_t *count,
                         const uint64_t *minus) {
    const scenario *sc = &s->sc;
    uint64_t net[SCN_MAX_AGENCIES];
    for (int a = 0; a < sc->nagencies; a++) net[a] = count[a] - (minus ? minus[a] : 0);
    int ok = t < 0 ? metrics_put_sum(s, id, "all", sev_weighted(sc, net))
                   : metrics_put(s, t, id, "all", sev_weighted(sc, net));
    for (int a = 0; a < sc->nagencies; a++) {
        char grp[48];
        double v = sev_weight(sc, a) * (double)net[a];
        snprintf(grp, sizeof grp, "agency:%s", sc->agencies[a].name);
        ok &= t < 0 ? metrics_put_sum(s, id, grp, v) : metrics_put(s, t, id, grp, v);
    }
    return ok;
}

int sev_metrics(struct sim *s, int t, const uint64_t *viol, const uint64_t *cf,
                const uint64_t *rec, uint64_t wrong) {
    int ok = put_by_agency(s, t, M_VIOLATIONS_WEIGHTED, viol, NULL);
    ok &= put_by_agency(s, t, M_VIOLATIONS_PREVENTED_WEIGHTED, cf, viol);
    ok &= put_by_agency(s, t, M_DETECTED_WEIGHTED, rec, NULL);
    if (t >= 0) return ok;
    uint64_t net[SCN_MAX_AGENCIES];
    for (int a = 0; a < s->sc.nagencies; a++) net[a] = cf[a] - viol[a];
    double prevented = sev_weighted(&s->sc, net);
    ok &= metrics_put_sum(s, M_VIOLATIONS_COUNTERFACTUAL_WEIGHTED, "all",
                          sev_weighted(&s->sc, cf));
    ok &= metrics_put_sum(s, M_PREVENTED_WEIGHTED_PER_WRONGFUL_LISTING, "all",
                          wrong ? prevented / (double)wrong : NAN);
    return ok;
}
