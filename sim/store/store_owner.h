/* sim/store/store_owner.h - who writes a results database: the writer's identity (process id,
 * host, start token) recorded with every 'running' run and every sweep lock, the check
 * whether such a writer is still alive, the marking of runs left 'running' by a writer that
 * is gone as 'stale', and the lock that keeps a second process from writing the same sweep
 * (docs/sweeps.md, docs/results.md). Internal to sim/store/: the layer above calls the
 * store.h functions. Prefix store_owner_. */
#ifndef SIM_STORE_OWNER_H
#define SIM_STORE_OWNER_H

#include <sqlite3.h>
#include <stdint.h>

#include "err.h"

typedef struct store_owner {
    long pid;
    char host[256];
    char token[96];   /* "boot id:start time in clock ticks" of the process; "" unknown */
} store_owner;

/* This process: getpid(), gethostname() and its start token from /proc (or ""). */
void store_owner_self(store_owner *o);

/* Whether o's process still runs: 1 alive, 0 gone (same host, and kill(pid, 0) says there
 * is no such process, or the process of that pid has another start token, so the pid was
 * reused or the host rebooted), -1 unknown (another host). */
int store_owner_alive(const store_owner *o);

/* Marks every 'running' run whose recorded writer is gone (store_owner_alive 0) as 'stale'
 * (finished_at now); runs without a recorded writer and those of another host are left.
 * *marked (may be NULL) counts them. SIM_EDB on error. */
sim_status store_owner_mark_stale(sqlite3 *db, const char *path, int64_t *marked, sim_err *err);

/* Takes the lock of sweep sweep_id (a sweep_locks row holding this process's identity), in
 * one IMMEDIATE transaction. A lock held by a live process (or one on another host) is
 * refused: SIM_EDB, the message names the holder and what to do; one held by a process that
 * is gone is taken over. Taking a lock this process holds is allowed. */
sim_status store_owner_lock(sqlite3 *db, const char *path, int64_t sweep_id, const char *name,
                            sim_err *err);

/* Drops the lock of sweep sweep_id when this process holds it. 0 on an SQLite error. */
int store_owner_unlock(sqlite3 *db, int64_t sweep_id);

#endif
