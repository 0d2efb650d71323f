/* sim/scenario/scenario_timeline.c - what may change on the timeline ([at.STEP] sections):
 * the table of changeable keys, and copying and freeing a timeline. Reading [at.STEP]
 * sections and building the scenarios in force from each step is in scenario.c (it uses the
 * loader); writing them back (`show`, JSON) is in scenario_out.c. Contracts in scenario.h;
 * user reference in docs/scenario.md, "Timeline". */
#include "scenario_keys.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The keys that may change mid-run, by section kind; "*" is every key of the section.
 * What stays fixed is what the society, the tie layers and the per-agent state are built
 * from at the start (population, layers, the agencies' set, targets and list_after, the
 * regime, score bounds and list thresholds, spillover rules' layer, kind and lists, the
 * inspection target, run). Sanctions and joint punishment rows may also be added; their
 * `enabled` may be given mid-run only as true (the loader refuses switching one off). */
static const struct { int sec; const char *key; } changeable[] = {
    {SEC_AGENCY, "violation_scale"}, {SEC_AGENCY, "coverage"},
    {SEC_AGENCY, "coverage_by_region"}, {SEC_AGENCY, "coverage_by_group"},
    {SEC_AGENCY, "detection"}, {SEC_AGENCY, "false_record"}, {SEC_AGENCY, "misattribution"},
    {SEC_AGENCY, "deduction"}, {SEC_AGENCY, "window"},
    {SEC_SCORING, "recovery"},
    {SEC_LISTS, "black_term"}, {SEC_LISTS, "watch_term"}, {SEC_LISTS, "red_term"},
    {SEC_LISTS, "red_clean"},
    {SEC_SPILLOVER, "weight"}, {SEC_SPILLOVER, "phi"}, {SEC_SPILLOVER, "beta"},
    {SEC_SANCTION, "*"}, {SEC_JOINT, "*"}, {SEC_REDRESS, "*"},
    {SEC_INSPECTION, "correct"}, {SEC_INSPECTION, "region_spill"},
    {SEC_BEHAVIOUR, "*"},
    {SEC_SHARE, "*"},   /* sharing widens or narrows: to, kinds, from_step, consent, opt_in */
    /* issue 13 item 3: a pilot widens to more regions, or becomes national (docs/ODD.md 7.21) */
    {SEC_AGENCY, "regions"}, {SEC_SPILLOVER, "regions"}, {SEC_COLLECT, "regions"},
    {SEC_LISTS, "regions"},
};

int scn_changeable(const char *section, const char *key) {
    for (size_t i = 0; i < sizeof changeable / sizeof *changeable; i++) {
        const char *sn = scn_sec_names[changeable[i].sec];
        if (strcmp(sn, section) != 0) continue;
        if (strcmp(changeable[i].key, "*") == 0) {
            for (int k = 0; k < NKEYS; k++)
                if ((int)scn_keys[k].sec == changeable[i].sec && strcmp(scn_keys[k].name, key) == 0)
                    return 1;
        } else if (strcmp(changeable[i].key, key) == 0) {
            return 1;
        }
    }
    return 0;
}

int scn_tl_new_allowed(int sec) { return sec == SEC_SANCTION || sec == SEC_JOINT; }

scn_timeline *scn_timeline_dup(const scn_timeline *tl) {
    if (!tl) return NULL;
    scn_timeline *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->n = tl->n;
    c->step = malloc((size_t)tl->n * sizeof *c->step + 1);
    c->at = malloc((size_t)tl->n * sizeof *c->at + 1);
    if (!c->step || !c->at) { scn_timeline_free(c); return NULL; }
    memcpy(c->step, tl->step, (size_t)tl->n * sizeof *c->step);
    memcpy(c->at, tl->at, (size_t)tl->n * sizeof *c->at);
    return c;
}

void scn_timeline_free(scn_timeline *tl) {
    if (!tl) return;
    free(tl->step);
    free(tl->at);
    free(tl);
}

static int names_partner(void *ctx, const char *name) {
    (void)ctx;
    return strcmp(name, "partner") == 0;
}

int scn_firm_health(const scenario *sc) {
    const scn_behaviour *b = &sc->behaviour;
    double firms = (double)llround((double)sc->population.persons *
                                   sc->population.firms_per_person);
    int partner_cuts = b->ostracism > 0 && b->partner_loss > 0 &&
                       scn_each_name(b->ostracism_layers, names_partner, NULL);
    int revenue = 0;
    for (int k = 0; k < sc->nsanctions; k++) revenue |= sc->sanctions[k].revenue > 0;
    return firms > 0 && (revenue || partner_cuts);
}
