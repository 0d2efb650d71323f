/* sim/engine/event.c - event-driven stepping of the scoring and list pass (docs/ODD.md 7.24).
 *
 * Most agents change nothing in most steps: without a record, a change of their neighbour
 * counts or a line crossed, an agent's score moves by the same amount d = recovery - x
 * every step (x the additive spillover of its neighbour counts) and its list status and
 * tallies stay. This pass processes only the agents that may do something else this step
 * ("active"), with exactly the code of the dense pass (policy.c), and keeps every other
 * agent in closed form:
 *   score[i] = s_at, and the score at step u is s_at + d[i] * u (or score[i] itself when the
 *   agent is pinned at scoring.max or scoring.min);
 *   off the blacklist with x != 0, the spillover points lost grow by x a step likewise:
 *   loss[spill][i] holds L_at and the loss at u is L_at + x * u.
 * An agent is active at step t when it has a record this step (agency_apply_records), is
 * blacklisted and violated (its wrongful standing may change), a neighbour count of it
 * changed at the end of the last step (policy_apply_changes), or at a breakpoint scheduled
 * when it was last processed: reaching max or min, crossing a list's threshold, the end of
 * a term, its last violation leaving the look-back window. Each block keeps its standing
 * tallies (listed, wrongly listed, by region and cause; scores as sums of s_at, d and
 * pinned values) and updates them by each active agent's old and new contribution.
 *
 * Identity with the dense pass. The dense pass adds d in float every step; the closed form
 * multiplies. Both are exact, hence equal, while every value is an integer below 2^24 in
 * magnitude: so the event pass runs only when scoring base, max, recovery, black_below,
 * every rule weight and every deduction are integers, and base + steps x (recovery + sum of
 * weight x largest in-degree) stays below 2^22; a score (or s_at, or a loss) that passes
 * 2^23 at run time (many records) makes the run switch to the dense pass from the next step,
 * every agent written out in full first. Score sums are integer sums, exact in any order.
 * Random draws are the dense pass's own (observation skips geometric gaps per block,
 * agency.c), so databases are identical with and without --dense (tests/test_event.c).
 *
 * Where it runs (event_eligible, sim_why_dense): without own lists or a commercial score
 * that feeds the state's, in the scenario and at every step of its timeline (a change writes every agent out in
 * full and starts afresh). Elsewhere the dense pass runs, as before. Good deeds set the
 * score in full before the pass (event_set_score) and the agent is processed. Redress: every blacklisted
 * agent's compliance and repair draws are made each step (redress_would_exit) and those
 * that would leave are processed; a won appeal marks its agent. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "severity.h"
#include "mem.h"
#include "state.h"

enum { EV_PIN = 1,      /* score pinned at max (d >= 0) or min (d <= 0): score[i] is it
                           (state.h sim_score_now reads this bit) */
       EV_WRONG = 2,    /* tallied as wrongly blacklisted at its last processing */
       EV_RAW = 4 };    /* score and loss written out in full (too large for the closed
                           form): the run goes dense at the next step */

#define EV_EXACT 8388608.0   /* 2^23: larger values switch the run to the dense pass */
#define EV_STATIC 4194304.0  /* 2^22: the bound of base + steps x largest drift */

static int integral(double v) { return isfinite(v) && v == floor(v); }

/* Largest in-degree of layer l (0 when disabled). */
static uint64_t max_in_degree(const struct sim *s, int l) {
    const net_t *g = s->layer[l];
    uint64_t m = 0;
    for (uint32_t i = 0; g && i < g->n; i++) {
        uint64_t d = net_in_degree(g, i);
        m = d > m ? d : m;
    }
    return m;
}

/* One scenario's side of eligibility: NULL when the event pass may run, else why not. */
static const char *why_one(const scenario *sc) {
    if (arr_own_mask(sc)) return "own lists";
    if (arr_commercial_on(sc) && sc->commercial.feeds_state > 0 &&
        sc->scoring.regime == REGIME_POINTS)
        return "a commercial score feeding the state's";   /* commercial.c: every step */
    if (sc->scoring.regime != REGIME_POINTS) return NULL;   /* the rest is about scores */
    for (int a = 0; a < sc->nagencies; a++)
        if (!integral(sev_deduction(sc, a))) return "a deduction that is not an integer";
    for (int r = 0; r < sc->nrules; r++)
        if (sc->rules[r].kind == RULE_ADDITIVE && !integral(sc->rules[r].weight))
            return "a spillover weight that is not an integer";
    if (arr_deeds_on(sc) && !integral(sc->behaviour.deed_points))
        return "a deed's points that are not an integer";
    if (!integral(sc->scoring.base) || !integral(sc->scoring.max) ||
        !integral(sc->scoring.recovery) || !integral(sc->lists.black_below) ||
        (sc->lists.watch_below > sc->lists.black_below && !integral(sc->lists.watch_below)) ||
        (sc->lists.red_at_least <= sc->scoring.max && !integral(sc->lists.red_at_least)))
        return "a score setting that is not an integer";
    return NULL;
}

/* ... and of every scenario its timeline puts in force (a change writes every agent out in
 * full and starts the event pass afresh: event_change). */
const char *sim_why_dense(const scenario *sc) {
    const char *why = why_one(sc);
    for (int k = 0; !why && sc->timeline && k < sc->timeline->n; k++)
        why = why_one(&sc->timeline->at[k]);
    return why;
}

int event_eligible(const scenario *sc) { return sim_why_dense(sc) == NULL; }

/* The society's side: the static bound on every value the closed form computes. */
static int bounded(const struct sim *s) {
    const scenario *sc = &s->sc;
    if (sc->scoring.regime != REGIME_POINTS) return 1;   /* no scores move */
    double drift = fabs(sc->scoring.recovery);
    for (int r = 0; r < sc->nrules; r++)
        if (sc->rules[r].kind == RULE_ADDITIVE)
            drift += fabs(sc->rules[r].weight) * (double)max_in_degree(s, sc->rules[r].layer);
    double top = fmax(fabs(sc->scoring.base), fmax(fabs(sc->scoring.max),
                                                   fabs(sc->lists.black_below)));
    if (s->until[LIST_WATCH]) top = fmax(top, fabs(sc->lists.watch_below));
    if (s->until[LIST_RED]) top = fmax(top, fabs(sc->lists.red_at_least));
    return top + (double)sc->run.steps * drift <= EV_STATIC;
}

/* The event pass from the next step, every agent processed in it (their scores are in
 * full): at the start and after a change of the scenario. */
static void enter(struct sim *s) {
    struct event_state *e = &s->ev;
    memset(e->active, 0xff, ((size_t)s->n + 63) / 64 * sizeof *e->active);
    for (size_t b = 0; b < s->nblocks; b++) {
        memset(&e->blk[b], 0, sizeof e->blk[b]);
        e->blk[b].fresh = 1;
    }
    e->on = 1;
}

int event_prepare(struct sim *s) {
    struct event_state *e = &s->ev;
    if (s->opts.dense || !event_eligible(&s->sc) || !bounded(s)) return 1;
    size_t words = ((size_t)s->n + 63) / 64;
    e->d = calloc(s->n ? s->n : 1, sizeof *e->d);
    e->flags = calloc(s->n ? s->n : 1, 1);
    e->active = malloc(words ? words * sizeof *e->active : 1);
    e->due = calloc(s->n ? s->n : 1, s->steps16 ? sizeof(int16_t) : sizeof(int32_t));
    e->blk = calloc(s->nblocks ? s->nblocks : 1, sizeof *e->blk);
    e->nthreads = s->threads > 0 ? s->threads : 1;
    e->bucket = calloc((size_t)e->nthreads * ((size_t)s->sc.run.steps + 2), sizeof *e->bucket);
    if (!e->d || !e->flags || !e->active || !e->due || !e->blk || !e->bucket)
        return 0;
    /* every agent's, in the first pass */
    mem_populate(e->d, (size_t)s->n * sizeof *e->d, s->threads);
    mem_populate(e->flags, s->n, s->threads);
    mem_populate(e->due, (size_t)s->n * (s->steps16 ? sizeof(int16_t) : sizeof(int32_t)),
                 s->threads);
    enter(s);   /* step 1: every agent */
    return 1;
}

void event_free(struct sim *s) {
    struct event_state *e = &s->ev;
    for (size_t k = 0; e->bucket && k < (size_t)e->nthreads * ((size_t)s->sc.run.steps + 2); k++)
        free(e->bucket[k].v);
    free(e->d), free(e->flags), free(e->active), free(e->due), free(e->blk), free(e->bucket);
    memset(e, 0, sizeof *e);
}

/* d, flags, the step of the latest calendar entry (2 or 4 bytes), the bitmaps and the
 * tallies per block; the calendar: each thread's buckets (4 bytes an entry, entered in the
 * pass), with doubled capacity, counted as 8 bytes per agent (until session 9 each block's
 * schedules of the step were kept too, and moved into one calendar after the pass). With 8
 * and the first pass's schedules kept for the run, RSM-1 at 10^8 peaked at 15,406 MiB
 * against 14.57 GiB estimated; with 16 and the trim, city-points and regional-pilot (few
 * breakpoints) were estimated 11% over their peaks; with 12, RSM-1 at 10^7 was 3% under;
 * once a step is entered once per agent (due), RSM-1 held 7 bytes a person less and 8
 * leaves it within 1% at 200,000 persons (docs/performance.md). */
uint64_t event_bytes(const scenario *sc) {
    if (!event_eligible(sc)) return 0;
    uint64_t n = arr_units(sc, ARR_AGENTS), blocks = arr_units(sc, ARR_BLOCKS);
    uint64_t due = arr_steps16(sc) ? sizeof(int16_t) : sizeof(int32_t);
    return n * (sizeof(float) + 1 + due + 8) + n / 8 + blocks * sizeof(event_blk);
}

/* ---- the closed form ------------------------------------------------------------------- */

/* The additive spillover of agent i, summed as the dense pass sums it (policy.c: with a
 * rule scoped to regions, only the rules acting in i's region, from 0). */
static inline float drift_x(const struct sim *s, uint32_t i) {
    float x = 0.0f;
    const int scoped = s->policy.add_scoped, region = scoped ? s->pop->region[i] : 0;
    for (int k = 0; k < s->policy.nadd; k++) {
        int r = s->policy.add_rule[k];
        float w = (float)s->sc.rules[r].weight, c = (float)s->policy.cnt[r][i];
        if (!scoped) x = k == 0 ? w * c : x + w * c;
        else if (s->policy.add_mask[k] >> region & 1) x += w * c;
    }
    return x;
}

/* Agent i's score and spillover loss written out in full at step u (the last completed). */
static void write_out(struct sim *s, uint32_t i, int u) {
    const uint8_t fl = s->ev.flags[i];
    if (s->sc.scoring.regime != REGIME_POINTS || (fl & EV_RAW)) return;
    float d = s->ev.d[i], x = (float)s->sc.scoring.recovery - d;
    if (!(fl & EV_PIN)) s->score[i] += d * (float)u;
    /* no additive rule, no array: x is then 0 but for an agent not yet processed (d 0, at
       a timeline change before step 1, where u is 0 and nothing is lost) */
    if (s->agency.loss[CAUSE_SPILL - 1] && !(s->status[i] & ST_BLACK) && x != 0.0f)
        s->agency.loss[CAUSE_SPILL - 1][i] += x * (float)u;
}

/* Every agent in full at step s->t, and the dense pass from the next step on. */
static void leave(struct sim *s) {
    int u = s->t;
#pragma omp parallel for schedule(static) num_threads(s->threads)
    for (size_t b = 0; b < s->nblocks; b++)
        for (uint32_t i = blk_lo(b), hi = blk_hi(s, b); i < hi; i++) write_out(s, i, u);
    s->ev.on = 0;
}

void event_finish(struct sim *s) {
    if (s->ev.on) leave(s);
}

void event_set_score(struct sim *s, uint32_t i, float v) {
    struct event_state *e = &s->ev;
    if (e->on && !e->blk[i / SIM_BLOCK].fresh) {   /* the standing score sums follow */
        event_blk *eb = &e->blk[i / SIM_BLOCK];
        const int slot = acc_slot(s, i);
        if (e->flags[i] & EV_PIN) eb->pinned[slot] -= (int64_t)s->score[i];
        else eb->at[slot] -= (int64_t)s->score[i], eb->drift[slot] -= (int64_t)e->d[i];
        eb->pinned[slot] += (int64_t)v;
    }
    s->score[i] = v;
    if (e->on) e->flags[i] |= EV_PIN, event_mark(s, i);   /* in full; processed this step */
}

void event_change(struct sim *s, int done) {
    struct event_state *e = &s->ev;
    if (!done) {   /* before: every agent in full under the scenario that made them */
        if (e->on) leave(s);
    } else if (e->d && !s->opts.dense && bounded(s)) {
        enter(s);
    }
}

/* ---- the pass ------------------------------------------------------------------------- */

/* t + ceil(a / b) (a >= 0, b > 0), or INT64_MAX when that is after step `last`: a break
 * after the run's last step is never entered, and the product decides it without the
 * division (a 64-bit division takes tens of cycles; most breaks of a long-falling score are
 * far beyond the run). */
static inline int64_t after_ceil(int64_t t, int64_t a, int64_t b, int64_t last) {
    return a <= (last - t) * b ? t + (a + b - 1) / b : INT64_MAX;
}

/* The first step u after t (up to last; INT64_MAX otherwise) at which a score moving from
 * v by dd a step reaches theta from below (up) or falls below it (down). */
static int64_t crossing(int64_t t, int64_t v, int64_t dd, int64_t theta, int64_t last) {
    if (dd > 0 && v < theta) return after_ceil(t, theta - v, dd, last);
    /* down: t + floor((v - theta) / -dd) + 1 <= last exactly when v - theta < (last - t) * -dd */
    if (dd < 0 && v >= theta) return v - theta < (last - t) * -dd ? t + (v - theta) / -dd + 1
                                                                  : INT64_MAX;
    return INT64_MAX;
}

/* Points regime: the first step after t, up to last (INT64_MAX when none), at which the
 * score (sc now, drift d a step unless pinned) reaches max or min or crosses a list's
 * threshold either way (the lists' own criteria are score < black_below, score <
 * watch_below, score >= red_at_least). */
static int64_t score_break(const struct sim *s, int t, float sc, float d, int pin, int64_t last) {
    const scenario *scn = &s->sc;
    const int64_t v = (int64_t)sc, dd = pin ? 0 : (int64_t)d;
    int64_t u = INT64_MAX, c;
    if (dd > 0) u = after_ceil(t, (int64_t)scn->scoring.max - v, dd, last);   /* reaches max */
    if (dd < 0 && scn->scoring.min > -9e18) {                                  /* reaches min */
        int64_t lo = (int64_t)scn->scoring.min;
        if (v > lo) u = after_ceil(t, v - lo, -dd, last);
    }
    if ((c = crossing(t, v, dd, (int64_t)scn->lists.black_below, last)) < u) u = c;
    if (s->until[LIST_WATCH] &&
        (c = crossing(t, v, dd, (int64_t)scn->lists.watch_below, last)) < u) u = c;
    if (s->until[LIST_RED] &&
        (c = crossing(t, v, dd, (int64_t)scn->lists.red_at_least, last)) < u) u = c;
    return u;
}

/* Lists regime: the first step after t at which a record of a listed agent leaves its
 * agency's window (the count a delisting reads drops), or at which an agent off the red
 * list has gone red_clean steps without a record. */
static int64_t record_break(const struct sim *s, uint32_t i, int t) {
    const scenario *scn = &s->sc;
    int64_t u = INT64_MAX;
    if (s->status[i] & (ST_BLACK | ST_WATCH))
        for (int a = 0; a < scn->nagencies; a++) {
            const int32_t *h = s->agency.hist + ((size_t)i * (size_t)scn->nagencies +
                                                 (size_t)a) * (size_t)s->agency.hist_k;
            int w = scn->agencies[a].window;
            for (int k = 0; k < s->agency.hist_k && h[k] > 0; k++)
                if ((int64_t)h[k] + w > t && (int64_t)h[k] + w < u) u = (int64_t)h[k] + w;
        }
    if (s->until[LIST_RED] && !(s->status[i] & ST_RED)) {
        int64_t clean = scn->lists.red_clean, r = (int64_t)s->agency.last_record[i] + clean;
        if (r < clean) r = clean;
        if (r > t && r < u) u = r;
    }
    return u;
}

/* The first step after t at which agent i (just processed) may do something else than
 * drift: a score breakpoint, a record breakpoint, the end of a term of a list it is on, or
 * its last violation leaving the look-back window while it is blacklisted. INT32_MAX when
 * none (a score breakpoint after the run's last step counts as none). Early is harmless (the
 * agent is then processed and drifts on); late would not be. */
static int32_t next_break(const struct sim *s, uint32_t i, int t, float sc, float d, int pin) {
    const scenario *scn = &s->sc;
    int64_t u = scn->scoring.regime == REGIME_POINTS ? score_break(s, t, sc, d, pin, scn->run.steps)
                                                     : record_break(s, i, t);
    const uint8_t st = s->status[i];
    for (int l = 0; (st & (ST_BLACK | ST_WATCH | ST_RED)) && l < SCN_NLISTS; l++)
        if (st & st_bit(l)) {
            int64_t end = step_at(s->steps16, s->until[l], i);
            if (end > t && end < u) u = end;
        }
    const int lb = scn->lists.lookback;
    if ((st & ST_BLACK) && lb > 0) {   /* read only then: a scattered read */
        int32_t lv = step_at(s->steps16, s->last_violation, i);
        if (lv >= 0 && (int64_t)lv + lb > t && (int64_t)lv + lb < u) u = (int64_t)lv + lb;
    }
    return u > INT32_MAX ? INT32_MAX : (int32_t)u;
}


/* Agent i's part in the block's list tallies (on: 0 black, 1 watch, 2 red, -1 none;
 * wrong: tallied as wrongly blacklisted), added with sign. */
static void tally_lists(const struct sim *s, event_blk *eb, uint32_t i, int slot, int on,
                        int wrong, int sign) {
    if (on >= 0) eb->listed[on][slot] += sign;
    if (on == 0) {
        const int r = s->sc.population.regions > 1 ? s->pop->region[i] : 0;
        eb->black_region[r] += sign;
        if (wrong) {
            eb->wrong[slot] += sign, eb->wrong_region[r] += sign;
            eb->wrong_cause[s->cause[i]] += sign;
        }
    }
}

/* Agent i's part in the block's score sums (points regime), added with sign: its score if
 * pinned (fl: its flags), else its closed form's s_at and d. */
static inline void tally_score(event_blk *eb, int slot, uint8_t fl, float score, float d,
                               int sign) {
    if (fl & EV_PIN) eb->pinned[slot] += sign * (int64_t)score;
    else eb->at[slot] += sign * (int64_t)score, eb->drift[slot] += sign * (int64_t)d;
}

/* What the pass reads for every agent, loaded once a block into locals: byte stores
 * (status, flags) may alias anything reachable through s, so a field read through s would
 * be loaded again for every agent (as in policy_update_block). */
typedef struct pass_k {
    policy_quick quick;      /* the list shortcut's (state.h) */
    int points, fast, narrow, steps, lift, plain, floor;
    int64_t lo64;
    uint32_t persons;
    float hi, lo, recovery, w0;
    float *score, *d, *loss_spill;
    uint8_t *flags, *status, *rec_step;
    const uint8_t *slot;
    const uint32_t *cnt0;
    int16_t *due;
} pass_k;

static pass_k pass_constants(const struct sim *s) {
    const scenario *scn = &s->sc;
    pass_k k;
    k.points = scn->scoring.regime == REGIME_POINTS;
    /* as policy_update_block's shortcut: no early exits (redress), additive rules only */
    k.fast = k.points && !s->redress.on &&
             s->policy.nspill[0] + s->policy.nspill[1] + s->policy.nspill[2] == 0;
    k.quick = policy_quick_of(s);
    k.narrow = s->steps16, k.steps = scn->run.steps;
    k.lift = s->deeds.lift;
    k.persons = s->pop->persons;
    k.hi = (float)scn->scoring.max, k.lo = (float)scn->scoring.min;
    k.floor = scn->scoring.min > -9e18;   /* a floor a score can reach (score_break) */
    k.lo64 = k.floor ? (int64_t)scn->scoring.min : INT64_MIN;
    k.recovery = (float)scn->scoring.recovery;
    /* one additive rule over every region: the drift reads one count (drift_x otherwise) */
    k.plain = s->policy.nadd == 1 && !s->policy.add_scoped;
    k.cnt0 = s->policy.nadd ? s->policy.cnt[s->policy.add_rule[0]] : NULL;
    k.w0 = s->policy.nadd ? (float)scn->rules[s->policy.add_rule[0]].weight : 0.0f;
    k.score = s->score, k.d = s->ev.d;
    k.loss_spill = k.points ? s->agency.loss[CAUSE_SPILL - 1] : NULL;
    k.flags = s->ev.flags, k.status = s->status, k.rec_step = s->agency.rec_step;
    k.slot = s->slot;
    k.due = s->ev.due;
    return k;
}

/* Whether drift_only may be tried in this pass (a block not fresh): the dense pass's list
 * shortcut holds (points, additive rules only, no redress), the one additive rule acts in
 * every region, and no watch or red list can be joined on a crossing. */
static int drift_pass(const pass_k *k) {
    return k->fast && k->plain && k->quick.wb == -INFINITY && k->quick.ra == INFINITY;
}

/* acc_slot from the locals. */
static inline int slot_of(const pass_k *k, uint32_t i) {
    return k->slot ? k->slot[i] : i < k->persons ? 0 : ACC_G - 1;
}

/* Agent i into calendar cal (the calling thread's) at step u. */
static int enter_at(event_bucket *cal, int u, uint32_t i) {
    event_bucket *k = &cal[u];
    if (!vec_reserve((void **)&k->v, &k->cap, k->n + 1, sizeof *k->v)) return 0;
    k->v[k->n++] = i;
    return 1;
}

/* Agent i at step t, as the dense pass does it (policy.c policy_update_block), from its
 * score and loss written out at t - 1; then back into closed form. */
static void process(struct sim *s, blockbuf *b, event_blk *eb, event_bucket *cal, uint32_t i,
                    int t, const int *list_on, const pass_k *k, int bslot) {
    const int points = k->points, fresh = eb->fresh, slot = bslot >= 0 ? bslot : slot_of(k, i);
    float *const score = k->score, *const loss_spill = k->loss_spill;
    const uint8_t st = k->status[i], rec = k->rec_step[i], fl0 = k->flags[i];
    /* its standing in the tallies before: scores now, lists once they are known to change */
    const int on0 = fresh ? -1 : st & ST_BLACK ? 0 : st & ST_WATCH ? 1 : st & ST_RED ? 2 : -1;
    const int wrong0 = on0 == 0 && (fl0 & EV_WRONG);
    float sc = 0.0f, x = 0.0f;
    if (points) {   /* policy.c policy_update_block, line for line */
        float s0 = score[i];
        if (!fresh) {   /* out of the tallies, and written out at t - 1 (write_out) */
            const float d0 = k->d[i];
            tally_score(eb, slot, fl0, s0, d0, -1);
            if (!(fl0 & EV_RAW)) {
                const float x0 = k->recovery - d0;
                if (!(fl0 & EV_PIN)) s0 += d0 * (float)(t - 1), score[i] = s0;
                if (loss_spill && !(st & ST_BLACK) && x0 != 0.0f)
                    loss_spill[i] += x0 * (float)(t - 1);
            }
        }
        const float top = k->lift && s0 > k->hi ? s0 : k->hi;   /* deeds.c: kept above max */
        sc = s0 + k->recovery;
        if (rec) {
            sc -= rec_deduction(s, i);
            if (s->agency.ded) s->agency.ded[i] = 0;
        }
        x = k->plain ? k->w0 * (float)k->cnt0[i] : drift_x(s, i);
        if (x != 0.0f) {
            sc -= x;
            if (!(st & ST_BLACK)) loss_spill[i] += x;
            if (!(st & ST_EVER_THIRD)) k->status[i] |= ST_EVER_THIRD;
        }
        sc = sc < k->lo ? k->lo : sc > top ? top : sc;
        score[i] = sc;
    }
    int on, wrong;
    if (!(k->fast && !rec && policy_shortcut(&k->quick, i, t, st, sc, &on, &wrong)))
        on = policy_common(s, b, i, t, list_on, sc, &wrong);
    if (wrong && !(k->status[i] & ST_EVER_WRONG)) k->status[i] |= ST_EVER_WRONG;
    if (rec) k->rec_step[i] = 0;
    /* back into closed form from step t */
    const float d = points ? k->recovery - x : 0.0f;
    /* at max, or above it by deeds (the cap is then the score itself), with d >= 0 */
    int pin = !points || (sc >= k->hi && d >= 0.0f) || (sc == k->lo && d <= 0.0f), raw = 0;
    if (points && (fabsf(sc) > EV_EXACT || fabsf(sc - d * (float)t) > EV_EXACT ||
                   (loss_spill && fabsf(loss_spill[i]) > EV_EXACT)))
        pin = raw = eb->bail = 1;   /* kept in full; dense from the next step */
    const int wrong1 = on == 0 && wrong;
    const uint8_t fl = (uint8_t)((pin ? EV_PIN : 0) | (raw ? EV_RAW : 0) | (wrong1 ? EV_WRONG : 0));
    k->d[i] = d;
    k->flags[i] = fl;
    if (!pin) score[i] = sc - d * (float)t;
    if (points && !raw && !(k->status[i] & ST_BLACK) && x != 0.0f) loss_spill[i] -= x * (float)t;
    /* the cause a blacklisted agent was tallied under is still s->cause[i]: it changes only
       when the agent is put on the blacklist, which it was not on */
    if (fresh || on != on0 || wrong1 != wrong0) {
        if (!fresh) tally_lists(s, eb, i, slot, on0, wrong0, -1);
        tally_lists(s, eb, i, slot, on, wrong1, +1);
    }
    if (points) tally_score(eb, slot, fl, score[i], d, +1);
    int32_t u = next_break(s, i, t, sc, d, pin);
    /* taken off early (redress: update_agent makes no other black transition then), a
       spillover criterion that still holds lists it again at the next step */
    if ((st & ST_BLACK) && !(k->status[i] & ST_BLACK) && s->redress.on) u = t + 1;
    /* a calendar entry for step u, unless the agent's latest is for u already (it is then
       still pending: u > t) */
    if (u <= k->steps && u != step_at(k->narrow, k->due, i)) {
        if (enter_at(cal, u, i)) step_put(k->narrow, k->due, i, u);
        else b->oom = 1;
    }
}

/* Agent i at step t when all that changed is its drift, falling no less than before: on the
 * blacklist alone, its closed form not pinned or raw, already counted as a third party, no
 * record and no violation this step, no breakpoint now (its calendar's latest entry is not
 * for t), and the new drift d <= the old. Then the dense pass keeps it listed with the same
 * wrongful standing (the end of its term, the last violation leaving the look-back window
 * and a rise to the line are breakpoints; below the line after its term it stays), and a
 * smaller drift makes every score breakpoint it has entered come no earlier but one: the
 * floor, checked here over the rest of the run. So only the closed form and the block's
 * score sums move: 1 when done, 0 when process() must take it. In the cascades of RSM-1
 * three processings in ten (10^6 persons). */
static inline int drift_only(const pass_k *k, event_blk *eb, uint32_t i, int t, int bslot) {
    const uint8_t st = k->status[i], fl = k->flags[i];
    if ((st & (ST_BLACK | ST_WATCH | ST_RED | ST_EVER_THIRD)) != (ST_BLACK | ST_EVER_THIRD) ||
        (fl & (EV_PIN | EV_RAW)) || k->rec_step[i] || step_at(k->narrow, k->due, i) == t ||
        step_at(k->narrow, k->quick.last_violation, i) == t)
        return 0;
    const float x = k->w0 * (float)k->cnt0[i], d0 = k->d[i], d = k->recovery - x;
    if (!(d <= d0)) return 0;
    const float at0 = k->score[i], sc = at0 + d0 * (float)(t - 1) + k->recovery - x;
    if (!(sc > k->lo && sc < k->hi) || fabsf(sc) > EV_EXACT) return 0;
    const float at = sc - d * (float)t;
    if (fabsf(at) > EV_EXACT ||
        (k->floor && (int64_t)at + (int64_t)d * k->steps <= k->lo64))   /* score_break's */
        return 0;
    const int slot = bslot >= 0 ? bslot : slot_of(k, i);
    eb->at[slot] += (int64_t)at - (int64_t)at0;
    eb->drift[slot] += (int64_t)d - (int64_t)d0;
    k->score[i] = at, k->d[i] = d;
    return 1;
}

/* The cache lines process() reads first for agent i, requested ahead (always inline: GCC
 * may drop a call holding only prefetches). */
static inline __attribute__((always_inline)) void fetch(const pass_k *k, uint32_t i) {
    __builtin_prefetch(&k->score[i], 1);
    __builtin_prefetch(&k->d[i], 1);
    __builtin_prefetch(&k->flags[i], 1);
    __builtin_prefetch(&k->status[i], 1);
    __builtin_prefetch(&k->rec_step[i]);
    if (k->cnt0) __builtin_prefetch(&k->cnt0[i]);
    if (k->loss_spill) __builtin_prefetch(&k->loss_spill[i], 1);
    __builtin_prefetch(step_addr(k->narrow, k->quick.until_black, i));
    __builtin_prefetch(step_addr(k->narrow, k->due, i), 1);
}

/* An agent off the blacklist at its breakpoint is most often crossing the line: the points
 * it lost by the other causes, which name the cause of a listing (policy.c points_cause),
 * are requested too. Called some agents after fetch, when its status and due have come. */
static inline __attribute__((always_inline)) void fetch_cause(const struct sim *s,
                                                              const pass_k *k, uint32_t i,
                                                              int t) {
    if ((k->status[i] & ST_BLACK) || step_at(k->narrow, k->due, i) != t) return;
    for (int c = 0; c < 4; c++)
        if (c != CAUSE_SPILL - 1 && s->agency.loss[c]) __builtin_prefetch(&s->agency.loss[c][i]);
}

/* The standing tallies of block blk into its accumulators for step t. */
static void fold(const struct sim *s, size_t blk, int t) {
    const event_blk *eb = &s->ev.blk[blk];
    acc *a = &s->blk[blk].a;
    for (int g = 0; g < ACC_G; g++) {
        for (int l = 0; l < SCN_NLISTS; l++) a->listed[l][g] += (uint64_t)eb->listed[l][g];
        a->wrongly_grp[g] += (uint64_t)eb->wrong[g];
        a->score_sum[g] += (double)(eb->at[g] + eb->drift[g] * (int64_t)t + eb->pinned[g]);
    }
    for (int c = 0; c < SIM_NCAUSES; c++) a->wrongly[c] += (uint64_t)eb->wrong_cause[c];
    for (int r = 0; r < s->sc.population.regions; r++) {
        a->black_region[r] += (uint64_t)eb->black_region[r];
        a->wrongly_region[r] += (uint64_t)eb->wrong_region[r];
    }
}

/* The agents of [lo, end) ever processed as third parties (ST_EVER_THIRD, bit 5 of the
 * status byte), eight status bytes a word: each byte's bit moved to its lowest bit and the
 * words added (a byte counts at most 255 of its agents before the lanes are summed). */
static uint32_t count_third(const uint8_t *status, uint32_t lo, uint32_t end) {
    const uint64_t ones = 0x0101010101010101ull;
    uint32_t third = 0, i = lo;
    while (i + 8 <= end) {
        uint64_t lanes = 0;
        for (int k = 0; k < 255 && i + 8 <= end; k++, i += 8) {
            uint64_t w;
            memcpy(&w, status + i, sizeof w);
            lanes += (w >> 5) & ones;
        }
        lanes = (lanes & 0x00ff00ff00ff00ffull) + (lanes >> 8 & 0x00ff00ff00ff00ffull);
        third += (uint32_t)((lanes * 0x0001000100010001ull) >> 48);
    }
    for (; i < end; i++) third += (status[i] >> 5) & 1;
    return third;
}

void event_update_block(struct sim *s, size_t blk) {
    blockbuf *b = &s->blk[blk];
    event_blk *eb = &s->ev.blk[blk];
    const int t = s->t + 1;
    int list_on[SCN_NLISTS];
    for (int l = 0; l < SCN_NLISTS; l++) list_on[l] = s->until[l] != NULL;
    b->nchg = 0;
    blk_start_events(s, b);
    const int th = omp_get_thread_num();   /* the calendar this thread enters in */
    event_bucket *cal = s->ev.bucket + (size_t)(th < s->ev.nthreads ? th : 0) *
                                           ((size_t)s->sc.run.steps + 2);
    uint32_t lo = blk_lo(blk), hi = blk_hi(s, blk);
    if (s->redress.on && !eb->fresh)   /* compliance and repair are drawn every step */
        for (uint32_t i = lo; i < hi; i++)
            if ((s->status[i] & ST_BLACK) && !(s->ev.active[i >> 6] >> (i & 63) & 1) &&
                redress_would_exit(s, i, t))
                s->ev.active[i >> 6] |= 1ull << (i & 63);
    uint32_t idx[SIM_BLOCK], n = 0;   /* the active agents, ascending */
    for (uint32_t w = lo / 64; w < (hi + 63) / 64; w++) {
        uint64_t bits = s->ev.active[w];
        s->ev.active[w] = 0;
        for (; bits; bits &= bits - 1) {
            uint32_t i = w * 64 + (uint32_t)__builtin_ctzll(bits);
            if (i < hi) idx[n++] = i;
        }
    }
    const pass_k pk = pass_constants(s);
    /* one group and a block of persons only: every agent's slot is 0 (acc_slot) */
    const int bslot = !pk.slot && hi <= pk.persons ? 0 : -1;
    const int drift = !eb->fresh && drift_pass(&pk);
    for (uint32_t k = 0; k < n; k++) {   /* the lines of an agent 8 ahead are fetched */
        if (k + 8 < n) fetch(&pk, idx[k + 8]);
        if (pk.points && k + 4 < n) fetch_cause(s, &pk, idx[k + 4], t);
        if (!(drift && drift_only(&pk, eb, idx[k], t, bslot)))
            process(s, b, eb, cal, idx[k], t, list_on, &pk, bslot);
    }
    eb->fresh = 0;
    fold(s, blk, t);
    b->a.third = count_third(s->status, lo, hi < s->pop->persons ? hi : s->pop->persons);
}

/* Before the pass of step s->t + 1: the dense pass from now on when a value grew too large
 * for the closed form; else the breakpoints scheduled for this step become active. */
void event_before(struct sim *s) {
    struct event_state *e = &s->ev;
    if (!e->on) return;
    int bail = 0;
    for (size_t b = 0; b < s->nblocks; b++) bail |= e->blk[b].bail;
    if (bail) {
        leave(s);
        return;
    }
    for (int th = 0; th < e->nthreads; th++) {   /* every thread's entries for this step */
        event_bucket *k = &e->bucket[(size_t)th * ((size_t)s->sc.run.steps + 2) + (size_t)s->t + 1];
        for (uint64_t j = 0; j < k->n; j++) event_mark(s, k->v[j]);
        free(k->v);
        memset(k, 0, sizeof *k);
    }
    e->steps++;
}
