/* sim/cli/cli_verify.c - `scsim verify`: the verification checks as a table, and with --out a
 * database and one figure per check; exit code 0 only when every check holds. */
#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "verify.h"

static const char USAGE_VERIFY[] =
    "usage: scsim verify [--quick] [--only CHECK] [--out DIR] [--dir DIR] [--set S.K=V]...\n"
    "                    [--threads N]\n"
    "\n"
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
    "  exact        no wrongful listing with all errors off; joint punishment fan-out\n"
    "--quick uses small populations and few replicates (part of make test). --only runs one\n"
    "check. --out DIR writes DIR/verify.db (the table and the figures' data) and a figure per\n"
    "check, DIR/verify-CHECK.png. --set applies an override to every run (not to the theory),\n"
    "e.g. to show a check failing when the model is not the one the theory describes.\n"
    "--threads: runs side by side (default: all cores); results do not depend on it.\n"
    "Exit code 0 only if every check holds, 1 otherwise.\n";

/* mkdir -p */
static sim_status make_dir(const char *dir, sim_err *err) {
    char path[1024];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1;; p++) {
        int end = *p == 0;
        if (*p != '/' && !end) continue;
        *p = 0;
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return err_set(err, SIM_EIO, "cannot create directory %s: %s", path, strerror(errno));
        if (end) break;
        *p = '/';
    }
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return err_set(err, SIM_EIO, "%s is not a directory", dir);
    return SIM_OK;
}

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

/* DIR/verify.db and DIR/verify-CHECK.png. */
static sim_status write_out(const verify_result *res, const verify_opts *o, const char *dir,
                            sim_err *err) {
    char db[1100];
    int figs = 0;
    sim_status st = make_dir(dir, err);
    snprintf(db, sizeof db, "%s/verify.db", dir);
    if (st == SIM_OK) st = verify_db_write(res, o, db, err);
    if (st == SIM_OK) st = verify_figures(res, dir, &figs, err);
    if (st == SIM_OK) printf("wrote %s and %d figure(s) %s/verify-CHECK.png\n", db, figs, dir);
    return st;
}

sim_status cli_verify(int argc, char **argv, sim_err *err) {
    const char *sets[64], *out = NULL;
    verify_opts o = {0, "scenarios/verify", sets, 0, 0, NULL};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) return fputs(USAGE_VERIFY, stdout), SIM_OK;
        if (!strcmp(a, "--quick")) o.quick = 1;
        else if (v && !strcmp(a, "--dir")) o.dir = v, i++;
        else if (v && !strcmp(a, "--only")) o.only = v, i++;
        else if (v && !strcmp(a, "--out")) out = v, i++;
        else if (v && !strcmp(a, "--threads") && atoi(v) >= 0) o.threads = atoi(v), i++;
        else if (v && !strcmp(a, "--set") && o.nsets < 64) sets[o.nsets++] = v, i++;
        else return err_set(err, SIM_EUSAGE, "%s: unknown option or missing value (see scsim "
                            "verify --help)", a);
    }
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
