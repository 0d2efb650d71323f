/* sim/store/merge.h - merging results databases, e.g. the shards of a sweep. Prefix merge_. */
#ifndef SIM_MERGE_H
#define SIM_MERGE_H

#include <stdint.h>

#include "err.h"

typedef struct merge_stats {
    int64_t runs;      /* runs copied */
    int64_t sweeps;    /* sweeps created in the output (others were found there) */
    int64_t skipped;   /* done single runs not copied: a duplicate (runs.duplicate) or the
                          same run (scenario hash, overrides, seed, replicate) as a done
                          run the output already has */
} merge_stats;

/* Copies every run of the databases in[0..nin-1] (with metrics, summary and events, under
 * new run ids, in input order; of sweep runs only the 'done' ones; done single runs that
 * repeat a done run of the output, or are flagged duplicates, are skipped and counted in
 * stats->skipped, so a copy merged back adds nothing) and their sweeps into
 * out, created if missing (a version 2 output is migrated). Metric ids are mapped by name:
 * a name the output lacks gets a local id. All inputs are checked first, and are not
 * changed; then each is copied in one transaction. Refuses (SIM_EDB, before anything is
 * written): an input of a schema version outside 2 .. SCSIM_SCHEMA_VERSION (a newer one
 * named as such), runs made by another scsim version, a sweep name used with a different
 * spec, and a finished sweep run (sweep name, point, replicate) present twice among the
 * output and the inputs. SIM_EIO when an input does not exist. */
sim_status merge_into(const char *out, const char *const *in, int nin, merge_stats *stats,
                      sim_err *err);

#endif
