/* sim/core/err.h - status codes and error messages shared by every module. Prefix err_ / SIM_.
 *
 * A fallible function returns sim_status and, on failure, writes one sentence the user can
 * act on into a caller-owned sim_err. The library never prints and never exits; only the
 * CLI maps a status to an exit code (see cli_exit_code). */
#ifndef SIM_ERR_H
#define SIM_ERR_H

typedef enum sim_status {
    SIM_OK = 0,
    SIM_ERUN = 1,       /* the run failed (numerical trouble, refused as too large, ...) */
    SIM_EUSAGE = 2,     /* bad command line */
    SIM_ESCENARIO = 3,  /* bad scenario file, override or input data named by it */
    SIM_EIO = 4,        /* a file could not be read or written */
    SIM_EDB = 5,        /* the results database failed */
    SIM_ENOMEM = 6,     /* out of memory (exit code 1) */
    SIM_EINTR = 7       /* stopped by a signal (exit code 130) */
} sim_status;

enum { ERR_MSG_MAX = 1024 };

typedef struct sim_err {
    char msg[ERR_MSG_MAX];   /* last failure's message, NUL-terminated */
} sim_err;

/* Writes a printf-style message into err (which may be NULL) and returns st, so that
 * `return err_set(err, SIM_EINVAL, "...")` reads as one statement. */
sim_status err_set(sim_err *err, sim_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes err->msg with a printf-style context ("file.ini: " + old message). */
void err_prefix(sim_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The process exit code of a status: 0 ok, 1 run failed (and out of memory), 2 usage,
 * 3 scenario, 4 I/O, 5 database, 130 interrupted. */
int err_exit_code(sim_status st);

/* A short lowercase name for a status ("scenario error", ...). Never NULL. */
const char *err_name(sim_status st);

#endif
