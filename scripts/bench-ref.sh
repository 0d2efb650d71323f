#!/usr/bin/env bash
# scripts/bench-ref.sh SCSIM LOOP [N...] - RSM-1 in scsim against the hand-written C loop
# LOOP (build/bench/rsm1_ref from tests/bench/rsm1_ref.c, the yardstick of issue 17), then
# scsim's dense path (run --dense) against its default path; `make bench` runs it last.
# For each size N (default: BENCH_REF_SIZES, else "1e6 1e7"), BENCH_PAIRS alternating pairs
# (default 5), the order alternating within pairs (pair 1 loop first, pair 2 scsim first, ...):
#   OMP_NUM_THREADS=T LOOP --n N --steps 120 --seed 1
#   SCSIM run scenarios/bench/rsm1.ini --set population.persons=N --threads T --quiet --out DB
# with T = BENCH_THREADS (default 2), each the whole process measured by GNU /usr/bin/time
# (wall seconds, peak resident memory, CPU seconds: user + system, all threads). Prints every
# pair, then per size the medians, the loop's time / scsim's time and scsim's peak / the
# loop's peak next to the issue's targets (>= 2.0 and <= 1.2), and the ratio of CPU seconds
# (no target; steadier than wall time when other jobs share the cores). Then the same scsim command with --dense alternated with the default
# for BENCH_DENSE_PAIRS pairs (default BENCH_PAIRS; 0 skips), medians and dense / default.
# Databases go to a fresh directory beside SCSIM (build/), deleted after each run.
# 1e7 pairs take about 45 s each on 2 cores; the figures: docs/performance.md.
set -euo pipefail
shopt -s inherit_errexit
usage="usage: bench-ref.sh SCSIM LOOP [N...]   (--help for more)"
case "${1:-}" in
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
[ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
scsim=$1 loop=$2
shift 2
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || read -r -a sizes <<<"${BENCH_REF_SIZES:-1e6 1e7}"
pairs=${BENCH_PAIRS:-5}
dense_pairs=${BENCH_DENSE_PAIRS:-$pairs}
threads=${BENCH_THREADS:-2}
scenario=scenarios/bench/rsm1.ini
timer=/usr/bin/time
for f in "$scsim" "$loop" "$timer"; do
    [ -x "$f" ] || { echo "bench-ref.sh: $f is not an executable (make bench builds them;" \
        "/usr/bin/time: Debian package time)" >&2; exit 2; }
done
[ -f "$scenario" ] || { echo "bench-ref.sh: no $scenario (run from the top folder)" >&2; exit 2; }
tmp=$(mktemp -d "$(dirname "$scsim")/bench-ref.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# measure NAME CMD...: run CMD as a whole process; print "wall_seconds peak_MiB cpu_seconds"
measure() {
    local name=$1
    shift
    if ! "$timer" -f '%e %M %U %S' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err"; then
        echo "bench-ref.sh: $name failed: $*" >&2
        cat "$tmp/err" >&2
        exit 1
    fi
    rm -f "$tmp"/run.db*
    awk '{ printf "%s %.0f %.2f\n", $1, $2 / 1024, $3 + $4 }' "$tmp/time"
}
run_loop() {
    measure loop env OMP_NUM_THREADS="$threads" "$loop" --n "$1" --steps 120 --seed 1
    [ "$(wc -l <"$tmp/out")" -eq 121 ] ||
        { echo "bench-ref.sh: the loop printed $(wc -l <"$tmp/out") lines, not 121" >&2; exit 1; }
}
run_scsim() { # N [--dense]
    measure scsim "$scsim" run "$scenario" --set population.persons="$1" --threads "$threads" \
        --quiet --out "$tmp/run.db" "${@:2}"
}
# median COLUMN < rows: the median of a column of numbers
median() {
    awk -v c="$1" '{ print $c }' | sort -g | awk '{ v[NR] = $1 }
        END { printf "%.2f\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# verdict VALUE OP TARGET: "met" or "not met"
verdict() {
    awk -v v="$1" -v op="$2" -v t="$3" \
        'BEGIN { ok = op == ">=" ? v >= t : v <= t; print ok ? "met" : "not met" }'
}
header() {
    printf '# %s\n' "$1"
    printf '#   RSM-1 (%s), 120 steps, %s threads, whole process; %s, %s, scsim %s,\n' \
        "$scenario" "$threads" "$(date -u '+%F %H:%M UTC')" \
        "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" \
        "$("$scsim" --version | cut -d' ' -f2)"
    printf '#   load average %s at the start\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
}
# pairs_of N PAIRS NAME_A A_CMD B_CMD: PAIRS alternating pairs, A first in odd pairs; prints
# "pair first a_s a_MiB a_cpu b_s b_MiB b_cpu" (first: NAME_A or "other")
pairs_of() {
    local n=$1 count=$2 name_a=$3 a=$4 b=$5 p ra rb first
    for ((p = 1; p <= count; p++)); do
        if ((p % 2)); then ra=$($a "$n"); rb=$($b "$n"); first=$name_a
        else rb=$($b "$n"); ra=$($a "$n"); first=other; fi
        echo "$p $first $ra $rb"
    done
}
run_dense() { run_scsim "$1" --dense; }
to_int() { awk -v n="$1" 'BEGIN { printf "%.0f\n", n }'; }

# ratio A B: A / B to two decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
fmt='%10s %6s %7s %8s %9s %8s %8s %9s %8s\n'

header "against the hand-written loop ($loop, $pairs alternating pairs, medians)"
printf "$fmt" N pair first loop_s loop_MiB loop_cpu scsim_s scsim_MiB scsim_cpu
for size in "${sizes[@]}"; do
    n=$(to_int "$size")
    rows=$(pairs_of "$n" "$pairs" loop run_loop run_scsim | sed 's/ other / scsim /')
    while read -r -a r; do printf "$fmt" "$n" "${r[@]}"; done <<<"$rows"
    for c in 3 4 5 6 7 8; do m[c]=$(median "$c" <<<"$rows"); done
    printf "$fmt" "$n" median "" "${m[3]}" "${m[4]%.*}" "${m[5]}" "${m[6]}" "${m[7]%.*}" "${m[8]}"
    tr=$(ratio "${m[3]}" "${m[6]}") mr=$(ratio "${m[7]}" "${m[4]}")
    printf '%10s   time loop/scsim %5s  (target >= 2.0: %s)\n' "$n" "$tr" "$(verdict "$tr" '>=' 2.0)"
    printf '%10s   peak scsim/loop %5s  (target <= 1.2: %s)\n' "$n" "$mr" "$(verdict "$mr" '<=' 1.2)"
    printf '%10s   CPU  loop/scsim %5s\n' "$n" "$(ratio "${m[5]}" "${m[8]}")"
done
[ "$dense_pairs" -gt 0 ] || exit 0
echo
header "scsim --dense against its default path ($dense_pairs alternating pairs, medians)"
printf "$fmt" N pair first dflt_s dflt_MiB dflt_cpu dense_s dense_MiB dense_cpu
for size in "${sizes[@]}"; do
    n=$(to_int "$size")
    rows=$(pairs_of "$n" "$dense_pairs" default run_scsim run_dense | sed 's/ other / dense /')
    while read -r -a r; do printf "$fmt" "$n" "${r[@]}"; done <<<"$rows"
    for c in 3 4 5 6 7 8; do m[c]=$(median "$c" <<<"$rows"); done
    printf "$fmt" "$n" median "" "${m[3]}" "${m[4]%.*}" "${m[5]}" "${m[6]}" "${m[7]%.*}" "${m[8]}"
    printf '%10s   time dense/default %s, CPU dense/default %s\n' "$n" \
        "$(ratio "${m[6]}" "${m[3]}")" "$(ratio "${m[8]}" "${m[5]}")"
done
