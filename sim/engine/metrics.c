/* sim/engine/metrics.c - per-step figures and the end-of-run summary, in long format.
 * The registry (sim/core/metric.c) declares every metric, docs/metrics.md defines it; rows
 * are reported through emit.c. Per-block accumulators are combined in
 * block order, so floating-point sums are the same for any number of threads. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "severity.h"
#include "state.h"

/* name for "all", then for each group slot in use ("group:G", "firms"). */
static int put_slots(struct sim *s, int t, int name, const uint64_t *v) {
    uint64_t all = 0;
    int ok = 1;
    for (int g = 0; g < ACC_G; g++) all += v[g];
    ok &= metrics_put(s, t, name, "all", (double)all);
    for (int g = 0; g < s->sc.population.groups; g++) {
        char grp[24];
        snprintf(grp, sizeof grp, "group:%d", g);
        ok &= metrics_put(s, t, name, grp, (double)v[g]);
    }
    if (s->pop->firms) ok &= metrics_put(s, t, name, "firms", (double)v[ACC_G - 1]);
    return ok;
}

/* Block a into to; R: the population's regions (the others are zero in every block). */
static void add_acc(acc *to, const acc *a, int R) {
    for (int g = 0; g < ACC_G; g++) {
        to->violations[g] += a->violations[g];
        to->violations_cf[g] += a->violations_cf[g];
        to->wrongly_grp[g] += a->wrongly_grp[g];
        to->score_sum[g] += a->score_sum[g];
        for (int l = 0; l < SCN_NLISTS; l++) to->listed[l][g] += a->listed[l][g];
    }
    for (int c = 0; c < SIM_NCAUSES; c++) {
        to->wrongly[c] += a->wrongly[c];
        for (int l = 0; l < SCN_NLISTS; l++) to->new_listed[l][c] += a->new_listed[l][c];
    }
    for (int l = 0; l < SCN_NLISTS; l++) to->delisted[l] += a->delisted[l];
    for (int c = 0; c < SIM_NCAUSES; c++) to->wl_cause[c] += a->wl_cause[c];
    for (int g = 0; g < ACC_G; g++) to->wl_grp[g] += a->wl_grp[g];
    for (int r = 0; r < R; r++) to->wl_region[r] += a->wl_region[r];
    to->third += a->third;
    for (int r = 0; r < SIM_NOUT; r++) to->delisted_by[r] += a->delisted_by[r];
    for (int g = 0; g < ACC_G; g++) {
        to->harm[g] += a->harm[g];
        to->sanctioned[g] += a->sanctioned[g];
    }
    to->harm_innocent += a->harm_innocent, to->harm_direct += a->harm_direct;
    to->harm_violators += a->harm_violators, to->harm_reached += a->harm_reached;
    to->harm_spill += a->harm_spill;
    to->benefit += a->benefit;
    for (int k = 0; k < SCN_MAX_SANCTIONS; k++) to->sanction_count[k] += a->sanction_count[k];
    to->named += a->named, to->named_wrong += a->named_wrong, to->failed += a->failed;
    for (int k = 0; k < SCN_MAX_AGENCIES; k++)
        to->viol_ag[k] += a->viol_ag[k], to->viol_cf_ag[k] += a->viol_cf_ag[k];
    for (int r = 0; r < R; r++) {
        to->black_region[r] += a->black_region[r];
        to->wrongly_region[r] += a->wrongly_region[r];
    }
    for (int r = 0; r < R; r++) {   /* regional pilots (region.c) */
        to->viol_region[r] += a->viol_region[r];
        to->viol_cf_region[r] += a->viol_cf_region[r];
    }
}

static int put_lists(struct sim *s, int t, const acc *a) {
    int ok = 1;
    for (int l = 0; l < SCN_NLISTS; l++) {
        if (!s->until[l]) continue;
        ok &= put_slots(s, t, metric_of(M_LISTED_BLACK, l), a->listed[l]);
        int name = metric_of(M_NEW_LISTED_BLACK, l);
        uint64_t all = 0;
        for (int c = 1; c < SIM_NCAUSES; c++) all += a->new_listed[l][c];
        ok &= metrics_put(s, t, name, "all", (double)all);
        for (int c = 1; c < SIM_NCAUSES && l == LIST_BLACK; c++) {
            char grp[32];
            snprintf(grp, sizeof grp, "cause:%s", res_cause_name(c));
            ok &= metrics_put(s, t, name, grp, (double)a->new_listed[l][c]);
        }
        ok &= metrics_put(s, t, metric_of(M_DELISTED_BLACK, l), "all", (double)a->delisted[l]);
    }
    return ok;
}

static int put_records(struct sim *s, int t) {
    uint64_t all = 0;
    int ok = 1;
    for (int c = CAUSE_OWN; c <= CAUSE_MISATTR; c++) all += s->records_cause[c];
    ok &= metrics_put(s, t, M_RECORDS, "all", (double)all);
    for (int c = CAUSE_OWN; c <= CAUSE_MISATTR; c++) {
        char grp[32];
        snprintf(grp, sizeof grp, "cause:%s", res_cause_name(c));
        ok &= metrics_put(s, t, M_RECORDS, grp, (double)s->records_cause[c]);
    }
    for (int a = 0; a < s->sc.nagencies; a++) {
        char grp[48];
        snprintf(grp, sizeof grp, "agency:%s", s->sc.agencies[a].name);
        ok &= metrics_put(s, t, M_RECORDS, grp, (double)s->records_agency[a]);
    }
    return ok;
}

/* Blacklisted and wrongly blacklisted agents (persons and firms) by region. */
static int put_regions(struct sim *s, int t, const acc *a) {
    int ok = 1;
    for (int r = 0; r < s->sc.population.regions; r++) {
        char grp[24];
        snprintf(grp, sizeof grp, "region:%d", r);
        ok &= metrics_put(s, t, M_LISTED_BLACK, grp, (double)a->black_region[r]);
        ok &= metrics_put(s, t, M_WRONGLY_LISTED_BLACK, grp, (double)a->wrongly_region[r]);
    }
    return ok;
}

/* A row of step t, or of the summary when t < 0. */
static int put_at(struct sim *s, int t, int name, const char *grp, double v) {
    return t < 0 ? metrics_put_sum(s, name, grp, v) : metrics_put(s, t, name, grp, v);
}

/* name by cause:C (C = 1 .. SIM_NCAUSES-1) and by region:R; step -1: into the summary. */
static int put_causes_regions(struct sim *s, int t, int name, const uint64_t *cause,
                              const uint64_t *region) {
    int ok = 1;
    char grp[32];
    for (int c = 1; c < SIM_NCAUSES; c++) {
        snprintf(grp, sizeof grp, "cause:%s", res_cause_name(c));
        ok &= put_at(s, t, name, grp, (double)cause[c]);
    }
    for (int r = 0; region && r < s->sc.population.regions; r++) {
        snprintf(grp, sizeof grp, "region:%d", r);
        ok &= put_at(s, t, name, grp, (double)region[r]);
    }
    return ok;
}

static int put_wrongly(struct sim *s, int t, const acc *a) {
    int ok = put_slots(s, t, M_WRONGLY_LISTED_BLACK, a->wrongly_grp) && put_regions(s, t, a);
    ok &= put_causes_regions(s, t, M_WRONGLY_LISTED_BLACK, a->wrongly, NULL);
    ok &= put_slots(s, t, M_NEW_WRONGLY_LISTED_BLACK, a->wl_grp);
    ok &= put_causes_regions(s, t, M_NEW_WRONGLY_LISTED_BLACK, a->wl_cause, a->wl_region);
    return ok;
}

/* Privacy exposure so far: records about persons, persons with a record, persons processed
 * as third parties, persons on the blacklist or watch list (retention). */
static int put_privacy_step(struct sim *s, int t, const acc *a) {
    uint64_t lists[2] = {0, 0};
    for (int g = 0; g < s->sc.population.groups; g++)
        lists[0] += a->listed[LIST_BLACK][g], lists[1] += a->listed[LIST_WATCH][g];
    s->retention[0] += lists[0], s->retention[1] += lists[1];
    double P = s->pop->persons ? (double)s->pop->persons : NAN;
    int ok = metrics_put(s, t, M_RECORDS_PER_PERSON, "mean", (double)s->rec_persons / P);
    ok &= metrics_put(s, t, M_PERSONS_WITH_RECORDS, "all", (double)s->persons_with_records);
    ok &= metrics_put(s, t, M_AGENCIES_PER_PERSON, "mean", (double)s->agency_links / P);
    ok &= metrics_put(s, t, M_THIRD_PARTY_PROCESSING, "all", (double)a->third);
    ok &= metrics_put(s, t, M_RETENTION_EXPOSURE, "black", (double)s->retention[0]);
    if (s->until[LIST_WATCH])
        ok &= metrics_put(s, t, M_RETENTION_EXPOSURE, "watch", (double)s->retention[1]);
    return ok;
}

static int put_scores(struct sim *s, int t, const acc *a) {
    double all = 0;
    int ok = 1;
    for (int g = 0; g < ACC_G; g++) all += a->score_sum[g];
    ok &= metrics_put(s, t, M_MEAN_SCORE, "all", all / s->n);
    for (int g = 0; g < s->sc.population.groups; g++) {
        char grp[24];
        snprintf(grp, sizeof grp, "group:%d", g);
        double n = (double)s->group_size[g];
        ok &= metrics_put(s, t, M_MEAN_SCORE, grp, n > 0 ? a->score_sum[g] / n : NAN);
    }
    if (s->pop->firms)
        ok &= metrics_put(s, t, M_MEAN_SCORE, "firms", a->score_sum[ACC_G - 1] / s->pop->firms);
    return ok;
}

/* Moves every block's listing events of this step into the results, in block order. */
static int flush_events(struct sim *s) {
    for (size_t b = 0; b < s->nblocks; b++) {
        for (uint32_t k = 0; k < s->blk[b].nev; k++)
            if (!res_add_event(s->res, &s->blk[b].ev[k])) return 0;
        s->res->events_dropped += s->blk[b].ev_dropped;
    }
    return 1;
}

int metrics_step(struct sim *s, int t) {
    acc a;
    memset(&a, 0, sizeof a);
    for (size_t b = 0; b < s->nblocks; b++) add_acc(&a, &s->blk[b].a, s->sc.population.regions);
    for (int c = 1; c < SIM_NCAUSES; c++) s->tot_listings[c] += a.new_listed[LIST_BLACK][c];
    for (int g = 0; g < ACC_G; g++) s->tot_violations += a.violations[g];
    for (int c = 0; c < SIM_NCAUSES; c++) s->tot_wl_cause[c] += a.wl_cause[c];
    for (int g = 0; g < ACC_G; g++) s->tot_wl_grp[g] += a.wl_grp[g];
    for (int r = 0; r < SCN_MAX_REGIONS; r++) s->tot_wl_region[r] += a.wl_region[r];
    for (int g = 0; g < ACC_G; g++) s->tot_violations_cf += a.violations_cf[g];
    for (int c = 1; c < SIM_NCAUSES; c++) s->tot_records[c] += s->records_cause[c];
    for (int k = 0; k < s->sc.nagencies; k++) {
        s->tot_viol_ag[k] += a.viol_ag[k], s->tot_viol_cf_ag[k] += a.viol_cf_ag[k];
        s->tot_rec_ag[k] += s->detected_agency[k];
    }
    if (!sanction_metrics(s, t, &a)) return 0;
    if (t == 0) return flush_events(s);
    region_step(s, &a);   /* regional pilots (region.c) */
    int ok = put_slots(s, t, M_VIOLATIONS, a.violations);
    uint64_t v = 0, cf = 0;
    for (int g = 0; g < ACC_G; g++) v += a.violations[g], cf += a.violations_cf[g];
    ok &= metrics_put(s, t, M_VIOLATIONS_PREVENTED, "all", (double)(cf - v));
    ok &= put_records(s, t);
    ok &= sev_metrics(s, t, a.viol_ag, a.viol_cf_ag, s->detected_agency, 0);
    ok &= put_lists(s, t, &a);
    ok &= put_wrongly(s, t, &a);
    ok &= put_privacy_step(s, t, &a);
    if (s->sc.scoring.regime == REGIME_POINTS) ok &= put_scores(s, t, &a);
    ok &= collect_metrics(s, t);
    ok &= chill_metrics(s, t);
    ok &= share_metrics(s, t);
    ok &= deeds_metrics(s, t) & commercial_metrics(s, t);   /* issue 13 items 7 and 4 */
    ok &= ownlist_metrics(s, t);
    return ok && flush_events(s);
}

static int put_layers(struct sim *s) {
    int ok = 1;
    for (int l = 0; l < SCN_NLAYERS; l++) {
        if (!s->layer[l]) continue;
        char grp[32];
        snprintf(grp, sizeof grp, "layer:%s", scn_layer_name((scn_layer_id)l));
        ok &= metrics_put_sum(s, M_ARCS, grp, (double)s->layer[l]->m);
        if (s->sc.layers[l].generator != GEN_CSV) continue;
        ok &= metrics_put_sum(s, M_CSV_LINES, grp, (double)s->layer_stats[l].lines);
        ok &= metrics_put_sum(s, M_CSV_SELF_LOOPS_DROPPED, grp,
                              (double)s->layer_stats[l].self_loops);
        ok &= metrics_put_sum(s, M_CSV_DUPLICATES_DROPPED, grp,
                              (double)s->layer_stats[l].duplicates);
    }
    return ok;
}

/* Agents per grade band at the end: the first band (highest first) whose minimum the score
 * reaches; the last band takes every lower score. Points regime only. */
static int put_grades(struct sim *s) {
    const scn_scoring *sp = &s->sc.scoring;
    uint64_t count[SCN_MAX_GRADES] = {0};
    if (sp->regime != REGIME_POINTS || sp->ngrades == 0) return 1;
#pragma omp parallel for schedule(static) num_threads(s->threads) \
    reduction(+ : count[:SCN_MAX_GRADES])
    for (uint32_t i = 0; i < s->n; i++) {
        int g = 0;
        while (g < sp->ngrades - 1 && s->score[i] < sp->grade_min[g]) g++;
        count[g]++;
    }
    int ok = 1;
    for (int g = 0; g < sp->ngrades; g++) {
        char grp[24];
        snprintf(grp, sizeof grp, "grade:%s", sp->grade_name[g]);
        ok &= metrics_put_sum(s, M_GRADED, grp, (double)count[g]);
    }
    return ok;
}

/* The inference attacks' sort keys and radix buffer, 2 x persons + 1 (16 bytes a person),
 * shared by exposure.c and infer.c, backed once: every page is written. */
static uint64_t *summary_keys(const struct sim *s) {
    size_t bytes = (2 * (size_t)s->pop->persons + 1) * sizeof(uint64_t);
    uint64_t *key = malloc(bytes);
    if (key) mem_populate(key, bytes, s->threads);
    return key;
}

int metrics_summary(struct sim *s) {
    uint64_t ever = 0, wrong = 0, listed = 0, all = 0;
#pragma omp parallel for schedule(static) num_threads(s->threads) \
    reduction(+ : ever, wrong, listed)
    for (uint32_t i = 0; i < s->n; i++) {
        ever += (s->status[i] & ST_EVER_BLACK) != 0;
        wrong += (s->status[i] & ST_EVER_WRONG) != 0;
        listed += (s->status[i] & ST_BLACK) != 0;
    }
    uint64_t *key = summary_keys(s);
    int done = key && put_grades(s) && cascade_summary(s) && exposure_summary(s, key) &&
               sanction_summary(s) && collect_summary(s) && chill_summary(s) &&
               infer_summary(s, key);
    free(key);
    if (!done || !share_summary(s) || !deeds_summary(s) || !commercial_summary(s)) return 0;
    int ok = metrics_put_sum(s, M_PERSONS, "all", s->pop->persons);
    ok &= metrics_put_sum(s, M_FIRMS, "all", s->pop->firms);
    ok &= metrics_put_sum(s, M_HOUSEHOLDS, "all", s->pop->households);
    ok &= metrics_put_sum(s, M_STEPS, "all", s->t);
    ok &= put_layers(s);
    ok &= metrics_put_sum(s, M_VIOLATIONS, "all", (double)s->tot_violations);
    ok &= metrics_put_sum(s, M_VIOLATIONS_COUNTERFACTUAL, "all", (double)s->tot_violations_cf);
    ok &= metrics_put_sum(s, M_VIOLATIONS_PREVENTED, "all",
                  (double)(s->tot_violations_cf - s->tot_violations));
    ok &= metrics_put_sum(s, M_VIOLATIONS_PREVENTED_PER_WRONGFUL_LISTING, "all",
                  wrong ? (double)(s->tot_violations_cf - s->tot_violations) / (double)wrong : NAN);
    ok &= metrics_put_sum(s, M_RECORDED_SHARE, "all", s->tot_violations
                  ? (double)s->tot_records[CAUSE_OWN] / (double)s->tot_violations : NAN);
    for (int c = CAUSE_OWN; c <= CAUSE_MISATTR; c++) all += s->tot_records[c];
    ok &= metrics_put_sum(s, M_RECORDS, "all", (double)all);
    all = 0;
    for (int c = 1; c < SIM_NCAUSES; c++) {
        char grp[32];
        snprintf(grp, sizeof grp, "cause:%s", res_cause_name(c));
        if (c <= CAUSE_MISATTR) ok &= metrics_put_sum(s, M_RECORDS, grp, (double)s->tot_records[c]);
        ok &= metrics_put_sum(s, M_LISTINGS_BLACK, grp, (double)s->tot_listings[c]);
        all += s->tot_listings[c];
    }
    ok &= metrics_put_sum(s, M_LISTINGS_BLACK, "all", (double)all);
    ok &= metrics_put_sum(s, M_EVER_LISTED_BLACK, "all", (double)ever);
    ok &= metrics_put_sum(s, M_EVER_WRONGLY_LISTED_BLACK, "all", (double)wrong);
    uint64_t wl = 0;
    for (int c = 1; c < SIM_NCAUSES; c++) wl += s->tot_wl_cause[c];
    ok &= metrics_put_sum(s, M_WRONGFUL_LISTINGS_BLACK, "all", (double)wl);
    ok &= put_causes_regions(s, -1, M_WRONGFUL_LISTINGS_BLACK, s->tot_wl_cause, s->tot_wl_region);
    for (int g = 0; g < s->sc.population.groups; g++) {
        char grp[24];
        snprintf(grp, sizeof grp, "group:%d", g);
        ok &= metrics_put_sum(s, M_WRONGFUL_LISTINGS_BLACK, grp, (double)s->tot_wl_grp[g]);
    }
    if (s->pop->firms)
        ok &= metrics_put_sum(s, M_WRONGFUL_LISTINGS_BLACK, "firms",
                              (double)s->tot_wl_grp[ACC_G - 1]);
    ok &= metrics_put_sum(s, M_RETENTION_EXPOSURE, "black", (double)s->retention[0]);
    if (s->until[LIST_WATCH])
        ok &= metrics_put_sum(s, M_RETENTION_EXPOSURE, "watch", (double)s->retention[1]);
    ok &= metrics_put_sum(s, M_LISTED_BLACK, "all", (double)listed);
    ok &= metrics_put_sum(s, M_EVENTS_KEPT, "all", (double)s->res->nevents);
    ok &= metrics_put_sum(s, M_EVENTS_DROPPED, "all", (double)s->res->events_dropped);
    ok &= region_summary(s);   /* regional pilots (region.c) */
    ok &= sev_metrics(s, -1, s->tot_viol_ag, s->tot_viol_cf_ag, s->tot_rec_ag, wrong);
    return ok && ownlist_summary(s);
}
