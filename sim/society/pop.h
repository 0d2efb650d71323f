/* sim/society/pop.h - the synthetic population: persons and firms, their fixed attributes and the
 * structural tie layers (family, parent, employment, legal representative). Prefix pop_.
 *
 * Agents are numbered persons first (0 .. persons-1), then firms (persons .. n-1). Persons
 * are laid out by region, then household, so that family members and most neighbours on a
 * homophilous social layer sit close in memory. Everything is a pure function of the
 * scenario and the run's random streams (step 0, agent, purpose). */
#ifndef SIM_POP_H
#define SIM_POP_H

#include <stdint.h>

#include "err.h"
#include "net.h"
#include "rng.h"
#include "scenario.h"

enum { POP_NONE = UINT32_MAX };

typedef struct pop {
    uint32_t  persons;      /* number of persons */
    uint32_t  firms;        /* number of firms */
    uint32_t  n;            /* persons + firms */
    uint32_t  households;   /* number of households */
    uint8_t  *region;       /* [n] region 0 .. regions-1 */
    uint8_t  *group;        /* [n] persons: group 0 .. groups-1 (shared by a household);
                               firms: sector 0 .. sectors-1 */
    uint8_t  *child;        /* [persons] 1 for a child, 0 for an adult */
    uint32_t *household;    /* [persons] household id, ascending along persons; NULL once
                               released (pop_release_households) */
    uint32_t *employer;     /* [persons] agent id of the employing firm, or POP_NONE; NULL
                               without firms (pop_employer) */
    uint32_t *legalrep;     /* [firms] person id of the firm's legal representative, or
                               POP_NONE (index by firm number f = agent - persons) */
    float    *propensity;   /* [n] probability of violating per step, before agency scale;
                               NULL when every person's and every firm's is its mean (s.d.
                               0): pop_propensity reads prop_const then */
    float     prop_const[2];   /* [0 persons / 1 firms]: the propensity without the array */
    uint32_t  region_first[2][SCN_MAX_REGIONS + 1];  /* [0 persons / 1 firms][r]: first
                               agent id of region r; [r+1] - [r] agents (persons, firms) */
} pop_t;

/* The employer of person i, POP_NONE when unemployed or when there are no firms. */
static inline uint32_t pop_employer(const pop_t *p, uint32_t i) {
    return p->employer ? p->employer[i] : POP_NONE;
}

/* Agent i's probability of violating per step, before the agency's scale. */
static inline float pop_propensity(const pop_t *p, uint32_t i) {
    return p->propensity ? p->propensity[i] : p->prop_const[i >= p->persons];
}

/* Builds the population of sc with the run's streams. threads: OpenMP threads (0 =
 * default). Returns SIM_OK, SIM_ENOMEM, or SIM_ESCENARIO for sizes that do not fit 32-bit
 * agent ids. Cost: O(n). */
sim_status pop_build(pop_t **out, const scenario *sc, const rng_t *r, int threads,
                     sim_err *err);

/* Builds a structural layer: LAYER_FAMILY (all pairs within a household), LAYER_PARENT
 * (each of the first two adults of a household -> each child), LAYER_EMPLOYMENT (person -
 * firm), LAYER_LEGALREP (representative -> firm). Returns SIM_EINVAL-like SIM_ERUN for any
 * other id. Cost: O(n + ties). */
sim_status pop_layer(net_t **out, const pop_t *p, scn_layer_id id, sim_err *err);

/* Estimated bytes of the population arrays for a scenario (no allocation), and of those
 * the household ids (4 bytes a person), which pop_release_households frees. */
uint64_t pop_bytes(const scenario *sc);
uint64_t pop_household_bytes(const scenario *sc);

/* Frees the household ids: once the layers are built, only a sanction reaching a household
 * reads them (the engine's choice). */
void pop_release_households(pop_t *p);

/* Number of firms a scenario asks for. */
uint32_t pop_firm_count(const scenario *sc);

void pop_free(pop_t *p);   /* NULL is a no-op */

#endif
