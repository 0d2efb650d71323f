/* Copied verbatim from ../shared/bench/rsm1_ref.c (issue 17); the yardstick of make bench: keep it unchanged. */
/* RSM-1 (scenarios/bench/rsm1.ini in the project describes it): a straightforward hand-written C11 reference.
 *
 * What a competent C programmer writes in an afternoon: exact G(N,p) by geometric skipping
 * (Batagelj & Brandes 2005), CSR adjacency (uint32 column indices), struct-of-arrays state,
 * double-buffered listed flags (synchronous update), xoshiro256** seeded by splitmix64,
 * one 64-bit draw per person-step split into two 32-bit uniforms (violation, recording).
 * Per-step counts are accumulated in the same pass.
 *
 * Build:  gcc -O2 -march=native -std=c11 -o rsm1_ref rsm1_ref.c -lm
 *         gcc -O2 -march=native -std=c11 -fopenmp -o rsm1_ref_omp rsm1_ref.c -lm
 * Run:    ./rsm1_ref --n 1000000 --steps 120 --seed 1      (OMP_NUM_THREADS=2 for the omp build)
 * stdout: t,listed,wrongly_listed,mean_score per step; stderr: timings.
 * With OpenMP each thread draws from its own xoshiro stream (jump()) and takes chunks of 16384
 * persons dynamically (robust on a shared machine), so results differ from
 * the serial build draw-by-draw but not in distribution.
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

enum { Z = 8 };
#define P_VIOLATE 0.01
#define Q_DETECT 0.5
#define EPS_FALSE 0.001
enum { A_PENALTY = 50, W_SPILL = 5, C_RECOVER = 2, S_MAX = 1000, S0 = 1000, THETA = 900, L_MIN = 24 };

/* ---- PRNG ---- */
static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
typedef struct { uint64_t s[4]; } rng_t;
static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static inline uint64_t rng_next(rng_t *r) {
    uint64_t *s = r->s;
    const uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t; s[3] = rotl(s[3], 45);
    return out;
}
static void rng_seed(rng_t *r, uint64_t seed) {
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&seed);
}
static void rng_jump(rng_t *r) { /* advance 2^128 draws: independent streams */
    static const uint64_t J[] = {0x180ec6d33cfd0abaULL, 0xd5a61266f0c9392cULL,
                                 0xa9582618e03fc9aaULL, 0x39abdc4529b1661cULL};
    uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int i = 0; i < 4; i++)
        for (int b = 0; b < 64; b++) {
            if (J[i] & (1ULL << b)) { s0 ^= r->s[0]; s1 ^= r->s[1]; s2 ^= r->s[2]; s3 ^= r->s[3]; }
            rng_next(r);
        }
    r->s[0] = s0; r->s[1] = s1; r->s[2] = s2; r->s[3] = s3;
}
static inline double rng_unif(rng_t *r) { return (rng_next(r) >> 11) * 0x1.0p-53; }

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}
static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) { fprintf(stderr, "out of memory (%zu bytes)\n", n); exit(1); }
    return p;
}

/* ---- graph: exact G(n,p) by geometric skipping, then CSR ---- */
typedef struct { uint32_t n; uint64_t m; uint64_t *row; uint32_t *col; } csr_t;

static csr_t gnp_csr(uint32_t n, double p, rng_t *r) {
    size_t cap = (size_t)((double)n * (n - 1) / 2 * p * 1.05 + 1024), m = 0;
    uint32_t(*e)[2] = xmalloc(cap * sizeof *e);
    const double lq = log1p(-p);
    int64_t v = 1, w = -1;
    while (v < n) {
        w += 1 + (int64_t)floor(log1p(-rng_unif(r)) / lq);
        while (w >= v && v < n) { w -= v; v++; }
        if (v < n) {
            if (m == cap) { cap += cap / 2; e = realloc(e, cap * sizeof *e); if (!e) exit(1); }
            e[m][0] = (uint32_t)v; e[m][1] = (uint32_t)w; m++;
        }
    }
    csr_t g = {n, m, xmalloc((n + 1) * sizeof(uint64_t)), xmalloc(2 * m * sizeof(uint32_t))};
    memset(g.row, 0, (n + 1) * sizeof(uint64_t));
    for (size_t k = 0; k < m; k++) { g.row[e[k][0] + 1]++; g.row[e[k][1] + 1]++; }
    for (uint32_t i = 0; i < n; i++) g.row[i + 1] += g.row[i];
    uint64_t *fill = xmalloc(n * sizeof(uint64_t));
    memcpy(fill, g.row, n * sizeof(uint64_t));
    for (size_t k = 0; k < m; k++) {
        g.col[fill[e[k][0]]++] = e[k][1];
        g.col[fill[e[k][1]]++] = e[k][0];
    }
    free(fill);
    free(e);
    return g;
}

int main(int argc, char **argv) {
    long n = 1000, T = 120;
    uint64_t seed = 1;
    for (int a = 1; a + 1 < argc; a += 2) {
        if (!strcmp(argv[a], "--n")) n = (long)atof(argv[a + 1]);
        else if (!strcmp(argv[a], "--steps")) T = atol(argv[a + 1]);
        else if (!strcmp(argv[a], "--seed")) seed = strtoull(argv[a + 1], 0, 10);
        else { fprintf(stderr, "usage: %s --n N --steps T --seed S\n", argv[0]); return 2; }
    }
    if (n < 2 || n > 4000000000L || T < 1) { fprintf(stderr, "bad arguments\n"); return 2; }

    rng_t graph_rng;
    rng_seed(&graph_rng, seed ^ 0x5851f42d4c957f2dULL);
    double t0 = now();
    csr_t g = gnp_csr((uint32_t)n, (double)Z / (double)(n - 1), &graph_rng);
    double t1 = now();

    int32_t *score = xmalloc(n * sizeof *score);
    int32_t *until = xmalloc(n * sizeof *until);
    uint8_t *ever = xmalloc(n), *listed = xmalloc(n), *listed_next = xmalloc(n);
    for (long i = 0; i < n; i++) { score[i] = S0; until[i] = 0; ever[i] = 0; listed[i] = 0; }
    long *rec_listed = xmalloc(T * sizeof(long)), *rec_wrong = xmalloc(T * sizeof(long));
    double *rec_mean = xmalloc(T * sizeof(double));

    int nthreads = 1;
#ifdef _OPENMP
    nthreads = omp_get_max_threads();
#endif
    rng_t *rngs = xmalloc(nthreads * sizeof(rng_t));
    rng_seed(&rngs[0], seed);
    for (int k = 1; k < nthreads; k++) { rngs[k] = rngs[k - 1]; rng_jump(&rngs[k]); }

    /* Bernoulli(p) as a 32-bit integer threshold: u32 < p * 2^32 */
    const uint32_t TH_V = (uint32_t)(P_VIOLATE * 4294967296.0);
    const uint32_t TH_Q = (uint32_t)(Q_DETECT * 4294967296.0);
    const uint32_t TH_E = (uint32_t)(EPS_FALSE * 4294967296.0);
    const uint64_t *row = g.row;
    const uint32_t *col = g.col;

    double t2 = now();
    for (long t = 1; t <= T; t++) {
        long nl = 0, nw = 0, ssum = 0;
#ifdef _OPENMP
#pragma omp parallel reduction(+ : nl, nw, ssum)
#endif
        {
            int tid = 0;
#ifdef _OPENMP
            tid = omp_get_thread_num();
#endif
            rng_t rr = rngs[tid];
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 16384)
#endif
            for (long i = 0; i < n; i++) {
                uint64_t x = rng_next(&rr);
                uint32_t uv = (uint32_t)(x >> 32), ur = (uint32_t)x;
                int v = uv < TH_V;
                uint8_t ev = ever[i] | (uint8_t)v;
                ever[i] = ev;
                int r = ur < (v ? TH_Q : TH_E);
                int k = 0;
                for (uint64_t e = row[i]; e < row[i + 1]; e++) k += listed[col[e]];
                int32_t s = score[i] - A_PENALTY * r - W_SPILL * k + C_RECOVER;
                if (s > S_MAX) s = S_MAX;
                score[i] = s;
                uint8_t l = listed[i];
                if (s < THETA && !l) { l = 1; until[i] = (int32_t)(t + L_MIN); }
                else if (l && t >= until[i] && s >= THETA) l = 0;
                listed_next[i] = l;
                nl += l;
                nw += l & !ev;
                ssum += s;
            }
            rngs[tid] = rr;
        }
        uint8_t *tmp = listed; listed = listed_next; listed_next = tmp;
        rec_listed[t - 1] = nl; rec_wrong[t - 1] = nw; rec_mean[t - 1] = (double)ssum / n;
    }
    double t3 = now();

    printf("t,listed,wrongly_listed,mean_score\n");
    for (long t = 0; t < T; t++) printf("%ld,%ld,%ld,%.4f\n", t + 1, rec_listed[t], rec_wrong[t], rec_mean[t]);
    fprintf(stderr, "impl=c-ref%s threads=%d n=%ld steps=%ld seed=%llu edges=%llu build_s=%.4f steps_s=%.4f "
                    "person_steps_per_s=%.4g\n",
#ifdef _OPENMP
            "-omp",
#else
            "",
#endif
            nthreads, n, T, (unsigned long long)seed, (unsigned long long)g.m, t1 - t0, t3 - t2,
            (double)n * T / (t3 - t2));
    return 0;
}
