/* tests/bench/layer_bench.c - times one layer build, nothing else: `make bench` runs it for the
 * layer line (scripts/bench-layers.sh), and it is the way to time the 10^8 build without a
 * whole run.
 *
 *   build/bench/layer_bench KIND COUNT [Z] [THREADS] [REPEATS]
 *
 * KIND er, ws (rewire 0.1), sbm (32 regions x 4 groups, h_region 0.6, h_group 0.5, members
 * assigned by a fixed hash of their index) or config (exponent 2.5, degrees 2..1000; Z is
 * ignored); COUNT persons (1e8 accepted); Z mean degree (default 8); THREADS (default 2);
 * REPEATS builds (default 1). Seed 1, run 0, purpose RNG_NET. Prints one line per build:
 * wall seconds, CPU seconds of the process (user + system, all threads), arcs, and a 64-bit
 * checksum of the offsets (net_begin of every agent, as whole 64-bit indices, so the sum is
 * the one older binaries printed over their 64-bit offsets) and adj (so that two builds, or
 * two binaries, can be seen to give the same layer), then the peak resident memory of the
 * process (getrusage). The checksum pass is not timed. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "net.h"

/* FNV-1a-style mix over 64-bit words: order-sensitive, so a reordered list changes it. */
static uint64_t mix(uint64_t h, uint64_t x) { return (h ^ x) * 0x100000001b3ull; }

static uint64_t checksum(const net_t *g) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint64_t i = 0; i <= g->n; i++) h = mix(h, net_begin(g, (uint32_t)i));
    uint64_t a = 0;
    for (; a + 1 < g->m; a += 2) h = mix(h, (uint64_t)g->adj[a] << 32 | g->adj[a + 1]);
    if (a < g->m) h = mix(h, g->adj[a]);
    return h;
}

static double cpu_seconds(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static uint8_t *hashed_labels(uint32_t count, int k, uint32_t salt) {
    uint8_t *x = malloc(count ? count : 1);
    if (!x) return NULL;
    for (uint32_t i = 0; i < count; i++)
        x[i] = (uint8_t)(((uint64_t)(i ^ salt) * 2654435761u >> 16) % (uint64_t)k);
    return x;
}

static sim_status build(net_t **g, const char *kind, uint32_t count, double z, int threads,
                        const rng_t *r, sim_err *err) {
    if (!strcmp(kind, "er"))
        return net_gen_er(g, count, 0, count, z, r, RNG_NET, threads, err);
    if (!strcmp(kind, "ws"))
        return net_gen_ws(g, count, 0, count, z, 0.1, r, RNG_NET, threads, err);
    if (!strcmp(kind, "config"))
        return net_gen_config(g, count, 0, count, 2.5, 2, 1000, r, RNG_NET, threads, err);
    uint8_t *region = hashed_labels(count, 32, 0), *group = hashed_labels(count, 4, 7);
    sim_status st = region && group
                        ? net_gen_sbm(g, count, 0, count, z, region, 32, group, 4, 0.6, 0.5, r,
                                      RNG_NET, threads, err)
                        : err_set(err, SIM_ENOMEM, "out of memory for the labels");
    free(region);
    free(group);
    return st;
}

int main(int argc, char **argv) {
    if (argc < 3 || (strcmp(argv[1], "er") && strcmp(argv[1], "ws") &&
                     strcmp(argv[1], "sbm") && strcmp(argv[1], "config"))) {
        fprintf(stderr, "usage: layer_bench er|ws|sbm|config COUNT [Z] [THREADS] [REPEATS]\n");
        return 2;
    }
    double cnt = atof(argv[2]);
    if (!(cnt >= 0 && cnt < 4294967295.0)) {
        fprintf(stderr, "layer_bench: COUNT must lie in 0..2^32-2\n");
        return 2;
    }
    uint32_t count = (uint32_t)cnt;
    double z = argc > 3 ? atof(argv[3]) : 8;
    int threads = argc > 4 ? atoi(argv[4]) : 2, reps = argc > 5 ? atoi(argv[5]) : 1;
    rng_t r;
    rng_init(&r, 1, 0);
    for (int k = 0; k < reps; k++) {
        net_t *g = NULL;
        sim_err err = {{0}};
        double t0 = omp_get_wtime(), c0 = cpu_seconds();
        sim_status st = build(&g, argv[1], count, z, threads, &r, &err);
        double t = omp_get_wtime() - t0, c = cpu_seconds() - c0;
        if (st != SIM_OK) {
            fprintf(stderr, "layer_bench: %s\n", err.msg);
            return 1;
        }
        printf("%s n=%u z=%g threads=%d build_s=%.3f cpu_s=%.3f arcs=%llu checksum=%016llx\n", argv[1],
               count, z, threads, t, c, (unsigned long long)g->m,
               (unsigned long long)checksum(g));
        fflush(stdout);
        net_free(g);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak_MiB=%.0f\n", ru.ru_maxrss / 1024.0);
    return 0;
}
