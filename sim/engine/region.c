/* sim/engine/region.c - regional pilots (docs/ODD.md 7.21): the figures that set a pilot's
 * regions beside the rest. Which agents an agency, a spillover rule, a sanction or a
 * collection source acts on is decided where each acts (agency.c cov_mult, policy.c,
 * sanction.c give, collect.c rates) from the region_mask the scenario resolved from its
 * `regions` key; here only the results are split by region.
 *
 * Tallies: violations and counterfactual violations by the violator's region are counted
 * by the blocks (agency.c, into acc.viol_region and acc.viol_cf_region) and folded in block
 * order with the other accumulators (metrics.c); records by the target's region are counted
 * serially when records are applied (agency_apply_records); blacklisted agents by region at
 * the end of each step are the dense pass's acc.black_region. So every figure is the same
 * for any number of threads. */
#include <stdio.h>

#include "state.h"

void region_step(struct sim *s, const acc *a) {
    struct region_state *x = &s->region;
    for (int r = 0; r < s->sc.population.regions; r++) {
        x->violations[r] += a->viol_region[r];
        x->violations_cf[r] += a->viol_cf_region[r];
        x->black_steps[r] += a->black_region[r];
    }
}

/* Agents (persons and firms) of region r. */
static uint64_t agents_of(const struct sim *s, int r) {
    const pop_t *p = s->pop;
    return (uint64_t)(p->region_first[0][r + 1] - p->region_first[0][r]) +
           (p->region_first[1][r + 1] - p->region_first[1][r]);
}

int region_summary(struct sim *s) {
    const struct region_state *x = &s->region;
    int R = s->sc.population.regions, ok = 1;
    uint64_t ever[SCN_MAX_REGIONS] = {0};
    for (uint32_t i = 0; i < s->n; i++) ever[s->pop->region[i]] += (s->status[i] & ST_EVER_BLACK) != 0;
    for (int r = 0; r < R; r++) {
        char grp[24];
        snprintf(grp, sizeof grp, "region:%d", r);
        double n = (double)agents_of(s, r), steps = s->t > 0 ? (double)s->t : 1;
        ok &= metrics_put_sum(s, M_REGION_AGENTS, grp, n);
        ok &= metrics_put_sum(s, M_REGION_VIOLATIONS, grp, (double)x->violations[r]);
        ok &= metrics_put_sum(s, M_REGION_VIOLATIONS_PREVENTED, grp,
                              (double)x->violations_cf[r] - (double)x->violations[r]);
        ok &= metrics_put_sum(s, M_REGION_RECORDS, grp, (double)x->records[r]);
        ok &= metrics_put_sum(s, M_REGION_LISTED_SHARE, grp,
                              n > 0 ? (double)x->black_steps[r] / (n * steps) : 0);
        ok &= metrics_put_sum(s, M_REGION_EVER_LISTED_RATE, grp, n > 0 ? (double)ever[r] / n : 0);
    }
    return ok;
}
