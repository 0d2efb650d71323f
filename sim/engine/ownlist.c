/* sim/engine/ownlist.c - the agencies' own black and watch lists (docs/ODD.md 7.19). Prefix
 * ownlist_. On only when some agency has own_lists = true (lists regime only).
 *
 * An agency with own lists keeps them from its own records alone: agent i is put on agency
 * a's blacklist when a holds >= list_after_a records about i within window_a, and on its
 * watch list when a holds at least one and i is not on a's blacklist; a listing lasts at
 * least the agency's term (black_term, watch_term; -1 inherits [lists]) and ends, once the
 * term is over, when its criterion no longer holds. An own blacklisting may also end early
 * by compliance ([redress] comply), credit repair (the agency's repair, repair_after) or a
 * won appeal (filed with the agency's appeal probability), and each new record of agency a
 * extends it by a's extend (capped by [redress] extend_max). Settling or annulling it
 * erases a's record history of i only. Its records do not feed the common lists, which
 * keep today's rules over the other agencies' records and the spillover rules.
 *
 * The aggregate status bits (ST_BLACK, ST_WATCH) are "on some blacklist" and "on some watch
 * list and no blacklist": everything that reads lists (spillover, sanctions with `lists`,
 * chilling, travel, metrics listed.*) reads the aggregate. The aggregate blacklisting
 * begins with the first listing (common or own) and ends with the last; its identity
 * (since, cause, agency, source: cascades, wrongful tallies) is the common listing's while
 * there is one, else that of the first own listing that began it. Each own listing and
 * delisting is an event with its agency (a delisting from the common list has agency -1).
 *
 * Per agent there is a bit per agency and list (own.bits) and per agency "ever on its
 * blacklist" (own.ever); the terms are entries per current own listing, per block, sorted
 * by (agent, list, agency) and rebuilt each step by the block's dense pass, which visits
 * agents in order (the lists regime sends every agent through ownlist_agent). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "severity.h"
#include "state.h"

typedef struct own_out {     /* the own lists' changes of the agent in hand */
    int cause[OWN_NLISTS], agency[OWN_NLISTS];   /* the first listing made now, -1 none */
    int out;                 /* reason the last own blacklisting ended now, -1 none */
    uint16_t ended;          /* agencies whose blacklisting ended now */
} own_out;

int ownlist_prepare(struct sim *s) {
    s->own.mask = arr_own_mask(&s->sc);
    s->own.on = s->own.mask != 0;
    return arr_alloc(s, ARR_OWN);
}

void ownlist_free(struct sim *s) {
    for (size_t b = 0; s->own.blk && b < s->nblocks; b++)
        free(s->own.blk[b].e), free(s->own.blk[b].nx);
    arr_free(s, ARR_OWN);
}

uint64_t ownlist_bytes(const scenario *sc) { return arr_bytes(sc, ARR_OWN); }

static int own_term(const struct sim *s, int a, int list) {
    const scn_agency *g = &s->sc.agencies[a];
    int v = list == LIST_BLACK ? g->black_term : g->watch_term;
    return v >= 0 ? v : sev_term(&s->sc, list, a);   /* else its tier's term (ODD 7.20) */
}

/* Agency a's criterion for its list: enough records within its window at step t. */
static int holds(const struct sim *s, uint32_t i, int a, int list, int t) {
    int need = list == LIST_BLACK ? s->sc.agencies[a].list_after : 1;
    return agency_records_in_window(s, i, a, t) >= need;
}

/* Records agency a made about agent i at step t (the newest entries of its history). */
static int recorded_now(const struct sim *s, uint32_t i, int a, int t) {
    const int k = s->agency.hist_k;
    const int32_t *h = s->agency.hist + ((size_t)i * (size_t)s->sc.nagencies + (size_t)a) * (size_t)k;
    int c = 0;
    while (c < k && h[c] == t) c++;
    return c;
}

/* Appends e to the block's next entries; the first append of a step reserves room for as
 * many as the block holds now (the vector is freed at the end of each block's pass). */
static void keep(own_blk *ob, own_entry e) {
    uint64_t need = ob->nn + 1 > ob->n + 8 ? ob->nn + 1 : ob->n + 8;
    if (!vec_reserve((void **)&ob->nx, &ob->ncap, ob->ncap ? ob->nn + 1 : need, sizeof *ob->nx)) {
        ob->oom = 1;
        return;
    }
    ob->nx[ob->nn++] = e;
}

static void event(blockbuf *b, int t, int kind, int list, int cause, int a, uint32_t i) {
    blk_push_ev(b, (res_event){t, (uint8_t)kind, (uint8_t)list, (uint8_t)cause, -1, (int8_t)a,
                               i, SIM_NONE});
}

static void own_on(struct sim *s, blockbuf *b, own_blk *ob, uint32_t i, int a, int list, int t,
                   own_out *out) {
    uint8_t c = rec_any(s, i) && rec_agency(s, i) == a ? rec_cause(s, i)
                                                                  : CAUSE_OWN;
    keep(ob, (own_entry){i, t + own_term(s, a, list), t, (uint8_t)a, (uint8_t)list, c, 0});
    s->own.bits[list][i] |= (uint16_t)(1u << a);
    ob->a.added[list][a]++;
    if (list == LIST_BLACK) {
        s->own.ever[i] |= (uint16_t)(1u << a);
        if (sim_wrongful(s, i, t)) ob->a.wrong[a]++;
    }
    if (out->cause[list] < 0) out->cause[list] = c, out->agency[list] = a;
    if (c == CAUSE_MISATTR) s->status[i] |= ST_EVER_THIRD;
    event(b, t, EV_LISTED, list, c, a, i);
}

static void own_off(struct sim *s, blockbuf *b, own_blk *ob, const own_entry *e, int t,
                    int reason, own_out *out) {
    s->own.bits[e->list][e->agent] &= (uint16_t)~(1u << e->agency);
    ob->a.removed[e->list][e->agency]++;
    if (e->list == LIST_BLACK) out->out = reason, out->ended |= (uint16_t)(1u << e->agency);
    event(b, t, EV_DELISTED, e->list, reason, e->agency, e->agent);
}

/* Early exit of an own blacklisting at step t (appeal won, compliance, repair): OUT_*, or -1. */
static int black_exit(struct sim *s, const own_entry *e, int t) {
    const scn_agency *g = &s->sc.agencies[e->agency];
    const scn_redress *r = &s->sc.redress;
    int out = -1;
    double rep = g->repair >= 0 ? g->repair : r->repair;
    int after = g->repair_after >= 0 ? g->repair_after : sev_repair_after(&s->sc, e->agency);
    if (e->flags & OWN_RELEASE) out = OUT_APPEAL;
    else if (r->comply > 0 || rep > 0) {
        rng_stream rs;
        rng_stream_at(&rs, &s->rng, (uint32_t)t, e->agent, RNG_OWN_REDRESS + e->agency);
        if (rng_uniform(&rs) < r->comply * redress_comply_factor(s, e->agent)) out = OUT_COMPLY;
        else if (rep > 0 && t - e->since >= after && rng_uniform(&rs) < rep) out = OUT_REPAIR;
    }
    if (out >= 0) redress_clear_history(s, e->agent, e->agency);
    return out;
}

/* Each record of agency a at step t extends its blacklisting by a's extend, capped. */
static void extend(const struct sim *s, own_entry *e, int t) {
    const scn_agency *g = &s->sc.agencies[e->agency];
    int ext = g->extend >= 0 ? g->extend : s->sc.redress.extend, cap = s->sc.redress.extend_max;
    if (ext <= 0) return;
    for (int k = recorded_now(s, e->agent, e->agency, t); k > 0; k--) {
        int32_t added = e->until - e->since - own_term(s, e->agency, LIST_BLACK), x = ext;
        if (cap > 0 && added + x > cap) x = cap - added;
        if (x > 0) e->until += x;
    }
}

/* A current listing stays (kept for the next step) or ends. */
static void stay_or_off(struct sim *s, blockbuf *b, own_blk *ob, own_entry e, int t,
                        own_out *out) {
    uint32_t i = e.agent;
    int a = e.agency, reason = OUT_TERM;
    if (e.list == LIST_BLACK) {
        extend(s, &e, t);
        int x = s->redress.on ? black_exit(s, &e, t) : -1;
        e.flags = 0;
        if (x < 0 && (t < e.until || holds(s, i, a, LIST_BLACK, t))) {
            keep(ob, e);
            return;
        }
        if (x >= 0) reason = x;
    } else if (!(s->own.bits[LIST_BLACK][i] >> a & 1) &&
               (t < e.until || holds(s, i, a, LIST_WATCH, t))) {
        keep(ob, e);
        return;
    }
    own_off(s, b, ob, &e, t, reason, out);
}

/* The own lists' transitions of agent i at step t, black before watch, agencies in order. */
static void own_agent(struct sim *s, blockbuf *b, own_blk *ob, uint32_t i, int t, own_out *out) {
    while (ob->cur < ob->n && ob->e[ob->cur].agent < i) keep(ob, ob->e[ob->cur++]);
    if (!(ob->cur < ob->n && ob->e[ob->cur].agent == i) && !rec_any(s, i)) return;
    for (int list = 0; list < OWN_NLISTS; list++)
        for (uint32_t m = s->own.mask; m; m &= m - 1) {
            int a = __builtin_ctz(m);
            const own_entry *e = ob->cur < ob->n ? &ob->e[ob->cur] : NULL;
            if (e && e->agent == i && e->list == list && e->agency == a) {
                ob->cur++;
                stay_or_off(s, b, ob, *e, t, out);
                continue;
            }
            if (list == LIST_WATCH && (s->own.bits[LIST_BLACK][i] >> a & 1)) continue;
            if ((recorded_now(s, i, a, t) || (out->ended >> a & 1)) && holds(s, i, a, list, t))
                own_on(s, b, ob, i, a, list, t, out);
        }
}

/* The aggregate's changes of agent i (before -> agg): tallies, neighbour-count changes and,
 * for a blacklisting begun by an own listing, the aggregate's identity. */
static void aggregate(struct sim *s, blockbuf *b, const own_blk *ob, uint32_t i, int t,
                      uint8_t before, uint8_t agg, const own_out *out) {
    for (int l = 0; l < OWN_NLISTS; l++) {
        uint8_t bit = st_bit(l);
        if ((agg & bit) && !(before & bit)) {
            int c = ob->c_new[l] ? ob->c_cause[l] : out->cause[l] >= 0 ? out->cause[l] : CAUSE_OWN;
            b->a.new_listed[l][c]++;
            blk_push_chg(b, (change){i, (uint8_t)l, +1});
            if (l != LIST_BLACK) continue;
            if (!ob->c_new[l]) {
                step_put(s->steps16, s->since, i, t), s->cause[i] = (uint8_t)c;
                s->cause_agency[i] = (int8_t)out->agency[l], s->cause_rule[i] = -1;
                if (s->source) s->source[i] = SIM_NONE;
                s->status[i] |= ST_EVER_BLACK;
            }
            if (sim_wrongful(s, i, t)) {
                b->a.wl_cause[c]++;
                b->a.wl_grp[acc_slot(s, i)]++;
                b->a.wl_region[s->pop->region[i]]++;
            }
        } else if (!(agg & bit) && (before & bit)) {
            b->a.delisted[l]++;
            blk_push_chg(b, (change){i, (uint8_t)l, -1});
            if (l == LIST_BLACK)
                b->a.delisted_by[ob->c_out >= 0 ? ob->c_out : out->out >= 0 ? out->out : OUT_TERM]++;
        }
    }
}

int ownlist_agent(struct sim *s, blockbuf *b, uint32_t i, int t, const int *list_on,
                  float score, int *wrong) {
    struct own_state *o = &s->own;
    own_blk *ob = &o->blk[i / SIM_BLOCK];
    const uint8_t lw = ST_BLACK | ST_WATCH, before = s->status[i] & lw;
    own_out out = {{-1, -1}, {-1, -1}, -1, 0};
    own_agent(s, b, ob, i, t, &out);
    int own_any = o->bits[LIST_BLACK][i] || o->bits[LIST_WATCH][i];
    int lon[SCN_NLISTS] = {list_on[0], list_on[1], list_on[2] && !own_any};
    s->status[i] = (uint8_t)((s->status[i] & ~lw) | o->common[i]);   /* the common view */
    ob->wrap = 1, ob->c_new[0] = ob->c_new[1] = 0, ob->c_out = -1;
    policy_common(s, b, i, t, lon, score, wrong);
    ob->wrap = 0;
    if (!lon[LIST_RED] && list_on[LIST_RED] && (s->status[i] & ST_RED))
        policy_take_off(s, b, i, LIST_RED, t, OUT_TERM);
    o->common[i] = s->status[i] & lw;
    ob->a.common[0] += (o->common[i] & ST_BLACK) != 0;
    ob->a.common[1] += (o->common[i] & ST_WATCH) != 0;
    uint8_t agg = (uint8_t)(o->common[i] | (o->bits[LIST_BLACK][i] ? ST_BLACK : 0) |
                            (o->bits[LIST_WATCH][i] ? ST_WATCH : 0));
    if (agg & ST_BLACK) agg &= (uint8_t)~ST_WATCH;
    s->status[i] = (uint8_t)((s->status[i] & ~lw) | agg);
    aggregate(s, b, ob, i, t, before, agg, &out);
    *wrong = (agg & ST_BLACK) ? sim_wrongful(s, i, t) : 0;
    return (agg & ST_BLACK) ? 0 : (agg & ST_WATCH) ? 1 : (s->status[i] & ST_RED) ? 2 : -1;
}

void ownlist_block_end(struct sim *s, size_t blk) {
    own_blk *ob = &s->own.blk[blk];
    while (ob->cur < ob->n) keep(ob, ob->e[ob->cur++]);
    free(ob->e);   /* one block at a time holds two vectors: memory ~ one entry per listing */
    ob->e = ob->nx, ob->n = ob->nn, ob->cap = ob->ncap;
    ob->nx = NULL, ob->ncap = 0, ob->nn = 0, ob->cur = 0;
    for (uint64_t k = 0; k < ob->n; k++) {
        const own_entry *x = &ob->e[k];
        ob->a.on[x->list][x->agency]++;
        if (x->list != LIST_BLACK || (k > 0 && ob->e[k - 1].agent == x->agent)) continue;
        int lists = __builtin_popcount(s->own.bits[LIST_BLACK][x->agent]) +
                    ((s->own.common[x->agent] & ST_BLACK) != 0);
        ob->a.multi += lists >= 2;
    }
    if (ob->oom) s->blk[blk].oom = 1;
}

int ownlist_after(struct sim *s, int t) {
    for (size_t b = 0; b < s->nblocks; b++)
        for (uint64_t k = 0; k < s->blk[b].nev; k++) {
            const res_event *e = &s->blk[b].ev[k];
            if (e->kind != EV_LISTED || e->list != LIST_BLACK) continue;
            int own = e->agency >= 0 && (s->own.mask >> e->agency & 1);
            if (!(own ? redress_file_own(s, e->agent, t, e->agency) : redress_file(s, e->agent, t)))
                return 0;
        }
    return 1;
}

uint32_t ownlist_joint(const struct sim *s, uint32_t i) {
    uint32_t m = 0;
    for (int l = 0; l < OWN_NLISTS; l++)
        for (uint32_t x = s->own.bits[l][i]; x; x &= x - 1)
            m |= s->sanction.jmask[__builtin_ctz(x)][l];
    return m;
}

own_entry *ownlist_find(struct sim *s, uint32_t i, int a) {
    own_blk *ob = &s->own.blk[i / SIM_BLOCK];
    uint64_t lo = 0, hi = ob->n;   /* first entry >= (i, black, a) */
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        const own_entry *e = &ob->e[mid];
        /* black (0) sorts first within an agent: order by (agent, list, agency) */
        int less = e->agent < i || (e->agent == i && e->list == LIST_BLACK && e->agency < a);
        if (less) lo = mid + 1;
        else hi = mid;
    }
    own_entry *e = lo < ob->n ? &ob->e[lo] : NULL;
    return e && e->agent == i && e->list == LIST_BLACK && e->agency == a ? e : NULL;
}

/* ---- figures ------------------------------------------------------------------------- */

static const char *const own_list_name[OWN_NLISTS] = {"black", "watch"};

/* Sums the blocks' tallies of this step into *a and zeroes them. */
static void fold(struct sim *s, own_acc *a) {
    memset(a, 0, sizeof *a);
    for (size_t b = 0; b < s->nblocks; b++) {
        const own_acc *x = &s->own.blk[b].a;
        for (int l = 0; l < OWN_NLISTS; l++) {
            a->common[l] += x->common[l];
            for (int g = 0; g < SCN_MAX_AGENCIES; g++) {
                a->on[l][g] += x->on[l][g];
                a->added[l][g] += x->added[l][g];
                a->removed[l][g] += x->removed[l][g];
            }
        }
        for (int g = 0; g < SCN_MAX_AGENCIES; g++) a->wrong[g] += x->wrong[g];
        a->multi += x->multi;
        memset(&s->own.blk[b].a, 0, sizeof s->own.blk[b].a);
    }
}

int ownlist_metrics(struct sim *s, int t) {
    if (!s->own.on || t == 0) return 1;
    own_acc a;
    fold(s, &a);
    char grp[64];
    int ok = 1;
    for (int l = 0; l < OWN_NLISTS; l++) {
        snprintf(grp, sizeof grp, "%s:common", own_list_name[l]);
        ok &= metrics_put(s, t, M_LISTED_BY_AGENCY, grp, (double)a.common[l]);
        for (uint32_t m = s->own.mask; m; m &= m - 1) {
            int g = __builtin_ctz(m);
            snprintf(grp, sizeof grp, "%s:%s", own_list_name[l], s->sc.agencies[g].name);
            ok &= metrics_put(s, t, M_LISTED_BY_AGENCY, grp, (double)a.on[l][g]);
            ok &= metrics_put(s, t, M_NEW_LISTED_BY_AGENCY, grp, (double)a.added[l][g]);
            s->own.tot_added[l][g] += a.added[l][g];
        }
    }
    for (uint32_t m = s->own.mask; m; m &= m - 1) {
        int g = __builtin_ctz(m);
        const char *name = s->sc.agencies[g].name;
        ok &= metrics_put(s, t, M_NEW_WRONGLY_LISTED_BY_AGENCY, name, (double)a.wrong[g]);
        s->own.tot_wrong[g] += a.wrong[g];
        if (s->sc.agencies[g].public)
            ok &= metrics_put(s, t, M_NAMED_BY_AGENCY, name, (double)a.on[LIST_BLACK][g]);
    }
    ok &= metrics_put(s, t, M_LISTED_MULTI, "black", (double)a.multi);
    s->own.step_multi = a.multi;
    memcpy(s->own.last_on, a.on, sizeof a.on);
    memcpy(s->own.last_common, a.common, sizeof a.common);
    return ok;
}

/* Persons ever on agency g's blacklist (g = -1: on two or more agencies' blacklists). */
static uint64_t ever_persons(const struct sim *s, int g) {
    uint64_t n = 0;
    for (uint32_t i = 0; i < s->pop->persons; i++)
        n += g >= 0 ? (s->own.ever[i] >> g & 1) : __builtin_popcount(s->own.ever[i]) >= 2;
    return n;
}

int ownlist_summary(struct sim *s) {
    if (!s->own.on) return 1;
    char grp[64];
    int ok = 1;
    for (int l = 0; l < OWN_NLISTS; l++) {
        snprintf(grp, sizeof grp, "%s:common", own_list_name[l]);
        ok &= metrics_put_sum(s, M_LISTED_BY_AGENCY, grp, (double)s->own.last_common[l]);
    }
    for (uint32_t m = s->own.mask; m; m &= m - 1) {
        int g = __builtin_ctz(m);
        const char *name = s->sc.agencies[g].name;
        uint64_t ever = ever_persons(s, g);
        for (int l = 0; l < OWN_NLISTS; l++) {
            snprintf(grp, sizeof grp, "%s:%s", own_list_name[l], name);
            ok &= metrics_put_sum(s, M_LISTED_BY_AGENCY, grp, (double)s->own.last_on[l][g]);
            ok &= metrics_put_sum(s, M_NEW_LISTED_BY_AGENCY, grp, (double)s->own.tot_added[l][g]);
        }
        ok &= metrics_put_sum(s, M_EVER_LISTED_BY_AGENCY, name, (double)ever);
        ok &= metrics_put_sum(s, M_NEW_WRONGLY_LISTED_BY_AGENCY, name, (double)s->own.tot_wrong[g]);
        if (s->sc.agencies[g].public) ok &= metrics_put_sum(s, M_NAMED_BY_AGENCY, name, (double)ever);
    }
    ok &= metrics_put_sum(s, M_EVER_LISTED_BY_AGENCY, "two_or_more", (double)ever_persons(s, -1));
    ok &= metrics_put_sum(s, M_LISTED_MULTI, "black", (double)s->own.step_multi);
    return ok;
}
