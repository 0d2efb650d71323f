/* sim/cli_verify.c - `scsim verify`: the verification checks as a table; exit code 0 only
 * when every check holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "verify.h"

static const char USAGE_VERIFY[] =
    "usage: scsim verify [--quick] [--only CHECK] [--dir DIR] [--set S.K=V]... [--threads N]\n"
    "\n"
    "Runs the verification checks (docs/validation.md): each simulates scenarios from DIR\n"
    "(default scenarios/verify) and compares with the value theory gives (computed here),\n"
    "within a stated tolerance: independent-cascade spillover against bond percolation's\n"
    "final size, threshold spillover against Watts' cascade window, exactness with all\n"
    "errors off, and the stock and flow of a list (Little's law). --quick uses small\n"
    "populations and one replicate (part of make test). --only runs one check (percolation,\n"
    "watts, exact, stock-flow); --set applies an override to every run of the checks run,\n"
    "e.g. to show a check failing when the model is not the one the theory describes.\n"
    "Exit code 0 only if every check holds, 1 otherwise.\n";

sim_status cli_verify(int argc, char **argv, sim_err *err) {
    const char *sets[64];
    verify_opts o = {0, "scenarios/verify", sets, 0, 0, NULL};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) return fputs(USAGE_VERIFY, stdout), SIM_OK;
        if (!strcmp(a, "--quick")) o.quick = 1;
        else if (v && !strcmp(a, "--dir")) o.dir = v, i++;
        else if (v && !strcmp(a, "--only")) o.only = v, i++;
        else if (v && !strcmp(a, "--threads")) o.threads = atoi(v), i++;
        else if (v && !strcmp(a, "--set") && o.nsets < 64) sets[o.nsets++] = v, i++;
        else return err_set(err, SIM_EUSAGE, "%s: unknown option or missing value (see scsim "
                            "verify --help)", a);
    }
    verify_row rows[VERIFY_MAX_ROWS];
    int n = 0, failed = 0;
    sim_status st = verify_run(&o, rows, &n, err);
    if (st != SIM_OK) return st;
    printf("%-12s %-46s %10s %10s %9s  %s\n", "check", "setting", "theory", "simulated",
           "tolerance", "verdict");
    for (int k = 0; k < n; k++) {
        printf("%-12s %-46s %10.4g %10.4g %9.3g  %s\n", rows[k].check, rows[k].setting,
               rows[k].theory, rows[k].sim, rows[k].tolerance, rows[k].pass ? "ok" : "FAILED");
        failed += !rows[k].pass;
    }
    printf("%d of %d checks hold%s\n", n - failed, n, o.quick ? " (quick)" : "");
    return failed ? err_set(err, SIM_ERUN, "%d verification check(s) failed", failed) : SIM_OK;
}
