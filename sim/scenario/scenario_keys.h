/* sim/scenario/scenario_keys.h - INTERNAL to the scenario module: shared by sim/scenario/scenario.c (loading),
 * sim/scenario/scenario_keys.c (the key table, words, names, defaults, reading one value) and
 * sim/scenario/scenario_out.c (show and JSON) only. Not part of the public API; every other file
 * includes scenario.h. Functions and objects carry the scn_ prefix; the types and enum
 * constants below are seen by these three files only and keep their short names. */
#ifndef SIM_SCENARIO_KEYS_H
#define SIM_SCENARIO_KEYS_H

#include <stddef.h>

#include "scenario.h"

/* Section kinds, in output order. Layers, agencies and rules are named sections with
 * several instances; the others have one. */
typedef enum sec_kind {
    SEC_POPULATION, SEC_LAYER, SEC_AGENCY, SEC_SCORING, SEC_LISTS, SEC_SPILLOVER,
    SEC_SANCTION, SEC_JOINT, SEC_REDRESS, SEC_INSPECTION, SEC_BEHAVIOUR, SEC_RUN,
    SEC_COLLECT, SEC_RETENTION,
    SEC_SHARE,
    SEC_COMMERCIAL,   /* issue 13 item 4 */
    SEC_SEVERITY,
    SEC_NKINDS
} sec_kind;
extern const char *const scn_sec_names[SEC_NKINDS];   /* "population", "layer", ... */

typedef enum ktype { K_INT, K_I64, K_U64, K_DBL, K_BOOL, K_ENUM, K_LIST, K_GRADES, K_PATH,
                     K_NAMES } ktype;   /* K_NAMES: text of comma-separated [a-z0-9_] names */
enum { F_LO_OPEN = 1, F_HI_OPEN = 2, F_REQUIRED = 4, F_FILL1 = 8 };

/* A value word of an enum or boolean key; tables end with {NULL, 0}. */
typedef struct word { const char *w; int v; } word;

/* One key: where it lives, its type and range, its default (as text, parsed like input)
 * and a one-line meaning. Parsing, checks, show, JSON, docs and suggestions use this. */
typedef struct key_desc {
    sec_kind    sec;
    const char *name;
    ktype       type;
    size_t      off;      /* offset in the section's struct */
    size_t      size;     /* size of the field (lists: capacity * sizeof(double)) */
    double      lo, hi;   /* range (lists, grades: of each entry) */
    int         flags;
    const word *words;    /* K_ENUM */
    const char *def;
    const char *doc;
} key_desc;

/* Every key, grouped by section in output order: scn_keys[0 .. NKEYS-1]. NKEYS sizes the
 * loader's tables; a static assertion in scenario_keys.c checks it against the table, so
 * adding a key means raising it, and documenting it in docs/ODD.md 7.7 (a test checks). */
enum { NKEYS = 165 };
extern const key_desc scn_keys[];

/* The four default agencies: scn_default_agencies[a] is the name followed by the values of
 * the keys named in scn_agency_cols. */
enum { NDEFAULT_AGENCIES = 4, NAGENCY_COLS = 9 };
extern const char *const scn_agency_cols[NAGENCY_COLS];
extern const char *const scn_default_agencies[NDEFAULT_AGENCIES][NAGENCY_COLS + 1];

/* Whether a and b (3 or more characters each) differ by one slip of the keyboard: one letter
 * more or less, or two neighbours swapped. The reader takes a new section named so for a
 * typo of a declared one; the writer avoids writing what the reader would refuse. */
int scn_one_slip(const char *a, const char *b);

/* A growing string; oom is set (and further output dropped) when an allocation fails.
 * Start from {0}. */
typedef struct sbuf { char *s; size_t len, cap; int oom; } sbuf;

void scn_sb_put(sbuf *b, const char *p, size_t n);
void scn_sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Takes the buffer's string (an empty string when nothing was added); NULL when OOM. */
char *scn_sb_take(sbuf *b);

/* Copies s without leading and trailing blanks into out (n bytes); 0 if it does not fit. */
int scn_trim_copy(const char *s, size_t len, char *out, size_t n);

/* The word for value v in table w, or "?". */
const char *scn_word_of(const word *w, int v);

/* Shortest decimal text that reads back as exactly v. */
void scn_fmt_double(double v, char *buf, size_t n);

/* What key k accepts, for messages and `show`: "integer 1 .. 2000000000",
 * "number 0 < x < 1", "one of a, b", ... */
void scn_allowed(const key_desc *k, char *buf, size_t n);

/* Named sections: layer (fixed names), agency, spillover, sanction, joint. For these,
 * scn_sec_count is the number of instances and scn_sec_max the capacity; every other section
 * has one instance. scn_sec_name is a user-named instance's name field (NULL for layers and
 * single sections). */
int scn_sec_named(int sec);
int scn_sec_count(const scenario *sc, int sec);
int scn_sec_max(int sec);
char *scn_sec_name(const scenario *sc, int sec, int inst);

/* The struct that holds section sec's instance inst in sc. */
void *scn_sec_base(const scenario *sc, int sec, int inst);

/* Splits a K_NAMES value into names: calls fn(ctx, name) for each (trimmed, non-empty) and
 * stops at the first nonzero return, which it returns; 0 when all were accepted. */
int scn_each_name(const char *v, int (*fn)(void *ctx, const char *name), void *ctx);

/* Value words of lists, layers and reach, for resolving K_NAMES values. */
int scn_list_word(const char *w);     /* list index, or -1 */
int scn_kind_word(const char *w);     /* scn_kind, or -1 */
int scn_layer_word(const char *w);    /* layer index, or -1 */
int scn_reach_word(const char *w);    /* REACH_* bit, or 0 */
extern const char *const scn_reach_words;   /* "self, household, ..." for messages */

/* "population", "layer.social", "agency.courts", "spillover.NAME". */
void scn_sec_label(const scenario *sc, int sec, int inst, char *buf, size_t n);

/* Reading one value of key k. Each returns 1 and stores the value, or returns 0 with why
 * (n bytes) saying what is wrong; the range is k's. */
int scn_read_double(const char *s, const key_desc *k, double *out, char *why, size_t n);
/* K_INT, K_I64, K_U64, K_DBL: a number into the field at dst. */
int scn_set_number(const key_desc *k, void *dst, const char *v, char *why, size_t n);
/* K_NAMES: the text (checked for its characters and length) into the char array at dst. */
int scn_set_names(const key_desc *k, char *dst, const char *v, char *why, size_t n);
/* K_BOOL, K_ENUM: one of k->words, its value into the int at dst. */
int scn_set_word(const key_desc *k, void *dst, const char *v, char *why, size_t n);
/* K_GRADES: `AAA:1050 A:1000 ...`, names of 1..7 characters [A-Za-z0-9+-], cut-offs strictly
 * descending; sets s->ngrades, grade_name and grade_min. */
int scn_set_grades(const key_desc *k, scn_scoring *s, const char *v, char *why, size_t n);

/* Timeline (scenario_timeline.c): whether an instance of section kind sec may be added by a
 * change (sanctions and joint punishment rows). */
int scn_tl_new_allowed(int sec);
/* scenario_out.c: the timeline's changes as [at.STEP] sections (INI), or as the JSON value
 * of "timeline" (an array of {"step": N, "changes": {"section.key": value, ...}}). */
void scn_tl_write(sbuf *b, const scenario *sc, int json);

#endif
