/* sim/cli/cli_run.c - `scsim run`, `scsim validate` and `scsim show`: one scenario file with
 * overrides; run builds the society, runs it and stores the run. */
#include <omp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli_cmds.h"
#include "engine.h"
#include "net.h"
#include "pop.h"
#include "runner.h"
#include "scenario.h"
#include "store.h"

enum { CLI_MAX_SETS = 256, OWNED_MAX = 4 };

typedef struct cli_args {
    const char *file;
    const char *out;
    opt_list sets;       /* --set, and --seed/--steps as run.seed=N/run.steps=N, in order */
    int threads;
    int dense;
    int quiet;
    const char *label;   /* --label: runs.label */
    int replace, again;  /* --replace / --again: what to do when the same run is stored */
    char owned[OWNED_MAX][64];   /* storage for --seed / --steps turned into overrides */
    int nowned;
    const scenario *sc;  /* the scenario being run, for notes */
} cli_args;

/* --set S.K=V: the form only; the scenario checks the key and the value. */
static sim_status check_set(void *args, const char *opt, const char *kv, sim_err *err) {
    (void)args;
    if (!strchr(kv, '=') || !strchr(kv, '.'))
        return err_set(err, SIM_EUSAGE, "%s %.60s: expected SECTION.KEY=VALUE, e.g. "
                       "--set population.persons=1000", opt, kv);
    return SIM_OK;
}

/* --seed N and --steps N become overrides, so they are recorded with the run. Their ranges
 * are run.seed's and run.steps' in the scenario key table (tests/test_opt.c checks). */
static sim_status add_shortcut(void *args, const char *opt, const char *v, sim_err *err) {
    cli_args *a = args;
    int seed = strcmp(opt, "--seed") == 0;
    long long x;
    sim_status st = opt_int(opt, v, seed ? 0 : 1, seed ? INT64_MAX : 100000, &x, err);
    if (st != SIM_OK) return st;
    if (a->nowned >= OWNED_MAX || a->sets.n >= CLI_MAX_SETS)
        return err_set(err, SIM_EUSAGE, "%s given too often", opt);
    char *buf = a->owned[a->nowned++];
    snprintf(buf, sizeof a->owned[0], "run.%s=%s", opt + 2, v);
    a->sets.v[a->sets.n++] = buf;
    return SIM_OK;
}

#define SET_ROW                                                                               \
    {.name = "set", .kind = OPT_LIST, .metavar = "S.K=V", .off = offsetof(cli_args, sets),     \
     .hi = CLI_MAX_SETS, .call = check_set,                                                   \
     .help = "override key K of section S (repeatable), e.g.\n"                               \
             "--set population.persons=1000000 --set layer.social.mean_degree=4"}

static const opt_spec RUN_OPTS[] = {
    {.name = "out", .kind = OPT_PATH, .metavar = "DB", .off = offsetof(cli_args, out),
     .help = "results database (default results/NAME.db; created if missing, runs are "
             "appended)"},
    {.name = "seed", .kind = OPT_CALL, .metavar = "N", .call = add_shortcut,
     .help = "same as --set run.seed=N"},
    {.name = "steps", .kind = OPT_CALL, .metavar = "N", .call = add_shortcut,
     .help = "same as --set run.steps=N"},
    SET_ROW,
    {.name = "threads", .kind = OPT_INT, .metavar = "N", .lo = 0, .hi = 1024,
     .off = offsetof(cli_args, threads),
     .help = "OpenMP threads (default: run.threads, 0 = all cores); results do not depend "
             "on it"},
    {.name = "quiet", .kind = OPT_FLAG, .off = offsetof(cli_args, quiet),
     .help = "no progress line and no closing summary"},
    {.name = "dense", .kind = OPT_FLAG, .off = offsetof(cli_args, dense),
     .help = "step every agent in every step, the reference path of the event-driven\n"
             "stepping (for checks and benchmarks: results are identical, only slower)"},
    {.name = "label", .kind = OPT_STRING, .metavar = "NAME", .off = offsetof(cli_args, label),
     .help = "the run group's name in figures, summaries and the brief (runs.label)"},
    {.name = "replace", .kind = OPT_FLAG, .off = offsetof(cli_args, replace),
     .help = "when the database holds the same run (same scenario, overrides and seed),\n"
             "replace it once this one is done (in one transaction)"},
    {.name = "again", .kind = OPT_FLAG, .off = offsetof(cli_args, again),
     .help = "when the database holds the same run, store a second copy flagged as a\n"
             "duplicate (runs.duplicate = 1), which figures and summaries never pool"},
};
static const opt_spec SET_OPTS[] = {SET_ROW};

const opt_cmd CLI_RUN = {
    .name = "run", .args = "FILE", .min_args = 1, .max_args = 1,
    .summary = "run a scenario and store every per-step figure in a results database",
    .about = "Builds the society of scenario FILE and runs it; writes the run (provenance, "
             "per-step\nmetrics, summary, listing events) to a SQLite database in one "
             "transaction.\n",
    .opts = RUN_OPTS, .nopts = sizeof RUN_OPTS / sizeof *RUN_OPTS};

const opt_cmd CLI_VALIDATE = {
    .name = "validate", .args = "FILE", .min_args = 1, .max_args = 1,
    .summary = "check a scenario (and overrides) without running it",
    .about = "Checks scenario FILE, its includes and the overrides: every key known, every "
             "value of\nthe right type and in range, cross-key constraints, and the memory "
             "estimate. Prints a\none-line description on success; exit code 3 and a message "
             "naming file, line and key\notherwise.\n",
    .opts = SET_OPTS, .nopts = 1};

const opt_cmd CLI_SHOW = {
    .name = "show", .args = "FILE", .min_args = 1, .max_args = 1,
    .summary = "print the fully resolved scenario, every key, in INI form",
    .about = "Prints the fully resolved scenario (includes, overrides and defaults applied) in "
             "INI\nform, each key with a comment giving its type, range and meaning. The output "
             "can be\nsaved and run as it is.\n",
    .opts = SET_OPTS, .nopts = 1};

/* Parses argv by cmd into a; *help when --help was given (and printed). */
static sim_status parse(const opt_cmd *cmd, int argc, char **argv, cli_args *a, int *help,
                        sim_err *err) {
    opt_pos pos;
    *a = (cli_args){0};
    sim_status st = opt_parse(cmd, argc, argv, a, &pos, err);
    *help = st == SIM_OK && pos.help;
    if (*help) opt_help(cmd, stdout);
    else if (st == SIM_OK) a->file = pos.v[0];
    return st;
}

static sim_status load(const cli_args *a, scenario *sc, sim_err *err) {
    sim_status st = scn_load_flags(sc, a->file, a->sets.v, a->sets.n, SCN_SET_STRICT, err);
    if (st != SIM_OK) return st;
    if ((st = sim_check(sc, err)) != SIM_OK) scn_free(sc);
    return st;
}

/* Reads every enabled CSV layer's edge list as the run will (ids against the layer's
 * members), keeping nothing, so a bad edge list fails validate, and run before it writes
 * anything, naming file:line. One extra pass over each file. */
static sim_status check_edge_lists(const scenario *sc, sim_err *err) {
    for (int l = 0; l < SCN_NLAYERS; l++) {
        const scn_layer *y = &sc->layers[l];
        if (!y->enabled || y->generator != GEN_CSV) continue;
        uint32_t n, first, count;
        uint64_t lines;
        net_csv_range(sc, (scn_layer_id)l, &n, &first, &count);
        sim_status st = net_check_csv(y->file, count, NULL, &lines, err);
        if (st != SIM_OK) {
            err_prefix(err, "layer %s: ", scn_layer_name((scn_layer_id)l));
            return st;
        }
    }
    return SIM_OK;
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
    if ((st = check_edge_lists(&sc, err)) != SIM_OK) {
        scn_free(&sc);
        return st;
    }
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

static volatile sig_atomic_t interrupted = 0;   /* set by SIGINT/SIGTERM/SIGHUP; CLI only */

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
    sim_status st = opt_make_dir("results", err);
    if (st == SIM_OK) snprintf(buf, n, "results/%s.db", sc->name);
    return st;
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

static void print_headline(const sim_t *s, const scenario *sc, const char *out, int64_t run_id,
                           double wall) {
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
    char how[96] = "dense";
    const char *why = sim_why_dense(sc);
    if (tm.event_steps == 0 && why) snprintf(how, sizeof how, "dense: %s", why);
    if (tm.event_steps >= (int)steps) snprintf(how, sizeof how, "event-driven");
    else if (tm.event_steps > 0) snprintf(how, sizeof how, "event-driven in %d of %d steps",
                                          tm.event_steps, (int)steps);
    printf("  time: population %.2f s, layers %.2f s, steps %.2f s (%s, %.3g person-steps/s); "
           "peak memory %.0f MiB\n", tm.population_s, tm.layers_s, tm.steps_s, how,
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
    runner_opts o = {{0, a->threads, &interrupted, tty ? show_progress : NULL, &pr, a->dense},
                     0, 0, -1, on_built, a, a->label, 0, 0};
    int64_t same = 0;
    sim_status st = runner_find_same(db, sc, &same, err);
    if (st != SIM_OK) return st;
    if (same > 0 && !a->replace && !a->again)
        return err_set(err, SIM_EDB, "%s already holds this run (run %lld: same scenario, "
                       "overrides and seed), which would be pooled twice as if it were two "
                       "replicates: change --seed for another replicate, or give --replace to "
                       "replace it or --again to store a copy flagged as a duplicate", out,
                       (long long)same);
    if (same > 0 && a->replace) o.replace_id = same;
    if (same > 0 && a->again) o.duplicate = 1;
    runner_result res = {0, 0};
    sim_t *s = NULL;
    st = runner_run(db, sc, &o, &res, &s, err);
    if (st == SIM_OK && !a->quiet && same > 0)
        printf("run %lld %s run %lld (the same run)\n", (long long)res.run_id,
               a->replace ? "replaced" : "stored as a duplicate of", (long long)same);
    if (tty && st != SIM_OK) fputc('\n', stderr);
    if (st == SIM_OK && !a->quiet) print_headline(s, sc, out, res.run_id, res.wall_seconds);
    sim_free(s);
    return st;
}

static sim_status cmd_run(cli_args *a, sim_err *err) {
    scenario sc;
    if (a->replace && a->again)
        return err_set(err, SIM_EUSAGE, "--replace and --again exclude each other");
    sim_status st = load(a, &sc, err);
    if (st != SIM_OK) return st;
    if ((st = check_edge_lists(&sc, err)) != SIM_OK) {
        scn_free(&sc);
        return st;
    }
    char path[600];
    const char *out = a->out;
    if (!out && (st = default_out(&sc, path, sizeof path, err)) == SIM_OK) out = path;
    store_t *db = NULL;
    if (st == SIM_OK) st = opt_check_output("--out", out, a->file, err);
    if (st == SIM_OK) st = store_open(&db, out, err);
    if (st == SIM_OK) {
        struct sigaction sa = {0};
        sa.sa_handler = on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        st = run_and_store(a, &sc, db, out, err);
    }
    store_close(db);
    scn_free(&sc);
    return st;
}

sim_status cli_run_scenario(int argc, char **argv, sim_err *err) {
    cli_args a;
    int help;
    sim_status st = parse(&CLI_RUN, argc, argv, &a, &help, err);
    return st != SIM_OK || help ? st : cmd_run(&a, err);
}

sim_status cli_validate(int argc, char **argv, sim_err *err) {
    cli_args a;
    int help;
    sim_status st = parse(&CLI_VALIDATE, argc, argv, &a, &help, err);
    return st != SIM_OK || help ? st : cmd_validate(&a, err);
}

sim_status cli_show(int argc, char **argv, sim_err *err) {
    cli_args a;
    int help;
    sim_status st = parse(&CLI_SHOW, argc, argv, &a, &help, err);
    return st != SIM_OK || help ? st : cmd_show(&a, err);
}
