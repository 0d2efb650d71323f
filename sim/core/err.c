/* sim/core/err.c - status codes and error messages. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

sim_status err_set(sim_err *err, sim_status st, const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return st;
}

void err_prefix(sim_err *err, const char *fmt, ...) {
    if (!err) return;
    char head[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    size_t h = strlen(head), old = strnlen(err->msg, sizeof err->msg - 1);
    if (h > sizeof err->msg - 1) h = sizeof err->msg - 1;
    if (h + old > sizeof err->msg - 1) old = sizeof err->msg - 1 - h;
    memmove(err->msg + h, err->msg, old);
    memcpy(err->msg, head, h);
    err->msg[h + old] = '\0';
}

const char *err_name(sim_status st) {
    switch (st) {
    case SIM_OK: return "ok";
    case SIM_ERUN: return "run failed";
    case SIM_EUSAGE: return "usage error";
    case SIM_ESCENARIO: return "scenario error";
    case SIM_EIO: return "I/O error";
    case SIM_EDB: return "database error";
    case SIM_ENOMEM: return "out of memory";
    case SIM_EINTR: return "interrupted";
    }
    return "unknown error";
}

int err_exit_code(sim_status st) {
    switch (st) {
    case SIM_OK: return 0;
    case SIM_EUSAGE: return 2;
    case SIM_ESCENARIO: return 3;
    case SIM_EIO: return 4;
    case SIM_EDB: return 5;
    case SIM_EINTR: return 130;
    default: return 1;
    }
}
