#!/usr/bin/env bash
# scripts/bench.sh SCSIM [N...] - benchmark RSM-1 (scenarios/bench/rsm1.ini) at each
# population size N (default 1e5 1e6 1e7) with 2 threads and print person-steps per second,
# peak memory and graph-build time. Results go to a temporary database, deleted afterwards.
set -euo pipefail
scsim=${1:?usage: bench.sh SCSIM [N...]}
shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000 10000000)
threads=${BENCH_THREADS:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '# RSM-1, 120 steps, %s threads, %s, %s\n' "$threads" "$(date -u +%F)" \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf '%12s %14s %12s %12s %12s\n' N person-steps/s steps_s graph_s peak_MiB
for n in "${sizes[@]}"; do
    out=$("$scsim" run scenarios/bench/rsm1.ini --set population.persons="$n" \
          --threads "$threads" --out "$tmp/bench.db")
    line=$(grep 'time:' <<<"$out")
    graph=$(sed -E 's/.*layers ([0-9.]+) s.*/\1/' <<<"$line")
    steps=$(sed -E 's/.*steps ([0-9.]+) s.*/\1/' <<<"$line")
    rate=$(sed -E 's/.*\(([0-9.e+]+) person-steps.*/\1/' <<<"$line")
    peak=$(sed -E 's/.*peak memory ([0-9]+) MiB.*/\1/' <<<"$line")
    printf '%12s %14s %12s %12s %12s\n' "$n" "$rate" "$steps" "$graph" "$peak"
    rm -f "$tmp"/bench.db*
done
