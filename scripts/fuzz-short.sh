#!/usr/bin/env bash
# scripts/fuzz-short.sh - the short fuzz runs of make check: each target in build/fuzz for
# SECONDS on its seed corpus tests/fuzz/corpus/TARGET (not changed: new inputs go to a
# scratch directory, removed after). A crash, leak, timeout or out-of-memory fails the
# script; the crashing input is kept in build/fuzz/crash-TARGET-*.
# Usage: scripts/fuzz-short.sh SECONDS TARGET...
set -euo pipefail
secs=$1; shift
fail=0
for t in "$@"; do
    scratch=$(mktemp -d)
    log=build/fuzz/fuzz_$t.log
    if build/fuzz/fuzz_"$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix=build/fuzz/crash-"$t"- -print_final_stats=1 \
        "$scratch" tests/fuzz/corpus/"$t" >"$log" 2>&1; then
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "fuzz $t: ok, $execs executions in ${secs} s"
    else
        echo "fuzz $t: FAILED (log $log, input build/fuzz/crash-$t-*)"
        tail -n 30 "$log"
        fail=1
    fi
    rm -rf "$scratch"
done
exit $fail
