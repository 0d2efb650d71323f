/* sim/core/results.h - what a run produces, held in memory until the store writes it in one
 * transaction: per-step metrics, end-of-run summary figures and sampled listing events.
 * Prefix res_.
 *
 * Metrics are long format: (step, metric, grp, value). The metric is an id of the registry
 * (metric.h); the grp is a short string ("all", "group:3", "agency:courts", "p:0.05", ...,
 * the patterns of the registry's grouping column) that the result set interns once in a hash
 * table, so adding a row is a hash lookup and an array append. */
#ifndef SIM_RESULTS_H
#define SIM_RESULTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "metric.h"

enum { RES_LABEL_MAX = 48, RES_MAX_AGENCIES = 16, RES_NAME_MAX = 32 };

/* Why an agent was put on a list. Stored per listing and in the events table. */
typedef enum sim_cause {
    CAUSE_NONE = 0,
    CAUSE_OWN = 1,        /* a record of the agent's own true violation */
    CAUSE_FALSE = 2,      /* a false record (no violation) */
    CAUSE_MISATTR = 3,    /* a record of someone else's violation attributed to the agent */
    CAUSE_SPILL = 4,      /* a spillover rule on a tie layer */
    CAUSE_SEED = 5,       /* seeded at step 0, or a starting score already over a line */
    SIM_NCAUSES = 6
} sim_cause;

/* "own_record", "false_record", "misattribution", "spillover", "seed"; "none", "unknown". */
const char *res_cause_name(int cause);

/* The points of the harm Lorenz curve (summary harm_lorenz, grp res_lorenz_grp): every 5%
 * of persons, then finer where harm concentrates: 96, 97, 98, 99, 99.5, 99.9 and 100%. */
enum { RES_LORENZ_N = 25 };
static const double res_lorenz_p[RES_LORENZ_N] = {
    0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75,
    0.80, 0.85, 0.90, 0.95, 0.96, 0.97, 0.98, 0.99, 0.995, 0.999};

/* The grp label of Lorenz point k (k = RES_LORENZ_N: the whole population): "p:0.05", ...,
 * "p:0.99", "p:0.995", "p:0.999", "p:1.00". */
static inline void res_lorenz_grp(int k, char *buf, size_t n) {
    double p = k < RES_LORENZ_N ? res_lorenz_p[k] : 1.0, pct = p * 100;
    snprintf(buf, n, pct == (double)(long)(pct + 0.5) ? "p:%.2f" : "p:%.3f", p);
}

/* Why an agent left the blacklist: "term", "appeal", "comply", "repair"; "unknown". */
const char *res_exit_name(int reason);

typedef struct res_row {
    int32_t  step;     /* 1 .. steps; 0 for the state after seeding; -1 in the summary */
    uint16_t metric;   /* metric_id (metric.h) */
    uint16_t grp;      /* index into res_t.grps */
    double   value;
} res_row;

typedef enum res_event_kind { EV_LISTED = 1, EV_DELISTED = 2 } res_event_kind;

typedef struct res_event {
    int32_t  step;
    uint8_t  kind;     /* res_event_kind */
    uint8_t  list;     /* scn_list */
    uint8_t  cause;    /* listing: engine cause code (see engine.h); delisting: why it left
                          (res_exit_name: 0 term, 1 appeal, 2 comply, 3 repair) */
    int8_t   layer;    /* scn_layer_id of a spillover, -1 otherwise */
    int8_t   agency;   /* agency index of a record-caused listing, -1 otherwise */
    uint32_t agent;
    uint32_t source;   /* spillover: agent it came from; UINT32_MAX otherwise */
} res_event;

typedef struct res {
    char     (*grps)[RES_LABEL_MAX];                   /* the grp labels, interned */
    int        ngrps, grps_cap;
    uint32_t  *grp_hash;   /* open addressing: grp index + 1, 0 empty; grp_hcap slots */
    uint32_t   grp_hcap;   /* a power of two > 2 ngrps, or 0 (built on first use) */
    res_row   *rows;       /* per-step metrics */
    uint64_t   nrows, rows_cap;
    res_row   *summary;    /* end-of-run figures (step -1) */
    uint64_t   nsummary, summary_cap;
    res_event *events;
    uint64_t   nevents, events_cap, event_cap_limit;  /* events beyond the limit are */
    uint64_t   events_dropped;                         /* counted, not kept */
    int        nagencies;                              /* names for events.agency */
    char       agency_names[RES_MAX_AGENCIES][RES_NAME_MAX];
} res_t;

/* An empty result set keeping at most event_cap events. */
sim_status res_new(res_t **out, uint64_t event_cap, sim_err *err);

/* The index of a grp label (truncated to RES_LABEL_MAX - 1 bytes), adding it if new.
 * Expected O(length of the label). Returns -1 when out of memory or when there would be more
 * than 65535 labels. */
int res_grp(res_t *r, const char *grp);

/* The index of a grp label already interned, or -1. Linear: for tests and checks. */
int res_grp_find(const res_t *r, const char *grp);

/* Appends one metric row of metric (an id of metric.h) and grp index (res_grp) to the
 * per-step rows (res_add) or to the summary (res_add_summary). Return 0 when out of memory
 * or when metric is not in the registry or grp is negative (nothing is added then). */
int res_add(res_t *r, int32_t step, int metric, int grp, double value);
int res_add_summary(res_t *r, int metric, int grp, double value);

/* res_add / res_add_summary of the grp label grp (interned with res_grp). */
int res_put(res_t *r, int32_t step, int metric, const char *grp, double value);
int res_put_summary(res_t *r, int metric, const char *grp, double value);

/* Appends an event, or counts it as dropped past the cap. Returns 0 when out of memory. */
int res_add_event(res_t *r, const res_event *ev);

/* The value of metric (name, grp) at step, or NaN when absent (or name is not in the
 * registry). Linear search: for tests and the command line's one-line summary. */
double res_get(const res_t *r, int32_t step, const char *name, const char *grp);
double res_get_summary(const res_t *r, const char *name, const char *grp);

/* The whole result set as one byte buffer (malloc'd, *len bytes), e.g. to send it between
 * MPI ranks; res_unpack rebuilds an identical result set. Same machine layout on both sides
 * (no byte swapping). Return SIM_ENOMEM, or SIM_ERUN for a buffer that is not a packed
 * result set (res_unpack). */
sim_status res_pack(const res_t *r, void **buf, size_t *len, sim_err *err);
sim_status res_unpack(res_t **out, const void *buf, size_t len, sim_err *err);

void res_free(res_t *r);   /* NULL is a no-op */

#endif
