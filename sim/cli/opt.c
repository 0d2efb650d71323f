/* sim/cli/opt.c - the option parser generated from a command's table (getopt_long), and the
 * value checks it shares with the commands. The help text is sim/cli/opt_help.c. */
#include "opt.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { VAL_BASE = 256 };   /* getopt_long returns VAL_BASE + row for a long option */

/* ---- value checks ---------------------------------------------------------------------- */

sim_status opt_int(const char *opt, const char *s, long long lo, long long hi, long long *out,
                   sim_err *err) {
    char *end = NULL;
    errno = 0;
    long long x = isspace((unsigned char)*s) ? 0 : strtoll(s, &end, 10);
    if (!end || end == s || *end || errno == ERANGE || x < lo || x > hi)
        return err_set(err, SIM_EUSAGE, "%s %.60s: expected an integer %lld .. %lld", opt, s,
                       lo, hi);
    *out = x;
    return SIM_OK;
}

sim_status opt_double(const char *opt, const char *s, double lo, double hi, double *out,
                      sim_err *err) {
    char *end = NULL;
    errno = 0;
    double x = isspace((unsigned char)*s) ? 0 : strtod(s, &end);
    if (!end || end == s || *end || errno == ERANGE || !isfinite(x) || x < lo || x > hi)
        return err_set(err, SIM_EUSAGE, "%s %.60s: expected a number %g .. %g", opt, s, lo, hi);
    *out = x;
    return SIM_OK;
}

/* One positive id at *p (digits only), advancing *p past it; 0 if there is none. */
static int read_id(const char **p, long long *v) {
    *v = 0;
    if (!isdigit((unsigned char)**p)) return 0;
    char *end;
    errno = 0;
    *v = strtoll(*p, &end, 10);
    *p = end;
    return errno != ERANGE && *v >= 1;
}

/* An item "A" or "A-B" of an id list at *p; *p left on the ',' or the end after it. */
static sim_status id_item(const char *opt, const char *s, const char **p, long long *a,
                          long long *b, sim_err *err) {
    const char *start = *p;
    int ok = read_id(p, a);
    *b = *a;
    if (ok && **p == '-') {
        (*p)++;
        ok = read_id(p, b);
        if (ok && *b < *a)
            return err_set(err, SIM_EUSAGE, "%s %.60s: range %lld-%lld runs backwards", opt, s,
                           *a, *b);
    }
    if (!ok || (**p && **p != ','))
        return err_set(err, SIM_EUSAGE, "%s %.60s: \"%.*s\" is not an id; expected "
                       "positive ids separated by commas, ranges as A-B, e.g. 3 or 1,4,7 or "
                       "1,2,5-8", opt, s, (int)strcspn(start, ","), start);
    return SIM_OK;
}

sim_status opt_ids_parse(const char *opt, const char *s, int max, opt_ids *ids, sim_err *err) {
    opt_ids t;   /* the result only when the whole list is good */
    t.n = 0;
    t.given = 1;
    if (max > OPT_IDS_MAX) max = OPT_IDS_MAX;
    const char *p = s;
    for (;;) {
        long long a = 0, b = 0;
        sim_status st = id_item(opt, s, &p, &a, &b, err);
        if (st != SIM_OK) return st;
        if (b - a >= (long long)(max - t.n))
            return err_set(err, SIM_EUSAGE, "%s %.60s: at most %d ids", opt, s, max);
        for (long long x = a;; x++) {   /* up to b included, even INT64_MAX */
            for (int k = 0; k < t.n; k++)
                if (t.v[k] == x)
                    return err_set(err, SIM_EUSAGE, "%s %.60s: id %lld given twice", opt, s, x);
            t.v[t.n++] = x;
            if (x == b) break;
        }
        if (*p++ != ',') break;
    }
    *ids = t;
    return SIM_OK;
}

sim_status opt_make_dir(const char *dir, sim_err *err) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return err_set(err, SIM_EIO, "output directory name too long: %.60s...", dir);
    for (char *p = path + 1;; p++) {
        char c = *p;
        if (c != '/' && c != '\0') continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return err_set(err, SIM_EIO, "cannot create output directory %s: %s", path,
                           strerror(errno));
        *p = c;
        if (c == '\0') break;
    }
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return err_set(err, SIM_EIO, "output %s is not a directory", dir);
    if (access(dir, W_OK | X_OK) != 0)
        return err_set(err, SIM_EIO, "cannot write into output directory %s: %s", dir,
                       strerror(errno));
    return SIM_OK;
}

sim_status opt_check_parent(const char *opt, const char *path, sim_err *err) {
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash) return SIM_OK;   /* the current folder */
    snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    struct stat sb;
    if (stat(dir, &sb) != 0)
        return err_set(err, SIM_EIO, "%s %s: folder %s does not exist (create it first)", opt,
                       path, dir);
    if (!S_ISDIR(sb.st_mode))
        return err_set(err, SIM_EIO, "%s %s: %s is not a folder", opt, path, dir);
    return SIM_OK;
}

/* Whether out is the file at path: the same device and inode (another relative path, a
 * symlink, a hard link), or the same text when either does not exist. */
static int same_file(const char *out, const struct stat *so, int out_exists, const char *path) {
    struct stat si;
    if (out_exists && stat(path, &si) == 0)
        return so->st_dev == si.st_dev && so->st_ino == si.st_ino;
    return strcmp(out, path) == 0;
}

/* Whether out is input `in` or one of the files SQLite keeps beside it (-wal, -shm,
 * -journal: writing over them destroys the database too). */
static int is_input(const char *out, const char *in) {
    static const char *const side[] = {"", "-wal", "-shm", "-journal"};
    struct stat so;
    int exists = stat(out, &so) == 0;
    for (size_t k = 0; k < sizeof side / sizeof *side; k++) {
        char path[4200];
        if (snprintf(path, sizeof path, "%s%s", in, side[k]) >= (int)sizeof path) continue;
        if (same_file(out, &so, exists, path)) return 1;
    }
    return 0;
}

sim_status opt_check_outputs(const char *opt, const char *out, const char *const *in, int nin,
                             sim_err *err) {
    for (int k = 0; k < nin; k++)
        if (in[k] && is_input(out, in[k]))
            return err_set(err, SIM_EUSAGE, "%s %s: that is the input %s (or a file SQLite "
                           "keeps beside it); a command never writes over a file it reads: "
                           "choose another output", opt, out, in[k]);
    return SIM_OK;
}

sim_status opt_check_output(const char *opt, const char *out, const char *in, sim_err *err) {
    return opt_check_outputs(opt, out, &in, 1, err);
}

sim_status opt_check_output_in(const char *opt, const char *dir, const char *const *names,
                               int nnames, const char *const *in, int nin, sim_err *err) {
    for (int n = 0; n < nnames; n++) {
        char path[4200];
        if (snprintf(path, sizeof path, "%s/%s", dir, names[n]) >= (int)sizeof path)
            return err_set(err, SIM_EUSAGE, "%s: folder name too long: %.60s...", opt, dir);
        sim_status st = opt_check_outputs(opt, path, in, nin, err);
        if (st != SIM_OK) return st;
    }
    return SIM_OK;
}

/* ---- storing one value ----------------------------------------------------------------- */

static sim_status plain_text(const char *opt, const char *s, sim_err *err) {
    if (!*s) return err_set(err, SIM_EUSAGE, "%s: empty value", opt);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return err_set(err, SIM_EUSAGE, "%s: the value contains a control character", opt);
    return SIM_OK;
}

static sim_status choice(const opt_spec *o, const char *opt, const char *v, int *out,
                         sim_err *err) {
    char list[256] = "";
    for (const opt_word *w = o->words; w->w; w++) {
        if (strcmp(w->w, v) == 0) return *out = w->v, SIM_OK;
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", w->w);
    }
    return err_set(err, SIM_EUSAGE, "%s %.60s: expected one of %s", opt, v, list);
}

static sim_status list_add(const opt_spec *o, void *args, const char *opt, const char *v,
                           sim_err *err) {
    opt_list *l = (opt_list *)((char *)args + o->off);
    if (l->n >= o->hi || l->n >= OPT_LIST_MAX)
        return err_set(err, SIM_EUSAGE, "%s given too often (at most %lld times)", opt, o->hi);
    sim_status st = o->call ? o->call(args, opt, v, err) : SIM_OK;
    if (st == SIM_OK) l->v[l->n++] = v;
    return st;
}

/* Checks v and stores it where row o says. opt: "--name", for messages. */
static sim_status store(const opt_spec *o, const char *opt, const char *v, void *args,
                        sim_err *err) {
    void *d = (char *)args + o->off;
    long long x;
    sim_status st = o->kind == OPT_FLAG ? SIM_OK : plain_text(opt, v, err);
    if (st != SIM_OK) return st;
    switch (o->kind) {
    case OPT_FLAG: *(int *)d = 1; break;
    case OPT_INT:
        if ((st = opt_int(opt, v, o->lo, o->hi, &x, err)) == SIM_OK) *(int *)d = (int)x;
        break;
    case OPT_DOUBLE: st = opt_double(opt, v, o->dlo, o->dhi, (double *)d, err); break;
    case OPT_STRING: case OPT_PATH: *(const char **)d = v; break;
    case OPT_CHOICE: st = choice(o, opt, v, (int *)d, err); break;
    case OPT_IDS: st = opt_ids_parse(opt, v, (int)o->hi, (opt_ids *)d, err); break;
    case OPT_LIST: st = list_add(o, args, opt, v, err); break;
    case OPT_CALL: st = o->call(args, opt, v, err); break;
    }
    return st;
}

/* ---- the parser ------------------------------------------------------------------------ */

/* The getopt_long tables of cmd: long options (the row index + VAL_BASE as value, then
 * --help, then the end) and the short string ("-:" returns positionals in order and
 * reports a missing value as ':'). */
static void build(const opt_cmd *cmd, struct option *lo, char *shorts) {
    assert(cmd->nopts <= OPT_SPECS_MAX);
    char *s = shorts;
    *s++ = '-', *s++ = ':', *s++ = 'h';
    for (size_t i = 0; i < cmd->nopts; i++) {
        const opt_spec *o = &cmd->opts[i];
        int arg = o->kind == OPT_FLAG ? no_argument : required_argument;
        lo[i] = (struct option){o->name, arg, NULL, VAL_BASE + (int)i};
        if (o->short_name) {
            *s++ = o->short_name;
            if (arg == required_argument) *s++ = ':';
        }
    }
    lo[cmd->nopts] = (struct option){"help", no_argument, NULL, 'h'};
    lo[cmd->nopts + 1] = (struct option){NULL, 0, NULL, 0};
    *s = '\0';
}

static const char *tool(const opt_cmd *cmd) { return cmd->prog ? cmd->prog : "scsim"; }

/* The row of getopt's value c (a long option's VAL_BASE + row, or a short name); -1: none. */
static int row_of(const opt_cmd *cmd, int c) {
    if (c >= VAL_BASE && (size_t)(c - VAL_BASE) < cmd->nopts) return c - VAL_BASE;
    for (size_t i = 0; c > 0 && i < cmd->nopts; i++)
        if (cmd->opts[i].short_name == c) return (int)i;
    return -1;
}

/* The command-line word of the option getopt just returned: av[optind-1], or av[optind-2]
 * when its value was the separate word after it. */
static const char *last_word(char **av) {
    return optarg && optind >= 2 && av[optind - 1] == optarg ? av[optind - 2] : av[optind - 1];
}

/* Whether word spells long option name in full ("--name" or "--name=..."). */
static int in_full(const char *word, const char *name) {
    size_t n = strlen(name);
    return word[0] == '-' && word[1] == '-' && strncmp(word + 2, name, n) == 0 &&
           (word[2 + n] == '\0' || word[2 + n] == '=');
}

/* The options of cmd, for messages: "--out, --seed, ..., --help" (deprecated ones left out). */
static void names_of(const opt_cmd *cmd, char *buf, size_t n) {
    buf[0] = '\0';
    for (size_t i = 0; i < cmd->nopts; i++) {
        size_t len = strlen(buf);
        if (!(cmd->opts[i].flags & OPT_DEPRECATED))
            snprintf(buf + len, n - len, "--%s, ", cmd->opts[i].name);
    }
    size_t len = strlen(buf);
    snprintf(buf + len, n - len, "--help");
}

/* What a value of row o looks like: its metavar, or its words as a|b|c. */
static void value_name(const opt_spec *o, char *buf, size_t n) {
    snprintf(buf, n, "%s", o->metavar ? o->metavar : "");
    for (const opt_word *w = o->metavar ? NULL : o->words; w && w->w; w++) {
        size_t len = strlen(buf);
        snprintf(buf + len, n - len, "%s%s", w == o->words ? "" : "|", w->w);
    }
}

/* getopt_long reported '?' or ':' (opterr is off): the message. */
static sim_status bad_option(const opt_cmd *cmd, char **av, int c, sim_err *err) {
    int r = row_of(cmd, optopt ? optopt : -1);
    const opt_spec *o = r >= 0 ? &cmd->opts[r] : NULL;
    char list[512];
    if (c == ':' && o) {
        value_name(o, list, sizeof list);
        return err_set(err, SIM_EUSAGE, "%s: --%s needs a value (%s; see %s %s --help)",
                       cmd->name, o->name, list, tool(cmd), cmd->name);
    }
    if (o && o->kind == OPT_FLAG)
        return err_set(err, SIM_EUSAGE, "%s: --%s takes no value", cmd->name, o->name);
    names_of(cmd, list, sizeof list);
    if (optopt && optopt < VAL_BASE)
        return err_set(err, SIM_EUSAGE, "-%c: unknown option for '%s' (options: %s)", optopt,
                       cmd->name, list);
    return err_set(err, SIM_EUSAGE, "%.60s: unknown option for '%s' (options: %s)",
                   av[optind - 1], cmd->name, list);
}

/* Option row r (long: spelled as a long option) with value optarg (NULL for a flag). */
static sim_status take(const opt_cmd *cmd, int r, int is_long, char **av, void *args,
                       sim_err *err) {
    const opt_spec *o = &cmd->opts[r];
    char opt[80];
    snprintf(opt, sizeof opt, "--%s", o->name);
    if (is_long && !in_full(last_word(av), o->name))
        return err_set(err, SIM_EUSAGE, "%.60s: unknown option for '%s' (options are spelled "
                       "in full: %s)", last_word(av), cmd->name, opt);
    if (o->flags & OPT_DEPRECATED)
        fprintf(stderr, "%s %s: %s is deprecated: %s\n", tool(cmd), cmd->name, opt, o->help);
    return store(o, opt, optarg, args, err);
}

/* Defaults first, so that what the help says is what happens. */
static sim_status defaults(const opt_cmd *cmd, void *args, sim_err *err) {
    for (size_t i = 0; i < cmd->nopts; i++) {
        const opt_spec *o = &cmd->opts[i];
        char opt[80];
        snprintf(opt, sizeof opt, "--%s", o->name);
        sim_status st = o->def ? store(o, opt, o->def, args, err) : SIM_OK;
        if (st != SIM_OK) return st;
    }
    return SIM_OK;
}

/* After the options: required ones present, positional count in range. */
static sim_status complete(const opt_cmd *cmd, const unsigned char *seen, const opt_pos *pos,
                           sim_err *err) {
    for (size_t i = 0; i < cmd->nopts; i++) {
        const opt_spec *o = &cmd->opts[i];
        if (!(o->flags & OPT_REQUIRED) || seen[i]) continue;
        char name[80];
        if (o->short_name) snprintf(name, sizeof name, "-%c", o->short_name);
        else snprintf(name, sizeof name, "--%s", o->name);
        return err_set(err, SIM_EUSAGE, "%s: missing %s %s (see %s %s --help)", cmd->name,
                       name, o->metavar ? o->metavar : "", tool(cmd), cmd->name);
    }
    if (pos->n < cmd->min_args)
        return err_set(err, SIM_EUSAGE, "%s: missing %s (see %s %s --help)", cmd->name,
                       cmd->args, tool(cmd), cmd->name);
    if (cmd->max_args >= 0 && pos->n > cmd->max_args)
        return err_set(err, SIM_EUSAGE, "%s: unexpected argument %.60s (the command takes %s; "
                       "see %s %s --help)", cmd->name, pos->v[cmd->max_args],
                       cmd->args ? cmd->args : "none", tool(cmd), cmd->name);
    return SIM_OK;
}

/* -h, or --help spelled in full: help; otherwise an unknown option. */
static sim_status help(const opt_cmd *cmd, int is_long, char **av, opt_pos *pos, sim_err *err) {
    if (is_long && !in_full(last_word(av), "help"))
        return err_set(err, SIM_EUSAGE, "%.60s: unknown option for '%s' (options are spelled "
                       "in full: --help)", last_word(av), cmd->name);
    pos->help = 1;
    return SIM_OK;
}

sim_status opt_parse(const opt_cmd *cmd, int argc, char **argv, void *args, opt_pos *pos,
                     sim_err *err) {
    struct option lo[OPT_SPECS_MAX + 2];
    char shorts[3 * OPT_SPECS_MAX + 4];
    unsigned char seen[OPT_SPECS_MAX] = {0};
    build(cmd, lo, shorts);
    *pos = (opt_pos){argv + 2, 0, 0};
    sim_status st = defaults(cmd, args, err);
    int ac = argc - 1, c, li = -1;
    char **av = argv + 1;   /* av[0], the command word, stands where getopt wants a name */
    optind = 0;             /* glibc: start afresh, reading the mode from shorts again */
    opterr = 0;
    while (st == SIM_OK && !pos->help && ac > 1 &&
           (c = getopt_long(ac, av, shorts, lo, &li)) != -1) {
        int r = row_of(cmd, c), is_long = li >= 0;
        li = -1;
        if (c == 1) pos->v[pos->n++] = optarg;   /* moved forward, never past its own slot */
        else if (c == 'h') st = help(cmd, is_long, av, pos, err);
        else if (c == '?' || c == ':') st = bad_option(cmd, av, c, err);
        else if (r >= 0) st = take(cmd, r, is_long, av, args, err), seen[r] = 1;
    }
    if (st != SIM_OK || pos->help) return st;
    while (optind > 0 && optind < ac) pos->v[pos->n++] = av[optind++];   /* after "--" */
    return complete(cmd, seen, pos, err);
}

int opt_help_asked(int argc, char *const *argv) {
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) return 0;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) return 1;
    }
    return 0;
}
