/* sim/cli/cli.h - the scsim dispatcher: finds the command named by argv[1] and maps a status
 * to an exit code. Prefix cli_. The commands are sim/cli/cli_cmds.h; the CLI is the only part
 * that prints, and main() is the only part that exits. */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include <stddef.h>

#include "err.h"
#include "opt.h"

/* One command: its option table (name, help), its entry point, and whether it draws or
 * serves (ui: it needs cairo and pango, or libmicrohttpd and jansson). */
typedef struct cli_command {
    const opt_cmd *spec;
    sim_status (*run)(int argc, char **argv, sim_err *err);
    int ui;
} cli_command;

/* The same dispatcher is built twice: into scsim, with every command, and with SCSIM_CORE
 * into scsim-core, with the commands that neither draw nor serve and without those libraries
 * (7.5 MB less resident at start; RSM-1 at 10^6 peaks at 93 MB instead of 101). scsim runs a
 * core command by executing scsim-core from its own directory (main.c), in-process when
 * there is none or SCSIM_IN_PROCESS is set. */

/* Every command, in the order `scsim --help` lists them; *n their number. */
const cli_command *cli_commands(size_t *n);

/* The command called name, or NULL. */
const cli_command *cli_find(const char *name);

/* Runs the command in argv. Output goes to stdout, progress and notes to stderr; on failure
 * err holds the message for main to print. */
sim_status cli_run(int argc, char **argv, sim_err *err);

/* Exit code of a status: 0 ok, 1 run failed, 2 usage, 3 scenario, 4 I/O, 5 database,
 * 130 interrupted (err_exit_code). */
int cli_exit_code(sim_status st);

#endif
