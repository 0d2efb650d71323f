/* sim/core/vec.h - arrays that grow by doubling. Prefix vec_.
 * Used for buffers that reach their working size in the first steps and are then reused, so
 * the step loop allocates nothing once it is warm. */
#ifndef SIM_VEC_H
#define SIM_VEC_H

#include <stdint.h>
#include <stdlib.h>

/* Makes room for `need` elements of `elem` bytes in *arr (capacity *cap, doubled from 64 as
 * needed). Returns 0, leaving *arr and *cap unchanged, when out of memory. */
static inline int vec_reserve(void **arr, uint64_t *cap, uint64_t need, size_t elem) {
    if (need <= *cap) return 1;
    uint64_t ncap = *cap ? *cap : 64;
    while (ncap < need) ncap *= 2;
    void *p = realloc(*arr, ncap * elem);
    if (!p) return 0;
    *arr = p;
    *cap = ncap;
    return 1;
}

#endif
