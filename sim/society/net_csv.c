/* sim/society/net_csv.c - a tie layer read from a CSV edge list ("source,target" per line; format
 * and errors in net.h, net_read_csv). The ties are collected, then built by net_from_ties. */
#include "net_build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "pop.h"
#include "scn_ini.h"
#include "text.h"

enum {
    CSV_LINE_MAX = 1024,   /* limit on a line's length, in bytes */
    CSV_CHUNK = 1 << 16,   /* bytes read at a time; the stop flag is looked at between */
    CSV_SHOW = 40          /* bytes of a field shown in a message */
};

/* The file, read a chunk at a time and handed out a line at a time. */
typedef struct csv_reader {
    FILE *f;
    const char *path;
    volatile sig_atomic_t *stop;
    uint64_t ln;                    /* number of the line last handed out */
    sim_status st;                  /* why reading stopped early */
    size_t len, pos;                /* bytes in buf, and the next one to hand out */
    char buf[CSV_CHUNK];
    char line[CSV_LINE_MAX + 1];    /* the current line, NUL-terminated */
} csv_reader;

/* The next chunk into r->buf: its length, 0 at the end (or a read error, ferror), or -1
 * with r->st SIM_EINTR when the stop flag is set. */
static long refill(csv_reader *r, sim_err *err) {
    if (r->stop && *r->stop) {
        r->st = err_set(err, SIM_EINTR, "edge list %s: reading stopped at line %llu (interrupted)",
                r->path, (unsigned long long)r->ln + 1);
        return -1;
    }
    r->pos = 0;
    r->len = fread(r->buf, 1, sizeof r->buf, r->f);
    return (long)r->len;
}

/* A line over CSV_LINE_MAX (its first CSV_LINE_MAX bytes in r->line): binary junk is named
 * as such (a file of NUL bytes is one long line), else the length. Returns -1. */
static int too_long(csv_reader *r, sim_err *err) {
    char why[160];
    unsigned long long ln = r->ln + 1;
    if (!scn_ini_text_ok(r->line, CSV_LINE_MAX - 3, why, sizeof why))   /* 3: a cut character */
        r->st = err_set(err, SIM_ESCENARIO, "%s:%llu: %s", r->path, ln, why);
    else
        r->st = err_set(err, SIM_ESCENARIO, "%s:%llu: line longer than %d characters",
                        r->path, ln, CSV_LINE_MAX);
    return -1;
}

/* The next line, without its line end (and a trailing CR), into r->line, *n bytes (NULs
 * included: they are refused later, never taken as its end). Returns 1, 0 at the end of
 * the file, or -1 with r->st and err set: a line over CSV_LINE_MAX, or stopped. */
static int next_line(csv_reader *r, size_t *n, sim_err *err) {
    size_t k = 0;
    int any = 0;
    for (;;) {
        if (r->pos == r->len) {
            long got = refill(r, err);
            if (got < 0) return -1;
            if (got == 0) break;
        }
        const char *p = r->buf + r->pos, *nl = memchr(p, '\n', r->len - r->pos);
        size_t take = nl ? (size_t)(nl - p) : r->len - r->pos;
        any = 1;
        if (k + take > CSV_LINE_MAX) {
            memcpy(r->line + k, p, CSV_LINE_MAX - k);
            return too_long(r, err);
        }
        memcpy(r->line + k, p, take);
        k += take, r->pos += take + (nl != NULL);
        if (nl) break;
    }
    if (!any) return 0;
    r->ln++;
    if (k > 0 && r->line[k - 1] == '\r') k--;
    r->line[k] = '\0';
    *n = k;
    return 1;
}

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
    char show[CSV_SHOW + 1];   /* the field as shown: cut at a whole character, escaped */
    text_safe(show, sizeof show, f, TEXT_ONE_LINE);
    if (f[0] == '-' && f[1] >= '0' && f[1] <= '9')
        return err_set(err, SIM_ESCENARIO, "%s:%llu: %s id %s is negative (ids are "
                       "0-based)", path, line, field, show);
    if (!*f || strspn(f, "0123456789") != strlen(f))
        return err_set(err, SIM_ESCENARIO, "%s:%llu: %s \"%s\" is not a non-negative "
                       "integer id", path, line, field, show);
    for (const char *p = f; *p && v <= UINT32_MAX; p++) v = v * 10 + (unsigned)(*p - '0');
    if (v >= count)
        return err_set(err, SIM_ESCENARIO, "%s:%llu: %s id %s is out of range: the layer "
                       "has %u members (ids 0..%lld)", path, line, field, show, count,
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

/* Refuses a line that is not text: NUL, control bytes (tab and CR aside), invalid UTF-8.
 * Line 1 may start with a UTF-8 byte order mark, which is skipped. Returns the text. */
static char *text_of(csv_reader *r, size_t n, sim_status *st, sim_err *err) {
    char *s = r->line, why[160];
    if (r->ln == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3, n -= 3;
    if (scn_ini_text_ok(s, n, why, sizeof why)) return s;
    *st = err_set(err, SIM_ESCENARIO, "%s:%llu: %s", r->path, (unsigned long long)r->ln, why);
    return NULL;
}

/* Reads every line of r, ties into b (NULL: only checked), counting them in *lines. */
static sim_status read_ties(csv_reader *r, uint32_t first, uint32_t count, net_ties *b,
                            uint64_t *lines, sim_err *err) {
    int seen = 0, got;
    size_t n;
    sim_status st = SIM_OK;
    while ((got = next_line(r, &n, err)) > 0) {
        char *s = text_of(r, n, &st, err);
        if (!s) return st;
        s = trim(s);
        if (!*s || *s == '#' || (!seen++ && is_header(s))) continue;
        uint32_t id[2];
        if ((st = parse_line(s, r->path, r->ln, count, id, err)) != SIM_OK) return st;
        if (b && !net_ties_push(b, first + id[0], first + id[1]))
            return net_oom(err, "an edge list", b->cap * 16);
        (*lines)++;
    }
    return got < 0 ? r->st : SIM_OK;
}

/* Opens path into *f for reading if it is a regular file (a device such as /dev/zero, a
 * pipe or a directory is refused before anything is read). */
static sim_status open_regular(const char *path, FILE **f, sim_err *err) {
    struct stat sb;
    if (!(*f = fopen(path, "rb")))
        return err_set(err, SIM_EIO, "cannot open edge list %s: %s", path, strerror(errno));
    if (fstat(fileno(*f), &sb) == 0 && S_ISREG(sb.st_mode)) return SIM_OK;
    fclose(*f);
    *f = NULL;
    return err_set(err, SIM_ESCENARIO, "edge list %s is not a regular file (a device, pipe "
                   "or directory cannot be read as an edge list)", path);
}

/* Reads the edge list at path: ties into b (NULL: only checked), lines counted. */
static sim_status read_file(const char *path, uint32_t first, uint32_t count,
                            volatile sig_atomic_t *stop, net_ties *b, uint64_t *lines,
                            sim_err *err) {
    csv_reader *r = calloc(1, sizeof *r);
    if (!r) return net_oom(err, "an edge list reader", sizeof *r);
    r->path = path, r->stop = stop;
    sim_status st = open_regular(path, &r->f, err);
    if (st == SIM_OK) st = read_ties(r, first, count, b, lines, err);
    if (st == SIM_OK && ferror(r->f))
        st = err_set(err, SIM_EIO, "cannot read edge list %s", path);
    if (r->f) fclose(r->f);
    free(r);
    return st;
}

sim_status net_check_csv(const char *path, uint32_t count, volatile sig_atomic_t *stop,
                         uint64_t *lines, sim_err *err) {
    *lines = 0;
    return read_file(path, 0, count, stop, NULL, lines, err);
}

void net_csv_range(const scenario *sc, scn_layer_id id, uint32_t *n, uint32_t *first,
                   uint32_t *count) {
    uint32_t persons = (uint32_t)sc->population.persons, firms = pop_firm_count(sc);
    *n = persons + firms;
    *first = id == LAYER_PARTNER ? persons : 0;
    *count = id == LAYER_SOCIAL || id == LAYER_FAMILY || id == LAYER_PARENT ? persons
           : id == LAYER_PARTNER ? firms : *n;
}

sim_status net_read_csv_stop(net_t **out, const char *path, uint32_t n, uint32_t first,
                             uint32_t count, int directed, volatile sig_atomic_t *stop,
                             net_stats *stats, sim_err *err) {
    *out = NULL;
    if (stats) memset(stats, 0, sizeof *stats);
    sim_status st = net_check_range("csv", n, first, count, err);
    if (st != SIM_OK) return st;
    net_ties b = {0};
    uint64_t lines = 0;
    st = read_file(path, first, count, stop, &b, &lines, err);
    if (st == SIM_OK) st = net_from_ties(out, n, directed, b.src, b.dst, b.k, stats, err);
    if (st == SIM_OK && stats) stats->lines = lines;
    net_ties_free(&b);
    return st;
}

sim_status net_read_csv(net_t **out, const char *path, uint32_t n, uint32_t first,
                        uint32_t count, int directed, net_stats *stats, sim_err *err) {
    return net_read_csv_stop(out, path, n, first, count, directed, NULL, stats, err);
}
