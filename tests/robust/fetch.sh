#!/bin/sh
# fetch.sh INCIMAP WORK -- `incimap gazetteer fetch` against a hostile server
# on 127.0.0.1 (issue 19, row "gazetteer fetch from a server that stalls or
# trickles"): a stalled and a trickling download fail within --stall, an
# HTML page and a zip bomb are refused (exit 4, the reason named), nothing is
# left in the folder but what a good download renamed into place, and the
# leftovers of a killed fetch are removed by the next one.
set -u
INCIMAP=$1
WORK=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$WORK"
mkdir -p "$WORK/out"
fail() { echo "FAIL: $*"; kill "$srv" 2>/dev/null; exit 1; }

python3 "$here/fetch_server.py" "$WORK/port" 200 &
srv=$!
i=0
while [ ! -s "$WORK/port" ]; do
    i=$((i + 1)); [ $i -gt 100 ] && fail "the test server did not start"
    sleep 0.1
done
base="http://127.0.0.1:$(cat "$WORK/port")"

# expect STATUS TEXT MAX_SECONDS ARGS...
expect() {
    want=$1 text=$2 max=$3
    shift 3
    t0=$(date +%s)
    "$INCIMAP" gazetteer fetch "$@" -o "$WORK/out" >"$WORK/out.txt" 2>"$WORK/err.txt"
    rc=$?
    t1=$(date +%s)
    cat "$WORK/err.txt"
    [ "$rc" = "$want" ] || fail "gazetteer fetch $*: exit $rc, expected $want"
    [ -z "$text" ] || grep -q -- "$text" "$WORK/err.txt" || fail "gazetteer fetch $*: stderr lacks '$text'"
    [ $((t1 - t0)) -le "$max" ] || fail "gazetteer fetch $*: took $((t1 - t0)) s (at most $max)"
}

# a killed fetch's leftovers (a process that is gone) are removed
sh -c 'exit 0' & dead=$!
wait $dead
: >"$WORK/out/XX.tmp-$dead.zip"
: >"$WORK/out/XX.txt.tmp-$dead"

expect 4 "download failed" 60 XX --base-url "$base/stall" --stall 2
expect 4 "download failed" 60 XX --base-url "$base/trickle" --stall 2
expect 4 "HTML page" 60 XX --base-url "$base/html"
expect 4 "NUL bytes" 60 XX --base-url "$base/bomb"
expect 4 "decompression bomb" 60 XX --base-url "$base/rowbomb"
expect 4 "larger than" 60 XX --base-url "$base/bomb" --max-size 0.01
left=$(ls -A "$WORK/out")
[ -z "$left" ] || fail "left in the folder after failed fetches: $left"
expect 0 "" 60 XX --base-url "$base/good"
[ "$(ls -A "$WORK/out")" = "XX.txt" ] || fail "after a good fetch: $(ls -A "$WORK/out")"
[ "$(wc -l <"$WORK/out/XX.txt")" = 3 ] || fail "XX.txt is not the 3 rows sent"
kill "$srv" 2>/dev/null
echo "fetch: all cases passed"
