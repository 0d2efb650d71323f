/* sim/cli/opt_help.c - a command's --help, generated from its option table (opt.h). */
#include "opt.h"

#include <string.h>

enum { LABEL_MAX = 26 };   /* an option label longer than this puts its help on the next line */

/* Writes text from column col (already reached on the current line) with words wrapped at
 * OPT_HELP_WIDTH, continuation lines indented to indent; "\n" in text starts a new line.
 * Returns the column reached. */
static int put_wrapped(FILE *out, const char *text, int col, int indent) {
    int fresh = col <= indent;   /* nothing written on this line yet after the indent */
    for (const char *p = text; *p;) {
        if (*p == '\n' || *p == ' ') {
            if (*p++ == '\n') col = fprintf(out, "\n%*s", indent, "") - 1, fresh = 1;
            continue;
        }
        int len = (int)strcspn(p, " \n");
        if (!fresh && col + 1 + len > OPT_HELP_WIDTH)
            col = fprintf(out, "\n%*s", indent, "") - 1, fresh = 1;
        col += fprintf(out, "%s%.*s", fresh ? "" : " ", len, p);
        fresh = 0;
        p += len;
    }
    return col;
}

/* The value part of row o: its metavar, or its words as a|b|c; "" for a flag. */
static void value_of(const opt_spec *o, char *buf, size_t n) {
    buf[0] = '\0';
    if (o->kind == OPT_FLAG) return;
    if (o->kind != OPT_CHOICE || !o->words) {
        snprintf(buf, n, " %s", o->metavar ? o->metavar : "VALUE");
        return;
    }
    for (const opt_word *w = o->words; w->w; w++) {
        size_t len = strlen(buf);
        snprintf(buf + len, n - len, "%s%s", w == o->words ? " " : "|", w->w);
    }
}

/* "-o, --out DB" or "--out DB". */
static void label_of(const opt_spec *o, char *buf, size_t n) {
    char v[128];
    value_of(o, v, sizeof v);
    if (o->short_name) snprintf(buf, n, "-%c, --%s%s", o->short_name, o->name, v);
    else snprintf(buf, n, "--%s%s", o->name, v);
}

/* The usage line: the command, its positional arguments and every current option. */
static void usage_line(const opt_cmd *cmd, FILE *out) {
    char head[160];
    snprintf(head, sizeof head, "usage: %s %s%s%s", cmd->prog ? cmd->prog : "scsim", cmd->name,
             cmd->args ? " " : "", cmd->args ? cmd->args : "");
    int indent = (int)strlen(head) + 1, col = fprintf(out, "%s", head);
    for (size_t i = 0; i < cmd->nopts; i++) {
        const opt_spec *o = &cmd->opts[i];
        if (o->flags & OPT_DEPRECATED) continue;
        char v[128], item[200];
        value_of(o, v, sizeof v);
        int req = o->flags & OPT_REQUIRED, rep = o->kind == OPT_LIST || o->repeat;
        if (req && o->short_name) snprintf(item, sizeof item, "-%c%s", o->short_name, v);
        else snprintf(item, sizeof item, "%s--%s%s%s%s", req ? "" : "[", o->name, v,
                      req ? "" : "]", rep ? "..." : "");
        int len = (int)strlen(item);
        if (col + 1 + len > OPT_HELP_WIDTH) col = fprintf(out, "\n%*s", indent - 1, "") - 1;
        col += fprintf(out, " %s", item);
    }
    fputc('\n', out);
}

/* Column where the options' help starts: after the longest label, within LABEL_MAX. */
static int help_column(const opt_cmd *cmd) {
    int w = (int)strlen("-h, --help");
    for (size_t i = 0; i < cmd->nopts; i++) {
        char l[200];
        label_of(&cmd->opts[i], l, sizeof l);
        int len = (int)strlen(l);
        if (len <= LABEL_MAX && len > w) w = len;
    }
    return 2 + w + 2;
}

static void option_entry(const opt_spec *o, int column, FILE *out) {
    char label[200];
    label_of(o, label, sizeof label);
    int col = fprintf(out, "  %s", label);
    if (col + 2 > column) col = fprintf(out, "\n") - 1;
    col += fprintf(out, "%*s", column - col, "");
    if (o->flags & OPT_DEPRECATED) col = put_wrapped(out, "(deprecated)", col, column);
    col = put_wrapped(out, o->help ? o->help : "", col, column);
    if (o->def) {   /* kept on one line */
        char d[160];
        int len = snprintf(d, sizeof d, "(default: %s)", o->def);
        if (col > column && col + 1 + len > OPT_HELP_WIDTH)
            col = fprintf(out, "\n%*s", column, "") - 1;
        fprintf(out, "%s%s", col > column ? " " : "", d);
    }
    fputc('\n', out);
}

void opt_help(const opt_cmd *cmd, FILE *out) {
    usage_line(cmd, out);
    if (cmd->about) fprintf(out, "\n%s", cmd->about);
    fputs("\noptions:\n", out);
    int column = help_column(cmd);
    for (size_t i = 0; i < cmd->nopts; i++) option_entry(&cmd->opts[i], column, out);
    fprintf(out, "  %-*s%s\n", column - 2, "-h, --help", "this help");
    if (cmd->after) fprintf(out, "\n%s", cmd->after);
}
