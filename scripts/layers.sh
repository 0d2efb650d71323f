#!/usr/bin/env bash
# scripts/layers.sh - the include arrows between the layers of sim/ (serve too) and plots/, counted from
# the sources, and any that points up the layer order (which the build also refuses: each
# layer compiles with only its own and lower include folders, see the Makefile's INC_ lists).
# Prints "from -> to: N includes" per pair of folders; exits 1 when an arrow points up.
# Usage: scripts/layers.sh
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
cd "$(dirname "$0")/.."
order=(core scenario society engine store experiment verify plots serve cli)   # bottom to top
rank() { local i; for i in "${!order[@]}"; do [ "${order[$i]}" = "$1" ] && echo "$i"; done; }
folder() { case "$1" in plots/*) echo plots ;; sim/*/*) d=${1#sim/}; echo "${d%%/*}" ;; esac; }
declare -A where=() edges=()
for h in sim/*/*.h plots/*.h; do where[$(basename "$h")]=$(folder "$h"); done
for f in sim/*/*.[ch] plots/*.[ch]; do
    from=$(folder "$f")
    for inc in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
        to=${where[$inc]:-}
        [ -n "$to" ] && [ "$to" != "$from" ] && edges["$from -> $to"]=$(( ${edges["$from -> $to"]:-0} + 1 ))
    done
done
up=0 lines=()
for e in "${!edges[@]}"; do
    from=${e%% -> *} to=${e##* -> }
    mark=""
    if [ "$(rank "$to")" -gt "$(rank "$from")" ]; then mark="  <- points UP"; up=1; fi
    lines+=("$e: ${edges[$e]} includes$mark")
done
printf '%s\n' "${lines[@]}" | sort
if [ $up -ne 0 ]; then echo "layers: an include points up the layer order" >&2; exit 1; fi
echo "layers: every include points down (${order[*]})"
