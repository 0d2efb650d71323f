/* sim/verify/verify_spread.c - the spillover checks: threshold spillover against Watts' global
 * cascades, probabilistic spillover against bond percolation (docs/validation.md). */
#include "verify_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CURVE = 201 };   /* points of a theory curve */

static const double GLOBAL = 0.05;   /* a cascade listing more than 5% of persons is global */
static const double EDGE = 0.45;     /* frequency points this close to the window are not checked */

/* stat: 0 final listed share, 1 seeds, 2 final listed count. The runs stop after the first
 * step without a new listing (agencies silent, listings permanent: nothing changes after). */
static void spread_extract(const sim_t *s, const scenario *sc, double *stat, double *trace) {
    (void)trace;
    const res_t *r = sim_results(s);
    int t = sim_current_step(s);
    double listed = verify_step_value(r, t, "listed.black", "all");
    stat[0] = listed / (double)sc->population.persons;
    stat[1] = verify_step_value(r, 1, "listed.black", "all") -
              verify_step_value(r, 1, "new_listed.black", "all");
    stat[2] = listed;
}

/* The first rule of the given kind, or NULL. */
static const scn_rule *rule_of(const scenario *sc, scn_rule_kind kind) {
    for (int k = 0; k < sc->nrules; k++)
        if (sc->rules[k].kind == kind) return &sc->rules[k];
    return NULL;
}

/* ---- Watts ------------------------------------------------------------------------ */

static sim_status watts_params(const vpoint *pt, const char *file, double *z, double *phi,
                               sim_err *err) {
    const scn_rule *rule = rule_of(&pt->sc, RULE_THRESHOLD);
    const scn_layer *g = &pt->sc.layers[LAYER_SOCIAL];
    if (!rule || !g->enabled || g->generator != GEN_ER)
        return err_set(err, SIM_ESCENARIO, "verify watts: %s needs a threshold rule on an er "
                       "social layer (the theory is for Erdos-Renyi graphs)", file);
    *z = g->mean_degree, *phi = rule->phi;
    return SIM_OK;
}

/* Many seeds: a global cascade happens exactly inside the window (one row per point). */
static sim_status watts_condition(const vpart_runs *pr, verify_result *res, sim_err *err) {
    for (int p = 0; p < pr->npoints; p++) {
        const vpoint *pt = &pr->pt[p];
        double z = 0, phi = 0, global = 0;
        sim_status st = watts_params(pt, pr->part->file, &z, &phi, err);
        if (st != SIM_OK) return st;
        for (int r = 0; r < pt->reps; r++) global += pt->stat[r * pr->part->nstat] > GLOBAL;
        char setting[96];
        snprintf(setting, sizeof setting, "z=%g phi=%g: global cascade from %g%% seeds (1/0)",
                 z, phi, 100 * pt->sc.run.seed_listed);
        if (!verify_add_row(res, "watts", setting, verify_watts_theory(z, phi),
                            global / pt->reps, NAN, NAN, 0.5))
            return err_set(err, SIM_ENOMEM, "out of memory");
    }
    return SIM_OK;
}

/* Band of the window and the theory curve over 0..zmax. */
static int watts_curves(verify_panel *pan, double phi, double lo, double hi, double zmax) {
    double top = pan->ylim[1], cz[CURVE], cy[CURVE], wx[2] = {lo, hi}, w0[2] = {0, 0},
           w1[2] = {top, top};
    for (int k = 0; k < CURVE; k++) {
        cz[k] = zmax * k / (CURVE - 1);
        cy[k] = verify_watts_frequency(cz[k], phi);
    }
    char label[80];
    snprintf(label, sizeof label, "cascade window %.2f < z < %.2f", lo, hi);
    return (!isfinite(lo) || verify_add_series(pan, VERIFY_BAND, label, 4, wx, NULL, w0, w1, 2)) &&
           verify_add_series(pan, VERIFY_LINE, "theory (Watts 2002)", -1, cz, cy, NULL, NULL,
                             CURVE);
}

/* One seed: the frequency of global cascades (runs with exactly one seed) against the
 * extended vulnerable cluster; points near the window's edges are drawn, not checked. */
static sim_status watts_frequency(const vpart_runs *pr, verify_result *res, verify_panel *pan,
                                  sim_err *err) {
    double lo = NAN, hi = NAN, phi = 0, zmax = 0;
    verify_pts in, edge;
    int ok = verify_pts_new(&in, pr->npoints) & verify_pts_new(&edge, pr->npoints);
    for (int p = 0; p < pr->npoints && ok; p++) {
        const vpoint *pt = &pr->pt[p];
        double z = 0, single = 0, global = 0, l, h;
        sim_status st = watts_params(pt, pr->part->file, &z, &phi, err);
        if (st != SIM_OK) return verify_pts_free(&in), verify_pts_free(&edge), st;
        verify_watts_window(phi, &lo, &hi);
        for (int r = 0; r < pt->reps; r++) {
            const double *s = pt->stat + r * pr->part->nstat;
            single += s[1] == 1;
            global += s[1] == 1 && s[0] > GLOBAL;
        }
        double f = single ? global / single : NAN, P = verify_watts_frequency(z, phi);
        int near = isfinite(lo) && (fabs(z - lo) < EDGE || fabs(z - hi) < EDGE);
        verify_wilson(global, single, &l, &h);
        verify_pts_add(near ? &edge : &in, z, f, l, h);
        zmax = fmax(zmax, z);
        if (near || !single) continue;
        char setting[96];
        snprintf(setting, sizeof setting, "z=%g: global cascades from one seed (%g runs)", z,
                 single);
        ok = verify_add_row(res, "watts", setting, P, f, l, h, 3 * sqrt(P * (1 - P) / single) + 0.03);
    }
    ok = ok && watts_curves(pan, phi, lo, hi, zmax) &&
         verify_pts_draw(pan, "simulated (95% CI)", 0, &in) &&
         verify_pts_draw(pan, "near an edge: not checked", 3, &edge);
    verify_pts_free(&in), verify_pts_free(&edge);
    return ok ? SIM_OK : err_set(err, SIM_ENOMEM, "out of memory");
}

static sim_status watts_evaluate(const verify_opts *o, const vpart_runs *runs,
                                 verify_result *res, sim_err *err) {
    (void)o;
    sim_status st = watts_condition(&runs[0], res, err);
    if (st != SIM_OK) return st;
    const scenario *sc = &runs[1].pt[0].sc;
    char title[128];
    char n[32];
    verify_thousands((double)sc->population.persons, n, sizeof n);
    snprintf(title, sizeof title, "Threshold spillover = Watts' global cascades");
    verify_figure *f = verify_add_figure(res, "watts", title, 1);
    if (!f) return err_set(err, SIM_ENOMEM, "out of memory");
    verify_panel *p = &f->panel[0];
    const scn_rule *rule = rule_of(sc, RULE_THRESHOLD);
    char ptitle[96];
    snprintf(ptitle, sizeof ptitle, "One seed, threshold φ = %g, N = %s", rule ? rule->phi : NAN,
             n);
    verify_panel_labels(p, ptitle, "Mean degree z", "Frequency of global cascades");
    p->ylim[0] = 0, p->ylim[1] = 1.5, p->ytick_max = 1, p->legend = VERIFY_LEGEND_NE;
    return watts_frequency(&runs[1], res, p, err);
}

const vcheck VERIFY_WATTS = {
    "watts", 2,
    {{"watts-condition.ini", 1, 1, 1, {"population.persons=20000"}, 3, 0, 1, spread_extract},
     {"watts-frequency.ini", 1, 0, 100, {NULL}, 3, 0, 1, spread_extract}},
    watts_evaluate};

/* ---- percolation ------------------------------------------------------------------- */

typedef struct graph_law { int regular; double deg; char name[24]; } graph_law;

static sim_status perc_params(const vpoint *pt, const char *file, graph_law *g, double *beta,
                              sim_err *err) {
    const scn_rule *rule = rule_of(&pt->sc, RULE_PROBABILISTIC);
    const scn_layer *l = &pt->sc.layers[LAYER_SOCIAL];
    int regular = l->generator == GEN_CONFIG && l->min_degree == l->max_degree;
    if (!rule || !l->enabled || (l->generator != GEN_ER && !regular) ||
        !(pt->sc.run.seed_listed > 0))
        return err_set(err, SIM_ESCENARIO, "verify percolation: %s needs a probabilistic rule "
                       "on an er or k-regular (config, min_degree = max_degree) social layer "
                       "and seeds (the theory is for those)", file);
    g->regular = regular;
    g->deg = regular ? (double)l->min_degree : l->mean_degree;
    snprintf(g->name, sizeof g->name, regular ? "%g-regular" : "ER z=%g", g->deg);
    *beta = rule->beta;
    return SIM_OK;
}

/* Theory curves: the final size over beta in [0, 1], the listed per seed below 0.92 times
 * the threshold. */
static int perc_curves(verify_panel *pan, const graph_law *g, double s0, int color) {
    double cx[CURVE], cy[CURVE], sub = 1 / (g->regular ? g->deg - 1 : g->deg);
    char label[80];
    snprintf(label, sizeof label, "%s: theory", g->name);
    for (int k = 0; k < CURVE; k++) {
        cx[k] = (double)k / (CURVE - 1);
        cy[k] = verify_percolation_final(g->regular, g->deg, cx[k], s0);
    }
    if (!verify_add_series(&pan[0], VERIFY_LINE, label, color, cx, cy, NULL, NULL, CURVE))
        return 0;
    for (int k = 0; k < CURVE; k++) {
        cx[k] = 0.92 * sub * k / (CURVE - 1);
        cy[k] = verify_percolation_final(g->regular, g->deg, cx[k], s0) / s0;
    }
    return verify_add_series(&pan[1], VERIFY_LINE, label, color, cx, cy, NULL, NULL, CURVE) != NULL;
}

/* Below the threshold: listed per seed (pooled over replicates) against R / s0, the mean
 * size of small cascades with their overlaps; the interval and tolerance from the branching
 * process's variance of one cascade. */
static int perc_small(const vpoint *pt, int nstat, const graph_law *g, double beta, double R,
                      verify_result *res, verify_pts *sub) {
    double mean, var, F = 0, K = 0, s0 = pt->sc.run.seed_listed;
    verify_cascade_moments(g->regular, g->deg, beta, &mean, &var);
    if (!isfinite(mean)) return 1;
    for (int r = 0; r < pt->reps; r++) F += pt->stat[r * nstat + 2], K += pt->stat[r * nstat + 1];
    double seeds = s0 * (double)pt->sc.population.persons * pt->reps, sd = sqrt(var / seeds);
    double y = F / K;
    char setting[96];
    snprintf(setting, sizeof setting, "%s beta=%g: listed per seed", g->name, beta);
    verify_pts_add(sub, beta, y, y - 1.96 * sd, y + 1.96 * sd);
    return verify_add_row(res, "percolation", setting, R / s0, y, y - 1.96 * sd, y + 1.96 * sd,
                          4 * sd);
}

/* Final listed share of every point (and below the threshold the listed per seed). */
static sim_status perc_rows(const verify_opts *o, const vpart_runs *pr, int color,
                            verify_result *res, verify_panel *pan, sim_err *err) {
    int nstat = pr->part->nstat;
    double beta = 0;
    graph_law g = {0, 0, ""};
    verify_pts fin, sub;
    int ok = verify_pts_new(&fin, pr->npoints) & verify_pts_new(&sub, pr->npoints);
    for (int p = 0; p < pr->npoints && ok; p++) {
        const vpoint *pt = &pr->pt[p];
        sim_status st = perc_params(pt, pr->part->file, &g, &beta, err);
        if (st != SIM_OK) return verify_pts_free(&fin), verify_pts_free(&sub), st;
        double R = verify_percolation_final(g.regular, g.deg, beta, pt->sc.run.seed_listed);
        double y, l, h;
        verify_mean_ci(pt->stat, (size_t)pt->reps, (size_t)nstat, &y, &l, &h);
        verify_pts_add(&fin, beta, y, l, h);
        char setting[96], label[80];
        snprintf(setting, sizeof setting, "%s beta=%g: final listed share", g.name, beta);
        ok = verify_add_row(res, "percolation", setting, R, y, l, h, o->quick ? 0.03 : 0.01) &&
             perc_small(pt, nstat, &g, beta, R, res, &sub);
        if (ok && p == pr->npoints - 1) {
            snprintf(label, sizeof label, "%s: simulated", g.name);
            ok = perc_curves(pan, &g, pt->sc.run.seed_listed, color) &&
                 verify_pts_draw(&pan[0], label, color, &fin) &&
                 verify_pts_draw(&pan[1], label, color, &sub);
        }
    }
    verify_pts_free(&fin), verify_pts_free(&sub);
    return ok ? SIM_OK : err_set(err, SIM_ENOMEM, "out of memory");
}

static sim_status perc_evaluate(const verify_opts *o, const vpart_runs *runs,
                                verify_result *res, sim_err *err) {
    const scenario *sc = &runs[0].pt[0].sc;
    char title[128];
    char n[32];
    verify_thousands((double)sc->population.persons, n, sizeof n);
    snprintf(title, sizeof title, "Probabilistic spillover = bond percolation (N = %s, "
             "seeds %g%%)", n, 100 * sc->run.seed_listed);
    verify_figure *f = verify_add_figure(res, "percolation", title, 2);
    if (!f) return err_set(err, SIM_ENOMEM, "out of memory");
    verify_panel_labels(&f->panel[0], "Final size", "Transmissibility β",
                        "Final listed share");
    verify_panel_labels(&f->panel[1], "Small cascades below the threshold",
                        "Transmissibility β", "Listed per seed");
    f->panel[0].ylim[0] = 0, f->panel[0].ylim[1] = 1;
    f->panel[0].xlim[0] = 0, f->panel[0].xlim[1] = 1;
    f->panel[1].xlim[0] = 0;
    f->panel[1].ylim[0] = 0;
    sim_status st = SIM_OK;
    for (int k = 0; k < 2 && st == SIM_OK; k++) st = perc_rows(o, &runs[k], k, res, f->panel, err);
    return st;
}

const vcheck VERIFY_PERCOLATION = {
    "percolation", 2,
    {{"percolation-er.ini", 1, 0, 2, {"population.persons=20000"}, 3, 0, 1, spread_extract},
     {"percolation-regular.ini", 1, 0, 2, {"population.persons=20000"}, 3, 0, 1,
      spread_extract}},
    perc_evaluate};
