/* sim/scenario/scenario.h - the scenario: every parameter of a run, parsed from INI files, with all
 * defaults filled in and all ranges checked. Prefix scn_.
 *
 * File format (inih): one section per part of the model. Repeated parts are named sections:
 *   [population] [scoring] [lists] [run]          one each
 *   [layer.NAME]   NAME in family, parent, social, employment, partner, legalrep
 *   [agency.NAME]  any NAME ([a-z0-9_], up to 31 chars); up to SCN_MAX_AGENCIES
 *   [spillover.NAME] any NAME; up to SCN_MAX_RULES
 *   [sanction.NAME]  any NAME; up to SCN_MAX_SANCTIONS: the sanctions and rewards catalogue
 *   [joint.AGENCY]   the joint punishment matrix row of a declared agency: per list, the
 *                    sanctions a listing by that agency triggers (other agencies apply them)
 *   [redress] [inspection] [behaviour]   one each: leaving lists, the inspection feedback
 *                    loop, and how agents and firms respond
 *   [collect.NAME]   any NAME; up to SCN_MAX_SOURCES: a collection source of an agency,
 *                    recording observations about law-abiding agents too
 *   [retention.AGENCY] a declared agency's retention per kind and what it displays
 *   [share.AGENCY]   which bodies receive which kinds of a declared agency's records
 *   [severity.NAME]  a severity tier (ordinary and serious exist undeclared); up to
 *                    SCN_MAX_TIERS; [agency.X] severity = NAME puts X's violations in it
 * A top-level (before any section) `include = base.ini` key, or one at the start of any
 * section, loads another file first (path relative to the including file); later values
 * override earlier ones. `--set section.key=value` overrides apply after all files, e.g.
 * `--set population.persons=1000000`, `--set agency.courts.detection=0.3`.
 *
 * Agencies: when the resolved scenario declares no [agency.*] section, the four default
 * agencies (courts, tax, market, civility) are used. Declaring any [agency.*] section replaces
 * the default set (an included file's agencies count as declared). Spillover rules: none by
 * default. Layers: all six exist with defaults; `enabled = false` removes one.
 *
 * Every key has a default, a type and a range, listed in scn_keys (scenario_keys.c) and printed
 * by `scsim show`. docs/scenario.md is the reference.
 *
 * Timeline: an [at.STEP] section (STEP 1 .. run.steps) holds `section.key = value` lines,
 * as in `agency.courts.false_record = 0.01`, that take effect at the start of step STEP;
 * `--set at.STEP.section.key=value` adds one. See scn_timeline below. */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"

enum {
    SCN_MAX_AGENCIES = 16,
    SCN_MAX_RULES = 16,
    SCN_MAX_SANCTIONS = 32,     /* sanctions and rewards in the catalogue */
    SCN_MAX_SOURCES = 16,       /* collection sources ([collect.NAME]) */
    SCN_NAMES_MAX = 192,        /* a comma-separated list of names (lists, reach, sanctions) */
    SCN_MAX_GROUPS = 8,
    SCN_MAX_REGIONS = 64,
    SCN_MAX_GRADES = 12,
    SCN_NAME_MAX = 32,
    SCN_PATH_MAX = 512,
    SCN_TEXT_MAX = 1 << 20      /* total bytes of scenario text kept for provenance */
};

/* The six tie layers, in this fixed order. */
typedef enum scn_layer_id {
    LAYER_FAMILY = 0,      /* undirected: all members of a household */
    LAYER_PARENT,          /* directed: parent (adult of a household) -> child */
    LAYER_SOCIAL,          /* undirected, persons: generated or imported */
    LAYER_EMPLOYMENT,      /* undirected, person - firm: from employers */
    LAYER_PARTNER,         /* undirected, firm - firm: generated or imported */
    LAYER_LEGALREP,        /* directed: legal representative (person) -> firm */
    SCN_NLAYERS
} scn_layer_id;

typedef enum scn_generator {
    GEN_STRUCTURAL = 0,    /* family, parent, employment, legalrep: built from the population */
    GEN_ER,                /* Erdos-Renyi G(n, p) with p = mean_degree / (n - 1) */
    GEN_WS,                /* Watts-Strogatz ring with k = mean_degree (even), rewiring p */
    GEN_CONFIG,            /* configuration model, power-law degrees */
    GEN_SBM,               /* stochastic block model, homophily by region and group */
    GEN_CSV                /* edge list from a CSV file */
} scn_generator;

typedef enum scn_regime { REGIME_POINTS = 0, REGIME_LISTS } scn_regime;

typedef enum scn_list { LIST_BLACK = 0, LIST_WATCH, LIST_RED, SCN_NLISTS } scn_list;

typedef enum scn_rule_kind {
    RULE_ADDITIVE = 0,     /* score change of -weight per listed neighbour per step */
    RULE_THRESHOLD,        /* listed when listed fraction of neighbours >= phi (Watts) */
    RULE_PROBABILISTIC,    /* each new listing lists each neighbour w.p. beta, next step */
    RULE_INHERIT           /* listed while an upstream agent (directed tie) is listed */
} scn_rule_kind;

/* Whom a sanction reaches, relative to the listed agent (bits of scn_sanction.reach_mask). */
typedef enum scn_reach {
    REACH_SELF = 1,          /* the listed agent itself */
    REACH_HOUSEHOLD = 2,     /* a person's other household members (same household id) */
    REACH_CHILDREN = 4,      /* a person's children (parent layer) */
    REACH_FIRM = 8,          /* the firms a person legally represents (legalrep layer) */
    REACH_LEGALREP = 16,     /* a firm's legal representative (population attribute) */
    REACH_EMPLOYEES = 32,    /* a firm's employees (employment layer) */
    REACH_EMPLOYER = 64,     /* a person's employer (employment layer) */
    REACH_PARTNERS = 128     /* a firm's business partners (partner layer) */
} scn_reach;

/* The kinds of records an agency holds: violation records (made by the agencies' observation
 * of violations, false records and misattributions) and the four kinds that collection
 * sources observe about everyone. */
typedef enum scn_kind {
    KIND_VIOLATIONS = 0, KIND_SIGHTINGS, KIND_TRANSACTIONS, KIND_REGISTRATIONS, KIND_ONLINE,
    SCN_NKINDS
} scn_kind;

typedef enum scn_targets { TARGET_PERSONS = 1, TARGET_FIRMS = 2, TARGET_BOTH = 3 } scn_targets;

typedef struct scn_population {
    int64_t persons;           /* number of persons, 1 .. 2e9; default 10000 */
    double  firms_per_person;  /* firms = round(persons * this), 0 .. 1; default 0.05 */
    int     regions;           /* 1 .. SCN_MAX_REGIONS; default 4 */
    int     groups;            /* 1 .. SCN_MAX_GROUPS; default 2 */
    double  group_shares[SCN_MAX_GROUPS];  /* list, one per group, normalised; default
                                              0.8, 0.2 (missing entries: equal share) */
    int     sectors;           /* firm sectors, 1 .. 64; default 8 */
    double  household_mean;    /* mean household size, 1 .. 20; default 3.0 */
    double  child_share;       /* share of persons who are children, 0 .. 0.9; default 0.2 */
    double  employment_rate;   /* share of adults employed by a firm, 0 .. 1; default 0.6 */
    double  propensity_mean;   /* mean of Beta propensity to violate per step, (0, 1);
                                  default 0.01 */
    double  propensity_sd;     /* its s.d., 0 (all equal) .. < sqrt(m(1-m)); default 0.01 */
    double  firm_propensity_mean;  /* as above for firms; default 0.02 */
    double  firm_propensity_sd;    /* default 0.02 */
} scn_population;

typedef struct scn_layer {
    int     enabled;           /* bool; default true */
    scn_generator generator;   /* social: default sbm; partner: default config; others:
                                  structural (may be set to csv to import) */
    double  mean_degree;       /* er, ws, sbm, config target: 0 .. 1000; default 8 (social),
                                  4 (partner) */
    double  rewire;            /* ws rewiring probability, 0 .. 1; default 0.1 */
    double  exponent;          /* config power-law exponent, 2.01 .. 5; default 2.5 */
    int64_t min_degree;        /* config, 1 .. max_degree; default 1 */
    int64_t max_degree;        /* config, min_degree .. 1e6; default 1000 */
    double  homophily_region;  /* sbm: share of ties within the own region, 0 .. 1;
                                  default 0.8 */
    double  homophily_group;   /* sbm: share of ties within the own group, 0 .. 1;
                                  default 0.7 */
    char    file[SCN_PATH_MAX];/* csv: path, relative to the scenario file that set it */
} scn_layer;

typedef struct scn_agency {
    char    name[SCN_NAME_MAX];
    scn_targets targets;       /* persons | firms | both; default both */
    double  violation_scale;   /* P(violation in this domain) = min(1, scale * propensity),
                                  0 .. 100; default 1 */
    double  coverage;          /* share of violations the agency can see, 0 .. 1;
                                  default 0.8 */
    double  coverage_by_region[SCN_MAX_REGIONS]; /* list of multipliers, 0 .. 100, default 1 */
    double  coverage_by_group[SCN_MAX_GROUPS];   /* list of multipliers, 0 .. 100, default 1 */
    double  detection;         /* P(record | covered violation), 0 .. 1; default 0.5 */
    double  false_record;      /* P(false record | no violation) per step, before coverage
                                  multipliers, 0 .. 1; default 0.0005 */
    double  misattribution;    /* P(a record lands on a wrong agent of the same kind),
                                  0 .. 1; default 0.01 */
    double  deduction;         /* points regime: score lost per record, 0 .. 1e6;
                                  default 50 */
    int     list_after;        /* lists regime: records within `window` that blacklist,
                                  1 .. 8; default 1 */
    int     window;            /* lists regime: look-back of that count in steps, 1 .. 10000;
                                  default 24 */
    double  false_match_by_group[SCN_MAX_GROUPS]; /* weight of a group's persons as the wrong
                                  person a misattributed record lands on, 0.01 .. 1000,
                                  default 1 (uniform) */
    int     enabled;           /* default true; false: dropped at load, as if not declared */
    /* issue 13 item 3, regional pilots (docs/ODD.md 7.21) */
    char    regions[SCN_NAMES_MAX]; /* the regions where it observes and records: indices
                                  0 .. population.regions-1, comma-separated; default ""
                                  (every region) */
    uint64_t region_mask;      /* resolved: bit r for each region r in scope (all when "") */
    /* issue 13 item 1: the agency's own lists (lists regime only; docs/ODD.md 7.19). Each
       term and redress key is -1 ("inherit": the [lists] or [redress] value) or its range. */
    int     own_lists;         /* keeps its own black and watch lists; default false */
    int     black_term;        /* -1 or 1 .. 10000; default -1 */
    int     watch_term;        /* -1 or 1 .. 10000; default -1 */
    int     extend;            /* steps added per own record while on its blacklist, -1 or
                                  0 .. 10000; default -1 */
    double  repair;            /* -1 or 0 .. 1; default -1 */
    int     repair_after;      /* -1 or 0 .. 10000; default -1 */
    double  appeal;            /* P(its blacklisting is appealed), -1 or 0 .. 1; default -1 */
    int     public;            /* its blacklist is displayed (persons on it named); default
                                  false */
    /* issue 13 item 2, severity tiers (docs/ODD.md 7.20) */
    char    severity[SCN_NAME_MAX];  /* the tier of the agency's violations: a [severity.*]
                                  (ordinary and serious always exist); default "ordinary" */
    int     tier;              /* resolved: index of that tier in scenario.severity */
} scn_agency;

typedef struct scn_scoring {
    scn_regime regime;         /* points | lists; default points */
    double  base;              /* starting score, -1e9 .. 1e9; default 1000 */
    double  max;               /* cap, >= base; default 1000 */
    double  min;               /* floor, <= base; default 0 */
    double  recovery;          /* score regained per step, 0 .. 1e6; default 2 */
    int     ngrades;           /* number of grades parsed from `grades` */
    char    grade_name[SCN_MAX_GRADES][8];  /* `grades = AAA:1050 A:1000 B:900 C:600 D:0`, */
    double  grade_min[SCN_MAX_GRADES];      /* strictly descending cut-offs; default as shown */
} scn_scoring;

typedef struct scn_lists {
    double  black_below;       /* points: blacklisted when score < this; default 900 */
    double  watch_below;       /* points: watch list when score < this and not black;
                                  default 950 (set <= black_below to disable) */
    double  red_at_least;      /* points: red list when score >= this; default 1050 (above
                                  scoring.max: never) */
    int     black_term;        /* minimum steps on the blacklist, 1 .. 10000; default 24 */
    int     watch_term;        /* minimum steps on the watch list; default 6 */
    int     red_term;          /* minimum steps on the red list; default 12 */
    int     red_clean;         /* lists regime: steps without any record to be red-listed,
                                  1 .. 10000; default 36 */
    int     lookback;          /* wrongful listing: no own true violation within this many
                                  steps before (0 = since the start of the run); default 0 */
    /* issue 13 item 3, regional pilots (docs/ODD.md 7.21) */
    char    regions[SCN_NAMES_MAX]; /* the regions whose agents the own criteria above (score
                                  thresholds, record counts, red_clean) list: indices
                                  0 .. population.regions-1, comma-separated; default ""
                                  (every region) */
    uint64_t region_mask;      /* resolved: bit r for each region r in scope (all when "") */
} scn_lists;

typedef struct scn_rule {
    char    name[SCN_NAME_MAX];
    scn_layer_id layer;        /* required: family, parent, social, employment, partner,
                                  legalrep */
    scn_rule_kind kind;        /* required: additive | threshold | probabilistic | inherit */
    scn_list list;             /* the list the rule puts agents on; default black */
    scn_list from;             /* the neighbours' list that triggers the rule (counted by
                                  additive and threshold, inherited by inherit, spreading
                                  from new listings by probabilistic); default black */
    double  weight;            /* additive: points per listed neighbour, 0 .. 1e6; default 5 */
    double  phi;               /* threshold: fraction, (0, 1]; default 0.18 */
    double  beta;              /* probabilistic: P(list a neighbour), 0 .. 1; default 0.1 */
    int     enabled;           /* default true; false: dropped at load, as if not declared */
    /* issue 13 item 3, regional pilots (docs/ODD.md 7.21) */
    char    regions[SCN_NAMES_MAX]; /* the regions where the rule acts on agents: indices
                                  0 .. population.regions-1, comma-separated; default ""
                                  (every region) */
    uint64_t region_mask;      /* resolved: bit r for each region r in scope (all when "") */
} scn_rule;

typedef struct scn_sanction {
    char    name[SCN_NAME_MAX];
    char    by[SCN_NAME_MAX];  /* the body that applies it (a label: transport, banks, ...);
                                  default "" */
    char    lists[SCN_NAMES_MAX];  /* lists whose listings trigger it whatever agency listed
                                      (black, watch, red); default "" (only through
                                      [joint.*]) */
    char    reach[SCN_NAMES_MAX];  /* whom it reaches: self, household, children, firm,
                                      legalrep, employees, employer, partners; default self */
    scn_targets targets;       /* whom it can reach at all: persons | firms | both; default
                                  both */
    double  harm;              /* harm (reward: benefit) per reached agent per step, 0 .. 1e6;
                                  default 1 */
    int     reward;            /* bool: a reward (benefit), not a sanction; default false */
    int     duration;          /* steps it lasts from the start of the listing, 0 = as long
                                  as the listing, 0 .. 100000; default 0 */
    double  inspection;        /* detection multiplier on reached agents while it lasts
                                  (> 1 more inspections, < 1 fewer), 0 .. 100; default 1 */
    int     public;            /* bool: the reached agents' names are published; default
                                  false */
    double  revenue;           /* share of revenue a reached firm loses per step, 0 .. 1;
                                  default 0 */
    unsigned list_mask;        /* resolved from lists: bit L for list L */
    unsigned reach_mask;       /* resolved from reach: REACH_* bits */
    int     enabled;           /* default true; false: dropped at load, as if not declared */
    /* issue 13 item 3, regional pilots (docs/ODD.md 7.21) */
    char    regions[SCN_NAMES_MAX]; /* the regions where it reaches agents: indices
                                  0 .. population.regions-1, comma-separated; default ""
                                  (every region) */
    uint64_t region_mask;      /* resolved: bit r for each region r in scope (all when "") */
    /* issue 13 item 5, travel bans as acts (docs/ODD.md 7.18) */
    int     bans;              /* the travel it bans a reached person: none | flight | rail |
                                  both (SCN_BAN_* bits); default none */
} scn_sanction;

/* The travel modes a sanction may ban (bits of scn_sanction.bans). */
enum { SCN_BAN_FLIGHT = 1, SCN_BAN_RAIL = 2, SCN_NMODES = 2 };

typedef struct scn_joint {     /* [joint.AGENCY]: a row of the joint punishment matrix */
    char    name[SCN_NAME_MAX];    /* the listing agency (a declared [agency.*]) */
    char    black[SCN_NAMES_MAX];  /* sanctions triggered by its blacklisting; default "" */
    char    watch[SCN_NAMES_MAX];  /* by its watch listing; default "" (red listings have no
                                      listing agency: rewards use the sanction's `lists`) */
    int     agency;            /* resolved: index of the agency */
    uint32_t mask[SCN_NLISTS]; /* resolved: sanction bits per list */
    int     enabled;           /* default true; false: dropped at load, as if not declared */
} scn_joint;

typedef struct scn_redress {   /* [redress]: how agents leave the blacklist early or late */
    int     extend;            /* steps added to a blacklisting's term by each new record
                                  while listed, 0 .. 10000; default 0 */
    int     extend_max;        /* at most this many steps added in all (0: no cap); default 0 */
    double  comply;            /* P(per step) a blacklisted agent performs its obligation
                                  (pays the judgment debt) and is removed, 0 .. 1; default 0 */
    double  comply_unemployed; /* multiplier of comply for persons without a job (economic
                                  state; firms: their health), 0 .. 1; default 0.5 */
    double  repair;            /* P(per step) a credit-repair application succeeds once the
                                  minimum display period is over, 0 .. 1; default 0 */
    int     repair_after;      /* minimum display period, steps, 0 .. 10000; default 12 */
    double  appeal;            /* P(a blacklisting is appealed), 0 .. 1; default 0 */
    int     appeal_delay;      /* steps from filing to the earliest decision, 1 .. 10000;
                                  default 6 */
    double  appeal_capacity;   /* decisions per step per 100,000 agents (0: unlimited), so
                                  queues form, 0 .. 1e6; default 0 */
    double  fairness;          /* P(an appeal of a wrongful listing succeeds), 0 .. 1;
                                  default 0.5 */
    double  appeal_rightful;   /* P(an appeal of a rightful listing succeeds), 0 .. 1;
                                  default 0.02 */
} scn_redress;

typedef struct scn_inspection { /* [inspection]: targeted inspections, a feedback loop */
    char    agency[SCN_NAME_MAX];  /* the agency whose coverage is allocated by region from
                                      its past records ("": none); default "" */
    int     correct;           /* bool: weight each record by 1 / the region's allocation
                                  (Ensign et al. 2018), so the allocation tracks true rates;
                                  default false */
    double  prior;             /* pseudo-records per region at the start, 0 < x .. 1e9;
                                  default 1 */
    double  region_spill;      /* detection multiplier of all agents of a region grows by
                                  this times the region's share under increased inspection,
                                  0 .. 100; default 0 */
    int     target;            /* resolved: index of the agency, -1 for none */
} scn_inspection;

typedef struct scn_behaviour { /* [behaviour]: responses of agents and firms */
    double  deter_surveillance;/* propensity multiplier falls by this times the agent's
                                  perceived detection probability, 0 .. 10; default 0 */
    double  deter_sanction;    /* ... and by this once the agent has been sanctioned, 0 .. 1;
                                  default 0 */
    double  deter_floor;       /* the multiplier never falls below this, 0 .. 1; default 0.2 */
    double  ostracism;         /* P(per step) each tie to a blacklisted agent on the layers
                                  below is cut, 0 .. 1; default 0 */
    char    ostracism_layers[SCN_NAMES_MAX];  /* undirected layers: family, social,
                                  employment, partner; default "social, partner" */
    double  partner_loss;      /* revenue share a firm loses per partner tie cut, 0 .. 1;
                                  default 0.05 */
    double  firm_recovery;     /* share of the gap to full revenue regained per step, 0 .. 1;
                                  default 0.05 */
    double  fail_below;        /* a firm fails when its revenue falls below this share,
                                  0 .. 1; default 0.3 */
    double  job_loss;          /* harm to each employee of a failed firm (once), 0 .. 1e6;
                                  default 12 */
    unsigned layer_mask;       /* resolved from ostracism_layers: bit per layer */
    /* issue 12 item 5, chilling (docs/ODD.md 7.16): a lawful-but-disfavoured activity that
       perceived surveillance suppresses */
    double  lawful_rate;       /* P(per person-month) of the activity without surveillance,
                                  0 .. 1; default 0 (no activity: nothing drawn or emitted) */
    double  chill_elasticity;  /* epsilon: P = lawful_rate (1 - perceived)^epsilon, 0 .. 10;
                                  default 1 (0: no chilling) */
    double  chill_contacts;    /* perceived coverage grows by this factor per blacklisted
                                  family or social contact, 0 .. 10; default 0.5 */
    double  chill_harm;        /* harm per lawful act suppressed (a cost), 0 .. 1e6;
                                  default 1 */
    /* issue 13 item 5, travel bans as acts (docs/ODD.md 7.18) */
    double  flight_rate;       /* flights a person attempts per month (Poisson mean), 0 .. 100;
                                  default 0.056 */
    double  rail_rate;         /* train trips a person attempts per month, 0 .. 100; default
                                  0.013 */
    /* issue 13 item 7, good deeds (docs/ODD.md 7.23; points regime only) */
    double  deed_rate;         /* recorded good deeds per person-month (Poisson mean), 0 .. 100;
                                  default 0 (not modelled: nothing drawn or emitted) */
    double  deed_rate_by_group[SCN_MAX_GROUPS];  /* multiplier of deed_rate per group, 0 .. 100;
                                  default 1 (missing entries: 1) */
    double  deed_points;       /* points a recorded deed adds to the score, 0 .. 1e6;
                                  default 10 */
    int     deed_above_max;    /* deeds may lift a score above scoring.max (recovery never
                                  does); default true */
} scn_behaviour;

typedef struct scn_collect {  /* [collect.NAME]: a collection source of an agency */
    char    name[SCN_NAME_MAX];
    char    agency[SCN_NAME_MAX];  /* required: the declared agency that holds the records */
    scn_kind kind;             /* required: sightings | transactions | registrations | online */
    double  rate;              /* records per covered agent per step (month), 0 .. 100;
                                  default 1 */
    double  coverage;          /* share of the rate observed, before multipliers, 0 .. 1;
                                  default 1 */
    double  coverage_by_region[SCN_MAX_REGIONS]; /* multipliers, 0 .. 100, default 1 */
    double  coverage_by_group[SCN_MAX_GROUPS];   /* multipliers (persons), 0 .. 100, default 1 */
    scn_targets targets;       /* persons | firms | both; default persons */
    double  misidentify;       /* P(a record is attached to a wrong agent of the same kind
                                  and region), 0 .. 1; default 0 */
    int     agency_index;      /* resolved: index of the agency */
    int     enabled;           /* default true; false: dropped at load, as if not declared */
    /* issue 13 item 3, regional pilots (docs/ODD.md 7.21) */
    char    regions[SCN_NAMES_MAX]; /* the regions where the source observes: indices
                                  0 .. population.regions-1, comma-separated; default ""
                                  (every region) */
    uint64_t region_mask;      /* resolved: bit r for each region r in scope (all when "") */
} scn_collect;

typedef struct scn_retention { /* [retention.AGENCY]: how long the agency keeps each kind */
    char    name[SCN_NAME_MAX];    /* the agency (a declared [agency.*]) */
    /* retention per kind in steps, 0 .. 1200 (0: deleted in the step it is made); default
       36 each */
    int     violations, sightings, transactions, registrations, online;
    char    public[SCN_NAMES_MAX]; /* kinds displayed publicly (the rest are provided to
                                      authorised bodies only); default "" */
    int     agency;            /* resolved: index of the agency */
    unsigned public_mask;      /* resolved: bit k for kind k */
    int     enabled;           /* default true; false: dropped at load, as if not declared */
} scn_retention;

/* [severity.NAME]: a severity tier of violations (docs/ODD.md 7.20). An agency's violations
 * are of the tier its `severity` names. Two tiers exist without being declared, ordinary
 * (index SCN_TIER_ORDINARY) and serious (SCN_TIER_SERIOUS); declaring them changes their
 * keys. Every key but weight inherits today's behaviour by default, so a scenario whose
 * agencies are all ordinary runs exactly as before tiers existed. */
enum { SCN_MAX_TIERS = 8, SCN_TIER_ORDINARY = 0, SCN_TIER_SERIOUS = 1 };
#define SCN_SERIOUS_WEIGHT "20"   /* serious's default weight (text, parsed like input) */

typedef struct scn_severity {
    char    name[SCN_NAME_MAX];
    double  weight;            /* benefit weight of one violation of this tier, 0 .. 1e6;
                                  default 1 (serious: 20, an assumption: docs/ODD.md 7.20) */
    double  deduction;         /* points regime: points lost per record, -1 .. 1e6; default
                                  -1: the agency's own deduction */
    int     lists;             /* bool: records of this tier count toward listing (points
                                  deducted, list_after counts, red_clean reset, extension);
                                  default true */
    int     black_term;        /* steps on the blacklist when a record of this tier caused
                                  the blacklisting, 0 .. 10000; default 0: [lists] black_term */
    int     repair_after;      /* credit-repair minimum display period of such a
                                  blacklisting, -1 .. 10000; default -1: [redress]
                                  repair_after */
    char    sanctions[SCN_NAMES_MAX];  /* catalogue sanctions such a blacklisting triggers
                                  (like a joint row of its agency); default "" */
    uint32_t sanction_mask;    /* resolved from sanctions: bit k for sanction k */
} scn_severity;

typedef enum scn_consent { CONSENT_NONE = 0, CONSENT_OPT_IN } scn_consent;

typedef struct scn_share {     /* [share.FROM]: which bodies receive agency FROM's records */
    char    name[SCN_NAME_MAX];    /* FROM: the sending agency (a declared [agency.*]) */
    char    to[SCN_NAMES_MAX];     /* required: the receiving bodies, declared agencies (a
                                      national platform is declared as an agency); default "" */
    char    kinds[SCN_NAMES_MAX];  /* kinds of FROM's records shared; default all five */
    int     from_step;         /* records made from this step on are shared, 1 .. 100000;
                                  default 1 (beyond run.steps: never) */
    scn_consent consent;       /* none: every person's records; opt_in: only the records of
                                  persons who opted in; default none */
    double  opt_in[SCN_MAX_GROUPS];  /* opt_in: share of each group's persons who opt in,
                                  0 .. 1, default 0.5 (missing entries: 0.5) */
    int     agency;            /* resolved: index of FROM */
    uint32_t to_mask;          /* resolved: bit a for each receiving agency a */
    unsigned kind_mask;        /* resolved: bit k for each shared kind k */
    int     enabled;           /* default true; false: dropped at load, as if not declared */
} scn_share;

/* [commercial]: a Sesame-style commercial score next to the state's (issue 13 item 4,
 * docs/ODD.md 7.22). Off unless some group's opt_in is above 0: then nothing is drawn,
 * allocated or emitted. */
typedef struct scn_commercial {
    double  opt_in[SCN_MAX_GROUPS];  /* share of each group's persons who opt in, 0 .. 1;
                                  default 0 (missing entries: 0) */
    char    agencies[SCN_NAMES_MAX]; /* the declared agencies whose violation records about
                                  an opted-in person lower the commercial score; "" (the
                                  default): every agency */
    double  record_points;     /* points a record costs, 0 .. 1e6; default 50 */
    double  base, min, max;    /* start, floor and cap; min <= base <= max; defaults 600, 350,
                                  950 (Sesame's reported 350 .. 950 scale, unverified) */
    double  recovery;          /* points regained per step, 0 .. 1e6; default 2 */
    double  reward_at_least;   /* rewards at or above this score; default 700 */
    char    rewards[SCN_NAMES_MAX];  /* reward sanctions (reward = true) granted to opted-in
                                  persons at or above reward_at_least; default "" */
    double  feeds_state;       /* the state score changes by this times the change of the
                                  commercial score each step (points regime), 0 .. 100;
                                  default 0 (no flow) */
    uint32_t agency_mask;      /* resolved from agencies: bit a (0 when "": every agency) */
    uint32_t reward_mask;      /* resolved from rewards: bit k of the catalogue */
} scn_commercial;

typedef struct scn_run {
    int     steps;             /* 1 .. 100000; default 120 (one step = one month) */
    uint64_t seed;             /* 0 .. 2^63-1; default 1 */
    int     threads;           /* OpenMP threads, 0 = all cores, 0 .. 1024; default 0 */
    double  seed_listed;       /* share of agents blacklisted at step 0 (cause seed), 0 .. 1;
                                  default 0 */
    int64_t event_cap;         /* listing events kept in the events table, -1 .. 1e9; default
                                  -1: all for runs below 100,000 persons, else 1,000,000 */
    double  max_memory_gib;    /* refuse runs estimated above this; 0 = physical memory;
                                  default 0 */
} scn_run;

typedef struct scenario {
    char           name[SCN_NAME_MAX * 2];  /* file name without directory and .ini */
    scn_population population;
    scn_layer      layers[SCN_NLAYERS];
    int            nagencies;
    scn_agency     agencies[SCN_MAX_AGENCIES];
    scn_scoring    scoring;
    scn_lists      lists;
    int            nrules;
    scn_rule       rules[SCN_MAX_RULES];
    int            nsanctions;
    scn_sanction   sanctions[SCN_MAX_SANCTIONS];
    int            njoint;
    scn_joint      joint[SCN_MAX_AGENCIES];
    scn_redress    redress;
    scn_inspection inspection;
    scn_behaviour  behaviour;
    scn_run        run;
    int            nsources;
    scn_collect    sources[SCN_MAX_SOURCES];
    int            nretention;
    scn_retention  retention[SCN_MAX_AGENCIES];
    int            nshares;
    scn_share      shares[SCN_MAX_AGENCIES];   /* [share.FROM], one per sending agency */
    scn_commercial commercial; /* [commercial] (issue 13 item 4) */
    int            ntiers;     /* >= 2: ordinary and serious always exist */
    scn_severity   tiers[SCN_MAX_TIERS];       /* [severity.NAME] */
    char          *text;       /* owned: the concatenated text of every file read, each
                                  preceded by "; --- file: PATH", for provenance */
    char          *overrides;  /* owned: the --set overrides, one per line ("" if none) */
    struct scn_timeline *timeline;  /* owned: the changes of [at.STEP] sections and --set
                                  at.STEP.* overrides; NULL when there are none */
} scenario;

/* The timeline (function creep): the scenario above is the one in force from step 1;
 * at[i] is the whole resolved scenario in force from step step[i] on (ascending, each in
 * 1 .. run.steps), with every change up to that step applied and every check passed. Only
 * the keys scn_changeable accepts differ between them, and no agency or spillover rule is
 * added. at[i].text, .overrides and .timeline are NULL. */
typedef struct scn_timeline {
    int       n;
    int      *step;            /* [n] */
    scenario *at;              /* [n] */
} scn_timeline;

/* Whether key `key` of section kind `section` ("agency", "sanction", ...) may change on the
 * timeline (docs/scenario.md, "Timeline"). */
int scn_changeable(const char *section, const char *key);

/* A deep copy of tl (NULL for NULL), or NULL when out of memory; free with
 * scn_timeline_free. */
scn_timeline *scn_timeline_dup(const scn_timeline *tl);
void scn_timeline_free(scn_timeline *tl);

/* Whether firms have a revenue share that moves in a run of sc: firms exist, and a sanction
 * costs revenue or ostracism cuts partner ties at a loss (docs/ODD.md 7.14). */
int scn_firm_health(const scenario *sc);

/* Fills sc with every default (four default agencies, no rules). sc->text and
 * sc->overrides are set to owned empty strings. Returns SIM_ENOMEM on failure. */
sim_status scn_defaults(scenario *sc, sim_err *err);

/* Parses path (and what it includes), then applies the overrides ("section.key=value",
 * noverrides of them), then checks cross-key constraints. On success sc is complete.
 * Errors (SIM_ESCENARIO, or SIM_EIO for an unreadable file) name file, line and key, say
 * what is allowed, and suggest the nearest valid key or section for a misspelt one; for an
 * override they name "--set" instead of a file. On error sc is freed (scn_free) and zeroed.
 * Cost: linear in the text. */
sim_status scn_load(scenario *sc, const char *path, const char *const *overrides,
                    int noverrides, sim_err *err);

/* As scn_load, with flags: SCN_SET_STRICT refuses an override that names a section not
 * declared in the files (--set changes declared sections only; "did you mean" names the
 * nearest declared one). Without it (scn_load, experiment points), an override may declare a
 * new section. Either way a new section named one slip (a letter more or less, two
 * neighbours swapped) away from a declared one of its kind is refused as a typo. */
enum { SCN_SET_STRICT = 1 };
sim_status scn_load_flags(scenario *sc, const char *path, const char *const *overrides,
                          int noverrides, unsigned flags, sim_err *err);

/* As scn_load, from a string (name is used in messages and as sc->name; includes are
 * resolved relative to the current directory). For tests. */
sim_status scn_load_string(scenario *sc, const char *name, const char *text,
                           const char *const *overrides, int noverrides, sim_err *err);

/* Writes the fully resolved scenario in the same INI format, every key with its value,
 * each preceded by a one-line comment giving type, range and meaning. Reading the output
 * back gives an identical scenario. Returns SIM_EIO on a write error. */
sim_status scn_write(const scenario *sc, FILE *out, sim_err *err);

/* The resolved scenario as a JSON object (for runs.params_json). Returns a malloc'd string
 * the caller frees, or NULL when out of memory. */
char *scn_to_json(const scenario *sc);

/* Frees what sc owns (text, overrides, timeline); sc itself is the caller's. NULL is a no-op. */
void scn_free(scenario *sc);

/* Names, for messages, metrics and the CLI. Never NULL. */
const char *scn_layer_name(scn_layer_id id);
const char *scn_list_name(scn_list l);
const char *scn_rule_kind_name(scn_rule_kind k);
const char *scn_generator_name(scn_generator g);
const char *scn_kind_name(scn_kind k);

/* Retention in steps of kind k at agency a (the [retention.AGENCY] value, or the default 36
 * when the agency has no such section), and whether agency a displays kind k publicly. */
int scn_retention_of(const scenario *sc, int a, scn_kind k);
int scn_displayed(const scenario *sc, int a, scn_kind k);

/* Levenshtein distance, for "did you mean" suggestions. */
int scn_edit_distance(const char *a, const char *b);

#endif
