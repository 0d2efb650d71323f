#!/usr/bin/env bash
# scripts/run-tests.sh - runs each test binary (cmocka), then prints one summary line:
# "N passed, N failed". Exits non-zero when any test failed or a binary crashed.
# Each run works in a fresh temporary directory that links the repository's inputs (scenarios,
# tests, docs, sources) and has a private build/ for the files the tests write, so `make test`
# and `make check` (or two checkouts' test runs) can run side by side without sharing a file.
# Usage: scripts/run-tests.sh TEST_BINARY...   (KEEP_TEST_DIR=1 keeps the directory)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bins=()
for t in "$@"; do bins+=("$(cd "$(dirname "$t")" && pwd)/$(basename "$t")"); done
work=$(mktemp -d "${TMPDIR:-/tmp}/scsim-tests.XXXXXX") || exit 1
[ "${KEEP_TEST_DIR:-0}" = 1 ] && echo "run-tests: working in $work" >&2 || trap 'rm -rf "$work"' EXIT
for e in "$top"/*; do
    [ "$(basename "$e")" = build ] || ln -s "$e" "$work/$(basename "$e")"
done
mkdir "$work/build"
cd "$work" || exit 1
# Under the sanitizer build (make check): fontconfig's known leak in the scsim commands the
# end-to-end tests start (tests/lsan.supp, tests/test_plot_lsan.h) is suppressed; nothing else.
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"

passed=0 failed=0 crashed=0
for t in "${bins[@]}"; do
    log=$(mktemp -p "$work")
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
