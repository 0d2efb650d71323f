/* sim/core/mem.c - large arrays backed by memory before they are used (mem.h). */
#include "mem.h"

#include <stdint.h>
#include <sys/mman.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23   /* Linux 5.14 */
#endif

void mem_populate(void *p, size_t bytes, int threads) {
    if (!p || bytes < MEM_POPULATE_MIN) return;
    const uintptr_t page = 4096, lo = ((uintptr_t)p + page - 1) & ~(page - 1),
                    hi = ((uintptr_t)p + bytes) & ~(page - 1);
    if (hi <= lo) return;
    const uintptr_t pieces = (hi - lo + MEM_POPULATE_PIECE - 1) / MEM_POPULATE_PIECE;
    (void)threads;   /* unused without OpenMP */
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && pieces > 1)
    for (uintptr_t k = 0; k < pieces; k++) {   /* best effort: a failure leaves the faults */
        const uintptr_t a = lo + k * MEM_POPULATE_PIECE;
        const uintptr_t b = a + MEM_POPULATE_PIECE < hi ? a + MEM_POPULATE_PIECE : hi;
        (void)madvise((void *)a, b - a, MADV_POPULATE_WRITE);
    }
}
