#!/usr/bin/env bash
# tests/tutorial.sh - runs every command of docs/tutorial.md, in order, in a scratch folder:
# the ```sh blocks as shell commands and the ```python blocks through python3 (other blocks
# are not run), so the tutorial and the program cannot drift apart. Then checks what the
# tutorial promises exists: the sweep's 12 done runs, the stored contrasts, the figures.
# Prints "tutorial: N blocks run" and exits 0, or the failing command's exit status.
# Usage: tests/tutorial.sh DOC.md SCSIM   (run by tests/test_tutorial.c under make test)
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: tests/tutorial.sh DOC.md SCSIM" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
doc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
scsim=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
work=$(mktemp -d "${TMPDIR:-/tmp}/scsim-tutorial.XXXXXX")
trap 'rm -rf "$work"' EXIT
# the repository as the tutorial sees it from its root: build/scsim, scenarios/, scripts/
mkdir "$work/build"
ln -s "$scsim" "$work/build/scsim"
ln -s "$top/scenarios" "$work/scenarios"
ln -s "$top/scripts" "$work/scripts"
awk '
    /^```sh$/     { mode = "sh"; n++; next }
    /^```python$/ { mode = "py"; n++; print "python3 - <<'"'"'PYTHON_BLOCK'"'"'"; next }
    /^```/        { if (mode == "py") print "PYTHON_BLOCK"; mode = ""; next }
    mode != ""    { print }
    END           { print "echo \"tutorial: " n " blocks run\"" }
' "$doc" > "$work/tutorial-commands.sh"
cd "$work"
bash -euo pipefail tutorial-commands.sh
# what the text promises
[ "$(sqlite3 tutorial/mixups.db "SELECT count(*) FROM runs WHERE status = 'done'")" = 12 ]
[ "$(sqlite3 tutorial/mixups.db "SELECT count(*) FROM contrasts WHERE ref = 'baseline'")" -ge 2 ]
[ "$(sqlite3 tutorial/mixups.db "SELECT count(DISTINCT label) FROM runs")" = 3 ]
test -s tutorial/figs/timeseries.png && test -s tutorial/figs/harm.png
test -s tutorial/runs.csv
