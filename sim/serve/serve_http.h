/* sim/serve/serve_http.h - the libmicrohttpd callbacks of the explorer (serve_http.c), for
 * serve.c, which starts the daemon. Prefix sv_http_. */
#ifndef SIM_SERVE_HTTP_H
#define SIM_SERVE_HTTP_H

#include <microhttpd.h>

/* The access handler; cls is the serve_t. Bodies above SV_BODY_MAX get 413. */
enum MHD_Result sv_http_handler(void *cls, struct MHD_Connection *c, const char *url,
                                const char *method, const char *version,
                                const char *upload, size_t *upload_size, void **con_cls);

/* Frees a request's state when it ends. */
void sv_http_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                       enum MHD_RequestTerminationCode toe);

#endif
