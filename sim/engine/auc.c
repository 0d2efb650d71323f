/* sim/engine/auc.c - Mann-Whitney AUC over radix-sorted keys (auc.h). */
#include "auc.h"

#include <math.h>
#include <omp.h>
#include <string.h>

/* Digits of RADIX_BITS bits: 6 passes at most for 64-bit keys, 3 for the 33 bits of a
 * score's key (auc_key), against 8 and 5 with bytes; 2,048 counters a thread. */
enum { RADIX_BITS = 11, RADIX = 1 << RADIX_BITS, DIGITS = (64 + RADIX_BITS - 1) / RADIX_BITS };

/* One pass of the sort on digit d: each thread of the team counts the digits of its
 * contiguous part of src, the offsets go digit value by value and, within a value, part by
 * part, and each thread scatters its part in order: a stable partition, as one thread makes
 * it. count: [AUC_MAX_THREADS][RADIX]. Called by every thread of the team. */
static void pass(const uint64_t *src, uint64_t *dst, size_t n, int d, size_t (*count)[RADIX]) {
    const int T = omp_get_num_threads(), k = omp_get_thread_num(), sh = d * RADIX_BITS;
    const size_t lo = n * (size_t)k / (size_t)T, hi = n * (size_t)(k + 1) / (size_t)T;
    size_t *c = count[k];
    memset(c, 0, RADIX * sizeof *c);
    for (size_t i = lo; i < hi; i++) c[src[i] >> sh & (RADIX - 1)]++;
#pragma omp barrier
#pragma omp single
    {
        size_t pos = 0;
        for (int v = 0; v < RADIX; v++)
            for (int j = 0; j < T; j++) {
                size_t m = count[j][v];
                count[j][v] = pos, pos += m;
            }
    }
    for (size_t i = lo; i < hi; i++) dst[c[src[i] >> sh & (RADIX - 1)]++] = src[i];
#pragma omp barrier
}

void auc_radix_sort(uint64_t *key, uint64_t *tmp, size_t n, int threads) {
    if (threads < 1 || n < AUC_PARALLEL_MIN) threads = 1;
    if (threads > AUC_MAX_THREADS) threads = AUC_MAX_THREADS;
    size_t count[AUC_MAX_THREADS][RADIX];   /* 256 KiB of the caller's stack */
    uint64_t diff = 0;   /* the bits in which some key differs from the first */
#pragma omp parallel for schedule(static) num_threads(threads) reduction(| : diff)
    for (size_t i = 0; i < n; i++) diff |= key[i] ^ key[0];
    uint64_t *src = key, *dst = tmp;
#pragma omp parallel num_threads(threads) firstprivate(src, dst)
    {
        for (int d = 0; d < DIGITS; d++) {
            if (!(diff >> (d * RADIX_BITS) & (RADIX - 1))) continue;   /* alike in every key */
            pass(src, dst, n, d, count);
            uint64_t *t = src;
            src = dst, dst = t;
        }
#pragma omp single
        if (src != key) memcpy(key, src, n * sizeof *key);
    }
}

double auc_of_keys(uint64_t *key, uint64_t *tmp, size_t n, int threads) {
    auc_radix_sort(key, tmp, n, threads);
    double pos = 0, rank_sum = 0;
    for (size_t k = 0; k < n;) {
        size_t e = k;
        while (e < n && key[e] >> 1 == key[k] >> 1) e++;
        double mid = (double)(k + e + 1) / 2;   /* ranks k+1 .. e, averaged */
        for (size_t j = k; j < e; j++)
            if (key[j] & 1) pos++, rank_sum += mid;
        k = e;
    }
    double neg = (double)n - pos;
    if (pos == 0 || neg == 0) return NAN;
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}
