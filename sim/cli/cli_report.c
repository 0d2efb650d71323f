/* sim/cli/cli_report.c - `scsim report DB -o BRIEF.pdf`: the command half of the brief
 * (plots/report.c writes it). Prints one line with the pages and runs written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"

enum { RP_RUNS_MAX = 256 };

typedef struct rp_ids {
    int64_t ids[RP_RUNS_MAX];
    size_t nrun;
} rp_ids;

static const char USAGE_REPORT[] =
    "usage: scsim report DB -o BRIEF.pdf [--runs ID,ID,...]\n"
    "\n"
    "Writes a PDF brief from results database DB: the scenarios compared (default: the runs\n"
    "of the last 6 run groups; replicates - the same scenario and overrides with another\n"
    "seed, or the same sweep point - are pooled) with a table of headline figures (listed,\n"
    "wrongful share, harm to innocents, violations prevented, public naming, inference AUC,\n"
    "third-party processing, the group 1 / group 0 ratio of wrongful listing; mean and 95%\n"
    "interval over replicates); one page per standard figure the database has data for (time\n"
    "series, harm, causes, Lorenz curves, disparity, the deterrence frontier, privacy\n"
    "exposure, cascade sizes, the spread of a cascade) with captions whose numbers come from\n"
    "the database; and an appendix with each run group's provenance and resolved parameters.\n";

static sim_status parse_runs(const char *s, rp_ids *r, sim_err *err) {
    r->nrun = 0;
    for (const char *p = s; *p;) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p || v <= 0 || (*end && *end != ',') || r->nrun == RP_RUNS_MAX)
            return err_set(err, SIM_EUSAGE, "--runs %s: expected up to %d run ids like 1,2,3",
                           s, RP_RUNS_MAX);
        r->ids[r->nrun++] = v;
        p = *end ? end + 1 : end;
    }
    return r->nrun ? SIM_OK : err_set(err, SIM_EUSAGE, "--runs needs a run id");
}

sim_status cli_report(int argc, char **argv, sim_err *err) {
    const char *db = NULL, *out = NULL, *runs = NULL;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) return fputs(USAGE_REPORT, stdout), SIM_OK;
        if (v && (!strcmp(a, "-o") || !strcmp(a, "--out"))) out = v, i++;
        else if (v && !strcmp(a, "--runs")) runs = v, i++;
        else if (a[0] == '-')
            return err_set(err, SIM_EUSAGE, "%s: unknown option or missing value (see scsim "
                           "report --help)", a);
        else if (!db) db = a;
        else return err_set(err, SIM_EUSAGE, "%s: unexpected argument", a);
    }
    if (!db || !out)
        return err_set(err, SIM_EUSAGE, "report: needs DB and -o BRIEF.pdf (see scsim report "
                       "--help)");
    rp_ids r = {.nrun = 0};
    sim_status st = runs ? parse_runs(runs, &r, err) : SIM_OK;
    report_info info = {0};
    if (st == SIM_OK) st = report_write(db, r.ids, r.nrun, out, &info, err);
    if (st == SIM_OK)
        printf("%s: %d pages from %zu run(s) in %zu group(s) of %s\n", out, info.pages,
               info.nrun, info.ngroups, db);
    return st;
}
