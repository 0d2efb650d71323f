#!/usr/bin/env bash
# scripts/library-results.sh - run every library scenario (scenarios/*.ini, 2 seeds each) into
# DIR/library.db, the demo's comparison (make demo's scenarios, sizes and seeds) into
# DIR/demo.db and a sweep (--jobs 2) into DIR/sweep.db with the given scsim binary. With scripts/compare-db.sh it shows that a change
# which must not change behaviour did not:
#   scripts/library-results.sh old/scsim /tmp/before; scripts/library-results.sh build/scsim /tmp/after
#   scripts/compare-db.sh /tmp/before/library.db /tmp/after/library.db
# Usage: scripts/library-results.sh SCSIM DIR   (DEMO_PERSONS, default 1500000, sets the demo
# size; LIBRARY, default scenarios/*.ini, the scenario files, e.g. those of an older reference)
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
[ $# -eq 2 ] || { echo "usage: scripts/library-results.sh SCSIM DIR" >&2; exit 2; }
bin=$1 dir=$2
cd "$(dirname "$0")/.."
mkdir -p "$dir"
rm -f "$dir"/library.db* "$dir"/demo.db* "$dir"/sweep.db*
for seed in 1 2; do
    for f in ${LIBRARY:-scenarios/*.ini}; do
        "$bin" run "$f" --quiet --seed "$seed" --out "$dir/library.db"
    done
done
persons=${DEMO_PERSONS:-1500000}
for seed in 1 2 3; do
    for s in baseline court-blacklist joint-punishment family-spillover face-recognition \
             data-minimization; do
        "$bin" run "scenarios/$s.ini" --quiet --seed "$seed" \
            --set population.persons="$persons" --set run.event_cap=20000 --out "$dir/demo.db"
    done
done
"$bin" sweep scenarios/sweeps/harm-retention.ini --quiet --jobs 2 --out "$dir/sweep.db"
echo "library-results: $dir/library.db, $dir/demo.db and $dir/sweep.db"
