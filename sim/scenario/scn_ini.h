/* sim/scenario/scn_ini.h - the one INI line reader, shared by scenario files (scenario.c) and
 * experiment files (sweep.c): whole files read into memory (no silent cut: a file over the
 * limit is an error), and inih fed one checked line at a time, so that every refused line is
 * an error naming its file and line. Prefix scn_ini_. */
#ifndef SIM_SCN_INI_H
#define SIM_SCN_INI_H

#include <stddef.h>

enum { SCN_INI_LINE_MAX = 199 };   /* longest accepted line, without its line end */

typedef struct scn_ini {
    const char *data;   /* borrowed: the text */
    size_t      len, pos;
    int         line;   /* number of the line last handed over (1-based; 0 before) */
    char        why[160];   /* why the last line was refused; "" when the text ended */
} scn_ini;

/* Starts reading data[0..len-1]. */
void scn_ini_start(scn_ini *r, const char *data, size_t len);

/* An inih line reader (ini_reader, stream = r): copies the next line into str (num bytes),
 * without its line end, left-trimmed (so inih never sees a continuation line) and without a
 * UTF-8 byte order mark on line 1. Returns NULL at the end of the text, or for a refused
 * line with r->why set: longer than SCN_INI_LINE_MAX characters (or num - 1), a NUL or other
 * control byte, invalid UTF-8. */
char *scn_ini_next(char *str, int num, void *r);

/* Whether s[0..n-1] is text a line may hold: no NUL or other control byte (tab and CR
 * allowed), valid UTF-8. Returns 1, or 0 with why (nwhy bytes) naming the byte and column.
 * Also for --set overrides, which reach scn_write's output as lines. */
int scn_ini_text_ok(const char *s, size_t n, char *why, size_t nwhy);

/* Reads the whole file at path (at most max bytes) into *data (malloc'd, NUL-terminated,
 * *len bytes; the caller frees). Returns 0, or -1 with why (n bytes) saying what failed. */
int scn_ini_read_file(const char *path, size_t max, char **data, size_t *len, char *why,
                      size_t n);

/* Keys seen so far in a file, for refusing a key given twice in one section (experiment
 * files; scenario files check through their key table). */
typedef struct scn_ini_seen {
    char  **key;    /* "section\nkey", malloc'd */
    int    *line;   /* where each was first given */
    size_t  n, cap;
} scn_ini_seen;

/* Records key of section sec, given on line. Returns 0 when it is new, the line where it was
 * given before when it repeats (then nothing is recorded), -1 when out of memory. A key
 * ending in '+' (from "key += value", an append) is never a repeat: returns 0. */
int scn_ini_seen_add(scn_ini_seen *s, const char *sec, const char *key, int line);

/* Frees what s holds and empties it. */
void scn_ini_seen_free(scn_ini_seen *s);

#endif
