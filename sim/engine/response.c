/* sim/engine/response.c - behavioural responses to listings that cut ties: ostracism and
 * firm health (scenario section [behaviour]; docs/ODD.md 7.13, 7.14). Called from
 * sanction_after (sim/engine/sanction.c), whose sanctions set them off.
 *
 * Ostracism: each step, each tie on the chosen undirected layers between a blacklisted agent
 * j and a neighbour is cut with probability `ostracism` (one draw per live arc of j, stream
 * (t, j, RNG_OSTRACISM + layer), agents in id order). A cut tie no longer counts for
 * spillover (neighbour counts and degrees) or for reach along that layer. Firm health: a
 * firm's revenue share h follows h <- clamp(h + firm_recovery (1 - h) - sum of `revenue` of
 * its sanctions - partner_loss * partner ties cut this step, 0, 1); below fail_below it fails
 * for good: its employment ties are cut and each employee bears job_loss harm once. */
#include <stdlib.h>

#include "state.h"

int response_prepare(struct sim *s) {
    struct response_state *x = &s->response;
    if (!arr_alloc(s, ARR_RESPONSE)) return 0;
    for (uint32_t f = 0; x->health && f < s->pop->firms; f++) x->health[f] = 1.0f;
    for (int l = 0; l < SCN_NLAYERS; l++)   /* bit per arc: not a per-agent array */
        if (x->ncut[l] && s->layer[l] &&
            !(x->cut[l] = calloc((s->layer[l]->m + 63) / 64 + 1, 8)))
            return 0;
    return 1;
}

void response_free(struct sim *s) {
    for (int l = 0; l < SCN_NLAYERS; l++) free(s->response.cut[l]), s->response.cut[l] = NULL;
    arr_free(s, ARR_RESPONSE);
}

uint64_t response_bytes(const scenario *sc) {
    double bits = 0;   /* the cut-tie bitsets: a bit per arc of each layer whose ties are cut */
    for (int l = 0; l < SCN_NLAYERS; l++)
        if (sc->layers[l].enabled && (arr_cut_layers(sc) >> l & 1))
            bits += arr_layer_arcs(sc, (scn_layer_id)l) + 128;
    return arr_bytes(sc, ARR_RESPONSE) + (uint64_t)(bits / 8);
}

/* ---- ostracism and cut ties ------------------------------------------------------------ */

static uint64_t find_arc(const net_t *g, uint32_t i, uint32_t j) {
    uint64_t lo = net_begin(g, i), hi = net_end(g, i);
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (g->adj[mid] < j) lo = mid + 1; else hi = mid;
    }
    return lo;
}

/* Cuts the undirected tie of arc e (j -> i) of layer l in both directions and takes it out of
 * the spillover counts. Returns the neighbour i. */
static uint32_t cut_tie(struct sim *s, int l, uint32_t j, uint64_t e) {
    const net_t *g = s->layer[l];
    uint32_t i = g->adj[e];
    uint64_t back = find_arc(g, i, j);
    s->response.cut[l][e >> 6] |= 1ull << (e & 63);
    s->response.cut[l][back >> 6] |= 1ull << (back & 63);
    s->response.ncut[l][i]++, s->response.ncut[l][j]++;
    event_mark(s, i), event_mark(s, j);   /* counts and degrees change (event.c) */
    for (int r = 0; r < s->sc.nrules; r++) {
        const scn_rule *rule = &s->sc.rules[r];
        if ((int)rule->layer != l || rule->kind == RULE_PROBABILISTIC) continue;
        uint8_t bit = st_bit(rule->from);
        if (s->status[j] & bit) s->policy.cnt[r][i]--;
        if (s->status[i] & bit) s->policy.cnt[r][j]--;
    }
    return i;
}

void response_ostracism(struct sim *s, int t) {
    const scn_behaviour *b = &s->sc.behaviour;
    uint32_t P = s->pop->persons;
    for (int l = 0; l < SCN_NLAYERS; l++) {
        const net_t *g = s->layer[l];
        if (!(b->layer_mask & (1u << l)) || !g || !s->response.cut[l]) continue;
        for (uint32_t j = 0; j < s->n; j++) {
            if (!(s->status[j] & ST_BLACK) || s->response.ncut[l][j] == net_degree(g, j)) continue;
            rng_stream rs;
            rng_stream_at(&rs, &s->rng, (uint32_t)t, j, RNG_OSTRACISM + (uint32_t)l);
            for (uint64_t e = net_begin(g, j), e_end = net_end(g, j); e < e_end; e++) {
                if (arc_cut(s, l, e) || !(rng_uniform(&rs) < b->ostracism)) continue;
                uint32_t i = cut_tie(s, l, j, e);
                s->ties_cut[l]++;
                if (l == LAYER_PARTNER && s->response.pcut) {
                    if (s->response.pcut[i - P] < UINT16_MAX) s->response.pcut[i - P]++;
                    if (s->response.pcut[j - P] < UINT16_MAX) s->response.pcut[j - P]++;
                }
            }
        }
    }
}

/* A failed firm's employment ties are cut; each employee bears job_loss once. */
static void fail_firm(struct sim *s, uint32_t f, int t) {
    const net_t *g = s->layer[LAYER_EMPLOYMENT];
    s->status[f] |= ST_FAILED;
    s->blk[f / SIM_BLOCK].a.failed++;
    if (!g || !s->response.cut[LAYER_EMPLOYMENT]) return;
    for (uint64_t e = net_begin(g, f), e_end = net_end(g, f); e < e_end; e++) {
        if (arc_cut(s, LAYER_EMPLOYMENT, e)) continue;
        uint32_t j = cut_tie(s, LAYER_EMPLOYMENT, f, e);
        double h = s->sc.behaviour.job_loss;
        acc *a = &s->blk[j / SIM_BLOCK].a;
        int innocent = sim_wrongful(s, j, t);
        a->harm[acc_slot(s, j)] += h;
        a->harm_reached += h;   /* through the employer's failure */
        if (innocent) a->harm_innocent += h; else a->harm_violators += h;
        if (s->sanction.harm) s->sanction.harm[j] += (float)h;
        s->jobs_lost++;
    }
}

void response_firm_health(struct sim *s, int t) {
    const scn_behaviour *b = &s->sc.behaviour;
    uint32_t P = s->pop->persons;
    for (uint32_t f = 0; f < s->pop->firms; f++) {
        uint32_t i = P + f;
        if (s->status[i] & ST_FAILED) continue;
        double loss = 0;
        if (s->sanction.sanc)
            for (uint32_t m = s->sanction.sanc[i] & s->sanction.revenue_mask; m; m &= m - 1)
                loss += s->sc.sanctions[__builtin_ctz(m)].revenue;
        double h = s->response.health[f];
        h += b->firm_recovery * (1 - h) - loss - b->partner_loss * s->response.pcut[f];
        s->response.health[f] = (float)(h < 0 ? 0 : h > 1 ? 1 : h);
        s->response.pcut[f] = 0;
        if (s->response.health[f] < b->fail_below) fail_firm(s, i, t);
    }
}
