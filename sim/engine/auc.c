/* sim/engine/auc.c - Mann-Whitney AUC over radix-sorted keys (auc.h).
 *
 * The sort is most-significant digit first down to parts that fit the cache, then least
 * significant digit first inside each part. A pass of the LSD sort over an array larger than
 * the cache reads it twice and writes it once at memory speed; at 10^7 keys of 64 bits the
 * six passes the old all-LSD sort made took 75 ms of a 5.3 s run. Here only the MSD passes
 * (one, for keys spread evenly) touch the whole array; each part is then sorted where it
 * sits in the cache and copied back once. The sorted array is the same bytes either way:
 * it is the unique ascending order of the keys. */
#include "auc.h"

#include <math.h>
#include <omp.h>
#include <string.h>

/* Digits of RADIX_BITS bits: 2,048 counters a pass. A part of up to CACHE_KEYS keys (and its
 * scratch: 512 KiB together) is sorted by LSD passes in the cache; a part of up to
 * SHORT_KEYS by insertion (a pass's counters would cost more than the part). */
enum { RADIX_BITS = 11, RADIX = 1 << RADIX_BITS, DIGITS = (64 + RADIX_BITS - 1) / RADIX_BITS,
       CACHE_KEYS = 1 << 15, SHORT_KEYS = 48 };

/* The bits below bit `top` in which some key of a[0..n) differs from a[0]. */
static uint64_t diff_below(const uint64_t *a, size_t n, int top) {
    uint64_t d = 0;
    for (size_t i = 1; i < n; i++) d |= a[i] ^ a[0];
    return top >= 64 ? d : d & ((1ull << top) - 1);
}

static void insertion(uint64_t *a, size_t n) {
    for (size_t i = 1; i < n; i++) {
        uint64_t x = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > x; j--) a[j] = a[j - 1];
        a[j] = x;
    }
}

/* One stable counting pass of src into dst on the digit at bit sh, one thread. */
static void lsd_pass(const uint64_t *src, uint64_t *dst, size_t n, int sh) {
    uint32_t c[RADIX] = {0};
    for (size_t i = 0; i < n; i++) c[src[i] >> sh & (RADIX - 1)]++;
    uint32_t pos = 0;
    for (int v = 0; v < RADIX; v++) {
        uint32_t m = c[v];
        c[v] = pos, pos += m;
    }
    for (size_t i = 0; i < n; i++) dst[c[src[i] >> sh & (RADIX - 1)]++] = src[i];
}

/* The highest digit of the MSD step for keys differing in diff (nonzero): its lowest bit.
 * The digit's 11 bits end at the highest bit that differs. */
static int msd_shift(uint64_t diff) {
    int h = 63 - __builtin_clzll(diff);
    return h >= RADIX_BITS - 1 ? h - (RADIX_BITS - 1) : 0;
}

/* Sorts a[0..n), whose keys agree in every bit from bit top up, with s[0..n) as scratch;
 * the result is in a. One thread. */
static void sort_part(uint64_t *a, uint64_t *s, size_t n, int top) {
    if (n <= SHORT_KEYS) {
        insertion(a, n);
        return;
    }
    uint64_t diff = diff_below(a, n, top);
    if (!diff) return;
    if (n <= CACHE_KEYS) {   /* LSD in the cache, skipping digits alike in every key */
        uint64_t *src = a, *dst = s;
        for (int d = 0; d < DIGITS && d * RADIX_BITS < top; d++) {
            if (!(diff >> (d * RADIX_BITS) & (RADIX - 1))) continue;
            lsd_pass(src, dst, n, d * RADIX_BITS);
            uint64_t *t = src;
            src = dst, dst = t;
        }
        if (src != a) memcpy(a, src, n * sizeof *a);
        return;
    }
    const int sh = msd_shift(diff);   /* MSD: partition by the highest digit, then each part */
    size_t c[RADIX] = {0}, pos = 0;
    for (size_t i = 0; i < n; i++) c[a[i] >> sh & (RADIX - 1)]++;
    for (int v = 0; v < RADIX; v++) {
        size_t m = c[v];
        c[v] = pos, pos += m;
    }
    for (size_t i = 0; i < n; i++) s[c[a[i] >> sh & (RADIX - 1)]++] = a[i];
    for (int v = 0; v < RADIX; v++) {   /* c[v]: the end of value v's part */
        size_t lo = v ? c[v - 1] : 0, m = c[v] - lo;
        if (!m) continue;
        sort_part(s + lo, a + lo, m, sh);
        memcpy(a + lo, s + lo, m * sizeof *a);
    }
}

/* The MSD step on the team: each thread counts the digits of its contiguous part of src,
 * the offsets go digit value by value and, within a value, part by part, and each thread
 * scatters its part in order (a stable partition, as one thread makes it). count:
 * [AUC_MAX_THREADS][RADIX]; start gets each digit value's first index, start[RADIX] = n.
 * Called by every thread of the team. */
static void msd_team(const uint64_t *src, uint64_t *dst, size_t n, int sh,
                     size_t (*count)[RADIX], size_t *start) {
    const int T = omp_get_num_threads(), k = omp_get_thread_num();
    const size_t lo = n * (size_t)k / (size_t)T, hi = n * (size_t)(k + 1) / (size_t)T;
    size_t *c = count[k];
    memset(c, 0, RADIX * sizeof *c);
    for (size_t i = lo; i < hi; i++) c[src[i] >> sh & (RADIX - 1)]++;
#pragma omp barrier
#pragma omp single
    {
        size_t pos = 0;
        for (int v = 0; v < RADIX; v++) {
            start[v] = pos;
            for (int j = 0; j < T; j++) {
                size_t m = count[j][v];
                count[j][v] = pos, pos += m;
            }
        }
        start[RADIX] = pos;
    }
    for (size_t i = lo; i < hi; i++) dst[c[src[i] >> sh & (RADIX - 1)]++] = src[i];
#pragma omp barrier
}

/* sort_part on a team of threads: the MSD step in parallel; parts larger than a thread's
 * share (one digit value holding most keys) sorted the same way, one after another; the
 * others shared out whole. count: the team's counters (reused by each level). */
static void sort_team(uint64_t *a, uint64_t *s, size_t n, int top, int threads,
                      size_t (*count)[RADIX]) {
    uint64_t diff = 0;
#pragma omp parallel for schedule(static) num_threads(threads) reduction(| : diff)
    for (size_t i = 0; i < n; i++) diff |= a[i] ^ a[0];
    if (top < 64) diff &= (1ull << top) - 1;
    if (!diff) return;
    if (n <= CACHE_KEYS) {
        sort_part(a, s, n, top);
        return;
    }
    const int sh = msd_shift(diff);
    size_t start[RADIX + 1];
#pragma omp parallel num_threads(threads)
    msd_team(a, s, n, sh, count, start);
    const size_t big = n / (2 * (size_t)threads) > CACHE_KEYS ? n / (2 * (size_t)threads)
                                                               : CACHE_KEYS;
    for (int v = 0; v < RADIX; v++) {
        size_t lo = start[v], m = start[v + 1] - lo;
        if (m <= big) continue;
        sort_team(s + lo, a + lo, m, sh, threads, count);
#pragma omp parallel for schedule(static) num_threads(threads)
        for (size_t i = lo; i < lo + m; i++) a[i] = s[i];
    }
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (int v = 0; v < RADIX; v++) {
        size_t lo = start[v], m = start[v + 1] - lo;
        if (!m || m > big) continue;
        sort_part(s + lo, a + lo, m, sh);
        memcpy(a + lo, s + lo, m * sizeof *a);
    }
}

void auc_radix_sort(uint64_t *key, uint64_t *tmp, size_t n, int threads) {
    if (n < 2) return;
    if (threads < 1 || n < AUC_PARALLEL_MIN) threads = 1;
    if (threads > AUC_MAX_THREADS) threads = AUC_MAX_THREADS;
    if (threads == 1) {
        sort_part(key, tmp, n, 64);
        return;
    }
    size_t count[AUC_MAX_THREADS][RADIX];   /* 256 KiB of the caller's stack */
    sort_team(key, tmp, n, 64, threads, count);
}

/* The positives of sorted key[lo..hi) and twice their rank sum (a tie group's ranks
 * k+1 .. e averaged: (k + e + 1) / 2 each), where lo and hi start tie groups. Without
 * branches on the keys: a group is closed at the index that starts the next. */
static void rank_part(const uint64_t *key, size_t lo, size_t hi, uint64_t *pos,
                      uint64_t *sum2) {
    uint64_t p = 0, r = 0, ones = 0, k = lo;   /* ones: the positives of the group from k */
    if (lo < hi) ones = key[lo] & 1;
    for (size_t j = lo + 1; j < hi; j++) {
        const uint64_t b = ((key[j] ^ key[j - 1]) >> 1) != 0;   /* j starts a group */
        r += b * ones * (k + j + 1), p += b * ones;
        ones = (ones & (b - 1)) + (key[j] & 1);
        k += b * (j - k);
    }
    if (lo < hi) r += ones * (k + hi + 1), p += ones;
    *pos = p, *sum2 = r;
}

/* The first index at or after i that starts a tie group of sorted key[0..n). */
static size_t group_start(const uint64_t *key, size_t n, size_t i) {
    while (i > 0 && i < n && key[i] >> 1 == key[i - 1] >> 1) i++;
    return i;
}

/* The rank sum is kept in integers (twice the sum: whole numbers), exact at any n and in any
 * order; as a double it is the sum the serial loop of earlier versions added up whenever that
 * sum was exact (below 2^52, every n under 9.4x10^7 keys). */
double auc_of_keys(uint64_t *key, uint64_t *tmp, size_t n, int threads) {
    auc_radix_sort(key, tmp, n, threads);
    if (threads < 1 || n < AUC_PARALLEL_MIN) threads = 1;
    if (threads > AUC_MAX_THREADS) threads = AUC_MAX_THREADS;
    uint64_t pos = 0, sum2 = 0;
#pragma omp parallel num_threads(threads) reduction(+ : pos, sum2)
    {
        const int T = omp_get_num_threads(), k = omp_get_thread_num();
        size_t lo = group_start(key, n, n * (size_t)k / (size_t)T);
        size_t hi = group_start(key, n, n * (size_t)(k + 1) / (size_t)T);
        rank_part(key, lo, hi, &pos, &sum2);
    }
    double p = (double)pos, neg = (double)n - p, rank_sum = (double)sum2 / 2;
    if (pos == 0 || neg == 0) return NAN;
    return (rank_sum - p * (p + 1) / 2) / (p * neg);
}
