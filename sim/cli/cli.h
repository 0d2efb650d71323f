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

/* The same dispatcher is built twice: with SCSIM_CORE into scsim, whose own commands neither
 * draw nor serve and which is linked without cairo, pango, libmicrohttpd and jansson (7.5
 * MB less resident at start, and 1.4 ms to start instead of 7.4 ms: those libraries'
 * loading), and into scsim-ui, with every command. scsim runs a ui command (plot, verify,
 * report, compare, serve) by executing scsim-ui from its own directory with the same
 * arguments (main.c); cli_run refuses it, naming scsim-ui, when that cannot be done. */

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
