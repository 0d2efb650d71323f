/* plots/report_text.c - the numbers of `scsim report`: the summary values of the runs, their
 * means and 95% intervals per run group, the headline table, the notes under it and the
 * figure captions. Every number printed comes from the database; a missing value prints as
 * a dash, and a caption says so rather than guess. */
#include <math.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_impl.h"
#include "text.h"

static const fig_key KEYS[RK_NKEYS] = {
    {"persons", "all"}, {"listed.black", "all"}, {"ever_listed.black", "all"},
    {"ever_wrongly_listed.black", "all"}, {"harm", "all"}, {"harm", "innocent"},
    {"harm", "reached"}, {"violations_prevented", "all"}, {"violations_counterfactual", "all"},
    {"named_publicly", "all"}, {"third_party_processing", "all"},
    {"inference_auc", "listed_contact"}, {"inference_auc", "violation_history"},
    {"harm_gini", "persons"}, {"harm_lorenz", "p:0.95"}, {"cascades", "root:false_record"},
    {"cascades", "root:misattribution"}, {"cascade_largest", "all"},
    {"rate_ratio.ever_wrongly_listed", "group:1"}, {"rate_ratio.harm", "group:1"},
    {"listings.black", "cause:spillover"}, {"listings.black", "all"},
    {"records_per_person", "mean"}, {"retention_exposure", "black"}};

sim_status rp_load(rp *r, sim_err *err) {
    fig_sel sel = {.run_ids = r->ids, .nruns = r->nrun, .size = FIG_SIZE_AUTO};
    sim_status st = fig_groups_load(r->db, &sel, &r->scratch, &r->g, err);
    if (st != SIM_OK) return st;
    r->s = (fig_sums){&r->g, RK_NKEYS, KEYS, NULL};
    char *ids = fig_idlist(&sel);
    char *q = ids ? sqlite3_mprintf("SELECT run_id, name, grp, value FROM summary WHERE run_id "
                                    "IN (%s) AND name IN ('persons', 'listed.black', "
                                    "'ever_listed.black', 'ever_wrongly_listed.black', 'harm', "
                                    "'violations_prevented', 'violations_counterfactual', "
                                    "'named_publicly', 'third_party_processing', "
                                    "'inference_auc', 'harm_gini', 'harm_lorenz', 'cascades', "
                                    "'cascade_largest', 'rate_ratio.ever_wrongly_listed', "
                                    "'rate_ratio.harm', 'listings.black', 'records_per_person', "
                                    "'retention_exposure')", ids)
                  : NULL;
    st = q ? fig_sums_load(r->db, &r->scratch, "headline figures", q, &r->s, err)
           : err_set(err, SIM_ENOMEM, "out of memory");
    sqlite3_free(q);
    free(ids);
    return st;
}

void rp_stat(const rp *r, size_t key, size_t den, double scale, size_t k, double *mean,
             double *lo, double *hi, size_t *n) {
    fig_sums_stat(&r->s, key, den, scale, k, mean, lo, hi, n);
}

static double mean_of(const rp *r, size_t key, size_t den, double scale, size_t k) {
    double m, lo, hi;
    rp_stat(r, key, den, scale, k, &m, &lo, &hi, NULL);
    return m;
}

/* The run groups the figures show (and the captions speak of): the first 6. */
static size_t ngroups(const rp *r) {
    return r->g.ngrp < FIG_MAX_PANELS ? r->g.ngrp : FIG_MAX_PANELS;
}

double rp_text(cairo_t *cr, const char *s, double x, double y, double width, double size,
               int bold, int mono) {
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *f = pango_font_description_from_string(mono ? "DejaVu Sans Mono"
                                                                       : "DejaVu Sans");
    pango_font_description_set_absolute_size(f, size * PANGO_SCALE);
    if (bold) pango_font_description_set_weight(f, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, f);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    char *safe = text_safe_dup(s, TEXT_KEEP_LINES);   /* text from a database: no controls */
    pango_layout_set_text(l, safe ? safe : "", -1);
    free(safe);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
    pango_font_description_free(f);
    g_object_unref(l);
    return (double)h / PANGO_SCALE;
}

/* ---- numbers as text ---- */

/* v with dec decimals; whole numbers of 10,000 and more with thousands commas; "–" for NaN. */
static void num(char *buf, size_t n, double v, int dec) {
    if (!isfinite(v)) { snprintf(buf, n, "–"); return; }
    if (dec > 0 || fabs(v) < 10000) { snprintf(buf, n, "%.*f", dec, v); return; }
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", fabs(v));
    size_t len = strlen(digits), o = 0;
    if (v < 0 && o + 1 < n) buf[o++] = '-';
    for (size_t i = 0; i < len && o + 2 < n; i++) {
        if (i && (len - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

/* num(v, 0) into a caller's buffer, for captions: "1,181,044". */
static const char *n0(char buf[32], double v) {
    num(buf, 32, v, 0);
    return buf;
}

/* "mean" and, with several runs, "± half-width" of the 95% interval. */
static void cell(char *top, char *bottom, size_t n, const rp *r, size_t key, size_t den,
                 double scale, size_t k, int dec, const char *unit) {
    double m, lo, hi;
    size_t runs;
    rp_stat(r, key, den, scale, k, &m, &lo, &hi, &runs);
    char a[40], b[40];
    num(a, sizeof a, m, dec);
    snprintf(top, n, "%s%s", a, isfinite(m) ? unit : "");
    num(b, sizeof b, (hi - lo) / 2, dec);
    if (runs > 1 && isfinite(m)) snprintf(bottom, n, "± %s%s", b, unit);
    else bottom[0] = '\0';
}

/* ---- the headline table ---- */

typedef struct column {
    const char *head;
    size_t key, den;
    double scale;
    int dec;
    const char *unit;
} column;

static const column COLS[9] = {
    {"blacklisted\nat the end", RK_LISTED_END, FIG_NONE, 1, 0, ""},
    {"ever\nblacklisted", RK_EVER, FIG_NONE, 1, 0, ""},
    {"wrongful\n(of ever listed)", RK_EVER_WRONG, RK_EVER, 100, 1, "%"},
    {"harm to\ninnocents", RK_HARM_INNOCENT, FIG_NONE, 1, 0, ""},
    {"violations\nprevented", RK_PREVENTED, FIG_NONE, 1, 0, ""},
    {"named publicly\n(of persons)", RK_NAMED, RK_PERSONS, 100, 2, "%"},
    {"inference AUC\n(violations)", RK_AUC_HISTORY, FIG_NONE, 1, 2, ""},
    {"third-party\n(of persons)", RK_THIRD, RK_PERSONS, 100, 2, "%"},
    {"wrongly listed\ngroup 1 / 0", RK_RATIO_WRONG, FIG_NONE, 1, 2, ""}};

double rp_table(rp *r, double y) {
    const double x0 = RP_MARGIN, first = 128, w = (RP_PAGE_W - 2 * RP_MARGIN - first) / 9;
    cairo_t *cr = r->cr;
    double y0 = y;
    double head = rp_text(cr, "scenario\n(runs)", x0, y, first - 6, 8.5, 1, 0);
    for (int c = 0; c < 9; c++)
        head = fmax(head, rp_text(cr, COLS[c].head, x0 + first + c * w, y, w - 4, 8.5, 1, 0));
    y += head + 6;
    for (size_t k = 0; k < r->g.ngrp && k < RP_TABLE_MAX; k++) {
        char name[FIG_TITLE_MAX + 32];
        snprintf(name, sizeof name, "%s\n%zu run%s", r->g.title[k], r->g.count[k],
                 r->g.count[k] > 1 ? "s" : "");
        double h = rp_text(cr, name, x0, y, first - 6, 8.5, 0, 0);
        for (int c = 0; c < 9; c++) {
            char top[64], bottom[64];
            const column *col = &COLS[c];
            cell(top, bottom, sizeof top, r, col->key, col->den, col->scale, k, col->dec,
                 col->unit);
            double th = rp_text(cr, top, x0 + first + c * w, y, w - 4, 9, 0, 0);
            if (bottom[0]) th += rp_text(cr, bottom, x0 + first + c * w, y + th, w - 4, 7.5, 0, 0);
            h = fmax(h, th);
        }
        y += h + 6;
    }
    return y - y0;
}

/* ---- extremes over the groups ---- */

/* The group with the largest (most) or smallest mean of key (/ den, * scale); *val its mean;
 * -1 when no group has a value. */
static long extreme(const rp *r, size_t key, size_t den, double scale, int most, double *val) {
    long best = -1;
    *val = NAN;
    for (size_t k = 0; k < ngroups(r); k++) {
        double v = mean_of(r, key, den, scale, k);
        if (!isfinite(v)) continue;
        if (best < 0 || (most ? v > *val : v < *val)) best = (long)k, *val = v;
    }
    return best;
}

static const char *gname(const rp *r, long k) { return k >= 0 ? r->g.title[k] : "–"; }

/* Appends printf text to buf (of n bytes, holding *len). */
__attribute__((format(printf, 4, 5)))
static void add(char *buf, size_t n, size_t *len, const char *fmt, ...) {
    if (*len >= n) return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *len, n - *len, fmt, ap);
    va_end(ap);
    if (w > 0) *len += (size_t)w;
    if (*len >= n) *len = n - 1;
}

static int all_zero(const rp *r, size_t key) {
    int any = 0;
    for (size_t k = 0; k < ngroups(r); k++) {
        double v = mean_of(r, key, FIG_NONE, 1, k);
        if (isfinite(v) && v != 0) return 0;
        any |= isfinite(v);
    }
    return any;
}

void rp_notes(const rp *r, char *buf, size_t n) {
    size_t len = 0;
    add(buf, n, &len, "Each row pools a scenario's replicate runs (same scenario and overrides, "
        "another seed): the mean, and under it the half-width of the 95%% t interval over the "
        "runs. Wrongful: ever blacklisted without an own true violation in the look-back "
        "window, as a share of the ever blacklisted. Harm to innocents: the harm of the "
        "sanctions in force summed over the months, borne by agents without an own violation "
        "(units of the scenario's harm weights; one unit = one month of a weight-1 sanction). "
        "Violations prevented: violations of the same society and seed with the regime's "
        "deterrence and firm failure off, minus those committed. Named publicly: persons ever "
        "under a public sanction. Inference AUC: how well the public view (named, and in the "
        "points regime the score) ranks persons who violated above those who did not (0.5: "
        "no information). Third-party: persons whose list status or score changed through "
        "data about someone else. Definitions: docs/metrics.md.");
    if (all_zero(r, RK_PREVENTED))
        add(buf, n, &len, " No scenario here prevented a violation (violations prevented is 0 "
            "in every run): deterrence is nonzero only when a scenario sets behaviour.deter_*.");
}

/* ---- captions ---- */

static void cap_timeseries(const rp *r, char *buf, size_t n) {
    size_t len = 0;
    add(buf, n, &len, "Agents on the blacklist (blue) and those on it without an own true "
        "violation in the look-back window (orange), month by month%s. At the end, "
        "blacklisted:", r->g.nrun > r->g.ngrp ? ", mean and 95% band over replicates" : "");
    char a[32];
    for (size_t k = 0; k < ngroups(r); k++)
        add(buf, n, &len, "%s %s %s", k ? ";" : "", r->g.title[k],
            n0(a, mean_of(r, RK_LISTED_END, FIG_NONE, 1, k)));
    add(buf, n, &len, ". Ever wrongly blacklisted over the run:");
    for (size_t k = 0; k < ngroups(r); k++)
        add(buf, n, &len, "%s %s %s", k ? ";" : "", r->g.title[k],
            n0(a, mean_of(r, RK_EVER_WRONG, FIG_NONE, 1, k)));
    add(buf, n, &len, ".");
}

static void cap_harm(const rp *r, char *buf, size_t n) {
    double hi, lo, share;
    char x[32], y[32];
    long a = extreme(r, RK_HARM_INNOCENT, FIG_NONE, 1, 1, &hi);
    long b = extreme(r, RK_HARM_INNOCENT, FIG_NONE, 1, 0, &lo);
    size_t len = 0;
    add(buf, n, &len, "Harm of the sanctions in force each month, borne by all agents, by "
        "innocent agents (no own violation in the look-back window) and through others' "
        "listings (sanctions reaching family, firms or representatives, and job loss). Over the "
        "run, harm to innocents was largest in %s (%s units", gname(r, a), n0(x, hi));
    share = a >= 0 ? mean_of(r, RK_HARM_INNOCENT, RK_HARM, 100, (size_t)a) : NAN;
    if (isfinite(share)) add(buf, n, &len, ", %.0f%% of its harm", share);
    add(buf, n, &len, ") and smallest in %s (%s units).", gname(r, b), n0(y, lo));
}

static void cap_causes(const rp *r, char *buf, size_t n) {
    double a, b;
    long hi = extreme(r, RK_LIST_SPILL, RK_LIST_ALL, 100, 1, &a);
    long lo = extreme(r, RK_LIST_SPILL, RK_LIST_ALL, 100, 0, &b);
    snprintf(buf, n, "New blacklistings per month by cause%s. Spillover from contacts caused "
             "%.1f%% of all blacklistings in %s and %.1f%% in %s.",
             r->g.nrun > r->g.ngrp ? " (mean over replicates)" : "", a, gname(r, hi), b,
             gname(r, lo));
}

static void cap_lorenz(const rp *r, char *buf, size_t n) {
    double a, b, top;
    long hi = extreme(r, RK_GINI, FIG_NONE, 1, 1, &a), lo = extreme(r, RK_GINI, FIG_NONE, 1, 0, &b);
    size_t len = 0;
    add(buf, n, &len, "How the harm is spread over persons. Left: the share of all harm to "
        "persons borne by the least harmed share of them (the dashed diagonal: everyone harmed "
        "alike); right: the share borne by the most harmed 1%%, 5%% and 10%%. The Gini "
        "coefficient runs from %.3f in %s to %.3f in %s", b, gname(r, lo), a, gname(r, hi));
    top = hi >= 0 ? 100 * (1 - mean_of(r, RK_LORENZ95, FIG_NONE, 1, (size_t)hi)) : NAN;
    if (isfinite(top))
        add(buf, n, &len, "; in %s the most harmed 5%% of persons bore %.0f%% of it",
            gname(r, hi), top);
    add(buf, n, &len, ".");
}

static void cap_disparity(const rp *r, char *buf, size_t n) {
    double a, h;
    long k = extreme(r, RK_RATIO_WRONG, FIG_NONE, 1, 1, &a);
    size_t len = 0;
    add(buf, n, &len, "The share of each population group's persons ever blacklisted and ever "
        "wrongly blacklisted, the harm each group's persons bore, and group 1's rates relative "
        "to group 0's (dashed: parity). The largest gap in wrongful blacklisting: in %s, persons "
        "of group 1 were wrongly blacklisted %.1f times as often as persons of group 0",
        gname(r, k), a);
    h = k >= 0 ? mean_of(r, RK_RATIO_HARM, FIG_NONE, 1, (size_t)k) : NAN;
    if (isfinite(h)) add(buf, n, &len, " and bore %.1f times the harm per person", h);
    add(buf, n, &len, ".");
}

static void cap_frontier(const rp *r, char *buf, size_t n) {
    double w0, w1, p;
    char a[32], b[32], c[32];
    long lo = extreme(r, RK_EVER_WRONG, FIG_NONE, 1, 0, &w0);
    long hi = extreme(r, RK_EVER_WRONG, FIG_NONE, 1, 1, &w1);
    size_t len = 0;
    add(buf, n, &len, "What each scenario buys and what it costs: violations prevented "
        "against agents ever wrongly blacklisted (left) and harm to innocents (right)%s. ",
        r->g.nrun > r->g.ngrp ? ", with 95% intervals over replicates" : "");
    if (all_zero(r, RK_PREVENTED)) {
        add(buf, n, &len, "No scenario here prevented a violation, so every point lies on the "
            "horizontal axis and the scenarios differ only in cost: from %s wrongly "
            "blacklisted agents in %s to %s in %s.", n0(a, w0), gname(r, lo), n0(b, w1),
            gname(r, hi));
        return;
    }
    long best = extreme(r, RK_PREVENTED, FIG_NONE, 1, 1, &p);
    add(buf, n, &len, "%s prevented the most violations (%s) at %s wrongly blacklisted "
        "agents and %s units of harm to innocents. The dashed line joins the scenarios that "
        "no other beats on both counts.", gname(r, best), n0(a, p),
        n0(b, best >= 0 ? mean_of(r, RK_EVER_WRONG, FIG_NONE, 1, (size_t)best) : NAN),
        n0(c, best >= 0 ? mean_of(r, RK_HARM_INNOCENT, FIG_NONE, 1, (size_t)best) : NAN));
}

static void cap_privacy(const rp *r, char *buf, size_t n) {
    double rec, named, auc;
    long a = extreme(r, RK_RECORDS, FIG_NONE, 1, 1, &rec);
    long b = extreme(r, RK_NAMED, RK_PERSONS, 100, 1, &named);
    long c = extreme(r, RK_AUC_HISTORY, FIG_NONE, 1, 1, &auc);
    snprintf(buf, n, "What the regime records and shows about persons. Most records per "
             "person in %s (%.2f); the widest public naming in %s (%.2f%% of persons named); "
             "the public view gives away most about who violated in %s (AUC %.2f, where 0.5 "
             "means it tells nothing).", gname(r, a), rec, gname(r, b), named, gname(r, c), auc);
}

void rp_caption(const rp *r, const char *fig, char *buf, size_t n) {
    double a;
    long hi;
    if (!strcmp(fig, "timeseries")) cap_timeseries(r, buf, n);
    else if (!strcmp(fig, "harm")) cap_harm(r, buf, n);
    else if (!strcmp(fig, "causes")) cap_causes(r, buf, n);
    else if (!strcmp(fig, "lorenz")) cap_lorenz(r, buf, n);
    else if (!strcmp(fig, "disparity")) cap_disparity(r, buf, n);
    else if (!strcmp(fig, "frontier")) cap_frontier(r, buf, n);
    else if (!strcmp(fig, "privacy")) cap_privacy(r, buf, n);
    else if (!strcmp(fig, "cascades")) {
        hi = extreme(r, RK_CASC_LARGEST, FIG_NONE, 1, 1, &a);
        snprintf(buf, n, "How far listings spread: the share of cascade trees (a listing and "
                 "everything that spread from it) of at least a given size, the replicates' "
                 "cascades pooled. The largest cascade (mean over replicates): %.0f listings, "
                 "in %s.", a, gname(r, hi));
    } else if (!strcmp(fig, "network")) {
        snprintf(buf, n, "The spread of one cascade, preferably one that began with an error: "
                 "each dot a listing, each line from the listing it spread from, coloured by "
                 "how the agent was listed (run %lld).",
                 r->nrun ? (long long)r->ids[0] : 0LL);
    } else {
        snprintf(buf, n, "Figure '%s'; docs/plots.md describes it and its query.", fig);
    }
}
