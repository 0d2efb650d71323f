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
    free(r->grps);
    free(r->grp_hash);
    free(r->rows);
    free(r->summary);
    free(r->events);
    free(r);
}

static uint32_t hash_str(const char *s) {
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (; *s; s++) h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

/* The slot of label in the hash table: its entry, or the empty slot where it goes. */
static uint32_t grp_slot(const res_t *r, const char *label) {
    uint32_t mask = r->grp_hcap - 1, k = hash_str(label) & mask;
    while (r->grp_hash[k] && strcmp(r->grps[r->grp_hash[k] - 1], label) != 0)
        k = (k + 1) & mask;
    return k;
}

/* (Re)builds the hash table with room for more than twice the labels. 0: out of memory. */
static int grp_rehash(res_t *r) {
    uint32_t cap = 64;
    while (cap <= 2u * (uint32_t)r->ngrps + 2) cap *= 2;
    uint32_t *h = calloc(cap, sizeof *h);
    if (!h) return 0;
    free(r->grp_hash);
    r->grp_hash = h, r->grp_hcap = cap;
    for (int i = 0; i < r->ngrps; i++) h[grp_slot(r, r->grps[i])] = (uint32_t)i + 1;
    return 1;
}

int res_grp(res_t *r, const char *grp) {
    char label[RES_LABEL_MAX];
    snprintf(label, sizeof label, "%s", grp);
    if (r->grp_hcap <= 2u * (uint32_t)r->ngrps + 2 && !grp_rehash(r)) return -1;
    uint32_t k = grp_slot(r, label);
    if (r->grp_hash[k]) return (int)r->grp_hash[k] - 1;
    if (r->ngrps >= 65535) return -1;
    uint64_t cap = (uint64_t)r->grps_cap;
    if (!vec_reserve((void **)&r->grps, &cap, (uint64_t)r->ngrps + 1, sizeof *r->grps))
        return -1;
    r->grps_cap = (int)cap;
    memcpy(r->grps[r->ngrps], label, sizeof label);
    r->grp_hash[k] = (uint32_t)r->ngrps + 1;
    return r->ngrps++;
}

int res_grp_find(const res_t *r, const char *grp) {
    for (int i = 0; i < r->ngrps; i++)
        if (strcmp(r->grps[i], grp) == 0) return i;
    return -1;
}

int res_add(res_t *r, int32_t step, int metric, int grp, double value) {
    if (!metric_get(metric) || grp < 0) return 0;
    if (!vec_reserve((void **)&r->rows, &r->rows_cap, r->nrows + 1, sizeof *r->rows)) return 0;
    r->rows[r->nrows++] = (res_row){step, (uint16_t)metric, (uint16_t)grp, value};
    return 1;
}

int res_add_summary(res_t *r, int metric, int grp, double value) {
    if (!metric_get(metric) || grp < 0) return 0;
    if (!vec_reserve((void **)&r->summary, &r->summary_cap, r->nsummary + 1, sizeof *r->summary))
        return 0;
    r->summary[r->nsummary++] = (res_row){-1, (uint16_t)metric, (uint16_t)grp, value};
    return 1;
}

int res_put(res_t *r, int32_t step, int metric, const char *grp, double value) {
    return res_add(r, step, metric, res_grp(r, grp), value);
}

int res_put_summary(res_t *r, int metric, const char *grp, double value) {
    return res_add_summary(r, metric, res_grp(r, grp), value);
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
    int metric = metric_by_name(name);
    for (uint64_t i = 0; metric && i < n; i++)
        if (rows[i].step == step && rows[i].metric == metric &&
            strcmp(r->grps[rows[i].grp], grp) == 0)
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

/* Layout: magic, counts, then grp labels, rows, summary, events, agency names, as stored. */
typedef struct pack_head {
    uint64_t magic, ngrps, nrows, nsummary, nevents, event_cap, dropped, nagencies;
} pack_head;

static const uint64_t PACK_MAGIC = 0x5C5151D0C0DE0002ull;

sim_status res_pack(const res_t *r, void **buf, size_t *len, sim_err *err) {
    pack_head h = {PACK_MAGIC, (uint64_t)r->ngrps, r->nrows, r->nsummary, r->nevents,
                   r->event_cap_limit, r->events_dropped, (uint64_t)r->nagencies};
    size_t parts[] = {sizeof h, (size_t)r->ngrps * sizeof *r->grps,
                      r->nrows * sizeof *r->rows, r->nsummary * sizeof *r->summary,
                      r->nevents * sizeof *r->events, sizeof r->agency_names};
    const void *src[] = {&h, r->grps, r->rows, r->summary, r->events, r->agency_names};
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
        h.ngrps > 65535 || h.nagencies > RES_MAX_AGENCIES ||
        len != sizeof h + h.ngrps * RES_LABEL_MAX + (h.nrows + h.nsummary) * sizeof(res_row) +
                   h.nevents * sizeof(res_event) + sizeof((res_t *)0)->agency_names)
        return err_set(err, SIM_ERUN, "received %zu bytes that are not a packed result set", len);
    res_t *r = calloc(1, sizeof *r);
    const char *p = (const char *)buf + sizeof h;
    int ok = r && take((void **)&r->grps, &p, h.ngrps * RES_LABEL_MAX) &&
             take((void **)&r->rows, &p, h.nrows * sizeof(res_row)) &&
             take((void **)&r->summary, &p, h.nsummary * sizeof(res_row)) &&
             take((void **)&r->events, &p, h.nevents * sizeof(res_event));
    if (!ok) {
        res_free(r);
        return err_set(err, SIM_ENOMEM, "out of memory unpacking results");
    }
    memcpy(r->agency_names, p, sizeof r->agency_names);
    r->ngrps = r->grps_cap = (int)h.ngrps;   /* grp_hash: built on first use */
    r->nrows = r->rows_cap = h.nrows;
    r->nsummary = r->summary_cap = h.nsummary;
    r->nevents = r->events_cap = h.nevents;
    r->event_cap_limit = h.event_cap;
    r->events_dropped = h.dropped;
    r->nagencies = (int)h.nagencies;
    *out = r;
    return SIM_OK;
}
