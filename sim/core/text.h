/* sim/core/text.h - text from outside this process (databases, scenario and experiment
 * files, file names) made safe to show on a terminal or in a figure. Prefix text_.
 *
 * A database or a file can hold ESC sequences that repaint a terminal or set its title, BEL,
 * carriage returns that hide what came before, and Unicode bidirectional controls
 * (U+202E RIGHT-TO-LEFT OVERRIDE) that make a PDF caption read backwards. Every command
 * passes such text through text_safe (or text_safe_dup) before it prints or draws it, so
 * those characters appear as visible escapes instead. */
#ifndef SIM_TEXT_H
#define SIM_TEXT_H

#include <stddef.h>

enum {
    TEXT_ONE_LINE = 0,    /* newline and tab escaped too (a table cell, a message) */
    TEXT_KEEP_LINES = 1   /* newline and tab kept (a paragraph, a figure's text) */
};

/* Copies src (NULL reads as "") into dst, n bytes (n >= 1), always NUL-terminated, with
 * every character that could steer a terminal or a renderer shown as an escape: C0
 * controls and DEL as \xHH (newline and tab kept with TEXT_KEEP_LINES), C1 controls and the
 * bidirectional formatting characters (U+061C, U+200E-U+200F, U+202A-U+202E,
 * U+2066-U+2069) as \uHHHH, and each byte that is not part of valid UTF-8 as \xHH. Other
 * text is copied as it is. Cut short at a whole character or escape when dst is too small.
 * Returns dst. Cost: O(strlen(src)). */
char *text_safe(char *dst, size_t n, const char *src, int flags);

/* As text_safe into a new string large enough for all of src (at most 4 x its length + 1
 * bytes); the caller frees it. NULL when out of memory. */
char *text_safe_dup(const char *src, int flags);

#endif
