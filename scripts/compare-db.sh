#!/usr/bin/env bash
# scripts/compare-db.sh - are two results databases the same results? Compares, run by run,
# the metrics, summary and events rows (values bit for bit) and the runs' seeds, statuses and
# scenario names; ignores what may differ between builds (times, version, run ids' wall clock).
# Prints one line per table and exits 0 when all are identical, 1 when any differs, 2 on
# a usage or database error.
# Usage: scripts/compare-db.sh A.db B.db
set -uo pipefail
case "${1:-}" in -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
[ $# -eq 2 ] || { echo "usage: scripts/compare-db.sh A.db B.db" >&2; exit 2; }
for f in "$1" "$2"; do
    [ -f "$f" ] || { echo "compare-db: $f: no such file" >&2; exit 2; }
done

# each query lists a table's comparable columns; metrics/summary/events are read through the
# names every schema version keeps (docs/results.md)
declare -A Q=(
  [runs]="SELECT run_id, seed, status, scenario_name FROM %s.runs"
  [metrics]="SELECT run_id, step, name, grp, value FROM %s.metrics"
  [summary]="SELECT run_id, name, grp, value FROM %s.summary"
  [events]="SELECT run_id, step, kind, agent, cause, source, layer, agency FROM %s.events"
)
differs=0
for t in runs metrics summary events; do
    qa=$(printf "${Q[$t]}" a); qb=$(printf "${Q[$t]}" b)
    out=$(sqlite3 -batch -bail :memory: \
        "ATTACH '$1' AS a; ATTACH '$2' AS b;
         SELECT (SELECT count(*) FROM ($qa)), (SELECT count(*) FROM ($qb)),
                (SELECT count(*) FROM ($qa EXCEPT $qb)), (SELECT count(*) FROM ($qb EXCEPT $qa));" \
        2>&1) || { echo "compare-db: $t: $out" >&2; exit 2; }
    IFS='|' read -r na nb only_a only_b <<<"$out"
    if [ "$na" = "$nb" ] && [ "$only_a" = 0 ] && [ "$only_b" = 0 ]; then
        echo "$t: identical ($na rows)"
    else
        echo "$t: DIFFER (A $na rows, B $nb rows; $only_a only in A, $only_b only in B)"
        differs=1
    fi
done
exit $differs
