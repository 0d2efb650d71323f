/* sim/cli/main.c - entry point of scsim (built with SCSIM_CORE) and of scsim-ui: cli.h. */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "text.h"

#ifdef SCSIM_CORE
/* A command that draws or serves runs in scsim-ui, the build of scsim with cairo, pango,
 * libmicrohttpd and jansson, from this binary's folder, with the same arguments (the
 * process keeps its id, signals and open files). Returns when it cannot: no such file, or
 * execv failed; cli_run then refuses the command, naming scsim-ui. */
static void run_in_ui(int argc, char **argv) {
    const cli_command *c = argc >= 2 ? cli_find(argv[1]) : NULL;
    if (!c || !c->ui) return;
    char self[PATH_MAX], ui[PATH_MAX + 16];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0) return;
    self[len] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash) return;
    slash[1] = '\0';
    if (snprintf(ui, sizeof ui, "%sscsim-ui", self) >= (int)sizeof ui || access(ui, X_OK) != 0)
        return;
    execv(ui, argv);
}
#endif

int main(int argc, char **argv) {
#ifdef SCSIM_CORE
    run_in_ui(argc, argv);
#endif
    gsl_set_error_handler_off();   /* GSL errors come back as codes */
    /* Every allocation of 128 KiB or more gets its own mapping, returned to the system when
     * freed. glibc's default raises this threshold after the first large free, so a run's
     * large temporaries (the layer build, the summary) stayed in the heap, resident after
     * they were freed: RSM-1 at 10^6 peaked 20 MB higher (docs/performance.md). */
    if (!getenv("XMAL")) mallopt(M_MMAP_THRESHOLD, 128 * 1024);
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
