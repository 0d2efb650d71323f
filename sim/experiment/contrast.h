/* sim/experiment/contrast.h - paired contrasts between run groups (scsim compare). Prefix
 * contrast_.
 *
 * A group is compared with a reference over paired replicates: run i of the group and run
 * i of the reference share their seed and replicate number, so they share their random
 * numbers (common random numbers) and differ only by the configuration. With the paired
 * values x_i (group) and y_i (reference), i = 1..n, and t the 0.975 quantile of Student's t
 * with n - 1 degrees of freedom (GSL):
 *   difference  d = mean(x - y), interval d -+ t s_d / sqrt(n), s_d the sd of x_i - y_i;
 *   ratio       R = mean(x) / mean(y), interval R -+ t s_z / (sqrt(n) |mean(y)|) with
 *               z_i = x_i - R y_i (the delta method for a ratio of paired means).
 * No interval with n < 2 (NaN); no ratio when mean(y) = 0 (NaN). */
#ifndef SIM_CONTRAST_H
#define SIM_CONTRAST_H

#include <stddef.h>

#include "err.h"
#include "query_groups.h"

typedef struct contrast_result {
    size_t pairs;
    double ref_mean, mean;
    double diff, diff_lo, diff_hi;
    double ratio, ratio_lo, ratio_hi;
} contrast_result;

/* The contrast of paired values x[i] (group) and y[i] (reference), i < n (no NaN). */
void contrast_paired(const double *x, const double *y, size_t n, contrast_result *r);

/* Pairs the runs of group g with those of the reference ref by (seed, replicate):
 * pair[i] is the index in ref of the run paired with g's run i. SIM_EDB naming the group,
 * seed and replicate of the first run of either group that has no partner (each side must
 * have exactly the other's seeds: a reference run without a partner is named too). */
sim_status contrast_pair(const query_group *ref, const query_group *g, size_t *pair,
                         sim_err *err);

#endif
