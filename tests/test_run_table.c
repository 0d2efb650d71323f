/* tests/test_run_table.c - the wide run table (issue 14 item 7, schema 6): the view
 * run_table has one row per run, a column per varied parameter (regenerated when a sweep
 * with a new parameter is recorded) and the headline summary figures, equal to the summary
 * rows they come from; a version 5 database is migrated (contrasts table, view); the
 * readers scripts/scsim_read.py (standard library; pandas when installed) and
 * scripts/scsim_read.R (when R is installed) return it. (Before: no view, no readers.) */
#include "analyst.h"

#include "version.h"

#define RUN "run scenarios/baseline.ini --steps 5 --set population.persons=2000 --threads 1 " \
            "--quiet --out "
#define SWEEP "sweep tests/data/analyst-sweep.ini --quiet --out "
#define PY "/usr/bin/python3"

static void test_single_runs(void **state) {
    (void)state;
    const char *db = "build/rt-single.db";
    char out[4000];
    an_rm(db);
    assert_int_equal(an_run(RUN "build/rt-single.db --label wide", out, sizeof out), 0);
    assert_int_equal(an_run(RUN "build/rt-single.db --seed 4", out, sizeof out), 0);
    assert_true(an_query(db, "SELECT count(*) FROM run_table") == 2);
    assert_true(an_query(db, "SELECT persons FROM run_table WHERE run_id = 1") == 2000);
    assert_true(an_query(db, "SELECT count(*) FROM run_table t JOIN summary s ON s.run_id ="
                             " t.run_id AND s.name = 'ever_wrongly_listed.black' AND s.grp ="
                             " 'all' WHERE t.ever_wrongly_listed IS s.value") == 2);
    assert_true(an_query(db, "SELECT count(*) FROM run_table t JOIN summary s ON s.run_id ="
                             " t.run_id AND s.name = 'harm' AND s.grp = 'innocent'"
                             " WHERE t.harm_innocent IS s.value") == 2);
    assert_true(an_query(db, "SELECT label = 'wide' FROM run_table WHERE run_id = 1") == 1);
    assert_true(an_query(db, "SELECT seed FROM run_table WHERE run_id = 2") == 4);
    an_rm(db);
}

/* A sweep's parameters are columns named by their keys, with the values of sweep_params; a
 * second sweep varying another key adds its column (NULL for the first sweep's runs). */
static void test_sweep_columns(void **state) {
    (void)state;
    const char *db = "build/rt-sweep.db";
    char out[4000];
    an_rm(db);
    assert_int_equal(an_run(SWEEP "build/rt-sweep.db", out, sizeof out), 0);
    assert_true(an_query(db, "SELECT count(*) FROM run_table WHERE sweep = 'analyst'") == 12);
    assert_true(an_query(db, "SELECT count(*) FROM run_table t JOIN sweep_params p ON"
                             " p.sweep_id = t.sweep_id AND p.point = t.point AND p.key ="
                             " 'spillover.partners.beta' WHERE t.\"spillover.partners.beta\""
                             " = p.value") == 12);
    assert_true(an_query(db, "SELECT count(*) FROM run_table WHERE"
                             " \"agency.courts.false_record\" = 0.01") == 6);
    assert_true(an_query(db, "SELECT count(*) FROM run_table t JOIN summary s ON s.run_id ="
                             " t.run_id AND s.name = 'ever_listed.black' AND s.grp = 'all'"
                             " WHERE t.ever_listed = s.value") == 12);
    FILE *f = fopen("build/rt-other.ini", "w");
    assert_non_null(f);
    fprintf(f, "[experiment]\nname = other\nscenario = ../scenarios/baseline.ini\n[set]\n"
               "population.persons = 2000\nrun.steps = 4\n[param.term]\nkey = "
               "lists.black_term\nvalues = 12, 24\n");
    fclose(f);
    assert_int_equal(an_run("sweep build/rt-other.ini --quiet --out build/rt-sweep.db", out,
                            sizeof out), 0);
    assert_true(an_query(db, "SELECT count(*) FROM run_table WHERE \"lists.black_term\" ="
                             " 24 AND sweep = 'other'") == 1);
    assert_true(an_query(db, "SELECT count(*) FROM run_table WHERE \"lists.black_term\" IS"
                             " NULL") == 12);
    an_rm(db);
}

/* Version 5 (no contrasts table, no view) is migrated by the next writer; reading
 * commands read it as it is. */
static void test_v5_migration(void **state) {
    (void)state;
    const char *db = "build/rt-v5.db";
    char out[4000];
    an_rm(db);
    assert_int_equal(an_run(RUN "build/rt-v5.db", out, sizeof out), 0);
    an_exec(db, "DROP VIEW run_table; DROP TABLE contrasts; PRAGMA user_version = 5;"
                " UPDATE meta SET value = '5' WHERE key = 'schema_version'");
    assert_int_equal(an_run("summary build/rt-v5.db", out, sizeof out), 0);
    assert_true(an_query(db, "PRAGMA user_version") == 5);
    assert_int_equal(an_run(RUN "build/rt-v5.db --seed 2", out, sizeof out), 0);
    assert_true(an_query(db, "PRAGMA user_version") == SCSIM_SCHEMA_VERSION);
    assert_true(an_query(db, "SELECT count(*) FROM contrasts") == 0);
    assert_true(an_query(db, "SELECT count(*) FROM run_table WHERE persons = 2000") == 2);
    an_rm(db);
}

static int have_py(void) {
    if (access(PY, X_OK) == 0) return 1;
    print_message("skipped: no %s (the Python reader is tested where Python exists)\n", PY);
    return 0;
}

/* The Python reader (standard library): run_table's rows as dicts, pooled only; its CSV
 * command; a clear error for a database without the view (exit 5). */
static void test_python_reader(void **state) {
    (void)state;
    if (!have_py()) skip();
    const char *db = "build/rt-py.db";
    char out[8000];
    an_rm(db);
    assert_int_equal(an_run(SWEEP "build/rt-py.db", out, sizeof out), 0);
    assert_int_equal(an_run(RUN "build/rt-py.db --again --seed 1", out, sizeof out), 0);
    assert_int_equal(an_run(RUN "build/rt-py.db --again --seed 1", out, sizeof out), 0);
    assert_int_equal(an_sh(PY " -c 'import sys; sys.path.insert(0, \"scripts\"); import "
                           "scsim_read as r; t = r.run_table(\"build/rt-py.db\", frame=False); "
                           "print(len(t), len(r.run_table(\"build/rt-py.db\", pooled=False, "
                           "frame=False)), len(r.run_table(\"build/rt-py.db\", sweep=\"analyst\""
                           ", frame=False)), sum(x[\"spillover.partners.beta\"] == 0.5 for x in "
                           "t), t[3][\"ever_listed\"])'", out, sizeof out), 0);
    char want[200];
    snprintf(want, sizeof want, "13 14 12 6 %.1f\n",
             an_query(db, "SELECT value FROM summary WHERE run_id = 4 AND name ="
                          " 'ever_listed.black' AND grp = 'all'"));
    assert_string_equal(out, want);
    assert_int_equal(an_sh(PY " scripts/scsim_read.py build/rt-py.db --sweep analyst", out,
                           sizeof out), 0);
    assert_contains(out, "run_id,sweep_id,sweep,point,replicate,scenario,label,seed,status,"
                         "duplicate,overrides,varied_json,spillover.partners.beta,"
                         "agency.courts.false_record,persons,");
    an_exec(db, "DROP VIEW run_table");
    assert_int_equal(an_sh(PY " scripts/scsim_read.py build/rt-py.db", out, sizeof out), 5);
    assert_contains(out, "has no run_table view: written by an scsim before results schema 6");
    an_rm(db);
}

/* With pandas the reader returns a DataFrame of the same rows. */
static void test_pandas_reader(void **state) {
    (void)state;
    char out[4000];
    if (!have_py()) skip();
    if (an_sh(PY " -c 'import pandas'", out, sizeof out) != 0) {
        print_message("skipped: pandas is not installed for %s\n", PY);
        skip();
    }
    an_rm("build/rt-pd.db");
    assert_int_equal(an_run(SWEEP "build/rt-pd.db", out, sizeof out), 0);
    assert_int_equal(an_sh(PY " -c 'import sys; sys.path.insert(0, \"scripts\"); import "
                           "scsim_read as r; t = r.run_table(\"build/rt-pd.db\"); "
                           "print(type(t).__name__, len(t), int(t[\"persons\"].sum()))'", out,
                           sizeof out), 0);
    assert_string_equal(out, "DataFrame 12 24000\n");
    an_rm("build/rt-pd.db");
}

/* The R reader, where R with DBI and RSQLite is installed. */
static void test_r_reader(void **state) {
    (void)state;
    char out[4000];
    if (!an_have("Rscript") ||
        an_sh("Rscript -e 'library(DBI); library(RSQLite)'", out, sizeof out) != 0) {
        print_message("skipped: Rscript with DBI and RSQLite is not installed\n");
        skip();
    }
    an_rm("build/rt-r.db");
    assert_int_equal(an_run(SWEEP "build/rt-r.db", out, sizeof out), 0);
    assert_int_equal(an_sh("Rscript -e 'source(\"scripts/scsim_read.R\"); t <- "
                           "scsim_run_table(\"build/rt-r.db\", sweep = \"analyst\"); "
                           "cat(nrow(t), sum(t$persons), sum(t$`spillover.partners.beta` == "
                           "0.5), \"\\n\")'", out, sizeof out), 0);
    assert_contains(out, "12 24000 6");
    an_rm("build/rt-r.db");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_runs),   cmocka_unit_test(test_sweep_columns),
        cmocka_unit_test(test_v5_migration),  cmocka_unit_test(test_python_reader),
        cmocka_unit_test(test_pandas_reader), cmocka_unit_test(test_r_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
