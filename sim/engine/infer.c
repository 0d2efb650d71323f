/* sim/engine/infer.c - inference attacks beyond a person's own public view (docs/metrics.md,
 * "The inference attack"). The guilt-by-association observer sees only public layers: the
 * names on published lists and, in the points regime, the scores (exposure_public_view), and
 * the family and social tie graph (ties not cut). It ranks every person by its own public
 * status first and, among persons with the same status, by the mean public status of its
 * contacts; inference_auc(guilt_by_association) is that ranking's AUC at telling persons who
 * violated in the run from those who did not. Persons only. */
#include <math.h>
#include <stdlib.h>

#include "state.h"

static int cmp_pair(const void *a, const void *b) {
    const infer_pair *x = a, *y = b;
    if (x->own != y->own) return (x->own > y->own) - (x->own < y->own);
    return (x->assoc > y->assoc) - (x->assoc < y->assoc);
}

/* Mann-Whitney over the sorted entries: ties (equal in both keys) count one half. */
double infer_auc_lex(infer_pair *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_pair);
    double pos = 0, rank_sum = 0;
    for (size_t k = 0; k < n;) {
        size_t e = k;
        while (e < n && cmp_pair(&v[e], &v[k]) == 0) e++;
        double mid = (double)(k + e + 1) / 2;   /* ranks k+1 .. e, averaged */
        for (size_t j = k; j < e; j++)
            if (v[j].y) pos++, rank_sum += mid;
        k = e;
    }
    double neg = (double)n - pos;
    if (pos == 0 || neg == 0) return NAN;
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
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

/* The mean public status of person i's contacts: live family and social ties (an arc per
 * tie and layer, so a relative who is also a friend counts twice); 0 without contacts. */
static double contacts_view(const struct sim *s, uint32_t i) {
    const int layers[2] = {LAYER_FAMILY, LAYER_SOCIAL};
    double sum = 0;
    uint64_t deg = 0;
    for (int k = 0; k < 2; k++) {
        const net_t *g = s->layer[layers[k]];
        if (!g) continue;
        for (uint64_t e = g->off[i]; e < g->off[i + 1]; e++) {
            if (arc_cut(s, layers[k], e)) continue;
            sum += exposure_public_view(s, g->adj[e]);
            deg++;
        }
    }
    return deg ? sum / (double)deg : 0;
}

int infer_summary(struct sim *s) {
    uint32_t P = s->pop->persons;
    infer_pair *v = malloc((P ? P : 1) * sizeof *v);
    if (!v) return 0;
    for (uint32_t i = 0; i < P; i++)
        v[i] = (infer_pair){(float)exposure_public_view(s, i), (float)contacts_view(s, i),
                            s->last_violation[i] >= 0};
    int ok = metrics_put_sum(s, M_INFERENCE_AUC, "guilt_by_association", infer_auc_lex(v, P));
    free(v);
    return ok;
}
