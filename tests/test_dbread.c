/* tests/test_dbread.c - end to end: databases as untrusted input (issue 15, defects 3, 4, 7
 * and 11). Crafted values (points, replicates, steps out of range) are refused with exit 5
 * and a message; a damaged database makes summary and export fail, not print "-"; files
 * that are not scsim's get a message that says what they are; another program's SQLite
 * database is never written to; a full disk makes report and summary fail. The full-disk
 * and read-only-media cases need root and tmpfs mounts: skipped when mount is not allowed.
 * Runs from the repository root; SCSIM names the binary. */
#include "testutil.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define D "build/dbread"

static const char *scsim(void) {
    const char *p = getenv("SCSIM");
    return p ? p : "build/scsim";
}

static int sh(const char *cmd) {
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Runs "scsim ARGS" (stdout and stderr to D/out.txt, or stdout to `to` when given). */
static int run_to(const char *to, const char *args) {
    char cmd[1400];
    /* fontconfig's known leak (tests/test_plot_lsan.h) is suppressed under LSan */
    snprintf(cmd, sizeof cmd, "LSAN_OPTIONS=suppressions=" D "/lsan.supp %s %s > %s 2>%s",
             scsim(), args, to ? to : D "/out.txt", to ? D "/out.txt" : "&1");
    return sh(cmd);
}

static int run(const char *args) { return run_to(NULL, args); }

static char *output(void) {
    static char buf[1 << 16];
    FILE *f = fopen(D "/out.txt", "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = 0;
    return buf;
}

static void expect(const char *args, int code, const char *msg) {
    int rc = run(args);
    if (rc != code) fail_msg("scsim %s: exit %d, expected %d: %s", args, rc, code, output());
    if (msg) assert_contains(output(), msg);
}

static void exec_sql(const char *path, const char *sql) {
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

/* A copy of src at dst, without -wal or -shm files, in rollback-journal mode. */
static void copy_db(const char *src, const char *dst) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -f %s %s-wal %s-shm && sqlite3 %s \"VACUUM INTO '%s'\" && "
             "sqlite3 %s 'PRAGMA journal_mode=DELETE' >/dev/null", dst, dst, dst, src, dst, dst);
    assert_int_equal(sh(cmd), 0);
}

/* D/run.db: one small run; D/sweep.db: a 2 x 2 grid sweep with 2 replicates. */
static int setup(void **state) {
    (void)state;
    if (sh("rm -rf " D " && mkdir -p " D " && echo leak:libfontconfig.so > " D "/lsan.supp"))
        return -1;
    if (run("run scenarios/baseline.ini --quiet --steps 4 --set population.persons=300 "
            "--out " D "/run.db") != 0)
        return -1;
    FILE *f = fopen(D "/grid.ini", "w");
    if (!f) return -1;
    fputs("[experiment]\nname = g\nscenario = ../../scenarios/points-spillover.ini\ndesign = grid\n"
          "replicates = 2\n[set]\npopulation.persons = 200\nrun.steps = 3\n[param.a]\n"
          "key = agency.civility.false_record\nvalues = 0, 0.01\n[param.b]\n"
          "key = spillover.social_points.weight\nvalues = 0, 4\n", f);
    fclose(f);
    return run("sweep " D "/grid.ini --quiet --out " D "/sweep.db");
}

/* Defect 4: points, replicates and steps from the database bound before they size
 * anything (before: heap-buffer-overflow, a hang, signed overflow, a 1.9 GB allocation). */
static void test_crafted_shape_refused(void **state) {
    (void)state;
    static const char *const edits[] = {
        "UPDATE runs SET point=4611686018427387904 WHERE run_id=2",
        "UPDATE runs SET point=999999999 WHERE run_id=2",
        "UPDATE runs SET point=-3 WHERE run_id=2",
        "UPDATE runs SET replicate=2147483647 WHERE run_id=2",
        "UPDATE runs SET point=999999, replicate=99 WHERE run_id=2"};   /* cells */
    for (size_t k = 0; k < sizeof edits / sizeof *edits; k++) {
        copy_db(D "/sweep.db", D "/crafted.db");
        exec_sql(D "/crafted.db", edits[k]);
        expect("summary " D "/crafted.db --sweep g", 5, "damaged or was edited");
    }
    copy_db(D "/sweep.db", D "/crafted.db");
    exec_sql(D "/crafted.db", "UPDATE runs SET replicate=2147483647 WHERE run_id=2");
    expect("plot " D "/crafted.db --out " D "/figs --figure phase", 5, "replicate 2147483647");
    copy_db(D "/run.db", D "/crafted.db");
    exec_sql(D "/crafted.db", "INSERT INTO metrics VALUES(1, 10000000, 'listed.black', 'all', 5)");
    expect("plot " D "/crafted.db --out " D "/figs --figure timeseries", 5, "step 10000000");
    expect("summary " D "/sweep.db --sweep g", 0, "4 points x 2 replicates");   /* as before */
}

/* The page number of table `name`'s root, or 0. */
static int root_page(const char *path, const char *name) {
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    int page = 0;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT rootpage FROM sqlite_master WHERE name=?",
                                        -1, &q, NULL), SQLITE_OK);
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW) page = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return page;
}

/* Defect 3: a damaged summary_rows table makes summary and export fail (before: summary
 * printed "-" and exited 0). */
static void test_damaged_database_fails(void **state) {
    (void)state;
    copy_db(D "/run.db", D "/damaged.db");
    int page = root_page(D "/damaged.db", "summary_rows");
    assert_true(page > 1);
    FILE *f = fopen(D "/damaged.db", "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, (long)(page - 1) * 4096, SEEK_SET), 0);   /* its page header */
    assert_int_equal(fwrite("\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f", 1, 8, f), 8);
    fclose(f);
    expect("summary " D "/damaged.db", 5, "malformed");
    expect("export " D "/damaged.db --csv " D "/csv", 5, "malformed");
    assert_null(strstr(output(), "rows written"));
}

/* Defects 7 and 11: what a file is, said plainly; another program's database untouched. */
static void test_not_scsim_files(void **state) {
    (void)state;
    sh("printf 'hello\\n' > " D "/text.db; : > " D "/empty.db; mkdir -p " D "/folder.db");
    sh("rm -f " D "/foreign.db && sqlite3 " D "/foreign.db 'CREATE TABLE t(a); "
       "INSERT INTO t VALUES(1)'");
    sh("cp " D "/foreign.db " D "/foreign.orig");
    expect("summary " D "/text.db", 5, "is not an SQLite database");
    expect("summary " D "/empty.db", 5, "is empty");
    expect("summary " D "/foreign.db", 5, "another program's SQLite database");
    expect("summary " D "/folder.db", 4, "not a file");
    expect("plot " D "/foreign.db --out " D "/figs", 5, "another program's");
    expect("report " D "/text.db -o " D "/b.pdf", 5, "is not an SQLite database");
    const char *runs = "run scenarios/baseline.ini --quiet --steps 2 "
                       "--set population.persons=100 --out ";
    char args[300];
    snprintf(args, sizeof args, "%s" D "/foreign.db", runs);
    expect(args, 5, "another program's SQLite database");
    expect("merge " D "/foreign.db " D "/run.db", 5, "refusing to add scsim's tables");
    assert_int_equal(sh("cmp -s " D "/foreign.db " D "/foreign.orig"), 0);   /* not WAL */
    snprintf(args, sizeof args, "%s" D "/text.db", runs);
    expect(args, 5, "is not an SQLite database");
    snprintf(args, sizeof args, "%s" D "/no/such/folder/x.db", runs);
    expect(args, 4, "does not exist");
    expect("summary " D "/no-such.db", 4, "No such file");
}

/* Whether the output holds a byte that steers a terminal (C0 but newline, DEL) or U+202E. */
static int has_controls(const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\n') || *p == 0x7f) return 1;
    return strstr(s, "\xe2\x80\xae") != NULL;
}

/* Defect 10: control characters from a database reach neither the terminal nor a message
 * (before: ESC, BEL, CR and U+202E printed as they are). */
static void test_controls_escaped(void **state) {
    (void)state;
    copy_db(D "/sweep.db", D "/hostile.db");
    exec_sql(D "/hostile.db", "UPDATE runs SET overrides = 'x' || char(27) || '[2J' || "
             "char(27) || ']0;pwned' || char(7) || char(13) || char(8238) || 'y', "
             "scenario_name = 'evil' || char(27) || '[31m' WHERE run_id = 1;"
             "UPDATE sweeps SET name = 'g' || char(27) || '[2J';"
             "UPDATE runs SET replicate = -1 WHERE run_id = 2");
    expect("summary " D "/hostile.db --runs 1", 0, "\\x1B[2J\\x1B]0;pwned\\x07\\x0D\\u202Ey");
    assert_false(has_controls(output()));
    assert_contains(output(), "evil\\x1B[31m");
    expect("plot " D "/hostile.db --out " D "/figs --figure phase", 5, "g\\x1B[2J");
    assert_false(has_controls(output()));
}

/* A small tmpfs at dir (root and mount permitted), else 0. */
static int mount_small(const char *dir, const char *size) {
    char cmd[1000];
    snprintf(cmd, sizeof cmd, "mkdir -p %s && mount -t tmpfs -o size=%s tmpfs %s 2>/dev/null",
             dir, size, dir);
    return geteuid() == 0 && sh(cmd) == 0;
}

static void unmount(const char *dir) {
    char cmd[400];
    snprintf(cmd, sizeof cmd, "umount %s", dir);
    assert_int_equal(sh(cmd), 0);
}

/* Defect 3: report and summary onto a full disk fail with exit 4 (before: report exit 0
 * with a truncated PDF). */
static void test_full_disk(void **state) {
    (void)state;
    char dir[256];
    snprintf(dir, sizeof dir, "%s/" D "/full", getcwd((char[200]){0}, 200));
    if (!mount_small(dir, "64k")) skip();
    char args[600];
    sh("dd if=/dev/zero of=" D "/full/fill bs=1k count=16 2>/dev/null");
    snprintf(args, sizeof args, "report " D "/sweep.db -o %s/b.pdf", dir);
    int rc = run(args);
    char *out = output();
    struct stat sb;
    int left = stat(D "/full/b.pdf", &sb) == 0;
    sh("dd if=/dev/zero of=" D "/full/fill2 bs=1k count=64 2>/dev/null");
    int rc2 = run_to(D "/full/s.txt", "summary " D "/sweep.db");
    unmount(dir);
    if (rc != 4) fail_msg("report onto a full disk: exit %d, expected 4: %s", rc, out);
    assert_false(left);   /* no truncated brief left behind */
    assert_int_equal(rc2, 4);
}

/* Defect 7: a WAL database on read-only media is read (before: "no meta table"). */
static void test_read_only_media(void **state) {
    (void)state;
    char dir[256], cmd[1200];
    snprintf(dir, sizeof dir, "%s/" D "/ro", getcwd((char[200]){0}, 200));
    if (!mount_small(dir, "2m")) skip();
    snprintf(cmd, sizeof cmd, "sqlite3 " D "/run.db \"VACUUM INTO '%s/r.db'\" && sqlite3 %s/r.db "
             "'PRAGMA journal_mode=WAL' >/dev/null && mount -o remount,ro %s", dir, dir, dir);
    int ok = sh(cmd) == 0;
    snprintf(cmd, sizeof cmd, "summary %s/r.db", dir);
    int rc = ok ? run(cmd) : -1;
    char *out = output();
    int has = strstr(out, "baseline") != NULL;
    unmount(dir);
    assert_true(ok);
    if (rc != 0 || !has) fail_msg("summary on read-only media: exit %d: %s", rc, out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crafted_shape_refused),
        cmocka_unit_test(test_damaged_database_fails),
        cmocka_unit_test(test_not_scsim_files),
        cmocka_unit_test(test_controls_escaped),
        cmocka_unit_test(test_full_disk),
        cmocka_unit_test(test_read_only_media),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
