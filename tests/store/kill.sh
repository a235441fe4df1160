#!/bin/sh
# kill.sh -- a writer killed with SIGKILL mid-way never damages the store:
# it opens, integrity_check is ok, every committed document is complete.
# usage: kill.sh STORE_TOOL WORKDIR
set -u
tool=$1
work=$2
rm -rf "$work" && mkdir -p "$work" || exit 1
db=$work/kill.sqlite
fail() { echo "kill.sh: FAIL: $*" >&2; exit 1; }

first=0
# Kill at different moments: right at the start (schema creation), then later.
for wait_commits in 0 5 40 120 300; do
    out=$work/out.$wait_commits
    : >"$out" # exists before the writer's own redirection: the loop below greps it at once
    "$tool" write "$db" $first 1000000 6 >"$out" 2>"$work/err.$wait_commits" &
    pid=$!
    if [ "$wait_commits" -eq 0 ]; then
        sleep 0.02
    else
        i=0
        while [ "$(grep -c '^committed' "$out")" -lt "$wait_commits" ] && [ $i -lt 600 ]; do
            sleep 0.05; i=$((i + 1))
        done
    fi
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    n=$(grep -c '^committed' "$out")
    echo "kill.sh: killed the writer after $n printed commits"
    [ -s "$db" ] || { [ "$wait_commits" -eq 0 ] && continue; fail "no store file"; }
    if [ "$n" -eq 0 ]; then
        # killed before its first commit, maybe inside the schema's own
        # transaction: the file may hold no table yet; the next writer
        # (which creates the schema when missing) must get a working store
        "$tool" write "$db" $first 0 6 >/dev/null || fail "reopen after a kill before any commit"
    fi
    "$tool" check "$db" || fail "check after kill ($wait_commits)"
    sed -n 's/^committed //p' "$out" | "$tool" has "$db" || fail "committed documents missing"
    docs=$("$tool" check "$db" | sed 's/^documents \([0-9]*\).*/\1/')
    echo "kill.sh: store holds $docs documents"
    first=$((first + 1000000))
done
# The store still takes writes after all this.
"$tool" write "$db" 5000000 3 6 >/dev/null || fail "write after kills"
"$tool" check "$db" || fail "final check"
echo "kill.sh: ok"
