/* sim/engine/infer.c - inference attacks beyond a person's own public view (docs/metrics.md,
 * "The inference attack"). The guilt-by-association observer sees only public layers: the
 * names on published lists and, in the points regime, the scores (exposure_public_view), and
 * the family and social tie graph (ties not cut). It ranks every person by its own public
 * status first and, among persons with the same status, by the mean public status of its
 * contacts; inference_auc(guilt_by_association) is that ranking's AUC at telling persons who
 * violated in the run from those who did not. Persons only.
 *
 * The ranking is one 64-bit key per person, (own, assoc) in order-preserving bits with the
 * label in the lowest bit, radix sorted (auc.c), not a comparison sort: 16 bytes a person,
 * the summary's shared buffer (metrics.c), which holds the public statuses (own) in its
 * second half until the sort. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "auc.h"
#include "mem.h"
#include "state.h"

/* (own, assoc, y) as one key: own's 32 bits, assoc's lower 31 (assoc >= 0: its top bit is
 * always set), y. Keys compare as the lexicographic order of (own, assoc); equal >> 1 is a
 * tie. A negative assoc is taken as 0 (the statuses it averages are never negative). */
static uint64_t pack(float own, float assoc, int y) {
    uint32_t a = auc_order_bits(assoc > 0 ? assoc : 0) & 0x7fffffffu;
    return (uint64_t)auc_order_bits(own) << 32 | (uint64_t)a << 1 | (uint64_t)(y != 0);
}

double infer_auc_lex(const infer_pair *v, size_t n) {
    uint64_t *key = malloc((2 * n + 1) * sizeof *key);
    if (!key) return NAN;
    for (size_t i = 0; i < n; i++) key[i] = pack(v[i].own, v[i].assoc, (int)v[i].y);
    double a = auc_of_keys(key, key + n, n, 1);
    free(key);
    return a;
}

double infer_gba_auc(size_t n, const double *own, const uint64_t *off, const uint32_t *adj,
                     const uint8_t *label) {
    infer_pair *v = malloc((n ? n : 1) * sizeof *v);
    if (!v) return NAN;
    for (size_t i = 0; i < n; i++) {
        double sum = 0;
        for (uint64_t e = off[i]; e < off[i + 1]; e++) sum += own[adj[e]];
        uint64_t deg = off[i + 1] - off[i];
        v[i] = (infer_pair){(float)own[i], deg ? (float)(sum / (double)deg) : 0.0f,
                            label[i] != 0};
    }
    double a = infer_auc_lex(v, n);
    free(v);
    return a;
}

/* What the ranking reads of the tie layers, loaded once: the stores to key[] may alias
 * anything reachable through s, so fields read through s would be loaded again for every
 * arc. The family layer, then the social (NULL when disabled), with their cut-tie bits. */
typedef struct view_k {
    const net_t *g[2];
    const uint64_t *cut[2];
    uint32_t persons;
} view_k;

static view_k view_constants(const struct sim *s) {
    const int layers[2] = {LAYER_FAMILY, LAYER_SOCIAL};
    view_k v;
    for (int k = 0; k < 2; k++) v.g[k] = s->layer[layers[k]], v.cut[k] = s->response.cut[layers[k]];
    v.persons = s->pop->persons;
    return v;
}

/* The mean public status of person i's contacts (own[j], filled for every person): live
 * family and social ties (an arc per tie and layer, so a relative who is also a friend
 * counts twice); 0 without contacts. */
static float contacts_view(const view_k *v, const float *own, uint32_t i) {
    double sum = 0;
    uint64_t deg = 0;
    for (int k = 0; k < 2; k++) {
        const net_t *g = v->g[k];
        if (!g) continue;
        const uint64_t *cut = v->cut[k];
        for (uint64_t e = net_begin(g, i), e_end = net_end(g, i); e < e_end; e++) {
            const uint32_t j = g->adj[e];
            if ((cut && (cut[e >> 6] >> (e & 63) & 1)) || j >= v->persons) continue;
            sum += own[j];
            deg++;
        }
    }
    return deg ? (float)(sum / (double)deg) : 0.0f;
}

/* The contacts' views are scattered over own[] (larger than the cache at 10^7 persons):
 * those of the person VIEW_AHEAD ahead are requested before a person is ranked (at 10^7,
 * RSM-1: 0.61 s for the summary's inference without, 0.46 with 4 ahead, 0.41 with 8).
 * Always inline: GCC may drop a call holding only prefetches. */
enum { VIEW_AHEAD = 8 };

__attribute__((always_inline)) static inline void fetch_contacts(const view_k *v,
                                                                 const float *own, uint32_t i) {
    for (int k = 0; k < 2; k++) {
        const net_t *g = v->g[k];
        if (!g) continue;
        for (uint64_t e = net_begin(g, i), e_end = net_end(g, i); e < e_end; e++)
            if (g->adj[e] < v->persons) __builtin_prefetch(&own[g->adj[e]]);
    }
}

int infer_summary(struct sim *s, uint64_t *key) {
    uint32_t P = s->pop->persons;
    float *own = (float *)(key + P);   /* the views, in the radix buffer until the sort */
#pragma omp parallel for schedule(static) num_threads(s->threads)
    for (uint32_t i = 0; i < P; i++) own[i] = (float)exposure_public_view(s, i);
    const view_k v = view_constants(s);
    const int narrow = s->steps16;
    const int16_t *last = s->last_violation;
#pragma omp parallel for schedule(static) num_threads(s->threads)
    for (uint32_t i = 0; i < P; i++) {
        if (i + VIEW_AHEAD < P) fetch_contacts(&v, own, i + VIEW_AHEAD);
        key[i] = pack(own[i], contacts_view(&v, own, i), step_at(narrow, last, i) >= 0);
    }
    double a = auc_of_keys(key, key + P, P, s->threads);
    return metrics_put_sum(s, M_INFERENCE_AUC, "guilt_by_association", a);
}
