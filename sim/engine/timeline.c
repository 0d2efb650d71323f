/* sim/engine/timeline.c - function creep: the scenario changes at given steps ([at.STEP]
 * sections, docs/scenario.md "Timeline"). The scenario module resolves and checks the
 * scenario in force from each change step (scn_timeline); here, at the start of that step,
 * before any stage of it, the run's copy s->sc is replaced by it and every module re-derives
 * what it cached from the scenario (sim_rederive, the one "scenario changed" path). The
 * arrays a later scenario needs were allocated at the start (arrays.c takes the largest
 * width over the timeline), so nothing is allocated here. Serial, at a fixed point of the
 * step: the same for any number of threads, and steps before the change are untouched. */
#include "state.h"

void sim_rederive(struct sim *s) {
    agency_derive(s);
    policy_derive(s);
    sanction_derive(s);
    redress_derive(s);
    chill_derive(s);
    share_derive(s);
}

int timeline_apply(struct sim *s) {
    scn_timeline *tl = s->sc.timeline;
    for (int i = 0; tl && i < tl->n; i++) {
        if (tl->step[i] != s->t + 1) continue;
        event_change(s, 0);   /* event.c: every agent in full before the change */
        s->sc = tl->at[i];
        s->sc.text = s->sc.overrides = NULL;
        s->sc.timeline = tl;
        sim_rederive(s);
        event_change(s, 1);
        return 1;
    }
    return 0;
}
