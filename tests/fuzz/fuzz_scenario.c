/* tests/fuzz/fuzz_scenario.c - libFuzzer target: the scenario reader. The input is scenario
 * text, optionally followed by a line "--set" and then one override ("section.key=value")
 * per line; it goes through scn_load (files, includes, overrides, cross-key checks) and, when
 * it loads, through scn_write and scn_to_json, whose output must read back. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "scenario.h"

enum { MAX_SETS = 16 };

/* Splits text at the first "\n--set\n" line: the overrides after it, one per line. */
static int split_sets(char *text, const char **sets) {
    char *mark = strstr(text, "\n--set\n");
    if (!mark) return 0;
    *mark = '\0';
    int n = 0;
    for (char *line = mark + 7; line && *line && n < MAX_SETS;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl++ = '\0';
        sets[n++] = line;
        line = nl;
    }
    return n;
}

/* The written scenario must load again (scn_write's contract: it reads back). */
static void check_roundtrip(const scenario *sc) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) abort();
    sim_err err = {0};
    sim_status st = scn_write(sc, f, &err);
    fclose(f);
    if (st != SIM_OK) abort();
    scenario again;
    if (scn_load_string(&again, "written.ini", buf, NULL, 0, &err) != SIM_OK) {
        fprintf(stderr, "scn_write output does not read back: %s\n", err.msg);
        abort();
    }
    scn_free(&again);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char path[256];
    fuzz_tmp_path(path, sizeof path, "scenario.ini");
    char *text = fuzz_strndup(data, size);
    const char *sets[MAX_SETS];
    int nsets = split_sets(text, sets);
    if (fuzz_write_file(path, (const uint8_t *)text, strlen(text)) != 0) abort();
    scenario sc;
    sim_err err = {0};
    if (scn_load(&sc, path, sets, nsets, &err) == SIM_OK) {
        char *json = scn_to_json(&sc);
        free(json);
        check_roundtrip(&sc);
        scn_free(&sc);
    }
    free(text);
    remove(path);
    return 0;
}
