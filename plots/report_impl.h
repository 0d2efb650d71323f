/* plots/report_impl.h - internals shared by the files of `scsim report`: report.c (the
 * command and pages), report_text.c (headline values and tables), report_caption.c (the
 * claims of each caption and the captions made from them) and report_appendix.c (the
 * provenance tables and the headline SQL). Not an API, but tests may call rp_open,
 * rp_caption_facts and rp_caption to check each caption against the database. Prefix rp_. */
#ifndef PLOT_REPORT_IMPL_H
#define PLOT_REPORT_IMPL_H

#include <cairo.h>

#include "fig_impl.h"
#include "query.h"
#include "report.h"

enum { RP_RUNS_MAX = 256, RP_GROUPS_DEFAULT = 6, RP_TABLE_MAX = 8, RP_TEXT = 4096 };

/* The smallest cascade (listings) the network page draws; below it the brief says the size. */
enum { RP_NETWORK_MIN = 10 };

/* The summary values the brief uses, per run (fig_sums keys, in this order). */
enum {
    RK_PERSONS, RK_LISTED_END, RK_EVER, RK_EVER_WRONG, RK_HARM, RK_HARM_INNOCENT,
    RK_HARM_REACHED, RK_PREVENTED, RK_COUNTERFACTUAL, RK_NAMED, RK_THIRD, RK_AUC_CONTACT,
    RK_AUC_HISTORY, RK_GINI, RK_LORENZ95, RK_CASC_FALSE, RK_CASC_MIS, RK_CASC_LARGEST,
    RK_RATIO_WRONG, RK_RATIO_HARM, RK_LIST_SPILL, RK_LIST_ALL, RK_RECORDS, RK_RETENTION,
    RK_TOP1, RK_PERSONS_EVER, RK_ERROR_SHARE, RK_SANCTIONED, RK_SANCT_INNOCENT,
    RK_SANCT_CHILDREN, RK_FIRMS_FAILED, RK_HELD, RK_BODIES, RK_POOLED, RK_PLATFORM_AUC,
    RK_AUC_GBA, RK_SUPPRESSED, RK_CHILLED,
    RK_PREVENTED_W,   /* violations_prevented_weighted (issue 13 item 2) */
    RK_MULTI,         /* listed_multi (black): on two or more blacklists at the end */
    /* by region R = 0 .. RP_REGIONS-1 (grp region:R): RK_REG_AGENTS + R, ... */
    RK_REG_AGENTS, RK_REG_PREV = RK_REG_AGENTS + 8, RK_REG_LISTED = RK_REG_PREV + 8,
    RK_NKEYS = RK_REG_LISTED + 8
};

/* The regions the brief reads (as the regions figure draws). */
enum { RP_REGIONS = 8 };

/* The (name, grp) of key k (RK_*). */
const fig_key *rp_key(size_t k);

typedef struct rp {
    query_t *q;               /* the database, opened and checked by query_open */
    sqlite3 *db;              /* query_db(q): for the figure builders and the appendix */
    const char *path;
    int64_t ids[RP_RUNS_MAX];
    size_t nrun;
    fig_groups_t g;           /* the runs in replicate groups */
    fig_sums s;               /* their summary values (keys RK_*); a run without harm to
                                 persons has its Gini and Lorenz values NaN (undefined) */
    fig_result scratch;       /* the SQL of those queries (the appendix prints it) */
    double page_w, page_h;    /* every page, points (landscape A4 or Letter) */
    int pages;                /* pages shown so far */
    cairo_surface_t *sf;
    cairo_t *cr;
    sim_err failed;           /* the first read of a page that failed (write_pdf fails) */
    int nfailed;
    unsigned char scoped[RP_RUNS_MAX];   /* run i (r->g order) limits some key to some regions:
                                            a non-empty `regions` in its params_json */
} rp;

#define RP_MARGIN 48.0

/* report.c */

/* Opens db, selects runs ids[0..nids) (nids 0: the last 6 run groups; only done runs that are
 * not flagged duplicates) and loads their groups and summary values into a new *out (page
 * size A4). rp_close frees it (NULL ok). Errors as report_write. */
sim_status rp_open(const char *db, const int64_t *ids, size_t nids, rp **out, sim_err *err);
void rp_close(rp *r);

/* report_text.c */

/* Loads r->g and r->s for r->ids (two queries on runs, one on summary). */
sim_status rp_load(rp *r, sim_err *err);

/* Group k's mean and 95% CI of value key (divided by key den, FIG_NONE: not) times scale. */
void rp_stat(const rp *r, size_t key, size_t den, double scale, size_t k, double *mean,
             double *lo, double *hi, size_t *n);

/* v with dec decimals, whole numbers of 10,000 and more with thousands commas, "–" for NaN. */
void rp_num(char *buf, size_t n, double v, int dec);

/* Text at (x, y) wrapped to width points; returns its height. draw 0: only measures. */
double rp_text_at(cairo_t *cr, const char *s, double x, double y, double width, double size,
                  int bold, int mono, int draw);
double rp_text(cairo_t *cr, const char *s, double x, double y, double width, double size,
               int bold, int mono);

/* The headline tables from y on, starting new pages as needed; returns the y below them. */
double rp_tables(rp *r, double y);

/* Whether some selected run has collection, sharing or chilling rows (records_held,
 * bodies_per_person or lawful_acts_suppressed in the summary): the brief then has the page
 * "What the regime knows about people". */
int rp_knows_any(const rp *r);

/* The table of that page (records held, bodies, pooled profile, platform AUC,
 * guilt-by-association AUC, lawful acts suppressed, persons chilled) from y, with its
 * caption defining the columns; returns the y below it. */
double rp_knows_table(rp *r, double y);

/* "column = summary name (grp) / name (grp) x scale; ...": what each table column is. */
void rp_columns(char *buf, size_t n);

/* The share of persons ever blacklisted of group k (mean over its runs), NaN without rows. */
double rp_saturation(const rp *r, size_t k);

/* The definitions and warnings under the tables, generated with the numbers they need. */
void rp_notes(const rp *r, char *buf, size_t n);

/* report_caption.c */

/* One claim of a caption: a number it prints and the group it names, and how they were
 * chosen, so a test can recompute each from the database. value = offset + scale * (mean
 * over the group's runs of key / den). */
typedef enum {
    RF_MAX,       /* grp: the shown group with the largest value */
    RF_MIN,       /* grp: the shown group with the smallest value */
    RF_GROUP,     /* grp's value */
    RF_FRONTIER,  /* grp is efficient: no shown group has key (cost) <= and prevented >= with
                     one strict (fig_efficient); value: its cost */
    RF_LINE,      /* value: points of the frontier line drawn against cost key (0: none) */
    RF_NOHARM,    /* grp: no harm to persons in any run (Gini undefined); value NaN */
    RF_RUN,       /* value: listings of the cascade the network figure of run run_id shows */
    RF_AGENCY,    /* grp's agency (agency) whose own blacklist held the most agents at the end:
                     value the mean over grp's runs of listed_by_agency (black:agency), the
                     largest of grp's agencies (the first by name on ties); the agency's name
                     in rp_facts.agency at the claim's index */
    RF_REG_MAX,   /* grp's region R = key - RK_REG_PREV with the most violations prevented
                     per 1,000 agents (key / den x scale), over the regions with agents */
    RF_REG_MIN    /* the same, the fewest */
} rp_fact_kind;

typedef struct rp_fact {
    rp_fact_kind kind;
    size_t key, den;          /* RK_* (den FIG_NONE: undivided) */
    double scale, offset;
    long grp;                 /* -1: none (no group has a value) */
    int64_t run_id;           /* RF_RUN */
    double value;
    int dec;                  /* decimals printed (rp_num), -1: not printed */
} rp_fact;

enum { RP_FACTS_MAX = 96 };

typedef struct rp_facts {
    size_t ngroups;           /* the groups the figure shows: 0 .. ngroups-1 */
    size_t n;
    rp_fact f[RP_FACTS_MAX];
    char agency[RP_FACTS_MAX][48];   /* claim i RF_AGENCY: its agency's name */
} rp_facts;

/* The claims of figure fig's caption (an unknown figure: none); fig "knows": the claims of
 * the page "What the regime knows about people". */
void rp_caption_facts(const rp *r, const char *fig, rp_facts *facts);

/* The caption of figure fig: its claims (rp_caption_facts) in words. */
void rp_caption(const rp *r, const char *fig, char *buf, size_t n);

/* Whether the network page is worth drawing: the cascade the network figure shows (of the
 * first run) has at least RP_NETWORK_MIN listings. *size: its listings (NaN when the events
 * cannot be read). */
int rp_network_worth(const rp *r, double *size);

/* Appends claim (kind, key, den, scale, offset, grp, dec) to F, settled as the caption's
 * claims are (RF_MAX, RF_MIN over F's groups, RF_GROUP: grp's value); the claim added (a
 * static empty claim when F is full). */
const rp_fact *rp_fact_add(rp_facts *F, const rp *r, rp_fact_kind kind, size_t key, size_t den,
                           double scale, double offset, long grp, int dec);

/* report_lists.c: the pages of per-agency lists and regional pilots */

/* Fills r->scoped: which selected runs limit some key to some regions. */
sim_status rp_pilots_load(rp *r, sim_err *err);

/* Whether the regions page is worth drawing: some run of the groups it shows is scoped. */
int rp_regions_worth(const rp *r);

/* The claims of the captions "agencies" and "regions" and their words (rp_caption's). */
void rp_facts_agencies(const rp *r, rp_facts *F);
void rp_facts_regions(const rp *r, rp_facts *F);
void rp_cap_agencies(const rp *r, const rp_facts *F, char *buf, size_t n);
void rp_cap_regions(const rp *r, const rp_facts *F, char *buf, size_t n);

/* report_appendix.c */

/* The appendix pages: per run group its provenance and resolved parameters as a table, then
 * the SQL of the headline tables. */
void rp_appendix(rp *r);

/* A read for a page failed: kept, so the brief fails instead of missing a part. */
void rp_read_failed(rp *r, const char *what);

/* "runs 1, 7, 13" of group k. */
void rp_group_runs(const rp *r, size_t k, char *buf, size_t n);

/* The overrides of the first run of group k without run.seed, on one line. */
void rp_group_overrides(rp *r, size_t k, char *buf, size_t n);

/* Starts a new page of the brief's size, painted white; rp_end_page shows it (counted). */
void rp_new_page(rp *r);
void rp_end_page(rp *r);

#endif
