/* sim/engine/severity.h - severity tiers (docs/ODD.md 7.20): what the tier of a record's
 * agency decides, and the weighted benefit figures. Prefix sev_.
 *
 * Agency a's violations and records are of tier sc->tiers[sc->agencies[a].tier]. Every
 * function takes the scenario in force (timeline included) and reads it afresh, so nothing is
 * cached. With every agency ordinary and no [severity.*] section each returns what the
 * engine used before tiers existed (the agency's deduction, [lists] black_term, [redress]
 * repair_after, no extra sanctions, records that list), so results are bit-identical. */
#ifndef SIM_SEVERITY_H
#define SIM_SEVERITY_H

#include <stdint.h>

#include "scenario.h"

struct sim;

/* The tier of agency a (0 <= a < sc->nagencies). */
const scn_severity *sev_tier(const scenario *sc, int a);

/* Benefit weight of one violation in agency a's domain. */
double sev_weight(const scenario *sc, int a);

/* Points regime: points one record of agency a deducts (the tier's, else the agency's). */
double sev_deduction(const scenario *sc, int a);

/* Whether agency a's records count toward listing (lists = true of its tier). */
int sev_lists(const scenario *sc, int a);

/* The minimum term of a listing on list `list` caused by a record of agency a (a < 0: no
 * agency, e.g. spillover or seed): for the blacklist, the tier's black_term when set, else
 * [lists] black_term; the watch and red lists keep their [lists] terms. */
int sev_term(const scenario *sc, int list, int a);

/* Credit-repair minimum display period of a blacklisting caused by agency a (a < 0: no
 * agency): the tier's repair_after when set (>= 0), else [redress] repair_after. */
int sev_repair_after(const scenario *sc, int a);

/* The sanctions (bit k: catalogue entry k) a blacklisting caused by agency a triggers
 * through its tier, ORed into agency a's joint punishment row for the blacklist. */
uint32_t sev_sanctions(const scenario *sc, int a);

/* Whether any agency's tier triggers sanctions (the engine then keeps who listed whom). */
int sev_sanctions_any(const scenario *sc);

/* Sum over agencies a of sev_weight(a) * count[a], in agency order (deterministic). */
double sev_weighted(const scenario *sc, const uint64_t *count);

/* Per-step (t >= 1) or summary (t < 0) rows of the weighted benefit figures:
 * violations_weighted, violations_prevented_weighted, detected_weighted (all and agency:A),
 * and in the summary violations_counterfactual_weighted and
 * prevented_weighted_per_wrongful_listing (wrong: agents ever wrongly
 * blacklisted). viol, cf and rec (records of own true violations) are counts by agency. Returns 0 when a row could not be
 * stored. */
int sev_metrics(struct sim *s, int t, const uint64_t *viol, const uint64_t *cf,
                const uint64_t *rec, uint64_t wrong);

#endif
