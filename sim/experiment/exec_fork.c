/* sim/experiment/exec_fork.c - the forked-workers transport of the sweep executor (exec.h):
 * one socket pair per worker process, messages framed by their length. */
#include "exec.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

enum { JOBS_MAX = 1024 };

enum { POLL_MS = 100 };   /* how often the master looks at the stop flag while it waits */

typedef struct forked {
    int    n;
    int    fd[JOBS_MAX];      /* master's end per worker; -1 once closed */
    pid_t  pid[JOBS_MAX];
    int    mine;              /* worker side: its own end */
    volatile sig_atomic_t *stop;   /* the caller's stop flag (may be NULL) */
    volatile sig_atomic_t *halt;   /* shared with the workers (their runs' stop flag) */
} forked;

/* Once the caller's stop flag is set (a signal reached this process), passes it on to every
 * worker through the shared page: their runs stop at the next step (stored as
 * 'interrupted'), whatever signal handlers they have. */
static void pass_stop(forked *f) {
    if (f->stop && *f->stop && !*f->halt) *f->halt = 1;
}

static int put_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t w = send(fd, p, len, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w, len -= (size_t)w;
    }
    return 0;
}

static int get_all(int fd, void *buf, size_t len) {
    char *p = buf;
    while (len > 0) {
        ssize_t r = read(fd, p, len);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        p += r, len -= (size_t)r;
    }
    return 0;
}

static sim_status frame_send(int fd, const void *buf, size_t len, sim_err *err) {
    uint64_t n = len;
    if (put_all(fd, &n, sizeof n) != 0 || put_all(fd, buf, len) != 0)
        return err_set(err, SIM_ERUN, "sending to a worker process: %s",
                       errno ? strerror(errno) : "closed");
    return SIM_OK;
}

static sim_status frame_recv(int fd, void **buf, size_t *len, sim_err *err) {
    uint64_t n = 0;
    *buf = NULL;
    if (get_all(fd, &n, sizeof n) != 0)
        return err_set(err, SIM_ERUN, "a worker process ended unexpectedly");
    if (!(*buf = malloc(n ? n : 1))) return err_set(err, SIM_ENOMEM, "out of memory");
    if (get_all(fd, *buf, n) != 0) {
        free(*buf), *buf = NULL;
        return err_set(err, SIM_ERUN, "a worker process ended in the middle of a message");
    }
    *len = n;
    return SIM_OK;
}

static sim_status master_send(void *ctx, int to, const void *buf, size_t len, sim_err *err) {
    forked *f = ctx;
    return frame_send(f->fd[to], buf, len, err);
}

/* Waits for a message from any live worker. */
static sim_status master_recv(void *ctx, int *from, void **buf, size_t *len, sim_err *err) {
    forked *f = ctx;
    struct pollfd pf[JOBS_MAX];
    *from = -1;
    for (;;) {
        pass_stop(f);
        for (int w = 0; w < f->n; w++) pf[w] = (struct pollfd){f->fd[w], POLLIN, 0};
        int rc = poll(pf, (nfds_t)f->n, POLL_MS);
        if (rc == 0 || (rc < 0 && errno == EINTR)) continue;
        if (rc < 0) return err_set(err, SIM_ERUN, "waiting for the workers: %s", strerror(errno));
        for (int w = 0; w < f->n; w++)
            if (pf[w].revents) {
                *from = w;
                sim_status st = frame_recv(f->fd[w], buf, len, err);
                if (st != SIM_OK) close(f->fd[w]), f->fd[w] = -1;
                return st;
            }
    }
}

static void master_retire(void *ctx, int w) {
    forked *f = ctx;
    if (f->fd[w] >= 0) close(f->fd[w]);
    f->fd[w] = -1;
}

static sim_status worker_send(void *ctx, int to, const void *buf, size_t len, sim_err *err) {
    (void)to;
    return frame_send(((forked *)ctx)->mine, buf, len, err);
}

static sim_status worker_recv(void *ctx, int *from, void **buf, size_t *len, sim_err *err) {
    *from = -1;
    return frame_recv(((forked *)ctx)->mine, buf, len, err);
}

/* In worker w: keeps its own end, serves, and ends the process. */
static void be_worker(forked *f, int w, int other, const sweep_job *j, const exec_opts *o) {
    for (int v = 0; v < w; v++) close(f->fd[v]);
    close(other);
    f->mine = f->fd[w];
    exec_link link = {worker_send, worker_recv, f, 0, NULL};
    sim_err err = {{0}};
    sim_status st = exec_serve(j, &link, o->threads, f->halt, &err);
    _exit(st == SIM_OK ? 0 : 1);   /* the worker process ends here, never returns */
}

static int start(forked *f, int jobs, const sweep_job *j, const exec_opts *o) {
    pid_t master = getpid();
    for (f->n = 0; f->n < jobs; f->n++) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return -1;
        f->fd[f->n] = sv[0];
        pid_t pid = fork();
        if (pid == 0) {
            /* a worker dies with the master: SIGKILL when the master ends, and at once if it
             * ended before this line (then the worker was given to another parent) */
            if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != master) _exit(1);
            f->fd[f->n] = sv[1];
            be_worker(f, f->n, sv[0], j, o);
        }
        close(sv[1]);
        if (pid < 0) { close(sv[0]); return -1; }
        f->pid[f->n] = pid;
    }
    return 0;
}

sim_status exec_run_forked(sweep_job *j, const exec_opts *o, int jobs, exec_result *res,
                           sim_err *err) {
    *res = (exec_result){0, 0, 0};
    if (jobs < 1 || jobs > JOBS_MAX)
        return err_set(err, SIM_EUSAGE, "jobs %d: expected 1 .. %d", jobs, JOBS_MAX);
    forked *f = calloc(1, sizeof *f);
    if (!f) return err_set(err, SIM_ENOMEM, "out of memory");
    f->stop = o->stop;
    void *page = mmap(NULL, sizeof *f->halt, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                      -1, 0);
    if (page == MAP_FAILED) {
        free(f);
        return err_set(err, SIM_ENOMEM, "a page shared with the workers: %s", strerror(errno));
    }
    f->halt = page;
    *f->halt = o->stop ? *o->stop : 0;
    sim_status st = SIM_OK;
    if (start(f, jobs, j, o) != 0)
        st = err_set(err, SIM_ERUN, "could only start %d of %d workers: %s", f->n, jobs,
                     strerror(errno));
    exec_link link = {master_send, master_recv, f, f->n, master_retire};
    if (st == SIM_OK) st = exec_run(j, o, &link, res, err);
    for (int w = 0; w < f->n; w++) if (f->fd[w] >= 0) close(f->fd[w]);
    for (int w = 0; w < f->n; w++) while (waitpid(f->pid[w], NULL, 0) < 0 && errno == EINTR) {}
    munmap(page, sizeof *f->halt);
    free(f);
    return st;
}
