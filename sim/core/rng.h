/* sim/core/rng.h - counter-based random streams keyed by what they are for. Prefix rng_.
 *
 * Every draw in scsim comes from a stream that is a pure function of
 * (seed, run, step, agent, purpose): Philox4x32-10 (Salmon et al. 2011, "Parallel random
 * numbers: as easy as 1, 2, 3") with the 64-bit key taken from (seed, run) and the 128-bit
 * counter from (draw index, agent, purpose, step). Any thread can compute any draw, so results
 * do not depend on how work is split between threads or MPI ranks.
 *
 * Use rng_stream directly in hot loops (inline, no allocation), or position a gsl_rng on a key
 * with rng_gsl_at() to use GSL's samplers (gsl_ran_*). */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* Purposes: one per kind of decision, so that two rules never share draws. Agency- or
 * rule-specific purposes add the agency or rule index (< 256) to the base. */
enum rng_purpose {
    RNG_POP_REGION = 1, RNG_POP_GROUP, RNG_POP_HOUSEHOLD, RNG_POP_AGE, RNG_POP_PROPENSITY,
    RNG_POP_EMPLOYER, RNG_POP_FIRM, RNG_POP_LEGALREP, RNG_SEED_LISTED,
    RNG_NET = 0x100,          /* + layer index: network generators */
    RNG_VIOLATE = 0x200,      /* + agency: violations in the agency's domain */
    RNG_FALSE = 0x300,        /* + agency: false records */
    RNG_DETECT = 0x400,       /* + agency: detection and misattribution of a violation */
    RNG_SPILL = 0x500,        /* + rule: probabilistic spillover */
    RNG_REDRESS = 0x600,      /* early removal: compliance and credit repair */
    RNG_APPEAL_FILE = 0x601,  /* whether a blacklisting is appealed */
    RNG_APPEAL_DECIDE = 0x602,/* the appeal's outcome */
    RNG_OWN_APPEAL_FILE = 0x610,   /* + agency: an own blacklisting appealed (7.19) */
    RNG_OWN_APPEAL_DECIDE = 0x620, /* + agency: the outcome of that appeal */
    RNG_OWN_REDRESS = 0x630,       /* + agency: compliance and repair of an own blacklisting */
    RNG_OSTRACISM = 0x700,    /* + layer: ties cut to blacklisted agents */
    RNG_COLLECT = 0x800,      /* + source: records a collection source makes (Bernoulli part) */
    RNG_COLLECT_ID = 0x900,   /* + source: misidentified records and the wrong agent */
    RNG_CHILL = 0xB00,        /* the lawful-but-disfavoured activity (chill.c): one draw per
                                 person and step */
    RNG_SHARE = 0xC00,        /* + sending agency: whether a person opts in to its sharing */
    RNG_SHARE_TRAIN = 0xC10,  /* the platform observer's training subset (public labels) */
    RNG_TRAVEL = 0xD00,       /* + mode (0 flight, 1 rail): trips a person under a travel ban
                                 attempts (travel.c), one stream per person, step and mode */
    RNG_DEEDS = 0xD10,        /* good deeds a person records (deeds.c), one stream per person
                                 and step */
    RNG_COMMERCIAL = 0xD20,   /* whether a person opts in to the commercial score
                                 (commercial.c), drawn once per person at step 0 */
    RNG_DESIGN = 0xE00,       /* experiment designs (Latin hypercube, Morris) */
    RNG_TEST = 0xF00          /* for tests and tools */
};

typedef struct rng {
    uint64_t seed;     /* the scenario's (or --seed) seed */
    uint64_t run;      /* run number within a sweep (0 for a single run) */
    uint32_t key[2];   /* Philox key derived from (seed, run) */
} rng_t;

typedef struct rng_stream {
    uint32_t key[2];
    uint32_t ctr[4];   /* ctr[0] = block index within the stream, then agent lo/hi+purpose, step */
    uint32_t buf[4];   /* the current block of four outputs */
    uint32_t used;     /* outputs of buf already handed out (4 = buf exhausted) */
} rng_stream;

/* Sets up the run's generator: a pure function of seed and run. */
void rng_init(rng_t *r, uint64_t seed, uint64_t run);

/* Positions s at the start of the stream (step, agent, purpose). agent < 2^48, purpose <
 * 2^16. Cost: a few instructions; no draw is made until the first call. */
void rng_stream_at(rng_stream *s, const rng_t *r, uint32_t step, uint64_t agent,
                   uint32_t purpose);

/* The Philox4x32-10 bijection: out = philox(ctr, key). Exposed for tests (known answers). */
void rng_philox4x32(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

/* The next 32-bit output of the stream (inline: the hot loops draw one per agent). */
static inline uint32_t rng_u32(rng_stream *s) {
    if (s->used == 4) {
        rng_philox4x32(s->ctr, s->key, s->buf);
        s->ctr[0]++;
        s->used = 0;
    }
    return s->buf[s->used++];
}
/* The next two outputs, the first in the high half (inline, as rng_u32). */
static inline uint64_t rng_u64(rng_stream *s) {
    uint64_t hi = rng_u32(s);
    return (hi << 32) | rng_u32(s);
}
/* [0, 1), 53 bits */
static inline double rng_uniform(rng_stream *s) {
    return (double)(rng_u64(s) >> 11) * 0x1.0p-53;
}
/* (0, 1), 53 bits */
static inline double rng_uniform_pos(rng_stream *s) {
    uint64_t x;
    do x = rng_u64(s) >> 11; while (x == 0);
    return (double)x * 0x1.0p-53;
}
uint64_t rng_below(rng_stream *s, uint64_t n);   /* uniform on 0..n-1 (n >= 1), unbiased */

/* Number of failures before the first success of Bernoulli(p) trials, p in (0, 1]:
 * the gap to the next event when rare events are sampled by skipping. Returns UINT64_MAX
 * when the gap does not fit (p tiny), which callers treat as "no event". */
uint64_t rng_geometric_gap(rng_stream *s, double p);

/* rng_geometric_gap with the rate's logarithm computed once: lq = rng_gap_log(p) for p in
 * (0, 1] (log1p(-p), strictly negative for p < 1; 0 for p >= 1, "every trial succeeds").
 * rng_geometric_gap_log(s, rng_gap_log(p)) returns exactly rng_geometric_gap(s, p), the same
 * double arithmetic and the same draws, for a loop that skips many gaps at one rate. */
double   rng_gap_log(double p);
uint64_t rng_geometric_gap_log(rng_stream *s, double lq);

/* The gsl_rng type "scsim-philox": gsl_rng_set(g, seed) keys it as rng_init(seed, 0) at
 * (step 0, agent 0, purpose 0). */
extern const gsl_rng_type *rng_gsl_type;

/* A gsl_rng of type rng_gsl_type. Returns NULL when out of memory. Free with gsl_rng_free. */
gsl_rng *rng_gsl_new(void);

/* Repositions g (made by rng_gsl_new) at the start of stream (step, agent, purpose), so
 * gsl_ran_*(g, ...) draws from that stream. No allocation. */
void rng_gsl_at(gsl_rng *g, const rng_t *r, uint32_t step, uint64_t agent, uint32_t purpose);

#endif
