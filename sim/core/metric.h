/* sim/core/metric.h - the metric registry: every figure the engine emits, declared once with a
 * stable integer id, its name, its grouping pattern (the grp values it is stored under), its
 * unit, a one-line definition and the tables it goes to. Prefix metric_.
 *
 * Ids are append-only: a metric keeps its id for ever (databases store it), a new metric takes
 * the next free number, a retired one leaves a hole. The store writes the table into every
 * database as metric_names(id, name, grouping, unit, definition); docs/metrics.md defines each
 * metric in full and is checked against this table in both directions (tests/test_metrics.c).
 *
 * Families: a metric with a list parameter (listed.black, listed.watch, listed.red) is one
 * declaration in metric.c that expands to one entry per list, with consecutive ids in
 * scn_list order (black, watch, red); metric_of(FIRST, k) is the id of member k. The
 * rate_ratio.* family is parameterised likewise by the disparity measure (METRIC_RATE_*). */
#ifndef SIM_METRIC_H
#define SIM_METRIC_H

#include <stddef.h>

/* The tables a metric is written to (bits of metric_def.tables). */
enum { METRIC_STEP = 1, METRIC_SUMMARY = 2, METRIC_BOTH = 3 };

/* The stable ids. Never renumber; append new ones before M_END. */
typedef enum metric_id {
    M_NONE = 0,
    M_VIOLATIONS = 1, M_VIOLATIONS_PREVENTED = 2, M_RECORDS = 3,
    M_LISTED_BLACK = 4, M_LISTED_WATCH = 5, M_LISTED_RED = 6,
    M_NEW_LISTED_BLACK = 7, M_NEW_LISTED_WATCH = 8, M_NEW_LISTED_RED = 9,
    M_DELISTED_BLACK = 10, M_DELISTED_WATCH = 11, M_DELISTED_RED = 12,
    M_WRONGLY_LISTED_BLACK = 13, M_NEW_WRONGLY_LISTED_BLACK = 14, M_MEAN_SCORE = 15,
    M_RECORDS_PER_PERSON = 16, M_PERSONS_WITH_RECORDS = 17, M_AGENCIES_PER_PERSON = 18,
    M_THIRD_PARTY_PROCESSING = 19, M_RETENTION_EXPOSURE = 20,
    M_HARM = 21, M_SANCTIONED = 22, M_SANCTION_ACTIVE = 23, M_BENEFIT = 24, M_NAMED = 25,
    M_APPEALS_FILED = 26, M_APPEALS_DECIDED = 27, M_APPEALS_WON = 28, M_APPEAL_QUEUE = 29,
    M_FIRMS_FAILED = 30, M_JOBS_LOST = 31, M_TIES_CUT = 32,
    M_INSPECTION_SHARE = 33, M_INSPECTION_RECORDS = 34,
    M_PERSONS = 35, M_FIRMS = 36, M_HOUSEHOLDS = 37, M_STEPS = 38,
    M_ARCS = 39, M_CSV_LINES = 40, M_CSV_SELF_LOOPS_DROPPED = 41, M_CSV_DUPLICATES_DROPPED = 42,
    M_VIOLATIONS_COUNTERFACTUAL = 43, M_VIOLATIONS_PREVENTED_PER_WRONGFUL_LISTING = 44,
    M_RECORDED_SHARE = 45, M_LISTINGS_BLACK = 46, M_EVER_LISTED_BLACK = 47,
    M_EVER_WRONGLY_LISTED_BLACK = 48, M_WRONGFUL_LISTINGS_BLACK = 49, M_GRADED = 50,
    M_EVENTS_KEPT = 51, M_EVENTS_DROPPED = 52,
    M_CASCADES = 53, M_CASCADE_LARGEST = 54, M_CASCADE_DEPTH_MAX = 55, M_LISTINGS_BY_ROOT = 56,
    M_LISTINGS_BY_DEPTH = 57, M_SPILLOVER_SHARE = 58, M_ERROR_ROOTED_SHARE = 59,
    M_EVER_LISTED_RATE = 60, M_EVER_WRONGLY_LISTED_RATE = 61,
    M_EVER_LISTED_RATE_NONVIOLATORS = 62, M_EVER_LISTED_RATE_VIOLATORS = 63, M_HARM_RATE = 64,
    M_RATE_RATIO_EVER_LISTED = 65, M_RATE_RATIO_EVER_WRONGLY_LISTED = 66,
    M_RATE_RATIO_EVER_LISTED_NONVIOLATORS = 67, M_RATE_RATIO_EVER_LISTED_VIOLATORS = 68,
    M_RATE_RATIO_HARM = 69,
    M_DISPARITY_RATIO = 70, M_DISPARITY_BEARER = 71,
    M_PERSONS_BY_RECORDS = 72, M_PERSONS_BY_AGENCIES_HOLDING_RECORDS = 73,
    M_NAMED_PUBLICLY = 74, M_INFERENCE_AUC = 75, M_SANCTION_STEPS = 76,
    M_HARM_GINI = 77, M_HARM_TOP1_SHARE = 78, M_HARM_LORENZ = 79,
    M_RECORDS_HELD = 80, M_PERSONS_BY_RECORDS_HELD = 81, M_PERSON_MONTHS_HELD = 82,
    M_RECORDS_EXPIRED = 83, M_RECORDS_COLLECTED = 84,
    /* issue 12 item 5: the chilling effect */
    M_LAWFUL_ACTS = 85, M_LAWFUL_ACTS_SUPPRESSED = 86, M_PERSONS_CHILLED = 87,
    M_CHILLING_HARM = 88, M_LAWFUL_ACTORS = 89,
    /* issue 12 item 3: sharing (sim/engine/share.c) */
    M_BODIES_PER_PERSON = 90, M_PERSONS_BY_BODIES = 91, M_POOLED_PROFILE = 92,
    M_DATA_FLOWS = 93, M_PLATFORM_AUC = 94,
    /* issue 14 item 15: headcounts */
    M_EVER_SANCTIONED = 95, M_PERSONS_EVER_LISTED = 96,
    /* issue 13 item 5: travel bans as acts (sim/engine/travel.c) */
    M_FLIGHTS_REFUSED = 97, M_TRAINS_REFUSED = 98,
    /* issue 13 item 3: regional pilots (sim/engine/region.c) */
    M_REGION_AGENTS = 99, M_REGION_VIOLATIONS = 100, M_REGION_VIOLATIONS_PREVENTED = 101,
    M_REGION_RECORDS = 102, M_REGION_LISTED_SHARE = 103, M_REGION_EVER_LISTED_RATE = 104,
    /* issue 13 items 4 and 7: the commercial score (commercial.c), good deeds (deeds.c) */
    M_COMMERCIAL_OPTED_IN = 105, M_COMMERCIAL_SCORE = 106, M_COMMERCIAL_REWARDS = 107,
    M_COMMERCIAL_BENEFIT = 108, M_COMMERCIAL_FLOWS = 109, M_DEEDS_RECORDED = 110,
    /* issue 13 item 1: per-agency lists (sim/engine/ownlist.c; emitted with own lists) */
    M_LISTED_BY_AGENCY = 111, M_NEW_LISTED_BY_AGENCY = 112, M_NEW_WRONGLY_LISTED_BY_AGENCY = 113,
    M_EVER_LISTED_BY_AGENCY = 114, M_LISTED_MULTI = 115, M_NAMED_BY_AGENCY = 116,
    /* issue 13 item 2: benefits weighted by severity (sim/engine/severity.c) */
    M_VIOLATIONS_WEIGHTED = 117, M_VIOLATIONS_PREVENTED_WEIGHTED = 118,
    M_DETECTED_WEIGHTED = 119, M_VIOLATIONS_COUNTERFACTUAL_WEIGHTED = 120,
    M_PREVENTED_WEIGHTED_PER_WRONGFUL_LISTING = 121,
    M_END   /* one past the largest id */
} metric_id;

/* The disparity measures, in the order of the rate_ratio.* family and of the grp values of
 * disparity.ratio and disparity.bearer. */
enum { METRIC_RATE_EVER_LISTED, METRIC_RATE_EVER_WRONGLY_LISTED,
       METRIC_RATE_NONVIOLATORS, METRIC_RATE_VIOLATORS, METRIC_RATE_HARM, METRIC_NRATES };

typedef struct metric_def {
    int         id;          /* metric_id; 0 for a hole left by a retired id */
    const char *name;        /* as stored in metrics.name / summary.name */
    const char *grouping;    /* the grp values, as patterns: "all, group:G, firms" */
    const char *unit;
    const char *definition;  /* one line; docs/metrics.md has the full definition */
    int         tables;      /* METRIC_STEP, METRIC_SUMMARY or both */
    int         family;      /* the id of the family's first member; 0: not in a family */
} metric_def;

/* The entry of id, or NULL for an id outside 1..M_END-1 or a hole. O(1). */
const metric_def *metric_get(int id);

/* The name of id, or NULL (see metric_get). O(1). */
const char *metric_name(int id);

/* The id of a name, or M_NONE when the registry has no such metric. Linear in the number of
 * metrics: for tests, commands and the store, not for the engine's loops. */
int metric_by_name(const char *name);

/* Member k of the family whose first member is first: first + k. The caller keeps k within
 * the family (0..SCN_NLISTS-1 for a list family, 0..METRIC_NRATES-1 for rate_ratio.*). */
static inline int metric_of(int first, int k) { return first + k; }

/* The grp value of disparity measure k (METRIC_RATE_*): "ever_listed", ..., "harm". */
const char *metric_rate_name(int k);

#endif
