/* sim/store/query_groups.h - the pooled runs of a database in labelled groups (the
 * replicates of one configuration), for scsim compare and any reader that names groups.
 * Prefix query_ (the read side, query.h).
 *
 * A group is the done, non-duplicate runs (docs/results.md) of one configuration: a sweep's
 * design point, or a single run's scenario and overrides without its run.seed line; runs
 * with a label (runs.label: run --label, or a sweep point's label) form a group per label
 * and configuration. Labels: the runs' label; else, for a sweep point, its varied
 * parameters as "key=value" joined by spaces; for single runs, the scenario name followed
 * by every override but run.seed as "key=value" (so a --set variant of baseline is never
 * "baseline"). Keys are abbreviated to their shortest ending of whole words that no other
 * key of any group shares (query_key_abbrev): spillover.partners.beta is partners.beta
 * beside spillover.family.beta, and beta alone when no other key ends in beta. Groups whose
 * labels would be equal get " (run N)" after the label, N their first run. */
#ifndef SIM_QUERY_GROUPS_H
#define SIM_QUERY_GROUPS_H

#include <stddef.h>
#include <stdint.h>

#include "query.h"

enum { QUERY_LABEL_MAX = 256 };

typedef struct query_group {
    char     label[QUERY_LABEL_MAX];
    int      labelled;     /* 1: the label is the runs' own (runs.label) */
    size_t   n;            /* runs, in run id order */
    int64_t *run_id, *seed;
    int     *replicate;
} query_group;

typedef struct query_groups {
    size_t       n;
    query_group *g;        /* in order of each group's first run */
} query_groups;

/* Loads every pooled run of the database into groups. SIM_EDB on a read error, SIM_ENOMEM. */
sim_status query_groups_load(query_t *q, query_groups *out, sim_err *err);

/* The group labelled label, or NULL. */
const query_group *query_groups_find(const query_groups *gs, const char *label);

void query_groups_free(query_groups *gs);   /* NULL is a no-op */

/* For each of the n keys (dotted words, "a.b.c"), the offset in keys[i] of its shortest
 * ending made of whole words that is not also an ending of another, different key of the
 * list (so the abbreviations of two different keys always differ); equal keys abbreviate
 * alike. start[i] = 0 when no shorter ending is unique. */
void query_key_abbrev(const char *const *keys, size_t n, size_t *start);

#endif
