/* sim/scenario.h - the scenario: every parameter of a run, parsed from INI files, with all
 * defaults filled in and all ranges checked. Prefix scn_.
 *
 * File format (inih): one section per part of the model. Repeated parts are named sections:
 *   [population] [scoring] [lists] [run]          one each
 *   [layer.NAME]   NAME in family, parent, social, employment, partner, legalrep
 *   [agency.NAME]  any NAME ([a-z0-9_], up to 31 chars); up to SCN_MAX_AGENCIES
 *   [spillover.NAME] any NAME; up to SCN_MAX_RULES
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
 * by `scsim show`. docs/scenario.md is the reference. */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"

enum {
    SCN_MAX_AGENCIES = 16,
    SCN_MAX_RULES = 16,
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
} scn_rule;

typedef struct scn_run {
    int     steps;             /* 1 .. 100000; default 120 (one step = one month) */
    uint64_t seed;             /* 0 .. 2^63-1; default 1 */
    int     threads;           /* OpenMP threads, 0 = all cores, 0 .. 1024; default 0 */
    double  seed_listed;       /* share of agents blacklisted at step 0 (cause seed), 0 .. 1;
                                  default 0 */
    int64_t event_cap;         /* listing events kept in the events table, 0 .. 1e9;
                                  default 100000 */
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
    scn_run        run;
    char          *text;       /* owned: the concatenated text of every file read, each
                                  preceded by "; --- file: PATH", for provenance */
    char          *overrides;  /* owned: the --set overrides, one per line ("" if none) */
} scenario;

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

/* Frees what sc owns (text, overrides); sc itself is the caller's. NULL is a no-op. */
void scn_free(scenario *sc);

/* Names, for messages, metrics and the CLI. Never NULL. */
const char *scn_layer_name(scn_layer_id id);
const char *scn_list_name(scn_list l);
const char *scn_rule_kind_name(scn_rule_kind k);
const char *scn_generator_name(scn_generator g);

/* Levenshtein distance, for "did you mean" suggestions. */
int scn_edit_distance(const char *a, const char *b);

#endif
