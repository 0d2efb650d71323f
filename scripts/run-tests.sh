#!/usr/bin/env bash
# scripts/run-tests.sh - runs each test binary (cmocka), then prints one summary line:
# "N passed, N failed". Exits non-zero when any test failed or a binary crashed.
set -u
passed=0 failed=0 crashed=0
for t in "$@"; do
    log=$(mktemp)
    "$t" >"$log" 2>&1
    rc=$?
    cat "$log"
    p=$(awk '/^\[  PASSED  \] [0-9]+ test/ {s += $4} END {print s + 0}' "$log")
    f=$(awk '/^\[  FAILED  \] [0-9]+ test/ {s += $4} END {print s + 0}' "$log")
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
    if [ $rc -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
        echo "run-tests: $t exited with status $rc" >&2
        crashed=$((crashed + 1)); failed=$((failed + 1))
    fi
    rm -f "$log"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
