/* sim/cli/cli_verify.c - `scsim verify`: the verification checks as a table, and with --out a
 * database and one figure per check; exit code 0 only when every check holds. */
#include <dirent.h>
#include <math.h>
#include <stddef.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_cmds.h"
#include "verify.h"

enum { VERIFY_SETS_MAX = 64 };

typedef struct verify_args {
    verify_opts o;
    opt_list sets;
    const char *out;
} verify_args;

/* --set S.K=V: the form only; the scenario checks the key and the value. */
static sim_status check_set(void *args, const char *opt, const char *kv, sim_err *err) {
    (void)args;
    if (!strchr(kv, '=') || !strchr(kv, '.'))
        return err_set(err, SIM_EUSAGE, "%s %.60s: expected SECTION.KEY=VALUE, e.g. "
                       "--set spillover.p.beta=0.4", opt, kv);
    return SIM_OK;
}

static const opt_spec VERIFY_OPTS[] = {
    {.name = "quick", .kind = OPT_FLAG, .off = offsetof(verify_args, o.quick),
     .help = "small populations and few replicates (part of make test)"},
    {.name = "only", .kind = OPT_STRING, .metavar = "CHECK",
     .off = offsetof(verify_args, o.only),
     .help = "run one check only"},
    {.name = "out", .kind = OPT_PATH, .metavar = "DIR", .off = offsetof(verify_args, out),
     .help = "write DIR/verify.db (the table and the figures' data) and a figure per check, "
             "DIR/verify-CHECK.png"},
    {.name = "dir", .kind = OPT_PATH, .metavar = "DIR", .def = "scenarios/verify",
     .off = offsetof(verify_args, o.dir),
     .help = "the folder of the verification scenario and experiment files"},
    {.name = "set", .kind = OPT_LIST, .metavar = "S.K=V", .hi = VERIFY_SETS_MAX,
     .off = offsetof(verify_args, sets), .call = check_set,
     .help = "an override applied to every run (not to the theory), e.g. to show a check "
             "failing when the model is not the one the theory describes (repeatable)"},
    {.name = "threads", .kind = OPT_INT, .metavar = "N", .lo = 0, .hi = 1024,
     .off = offsetof(verify_args, o.threads),
     .help = "runs side by side (default: all cores); results do not depend on it"},
};

const opt_cmd CLI_VERIFY = {
    .name = "verify", .min_args = 0, .max_args = 0,
    .summary = "check the simulation against theory (Watts, percolation, Ensign\n"
               "feedback, Little's law, exactness and fan-out), with figures",
    .about =
    "Runs the verification checks (docs/validation.md): each simulates scenario and experiment\n"
    "files from --dir (default scenarios/verify) and compares with the value theory gives\n"
    "(computed here), within a stated tolerance:\n"
    "  watts        threshold spillover: Watts' cascade window and the frequency of global\n"
    "               cascades from one seed\n"
    "  percolation  probabilistic spillover: bond percolation's final size on Erdos-Renyi\n"
    "               and 4-regular layers, and the mean size of small cascades\n"
    "  ensign       targeted inspections: the Polya urn with equal rates, the runaway with\n"
    "               unequal rates, and the correction (Ensign et al. 2018)\n"
    "  stock-flow   Little's law for a list, fixed terms and exponential early removal\n"
    "  exact        no wrongful listing with all errors off; joint punishment fan-out\n",
    .after = "Exit code 0 only if every check holds, 1 otherwise.\n",
    .opts = VERIFY_OPTS, .nopts = sizeof VERIFY_OPTS / sizeof *VERIFY_OPTS};

static void print_interval(const verify_row *w) {
    char buf[40] = "";
    if (isfinite(w->lo) && isfinite(w->hi)) snprintf(buf, sizeof buf, "[%.4g, %.4g]", w->lo, w->hi);
    printf(" %-23s", buf);
}

static int print_table(const verify_result *res) {
    int failed = 0;
    printf("%-11s %-56s %10s %10s %-23s %9s  %s\n", "check", "setting", "theory", "simulated",
           " 95% interval", "tolerance", "verdict");
    for (int k = 0; k < res->nrows; k++) {
        const verify_row *w = &res->rows[k];
        printf("%-11s %-56s %10.6g %10.6g", w->check, w->setting, w->theory, w->sim);
        print_interval(w);
        printf(" %9.3g  %s\n", w->tolerance, w->pass ? "ok" : "FAILED");
        failed += !w->pass;
    }
    return failed;
}

/* The files of folder dir (the verification's inputs), at most cap, into buf and in. */
static int list_inputs(const char *dir, char (*buf)[600], const char **in, int cap) {
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && n < cap && (e = readdir(d));)
        if (e->d_name[0] != '.' && snprintf(buf[n], sizeof buf[n], "%s/%s", dir, e->d_name) <
                                       (int)sizeof buf[n])
            in[n] = buf[n], n++;
    if (d) closedir(d);
    return n;
}

/* No file write_out writes (verify.db, its -wal/-shm/-journal, verify-CHECK.png) is one of
 * the verification's input files. */
static sim_status check_outputs(const verify_result *res, const verify_opts *o, const char *dir,
                                sim_err *err) {
    enum { IN_MAX = 128, NAMES_MAX = 68 };
    char inbuf[IN_MAX][600];
    const char *in[IN_MAX], *names[NAMES_MAX] = {"verify.db", "verify.db-wal",
                                                 "verify.db-shm", "verify.db-journal"};
    char figs[NAMES_MAX][96];
    int nin = list_inputs(o->dir, inbuf, in, IN_MAX), k = 4;
    for (int f = 0; f < res->nfigs && k < NAMES_MAX; f++, k++) {
        snprintf(figs[k], sizeof figs[k], "verify-%s.png", res->figs[f].check);
        names[k] = figs[k];
    }
    return opt_check_output_in("--out", dir, names, k, in, nin, err);
}

/* DIR/verify.db and DIR/verify-CHECK.png. */
static sim_status write_out(const verify_result *res, const verify_opts *o, const char *dir,
                            sim_err *err) {
    char db[1100];
    int figs = 0;
    sim_status st = check_outputs(res, o, dir, err);
    if (st == SIM_OK) st = opt_make_dir(dir, err);
    snprintf(db, sizeof db, "%s/verify.db", dir);
    if (st == SIM_OK) st = verify_db_write(res, o, db, err);
    if (st == SIM_OK) st = verify_figures(res, dir, &figs, err);
    if (st == SIM_OK) printf("wrote %s and %d figure(s) %s/verify-CHECK.png\n", db, figs, dir);
    return st;
}

sim_status cli_verify(int argc, char **argv, sim_err *err) {
    verify_args a = {.o = {0, NULL, NULL, 0, 0, NULL}};
    opt_pos pos;
    sim_status ps = opt_parse(&CLI_VERIFY, argc, argv, &a, &pos, err);
    if (ps == SIM_OK && pos.help) opt_help(&CLI_VERIFY, stdout);
    if (ps != SIM_OK || pos.help) return ps;
    verify_opts o = a.o;
    const char *out = a.out;
    o.sets = a.sets.v;
    o.nsets = a.sets.n;
    double t0 = omp_get_wtime();
    verify_result *res = NULL;
    sim_status st = verify_suite(&o, &res, err);
    if (st != SIM_OK) return st;
    int failed = print_table(res);
    printf("%d of %d checks hold%s, %.1f s\n", res->nrows - failed, res->nrows,
           o.quick ? " (quick)" : "", omp_get_wtime() - t0);
    if (out) st = write_out(res, &o, out, err);
    verify_result_free(res);
    if (st != SIM_OK) return st;
    return failed ? err_set(err, SIM_ERUN, "%d verification check(s) failed", failed) : SIM_OK;
}
