/* sim/cli/mpi_main.c - scsim-mpi: a sweep over MPI ranks (make mpi).
 *
 *   mpirun -np N build/scsim-mpi sweep EXPERIMENT.ini --out DB [--threads T] [--quiet]
 *
 * The sweep executor (sim/experiment/exec.h) with MPI ranks as its transport: rank 0 is the
 * master (prepares the database as `scsim sweep` does, resume included, hands out the
 * pending tasks one at a time, registers each run and stores its results), ranks 1..N-1
 * are the workers (build and run the scenario of each task, send the packed results). This
 * file supplies only the send and receive; the library does not link MPI. Every run is a
 * pure function of its scenario and replicate, so the database holds the same run contents
 * as a local sweep. Needs N >= 2. Exit codes as scsim's. */
#include <gsl/gsl_errno.h>
#include <mpi.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "opt.h"
#include "sweep.h"
#include "text.h"

typedef struct mpi_args {
    const char *file, *out;
    int threads, quiet;
    int replicates;   /* --replicates; 0: the experiment file's */
} mpi_args;

static const opt_spec MPI_OPTS[] = {
    {.name = "out", .kind = OPT_PATH, .metavar = "DB", .off = offsetof(mpi_args, out),
     .flags = OPT_REQUIRED, .help = "results database, written by rank 0"},
    {.name = "threads", .kind = OPT_INT, .metavar = "T", .lo = 0, .hi = 1024, .def = "1",
     .off = offsetof(mpi_args, threads), .help = "OpenMP threads of each simulating rank"},
    {.name = "quiet", .kind = OPT_FLAG, .off = offsetof(mpi_args, quiet),
     .help = "no line per run"},
    {.name = "replicates", .kind = OPT_INT, .metavar = "N", .lo = 1, .hi = 100000,
     .off = offsetof(mpi_args, replicates),
     .help = "runs per design point instead of the file's (as scsim sweep --replicates)"},
};

static const opt_cmd MPI_SWEEP = {
    .prog = "mpirun -np N scsim-mpi", .name = "sweep", .args = "EXPERIMENT.ini",
    .min_args = 1, .max_args = 1,
    .about = "Runs a sweep (docs/sweeps.md) over N MPI ranks: rank 0 hands out runs and writes "
             "DB,\nranks 1..N-1 simulate (T OpenMP threads each). Resumes like scsim sweep.\n",
    .opts = MPI_OPTS, .nopts = sizeof MPI_OPTS / sizeof *MPI_OPTS};

static sim_status parse(mpi_args *a, int argc, char **argv, sim_err *err) {
    *a = (mpi_args){NULL, NULL, 1, 0, 0};
    if (argc < 2 || strcmp(argv[1], "sweep"))
        return err_set(err, SIM_EUSAGE, "expected: scsim-mpi sweep EXPERIMENT.ini --out DB");
    opt_pos pos;
    sim_status st = opt_parse(&MPI_SWEEP, argc, argv, a, &pos, err);
    if (st == SIM_OK) a->file = pos.v[0];
    return st;
}

/* The MPI transport of the sweep executor (exec.h): rank 0 is the master, rank w + 1 is
 * worker w; one tag, byte messages. */
enum { TAG_MSG = 1 };

static sim_status mpi_send(void *ctx, int to, const void *buf, size_t len, sim_err *err) {
    int dest = *(const int *)ctx == 0 ? to + 1 : 0;
    if (len > 2147483647u)
        return err_set(err, SIM_ERUN, "a message of %zu bytes is too large for MPI", len);
    if (MPI_Send(buf, (int)len, MPI_BYTE, dest, TAG_MSG, MPI_COMM_WORLD) != MPI_SUCCESS)
        return err_set(err, SIM_ERUN, "MPI_Send to rank %d failed", dest);
    return SIM_OK;
}

static sim_status mpi_recv(void *ctx, int *from, void **buf, size_t *len, sim_err *err) {
    int src = *(const int *)ctx == 0 ? MPI_ANY_SOURCE : 0, n = 0;
    MPI_Status ms;
    *from = -1;
    *buf = NULL;
    if (MPI_Probe(src, TAG_MSG, MPI_COMM_WORLD, &ms) != MPI_SUCCESS)
        return err_set(err, SIM_ERUN, "MPI_Probe failed");
    MPI_Get_count(&ms, MPI_BYTE, &n);
    if (!(*buf = malloc(n > 0 ? (size_t)n : 1)))
        return err_set(err, SIM_ENOMEM, "out of memory receiving a message");
    MPI_Recv(*buf, n, MPI_BYTE, ms.MPI_SOURCE, TAG_MSG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    *len = (size_t)n;
    *from = ms.MPI_SOURCE - 1;
    return SIM_OK;
}

static void on_event(void *ctx, const exec_event *ev) {
    const sweep_job *j = ctx;
    if (ev->kind == EXEC_RUN)
        fprintf(stderr, "scsim-mpi: sweep %s: task %llu: run %lld done on rank %d in %.2f s\n",
                j->sp.name, (unsigned long long)ev->task, (long long)ev->run_id, ev->worker + 1,
                ev->wall_seconds);
}

static sim_status coordinate(sweep_job *j, const mpi_args *a, int nranks, sim_err *err) {
    int rank = 0;
    exec_link link = {mpi_send, mpi_recv, &rank, nranks - 1, NULL};
    exec_opts o = {a->out, 1, 1, a->threads, NULL, a->quiet ? NULL : on_event, j};
    exec_result res;
    double t0 = MPI_Wtime();
    sim_status st = exec_run(j, &o, &link, &res, err);
    if (st == SIM_OK)
        printf("sweep %s: %llu runs done in %.1f s over %d ranks: %s\n", j->sp.name,
               (unsigned long long)res.done, MPI_Wtime() - t0, nranks, a->out);
    return st;
}

/* Ranks 1..N-1: run what rank 0 sends. */
static void worker(const sweep_job *j, const mpi_args *a, int rank) {
    exec_link link = {mpi_send, mpi_recv, &rank, 0, NULL};
    sim_err err = {{0}};
    if (exec_serve(j, &link, a->threads, NULL, &err) != SIM_OK)
        fprintf(stderr, "scsim-mpi: rank %d: %s\n", rank, err.msg);
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    gsl_set_error_handler_off();
    int rank = 0, nranks = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);
    sim_err err = {{0}};
    mpi_args a;
    sweep_job j;
    memset(&j, 0, sizeof j);
    sim_status st = SIM_OK;
    if (opt_help_asked(argc, argv)) {
        if (rank == 0) opt_help(&MPI_SWEEP, stdout);
        MPI_Finalize();
        return 0;
    }
    st = parse(&a, argc, argv, &err);
    if (st == SIM_OK && nranks < 2)
        st = err_set(&err, SIM_EUSAGE, "scsim-mpi needs at least 2 ranks (mpirun -np 2 or more)");
    if (st == SIM_OK) st = sweep_job_load(&j, a.file, &err);
    if (st == SIM_OK && a.replicates)   /* every rank: workers map tasks with it too */
        st = sweep_job_set_replicates(&j, a.replicates, &err);
    const char *inputs[] = {a.file, j.sp.scenario};
    if (st == SIM_OK) st = opt_check_outputs("--out", a.out, inputs, 2, &err);
    int code = err_exit_code(st), worst = 0;
    MPI_Allreduce(&code, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (worst == 0) {
        if (rank == 0) st = coordinate(&j, &a, nranks, &err);
        else worker(&j, &a, rank);
    }
    sweep_job_free(&j);
    char safe[4 * ERR_MSG_MAX + 1];   /* messages quote files and databases: no controls */
    if (rank == 0 && st != SIM_OK)
        fprintf(stderr, "scsim-mpi: %s\n", text_safe(safe, sizeof safe, err.msg,
                                                     TEXT_KEEP_LINES));
    code = rank == 0 ? err_exit_code(st) : worst;
    MPI_Finalize();
    return worst ? worst : code;
}
