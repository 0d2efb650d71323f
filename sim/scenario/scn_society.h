/* sim/scenario/scn_society.h - INTERNAL to the scenario module (scenario.c): what the society
 * built from a scenario will need, worked out from the scenario alone so that the loader can
 * refuse it (and `validate` see it) before anything runs. Prefix scn_. */
#ifndef SIM_SCN_SOCIETY_H
#define SIM_SCN_SOCIETY_H

#include "scenario.h"

/* The tie probabilities the social layer's stochastic block model asks for (the formula of
 * sim/society/net_gen.c, sbm_probs), with the region sizes the population will have (equal
 * contiguous ranges, as sim/society/pop.c splits them) and the expected group sizes
 * (persons x group share). The run uses the drawn group sizes, so it can still differ a
 * little; a scenario refused here would fail in all but rare draws. */
typedef struct scn_sbm_need {
    double p;    /* the largest tie probability of a class (0 when no ties are asked for) */
    int    cls;  /* its class: 0 same region and group, 1 same region only, 2 same group
                    only, 3 neither */
    int    none; /* 1: the homophily shares ask for ties only in classes with no pairs */
} scn_sbm_need;

/* Fills *need for the social layer of sc (whatever its generator). Cost: O(regions x
 * groups). */
void scn_sbm_need_of(const scenario *sc, scn_sbm_need *need);

/* "the same region and group", ... for a class of scn_sbm_need. */
const char *scn_sbm_class_name(int cls);

#endif
