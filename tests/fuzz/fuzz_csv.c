/* tests/fuzz/fuzz_csv.c - libFuzzer target: the CSV edge-list importer (net_read_csv). The
 * input is the file; it is read as an undirected layer of 40 members within 50 agents and
 * as a directed one of all 50, and every network read must pass net_validate; the check-only
 * pass (net_check_csv, what validate uses) must give the same status, message and lines. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "net.h"

static void read_as(const char *path, uint32_t first, uint32_t count, int directed) {
    net_t *g = NULL;
    net_stats stats;
    sim_err err = {0}, err2 = {0};
    uint64_t lines = 0;
    sim_status st = net_read_csv(&g, path, 50, first, count, directed, &stats, &err);
    if (net_check_csv(path, count, NULL, &lines, &err2) != st ||
        (st == SIM_OK && lines != stats.lines) || (st != SIM_OK && strcmp(err.msg, err2.msg))) {
        fprintf(stderr, "net_check_csv disagrees with net_read_csv: %s / %s\n", err.msg,
                err2.msg);
        abort();
    }
    if (st == SIM_OK) {
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
