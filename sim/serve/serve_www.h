/* sim/serve/serve_www.h - the explorer's page files (sim/serve/www/), embedded into the binary
 * by sim/serve/embed.sh at build time. Prefix serve_www. */
#ifndef SIM_SERVE_WWW_H
#define SIM_SERVE_WWW_H

#include <stddef.h>

typedef struct serve_file {
    const char *path;            /* "/index.html", ...; NULL ends the table */
    const char *type;            /* Content-Type */
    const unsigned char *data;   /* the bytes (NUL after the last, not counted) */
    size_t len;
} serve_file;

/* Every embedded file, ended by a row with path NULL. Static data. */
extern const serve_file serve_www_files[];

#endif
