/* sim/engine/share_metrics.c - the figures of sharing (sim/engine/share.c): data flows per
 * step, and at the end of the run the bodies holding or able to read data about each person,
 * the pooled profile the receivers can read, and the platform observer's AUC (group
 * membership; the lawful-but-disfavoured activity of chill.c when it is modelled). Emitted
 * only when the scenario shares ([share.*]), so runs without sharing keep exactly their rows.
 * Definitions in docs/metrics.md ("Sharing"). Persons only. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

/* Calls fn for every record held now about a person: its agency a, kind k, count c (records
 * of one step of making) and the bodies it was shared to (0: none). */
typedef void (*visit_fn)(void *ctx, uint32_t i, int a, int k, unsigned c, uint32_t to);

static void each_held(const struct sim *s, visit_fn fn, void *ctx) {
    const struct collect_state *c = &s->collect;
    uint32_t P = s->pop->persons;
    int T = s->t;
    for (int h = 0; h < c->nhold; h++) {
        int len = c->hold_len[h], a = c->hold_agency[h], k = c->hold_kind[h];
        for (int r = 0; c->hold_mode[h] == COLLECT_RING && r < len; r++) {
            int st = T - ((T - r) % len + len) % len;   /* the step row r holds: T-len < st <= T */
            const uint8_t *row = c->ring[h] + (size_t)r * s->n;
            for (uint32_t i = 0; st > 0 && i < P; i++)
                if (row[i]) fn(ctx, i, a, k, row[i], share_to(s, a, k, st, i));
        }
    }
    for (int a = 0; a < s->sc.nagencies; a++)
        for (int k = 0; k < SCN_NKINDS; k++) {
            const collect_queue *q = &c->q[a][k];
            for (uint64_t j = q->head; j < q->n; j++)
                if (q->e[j].agent < P)
                    fn(ctx, q->e[j].agent, a, k, 1, share_to(s, a, k, q->e[j].step, q->e[j].agent));
        }
}

/* Whether notice n (joint punishment) is still held at the end: listed at s, held s .. s+R-1
 * under the listing agency's violation retention R. */
static int told_held(const struct sim *s, const share_told *n) {
    return n->step + scn_retention_of(&s->sc, n->agency, KIND_VIOLATIONS) > s->t;
}

typedef struct hold_ctx { uint32_t *direct; uint64_t *bodies; uint32_t *pooled; } hold_ctx;

static void add_hold(void *ctx, uint32_t i, int a, int k, unsigned c, uint32_t to) {
    hold_ctx *x = ctx;
    (void)k;
    x->direct[i] |= 1u << a;
    if (to) x->bodies[i] |= to, x->pooled[i] += c;
}

typedef struct view_ctx { uint16_t *counts; int body; } view_ctx;

static void add_view(void *ctx, uint32_t i, int a, int k, unsigned c, uint32_t to) {
    view_ctx *x = ctx;
    (void)a;
    uint16_t *v = &x->counts[(size_t)i * SCN_NKINDS + (size_t)k];
    if (to >> x->body & 1) *v = (uint16_t)(*v + c > UINT16_MAX ? UINT16_MAX : *v + c);
}

void share_view(const struct sim *s, int b, uint16_t *counts) {
    view_ctx x = {counts, b};
    memset(counts, 0, (size_t)s->pop->persons * SCN_NKINDS * sizeof *counts);
    each_held(s, add_view, &x);
}

void share_train(const struct sim *s, uint8_t *train) {
    for (uint32_t i = 0; i < s->pop->persons; i++) {
        rng_stream r;
        rng_stream_at(&r, &s->rng, 0, i, RNG_SHARE_TRAIN);
        train[i] = rng_uniform(&r) < 0.2;
    }
}

double share_observer_auc(const uint16_t *counts, int nk, const uint8_t *label,
                          const uint8_t *train, size_t n) {
    double sum[2][SCN_NKINDS] = {{0}}, cls[2] = {0, 0}, w[SCN_NKINDS];
    if (nk > SCN_NKINDS) return NAN;
    for (size_t i = 0; i < n; i++) {
        if (!train[i]) continue;
        cls[label[i] != 0]++;
        for (int k = 0; k < nk; k++) sum[label[i] != 0][k] += counts[i * (size_t)nk + (size_t)k];
    }
    for (int k = 0; k < nk; k++)   /* log rate ratio, rates smoothed by half a record */
        w[k] = log((sum[1][k] + 0.5) / (cls[1] + 1)) - log((sum[0][k] + 0.5) / (cls[0] + 1));
    size_t m = 0;
    double *score = malloc((n ? n : 1) * sizeof *score);
    uint8_t *y = malloc(n ? n : 1);
    if (!score || !y) { free(score), free(y); return NAN; }
    for (size_t i = 0; i < n; i++) {
        if (train[i]) continue;
        double u = 0;
        for (int k = 0; k < nk; k++) u += w[k] * counts[i * (size_t)nk + (size_t)k];
        score[m] = u, y[m++] = label[i] != 0;
    }
    double auc = cls[0] > 0 && cls[1] > 0 ? exposure_auc(score, y, m) : NAN;
    free(score), free(y);
    return auc;
}

/* bodies_per_person and persons_by_bodies from the direct and shared masks. */
static int put_bodies(struct sim *s, const uint32_t *direct, const uint64_t *bodies) {
    uint32_t P = s->pop->persons;
    uint64_t all = 0, dir = 0, shared = 0, by[SHARE_MAX_BODIES + 1] = {0};
    int maxb = 0;
    for (uint32_t i = 0; i < P; i++) {
        uint64_t m = bodies[i] | direct[i];
        int nb = __builtin_popcountll(m);
        all += (uint64_t)nb, by[nb]++;
        dir += (uint64_t)__builtin_popcount(direct[i]);
        shared += (uint64_t)__builtin_popcountll(m & ~(uint64_t)direct[i]);
        if (nb > maxb) maxb = nb;
    }
    double p = P ? (double)P : NAN;
    int ok = metrics_put_sum(s, M_BODIES_PER_PERSON, "mean", (double)all / p);
    ok &= metrics_put_sum(s, M_BODIES_PER_PERSON, "direct", (double)dir / p);
    ok &= metrics_put_sum(s, M_BODIES_PER_PERSON, "shared", (double)shared / p);
    for (int b = 0; b <= maxb; b++) {
        char grp[24];
        snprintf(grp, sizeof grp, "bodies:%d", b);
        ok &= metrics_put_sum(s, M_PERSONS_BY_BODIES, grp, (double)by[b]);
    }
    return ok;
}

/* pooled_profile body:B, platform_auc group:B and (when the lawful-but-disfavoured activity
 * is modelled) platform_auc lawful:B for each receiving agency B. */
static int put_observers(struct sim *s) {
    uint32_t P = s->pop->persons;
    uint16_t *cnt = malloc(((size_t)P * SCN_NKINDS + 1) * sizeof *cnt);
    uint8_t *train = malloc((size_t)P + 1), *label = malloc((size_t)P + 1);
    uint8_t *acted = s->chill.on ? malloc((size_t)P + 1) : NULL;
    int ok = cnt && train && label && (acted || !s->chill.on);
    if (ok) share_train(s, train);
    for (uint32_t i = 0; ok && i < P; i++) label[i] = s->pop->group[i] != 0;
    for (uint32_t i = 0; ok && acted && i < P; i++) acted[i] = (uint8_t)chill_acted(s, i);
    for (int b = 0; ok && b < s->sc.nagencies; b++) {
        if (!(s->share.receivers >> b & 1)) continue;
        char grp[64];
        share_view(s, b, cnt);
        uint64_t sum = 0;
        for (size_t j = 0; j < (size_t)P * SCN_NKINDS; j++) sum += cnt[j];
        snprintf(grp, sizeof grp, "body:%s", s->share.body[b]);
        ok &= metrics_put_sum(s, M_POOLED_PROFILE, grp, P ? (double)sum / P : NAN);
        snprintf(grp, sizeof grp, "group:%s", s->share.body[b]);
        ok &= metrics_put_sum(s, M_PLATFORM_AUC, grp,
                              share_observer_auc(cnt, SCN_NKINDS, label, train, P));
        if (!acted) continue;
        snprintf(grp, sizeof grp, "lawful:%s", s->share.body[b]);
        ok &= metrics_put_sum(s, M_PLATFORM_AUC, grp,
                              share_observer_auc(cnt, SCN_NKINDS, acted, train, P));
    }
    free(cnt), free(train), free(label), free(acted);
    return ok;
}

static int put_flows(struct sim *s, int t, const uint64_t *flows, uint64_t joint) {
    uint64_t all = joint;
    int ok = 1;
    char grp[64];
    for (int a = 0; a < s->sc.nagencies; a++) {
        all += flows[a];
        int sends = 0;
        for (int e = 0; e < s->share.nepoch; e++) sends |= s->share.epoch[e].to[a] != 0;
        if (!sends) continue;
        snprintf(grp, sizeof grp, "agency:%s", s->sc.agencies[a].name);
        ok &= t < 0 ? metrics_put_sum(s, M_DATA_FLOWS, grp, (double)flows[a])
                    : metrics_put(s, t, M_DATA_FLOWS, grp, (double)flows[a]);
    }
    ok &= t < 0 ? metrics_put_sum(s, M_DATA_FLOWS, "joint", (double)joint)
                : metrics_put(s, t, M_DATA_FLOWS, "joint", (double)joint);
    if (s->commercial.on && s->sc.commercial.feeds_state > 0) {   /* commercial.c (7.22) */
        uint64_t com = t < 0 ? s->commercial.tot.flows : s->commercial.step.flows;
        all += com;
        ok &= t < 0 ? metrics_put_sum(s, M_DATA_FLOWS, "commercial", (double)com)
                    : metrics_put(s, t, M_DATA_FLOWS, "commercial", (double)com);
    }
    ok &= t < 0 ? metrics_put_sum(s, M_DATA_FLOWS, "all", (double)all)
                : metrics_put(s, t, M_DATA_FLOWS, "all", (double)all);
    return ok;
}

int share_metrics(struct sim *s, int t) {
    if (!s->share.on || t == 0) return 1;
    return put_flows(s, t, s->share.step_flows, s->share.step_joint);
}

int share_summary(struct sim *s) {
    if (!s->share.on) return 1;
    uint32_t P = s->pop->persons;
    hold_ctx x = {calloc((size_t)P + 1, sizeof *x.direct), calloc((size_t)P + 1, sizeof *x.bodies),
                  calloc((size_t)P + 1, sizeof *x.pooled)};
    int ok = x.direct && x.bodies && x.pooled;
    if (ok) each_held(s, add_hold, &x);
    for (uint64_t n = 0; ok && n < s->share.ntold; n++)
        if (told_held(s, &s->share.told[n])) x.bodies[s->share.told[n].agent] |= s->share.told[n].bodies;
    uint64_t pooled = 0;
    for (uint32_t i = 0; ok && i < P; i++) pooled += x.pooled[i];
    if (ok) ok = put_bodies(s, x.direct, x.bodies);
    if (ok) ok = metrics_put_sum(s, M_POOLED_PROFILE, "mean", P ? (double)pooled / P : NAN);
    free(x.direct), free(x.bodies), free(x.pooled);
    return ok && put_observers(s) && put_flows(s, -1, s->share.tot_flows, s->share.tot_joint);
}
