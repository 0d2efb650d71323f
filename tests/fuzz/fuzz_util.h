/* tests/fuzz/fuzz_util.h - helpers shared by the libFuzzer targets (docs/testing.md): a
 * private temporary file per process that holds the current input. */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The path of this process's temporary file NAME (in TMPDIR or /tmp), into buf. */
static inline void fuzz_tmp_path(char *buf, size_t n, const char *name) {
    const char *dir = getenv("TMPDIR");
    snprintf(buf, n, "%s/scsim-fuzz-%ld-%s", dir && *dir ? dir : "/tmp", (long)getpid(), name);
}

/* Writes data to path (replacing it); 0 on success. */
static inline int fuzz_write_file(const char *path, const uint8_t *data, size_t size) {
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t w = size ? fwrite(data, 1, size, f) : 0;
    return (fclose(f) != 0 || w != size) ? -1 : 0;
}

/* A NUL-ended copy of data (malloc'd; abort on failure: the fuzzer cannot go on). */
static inline char *fuzz_strndup(const uint8_t *data, size_t size) {
    char *s = malloc(size + 1);
    if (!s) abort();
    if (size) memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
