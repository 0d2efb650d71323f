/* sim/verify/verify_policy.c - the policy checks: the runaway feedback loop of targeted inspections
 * (Ensign et al. 2018), the stock and flow of a list (Little's law), and exactness with all
 * errors off, including the fan-out of the joint punishment matrix (docs/validation.md). */
#include "verify_impl.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TRACES_SHOWN = 40 };   /* replicate traces drawn per panel */

static sim_status oom(sim_err *err) { return err_set(err, SIM_ENOMEM, "out of memory"); }

/* ---- targeted inspections ---------------------------------------------------------- */

/* trace 0: region 0's inspection share at each step; stat 0: at the last step. */
static void ensign_extract(const sim_t *s, const scenario *sc, double *stat, double *trace) {
    verify_series_of(sim_results(s), "inspection_share", "region:0", trace, sc->run.steps);
    stat[0] = trace[sc->run.steps];
}

typedef struct urn {         /* the allocation rule of sim/engine/sanction.c, read from a scenario */
    const scenario *sc;
    int    R, a;             /* regions, the targeted agency */
    double v, c, d, prior;   /* violation probability, coverage, detection, pseudo-records */
} urn;

static sim_status urn_of(const scenario *sc, const char *file, urn *u, sim_err *err) {
    u->sc = sc, u->R = sc->population.regions, u->a = sc->inspection.target;
    if (u->a < 0 || sc->population.propensity_sd != 0 || sc->population.firms_per_person != 0 ||
        sc->inspection.region_spill != 0 || sc->nsanctions)
        return err_set(err, SIM_ESCENARIO, "verify ensign: %s needs targeted inspections of "
                       "persons with equal propensities, no firms, no sanctions and no "
                       "region_spill (the theory is for that)", file);
    const scn_agency *ag = &sc->agencies[u->a];
    u->v = fmin(1.0, ag->violation_scale * sc->population.propensity_mean);
    u->c = ag->coverage, u->d = ag->detection, u->prior = sc->inspection.prior;
    return SIM_OK;
}

/* Expected records per step in region r when the allocation multiplier there is m: persons
 * N/R, violations deterred as sim/engine/sanction.c says (perceived detection by region, the
 * targeted agency's coverage multiplied by m), each recorded with min(1, c m d). */
static double urn_records(const urn *u, int r, double m) {
    const scenario *sc = u->sc;
    const scn_behaviour *b = &sc->behaviour;
    double det = 1;
    if (b->deter_surveillance > 0) {
        double sum = 0;
        for (int g = 0; g < sc->nagencies; g++) {
            const scn_agency *ag = &sc->agencies[g];
            sum += fmin(1.0, ag->coverage * (g == u->a ? m : ag->coverage_by_region[r]) *
                                 ag->detection);
        }
        det = fmin(1.0, fmax(b->deter_floor, 1 - b->deter_surveillance * sum / sc->nagencies));
    }
    double N = (double)sc->population.persons / u->R;
    return N * u->v * det * fmin(1.0, u->c * m * u->d);
}

/* Mean-field path of region 0's share: the weights grow by their expected increments
 * (divided by the multiplier with the correction). x[t], t = 0..steps; *var (may be NULL):
 * the linear-noise variance of x[steps] (Poisson records), for the corrected rule. */
static void urn_meanfield(const urn *u, int steps, double *x, double *var) {
    double w[SCN_MAX_REGIONS], vw[SCN_MAX_REGIONS] = {0}, W = u->R * u->prior;
    int corr = u->sc->inspection.correct;
    for (int r = 0; r < u->R; r++) w[r] = u->prior;
    x[0] = w[0] / W;
    for (int t = 1; t <= steps; t++) {
        double inc[SCN_MAX_REGIONS], nW = 0;
        for (int r = 0; r < u->R; r++) {
            double m = u->R * w[r] / W, e = urn_records(u, r, m);
            inc[r] = corr ? e / m : e;
            vw[r] += corr ? e / (m * m) : e;
        }
        for (int r = 0; r < u->R; r++) nW += w[r] += inc[r];
        W = nW;
        x[t] = w[0] / W;
    }
    if (var) {   /* x = w0 / W: delta method over independent region weights */
        double v = vw[0] * pow((W - w[0]) / (W * W), 2);
        for (int r = 1; r < u->R; r++) v += vw[r] * pow(w[0] / (W * W), 2);
        *var = v;
    }
}

/* The share the corrected allocation tends to (two regions): x = r0 / (r0 + r1) with the
 * rates at the allocation x itself. */
static double fixed_fn(double x, void *p) {
    const urn *u = p;
    double r0 = urn_records(u, 0, 2 * x) / (2 * x), r1 = urn_records(u, 1, 2 - 2 * x) / (2 - 2 * x);
    return x - r0 / (r0 + r1);
}

static double urn_true_share(const urn *u) {
    double lo = 1e-6, hi = 1 - 1e-6, flo = fixed_fn(lo, (void *)u), fhi = fixed_fn(hi, (void *)u);
    if (u->R != 2 || !(flo < 0 && fhi > 0)) return 1.0 / u->R;
    for (int it = 0; it < 100; it++) {   /* bisection: fixed_fn is increasing */
        double mid = (lo + hi) / 2;
        if (fixed_fn(mid, (void *)u) < 0) lo = mid; else hi = mid;
    }
    return (lo + hi) / 2;
}

/* Faint replicate traces (at most TRACES_SHOWN) of a point into panel p. */
static int add_traces(verify_panel *p, const vpoint *pt, const double *steps_x) {
    int shown = pt->reps < TRACES_SHOWN ? pt->reps : TRACES_SHOWN;
    char label[80];
    snprintf(label, sizeof label, "replicates (%d of %d)", shown, pt->reps);
    for (int r = 0; r < shown; r++) {
        verify_series *s = verify_add_series(p, VERIFY_LINE, r ? "" : label, 0, steps_x + 1,
                                             pt->trace + (size_t)r * (pt->steps + 1) + 1, NULL,
                                             NULL, (size_t)pt->steps);
        if (!s) return 0;
        s->faint = 1;
    }
    return 1;
}

/* Mean and s.d. over all replicates of a point's trace at steps 1..T into mean[t-1], sd[t-1]. */
static void trace_stats(const vpoint *pt, double *mean, double *sd) {
    for (int t = 1; t <= pt->steps; t++) {
        double s = 0, s2 = 0;
        int k = 0;
        for (int r = 0; r < pt->reps; r++) {
            double v = pt->trace[(size_t)r * (pt->steps + 1) + t];
            if (isfinite(v)) s += v, s2 += v * v, k++;
        }
        mean[t - 1] = k ? s / k : NAN;
        sd[t - 1] = k > 1 ? sqrt(fmax(0, (s2 - s * s / k) / (k - 1))) : NAN;
    }
}

/* Equal rates: the share's spread is the urn's (exact for Poisson records) and its mean
 * stays 1/R (a martingale). */
static int ensign_equal(const verify_opts *o, const vpoint *pt, const urn *u, verify_result *res,
                        verify_panel *p, const double *steps_x) {
    int T = pt->steps, n = pt->reps, ok = 1;
    double x0 = 1.0 / u->R, kappa = (double)pt->sc.population.persons * u->v * u->c * u->d;
    double *var = malloc((size_t)(T + 1) * sizeof *var), *blo = malloc((size_t)T * sizeof *blo);
    double *bhi = malloc((size_t)T * sizeof *bhi), mean, lo, hi, ss = 0;
    (void)o;
    if (!var || !blo || !bhi || !verify_urn_var(x0, u->R * u->prior, kappa, T - 1, var))
        return free(var), free(blo), free(bhi), 0;
    for (int t = 1; t <= T; t++)   /* the share shown at step t was set by steps 1..t-1 */
        blo[t - 1] = x0 - sqrt(var[t - 1]), bhi[t - 1] = x0 + sqrt(var[t - 1]);
    int k = verify_mean_ci(pt->stat, (size_t)n, 1, &mean, &lo, &hi);
    for (int r = 0; r < n; r++) ss += isfinite(pt->stat[r]) ? pow(pt->stat[r] - mean, 2) : 0;
    double sd = sqrt(ss / (k - 1)), sdt = sqrt(var[T - 1]), se = sdt / sqrt(2.0 * (k - 1));
    double slo = NAN, shi = NAN;   /* chi-square interval (GSL's domain: k >= 2) */
    if (k >= 2) slo = sd * sqrt((k - 1) / gsl_cdf_chisq_Pinv(0.975, k - 1)),
                shi = sd * sqrt((k - 1) / gsl_cdf_chisq_Pinv(0.025, k - 1));
    ok = verify_add_row(res, "ensign", "equal rates: s.d. of region 0's share at the end",
                        sdt, sd, slo, shi, 3 * se + 0.02 * sdt) &&
         verify_add_row(res, "ensign", "equal rates: mean share of region 0 (martingale)", x0,
                        mean, lo, hi, 3 * sdt / sqrt(k));
    double *m = malloc(3 * (size_t)T * sizeof *m), *up = m ? m + T : NULL, *dn = m ? up + T : NULL;
    char label[80];
    snprintf(label, sizeof label, "replicates: mean ± 1 s.d. (all %d)", n);
    if (m) {
        trace_stats(pt, m, up);
        for (int t = 0; t < T; t++) dn[t] = m[t] - up[t], up[t] = m[t] + up[t];
    }
    ok = ok && m && add_traces(p, pt, steps_x) &&
         verify_add_series(p, VERIFY_BAND, "Pólya urn theory: ½ ± 1 s.d.", 1, steps_x + 1,
                           NULL, blo, bhi, (size_t)T) &&
         verify_add_series(p, VERIFY_LINE, label, 0, steps_x + 1, up, NULL, NULL, (size_t)T) &&
         verify_add_series(p, VERIFY_LINE, "", 0, steps_x + 1, dn, NULL, NULL, (size_t)T) &&
         verify_add_level(p, "urn theory: mean ½", -1, x0, 1, T);
    free(var), free(blo), free(bhi), free(m);
    return ok;
}

/* Unequal rates: the mean-field path (uncorrected: runs away; corrected: tends to the
 * true-rate share), the replicates' mean at the end against it. */
static int ensign_unequal(const verify_opts *o, const vpoint *pt, const urn *u,
                          verify_result *res, verify_panel *p, const double *steps_x) {
    int T = pt->steps, corr = pt->sc.inspection.correct, ok;
    double *x = malloc((size_t)(T + 1) * sizeof *x), var = 0, mean, lo, hi;
    if (!x) return 0;
    urn_meanfield(u, T - 1, x, &var);
    double truth = urn_true_share(u), r0 = urn_records(u, 0, 1), r1 = urn_records(u, 1, 1);
    int k = verify_mean_ci(pt->stat, (size_t)pt->reps, 1, &mean, &lo, &hi);
    char setting[96], label[80];
    snprintf(setting, sizeof setting, "rates %.3g:1, %s: share of region 0 at the end",
             r0 / r1, corr ? "corrected" : "uncorrected");
    double tol = corr ? 3 * sqrt(var / k) + 0.003 : o->quick ? 0.04 : 0.025;
    ok = verify_add_row(res, "ensign", setting, x[T - 1], mean, lo, hi, tol);
    double *m = malloc(4 * (size_t)T * sizeof *m), *mx = m ? m + 2 * T : NULL;
    double *my = m ? m + 3 * T : NULL;
    int every = T / 20 > 1 ? T / 20 : 1, nm = 0;   /* the replicates' mean as dots */
    char mlabel[80];
    snprintf(label, sizeof label, "true-rate share %.3f", truth);
    snprintf(mlabel, sizeof mlabel, "replicates: mean (all %d)", pt->reps);
    if (m) trace_stats(pt, m, m + T);
    for (int t = every; m && t <= T; t += every) mx[nm] = t, my[nm++] = m[t - 1];
    ok = ok && m && add_traces(p, pt, steps_x) &&
         verify_add_series(p, VERIFY_LINE, "mean-field theory", -1, steps_x + 1, x, NULL,
                           NULL, (size_t)T) &&
         verify_add_level(p, label, 3, truth, 1, T) &&
         verify_add_series(p, VERIFY_POINTS, mlabel, 0, mx, my, NULL, NULL, (size_t)nm);
    free(x), free(m);
    return ok;
}

static sim_status ensign_evaluate(const verify_opts *o, const vpart_runs *runs,
                                  verify_result *res, sim_err *err) {
    static const char *const TITLE[3] = {"Equal rates, uncorrected", "Unequal rates, uncorrected",
                                         "Unequal rates, corrected"};
    verify_figure *f = verify_add_figure(res, "ensign", "Targeted inspections: the runaway "
                                         "feedback loop (Ensign et al. 2018)", 3);
    if (!f) return oom(err);
    for (int k = 0; k < 3; k++) {
        const vpoint *pt = &runs[k].pt[0];
        urn u = {NULL, 0, 0, 0, 0, 0, 0};
        sim_status st = urn_of(&pt->sc, runs[k].part->file, &u, err);
        if (st != SIM_OK) return st;
        if (k == 0 && (pt->sc.behaviour.deter_surveillance > 0 || pt->sc.inspection.correct ||
                       u.c * u.d * u.R > 1))
            return err_set(err, SIM_ESCENARIO, "verify ensign: %s: the urn theory needs no "
                           "deterrence, no correction and coverage x detection x regions <= 1",
                           runs[k].part->file);
        double *steps_x = malloc((size_t)(pt->steps + 1) * sizeof *steps_x);
        if (!steps_x) return oom(err);
        for (int t = 0; t <= pt->steps; t++) steps_x[t] = t;
        verify_panel *p = &f->panel[k];
        verify_panel_labels(p, TITLE[k], "Step (month)", "Inspection share of region 0");
        p->ylim[0] = 0, p->ylim[1] = 1.4, p->ytick_max = 1, p->legend = VERIFY_LEGEND_NE;
        int ok = k == 0 ? ensign_equal(o, pt, &u, res, p, steps_x)
                        : ensign_unequal(o, pt, &u, res, p, steps_x);
        free(steps_x);
        if (!ok) return oom(err);
    }
    return SIM_OK;
}

const vcheck VERIFY_ENSIGN = {
    "ensign", 3,
    {{"ensign.ini", 0, 400, 80, {"run.steps=100"}, 1, 1, 0, ensign_extract},
     {"ensign-unequal.ini", 0, 400, 80, {"run.steps=100"}, 1, 1, 0, ensign_extract},
     {"ensign-corrected.ini", 0, 400, 80, {"run.steps=100"}, 1, 1, 0, ensign_extract}},
    ensign_evaluate};

/* ---- stock and flow ---------------------------------------------------------------- */

/* trace 0: persons blacklisted at each step; trace 1: newly blacklisted. */
static void stock_extract(const sim_t *s, const scenario *sc, double *stat, double *trace) {
    (void)stat;
    int T = sc->run.steps;
    verify_series_of(sim_results(s), "listed.black", "all", trace, T);
    verify_series_of(sim_results(s), "new_listed.black", "all", trace + T + 1, T);
}

typedef struct flow { double p, c, E, L, lambda; int W, burn; } flow;

static sim_status flow_of(const scenario *sc, const char *file, flow *f, sim_err *err) {
    const scn_agency *ag = &sc->agencies[0];
    if (sc->scoring.regime != REGIME_LISTS || sc->nagencies != 1 || ag->list_after != 1 ||
        ag->window != sc->lists.black_term || sc->population.propensity_sd != 0 ||
        sc->population.firms_per_person != 0 || ag->false_record != 0 || sc->nrules ||
        sc->redress.appeal > 0 || sc->redress.repair > 0 || sc->redress.extend > 0)
        return err_set(err, SIM_ESCENARIO, "verify stock-flow: %s needs the lists regime, one "
                       "agency without false records, list_after = 1, window = black_term, equal "
                       "propensities, no firms, no spillover and no redress but compliance",
                       file);
    f->p = fmin(1.0, ag->violation_scale * sc->population.propensity_mean) *
           fmin(1.0, ag->coverage * ag->coverage_by_region[0] * ag->detection);
    f->W = ag->window;
    f->c = sc->redress.comply * sc->redress.comply_unemployed;   /* no firms: no jobs */
    f->E = verify_listing_time(f->p, f->W, f->c);
    f->L = f->E / (f->E + 1 / f->p);
    f->lambda = 1 / (f->E + 1 / f->p);
    f->burn = f->c > 0 ? 3 * f->W : f->W;   /* fixed terms: stationary from step W on */
    return SIM_OK;
}

/* Mean of v[from..to] and a 95% interval from 4 batch means (the series is autocorrelated
 * over about a term). */
static double batch_mean(const double *v, int from, int to, double *lo, double *hi) {
    double b[4], m, n = to - from + 1;
    for (int k = 0; k < 4; k++) {
        int a = from + (int)(n * k / 4), e = from + (int)(n * (k + 1) / 4);
        b[k] = 0;
        for (int t = a; t < e; t++) b[k] += v[t] / (e - a);
    }
    verify_mean_ci(b, 4, 1, &m, lo, hi);
    return m;
}

/* The mean of v[t-w+1..t] for t = 1..T into out[t-1] (NaN for t < w); malloc'd. */
static double *running_mean(const double *v, int T, int w) {
    double *out = malloc((size_t)T * sizeof *out), sum = 0;
    for (int t = 1; out && t <= T; t++) {
        sum += v[t] - (t > w ? v[t - w] : 0);
        out[t - 1] = t >= w ? sum / w : NAN;
    }
    return out;
}

static int stock_rows(const verify_opts *o, const vpoint *pt, const flow *f, verify_result *res) {
    int T = pt->steps;
    double N = (double)pt->sc.population.persons, sl, sh, fl, fh;
    const double *listed = pt->trace, *newly = pt->trace + T + 1;
    double stock = batch_mean(listed, f->burn + 1, T, &sl, &sh) / N;
    double inflow = batch_mean(newly, f->burn + 1, T, &fl, &fh) / N;
    double tol = o->quick ? 0.006 : 0.002;
    char s1[96], s2[96], s3[96];
    if (f->c > 0) {
        snprintf(s1, sizeof s1, "comply %g: listed share, W=%d p=%g", f->c, f->W, f->p);
        snprintf(s2, sizeof s2, "comply %g: newly listed share per step", f->c);
        snprintf(s3, sizeof s3, "comply %g: mean months listed = stock / flow", f->c);
    } else {
        snprintf(s1, sizeof s1, "listed share, W=%d p=%g", f->W, f->p);
        snprintf(s2, sizeof s2, "newly listed share per step");
        snprintf(s3, sizeof s3, "Little: mean months listed = stock / flow");
    }
    return verify_add_row(res, "stock-flow", s1, f->L, stock, sl / N, sh / N, tol) &&
           verify_add_row(res, "stock-flow", s2, f->lambda, inflow, fl / N, fh / N, tol / 10) &&
           verify_add_row(res, "stock-flow", s3, f->E, inflow > 0 ? stock / inflow : NAN,
                          sl / fh, sh / fl, o->quick ? 1.5 : 0.5);
}

static sim_status stock_evaluate(const verify_opts *o, const vpart_runs *runs,
                                 verify_result *res, sim_err *err) {
    verify_figure *fig = verify_add_figure(res, "stock-flow", "Stock and flow of the blacklist: "
                                           "Little's law L = λW", 2);
    if (!fig) return oom(err);
    verify_panel_labels(&fig->panel[0], "Stock", "Step (month)", "Persons blacklisted");
    verify_panel_labels(&fig->panel[1], "Inflow (12-month mean)", "Step (month)",
                        "Newly blacklisted per month");
    fig->panel[0].ylim[0] = fig->panel[1].ylim[0] = 0;
    fig->panel[0].xlim[0] = fig->panel[1].xlim[0] = 0;
    for (int k = 0; k < 2; k++) {
        const vpoint *pt = &runs[k].pt[0];
        flow f = {0, 0, 0, 0, 0, 0, 0};
        sim_status st = flow_of(&pt->sc, runs[k].part->file, &f, err);
        if (st != SIM_OK) return st;
        int T = pt->steps, ok = stock_rows(o, pt, &f, res);
        double *x = malloc((size_t)T * sizeof *x), N = (double)pt->sc.population.persons;
        if (!x) return oom(err);
        for (int t = 1; t <= T; t++) x[t - 1] = t;
        char sim[80], th[2][80];
        if (f.c > 0) snprintf(sim, sizeof sim, "compliance %g a month: simulated", f.c);
        else snprintf(sim, sizeof sim, "fixed term %d: simulated", f.W);
        snprintf(th[0], sizeof th[0], "theory: L = λ E[T], E[T] = %.1f months", f.E);
        snprintf(th[1], sizeof th[1], "theory: λ = %.0f a month", N * f.lambda);
        double *avg = running_mean(pt->trace + T + 1, T, 12);   /* inflow: 12-month mean */
        for (int j = 0; j < 2 && ok; j++) {
            verify_panel *p = &fig->panel[j];
            ok = avg && verify_add_series(p, VERIFY_LINE, sim, k, x, j ? avg : pt->trace + 1,
                                          NULL, NULL, (size_t)T) &&
                 verify_add_level(p, th[j], k == 0 ? 5 : 3, N * (j ? f.lambda : f.L), f.burn, T);
        }
        free(avg);
        free(x);
        if (!ok) return oom(err);
    }
    return SIM_OK;
}

const vcheck VERIFY_STOCK_FLOW = {
    "stock-flow", 2,
    {{"stock-flow.ini", 0, 1, 1, {"population.persons=20000"}, 0, 2, 0, stock_extract},
     {"stock-flow-comply.ini", 0, 1, 1, {"population.persons=20000"}, 0, 2, 0, stock_extract}},
    stock_evaluate};

/* ---- exactness ---------------------------------------------------------------------- */

/* stat: 0 ever wrongly blacklisted, 1 listings not by an own record, 2 blacklisted at the end. */
static void exact_extract(const sim_t *s, const scenario *sc, double *stat, double *trace) {
    (void)sc, (void)trace;
    const res_t *r = sim_results(s);
    stat[0] = res_get_summary(r, "ever_wrongly_listed.black", "all");
    stat[1] = res_get_summary(r, "listings.black", "all") -
              res_get_summary(r, "listings.black", "cause:own_record");
    stat[2] = res_get_summary(r, "listed.black", "all");
}

/* stat: 0..1 person-steps blacklisted in region 0 and 1 (steps 1..T), 2.. sanction-steps of
 * each sanction of the catalogue. */
static void fanout_extract(const sim_t *s, const scenario *sc, double *stat, double *trace) {
    (void)trace;
    const res_t *r = sim_results(s);
    int T = sc->run.steps;
    double *v = malloc((size_t)(T + 1) * sizeof *v);
    char grp[64];
    for (int g = 0; g < 2; g++) {
        stat[g] = NAN;
        if (!v) continue;
        snprintf(grp, sizeof grp, "region:%d", g);
        verify_series_of(r, "listed.black", grp, v, T);
        stat[g] = 0;
        for (int t = 1; t <= T; t++) stat[g] += v[t];
    }
    free(v);
    for (int k = 0; k < sc->nsanctions; k++) {
        snprintf(grp, sizeof grp, "sanction:%s", sc->sanctions[k].name);
        stat[2 + k] = res_get_summary(r, "sanction_steps", grp);
    }
}

/* The agency that records in region r (the only one with coverage there), or -1. */
static int agency_of_region(const scenario *sc, int r) {
    int a = -1;
    for (int g = 0; g < sc->nagencies; g++)
        if (sc->agencies[g].coverage * sc->agencies[g].coverage_by_region[r] > 0) {
            if (a >= 0) return -1;
            a = g;
        }
    return a;
}

/* Whether a blacklisting by agency a triggers sanction k: its `lists` name black, or the
 * agency's joint punishment row does. */
static int triggers(const scenario *sc, int a, int k) {
    if (sc->sanctions[k].list_mask & (1u << LIST_BLACK)) return 1;
    for (int j = 0; j < sc->njoint; j++)
        if (sc->joint[j].agency == a && (sc->joint[j].mask[LIST_BLACK] >> k & 1)) return 1;
    return 0;
}

static sim_status fanout_rows(const vpoint *pt, const char *file, verify_result *res,
                              verify_panel *p, sim_err *err) {
    const scenario *sc = &pt->sc;
    int a[2] = {agency_of_region(sc, 0), agency_of_region(sc, 1)}, n = sc->nsanctions, ok = 1;
    for (int k = 0; k < n; k++)
        if (sc->sanctions[k].reach_mask != REACH_SELF || sc->sanctions[k].duration != 0 ||
            !(sc->sanctions[k].targets & TARGET_PERSONS))
            a[0] = -1;
    if (sc->population.regions != 2 || a[0] < 0 || a[1] < 0 || n > VERIFY_MAX_TICKS ||
        sc->population.firms_per_person != 0)
        return err_set(err, SIM_ESCENARIO, "verify exact: %s needs two regions each recorded by "
                       "one agency, persons only, and at most %d sanctions reaching self for "
                       "the whole listing", file, VERIFY_MAX_TICKS);
    double x[VERIFY_MAX_TICKS], th[VERIFY_MAX_TICKS], sim[VERIFY_MAX_TICKS];
    for (int k = 0; k < n && ok; k++) {
        char setting[96];
        x[k] = k;
        th[k] = triggers(sc, a[0], k) * pt->stat[0] + triggers(sc, a[1], k) * pt->stat[1];
        sim[k] = pt->stat[2 + k];
        snprintf(setting, sizeof setting, "fan-out: sanction-steps of %s", sc->sanctions[k].name);
        ok = verify_add_row(res, "exact", setting, th[k], sim[k], NAN, NAN, 0);
        int t0 = triggers(sc, a[0], k), t1 = triggers(sc, a[1], k);
        snprintf(p->tick[k], sizeof p->tick[k], "%s (%s)", sc->sanctions[k].name,
                 t0 && t1 ? "both" : t0 ? sc->agencies[a[0]].name : t1 ? sc->agencies[a[1]].name
                                                                    : "none");
        p->ytick_max = fmax(p->ytick_max, fmax(th[k], sim[k]));
    }
    p->nticks = n;
    p->ylim[1] = 1.35 * p->ytick_max, p->legend = VERIFY_LEGEND_NE;
    ok = ok && verify_add_series(p, VERIFY_BARS, "joint matrix × listings (theory)", 5, x, th,
                                 NULL, NULL, (size_t)n) &&
         verify_add_series(p, VERIFY_BARS, "simulated", 1, x, sim, NULL, NULL, (size_t)n);
    return ok ? SIM_OK : oom(err);
}

static sim_status exact_evaluate(const verify_opts *o, const vpart_runs *runs,
                                 verify_result *res, sim_err *err) {
    (void)o;
    const double *s = runs[0].pt[0].stat;
    if (!verify_add_row(res, "exact", "ever wrongly blacklisted", 0, s[0], NAN, NAN, 0) ||
        !verify_add_row(res, "exact", "listings not by own record", 0, s[1], NAN, NAN, 0) ||
        !verify_add_row(res, "exact", "blacklisted at the end > 0", 1, s[2] > 0, NAN, NAN, 0))
        return oom(err);
    verify_figure *f = verify_add_figure(res, "exact", "Joint punishment: sanction fan-out "
                                         "equals the matrix", 1);
    if (!f) return oom(err);
    verify_panel_labels(&f->panel[0], "Two agencies, one region each",
                        "Sanction (the agencies whose listings trigger it)",
                        "Sanction-steps (person-months)");
    f->panel[0].ylim[0] = 0;
    return fanout_rows(&runs[1].pt[0], runs[1].part->file, res, &f->panel[0], err);
}

const vcheck VERIFY_EXACT = {
    "exact", 2,
    {{"exact.ini", 0, 1, 1, {"population.persons=20000"}, 3, 0, 0, exact_extract},
     {"fanout.ini", 0, 1, 1, {"population.persons=20000"}, 2 + SCN_MAX_SANCTIONS, 0, 0,
      fanout_extract}},
    exact_evaluate};
