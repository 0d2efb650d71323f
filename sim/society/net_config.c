/* sim/society/net_config.c - the configuration model (net_gen_config): power-law degrees,
 * stubs matched by one shuffle, self-loops and repeated ties erased by the builder
 * (net_build.c). The other generators are in net_gen.c.
 *
 * Config: degrees drawn i.i.d. by inverse transform on kmin..kmax (both capped at count-1)
 * with P(k) ~ k^-exponent; if the sum is odd, the last member's degree moves by one (up, or
 * down at kmax). Stubs are matched by one Fisher-Yates shuffle (sequential, one stream),
 * then self-loops and repeated ties are erased and counted. The shuffle draws SHUFFLE_AHEAD
 * swaps ahead and fetches their slots first (the same permutation, see shuffle()). */
#include "net_build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { ROWS_PER_UNIT = NET_ROWS_PER_UNIT, SHUFFLE_AHEAD = 64 };
static const uint64_t SUB_STREAM = NET_SUB_STREAM;

/* Cumulative P(k) ~ k^-exponent on kmin..kmax, normalised; NULL when out of memory. */
static double *power_cdf(double exponent, uint32_t kmin, uint32_t kmax) {
    size_t len = (size_t)kmax - kmin + 1;
    double *cdf = malloc(len * sizeof *cdf), sum = 0;
    if (!cdf) return NULL;
    for (size_t i = 0; i < len; i++) cdf[i] = sum += pow((double)(kmin + i), -exponent);
    for (size_t i = 0; i < len; i++) cdf[i] /= sum;
    cdf[len - 1] = 1.0;
    return cdf;
}

/* Degrees of all members, one stream per block; returns their sum, made even. */
static uint64_t draw_degrees(uint32_t *deg, uint32_t count, const double *cdf, uint32_t kmin,
                             uint32_t kmax, const rng_t *r, uint32_t purpose, int nt) {
    uint64_t units = units_of(count, ROWS_PER_UNIT), sum = 0;
    (void)nt;   /* unused without OpenMP */
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt) reduction(+ : sum)
    for (uint64_t u = 0; u < units; u++) {
        rng_stream s;
        rng_stream_at(&s, r, 0, u, purpose);
        for (uint64_t i = u * ROWS_PER_UNIT; i < min_u64((u + 1) * ROWS_PER_UNIT, count); i++) {
            double x = rng_uniform(&s);
            size_t lo = 0, hi = (size_t)kmax - kmin;   /* first index with cdf > x */
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (cdf[mid] > x) hi = mid;
                else lo = mid + 1;
            }
            sum += deg[i] = kmin + (uint32_t)lo;
        }
    }
    if (sum % 2 && deg[count - 1] < kmax) deg[count - 1]++, sum++;
    else if (sum % 2) deg[count - 1]--, sum--;
    return sum;
}

/* Fisher-Yates: for i = len down to 2, swap a[i-1] with a[rng_below(s, i)]. The draws do
 * not depend on a, so they are made SHUFFLE_AHEAD at a time and the slots they pick are
 * fetched before the swaps, which then run in the same order as one at a time: the same
 * permutation, without waiting on each scattered slot in turn. */
static void shuffle(uint32_t *a, uint64_t len, rng_stream *s) {
    uint64_t j[SHUFFLE_AHEAD];
    for (uint64_t i = len; i > 1;) {
        uint64_t b = min_u64(i - 1, SHUFFLE_AHEAD);
        for (uint64_t k = 0; k < b; k++) {
            j[k] = rng_below(s, i - k);
            __builtin_prefetch(&a[j[k]], 1);
        }
        for (uint64_t k = 0; k < b; k++, i--) {
            uint32_t t = a[i - 1];
            a[i - 1] = a[j[k]];
            a[j[k]] = t;
        }
    }
}

/* The half-edge list (member i repeated deg[i] times), shuffled with the SUB_STREAM stream. */
static uint32_t *shuffled_half_edges(const uint32_t *deg, uint32_t count, uint64_t sum,
                                const rng_t *r, uint32_t purpose) {
    uint32_t *half_edge = malloc((sum ? sum : 1) * sizeof *half_edge);
    if (!half_edge) return NULL;
    uint64_t at = 0;
    for (uint32_t i = 0; i < count; i++)
        for (uint32_t d = 0; d < deg[i]; d++) half_edge[at++] = i;
    rng_stream s;
    rng_stream_at(&s, r, 0, SUB_STREAM, purpose);
    shuffle(half_edge, sum, &s);
    return half_edge;
}

sim_status net_gen_config(net_t **out, uint32_t n, uint32_t first, uint32_t count,
                          double exponent, uint32_t kmin, uint32_t kmax, const rng_t *r,
                          uint32_t purpose, int threads, sim_err *err) {
    return net_gen_config_stats(out, n, first, count, exponent, kmin, kmax, r, purpose,
                                threads, NULL, err);
}

sim_status net_gen_config_stats(net_t **out, uint32_t n, uint32_t first, uint32_t count,
                                double exponent, uint32_t kmin, uint32_t kmax, const rng_t *r,
                                uint32_t purpose, int threads, net_stats *stats,
                                sim_err *err) {
    return net_gen_config_by(net_build_new, out, n, first, count, exponent, kmin, kmax, r,
                             purpose, threads, stats, err);
}

sim_status net_gen_config_by(net_builder_fn build, net_t **out, uint32_t n, uint32_t first,
                             uint32_t count, double exponent, uint32_t kmin, uint32_t kmax,
                             const rng_t *r, uint32_t purpose, int threads, net_stats *stats,
                             sim_err *err) {
    *out = NULL;
    if (stats) memset(stats, 0, sizeof *stats);
    sim_status st = net_check_range("config", n, first, count, err);
    if (st != SIM_OK) return st;
    if (!isfinite(exponent) || kmin < 1 || kmin > kmax)
        return err_set(err, SIM_ESCENARIO, "config layer: need a finite exponent (got %g) "
                       "and 1 <= kmin <= kmax (got %u, %u)", exponent, kmin, kmax);
    if (count < 2) return build(out, n, 0, NULL, NULL, 0, 0, 0, 0, NULL, err);
    if (kmax > count - 1) kmax = count - 1;
    if (kmin > kmax) kmin = kmax;
    double *cdf = power_cdf(exponent, kmin, kmax);
    uint32_t *deg = malloc((size_t)count * sizeof *deg), *half_edge = NULL;
    if (cdf && deg) {
        uint64_t sum = draw_degrees(deg, count, cdf, kmin, kmax, r, purpose, net_team(threads));
        if ((half_edge = shuffled_half_edges(deg, count, sum, r, purpose))) {
            free(deg), deg = NULL;
            net_tie_view_t c = {half_edge, half_edge + 1, sum / 2, 2, first};
            st = build(out, n, 0, net_ties_unit, &c, units_of(sum / 2, NET_TIES_PER_UNIT), 1,
                       0, threads, stats, err);
        }
    }
    if (!cdf || (!half_edge && st == SIM_OK)) st = net_oom(err, "config half-edges", 4ull * count * kmin);
    free(cdf);
    free(deg);
    free(half_edge);
    return st;
}
