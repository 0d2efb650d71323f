/* tests/test_opt.c - the option layer (sim/cli/opt.h): value checks, the parser generated
 * from a table, the help generated from it; and every command's table through the
 * dispatcher's list (each option in its help, bad values refused with exit code 2). */
#include "testutil.h"

#include <limits.h>
#include <stddef.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "opt.h"

/* ---- argv from a string ---- */

enum { ARGS_MAX = 32 };

typedef struct argv_t {
    char buf[1024];
    char *v[ARGS_MAX + 1];
    int c;
} argv_t;

/* "scsim CMD ARGS..." split at single spaces; "''" stands for an empty argument. */
static char **make_argv(argv_t *a, const char *line) {
    snprintf(a->buf, sizeof a->buf, "%s", line);
    a->c = 0;
    for (char *t = strtok(a->buf, " "); t && a->c < ARGS_MAX; t = strtok(NULL, " "))
        a->v[a->c++] = strcmp(t, "''") == 0 ? t + 2 : t;
    a->v[a->c] = NULL;
    return a->v;
}

/* ---- value checks ---- */

static void test_int(void **state) {
    (void)state;
    sim_err err = {{0}};
    long long x = 99;
    assert_int_equal(opt_int("--n", "12", 0, 100, &x, &err), SIM_OK);
    assert_true(x == 12);
    assert_int_equal(opt_int("--n", "-3", -5, 5, &x, &err), SIM_OK);
    assert_true(x == -3);
    assert_int_equal(opt_int("--n", "9223372036854775807", 0, LLONG_MAX, &x, &err), SIM_OK);
    assert_true(x == LLONG_MAX);
    const char *bad[] = {"12x", "", " 12", "12 ", "1e3", "0x10", "1.0", "x",
                         "9223372036854775808", "99999999999999999999", "101", "-1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        x = 77;
        err.msg[0] = '\0';
        if (opt_int("--jobs", bad[i], 0, 100, &x, &err) != SIM_EUSAGE)
            fail_msg("opt_int accepted \"%s\"", bad[i]);
        assert_true(x == 77);   /* untouched */
        assert_contains(err.msg, "--jobs");
        assert_contains(err.msg, "expected an integer 0 .. 100");
    }
    assert_int_equal(err_exit_code(SIM_EUSAGE), 2);
}

static void test_double(void **state) {
    (void)state;
    sim_err err = {{0}};
    double x = 0;
    assert_int_equal(opt_double("--p", "0.25", 0, 1, &x, &err), SIM_OK);
    assert_true(x == 0.25);
    assert_int_equal(opt_double("--p", "1e-3", 0, 1, &x, &err), SIM_OK);
    assert_true(x == 1e-3);
    const char *bad[] = {"nan", "inf", "-inf", "0.5x", "", " 0.5", "1.5", "-0.1", "1e999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        x = 7;
        if (opt_double("--p", bad[i], 0, 1, &x, &err) != SIM_EUSAGE)
            fail_msg("opt_double accepted \"%s\"", bad[i]);
        assert_true(x == 7);
        assert_contains(err.msg, "--p");
        assert_contains(err.msg, "expected a number 0 .. 1");
    }
}

static void expect_ids(const char *s, int max, const int64_t *want, int n) {
    opt_ids ids = {.n = 0};
    sim_err err = {{0}};
    if (opt_ids_parse("--runs", s, max, &ids, &err) != SIM_OK)
        fail_msg("\"%s\": %s", s, err.msg);
    assert_int_equal(ids.n, n);
    assert_int_equal(ids.given, 1);
    for (int i = 0; i < n; i++) assert_true(ids.v[i] == want[i]);
}

static void test_ids(void **state) {
    (void)state;
    expect_ids("3", 8, (const int64_t[]){3}, 1);
    expect_ids("1,4,7", 8, (const int64_t[]){1, 4, 7}, 3);
    expect_ids("7,1", 8, (const int64_t[]){7, 1}, 2);   /* in the order given */
    expect_ids("1,2,5-8", 8, (const int64_t[]){1, 2, 5, 6, 7, 8}, 6);
    expect_ids("1-8", 8, (const int64_t[]){1, 2, 3, 4, 5, 6, 7, 8}, 8);   /* max exactly */
    expect_ids("4-4", 8, (const int64_t[]){4}, 1);
    expect_ids("9223372036854775807", 8, (const int64_t[]){INT64_MAX}, 1);
    const char *bad[] = {"", ",", "1,", ",1", "1,,2", "0", "-1", "x", "1x", "1-", "-3", "5-2",
                         "1,1", "1-3,2", "9223372036854775808", "1-9", "1,2,3,4,5,6,7,8,9",
                         "+1", " 1", "1 ", "1-9223372036854775807"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        opt_ids ids = {.v = {42}, .n = 1, .given = 0};
        sim_err err = {{0}};
        if (opt_ids_parse("--runs", bad[i], 8, &ids, &err) != SIM_EUSAGE)
            fail_msg("opt_ids_parse accepted \"%s\"", bad[i]);
        assert_true(ids.n == 1 && ids.v[0] == 42 && !ids.given);   /* untouched */
        assert_contains(err.msg, "--runs");
    }
    sim_err err = {{0}};
    opt_ids ids;
    assert_int_equal(opt_ids_parse("--runs", "2,5,2", 8, &ids, &err), SIM_EUSAGE);
    assert_contains(err.msg, "id 2 given twice");
    assert_int_equal(opt_ids_parse("--runs", "1-9", 8, &ids, &err), SIM_EUSAGE);
    assert_contains(err.msg, "at most 8 ids");
    assert_int_equal(opt_ids_parse("--runs", "1,x", 8, &ids, &err), SIM_EUSAGE);
    assert_contains(err.msg, "\"x\" is not an id");
}

static void test_paths(void **state) {
    (void)state;
    char dir[] = "/tmp/test_opt-XXXXXX", path[256], file[256];
    assert_non_null(mkdtemp(dir));
    sim_err err = {{0}};
    snprintf(path, sizeof path, "%s/a/b/c", dir);
    assert_int_equal(opt_make_dir(path, &err), SIM_OK);   /* parents too */
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
    assert_int_equal(opt_make_dir(path, &err), SIM_OK);   /* again: fine */
    snprintf(file, sizeof file, "%s/f", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(opt_make_dir(file, &err), SIM_EIO);
    snprintf(path, sizeof path, "%s/f/sub", dir);
    assert_int_equal(opt_make_dir(path, &err), SIM_EIO);
    assert_contains(err.msg, "cannot create output directory");
    /* an output that is an input, by another name too */
    snprintf(path, sizeof path, "%s/a/../f", dir);
    assert_int_equal(opt_check_output("--out", file, file, &err), SIM_EUSAGE);
    assert_int_equal(opt_check_output("--out", path, file, &err), SIM_EUSAGE);
    assert_contains(err.msg, "--out");
    assert_int_equal(opt_check_output("--out", "new.pdf", file, &err), SIM_OK);
    assert_int_equal(opt_check_output("--out", "none.pdf", "none.pdf", &err), SIM_EUSAGE);
    /* the files SQLite keeps beside an input, a symlink, a hard link, several inputs */
    char side[300], sym[300], hard[300];
    snprintf(side, sizeof side, "%s-wal", file);
    assert_int_equal(opt_check_output("-o", side, file, &err), SIM_EUSAGE);
    assert_contains(err.msg, "never writes over a file it reads");
    snprintf(sym, sizeof sym, "%s/a/sym", dir);
    snprintf(hard, sizeof hard, "%s/a/hard", dir);
    assert_int_equal(symlink("../f", sym), 0);
    assert_int_equal(link(file, hard), 0);
    assert_int_equal(opt_check_output("--out", sym, file, &err), SIM_EUSAGE);
    assert_int_equal(opt_check_output("--out", hard, file, &err), SIM_EUSAGE);
    const char *ins[] = {"other.db", NULL, file};
    assert_int_equal(opt_check_outputs("OUT.db", hard, ins, 3, &err), SIM_EUSAGE);
    assert_int_equal(opt_check_outputs("OUT.db", "new.db", ins, 3, &err), SIM_OK);
    /* a folder output: the files a command writes into it */
    const char *names[] = {"x.csv", "hard"}, *names_ok[] = {"x.csv", "y.csv"};
    snprintf(path, sizeof path, "%s/a", dir);
    assert_int_equal(opt_check_output_in("--csv", path, names, 2, &ins[2], 1, &err), SIM_EUSAGE);
    assert_int_equal(opt_check_output_in("--csv", path, names_ok, 2, &ins[2], 1, &err), SIM_OK);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* ---- a table of every kind ---- */

typedef struct t_args {
    int n, flag, choice;
    double x;
    const char *out, *name;
    opt_ids ids;
    opt_list list;
    char called[64];
} t_args;

static sim_status t_call(void *args, const char *opt, const char *v, sim_err *err) {
    t_args *a = args;
    if (strcmp(v, "bad") == 0) return err_set(err, SIM_EUSAGE, "%s %s: not that", opt, v);
    snprintf(a->called, sizeof a->called, "%s=%s", opt, v);
    return SIM_OK;
}

static sim_status t_check(void *args, const char *opt, const char *v, sim_err *err) {
    (void)args;
    return strchr(v, '=') ? SIM_OK : err_set(err, SIM_EUSAGE, "%s %s: needs =", opt, v);
}

static const opt_word T_WORDS[] = {{"low", 10}, {"high", 20}, {NULL, 0}};

static const opt_spec T_OPTS[] = {
    {.name = "out", .short_name = 'o', .kind = OPT_PATH, .metavar = "FILE.pdf",
     .off = offsetof(t_args, out), .flags = OPT_REQUIRED, .help = "where to write"},
    {.name = "n", .kind = OPT_INT, .metavar = "N", .lo = 1, .hi = 9, .def = "7",
     .off = offsetof(t_args, n), .help = "a count"},
    {.name = "x", .kind = OPT_DOUBLE, .metavar = "X", .dlo = 0, .dhi = 1, .def = "0.5",
     .off = offsetof(t_args, x), .help = "a share"},
    {.name = "flag", .short_name = 'f', .kind = OPT_FLAG, .off = offsetof(t_args, flag),
     .help = "a switch"},
    {.name = "level", .kind = OPT_CHOICE, .words = T_WORDS, .def = "low",
     .off = offsetof(t_args, choice), .help = "how much"},
    {.name = "name", .kind = OPT_STRING, .metavar = "NAME", .off = offsetof(t_args, name),
     .help = "a name with a long explanation that must wrap onto a second line because it "
             "is far longer than the width of the help column"},
    {.name = "runs", .kind = OPT_IDS, .metavar = "IDS", .hi = 4, .off = offsetof(t_args, ids),
     .help = "ids"},
    {.name = "run", .kind = OPT_IDS, .metavar = "IDS", .hi = 4, .off = offsetof(t_args, ids),
     .flags = OPT_DEPRECATED, .help = "the old spelling of --runs"},
    {.name = "set", .kind = OPT_LIST, .metavar = "K=V", .hi = 3, .call = t_check,
     .off = offsetof(t_args, list), .help = "repeatable"},
    {.name = "call", .kind = OPT_CALL, .metavar = "V", .call = t_call, .help = "handled"},
};

static const opt_cmd T_CMD = {
    .name = "test", .args = "IN [MORE]", .min_args = 1, .max_args = 2,
    .summary = "a test", .about = "About the test.\n", .after = "After the options.\n",
    .opts = T_OPTS, .nopts = sizeof T_OPTS / sizeof *T_OPTS};

static sim_status t_parse(const char *line, t_args *a, opt_pos *pos, sim_err *err) {
    static argv_t av;
    make_argv(&av, line);
    memset(a, 0, sizeof *a);
    err->msg[0] = '\0';
    return opt_parse(&T_CMD, av.c, av.v, a, pos, err);
}

static void test_parse(void **state) {
    (void)state;
    t_args a;
    opt_pos pos;
    sim_err err = {{0}};
    /* defaults, positionals in order between options, a short option with its value */
    assert_int_equal(t_parse("scsim test in1 -o o.pdf in2", &a, &pos, &err), SIM_OK);
    assert_int_equal(a.n, 7);
    assert_true(a.x == 0.5);
    assert_int_equal(a.choice, 10);
    assert_string_equal(a.out, "o.pdf");
    assert_int_equal(pos.n, 2);
    assert_string_equal(pos.v[0], "in1");
    assert_string_equal(pos.v[1], "in2");
    assert_int_equal(pos.help, 0);
    assert_false(a.ids.given);
    /* every kind; --name=value; -oVALUE; -f; a later value replaces an earlier one */
    assert_int_equal(t_parse("scsim test --n 2 in --n=3 -ob.pdf -f --x 0.125 --level high "
                             "--name Bob --runs 2,4-5 --set a=1 --set b=2 --call v", &a, &pos,
                             &err), SIM_OK);
    assert_int_equal(a.n, 3);
    assert_string_equal(a.out, "b.pdf");
    assert_int_equal(a.flag, 1);
    assert_true(a.x == 0.125);
    assert_int_equal(a.choice, 20);
    assert_string_equal(a.name, "Bob");
    assert_true(a.ids.given && a.ids.n == 3 && a.ids.v[0] == 2 && a.ids.v[2] == 5);
    assert_int_equal(a.list.n, 2);
    assert_string_equal(a.list.v[1], "b=2");
    assert_string_equal(a.called, "--call=v");
    assert_int_equal(pos.n, 1);
    /* the deprecated spelling still works */
    assert_int_equal(t_parse("scsim test in -o o --run 9", &a, &pos, &err), SIM_OK);
    assert_true(a.ids.n == 1 && a.ids.v[0] == 9);
    /* "--" ends the options */
    assert_int_equal(t_parse("scsim test -o o -- --n -f", &a, &pos, &err), SIM_OK);
    assert_int_equal(pos.n, 2);
    assert_string_equal(pos.v[0], "--n");
    assert_string_equal(pos.v[1], "-f");
    assert_int_equal(a.n, 7);
    /* a value that looks like an option is still the value */
    assert_int_equal(t_parse("scsim test in -o -f", &a, &pos, &err), SIM_OK);
    assert_string_equal(a.out, "-f");
    /* help stops everything, even a missing required option */
    assert_int_equal(t_parse("scsim test --help", &a, &pos, &err), SIM_OK);
    assert_int_equal(pos.help, 1);
    assert_int_equal(t_parse("scsim test -f -h --bogus", &a, &pos, &err), SIM_OK);
    assert_int_equal(pos.help, 1);
    assert_true(opt_help_asked(3, (char *[]){"x", "a", "--help", NULL}));
    assert_false(opt_help_asked(4, (char *[]){"x", "--", "--help", "a", NULL}));
    assert_false(opt_help_asked(2, (char *[]){"x", "--helpful", NULL}));
}

static void expect_usage(const char *line, const char *msg) {
    t_args a;
    opt_pos pos;
    sim_err err = {{0}};
    sim_status st = t_parse(line, &a, &pos, &err);
    if (st != SIM_EUSAGE) fail_msg("%s: status %d, expected usage error", line, st);
    assert_int_equal(err_exit_code(st), 2);
    if (!strstr(err.msg, msg)) fail_msg("%s: \"%s\" lacks \"%s\"", line, err.msg, msg);
}

static void test_parse_errors(void **state) {
    (void)state;
    expect_usage("scsim test in -o o --bogus", "--bogus: unknown option for 'test' (options: "
                 "--out, --n, --x, --flag, --level, --name, --runs, --set, --call, --help)");
    expect_usage("scsim test in -o o -z", "-z: unknown option");
    expect_usage("scsim test in -o o --level", "--level needs a value (low|high");
    expect_usage("scsim test in -o o --n", "--n needs a value (N");
    expect_usage("scsim test in --out", "--out needs a value");
    expect_usage("scsim test in -o", "--out needs a value");
    expect_usage("scsim test in -o o --flag=1", "--flag takes no value");
    expect_usage("scsim test in -o o --fla", "spelled in full: --flag");
    expect_usage("scsim test in -o o --ru 3", "unknown option");   /* --run or --runs? */
    expect_usage("scsim test in -o o --hel", "spelled in full: --help");
    expect_usage("scsim test in", "missing -o FILE.pdf");
    expect_usage("scsim test -o o", "missing IN [MORE]");
    expect_usage("scsim test a b c -o o", "unexpected argument c");
    expect_usage("scsim test in -o o --n 12x", "--n 12x: expected an integer 1 .. 9");
    expect_usage("scsim test in -o o --n 0", "--n 0: expected an integer 1 .. 9");
    expect_usage("scsim test in -o o --n 99999999999999999999", "expected an integer 1 .. 9");
    expect_usage("scsim test in -o o --x 2", "--x 2: expected a number 0 .. 1");
    expect_usage("scsim test in -o o --level mid", "--level mid: expected one of low, high");
    expect_usage("scsim test in -o o --runs 1,1", "id 1 given twice");
    expect_usage("scsim test in -o o --runs 1-5", "at most 4 ids");
    expect_usage("scsim test in -o o --runs ''", "--runs: empty value");
    expect_usage("scsim test in -o o --name ''", "--name: empty value");
    expect_usage("scsim test in -o o --set a=1 --set b=2 --set c=3 --set d=4",
                 "--set given too often (at most 3 times)");
    expect_usage("scsim test in -o o --set nokv", "--set nokv: needs =");
    expect_usage("scsim test in -o o --call bad", "--call bad: not that");
    char line[128];
    snprintf(line, sizeof line, "scsim test in -o o --name a%cb", '\t');   /* control byte */
    t_args a;
    opt_pos pos;
    sim_err err = {{0}};
    assert_int_equal(t_parse(line, &a, &pos, &err), SIM_EUSAGE);
    assert_contains(err.msg, "control character");
}

/* The help of a table: every option with its value and short name, the defaults, the
 * deprecated spelling marked, the usage line with required options bare, lines wrapped. */
static char *help_text(const opt_cmd *cmd) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    opt_help(cmd, f);
    fclose(f);
    return buf;
}

static void check_lines(const char *name, const char *h) {
    for (const char *l = h; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] != 0))
        if (strcspn(l, "\n") > OPT_HELP_WIDTH)
            fail_msg("%s --help: line longer than %d: %.*s", name, OPT_HELP_WIDTH,
                     (int)strcspn(l, "\n"), l);
}

static void test_help_of_table(void **state) {
    (void)state;
    char *h = help_text(&T_CMD);
    assert_true(strncmp(h, "usage: scsim test IN [MORE] -o FILE.pdf [--n N] [--x X] [--flag]",
                        64) == 0);
    assert_contains(h, "[--set K=V]...");
    assert_null(strstr(h, "[--run IDS]"));   /* deprecated: not in the usage line */
    assert_contains(h, "\nAbout the test.\n");
    assert_contains(h, "\noptions:\n");
    assert_contains(h, "  -o, --out FILE.pdf  where to write\n");
    assert_contains(h, "  --n N               a count (default: 7)\n");
    assert_contains(h, "  --x X               a share (default: 0.5)\n");
    assert_contains(h, "  -f, --flag          a switch\n");
    assert_contains(h, "  --level low|high    how much (default: low)\n");
    assert_contains(h, "  --run IDS           (deprecated) the old spelling of --runs\n");
    assert_contains(h, "  -h, --help          this help\n");
    assert_contains(h, "\n                      because it is far longer");   /* wrapped */
    assert_contains(h, "\nAfter the options.\n");
    check_lines("test", h);
    free(h);
}

/* Every command of scsim: its help is generated from its table and names every option;
 * the top-level list has them all. */
static void test_help_of_every_command(void **state) {
    (void)state;
    size_t n;
    const cli_command *c = cli_commands(&n);
    assert_true(n >= 12);
    for (size_t i = 0; i < n; i++) {
        const opt_cmd *cmd = c[i].spec;
        char *h = help_text(cmd), want[128];
        snprintf(want, sizeof want, "usage: scsim %s", cmd->name);
        if (strncmp(h, want, strlen(want)) != 0) fail_msg("%s: %s", cmd->name, h);
        assert_non_null(cmd->summary);
        assert_non_null(cmd->about);
        assert_contains(h, cmd->about);
        if (cmd->after) assert_contains(h, cmd->after);
        assert_contains(h, "-h, --help");
        for (size_t k = 0; k < cmd->nopts; k++) {
            const opt_spec *o = &cmd->opts[k];
            snprintf(want, sizeof want, "\n  %s--%s", o->short_name ? "-?, " : "", o->name);
            if (o->short_name) want[4] = o->short_name;
            if (!strstr(h, want)) fail_msg("%s --help lacks %s:\n%s", cmd->name, want + 1, h);
            if (o->metavar) {
                snprintf(want, sizeof want, "--%s %s", o->name, o->metavar);
                assert_contains(h, want);
            }
            for (const opt_word *w = o->words; w && w->w; w++) assert_contains(h, w->w);
            if (o->def) {
                snprintf(want, sizeof want, "(default: %s)", o->def);
                assert_contains(h, want);
            }
            assert_non_null(o->help);
        }
        check_lines(cmd->name, h);
        free(h);
    }
}

/* Every command refuses an unknown option, a bad integer and a missing value with a usage
 * error naming the option, before it touches any file. */
static void test_every_command_refuses(void **state) {
    (void)state;
    size_t n;
    const cli_command *c = cli_commands(&n);
    for (size_t i = 0; i < n; i++) {
        const opt_cmd *cmd = c[i].spec;
        argv_t av;
        sim_err err = {{0}};
        char line[256];
        snprintf(line, sizeof line, "scsim %s --no-such-option", cmd->name);
        make_argv(&av, line);
        assert_int_equal(c[i].run(av.c, av.v, &err), SIM_EUSAGE);
        assert_contains(err.msg, "--no-such-option");
        for (size_t k = 0; k < cmd->nopts; k++) {
            const opt_spec *o = &cmd->opts[k];
            if (o->kind == OPT_FLAG) continue;
            snprintf(line, sizeof line, "scsim %s --%s", cmd->name, o->name);
            make_argv(&av, line);
            err.msg[0] = '\0';
            assert_int_equal(c[i].run(av.c, av.v, &err), SIM_EUSAGE);
            assert_contains(err.msg, "needs a value");
            if (o->kind != OPT_INT && o->kind != OPT_IDS && o->kind != OPT_CALL) continue;
            snprintf(line, sizeof line, "scsim %s --%s 12x", cmd->name, o->name);
            make_argv(&av, line);
            assert_int_equal(c[i].run(av.c, av.v, &err), SIM_EUSAGE);
            snprintf(line, sizeof line, "--%s 12x", o->name);
            assert_contains(err.msg, line);
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int),
        cmocka_unit_test(test_double),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_help_of_table),
        cmocka_unit_test(test_help_of_every_command),
        cmocka_unit_test(test_every_command_refuses),
    };
    return cmocka_run_group_tests_name("opt", tests, NULL, NULL);
}
