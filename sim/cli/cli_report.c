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
    int paper;   /* report_paper */
} rp_args;

static const opt_word PAPERS[] = {{"a4", REPORT_A4}, {"letter", REPORT_LETTER}, {NULL, 0}};

static const opt_spec REPORT_OPTS[] = {
    {.name = "out", .short_name = 'o', .kind = OPT_PATH, .metavar = "BRIEF.pdf",
     .off = offsetof(rp_args, out), .flags = OPT_REQUIRED, .help = "the PDF to write"},
    {.name = "runs", .kind = OPT_IDS, .metavar = "IDS", .hi = RP_RUNS_MAX,
     .off = offsetof(rp_args, runs),
     .help = "the runs: ids such as 3 or 1,4,7 or 1,2,5-8 (default: the runs of the last 6 run "
             "groups)"},
    {.name = "paper", .kind = OPT_CHOICE, .words = PAPERS, .def = "a4",
     .off = offsetof(rp_args, paper),
     .help = "the size of every page, landscape: a4 (297 x 210 mm) or letter (11 x 8.5 in)"},
};

const opt_cmd CLI_REPORT = {
    .name = "report", .args = "DB", .min_args = 1, .max_args = 1,
    .summary = "a PDF brief: headline table, figures with captions, provenance",
    .about =
    "Writes a PDF brief from results database DB: the scenarios compared (default: the runs\n"
    "of the last 6 run groups; replicates - the same scenario and overrides with another\n"
    "seed, or the same sweep point - are pooled) with headline tables (who is listed and why:\n"
    "the share listed without an own violation and the share of listings caused by an error;\n"
    "who bears it: harm to innocents beside headcounts of persons sanctioned, innocents and\n"
    "children reached, firms failed; privacy and fairness), each column defined under its\n"
    "table, mean and 95% interval over replicates; one page per standard figure the database\n"
    "has data for (time series, harm, causes, Lorenz curves, disparity, the deterrence\n"
    "frontier, privacy exposure, cascade sizes, and the spread of a cascade when one has at\n"
    "least 10 listings) with captions whose claims come from the database; and an appendix\n"
    "with each run group's provenance and resolved parameters as tables and the headline\n"
    "tables' SQL. Every page has the same size (--paper).\n",
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
    if (st == SIM_OK) st = report_write(db, a.runs.v, (size_t)a.runs.n, a.out,
                                         (report_paper)a.paper, &info, err);
    if (st == SIM_OK)
        printf("%s: %d pages from %zu run(s) in %zu group(s) of %s\n", a.out, info.pages,
               info.nrun, info.ngroups, db);
    return st;
}
