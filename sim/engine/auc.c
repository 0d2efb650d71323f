/* sim/engine/auc.c - Mann-Whitney AUC over radix-sorted keys (auc.h). */
#include "auc.h"

#include <math.h>
#include <omp.h>
#include <string.h>

/* One pass of the sort on byte b: each of the team's threads counts the digits of its
 * contiguous part of src, the offsets go digit by digit and, within a digit, part by part,
 * and each thread scatters its part in order: a stable partition, as one thread makes it.
 * count: [AUC_MAX_THREADS][256]. Called by every thread of the team. */
static void pass(const uint64_t *src, uint64_t *dst, size_t n, int b,
                 size_t (*count)[256]) {
    const int T = omp_get_num_threads(), k = omp_get_thread_num();
    const size_t lo = n * (size_t)k / (size_t)T, hi = n * (size_t)(k + 1) / (size_t)T;
    size_t *c = count[k];
    memset(c, 0, 256 * sizeof *c);
    for (size_t i = lo; i < hi; i++) c[src[i] >> (8 * b) & 0xff]++;
#pragma omp barrier
#pragma omp single
    {
        size_t pos = 0;
        for (int v = 0; v < 256; v++)
            for (int j = 0; j < T; j++) {
                size_t m = count[j][v];
                count[j][v] = pos, pos += m;
            }
    }
    for (size_t i = lo; i < hi; i++) dst[c[src[i] >> (8 * b) & 0xff]++] = src[i];
#pragma omp barrier
}

void auc_radix_sort(uint64_t *key, uint64_t *tmp, size_t n, int threads) {
    size_t count[AUC_MAX_THREADS][256];
    if (threads < 1 || n < AUC_PARALLEL_MIN) threads = 1;
    if (threads > AUC_MAX_THREADS) threads = AUC_MAX_THREADS;
    uint64_t diff = 0;   /* the bits in which some key differs from the first */
#pragma omp parallel for schedule(static) num_threads(threads) reduction(| : diff)
    for (size_t i = 0; i < n; i++) diff |= key[i] ^ key[0];
    uint64_t *src = key, *dst = tmp;
#pragma omp parallel num_threads(threads) firstprivate(src, dst)
    {
        for (int b = 0; b < 8; b++) {
            if (!(diff >> (8 * b) & 0xff)) continue;   /* every key has the same byte b */
            pass(src, dst, n, b, count);
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
