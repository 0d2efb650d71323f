/* tests/test_registry.c - the metric registry (sim/core/metric.h): ids stable and unique,
 * names unique and found again by name, families in scn_list order; docs/metrics.md
 * checked against it in both directions (every registry metric defined in the section of
 * each table it goes to, every metric the docs define in the registry, for that table);
 * every metric name the plots and `scsim summary` write into SQL is in the registry. */
#include "testutil.h"

#include <dirent.h>
#include <sys/stat.h>

#include "metric.h"
#include "results.h"
#include "scenario.h"

static void test_ids_and_names(void **state) {
    (void)state;
    int n = 0;
    assert_null(metric_get(M_NONE));
    assert_null(metric_get(M_END));
    assert_null(metric_get(-1));
    for (int id = 1; id < M_END; id++) {
        const metric_def *m = metric_get(id);
        assert_non_null(m);   /* no hole yet: every id up to M_END is a metric */
        assert_int_equal(m->id, id);
        assert_true(m->name && *m->name && m->grouping && *m->grouping && m->unit &&
                    m->definition && *m->definition);
        assert_true(m->tables >= METRIC_STEP && m->tables <= METRIC_BOTH);
        assert_int_equal(metric_by_name(m->name), id);   /* unique names */
        assert_true(strlen(m->name) < RES_LABEL_MAX);
        n++;
    }
    assert_int_equal(n, M_END - 1);   /* no hole */
    assert_true(n >= 96);             /* ids are append-only: this only grows */
    assert_int_equal(metric_by_name("no_such_metric"), M_NONE);
    /* a few ids that databases already hold: they must never change */
    assert_string_equal(metric_name(1), "violations");
    assert_string_equal(metric_name(4), "listed.black");
    assert_string_equal(metric_name(21), "harm");
    assert_string_equal(metric_name(80), "records_held");
    assert_string_equal(metric_name(79), "harm_lorenz");
}

static void test_families(void **state) {
    (void)state;
    const int first[] = {M_LISTED_BLACK, M_NEW_LISTED_BLACK, M_DELISTED_BLACK};
    const char *stem[] = {"listed.", "new_listed.", "delisted."};
    for (int f = 0; f < 3; f++)
        for (int l = 0; l < SCN_NLISTS; l++) {
            char want[48];
            snprintf(want, sizeof want, "%s%s", stem[f], scn_list_name((scn_list)l));
            const metric_def *m = metric_get(metric_of(first[f], l));
            assert_string_equal(m->name, want);
            assert_int_equal(m->family, first[f]);
        }
    for (int k = 0; k < METRIC_NRATES; k++) {
        char want[64];
        snprintf(want, sizeof want, "rate_ratio.%s", metric_rate_name(k));
        assert_string_equal(metric_name(metric_of(M_RATE_RATIO_EVER_LISTED, k)), want);
    }
    assert_null(metric_rate_name(METRIC_NRATES));
}

/* ---- docs/metrics.md, both directions ------------------------------------------------- */

/* Calls fn on every `name` in the first cell of a table row of doc[0..len). */
static int each_doc_name(const char *doc, size_t len, int tables, int (*fn)(const char *, int)) {
    int bad = 0;
    for (const char *p = doc; p && p < doc + len; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncmp(p, "| `", 3) != 0) continue;
        const char *end = strchr(p + 1, '|');
        for (const char *q = strchr(p, '`'); q && q < end;) {
            const char *r = strchr(q + 1, '`');
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(r - q - 1), q + 1);
            bad += fn(name, tables);
            q = strchr(r + 1, '`');
        }
    }
    return bad;
}

static int in_registry(const char *name, int table) {
    int id = metric_by_name(name);
    if (id && (metric_get(id)->tables & table)) return 0;
    print_error("docs/metrics.md defines `%s` for %s, which the registry %s\n", name,
                table == METRIC_STEP ? "metrics" : "summary",
                id ? "does not put in that table" : "does not have");
    return 1;
}

static const char *g_part;   /* the section searched by documented() */
static size_t g_len;

static int documented(const char *name, int table) {
    char quoted[64];
    snprintf(quoted, sizeof quoted, "`%s`", name);
    for (const char *p = g_part; (p = strstr(p, quoted)) && p < g_part + g_len; p++) {
        const char *line = p;
        while (line > g_part && line[-1] != '\n') line--;
        const char *bar = strchr(line + 1, '|');
        if (line[0] == '|' && bar && p < bar) return 0;   /* in a row's first cell */
    }
    print_error("registry metric %s (%s) is not defined in docs/metrics.md\n", name,
                table == METRIC_STEP ? "metrics" : "summary");
    return 1;
}

static void test_docs_both_ways(void **state) {
    (void)state;
    char *doc = test_slurp("docs/metrics.md");
    assert_non_null(doc);
    const char *split = strstr(doc, "\n## End of run");
    assert_non_null(split);
    size_t nstep = (size_t)(split - doc), nsum = strlen(split);
    int bad = each_doc_name(doc, nstep, METRIC_STEP, in_registry);
    bad += each_doc_name(split, nsum, METRIC_SUMMARY, in_registry);
    for (int id = 1; id < M_END; id++) {
        const metric_def *m = metric_get(id);
        if (!m) continue;
        if (m->tables & METRIC_STEP) g_part = doc, g_len = nstep, bad += documented(m->name, 1);
        if (m->tables & METRIC_SUMMARY)
            g_part = split, g_len = nsum, bad += documented(m->name, 2);
    }
    free(doc);
    assert_int_equal(bad, 0);
}

/* ---- names in the plots' and summary's SQL ------------------------------------------------ */

/* Quoted words in those files that look like metric names but are grp values, columns or
 * tables. */
static const char *const NOT_METRICS[] = {
    "violation_history", "listed_contact", "guilt_by_association", "false_record", "mu_star",
    "ever_listed",
    "ever_wrongly_listed", "s.grp", "sweep_params", NULL};

static int allowed(const char *w) {
    for (int k = 0; NOT_METRICS[k]; k++)
        if (!strcmp(w, NOT_METRICS[k])) return 1;
    return 0;
}

/* Every word between quotes ('...' or "...") in text made of [a-z0-9_.], starting with a
 * letter and holding '_' or '.', not a header name: a metric of the registry, or allowed. */
static int check_words(const char *path, const char *text, int *seen) {
    int bad = 0;
    for (const char *p = text; *p; p++) {
        if (*p != '\'' && *p != '"') continue;
        size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz0123456789_.");
        if (p[n + 1] != *p || n == 0 || n >= 64 || p[1] < 'a' || p[1] > 'z') continue;
        char w[64];
        snprintf(w, sizeof w, "%.*s", (int)n, p + 1);
        p += n + 1;
        if (!strpbrk(w, "_.") || (n > 2 && !strcmp(w + n - 2, ".h"))) continue;
        (*seen)++;
        if (metric_by_name(w) || allowed(w)) continue;
        print_error("%s names \"%s\", which is not in the metric registry\n", path, w);
        bad++;
    }
    return bad;
}

static void test_plot_and_cli_names(void **state) {
    (void)state;
    DIR *d = opendir("plots");
    assert_non_null(d);
    int bad = 0, seen = 0, files = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n < 3 || strcmp(e->d_name + n - 2, ".c") != 0) continue;
        char path[512];
        snprintf(path, sizeof path, "plots/%s", e->d_name);
        char *text = test_slurp(path);
        assert_non_null(text);
        bad += check_words(path, text, &seen);
        free(text);
        files++;
    }
    closedir(d);
    char *text = test_slurp("sim/cli/cli_db.c");
    assert_non_null(text);
    bad += check_words("sim/cli/cli_db.c", text, &seen);
    free(text);
    assert_true(files > 10 && seen > 20);   /* the scan found the plots' names */
    assert_int_equal(bad, 0);
    int dummy = 0;   /* and it would catch a misspelt one */
    assert_int_equal(check_words("example", "name = 'listed.blak'", &dummy), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_and_names),
        cmocka_unit_test(test_families),
        cmocka_unit_test(test_docs_both_ways),
        cmocka_unit_test(test_plot_and_cli_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
