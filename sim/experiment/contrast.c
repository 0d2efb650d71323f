/* sim/experiment/contrast.c - paired contrasts (contrast.h). */
#include "contrast.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

static double mean_of(const double *v, size_t n) {
    double s = 0;
    for (size_t i = 0; i < n; i++) s += v[i];
    return s / (double)n;
}

/* The sample sd of a[i] - k b[i] (n >= 2). */
static double sd_of(const double *a, const double *b, double k, size_t n) {
    double m = 0, ss = 0;
    for (size_t i = 0; i < n; i++) m += a[i] - k * b[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++) ss += (a[i] - k * b[i] - m) * (a[i] - k * b[i] - m);
    return sqrt(ss / (double)(n - 1));
}

void contrast_paired(const double *x, const double *y, size_t n, contrast_result *r) {
    r->pairs = n;
    r->mean = n ? mean_of(x, n) : NAN;
    r->ref_mean = n ? mean_of(y, n) : NAN;
    r->diff = r->mean - r->ref_mean;
    r->ratio = n && r->ref_mean != 0 ? r->mean / r->ref_mean : NAN;
    r->diff_lo = r->diff_hi = r->ratio_lo = r->ratio_hi = NAN;
    if (n < 2) return;
    double t = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)), rn = sqrt((double)n);
    double hd = t * sd_of(x, y, 1.0, n) / rn;
    r->diff_lo = r->diff - hd, r->diff_hi = r->diff + hd;
    if (isnan(r->ratio)) return;
    double hr = t * sd_of(x, y, r->ratio, n) / (rn * fabs(r->ref_mean));
    r->ratio_lo = r->ratio - hr, r->ratio_hi = r->ratio + hr;
}

static size_t find(const query_group *g, int64_t seed, int replicate) {
    size_t j = 0;
    while (j < g->n && (g->seed[j] != seed || g->replicate[j] != replicate)) j++;
    return j;
}

sim_status contrast_pair(const query_group *ref, const query_group *g, size_t *pair,
                         sim_err *err) {
    for (size_t i = 0; i < g->n; i++)
        if ((pair[i] = find(ref, g->seed[i], g->replicate[i])) == ref->n)
            return err_set(err, SIM_EDB, "group \"%s\": run %lld (seed %lld, replicate %d) has "
                           "no run of the reference \"%s\" with the same seed and replicate "
                           "to pair with (common random numbers need the same seeds)",
                           g->label, (long long)g->run_id[i], (long long)g->seed[i],
                           g->replicate[i], ref->label);
    for (size_t j = 0; j < ref->n; j++)
        if (find(g, ref->seed[j], ref->replicate[j]) == g->n)
            return err_set(err, SIM_EDB, "reference \"%s\": run %lld (seed %lld, replicate %d) "
                           "has no run of group \"%s\" with the same seed and replicate to "
                           "pair with (common random numbers need the same seeds)",
                           ref->label, (long long)ref->run_id[j], (long long)ref->seed[j],
                           ref->replicate[j], g->label);
    return SIM_OK;
}
