/* sim/cli/cli.c - the scsim dispatcher: the table of commands, `scsim --help` generated from
 * it, --version, and the exit code of a status. The commands live in their own files
 * (cli_cmds.h) and do not call back into this one. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "cli_cmds.h"
#include "version.h"

#ifdef SCSIM_CORE
/* The commands that draw or serve, as scsim's --help lists them; their code is in scsim-ui
 * (main.c executes it). Their names, arguments and summaries are those of the specs in
 * cli_plot.c, cli_verify.c, cli_report.c, cli_compare.c and cli_serve.c: test_cli checks
 * that `scsim --help` and `scsim-ui --help` print the same. */
static const opt_cmd UI_PLOT = {
    .name = "plot", .args = "DB",
    .summary = "the standard figures of a results database (PNG, SVG, PDF)"};
static const opt_cmd UI_VERIFY = {
    .name = "verify",
    .summary = "check the simulation against theory (Watts, percolation, Ensign\n"
               "feedback, Little's law, exactness and fan-out), with figures"};
static const opt_cmd UI_REPORT = {
    .name = "report", .args = "DB",
    .summary = "a PDF brief: headline table, figures with captions, provenance"};
static const opt_cmd UI_COMPARE = {
    .name = "compare", .args = "DB",
    .summary = "groups against a reference: paired differences and ratios, 95% CI"};
static const opt_cmd UI_SERVE = {
    .name = "serve",
    .summary = "the web explorer: sliders, Run, paired results and figures in a browser"};
#endif

/* In the order `scsim --help` lists them (cli.h: the ui ones run in scsim-ui). */
static const cli_command COMMANDS[] = {
    {&CLI_RUN, cli_run_scenario, 0}, {&CLI_VALIDATE, cli_validate, 0},
    {&CLI_SHOW, cli_show, 0},        {&CLI_LIST, cli_list, 0},
    {&CLI_SWEEP, cli_sweep, 0},      {&CLI_SUMMARY, cli_summary, 0},
    {&CLI_EXPORT, cli_export, 0},    {&CLI_MERGE, cli_merge, 0},
    {&CLI_ANALYZE, cli_analyze, 0},
#ifndef SCSIM_CORE
    {&CLI_PLOT, cli_plot, 1},        {&CLI_VERIFY, cli_verify, 1},   /* verify: its figures */
    {&CLI_REPORT, cli_report, 1},    {&CLI_COMPARE, cli_compare, 1},
    {&CLI_SERVE, cli_serve, 1},
#else
    {&UI_PLOT, NULL, 1},             {&UI_VERIFY, NULL, 1},
    {&UI_REPORT, NULL, 1},           {&UI_COMPARE, NULL, 1},
    {&UI_SERVE, NULL, 1},
#endif
};
enum { NCOMMANDS = sizeof COMMANDS / sizeof *COMMANDS, NAME_COLUMN = 24 };

const cli_command *cli_commands(size_t *n) {
    *n = NCOMMANDS;
    return COMMANDS;
}

int cli_exit_code(sim_status st) { return err_exit_code(st); }

static const char ABOUT[] =
    "usage: scsim <command> [options]\n"
    "\n"
    "Social-credit spillover simulator: an agent-based model of a synthetic society whose\n"
    "agencies record, score and list persons and firms, with guilt-by-association spillover.\n"
    "\n"
    "commands:\n";

static const char CLOSING[] =
    "\n"
    "  scsim COMMAND --help   options of a command\n"
    "  scsim --version        version\n"
    "\n"
    "exit codes: 0 ok, 1 run failed, 2 usage, 3 scenario error, 4 I/O, 5 database,\n"
    "130 interrupted. Documentation: README.md, docs/scenario.md, docs/results.md.\n";

/* The command list: "NAME ARGS" and the summary, one command a line (or two). */
static void usage(FILE *out) {
    fputs(ABOUT, out);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const opt_cmd *c = COMMANDS[i].spec;
        char label[80];
        snprintf(label, sizeof label, "%s%s%s", c->name, c->args ? " " : "",
                 c->args ? c->args : "");
        if (strlen(label) >= NAME_COLUMN - 3) fprintf(out, "  %s\n%*s", label, NAME_COLUMN, "");
        else fprintf(out, "  %-*s", NAME_COLUMN - 2, label);
        for (const char *s = c->summary; *s; s++) {   /* continuation lines indented */
            fputc(*s, out);
            if (*s == '\n' && s[1]) fprintf(out, "%*s", NAME_COLUMN, "");
        }
        fputc('\n', out);
    }
    fputs(CLOSING, out);
}

sim_status cli_run(int argc, char **argv, sim_err *err) {
    if (argc < 2) {
        usage(stderr);
        return err_set(err, SIM_EUSAGE, "missing command");
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return SIM_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("scsim %s (results schema %d)\n", SCSIM_VERSION, SCSIM_SCHEMA_VERSION);
        return SIM_OK;
    }
    char names[256] = "";
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(cmd, COMMANDS[i].spec->name) == 0 && !COMMANDS[i].run)   /* main.c */
            return err_set(err, SIM_EUSAGE, "%s: draws or serves, which this scsim leaves to "
                           "scsim-ui in its own folder; there is none there, or it could not "
                           "be executed (make builds both)", cmd);
        if (strcmp(cmd, COMMANDS[i].spec->name) == 0) return COMMANDS[i].run(argc, argv, err);
        size_t len = strlen(names);
        snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "",
                 COMMANDS[i].spec->name);
    }
    return err_set(err, SIM_EUSAGE, "%.60s: unknown command (commands: %s; see scsim --help)",
                   cmd, names);
}

const cli_command *cli_find(const char *name) {
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(name, COMMANDS[i].spec->name) == 0) return &COMMANDS[i];
    return NULL;
}
