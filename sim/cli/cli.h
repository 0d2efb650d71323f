/* sim/cli/cli.h - the scsim command line: run, validate, show. Prefix cli_.
 * The CLI is the only part that prints; main() is the only part that exits. */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include "err.h"

/* Runs the command in argv. Output goes to stdout, progress and notes to stderr; on failure
 * err holds the message for main to print. */
sim_status cli_run(int argc, char **argv, sim_err *err);

/* The database commands (sim/cli/cli_db.c): argv as for cli_run, argv[1] the command. */
sim_status cli_summary(int argc, char **argv, sim_err *err);
sim_status cli_export(int argc, char **argv, sim_err *err);
sim_status cli_merge(int argc, char **argv, sim_err *err);
/* `scsim plot` (sim/cli/cli_plot.c; the figures are plots/figures.h). */
sim_status cli_plot(int argc, char **argv, sim_err *err);
/* `scsim report` (sim/cli/cli_report.c; the brief is plots/report.h). */
sim_status cli_report(int argc, char **argv, sim_err *err);
/* `scsim verify` (sim/cli/cli_verify.c). */
sim_status cli_verify(int argc, char **argv, sim_err *err);
/* `scsim analyze` (sim/cli/cli_analyze.c). */
sim_status cli_analyze(int argc, char **argv, sim_err *err);
/* `scsim list` (sim/cli/cli_list.c). */
sim_status cli_list(int argc, char **argv, sim_err *err);
/* `scsim sweep` (sim/cli/cli_sweep.c). */
sim_status cli_sweep(int argc, char **argv, sim_err *err);

/* Exit code of a status: 0 ok, 1 run failed, 2 usage, 3 scenario, 4 I/O, 5 database,
 * 130 interrupted. */
int cli_exit_code(sim_status st);

#endif
