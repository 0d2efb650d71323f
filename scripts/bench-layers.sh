#!/usr/bin/env bash
# scripts/bench-layers.sh LAYER_BENCH [N...] - time one layer build at each size N (default
# 1e6 1e7) with BENCH_THREADS threads (default 2): the generators in BENCH_LAYER_KINDS
# (default "er"; also ws, sbm, config), mean degree BENCH_LAYER_Z (default 8), each size
# BENCH_REPEAT times (default 3; 1 for N >= 1e7). Prints the best wall time with the range,
# the CPU seconds of that build, the arcs, the layer's checksum (equal checksums: equal
# layers) and the peak memory. LAYER_BENCH is build/bench/layer_bench (`make bench` builds
# it). The 10^8 build (about 5.5 GiB): BENCH_LAYER_SIZES=1e8 make bench, or
# build/bench/layer_bench er 1e8 8 2
set -euo pipefail
case "${1:-}" in
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
[ $# -ge 1 ] || { echo "usage: bench-layers.sh LAYER_BENCH [N...]   (--help for more)" >&2; exit 2; }
bench=$1
shift
[ -x "$bench" ] || { echo "bench-layers.sh: $bench is not an executable (make bench builds it)" >&2; exit 2; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1e6 1e7)
threads=${BENCH_THREADS:-2}
z=${BENCH_LAYER_Z:-8}
read -r -a kinds <<<"${BENCH_LAYER_KINDS:-er}"
printf '# layer build, mean degree %s, %s threads, %s, %s, load average %s\n' "$z" "$threads" \
    "$(date -u +%F)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" \
    "$(cut -d' ' -f1 /proc/loadavg)"
printf '%-7s %10s %4s %9s %17s %8s %11s %17s %9s\n' kind N runs best_s range cpu_s arcs \
    checksum peak_MiB
for kind in "${kinds[@]}"; do
    for n in "${sizes[@]}"; do
        reps=${BENCH_REPEAT:-$(awk -v n="$n" 'BEGIN { print (n + 0 >= 1e7) ? 1 : 3 }')}
        for ((r = 0; r < reps; r++)); do
            "$bench" "$kind" "$n" "$z" "$threads" 1 | paste -sd' ' | sed -E \
                's/.*build_s=([0-9.]+) cpu_s=([0-9.]+) arcs=([0-9]+) checksum=([0-9a-f]+).*peak_MiB=([0-9]+).*/\1 \2 \3 \4 \5/'
        done | sort -g | awk -v k="$kind" -v n="$n" -v reps="$reps" '
            NR == 1 { split($0, b, " ") } { hi = $1 }
            END { printf "%-7s %10s %4d %9.2f %8.2f..%-8.2f %8.2f %11s %17s %9s\n",
                  k, n, reps, b[1], b[1], hi, b[2], b[3], b[4], b[5] }'
    done
done
