#!/bin/sh
# outputs.sh INCIMAP GAZETTEER WORK CASE -- issue 19, outputs that others
# hold, concurrent runs, full disks and signals. One CASE per ctest:
#   gpkg_wal        --append to a GeoPackage a second process holds open in
#                   WAL mode with changes only in its -wal: the file stays
#                   whole (integrity_check), its rows and ours are there
#   gpkg_locked     --append and --overwrite while a second process holds an
#                   EXCLUSIVE lock: exit 5 naming the file, nothing changed,
#                   the holder's committed table survives
#   gpkg_two        two --append runs at once: every feature of both is there
#   folder_gpkg_wal the same, for the GeoPackage inside a folder with other
#                   formats (out/incimap.gpkg): updated in place (same inode),
#                   the holder's -wal goes with it and it can still write
#                   after the run; the other files committed with the swap;
#                   then --overwrite: our layers replaced, its table kept
#   folder_gpkg_locked  the same under an EXCLUSIVE lock: exit 5 naming
#                   out/incimap.gpkg, neither it nor the folder's other files
#                   changed; a lock released within INCIMAP_LOCK_WAIT is waited for
#   folder_locked   a second process holds OUT's lock: exit 5 after the wait,
#                   with a message, not 0
#   folder_two      two --overwrite runs to one folder at once: both end well
#                   and the folder is one run's whole set
#   folder_atomic   the commit of an existing folder is one
#                   renameat2(RENAME_EXCHANGE), not a rename per file (strace)
#   stdout_full     extract -o - and export -o - to /dev/full, and to a closed
#                   pipe: exit 5 naming standard output
#   signals         SIGINT, SIGTERM, SIGHUP during a run (spilling to a
#                   temporary store): no OUT.tmp-*, no spill folder, no lock
#                   left; and a start removes a dead run's leftovers
#   gaz_build_kill  a gazetteer build ended by SIGTERM leaves no FILE.tmp-PID;
#                   a dead build's is removed by the next build
# Every wait is bounded.
set -u
INCIMAP=$1
GAZ=$2
WORK=$3
CASE=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$WORK"
mkdir -p "$WORK/tmp" || exit 1
cd "$WORK" || exit 1
export TMPDIR="$WORK/tmp" INCIMAP_VENDOR="$WORK/no-vendor" INCIMAP_HOME="$WORK/no-home"
export INCIMAP_GAZETTEER="$GAZ"
HOLDER=""

fail() {
    echo "FAIL ($CASE): $*"
    for f in *.err; do [ -f "$f" ] && { echo "--- $f"; cat "$f"; }; done
    [ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null
    exit 1
}

# The examples of the README: three incidents with the test gazetteer.
IN="$WORK/in"
mkdir -p "$IN"
cat >"$IN/a.jsonl" <<'JSON'
{"id": "a1", "published": "2022-09-13", "text": "Des obus sont tombés mardi sur Vardenis, selon le ministère arménien de la Défense, qui a fait état de deux blessés parmi les civils."}
{"id": "a2", "published": "2022-09-14", "text": "Azerbaijani forces shelled Martuni overnight, the Armenian defence ministry said on Wednesday."}
JSON
run() { "$INCIMAP" extract "$IN" --date 2022-09-14 "$@"; }
count() { sqlite3 "$1" "select count(*) from incidents"; }

# wait_for FILE: until it exists (10 s at most)
wait_for() {
    i=0
    while [ ! -e "$1" ]; do
        i=$((i + 1)); [ $i -gt 200 ] && fail "waited 10 s for $1"
        sleep 0.05
    done
}

# hold DB MODE SECONDS: a python3 sqlite3 process holding DB, in $HOLDER
hold() {
    rm -f holder.ready
    python3 - "$@" <<'PY' &
import sqlite3, sys, time
path, mode, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
c = sqlite3.connect(path, isolation_level=None)
if mode == 'wal':
    c.execute('pragma journal_mode=wal')
    c.execute('pragma wal_autocheckpoint=0')
    c.execute('create table theirs(x)')
    c.execute("insert into theirs values ('kept')")
elif mode == 'exclusive':
    c.execute('create table if not exists theirs(x)')
    c.execute('begin exclusive')
    c.execute("insert into theirs values ('kept')")
elif mode == 'wal_late':
    c.execute('pragma journal_mode=wal')
    c.execute('pragma wal_autocheckpoint=0')
    c.execute('create table theirs(x)')
    c.execute("insert into theirs values ('kept')")
    open('holder.ready', 'w').close()
    import os
    end = time.time() + secs
    while not os.path.exists('holder.go') and time.time() < end:
        time.sleep(0.05)
    c.execute("insert into theirs values ('later')")
    open('holder.done', 'w').close()
    time.sleep(secs)
elif mode == 'flock':
    import fcntl
    f = open(path, 'w')
    fcntl.flock(f, fcntl.LOCK_EX)
open('holder.ready', 'w').close()
time.sleep(secs)
if mode == 'exclusive':
    c.execute('commit')
c.close()
PY
    HOLDER=$!
    wait_for holder.ready
}

case "$CASE" in
gpkg_wal)
    run -o out.gpkg -f GPKG 2>create.err || fail "create: exit $?"
    n=$(count out.gpkg)
    [ "$n" -gt 0 ] || fail "no incident in the first run"
    hold out.gpkg wal 30
    [ -s out.gpkg-wal ] || fail "the holder has no -wal"
    run -o out.gpkg -f GPKG --append 2>append.err || fail "append: exit $?"
    kill "$HOLDER"; wait "$HOLDER" 2>/dev/null; HOLDER=""
    [ "$(sqlite3 out.gpkg 'pragma integrity_check')" = ok ] || fail "integrity_check: $(sqlite3 out.gpkg 'pragma integrity_check' 2>&1 | head -3)"
    [ "$(sqlite3 out.gpkg 'select x from theirs')" = kept ] || fail "the holder's row is gone"
    [ "$(count out.gpkg)" = $((2 * n)) ] || fail "$(count out.gpkg) incidents, expected $((2 * n))"
    ;;
gpkg_locked)
    run -o out.gpkg -f GPKG 2>create.err || fail "create: exit $?"
    n=$(count out.gpkg)
    hold out.gpkg exclusive 40
    for mode in --append --overwrite; do
        INCIMAP_LOCK_WAIT=1 run -o out.gpkg -f GPKG $mode 2>locked.err
        rc=$?
        [ $rc = 5 ] || fail "$mode under another program's EXCLUSIVE lock: exit $rc, expected 5"
        grep -q "out.gpkg: error: .*another program" locked.err || fail "$mode: no message naming out.gpkg and its holder"
    done
    kill "$HOLDER"; wait "$HOLDER" 2>/dev/null; HOLDER=""
    # the holder was killed before its commit: its table never existed;
    # hold once more and let it commit
    hold out.gpkg exclusive 0
    wait "$HOLDER"; HOLDER=""
    [ "$(sqlite3 out.gpkg 'select x from theirs')" = kept ] || fail "the holder's committed table is gone"
    [ "$(sqlite3 out.gpkg 'pragma integrity_check')" = ok ] || fail "integrity_check"
    [ "$(count out.gpkg)" = "$n" ] || fail "the refused runs changed the incidents"
    ;;
gpkg_two)
    run -o out.gpkg -f GPKG 2>create.err || fail "create: exit $?"
    n=$(count out.gpkg)
    run -o out.gpkg -f GPKG --append 2>one.err & p1=$!
    run -o out.gpkg -f GPKG --append 2>two.err & p2=$!
    wait $p1; r1=$?
    wait $p2; r2=$?
    want=$n
    [ $r1 = 0 ] && want=$((want + n))
    [ $r2 = 0 ] && want=$((want + n))
    for r in $r1 $r2; do [ $r = 0 ] || [ $r = 5 ] || fail "exit $r"; done
    [ "$(count out.gpkg)" = "$want" ] || fail "$(count out.gpkg) incidents, expected $want (exits $r1 $r2): features lost"
    [ "$(sqlite3 out.gpkg 'pragma integrity_check')" = ok ] || fail "integrity_check"
    ;;
folder_gpkg_wal)
    g=out/incimap.gpkg
    run -o out -f GPKG -f GeoJSON 2>create.err || fail "create: exit $?"
    n=$(count $g)
    [ "$n" -gt 0 ] || fail "no incident in the first run"
    rm -f holder.go holder.done
    hold $g wal_late 30
    [ -s $g-wal ] || fail "the holder has no -wal"
    ino=$(stat -c %i $g)
    run -o out -f GPKG -f GeoJSON --append 2>append.err || fail "append: exit $?"
    [ "$(stat -c %i $g)" = "$ino" ] || fail "$g was replaced by another file, not updated in place"
    [ -e $g-wal ] || fail "the holder's -wal is not beside $g any more"
    # the holder writes after the run: to the file at $g
    touch holder.go
    wait_for holder.done
    [ "$(count $g)" = $((2 * n)) ] || fail "$(count $g) incidents, expected $((2 * n))"
    nj=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["features"]))' out/incidents.geojson)
    [ "$nj" = $((2 * n)) ] || fail "out/incidents.geojson: $nj features, expected $((2 * n))"
    # --overwrite, the holder still there: our layers replaced, its table kept
    run -o out -f GPKG -f GeoJSON --overwrite 2>over.err || fail "overwrite: exit $?"
    [ "$(stat -c %i $g)" = "$ino" ] || fail "--overwrite replaced $g by another file"
    kill "$HOLDER"; wait "$HOLDER" 2>/dev/null; HOLDER=""
    [ "$(sqlite3 $g 'pragma integrity_check')" = ok ] || fail "integrity_check: $(sqlite3 $g 'pragma integrity_check' 2>&1 | head -3)"
    [ "$(sqlite3 $g 'select group_concat(x) from theirs')" = kept,later ] || fail "the holder's rows: $(sqlite3 $g 'select group_concat(x) from theirs')"
    [ "$(count $g)" = "$n" ] || fail "$(count $g) incidents after --overwrite, expected $n"
    ls -d out.tmp-* 2>/dev/null && fail "stage left"
    ;;
folder_gpkg_locked)
    g=out/incimap.gpkg
    run -o out -f GPKG -f GeoJSON 2>create.err || fail "create: exit $?"
    n=$(count $g)
    cp out/incidents.geojson before.geojson
    ino=$(stat -c %i $g)
    hold $g exclusive 40
    for mode in --append --overwrite; do
        INCIMAP_LOCK_WAIT=1 run -o out -f GPKG -f GeoJSON $mode 2>locked.err
        rc=$?
        [ $rc = 5 ] || fail "$mode under another program's EXCLUSIVE lock: exit $rc, expected 5"
        grep -q "out/incimap.gpkg: error: .*another program" locked.err || fail "$mode: no message naming out/incimap.gpkg and its holder"
        cmp -s out/incidents.geojson before.geojson || fail "$mode: the folder's other files changed"
        ls -d out.tmp-* 2>/dev/null && fail "$mode: stage left"
    done
    [ "$(stat -c %i $g)" = "$ino" ] || fail "$g was replaced by another file"
    kill "$HOLDER"; wait "$HOLDER" 2>/dev/null; HOLDER=""
    hold $g exclusive 0
    wait "$HOLDER"; HOLDER=""
    [ "$(sqlite3 $g 'select x from theirs')" = kept ] || fail "the holder's committed table is gone"
    [ "$(sqlite3 $g 'pragma integrity_check')" = ok ] || fail "integrity_check"
    [ "$(count $g)" = "$n" ] || fail "the refused runs changed the incidents"
    # a lock released within the wait: waited for, then the run succeeds
    hold $g exclusive 2
    INCIMAP_LOCK_WAIT=20 run -o out -f GPKG -f GeoJSON --append 2>waited.err || fail "a lock held 2 s of a 20 s wait: exit $?"
    wait "$HOLDER"; HOLDER=""
    [ "$(sqlite3 $g 'select count(*) from theirs')" = 2 ] || fail "the holder's second row is gone"
    [ "$(sqlite3 $g 'pragma integrity_check')" = ok ] || fail "integrity_check after the wait"
    [ "$(count $g)" = $((2 * n)) ] || fail "$(count $g) incidents after the waited append, expected $((2 * n))"
    ;;
folder_locked)
    hold out.lock flock 30
    t0=$(date +%s)
    INCIMAP_LOCK_WAIT=1 run -o out -f GeoJSON 2>locked.err
    rc=$?
    t1=$(date +%s)
    [ $rc = 5 ] || fail "exit $rc while another process holds the output, expected 5"
    grep -q "out is being written by another" locked.err || fail "no message naming out"
    [ $((t1 - t0)) -le 20 ] || fail "waited $((t1 - t0)) s"
    [ ! -e out ] || fail "out written anyway"
    kill "$HOLDER"; wait "$HOLDER" 2>/dev/null; HOLDER=""
    ;;
folder_two)
    run -o out -f GeoJSON -f CSV 2>create.err || fail "create: exit $?"
    run -o out -f GeoJSON -f CSV --overwrite 2>one.err & p1=$!
    run -o out -f GeoJSON -f CSV --overwrite --layers shelling,incidents 2>two.err & p2=$!
    wait $p1; r1=$?
    wait $p2; r2=$?
    [ $r1 = 0 ] && [ $r2 = 0 ] || fail "exits $r1 $r2"
    for f in out/incidents.geojson out/incidents.csv out/shelling.geojson; do
        [ -s "$f" ] || fail "$f missing"
    done
    ls -d out.tmp-* 2>/dev/null && fail "stage left"
    [ ! -e out.lock ] || fail "lock file left"
    ;;
folder_atomic)
    command -v strace >/dev/null || fail "strace is missing (scripts/setup.sh installs it)"
    run -o out -f GeoJSON -f CSV 2>create.err || fail "create: exit $?"
    touch out/notes.txt
    # LeakSanitizer cannot run under ptrace: leaks are checked by the other cases
    ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
        strace -f -qq -e trace=rename,renameat,renameat2 -o trace.txt \
        "$INCIMAP" extract "$IN" --date 2022-09-14 -o out -f GeoJSON -f CSV --overwrite 2>over.err ||
        fail "overwrite: exit $?"
    grep -q 'RENAME_EXCHANGE' trace.txt || fail "no renameat2(RENAME_EXCHANGE): $(cat trace.txt)"
    if grep -v RENAME_EXCHANGE trace.txt | grep -q '"out/'; then
        fail "files renamed one by one into out/: $(grep '"out/' trace.txt | head -3)"
    fi
    [ -f out/notes.txt ] || fail "a file of the old folder that the run does not write is gone"
    [ -s out/clashes.csv ] && [ -s out/incidents.geojson ] || fail "layers missing"
    ls -d out.tmp-* 2>/dev/null && fail "stage left"
    ;;
stdout_full)
    run -o - >/dev/full 2>full.err
    rc=$?
    [ $rc = 5 ] || fail "extract -o - >/dev/full: exit $rc, expected 5"
    grep -q "standard output" full.err || fail "extract: no message naming standard output"
    run --db store.sqlite -o out -f GeoJSON 2>db.err || fail "store: exit $?"
    "$INCIMAP" export --db store.sqlite -o - >/dev/full 2>export.err
    rc=$?
    [ $rc = 5 ] || fail "export -o - >/dev/full: exit $rc, expected 5"
    grep -q "standard output" export.err || fail "export: no message naming standard output"
    # a closed pipe (EPIPE), not a silent end by SIGPIPE
    rc=$( { run -o - 2>pipe.err; echo $? >pipe.status; } | true; cat pipe.status)
    [ "$rc" = 5 ] || fail "extract -o - | true: exit $rc, expected 5"
    ;;
signals)
    python3 - <<'PY'
import json, datetime
d0 = datetime.date(2020, 1, 1)
with open('in/big.jsonl', 'w') as f:
    for i in range(40000):
        d = d0 + datetime.timedelta(days=i % 1400)
        f.write(json.dumps({"id": "d%d" % i, "published": d.isoformat(), "text": "Des obus sont tombés mardi sur Vardenis, selon le ministère arménien de la Défense."}, ensure_ascii=False) + "\n")
PY
    # leftovers of a run that is gone
    sh -c 'exit 0' & dead=$!
    wait $dead
    mkdir -p "out.tmp-$dead-abcdef" "$TMPDIR/incimap-spill-$dead-abcdef"
    : >"$TMPDIR/incimap-spill-$dead-abcdef/spill.sqlite"
    for sig in INT TERM HUP; do
        # through python, which gives SIGINT back its default action (a
        # background job of a script starts with SIGINT ignored, and incimap
        # leaves an ignored signal ignored, as nohup wants)
        INCIMAP_SPILL_REPORTS=100 python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
signal.signal(signal.SIGHUP, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$INCIMAP" extract in/big.jsonl -o out -f GeoJSON --overwrite 2>sig.err &
        p=$!
        i=0
        while ! ls -d "$TMPDIR"/incimap-spill-$p-* >/dev/null 2>&1 || ! ls -d out.tmp-$p-* >/dev/null 2>&1; do
            i=$((i + 1)); [ $i -gt 400 ] && fail "SIG$sig: no spill folder and stage after 20 s"
            sleep 0.05
        done
        kill -$sig $p
        wait $p
        rc=$?
        [ $rc -gt 128 ] || fail "SIG$sig: exit $rc, expected the signal's"
        left=$(ls -A "$TMPDIR"; ls -d out.tmp-* out.lock 2>/dev/null)
        [ -z "$left" ] || fail "SIG$sig left: $left"
    done
    ;;
gaz_build_kill)
    fix=$here/../fixtures/gazetteer
    sh -c 'exit 0' & dead=$!
    wait $dead
    : >"g.sqlite.tmp-$dead"
    "$INCIMAP" gazetteer build --no-defaults --geonames "$fix/geonames.txt" -q -o g.sqlite 2>b.err ||
        fail "build: exit $?"
    [ ! -e "g.sqlite.tmp-$dead" ] || fail "a dead build's g.sqlite.tmp-$dead is still there"
    "$INCIMAP" gazetteer build --no-defaults --geonames "$fix/geonames.txt" -q -o g.sqlite 2>b2.err
    [ $? = 5 ] || fail "gazetteer build -o over an existing file without --overwrite: not refused"
    grep -q "exists (use --overwrite)" b2.err || fail "no message"
    # a build that takes long enough to be killed: a large GeoNames file
    python3 - "$fix/geonames.txt" <<'PY'
import sys
rows = [l for l in open(sys.argv[1], encoding='utf-8') if l.count('\t') == 18]
with open('big.txt', 'w', encoding='utf-8') as f:
    for i in range(300000):
        r = rows[i % len(rows)].split('\t')
        r[0] = str(9000000 + i)
        f.write('\t'.join(r))
PY
    "$INCIMAP" gazetteer build --no-defaults --geonames big.txt -q --overwrite -o g.sqlite 2>b3.err &
    p=$!
    wait_for "g.sqlite.tmp-$p"
    sleep 0.5
    kill -TERM $p
    wait $p
    [ ! -e "g.sqlite.tmp-$p" ] || fail "SIGTERM left g.sqlite.tmp-$p"
    [ -s g.sqlite ] || fail "the previous gazetteer is gone"
    ;;
*)
    fail "unknown case"
    ;;
esac
echo "$CASE: passed"
