/* sim/cli/cli.c - the scsim command line. */
#include "cli.h"

#include <errno.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "pop.h"
#include "runner.h"
#include "scenario.h"
#include "store.h"
#include "version.h"

enum { CLI_MAX_SETS = 256 };

typedef struct cli_args {
    const char *command;
    const char *file;
    const char *out;
    const char *sets[CLI_MAX_SETS];
    int nsets;
    int threads;
    int quiet;
    char owned[4][64];   /* storage for --seed / --steps turned into overrides */
    int nowned;
    const scenario *sc;  /* the scenario being run, for notes */
} cli_args;

static const char USAGE[] =
    "usage: scsim <command> [options]\n"
    "\n"
    "Social-credit spillover simulator: an agent-based model of a synthetic society whose\n"
    "agencies record, score and list persons and firms, with guilt-by-association spillover.\n"
    "\n"
    "commands:\n"
    "  run FILE       run a scenario and store every per-step figure in a results database\n"
    "  validate FILE  check a scenario (and overrides) without running it\n"
    "  show FILE      print the fully resolved scenario, every key, in INI form\n"
    "  list [DIR]     the scenario library (default: scenarios) with a summary of each\n"
    "  sweep FILE     an experiment: design points x replicates into one database\n"
    "  summary DB     headline figures of runs in a results database, side by side\n"
    "  export DB      every table of a results database as CSV (--csv DIR)\n"
    "  merge OUT IN.. merge results databases, e.g. the shards of a sweep\n"
    "  analyze FILE   a sweep's metric per point (95% intervals), Sobol/Morris indices\n"
    "  plot DB        the standard figures of a results database (PNG, SVG, PDF)\n"
    "  verify         check the simulation against theory (Watts, percolation, Ensign\n"
    "                 feedback, Little's law, exactness and fan-out), with figures\n"
    "  report DB      a PDF brief: headline table, figures with captions, provenance\n"
    "\n"
    "  scsim COMMAND --help   options of a command\n"
    "  scsim --version        version\n"
    "\n"
    "exit codes: 0 ok, 1 run failed, 2 usage, 3 scenario error, 4 I/O, 5 database,\n"
    "130 interrupted. Documentation: README.md, docs/scenario.md, docs/results.md.\n";

static const char USAGE_RUN[] =
    "usage: scsim run FILE [options]\n"
    "\n"
    "Builds the society of scenario FILE and runs it; writes the run (provenance, per-step\n"
    "metrics, summary, listing events) to a SQLite database in one transaction.\n"
    "\n"
    "options:\n"
    "  --out DB          results database (default results/NAME.db; created if missing,\n"
    "                    runs are appended)\n"
    "  --seed N          same as --set run.seed=N\n"
    "  --steps N         same as --set run.steps=N\n"
    "  --set S.K=V       override key K of section S (repeatable), e.g.\n"
    "                    --set population.persons=1000000 --set layer.social.mean_degree=4\n"
    "  --threads N       OpenMP threads (default: run.threads, 0 = all cores); results do\n"
    "                    not depend on it\n"
    "  --quiet           no progress line and no closing summary\n"
    "  -h, --help        this help\n";

static const char USAGE_VALIDATE[] =
    "usage: scsim validate FILE [--set S.K=V]...\n"
    "\n"
    "Checks scenario FILE, its includes and the overrides: every key known, every value of\n"
    "the right type and in range, cross-key constraints, and the memory estimate. Prints a\n"
    "one-line description on success; exit code 3 and a message naming file, line and key\n"
    "otherwise.\n";

static const char USAGE_SHOW[] =
    "usage: scsim show FILE [--set S.K=V]...\n"
    "\n"
    "Prints the fully resolved scenario (includes, overrides and defaults applied) in INI\n"
    "form, each key with a comment giving its type, range and meaning. The output can be\n"
    "saved and run as it is.\n";

static const char *usage_of(const char *command) {
    if (!command) return USAGE;
    if (strcmp(command, "run") == 0) return USAGE_RUN;
    if (strcmp(command, "validate") == 0) return USAGE_VALIDATE;
    if (strcmp(command, "show") == 0) return USAGE_SHOW;
    return USAGE;
}

int cli_exit_code(sim_status st) { return err_exit_code(st); }

static int parse_int(const char *s, long lo, long hi, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return 0;
    *out = v;
    return 1;
}

static sim_status add_set(cli_args *a, const char *kv, sim_err *err) {
    if (a->nsets >= CLI_MAX_SETS)
        return err_set(err, SIM_EUSAGE, "too many --set options (at most %d)", CLI_MAX_SETS);
    if (!strchr(kv, '=') || !strchr(kv, '.'))
        return err_set(err, SIM_EUSAGE, "--set %s: expected SECTION.KEY=VALUE, e.g. "
                       "--set population.persons=1000", kv);
    a->sets[a->nsets++] = kv;
    return SIM_OK;
}

/* --seed N and --steps N become overrides, so they are recorded with the run. */
static sim_status add_shortcut(cli_args *a, const char *key, const char *v, sim_err *err) {
    if (a->nowned >= 4) return err_set(err, SIM_EUSAGE, "--%s given too often", key);
    char *buf = a->owned[a->nowned++];
    snprintf(buf, 64, "run.%s=%s", key, v);
    return add_set(a, buf, err);
}

/* The option at argv[*i]; returns SIM_EUSAGE for an unknown one or a missing value. */
static sim_status parse_option(cli_args *a, int argc, char **argv, int *i, sim_err *err) {
    const char *opt = argv[*i];
    int is_run = strcmp(a->command, "run") == 0;
    static const char *const with_value[] = {"--set", "--out", "--seed", "--steps", "--threads"};
    for (size_t k = 0; k < sizeof with_value / sizeof *with_value; k++) {
        if (strcmp(opt, with_value[k]) != 0) continue;
        if (*i + 1 >= argc) return err_set(err, SIM_EUSAGE, "%s needs a value", opt);
        const char *v = argv[++*i];
        if (k == 0) return add_set(a, v, err);
        if (!is_run) break;
        if (k == 1) return a->out = v, SIM_OK;
        if (k == 2 || k == 3) return add_shortcut(a, opt + 2, v, err);
        long t;
        if (!parse_int(v, 0, 1024, &t))
            return err_set(err, SIM_EUSAGE, "--threads %s: expected an integer 0 .. 1024", v);
        a->threads = (int)t;
        return SIM_OK;
    }
    if (is_run && strcmp(opt, "--quiet") == 0) return a->quiet = 1, SIM_OK;
    return err_set(err, SIM_EUSAGE, "%s: unknown option for '%s' (see scsim %s --help)", opt,
                   a->command, a->command);
}

static sim_status parse_args(cli_args *a, int argc, char **argv, sim_err *err) {
    for (int i = 2; i < argc; i++) {
        sim_status st;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage_of(a->command), stdout);
            a->command = NULL;
            return SIM_OK;
        }
        if (argv[i][0] == '-' && argv[i][1]) {
            if ((st = parse_option(a, argc, argv, &i, err)) != SIM_OK) return st;
        } else if (!a->file) {
            a->file = argv[i];
        } else {
            return err_set(err, SIM_EUSAGE, "%s: unexpected argument (one scenario file only)",
                           argv[i]);
        }
    }
    if (!a->file)
        return err_set(err, SIM_EUSAGE, "%s: missing scenario FILE (see scsim %s --help)",
                       a->command, a->command);
    return SIM_OK;
}

static sim_status load(const cli_args *a, scenario *sc, sim_err *err) {
    sim_status st = scn_load(sc, a->file, a->sets, a->nsets, err);
    if (st != SIM_OK) return st;
    if ((st = sim_check(sc, err)) != SIM_OK) scn_free(sc);
    return st;
}

static sim_status cmd_show(const cli_args *a, sim_err *err) {
    scenario sc;
    sim_status st = load(a, &sc, err);
    if (st != SIM_OK) return st;
    st = scn_write(&sc, stdout, err);
    scn_free(&sc);
    return st;
}

static sim_status cmd_validate(const cli_args *a, sim_err *err) {
    scenario sc;
    sim_status st = load(a, &sc, err);
    if (st != SIM_OK) return st;
    int joint = 0;
    uint32_t used = 0;   /* sanctions some list or joint punishment row triggers */
    for (int j = 0; j < sc.njoint; j++) {
        joint += sc.joint[j].mask[LIST_BLACK] || sc.joint[j].mask[LIST_WATCH];
        used |= sc.joint[j].mask[LIST_BLACK] | sc.joint[j].mask[LIST_WATCH];
    }
    for (int k = 0; k < sc.nsanctions; k++)
        if (sc.sanctions[k].list_mask) used |= 1u << k;
    printf("%s: ok: %lld persons, %u firms, %d agenc%s, %d spillover rule%s, %s regime, "
           "%d of %d sanctions in use (%d joint punishment row%s), %d steps; estimated memory "
           "%.2f GiB\n", a->file, (long long)sc.population.persons, pop_firm_count(&sc),
           sc.nagencies, sc.nagencies == 1 ? "y" : "ies", sc.nrules, sc.nrules == 1 ? "" : "s",
           sc.scoring.regime == REGIME_POINTS ? "points" : "lists", __builtin_popcount(used),
           sc.nsanctions, joint, joint == 1 ? "" : "s", sc.run.steps,
           sim_estimate_bytes(&sc) / 1073741824.0);
    scn_free(&sc);
    return SIM_OK;
}

static volatile sig_atomic_t interrupted = 0;   /* set by SIGINT/SIGTERM; CLI only */

static void on_signal(int sig) {
    (void)sig;
    interrupted = 1;
}

typedef struct progress {
    double start;
} progress;

static void show_progress(void *ctx, int step, int steps) {
    const progress *p = ctx;
    double el = omp_get_wtime() - p->start, left = step > 0 ? el * (steps - step) / step : 0;
    fprintf(stderr, "\rscsim: step %d/%d (%3d%%), %.1f s elapsed, ~%.1f s left   ", step,
            steps, (int)(100.0 * step / steps), el, left);
    if (step == steps) fputc('\n', stderr);
}

/* The default results path results/NAME.db, creating results/ when needed. */
static sim_status default_out(const scenario *sc, char *buf, size_t n, sim_err *err) {
    if (mkdir("results", 0777) != 0 && errno != EEXIST)
        return err_set(err, SIM_EIO, "cannot create directory results/: %s", strerror(errno));
    snprintf(buf, n, "results/%s.db", sc->name);
    return SIM_OK;
}

static void report_layers(const sim_t *s, const scenario *sc) {
    for (int l = 0; l < SCN_NLAYERS; l++) {
        uint64_t arcs, lines, loops, dups;
        if (!sim_layer_info(s, (scn_layer_id)l, &arcs, &lines, &loops, &dups)) continue;
        if (sc->layers[l].generator == GEN_CSV)
            fprintf(stderr, "scsim: layer %s: %llu lines from %s, %llu self-loops and %llu "
                    "duplicate ties dropped\n", scn_layer_name((scn_layer_id)l),
                    (unsigned long long)lines, sc->layers[l].file, (unsigned long long)loops,
                    (unsigned long long)dups);
    }
}

static void print_headline(const sim_t *s, const char *out, int64_t run_id, double wall) {
    const res_t *r = sim_results(s);
    printf("run %lld done in %.2f s: %s\n", (long long)run_id, wall, out);
    printf("  persons %.0f, firms %.0f, steps %.0f\n", res_get_summary(r, "persons", "all"),
           res_get_summary(r, "firms", "all"), res_get_summary(r, "steps", "all"));
    printf("  blacklisted at the end %.0f; ever blacklisted %.0f, of whom wrongly %.0f\n",
           res_get_summary(r, "listed.black", "all"),
           res_get_summary(r, "ever_listed.black", "all"),
           res_get_summary(r, "ever_wrongly_listed.black", "all"));
    printf("  listings by cause: own %.0f, false %.0f, misattribution %.0f, spillover %.0f, "
           "seed %.0f\n", res_get_summary(r, "listings.black", "cause:own_record"),
           res_get_summary(r, "listings.black", "cause:false_record"),
           res_get_summary(r, "listings.black", "cause:misattribution"),
           res_get_summary(r, "listings.black", "cause:spillover"),
           res_get_summary(r, "listings.black", "cause:seed"));
    sim_timing tm = sim_get_timing(s);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double steps = res_get_summary(r, "steps", "all"), n = res_get_summary(r, "persons", "all");
    printf("  time: population %.2f s, layers %.2f s, steps %.2f s (%.3g person-steps/s); "
           "peak memory %.0f MiB\n", tm.population_s, tm.layers_s, tm.steps_s,
           tm.steps_s > 0 ? n * steps / tm.steps_s : 0.0, ru.ru_maxrss / 1024.0);
}

static void on_built(void *ctx, const sim_t *s) {
    const cli_args *a = ctx;
    if (!a->quiet) report_layers(s, a->sc);
}

/* Builds and runs; the run row exists from the start, its results arrive in one go. */
static sim_status run_and_store(cli_args *a, const scenario *sc, store_t *db, const char *out,
                                sim_err *err) {
    progress pr = {omp_get_wtime()};
    int tty = !a->quiet && isatty(STDERR_FILENO);
    a->sc = sc;
    runner_opts o = {{0, a->threads, &interrupted, tty ? show_progress : NULL, &pr},
                     0, 0, -1, on_built, a};
    runner_result res = {0, 0};
    sim_t *s = NULL;
    sim_status st = runner_run(db, sc, &o, &res, &s, err);
    if (tty && st != SIM_OK) fputc('\n', stderr);
    if (st == SIM_OK && !a->quiet) print_headline(s, out, res.run_id, res.wall_seconds);
    sim_free(s);
    return st;
}

static sim_status cmd_run(cli_args *a, sim_err *err) {
    scenario sc;
    sim_status st = load(a, &sc, err);
    if (st != SIM_OK) return st;
    char path[600];
    const char *out = a->out;
    if (!out && (st = default_out(&sc, path, sizeof path, err)) == SIM_OK) out = path;
    store_t *db = NULL;
    if (st == SIM_OK) st = store_open(&db, out, err);
    if (st == SIM_OK) {
        struct sigaction sa = {0};
        sa.sa_handler = on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        st = run_and_store(a, &sc, db, out, err);
    }
    store_close(db);
    scn_free(&sc);
    return st;
}

sim_status cli_run(int argc, char **argv, sim_err *err) {
    if (argc < 2) {
        fputs(USAGE, stderr);
        return err_set(err, SIM_EUSAGE, "missing command");
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(USAGE, stdout);
        return SIM_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("scsim %s (results schema %d)\n", SCSIM_VERSION, SCSIM_SCHEMA_VERSION);
        return SIM_OK;
    }
    if (strcmp(cmd, "list") == 0) return cli_list(argc, argv, err);
    if (strcmp(cmd, "summary") == 0) return cli_summary(argc, argv, err);
    if (strcmp(cmd, "export") == 0) return cli_export(argc, argv, err);
    if (strcmp(cmd, "sweep") == 0) return cli_sweep(argc, argv, err);
    if (strcmp(cmd, "merge") == 0) return cli_merge(argc, argv, err);
    if (strcmp(cmd, "analyze") == 0) return cli_analyze(argc, argv, err);
    if (strcmp(cmd, "plot") == 0) return cli_plot(argc, argv, err);
    if (strcmp(cmd, "verify") == 0) return cli_verify(argc, argv, err);
    if (strcmp(cmd, "report") == 0) return cli_report(argc, argv, err);
    if (strcmp(cmd, "run") && strcmp(cmd, "validate") && strcmp(cmd, "show"))
        return err_set(err, SIM_EUSAGE, "%s: unknown command (commands: run, validate, show, "
                       "sweep, analyze, plot, report, verify, summary, export, merge; see scsim "
                       "--help)", cmd);
    cli_args a = {0};
    a.command = cmd;
    sim_status st = parse_args(&a, argc, argv, err);
    if (st != SIM_OK || !a.command) return st;
    if (strcmp(cmd, "run") == 0) return cmd_run(&a, err);
    if (strcmp(cmd, "validate") == 0) return cmd_validate(&a, err);
    return cmd_show(&a, err);
}
