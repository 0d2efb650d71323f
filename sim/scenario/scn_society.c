/* sim/scenario/scn_society.c - what the society built from a scenario will need
 * (scn_society.h). */
#include "scn_society.h"

#include <math.h>

static double pairs_in(double k) { return k > 1 ? k * (k - 1) / 2 : 0; }

const char *scn_sbm_class_name(int cls) {
    static const char *const names[] = {"the same region and group",
                                        "the same region and another group",
                                        "the same group and another region",
                                        "another region and group"};
    return cls >= 0 && cls < 4 ? names[cls] : "?";
}

/* Member pairs per class (as sbm_pairs in net_gen.c) from the region sizes and the
 * expected group sizes; the numbers of occupied regions and groups. */
static void expected_pairs(const scenario *sc, double pairs[4], int *occ_r, int *occ_g) {
    const scn_population *p = &sc->population;
    uint64_t persons = (uint64_t)p->persons, regions = (uint64_t)p->regions;
    double ss = 0, sr = 0, sg = 0;
    *occ_r = *occ_g = 0;
    for (uint64_t r = 0; r < regions; r++) {
        double nr = (double)(persons * (r + 1) / regions - persons * r / regions);
        *occ_r += nr > 0;
        sr += pairs_in(nr);
        for (int g = 0; g < p->groups; g++) ss += pairs_in(nr * p->group_shares[g]);
    }
    for (int g = 0; g < p->groups; g++) {
        *occ_g += persons > 0 && p->group_shares[g] > 0;
        sg += pairs_in((double)persons * p->group_shares[g]);
    }
    pairs[0] = ss, pairs[1] = sr - ss, pairs[2] = sg - ss;
    pairs[3] = pairs_in((double)persons) - sr - sg + ss;
}

void scn_sbm_need_of(const scenario *sc, scn_sbm_need *need) {
    const scn_layer *y = &sc->layers[LAYER_SOCIAL];
    double pairs[4], total = 0, hr = y->homophily_region, hg = y->homophily_group;
    double z = y->mean_degree, count = (double)sc->population.persons;
    int occ_r, occ_g;
    expected_pairs(sc, pairs, &occ_r, &occ_g);
    if (occ_r <= 1) hr = 1;
    if (occ_g <= 1) hg = 1;
    double s[4] = {hr * hg, hr * (1 - hg), (1 - hr) * hg, (1 - hr) * (1 - hg)};
    for (int k = 0; k < 4; k++) total += pairs[k] > 0 ? s[k] : 0;
    need->p = 0, need->cls = 0;
    need->none = z > 0 && count > 1 && total <= 0;
    for (int k = 0; k < 4 && total > 0; k++) {
        double pk = pairs[k] > 0 ? s[k] / total * count * z / (2 * pairs[k]) : 0;
        if (pk > need->p) need->p = pk, need->cls = k;
    }
}
