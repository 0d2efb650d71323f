/* plots/report_appendix.c - the appendix of `scsim report`: per run group its provenance
 * (runs, scenario, version, status, overrides) and the fully resolved parameters of its first
 * run as a table (one row per section of runs.params_json, read with SQLite's json_tree:
 * "population | persons 20000 · regions 4 · group_shares [0.8,0.2] · ..."; an empty text
 * shows as "none"), then the SQL the headline tables ran. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_impl.h"

enum { ROW_MAX = 2048 };

void rp_read_failed(rp *r, const char *what) {
    if (r->nfailed++ == 0)
        err_set(&r->failed, SIM_EDB, "database %s: %s: %s", r->path, what,
                sqlite3_errmsg(r->db));
}

void rp_group_runs(const rp *r, size_t k, char *buf, size_t n) {
    size_t len = (size_t)snprintf(buf, n, "run%s", r->g.count[k] > 1 ? "s" : "");
    size_t m = 0;
    for (size_t i = 0; i < r->g.nrun && len < n; i++)
        if (r->g.grp[i] == k)
            len += (size_t)snprintf(buf + len, n - len, "%s %lld", m++ ? "," : "",
                                    (long long)r->g.run_id[i]);
}

/* Column i of the current row as text; "" for NULL (a damaged or edited row). */
static const char *col_text(sqlite3_stmt *q, int i) {
    const unsigned char *t = sqlite3_column_text(q, i);
    return t ? (const char *)t : "";
}

static size_t first_run(const rp *r, size_t k) {
    size_t first = 0;
    while (r->g.grp[first] != k) first++;
    return first;
}

void rp_group_overrides(rp *r, size_t k, char *buf, size_t n) {
    sqlite3_stmt *q = NULL;
    buf[0] = '\0';
    if (sqlite3_prepare_v2(r->db, "SELECT overrides FROM runs WHERE run_id = ?", -1, &q,
                           NULL) != SQLITE_OK)
        return rp_read_failed(r, "reading runs");
    sqlite3_bind_int64(q, 1, r->g.run_id[first_run(r, k)]);
    size_t len = 0;
    int rc = sqlite3_step(q);
    const char *ov = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : NULL;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) rp_read_failed(r, "reading runs");
    for (const char *p = ov; p && *p;) {
        size_t l = strcspn(p, "\n");
        if (strncmp(p, "run.seed=", 9) != 0 && len + l + 2 < n)
            len += (size_t)snprintf(buf + len, n - len, "%s%.*s", len ? " " : "", (int)l, p);
        p += l + (p[l] == '\n');
    }
    sqlite3_finalize(q);
}

/* A json_tree path as a section name: without the leading $. and the quotes json_tree puts
 * around a key holding an underscore (so a sanction's section reads sanction.flight_ban). */
static void section_name(const char *path, char *buf, size_t n) {
    size_t o = 0;
    for (const char *p = strncmp(path, "$.", 2) ? path : path + 2; *p && o + 1 < n; p++)
        if (*p != '"') buf[o++] = *p;
    buf[o] = '\0';
    if (!strcmp(path, "$")) snprintf(buf, n, "run");
}

/* One table row: the section in bold at the left, its settings wrapped at the right; a new
 * page (headed "(continued)") when it does not fit. Returns the y below it. */
static double table_row(rp *r, const char *title, const char *sec, const char *text, double y) {
    const double W = r->page_w - 2 * RP_MARGIN, left = 150, size = 7.5;
    double h = rp_text_at(r->cr, text, RP_MARGIN + left, y, W - left, size, 0, 0, 0);
    if (y + h > r->page_h - RP_MARGIN) {
        rp_end_page(r);
        rp_new_page(r);
        char head[RP_TEXT];
        snprintf(head, sizeof head, "%s (continued)", title);
        y = RP_MARGIN + 4 + rp_text(r->cr, head, RP_MARGIN, RP_MARGIN, W, 10, 1, 0);
    }
    rp_text(r->cr, sec, RP_MARGIN, y, left - 8, size, 1, 0);
    h = rp_text(r->cr, text, RP_MARGIN + left, y, W - left, size, 0, 0);
    return y + h + 3;
}

/* The resolved parameters of run id as a table, one row per section; returns the y below. */
static double params_table(rp *r, const char *title, int64_t id, double y) {
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(r->db, "SELECT j.path, j.key, j.type, j.value FROM runs r, "
                           "json_tree(r.params_json) j WHERE r.run_id = ? AND j.type != "
                           "'object' AND j.path NOT LIKE '%]' AND typeof(j.key) = 'text' "
                           "ORDER BY j.id", -1, &q, NULL) != SQLITE_OK) {
        rp_read_failed(r, "reading the parameters for the appendix");
        return y;
    }
    sqlite3_bind_int64(q, 1, id);
    char sec[256] = "", cur[256], row[ROW_MAX] = "";
    size_t len = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        section_name(col_text(q, 0), cur, sizeof cur);
        if (strcmp(cur, sec) && len) y = table_row(r, title, sec, row, y), len = 0;
        snprintf(sec, sizeof sec, "%s", cur);
        const char *type = col_text(q, 2), *v = col_text(q, 3);
        if (len < sizeof row)   /* an array of numbers shows as its JSON: [0.8,0.2] */
            len += (size_t)snprintf(row + len, sizeof row - len, "%s%s %s", len ? " · " : "",
                                    col_text(q, 1), !strcmp(type, "true") ? "true"
                                    : !strcmp(type, "false") ? "false"
                                    : !strcmp(type, "null") ? "–" : v[0] ? v : "none");
    }
    if (rc != SQLITE_DONE) rp_read_failed(r, "reading the parameters (runs.params_json)");
    if (len) y = table_row(r, title, sec, row, y);
    sqlite3_finalize(q);
    return y;
}

/* The head of group k's appendix page from its first run; returns the y below it. */
static double group_head(rp *r, size_t k, char *title, size_t n) {
    sqlite3_stmt *q = NULL;
    int64_t id = r->g.run_id[first_run(r, k)];
    double y = RP_MARGIN, W = r->page_w - 2 * RP_MARGIN;
    if (sqlite3_prepare_v2(r->db, "SELECT scenario_name, seed, scsim_version, status FROM runs "
                           "WHERE run_id = ?", -1, &q, NULL) != SQLITE_OK) {
        rp_read_failed(r, "reading runs for the appendix");
        return y;
    }
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) rp_read_failed(r, "reading runs for the appendix");
    char runs[512], ov[512], head[RP_TEXT];
    rp_group_runs(r, k, runs, sizeof runs);
    rp_group_overrides(r, k, ov, sizeof ov);
    snprintf(title, n, "Appendix: %s (%s)", r->g.title[k], runs);
    snprintf(head, sizeof head, "%s, scenario %s, scsim %s, status of run %lld %s. Overrides: "
             "%s", title, rc == SQLITE_ROW ? col_text(q, 0) : "–",
             rc == SQLITE_ROW ? col_text(q, 2) : "–", (long long)id,
             rc == SQLITE_ROW ? col_text(q, 3) : "–", ov[0] ? ov : "none");
    y += rp_text(r->cr, head, RP_MARGIN, y, W, 10, 1, 0) + 4;
    snprintf(head, sizeof head, "The fully resolved scenario of run %lld (seed %lld; every key, "
             "defaults filled in; `scsim show` gives it as INI)%s, one row per section:",
             (long long)id, rc == SQLITE_ROW ? (long long)sqlite3_column_int64(q, 1) : 0LL,
             r->g.count[k] > 1 ? ". Its replicates differ only in run.seed" : "");
    y += rp_text(r->cr, head, RP_MARGIN, y, W, 9, 0, 0) + 6;
    sqlite3_finalize(q);
    return y;
}

/* The SQL behind the headline tables, with how a cell is made from it. */
static void sql_page(rp *r) {
    const double W = r->page_w - 2 * RP_MARGIN;
    rp_new_page(r);
    double y = RP_MARGIN;
    y += rp_text(r->cr, "Appendix: the headline tables' SQL", RP_MARGIN, y, W, 12, 1, 0) + 4;
    y += rp_text(r->cr, "The runs are grouped into replicate groups by the first two queries "
                 "(docs/plots.md, run groups); the third reads every value the tables and "
                 "captions use. A cell is the mean over a group's runs of the value (of the "
                 "ratio of two values, for a share, taken per run), and under it the half-width "
                 "of the 95% t interval over the runs. Run these with sqlite3 on the database.",
                 RP_MARGIN, y, W, 9, 0, 0) + 4;
    char cols[RP_TEXT];
    rp_columns(cols, sizeof cols);
    y += rp_text(r->cr, "The columns, as rows of the summary table (name, grp; a share divides "
                 "per run, then averages):", RP_MARGIN, y, W, 9, 1, 0) + 2;
    y += rp_text(r->cr, cols, RP_MARGIN, y, W, 7.5, 0, 0) + 8;
    const char *sql = r->scratch.sql ? r->scratch.sql : "";
    double size = 7;
    while (size > 4 && y + rp_text_at(r->cr, sql, RP_MARGIN, y, W, size, 0, 1, 0) >
                           r->page_h - RP_MARGIN)
        size -= 0.5;
    rp_text(r->cr, sql, RP_MARGIN, y, W, size, 0, 1);
    rp_end_page(r);
}

void rp_appendix(rp *r) {
    for (size_t k = 0; k < r->g.ngrp; k++) {
        char title[FIG_TITLE_MAX + 600];
        rp_new_page(r);
        double y = group_head(r, k, title, sizeof title);
        params_table(r, title, r->g.run_id[first_run(r, k)], y);
        rp_end_page(r);
    }
    sql_page(r);
}
