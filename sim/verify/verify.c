/* sim/verify/verify.c - the verification runner: each check's parts (scenario or experiment files
 * under the verify directory) are run replicate by replicate, side by side on the threads
 * (one thread per run, so the results do not depend on how many), then the check compares
 * the statistics with theory (sim/verify/verify_spread.c, sim/verify/verify_policy.c). */
#include "verify_impl.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"

static const vcheck *const CHECKS[] = {&VERIFY_WATTS, &VERIFY_PERCOLATION, &VERIFY_ENSIGN,
                                       &VERIFY_STOCK_FLOW, &VERIFY_EXACT};
enum { NCHECKS = sizeof CHECKS / sizeof *CHECKS,
       MAX_SETS = SWEEP_MAX_FIXED + DESIGN_MAX_PARAMS + 3 + 64 };   /* + quick + user */

/* ---- reading a run's metrics --------------------------------------------------------- */

void verify_series_of(const res_t *r, const char *name, const char *grp, double *out,
                      int steps) {
    for (int t = 0; t <= steps; t++) out[t] = NAN;
    int n = metric_by_name(name), g = res_grp_find(r, grp);
    if (!n || g < 0) return;
    for (uint64_t k = 0; k < r->nrows; k++) {
        const res_row *w = &r->rows[k];
        if (w->metric == n && w->grp == g && w->step >= 0 && w->step <= steps)
            out[w->step] = w->value;
    }
}

double verify_step_value(const res_t *r, int t, const char *name, const char *grp) {
    int n = metric_by_name(name), g = res_grp_find(r, grp);
    if (!n || g < 0) return NAN;
    for (uint64_t k = r->nrows; k-- > 0 && r->rows[k].step >= t;)
        if (r->rows[k].step == t && r->rows[k].metric == n && r->rows[k].grp == g)
            return r->rows[k].value;
    return NAN;
}

/* ---- statistics ---------------------------------------------------------------------- */

int verify_mean_ci(const double *v, size_t n, size_t stride, double *mean, double *lo,
                   double *hi) {
    double s = 0, s2 = 0;
    int k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i * stride])) s += v[i * stride], k++;
    *mean = k ? s / k : NAN;
    *lo = *hi = NAN;
    if (k < 2) return k;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i * stride])) s2 += (v[i * stride] - *mean) * (v[i * stride] - *mean);
    double half = gsl_cdf_tdist_Pinv(0.975, k - 1) * sqrt(s2 / (k - 1) / k);
    *lo = *mean - half, *hi = *mean + half;
    return k;
}

void verify_thousands(double v, char *buf, size_t n) {
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", fabs(v));
    size_t len = strlen(digits), at = 0;
    if (v < 0 && at + 1 < n) buf[at++] = '-';
    for (size_t k = 0; k < len && at + 1 < n; k++) {
        if (k && (len - k) % 3 == 0 && at + 2 < n) buf[at++] = ',';
        buf[at++] = digits[k];
    }
    buf[at] = 0;
}

void verify_wilson(double k, double n, double *lo, double *hi) {
    *lo = *hi = NAN;
    if (!(n > 0)) return;
    const double z = 1.959963984540054;
    double p = k / n, d = 1 + z * z / n, c = (p + z * z / (2 * n)) / d;
    double h = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d;
    *lo = k <= 0 ? 0 : fmax(0, c - h), *hi = k >= n ? 1 : fmin(1, c + h);
}

/* ---- building the result ----------------------------------------------------------- */

int verify_add_row(verify_result *r, const char *check, const char *setting, double theory,
                   double sim, double lo, double hi, double tol) {
    if (r->nrows == r->rows_cap) {
        int cap = r->rows_cap ? 2 * r->rows_cap : 32;
        verify_row *p = realloc(r->rows, (size_t)cap * sizeof *p);
        if (!p) return 0;
        r->rows = p, r->rows_cap = cap;
    }
    verify_row *w = &r->rows[r->nrows++];
    memset(w, 0, sizeof *w);
    snprintf(w->check, sizeof w->check, "%s", check);
    snprintf(w->setting, sizeof w->setting, "%s", setting);
    w->theory = theory, w->sim = sim, w->lo = lo, w->hi = hi, w->tolerance = tol;
    w->pass = fabs(sim - theory) <= tol;
    return 1;
}

verify_figure *verify_add_figure(verify_result *r, const char *check, const char *title,
                                 int npanels) {
    if (r->nfigs == r->figs_cap) {
        int cap = r->figs_cap ? 2 * r->figs_cap : 8;
        verify_figure *p = realloc(r->figs, (size_t)cap * sizeof *p);
        if (!p) return NULL;
        r->figs = p, r->figs_cap = cap;
    }
    verify_figure *f = &r->figs[r->nfigs++];
    memset(f, 0, sizeof *f);
    snprintf(f->check, sizeof f->check, "%s", check);
    snprintf(f->title, sizeof f->title, "%s", title);
    f->npanels = npanels < 1 ? 1 : npanels > VERIFY_MAX_PANELS ? VERIFY_MAX_PANELS : npanels;
    for (int k = 0; k < VERIFY_MAX_PANELS; k++)
        f->panel[k].xlim[0] = f->panel[k].xlim[1] = f->panel[k].ylim[0] =
            f->panel[k].ylim[1] = NAN;
    return f;
}

static double *copy_of(const double *v, size_t n, int *ok) {
    if (!v || !*ok) return NULL;
    double *c = malloc(n * sizeof *c);
    if (!c) return *ok = 0, NULL;
    return memcpy(c, v, n * sizeof *c);
}

verify_series *verify_add_series(verify_panel *p, verify_kind kind, const char *label,
                                 int color, const double *x, const double *y,
                                 const double *lo, const double *hi, size_t n) {
    if (p->nseries == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 8;
        verify_series *s = realloc(p->series, cap * sizeof *s);
        if (!s) return NULL;
        p->series = s, p->cap = cap;
    }
    verify_series *s = &p->series[p->nseries];
    memset(s, 0, sizeof *s);
    int ok = 1;
    s->x = copy_of(x, n, &ok), s->y = copy_of(y, n, &ok);
    s->lo = copy_of(lo, n, &ok), s->hi = copy_of(hi, n, &ok);
    if (!ok) return free(s->x), free(s->y), free(s->lo), free(s->hi), NULL;
    s->kind = kind, s->color = color, s->n = n;
    snprintf(s->label, sizeof s->label, "%s", label ? label : "");
    p->nseries++;
    return s;
}

verify_series *verify_add_level(verify_panel *p, const char *label, int color, double y,
                                double x0, double x1) {
    const double x[2] = {x0, x1}, v[2] = {y, y};
    return verify_add_series(p, VERIFY_LINE, label, color, x, v, NULL, NULL, 2);
}

int verify_pts_new(verify_pts *p, int cap) {
    memset(p, 0, sizeof *p);
    double *buf = malloc(4 * (size_t)(cap > 0 ? cap : 1) * sizeof *buf);
    if (!buf) return 0;
    p->x = buf, p->y = buf + cap, p->lo = buf + 2 * cap, p->hi = buf + 3 * cap;
    return 1;
}

void verify_pts_add(verify_pts *p, double x, double y, double lo, double hi) {
    p->x[p->n] = x, p->y[p->n] = y, p->lo[p->n] = lo, p->hi[p->n] = hi;
    p->n++;
}

int verify_pts_draw(verify_panel *pan, const char *label, int color, const verify_pts *p) {
    return !p->n || verify_add_series(pan, VERIFY_POINTS, label, color, p->x, p->y, p->lo, p->hi,
                                      (size_t)p->n);
}

void verify_pts_free(verify_pts *p) {
    free(p->x);
    memset(p, 0, sizeof *p);
}

void verify_panel_labels(verify_panel *p, const char *title, const char *xlabel,
                         const char *ylabel) {
    snprintf(p->title, sizeof p->title, "%s", title);
    snprintf(p->xlabel, sizeof p->xlabel, "%s", xlabel);
    snprintf(p->ylabel, sizeof p->ylabel, "%s", ylabel);
}

void verify_result_free(verify_result *r) {
    if (!r) return;
    for (int f = 0; f < r->nfigs; f++)
        for (int k = 0; k < VERIFY_MAX_PANELS; k++) {
            verify_panel *p = &r->figs[f].panel[k];
            for (size_t i = 0; i < p->nseries; i++)
                free(p->series[i].x), free(p->series[i].y), free(p->series[i].lo),
                    free(p->series[i].hi);
            free(p->series);
        }
    free(r->figs);
    free(r->rows);
    free(r);
}

/* ---- the points of a part ------------------------------------------------------------ */

typedef struct vplan {        /* a part's points before running */
    int       npoints, reps;
    char      path[600];      /* the scenario file */
    sweep_spec sp;            /* experiments: the spec and its design */
    design_t *d;
    int       experiment;
} vplan;

static sim_status plan_part(const verify_opts *o, const vpart *pa, vplan *pl, sim_err *err) {
    memset(pl, 0, sizeof *pl);
    char file[600];
    snprintf(file, sizeof file, "%s/%s", o->dir, pa->file);
    pl->experiment = pa->experiment;
    if (!pa->experiment) {
        snprintf(pl->path, sizeof pl->path, "%s", file);
        pl->npoints = 1;
        pl->reps = o->quick ? pa->reps_quick : pa->reps_full;
        return SIM_OK;
    }
    sim_status st = sweep_load(&pl->sp, file, err);
    if (st == SIM_OK && (st = sweep_plan(&pl->sp, &pl->d, err)) != SIM_OK) sweep_free(&pl->sp);
    if (st != SIM_OK) return st;
    snprintf(pl->path, sizeof pl->path, "%s", pl->sp.scenario);
    pl->npoints = (int)pl->d->rows;
    pl->reps = o->quick ? pa->reps_quick : pl->sp.replicates;
    return SIM_OK;
}

static void plan_free(vplan *pl) {
    if (!pl->experiment) return;
    design_free(pl->d);
    sweep_free(&pl->sp);
}

/* Loads point p: pt->sc (the theory's model: point and quick overrides) and *run (the same
 * with the user's overrides after them). */
static sim_status load_point(const verify_opts *o, const vpart *pa, const vplan *pl, int p,
                             vpoint *pt, scenario *run, sim_err *err) {
    char buf[SWEEP_MAX_FIXED + DESIGN_MAX_PARAMS][SWEEP_KV_MAX];
    const char *all[MAX_SETS];
    int n = 0;
    pt->x = NAN;
    if (pl->experiment) {
        n = sweep_overrides(&pl->sp, pl->d, (size_t)p, buf, all,
                            SWEEP_MAX_FIXED + DESIGN_MAX_PARAMS);
        size_t k = pl->d->k, at = 0;
        for (size_t j = 0; j < k; j++) {
            const char *key = pl->sp.space.param[j].name, *dot = strrchr(key, '.');
            at += (size_t)snprintf(pt->label + at, at < sizeof pt->label ? sizeof pt->label - at : 0,
                                   "%s%s=%g", j ? " " : "", dot ? dot + 1 : key,
                                   pl->d->x[(size_t)p * k + j]);
            if (at >= sizeof pt->label) break;
        }
        pt->x = pl->d->x[(size_t)p * k];
    }
    for (int q = 0; o->quick && q < 3 && pa->quick[q] && n < MAX_SETS; q++) all[n++] = pa->quick[q];
    sim_status st = scn_load(&pt->sc, pl->path, all, n, err);
    for (int q = 0; q < o->nsets && n < MAX_SETS; q++) all[n++] = o->sets[q];
    if (st == SIM_OK && (st = scn_load(run, pl->path, all, n, err)) != SIM_OK) scn_free(&pt->sc);
    if (st != SIM_OK) err_prefix(err, "verify %s: ", pa->file);
    return st;
}

/* ---- running ---------------------------------------------------------------------------- */

static sim_status until_quiet(sim_t *s, int steps, sim_err *err) {
    while (sim_current_step(s) < steps) {
        sim_status st = sim_step(s, err);
        if (st != SIM_OK) return st;
        int t = sim_current_step(s);
        if (verify_step_value(sim_results(s), t, "new_listed.black", "all") == 0) break;
    }
    return SIM_OK;
}

static sim_status run_one(const vpart *pa, const scenario *sc, vpoint *pt, int r, long run,
                          int threads, sim_err *err) {
    sim_opts so = {(uint64_t)run, threads, NULL, NULL, NULL, 0};
    sim_t *s = NULL;
    sim_status st = sim_new(&s, sc, &so, err);
    if (st == SIM_OK) st = pa->until_quiet ? until_quiet(s, sc->run.steps, err) : sim_run(s, err);
    if (st == SIM_OK) {
        size_t len = (size_t)pa->ntrace * (size_t)(pt->steps + 1);
        double *trace = pa->ntrace ? pt->trace + (size_t)r * len : NULL;
        pa->extract(s, sc, pt->stat + (size_t)r * (size_t)pa->nstat, trace);
    }
    sim_free(s);
    return st;
}

/* Every replicate of every point; task k is point k / reps, replicate k % reps, and uses
 * run number k for its random streams: each point is an independent sample (each row is a
 * test of its own; sweeps instead share run numbers across points). */
static sim_status run_tasks(const verify_opts *o, const vpart *pa, vpart_runs *pr,
                            const scenario *runs, int reps, sim_err *err) {
    int nt = o->threads > 0 ? o->threads : omp_get_max_threads();
    long ntask = (long)pr->npoints * reps, first = ntask;
    int per_run = ntask >= nt ? 1 : nt, failed = 0;
    sim_status fst = SIM_OK;
#pragma omp parallel for schedule(dynamic, 1) num_threads(per_run == 1 ? nt : 1)
    for (long k = 0; k < ntask; k++) {
        int stop;
#pragma omp atomic read
        stop = failed;
        if (stop) continue;
        sim_err e = {{0}};
        int p = (int)(k / reps);
        sim_status st = run_one(pa, &runs[p], &pr->pt[p], (int)(k % reps), k, per_run, &e);
        if (st == SIM_OK) continue;
#pragma omp critical(verify_failure)
        if (k < first) {
            first = k, fst = st;
            if (err) *err = e;
        }
#pragma omp atomic write
        failed = 1;
    }
    if (fst != SIM_OK) err_prefix(err, "verify %s, run %ld: ", pa->file, first);
    return fst;
}

static void points_free(vpart_runs *pr) {
    for (int p = 0; pr->pt && p < pr->npoints; p++) {
        scn_free(&pr->pt[p].sc);
        free(pr->pt[p].stat);
        free(pr->pt[p].trace);
    }
    free(pr->pt);
    pr->pt = NULL;
}

static sim_status run_part(const verify_opts *o, const vpart *pa, vpart_runs *pr, sim_err *err) {
    vplan pl;
    memset(pr, 0, sizeof *pr);
    pr->part = pa;
    sim_status st = plan_part(o, pa, &pl, err);
    if (st != SIM_OK) return st;
    scenario *runs = calloc((size_t)pl.npoints, sizeof *runs);
    pr->pt = calloc((size_t)pl.npoints, sizeof *pr->pt);
    if (!runs || !pr->pt) st = err_set(err, SIM_ENOMEM, "out of memory");
    int loaded = 0;
    for (int p = 0; st == SIM_OK && p < pl.npoints; p++, loaded++) {
        vpoint *pt = &pr->pt[p];
        if ((st = load_point(o, pa, &pl, p, pt, &runs[p], err)) != SIM_OK) break;
        pr->npoints = p + 1;
        pt->reps = pl.reps;
        pt->steps = runs[p].run.steps;
        size_t len = (size_t)pa->ntrace * (size_t)(pt->steps + 1) * (size_t)pl.reps;
        pt->stat = malloc(((size_t)pl.reps * (size_t)pa->nstat + 1) * sizeof *pt->stat);
        pt->trace = len ? malloc(len * sizeof *pt->trace) : NULL;
        if (!pt->stat || (len && !pt->trace)) st = err_set(err, SIM_ENOMEM, "out of memory");
        for (size_t i = 0; pt->trace && i < len; i++) pt->trace[i] = NAN;
    }
    if (st == SIM_OK) st = run_tasks(o, pa, pr, runs, pl.reps, err);
    for (int p = 0; p < loaded; p++) scn_free(&runs[p]);
    free(runs);
    plan_free(&pl);
    if (st != SIM_OK) points_free(pr);
    return st;
}

static sim_status run_check(const verify_opts *o, const vcheck *c, verify_result *res,
                            sim_err *err) {
    vpart_runs pr[VERIFY_MAX_PARTS];
    memset(pr, 0, sizeof pr);
    sim_status st = SIM_OK;
    for (int k = 0; k < c->nparts && st == SIM_OK; k++) st = run_part(o, &c->part[k], &pr[k], err);
    if (st == SIM_OK) st = c->evaluate(o, pr, res, err);
    for (int k = 0; k < c->nparts; k++) points_free(&pr[k]);
    return st;
}

sim_status verify_suite(const verify_opts *o, verify_result **out, sim_err *err) {
    *out = NULL;
    int ran = 0;
    for (int c = 0; c < NCHECKS; c++) ran += !o->only || !strcmp(o->only, CHECKS[c]->name);
    if (!ran)
        return err_set(err, SIM_EUSAGE, "--only %s: no such check (watts, percolation, "
                       "ensign, stock-flow, exact)", o->only);
    verify_result *res = calloc(1, sizeof *res);
    if (!res) return err_set(err, SIM_ENOMEM, "out of memory");
    sim_status st = SIM_OK;
    for (int c = 0; c < NCHECKS && st == SIM_OK; c++)
        if (!o->only || !strcmp(o->only, CHECKS[c]->name)) st = run_check(o, CHECKS[c], res, err);
    if (st != SIM_OK) verify_result_free(res), res = NULL;
    *out = res;
    return st;
}

sim_status verify_run(const verify_opts *o, verify_row *rows, int *n, sim_err *err) {
    verify_result *res = NULL;
    *n = 0;
    sim_status st = verify_suite(o, &res, err);
    for (int k = 0; st == SIM_OK && k < res->nrows && k < VERIFY_MAX_ROWS; k++)
        rows[(*n)++] = res->rows[k];
    verify_result_free(res);
    return st;
}
