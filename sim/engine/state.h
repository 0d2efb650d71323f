/* sim/engine/state.h - the state of a run: struct sim holds the list state every engine module
 * reads, one state struct per module (agency, policy, sanction, response, redress, cascade)
 * that the module owns, and the tallies metrics.c reports. Each module's per-agent arrays are
 * rows of the array table (arrays.h), which allocates, frees and counts them. Not part of
 * the public API: the CLI and other callers use engine.h.
 *
 * Per-agent fields are parallel arrays over all n agents (persons, then firms). Agents are
 * processed in fixed blocks of SIM_BLOCK; the block, never the thread, owns a random stream
 * and a scratch buffer, and per-block results are combined in block order, so results are
 * identical for any number of threads. */
#ifndef SIM_STATE_H
#define SIM_STATE_H

#include <math.h>
#include <stdint.h>

#include "arrays.h"
#include "engine.h"
#include "net.h"
#include "pop.h"
#include "rng.h"
#include "vec.h"

enum { SIM_BLOCK = 4096, SIM_NONE = UINT32_MAX, SIM_MAX_HIST = 8 };


/* Status bits per agent. */
enum { ST_BLACK = 1, ST_WATCH = 2, ST_RED = 4, ST_EVER_BLACK = 8, ST_EVER_WRONG = 16,
       ST_EVER_THIRD = 32,     /* list status or score changed by data about someone else */
       ST_SANCTIONED = 64,     /* a sanction has reached the agent (deterrence) */
       ST_FAILED = 128 };      /* a firm that failed: no more violations or records */

/* Why an agent left the blacklist (the cause field of a delisting event). */
enum { OUT_TERM = 0, OUT_APPEAL = 1, OUT_COMPLY = 2, OUT_REPAIR = 3, SIM_NOUT = 4 };

static inline uint8_t st_bit(int list) { return (uint8_t)(1u << list); }

typedef struct rec_event {   /* a record made this step */
    uint32_t target;         /* the agent the record is attributed to */
    uint8_t  agency;
    uint8_t  cause;          /* CAUSE_OWN, CAUSE_FALSE or CAUSE_MISATTR */
} rec_event;

typedef struct change {      /* a list status that changed this step */
    uint32_t agent;
    uint8_t  list;
    int8_t   delta;          /* +1 listed, -1 delisted */
} change;

enum { ACC_G = SCN_MAX_GROUPS + 1 };   /* per-group slots: groups 0..7, then firms */

typedef struct acc {         /* per-block metric accumulators, zeroed each step */
    uint64_t violations[ACC_G];
    uint64_t violations_cf[ACC_G];    /* ... had the regime been switched off (agency.c) */
    uint64_t listed[SCN_NLISTS][ACC_G];
    uint64_t new_listed[SCN_NLISTS][SIM_NCAUSES];
    uint64_t delisted[SCN_NLISTS];
    uint64_t wrongly[SIM_NCAUSES];
    uint64_t wrongly_grp[ACC_G];
    uint64_t black_region[SCN_MAX_REGIONS], wrongly_region[SCN_MAX_REGIONS];
    double   score_sum[ACC_G];
    uint64_t delisted_by[SIM_NOUT];   /* blacklist exits by reason */
    /* blacklistings made this step while the agent had no own true violation in the
       look-back window (wrongful when made), by cause, group slot and region */
    uint64_t wl_cause[SIM_NCAUSES], wl_grp[ACC_G], wl_region[SCN_MAX_REGIONS];
    uint64_t third;                   /* persons ever processed as third parties, at t */
    /* sanctions (sanction.c) */
    /* harm by slot, and tallied apart (so their identities are checks, not definitions):
       to innocents and to violators, direct and reached */
    double   harm[ACC_G], harm_innocent, harm_violators, harm_direct, harm_reached, harm_spill;
    double   benefit;
    uint64_t sanctioned[ACC_G], sanction_count[SCN_MAX_SANCTIONS], named, named_wrong;
    uint64_t inspected_region[SCN_MAX_REGIONS];  /* agents under increased inspection */
    uint64_t failed;                  /* firms failed this step */
    /* regional pilots (region.c): violations and what they would have been with the regime
       switched off, by the violator's region */
    uint64_t viol_region[SCN_MAX_REGIONS], viol_cf_region[SCN_MAX_REGIONS];
    /* severity (issue 13 item 2): violations by agency, actual and counterfactual (agency.c);
       the weighted figures are sums over agencies of weight x count (severity.c) */
    uint64_t viol_ag[SCN_MAX_AGENCIES], viol_cf_ag[SCN_MAX_AGENCIES];
} acc;

typedef struct appeal {      /* an appeal waiting for its decision */
    uint32_t agent;
    int32_t  since;          /* the blacklisting appealed (its first step) */
    int32_t  due;            /* earliest step of the decision */
    uint8_t  wrongful;       /* the listing was wrongful when made */
    int8_t   owner;          /* agency of an own blacklisting (ownlist.c), -1: common list */
} appeal;

typedef struct blockbuf {    /* scratch owned by one block, reused every step */
    rec_event *rec;
    uint64_t   nrec, rec_cap;
    int        rec_far;      /* a record of this step targets an agent of another block */
    change    *chg;
    uint64_t   nchg, chg_cap;
    res_event *ev;
    uint64_t   nev, ev_cap;
    int        ev_drop;      /* this step's events are all beyond the cap: counted, not kept */
    uint64_t   ev_dropped;
    acc        a;
    int        oom;          /* a buffer could not grow */
} blockbuf;

/* Per-module state. Each engine module owns one of these inside struct sim: its per-agent
 * arrays are rows of the array table (arrays.c), which allocates, frees and counts them, and
 * its prepare/free functions (below) set up and release the rest. Other modules may read a
 * module's state; only its owner allocates or frees it. */

struct agency_state {        /* agency.c: observation and the records it makes */
    uint16_t *rec_total;     /* [n] records ever made about the agent (saturating) */
    uint16_t *rec_agencies;  /* [n] bit a: agency a holds a record about the agent; NULL with
                                one agency (rec_holders) */
    int32_t  *last_record;   /* [n] step of the last record of any agency, 0 if none */
    uint8_t  *rec_step;      /* [n] the agent's latest listing record this step, 0 if none
                                (reset by the pass): its cause | its agency << 2 (rec_*) */
    float    *ded;           /* [n] points regime: deductions this step; NULL where an agent
                                gets one record a step at most (rec_deduction) */
    float    *loss[4];       /* points: [cause-1][n] points lost to own, false, misattributed
                                records and additive spillover while off the blacklist;
                                reset when the agent is blacklisted */
    int32_t  *hist;          /* lists regime: [n][nagencies][hist_k] newest-first record
                                steps (0 = empty) */
    int       hist_k;        /* max list_after over agencies */
    float    *pmax;          /* [nblocks] max propensity within the block */
    double    cov_max[SCN_MAX_AGENCIES];  /* max coverage multiplier per agency */
    float     ded_one[SCN_MAX_AGENCIES];  /* the deduction of a record of agency a, without
                                             the ded array (rec_deduction) */
};

struct policy_state {        /* policy.c: scoring, listing and spillover */
    uint32_t *cnt[SCN_MAX_RULES];  /* [n] listed in-neighbours on the rule's layer, with the
                                      rule's list, at the end of the previous step */
    uint64_t *tip[SCN_MAX_RULES];  /* threshold and inherit rules: [n] the latest listing of
                                      an in-neighbour on the rule's `from` list, as
                                      (step << 32) | (UINT32_MAX - neighbour), 0 if none: the
                                      source of a spillover listing by the rule */
    uint32_t *spill_src;     /* [n] probabilistic spillover: source agent, or SIM_NONE */
    int8_t   *spill_rule;    /* [n] rule of that mark */
    uint32_t *marked;        /* agents marked by probabilistic spillover this step */
    uint64_t  nmarked, marked_cap;
    uint32_t *newly[SCN_NLISTS];   /* agents newly listed in the previous step, ascending;
                                      kept only for their readers (a probabilistic rule,
                                      sharing), else empty */
    uint64_t  nnewly[SCN_NLISTS], newly_cap[SCN_NLISTS];
    int       nadd;                              /* additive rules, by index */
    int8_t    add_rule[SCN_MAX_RULES];
    int       nspill[SCN_NLISTS];                /* other rules putting agents on list L */
    int8_t    spill_rule_of[SCN_NLISTS][SCN_MAX_RULES];
    /* regional pilots (docs/ODD.md 7.21): add_mask[k] the regions additive rule add_rule[k]
       acts in; add_scoped: some additive rule is limited to some regions (then the dense
       pass tests each agent's region, otherwise it never does) */
    uint64_t  add_mask[SCN_MAX_RULES];
    int       add_scoped;
    uint64_t *push_buf;      /* push.c: [threads][PUSH_BUF] the rounds' buffers, or NULL */
    uint32_t *push_fill;     /* [threads][threads] */
};

struct sanction_state {      /* sanction.c: sanctions, inspections, deterrence, ostracism */
    int8_t   *lister[SCN_NLISTS];  /* [n] agency of the current listing on each list, -1 when
                                      unknown; NULL without a joint punishment matrix */
    uint32_t *sanc;          /* [n] sanctions in force at the end of the last step (bits) */
    float    *harm;          /* [n] harm accrued over the run; NULL without sanctions */
    uint8_t  *named;         /* [n] bit 1: ever reached by a public sanction, bit 2: while it
                                had no own true violation; NULL without public sanctions */
    uint8_t  *wronged;       /* [n] 1 once a sanction (not a reward) was in force on the agent
                                at a step when it had no own true violation in the look-back
                                window; NULL without sanctions (ever_sanctioned innocent) */
    uint32_t  trig_any[SCN_NLISTS];                 /* sanctions a list triggers by itself */
    uint32_t  jmask[SCN_MAX_AGENCIES][SCN_NLISTS];  /* joint punishment matrix */
    uint32_t  person_mask, firm_mask;               /* sanctions that can reach them */
    uint32_t  self_mask;                            /* sanctions that reach the listed */
    uint32_t  dur_mask, insp_mask, reward_mask, public_mask, revenue_mask, up_mask;
    float     insp_of[SCN_MAX_SANCTIONS];
    int       detect_on;     /* detection multipliers in use (inspection, region_spill) */
    int       deter_on;      /* deterrence in use */
    double    region_mult[SCN_MAX_REGIONS];   /* detection multiplier (region_spill) */
    double    perceived[SCN_MAX_REGIONS];     /* perceived detection (deterrence) */
    double    insp_w[SCN_MAX_REGIONS];        /* targeted inspections: weights per region */
    /* regional pilots (docs/ODD.md 7.21): region_ok[r] the sanctions that can reach an agent
       of region r (the applying body's jurisdiction); region_on: some sanction is limited
       to some regions (only then is region_ok read) */
    uint32_t  region_ok[SCN_MAX_REGIONS];
    int       region_on;
};

struct response_state {      /* response.c: ostracism and firm health */
    float    *health;        /* [firms] revenue share (1 = full); NULL without firm health */
    uint16_t *pcut;          /* [firms] partner ties cut this step */
    uint64_t *cut[SCN_NLAYERS];    /* bit per arc: tie cut (ostracism, firm failure) */
    uint32_t *ncut[SCN_NLAYERS];   /* [n] arcs of the agent cut */
};

struct redress_state {       /* redress.c: appeals, compliance, repair */
    int       on;            /* comply, repair or appeals in use */
    int       appeals;       /* appeals in use: [redress] appeal or an own list's appeal */
    uint8_t  *release;       /* [n] appeal won: leaves the blacklist in the next dense pass */
    appeal   *q;             /* the appeals queue, oldest first, from q[qhead] */
    uint64_t  qhead, qn, qcap;
};

struct cascade_state {       /* cascade.c: one tree per root blacklisting */
    uint32_t *cid;           /* [n] cascade of the current (or last) blacklisting; NULL (and
                                depth, root_cause, size, max_depth too) when no rule lists
                                from one source: every cascade is then a lone root */
    uint16_t *depth;         /* [n] its depth in the cascade (root 0) */
    uint8_t  *root_cause;    /* per cascade, in order of creation: cause of the root listing */
    uint64_t *size;          /* blacklistings in the cascade, the root included */
    uint16_t *max_depth;
    uint64_t  n, cap;
    uint64_t  roots[SIM_NCAUSES];   /* cascades by the cause of their root */
    uint64_t  at_depth[64];  /* blacklistings at each depth (63: 63 or deeper) */
};

/* collect.c: collection sources and the holdings. A holding is one (agency, kind) pair that
 * a source collects; violation records of every agency are holdings too. Records held are
 * exact counts per (agent, holding) by step of collection: a ring of len rows of one byte per
 * agent (row s mod len: records made at step s), plus a sparse queue per (agency, kind) for
 * what does not fit a byte and for violation records (rare). */
typedef struct collect_rec {  /* records to add serially: misidentified, or a full cell */
    uint32_t target;
    uint8_t  hold;
    uint8_t  misid;           /* 1: attached to the wrong agent */
    uint16_t count;
} collect_rec;

typedef struct collect_acc {  /* per block, zeroed by the block pass of each step */
    uint64_t added[2][SCN_MAX_AGENCIES][SCN_NKINDS];    /* [firm][agency][kind] */
    uint64_t expired[2][SCN_MAX_AGENCIES][SCN_NKINDS];
    int64_t  nonzero;         /* change of the persons with a record held */
    collect_rec *rec;         /* kept across steps (scratch) */
    uint64_t nrec, rec_cap;
    int      oom;
} collect_acc;

typedef struct collect_entry { uint32_t agent; int32_t step; } collect_entry;
typedef struct collect_queue { collect_entry *e; uint64_t head, n, cap; } collect_queue;

enum { COLLECT_DROP = 0, COLLECT_RING = 1, COLLECT_KEEP = 2 };  /* how a holding expires */

struct collect_state {
    int       on;             /* the scenario has a collection source */
    uint8_t  *ring[SCN_MAX_SOURCES];  /* per holding h: [len_h][n] records by step of making */
    uint32_t *total;          /* [n] records held about the agent, every agency and kind */
    collect_acc *acc;         /* [nblocks] */
    int       nhold;          /* holdings of the sources, in order of first use */
    uint8_t   hold_agency[SCN_MAX_SOURCES], hold_kind[SCN_MAX_SOURCES];
    int       hold_len[SCN_MAX_SOURCES], hold_mode[SCN_MAX_SOURCES], hold_ret[SCN_MAX_SOURCES];
    int       src_hold[SCN_MAX_SOURCES];
    /* per source, this step: records per agent floor(lambda) and the fraction, persons by
       [region][group], firms by [region]; qmax the largest fraction */
    uint8_t   det_p[SCN_MAX_SOURCES][SCN_MAX_REGIONS][SCN_MAX_GROUPS];
    float     frac_p[SCN_MAX_SOURCES][SCN_MAX_REGIONS][SCN_MAX_GROUPS];
    uint8_t   det_f[SCN_MAX_SOURCES][SCN_MAX_REGIONS];
    float     frac_f[SCN_MAX_SOURCES][SCN_MAX_REGIONS];
    uint32_t  thr_p[SCN_MAX_SOURCES][SCN_MAX_REGIONS][SCN_MAX_GROUPS];  /* fraction x 2^32 */
    uint32_t  thr_f[SCN_MAX_SOURCES][SCN_MAX_REGIONS];
    double    qmax[SCN_MAX_SOURCES][2];
    int       uniform[SCN_MAX_SOURCES][2];   /* [persons/firms]: one rate for all */
    collect_queue q[SCN_MAX_AGENCIES][SCN_NKINDS];    /* sparse: (agent, step of making) */
    /* figures: held now [firm][agency][kind]; this step and the run: collected, expired */
    uint64_t  held[2][SCN_MAX_AGENCIES][SCN_NKINDS];
    uint64_t  step_added[SCN_MAX_AGENCIES][SCN_NKINDS], step_expired[SCN_MAX_AGENCIES][SCN_NKINDS];
    uint64_t  tot_added[SCN_MAX_AGENCIES][SCN_NKINDS], tot_expired[SCN_MAX_AGENCIES][SCN_NKINDS];
    uint64_t  step_misid, tot_misid;
    uint64_t  nonzero;        /* persons with a record held now */
    uint64_t  person_months;  /* sum over steps of nonzero */
};

/* chill.c: the lawful-but-disfavoured activity and its suppression by perceived
 * surveillance (docs/ODD.md 7.16). Exists when behaviour.lawful_rate > 0 in the scenario or
 * at a step of its timeline (chill.on); otherwise nothing is allocated, drawn or emitted. */
enum { CHILL_ACTED = 1, CHILL_SUPPRESSED = 2 };   /* bits of chill_state.flags */

typedef struct chill_acc {    /* per block, zeroed by the block pass of each step */
    uint64_t done[SCN_MAX_GROUPS], suppressed[SCN_MAX_GROUPS], chilled[SCN_MAX_GROUPS];
} chill_acc;

struct chill_state {
    int       on;
    uint8_t  *flags;          /* [persons] CHILL_* bits over the run so far */
    chill_acc *acc;           /* [nblocks] */
    float     base[SCN_MAX_REGIONS][SCN_MAX_GROUPS];   /* c: perceived source coverage */
    /* this step and the run: acts done, suppressed, persons newly / ever chilled by group */
    uint64_t  done[SCN_MAX_GROUPS], suppressed[SCN_MAX_GROUPS];
    uint64_t  tot_done[SCN_MAX_GROUPS], tot_suppressed[SCN_MAX_GROUPS];
    uint64_t  chilled[SCN_MAX_GROUPS];
    double    harm, tot_harm;  /* chilling harm of this step and of the run */
};

/* travel.c: travel bans as acts (docs/ODD.md 7.18). Exists when a sanction that a list or a
 * joint row triggers bans flights or trains in the scenario or at a step of its timeline
 * (travel.on, arr_travel_on); otherwise
 * nothing is allocated, drawn or emitted. Mode m: 0 flight, 1 rail (SCN_BAN_* bit 1 << m). */
typedef struct travel_acc {   /* per block, zeroed by the block pass of each step */
    uint64_t refused[SCN_NMODES], by[SCN_NMODES][SCN_MAX_SANCTIONS];
} travel_acc;

struct travel_state {
    int        on;
    uint32_t   ban[SCN_NMODES];   /* sanctions of the scenario in force banning mode m (bits) */
    travel_acc *acc;              /* [nblocks] */
    /* trips refused this step and over the run: all, and per sanction banning the mode (a
       trip refused under two such sanctions counts under each, once in `refused`) */
    uint64_t   refused[SCN_NMODES], by[SCN_NMODES][SCN_MAX_SANCTIONS];
    uint64_t   tot[SCN_NMODES], tot_by[SCN_NMODES][SCN_MAX_SANCTIONS];
};

/* ownlist.c: the agencies' own black and watch lists (docs/ODD.md 7.19). Exists when some
 * agency has own_lists = true (lists regime only; own.on); otherwise nothing is allocated and
 * every list is the common one, as before. The aggregate status bits ST_BLACK and ST_WATCH
 * mean "on some blacklist" (common or own) and "on some watch list and no blacklist"; the
 * common lists' own bits are in own.common. Per agent: a bit per agency and list (on its
 * list now), and a bit per agency for "ever on its blacklist". The terms are sparse: one
 * entry per current own listing, kept per block sorted by (agent, list, agency) and
 * rebuilt in agent order by the block's dense pass (so only the block's thread touches it);
 * the old vector is freed when the block's pass ends. */
enum { OWN_NLISTS = 2, OWN_RELEASE = 1 };   /* black and watch; entry flag: appeal won */

typedef struct own_entry {   /* one current own listing */
    uint32_t agent;
    int32_t  until;          /* first step at which it may end */
    int32_t  since;          /* its first step */
    uint8_t  agency, list, cause, flags;
} own_entry;

typedef struct own_acc {     /* per block, zeroed by the block's dense pass */
    uint64_t on[OWN_NLISTS][SCN_MAX_AGENCIES];       /* agents on agency a's list now */
    uint64_t added[OWN_NLISTS][SCN_MAX_AGENCIES];    /* listings made this step */
    uint64_t removed[OWN_NLISTS][SCN_MAX_AGENCIES];  /* listings ended this step */
    uint64_t wrong[SCN_MAX_AGENCIES];   /* blacklistings made while wrongful (sim_wrongful) */
    uint64_t multi;          /* agents on two or more blacklists (the common one counts) */
    uint64_t common[OWN_NLISTS];   /* agents on the common black (watch) list now */
} own_acc;

typedef struct own_blk {
    own_entry *e, *nx;       /* current entries (read from cur on), and the next step's */
    uint64_t   n, cap, nn, ncap, cur;
    own_acc    a;
    int        oom;
    /* the common list's transitions of the agent in hand (policy.c put_on / take_off) */
    int8_t     c_new[OWN_NLISTS], c_cause[OWN_NLISTS];
    int8_t     c_out;        /* reason the common blacklisting ended, -1 none */
    int8_t     wrap;         /* 1 while ownlist_agent runs policy_common */
} own_blk;

struct own_state {
    int       on;
    uint16_t  mask;          /* agencies with own lists */
    uint16_t *bits[OWN_NLISTS];   /* [n] bit a: on agency a's black (watch) list now */
    uint16_t *ever;          /* [n] bit a: ever on agency a's blacklist */
    uint8_t  *common;        /* [n] ST_BLACK | ST_WATCH: on the common lists */
    own_blk  *blk;           /* [nblocks] */
    uint64_t  tot_added[OWN_NLISTS][SCN_MAX_AGENCIES], tot_wrong[SCN_MAX_AGENCIES];
    uint64_t  step_multi;    /* agents on two or more blacklists at the last step */
    uint64_t  last_on[OWN_NLISTS][SCN_MAX_AGENCIES], last_common[OWN_NLISTS];   /* ditto */
};

/* share.c: sharing ([share.FROM]) and joint punishment notices. Bodies are the agencies
 * (bits 0 .. nagencies-1) then the bodies that apply sanctions (`by`, or the sanction's name),
 * at most SHARE_MAX_BODIES. The rules in force at each step are kept per epoch (the start,
 * then each timeline change), so what was shared when a record was made is known at the end;
 * records themselves are the holdings of collect.c (on whenever sharing is). */
enum { SHARE_MAX_BODIES = 64 };

typedef struct share_epoch {  /* the sharing rules in force from step start */
    int      start;
    uint32_t to[SCN_MAX_AGENCIES];       /* bodies receiving agency a's shared records */
    unsigned kinds[SCN_MAX_AGENCIES];    /* bit k: kind k of a's records is shared */
    int      from[SCN_MAX_AGENCIES];     /* first step whose records are shared */
    int      opt_in[SCN_MAX_AGENCIES];   /* consent = opt_in */
    double   share[SCN_MAX_AGENCIES][SCN_MAX_GROUPS];   /* opt_in share per group */
    uint64_t san_body[SCN_MAX_SANCTIONS];  /* body bit of each sanction of the catalogue */
} share_epoch;

typedef struct share_told {   /* a listing told to bodies by joint punishment */
    uint32_t agent;
    int32_t  step;
    int32_t  agency;          /* the listing agency (its violation retention applies) */
    uint64_t bodies;
} share_told;

struct share_state {
    int       on;             /* the scenario has a [share.*] section */
    int       nepoch, cur;    /* epochs, and the one in force now */
    share_epoch *epoch;       /* [nepoch] */
    int       nbodies;
    char      body[SHARE_MAX_BODIES][SCN_NAME_MAX];
    uint32_t  receivers;      /* agencies that receive shares in some epoch */
    share_told *told;         /* joint punishment notices, in order of listing */
    uint64_t  ntold, told_cap;
    uint64_t  step_flows[SCN_MAX_AGENCIES], step_joint;   /* this step, by sender */
    uint64_t  tot_flows[SCN_MAX_AGENCIES], tot_joint;     /* over the run */
};

/* region.c: the figures that compare the regions of a regional pilot (docs/ODD.md 7.21),
 * over steps 1 .. t; tallied serially or folded from the blocks in block order. */
struct region_state {
    uint64_t violations[SCN_MAX_REGIONS], violations_cf[SCN_MAX_REGIONS];
    uint64_t records[SCN_MAX_REGIONS];       /* records made about the region's agents */
    uint64_t black_steps[SCN_MAX_REGIONS];   /* agent-steps on the blacklist */
};

/* deeds.c: recorded good deeds (docs/ODD.md 7.23). Exists when the points regime runs with
 * behaviour.deed_rate > 0 in the scenario or at a step of its timeline (deeds.on,
 * arr_deeds_on); otherwise nothing is allocated, drawn or emitted. */
typedef struct deeds_acc {    /* per block, zeroed by the block pass of each step */
    uint64_t deeds[ACC_G];
} deeds_acc;

struct deeds_state {
    int        on;
    int        lift;          /* deeds may lift scores above scoring.max (policy.c reads it) */
    deeds_acc *acc;           /* [nblocks] */
    uint64_t   step[ACC_G], tot[ACC_G];   /* deeds recorded this step and over the run */
};

/* commercial.c: the commercial score next to the state's (docs/ODD.md 7.22). Exists when
 * some group's [commercial] opt_in is above 0 (commercial.on, arr_commercial_on); otherwise
 * nothing is allocated, drawn or emitted. Persons only. */
typedef struct commercial_acc {   /* per block, zeroed by the block pass of each step */
    uint64_t rewarded, by[SCN_MAX_SANCTIONS], flows;
    double   score_sum[ACC_G], benefit;
} commercial_acc;

struct commercial_state {
    int        on;
    uint8_t   *opted;         /* [persons] 1 when the person opted in (drawn once) */
    float     *score;         /* [persons] commercial score (opted-in persons only) */
    float     *pend;          /* [persons] points its records cost this step */
    commercial_acc *acc;      /* [nblocks] */
    uint64_t   opted_grp[ACC_G];
    commercial_acc step, tot; /* this step (score_sum: now), and over the run */
};

/* event.c: event-driven stepping of the scoring and list pass (docs/ODD.md 7.24). Exists
 * when the scenario allows it (event_eligible) and --dense was not asked for (ev.on); the
 * run may switch to the dense pass midway (values too large for the closed form), and a
 * timeline change writes every agent out and starts it afresh. */
typedef struct event_bucket { uint32_t *v; uint64_t n, cap; } event_bucket;

typedef struct event_blk {   /* per block: standing tallies */
    int32_t  listed[SCN_NLISTS][ACC_G], wrong[ACC_G], wrong_cause[SIM_NCAUSES];
    int32_t  black_region[SCN_MAX_REGIONS], wrong_region[SCN_MAX_REGIONS];
    int64_t  at[ACC_G], drift[ACC_G], pinned[ACC_G];   /* scores: sum s_at + t sum d + pinned */
    int      fresh;          /* no tallies yet: every agent is processed (step 1) */
    int      bail;           /* a value passed 2^23: the dense pass from the next step */
} event_blk;

struct event_state {
    int       on, steps;     /* running; passes run event-driven so far */
    float    *d;             /* [n] drift per step of the closed form */
    uint8_t  *flags;         /* [n] EV_PIN, EV_WRONG (event.c) */
    uint64_t *active;        /* [n/64] bit per agent: processed in the next pass */
    int16_t  *due;           /* [n] step array (step_at): the step of the agent's latest
                                calendar entry, 0 if none; the same step is not entered
                                twice (an agent processed again before its term ends would
                                enter it once per processing) */
    event_blk *blk;          /* [nblocks] */
    int       nthreads;
    event_bucket *bucket;    /* [nthreads][steps + 2] agents with a breakpoint at that step,
                                entered by the thread that processed them (a bitmap is made
                                of them, so their order does not matter) */
};

/* Element i of a step array (until, last_violation, since): int16_t when narrow (every step
 * value of the run fits: arr_steps16), else int32_t (the array then has two int16_t slots
 * an agent). Hot loops pass narrow from a local copy of s->steps16. */
static inline int32_t step_at(int narrow, const int16_t *a, uint32_t i) {
    return narrow ? a[i] : ((const int32_t *)(const void *)a)[i];
}
static inline void step_put(int narrow, int16_t *a, uint32_t i, int32_t v) {
    if (narrow) a[i] = (int16_t)v;
    else ((int32_t *)(void *)a)[i] = v;
}
static inline const void *step_addr(int narrow, const int16_t *a, uint32_t i) {
    return (const char *)a + (size_t)i * (narrow ? 2 : 4);   /* for prefetches */
}

struct sim {
    scenario  sc;            /* copy; sc.text and sc.overrides are NULL */
    sim_opts  opts;
    int       threads;
    rng_t     rng;
    int       t;             /* last completed step (0 after building) */
    pop_t    *pop;
    uint32_t  n;
    net_t    *layer[SCN_NLAYERS];      /* NULL when disabled */
    net_stats layer_stats[SCN_NLAYERS];
    /* list state, shared by every module (allocated through the array table, owner "state") */
    float    *score;         /* [n] points regime score */
    uint8_t  *status;        /* [n] ST_* bits */
    /* step arrays, 16 or 32 bits an agent (steps16; read and written by step_at, step_put) */
    int16_t  *until[SCN_NLISTS];  /* [n] first step at which delisting is allowed */
    int16_t  *last_violation;     /* [n] step of the last true violation, -1 if none */
    int16_t  *since;         /* [n] first step of the current (or last) blacklisting */
    int       steps16;       /* the step arrays hold int16_t (arr_steps16), else int32_t */
    uint8_t  *cause;         /* [n] cause of the current (or last) blacklisting */
    int8_t   *cause_agency;  /* [n] agency of a record-caused blacklisting, -1 otherwise */
    int8_t   *cause_rule;    /* [n] rule of a spillover blacklisting, -1 otherwise */
    uint32_t *source;        /* [n] agent a spillover blacklisting came from, or SIM_NONE */
    uint8_t  *slot;          /* [n] per-group tally slot: the group of a person, ACC_G-1 for
                                a firm; NULL with one group (read through acc_slot) */
    /* the modules' own state */
    struct agency_state   agency;
    struct policy_state   policy;
    struct sanction_state sanction;
    struct response_state response;
    struct redress_state  redress;
    struct cascade_state  casc;
    struct collect_state  collect;
    struct chill_state    chill;
    struct share_state    share;
    struct travel_state   travel;
    struct region_state   region;
    struct deeds_state    deeds;        /* issue 13 item 7 */
    struct commercial_state commercial; /* issue 13 item 4 */
    struct own_state      own;
    struct event_state    ev;
    /* tallies of this step and of the run, read by metrics.c */
    uint64_t  insp_rec[SCN_MAX_REGIONS];      /* records of the inspection target this step */
    uint64_t  appeals_filed, appeals_decided[2], appeals_won[2];   /* this step; [wrongful] */
    uint64_t  ties_cut[SCN_NLAYERS], jobs_lost;                    /* this step */
    struct totals {          /* over the run */
        double   harm, harm_innocent, harm_violators, harm_direct, harm_reached, harm_spill;
        double   benefit, harm_grp[ACC_G];
        uint64_t sanction_steps[SCN_MAX_SANCTIONS], appeals_filed, appeals_decided[2],
                 appeals_won[2], delisted_by[SIM_NOUT], ties_cut[SCN_NLAYERS], failed,
                 jobs_lost;
    } tot;
    size_t    nblocks;
    blockbuf *blk;           /* [nblocks] */
    uint64_t  group_size[ACC_G];
    uint64_t  records_cause[SIM_NCAUSES], records_agency[SCN_MAX_AGENCIES];
    uint64_t  detected_agency[SCN_MAX_AGENCIES];  /* this step's records of own true
                                     violations by agency (severity: detected_weighted) */
    uint64_t  tot_wl_cause[SIM_NCAUSES], tot_wl_grp[ACC_G], tot_wl_region[SCN_MAX_REGIONS];
    uint64_t  rec_persons, persons_with_records;   /* records about persons, so far */
    uint64_t  agency_links;          /* (person, agency holding a record about it) pairs */
    uint64_t  retention[2];          /* person-steps on the blacklist, on the watch list */
    uint64_t  tot_violations, tot_violations_cf, tot_listings[SIM_NCAUSES], tot_records[SIM_NCAUSES];
    /* severity (issue 13 item 2): over the run, by agency */
    uint64_t  tot_viol_ag[SCN_MAX_AGENCIES], tot_viol_cf_ag[SCN_MAX_AGENCIES],
              tot_rec_ag[SCN_MAX_AGENCIES];
    res_t    *res;
    sim_timing timing;
};

/* Block b covers agents [b * SIM_BLOCK, min(n, (b + 1) * SIM_BLOCK)). */
static inline uint32_t blk_lo(size_t b) { return (uint32_t)(b * SIM_BLOCK); }
static inline uint32_t blk_hi(const struct sim *s, size_t b) {
    uint64_t hi = (uint64_t)(b + 1) * SIM_BLOCK;
    return hi < s->n ? (uint32_t)hi : s->n;
}

/* Slot of an agent in per-group accumulators: its group for persons, ACC_G-1 for firms. */
static inline int acc_slot(const struct sim *s, uint32_t i) {
    return s->slot ? s->slot[i] : i < s->pop->persons ? 0 : ACC_G - 1;
}

/* This step's latest listing record of agent i (agency.rec_step): whether there is one, its
 * cause (own, false, misattributed: 1..3) and its agency (0..15). */
static inline int rec_any(const struct sim *s, uint32_t i) { return s->agency.rec_step[i] != 0; }
static inline int rec_cause(const struct sim *s, uint32_t i) { return s->agency.rec_step[i] & 3; }
static inline int rec_agency(const struct sim *s, uint32_t i) { return s->agency.rec_step[i] >> 2; }
/* The points this step's records deduct from agent i (which has one: rec_any): summed per
 * agent where two can come in a step (agency.ded), else its one record's agency's. */
static inline float rec_deduction(const struct sim *s, uint32_t i) {
    return s->agency.ded ? s->agency.ded[i] : s->agency.ded_one[rec_agency(s, i)];
}
/* Bit a: agency a holds a record about agent i (with one agency: whether any is held). */
static inline uint16_t rec_holders(const struct sim *s, uint32_t i) {
    return s->agency.rec_agencies ? s->agency.rec_agencies[i] : s->agency.rec_total[i] > 0;
}
_Static_assert(CAUSE_MISATTR <= 3 && SCN_MAX_AGENCIES <= 64, "rec_step packs cause, agency");

/* Appends to a block buffer; sets b->oom and returns 0 when it cannot grow. */
int blk_push_rec(blockbuf *b, rec_event e);
int blk_push_chg(blockbuf *b, change c);
void blk_start_events(const struct sim *s, blockbuf *b);   /* a pass's events start */
int blk_push_ev(blockbuf *b, res_event e);

/* agency.c: violations and records of block b at step s->t + 1 into b's buffer. */
void agency_observe_block(struct sim *s, size_t b);
/* agency.c: applies every block's records in block order: block by block in parallel
 * when no record of the step targets an agent of another block (each block then writes
 * only its own agents; the step's counts are integer sums), else serially. */
void agency_apply_records(struct sim *s);
/* Each module's prepare allocates its arrays (the rows of arr_table it owns) and sets its
 * derived constants from s->sc and the society; it returns 0 when out of memory (what was
 * allocated stays for its free). free releases everything the module owns and accepts a
 * half-prepared state; bytes is what its per-agent arrays take in a run of sc. */

/* agency.c: per-agency derived constants (coverage maxima, block propensity maxima). */
int agency_prepare(struct sim *s);
void agency_free(struct sim *s);
uint64_t agency_bytes(const scenario *sc);
/* agency.c: before observation at step s->t + 1, after sanction_before: the false-record
 * rate bound of the targeted-inspection agency, whose coverage by region just changed. */
void agency_before(struct sim *s);
/* agency.c: records of agency a against agent i within the window ending at step t. */
int agency_records_in_window(const struct sim *s, uint32_t i, int a, int t);

/* policy.c: the rule tables (nadd, add_rule, nspill, spill_rule_of) from the scenario. */
int policy_prepare(struct sim *s);
void policy_free(struct sim *s);
uint64_t policy_bytes(const scenario *sc);
/* policy.c: probabilistic spillover marks from the previous step's new listings. */
int policy_spill_marks(struct sim *s);   /* 0 when out of memory */
/* policy.c: scoring and list transitions of block b (the dense pass). */
void policy_update_block(struct sim *s, size_t b);
/* policy.c: applies every block's status changes to the neighbour counts (push.c), collects
 * the new listings of this step, clears spillover marks. Returns 0 when out of memory. */
int policy_apply_changes(struct sim *s);
/* push.c: every block's status changes into the neighbour counts, and with the event pass
 * on the marks of the agents whose counts change; in rounds of PUSH_BUF entries a thread
 * when PUSH_PARALLEL_MIN changes or more, else on one thread. 0 when out of memory. */
enum { PUSH_BUF = 16384, PUSH_PARALLEL_MIN = 1024 };
int push_changes(struct sim *s);
void push_free(struct sim *s);
uint64_t push_bytes(const scenario *sc);   /* the rounds' buffers */
/* policy.c: blacklists the step-0 seeds and builds the neighbour counts. */
int policy_seed(struct sim *s);

/* Whether agent i has no own true violation in the look-back window at step t: a listing
 * then is wrongful, and harm then falls on an innocent. */
/* Whether [lists] regions covers every region: the own criteria then hold everywhere and
 * an agent's region need not be read for them. */
static inline int sim_lists_everywhere(const struct sim *s) {
    const int R = s->sc.population.regions;
    const uint64_t all = R >= 64 ? UINT64_MAX : (1ull << R) - 1;
    return (s->sc.lists.region_mask & all) == all;
}

/* What the list shortcut of the scoring pass reads (policy_quick_of), loaded once a block. */
typedef struct policy_quick {
    int narrow, lists_all, lookback;
    uint64_t lists_mask;
    float bb, wb, ra;             /* black_below; watch_below and red_at_least, or -inf, inf */
    const int16_t *until_black, *last_violation;
    const uint8_t *region;
} policy_quick;

static inline policy_quick policy_quick_of(const struct sim *s);

/* The list transitions of agent i at step t (new score sc, status st before, no record
 * this step, additive rules only, no redress) where they are decided without the general
 * path (update_agent): an agent staying on the blacklist (its term not over, or below the
 * line where [lists] regions lets the own criteria hold) or off every list. 1 with *on
 * (0 black, -1 none) and *wrong set; 0 where the general path must decide. Both passes
 * (policy.c, event.c) take it. */
static inline int policy_shortcut(const policy_quick *q, uint32_t i, int t, uint8_t st,
                                  float sc, int *on, int *wrong) {
    const uint8_t lists = st & (ST_BLACK | ST_WATCH | ST_RED);
    if (lists == ST_BLACK) {
        if (!(t < step_at(q->narrow, q->until_black, i) ||
              (sc < q->bb && (q->lists_all || (q->lists_mask >> q->region[i] & 1)))))
            return 0;
        int32_t v = step_at(q->narrow, q->last_violation, i);
        *on = 0;
        *wrong = v < 0 || (q->lookback > 0 && v <= t - q->lookback);
        return 1;
    }
    if (lists || sc < q->bb || sc < q->wb || sc >= q->ra) return 0;
    *on = -1, *wrong = 0;
    return 1;
}

static inline int sim_wrongful(const struct sim *s, uint32_t i, int t) {
    int32_t v = step_at(s->steps16, s->last_violation, i);
    int lb = s->sc.lists.lookback;
    return v < 0 || (lb > 0 && v <= t - lb);
}

static inline policy_quick policy_quick_of(const struct sim *s) {
    const scenario *sc = &s->sc;
    policy_quick q;
    q.narrow = s->steps16, q.lists_all = sim_lists_everywhere(s);
    q.lookback = sc->lists.lookback, q.lists_mask = sc->lists.region_mask;
    q.bb = (float)sc->lists.black_below;
    q.wb = s->until[LIST_WATCH] ? (float)sc->lists.watch_below : -INFINITY;
    q.ra = s->until[LIST_RED] ? (float)sc->lists.red_at_least : INFINITY;
    q.until_black = s->until[LIST_BLACK], q.last_violation = s->last_violation;
    q.region = s->pop->region;
    return q;
}

/* sanction.c: derived constants and arrays for sanctions, joint punishment, inspections,
 * deterrence, ostracism and firm health. Returns 0 when out of memory. */
int sanction_prepare(struct sim *s);
void sanction_free(struct sim *s);
uint64_t sanction_bytes(const scenario *sc);
/* sanction.c: before observation at step s->t + 1: targeted inspection allocation, region
 * multipliers and perceived detection. */
void sanction_before(struct sim *s);
/* sanction.c: detection multiplier of agent i from the sanctions in force and its region. */
double sanction_detect_mult(const struct sim *s, uint32_t i);
/* sanction.c: propensity multiplier of agent i (deterrence), 1 without deterrence. */
double sanction_deter(const struct sim *s, uint32_t i);
/* sanction.c: after the list changes of step s->t: ostracism, sanctions in force, harm,
 * firm health and failures. Returns 0 when out of memory. */
int sanction_after(struct sim *s);
/* sanction.c: run totals into the summary. */
int sanction_summary(struct sim *s);
/* sanction.c: this step's figures into the metrics. */
int sanction_metrics(struct sim *s, int t, const acc *a);
/* Whether person i has a job: an employer that has not failed, and the tie not cut. */
static inline int sim_employed(const struct sim *s, uint32_t i) {
    uint32_t f = pop_employer(s->pop, i);
    return f != POP_NONE && !(s->status[f] & ST_FAILED) &&
           !(s->response.ncut[LAYER_EMPLOYMENT] && s->response.ncut[LAYER_EMPLOYMENT][i]);
}

/* response.c: whether arc e of layer l is cut. */
static inline int arc_cut(const struct sim *s, int l, uint64_t e) {
    return s->response.cut[l] && (s->response.cut[l][e >> 6] >> (e & 63) & 1);
}

/* response.c: revenue shares and cut-tie bitsets. */
int response_prepare(struct sim *s);
void response_free(struct sim *s);
uint64_t response_bytes(const scenario *sc);
/* response.c: ostracism at step t (serial, agents in id order): cuts ties of blacklisted
 * agents on the layers named in behaviour.ostracism_layers. */
void response_ostracism(struct sim *s, int t);
/* response.c: firm health at step t (serial, firms in id order); failed firms lose their
 * employment ties and their employees bear job_loss. */
void response_firm_health(struct sim *s, int t);

/* redress.c: whether redress is in use; the release marks when appeals are. */
int redress_prepare(struct sim *s);
void redress_free(struct sim *s);
uint64_t redress_bytes(const scenario *sc);
/* redress.c: files appeals for this step's new blacklistings, in block order (serial).
 * Returns 0 when out of memory. */
int redress_file(struct sim *s, uint32_t i, int t);
/* redress.c: decides the appeals due at step s->t + 1 within the capacity (serial). */
void redress_decide(struct sim *s);
/* redress.c: whether blacklisted agent i leaves early at step t (appeal won, compliance,
 * credit repair); returns the OUT_* reason, or -1. */
int redress_exit(struct sim *s, uint32_t i, int t);
/* Whether redress_exit(s, i, t) would take blacklisted agent i off (the same draws; no
 * change): the event pass asks it of every blacklisted agent it would not process. */
int redress_would_exit(const struct sim *s, uint32_t i, int t);
/* redress.c: extends the blacklisting of agent i for a new record at step t. */
void redress_extend(struct sim *s, uint32_t i);

/* cascade.c: every agent starts in no cascade. */
int cascade_prepare(struct sim *s);
void cascade_free(struct sim *s);
uint64_t cascade_bytes(const scenario *sc);
/* cascade.c: files this step's blacklisting of agent i in its cascade (serial, in block
 * order): a spillover listing with a source joins the source's cascade one level deeper;
 * any other listing roots a new cascade. Returns 0 when out of memory. */
int cascade_record(struct sim *s, uint32_t i);
/* cascade.c: the cause agent i's blacklisting is counted under (its cause, 0 when out of
 * range); lone roots (cid NULL) counted by cause, roots[SIM_NCAUSES], added in one go
 * (policy_apply_changes counts them in parallel). */
int cascade_cause(const struct sim *s, uint32_t i);
void cascade_roots(struct sim *s, const uint64_t *roots);
/* cascade.c: the end-of-run cascade figures into the summary. Returns 0 when out of memory. */
int cascade_summary(struct sim *s);

/* collect.c: holdings when the scenario has a collection source (collect.on); otherwise
 * nothing is allocated and the other functions do nothing. */
int collect_prepare(struct sim *s);
void collect_free(struct sim *s);
uint64_t collect_bytes(const scenario *sc);
/* collect.c: at step s->t + 1, after agency_apply_records: expiry and collection of every
 * block (parallel), then misidentified records, violation records and sparse expiry
 * (serial, block order). Returns 0 when out of memory. */
int collect_step(struct sim *s);
/* collect.c: this step's figures, and the end-of-run summary. 0 when out of memory. */
int collect_metrics(struct sim *s, int t);
int collect_summary(struct sim *s);

/* chill.c: the chilling effect (docs/ODD.md 7.16). prepare allocates the flags when the
 * activity exists; derive re-reads the perceived coverage of each (region, group) from the
 * sources of kind sightings or online and the behaviour keys (timeline); step draws every
 * person's activity of step s->t + 1 from its own stream (RNG_CHILL), reading the blacklist
 * at the end of step s->t, before observation (parallel over blocks, then tallies in block
 * order); metrics and summary emit the rows. All do nothing when chill.on is 0. */
int chill_prepare(struct sim *s);
void chill_free(struct sim *s);
uint64_t chill_bytes(const scenario *sc);
void chill_derive(struct sim *s);
void chill_step(struct sim *s);
int chill_metrics(struct sim *s, int t);
int chill_summary(struct sim *s);
/* Whether person i did the lawful-but-disfavoured activity at least once in steps 1..s->t
 * (0 for a firm, or when the activity is not modelled): the label an observer predicts. */
int chill_acted(const struct sim *s, uint32_t i);
/* The perceived coverage in [0, 1] of person i at the current scenario, from the collection
 * sources alone (no contacts): 0 when the activity is not modelled. */
double chill_perceived(const struct sim *s, uint32_t i);

/* travel.c: travel bans as acts (docs/ODD.md 7.18). prepare allocates the block tallies
 * when some scenario of the run bans travel; derive (called by sanction_derive) re-reads the
 * banning sanctions; step (called by sanction_after at t >= 1, after the sanctions in force
 * are set) draws the trips each person under a ban attempts at step t from its own streams
 * (RNG_TRAVEL + mode), refuses them all and tallies them (parallel over blocks, then in
 * block order); metrics and summary (called by sanction_metrics, sanction_summary) emit
 * flights_refused and trains_refused. All do nothing when travel.on is 0. */
int travel_prepare(struct sim *s);
void travel_free(struct sim *s);
uint64_t travel_bytes(const scenario *sc);
void travel_derive(struct sim *s);
void travel_step(struct sim *s, int t);
int travel_metrics(struct sim *s, int t);
int travel_summary(struct sim *s);
/* Trips attempted in a month at Poisson mean rate >= 0, by inversion of u in [0, 1): the
 * smallest k with P(N <= k) > u (0 when rate is 0). Pure; exposed for the tests. */
unsigned travel_attempts(double rate, double u);

/* region.c: regional pilots (docs/ODD.md 7.21). step folds this step's tallies (a, the
 * blocks' accumulators summed in block order) into s->region; summary emits the
 * region.* rows of every region (agents, violations, violations prevented, records,
 * blacklisted share, ever blacklisted rate). summary returns 0 when out of memory. */
void region_step(struct sim *s, const acc *a);
int region_summary(struct sim *s);

/* infer.c: the guilt-by-association observer (docs/metrics.md, "The inference attack"):
 * inference_auc(guilt_by_association) into the summary. key: scratch of 2 x persons + 1
 * keys (metrics_summary's). 0 when out of memory. */
int infer_summary(struct sim *s, uint64_t *key);
/* infer.c: an entry of the observer's ranking: own public status, then the contacts' mean. */
typedef struct infer_pair { float own, assoc; uint32_t y; } infer_pair;
/* AUC of the order by own, then assoc (assoc >= 0; a negative one counts as 0), for label y
 * (Mann-Whitney; entries equal in both keys tie and count one half). NaN when a class is
 * empty or out of memory (16 bytes an entry of scratch). */
double infer_auc_lex(const infer_pair *v, size_t n);
/* The guilt-by-association AUC on a hand-built society of n persons: own[i] its public
 * status, its contacts adj[off[i] .. off[i+1]-1], label[i] the fact predicted (nonzero:
 * positive); assoc = the mean own status of the contacts (0 without). NaN when a class is
 * empty or out of memory. */
double infer_gba_auc(size_t n, const double *own, const uint64_t *off, const uint32_t *adj,
                     const uint8_t *label);
/* exposure.c: what a public observer sees of person i (named publicly now; the score below
 * the cap in the points regime); larger is more suspect. */
double exposure_public_view(const struct sim *s, uint32_t i);
/* share.c: the epochs of the sharing rules and the bodies (share.on when the scenario has a
 * [share.*] section; otherwise nothing is allocated and the others do nothing). */
int share_prepare(struct sim *s);
void share_free(struct sim *s);
uint64_t share_bytes(const scenario *sc);
/* share.c: after sanction_after at step s->t: this step's flows (records of shared kinds
 * made at t about persons, one per receiving body) and the joint punishment notices of
 * this step's new listings. Returns 0 when out of memory. */
int share_after(struct sim *s);
/* share.c: the epoch in force at step s->t + 1 (after a timeline change). */
void share_derive(struct sim *s);
/* share.c: whether person i's records made by agency a at step st were shared (to the
 * bodies returned; 0 when none), under the rules in force at st and i's consent. */
uint32_t share_to(const struct sim *s, int a, int k, int st, uint32_t i);
/* share_metrics.c: this step's flows, and the end-of-run summary (bodies per person, pooled
 * profile, platform observer AUC). 0 when out of memory. */
int share_metrics(struct sim *s, int t);
int share_summary(struct sim *s);
/* share_metrics.c: the view of an observer at body b: counts[i * SCN_NKINDS + k] = records of
 * kind k about person i held now that b can read through shares (saturating at 65535), for
 * every person i < P. */
void share_view(const struct sim *s, int b, uint16_t *counts);
/* share_metrics.c: the observer's training subset: train[i] = 1 for the persons whose label
 * the adversary knows (public), a fixed 20% drawn from the run's own stream. */
void share_train(const struct sim *s, uint8_t *train);
/* share_metrics.c: the platform observer (docs/metrics.md, platform_auc): a Poisson naive
 * Bayes on the per-kind counts (n persons x nk kinds), fitted on the persons with train[i] =
 * 1 and their label[i] (0/1), scores the others; returns the AUC of that score for their
 * labels (exposure_auc), NaN when a class is empty there or out of memory. */
double share_observer_auc(const uint16_t *counts, int nk, const uint8_t *label,
                          const uint8_t *train, size_t n);

/* exposure.c: disparity between groups and privacy exposure into the summary. key: scratch
 * of 2 x persons + 1 keys (metrics_summary's). Returns 0 when out of memory. */
int exposure_summary(struct sim *s, uint64_t *key);
/* exposure.c: area under the ROC curve of score for label (Mann-Whitney, ties half); NaN
 * when a class is empty or out of memory. */
double exposure_auc(const double *score, const uint8_t *label, size_t n);

/* The one "scenario changed" path (timeline.c): each module re-derives from s->sc what its
 * prepare derived and keeps (rate bounds, bit masks, rule tables, flags); the run state
 * (lists, records, harm, queues) stays. derive of an unchanged scenario changes nothing. */
void agency_derive(struct sim *s);    /* cov_max */
void policy_derive(struct sim *s);    /* nadd, add_rule, nspill, spill_rule_of */
void sanction_derive(struct sim *s);  /* catalogue masks, joint matrix, detect_on, deter_on,
                                         region multipliers (from the last step's tallies) */
void redress_derive(struct sim *s);   /* on */
/* chill_derive (above): perceived coverage by region and group */
/* share_derive (above): the epoch in force */
/* timeline.c: at the start of step s->t + 1, puts in force the scenario the timeline gives
 * for that step (if it changes then) and re-derives; returns whether it changed. */
int timeline_apply(struct sim *s);
void sim_rederive(struct sim *s);

/* emit.c: one row of step t into the metrics, or one row of the summary, of metric (an id
 * of the registry, sim/core/metric.h) and grp; 0 when out of memory. Every module that
 * reports uses these; emit.c calls nothing else of the engine. */
/* deeds.c: recorded good deeds (docs/ODD.md 7.23). prepare allocates the block tallies when
 * some scenario of the run has deeds; step (engine.c, after the records of step t are
 * applied and before the scores are updated) draws each person's deeds of step t from its
 * own stream (RNG_DEEDS) and adds deed_points for each to its score (above scoring.max only
 * with deed_above_max; policy.c then keeps a score above max instead of cutting it to max);
 * metrics and summary emit deeds_recorded (called by metrics.c). All do nothing when
 * deeds.on is 0. */
int deeds_prepare(struct sim *s);
void deeds_free(struct sim *s);
uint64_t deeds_bytes(const scenario *sc);
void deeds_step(struct sim *s);
int deeds_metrics(struct sim *s, int t);
int deeds_summary(struct sim *s);

/* commercial.c: the commercial score (docs/ODD.md 7.22). prepare allocates its arrays when
 * some group opts in and draws each person's opt-in once from its own stream (step 0,
 * RNG_COMMERCIAL); step (engine.c, after the records of step t are applied and after
 * deeds_step, before the state scores are updated) moves the opted-in persons' commercial
 * scores, grants its rewards and feeds the state score by feeds_state times the change;
 * metrics and summary emit its figures (called by metrics.c). All do nothing when
 * commercial.on is 0. */
int commercial_prepare(struct sim *s);
void commercial_free(struct sim *s);
uint64_t commercial_bytes(const scenario *sc);
void commercial_step(struct sim *s);
int commercial_metrics(struct sim *s, int t);
int commercial_summary(struct sim *s);
/* Whether person i opts in under scenario sc's opt_in (pure: the same for any thread count
 * and any other key). */
int commercial_opts_in(const struct sim *s, uint32_t i);

int metrics_put(struct sim *s, int t, int metric, const char *grp, double v);
int metrics_put_sum(struct sim *s, int metric, const char *grp, double v);

/* metrics.c: emits the rows of step t (t = 0: only the seeding's events and totals), and
 * the end-of-run summary. Return 0 when out of memory. */
int metrics_step(struct sim *s, int t);
int metrics_summary(struct sim *s);

/* ownlist.c: the agencies' own lists (docs/ODD.md 7.19); on only when some agency has
 * own_lists. prepare allocates (array table, owner ARR_OWN) and the per-block entries. */
int event_eligible(const scenario *sc);
int event_prepare(struct sim *s);
void event_free(struct sim *s);
uint64_t event_bytes(const scenario *sc);
void event_before(struct sim *s);
void event_update_block(struct sim *s, size_t blk);
void event_finish(struct sim *s);
/* Sets agent i's score at the end of step s->t to v (deeds.c, before the pass), whether or
 * not the event pass holds it in closed form; the agent is processed in the next pass. */
void event_set_score(struct sim *s, uint32_t i, float v);
/* Around a change of the scenario in force (timeline.c): done 0 before it, 1 after. */
void event_change(struct sim *s, int done);
/* Agent i's score at the end of step s->t, whether or not it is kept in closed form
 * (event.c; s->score[i] is the closed form's a_i while the event pass runs). */
static inline float sim_score_now(const struct sim *s, uint32_t i) {
    if (!s->ev.on || (s->ev.flags[i] & 1)) return s->score[i];   /* 1: EV_PIN */
    return s->score[i] + s->ev.d[i] * (float)s->t;
}
/* Agent i is processed in the next pass: from its own block's thread or serially. */
static inline void event_mark(struct sim *s, uint32_t i) {
    if (s->ev.on) s->ev.active[i >> 6] |= 1ull << (i & 63);
}

int ownlist_prepare(struct sim *s);
void ownlist_free(struct sim *s);
uint64_t ownlist_bytes(const scenario *sc);
/* ownlist.c: the dense pass for agent i when own.on (called by policy_update_block in agent
 * order within the block): own-list transitions, then the common lists' (policy_common),
 * then the aggregate status bits, their changes and tallies. Returns the tally index as
 * policy's update_agent does (0 black, 1 watch, 2 red, -1 none) and sets *wrong. */
int ownlist_agent(struct sim *s, blockbuf *b, uint32_t i, int t, const int *list_on,
                  float score, int *wrong);
/* ownlist.c: ends block blk's pass (the entries not reached are kept; the vectors swap). */
void ownlist_block_end(struct sim *s, size_t blk);
/* ownlist.c: after the dense pass (serial, block order): files appeals of this step's new
 * blacklistings, common and own, from the blocks' events. 0 when out of memory. */
int ownlist_after(struct sim *s, int t);
/* ownlist.c: sanctions of the joint punishment rows of agent i's own listings (union over
 * (agency, list)). */
uint32_t ownlist_joint(const struct sim *s, uint32_t i);
/* ownlist.c: agency a's current blacklisting of agent i, or NULL (binary search). */
own_entry *ownlist_find(struct sim *s, uint32_t i, int a);
/* ownlist.c: per-agency figures of step t, and the summary. 0 when out of memory. */
int ownlist_metrics(struct sim *s, int t);
int ownlist_summary(struct sim *s);
/* policy.c: the common lists' transitions of agent i (update_agent), and taking agent i off
 * the common list `list` (take_off), for ownlist.c. */
int policy_common(struct sim *s, blockbuf *b, uint32_t i, int t, const int *list_on,
                  float score, int *wrong);
void policy_take_off(struct sim *s, blockbuf *b, uint32_t i, int list, int t, int reason);
/* redress.c: the compliance multiplier of agent i (1 employed, comply_unemployed without a
 * job, a firm's revenue share); files an appeal of agency a's blacklisting of agent i made
 * at step t with the agency's appeal probability (0 when out of memory); erases agency a's
 * record history of agent i (lists regime: a blacklisting settled or annulled). */
double redress_comply_factor(const struct sim *s, uint32_t i);
int redress_file_own(struct sim *s, uint32_t i, int t, int a);
void redress_clear_history(struct sim *s, uint32_t i, int a);

#endif
