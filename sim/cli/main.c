/* sim/cli/main.c - entry point of the scsim command. */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "text.h"

int main(int argc, char **argv) {
    gsl_set_error_handler_off();   /* GSL errors come back as codes */
    /* Every allocation of 128 KiB or more gets its own mapping, returned to the system when
     * freed. glibc's default raises this threshold after the first large free, so a run's
     * large temporaries (the layer build, the summary) stayed in the heap, resident after
     * they were freed: RSM-1 at 10^6 peaked 20 MB higher (docs/performance.md). */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    sim_err err = {{0}};
    sim_status st = cli_run(argc, argv, &err);
    /* what was printed must have reached its file: a full disk is not a success */
    if (st == SIM_OK && (fflush(stdout) != 0 || ferror(stdout)))
        st = err_set(&err, SIM_EIO, "cannot write the output: %s", strerror(errno ? errno : EIO));
    char safe[4 * ERR_MSG_MAX + 1];   /* messages quote files and databases: no controls */
    if (st != SIM_OK && err.msg[0])
        fprintf(stderr, "scsim: %s\n", text_safe(safe, sizeof safe, err.msg, TEXT_KEEP_LINES));
    return cli_exit_code(st);
}
