/* tests/test_plot_fixture.h - the small results database of the figure tests and helpers to
 * read files and run the binary (include once, in the test's .c file, after defining FIX_DB
 * and FIX_OUT: the database and output folder under build/, one per test binary).
 *
 * fix_make_db builds FIX_DB with the real binary (SCSIM, else build/scsim):
 *   runs 1, 2    points-spillover, 2,000 persons, 24 steps, seeds 1 and 2 (one run group; no
 *                sanctions, so no harm rows);
 *   runs 3..10   a 2 x 2 grid sweep of points-spillover (1,500 persons, 12 steps), two
 *                replicates per point (runs 2k+1, 2k+2 are point k-1);
 *   runs 11, 12  baseline (sanctions, appeals: harm rows), 2,000 persons, 24 steps, seeds 1, 2;
 *   run 13       court-blacklist with deterrence on (violations prevented > 0), same size;
 * and sensitivity rows inserted directly (sweep 2). */
#ifndef TEST_PLOT_FIXTURE_H
#define TEST_PLOT_FIXTURE_H

#include <glib.h>
#include <math.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#define FIX_LSAN "LSAN_OPTIONS=suppressions=build/plottest-lsan.supp "
#define FIX_LOG FIX_OUT ".log"

static inline const char *fix_scsim(void) {
    const char *p = getenv("SCSIM");
    return p ? p : "build/scsim";
}

/* Runs `scsim ARGS` with its output to FIX_LOG; returns the exit code. */
static inline int fix_run(const char *args) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd, FIX_LSAN "%s %s > " FIX_LOG " 2>&1", fix_scsim(), args);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static inline char *fix_slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len) *len = (size_t)n;
    return buf;
}

/* The first column of the first row of sql on FIX_DB, NaN without a row. */
static inline double fix_sql1(const char *sql) {
    sqlite3 *db;
    sqlite3_stmt *q;
    double v = NAN;
    if (sqlite3_open_v2(FIX_DB, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_double(q, 0);
        sqlite3_finalize(q);
    }
    sqlite3_close(db);
    return v;
}

static inline void fix_write(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char FIX_SENSITIVITY[] =
    "INSERT INTO sweeps(sweep_id, name, design, spec, created_at) VALUES (2, 'figtest-sobol',"
    " 'saltelli', '[experiment]', '2024-01-01');"
    "INSERT INTO sensitivity VALUES (2,'ever_wrongly_listed.black','all',"
    "'agency.civility.false_record','S1',0.1,0.0,0.2),"
    "(2,'ever_wrongly_listed.black','all','agency.civility.false_record','ST',0.15,0.05,0.3),"
    "(2,'ever_wrongly_listed.black','all','spillover.social_points.weight','S1',0.7,0.5,0.9),"
    "(2,'ever_wrongly_listed.black','all','spillover.social_points.weight','ST',0.8,0.6,1.0),"
    "(2,'ever_wrongly_listed.black','all','spillover.partners.beta','S1',0.01,-0.05,0.08),"
    "(2,'ever_wrongly_listed.black','all','spillover.partners.beta','ST',0.02,0.0,0.1);";

/* Builds FIX_DB (above) afresh; 0 on success (a cmocka group setup). */
static inline int fix_make_db(void **state) {
    (void)state;
    if (system("rm -rf " FIX_DB " " FIX_DB "-wal " FIX_DB "-shm " FIX_OUT " && mkdir -p "
               FIX_OUT) != 0)
        return -1;
    fix_write("build/plottest-lsan.supp", "leak:libfontconfig.so\n");
    fix_write(FIX_OUT "/grid.ini",
              "[experiment]\nname = figtest-grid\nscenario = ../../scenarios/"
              "points-spillover.ini\ndesign = grid\nreplicates = 2\n[set]\n"
              "population.persons = 1500\nrun.steps = 12\n[param.err]\n"
              "key = agency.civility.false_record\nvalues = 0, 0.02\n[param.w]\n"
              "key = spillover.social_points.weight\nvalues = 0, 6\n");
    static const char *const RUNS[] = {
        "run scenarios/points-spillover.ini --seed 1",
        "run scenarios/points-spillover.ini --seed 2",
        "sweep " FIX_OUT "/grid.ini --jobs 1",   /* run ids in design order */
        "run scenarios/baseline.ini --seed 1",
        "run scenarios/baseline.ini --seed 2",
        "run scenarios/court-blacklist.ini --seed 1 --set behaviour.deter_surveillance=2 "
        "--set behaviour.deter_sanction=0.5"};
    char cmd[1024];
    for (size_t i = 0; i < sizeof RUNS / sizeof *RUNS; i++) {
        int sweep = strncmp(RUNS[i], "sweep", 5) == 0;
        snprintf(cmd, sizeof cmd, "%s --out " FIX_DB " --quiet%s", RUNS[i],
                 sweep ? "" : " --set population.persons=2000 --steps 24");
        if (fix_run(cmd) != 0) return -1;
    }
    sqlite3 *db;
    if (sqlite3_open(FIX_DB, &db) != SQLITE_OK) return -1;
    int rc = sqlite3_exec(db, FIX_SENSITIVITY, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

/* ---- file checks ---- */

static inline uint32_t fix_be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A PNG of w x h pixels: the signature, then the IHDR chunk's width and height. */
static inline void fix_check_png(const char *path, uint32_t w, uint32_t h) {
    size_t len;
    unsigned char *b = (unsigned char *)fix_slurp(path, &len);
    assert_true(len > 33);
    assert_memory_equal(b, "\x89PNG\r\n\x1a\n", 8);
    assert_memory_equal(b + 12, "IHDR", 4);
    if (fix_be32(b + 16) != w || fix_be32(b + 20) != h)
        fail_msg("%s: %u x %u px, expected %u x %u", path, fix_be32(b + 16), fix_be32(b + 20),
                 w, h);
    free(b);
}

static inline void fix_count_element(GMarkupParseContext *c, const gchar *name, const gchar **an,
                              const gchar **av, gpointer data, GError **e) {
    (void)c, (void)name, (void)an, (void)av, (void)e;
    (*(int *)data)++;
}

/* Parses path as XML (GLib's GMarkup: well-formed, tags balanced, entities valid) with an
 * <svg> root; returns the number of elements. */
static inline int fix_check_svg(const char *path) {
    size_t len;
    char *s = fix_slurp(path, &len);
    assert_true(strncmp(s, "<?xml", 5) == 0);
    assert_non_null(strstr(s, "<svg"));
    int elements = 0;
    GMarkupParser parser = {fix_count_element, NULL, NULL, NULL, NULL};
    GMarkupParseContext *c = g_markup_parse_context_new(&parser, 0, &elements, NULL);
    GError *e = NULL;
    gboolean ok = g_markup_parse_context_parse(c, s, (gssize)len, &e) &&
                  g_markup_parse_context_end_parse(c, &e);
    if (!ok) fail_msg("%s is not well-formed XML: %s", path, e ? e->message : "?");
    g_markup_parse_context_free(c);
    free(s);
    assert_true(elements > 10);
    return elements;
}

/* The number of pages pdfinfo reports, -1 when it cannot read the file. */
static inline int fix_pdf_pages(const char *path) {
    char cmd[512], line[256];
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>&1", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    int pages = -1;
    while (fgets(line, sizeof line, p))
        if (strncmp(line, "Pages:", 6) == 0) pages = atoi(line + 6);
    pclose(p);
    return pages;
}

#endif
