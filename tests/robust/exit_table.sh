#!/bin/sh
# exit_table.sh SOURCE_DIR -- the README's exit-status table is the one of
# cli/exitcodes.h (same numbers, same order), and every row of its "what
# each failure returns" table gives one of those statuses (or the signal's).
# The behaviour behind each row is asserted by the robust_* and case__*
# tests; this keeps the table they are held to in step with the code.
set -u
src=$1
fail() { echo "FAIL: $*"; exit 1; }
codes=$(sed -n 's/^ *CLI_EXIT_[A-Z]* *= *\([0-9]*\),\{0,1\}.*/\1/p' "$src/cli/exitcodes.h" | tr '\n' ' ')
[ -n "$codes" ] || fail "no status in cli/exitcodes.h"
table=$(sed -n '/^## Exit status/,/^## /p' "$src/README.md" | sed -n 's/^| \([0-9]\) | .*/\1/p' | tr '\n' ' ')
[ "$codes" = "$table" ] || fail "README exit table has '$table', cli/exitcodes.h '$codes'"
rows=$(sed -n '/^| failure | status |/,/^$/p' "$src/README.md" | tail -n +3)
[ -n "$rows" ] || fail "README has no 'failure | status' table"
echo "$rows" | while IFS= read -r row; do
    [ -z "$row" ] && continue
    st=$(echo "$row" | awk -F'|' '{print $(NF-1)}' | sed 's/^ *//')
    first=$(echo "$st" | sed 's/[^0-9].*//')
    case "$st" in
    "the signal's"*) continue ;;
    esac
    [ -n "$first" ] && echo " $codes" | grep -q " $first " || fail "row with status '$st': not a status of cli/exitcodes.h: $row"
done || exit 1
echo "exit table: matches cli/exitcodes.h"
