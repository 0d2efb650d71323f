/* sim/core/results.c - in-memory result tables. */
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

const char *res_exit_name(int reason) {
    static const char *const names[] = {"term", "appeal", "comply", "repair"};
    return reason >= 0 && reason < 4 ? names[reason] : "unknown";
}

const char *res_cause_name(int cause) {
    static const char *const names[SIM_NCAUSES] = {
        "none", "own_record", "false_record", "misattribution", "spillover", "seed"};
    return cause >= 0 && cause < SIM_NCAUSES ? names[cause] : "unknown";
}

/* Layout: magic, counts, then labels, rows, summary, events, agency names, as stored. */
typedef struct pack_head {
    uint64_t magic, nlabels, nrows, nsummary, nevents, event_cap, dropped, nagencies;
} pack_head;

static const uint64_t PACK_MAGIC = 0x5C5151D0C0DE0001ull;

sim_status res_pack(const res_t *r, void **buf, size_t *len, sim_err *err) {
    pack_head h = {PACK_MAGIC, (uint64_t)r->nlabels, r->nrows, r->nsummary, r->nevents,
                   r->event_cap_limit, r->events_dropped, (uint64_t)r->nagencies};
    size_t parts[] = {sizeof h, (size_t)r->nlabels * sizeof *r->labels,
                      r->nrows * sizeof *r->rows, r->nsummary * sizeof *r->summary,
                      r->nevents * sizeof *r->events, sizeof r->agency_names};
    const void *src[] = {&h, r->labels, r->rows, r->summary, r->events, r->agency_names};
    size_t n = 0;
    for (size_t k = 0; k < 6; k++) n += parts[k];
    char *p = malloc(n);
    if (!p) return err_set(err, SIM_ENOMEM, "out of memory packing %zu bytes of results", n);
    *buf = p;
    *len = n;
    for (size_t k = 0; k < 6; k++) {
        if (parts[k]) memcpy(p, src[k], parts[k]);
        p += parts[k];
    }
    return SIM_OK;
}

/* Copies n bytes from *p into a new array *dst (NULL when n is 0), advancing *p. */
static int take(void **dst, const char **p, size_t n) {
    *dst = NULL;
    if (!n) return 1;
    if (!(*dst = malloc(n))) return 0;
    memcpy(*dst, *p, n);
    *p += n;
    return 1;
}

sim_status res_unpack(res_t **out, const void *buf, size_t len, sim_err *err) {
    pack_head h;
    *out = NULL;
    if (len < sizeof h || (memcpy(&h, buf, sizeof h), h.magic != PACK_MAGIC) ||
        h.nlabels > 65535 || h.nagencies > RES_MAX_AGENCIES ||
        len != sizeof h + h.nlabels * RES_LABEL_MAX + (h.nrows + h.nsummary) * sizeof(res_row) +
                   h.nevents * sizeof(res_event) + sizeof((res_t *)0)->agency_names)
        return err_set(err, SIM_ERUN, "received %zu bytes that are not a packed result set", len);
    res_t *r = calloc(1, sizeof *r);
    const char *p = (const char *)buf + sizeof h;
    int ok = r && take((void **)&r->labels, &p, h.nlabels * RES_LABEL_MAX) &&
             take((void **)&r->rows, &p, h.nrows * sizeof(res_row)) &&
             take((void **)&r->summary, &p, h.nsummary * sizeof(res_row)) &&
             take((void **)&r->events, &p, h.nevents * sizeof(res_event));
    if (!ok) {
        res_free(r);
        return err_set(err, SIM_ENOMEM, "out of memory unpacking results");
    }
    memcpy(r->agency_names, p, sizeof r->agency_names);
    r->nlabels = r->labels_cap = (int)h.nlabels;
    r->nrows = r->rows_cap = h.nrows;
    r->nsummary = r->summary_cap = h.nsummary;
    r->nevents = r->events_cap = h.nevents;
    r->event_cap_limit = h.event_cap;
    r->events_dropped = h.dropped;
    r->nagencies = (int)h.nagencies;
    *out = r;
    return SIM_OK;
}
