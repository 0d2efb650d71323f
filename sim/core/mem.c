/* sim/core/mem.c - large arrays backed by memory before they are used (mem.h). */
#include "mem.h"

#include <stdint.h>
#include <sys/mman.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23   /* Linux 5.14 */
#endif

void mem_populate(void *p, size_t bytes) {
    if (!p || bytes < MEM_POPULATE_MIN) return;
    const uintptr_t page = 4096, lo = ((uintptr_t)p + page - 1) & ~(page - 1),
                    hi = ((uintptr_t)p + bytes) & ~(page - 1);
    if (hi > lo) (void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);   /* best effort */
}
