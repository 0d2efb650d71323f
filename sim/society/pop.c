/* sim/society/pop.c - the synthetic population and its structural tie layers.
 *
 * Regions split persons (and firms) into equal contiguous ranges. Within a region, persons
 * form households of size 1 + Poisson(household_mean - 1); a household shares one group
 * (drawn with population.group_shares); its first member is an adult and each further member
 * is a child with the probability that makes the expected child share population.child_share.
 * Firms get a sector and a size weight w ~ Pareto(shape 1.5, scale 1), capped at 1e4; an
 * adult is employed with probability employment_rate by a firm of the own region chosen
 * with probability proportional to w (any firm when the region has none). Each firm's legal
 * representative is a uniformly chosen adult of its region, who is then employed by it.
 * Propensities are Beta with the scenario's mean and s.d. (all equal when the s.d. is 0). */
#include "pop.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

static int nthreads(int threads) { return threads > 0 ? threads : omp_get_max_threads(); }

uint32_t pop_firm_count(const scenario *sc) {
    return (uint32_t)llround((double)sc->population.persons * sc->population.firms_per_person);
}

/* Whether some agent's propensity differs from its kind's mean: only then is there an array. */
static int propensity_varies(const scenario *sc) {
    const scn_population *sp = &sc->population;
    return (sp->persons > 0 && sp->propensity_sd > 0) ||
           (pop_firm_count(sc) > 0 && sp->firm_propensity_sd > 0);
}

uint64_t pop_household_bytes(const scenario *sc) {
    return (uint64_t)sc->population.persons * sizeof(uint32_t);
}

uint64_t pop_bytes(const scenario *sc) {
    uint64_t persons = (uint64_t)sc->population.persons, firms = pop_firm_count(sc);
    return (persons + firms) * (1 + 1 + (propensity_varies(sc) ? 4 : 0)) +
           persons * (1 + (firms ? 4 : 0)) + pop_household_bytes(sc) + firms * 4;
}

void pop_release_households(pop_t *p) {
    free(p->household);
    p->household = NULL;
}

void pop_free(pop_t *p) {
    if (!p) return;
    free(p->region); free(p->group); free(p->child); free(p->household);
    free(p->employer); free(p->legalrep); free(p->propensity);
    free(p);
}

static sim_status pop_alloc(pop_t **out, uint32_t persons, uint32_t firms, int varied,
                            sim_err *err) {
    pop_t *p = calloc(1, sizeof *p);
    if (!p) return err_set(err, SIM_ENOMEM, "out of memory for the population");
    p->persons = persons;
    p->firms = firms;
    p->n = persons + firms;
    size_t n = p->n ? p->n : 1, np = persons ? persons : 1, nf = firms ? firms : 1;
    p->region = malloc(n);
    p->group = malloc(n);
    p->child = malloc(np);
    p->household = malloc(np * sizeof *p->household);
    p->employer = firms ? malloc(np * sizeof *p->employer) : NULL;   /* none without firms */
    p->legalrep = malloc(nf * sizeof *p->legalrep);
    p->propensity = varied ? malloc(n * sizeof *p->propensity) : NULL;
    if (!p->region || !p->group || !p->child || !p->household || (firms && !p->employer) ||
        !p->legalrep || (varied && !p->propensity)) {
        pop_free(p);
        return err_set(err, SIM_ENOMEM, "out of memory for a population of %u agents",
                       persons + firms);
    }
    *out = p;
    return SIM_OK;
}

/* Equal contiguous region ranges for persons (kind 0) and firms (kind 1). */
static void split_regions(pop_t *p, int regions) {
    for (int kind = 0; kind < 2; kind++) {
        uint64_t count = kind ? p->firms : p->persons, base = kind ? p->persons : 0;
        for (int r = 0; r <= regions; r++)
            p->region_first[kind][r] = (uint32_t)(base + count * (uint64_t)r / regions);
        for (int r = 0; r < regions; r++)
            for (uint32_t i = p->region_first[kind][r]; i < p->region_first[kind][r + 1]; i++)
                p->region[i] = (uint8_t)r;
    }
}

/* gsl_ran_poisson(g, mu) with emu = exp(-mu): for mu up to 10 GSL multiplies uniforms until
 * the product falls to emu or below; the same draws, made here on g's own stream without a
 * call through the generator's table a uniform (RSM-1's one region took 22 ms at 10^6 on one
 * thread). Above 10, GSL's own. */
static inline uint32_t poisson(gsl_rng *g, double mu, double emu) {
    if (mu > 10) return gsl_ran_poisson(g, mu);
    rng_stream *st = g->state;   /* gsl_rng_uniform(g) is rng_uniform(g->state): rng.c */
    double prod = 1.0;
    uint32_t k = 0;
    do prod *= rng_uniform(st), k++;
    while (prod > emu);
    return k - 1;
}

/* Households of one region, drawn from the region's own stream; ids are made global by
 * the caller (household[] holds the index within the region until then). */
static uint32_t households_of_region(pop_t *p, const scn_population *sp, int r,
                                     const gsl_ran_discrete_t *groups, gsl_rng *g,
                                     const rng_t *rs) {
    uint32_t first = p->region_first[0][r], end = p->region_first[0][r + 1], h = 0;
    double hm = sp->household_mean, emu = exp(-(hm - 1));
    double q = hm > 1 ? fmin(1.0, sp->child_share * hm / (hm - 1)) : 0.0;
    rng_gsl_at(g, rs, 0, (uint64_t)r, RNG_POP_HOUSEHOLD);
    rng_stream *st = g->state;
    for (uint32_t i = first; i < end; h++) {
        uint32_t size = 1 + poisson(g, hm - 1, emu);
        uint8_t grp = 0;
        if (sp->groups == 1) (void)rng_uniform(st);   /* gsl_ran_discrete's draw; then 0 */
        else grp = (uint8_t)gsl_ran_discrete(g, groups);
        for (uint32_t k = 0; k < size && i < end; k++, i++) {
            p->household[i] = h;
            p->group[i] = grp;
            p->child[i] = k > 0 && rng_uniform(st) < q;
        }
    }
    return h;
}

static sim_status build_households(pop_t *p, const scenario *sc, const rng_t *rs,
                                   int threads, sim_err *err) {
    const scn_population *sp = &sc->population;
    gsl_ran_discrete_t *groups = gsl_ran_discrete_preproc((size_t)sp->groups, sp->group_shares);
    uint32_t counts[SCN_MAX_REGIONS] = {0};
    int failed = !groups;
#pragma omp parallel num_threads(nthreads(threads)) reduction(| : failed)
    {
        gsl_rng *g = rng_gsl_new();
        if (!g) failed = 1;
#pragma omp for schedule(dynamic, 1)
        for (int r = 0; r < sp->regions; r++)
            if (g && groups) counts[r] = households_of_region(p, sp, r, groups, g, rs);
        gsl_rng_free(g);
    }
    gsl_ran_discrete_free(groups);
    if (failed) return err_set(err, SIM_ENOMEM, "out of memory while forming households");
    uint32_t base = 0;
    for (int r = 0; r < sp->regions; r++) {
        for (uint32_t i = p->region_first[0][r]; i < p->region_first[0][r + 1]; i++)
            p->household[i] += base;
        base += counts[r];
    }
    p->households = base;
    return SIM_OK;
}

/* Beta(a, b) with the given mean and s.d.; constant when sd is 0. */
static void draw_propensities(pop_t *p, uint32_t first, uint32_t end, double mean, double sd,
                              const rng_t *rs, int threads, int *failed) {
    double k = sd > 0 ? mean * (1 - mean) / (sd * sd) - 1 : 0;
    double a = mean * k, b = (1 - mean) * k;
#pragma omp parallel num_threads(nthreads(threads))
    {
        gsl_rng *g = rng_gsl_new();
        if (!g) {
#pragma omp atomic write
            *failed = 1;
        }
#pragma omp for schedule(static)
        for (uint32_t i = first; i < end; i++) {
            if (sd <= 0 || !g) {
                p->propensity[i] = (float)mean;
                continue;
            }
            rng_gsl_at(g, rs, 0, i, RNG_POP_PROPENSITY);
            p->propensity[i] = (float)gsl_ran_beta(g, a, b);
        }
        gsl_rng_free(g);
    }
}

/* Sectors and size weights of firms. */
static void draw_firms(pop_t *p, const scenario *sc, double *weight, const rng_t *rs) {
    rng_stream s;
    for (uint32_t f = 0; f < p->firms; f++) {
        uint32_t a = p->persons + f;
        rng_stream_at(&s, rs, 0, a, RNG_POP_FIRM);
        p->group[a] = (uint8_t)rng_below(&s, (uint64_t)sc->population.sectors);
        weight[f] = fmin(1e4, pow(rng_uniform_pos(&s), -1.0 / 1.5));
    }
}

/* One alias table per region over its firms' weights, plus one over all firms. */
static int build_firm_tables(const pop_t *p, int regions, const double *weight,
                             gsl_ran_discrete_t **tab) {
    for (int r = 0; r <= regions; r++) {
        uint32_t first = r < regions ? p->region_first[1][r] : p->persons;
        uint32_t end = r < regions ? p->region_first[1][r + 1] : p->n;
        tab[r] = NULL;
        if (end == first) continue;
        tab[r] = gsl_ran_discrete_preproc(end - first, weight + (first - p->persons));
        if (!tab[r]) return 0;
    }
    return 1;
}

static void assign_employers(pop_t *p, const scenario *sc, gsl_ran_discrete_t **tab,
                             const rng_t *rs, int threads, int *failed) {
    int regions = sc->population.regions;
    double rate = sc->population.employment_rate;
#pragma omp parallel num_threads(nthreads(threads))
    {
        gsl_rng *g = rng_gsl_new();
        if (!g) {
#pragma omp atomic write
            *failed = 1;
        }
#pragma omp for schedule(static)
        for (uint32_t i = 0; i < p->persons; i++) {
            p->employer[i] = POP_NONE;
            if (!g || p->child[i] || !tab[regions]) continue;
            rng_gsl_at(g, rs, 0, i, RNG_POP_EMPLOYER);
            if (gsl_rng_uniform(g) >= rate) continue;
            int r = p->region[i];
            uint32_t first = tab[r] ? p->region_first[1][r] : p->persons;
            p->employer[i] = first + (uint32_t)gsl_ran_discrete(g, tab[r] ? tab[r] : tab[regions]);
        }
        gsl_rng_free(g);
    }
}

/* A uniformly chosen adult of the firm's region (64 tries), who then works for the firm. */
static void choose_legalreps(pop_t *p, const rng_t *rs) {
    rng_stream s;
    for (uint32_t f = 0; f < p->firms; f++) {
        int r = p->region[p->persons + f];
        uint32_t first = p->region_first[0][r], count = p->region_first[0][r + 1] - first;
        p->legalrep[f] = POP_NONE;
        rng_stream_at(&s, rs, 0, p->persons + f, RNG_POP_LEGALREP);
        for (int tries = 0; count > 0 && tries < 64; tries++) {
            uint32_t i = first + (uint32_t)rng_below(&s, count);
            if (p->child[i]) continue;
            p->legalrep[f] = i;
            p->employer[i] = p->persons + f;
            break;
        }
    }
}

static sim_status build_economy(pop_t *p, const scenario *sc, const rng_t *rs, int threads,
                                sim_err *err) {
    int regions = sc->population.regions, failed = 0;
    double *weight = malloc((p->firms ? p->firms : 1) * sizeof *weight);
    gsl_ran_discrete_t *tab[SCN_MAX_REGIONS + 1] = {0};
    if (!weight) return err_set(err, SIM_ENOMEM, "out of memory for %u firms", p->firms);
    draw_firms(p, sc, weight, rs);
    if (p->firms && !build_firm_tables(p, regions, weight, tab)) failed = 1;
    if (!failed && p->employer) assign_employers(p, sc, tab, rs, threads, &failed);
    for (int r = 0; r <= regions; r++) gsl_ran_discrete_free(tab[r]);
    free(weight);
    if (failed) return err_set(err, SIM_ENOMEM, "out of memory while assigning employers");
    choose_legalreps(p, rs);
    return SIM_OK;
}

sim_status pop_build(pop_t **out, const scenario *sc, const rng_t *rs, int threads,
                     sim_err *err) {
    const scn_population *sp = &sc->population;
    uint64_t persons = (uint64_t)sp->persons, firms = pop_firm_count(sc);
    *out = NULL;
    if (persons + firms >= (uint64_t)UINT32_MAX)
        return err_set(err, SIM_ESCENARIO, "population.persons: %llu persons and %llu firms "
                       "exceed the limit of %u agents", (unsigned long long)persons,
                       (unsigned long long)firms, UINT32_MAX - 1);
    pop_t *p = NULL;
    const int varied = propensity_varies(sc);
    sim_status st = pop_alloc(&p, (uint32_t)persons, (uint32_t)firms, varied, err);
    if (st != SIM_OK) return st;
    int failed = 0;
    split_regions(p, sp->regions);
    if ((st = build_households(p, sc, rs, threads, err)) != SIM_OK) goto fail;
    if ((st = build_economy(p, sc, rs, threads, err)) != SIM_OK) goto fail;
    p->prop_const[0] = (float)sp->propensity_mean;
    p->prop_const[1] = (float)sp->firm_propensity_mean;
    if (varied) {
        draw_propensities(p, 0, p->persons, sp->propensity_mean, sp->propensity_sd, rs,
                          threads, &failed);
        draw_propensities(p, p->persons, p->n, sp->firm_propensity_mean,
                          sp->firm_propensity_sd, rs, threads, &failed);
    }
    if (failed) {
        st = err_set(err, SIM_ENOMEM, "out of memory while drawing propensities");
        goto fail;
    }
    *out = p;
    return SIM_OK;
fail:
    pop_free(p);
    return st;
}

/* --- structural layers --------------------------------------------------------------- */

/* Household i0..i1-1: all pairs (family) or first two adults -> children (parent). */
static int household_ties(const pop_t *p, uint32_t i0, uint32_t i1, int parent, net_ties *t) {
    if (!parent) {
        for (uint32_t a = i0; a < i1; a++)
            for (uint32_t b = a + 1; b < i1; b++)
                if (!net_ties_push(t, a, b)) return 0;
        return 1;
    }
    int adults = 0;
    for (uint32_t a = i0; a < i1 && adults < 2; a++) {
        if (p->child[a]) continue;
        adults++;
        for (uint32_t c = i0; c < i1; c++)
            if (p->child[c] && !net_ties_push(t, a, c)) return 0;
    }
    return 1;
}

static int collect_ties(const pop_t *p, scn_layer_id id, net_ties *t) {
    switch (id) {
    case LAYER_FAMILY:
    case LAYER_PARENT:
        for (uint32_t i0 = 0, i1; i0 < p->persons; i0 = i1) {
            for (i1 = i0 + 1; i1 < p->persons && p->household[i1] == p->household[i0]; i1++) {}
            if (!household_ties(p, i0, i1, id == LAYER_PARENT, t)) return 0;
        }
        return 1;
    case LAYER_EMPLOYMENT:
        for (uint32_t i = 0; i < p->persons; i++)
            if (pop_employer(p, i) != POP_NONE && !net_ties_push(t, i, p->employer[i])) return 0;
        return 1;
    case LAYER_LEGALREP:
        for (uint32_t f = 0; f < p->firms; f++)
            if (p->legalrep[f] != POP_NONE && !net_ties_push(t, p->legalrep[f], p->persons + f))
                return 0;
        return 1;
    default:
        return 1;
    }
}

sim_status pop_layer(net_t **out, const pop_t *p, scn_layer_id id, sim_err *err) {
    *out = NULL;
    if (id != LAYER_FAMILY && id != LAYER_PARENT && id != LAYER_EMPLOYMENT &&
        id != LAYER_LEGALREP)
        return err_set(err, SIM_ERUN, "layer %s is not built from the population",
                       scn_layer_name(id));
    int directed = id == LAYER_PARENT || id == LAYER_LEGALREP;
    net_ties t = {0};
    sim_status st;
    if (!collect_ties(p, id, &t))
        st = err_set(err, SIM_ENOMEM, "out of memory for the %s layer", scn_layer_name(id));
    else
        st = net_from_ties(out, p->n, directed, t.src, t.dst, t.k, NULL, err);
    net_ties_free(&t);
    return st;
}
