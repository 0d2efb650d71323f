/* tests/analyst.h - helpers of the analyst tests (issue 14 items 3, 5-8: test_run_table,
 * test_compare, test_outputs, test_tutorial): start scsim or a shell command and read its
 * output, read one value from a database. Tests run from the repository root (run-tests.sh
 * gives each a private build/); SCSIM names the binary. */
#ifndef TESTS_ANALYST_H
#define TESTS_ANALYST_H

#include "testutil.h"

#include <math.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

static inline const char *an_scsim(void) {
    const char *p = getenv("SCSIM");
    return p ? p : "build/scsim";
}

/* Runs the shell command cmd; its stdout and stderr into out (n bytes). Its exit status, or
 * -1 when it did not exit. */
static inline int an_sh(const char *cmd, char *out, size_t n) {
    char full[4096];
    snprintf(full, sizeof full, "( %s ) > build/analyst.out 2>&1", cmd);
    int rc = system(full);
    FILE *f = fopen("build/analyst.out", "r");
    size_t len = f ? fread(out, 1, n - 1, f) : 0;
    out[len] = 0;
    if (f) fclose(f);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* scsim with args (a shell command line). */
static inline int an_run(const char *args, char *out, size_t n) {
    char cmd[3000];
    snprintf(cmd, sizeof cmd, "%s %s", an_scsim(), args);
    return an_sh(cmd, out, n);
}

/* The first column of the first row of sql as a double; NAN when there is no row or the
 * value is NULL; -999 on an SQLite error. */
static inline double an_query(const char *path, const char *sql) {
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    double v = -999;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
        int rc = sqlite3_step(q);
        v = rc == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL
                ? sqlite3_column_double(q, 0) : rc == SQLITE_ROW || rc == SQLITE_DONE ? NAN : -999;
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

static inline void an_exec(const char *path, const char *sql) {
    sqlite3 *db = NULL;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

static inline void an_rm(const char *path) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s-wal %s-shm", path, path, path);
    assert_int_equal(system(cmd), 0);
}

/* 1 when the shell finds program p. */
static inline int an_have(const char *p) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", p);
    return system(cmd) == 0;
}

#endif
