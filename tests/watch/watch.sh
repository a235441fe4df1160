#!/bin/sh
# watch.sh -- `incimap watch` end to end (issue 12).
#
#   sh watch.sh INCIMAP GAZETTEER FIXTURES WORK inotify|poll
#
# Starts `incimap watch` on an empty folder and drops three files one by one:
# a French report (copied in: IN_CLOSE_WRITE), a binary file named .txt
# (bad), and a JSON Lines file moved into a subfolder created just before
# (IN_CREATE of a folder, IN_MOVED_TO). Checks that the layers hold the
# incidents of the good files within 5 s of each drop, that the bad file is
# reported once and again only once it changes, and that SIGTERM ends the
# command with status 0 and whole layers. Then restarts it on the same store
# and folder: nothing new is read, the layers keep the same incidents.
#
# Every wait is a bounded loop. Under INCIMAP_TEST_WRAPPER (valgrind) the
# command runs through the wrapper and the waits are longer: a valgrind error
# shows as the wrapper's exit status, but the 5 s bar is not checked there.
set -u
INCIMAP=$1
GAZ=$2
FIX=$3
WORK=$4
MODE=${5:-inotify}

WRAPPER=${INCIMAP_TEST_WRAPPER:-}
BAR=5        # seconds from a drop to the layers
LIMIT=$BAR   # how long to wait for it
START=5      # seconds for the command to start
if [ -n "$WRAPPER" ]; then
    LIMIT=30
    START=30
fi
POLL=""
[ "$MODE" = poll ] && POLL=--poll

rm -rf "$WORK"
mkdir -p "$WORK/in" "$WORK/stage" || exit 1
cd "$WORK" || exit 1
export INCIMAP_VENDOR="$WORK/no-vendor" INCIMAP_HOME="$WORK/no-home"
PID=""

fail() {
    echo "FAIL ($MODE): $*"
    for f in err1.txt err2.txt; do
        [ -f "$f" ] && { echo "--- $f"; cat "$f"; }
    done
    [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
    exit 1
}

now_ms() {
    # monotonic enough for a test: wall clock in milliseconds
    echo $(($(date +%s%N) / 1000000))
}

# start ERRFILE: incimap watch in the background; its pid in $PID, its exit
# status in the file status once it ends.
start() {
    rm -f pid status status.tmp
    (
        sh -c 'echo $$ > pid; exec "$@"' sh $WRAPPER "$INCIMAP" watch "$WORK/in" \
            --db "$WORK/store.sqlite" -o "$WORK/out" -f GeoJSON --gazetteer "$GAZ" \
            --interval 1 $POLL -v 2>"$1"
        echo $? > status.tmp && mv status.tmp status # whole when it appears: stop() reads it at once
    ) &
    n=0
    while [ ! -s pid ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
    PID=$(cat pid 2>/dev/null)
    [ -n "$PID" ] || fail "incimap watch did not start"
    wait_for "$START" "watching 1 folder" "$1" || fail "no 'watching' line after $START s"
}

# wait_for SECONDS PATTERN FILE: PATTERN appears in FILE within SECONDS.
wait_for() {
    n=0
    while [ $n -lt $(($1 * 10)) ]; do
        grep -q "$2" "$3" 2>/dev/null && return 0
        [ -f status ] && return 1
        sleep 0.1
        n=$((n + 1))
    done
    return 1
}

# count PATTERN FILE
count() {
    grep -c "$1" "$2" 2>/dev/null || true
}

# drop NAME PATTERN: the layers hold PATTERN within the bar; prints the delay.
check_layers() {
    t0=$1
    wait_for "$LIMIT" "$2" out/incidents.geojson || fail "$2 not in the layers after $LIMIT s"
    dt=$(($(now_ms) - t0))
    echo "$MODE: $2 in the layers $dt ms after the drop"
    if [ -z "$WRAPPER" ] && [ $dt -gt $((BAR * 1000)) ]; then
        fail "$2 took $dt ms (bar: $BAR s)"
    fi
}

# stop: SIGTERM, then status 0 within 10 s (60 under the wrapper).
stop() {
    kill -TERM "$PID" || fail "cannot signal $PID"
    n=0
    lim=100
    [ -n "$WRAPPER" ] && lim=600
    while [ ! -f status ] && [ $n -lt $lim ]; do sleep 0.1; n=$((n + 1)); done
    [ -f status ] || fail "still running $((lim / 10)) s after SIGTERM"
    st=$(cat status)
    PID=""
    [ "$st" = 0 ] || fail "exit status $st after SIGTERM, expected 0"
}

# layers_whole N: out/incidents.geojson parses and holds N features; no
# temporary folder of the writer is left.
layers_whole() {
    python3 - "$1" <<'EOF' || fail "incomplete layers"
import json, sys
with open("out/incidents.geojson", encoding="utf-8") as f:
    d = json.load(f)
n = len(d["features"])
if n != int(sys.argv[1]):
    sys.exit("incidents.geojson: %d features, expected %s" % (n, sys.argv[1]))
EOF
    if command -v ogrinfo >/dev/null 2>&1; then
        ogrinfo -ro -q out/incidents.geojson >/dev/null 2>&1 || fail "ogrinfo cannot open the layers"
    fi
    for d in out.tmp-*; do
        [ -e "$d" ] && fail "left behind: $d"
    done
    return 0
}

# ===== 1. drops =====
start err1.txt

t0=$(now_ms)
cp "$FIX/fr-martouni.txt" in/martouni.txt
check_layers "$t0" '"place_name": "Martuni"'

t0=$(now_ms)
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001' > in/bad.txt
wait_for "$LIMIT" "bad.txt: error: binary file" err1.txt || fail "bad.txt not reported"
echo "$MODE: bad.txt reported $(($(now_ms) - t0)) ms after the drop"

cp "$FIX/en-vardenis.jsonl" stage/vardenis.jsonl
mkdir in/sub
t0=$(now_ms)
mv stage/vardenis.jsonl in/sub/vardenis.jsonl
check_layers "$t0" '"place_name": "Vardenis"'

# two more checks (intervals) later, the bad file was not read again
sleep 2.5
[ "$(count 'binary file, not text' err1.txt)" = 1 ] ||
    fail "bad.txt reported $(count 'binary file, not text' err1.txt) times, expected once"
# changed, it is read (and reported) once more
printf 'more binary \000\001\002' >> in/bad.txt
n=0
while [ "$(count 'binary file, not text' err1.txt)" != 2 ] && [ $n -lt $((LIMIT * 10)) ]; do
    sleep 0.1
    n=$((n + 1))
done
[ "$(count 'binary file, not text' err1.txt)" = 2 ] || fail "bad.txt changed was not read again"

stop
layers_whole 2
grep -q "stopped" err1.txt || fail "no 'stopped' note"

# ===== 2. restart: the store holds everything, nothing new is read =====
cp out/incidents.geojson incidents-before.geojson
start err2.txt
wait_for "$LIMIT" "documents: " err2.txt || fail "no batch after the restart"
grep -q "documents: 0 read, 1 failed, 3 already stored" err2.txt ||
    fail "the restart read something again: $(grep 'documents: ' err2.txt)"
stop
layers_whole 2
cmp -s out/incidents.geojson incidents-before.geojson || fail "the restart changed the layers"
echo "$MODE: ok"
