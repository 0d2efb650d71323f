/* sim/scenario/scenario_keys.c - what a scenario is made of: the key table that drives defaults,
 * parsing, checks, `show`, JSON and suggestions; the value words; the names of layers,
 * lists, rules and generators; the default agencies; and reading one value of a key from
 * text. Loading files is in scenario.c, output in scenario_out.c; the shared declarations
 * are in scenario_keys.h (internal). Contracts in scenario.h; user reference in
 * docs/scenario.md. */
#include "scenario_keys.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the key table -------------------------------------------------------------------- */

const char *const scn_sec_names[SEC_NKINDS] = {
    "population", "layer", "agency", "scoring", "lists", "spillover", "sanction", "joint",
    "redress", "inspection", "behaviour", "run", "collect", "retention", "share",
    "commercial", "severity"};

static const word gen_words[] = {{"structural", GEN_STRUCTURAL}, {"er", GEN_ER}, {"ws", GEN_WS},
    {"config", GEN_CONFIG}, {"sbm", GEN_SBM}, {"csv", GEN_CSV}, {NULL, 0}};
static const word regime_words[] = {{"points", REGIME_POINTS}, {"lists", REGIME_LISTS}, {NULL, 0}};
static const word target_words[] = {{"persons", TARGET_PERSONS}, {"firms", TARGET_FIRMS},
    {"both", TARGET_BOTH}, {NULL, 0}};
static const word kind_words[] = {{"additive", RULE_ADDITIVE}, {"threshold", RULE_THRESHOLD},
    {"probabilistic", RULE_PROBABILISTIC}, {"inherit", RULE_INHERIT}, {NULL, 0}};
static const word list_words[] = {{"black", LIST_BLACK}, {"watch", LIST_WATCH},
    {"red", LIST_RED}, {NULL, 0}};
static const word layer_words[] = {{"family", LAYER_FAMILY}, {"parent", LAYER_PARENT},
    {"social", LAYER_SOCIAL}, {"employment", LAYER_EMPLOYMENT}, {"partner", LAYER_PARTNER},
    {"legalrep", LAYER_LEGALREP}, {NULL, 0}};
static const word source_kind_words[] = {{"sightings", KIND_SIGHTINGS},
    {"transactions", KIND_TRANSACTIONS}, {"registrations", KIND_REGISTRATIONS},
    {"online", KIND_ONLINE}, {NULL, 0}};
static const word kind_name_words[] = {{"violations", KIND_VIOLATIONS},
    {"sightings", KIND_SIGHTINGS}, {"transactions", KIND_TRANSACTIONS},
    {"registrations", KIND_REGISTRATIONS}, {"online", KIND_ONLINE}, {NULL, 0}};
static const word consent_words[] = {{"none", CONSENT_NONE}, {"opt_in", CONSENT_OPT_IN},
    {NULL, 0}};
static const word ban_words[] = {{"none", 0}, {"flight", SCN_BAN_FLIGHT},
    {"rail", SCN_BAN_RAIL}, {"both", SCN_BAN_FLIGHT | SCN_BAN_RAIL}, {NULL, 0}};
static const word bool_words[] = {{"true", 1}, {"false", 0}, {"yes", 1}, {"no", 0},
    {"on", 1}, {"off", 0}, {"1", 1}, {"0", 0}, {NULL, 0}};

_Static_assert(sizeof(scn_generator) == sizeof(int) && sizeof(scn_regime) == sizeof(int) &&
               sizeof(scn_targets) == sizeof(int) && sizeof(scn_rule_kind) == sizeof(int) &&
               sizeof(scn_list) == sizeof(int) && sizeof(scn_layer_id) == sizeof(int) &&
               sizeof(scn_kind) == sizeof(int) && sizeof(scn_consent) == sizeof(int),
               "enum fields are stored through int");

#define KEY(S, T, F, TY, LO, HI, FL, W, DEF, DOC) \
    {S, #F, TY, offsetof(T, F), sizeof(((T *)0)->F), LO, HI, FL, W, DEF, DOC}
#define POP(F, TY, LO, HI, FL, DEF, DOC) \
    KEY(SEC_POPULATION, scn_population, F, TY, LO, HI, FL, NULL, DEF, DOC)
#define LAY(F, TY, LO, HI, W, DEF, DOC) KEY(SEC_LAYER, scn_layer, F, TY, LO, HI, 0, W, DEF, DOC)
#define AGE(F, TY, LO, HI, FL, W, DEF, DOC) \
    KEY(SEC_AGENCY, scn_agency, F, TY, LO, HI, FL, W, DEF, DOC)
#define SCO(F, TY, LO, HI, W, DEF, DOC) \
    KEY(SEC_SCORING, scn_scoring, F, TY, LO, HI, 0, W, DEF, DOC)
#define LIS(F, TY, LO, HI, DEF, DOC) KEY(SEC_LISTS, scn_lists, F, TY, LO, HI, 0, NULL, DEF, DOC)
#define RUL(F, TY, LO, HI, FL, W, DEF, DOC) \
    KEY(SEC_SPILLOVER, scn_rule, F, TY, LO, HI, FL, W, DEF, DOC)
#define SAN(F, TY, LO, HI, FL, W, DEF, DOC) \
    KEY(SEC_SANCTION, scn_sanction, F, TY, LO, HI, FL, W, DEF, DOC)
#define JOI(F, DOC) KEY(SEC_JOINT, scn_joint, F, K_NAMES, 0, 0, 0, NULL, "", DOC)
#define RED(F, TY, LO, HI, DEF, DOC) \
    KEY(SEC_REDRESS, scn_redress, F, TY, LO, HI, 0, NULL, DEF, DOC)
#define INS(F, TY, LO, HI, FL, W, DEF, DOC) \
    KEY(SEC_INSPECTION, scn_inspection, F, TY, LO, HI, FL, W, DEF, DOC)
#define BEH(F, TY, LO, HI, DEF, DOC) \
    KEY(SEC_BEHAVIOUR, scn_behaviour, F, TY, LO, HI, 0, NULL, DEF, DOC)
#define RUN(F, TY, LO, HI, DEF, DOC) KEY(SEC_RUN, scn_run, F, TY, LO, HI, 0, NULL, DEF, DOC)
#define COL(F, TY, LO, HI, FL, W, DEF, DOC) \
    KEY(SEC_COLLECT, scn_collect, F, TY, LO, HI, FL, W, DEF, DOC)
#define SHA(F, TY, LO, HI, FL, W, DEF, DOC) \
    KEY(SEC_SHARE, scn_share, F, TY, LO, HI, FL, W, DEF, DOC)
#define COM(F, TY, LO, HI, FL, DEF, DOC) \
    KEY(SEC_COMMERCIAL, scn_commercial, F, TY, LO, HI, FL, NULL, DEF, DOC)
#define SEV(F, TY, LO, HI, W, DEF, DOC) \
    KEY(SEC_SEVERITY, scn_severity, F, TY, LO, HI, 0, W, DEF, DOC)
#define RET(F, DOC) \
    KEY(SEC_RETENTION, scn_retention, F, K_INT, 0, 1200, 0, NULL, "36", DOC)

const key_desc scn_keys[] = {
    POP(persons, K_I64, 1, 2e9, 0, "10000", "number of persons"),
    POP(firms_per_person, K_DBL, 0, 1, 0, "0.05", "firms = round(persons * this)"),
    POP(regions, K_INT, 1, SCN_MAX_REGIONS, 0, "4", "number of regions"),
    POP(groups, K_INT, 1, SCN_MAX_GROUPS, 0, "2", "number of population groups"),
    POP(group_shares, K_LIST, 0, 1e6, 0, "0.8, 0.2",
        "share of each group, normalised to sum 1 (missing entries: 1/groups)"),
    POP(sectors, K_INT, 1, 64, 0, "8", "number of firm sectors"),
    POP(household_mean, K_DBL, 1, 20, 0, "3", "mean household size"),
    POP(child_share, K_DBL, 0, 0.9, 0, "0.2", "share of persons who are children"),
    POP(employment_rate, K_DBL, 0, 1, 0, "0.6", "share of adults employed by a firm"),
    POP(propensity_mean, K_DBL, 0, 1, F_LO_OPEN | F_HI_OPEN, "0.01",
        "persons: mean of the Beta propensity to violate per step"),
    POP(propensity_sd, K_DBL, 0, 1, F_HI_OPEN, "0.01",
        "persons: its s.d. (0: all equal); must be < sqrt(m(1-m))"),
    POP(firm_propensity_mean, K_DBL, 0, 1, F_LO_OPEN | F_HI_OPEN, "0.02",
        "firms: mean of the Beta propensity to violate per step"),
    POP(firm_propensity_sd, K_DBL, 0, 1, F_HI_OPEN, "0.02",
        "firms: its s.d. (0: all equal); must be < sqrt(m(1-m))"),
    KEY(SEC_LAYER, scn_layer, enabled, K_BOOL, 0, 1, 0, bool_words, "true",
        "build this layer (false removes it)"),
    LAY(generator, K_ENUM, 0, 0, gen_words, "structural",
        "how ties are made (default: social sbm, partner config, others structural)"),
    LAY(mean_degree, K_DBL, 0, 1000, NULL, "8",
        "er, ws, sbm: target mean degree (default 8; partner 4)"),
    LAY(rewire, K_DBL, 0, 1, NULL, "0.1", "ws: rewiring probability"),
    LAY(exponent, K_DBL, 2.01, 5, NULL, "2.5", "config: power-law exponent of degrees"),
    LAY(min_degree, K_I64, 1, 1e6, NULL, "1", "config: smallest degree, <= max_degree"),
    LAY(max_degree, K_I64, 1, 1e6, NULL, "1000", "config: largest degree"),
    LAY(homophily_region, K_DBL, 0, 1, NULL, "0.8", "sbm: share of ties within the own region"),
    LAY(homophily_group, K_DBL, 0, 1, NULL, "0.7", "sbm: share of ties within the own group"),
    LAY(file, K_PATH, 0, 0, NULL, "",
        "csv: edge list, relative to the file that sets it (stored absolute)"),
    AGE(targets, K_ENUM, 0, 0, 0, target_words, "both", "who the agency watches"),
    AGE(violation_scale, K_DBL, 0, 100, 0, NULL, "1",
        "P(violation in this domain) = min(1, scale * propensity)"),
    AGE(coverage, K_DBL, 0, 1, 0, NULL, "0.8", "share of violations the agency can see"),
    AGE(coverage_by_region, K_LIST, 0, 100, F_FILL1, NULL, "1",
        "coverage multiplier per region (missing entries: 1)"),
    AGE(coverage_by_group, K_LIST, 0, 100, F_FILL1, NULL, "1",
        "coverage multiplier per group (missing entries: 1)"),
    AGE(detection, K_DBL, 0, 1, 0, NULL, "0.5", "P(record | covered violation)"),
    AGE(false_record, K_DBL, 0, 1, 0, NULL, "0.0005",
        "P(false record | no violation) per step, before coverage multipliers"),
    AGE(misattribution, K_DBL, 0, 1, 0, NULL, "0.01",
        "P(a record lands on a wrong agent of the same kind)"),
    AGE(deduction, K_DBL, 0, 1e6, 0, NULL, "50", "points regime: score lost per record"),
    AGE(list_after, K_INT, 1, 8, 0, NULL, "1",
        "lists regime: records within `window` that blacklist"),
    AGE(window, K_INT, 1, 10000, 0, NULL, "24", "lists regime: look-back of that count, steps"),
    /* issue 13 item 1: per-agency lists (docs/ODD.md 7.19); -1 = inherit */
    AGE(own_lists, K_BOOL, 0, 1, 0, bool_words, "false",
        "lists regime: the agency keeps its own black and watch lists"),
    AGE(black_term, K_INT, -1, 10000, 0, NULL, "-1",
        "own lists: minimum steps on its blacklist (-1: its severity tier's term)"),
    AGE(watch_term, K_INT, -1, 10000, 0, NULL, "-1",
        "own lists: minimum steps on its watch list (-1: [lists] watch_term)"),
    AGE(extend, K_INT, -1, 10000, 0, NULL, "-1",
        "own lists: steps added per own record while blacklisted (-1: [redress] extend)"),
    AGE(repair, K_DBL, -1, 1, 0, NULL, "-1",
        "own lists: P(per step) credit repair succeeds (-1: [redress] repair)"),
    AGE(repair_after, K_INT, -1, 10000, 0, NULL, "-1",
        "own lists: minimum display period before repair (-1: its severity tier's)"),
    AGE(appeal, K_DBL, -1, 1, 0, NULL, "-1",
        "own lists: P(its blacklisting is appealed) (-1: [redress] appeal)"),
    AGE(public, K_BOOL, 0, 1, 0, bool_words, "false",
        "own lists: its blacklist is displayed publicly (persons on it are named)"),
    SCO(regime, K_ENUM, 0, 0, regime_words, "points", "how records turn into listings"),
    SCO(base, K_DBL, -1e9, 1e9, NULL, "1000", "starting score; min <= base <= max"),
    SCO(max, K_DBL, -1e9, 1e9, NULL, "1000", "score cap"),
    SCO(min, K_DBL, -1e9, 1e9, NULL, "0", "score floor"),
    SCO(recovery, K_DBL, 0, 1e6, NULL, "2", "score regained per step"),
    {SEC_SCORING, "grades", K_GRADES, offsetof(scn_scoring, ngrades), 0, -1e9, 1e9, 0, NULL,
     "AAA:1050 A:1000 B:900 C:600 D:0", "grade NAME:MIN cut-offs, strictly descending"},
    LIS(black_below, K_DBL, -1e9, 1e9, "900", "points: blacklisted when score < this"),
    LIS(watch_below, K_DBL, -1e9, 1e9, "950",
        "points: watch list when score < this (<= black_below: off)"),
    LIS(red_at_least, K_DBL, -1e9, 1e9, "1050",
        "points: red list when score >= this (above scoring.max: never)"),
    LIS(black_term, K_INT, 1, 10000, "24", "minimum steps on the blacklist"),
    LIS(watch_term, K_INT, 1, 10000, "6", "minimum steps on the watch list"),
    LIS(red_term, K_INT, 1, 10000, "12", "minimum steps on the red list"),
    LIS(red_clean, K_INT, 1, 10000, "36", "lists regime: steps without a record to be red-listed"),
    LIS(lookback, K_INT, 0, 100000, "0",
        "wrongful listing: no own true violation in this many steps (0: whole run)"),
    RUL(layer, K_ENUM, 0, 0, F_REQUIRED, layer_words, "social", "required: the tie layer"),
    RUL(kind, K_ENUM, 0, 0, F_REQUIRED, kind_words, "additive", "required: the mechanism"),
    RUL(list, K_ENUM, 0, 0, 0, list_words, "black", "the list the rule puts agents on"),
    RUL(from, K_ENUM, 0, 0, 0, list_words, "black", "the neighbours' list that triggers it"),
    RUL(weight, K_DBL, 0, 1e6, 0, NULL, "5", "additive: points per listed neighbour per step"),
    RUL(phi, K_DBL, 0, 1, F_LO_OPEN, NULL, "0.18", "threshold: listed fraction of neighbours"),
    RUL(beta, K_DBL, 0, 1, 0, NULL, "0.1", "probabilistic: P(list a neighbour)"),
    SAN(by, K_NAMES, 0, 0, 0, NULL, "", "the body that applies it (a label)"),
    SAN(lists, K_NAMES, 0, 0, 0, NULL, "",
        "lists that trigger it whatever agency listed: black, watch, red (\"\": joint only)"),
    SAN(reach, K_NAMES, 0, 0, 0, NULL, "self", "whom it reaches: self, household, children, "
        "firm, legalrep, employees, employer, partners"),
    SAN(targets, K_ENUM, 0, 0, 0, target_words, "both",
        "whom it can reach at all: persons, firms or both"),
    SAN(harm, K_DBL, 0, 1e6, 0, NULL, "1", "harm (reward: benefit) per reached agent per step"),
    SAN(reward, K_BOOL, 0, 1, 0, bool_words, "false", "a reward (benefit), not a sanction"),
    SAN(duration, K_INT, 0, 100000, 0, NULL, "0",
        "steps it lasts from the start of the listing (0: as long as the listing)"),
    SAN(inspection, K_DBL, 0, 100, 0, NULL, "1",
        "detection multiplier on reached agents (> 1 more inspections, < 1 fewer)"),
    SAN(public, K_BOOL, 0, 1, 0, bool_words, "false", "the reached agents' names are published"),
    SAN(revenue, K_DBL, 0, 1, 0, NULL, "0", "share of revenue a reached firm loses per step"),
    JOI(black, "sanctions (by name) that a blacklisting by this agency triggers"),
    JOI(watch, "sanctions that a watch listing by this agency triggers"),
    RED(extend, K_INT, 0, 10000, "0", "steps added to a blacklisting's term per new record"),
    RED(extend_max, K_INT, 0, 100000, "0", "at most this many steps added (0: no cap)"),
    RED(comply, K_DBL, 0, 1, "0",
        "P(per step) a blacklisted agent performs its obligation and is removed"),
    RED(comply_unemployed, K_DBL, 0, 1, "0.5",
        "multiplier of comply for persons without a job (firms: their revenue share)"),
    RED(repair, K_DBL, 0, 1, "0",
        "P(per step) a credit-repair application succeeds after the display period"),
    RED(repair_after, K_INT, 0, 10000, "12", "minimum display period before repair, steps"),
    RED(appeal, K_DBL, 0, 1, "0", "P(a blacklisting is appealed)"),
    RED(appeal_delay, K_INT, 1, 10000, "6", "steps from filing to the earliest decision"),
    RED(appeal_capacity, K_DBL, 0, 1e6, "0",
        "appeal decisions per step per 100,000 agents (0: unlimited)"),
    RED(fairness, K_DBL, 0, 1, "0.5", "P(an appeal of a wrongful listing succeeds)"),
    RED(appeal_rightful, K_DBL, 0, 1, "0.02", "P(an appeal of a rightful listing succeeds)"),
    INS(agency, K_NAMES, 0, 0, 0, NULL, "",
        "agency whose coverage is allocated by region from past records (\"\": none)"),
    INS(correct, K_BOOL, 0, 1, 0, bool_words, "false",
        "weight each record by 1 / its region's allocation (the correction)"),
    INS(prior, K_DBL, 0, 1e9, F_LO_OPEN, NULL, "1", "pseudo-records per region at the start"),
    INS(region_spill, K_DBL, 0, 100, 0, NULL, "0",
        "region detection multiplier grows by this x share under increased inspection"),
    BEH(deter_surveillance, K_DBL, 0, 10, "0",
        "propensity multiplier falls by this x perceived detection probability"),
    BEH(deter_sanction, K_DBL, 0, 1, "0", "... and by this once the agent has been sanctioned"),
    BEH(deter_floor, K_DBL, 0, 1, "0.2", "the propensity multiplier never falls below this"),
    BEH(ostracism, K_DBL, 0, 1, "0",
        "P(per step) each tie to a blacklisted agent on ostracism_layers is cut"),
    KEY(SEC_BEHAVIOUR, scn_behaviour, ostracism_layers, K_NAMES, 0, 0, 0, NULL,
        "social, partner", "undirected layers where ties are cut: family, social, employment, "
        "partner"),
    BEH(partner_loss, K_DBL, 0, 1, "0.05", "revenue share a firm loses per partner tie cut"),
    BEH(firm_recovery, K_DBL, 0, 1, "0.05", "share of the gap to full revenue regained per step"),
    BEH(fail_below, K_DBL, 0, 1, "0.3", "a firm fails below this revenue share"),
    BEH(job_loss, K_DBL, 0, 1e6, "12", "harm to each employee of a failed firm (once)"),
    RUN(steps, K_INT, 1, 100000, "120", "steps to simulate (one step = one month)"),
    RUN(seed, K_U64, 0, 9223372036854775807.0, "1", "random seed"),
    RUN(threads, K_INT, 0, 1024, "0", "OpenMP threads (0: all cores)"),
    RUN(seed_listed, K_DBL, 0, 1, "0", "share of agents blacklisted at step 0"),
    RUN(event_cap, K_I64, -1, 1e9, "-1", "listing events kept in the events table (-1: all "
        "below 100,000 persons, else 1,000,000)"),
    RUN(max_memory_gib, K_DBL, 0, 1e6, "0", "refuse runs estimated above this (0: RAM)"),
    COL(agency, K_NAMES, 0, 0, F_REQUIRED, NULL, "", "required: the declared agency that holds "
        "the records"),
    COL(kind, K_ENUM, 0, 0, F_REQUIRED, source_kind_words, "sightings",
        "required: what the source observes"),
    COL(rate, K_DBL, 0, 100, 0, NULL, "1", "records per covered agent per step (month)"),
    COL(coverage, K_DBL, 0, 1, 0, NULL, "1", "share of the rate observed, before multipliers"),
    COL(coverage_by_region, K_LIST, 0, 100, F_FILL1, NULL, "1",
        "coverage multiplier per region (missing entries: 1)"),
    COL(coverage_by_group, K_LIST, 0, 100, F_FILL1, NULL, "1",
        "coverage multiplier per group of persons (missing entries: 1)"),
    COL(targets, K_ENUM, 0, 0, 0, target_words, "persons", "who the source observes"),
    COL(misidentify, K_DBL, 0, 1, 0, NULL, "0",
        "P(a record is attached to a wrong agent of the same kind and region)"),
    RET(violations, "steps violation records are kept (0: deleted at once)"),
    RET(sightings, "steps camera sightings are kept"),
    RET(transactions, "steps transaction records are kept"),
    RET(registrations, "steps registration records are kept"),
    RET(online, "steps online-activity records are kept"),
    KEY(SEC_RETENTION, scn_retention, public, K_NAMES, 0, 0, 0, NULL, "",
        "kinds displayed publicly (the rest: provided to authorised bodies only)"),
    /* issue 12 item 7b: wrong matches by group */
    AGE(false_match_by_group, K_LIST, 0.01, 1000, F_FILL1, NULL, "1",
        "weight per group of the wrong person a misattributed record lands on (missing: 1)"),
    /* issue 12 item 5: the chilling effect (docs/ODD.md 7.16) */
    BEH(lawful_rate, K_DBL, 0, 1, "0", "P(per person-month) of the lawful-but-disfavoured "
        "activity without surveillance (0: not modelled)"),
    BEH(chill_elasticity, K_DBL, 0, 10, "1",
        "elasticity of the activity in the unwatched share: P = rate (1 - perceived)^this"),
    BEH(chill_contacts, K_DBL, 0, 10, "0.5",
        "perceived coverage grows by this factor per blacklisted family or social contact"),
    BEH(chill_harm, K_DBL, 0, 1e6, "1", "harm per lawful act suppressed (a cost)"),
    /* `enabled` of every user-named section: false drops the section after loading, as if it
       were not declared (docs/scenario.md, "Switching a section off") */
    KEY(SEC_AGENCY, scn_agency, enabled, K_BOOL, 0, 1, 0, bool_words, "true",
        "false removes this agency, as if not declared (references to it are errors)"),
    KEY(SEC_SPILLOVER, scn_rule, enabled, K_BOOL, 0, 1, 0, bool_words, "true",
        "false removes this rule, as if not declared (no spillover through it)"),
    KEY(SEC_SANCTION, scn_sanction, enabled, K_BOOL, 0, 1, 0, bool_words, "true",
        "false removes this sanction, as if not declared (references to it are errors)"),
    KEY(SEC_JOINT, scn_joint, enabled, K_BOOL, 0, 1, 0, bool_words, "true",
        "false removes this row of the joint punishment matrix"),
    KEY(SEC_COLLECT, scn_collect, enabled, K_BOOL, 0, 1, 0, bool_words, "true",
        "false removes this collection source (no records collected by it)"),
    KEY(SEC_RETENTION, scn_retention, enabled, K_BOOL, 0, 1, 0, bool_words, "true",
        "false removes this section (the default retention applies)"),
    /* issue 12 item 3: sharing ([share.FROM]) */
    SHA(to, K_NAMES, 0, 0, F_REQUIRED, NULL, "", "required: the bodies (declared agencies, a "
        "national platform among them) that receive FROM's records"),
    SHA(kinds, K_NAMES, 0, 0, 0, NULL, "violations, sightings, transactions, registrations, online",
        "the kinds of FROM's records shared"),
    SHA(from_step, K_INT, 1, 100000, 0, NULL, "1", "records made from this step on are shared"),
    SHA(consent, K_ENUM, 0, 0, 0, consent_words, "none",
        "none: without consent; opt_in: only the records of persons who opted in"),
    SHA(opt_in, K_LIST, 0, 1, 0, NULL, "0.5",
        "opt_in: share of each group's persons who opt in (missing entries: 0.5)"),
    KEY(SEC_SHARE, scn_share, enabled, K_BOOL, 0, 1, 0, bool_words, "true",
        "false removes this section (FROM shares nothing)"),
    /* issue 13 item 5: travel bans as acts (docs/ODD.md 7.18) */
    SAN(bans, K_ENUM, 0, 0, 0, ban_words, "none",
        "travel refused to the persons it reaches: none, flight, rail or both"),
    BEH(flight_rate, K_DBL, 0, 100, "0.056", "flights a person attempts per month (Poisson "
        "mean; refused under a sanction banning flights)"),
    BEH(rail_rate, K_DBL, 0, 100, "0.013", "train trips a person attempts per month (refused "
        "under a sanction banning rail)"),
    /* issue 13 item 3: regional pilots (docs/ODD.md 7.21); region indices are 0-based, as
       in coverage_by_region and the region:R groups of the results */
    AGE(regions, K_NAMES, 0, 0, 0, NULL, "", "regions (0-based indices) the agency observes "
        "and records in (\"\": every region)"),
    RUL(regions, K_NAMES, 0, 0, 0, NULL, "", "regions (0-based indices) whose agents the rule "
        "acts on (\"\": every region)"),
    SAN(regions, K_NAMES, 0, 0, 0, NULL, "", "regions (0-based indices) whose agents it "
        "reaches: the applying body's jurisdiction (\"\": every region)"),
    COL(regions, K_NAMES, 0, 0, 0, NULL, "", "regions (0-based indices) the source observes "
        "(\"\": every region)"),
    KEY(SEC_LISTS, scn_lists, regions, K_NAMES, 0, 0, 0, NULL, "", "regions (0-based indices) "
        "whose agents the own criteria (scores, record counts, red_clean) list (\"\": every "
        "region)"),
    /* issue 13 item 7: good deeds (docs/ODD.md 7.23) */
    BEH(deed_rate, K_DBL, 0, 100, "0", "recorded good deeds per person per month (Poisson "
        "mean; points regime; 0: not modelled)"),
    KEY(SEC_BEHAVIOUR, scn_behaviour, deed_rate_by_group, K_LIST, 0, 100, F_FILL1, NULL, "1",
        "deed_rate multiplier per group (missing entries: 1)"),
    BEH(deed_points, K_DBL, 0, 1e6, "10", "points a recorded good deed adds to the score"),
    KEY(SEC_BEHAVIOUR, scn_behaviour, deed_above_max, K_BOOL, 0, 1, 0, bool_words, "true",
        "deeds may lift a score above scoring.max (recovery never does)"),
    /* issue 13 item 4: the commercial score (docs/ODD.md 7.22) */
    COM(opt_in, K_LIST, 0, 1, 0, "0", "share of each group's persons who opt in (missing "
        "entries: 0; all 0: no commercial score)"),
    COM(agencies, K_NAMES, 0, 0, 0, "", "agencies whose violation records about an opted-in "
        "person count (\"\": every agency)"),
    COM(record_points, K_DBL, 0, 1e6, 0, "50", "points a record costs the commercial score"),
    COM(base, K_DBL, -1e9, 1e9, 0, "600", "starting commercial score; min <= base <= max"),
    COM(min, K_DBL, -1e9, 1e9, 0, "350", "commercial score floor"),
    COM(max, K_DBL, -1e9, 1e9, 0, "950", "commercial score cap"),
    COM(recovery, K_DBL, 0, 1e6, 0, "2", "commercial points regained per step"),
    COM(reward_at_least, K_DBL, -1e9, 1e9, 0, "700", "opted-in persons at or above this get "
        "the rewards"),
    COM(rewards, K_NAMES, 0, 0, 0, "", "reward sanctions (reward = true, by name) it grants"),
    COM(feeds_state, K_DBL, 0, 100, 0, "0", "the state score changes by this x the change "
        "of the commercial score each step (a data flow; points regime)"),
    /* issue 13 item 2: severity tiers ([severity.NAME], docs/ODD.md 7.20) */
    AGE(severity, K_NAMES, 0, 0, 0, NULL, "ordinary",
        "the severity tier of the agency's violations (a [severity.*]; ordinary, serious exist)"),
    SEV(weight, K_DBL, 0, 1e6, NULL, "1",
        "benefit weight of one violation of this tier (serious: 20 by default)"),
    SEV(deduction, K_DBL, -1, 1e6, NULL, "-1",
        "points regime: points lost per record (-1: the agency's deduction)"),
    SEV(lists, K_BOOL, 0, 1, bool_words, "true",
        "records of this tier count toward listing (false: recorded, never list)"),
    SEV(black_term, K_INT, 0, 10000, NULL, "0",
        "blacklist term when a record of this tier caused it (0: [lists] black_term)"),
    SEV(repair_after, K_INT, -1, 10000, NULL, "-1",
        "credit-repair display period of such a blacklisting (-1: [redress] repair_after)"),
    SEV(sanctions, K_NAMES, 0, 0, NULL, "",
        "sanctions (by name) such a blacklisting triggers, as a joint row would"),
};
_Static_assert(sizeof scn_keys / sizeof scn_keys[0] == NKEYS, "NKEYS (scenario_keys.h) must "
               "equal the number of keys in scn_keys");

/* The four default agencies: values for the columns named in scn_agency_cols. */
const char *const scn_agency_cols[NAGENCY_COLS] = {"targets", "violation_scale", "coverage",
    "detection", "false_record", "misattribution", "deduction", "list_after", "window"};
const char *const scn_default_agencies[NDEFAULT_AGENCIES][NAGENCY_COLS + 1] = {
    {"courts", "both", "0.3", "0.9", "0.6", "0.0002", "0.005", "100", "1", "24"},
    {"tax", "both", "0.3", "0.8", "0.4", "0.0003", "0.01", "50", "2", "36"},
    {"market", "firms", "0.5", "0.6", "0.4", "0.0005", "0.01", "50", "2", "24"},
    {"civility", "persons", "1.0", "0.7", "0.3", "0.002", "0.03", "5", "3", "12"}};

/* ---- text helpers --------------------------------------------------------------------- */

void scn_sb_put(sbuf *b, const char *p, size_t n) {
    if (b->oom) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) { b->oom = 1; return; }
        b->s = s, b->cap = cap;
    }
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void scn_sb_printf(sbuf *b, const char *fmt, ...) {
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) { scn_sb_put(b, tmp, (size_t)n); return; }
    char *big = malloc((size_t)n + 1);
    if (!big) { b->oom = 1; return; }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    scn_sb_put(b, big, (size_t)n);
    free(big);
}

char *scn_sb_take(sbuf *b) {
    if (!b->oom && !b->s) scn_sb_put(b, "", 0);
    if (b->oom) { free(b->s); b->s = NULL; }
    char *s = b->s;
    b->s = NULL, b->len = b->cap = 0;
    return s;
}

int scn_trim_copy(const char *s, size_t len, char *out, size_t n) {
    while (len > 0 && (*s == ' ' || *s == '\t')) s++, len--;
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r')) len--;
    if (len >= n) return 0;
    memcpy(out, s, len);
    out[len] = '\0';
    return 1;
}

/* ---- names, numbers and sections ------------------------------------------------------ */

int scn_edit_distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    int small[2][64], *heap = NULL, *prev = small[0], *cur = small[1];
    if (lb + 1 > 64) {
        if (!(heap = malloc(2 * (lb + 1) * sizeof *heap))) return INT_MAX;
        prev = heap, cur = heap + lb + 1;
    }
    for (size_t j = 0; j <= lb; j++) prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int best = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < best) best = prev[j] + 1;
            if (cur[j - 1] + 1 < best) best = cur[j - 1] + 1;
            cur[j] = best;
        }
        int *t = prev; prev = cur; cur = t;
    }
    int d = prev[lb];
    free(heap);
    return d;
}

const char *scn_word_of(const word *w, int v) {
    for (; w->w; w++)
        if (w->v == v) return w->w;
    return "?";
}

const char *scn_layer_name(scn_layer_id id) { return scn_word_of(layer_words, (int)id); }
const char *scn_list_name(scn_list l) { return scn_word_of(list_words, (int)l); }
const char *scn_rule_kind_name(scn_rule_kind k) { return scn_word_of(kind_words, (int)k); }
const char *scn_generator_name(scn_generator g) { return scn_word_of(gen_words, (int)g); }
const char *scn_kind_name(scn_kind k) { return scn_word_of(kind_name_words, (int)k); }
int scn_kind_word(const char *w) {
    for (const word *x = kind_name_words; x->w; x++)
        if (strcmp(x->w, w) == 0) return x->v;
    return -1;
}

static const scn_retention *retention_row(const scenario *sc, int a) {
    for (int r = 0; r < sc->nretention; r++)
        if (sc->retention[r].agency == a) return &sc->retention[r];
    return NULL;
}

int scn_retention_of(const scenario *sc, int a, scn_kind k) {
    const scn_retention *r = retention_row(sc, a);
    if (!r) return 36;
    switch (k) {
    case KIND_SIGHTINGS: return r->sightings;
    case KIND_TRANSACTIONS: return r->transactions;
    case KIND_REGISTRATIONS: return r->registrations;
    case KIND_ONLINE: return r->online;
    default: return r->violations;
    }
}

int scn_displayed(const scenario *sc, int a, scn_kind k) {
    const scn_retention *r = retention_row(sc, a);
    return r && (r->public_mask >> k & 1);
}

void scn_fmt_double(double v, char *buf, size_t n) {
    if (v == floor(v) && fabs(v) < 1e15) { snprintf(buf, n, "%.0f", v); return; }
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, n, "%.*g", p, v);
        if (strtod(buf, NULL) == v) return;
    }
}

static void fmt_bound(const key_desc *k, double v, char *buf, size_t n) {
    if (k->type == K_U64 && v >= 9.2e18) snprintf(buf, n, "%lld", (long long)INT64_MAX);
    else scn_fmt_double(v, buf, n);
}

void scn_allowed(const key_desc *k, char *buf, size_t n) {
    char lo[32], hi[32];
    fmt_bound(k, k->lo, lo, sizeof lo), fmt_bound(k, k->hi, hi, sizeof hi);
    int isint = k->type == K_INT || k->type == K_I64 || k->type == K_U64;
    if (k->type == K_ENUM || k->type == K_BOOL) {
        size_t len = (size_t)snprintf(buf, n, "%s", k->type == K_BOOL ? "boolean " : "one of ");
        for (const word *w = k->words; w->w && len < n; w++)
            len += (size_t)snprintf(buf + len, n - len, "%s%s", w->w, w[1].w ? ", " : "");
    } else if (k->type == K_LIST) {
        snprintf(buf, n, "list of up to %zu numbers %s .. %s, comma-separated",
                 k->size / sizeof(double), lo, hi);
    } else if (k->type == K_GRADES) {
        snprintf(buf, n, "up to %d grades NAME:MIN, MIN %s .. %s", SCN_MAX_GRADES, lo, hi);
    } else if (k->type == K_PATH) {
        snprintf(buf, n, "path, empty for none");
    } else if (k->type == K_NAMES) {
        snprintf(buf, n, "names of a-z, 0-9 and _, comma-separated, empty for none");
    } else if (k->flags & (F_LO_OPEN | F_HI_OPEN)) {
        snprintf(buf, n, "number %s %s x %s %s", lo, k->flags & F_LO_OPEN ? "<" : "<=",
                 k->flags & F_HI_OPEN ? "<" : "<=", hi);
    } else {
        snprintf(buf, n, "%s %s .. %s", isint ? "integer" : "number", lo, hi);
    }
}

int scn_sec_named(int sec) {
    return sec == SEC_LAYER || sec == SEC_AGENCY || sec == SEC_SPILLOVER || sec == SEC_SANCTION ||
           sec == SEC_JOINT || sec == SEC_COLLECT || sec == SEC_RETENTION || sec == SEC_SHARE ||
           sec == SEC_SEVERITY;
}

int scn_sec_count(const scenario *sc, int sec) {
    switch (sec) {
    case SEC_LAYER: return SCN_NLAYERS;
    case SEC_AGENCY: return sc->nagencies;
    case SEC_SPILLOVER: return sc->nrules;
    case SEC_SANCTION: return sc->nsanctions;
    case SEC_JOINT: return sc->njoint;
    case SEC_COLLECT: return sc->nsources;
    case SEC_RETENTION: return sc->nretention;
    case SEC_SHARE: return sc->nshares;
    case SEC_SEVERITY: return sc->ntiers;
    default: return 1;
    }
}

int scn_sec_max(int sec) {
    switch (sec) {
    case SEC_LAYER: return SCN_NLAYERS;
    case SEC_AGENCY: return SCN_MAX_AGENCIES;
    case SEC_SPILLOVER: return SCN_MAX_RULES;
    case SEC_SANCTION: return SCN_MAX_SANCTIONS;
    case SEC_JOINT: return SCN_MAX_AGENCIES;
    case SEC_COLLECT: return SCN_MAX_SOURCES;
    case SEC_RETENTION: return SCN_MAX_AGENCIES;
    case SEC_SHARE: return SCN_MAX_AGENCIES;
    case SEC_SEVERITY: return SCN_MAX_TIERS;
    default: return 1;
    }
}

char *scn_sec_name(const scenario *sc, int sec, int inst) {
    scenario *s = (scenario *)sc;
    switch (sec) {
    case SEC_AGENCY: return s->agencies[inst].name;
    case SEC_SPILLOVER: return s->rules[inst].name;
    case SEC_SANCTION: return s->sanctions[inst].name;
    case SEC_JOINT: return s->joint[inst].name;
    case SEC_COLLECT: return s->sources[inst].name;
    case SEC_RETENTION: return s->retention[inst].name;
    case SEC_SHARE: return s->shares[inst].name;
    case SEC_SEVERITY: return s->tiers[inst].name;
    default: return NULL;
    }
}

int scn_each_name(const char *v, int (*fn)(void *ctx, const char *name), void *ctx) {
    for (const char *p = v; *p;) {
        size_t tl = strcspn(p, ",");
        char tok[SCN_NAMES_MAX];
        if (scn_trim_copy(p, tl, tok, sizeof tok) && tok[0]) {
            int r = fn(ctx, tok);
            if (r) return r;
        }
        p += tl;
        if (*p == ',') p++;
    }
    return 0;
}

static const word reach_words[] = {{"self", REACH_SELF}, {"household", REACH_HOUSEHOLD},
    {"children", REACH_CHILDREN}, {"firm", REACH_FIRM}, {"legalrep", REACH_LEGALREP},
    {"employees", REACH_EMPLOYEES}, {"employer", REACH_EMPLOYER}, {"partners", REACH_PARTNERS},
    {NULL, 0}};
const char *const scn_reach_words =
    "self, household, children, firm, legalrep, employees, employer, partners";

static int word_value(const word *w, const char *s, int none) {
    for (; w->w; w++)
        if (strcmp(w->w, s) == 0) return w->v;
    return none;
}
int scn_list_word(const char *w) { return word_value(list_words, w, -1); }
int scn_layer_word(const char *w) { return word_value(layer_words, w, -1); }
int scn_reach_word(const char *w) { return word_value(reach_words, w, 0); }

void *scn_sec_base(const scenario *sc, int sec, int inst) {
    scenario *s = (scenario *)sc;
    switch ((sec_kind)sec) {
    case SEC_POPULATION: return &s->population;
    case SEC_LAYER: return &s->layers[inst];
    case SEC_AGENCY: return &s->agencies[inst];
    case SEC_SCORING: return &s->scoring;
    case SEC_LISTS: return &s->lists;
    case SEC_SPILLOVER: return &s->rules[inst];
    case SEC_SANCTION: return &s->sanctions[inst];
    case SEC_JOINT: return &s->joint[inst];
    case SEC_REDRESS: return &s->redress;
    case SEC_INSPECTION: return &s->inspection;
    case SEC_BEHAVIOUR: return &s->behaviour;
    case SEC_COLLECT: return &s->sources[inst];
    case SEC_RETENTION: return &s->retention[inst];
    case SEC_SHARE: return &s->shares[inst];
    case SEC_COMMERCIAL: return &s->commercial;
    case SEC_SEVERITY: return &s->tiers[inst];
    case SEC_RUN: case SEC_NKINDS: break;
    }
    return &s->run;
}

void scn_sec_label(const scenario *sc, int sec, int inst, char *buf, size_t n) {
    const char *name = scn_sec_name(sc, sec, inst);
    if (sec == SEC_LAYER) snprintf(buf, n, "layer.%s", scn_layer_name((scn_layer_id)inst));
    else if (name) snprintf(buf, n, "%s.%s", scn_sec_names[sec], name);
    else snprintf(buf, n, "%s", scn_sec_names[sec]);
}

/* ---- reading one value ---------------------------------------------------------------- */

static int read_int(const char *s, const key_desc *k, long long *out, char *why, size_t n) {
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (end == s || *end) {
        snprintf(why, n, "\"%.60s\" is not an integer", s);
        return 0;
    }
    if (errno == ERANGE || (double)x < k->lo || (double)x > k->hi) {
        snprintf(why, n, "%.60s is out of range", s);
        return 0;
    }
    *out = x;
    return 1;
}

int scn_read_double(const char *s, const key_desc *k, double *out, char *why, size_t n) {
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end) {
        snprintf(why, n, "\"%.60s\" is not a number", s);
        return 0;
    }
    if (errno == ERANGE) {
        snprintf(why, n, "%.60s is too large or too small to represent", s);
        return 0;
    }
    if (!isfinite(x)) {
        snprintf(why, n, "\"%.60s\" is not a finite number", s);
        return 0;
    }
    int lo_bad = (k->flags & F_LO_OPEN) ? !(x > k->lo) : !(x >= k->lo);
    int hi_bad = (k->flags & F_HI_OPEN) ? !(x < k->hi) : !(x <= k->hi);
    if (lo_bad || hi_bad) {
        snprintf(why, n, "%.60s is out of range", s);
        return 0;
    }
    *out = x;
    return 1;
}

int scn_set_number(const key_desc *k, void *dst, const char *v, char *why, size_t n) {
    if (k->type == K_DBL) return scn_read_double(v, k, (double *)dst, why, n);
    long long x;
    if (!read_int(v, k, &x, why, n)) return 0;
    if (k->type == K_INT) *(int *)dst = (int)x;
    else if (k->type == K_I64) *(int64_t *)dst = (int64_t)x;
    else *(uint64_t *)dst = (uint64_t)x;
    return 1;
}

int scn_set_names(const key_desc *k, char *dst, const char *v, char *why, size_t n) {
    size_t len = strlen(v);
    if (len >= k->size) {
        snprintf(why, n, "longer than %zu characters", k->size - 1);
        return 0;
    }
    size_t bad = strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_, \t");
    if (bad != len) {
        snprintf(why, n, "'%c' is not allowed in a name", v[bad]);
        return 0;
    }
    memset(dst, 0, k->size);
    memcpy(dst, v, len);
    return 1;
}

int scn_set_word(const key_desc *k, void *dst, const char *v, char *why, size_t n) {
    for (const word *w = k->words; w->w; w++)
        if (strcmp(w->w, v) == 0) { *(int *)dst = w->v; return 1; }
    snprintf(why, n, "\"%.60s\" is not %s", v, k->type == K_BOOL ? "a boolean" : "allowed");
    return 0;
}

static int grade_name_ok(const char *s, size_t len) {
    if (len == 0 || len > 7) return 0;
    for (size_t i = 0; i < len; i++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-", s[i]))
            return 0;
    return 1;
}

int scn_set_grades(const key_desc *k, scn_scoring *s, const char *v, char *why, size_t n) {
    char names[SCN_MAX_GRADES][8] = {{0}}, tok[64], sub[200];
    double mins[SCN_MAX_GRADES] = {0};
    int g = 0;
    for (const char *p = v; *p;) {
        while (*p == ' ' || *p == '\t') p++;
        size_t tl = strcspn(p, " \t");
        if (tl == 0) break;
        if (!scn_trim_copy(p, tl, tok, sizeof tok)) {
            snprintf(why, n, "grade %d is too long", g + 1);
            return 0;
        }
        p += tl;
        char *colon = strchr(tok, ':');
        if (!colon || !grade_name_ok(tok, (size_t)(colon - tok))) {
            snprintf(why, n, "\"%s\" is not NAME:MIN (NAME: 1 to 7 of A-Z a-z 0-9 + -)", tok);
            return 0;
        }
        if (g == SCN_MAX_GRADES) { snprintf(why, n, "more than %d grades", g); return 0; }
        if (!scn_read_double(colon + 1, k, &mins[g], sub, sizeof sub)) {
            snprintf(why, n, "grade %.*s: %s", (int)(colon - tok), tok, sub);
            return 0;
        }
        if (g > 0 && !(mins[g] < mins[g - 1])) {
            snprintf(why, n, "cut-offs must be strictly descending (%s after %g)", tok,
                     mins[g - 1]);
            return 0;
        }
        memcpy(names[g], tok, (size_t)(colon - tok));
        g++;
    }
    if (g == 0) { snprintf(why, n, "no grades"); return 0; }
    s->ngrades = g;
    memcpy(s->grade_name, names, sizeof names);
    memcpy(s->grade_min, mins, sizeof mins);
    return 1;
}

/* Whether a and b (3 or more characters each) differ by one slip of the keyboard: one letter
 * more or less, or two neighbours swapped ("court" for "courts"). Substitutions ("ban1",
 * "ban2") are taken as deliberate. */
int scn_one_slip(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b), i = 0;
    if (la < 3 || lb < 3) return 0;
    if (la + 1 == lb || lb + 1 == la) return scn_edit_distance(a, b) == 1;
    if (la != lb) return 0;
    while (i < la && a[i] == b[i]) i++;
    return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && strcmp(a + i + 2, b + i + 2) == 0;
}
