/* sim/core/rng.c - Philox4x32-10 counter-based streams, and a gsl_rng type on top of them. */
#include "rng.h"

#include <math.h>
#include <string.h>

static const uint32_t PHILOX_M0 = 0xD2511F53u, PHILOX_M1 = 0xCD9E8D57u;
static const uint32_t PHILOX_W0 = 0x9E3779B9u, PHILOX_W1 = 0xBB67AE85u;

static uint64_t splitmix64(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

void rng_philox4x32(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]) {
    uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
    uint32_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; round++) {
        uint64_t p0 = (uint64_t)PHILOX_M0 * c0, p1 = (uint64_t)PHILOX_M1 * c2;
        uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0, n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
        c0 = n0; c1 = (uint32_t)p1; c2 = n2; c3 = (uint32_t)p0;
        k0 += PHILOX_W0; k1 += PHILOX_W1;
    }
    out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
}

void rng_init(rng_t *r, uint64_t seed, uint64_t run) {
    uint64_t k = splitmix64(seed ^ splitmix64(run ^ 0x5C5135C5135C5135ull));
    r->seed = seed;
    r->run = run;
    r->key[0] = (uint32_t)k;
    r->key[1] = (uint32_t)(k >> 32);
}

void rng_stream_at(rng_stream *s, const rng_t *r, uint32_t step, uint64_t agent,
                   uint32_t purpose) {
    s->key[0] = r->key[0];
    s->key[1] = r->key[1];
    s->ctr[0] = 0;
    s->ctr[1] = (uint32_t)agent;
    s->ctr[2] = (uint32_t)((agent >> 32) & 0xFFFFu) | (purpose << 16);
    s->ctr[3] = step;
    s->used = 4;
}

uint64_t rng_below(rng_stream *s, uint64_t n) {
    /* Lemire's rejection: unbiased multiply-shift on 64 bits. */
    uint64_t x = rng_u64(s);
    __uint128_t m = (__uint128_t)x * n;
    uint64_t lo = (uint64_t)m;
    if (lo < n) {
        uint64_t t = -n % n;
        while (lo < t) {
            x = rng_u64(s);
            m = (__uint128_t)x * n;
            lo = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

uint64_t rng_geometric_gap(rng_stream *s, double p) {
    if (p >= 1.0) return 0;
    double g = floor(log(rng_uniform_pos(s)) / log1p(-p));
    return g < 1.8e19 ? (uint64_t)g : UINT64_MAX;
}

double rng_gap_log(double p) { return p >= 1.0 ? 0.0 : log1p(-p); }

uint64_t rng_geometric_gap_log(rng_stream *s, double lq) {
    if (lq == 0) return 0;
    double g = floor(log(rng_uniform_pos(s)) / lq);
    return g < 1.8e19 ? (uint64_t)g : UINT64_MAX;
}

/* --- gsl_rng type --------------------------------------------------------------------- */

static void gsl_set(void *state, unsigned long seed) {
    rng_t r;
    rng_init(&r, seed, 0);
    rng_stream_at(state, &r, 0, 0, 0);
}

static unsigned long gsl_get(void *state) { return rng_u32(state); }

static double gsl_get_double(void *state) { return rng_uniform(state); }

static const gsl_rng_type philox_type = {
    "scsim-philox", 0xFFFFFFFFul, 0, sizeof(rng_stream), gsl_set, gsl_get, gsl_get_double
};

const gsl_rng_type *rng_gsl_type = &philox_type;

gsl_rng *rng_gsl_new(void) { return gsl_rng_alloc(rng_gsl_type); }

void rng_gsl_at(gsl_rng *g, const rng_t *r, uint32_t step, uint64_t agent, uint32_t purpose) {
    rng_stream_at(g->state, r, step, agent, purpose);
}
