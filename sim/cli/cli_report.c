/* sim/cli/cli_report.c - `scsim report DB -o BRIEF.pdf`: the command half of the brief
 * (plots/report.c writes it). Prints one line with the pages and runs written. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_cmds.h"
#include "report.h"

enum { RP_RUNS_MAX = 256 };

typedef struct rp_args {
    const char *out;
    opt_ids runs;
} rp_args;

static const opt_spec REPORT_OPTS[] = {
    {.name = "out", .short_name = 'o', .kind = OPT_PATH, .metavar = "BRIEF.pdf",
     .off = offsetof(rp_args, out), .flags = OPT_REQUIRED, .help = "the PDF to write"},
    {.name = "runs", .kind = OPT_IDS, .metavar = "IDS", .hi = RP_RUNS_MAX,
     .off = offsetof(rp_args, runs),
     .help = "the runs: ids such as 3 or 1,4,7 or 1,2,5-8 (default: the runs of the last 6 run "
             "groups)"},
};

const opt_cmd CLI_REPORT = {
    .name = "report", .args = "DB", .min_args = 1, .max_args = 1,
    .summary = "a PDF brief: headline table, figures with captions, provenance",
    .about =
    "Writes a PDF brief from results database DB: the scenarios compared (default: the runs\n"
    "of the last 6 run groups; replicates - the same scenario and overrides with another\n"
    "seed, or the same sweep point - are pooled) with a table of headline figures (listed,\n"
    "wrongful share, harm to innocents, violations prevented, public naming, inference AUC,\n"
    "third-party processing, the group 1 / group 0 ratio of wrongful listing; mean and 95%\n"
    "interval over replicates); one page per standard figure the database has data for (time\n"
    "series, harm, causes, Lorenz curves, disparity, the deterrence frontier, privacy\n"
    "exposure, cascade sizes, the spread of a cascade) with captions whose numbers come from\n"
    "the database; and an appendix with each run group's provenance and resolved parameters.\n",
    .opts = REPORT_OPTS, .nopts = sizeof REPORT_OPTS / sizeof *REPORT_OPTS};

sim_status cli_report(int argc, char **argv, sim_err *err) {
    rp_args a = {0};
    opt_pos pos;
    sim_status st = opt_parse(&CLI_REPORT, argc, argv, &a, &pos, err);
    if (st == SIM_OK && pos.help) opt_help(&CLI_REPORT, stdout);
    if (st != SIM_OK || pos.help) return st;
    const char *db = pos.v[0];
    st = opt_check_output("--out", a.out, db, err);
    if (st == SIM_OK) st = opt_check_parent("--out", a.out, err);   /* a file: never its folder */
    report_info info = {0};
    if (st == SIM_OK) st = report_write(db, a.runs.v, (size_t)a.runs.n, a.out, &info, err);
    if (st == SIM_OK)
        printf("%s: %d pages from %zu run(s) in %zu group(s) of %s\n", a.out, info.pages,
               info.nrun, info.ngroups, db);
    return st;
}
