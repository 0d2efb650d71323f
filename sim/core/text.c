/* sim/core/text.c - text from outside made safe to show (text.h). */
#include "text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The length of the valid UTF-8 character at s (1 .. 4) with its code point in *cp, or 0
 * when s does not start one (a stray, overlong, surrogate or out-of-range sequence). */
static size_t utf8_char(const unsigned char *s, uint32_t *cp) {
    static const uint32_t lowest[5] = {0, 0, 0x80, 0x800, 0x10000};
    size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
               : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0) return 0;
    uint32_t c = len == 1 ? s[0] : s[0] & (0x7F >> len);
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80) return 0;
        c = c << 6 | (s[k] & 0x3F);
    }
    if (c < lowest[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *cp = c;
    return len;
}

/* Whether code point c is shown as an escape. */
static int escaped(uint32_t c, int flags) {
    if (c == '\n' || c == '\t') return !(flags & TEXT_KEEP_LINES);
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x061C || c == 0x200E ||
           c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

char *text_safe(char *dst, size_t n, const char *src, int flags) {
    const unsigned char *s = (const unsigned char *)(src ? src : "");
    size_t out = 0;
    dst[0] = '\0';
    while (*s) {
        uint32_t c = 0;
        size_t len = utf8_char(s, &c);
        char esc[12];
        const char *piece = (const char *)s;
        size_t plen = len;
        if (len == 0)   /* a byte that is not UTF-8 */
            plen = (size_t)snprintf(esc, sizeof esc, "\\x%02X", s[0]), piece = esc, len = 1;
        else if (escaped(c, flags))
            plen = (size_t)snprintf(esc, sizeof esc, c < 0x80 ? "\\x%02X" : "\\u%04X",
                                    (unsigned)c), piece = esc;
        if (out + plen + 1 > n) break;   /* whole characters and escapes only */
        memcpy(dst + out, piece, plen);
        out += plen;
        s += len;
    }
    dst[out] = '\0';
    return dst;
}

char *text_safe_dup(const char *src, int flags) {
    size_t n = 4 * strlen(src ? src : "") + 1;   /* an escape is at most 4 x its bytes */
    char *dst = malloc(n);
    return dst ? text_safe(dst, n, src, flags) : NULL;
}
