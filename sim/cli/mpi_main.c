/* sim/cli/mpi_main.c - scsim-mpi: a sweep over MPI ranks (make mpi).
 *
 *   mpirun -np N build/scsim-mpi sweep EXPERIMENT.ini --out DB [--threads T] [--quiet]
 *
 * Rank 0 plans the sweep, prepares the database exactly as `scsim sweep` does (resume
 * included), hands out the pending tasks one at a time to the ranks that ask, registers
 * each run when it hands it out and stores its results when they come back; ranks 1..N-1
 * build and run the scenario of each task and send the packed results. Every run is a pure
 * function of its scenario and replicate, so the database holds the same run contents as a
 * local sweep. Needs N >= 2. Exit codes as scsim's. */
#include <gsl/gsl_errno.h>
#include <mpi.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "opt.h"
#include "store.h"
#include "sweep.h"

enum { TAG_READY = 1, TAG_TASK = 2, TAG_RESULT = 3, TAG_FAILED = 4 };

typedef struct mpi_args {
    const char *file, *out;
    int threads, quiet;
} mpi_args;

static const opt_spec MPI_OPTS[] = {
    {.name = "out", .kind = OPT_PATH, .metavar = "DB", .off = offsetof(mpi_args, out),
     .flags = OPT_REQUIRED, .help = "results database, written by rank 0"},
    {.name = "threads", .kind = OPT_INT, .metavar = "T", .lo = 0, .hi = 1024, .def = "1",
     .off = offsetof(mpi_args, threads), .help = "OpenMP threads of each simulating rank"},
    {.name = "quiet", .kind = OPT_FLAG, .off = offsetof(mpi_args, quiet),
     .help = "no line per run"},
};

static const opt_cmd MPI_SWEEP = {
    .prog = "mpirun -np N scsim-mpi", .name = "sweep", .args = "EXPERIMENT.ini",
    .min_args = 1, .max_args = 1,
    .about = "Runs a sweep (docs/sweeps.md) over N MPI ranks: rank 0 hands out runs and writes "
             "DB,\nranks 1..N-1 simulate (T OpenMP threads each). Resumes like scsim sweep.\n",
    .opts = MPI_OPTS, .nopts = sizeof MPI_OPTS / sizeof *MPI_OPTS};

static sim_status parse(mpi_args *a, int argc, char **argv, sim_err *err) {
    *a = (mpi_args){NULL, NULL, 1, 0};
    if (argc < 2 || strcmp(argv[1], "sweep"))
        return err_set(err, SIM_EUSAGE, "expected: scsim-mpi sweep EXPERIMENT.ini --out DB");
    opt_pos pos;
    sim_status st = opt_parse(&MPI_SWEEP, argc, argv, a, &pos, err);
    if (st == SIM_OK) a->file = pos.v[0];
    return st;
}

/* Worker: asks for a task, runs it, sends the packed results (or a failure message). */
static void worker(const sweep_job *j, const mpi_args *a) {
    for (;;) {
        int64_t task = -1;
        MPI_Send(&task, 1, MPI_INT64_T, 0, TAG_READY, MPI_COMM_WORLD);
        MPI_Recv(&task, 1, MPI_INT64_T, 0, TAG_TASK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (task < 0) return;
        size_t p = (size_t)((uint64_t)task / (uint64_t)j->sp.replicates);
        int rep = (int)((uint64_t)task % (uint64_t)j->sp.replicates);
        sim_err err = {{0}};
        scenario sc;
        sim_t *s = NULL;
        void *buf = NULL;
        size_t len = 0;
        sim_opts o = {(uint64_t)rep, a->threads, NULL, NULL, NULL};
        sim_status st = sweep_job_scenario(j, p, &sc, &err);
        if (st == SIM_OK) {
            st = sim_new(&s, &sc, &o, &err);
            if (st == SIM_OK) st = sim_run(s, &err);
            if (st == SIM_OK) st = res_pack(sim_results(s), &buf, &len, &err);
            scn_free(&sc);
        }
        sim_free(s);
        if (st == SIM_OK) MPI_Send(buf, (int)len, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
        else MPI_Send(err.msg, (int)strlen(err.msg) + 1, MPI_CHAR, 0, TAG_FAILED, MPI_COMM_WORLD);
        free(buf);
    }
}

typedef struct flight {
    int64_t task, run_id;
    double  start;
} flight;

/* Rank 0 hands task k to rank src: registers the run, then sends k (-1: no more work). */
static sim_status hand_out(const sweep_job *j, store_t *db, int64_t sweep_id, uint64_t *next,
                           int src, flight *fl, int stopping, sim_err *err) {
    int64_t k = -1;
    while (!stopping && *next < j->tasks && j->done[*next]) (*next)++;
    sim_status st = SIM_OK;
    if (!stopping && *next < j->tasks) {
        k = (int64_t)(*next)++;
        size_t p = (size_t)((uint64_t)k / (uint64_t)j->sp.replicates);
        int rep = (int)((uint64_t)k % (uint64_t)j->sp.replicates);
        scenario sc;
        if ((st = sweep_job_scenario(j, p, &sc, err)) == SIM_OK) {
            char *json = scn_to_json(&sc);
            store_run info = {sc.name, sc.text, sc.overrides, json, sc.run.seed, sweep_id,
                              rep, (int64_t)p};
            st = json ? store_begin_run(db, &info, &fl[src].run_id, err)
                      : err_set(err, SIM_ENOMEM, "out of memory");
            free(json);
            scn_free(&sc);
        }
        if (st != SIM_OK) k = -1;
    }
    fl[src] = (flight){k, fl[src].run_id, MPI_Wtime()};
    MPI_Send(&k, 1, MPI_INT64_T, src, TAG_TASK, MPI_COMM_WORLD);
    return st;
}

/* Rank 0 receives rank src's results (or failure) and stores them in one transaction. */
static sim_status take_in(const sweep_job *j, const mpi_args *a, store_t *db, MPI_Status *ms,
                          flight *f, sim_err *err) {
    int len = 0;
    MPI_Get_count(ms, MPI_BYTE, &len);
    char *buf = malloc(len ? (size_t)len : 1);
    if (!buf) return err_set(err, SIM_ENOMEM, "out of memory receiving results");
    MPI_Recv(buf, len, MPI_BYTE, ms->MPI_SOURCE, ms->MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    double wall = MPI_Wtime() - f->start;
    res_t *r = NULL;
    sim_status st = SIM_OK;
    if (ms->MPI_TAG == TAG_FAILED) {
        st = err_set(err, SIM_ERUN, "rank %d, task %lld: %.*s", ms->MPI_SOURCE,
                     (long long)f->task, len, buf);
        store_finish_run(db, f->run_id, NULL, "failed", wall, NULL);
    } else if ((st = res_unpack(&r, buf, (size_t)len, err)) == SIM_OK &&
               (st = store_finish_run(db, f->run_id, r, "done", wall, err)) == SIM_OK &&
               !a->quiet) {
        fprintf(stderr, "scsim-mpi: sweep %s: task %lld: run %lld done on rank %d in %.2f s\n",
                j->sp.name, (long long)f->task, (long long)f->run_id, ms->MPI_SOURCE, wall);
    }
    res_free(r);
    free(buf);
    return st;
}

static sim_status coordinate(sweep_job *j, const mpi_args *a, int nranks, sim_err *err) {
    int64_t sweep_id = 0, removed = 0;
    sim_status st = sweep_job_prepare(j, a->out, &sweep_id, &removed, err), first = SIM_OK;
    store_t *db = NULL;
    if (st == SIM_OK) st = store_open(&db, a->out, err);
    flight *fl = calloc((size_t)nranks, sizeof *fl);
    if (st == SIM_OK && !fl) st = err_set(err, SIM_ENOMEM, "out of memory");
    uint64_t next = 0, handed = 0;
    double t0 = MPI_Wtime();
    int active = nranks - 1, stopping = st != SIM_OK;
    sim_err e = {{0}};
    while (active > 0) {
        MPI_Status ms;
        MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &ms);
        sim_status s = SIM_OK;
        if (ms.MPI_TAG == TAG_READY) {
            int64_t dummy;
            MPI_Recv(&dummy, 1, MPI_INT64_T, ms.MPI_SOURCE, TAG_READY, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            s = hand_out(j, db, sweep_id, &next, ms.MPI_SOURCE, fl, stopping, &e);
            if (fl[ms.MPI_SOURCE].task < 0) active--;   /* told to stop */
            else handed++;
        } else {
            s = take_in(j, a, db, &ms, &fl[ms.MPI_SOURCE], &e);
        }
        if (s != SIM_OK && first == SIM_OK) first = s, *err = e, stopping = 1;
    }
    if (st == SIM_OK && first == SIM_OK)
        printf("sweep %s: %llu runs done in %.1f s over %d ranks: %s\n", j->sp.name,
               (unsigned long long)handed, MPI_Wtime() - t0, nranks, a->out);
    store_close(db);
    free(fl);
    return st != SIM_OK ? st : first;
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
    int code = err_exit_code(st), worst = 0;
    MPI_Allreduce(&code, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (worst == 0) {
        if (rank == 0) st = coordinate(&j, &a, nranks, &err);
        else worker(&j, &a);
    }
    sweep_job_free(&j);
    if (rank == 0 && st != SIM_OK) fprintf(stderr, "scsim-mpi: %s\n", err.msg);
    code = rank == 0 ? err_exit_code(st) : worst;
    MPI_Finalize();
    return worst ? worst : code;
}
