/* sim/cli/opt.h - the command-line option layer. Prefix opt_.
 *
 * Each command describes its options in one table (opt_spec[]) inside an opt_cmd; from that
 * table opt_parse builds the getopt_long parser and opt_help prints the command's --help, so
 * the two cannot disagree. Values land in the command's own argument struct, at the offset
 * each row names:
 *
 *   typedef struct my_args { const char *out; int jobs; } my_args;
 *   static const opt_spec OPTS[] = {
 *       {.name = "out", .kind = OPT_PATH, .metavar = "DB", .help = "results database",
 *        .off = offsetof(my_args, out), .flags = OPT_REQUIRED},
 *       {.name = "jobs", .kind = OPT_INT, .metavar = "N", .help = "worker processes",
 *        .def = "1", .lo = 1, .hi = 1024, .off = offsetof(my_args, jobs)}};
 *   static const opt_cmd CMD = {.name = "sweep", .args = "FILE", .min_args = 1,
 *       .max_args = 1, .about = "...", .opts = OPTS, .nopts = 2};
 *   ...
 *   my_args a = {0};
 *   opt_pos pos;
 *   sim_status st = opt_parse(&CMD, argc, argv, &a, &pos, err);
 *   if (st == SIM_OK && pos.help) opt_help(&CMD, stdout);
 *
 * Every usage error is SIM_EUSAGE (exit code 2) with a message that names the option and
 * what it accepts. Long options must be spelled in full (no GNU abbreviations), so adding an
 * option never changes what an existing command line means. -h and --help exist in every
 * command. "--" ends the options. */
#ifndef SIM_CLI_OPT_H
#define SIM_CLI_OPT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

enum {
    OPT_IDS_MAX = 256,    /* capacity of an opt_ids */
    OPT_LIST_MAX = 256,   /* capacity of an opt_list */
    OPT_SPECS_MAX = 32,   /* options in one table */
    OPT_HELP_WIDTH = 92   /* --help text is wrapped at this column */
};

typedef enum opt_kind {
    OPT_FLAG,     /* no value; int set to 1 */
    OPT_INT,      /* integer lo .. hi (within int); int */
    OPT_DOUBLE,   /* finite number dlo .. dhi; double */
    OPT_STRING,   /* non-empty text without control bytes; const char * (points into argv) */
    OPT_PATH,     /* a file or folder: as OPT_STRING */
    OPT_CHOICE,   /* one of the words of `words`; int set to the word's value */
    OPT_IDS,      /* id list (opt_ids_parse); opt_ids, at most hi ids (hi <= OPT_IDS_MAX) */
    OPT_LIST,     /* repeatable text; opt_list, at most hi values (hi <= OPT_LIST_MAX) */
    OPT_CALL      /* the value is handed to `call`, which stores it */
} opt_kind;

enum {
    OPT_REQUIRED = 1,     /* the command fails with a usage error without it */
    OPT_DEPRECATED = 2    /* an old spelling: still accepted, with a note on stderr */
};

/* A word of an OPT_CHOICE option and the value it stands for; tables end with {NULL, 0}. */
typedef struct opt_word {
    const char *w;
    int v;
} opt_word;

/* Positive ids in the order given (OPT_IDS). given: the option appeared. */
typedef struct opt_ids {
    int64_t v[OPT_IDS_MAX];
    int n;
    int given;
} opt_ids;

/* The values of a repeatable option, in order (OPT_LIST); they point into argv or into
 * storage the command owns. */
typedef struct opt_list {
    const char *v[OPT_LIST_MAX];
    int n;
} opt_list;

/* One option. A row with a default (`def`, text parsed like a value given on the command
 * line) sets it before parsing and shows it as "(default: ...)" in the help; a default that
 * is not a fixed value (e.g. "all cores") is told in `help` instead. */
typedef struct opt_spec {
    const char *name;         /* long name without "--" */
    char        short_name;   /* one-letter name, or 0 */
    opt_kind    kind;
    const char *metavar;      /* the value in the help, e.g. "N", "DB"; NULL for flags and
                               * choices (which show their words) */
    const char *help;         /* what it does; "\n" starts a new line in the help */
    const char *def;          /* default value as text, or NULL */
    size_t      off;          /* offset of the value in the command's argument struct */
    long long   lo, hi;       /* OPT_INT range; OPT_IDS, OPT_LIST: hi = most values */
    double      dlo, dhi;     /* OPT_DOUBLE range */
    const opt_word *words;    /* OPT_CHOICE */
    /* OPT_CALL: stores value (given for option `opt`, e.g. "--seed") into args; OPT_LIST:
     * optional check of each value before it is stored. SIM_EUSAGE with err set if bad. */
    sim_status (*call)(void *args, const char *opt, const char *value, sim_err *err);
    int         flags;        /* OPT_REQUIRED, OPT_DEPRECATED */
    int         repeat;       /* OPT_CALL: shown as repeatable ("...") in the usage line */
} opt_spec;

/* One command: its usage line, its text, its options. */
typedef struct opt_cmd {
    const char *prog;         /* the program as the usage line shows it; NULL: "scsim" */
    const char *name;         /* the command word, e.g. "run" */
    const char *args;         /* the positional arguments in the usage line, e.g. "FILE",
                               * "OUT.db IN.db...", "[DIR]"; NULL: none */
    int         min_args;     /* positional arguments required */
    int         max_args;     /* positional arguments allowed; -1: any number */
    const char *summary;      /* one line (or two) for `scsim --help` */
    const char *about;        /* the paragraphs after the usage line */
    const char *after;        /* the text after the options (lists, examples), or NULL */
    const opt_spec *opts;
    size_t      nopts;        /* at most OPT_SPECS_MAX */
} opt_cmd;

/* Where the positional arguments are after parsing. */
typedef struct opt_pos {
    char **v;     /* v[0 .. n-1], in the order given */
    int    n;
    int    help;  /* -h or --help was given: print opt_help, do nothing else */
} opt_pos;

/* Parses argv[2 ..] (argv[0] the program, argv[1] the command word) by cmd's table into
 * args (the command's argument struct, borrowed; rows with a default are set first, other
 * fields are left as the caller initialised them). Positional arguments are moved, in
 * order, to the front of argv[2 ..] and described by pos; their count is checked against
 * cmd. Stops at -h/--help with pos->help = 1 (other checks skipped). Options are taken in
 * order; a later value of a single-valued option replaces an earlier one.
 * Returns SIM_OK, or SIM_EUSAGE with err naming the option and what it accepts: unknown
 * option, abbreviated name, missing value, value for a flag, bad value, too many values,
 * missing required option, wrong number of positional arguments. Not reentrant (getopt). */
sim_status opt_parse(const opt_cmd *cmd, int argc, char **argv, void *args, opt_pos *pos,
                     sim_err *err);

/* Writes cmd's help: the usage line (every option, generated), the text, one entry per
 * option with its metavar or words, help, default and "(deprecated)", then -h/--help and
 * the closing text. Lines wrap at OPT_HELP_WIDTH. */
void opt_help(const opt_cmd *cmd, FILE *out);

/* Whether argv[1 .. argc-1] asks for help (-h or --help before any "--"). */
int opt_help_asked(int argc, char *const *argv);

/* ---- the value checks, shared by the table kinds and by OPT_CALL handlers ---- */

/* s as a decimal integer lo .. hi: the whole string (no blanks, no trailing text), no
 * overflow. opt names the option for the message ("--jobs 0: expected an integer 1 ..
 * 1024"). SIM_OK or SIM_EUSAGE; *out untouched on error. */
sim_status opt_int(const char *opt, const char *s, long long lo, long long hi, long long *out,
                   sim_err *err);

/* s as a finite number lo .. hi (strtod syntax, the whole string). SIM_OK or SIM_EUSAGE. */
sim_status opt_double(const char *opt, const char *s, double lo, double hi, double *out,
                      sim_err *err);

/* An id list: comma-separated positive ids and ranges A-B (A <= B), e.g. "3", "1,4,7",
 * "1,2,5-8"; at most max ids in all (max <= OPT_IDS_MAX), each at most once, in the order
 * given. Empty lists, empty items ("1,,2"), zero, negatives, overflow and repeated ids are
 * usage errors naming opt and the offending item. */
sim_status opt_ids_parse(const char *opt, const char *s, int max, opt_ids *ids, sim_err *err);

/* Creates folder dir and its parents when missing (mkdir -p) and checks that it is a
 * folder this process can write into. SIM_OK or SIM_EIO naming the folder. */
sim_status opt_make_dir(const char *dir, sim_err *err);

/* An output file's folder must exist (files are never put into a folder scsim makes up; an
 * output folder, e.g. plot --out, is created instead: opt_make_dir): SIM_OK when path has
 * no folder part or its folder exists; SIM_EIO naming opt, path and the folder otherwise
 * (exit 4), as run, sweep and merge say for a database. */
sim_status opt_check_parent(const char *opt, const char *path, sim_err *err);

/* Refuses an output file that is an input (a command never writes over, truncates or deletes
 * a file it reads): out names input `in`, or the -wal, -shm or -journal file SQLite keeps
 * beside it, when both exist and have the same device and inode (so another relative path,
 * a symlink or a hard link is caught), or, when one does not exist yet, by the same text.
 * SIM_EUSAGE naming opt, out and the input. */
sim_status opt_check_output(const char *opt, const char *out, const char *in, sim_err *err);

/* As opt_check_output, against each of in[0 .. nin-1] (NULL entries are skipped). */
sim_status opt_check_outputs(const char *opt, const char *out, const char *const *in, int nin,
                             sim_err *err);

/* As opt_check_outputs for each file dir/names[k] a command writes into folder dir (plot
 * --out, export --csv, verify --out). */
sim_status opt_check_output_in(const char *opt, const char *dir, const char *const *names,
                               int nnames, const char *const *in, int nin, sim_err *err);

#endif
