/* sim/engine/emit.c - the one way an engine module reports a figure: a row of the registry's
 * metric (metric.h) and a grp label into the run's results. It calls nothing else of the
 * engine, so every module (metrics, cascade, exposure, sanction) can report through it
 * without an import loop. Contracts in state.h. */
#include "state.h"

int metrics_put(struct sim *s, int t, int metric, const char *grp, double v) {
    return res_put(s->res, t, metric, grp, v);
}

int metrics_put_sum(struct sim *s, int metric, const char *grp, double v) {
    return res_put_summary(s->res, metric, grp, v);
}
