#!/usr/bin/env bash
# scripts/bench.sh SCSIM [N...] - benchmark the reference workloads at each population size N
# (default 1e5 1e6 1e7) with BENCH_THREADS threads (default 2): RSM-1
# (scenarios/bench/rsm1.ini), RSM-P (scenarios/bench/rsmp.ini: RSM-1 plus three
# collection sources at about 50 records per person, platform pooling, 24-month retention)
# and LISTS8 (scenarios/bench/lists8.ini: eight agencies each keeping its own lists, lists
# regime, docs/ODD.md 7.19); BENCH_WORKLOADS picks them (default "rsm1 rsmp lists8"). Each size
# runs BENCH_REPEAT times
# (default 3; 1 for N >= 1e7); prints the best person-steps per second of the step loop with
# the range over repeats, the layer-build time and the peak memory of the best run. Results
# go to a temporary database, deleted afterwards. BENCH_STEPS (default: the file's 120)
# shortens the runs for a quick look.
set -euo pipefail
case "${1:-}" in
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
[ $# -ge 1 ] || { echo "usage: bench.sh SCSIM [N...]   (--help for more)" >&2; exit 2; }
scsim=$1
shift
[ -x "$scsim" ] || { echo "bench.sh: $scsim is not an executable (make bench builds it)" >&2; exit 2; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000 10000000)
threads=${BENCH_THREADS:-2}
read -r -a workloads <<<"${BENCH_WORKLOADS:-rsm1 rsmp lists8}"
steps=()
[ -z "${BENCH_STEPS:-}" ] || steps=(--steps "$BENCH_STEPS")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for w in "${workloads[@]}"; do
    file=scenarios/bench/$w.ini
    [ -f "$file" ] || { echo "bench.sh: no workload $file" >&2; exit 2; }
    printf '# %s, %s steps, %s threads, %s, %s, scsim %s\n' \
        "$(echo "$w" | tr '[:lower:]' '[:upper:]' | sed 's/^RSM/RSM-/')" \
        "${BENCH_STEPS:-120}" "$threads" "$(date -u +%F)" \
        "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" \
        "$("$scsim" --version | cut -d' ' -f2)"
    printf '%10s %3s %15s %21s %9s %9s %9s\n' N runs best_steps/s range steps_s graph_s peak_MiB
    for n in "${sizes[@]}"; do
        reps=${BENCH_REPEAT:-$([ "$n" -ge 10000000 ] && echo 1 || echo 3)}
        for ((r = 0; r < reps; r++)); do
            # "time: population P s, layers L s, steps S s (PASS, R person-steps/s); peak
            # memory M MiB", PASS "event-driven" or "dense: WHY" -> "R S L M"
            line=$("$scsim" run "$file" --set population.persons="$n" \
                ${steps[@]+"${steps[@]}"} --threads "$threads" --out "$tmp/bench.db" |
                grep 'time:') || { echo "bench.sh: $w at N = $n: the run failed" >&2; exit 1; }
            rm -f "$tmp"/bench.db*
            fields=$(sed -nE 's/.*layers ([0-9.]+) s, steps ([0-9.]+) s \((.*, )?([0-9.e+]+) person-steps.*peak memory ([0-9]+) MiB.*/\4 \2 \1 \5/p' <<<"$line")
            [ -n "$fields" ] || { echo "bench.sh: cannot read scsim's timing line: $line" >&2; exit 1; }
            echo "$fields"
        done | sort -g -r | awk -v n="$n" -v reps="$reps" '
            NR == 1 { best = $0; split($0, b, " "); lo = $1 } { lo = $1 }
            END { if (NR == 0) exit 1
                  printf "%10s %3d %15.3g %10.3g..%-9.3g %9s %9s %9s\n",
                  n, reps, b[1], lo, b[1], b[2], b[3], b[4] }'
    done
done
