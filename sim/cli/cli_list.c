/* sim/cli/cli_list.c - `scsim list`: the scenario library with the one-line summary of each file,
 * read from its header comment ("; PATH - SUMMARY", continued until the first bare ";"; the
 * first sentence of it). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_cmds.h"
#include "text.h"

const opt_cmd CLI_LIST = {
    .name = "list", .args = "[DIR]", .min_args = 0, .max_args = 1,
    .summary = "the scenario library (default: scenarios) with a summary of each",
    .about =
    "Lists the scenario files in DIR (default: scenarios) and in its subfolders, one level\n"
    "down, sorted, with the summary from each file's header comment. Files with an\n"
    "[experiment] section are sweeps (scsim sweep FILE); the others are scenarios (scsim run\n"
    "FILE). Exit code 4 when DIR cannot be read.\n"};

enum { SUMMARY_MAX = 512 };

/* The first sentence of a header "; PATH - SUMMARY" (continued over ';' lines up to a bare
 * ';') and whether the file has an [experiment] section. Empty summary when there is no
 * such header. */
static void read_header(FILE *f, char *sum, size_t n, int *sweep) {
    char line[1024];
    int in_sum = 1, first = 1;
    size_t len = 0;
    sum[0] = '\0';
    *sweep = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "[experiment]", 12) == 0) *sweep = 1;
        if (!in_sum) continue;
        const char *t = line[0] == ';' ? line + 1 + (line[1] == ' ') : NULL;
        if (first) {
            const char *dash = t ? strstr(t, " - ") : NULL;
            t = dash ? dash + 3 : NULL;
            first = 0;
        }
        if (!t || !*t) { in_sum = 0; continue; }
        int w = snprintf(sum + len, n - len, "%s%s", len ? " " : "", t);
        if (w < 0 || (size_t)w >= n - len) in_sum = 0;
        else len += (size_t)w;
    }
    for (char *c = sum; (c = strpbrk(c, ".?")) != NULL; c++)   /* the first sentence */
        if (c[1] == ' ') { c[1] = '\0'; break; }
}

static int is_ini(const struct dirent *e) {
    size_t k = strlen(e->d_name);
    return e->d_name[0] != '.' && k > 4 && strcmp(e->d_name + k - 4, ".ini") == 0;
}

static int is_subdir(const struct dirent *e) { return e->d_name[0] != '.'; }

/* Prints the .ini files of dir; 0, or -1 when dir cannot be read. */
static int list_dir(const char *dir) {
    struct dirent **e;
    int n = scandir(dir, &e, is_ini, alphasort);
    if (n < 0) return -1;
    for (int i = 0; i < n; i++) {
        char path[4096], sum[SUMMARY_MAX];
        int sweep = 0;
        snprintf(path, sizeof path, "%s/%s", dir, e[i]->d_name);
        FILE *f = fopen(path, "r");
        if (f) read_header(f, sum, sizeof sum, &sweep), fclose(f);
        else snprintf(sum, sizeof sum, "(cannot read)");
        char *sp = text_safe_dup(path, TEXT_ONE_LINE), *ss = text_safe_dup(sum, TEXT_ONE_LINE);
        printf("  %-40s %-8s %s\n", sp ? sp : "?", sweep ? "sweep" : "scenario", ss ? ss : "?");
        free(sp);   /* file names and their text: no controls on the terminal */
        free(ss);
        free(e[i]);
    }
    free(e);
    return 0;
}

sim_status cli_list(int argc, char **argv, sim_err *err) {
    opt_pos pos;
    sim_status rc = opt_parse(&CLI_LIST, argc, argv, NULL, &pos, err);
    if (rc == SIM_OK && pos.help) opt_help(&CLI_LIST, stdout);
    if (rc != SIM_OK || pos.help) return rc;
    const char *dir = pos.n ? pos.v[0] : "scenarios";
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return err_set(err, SIM_EIO, "list: cannot read folder %s (give the scenario folder: "
                       "scsim list DIR)", dir);
    printf("  %-40s %-8s %s\n", "file", "kind", "summary");
    if (list_dir(dir) < 0)
        return err_set(err, SIM_EIO, "list: cannot read folder %s (give the scenario folder: "
                       "scsim list DIR)", dir);
    struct dirent **sub;
    int n = scandir(dir, &sub, is_subdir, alphasort);
    for (int i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, sub[i]->d_name);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) list_dir(path);
        free(sub[i]);
    }
    if (n >= 0) free(sub);
    return SIM_OK;
}
