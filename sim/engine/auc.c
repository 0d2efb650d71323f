/* sim/engine/auc.c - Mann-Whitney AUC over radix-sorted keys (auc.h). */
#include "auc.h"

#include <math.h>
#include <string.h>

void auc_radix_sort(uint64_t *key, uint64_t *tmp, size_t n) {
    size_t count[8][256];
    uint64_t *src = key, *dst = tmp;
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 8; b++) count[b][key[i] >> (8 * b) & 0xff]++;
    for (int b = 0; b < 8; b++) {
        size_t pos = 0, skip = 0;
        for (int v = 0; v < 256; v++) skip |= count[b][v] == n;
        if (skip) continue;   /* every key has the same byte b */
        for (int v = 0; v < 256; v++) {
            size_t c = count[b][v];
            count[b][v] = pos, pos += c;
        }
        for (size_t i = 0; i < n; i++) dst[count[b][src[i] >> (8 * b) & 0xff]++] = src[i];
        uint64_t *t = src;
        src = dst, dst = t;
    }
    if (src != key) memcpy(key, src, n * sizeof *key);
}

double auc_of_keys(uint64_t *key, uint64_t *tmp, size_t n) {
    auc_radix_sort(key, tmp, n);
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
