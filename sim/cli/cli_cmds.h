/* sim/cli/cli_cmds.h - the commands of scsim, one file each, and their option tables. Prefix
 * cli_ (functions), CLI_ (tables). The dispatcher (cli.c) includes this header; the command
 * files include it and opt.h, never the dispatcher's cli.h, so no command depends on the
 * dispatcher.
 *
 * Each command takes argv as main received it (argv[1] the command word), parses it with
 * opt_parse against its table, prints its results to stdout and its notes to stderr, and
 * returns a status with err set on failure (main prints it and exits with err_exit_code). */
#ifndef SIM_CLI_CMDS_H
#define SIM_CLI_CMDS_H

#include "err.h"
#include "opt.h"

/* run, validate, show (sim/cli/cli_run.c). */
sim_status cli_run_scenario(int argc, char **argv, sim_err *err);
sim_status cli_validate(int argc, char **argv, sim_err *err);
sim_status cli_show(int argc, char **argv, sim_err *err);
extern const opt_cmd CLI_RUN, CLI_VALIDATE, CLI_SHOW;
/* summary, export, merge (sim/cli/cli_db.c). */
sim_status cli_summary(int argc, char **argv, sim_err *err);
sim_status cli_export(int argc, char **argv, sim_err *err);
sim_status cli_merge(int argc, char **argv, sim_err *err);
extern const opt_cmd CLI_SUMMARY, CLI_EXPORT, CLI_MERGE;
/* plot (sim/cli/cli_plot.c; the figures are plots/figures.h). */
sim_status cli_plot(int argc, char **argv, sim_err *err);
extern const opt_cmd CLI_PLOT;
/* report (sim/cli/cli_report.c; the brief is plots/report.h). */
sim_status cli_report(int argc, char **argv, sim_err *err);
extern const opt_cmd CLI_REPORT;
/* verify (sim/cli/cli_verify.c). */
sim_status cli_verify(int argc, char **argv, sim_err *err);
extern const opt_cmd CLI_VERIFY;
/* analyze (sim/cli/cli_analyze.c). */
sim_status cli_analyze(int argc, char **argv, sim_err *err);
extern const opt_cmd CLI_ANALYZE;
/* list (sim/cli/cli_list.c). */
sim_status cli_list(int argc, char **argv, sim_err *err);
extern const opt_cmd CLI_LIST;
/* compare (sim/cli/cli_compare.c). */
sim_status cli_compare(int argc, char **argv, sim_err *err);
extern const opt_cmd CLI_COMPARE;
/* sweep (sim/cli/cli_sweep.c). */
sim_status cli_sweep(int argc, char **argv, sim_err *err);
extern const opt_cmd CLI_SWEEP;
/* serve (sim/cli/cli_serve.c; the explorer is sim/serve/serve.h). */
sim_status cli_serve(int argc, char **argv, sim_err *err);
extern const opt_cmd CLI_SERVE;

#endif
