/* tests/fuzz/fuzz_csv.c - libFuzzer target: the CSV edge-list importer (net_read_csv). The
 * input is the file; it is read as an undirected layer of 40 members within 50 agents and
 * as a directed one of all 50, and every network read must pass net_validate. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_util.h"
#include "net.h"

static void read_as(const char *path, uint32_t first, uint32_t count, int directed) {
    net_t *g = NULL;
    net_stats stats;
    sim_err err = {0};
    if (net_read_csv(&g, path, 50, first, count, directed, &stats, &err) == SIM_OK) {
        if (!g || net_validate(g, &err) != SIM_OK) {
            fprintf(stderr, "net_read_csv gave an invalid network: %s\n", err.msg);
            abort();
        }
    }
    net_free(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char path[256];
    fuzz_tmp_path(path, sizeof path, "edges.csv");
    if (fuzz_write_file(path, data, size) != 0) abort();
    read_as(path, 10, 40, 0);
    read_as(path, 0, 50, 1);
    remove(path);
    return 0;
}
