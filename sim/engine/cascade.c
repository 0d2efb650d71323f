/* sim/engine/cascade.c - every blacklisting belongs to a cascade tree rooted in a listing that
 * did not come from a neighbour (an own, false or misattributed record, a seed, or additive
 * score spillover, which has no single source). A threshold, inherit or probabilistic
 * listing joins the cascade of its source's current (or last) blacklisting, one level
 * deeper. Bookkeeping runs in the serial phase after each step, in block order, so cascade
 * ids and sizes do not depend on threads. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "state.h"

int cascade_prepare(struct sim *s) {
    if (!arr_alloc(s, ARR_CASCADE)) return 0;
    for (uint32_t i = 0; s->casc.cid && i < s->n; i++) s->casc.cid[i] = SIM_NONE;
    return 1;
}

void cascade_free(struct sim *s) {
    struct cascade_state *c = &s->casc;
    free(c->root_cause), free(c->size), free(c->max_depth);
    c->root_cause = NULL, c->size = NULL, c->max_depth = NULL;
    arr_free(s, ARR_CASCADE);
}

uint64_t cascade_bytes(const scenario *sc) { return arr_bytes(sc, ARR_CASCADE); }

static int new_cascade(struct sim *s, uint8_t cause) {
    struct cascade_state *c = &s->casc;
    uint64_t cap = c->cap, need = c->n + 1;
    if (!vec_reserve((void **)&c->root_cause, &cap, need, sizeof *c->root_cause)) return 0;
    cap = c->cap;
    if (!vec_reserve((void **)&c->size, &cap, need, sizeof *c->size)) return 0;
    cap = c->cap;
    if (!vec_reserve((void **)&c->max_depth, &cap, need, sizeof *c->max_depth)) return 0;
    c->cap = cap;
    c->root_cause[c->n] = cause;
    c->size[c->n] = 0;
    c->max_depth[c->n] = 0;
    c->n++;
    return 1;
}

int cascade_cause(const struct sim *s, uint32_t i) {
    return s->cause[i] < SIM_NCAUSES ? s->cause[i] : 0;
}

void cascade_roots(struct sim *s, const uint64_t *roots) {
    for (int c = 0; c < SIM_NCAUSES; c++) {
        s->casc.n += roots[c];
        s->casc.roots[c] += roots[c];
        s->casc.at_depth[0] += roots[c];
    }
}

int cascade_record(struct sim *s, uint32_t i) {
    const int cause = cascade_cause(s, i);
    if (!s->casc.cid) {   /* no rule lists from one source: a lone root */
        uint64_t one[SIM_NCAUSES] = {0};
        one[cause] = 1;
        cascade_roots(s, one);
        return 1;
    }
    uint32_t src = s->source[i];
    if (s->cause[i] == CAUSE_SPILL && src != SIM_NONE && s->casc.cid[src] != SIM_NONE) {
        uint32_t id = s->casc.cid[src];
        uint16_t d = s->casc.depth[src] < UINT16_MAX ? (uint16_t)(s->casc.depth[src] + 1)
                                                     : UINT16_MAX;
        s->casc.cid[i] = id;
        s->casc.depth[i] = d;
        s->casc.size[id]++;
        if (d > s->casc.max_depth[id]) s->casc.max_depth[id] = d;
        s->casc.at_depth[d < 63 ? d : 63]++;
        return 1;
    }
    if (s->casc.n >= SIM_NONE || !new_cascade(s, s->cause[i])) return 0;
    s->casc.roots[cause]++;
    s->casc.cid[i] = (uint32_t)(s->casc.n - 1);
    s->casc.depth[i] = 0;
    s->casc.size[s->casc.cid[i]] = 1;
    s->casc.at_depth[0]++;
    return 1;
}


/* Cascades by size class 1, 2, 3-4, 5-8, ... (powers of two), as "size:LO-HI". */
static int put_sizes(struct sim *s) {
    uint64_t count[64] = {0};
    for (uint64_t c = 0; s->casc.size && c < s->casc.n; c++) {
        int k = 0;
        while ((1ull << k) < s->casc.size[c]) k++;
        count[k]++;
    }
    if (!s->casc.cid) count[0] = s->casc.n;   /* lone roots: size 1 each */
    int ok = 1;
    for (int k = 0; k < 64; k++) {
        if (!count[k]) continue;
        char grp[48];
        uint64_t lo = k ? (1ull << (k - 1)) + 1 : 1, hi = 1ull << k;
        if (lo == hi) snprintf(grp, sizeof grp, "size:%llu", (unsigned long long)lo);
        else snprintf(grp, sizeof grp, "size:%llu-%llu", (unsigned long long)lo,
                      (unsigned long long)hi);
        ok &= metrics_put_sum(s, M_CASCADES, grp, (double)count[k]);
    }
    return ok;
}

int cascade_summary(struct sim *s) {
    const uint64_t *by_root = s->casc.roots;
    uint64_t largest = 0, deepest = 0, multi = 0;
    uint64_t listings_by_root[SIM_NCAUSES] = {0}, listings = 0;
    for (uint64_t c = 0; s->casc.size && c < s->casc.n; c++) {
        int root = s->casc.root_cause[c] < SIM_NCAUSES ? s->casc.root_cause[c] : 0;
        if (s->casc.size[c] > largest) largest = s->casc.size[c];
        if (s->casc.max_depth[c] > deepest) deepest = s->casc.max_depth[c];
        listings_by_root[root] += s->casc.size[c];
        listings += s->casc.size[c];
        multi += s->casc.size[c] > 1;
    }
    if (!s->casc.cid) {   /* lone roots: one listing each */
        largest = s->casc.n > 0;
        listings = s->casc.n;
        for (int c = 0; c < SIM_NCAUSES; c++) listings_by_root[c] = by_root[c];
    }
    int ok = metrics_put_sum(s, M_CASCADES, "all", (double)s->casc.n);
    ok &= metrics_put_sum(s, M_CASCADES, "size:>1", (double)multi);
    for (int c = 1; c < SIM_NCAUSES; c++) {
        char grp[40];
        snprintf(grp, sizeof grp, "root:%s", res_cause_name(c));
        ok &= metrics_put_sum(s, M_CASCADES, grp, (double)by_root[c]);
    }
    ok &= metrics_put_sum(s, M_CASCADE_LARGEST, "all", (double)largest);
    ok &= metrics_put_sum(s, M_CASCADE_DEPTH_MAX, "all", (double)deepest);
    for (int c = 1; c < SIM_NCAUSES; c++) {
        char grp[40];
        snprintf(grp, sizeof grp, "root:%s", res_cause_name(c));
        ok &= metrics_put_sum(s, M_LISTINGS_BY_ROOT, grp, (double)listings_by_root[c]);
    }
    for (int d = 0; d < 64; d++) {
        if (!s->casc.at_depth[d]) continue;
        char grp[40];
        snprintf(grp, sizeof grp, d < 63 ? "depth:%d" : "depth:%d+", d);
        ok &= metrics_put_sum(s, M_LISTINGS_BY_DEPTH, grp, (double)s->casc.at_depth[d]);
    }
    double nl = listings ? (double)listings : NAN, nc = s->casc.n ? (double)s->casc.n : NAN;
    ok &= metrics_put_sum(s, M_SPILLOVER_SHARE, "listings",
                          (double)(listings - s->casc.at_depth[0]) / nl);
    ok &= metrics_put_sum(s, M_ERROR_ROOTED_SHARE, "cascades",
              (double)(by_root[CAUSE_FALSE] + by_root[CAUSE_MISATTR]) / nc);
    ok &= metrics_put_sum(s, M_ERROR_ROOTED_SHARE, "listings",
              (double)(listings_by_root[CAUSE_FALSE] + listings_by_root[CAUSE_MISATTR]) / nl);
    return ok && put_sizes(s);
}
