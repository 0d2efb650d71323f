#!/usr/bin/env bash
# scripts/compare-db.sh - are two results databases the same results? Compares the runs'
# statuses and every metrics, summary and events row (values bit for bit), matching runs by
# what defines them (scenario, overrides, seed, replicate), not by run id, which a sweep's
# --jobs workers take in any order; ignores what may differ between builds (times, version).
# Prints one line per table and exits 0 when all are identical, 1 when any differs, 2 on
# a usage or database error.
# Usage: scripts/compare-db.sh A.db B.db
set -uo pipefail
case "${1:-}" in -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
[ $# -eq 2 ] || { echo "usage: scripts/compare-db.sh A.db B.db" >&2; exit 2; }
for f in "$1" "$2"; do
    [ -f "$f" ] || { echo "compare-db: $f: no such file" >&2; exit 2; }
done

# each query lists a table's comparable columns; metrics/summary/events are read through the
# names every schema version keeps (docs/results.md)
# a run is known by what defines it, not by its id (a sweep's --jobs workers finish in any
# order): scenario, overrides, seed and replicate
KEY="(SELECT scenario_name || '|' || overrides || '|' || seed || '|' || ifnull(replicate, '')
       FROM %s.runs r WHERE r.run_id = x.run_id)"
declare -A Q=(
  [runs]="SELECT $KEY, status FROM %s.runs x"
  [metrics]="SELECT $KEY, step, name, grp, value FROM %s.metrics x"
  [summary]="SELECT $KEY, name, grp, value FROM %s.summary x"
  [events]="SELECT $KEY, step, kind, agent, cause, source, layer, agency FROM %s.events x"
)
differs=0
for t in runs metrics summary events; do
    qa=$(printf "${Q[$t]}" a a); qb=$(printf "${Q[$t]}" b b)
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
