/* sim/engine/engine.c - building a run's society and the step loop.
 *
 * Step t (see engine.h): the timeline's changes for step t, if any (timeline.c) -> inspection allocation and deterrence inputs (serial) -> observe
 * (parallel over blocks) -> apply records (serial, block order) -> good deeds and the
 * commercial score (deeds.c, commercial.c: parallel over blocks, tallied in block order;
 * both change state scores before their update) -> appeal decisions (serial)
 * -> probabilistic spillover marks (serial) -> score and list transitions with early exits
 * (parallel over blocks) -> neighbour counts from the status changes, appeals filed
 * (serial, block order) -> ostracism (serial), sanctions in force, harm (parallel), firm
 * health (serial) -> metrics.
 * Serial phases touch only what changed (records, new listings), so their cost is
 * proportional to events, not to agents. Where the scenario allows it, the score and list
 * transitions run event-driven (event.c: only the agents that may change this step, with
 * identical results); `--dense` (sim_opts.dense) keeps the dense pass. */
#include <math.h>
#include <stdio.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state.h"

/* The engine's modules, in the order they are prepared (freed in reverse): each owns its
 * state in struct sim, its rows of arr_table (arrays.c) and its part of the estimate. */
typedef struct sim_module {
    const char *name;
    int (*prepare)(struct sim *s);
    void (*release)(struct sim *s);
    uint64_t (*bytes)(const scenario *sc);
} sim_module;

static int state_prepare(struct sim *s);
static void state_free(struct sim *s);
static uint64_t state_bytes(const scenario *sc);

static const sim_module modules[] = {
    {"state", state_prepare, state_free, state_bytes},
    {"agency", agency_prepare, agency_free, agency_bytes},
    {"policy", policy_prepare, policy_free, policy_bytes},
    {"sanction", sanction_prepare, sanction_free, sanction_bytes},
    {"response", response_prepare, response_free, response_bytes},
    {"redress", redress_prepare, redress_free, redress_bytes},
    {"cascade", cascade_prepare, cascade_free, cascade_bytes},
    {"collect", collect_prepare, collect_free, collect_bytes},
    {"chill", chill_prepare, chill_free, chill_bytes},
    {"share", share_prepare, share_free, share_bytes},
    {"travel", travel_prepare, travel_free, travel_bytes},
    {"deeds", deeds_prepare, deeds_free, deeds_bytes},
    {"commercial", commercial_prepare, commercial_free, commercial_bytes},
    {"ownlist", ownlist_prepare, ownlist_free, ownlist_bytes},
    {"event", event_prepare, event_free, event_bytes},   /* last: reads the others' state */
};
enum { NMODULES = sizeof modules / sizeof *modules };

/* Results held until the caller stores them, and the end-of-run scratch: metric rows (as
 * many a step as arr_step_rows counts, capacity doubled), events up to their cap (capacity
 * doubled from 64; without a cap, two per agent), 16 bytes per person for the summary's
 * rankings (their keys with the radix buffer, shared by exposure.c and infer.c, which keeps
 * its public statuses in the buffer until its sort: metrics.c summary_keys) less what the
 * steps' own arrays free before it (release_steps), and 1 MB for labels, block buffers,
 * cascade trees and queues.
 * Cascade trees take 11 bytes per root blacklisting (only with a single-source rule) and are
 * not counted per listing: a run that blacklists most of the population several times
 * exceeds the estimate by a few percent. */
static double results_bytes(const scenario *sc, double persons, double n) {
    double rows = (double)arr_rows_bytes(sc, sizeof(res_row)), events = 2 * n;
    if (sc->run.event_cap >= 0 || persons >= 100000) {
        uint64_t cap = sc->run.event_cap >= 0 ? (uint64_t)sc->run.event_cap : 1000000, c = 64;
        while (c < cap) c *= 2;
        events = cap ? (double)c : 0;
    }
    double freed = (double)(arr_released_bytes(sc) + event_bytes(sc));
    return rows + events * sizeof(res_event) + fmax(0, 16 * persons - freed) + 1e6;
}

/* Whether a sanction of sc or of a scenario its timeline puts in force reaches a person's
 * household (sanction.c reach): only then are the household ids kept once the layers are
 * built (the family and parent layers are made from them). */
static int households_read(const scenario *sc) {
    const scenario *one = sc;
    for (int k = -1; k < (sc->timeline ? sc->timeline->n : 0); k++) {
        if (k >= 0) one = &sc->timeline->at[k];
        for (int j = 0; j < one->nsanctions; j++)
            if (one->sanctions[j].reach_mask & REACH_HOUSEHOLD) return 1;
    }
    return 0;
}

void sim_estimate_parts(const scenario *sc, sim_estimate *e) {
    double persons = (double)sc->population.persons, firms = pop_firm_count(sc);
    double n = persons + firms, layers = 0, largest = 0, state = 0;
    for (int l = 0; l < SCN_NLAYERS; l++) {
        double arcs = arr_layer_arcs(sc, (scn_layer_id)l);
        int directed = l == LAYER_PARENT || l == LAYER_LEGALREP;   /* + in-degrees */
        double bytes = sc->layers[l].enabled ? (double)net_bytes(n, arcs, directed) : 0;
        layers += bytes;
        largest = fmax(largest, bytes);
    }
    for (int m = 0; m < NMODULES; m++) state += (double)modules[m].bytes(sc);
    e->population = pop_bytes(sc);
    e->layers = (uint64_t)layers;
    e->build = (uint64_t)largest;
    e->state = (uint64_t)state;
    e->results = (uint64_t)results_bytes(sc, persons, n);
    /* the run: without the household ids, when released after the layers */
    uint64_t run = e->state + e->results, freed = households_read(sc) ? 0 : pop_household_bytes(sc);
    run = run > freed ? run - freed : 0;
    e->total = e->population + e->layers + (e->build > run ? e->build : run);
}

uint64_t sim_estimate_bytes(const scenario *sc) {
    sim_estimate e;
    sim_estimate_parts(sc, &e);
    return e.total;
}

static uint64_t memory_limit(const scenario *sc) {
    if (sc->run.max_memory_gib > 0) return (uint64_t)(sc->run.max_memory_gib * 1073741824.0);
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size : UINT64_MAX;
}

static sim_status build_generated(struct sim *s, scn_layer_id id, sim_err *err) {
    const scn_layer *l = &s->sc.layers[id];
    const pop_t *p = s->pop;
    int social = id == LAYER_SOCIAL;
    uint32_t first = social ? 0 : p->persons, count = social ? p->persons : p->firms;
    uint32_t purpose = RNG_NET + (uint32_t)id;
    net_t **out = &s->layer[id];
    switch (l->generator) {
    case GEN_ER:
        return net_gen_er(out, s->n, first, count, l->mean_degree, &s->rng, purpose,
                          s->threads, err);
    case GEN_WS:
        return net_gen_ws(out, s->n, first, count, l->mean_degree, l->rewire, &s->rng,
                          purpose, s->threads, err);
    case GEN_CONFIG:
        return net_gen_config(out, s->n, first, count, l->exponent, (uint32_t)l->min_degree,
                              (uint32_t)l->max_degree, &s->rng, purpose, s->threads, err);
    case GEN_SBM:
        return net_gen_sbm(out, s->n, first, count, l->mean_degree, p->region,
                           s->sc.population.regions, p->group, s->sc.population.groups,
                           l->homophily_region, l->homophily_group, &s->rng, purpose,
                           s->threads, err);
    default:
        return err_set(err, SIM_ERUN, "layer %s: generator %s is not a random graph",
                       scn_layer_name(id), scn_generator_name(l->generator));
    }
}

static sim_status build_layer(struct sim *s, scn_layer_id id, sim_err *err) {
    const scn_layer *l = &s->sc.layers[id];
    int directed = id == LAYER_PARENT || id == LAYER_LEGALREP;
    sim_status st;
    if (l->generator == GEN_CSV) {
        uint32_t n, first, count;   /* as the population has them (pop_firm_count) */
        net_csv_range(&s->sc, id, &n, &first, &count);
        st = net_read_csv_stop(&s->layer[id], l->file, s->n, first, count, directed,
                               s->opts.stop, &s->layer_stats[id], err);
    } else if (l->generator == GEN_STRUCTURAL) {
        st = pop_layer(&s->layer[id], s->pop, id, err);
    } else {
        st = build_generated(s, id, err);
    }
    if (st != SIM_OK) err_prefix(err, "layer %s: ", scn_layer_name(id));
    return st;
}

/* The list state shared by every module (owner ARR_STATE) and the per-block buffers. */
static int state_prepare(struct sim *s) {
    s->nblocks = (s->n + SIM_BLOCK - 1) / SIM_BLOCK;
    s->steps16 = arr_steps16(&s->sc);   /* before the table sizes the step arrays */
    if (!arr_alloc(s, ARR_STATE)) return 0;
    for (uint32_t i = 0; i < s->n; i++) {
        s->score[i] = (float)s->sc.scoring.base;
        step_put(s->steps16, s->last_violation, i, -1);
        s->cause_agency[i] = -1;
        s->cause_rule[i] = -1;
        if (s->source) s->source[i] = SIM_NONE;
        const int slot = i < s->pop->persons ? s->pop->group[i] : ACC_G - 1;
        if (s->slot) s->slot[i] = (uint8_t)slot;
        s->group_size[slot]++;
    }
    return 1;
}

/* The shared arrays, plus the block buffers at their largest: in the points regime with a red
 * list, scores recover at one rate, so every agent may cross red_at_least in the same step,
 * and each block then holds a status change and an event per agent. */
static uint64_t state_bytes(const scenario *sc) {
    uint64_t bytes = arr_bytes(sc, ARR_STATE);
    if (sc->scoring.regime == REGIME_POINTS && sc->lists.red_at_least <= sc->scoring.max)
        bytes += arr_units(sc, ARR_AGENTS) * (sizeof(change) + sizeof(res_event));
    return bytes;
}

static void state_free(struct sim *s) {
    for (size_t b = 0; s->blk && b < s->nblocks; b++)
        free(s->blk[b].rec), free(s->blk[b].chg), free(s->blk[b].ev);
    arr_free(s, ARR_STATE);
}

/* Constraints between parts of a scenario that only the engine knows about. */
sim_status sim_check(const scenario *sc, sim_err *err) {
    for (int r = 0; r < sc->nrules; r++) {
        const scn_rule *rule = &sc->rules[r];
        if (!sc->layers[rule->layer].enabled)
            return err_set(err, SIM_ESCENARIO, "[spillover.%s] layer: layer %s is disabled "
                           "(layer.%s.enabled = false)", rule->name,
                           scn_layer_name(rule->layer), scn_layer_name(rule->layer));
        if (rule->kind == RULE_ADDITIVE && sc->scoring.regime != REGIME_POINTS)
            return err_set(err, SIM_ESCENARIO, "[spillover.%s] kind: additive spillover "
                           "changes a score and needs scoring.regime = points", rule->name);
    }
    uint64_t need = sim_estimate_bytes(sc), limit = memory_limit(sc);
    if (need > limit)
        return err_set(err, SIM_ERUN, "refusing to run: estimated memory %.2f GiB exceeds "
                       "the limit of %.2f GiB (run.max_memory_gib, or physical memory); "
                       "reduce population.persons or layer mean degrees", need / 1073741824.0,
                       limit / 1073741824.0);
    return SIM_OK;
}

sim_status sim_new(sim_t **out, const scenario *sc, const sim_opts *opts, sim_err *err) {
    *out = NULL;
    sim_status st = sim_check(sc, err);
    if (st != SIM_OK) return st;
    struct sim *s = calloc(1, sizeof *s);
    if (!s) return err_set(err, SIM_ENOMEM, "out of memory");
    s->sc = *sc;
    s->sc.text = s->sc.overrides = NULL;
    if (sc->timeline && !(s->sc.timeline = scn_timeline_dup(sc->timeline))) {
        free(s);
        return err_set(err, SIM_ENOMEM, "out of memory");
    }
    if (opts) s->opts = *opts;
    s->threads = s->opts.threads ? s->opts.threads
               : sc->run.threads ? sc->run.threads : omp_get_max_threads();
    rng_init(&s->rng, sc->run.seed, s->opts.run);
    double t0 = omp_get_wtime();
    if ((st = pop_build(&s->pop, &s->sc, &s->rng, s->threads, err)) != SIM_OK) goto fail;
    s->n = s->pop->n;
    double t1 = omp_get_wtime();
    for (int l = 0; l < SCN_NLAYERS; l++)
        if (sc->layers[l].enabled && (st = build_layer(s, (scn_layer_id)l, err)) != SIM_OK)
            goto fail;
    if (!households_read(&s->sc)) pop_release_households(s->pop);
    s->timing.population_s = t1 - t0;
    s->timing.layers_s = omp_get_wtime() - t1;
    st = err_set(err, SIM_ENOMEM, "out of memory for the state of %u agents", s->n);
    uint64_t cap = sc->run.event_cap >= 0 ? (uint64_t)sc->run.event_cap
                 : sc->population.persons < 100000 ? UINT64_MAX : 1000000;
    if (res_new(&s->res, cap, err) != SIM_OK) goto fail;
    s->res->nagencies = sc->nagencies;
    for (int a = 0; a < sc->nagencies; a++)
        snprintf(s->res->agency_names[a], RES_NAME_MAX, "%s", sc->agencies[a].name);
    for (int m = 0; m < NMODULES; m++)
        if (!modules[m].prepare(s)) goto fail;
    if (!policy_seed(s) || !sanction_after(s) || !metrics_step(s, 0)) goto fail;
    *out = s;
    return SIM_OK;
fail:
    sim_free(s);
    return st;
}

sim_status sim_step(sim_t *s, sim_err *err) {
    int oom = 0;
    timeline_apply(s);   /* the scenario in force from step s->t + 1, if it changes then */
    sanction_before(s);
    agency_before(s);
    chill_step(s);       /* reads the lists of the end of the last step; draws only its own */
#pragma omp parallel for schedule(dynamic, 4) num_threads(s->threads)
    for (size_t b = 0; b < s->nblocks; b++) agency_observe_block(s, b);
    for (size_t b = 0; b < s->nblocks; b++) oom |= s->blk[b].oom;
    if (!oom) {
        agency_apply_records(s);
        oom = !collect_step(s);
        /* scores before their update (policy_update_block): deeds add points (7.23), then
           the commercial score moves on this step's records and feeds the state's (7.22) */
        deeds_step(s);
        commercial_step(s);
    }
    if (!oom) {
        if (s->redress.appeals) redress_decide(s);
        oom = !policy_spill_marks(s);
    }
    if (!oom) {
        event_before(s);   /* event.c: this step's breakpoints, or back to the dense pass */
        const int ev = s->ev.on;
#pragma omp parallel for schedule(dynamic, 4) num_threads(s->threads)
        for (size_t b = 0; b < s->nblocks; b++) {
            if (ev) event_update_block(s, b);
            else policy_update_block(s, b);
        }
        s->t++;   /* the changes belong to the step just completed */
        oom = !policy_apply_changes(s) || !sanction_after(s) ||
              !share_after(s) || !metrics_step(s, s->t);
    }
    return oom ? err_set(err, SIM_ENOMEM, "out of memory at step %d", s->t) : SIM_OK;
}

/* What only the steps read, freed before the summary so that the summary's buffers (the
 * inference attacks' sort keys, 16 bytes per person: metrics.c) reuse its memory instead of
 * raising the peak: this step's records and deductions, the points lost by cause and the
 * event pass (after event_finish). */
static void release_steps(struct sim *s) {
    arr_release_steps(s);
    event_free(s);
}

sim_status sim_run(sim_t *s, sim_err *err) {
    double t0 = omp_get_wtime();
    sim_status st = SIM_OK;
    while (s->t < s->sc.run.steps && st == SIM_OK) {
        if (s->opts.stop && *s->opts.stop) {
            st = err_set(err, SIM_EINTR, "interrupted after step %d of %d", s->t,
                         s->sc.run.steps);
            break;
        }
        st = sim_step(s, err);
        if (st == SIM_OK && s->opts.progress)
            s->opts.progress(s->opts.progress_ctx, s->t, s->sc.run.steps);
    }
    s->timing.steps_s += omp_get_wtime() - t0;
    s->timing.event_steps = s->ev.steps;
    event_finish(s);   /* every score in full for the summary */
    if (st == SIM_OK) release_steps(s);
    if (st == SIM_OK && !metrics_summary(s))
        st = err_set(err, SIM_ENOMEM, "out of memory for the summary");
    return st;
}

const res_t *sim_results(const sim_t *s) { return s->res; }
int sim_current_step(const sim_t *s) { return s->t; }
sim_timing sim_get_timing(const sim_t *s) { return s->timing; }

int sim_layer_info(const sim_t *s, scn_layer_id id, uint64_t *arcs, uint64_t *lines,
                   uint64_t *self_loops, uint64_t *duplicates) {
    if (!s->layer[id]) return 0;
    if (arcs) *arcs = s->layer[id]->m;
    if (lines) *lines = s->layer_stats[id].lines;
    if (self_loops) *self_loops = s->layer_stats[id].self_loops;
    if (duplicates) *duplicates = s->layer_stats[id].duplicates;
    return 1;
}

void sim_free(sim_t *s) {
    if (!s) return;
    for (int m = NMODULES; m-- > 0;) modules[m].release(s);
    pop_free(s->pop);
    for (int l = 0; l < SCN_NLAYERS; l++) net_free(s->layer[l]);
    res_free(s->res);
    scn_timeline_free(s->sc.timeline);
    free(s);
}
