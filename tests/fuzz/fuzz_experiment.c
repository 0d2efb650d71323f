/* tests/fuzz/fuzz_experiment.c - libFuzzer target: the experiment reader. The input is an
 * experiment file, written into a private directory that also holds base.ini (a small
 * scenario, so `scenario = base.ini` resolves); it goes through sweep_load and, when the
 * design is small, sweep_plan, sweep_overrides and sweep_job_load (which loads the scenario
 * of every design point). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_util.h"
#include "sweep.h"

enum { PLAN_ROWS_MAX = 4096, JOB_TASKS_MAX = 32 };

static char g_dir[200], g_file[256];

static const char BASE_INI[] =
    "[population]\npersons = 200\n[run]\nsteps = 3\nseed = 5\n";

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc; (void)argv;
    char base[300];
    fuzz_tmp_path(g_dir, sizeof g_dir, "experiment");
    mkdir(g_dir, 0700);
    snprintf(base, sizeof base, "%s/base.ini", g_dir);
    snprintf(g_file, sizeof g_file, "%s/exp.ini", g_dir);
    if (fuzz_write_file(base, (const uint8_t *)BASE_INI, sizeof BASE_INI - 1) != 0) abort();
    return 0;
}

/* An upper bound on the design's rows, without building it (grid: the product of the
 * levels; the sampled designs: points times (parameters + 2)). */
static double rows_bound(const sweep_spec *sp) {
    double rows = 1;
    if (sp->design == SWEEP_GRID) {
        for (size_t j = 0; j < sp->space.k; j++) rows *= (double)sp->space.param[j].m;
        return rows;
    }
    return (double)sp->points * ((double)sp->space.k + 2);
}

static void plan(const sweep_spec *sp) {
    design_t *d = NULL;
    sim_err err = {0};
    if (sweep_plan(sp, &d, &err) != SIM_OK) return;
    char buf[SWEEP_MAX_FIXED + 40][SWEEP_KV_MAX];
    const char *ptr[SWEEP_MAX_FIXED + 40];
    for (size_t p = 0; p < d->rows && p < 8; p++)
        sweep_overrides(sp, d, p, buf, ptr, SWEEP_MAX_FIXED + 40);
    design_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (fuzz_write_file(g_file, data, size) != 0) abort();
    sweep_spec sp;
    memset(&sp, 0, sizeof sp);
    sim_err err = {0};
    if (sweep_load(&sp, g_file, &err) != SIM_OK) return 0;
    double rows = rows_bound(&sp);
    if (rows <= PLAN_ROWS_MAX) plan(&sp);
    int job = rows * sp.replicates <= JOB_TASKS_MAX;
    sweep_free(&sp);
    if (job) {
        sweep_job j;
        memset(&j, 0, sizeof j);
        if (sweep_job_load(&j, g_file, &err) == SIM_OK) sweep_job_free(&j);
    }
    return 0;
}
