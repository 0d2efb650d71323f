/* sim/scenario/scn_ini.c - the one INI line reader (scn_ini.h). */
#include "scn_ini.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_keys.h"

void scn_ini_start(scn_ini *r, const char *data, size_t len) {
    memset(r, 0, sizeof *r);
    r->data = data;
    r->len = len;
}

int scn_ini_read_file(const char *path, size_t max, char **data, size_t *len, char *why,
                      size_t n) {
    FILE *f = fopen(path, "rb");
    sbuf b = {0};
    if (!f) { snprintf(why, n, "cannot open %s: %s", path, strerror(errno)); return -1; }
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= max)
        scn_sb_put(&b, chunk, got);
    int bad = ferror(f);
    fclose(f);
    if (bad || b.oom || b.len > max) {
        if (bad || b.oom)
            snprintf(why, n, "cannot read %s: %s", path, bad ? "read error" : "out of memory");
        else snprintf(why, n, "cannot read %s: larger than the limit of %zu bytes", path, max);
        free(b.s);
        return -1;
    }
    *len = b.len;
    *data = scn_sb_take(&b);
    if (!*data) snprintf(why, n, "cannot read %s: out of memory", path);
    return *data ? 0 : -1;
}

static size_t utf8_len(const unsigned char *p, size_t n) {
    unsigned b = p[0];
    size_t len = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3
               : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
    if (len == 0 || len > n) return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    if ((b == 0xE0 && p[1] < 0xA0) || (b == 0xED && p[1] > 0x9F) ||
        (b == 0xF0 && p[1] < 0x90) || (b == 0xF4 && p[1] > 0x8F)) return 0;
    return len;
}

int scn_ini_text_ok(const char *s, size_t n, char *why, size_t nwhy) {
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t len = p[i] < 0x80 ? 1 : utf8_len(p + i, n - i);
        if (p[i] == 0)
            snprintf(why, nwhy, "NUL byte at column %zu; is this a text file?", i + 1);
        else if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\r') || p[i] == 0x7F)
            snprintf(why, nwhy, "control character 0x%02x at column %zu; is this a text "
                     "file?", p[i], i + 1);
        else if (len == 0)
            snprintf(why, nwhy, "invalid UTF-8 (byte 0x%02x) at column %zu; is this a text "
                     "file?", p[i], i + 1);
        else {
            i += len;
            continue;
        }
        return 0;
    }
    return 1;
}

/* Refuses over-long lines, NUL and other control bytes, and invalid UTF-8: 0 with why. */
static int check_line(scn_ini *r, const char *s, size_t n, int num) {
    if (n > SCN_INI_LINE_MAX || (int)n + 1 > num) {
        snprintf(r->why, sizeof r->why, "line is %zu characters long; the limit is %d", n,
                 num - 1 < SCN_INI_LINE_MAX ? num - 1 : SCN_INI_LINE_MAX);
        return 0;
    }
    return scn_ini_text_ok(s, n, r->why, sizeof r->why);
}

char *scn_ini_next(char *str, int num, void *stream) {
    scn_ini *r = stream;
    r->why[0] = '\0';
    if (r->pos >= r->len) return NULL;
    size_t s = r->pos, e = s;
    while (e < r->len && r->data[e] != '\n') e++;
    r->pos = e < r->len ? e + 1 : e;
    r->line++;
    size_t n = e - s;
    const char *p = r->data + s;
    if (n > 0 && p[n - 1] == '\r') n--;
    if (!check_line(r, p, n, num)) return NULL;
    if (r->line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3, n -= 3;
    while (n > 0 && (*p == ' ' || *p == '\t')) p++, n--;
    memcpy(str, p, n);
    str[n] = '\0';
    return str;
}

int scn_ini_seen_add(scn_ini_seen *s, const char *sec, const char *key, int line) {
    size_t kl = strlen(key), sl = strlen(sec);
    if (kl > 0 && key[kl - 1] == '+') return 0;
    for (size_t i = 0; i < s->n; i++)
        if (strncmp(s->key[i], sec, sl) == 0 && s->key[i][sl] == '\n' &&
            strcmp(s->key[i] + sl + 1, key) == 0)
            return s->line[i];
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        char **k = realloc(s->key, cap * sizeof *k);
        if (!k) return -1;
        s->key = k;
        int *l = realloc(s->line, cap * sizeof *l);
        if (!l) return -1;
        s->line = l, s->cap = cap;
    }
    char *e = malloc(sl + kl + 2);
    if (!e) return -1;
    memcpy(e, sec, sl);
    e[sl] = '\n';
    memcpy(e + sl + 1, key, kl + 1);
    s->key[s->n] = e, s->line[s->n++] = line;
    return 0;
}

void scn_ini_seen_free(scn_ini_seen *s) {
    for (size_t i = 0; i < s->n; i++) free(s->key[i]);
    free(s->key);
    free(s->line);
    memset(s, 0, sizeof *s);
}
