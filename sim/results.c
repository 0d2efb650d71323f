/* sim/results.c - in-memory result tables. */
#include "results.h"

#include "vec.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sim_status res_new(res_t **out, uint64_t event_cap, sim_err *err) {
    *out = calloc(1, sizeof **out);
    if (!*out) return err_set(err, SIM_ENOMEM, "out of memory for the results");
    (*out)->event_cap_limit = event_cap;
    return SIM_OK;
}

void res_free(res_t *r) {
    if (!r) return;
    free(r->labels);
    free(r->rows);
    free(r->summary);
    free(r->events);
    free(r);
}

int res_label(res_t *r, const char *label) {
    for (int i = 0; i < r->nlabels; i++)
        if (strcmp(r->labels[i], label) == 0) return i;
    if (r->nlabels >= 65535) return -1;
    uint64_t cap = (uint64_t)r->labels_cap;
    if (!vec_reserve((void **)&r->labels, &cap, (uint64_t)r->nlabels + 1, sizeof *r->labels))
        return -1;
    r->labels_cap = (int)cap;
    snprintf(r->labels[r->nlabels], RES_LABEL_MAX, "%s", label);
    return r->nlabels++;
}

int res_add(res_t *r, int32_t step, int name, int grp, double value) {
    if (name < 0 || grp < 0) return 0;
    if (!vec_reserve((void **)&r->rows, &r->rows_cap, r->nrows + 1, sizeof *r->rows)) return 0;
    r->rows[r->nrows++] = (res_row){step, (uint16_t)name, (uint16_t)grp, value};
    return 1;
}

int res_add_summary(res_t *r, int name, int grp, double value) {
    if (name < 0 || grp < 0) return 0;
    if (!vec_reserve((void **)&r->summary, &r->summary_cap, r->nsummary + 1, sizeof *r->summary))
        return 0;
    r->summary[r->nsummary++] = (res_row){-1, (uint16_t)name, (uint16_t)grp, value};
    return 1;
}

int res_add_event(res_t *r, const res_event *ev) {
    if (r->nevents >= r->event_cap_limit) {
        r->events_dropped++;
        return 1;
    }
    if (!vec_reserve((void **)&r->events, &r->events_cap, r->nevents + 1, sizeof *r->events))
        return 0;
    r->events[r->nevents++] = *ev;
    return 1;
}

static double find(const res_row *rows, uint64_t n, const res_t *r, int32_t step,
                   const char *name, const char *grp) {
    for (uint64_t i = 0; i < n; i++)
        if (rows[i].step == step && strcmp(r->labels[rows[i].name], name) == 0 &&
            strcmp(r->labels[rows[i].grp], grp) == 0)
            return rows[i].value;
    return NAN;
}

double res_get(const res_t *r, int32_t step, const char *name, const char *grp) {
    return find(r->rows, r->nrows, r, step, name, grp);
}

double res_get_summary(const res_t *r, const char *name, const char *grp) {
    return find(r->summary, r->nsummary, r, -1, name, grp);
}

const char *res_cause_name(int cause) {
    static const char *const names[SIM_NCAUSES] = {
        "none", "own_record", "false_record", "misattribution", "spillover", "seed"};
    return cause >= 0 && cause < SIM_NCAUSES ? names[cause] : "unknown";
}
