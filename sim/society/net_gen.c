/* sim/society/net_gen.c - the layer generators: Erdos-Renyi, Watts-Strogatz and stochastic
 * block model (the configuration model is in net_config.c). Each cuts its work into units
 * and hands them to net_build_new() (net_build.c, which describes the two passes and why the
 * result does not depend on the thread count); the shared pieces are declared in
 * net_build.h.
 *
 * ER: each unit is a block of rows v of the lower triangle (pairs w < v), visited by
 * geometric skipping (Batagelj & Brandes 2005): O(rows + ties) per unit.
 *
 * WS: agent v owns its h = k/2 ties to v+1..v+h (mod count). With probability rewire a
 * tie's far end becomes a uniform agent w that is not within ring distance h of v (so never
 * v or a lattice partner, whether or not that lattice tie survives) and not another of v's
 * current far ends (drawn per block of agents, in parallel). A pair that both ends rewired
 * to each other would be one tie twice; a pass in ascending v redraws the larger end's far
 * end (from v's second stream), now also avoiding agents whose far ends include v (the
 * agents that have such a pair are found first, in parallel: ws_unmutual).
 * Every tie survives, so the degree sum is exactly count * 2h. h is capped at (count-1)/2,
 * and when no agent qualifies (tiny rings) the tie keeps its lattice far end.
 *
 * SBM: block = (region, group). A pair of members falls in one of four classes: same region
 * and same group (SS), same region only (SR), same group only (SG), neither (NN). Targets, as
 * shares of an agent's ties (region and group independent otherwise):
 *     s_SS = hr hg,  s_SR = hr (1 - hg),  s_SG = (1 - hr) hg,  s_NN = (1 - hr)(1 - hg).
 * With P_c the number of member pairs in class c, every pair of class c is tied with
 *     p_c = s_c * count * z / (2 P_c),
 * so the expected number of ties in class c is s_c * count * z / 2: mean degree z and the
 * shares hr, hg hold in expectation for any block sizes, and for each agent when blocks are
 * of equal size (then every agent has P_c * 2 / count partners in class c). When only one
 * region has members, hr is irrelevant (every tie is within the region) and is taken as 1;
 * likewise hg for one group. A class with no pairs gets no ties and the other shares are
 * rescaled to sum to 1; it is an error if none is left, or if some p_c exceeds 1. Each block
 * pair (a <= b) is drawn by skipping, per unit of ROWS_PER_UNIT rows of block a. Cost
 * O(count + m + B^2) for B non-empty blocks. */
#include "net_build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { ROWS_PER_UNIT = NET_ROWS_PER_UNIT, WS_TRIES = 4096 };
static const uint64_t SUB_STREAM = NET_SUB_STREAM;

/* --- geometric skipping --------------------------------------------------------------- */

/* 1 / log(1 - p) for p in (0, 1); 0 stands for p = 1 (no gaps). */
static double inv_log_q(double p) { return p >= 1.0 ? 0.0 : 1.0 / log1p(-p); }

/* Failures before the next success of Bernoulli(p) trials, capped at 2^50. */
static inline uint64_t next_gap(rng_stream *s, double inv) {
    if (inv == 0.0) return 0;
    double x = floor(log(rng_uniform_pos(s)) * inv);
    return x < 0x1p50 ? (uint64_t)x : (uint64_t)1 << 50;
}

typedef struct ids {
    const uint32_t *mem;   /* ids of local indices 0.., or NULL for base + index */
    uint32_t base;
} ids_t;

static inline uint32_t id_at(ids_t a, uint64_t i) {
    return a.mem ? a.mem[i] : a.base + (uint32_t)i;
}

/* Ties among rows r0..r1-1 of a, each row v with every w < v, each with probability p. */
static void tri_skip(rng_stream *s, net_sink_t *k, ids_t a, uint64_t r0, uint64_t r1,
                     double inv) {
    uint64_t v = r0, w = next_gap(s, inv);
    for (;;) {
        while (w >= v && v < r1) w -= v++;
        if (v >= r1) return;
        put_tie(k, id_at(a, v), id_at(a, w));
        w += 1 + next_gap(s, inv);
    }
}

/* Ties between rows r0..r1-1 of a and all nb members of b, each with probability p. */
static void rect_skip(rng_stream *s, net_sink_t *k, ids_t a, ids_t b, uint64_t nb,
                      uint64_t r0, uint64_t r1, double inv) {
    uint64_t total = (r1 - r0) * nb, x = next_gap(s, inv);
    while (x < total) {
        put_tie(k, id_at(a, r0 + x / nb), id_at(b, x % nb));
        x += 1 + next_gap(s, inv);
    }
}

/* --- Erdos-Renyi ---------------------------------------------------------------------- */

typedef struct er_ctx {
    const rng_t *r;
    uint32_t purpose, first, count;
    double inv;
} er_ctx;

static uint64_t gen_er(const void *ctx, uint64_t u, net_sink_t *k) {
    const er_ctx *c = ctx;
    rng_stream s;
    rng_stream_at(&s, c->r, 0, u, c->purpose);
    uint64_t r0 = u * ROWS_PER_UNIT, r1 = min_u64(r0 + ROWS_PER_UNIT, c->count);
    tri_skip(&s, k, (ids_t){NULL, c->first}, r0, r1, c->inv);
    return 0;
}

sim_status net_gen_er(net_t **out, uint32_t n, uint32_t first, uint32_t count, double z,
                      const rng_t *r, uint32_t purpose, int threads, sim_err *err) {
    return net_gen_er_by(net_build_new, out, n, first, count, z, r, purpose, threads, err);
}

sim_status net_gen_er_by(net_builder_fn build, net_t **out, uint32_t n, uint32_t first,
                         uint32_t count, double z, const rng_t *r, uint32_t purpose,
                         int threads, sim_err *err) {
    *out = NULL;
    sim_status st = net_check_range("er", n, first, count, err);
    if (st != SIM_OK) return st;
    if (!(z >= 0 && isfinite(z)))
        return err_set(err, SIM_ESCENARIO, "er layer: mean degree %g must be finite and >= 0",
                       z);
    double p = count > 1 ? z / (count - 1.0) : 0.0;
    er_ctx c = {r, purpose, first, count, inv_log_q(p)};
    uint64_t units = p > 0 ? units_of(count, ROWS_PER_UNIT) : 0;
    return build(out, n, 0, gen_er, &c, units, 0, 1, threads, NULL, err);
}

/* --- Watts-Strogatz ------------------------------------------------------------------- */

typedef struct ws_ctx {
    const rng_t *r;
    uint32_t purpose, first, count, h;
    double rewire;
    uint32_t *far;   /* [count * h] far end (local index) of agent v's tie d at v*h + d */
} ws_ctx;

static uint32_t ring_dist(uint32_t a, uint32_t b, uint32_t n) {
    uint32_t d = a > b ? a - b : b - a;
    return d < n - d ? d : n - d;
}

static int holds(const uint32_t *row, uint32_t h, uint32_t skip, uint32_t w) {
    for (uint32_t e = 0; e < h; e++)
        if (e != skip && row[e] == w) return 1;
    return 0;
}

/* Whether w may be the far end of v's tie d: beyond v's lattice, not already one of v's far
 * ends, and (when mutual is set) not an agent whose own far ends include v. */
static int ws_ok(const ws_ctx *c, uint32_t v, uint32_t d, uint32_t w, int mutual) {
    if (ring_dist(v, w, c->count) <= c->h) return 0;
    if (holds(c->far + (uint64_t)v * c->h, c->h, d, w)) return 0;
    return !mutual || !holds(c->far + (uint64_t)w * c->h, c->h, NET_NONE, v);
}

static uint32_t ws_draw(rng_stream *s, const ws_ctx *c, uint32_t v, uint32_t d, int mutual) {
    for (int t = 0; t < WS_TRIES; t++) {
        uint32_t w = (uint32_t)rng_below(s, c->count);
        if (ws_ok(c, v, d, w, mutual)) return w;
    }
    return (uint32_t)(((uint64_t)v + d + 1) % c->count);   /* keep the lattice tie */
}

/* Lattice and independent rewiring of agents u*ROWS_PER_UNIT.. (one stream per block). */
static void ws_block(const ws_ctx *c, uint64_t u) {
    rng_stream s;
    rng_stream_at(&s, c->r, 0, u, c->purpose);
    uint64_t v1 = min_u64((u + 1) * ROWS_PER_UNIT, c->count);
    for (uint64_t v = u * ROWS_PER_UNIT; v < v1; v++) {
        uint32_t *row = c->far + v * c->h;
        for (uint32_t d = 0; d < c->h; d++) row[d] = (uint32_t)((v + d + 1) % c->count);
        for (uint32_t d = 0; d < c->h; d++)
            if (rng_uniform(&s) < c->rewire) row[d] = ws_draw(&s, c, (uint32_t)v, d, 0);
    }
}

/* Whether v's tie d reaches down to an agent w < v (beyond the lattice) whose far ends
 * include v: a pair that rewired to each other. */
static int ws_mutual(const ws_ctx *c, uint32_t v, uint32_t d) {
    uint32_t w = c->far[(uint64_t)v * c->h + d];
    if (w > v || ring_dist(v, w, c->count) <= c->h) return 0;
    return holds(c->far + (uint64_t)w * c->h, c->h, NET_NONE, v);
}

/* Redraws the larger end of each of v's mutual pairs (from v's second stream). */
static void ws_unmutual_at(const ws_ctx *c, uint32_t v) {
    int keyed = 0;
    rng_stream s;
    for (uint32_t d = 0; d < c->h; d++) {
        if (!ws_mutual(c, v, d)) continue;
        if (!keyed) rng_stream_at(&s, c->r, 0, SUB_STREAM + v, c->purpose), keyed = 1;
        c->far[(uint64_t)v * c->h + d] = ws_draw(&s, c, v, d, 1);
    }
}

/* Redraws the larger end of every pair of agents that rewired to each other, in ascending v.
 * The agents with a mutual pair are found first in parallel: a redraw of w < v only
 * replaces w's ties to agents below w and never picks an agent whose far ends include w, so
 * whether v has a mutual pair when its turn comes is already decided before any redraw.
 * Then the redraws run in order over those agents alone, as the plain pass over all would.
 * flag: [count] scratch bytes, or NULL to look at every agent in turn. */
static void ws_unmutual(const ws_ctx *c, uint8_t *flag, int nt) {
    (void)nt;   /* unused without OpenMP */
    if (flag) {
#pragma omp parallel for schedule(static, ROWS_PER_UNIT) num_threads(nt)
        for (uint32_t v = 0; v < c->count; v++) {
            flag[v] = 0;
            for (uint32_t d = 0; d < c->h && !flag[v]; d++) flag[v] = (uint8_t)ws_mutual(c, v, d);
        }
    }
    for (uint32_t v = 0; v < c->count; v++)
        if (!flag || flag[v]) ws_unmutual_at(c, v);
}

static uint64_t gen_ws(const void *ctx, uint64_t u, net_sink_t *k) {
    const ws_ctx *c = ctx;
    uint64_t v1 = min_u64((u + 1) * ROWS_PER_UNIT, c->count);
    for (uint64_t v = u * ROWS_PER_UNIT; v < v1; v++)
        for (uint32_t d = 0; d < c->h; d++)
            put_tie(k, c->first + (uint32_t)v, c->first + c->far[v * c->h + d]);
    return 0;
}

sim_status net_gen_ws(net_t **out, uint32_t n, uint32_t first, uint32_t count, double z,
                      double rewire, const rng_t *r, uint32_t purpose, int threads,
                      sim_err *err) {
    return net_gen_ws_by(net_build_new, out, n, first, count, z, rewire, r, purpose, threads,
                         err);
}

sim_status net_gen_ws_by(net_builder_fn build, net_t **out, uint32_t n, uint32_t first,
                         uint32_t count, double z, double rewire, const rng_t *r,
                         uint32_t purpose, int threads, sim_err *err) {
    *out = NULL;
    sim_status st = net_check_range("ws", n, first, count, err);
    if (st != SIM_OK) return st;
    if (!(z >= 0 && z < 1e9) || !(rewire >= 0 && rewire <= 1))
        return err_set(err, SIM_ESCENARIO, "ws layer: need mean degree >= 0 (got %g) and "
                       "rewiring probability in [0, 1] (got %g)", z, rewire);
    uint64_t h = (uint64_t)llround(z / 2);
    if (count < 2) h = 0;
    else if (h > (count - 1) / 2) h = (count - 1) / 2;
    ws_ctx c = {r, purpose, first, count, (uint32_t)h, rewire, NULL};
    if (h && !(c.far = malloc(count * h * sizeof *c.far)))
        return net_oom(err, "ws ties", count * h * sizeof *c.far);
    uint64_t units = h ? units_of(count, ROWS_PER_UNIT) : 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(net_team(threads))
    for (uint64_t u = 0; u < units; u++) ws_block(&c, u);
    if (units && rewire > 0) {
        uint8_t *flag = malloc(count);   /* without it, the slower plain pass */
        ws_unmutual(&c, flag, net_team(threads));
        free(flag);
    }
    st = build(out, n, 0, gen_ws, &c, units, 0, 0, threads, NULL, err);
    free(c.far);
    return st;
}

/* --- stochastic block model ----------------------------------------------------------- */

enum { SBM_SS, SBM_SR, SBM_SG, SBM_NN };   /* same region and group, region only, group only */

typedef struct sbm_unit {
    uint32_t a, b;     /* block pair, a <= b */
    uint32_t r0, r1;   /* rows of block a */
    double inv;        /* inv_log_q of the pair's tie probability */
} sbm_unit;

typedef struct sbm_ctx {
    const rng_t *r;
    uint32_t purpose;
    int ngroups, nblocks;   /* block of (region x, group y) is x * ngroups + y */
    uint32_t *start;        /* [nblocks+1] block b's members: mem[start[b] .. start[b+1]-1] */
    uint32_t *mem;          /* [count] agent ids by block, ascending within a block */
    double p[4];            /* tie probability per class */
    sbm_unit *unit;
    uint64_t units;
} sbm_ctx;

static sim_status sbm_check(uint32_t count, const uint8_t *region, int nregions,
                            const uint8_t *group, int ngroups, double z, double hr, double hg,
                            sim_err *err) {
    if (nregions < 1 || nregions > 256 || ngroups < 1 || ngroups > 256 || (count && !region) ||
        (count && !group))
        return err_set(err, SIM_ESCENARIO, "sbm layer: need 1..256 regions and groups (got "
                       "%d, %d) and a region and group for every member", nregions, ngroups);
    if (!(z >= 0 && isfinite(z)) || !(hr >= 0 && hr <= 1) || !(hg >= 0 && hg <= 1))
        return err_set(err, SIM_ESCENARIO, "sbm layer: need mean degree >= 0 (got %g) and "
                       "homophily shares in [0, 1] (got %g, %g)", z, hr, hg);
    for (uint32_t i = 0; i < count; i++)
        if (region[i] >= nregions || group[i] >= ngroups)
            return err_set(err, SIM_ESCENARIO, "sbm layer: member %u has region %d and group "
                           "%d, but there are %d regions and %d groups", i, region[i],
                           group[i], nregions, ngroups);
    return SIM_OK;
}

/* Groups the members by block (a counting sort, so ascending ids within each block). */
static sim_status sbm_members(sbm_ctx *c, uint32_t first, uint32_t count,
                              const uint8_t *region, const uint8_t *group, sim_err *err) {
    c->start = calloc((size_t)c->nblocks + 1, sizeof *c->start);
    c->mem = malloc((count ? count : 1) * sizeof *c->mem);
    if (!c->start || !c->mem) return net_oom(err, "sbm members", 4ull * count);
    for (uint32_t i = 0; i < count; i++) c->start[region[i] * c->ngroups + group[i] + 1]++;
    for (int b = 0; b < c->nblocks; b++) c->start[b + 1] += c->start[b];
    for (uint32_t i = 0; i < count; i++)
        c->mem[c->start[region[i] * c->ngroups + group[i]]++] = first + i;
    memmove(c->start + 1, c->start, (size_t)c->nblocks * sizeof *c->start);
    c->start[0] = 0;
    return SIM_OK;
}

static double pairs_in(double k) { return k * (k - 1) / 2; }

/* Member pairs per class from block, region and group sizes; counts occupied regions and
 * groups. */
static void sbm_pairs(const sbm_ctx *c, double pairs[4], int *occ_r, int *occ_g) {
    double nr[256] = {0}, ng[256] = {0}, ss = 0, sr = 0, sg = 0, all = 0;
    for (int b = 0; b < c->nblocks; b++) {
        double k = c->start[b + 1] - c->start[b];
        nr[b / c->ngroups] += k, ng[b % c->ngroups] += k, all += k, ss += pairs_in(k);
    }
    *occ_r = *occ_g = 0;
    for (int x = 0; x < 256; x++) {
        sr += pairs_in(nr[x]), sg += pairs_in(ng[x]);
        *occ_r += nr[x] > 0, *occ_g += ng[x] > 0;
    }
    pairs[SBM_SS] = ss, pairs[SBM_SR] = sr - ss, pairs[SBM_SG] = sg - ss;
    pairs[SBM_NN] = pairs_in(all) - sr - sg + ss;
}

/* The tie probability of each class (formula in the file's header comment). */
static sim_status sbm_probs(sbm_ctx *c, uint32_t count, double z, double hr, double hg,
                            sim_err *err) {
    double pairs[4], total = 0;
    int occ_r, occ_g;
    sbm_pairs(c, pairs, &occ_r, &occ_g);
    if (occ_r <= 1) hr = 1;
    if (occ_g <= 1) hg = 1;
    double s[4] = {hr * hg, hr * (1 - hg), (1 - hr) * hg, (1 - hr) * (1 - hg)};
    for (int k = 0; k < 4; k++) total += pairs[k] > 0 ? s[k] : 0;
    if (z > 0 && count > 1 && total <= 0)
        return err_set(err, SIM_ESCENARIO, "sbm layer: h_region %g and h_group %g ask for "
                       "ties only between members of blocks that have no such pairs", hr, hg);
    for (int k = 0; k < 4; k++) {
        c->p[k] = pairs[k] > 0 && total > 0 ? s[k] / total * count * z / (2 * pairs[k]) : 0;
        if (c->p[k] > 1 + 1e-9)
            return err_set(err, SIM_ESCENARIO, "sbm layer: mean degree %g with h_region %g "
                           "and h_group %g needs a tie probability of %g > 1 within some "
                           "blocks; lower the degree or the homophily", z, hr, hg, c->p[k]);
        if (c->p[k] > 1) c->p[k] = 1;
    }
    return SIM_OK;
}

/* Lists the units of work (each block pair with ties, ROWS_PER_UNIT rows of a at a time)
 * into unit when it is not NULL; returns how many there are. */
static uint64_t sbm_plan(const sbm_ctx *c, sbm_unit *unit) {
    uint64_t k = 0;
    for (int a = 0; a < c->nblocks; a++)
        for (int b = a; b < c->nblocks; b++) {
            uint32_t na = c->start[a + 1] - c->start[a], nb = c->start[b + 1] - c->start[b];
            int cls = (a / c->ngroups != b / c->ngroups) * 2 +   /* SBM_SS .. SBM_NN */
                      (a % c->ngroups != b % c->ngroups);
            if (!na || !nb || c->p[cls] <= 0) continue;
            for (uint64_t r0 = 0; r0 < na; r0 += ROWS_PER_UNIT, k++)
                if (unit)
                    unit[k] = (sbm_unit){(uint32_t)a, (uint32_t)b, (uint32_t)r0,
                                         (uint32_t)min_u64(r0 + ROWS_PER_UNIT, na),
                                         inv_log_q(c->p[cls])};
        }
    return k;
}

static uint64_t gen_sbm(const void *ctx, uint64_t u, net_sink_t *k) {
    const sbm_ctx *c = ctx;
    const sbm_unit *x = c->unit + u;
    rng_stream s;
    rng_stream_at(&s, c->r, 0, u, c->purpose);
    ids_t a = {c->mem + c->start[x->a], 0}, b = {c->mem + c->start[x->b], 0};
    if (x->a == x->b) tri_skip(&s, k, a, x->r0, x->r1, x->inv);
    else rect_skip(&s, k, a, b, c->start[x->b + 1] - c->start[x->b], x->r0, x->r1, x->inv);
    return 0;
}

sim_status net_gen_sbm(net_t **out, uint32_t n, uint32_t first, uint32_t count, double z,
                       const uint8_t *region, int nregions, const uint8_t *group, int ngroups,
                       double h_region, double h_group, const rng_t *r, uint32_t purpose,
                       int threads, sim_err *err) {
    return net_gen_sbm_by(net_build_new, out, n, first, count, z, region, nregions, group,
                          ngroups, h_region, h_group, r, purpose, threads, err);
}

sim_status net_gen_sbm_by(net_builder_fn build, net_t **out, uint32_t n, uint32_t first,
                          uint32_t count, double z, const uint8_t *region, int nregions,
                          const uint8_t *group, int ngroups, double h_region, double h_group,
                          const rng_t *r, uint32_t purpose, int threads, sim_err *err) {
    *out = NULL;
    sim_status st = net_check_range("sbm", n, first, count, err);
    if (st == SIM_OK)
        st = sbm_check(count, region, nregions, group, ngroups, z, h_region, h_group, err);
    if (st != SIM_OK) return st;
    sbm_ctx c = {r, purpose, ngroups, nregions * ngroups, NULL, NULL, {0}, NULL, 0};
    if ((st = sbm_members(&c, first, count, region, group, err)) == SIM_OK &&
        (st = sbm_probs(&c, count, z, h_region, h_group, err)) == SIM_OK) {
        c.units = sbm_plan(&c, NULL);
        if (!(c.unit = malloc((c.units ? c.units : 1) * sizeof *c.unit)))
            st = net_oom(err, "sbm work plan", c.units * sizeof *c.unit);
    }
    if (st == SIM_OK) {
        sbm_plan(&c, c.unit);
        st = build(out, n, 0, gen_sbm, &c, c.units, 0, 1, threads, NULL, err);
    }
    free(c.start);
    free(c.mem);
    free(c.unit);
    return st;
}
