#!/usr/bin/env python3
"""scripts/scsim_read.py - read an scsim results database (docs/results.md) in one call.

Standard library only (sqlite3); the functions return pandas DataFrames when pandas can be
imported (frame=None), else lists of dicts (one per row, column -> value).

    import sys; sys.path.insert(0, "scripts")
    import scsim_read
    runs = scsim_read.run_table("results/exs.db")            # pooled runs, one row each
    runs = scsim_read.run_table("results/exs.db", sweep="error-x-spillover")
    c = scsim_read.contrasts("results/exs.db", ref="baseline")  # scsim compare's rows

From the shell (CSV on stdout, every column of the view):
    python3 scripts/scsim_read.py results/exs.db [--sweep NAME] [--all] [--contrasts]

run_table is the wide view of schema 6: run_id, sweep_id, sweep, point, replicate,
scenario, label, seed, status, duplicate, overrides, varied_json, a column per varied
parameter (named by its scenario key, e.g. "spillover.partners.beta") and the headline
summary figures (persons, violations, violations_prevented, ever_listed,
ever_wrongly_listed, listed_end, harm, harm_innocent, harm_gini, firms_failed,
cascade_largest). By default only the runs readers may pool: status 'done', not a
duplicate. The database is opened read-only.
"""
import csv
import sqlite3
import sys

__all__ = ["ScsimReadError", "connect", "query", "run_table", "contrasts"]


class ScsimReadError(Exception):
    """The file is not an scsim database with the asked-for objects."""


def connect(path):
    """A read-only connection to the database at path (ScsimReadError when it cannot be)."""
    try:
        con = sqlite3.connect("file:%s?mode=ro" % path.replace("?", "%3f"), uri=True)
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as e:
        raise ScsimReadError("%s: cannot read it as an SQLite database: %s" % (path, e))
    return con


def _has(con, name):
    row = con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    return row is not None


def _frame(cur, frame):
    cols = [d[0] for d in cur.description]
    rows = cur.fetchall()
    if frame is None:
        try:
            import pandas  # noqa: F401 (optional)
            frame = True
        except ImportError:
            frame = False
    if frame:
        import pandas
        return pandas.DataFrame.from_records(rows, columns=cols)
    return [dict(zip(cols, r)) for r in rows]


def query(path, sql, params=(), frame=None):
    """Any SELECT on the database: a DataFrame (pandas) or a list of dicts."""
    con = connect(path)
    try:
        return _frame(con.execute(sql, params), frame)
    finally:
        con.close()


def run_table(path, sweep=None, pooled=True, frame=None):
    """The wide run table: one row per run (pooled: only done runs that are not duplicates;
    sweep: only that sweep's runs), ordered by run id."""
    con = connect(path)
    try:
        if not _has(con, "run_table"):
            raise ScsimReadError(
                "%s has no run_table view: written by an scsim before results schema 6; "
                "copy it into a new database with scsim merge NEW.db %s"
                % (path, path))
        where, params = [], []
        if pooled:
            where.append("status = 'done' AND duplicate = 0")
        if sweep is not None:
            where.append("sweep = ?")
            params.append(sweep)
        sql = "SELECT * FROM run_table"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return _frame(con.execute(sql + " ORDER BY run_id", params), frame)
    finally:
        con.close()


def contrasts(path, ref=None, frame=None):
    """The contrasts table (scsim compare): every group against its reference."""
    con = connect(path)
    try:
        if not _has(con, "contrasts"):
            raise ScsimReadError("%s has no contrasts table: run scsim compare on it first"
                                 % path)
        sql, params = "SELECT * FROM contrasts", ()
        if ref is not None:
            sql, params = sql + " WHERE ref = ?", (ref,)
        return _frame(con.execute(sql + " ORDER BY ref, label, metric, grp", params), frame)
    finally:
        con.close()


def _main(argv):
    import argparse
    p = argparse.ArgumentParser(description="Print an scsim database's run_table (or its "
                                "contrasts) as CSV.")
    p.add_argument("db")
    p.add_argument("--sweep", help="only this sweep's runs")
    p.add_argument("--all", action="store_true", help="every run, not only the pooled ones")
    p.add_argument("--contrasts", action="store_true", help="the contrasts table instead")
    a = p.parse_args(argv)
    try:
        rows = (contrasts(a.db, frame=False) if a.contrasts else
                run_table(a.db, sweep=a.sweep, pooled=not a.all, frame=False))
    except ScsimReadError as e:
        print("scsim_read: %s" % e, file=sys.stderr)
        return 5
    con = connect(a.db)
    view = "contrasts" if a.contrasts else "run_table"
    cols = [d[0] for d in con.execute("SELECT * FROM %s LIMIT 0" % view).description]
    con.close()
    w = csv.DictWriter(sys.stdout, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
