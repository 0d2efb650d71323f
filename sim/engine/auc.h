/* sim/engine/auc.h - the area under the ROC curve (Mann-Whitney) of a ranking, by an exact
 * radix sort of one 64-bit key per item instead of a comparison sort. Prefix auc_.
 * Engine-internal (exposure.c, infer.c); no state, no allocation but what a call says.
 *
 * A key holds the item's rank bits above bit 0 and its label (0/1) in bit 0. Keys whose
 * bits above bit 0 are equal are ties: they share their averaged rank (Mann-Whitney's half
 * for a tie). Sorting is by the whole key, so the ranking and its ties are those of the
 * rank bits; the order inside a tie does not enter the AUC. */
#ifndef SIM_ENGINE_AUC_H
#define SIM_ENGINE_AUC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* An order-preserving map of a float to 32 bits: x < y exactly when auc_order_bits(x) <
 * auc_order_bits(y), and -0 and +0 map alike (they compare equal). NaN maps above +inf
 * (positive NaN) or below -inf (negative NaN); callers rank no NaN. */
static inline uint32_t auc_order_bits(float x) {
    uint32_t u;
    if (x == 0) x = 0;   /* -0 as +0 */
    memcpy(&u, &x, sizeof u);
    return u >> 31 ? ~u : u | 0x80000000u;
}

/* The key of one score: u's order bits above the label y (0 or 1). Keys of equal u (==)
 * are ties. */
static inline uint64_t auc_key(float u, int y) {
    return (uint64_t)auc_order_bits(u) << 1 | (uint64_t)(y != 0);
}

/* Sorts key[0..n) ascending (as unsigned 64-bit integers), using tmp[n] as scratch; the
 * result is in key. Radix by digits of 11 bits: most significant digit first (from the
 * highest bit in which keys differ) until a part holds at most 32,768 keys, then least
 * significant first inside the part, in the cache, skipping a digit that every key of the
 * part has alike. Counts: 16 KiB a thread (256 KiB of the caller's stack) and 16 KiB
 * of each thread's stack per MSD level. threads: OpenMP threads (at most AUC_MAX_THREADS;
 * one below AUC_PARALLEL_MIN keys), each a contiguous part of an MSD pass, then whole parts;
 * the result is the sorted array, the same with any number. */
enum { AUC_MAX_THREADS = 16, AUC_PARALLEL_MIN = 65536 };
void auc_radix_sort(uint64_t *key, uint64_t *tmp, size_t n, int threads);

/* The AUC of the keys (auc_radix_sort's order, ties counting one half): the probability
 * that a label-1 key outranks a label-0 one. Sorts key (tmp[n]: scratch). NaN when either
 * class is empty. Cost: the sort (threads as there), then one pass, split between the
 * threads at tie groups (the rank sum in integers: the same value with any number). */
double auc_of_keys(uint64_t *key, uint64_t *tmp, size_t n, int threads);

#endif
