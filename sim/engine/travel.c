/* sim/engine/travel.c - travel bans as acts (docs/ODD.md 7.18): a person under a sanction
 * whose `bans` names a mode (flight, rail; only sanctions that a list or a joint row
 * triggers count, arr_travel_bans) attempts trips of that mode at a monthly rate
 * (behaviour.flight_rate, rail_rate) and every one is refused; the refused trips are counted
 * in all and per banning sanction, so the seeds' flight:rail ratio can be checked.
 *
 * At step t >= 1, after the sanctions in force K_i(t) are set (sanction_after), each person
 * i with a sanction of K_i(t) banning mode m attempts N_im(t) ~ Poisson(rate_m) trips of that
 * mode, drawn by inversion of one uniform from the stream (t, i, RNG_TRAVEL + m), which
 * nothing else reads: violations, records, listings and harm are unchanged, and a person's
 * draws do not depend on whether other persons or modes are banned (common random numbers).
 * Firms do not travel. A trip refused under two banning sanctions counts once in `all` and
 * once under each sanction. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "state.h"

int travel_prepare(struct sim *s) {
    if (!arr_alloc(s, ARR_TRAVEL)) return 0;
    s->travel.on = s->travel.acc != NULL;
    travel_derive(s);
    return 1;
}

void travel_free(struct sim *s) { arr_free(s, ARR_TRAVEL); }

uint64_t travel_bytes(const scenario *sc) { return arr_bytes(sc, ARR_TRAVEL); }

void travel_derive(struct sim *s) {
    for (int m = 0; m < SCN_NMODES; m++) s->travel.ban[m] = arr_travel_bans(&s->sc, m);
}

unsigned travel_attempts(double rate, double u) {
    if (!(rate > 0)) return 0;
    double p = exp(-rate), F = p;
    unsigned k = 0;
    while (u >= F && k < 100000) {
        k++;
        p *= rate / k;
        if (p == 0 && k > rate) break;   /* the tail underflowed: u is rounding's */
        F += p;
    }
    return k;
}

/* The persons of block blk at step t: trips under a ban, tallied into the block's acc. */
static void travel_block(struct sim *s, size_t blk, int t) {
    struct travel_state *x = &s->travel;
    travel_acc *ac = &x->acc[blk];
    memset(ac, 0, sizeof *ac);
    uint32_t lo = blk_lo(blk), hi = blk_hi(s, blk), P = s->pop->persons;
    const double rate[SCN_NMODES] = {s->sc.behaviour.flight_rate, s->sc.behaviour.rail_rate};
    if (hi > P) hi = P;
    for (uint32_t i = lo; i < hi; i++) {
        uint32_t m = s->sanction.sanc[i];
        for (int mode = 0; m && mode < SCN_NMODES; mode++) {
            uint32_t bm = m & x->ban[mode];
            if (!bm || !(rate[mode] > 0)) continue;
            rng_stream rs;
            rng_stream_at(&rs, &s->rng, (uint32_t)t, i, RNG_TRAVEL + (uint32_t)mode);
            unsigned n = travel_attempts(rate[mode], rng_uniform(&rs));
            if (!n) continue;
            ac->refused[mode] += n;
            for (; bm; bm &= bm - 1) ac->by[mode][__builtin_ctz(bm)] += n;
        }
    }
}

void travel_step(struct sim *s, int t) {
    struct travel_state *x = &s->travel;
    if (!x->on || !s->sanction.sanc) return;
    memset(x->refused, 0, sizeof x->refused);
    memset(x->by, 0, sizeof x->by);
    if (!x->ban[0] && !x->ban[1]) return;   /* no ban in force at this step */
#pragma omp parallel for schedule(dynamic, 4) num_threads(s->threads)
    for (size_t b = 0; b < s->nblocks; b++) travel_block(s, b, t);
    for (size_t b = 0; b < s->nblocks; b++)
        for (int m = 0; m < SCN_NMODES; m++) {
            x->refused[m] += x->acc[b].refused[m];
            for (int k = 0; k < SCN_MAX_SANCTIONS; k++) x->by[m][k] += x->acc[b].by[m][k];
        }
    for (int m = 0; m < SCN_NMODES; m++) {
        x->tot[m] += x->refused[m];
        for (int k = 0; k < SCN_MAX_SANCTIONS; k++) x->tot_by[m][k] += x->by[m][k];
    }
}

/* The rows of mode m: all, then sanction:NAME for each sanction that bans m now or refused
 * a trip of m (t < 0: the run's totals into the summary). */
static int put_mode(struct sim *s, int t, int m) {
    struct travel_state *x = &s->travel;
    const int metric = m ? M_TRAINS_REFUSED : M_FLIGHTS_REFUSED;
    const uint64_t *by = t < 0 ? x->tot_by[m] : x->by[m];
    char grp[64];
    int ok = t < 0 ? metrics_put_sum(s, metric, "all", (double)x->tot[m])
                   : metrics_put(s, t, metric, "all", (double)x->refused[m]);
    for (int k = 0; k < s->sc.nsanctions; k++) {
        if (!(x->ban[m] & (1u << k)) && by[k] == 0) continue;
        snprintf(grp, sizeof grp, "sanction:%s", s->sc.sanctions[k].name);
        ok &= t < 0 ? metrics_put_sum(s, metric, grp, (double)by[k])
                    : metrics_put(s, t, metric, grp, (double)by[k]);
    }
    return ok;
}

int travel_metrics(struct sim *s, int t) {
    if (!s->travel.on || t <= 0) return 1;
    return put_mode(s, t, 0) & put_mode(s, t, 1);
}

int travel_summary(struct sim *s) {
    if (!s->travel.on) return 1;
    return put_mode(s, -1, 0) & put_mode(s, -1, 1);
}
