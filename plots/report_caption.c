/* plots/report_caption.c - the captions of the brief's figures. Each caption is made in two
 * steps: its claims (rp_caption_facts: every number it prints and every group it names, with
 * the rule that chose them - the largest, the smallest, a group's value, the frontier), then
 * the words around them (rp_caption). A test recomputes every claim from the database
 * (tests/test_plot_report.c, tests/test_plot_privacy.c), so a caption cannot say what its data do not. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report_impl.h"

/* The groups figure fig shows: the first 6 (the frontier: the first FR_MAX). */
static size_t shown(const rp *r, const char *fig) {
    size_t max = !strcmp(fig, "frontier") ? FR_MAX : !strcmp(fig, "knows") ? RP_TABLE_MAX
                                                                          : FIG_MAX_PANELS;
    return r->g.ngrp < max ? r->g.ngrp : max;
}

static double value_of(const rp *r, const rp_fact *f, size_t k) {
    double m, lo, hi;
    rp_stat(r, f->key, f->den, f->scale, k, &m, &lo, &hi, NULL);
    return f->offset + m;
}

/* Appends a claim and settles its group and value by its kind (RF_MAX, RF_MIN: over the
 * shown groups with a value, the first on ties; RF_GROUP: grp's). */
static const rp_fact *fact(rp_facts *F, const rp *r, rp_fact_kind kind, size_t key, size_t den,
                           double scale, double offset, long grp, int dec) {
    static const rp_fact none = {RF_GROUP, 0, FIG_NONE, 1, 0, -1, 0, NAN, -1};
    if (F->n == RP_FACTS_MAX) return &none;
    rp_fact *f = &F->f[F->n++];
    *f = (rp_fact){kind, key, den, scale, offset, grp, 0, NAN, dec};
    if (kind == RF_GROUP && grp >= 0) f->value = value_of(r, f, (size_t)grp);
    for (size_t k = 0; (kind == RF_MAX || kind == RF_MIN) && k < F->ngroups; k++) {
        double v = value_of(r, f, k);
        if (!isfinite(v)) continue;
        if (f->grp < 0 || (kind == RF_MAX ? v > f->value : v < f->value))
            f->grp = (long)k, f->value = v;
    }
    return f;
}

const rp_fact *rp_fact_add(rp_facts *F, const rp *r, rp_fact_kind kind, size_t key, size_t den,
                           double scale, double offset, long grp, int dec) {
    return fact(F, r, kind, key, den, scale, offset, grp, dec);
}

/* ---- words ---- */

typedef struct out {
    char *buf;
    size_t n, len;
} out;

__attribute__((format(printf, 2, 3)))
static void add(out *o, const char *fmt, ...) {
    if (o->len >= o->n) return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(o->buf + o->len, o->n - o->len, fmt, ap);
    va_end(ap);
    if (w > 0) o->len += (size_t)w;
    if (o->len >= o->n) o->len = o->n - 1;
}

/* The value of claim f as printed. */
static const char *val(const rp_fact *f, char buf[48]) {
    rp_num(buf, 48, f->value, f->dec < 0 ? 0 : f->dec);
    return buf;
}

static const char *gname(const rp *r, const rp_fact *f) {
    return f->grp >= 0 ? r->g.title[f->grp] : "–";
}

/* ---- the claims of each figure ---- */

static void facts_timeseries(const rp *r, rp_facts *F) {
    for (size_t k = 0; k < F->ngroups; k++)
        fact(F, r, RF_GROUP, RK_LISTED_END, FIG_NONE, 1, 0, (long)k, 0);
    for (size_t k = 0; k < F->ngroups; k++)
        fact(F, r, RF_GROUP, RK_EVER_WRONG, FIG_NONE, 1, 0, (long)k, 0);
}

static void facts_harm(const rp *r, rp_facts *F) {
    const rp_fact *hi = fact(F, r, RF_MAX, RK_HARM_INNOCENT, FIG_NONE, 1, 0, -1, 0);
    fact(F, r, RF_GROUP, RK_HARM_INNOCENT, RK_HARM, 100, 0, hi->grp, 0);
    fact(F, r, RF_MIN, RK_HARM_INNOCENT, FIG_NONE, 1, 0, -1, 0);
}

static void facts_lorenz(const rp *r, rp_facts *F) {
    fact(F, r, RF_MIN, RK_GINI, FIG_NONE, 1, 0, -1, 3);
    const rp_fact *hi = fact(F, r, RF_MAX, RK_GINI, FIG_NONE, 1, 0, -1, 3);
    fact(F, r, RF_GROUP, RK_LORENZ95, FIG_NONE, -100, 100, hi->grp, 1);   /* not 100% */
    for (size_t k = 0; k < F->ngroups && F->n < RP_FACTS_MAX; k++) {
        double m, lo, hi_;
        size_t n;
        rp_stat(r, RK_TOP1, FIG_NONE, 1, k, &m, &lo, &hi_, &n);
        if (n > 0 && m == 0)
            F->f[F->n++] = (rp_fact){RF_NOHARM, RK_TOP1, FIG_NONE, 1, 0, (long)k, 0, NAN, -1};
    }
}

/* Whether some shown group has a value of key. */
static int any_shown(const rp *r, const rp_facts *F, size_t key) {
    for (size_t k = 0; k < F->ngroups; k++) {
        double m, lo, hi;
        rp_stat(r, key, FIG_NONE, 1, k, &m, &lo, &hi, NULL);
        if (isfinite(m)) return 1;
    }
    return 0;
}

/* The benefit the frontier plots: violations prevented weighted by severity when a shown
 * group has it (as fig_harm.c's benefit_key), else the count (an older database). */
static size_t benefit_of(const rp *r, const rp_facts *F) {
    return any_shown(r, F, RK_PREVENTED_W) ? RK_PREVENTED_W : RK_PREVENTED;
}

/* The frontier against cost key: its efficient groups and the points of the line drawn. */
static void frontier_of(const rp *r, rp_facts *F, size_t key) {
    double x[FR_MAX], y[FR_MAX], lx[FR_MAX + 1], ly[FR_MAX + 1], lo, hi;
    size_t idx[FR_MAX], n = F->ngroups;
    for (size_t k = 0; k < n; k++) {
        rp_stat(r, key, FIG_NONE, 1, k, &x[k], &lo, &hi, NULL);
        rp_stat(r, benefit_of(r, F), FIG_NONE, 1, k, &y[k], &lo, &hi, NULL);
    }
    size_t m = fig_efficient(x, y, n, idx);
    for (size_t i = 0; i < m && F->n < RP_FACTS_MAX; i++)
        F->f[F->n++] = (rp_fact){RF_FRONTIER, key, FIG_NONE, 1, 0, (long)idx[i], 0, x[idx[i]], -1};
    if (F->n < RP_FACTS_MAX)
        F->f[F->n++] = (rp_fact){RF_LINE, key, FIG_NONE, 1, 0, -1, 0,
                                 (double)fig_frontier_line(x, y, n, lx, ly), -1};
}

static void facts_frontier(const rp *r, rp_facts *F) {
    rp_fact *best = (rp_fact *)fact(F, r, RF_MAX, benefit_of(r, F), FIG_NONE, 1, 0, -1, 0);
    if (best->value > 0 && best->value < 10) best->dec = 1;   /* a mean of 0.5 is not "0" */
    if (!(best->value > 0)) {
        fact(F, r, RF_MIN, RK_EVER_WRONG, FIG_NONE, 1, 0, -1, 0);
        fact(F, r, RF_MAX, RK_EVER_WRONG, FIG_NONE, 1, 0, -1, 0);
    } else {
        fact(F, r, RF_GROUP, RK_EVER_WRONG, FIG_NONE, 1, 0, best->grp, 0);
        fact(F, r, RF_GROUP, RK_HARM_INNOCENT, FIG_NONE, 1, 0, best->grp, 0);
    }
    frontier_of(r, F, RK_EVER_WRONG);
    frontier_of(r, F, RK_HARM_INNOCENT);
    if (!any_shown(r, F, RK_SUPPRESSED)) return;
    for (size_t k = 0; k < F->ngroups && F->n < RP_FACTS_MAX; k++) {   /* chilling costs */
        const rp_fact *f = fact(F, r, RF_GROUP, RK_SUPPRESSED, FIG_NONE, 1, 0, (long)k, 0);
        if (!isfinite(f->value)) F->n--;   /* a group without the rows: no claim */
    }
    frontier_of(r, F, RK_SUPPRESSED);
}

/* The claims of the page "What the regime knows about people" (rp_knows_table). */
static void facts_knows(const rp *r, rp_facts *F) {
    fact(F, r, RF_MAX, RK_HELD, FIG_NONE, 1, 0, -1, 1);
    fact(F, r, RF_MIN, RK_HELD, FIG_NONE, 1, 0, -1, 1);
    fact(F, r, RF_MAX, RK_BODIES, FIG_NONE, 1, 0, -1, 2);
    const rp_fact *hi = fact(F, r, RF_MAX, RK_PLATFORM_AUC, FIG_NONE, 1, 0, -1, 2);
    fact(F, r, RF_GROUP, RK_POOLED, FIG_NONE, 1, 0, hi->grp, 2);
    const rp_fact *lo = fact(F, r, RF_MIN, RK_PLATFORM_AUC, FIG_NONE, 1, 0, -1, 2);
    fact(F, r, RF_GROUP, RK_POOLED, FIG_NONE, 1, 0, lo->grp, 2);
    fact(F, r, RF_MAX, RK_AUC_GBA, FIG_NONE, 1, 0, -1, 2);
    const rp_fact *ch = fact(F, r, RF_MAX, RK_SUPPRESSED, FIG_NONE, 1, 0, -1, 0);
    fact(F, r, RF_GROUP, RK_CHILLED, RK_PERSONS, 100, 0, ch->grp, 1);
}

int rp_network_worth(const rp *r, double *size) {
    fig_sel sel = {.run_ids = r->ids, .nruns = r->nrun, .size = FIG_SIZE_AUTO};
    fig_result res = {0};
    sim_err err = {{0}};
    *size = NAN;
    if (r->nrun && fig_network(r->db, &sel, &res, &err) == SIM_OK) *size = (double)res.cascade;
    fig_result_free(&res);   /* a failed read shows again, and fails, on the network page */
    return *size >= RP_NETWORK_MIN;
}

static void fact_network(const rp *r, rp_facts *F) {
    double size;
    rp_network_worth(r, &size);
    if (F->n < RP_FACTS_MAX && r->nrun)
        F->f[F->n++] = (rp_fact){RF_RUN, RK_CASC_LARGEST, FIG_NONE, 1, 0, -1, r->ids[0], size, 0};
}

/* The saturated groups among those shown (they end every pooled figure's caption). */
static void facts_saturated(const rp *r, rp_facts *F) {
    for (size_t k = 0; k < F->ngroups && F->n < RP_FACTS_MAX; k++)
        if (rp_saturation(r, k) > FIG_SATURATED)
            fact(F, r, RF_GROUP, RK_PERSONS_EVER, RK_PERSONS, 100, 0, (long)k, 1);
}

void rp_caption_facts(const rp *r, const char *fig, rp_facts *F) {
    memset(F, 0, sizeof *F);
    F->ngroups = shown(r, fig);
    if (!strcmp(fig, "timeseries")) facts_timeseries(r, F);
    else if (!strcmp(fig, "harm")) facts_harm(r, F);
    else if (!strcmp(fig, "causes")) {
        fact(F, r, RF_MAX, RK_LIST_SPILL, RK_LIST_ALL, 100, 0, -1, 1);
        fact(F, r, RF_MIN, RK_LIST_SPILL, RK_LIST_ALL, 100, 0, -1, 1);
    } else if (!strcmp(fig, "lorenz")) facts_lorenz(r, F);
    else if (!strcmp(fig, "disparity")) {
        const rp_fact *w = fact(F, r, RF_MAX, RK_RATIO_WRONG, FIG_NONE, 1, 0, -1, 1);
        fact(F, r, RF_GROUP, RK_RATIO_HARM, FIG_NONE, 1, 0, w->grp, 1);
    } else if (!strcmp(fig, "frontier")) facts_frontier(r, F);
    else if (!strcmp(fig, "privacy")) {
        fact(F, r, RF_MAX, RK_RECORDS, FIG_NONE, 1, 0, -1, 2);
        fact(F, r, RF_MAX, RK_NAMED, RK_PERSONS, 100, 0, -1, 2);
        fact(F, r, RF_MAX, RK_AUC_HISTORY, FIG_NONE, 1, 0, -1, 2);
        fact(F, r, RF_MAX, RK_PLATFORM_AUC, FIG_NONE, 1, 0, -1, 2);
        fact(F, r, RF_MAX, RK_SUPPRESSED, RK_PERSONS, 1000, 0, -1, 0);
    } else if (!strcmp(fig, "knows")) {
        facts_knows(r, F);
        return;
    } else if (!strcmp(fig, "records")) {
        fact(F, r, RF_MAX, RK_HELD, FIG_NONE, 1, 0, -1, 1);
        fact(F, r, RF_MIN, RK_HELD, FIG_NONE, 1, 0, -1, 1);
    } else if (!strcmp(fig, "cascades")) {
        fact(F, r, RF_MAX, RK_CASC_LARGEST, FIG_NONE, 1, 0, -1, 0);
        fact_network(r, F);
    } else if (!strcmp(fig, "network")) {
        fact_network(r, F);
        return;
    } else if (!strcmp(fig, "agencies")) rp_facts_agencies(r, F);
    else if (!strcmp(fig, "regions")) rp_facts_regions(r, F);
    else {
        return;
    }
    facts_saturated(r, F);
}

/* ---- the captions ---- */

static void cap_timeseries(const rp *r, const rp_facts *F, out *o) {
    char a[48];
    add(o, "Agents on the blacklist (blue) and those on it without an own true violation in "
        "the look-back window (orange), month by month%s; all panels on one y scale. At the "
        "end, blacklisted:", r->g.nrun > r->g.ngrp ? ", mean and 95% band over replicates" : "");
    for (size_t i = 0; i < F->ngroups; i++)
        add(o, "%s %s %s", i ? ";" : "", gname(r, &F->f[i]), val(&F->f[i], a));
    add(o, ". Ever wrongly blacklisted over the run:");
    for (size_t i = 0; i < F->ngroups; i++)
        add(o, "%s %s %s", i ? ";" : "", gname(r, &F->f[F->ngroups + i]),
            val(&F->f[F->ngroups + i], a));
    add(o, ".");
}

static void cap_harm(const rp *r, const rp_facts *F, out *o) {
    char a[48], b[48], c[48];
    add(o, "Harm of the sanctions in force each month, borne by all agents, by innocent agents "
        "(no own violation in the look-back window) and through others' listings (sanctions "
        "reaching family, firms or representatives, and job loss); all panels on one y scale. "
        "Over the run, harm to innocents was largest in %s (%s units", gname(r, &F->f[0]),
        val(&F->f[0], a));
    if (isfinite(F->f[1].value)) add(o, ", %s%% of its harm", val(&F->f[1], b));
    add(o, ") and smallest in %s (%s units).", gname(r, &F->f[2]), val(&F->f[2], c));
}

static void cap_lorenz(const rp *r, const rp_facts *F, out *o) {
    char a[48], b[48], c[48];
    add(o, "How the harm is spread over persons. Left: the share of all harm to persons borne "
        "by the least harmed share of them (the dashed diagonal: everyone harmed alike); "
        "right: the share borne by the most harmed 1%%, 5%% and 10%%.");
    if (F->f[0].grp >= 0) {
        add(o, " The Gini coefficient runs from %s in %s to %s in %s", val(&F->f[0], a),
            gname(r, &F->f[0]), val(&F->f[1], b), gname(r, &F->f[1]));
        if (isfinite(F->f[2].value))
            add(o, "; in %s the most harmed 5%% of persons bore %s%% of it", gname(r, &F->f[2]),
                val(&F->f[2], c));
        add(o, ".");
    }
    for (size_t i = 3, m = 0; i < F->n; i++) {
        if (F->f[i].kind != RF_NOHARM) continue;
        add(o, "%s%s", m++ ? ", " : " No harm to any person in ", gname(r, &F->f[i]));
        if (i + 1 == F->n || F->f[i + 1].kind != RF_NOHARM)
            add(o, ": with nothing to share out, inequality is undefined there (no curve, no "
                "Gini), not perfect equality.");
    }
}

static void cap_frontier_line(const rp *r, const rp_facts *F, size_t key, out *o) {
    char names[1024];
    out nm = {names, sizeof names, 0};
    size_t m = 0;
    double line = 0;
    names[0] = '\0';
    const char *what = key == RK_EVER_WRONG ? "wrongful blacklisting"
                     : key == RK_SUPPRESSED ? "lawful acts suppressed" : "harm to innocents";
    for (size_t i = 0; i < F->n; i++) {
        const rp_fact *f = &F->f[i];
        if (f->key == key && f->kind == RF_FRONTIER) add(&nm, "%s%s", m++ ? ", " : "", gname(r, f));
        if (f->key == key && f->kind == RF_LINE) line = f->value;
    }
    if (line > 0)
        add(o, "%s %s the frontier against %s: the dashed line through %s and on flat to the "
            "costliest scenario; no scenario lies above and left of it, so every one below or "
            "right of it is beaten on both counts.", names, m > 1 ? "make" : "makes", what,
            m > 1 ? "them" : "it");
    else if (m)
        add(o, "No frontier line against %s: %s, at the one cost all the scenarios share, "
            "is not beaten by another.", what, names);
}

static void cap_frontier(const rp *r, const rp_facts *F, out *o) {
    char a[48], b[48], c[48];
    int w = F->f[0].key == RK_PREVENTED_W;
    add(o, "What each scenario buys and what it costs: violations prevented%s against agents "
        "ever wrongly blacklisted (left) and harm to innocents (right)%s. ",
        w ? ", each weighted by its severity (ordinary 1, serious 20 unless set)"
          : " (counted: these runs have no weighted figure)",
        r->g.nrun > r->g.ngrp ? ", with 95% intervals over replicates" : "");
    if (!(F->f[0].value > 0))
        add(o, "No scenario here prevented a violation, so every point lies on the horizontal "
            "axis and the scenarios differ only in cost: from %s wrongly blacklisted agents in "
            "%s to %s in %s. ", val(&F->f[1], a), gname(r, &F->f[1]), val(&F->f[2], b),
            gname(r, &F->f[2]));
    else
        add(o, "%s prevented the most%s (%s) at %s wrongly blacklisted agents and %s "
            "units of harm to innocents. ", gname(r, &F->f[0]),
            w ? " weighted violations" : " violations", val(&F->f[0], a),
            val(&F->f[1], b), val(&F->f[2], c));
    cap_frontier_line(r, F, RK_EVER_WRONG, o);
    add(o, " ");
    cap_frontier_line(r, F, RK_HARM_INNOCENT, o);
    size_t chill = 0, one = 0;
    for (size_t i = 0; i < F->n; i++)
        if (F->f[i].key == RK_SUPPRESSED && F->f[i].kind == RF_GROUP) one = i, chill++;
    if (!chill) return;
    add(o, " Third panel: against lawful acts suppressed (the chilling effect, a cost of its own, "
        "kept apart from harm and never added to it; only scenarios that model the lawful "
        "activity have a point). ");
    if (chill == 1)
        add(o, "Only %s models it (%s acts suppressed over the run), so there is no frontier "
            "against it.", gname(r, &F->f[one]), val(&F->f[one], a));
    else
        cap_frontier_line(r, F, RK_SUPPRESSED, o);
}

/* The page "What the regime knows about people": its claims in words. */
static void cap_knows(const rp *r, const rp_facts *F, out *o) {
    char a[48], b[48];
    const rp_fact *f = F->f;
    if (f[0].grp >= 0 && f[0].grp != f[1].grp)
        add(o, "The agencies hold the most about people in %s: %s records per person at the "
            "end; the fewest in %s: %s. ", gname(r, &f[0]), val(&f[0], a), gname(r, &f[1]),
            val(&f[1], b));
    else if (f[0].grp >= 0)
        add(o, "The agencies hold %s records per person at the end in %s. ", val(&f[0], a),
            gname(r, &f[0]));
    if (f[2].grp >= 0)
        add(o, "Data about a person is held or read by %s bodies on average in %s, the most "
            "here. ", val(&f[2], a), gname(r, &f[2]));
    if (f[3].grp >= 0)
        add(o, "An adversary at the national platform tells a person's group from the pooled "
            "records with AUC %s in %s (a pooled profile of %s records per person)",
            val(&f[3], a), gname(r, &f[3]), val(&f[4], b));
    if (f[3].grp >= 0 && f[5].grp != f[3].grp)
        add(o, ", and with AUC %s in %s (%s records pooled per person)", val(&f[5], a), gname(r, &f[5]),
            val(&f[6], b));
    if (f[3].grp >= 0) add(o, "; 0.5 means the pool tells nothing. ");
    if (f[7].grp >= 0)
        add(o, "From the public lists and the tie graph, a member of the public picks out who "
            "violated with AUC %s in %s. ", val(&f[7], a), gname(r, &f[7]));
    if (f[8].grp >= 0)
        add(o, "%s suppressed the most lawful acts: %s over the run, with %s%% of its persons "
            "chilled at least once.", gname(r, &f[8]), val(&f[8], a), val(&f[9], b));
    else
        add(o, "No scenario here models the lawful-but-disfavoured activity, so chilling is not "
            "measured here.");
}

static void cap_cascades(const rp *r, const rp_facts *F, out *o) {
    char a[48], b[48];
    add(o, "How far listings spread: the share of cascade trees (a listing and everything that "
        "spread from it) of at least a given size, the replicates' cascades pooled. The largest "
        "cascade (mean over replicates): %s listings, in %s.", val(&F->f[0], a),
        gname(r, &F->f[0]));
    if (!(F->f[1].value >= RP_NETWORK_MIN))
        add(o, " The cascade the network page would draw (run %lld's largest rooted in an error, "
            "else its largest, from the stored events) has %s listing(s), too few to show a "
            "spread (the brief draws one of at least %d).", (long long)F->f[1].run_id,
            val(&F->f[1], b), RP_NETWORK_MIN);
}

static void cap_saturated(const rp *r, const rp_facts *F, out *o) {
    char a[48];
    size_t m = 0;
    for (size_t i = 0; i < F->n; i++) {
        const rp_fact *f = &F->f[i];
        if (f->kind != RF_GROUP || f->key != RK_PERSONS_EVER) continue;
        add(o, "%s%s (%s%% of persons ever blacklisted)", m++ ? "; " : " Saturated: ",
            gname(r, f), val(f, a));
    }
    if (m) add(o, ": more than 80%% of persons listed, so comparisons with %s say little.",
               m > 1 ? "them" : "it");
}

void rp_caption(const rp *r, const char *fig, char *buf, size_t n) {
    rp_facts F;
    out o = {buf, n, 0};
    char a[48], b[48], c[48];
    buf[0] = '\0';
    rp_caption_facts(r, fig, &F);
    const rp_fact *f = F.f;
    if (!strcmp(fig, "timeseries")) cap_timeseries(r, &F, &o);
    else if (!strcmp(fig, "harm")) cap_harm(r, &F, &o);
    else if (!strcmp(fig, "causes"))
        add(&o, "New blacklistings per month by cause%s; all panels on one y scale. Spillover "
            "from contacts caused %s%% of all blacklistings in %s and %s%% in %s.",
            r->g.nrun > r->g.ngrp ? " (mean over replicates)" : "", val(&f[0], a),
            gname(r, &f[0]), val(&f[1], b), gname(r, &f[1]));
    else if (!strcmp(fig, "lorenz")) cap_lorenz(r, &F, &o);
    else if (!strcmp(fig, "disparity")) {
        add(&o, "The share of each population group's persons ever blacklisted and ever wrongly "
            "blacklisted, the harm each group's persons bore, and group 1's rates relative to "
            "group 0's (dashed: parity). The largest gap in wrongful blacklisting: in %s, "
            "persons of group 1 were wrongly blacklisted %s times as often as persons of group "
            "0", gname(r, &f[0]), val(&f[0], a));
        if (isfinite(f[1].value)) add(&o, " and bore %s times the harm per person", val(&f[1], b));
        add(&o, ".");
    } else if (!strcmp(fig, "frontier")) cap_frontier(r, &F, &o);
    else if (!strcmp(fig, "privacy")) {
        add(&o, "What the regime records and shows about persons. Most violation records made "
            "per person in %s (%s); the widest public naming in %s (%s%% of persons named); the "
            "public view gives away most about who violated in %s (AUC %s, where 0.5 means it "
            "tells nothing).", gname(r, &f[0]), val(&f[0], a), gname(r, &f[1]), val(&f[1], b),
            gname(r, &f[2]), val(&f[2], c));
        if (f[3].grp >= 0)
            add(&o, " The platform observer reads group membership best in %s (AUC %s).",
                gname(r, &f[3]), val(&f[3], a));
        if (f[4].grp >= 0)
            add(&o, " Most lawful acts suppressed in %s: %s per 1,000 persons over the run.",
                gname(r, &f[4]), val(&f[4], a));
        add(&o, " Panels whose rows no run has are left out, and groups without rows are not "
            "drawn in a panel (never as zero).");
    } else if (!strcmp(fig, "knows")) cap_knows(r, &F, &o);
    else if (!strcmp(fig, "records")) {
        add(&o, "Records held about each person, month by month, stacked by the agency holding "
            "them%s; all panels on one y scale. Records leave the holdings when they reach "
            "their retention. At the end the most are held in %s (%s per person)",
            r->g.nrun > r->g.ngrp ? " (mean over replicates)" : "", gname(r, &f[0]),
            val(&f[0], a));
        if (f[1].grp != f[0].grp)
            add(&o, ", the fewest in %s (%s)", gname(r, &f[1]), val(&f[1], b));
        add(&o, ". A scenario without a collection source has no panel.");
    }
    else if (!strcmp(fig, "cascades")) cap_cascades(r, &F, &o);
    else if (!strcmp(fig, "agencies") || !strcmp(fig, "regions")) {
        (fig[0] == 'a' ? rp_cap_agencies : rp_cap_regions)(r, &F, buf, n);
        o.len = strlen(buf);
    }
    else if (!strcmp(fig, "network"))
        add(&o, "The spread of one cascade of run %lld (%s listings; the largest rooted in an "
            "error, else the largest, from the stored events; at most 300 drawn): each dot a "
            "listing, each line from the listing it spread from, coloured by how the agent "
            "was listed.", (long long)f[0].run_id, val(&f[0], a));
    else
        add(&o, "Figure '%s'; docs/plots.md describes it and its query.", fig);
    cap_saturated(r, &F, &o);
}
