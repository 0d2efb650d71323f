/* sim/core/metric.c - the metric registry (contracts in metric.h; full definitions in
 * docs/metrics.md). One row per metric, indexed by its id; families expand to one row per
 * member. Keep the ids of metric.h: append, never renumber. */
#include "metric.h"

#include <string.h>

#define ONE(ID, NAME, GRP, UNIT, T, DEF) [ID] = {ID, NAME, GRP, UNIT, DEF, T, 0}
/* A family over the lists black, watch, red: the black member goes to tables TB, the others
 * to TO; GRP_B and GRP_O are their groupings. */
#define LISTS(F, STEM, GRP_B, GRP_O, UNIT, TB, TO, DEF)                  \
    [F] = {F, STEM ".black", GRP_B, UNIT, DEF, TB, F},                   \
    [F + 1] = {F + 1, STEM ".watch", GRP_O, UNIT, DEF, TO, F},           \
    [F + 2] = {F + 2, STEM ".red", GRP_O, UNIT, DEF, TO, F}
#define RATE(F, K, MEASURE) \
    [F + K] = {F + K, "rate_ratio." MEASURE, "group:G", "ratio", \
               "the group's rate of " MEASURE " over group 0's", METRIC_SUMMARY, F}

enum { S = METRIC_STEP, E = METRIC_SUMMARY, B = METRIC_BOTH };

static const metric_def TABLE[M_END] = {
    ONE(M_VIOLATIONS, "violations", "all, group:G, firms", "violations", B,
        "true violations committed (per step; summary: over the run)"),
    ONE(M_VIOLATIONS_PREVENTED, "violations_prevented", "all", "violations", B,
        "counterfactual violations without the regime minus actual violations"),
    ONE(M_RECORDS, "records", "all, cause:C, agency:A", "records", B,
        "records made (summary: over the run), by cause or agency"),
    LISTS(M_LISTED_BLACK, "listed", "all, group:G, firms, region:R", "all, group:G, firms",
          "agents", B, S, "agents on the list at the end of the step (summary: at the end)"),
    LISTS(M_NEW_LISTED_BLACK, "new_listed", "all, cause:C", "all", "agents", S, S,
          "agents put on the list at the step, by the cause of the listing"),
    LISTS(M_DELISTED_BLACK, "delisted", "all, reason:R", "all", "agents", B, S,
          "agents leaving the list at the step (summary: by reason, over the run)"),
    ONE(M_WRONGLY_LISTED_BLACK, "wrongly_listed.black",
        "all, group:G, firms, region:R, cause:C", "agents", S,
        "blacklisted agents without an own true violation in the look-back window"),
    ONE(M_NEW_WRONGLY_LISTED_BLACK, "new_wrongly_listed.black",
        "all, group:G, firms, region:R, cause:C", "listings", S,
        "blacklistings made at the step of agents without an own true violation"),
    ONE(M_MEAN_SCORE, "mean_score", "all, group:G, firms", "points", S,
        "mean score of the subset (points regime)"),
    ONE(M_RECORDS_PER_PERSON, "records_per_person", "mean, max", "records", B,
        "records made about persons so far, per person (summary: also the maximum)"),
    ONE(M_PERSONS_WITH_RECORDS, "persons_with_records", "all", "persons", B,
        "persons with at least one record so far"),
    ONE(M_AGENCIES_PER_PERSON, "agencies_per_person", "mean", "agencies", B,
        "agencies holding a record about a person, per person"),
    ONE(M_THIRD_PARTY_PROCESSING, "third_party_processing", "all", "persons", B,
        "persons whose status or score changed through data about someone else"),
    ONE(M_RETENTION_EXPOSURE, "retention_exposure", "black, watch", "person-steps", B,
        "person-steps spent on the list so far"),
    ONE(M_HARM, "harm", "all, innocent, violators, direct, reached, spillover_listed, "
        "group:G, firms, region:R", "harm", B,
        "harm of sanctions in force and job loss (summary: over the run; region: persons' H_i)"),
    ONE(M_SANCTIONED, "sanctioned", "all, group:G, firms", "agents", S,
        "agents under at least one sanction (not a reward)"),
    ONE(M_SANCTION_ACTIVE, "sanction_active", "sanction:NAME", "agents", S,
        "agents under the named catalogue entry"),
    ONE(M_BENEFIT, "benefit", "all", "benefit", B, "weight of rewards in force"),
    ONE(M_NAMED, "named", "all, wrongly", "agents", S,
        "agents under a public entry (wrongly: without an own true violation)"),
    ONE(M_APPEALS_FILED, "appeals_filed", "all", "appeals", B, "blacklistings appealed"),
    ONE(M_APPEALS_DECIDED, "appeals_decided", "rightful, wrongful", "appeals", B,
        "appeals decided, by whether the appealed listing was wrongful"),
    ONE(M_APPEALS_WON, "appeals_won", "rightful, wrongful", "appeals", B,
        "appeals won, by whether the appealed listing was wrongful"),
    ONE(M_APPEAL_QUEUE, "appeal_queue", "all", "appeals", B, "appeals waiting in the queue"),
    ONE(M_FIRMS_FAILED, "firms_failed", "all", "firms", B, "firms failing"),
    ONE(M_JOBS_LOST, "jobs_lost", "all", "persons", B,
        "persons employed by a firm that fails"),
    ONE(M_TIES_CUT, "ties_cut", "layer:L", "ties", B, "ties of the layer cut by ostracism"),
    ONE(M_INSPECTION_SHARE, "inspection_share", "region:R", "share", S,
        "share of the inspection agency's coverage allocated to the region"),
    ONE(M_INSPECTION_RECORDS, "inspection_records", "region:R", "records", S,
        "records of the inspection agency about agents of the region"),
    ONE(M_PERSONS, "persons", "all", "count", E, "persons in the society"),
    ONE(M_FIRMS, "firms", "all", "count", E, "firms in the society"),
    ONE(M_HOUSEHOLDS, "households", "all", "count", E, "households in the society"),
    ONE(M_STEPS, "steps", "all", "count", E, "steps run"),
    ONE(M_ARCS, "arcs", "layer:L", "arcs", E, "arcs stored on the layer"),
    ONE(M_CSV_LINES, "csv_lines", "layer:L", "lines", E, "lines read from the layer's edge list"),
    ONE(M_CSV_SELF_LOOPS_DROPPED, "csv_self_loops_dropped", "layer:L", "ties", E,
        "self-loops dropped from the layer's edge list"),
    ONE(M_CSV_DUPLICATES_DROPPED, "csv_duplicates_dropped", "layer:L", "ties", E,
        "duplicate ties dropped from the layer's edge list"),
    ONE(M_VIOLATIONS_COUNTERFACTUAL, "violations_counterfactual", "all", "violations", E,
        "violations had the regime been off (same draws)"),
    ONE(M_VIOLATIONS_PREVENTED_PER_WRONGFUL_LISTING,
        "violations_prevented_per_wrongful_listing", "all", "ratio", E,
        "violations prevented per agent ever wrongly blacklisted"),
    ONE(M_RECORDED_SHARE, "recorded_share", "all", "share", E,
        "records of own true violations per violation"),
    ONE(M_LISTINGS_BLACK, "listings.black", "all, cause:C", "listings", E,
        "blacklistings over the run, step-0 seeds included"),
    ONE(M_EVER_LISTED_BLACK, "ever_listed.black", "all", "agents", E,
        "agents blacklisted at some step"),
    ONE(M_EVER_WRONGLY_LISTED_BLACK, "ever_wrongly_listed.black", "all", "agents", E,
        "agents wrongly blacklisted at some step"),
    ONE(M_WRONGFUL_LISTINGS_BLACK, "wrongful_listings.black",
        "all, cause:C, region:R, group:G, firms", "listings", E,
        "wrongful blacklistings over the run, step-0 seeds included"),
    ONE(M_GRADED, "graded", "grade:NAME", "agents", E,
        "agents whose final score lies in the grade band"),
    ONE(M_EVENTS_KEPT, "events_kept", "all", "events", E, "listing events stored"),
    ONE(M_EVENTS_DROPPED, "events_dropped", "all", "events", E,
        "listing events beyond run.event_cap"),
    ONE(M_CASCADES, "cascades", "all, size:>1, root:C, size:K, size:LO-HI", "trees", E,
        "cascade trees, by root cause and size class"),
    ONE(M_CASCADE_LARGEST, "cascade_largest", "all", "listings", E, "size of the largest tree"),
    ONE(M_CASCADE_DEPTH_MAX, "cascade_depth_max", "all", "links", E,
        "largest depth of a listing in its tree"),
    ONE(M_LISTINGS_BY_ROOT, "listings_by_root", "root:C", "listings", E,
        "blacklistings in trees rooted in the cause"),
    ONE(M_LISTINGS_BY_DEPTH, "listings_by_depth", "depth:K, depth:63+", "listings", E,
        "blacklistings at the depth of their tree"),
    ONE(M_SPILLOVER_SHARE, "spillover_share", "listings", "share", E,
        "share of blacklistings that joined a cascade"),
    ONE(M_ERROR_ROOTED_SHARE, "error_rooted_share", "cascades, listings", "share", E,
        "share of trees (listings) rooted in a false or misattributed record"),
    ONE(M_EVER_LISTED_RATE, "ever_listed_rate", "group:G", "share", E,
        "share of the group's persons ever blacklisted"),
    ONE(M_EVER_WRONGLY_LISTED_RATE, "ever_wrongly_listed_rate", "group:G", "share", E,
        "share of the group's persons ever wrongly blacklisted"),
    ONE(M_EVER_LISTED_RATE_NONVIOLATORS, "ever_listed_rate.nonviolators", "group:G", "share",
        E, "share of the group's never-violating persons ever blacklisted"),
    ONE(M_EVER_LISTED_RATE_VIOLATORS, "ever_listed_rate.violators", "group:G", "share", E,
        "share of the group's violating persons ever blacklisted"),
    ONE(M_HARM_RATE, "harm_rate", "group:G", "harm per person", E,
        "harm accrued per person of the group"),
    RATE(M_RATE_RATIO_EVER_LISTED, METRIC_RATE_EVER_LISTED, "ever_listed"),
    RATE(M_RATE_RATIO_EVER_LISTED, METRIC_RATE_EVER_WRONGLY_LISTED, "ever_wrongly_listed"),
    RATE(M_RATE_RATIO_EVER_LISTED, METRIC_RATE_NONVIOLATORS, "ever_listed.nonviolators"),
    RATE(M_RATE_RATIO_EVER_LISTED, METRIC_RATE_VIOLATORS, "ever_listed.violators"),
    RATE(M_RATE_RATIO_EVER_LISTED, METRIC_RATE_HARM, "harm"),
    ONE(M_DISPARITY_RATIO, "disparity.ratio", "ever_listed, ever_wrongly_listed, "
        "ever_listed.nonviolators, ever_listed.violators, harm", "ratio", E,
        "largest group rate over the smallest"),
    ONE(M_DISPARITY_BEARER, "disparity.bearer", "ever_listed, ever_wrongly_listed, "
        "ever_listed.nonviolators, ever_listed.violators, harm", "group index", E,
        "the group with the largest rate"),
    ONE(M_PERSONS_BY_RECORDS, "persons_by_records", "records:0, records:1, records:2, "
        "records:LO-HI", "persons", E, "persons by the number of records made about them"),
    ONE(M_PERSONS_BY_AGENCIES_HOLDING_RECORDS, "persons_by_agencies_holding_records",
        "agencies:K", "persons", E, "persons about whom exactly K agencies hold a record"),
    ONE(M_NAMED_PUBLICLY, "named_publicly", "all, wrongly", "persons", E,
        "persons ever named publicly (wrongly: while without an own true violation)"),
    ONE(M_INFERENCE_AUC, "inference_auc", "listed_contact, violation_history, "
        "guilt_by_association", "AUC", E,
        "AUC of the public view at inferring an undisclosed fact"),
    ONE(M_SANCTION_STEPS, "sanction_steps", "sanction:NAME", "agent-steps", E,
        "agent-steps the named entry was in force"),
    ONE(M_HARM_GINI, "harm_gini", "persons", "index", E, "Gini coefficient of harm over persons"),
    ONE(M_HARM_TOP1_SHARE, "harm_top1_share", "persons", "share",
        E, "share of harm borne by the most harmed 1% of persons"),
    ONE(M_HARM_LORENZ, "harm_lorenz", "p:0.05, ..., p:0.999, p:1.00", "share", E,
        "share of harm borne by the least harmed share q of persons"),
    ONE(M_RECORDS_HELD, "records_held", "mean, agency:A, kind:K, display:public, "
        "display:provision, firms", "records per person", B,
        "records held now about persons, per person (firms: per firm); collection only"),
    ONE(M_PERSONS_BY_RECORDS_HELD, "persons_by_records_held", "held:0, held:1, held:2, "
        "held:LO-HI", "persons", B, "persons by the number of records held about them now"),
    ONE(M_PERSON_MONTHS_HELD, "person_months_held", "all", "person-steps", B,
        "person-steps at whose end some record about the person was held, so far"),
    ONE(M_RECORDS_EXPIRED, "records_expired", "all, agency:A, kind:K", "records", B,
        "records removed at the end of their retention (summary: over the run)"),
    ONE(M_RECORDS_COLLECTED, "records_collected", "all, agency:A, kind:K, misidentified",
        "records", B, "records entering the holdings, violation records included (summary: "
        "over the run)"),
    /* issue 12 item 5: the chilling effect (chill.c; emitted when behaviour.lawful_rate > 0) */
    ONE(M_LAWFUL_ACTS, "lawful_acts", "all, group:G", "acts", B,
        "lawful-but-disfavoured acts persons did (summary: over the run)"),
    ONE(M_LAWFUL_ACTS_SUPPRESSED, "lawful_acts_suppressed", "all, group:G", "acts", B,
        "acts persons would have done unwatched but did not (same draws): a cost"),
    ONE(M_PERSONS_CHILLED, "persons_chilled", "all, group:G", "persons", B,
        "persons with at least one act suppressed so far"),
    ONE(M_CHILLING_HARM, "chilling_harm", "all", "harm", B,
        "acts suppressed times behaviour.chill_harm: a cost, apart from harm and benefit"),
    ONE(M_LAWFUL_ACTORS, "lawful_actors", "all, group:G", "persons", E,
        "persons who did the activity at least once in the run"),
    /* issue 12 item 3: sharing */
    ONE(M_BODIES_PER_PERSON, "bodies_per_person", "mean, direct, shared", "bodies", E,
        "bodies holding or able to read data about a person now (direct + shared); sharing only"),
    ONE(M_PERSONS_BY_BODIES, "persons_by_bodies", "bodies:N", "persons", E,
        "persons by the number of bodies holding or able to read data about them now"),
    ONE(M_POOLED_PROFILE, "pooled_profile", "mean, body:B", "records per person", E,
        "records about a person held now that the receivers of shares can read"),
    ONE(M_DATA_FLOWS, "data_flows", "all, agency:A, joint, commercial", "records", B,
        "records shared (one per receiving body), joint punishment notices included"),
    ONE(M_PLATFORM_AUC, "platform_auc", "group:B, lawful:B", "AUC", E,
        "AUC of an observer at body B predicting group membership (group:B) or the lawful "
        "activity (lawful:B) from the records pooled there"),
    ONE(M_EVER_SANCTIONED, "ever_sanctioned", "persons, innocent, children", "persons", E,
        "persons ever under a sanction (own listing or reached), while innocent, children"),
    ONE(M_PERSONS_EVER_LISTED, "persons_ever_listed", "black", "persons", E,
        "persons blacklisted at some step (ever_listed.black without the firms)"),
    /* issue 13 item 5: travel bans as acts (travel.c; emitted when a sanction bans travel) */
    ONE(M_FLIGHTS_REFUSED, "flights_refused", "all, sanction:NAME", "trips", B,
        "flights persons under a flight ban attempted and were refused (summary: over the run)"),
    ONE(M_TRAINS_REFUSED, "trains_refused", "all, sanction:NAME", "trips", B,
        "train trips persons under a rail ban attempted and were refused (summary: the run)"),
    /* issue 13 item 3: regional pilots (sim/engine/region.c) */
    ONE(M_REGION_AGENTS, "region.agents", "region:R", "agents", E,
        "persons and firms of the region"),
    ONE(M_REGION_VIOLATIONS, "region.violations", "region:R", "violations", E,
        "true violations committed by the region's agents over the run"),
    ONE(M_REGION_VIOLATIONS_PREVENTED, "region.violations_prevented", "region:R",
        "violations", E, "the region's counterfactual violations minus its actual ones"),
    ONE(M_REGION_RECORDS, "region.records", "region:R", "records", E,
        "records made about the region's agents over the run (every cause and agency)"),
    ONE(M_REGION_LISTED_SHARE, "region.listed_share", "region:R", "share", E,
        "mean share of the region's agents on the blacklist over steps 1..T"),
    ONE(M_REGION_EVER_LISTED_RATE, "region.ever_listed_rate", "region:R", "share", E,
        "share of the region's agents blacklisted at least once (seeds included)"),
    /* issue 13 items 4 and 7: the commercial score (commercial.c; emitted when some group
       opts in) and good deeds (deeds.c; emitted when behaviour.deed_rate > 0) */
    ONE(M_COMMERCIAL_OPTED_IN, "commercial_opted_in", "all, group:G", "persons", E,
        "persons who opted in to the commercial score"),
    ONE(M_COMMERCIAL_SCORE, "commercial_score", "all, group:G", "points", B,
        "mean commercial score of the opted-in persons (summary: at the end)"),
    ONE(M_COMMERCIAL_REWARDS, "commercial_rewards", "all, sanction:NAME", "persons", B,
        "opted-in persons at or above reward_at_least, in all and per reward (summary: "
        "person-steps over the run)"),
    ONE(M_COMMERCIAL_BENEFIT, "commercial_benefit", "all", "benefit", B,
        "benefit of the commercial rewards (their harm weights), apart from benefit"),
    ONE(M_COMMERCIAL_FLOWS, "commercial_flows", "all", "flows", B,
        "commercial scores sent to the state (one per opted-in person and step with "
        "feeds_state > 0)"),
    ONE(M_DEEDS_RECORDED, "deeds_recorded", "all, group:G", "deeds", B,
        "good deeds recorded (points earned; summary: over the run)"),
    /* issue 13 item 1: per-agency lists (ownlist.c; emitted when an agency has own lists) */
    ONE(M_LISTED_BY_AGENCY, "listed_by_agency", "black:AGENCY, watch:AGENCY, black:common, "
        "watch:common", "agents", B, "agents on the agency's own list (or the common list) at "
        "the end of the step (summary: at the end)"),
    ONE(M_NEW_LISTED_BY_AGENCY, "new_listed_by_agency", "black:AGENCY, watch:AGENCY",
        "listings", B, "listings the agency made on its own list (summary: over the run)"),
    ONE(M_NEW_WRONGLY_LISTED_BY_AGENCY, "new_wrongly_listed_by_agency", "AGENCY", "listings",
        B, "own blacklistings made while the agent had no own true violation in the look-back "
        "window (summary: over the run)"),
    ONE(M_EVER_LISTED_BY_AGENCY, "ever_listed_by_agency", "AGENCY, two_or_more", "persons", E,
        "persons ever on the agency's own blacklist; two_or_more: on two or more of them"),
    ONE(M_LISTED_MULTI, "listed_multi", "black", "agents", B,
        "agents on two or more blacklists (the common one counts as one) at the end of the step "
        "(summary: at the end)"),
    ONE(M_NAMED_BY_AGENCY, "named_by_agency", "AGENCY", "agents", B,
        "agents on a public agency's own blacklist: displayed by name (summary: persons ever)"),
    /* issue 13 item 2: benefits weighted by severity */
    ONE(M_VIOLATIONS_WEIGHTED, "violations_weighted", "all, agency:A", "weighted violations", B,
        "violations weighted by their agency's severity tier (summary: over the run)"),
    ONE(M_VIOLATIONS_PREVENTED_WEIGHTED, "violations_prevented_weighted", "all, agency:A",
        "weighted violations", B, "violations prevented, each weighted by its tier's weight"),
    ONE(M_DETECTED_WEIGHTED, "detected_weighted", "all, agency:A", "weighted violations", B,
        "records of own true violations (detected violations) weighted by severity"),
    ONE(M_VIOLATIONS_COUNTERFACTUAL_WEIGHTED, "violations_counterfactual_weighted", "all",
        "weighted violations", E, "violations had the regime been off, weighted by severity"),
    ONE(M_PREVENTED_WEIGHTED_PER_WRONGFUL_LISTING,
        "prevented_weighted_per_wrongful_listing", "all", "ratio", E,
        "weighted violations prevented per agent ever wrongly blacklisted"),
};

_Static_assert(M_RATE_RATIO_HARM == M_RATE_RATIO_EVER_LISTED + METRIC_RATE_HARM,
               "the rate_ratio family follows METRIC_RATE_*");
_Static_assert(M_LISTED_WATCH == M_LISTED_BLACK + 1 && M_NEW_LISTED_RED == M_NEW_LISTED_BLACK + 2 &&
               M_DELISTED_RED == M_DELISTED_BLACK + 2, "list families follow scn_list");

const metric_def *metric_get(int id) {
    return id > 0 && id < M_END && TABLE[id].id == id ? &TABLE[id] : NULL;
}

const char *metric_name(int id) {
    const metric_def *m = metric_get(id);
    return m ? m->name : NULL;
}

int metric_by_name(const char *name) {
    for (int id = 1; id < M_END; id++)
        if (TABLE[id].id == id && strcmp(TABLE[id].name, name) == 0) return id;
    return M_NONE;
}

const char *metric_rate_name(int k) {
    static const char *const names[METRIC_NRATES] = {
        "ever_listed", "ever_wrongly_listed", "ever_listed.nonviolators",
        "ever_listed.violators", "harm"};
    return k >= 0 && k < METRIC_NRATES ? names[k] : NULL;
}
