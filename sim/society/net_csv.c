/* sim/society/net_csv.c - a tie layer read from a CSV edge list ("source,target" per line; format
 * and errors in net.h, net_read_csv). The ties are collected, then built by net_from_ties. */
#include "net_build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { CSV_LINE_MAX = 1024 };   /* limit on a line's length, in characters */


static char *trim(char *s) {
    s += strspn(s, " \t");
    size_t len = strlen(s);
    while (len && strchr(" \t\r\n", s[len - 1])) s[--len] = '\0';
    return s;
}

/* Whether trimmed line s is the header "source,target" (any case, blanks around fields). */
static int is_header(const char *s) {
    if (strncasecmp(s, "source", 6)) return 0;
    s += 6;
    s += strspn(s, " \t");
    if (*s++ != ',') return 0;
    s += strspn(s, " \t");
    return !strcasecmp(s, "target");
}

static sim_status parse_id(const char *f, const char *field, const char *path, uint64_t ln,
                           uint32_t count, uint32_t *id, sim_err *err) {
    unsigned long long line = ln, v = 0;
    if (f[0] == '-' && f[1] >= '0' && f[1] <= '9')
        return err_set(err, SIM_ESCENARIO, "%s:%llu: %s id %.40s is negative (ids are "
                       "0-based)", path, line, field, f);
    if (!*f || strspn(f, "0123456789") != strlen(f))
        return err_set(err, SIM_ESCENARIO, "%s:%llu: %s \"%.40s\" is not a non-negative "
                       "integer id", path, line, field, f);
    for (const char *p = f; *p && v <= UINT32_MAX; p++) v = v * 10 + (unsigned)(*p - '0');
    if (v >= count)
        return err_set(err, SIM_ESCENARIO, "%s:%llu: %s id %.40s is out of range: the layer "
                       "has %u members (ids 0..%lld)", path, line, field, f, count,
                       (long long)count - 1);
    *id = (uint32_t)v;
    return SIM_OK;
}

static sim_status parse_line(char *s, const char *path, uint64_t ln, uint32_t count,
                             uint32_t id[2], sim_err *err) {
    char *f[2] = {s, NULL};
    int nf = 1;
    for (char *p = s; *p; p++)
        if (*p == ',') {
            *p = '\0';
            if (nf++ == 1) f[1] = p + 1;
        }
    if (nf != 2)
        return err_set(err, SIM_ESCENARIO, "%s:%llu: expected 2 fields \"source,target\", "
                       "found %d", path, (unsigned long long)ln, nf);
    sim_status st = parse_id(trim(f[0]), "source", path, ln, count, &id[0], err);
    return st != SIM_OK ? st : parse_id(trim(f[1]), "target", path, ln, count, &id[1], err);
}

static sim_status read_ties(FILE *f, const char *path, uint32_t first, uint32_t count,
                            net_ties *b, uint64_t *lines, sim_err *err) {
    char buf[CSV_LINE_MAX + 3];
    int seen = 0;
    for (uint64_t ln = 1; fgets(buf, sizeof buf, f); ln++) {
        size_t len = strlen(buf);
        if (len == sizeof buf - 1 && buf[len - 1] != '\n' && getc(f) != EOF)
            return err_set(err, SIM_ESCENARIO, "%s:%llu: line longer than %d characters",
                           path, (unsigned long long)ln, CSV_LINE_MAX);
        char *s = trim(buf);
        if (!*s || *s == '#' || (!seen++ && is_header(s))) continue;
        uint32_t id[2];
        sim_status st = parse_line(s, path, ln, count, id, err);
        if (st != SIM_OK) return st;
        if (!net_ties_push(b, first + id[0], first + id[1]))
            return net_oom(err, "an edge list", b->cap * 16);
        (*lines)++;
    }
    return SIM_OK;
}

sim_status net_read_csv(net_t **out, const char *path, uint32_t n, uint32_t first,
                        uint32_t count, int directed, net_stats *stats, sim_err *err) {
    *out = NULL;
    if (stats) memset(stats, 0, sizeof *stats);
    sim_status st = net_check_range("csv", n, first, count, err);
    if (st != SIM_OK) return st;
    FILE *f = fopen(path, "r");
    if (!f) return err_set(err, SIM_EIO, "cannot open edge list %s: %s", path, strerror(errno));
    net_ties b = {0};
    uint64_t lines = 0;
    st = read_ties(f, path, first, count, &b, &lines, err);
    if (st == SIM_OK && ferror(f)) st = err_set(err, SIM_EIO, "cannot read edge list %s", path);
    fclose(f);
    if (st == SIM_OK) st = net_from_ties(out, n, directed, b.src, b.dst, b.k, stats, err);
    if (st == SIM_OK && stats) stats->lines = lines;
    net_ties_free(&b);
    return st;
}
