/* sim/store/store_owner.c - writer identity, liveness, stale runs and sweep locks
 * (store_owner.h). */
#define _GNU_SOURCE
#include "store_owner.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The start token of process pid: boot id and start time (field 22 of /proc/PID/stat, after
 * the command name in parentheses, which may hold spaces); "" when /proc cannot tell. */
static void start_token(long pid, char *out, size_t n) {
    char path[64], buf[1024], boot[64] = "";
    out[0] = 0;
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
    if (f) {
        if (!fgets(boot, sizeof boot, f)) boot[0] = 0;
        fclose(f);
    }
    boot[strcspn(boot, "\n")] = 0;
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    if (!(f = fopen(path, "r"))) return;
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = 0;
    char *p = strrchr(buf, ')');
    for (int field = 2; p && field < 22; field++) p = strchr(p + 1, ' ');
    if (p) snprintf(out, n, "%s:%llu", boot, strtoull(p + 1, NULL, 10));
}

void store_owner_self(store_owner *o) {
    o->pid = (long)getpid();
    if (gethostname(o->host, sizeof o->host) != 0) snprintf(o->host, sizeof o->host, "?");
    o->host[sizeof o->host - 1] = 0;
    start_token(o->pid, o->token, sizeof o->token);
}

int store_owner_alive(const store_owner *o) {
    store_owner me;
    store_owner_self(&me);
    if (strcmp(me.host, o->host) != 0) return -1;
    if (o->pid <= 0 || (kill((pid_t)o->pid, 0) != 0 && errno == ESRCH)) return 0;
    char now[sizeof o->token];
    start_token(o->pid, now, sizeof now);
    return !(o->token[0] && now[0] && strcmp(now, o->token) != 0);
}

static void now_iso(char *buf, size_t n) {
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void copy_col(char *dst, size_t n, sqlite3_stmt *q, int c) {
    const unsigned char *v = sqlite3_column_text(q, c);
    snprintf(dst, n, "%s", v ? (const char *)v : "");
}

/* The owner held in columns c, c+1, c+2 (pid, host, token) of q's row. */
static void read_owner(sqlite3_stmt *q, int c, store_owner *o) {
    o->pid = (long)sqlite3_column_int64(q, c);
    copy_col(o->host, sizeof o->host, q, c + 1);
    copy_col(o->token, sizeof o->token, q, c + 2);
}

static sim_status fail(sqlite3 *db, const char *path, const char *what, sim_err *err) {
    return err_set(err, SIM_EDB, "database %s: %s: %s", path, what, sqlite3_errmsg(db));
}

sim_status store_owner_mark_stale(sqlite3 *db, const char *path, int64_t *marked, sim_err *err) {
    sqlite3_stmt *q = NULL, *u = NULL;
    char now[32];
    int64_t n = 0;
    now_iso(now, sizeof now);
    int ok = sqlite3_prepare_v2(db, "SELECT run_id, pid, host, start_token FROM runs WHERE "
                                "status = 'running' AND pid IS NOT NULL", -1, &q, NULL) ==
             SQLITE_OK;
    int rc = SQLITE_DONE;
    while (ok && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        store_owner o;
        read_owner(q, 1, &o);
        if (store_owner_alive(&o) != 0) continue;
        if (!u && sqlite3_prepare_v2(db, "UPDATE runs SET status = 'stale', finished_at = ? "
                                     "WHERE run_id = ? AND status = 'running'", -1, &u,
                                     NULL) != SQLITE_OK)
            break;
        sqlite3_bind_text(u, 1, now, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(u, 2, sqlite3_column_int64(q, 0));
        ok = sqlite3_step(u) == SQLITE_DONE && sqlite3_reset(u) == SQLITE_OK;
        n += ok;
    }
    ok = ok && rc == SQLITE_DONE;
    sqlite3_finalize(q);
    sqlite3_finalize(u);
    if (marked) *marked = n;
    return ok ? SIM_OK : fail(db, path, "marking stale runs", err);
}

/* The lock row of sweep_id: 1 with *o and *since, 0 none, -1 error. */
static int find_lock(sqlite3 *db, int64_t sweep_id, store_owner *o, char *since, size_t n) {
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, "SELECT pid, host, start_token, started_at FROM sweep_locks "
                           "WHERE sweep_id = ?", -1, &q, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(q, 1, sweep_id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) read_owner(q, 0, o), copy_col(since, n, q, 3);
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int put_lock(sqlite3 *db, int64_t sweep_id, const store_owner *me) {
    sqlite3_stmt *q = NULL;
    char now[32];
    now_iso(now, sizeof now);
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO sweep_locks VALUES(?,?,?,?,?)", -1, &q,
                           NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(q, 1, sweep_id);
    sqlite3_bind_int64(q, 2, me->pid);
    sqlite3_bind_text(q, 3, me->host, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, me->token, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, now, -1, SQLITE_TRANSIENT);
    int ok = sqlite3_step(q) == SQLITE_DONE;
    sqlite3_finalize(q);
    return ok;
}

static sim_status refuse(const char *path, int64_t sweep_id, const char *name,
                         const store_owner *o, const char *since, int alive, sim_err *err) {
    if (alive > 0)
        return err_set(err, SIM_EDB, "database %s: sweep \"%s\" is being written by process "
                       "%ld on this host (since %s): wait for it to end, then run the same "
                       "command again to resume", path, name, o->pid, since);
    return err_set(err, SIM_EDB, "database %s: sweep \"%s\" is locked by process %ld on host "
                   "%s (since %s), which this host cannot check: if that process is gone, "
                   "remove its lock with sqlite3 %s \"DELETE FROM sweep_locks WHERE "
                   "sweep_id = %lld\" and run again", path, name, o->pid, o->host, since, path,
                   (long long)sweep_id);
}

sim_status store_owner_lock(sqlite3 *db, const char *path, int64_t sweep_id, const char *name,
                            sim_err *err) {
    store_owner me, o;
    char since[32] = "";
    store_owner_self(&me);
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, path, "locking the sweep", err);
    int found = find_lock(db, sweep_id, &o, since, sizeof since);
    int mine = found == 1 && o.pid == me.pid && !strcmp(o.host, me.host) &&
               !strcmp(o.token, me.token);
    int alive = found == 1 && !mine ? store_owner_alive(&o) : 0;
    sim_status st = SIM_OK;
    if (found < 0) st = fail(db, path, "reading sweep_locks", err);
    else if (alive != 0) st = refuse(path, sweep_id, name, &o, since, alive, err);
    else if (!put_lock(db, sweep_id, &me)) st = fail(db, path, "writing sweep_locks", err);
    if (st == SIM_OK && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        st = fail(db, path, "locking the sweep", err);
    if (st != SIM_OK) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

int store_owner_unlock(sqlite3 *db, int64_t sweep_id) {
    store_owner me;
    store_owner_self(&me);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, "DELETE FROM sweep_locks WHERE sweep_id = ? AND pid = ? AND "
                           "host = ? AND start_token = ?", -1, &q, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(q, 1, sweep_id);
    sqlite3_bind_int64(q, 2, me.pid);
    sqlite3_bind_text(q, 3, me.host, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, me.token, -1, SQLITE_STATIC);
    int ok = sqlite3_step(q) == SQLITE_DONE;
    sqlite3_finalize(q);
    return ok;
}
