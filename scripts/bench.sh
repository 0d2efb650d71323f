#!/usr/bin/env bash
# scripts/bench.sh SCSIM [N...] - benchmark RSM-1 (scenarios/bench/rsm1.ini) at each
# population size N (default 1e5 1e6 1e7) with BENCH_THREADS threads (default 2). Each size
# runs BENCH_REPEAT times (default 3; 1 for N >= 1e7); prints the best person-steps per second
# of the step loop with the range over repeats, the layer-build time and the peak memory of
# the best run. Results go to a temporary database, deleted afterwards.
set -euo pipefail
scsim=${1:?usage: bench.sh SCSIM [N...]}
shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000 10000000)
threads=${BENCH_THREADS:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '# RSM-1, 120 steps, %s threads, %s, %s, scsim %s\n' "$threads" "$(date -u +%F)" \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" \
    "$("$scsim" --version | cut -d' ' -f2)"
printf '%10s %3s %15s %21s %9s %9s %9s\n' N runs best_steps/s range steps_s graph_s peak_MiB
for n in "${sizes[@]}"; do
    reps=${BENCH_REPEAT:-$([ "$n" -ge 10000000 ] && echo 1 || echo 3)}
    for ((r = 0; r < reps; r++)); do
        "$scsim" run scenarios/bench/rsm1.ini --set population.persons="$n" \
            --threads "$threads" --out "$tmp/bench.db" | grep 'time:' | sed -E \
            's/.*layers ([0-9.]+) s, steps ([0-9.]+) s \(([0-9.e+]+) person-steps.*peak memory ([0-9]+) MiB.*/\3 \2 \1 \4/'
        rm -f "$tmp"/bench.db*
    done | sort -g -r | awk -v n="$n" -v reps="$reps" '
        NR == 1 { best = $0; split($0, b, " "); lo = $1 } { lo = $1 }
        END { printf "%10s %3d %15.3g %10.3g..%-9.3g %9s %9s %9s\n",
              n, reps, b[1], lo, b[1], b[2], b[3], b[4] }'
done
