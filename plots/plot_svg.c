/* plots/plot_svg.c - stable ids in cairo's SVG output.
 *
 * cairo 1.16 names <g id="surfaceN"> and <image id="imageN"> after a process-wide surface
 * counter, so the same figure rendered twice would differ in N. Before the SVG is written,
 * each such id (where it follows `id="` or `#`, which base64 data never contain) is
 * renumbered 1, 2, ... in order of first appearance, per prefix. */
#include "plot_impl.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_IDS = 256 };

typedef struct idmap {
    const char *prefix;
    size_t n;
    unsigned long old[MAX_IDS];
} idmap;

/* The new number of old id v; 0 when the table is full (the id is then left alone). */
static size_t renumber(idmap *m, unsigned long v) {
    for (size_t i = 0; i < m->n; i++) if (m->old[i] == v) return i + 1;
    if (m->n == MAX_IDS) return 0;
    m->old[m->n++] = v;
    return m->n;
}

/* Length of "<prefix><digits>" at s (0 if none), the number in *v. */
static size_t id_at(const char *s, const char *end, const char *prefix, unsigned long *v) {
    size_t lp = strlen(prefix), n = lp;
    if ((size_t)(end - s) <= lp || memcmp(s, prefix, lp) != 0) return 0;
    *v = 0;
    while (s + n < end && s[n] >= '0' && s[n] <= '9' && n < lp + 9) *v = *v * 10 + (unsigned long)(s[n++] - '0');
    return n > lp ? n : 0;
}

static int after_ref(const char *s, const char *start) {
    return (s - start >= 1 && s[-1] == '#') || (s - start >= 4 && memcmp(s - 4, "id=\"", 4) == 0);
}

int plot_svg_write_i(const char *buf, size_t len, FILE *f) {
    idmap maps[2] = {{"surface", 0, {0}}, {"image", 0, {0}}};
    const char *end = buf + len, *done = buf;
    for (const char *s = buf; s < end; s++) {
        if ((*s != 's' && *s != 'i') || !after_ref(s, buf)) continue;
        for (int k = 0; k < 2; k++) {
            unsigned long v;
            size_t n = id_at(s, end, maps[k].prefix, &v), id = n ? renumber(&maps[k], v) : 0;
            if (!id) continue;
            if (fwrite(done, 1, (size_t)(s - done), f) != (size_t)(s - done)) return 0;
            if (fprintf(f, "%s%zu", maps[k].prefix, id) < 0) return 0;
            done = s + n;
            s = done - 1;
            break;
        }
    }
    return fwrite(done, 1, (size_t)(end - done), f) == (size_t)(end - done);
}
