/* sim/core/mem.h - large arrays backed by memory before they are used. Prefix mem_.
 *
 * A large allocation is a fresh mapping whose pages the kernel supplies one fault at a time
 * on first touch. On this project's 2-core virtual machine a fault cost 3-6 us, and a page
 * first read (mapped to the shared zero page) and later written cost two faults and a TLB
 * flush of the other core: the engine's calloc'd state, read before it is written, spent
 * 0.07 s of system time at 10^6 persons on that alone (docs/performance.md). mem_populate
 * asks for the pages of an array that will be written anyway, writable, in one call. */
#ifndef SIM_MEM_H
#define SIM_MEM_H

#include <stddef.h>

/* Arrays smaller than this are left to fault as they are touched; pieces of at least
 * MEM_POPULATE_PIECE go to different threads. */
enum { MEM_POPULATE_MIN = 1 << 20, MEM_POPULATE_PIECE = 2 << 20 };

/* Backs the whole pages of [p, p + bytes) with zeroed writable memory now (Linux
 * MADV_POPULATE_WRITE), on up to `threads` OpenMP threads (256 MB on this machine: 3.2
 * GB/s on one, 5.5 GB/s on two); only for memory fresh from the allocator that the caller
 * will write in full or almost (a page populated and never touched is resident for
 * nothing). Does nothing below MEM_POPULATE_MIN or where the kernel cannot (before Linux
 * 5.14): the pages then fault as before. Contents are unchanged. */
void mem_populate(void *p, size_t bytes, int threads);

#endif
