/* sim/engine/arrays.c - the table of per-agent arrays (see arrays.h) and the code it drives.
 * To add a per-agent array: add its pointer to its module's state in state.h and one row
 * here; allocation, freeing and the memory estimate follow. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrays.h"
#include "severity.h"
#include "mem.h"
#include "state.h"

/* ---- sizes and conditions the table and the modules share ---------------------------- */

int arr_hist_k(const scenario *sc) {
    int k = 0;
    for (int a = 0; a < sc->nagencies; a++)
        if (sc->agencies[a].list_after > k) k = sc->agencies[a].list_after;
    return k;
}

uint16_t arr_own_mask(const scenario *sc) {
    uint16_t m = 0;
    for (int a = 0; a < sc->nagencies; a++)
        if (sc->agencies[a].own_lists) m |= (uint16_t)(1u << a);
    return m;
}

uint32_t arr_travel_bans(const scenario *sc, int mode) {
    uint32_t applied = 0, m = 0;
    for (int j = 0; j < sc->njoint; j++)
        for (int l = 0; l < SCN_NLISTS; l++) applied |= sc->joint[j].mask[l];
    for (int a = 0; a < sc->nagencies; a++) applied |= sev_sanctions(sc, a);
    for (int k = 0; k < sc->nsanctions; k++)
        if ((sc->sanctions[k].bans & (1 << mode)) &&
            (sc->sanctions[k].list_mask || (applied & (1u << k))))
            m |= 1u << k;
    return m;
}

int arr_travel_on(const scenario *sc) {
    return arr_travel_bans(sc, 0) || arr_travel_bans(sc, 1);
}

int arr_deeds_on(const scenario *sc) {
    return sc->scoring.regime == REGIME_POINTS && sc->behaviour.deed_rate > 0;
}

int arr_deeds_lift(const scenario *sc) { return arr_deeds_on(sc) && sc->behaviour.deed_above_max; }

int arr_commercial_on(const scenario *sc) {
    for (int g = 0; g < sc->population.groups; g++)
        if (sc->commercial.opt_in[g] > 0) return 1;
    return 0;
}

int arr_health_on(const scenario *sc) {
    return pop_firm_count(sc) > 0 && scn_firm_health(sc);
}

unsigned arr_cut_layers(const scenario *sc) {
    unsigned cuts = sc->behaviour.ostracism > 0 ? sc->behaviour.layer_mask : 0;
    if (arr_health_on(sc)) cuts |= 1u << LAYER_EMPLOYMENT;
    return cuts;
}

int arr_holdings(const scenario *sc, int *agency, int *kind) {
    int n = 0;
    for (int c = 0; c < sc->nsources; c++) {
        int a = sc->sources[c].agency_index, k = (int)sc->sources[c].kind, h = 0;
        while (h < n && !(agency[h] == a && kind[h] == k)) h++;
        if (h == n) agency[n] = a, kind[n] = k, n++;
    }
    return n;
}

int arr_ring_len(const scenario *sc, int h) {
    int agency[SCN_MAX_SOURCES], kind[SCN_MAX_SOURCES];
    if (h >= arr_holdings(sc, agency, kind)) return 0;
    int r = scn_retention_of(sc, agency[h], (scn_kind)kind[h]);
    if (r > 0 && r >= sc->run.steps && sc->nshares > 0) return sc->run.steps;   /* share.c */
    return r > 0 && r < sc->run.steps ? r : 0;
}

/* Expected arcs per member of a power-law degree distribution on kmin..kmax. */
static double powerlaw_mean(double gamma, int64_t kmin, int64_t kmax) {
    double num = 0, den = 0;
    for (int64_t k = kmin; k <= kmax; k++) {
        double w = pow((double)k, -gamma);
        num += w * (double)k;
        den += w;
    }
    return den > 0 ? num / den : 0;
}

double arr_layer_arcs(const scenario *sc, scn_layer_id id) {
    double persons = (double)sc->population.persons, firms = pop_firm_count(sc);
    const scn_layer *l = &sc->layers[id];
    const scn_population *p = &sc->population;
    double lam = p->household_mean - 1, adults = persons * (1 - p->child_share);
    double members = id == LAYER_SOCIAL ? persons : firms;
    if (!l->enabled) return 0;
    if (l->generator == GEN_CSV) {
        FILE *f = fopen(l->file, "rb");
        double bytes = 0;
        if (f && fseek(f, 0, SEEK_END) == 0) bytes = (double)ftell(f);
        if (f) fclose(f);
        return bytes / 2;   /* at least 4 bytes per tie, two arcs each */
    }
    switch (l->generator) {
    case GEN_CONFIG: return members * powerlaw_mean(l->exponent, l->min_degree, l->max_degree);
    case GEN_ER: case GEN_WS: case GEN_SBM: return members * l->mean_degree * 1.02;
    default: break;
    }
    switch (id) {
    case LAYER_FAMILY: return persons * (2 * lam + lam * lam) / (1 + lam);
    case LAYER_PARENT: return 2 * persons * p->child_share;
    case LAYER_EMPLOYMENT: return 2 * (adults * p->employment_rate + firms);
    case LAYER_LEGALREP: return firms;
    default: return 0;
    }
}

/* ---- what grows with the steps: the per-step metric rows -------------------------------- */

/* Metric rows one step can add, at most (metrics.c, sanction.c, collect_metrics.c): series
 * by group slot ("all", each group, "firms") of violations, the three lists, wrongly and
 * newly wrongly listed, scores, harm and the sanctioned; by region of the blacklisted, the
 * wrongly listed, the newly wrongly listed and the inspection's two; one per agency
 * (records), sanction (active), layer (ties cut); causes, exits, privacy, appeals and firm
 * health (ARR_STEP_FIXED); collection: per agency three, kinds, displays and the held
 * distribution. An upper bound: conditional rows are all counted. */
enum { ARR_STEP_GROUP_SERIES = 9, ARR_STEP_REGION_SERIES = 5, ARR_STEP_FIXED = 53,
       ARR_STEP_COLLECT = 60 };

uint64_t arr_step_rows(const scenario *sc) {
    uint64_t g = (uint64_t)sc->population.groups + 2, r = (uint64_t)sc->population.regions;
    uint64_t a = (uint64_t)sc->nagencies, rows = ARR_STEP_FIXED;
    rows += ARR_STEP_GROUP_SERIES * g + ARR_STEP_REGION_SERIES * r + a;
    rows += (uint64_t)sc->nsanctions + SCN_NLAYERS;
    if (sc->nsources > 0) rows += 3 * a + ARR_STEP_COLLECT;
    if (arr_travel_on(sc)) rows += SCN_NMODES * (1 + (uint64_t)sc->nsanctions);   /* travel.c */
    if (arr_deeds_on(sc)) rows += g;   /* deeds.c: deeds_recorded all and by group */
    if (arr_commercial_on(sc)) rows += g + 3 + (uint64_t)sc->nsanctions;   /* commercial.c */
    if (arr_own_mask(sc)) rows += 6 * a + 3;   /* ownlist.c: 7.19 */
    return rows;
}

uint64_t arr_rows_bytes(const scenario *sc, size_t row_bytes) {
    uint64_t rows = arr_step_rows(sc) * (uint64_t)sc->run.steps, cap = 64;
    while (cap < rows) cap *= 2;   /* the capacity doubles from 64 (vec_reserve) */
    return cap * row_bytes;
}

/* ---- conditions: elements per unit, 0 when the array does not exist --------------------- */

static size_t always(const scenario *sc, int k) { (void)sc, (void)k; return 1; }

static size_t list_on(const scenario *sc, int l) {
    if (l == LIST_BLACK || sc->scoring.regime != REGIME_POINTS) return 1;
    return l == LIST_WATCH ? sc->lists.watch_below > sc->lists.black_below
                           : sc->lists.red_at_least <= sc->scoring.max || arr_deeds_lift(sc);
}

/* Whether every step value the run stores in the step arrays fits in 16 bits (arrays.h): a
 * step (at most run.steps), a term end (a step + a term of at most ARR_TERM_MAX + what
 * [redress] extend adds: at most extend_max, unbounded without a cap; own lists extend
 * their own entries, not these arrays). One scenario's side; arr_steps16 adds the timeline. */
static int steps16_one(const scenario *sc) {
    int64_t ext = sc->redress.extend <= 0 ? 0 : sc->redress.extend_max > 0
                                                   ? sc->redress.extend_max : INT32_MAX;
    return (int64_t)sc->run.steps + ARR_TERM_MAX + ext <= INT16_MAX;
}

int arr_steps16(const scenario *sc) {
    int ok = steps16_one(sc);
    for (int i = 0; sc->timeline && i < sc->timeline->n; i++)
        ok &= steps16_one(&sc->timeline->at[i]);
    return ok;
}

/* Two int16_t slots an agent (an int32_t) unless the step values fit in 16 bits. */
static size_t step_units(const scenario *sc, int k) {
    (void)k;
    return steps16_one(sc) ? 1 : 2;
}

static size_t until_on(const scenario *sc, int l) { return list_on(sc, l) * step_units(sc, l); }

static size_t lists_regime(const scenario *sc, int k) {
    (void)k;
    return sc->scoring.regime == REGIME_LISTS;
}

/* Points lost by cause c + 1 (own, false, misattributed records, additive spillover): an
 * array only for a cause that can occur. */
static size_t loss_on(const scenario *sc, int c) {
    if (sc->scoring.regime != REGIME_POINTS) return 0;
    int any = c == CAUSE_OWN - 1;
    for (int a = 0; a < sc->nagencies; a++)
        any |= (c == CAUSE_FALSE - 1 && sc->agencies[a].false_record > 0) ||
               (c == CAUSE_MISATTR - 1 && sc->agencies[a].misattribution > 0);
    for (int r = 0; r < sc->nrules; r++) any |= c == CAUSE_SPILL - 1 && sc->rules[r].kind == RULE_ADDITIVE;
    return (size_t)any;
}

/* A spillover rule that lists from one source (threshold, inherit, probabilistic): only
 * then does a listing name its source and join the source's cascade. */
static size_t single_source(const scenario *sc, int k) {
    (void)k;
    for (int r = 0; r < sc->nrules; r++)
        if (sc->rules[r].kind != RULE_ADDITIVE) return 1;
    return 0;
}

static size_t history(const scenario *sc, int k) {
    (void)k;
    if (sc->scoring.regime != REGIME_LISTS) return 0;
    return (size_t)sc->nagencies * (size_t)arr_hist_k(sc);
}

static size_t several_agencies(const scenario *sc, int k) {
    (void)k;
    return sc->nagencies > 1;
}

/* An agent can get more than one record in a step only from two agencies or from a
 * misattributed record besides its own (agency.c: an agency records a violator or, falsely,
 * a non-violator, once a step); then the step's deductions are summed per agent. */
static size_t several_records(const scenario *sc, int k) {
    (void)k;
    if (sc->scoring.regime != REGIME_POINTS) return 0;
    int mis = 0;
    for (int a = 0; a < sc->nagencies; a++) mis |= sc->agencies[a].misattribution > 0;
    return sc->nagencies > 1 || mis;
}

/* The group slot of each agent: with one group it is 0 for a person, the firms' for a firm
 * (acc_slot), and no array is kept. */
static size_t grouped(const scenario *sc, int k) {
    (void)k;
    return sc->population.groups > 1;
}

static size_t counted_rule(const scenario *sc, int r) {
    return r < sc->nrules && sc->rules[r].kind != RULE_PROBABILISTIC;
}

static size_t tipped_rule(const scenario *sc, int r) {
    return r < sc->nrules &&
           (sc->rules[r].kind == RULE_THRESHOLD || sc->rules[r].kind == RULE_INHERIT);
}

static size_t probabilistic(const scenario *sc, int k) {
    (void)k;
    for (int r = 0; r < sc->nrules; r++)
        if (sc->rules[r].kind == RULE_PROBABILISTIC) return 1;
    return 0;
}

static size_t joint(const scenario *sc, int k) {
    (void)k;
    return sc->njoint > 0 || sev_sanctions_any(sc);   /* a tier's sanctions: severity.c */
}
static size_t sanctions(const scenario *sc, int k) { (void)k; return sc->nsanctions > 0; }

static size_t public_sanctions(const scenario *sc, int k) {
    (void)k;
    for (int j = 0; j < sc->nsanctions; j++)
        if (sc->sanctions[j].public) return 1;
    return 0;
}

static size_t appeals(const scenario *sc, int k) { (void)k; return sc->redress.appeal > 0; }
static size_t health(const scenario *sc, int k) { (void)k; return arr_health_on(sc); }

static size_t cut_layer(const scenario *sc, int l) {
    return sc->layers[l].enabled && (arr_cut_layers(sc) >> l & 1);
}

static size_t collecting(const scenario *sc, int k) {
    (void)k;
    return sc->nsources > 0 || sc->nshares > 0;
}
static size_t ring_rows(const scenario *sc, int h) { return (size_t)arr_ring_len(sc, h); }
static size_t chilling(const scenario *sc, int k) { (void)k; return sc->behaviour.lawful_rate > 0; }
static size_t travelling(const scenario *sc, int k) { (void)k; return arr_travel_on(sc); }
static size_t deeding(const scenario *sc, int k) { (void)k; return arr_deeds_on(sc); }
static size_t commercial(const scenario *sc, int k) { (void)k; return arr_commercial_on(sc); }
static size_t own_lists(const scenario *sc, int k) { (void)k; return arr_own_mask(sc) != 0; }

/* ---- the table ------------------------------------------------------------------------ */

#define ROW(own, field, basis, copies, fill, width, when)                                   \
    {#field, own, offsetof(struct sim, field), sizeof *((struct sim *)0)->field, basis,      \
     copies, fill, width, when}
#define ROWS(own, field, basis, fill, width, when)                                          \
    {#field, own, offsetof(struct sim, field), sizeof *((struct sim *)0)->field[0], basis,   \
     (int)(sizeof ((struct sim *)0)->field / sizeof ((struct sim *)0)->field[0]), fill,      \
     width, when}

const arr_spec arr_table[] = {
    ROW(ARR_STATE, score, ARR_AGENTS, 1, ARR_RAW, always, "always"),
    ROW(ARR_STATE, status, ARR_AGENTS, 1, 0, always, "always"),
    ROWS(ARR_STATE, until, ARR_AGENTS, 0, until_on, "per list in use (points: the watch and "
         "red lists only when their thresholds can be reached)"),
    ROW(ARR_STATE, last_violation, ARR_AGENTS, 1, ARR_RAW, step_units,
        "always (16 bits, or 32 where a step value may pass 32,767: arr_steps16)"),
    ROW(ARR_STATE, since, ARR_AGENTS, 1, 0, step_units, "always (16 or 32 bits)"),
    ROW(ARR_STATE, cause, ARR_AGENTS, 1, 0, always, "always"),
    ROW(ARR_STATE, cause_agency, ARR_AGENTS, 1, ARR_RAW, always, "always"),
    ROW(ARR_STATE, cause_rule, ARR_AGENTS, 1, ARR_RAW, always, "always"),
    ROW(ARR_STATE, source, ARR_AGENTS, 1, ARR_RAW, single_source,
        "a threshold, inherit or probabilistic spillover rule exists"),
    ROW(ARR_STATE, slot, ARR_AGENTS, 1, ARR_RAW, grouped, "population.groups > 1"),
    ROW(ARR_STATE, blk, ARR_BLOCKS, 1, 0, always, "always (per block of 4096 agents)"),
    ROW(ARR_AGENCY, agency.rec_total, ARR_AGENTS, 1, 0, always, "always"),
    ROW(ARR_AGENCY, agency.rec_agencies, ARR_AGENTS, 1, 0, several_agencies,
        "more than one agency (with one: whether rec_total > 0, rec_holders)"),
    ROW(ARR_AGENCY, agency.last_record, ARR_AGENTS, 1, 0, lists_regime, "lists regime"),
    ROW(ARR_AGENCY, agency.rec_step, ARR_AGENTS, 1, 0, always, "always"),
    ROW(ARR_AGENCY, agency.ded, ARR_AGENTS, 1, 0, several_records,
        "points regime, where an agent can get two records in a step (several agencies, or "
        "misattribution); else the one record's deduction is its agency's (rec_deduction)"),
    ROWS(ARR_AGENCY, agency.loss, ARR_AGENTS, 0, loss_on,
         "points regime, per cause that can occur (own records; false records, misattributed "
         "records and additive spillover when an agency or rule makes them)"),
    ROW(ARR_AGENCY, agency.hist, ARR_AGENTS, 1, 0, history,
        "lists regime: agencies x the largest list_after per agent"),
    ROW(ARR_AGENCY, agency.pmax, ARR_BLOCKS, 1, 0, always, "always (per block)"),
    ROWS(ARR_POLICY, policy.cnt, ARR_AGENTS, 0, counted_rule,
         "per spillover rule that is not probabilistic"),
    ROWS(ARR_POLICY, policy.tip, ARR_AGENTS, 0, tipped_rule, "per threshold or inherit rule"),
    ROW(ARR_POLICY, policy.spill_src, ARR_AGENTS, 1, ARR_RAW, probabilistic,
        "a probabilistic spillover rule exists"),
    ROW(ARR_POLICY, policy.spill_rule, ARR_AGENTS, 1, ARR_RAW, probabilistic,
        "a probabilistic spillover rule exists"),
    ROWS(ARR_SANCTION, sanction.lister, ARR_AGENTS, 0xff, joint,
         "per list, when a joint punishment matrix exists"),
    ROW(ARR_SANCTION, sanction.sanc, ARR_AGENTS, 1, 0, sanctions, "a sanction catalogue exists"),
    ROW(ARR_SANCTION, sanction.harm, ARR_AGENTS, 1, 0, sanctions, "a sanction catalogue exists"),
    ROW(ARR_SANCTION, sanction.wronged, ARR_AGENTS, 1, 0, sanctions,
        "a sanction catalogue exists"),
    ROW(ARR_SANCTION, sanction.named, ARR_AGENTS, 1, 0, public_sanctions,
        "a public (naming) sanction exists"),
    ROW(ARR_RESPONSE, response.health, ARR_FIRMS, 1, ARR_RAW, health,
        "firm health in use (firms, and revenue sanctions or partner-tie losses)"),
    ROW(ARR_RESPONSE, response.pcut, ARR_FIRMS, 1, 0, health, "firm health in use"),
    ROWS(ARR_RESPONSE, response.ncut, ARR_AGENTS, 0, cut_layer,
         "per layer whose ties can be cut (ostracism; employment under firm health)"),
    ROW(ARR_REDRESS, redress.release, ARR_AGENTS, 1, 0, appeals, "appeals in use"),
    ROW(ARR_CASCADE, casc.cid, ARR_AGENTS, 1, ARR_RAW, single_source,
        "a threshold, inherit or probabilistic spillover rule exists (cascades can grow)"),
    ROW(ARR_CASCADE, casc.depth, ARR_AGENTS, 1, 0, single_source,
        "a threshold, inherit or probabilistic spillover rule exists"),
    ROWS(ARR_COLLECT, collect.ring, ARR_AGENTS, 0, ring_rows,
         "per holding of a collection source whose retention ends within the run: a byte per "
         "agent per step of retention"),
    ROW(ARR_COLLECT, collect.total, ARR_AGENTS, 1, 0, collecting, "a collection source exists"),
    ROW(ARR_COLLECT, collect.acc, ARR_BLOCKS, 1, 0, collecting,
        "a collection source exists (per block)"),
    ROW(ARR_CHILL, chill.flags, ARR_PERSONS, 1, 0, chilling,
        "the lawful-but-disfavoured activity is modelled (behaviour.lawful_rate > 0)"),
    ROW(ARR_CHILL, chill.acc, ARR_BLOCKS, 1, 0, chilling,
        "the activity is modelled (per block)"),
    ROW(ARR_TRAVEL, travel.acc, ARR_BLOCKS, 1, 0, travelling,
        "a sanction bans flights or trains (per block)"),
    ROW(ARR_DEEDS, deeds.acc, ARR_BLOCKS, 1, 0, deeding,
        "good deeds are modelled (points regime, behaviour.deed_rate > 0; per block)"),
    ROW(ARR_COMMERCIAL, commercial.opted, ARR_PERSONS, 1, 0, commercial,
        "a commercial score is kept (some [commercial] opt_in > 0)"),
    ROW(ARR_COMMERCIAL, commercial.score, ARR_PERSONS, 1, 0, commercial,
        "a commercial score is kept"),
    ROW(ARR_COMMERCIAL, commercial.pend, ARR_PERSONS, 1, 0, commercial,
        "a commercial score is kept"),
    ROW(ARR_COMMERCIAL, commercial.acc, ARR_BLOCKS, 1, 0, commercial,
        "a commercial score is kept (per block)"),
    ROWS(ARR_OWN, own.bits, ARR_AGENTS, 0, own_lists,
         "an agency keeps its own lists (a bit per agency, black and watch)"),
    ROW(ARR_OWN, own.ever, ARR_AGENTS, 1, 0, own_lists, "an agency keeps its own lists"),
    ROW(ARR_OWN, own.common, ARR_AGENTS, 1, 0, own_lists, "an agency keeps its own lists"),
    ROW(ARR_OWN, own.blk, ARR_BLOCKS, 1, 0, own_lists,
        "an agency keeps its own lists (per block; its entries are sparse)"),
};
const size_t arr_table_len = sizeof arr_table / sizeof *arr_table;

/* ---- what the table drives ------------------------------------------------------------- */

uint64_t arr_units(const scenario *sc, arr_basis b) {
    uint64_t persons = (uint64_t)sc->population.persons, firms = pop_firm_count(sc);
    switch (b) {
    case ARR_PERSONS: return persons;
    case ARR_FIRMS: return firms;
    case ARR_BLOCKS: return (persons + firms + SIM_BLOCK - 1) / SIM_BLOCK;
    default: return persons + firms;
    }
}

/* The largest width over the scenario and the scenarios its timeline puts in force, so an
 * array a change needs exists from the start (conditions on keys that cannot change give
 * the same width in all of them). */
static size_t width_of(const arr_spec *a, const scenario *sc, int k) {
    if (!a->width) return 1;
    size_t w = a->width(sc, k);
    for (int i = 0; sc->timeline && i < sc->timeline->n; i++) {
        size_t x = a->width(&sc->timeline->at[i], k);
        if (x > w) w = x;
    }
    return w;
}

uint64_t arr_count(const arr_spec *a, const scenario *sc, int k) {
    return arr_units(sc, a->basis) * width_of(a, sc, k);
}

static char *slot_of(struct sim *s, const arr_spec *a, int k) {
    return (char *)s + a->offset + (size_t)k * sizeof(void *);
}

int arr_alloc(struct sim *s, arr_owner o) {
    for (size_t r = 0; r < arr_table_len; r++) {
        const arr_spec *a = &arr_table[r];
        for (int k = 0; a->owner == o && k < a->copies; k++) {
            if (!width_of(a, &s->sc, k)) continue;
            uint64_t count = arr_count(a, &s->sc, k);
            size_t bytes = (size_t)(count ? count : 1) * a->elem;
            void *p = a->fill == 0 ? calloc(1, bytes) : malloc(bytes);
            if (!p) return 0;
            if (a->fill > 0) memset(p, a->fill, bytes);
            else mem_populate(p, bytes, s->threads);   /* read before written: one fault, not two */
            memcpy(slot_of(s, a, k), &p, sizeof p);
        }
    }
    return 1;
}

/* Frees every copy of row a and leaves its pointers NULL. */
static void free_row(struct sim *s, const arr_spec *a) {
    for (int k = 0; k < a->copies; k++) {
        void *p, *none = NULL;
        memcpy(&p, slot_of(s, a, k), sizeof p);
        free(p);
        memcpy(slot_of(s, a, k), &none, sizeof none);
    }
}

void arr_free(struct sim *s, arr_owner o) {
    for (size_t r = 0; r < arr_table_len; r++)
        if (arr_table[r].owner == o) free_row(s, &arr_table[r]);
}

static const size_t released[] = {
    offsetof(struct sim, agency.rec_step), offsetof(struct sim, agency.ded),
    offsetof(struct sim, agency.loss)};

static int is_released(const arr_spec *a) {
    for (size_t k = 0; k < sizeof released / sizeof *released; k++)
        if (a->offset == released[k]) return 1;
    return 0;
}

void arr_release_steps(struct sim *s) {
    for (size_t r = 0; r < arr_table_len; r++)
        if (is_released(&arr_table[r])) free_row(s, &arr_table[r]);
}

uint64_t arr_released_bytes(const scenario *sc) {
    uint64_t bytes = 0;
    for (size_t r = 0; r < arr_table_len; r++)
        for (int k = 0; is_released(&arr_table[r]) && k < arr_table[r].copies; k++)
            bytes += arr_count(&arr_table[r], sc, k) * arr_table[r].elem;
    return bytes;
}

uint64_t arr_bytes(const scenario *sc, arr_owner o) {
    uint64_t bytes = 0;
    for (size_t r = 0; r < arr_table_len; r++) {
        const arr_spec *a = &arr_table[r];
        for (int k = 0; (o == ARR_ALL || a->owner == o) && k < a->copies; k++)
            bytes += arr_count(a, sc, k) * a->elem;
    }
    return bytes;
}
