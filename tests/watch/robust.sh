#!/bin/sh
# robust.sh INCIMAP GAZETTEER WORK -- `incimap watch` that never goes deaf
# (issue 19, rows "watch: a file written in two steps..." and "the watched
# folder deleted or renamed and recreated ... SIGHUP kills it"):
#   - empty layers exist before the first file, and each batch is logged
#     with a timestamp;
#   - a name ending in .part, .tmp or ~ is not read; renamed, it is;
#   - a file written in two steps is stored whole;
#   - a symbolic link to a file out of the tree is not followed;
#   - SIGHUP is ignored (logged), never an end;
#   - the watched folder deleted and recreated is watched again;
#   - SIGTERM: exit 0, no temporary file or lock left.
# Every wait is bounded.
set -u
INCIMAP=$1
GAZ=$2
WORK=$3
rm -rf "$WORK"
mkdir -p "$WORK/in" "$WORK/outside" && cd "$WORK" || exit 1
export INCIMAP_VENDOR="$WORK/no-vendor" INCIMAP_HOME="$WORK/no-home"
PID=""
fail() {
    echo "FAIL: $*"
    echo "--- watch.err"; cat watch.err
    [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
    exit 1
}
# until CMD succeeds, at most $2 seconds
until_ok() {
    i=0
    while ! eval "$1" >/dev/null 2>&1; do
        i=$((i + 1)); [ $i -gt $(($2 * 10)) ] && fail "waited $2 s for: $1"
        sleep 0.1
    done
}
docs() { sqlite3 store.sqlite "select count(*) from documents" 2>/dev/null || echo 0; }
has_doc() { [ "$(sqlite3 store.sqlite "select count(*) from documents  where id = '$1'" 2>/dev/null)" = 1 ]; }

python3 -c 'import os, signal, sys
signal.signal(signal.SIGHUP, signal.SIG_DFL)
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$INCIMAP" watch in --db store.sqlite -o out -f GeoJSON \
    --gazetteer "$GAZ" --date 2022-09-14 --interval 0.5 2>watch.err &
PID=$!

until_ok "[ -f out/incidents.geojson ]" 10
grep -q '"features": \[' out/incidents.geojson || fail "the empty layers are not GeoJSON"
grep -q "empty layers written to out" watch.err || fail "no log line for the empty layers"

echo "Des obus sont tombés mardi sur Vardenis, selon le ministère arménien de la Défense." >in/a.txt.part
echo "Azerbaijani forces shelled Martuni overnight." >in/b.txt.tmp
echo "Azerbaijani forces shelled Goris overnight." >in/c.txt~
sleep 2
[ "$(docs)" = 0 ] || fail ".part/.tmp/~ files were read"
mv in/a.txt.part in/a.txt
until_ok "grep -q Vardenis out/incidents.geojson" 10
until_ok "grep -Eq '^incimap: 20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:]+Z: batch of 1 file: read, layers written' watch.err" 5

# in two steps, the second within the interval: stored whole
printf 'Azerbaijani forces shelled Martuni overnight' >in/two.txt
sleep 0.2
printf ', the Armenian defence ministry said.\n' >>in/two.txt
until_ok "grep -q Martuni out/incidents.geojson" 10
grep -q "Martuni overnight, the Armenian defence ministry said" out/incidents.geojson ||
    fail "two.txt stored with its partial text"

# a symbolic link out of the tree
echo "Azerbaijani forces shelled Goris overnight, the ministry said." >outside/x.txt
ln -s "$WORK/outside/x.txt" in/link.txt
sleep 2
has_doc link.txt && fail "a symbolic link out of the watched folder was followed"

# SIGHUP: logged, ignored
kill -HUP $PID
until_ok "grep -q 'SIGHUP received and ignored' watch.err" 5
kill -0 $PID 2>/dev/null || fail "SIGHUP ended watch"

# the watched folder deleted and recreated
rm -rf in
until_ok "grep -q 'the watched folder is gone' watch.err" 10
mkdir in
echo "Des combats ont eu lieu mardi à Sotk, selon le ministère arménien de la Défense." >in/d.txt
until_ok "has_doc d.txt" 15
grep -q "the watched folder is back" watch.err || fail "no log line for the folder back"
echo "Azerbaijani forces shelled Kapan overnight, the ministry said." >in/e.txt
until_ok "has_doc e.txt" 10

kill -TERM $PID
wait $PID
rc=$?
PID=""
[ $rc = 0 ] || fail "SIGTERM: exit $rc"
left=$(ls -d out.tmp-* out.lock 2>/dev/null)
[ -z "$left" ] || fail "left: $left"
[ "$(sqlite3 store.sqlite 'pragma integrity_check')" = ok ] || fail "integrity_check"
echo "watch robust: passed"
