#!/usr/bin/env bash
# bench_extract.sh -- throughput, documents per second and peak memory of
# `incimap extract` on text it has never seen, on real articles read once and
# on reprints, on one core and on several, against a baseline binary run in
# the same command. A report, not a timed test: numbers go to stdout.
#
#   bash bench/bench_extract.sh [-b INCIMAP] [-B BASELINE] [-D BASELINE_DATA]
#                               [-g GAZETTEER] [-s "10 100"] [-j "1 2"] [-r REPS]
#                               [-w WORKDIR]
#
# Inputs (made once in WORKDIR, default $TMPDIR/incimap-bench):
#   fresh-N.jsonl    N MB of new documents (bench/gen_fresh.py: templates of
#                    our own in French and English, every place name drawn
#                    from the whole gazetteer, so no cache can help). -s sets
#                    the sizes; 1000 is accepted but takes long.
#   dev.jsonl        the real dev articles of ../shared/corpus/dev without the
#                    lockbox (scripts/crossval_util.py unlock), read once:
#                    their figure is after start-up (the run's time less a
#                    run on one tiny document).
#   reprint.jsonl    10 MB of those articles repeated under new ids (what the
#                    gazetteer caches help most).
#   tiny.jsonl       one short document: the start-up time.
# Every input runs with -j 1 and each -j N of -j (default "1 2") on INCIMAP,
# and once (single-threaded) on BASELINE when given (-B; today's baseline is
# /usr/local/bin/incimap, installed from main by setup; it reads the data
# (lexicons, model) of -D, default BASELINE/../share/incimap/data when there,
# as a build-tree binary would read its source tree's, which may have moved
# on). Each figure is the
# best of REPS runs (default 3, alternating binaries; 1 for inputs over
# 50 MB). Ratios compare INCIMAP -j 1 with BASELINE, and -j N with -j 1;
# "same" says whether the layers are byte-identical to those of -j 1.
# MB/s is by wall clock; cpu MB/s by user + system time (a shared machine's
# load stretches the wall clock, less the CPU time).
# Memory: "RSS MB" is the peak resident set as /usr/bin/time reports it (the
# issue's figure: it counts the pages of the mapped gazetteer index, 180 MB
# of shared page cache, as they are touched, and the shared libraries);
# "anon MB" is the peak of the process's private anonymous memory (heap,
# stacks: Anonymous in /proc/PID/smaps_rollup, sampled every 0.1 s, so a
# peak shorter than that can be missed), without the index and libraries.
# Needs: python3, /usr/bin/time (Debian package "time"), cmp, pgrep.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
INCIMAP=${INCIMAP:-}
GAZ=${INCIMAP_GAZETTEER:-/usr/local/share/incimap/gazetteer.sqlite}
SIZES="10 100"
JOBS="1 2"
REPS=3
WORK=${TMPDIR:-/tmp}/incimap-bench
BASELINE=
BASE_DATA=

while getopts "b:B:D:g:s:j:r:w:h" o; do
    case $o in
    b) INCIMAP=$OPTARG ;;
    B) BASELINE=$OPTARG ;;
    D) BASE_DATA=$OPTARG ;;
    g) GAZ=$OPTARG ;;
    s) SIZES=$OPTARG ;;
    j) JOBS=$OPTARG ;;
    r) REPS=$OPTARG ;;
    w) WORK=$OPTARG ;;
    *)
        sed -n '2,40p' "$0" | sed 's/^# \{0,1\}//'
        exit 2
        ;;
    esac
done
if [ -z "$INCIMAP" ]; then
    for c in "$here/build-test/release/incimap" "$here/build/incimap" "$(command -v incimap || true)"; do
        if [ -n "$c" ] && [ -x "$c" ]; then
            INCIMAP=$c
            break
        fi
    done
fi
[ -n "$INCIMAP" ] && [ -x "$INCIMAP" ] || { echo "bench: no incimap binary (-b)" >&2; exit 2; }
[ -s "$GAZ" ] || { echo "bench: no gazetteer at $GAZ (-g)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
[ -z "$BASELINE" ] || [ -x "$BASELINE" ] || { echo "bench: baseline $BASELINE is not executable" >&2; exit 2; }
if [ -n "$BASELINE" ] && [ -z "$BASE_DATA" ]; then
    d="$(dirname "$BASELINE")/../share/incimap/data"
    [ -d "$d" ] && BASE_DATA=$(cd "$d" && pwd)
fi

mkdir -p "$WORK"
echo "bench: incimap = $INCIMAP ($("$INCIMAP" --version))"
[ -n "$BASELINE" ] && echo "bench: baseline = $BASELINE ($("$BASELINE" --version)), data ${BASE_DATA:-its own}"
echo "bench: gazetteer = $GAZ"
echo "bench: cpu = $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

# ===== Inputs =====
inputs=(tiny)
printf '{"id": "tiny-1", "published": "2022-09-14", "lang": "fr", "text": "Des tirs ont visé Goris mardi soir, selon le ministère."}\n' >"$WORK/tiny.jsonl"
for mb in $SIZES; do
    f="$WORK/fresh-$mb.jsonl"
    if [ ! -s "$f" ] || [ "$GAZ" -nt "$f" ]; then
        echo "bench: generating $f"
        python3 "$here/bench/gen_fresh.py" "$GAZ" "$f" "$mb"
    fi
    inputs+=("fresh-$mb")
done
dev=$here/../shared/corpus/dev
if [ -f "$dev/docs.jsonl" ]; then
    mkdir -p "$WORK/unlocked"
    python3 "$here/scripts/crossval_util.py" unlock "$here/data/model/lockbox.tsv" "$dev" "$WORK/unlocked"
    cp "$WORK/unlocked/docs.jsonl" "$WORK/dev.jsonl"
    python3 - "$WORK/dev.jsonl" "$WORK/reprint.jsonl" <<'EOF'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
size, i = 0, 0
with open(sys.argv[2], "w", encoding="utf-8") as out:
    while size < 10 * 1024 * 1024:
        d = dict(docs[i % len(docs)], id="reprint-%d" % i)
        line = json.dumps(d, ensure_ascii=False) + "\n"
        out.write(line)
        size += len(line.encode("utf-8"))
        i += 1
EOF
    inputs+=(dev reprint)
else
    echo "bench: no ../shared/corpus/dev: the real articles and reprints are left out"
fi

# ===== Runs =====
# timed CMD... -> "wall cpu rss_kb anon_kb" (anon: the peak of Anonymous in
# smaps_rollup, sampled while it runs)
timed() {
    local log=$WORK/time.log tp pid="" anon=0 a
    /usr/bin/time -f "%e %U %S %M %x" -o "$log" "$@" >/dev/null 2>"$WORK/stderr.log" &
    tp=$!
    while kill -0 "$tp" 2>/dev/null; do
        [ -n "$pid" ] || pid=$(pgrep -P "$tp" | head -n 1 || true)
        if [ -n "$pid" ]; then
            a=$(awk '/^Anonymous:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null || true)
            [ -n "$a" ] && [ "$a" -gt "$anon" ] && anon=$a
        fi
        sleep 0.1
    done
    wait "$tp" || true
    read -r wall u s rss rc < <(tail -n 1 "$log")
    [ "$rc" -le 1 ] || echo "bench: warning: exit status $rc: $*" >&2
    awk -v w="$wall" -v u="$u" -v s="$s" -v r="$rss" -v a="$anon" \
        'BEGIN { printf "%.3f %.3f %d %d\n", w, u + s, r, a }'
}
declare -A WALL CPU RSS ANON
best() { # key bin args...
    local key=$1
    shift
    read -r w c r a < <(timed "$@")
    if [ -z "${WALL[$key]:-}" ] || awk -v a="$w" -v b="${WALL[$key]}" 'BEGIN { exit !(a < b) }'; then
        WALL[$key]=$w
        CPU[$key]=$c
    fi
    [ "${RSS[$key]:-0}" -ge "$r" ] || RSS[$key]=$r
    [ "${ANON[$key]:-0}" -ge "$a" ] || ANON[$key]=$a
}
base_j=""
"$INCIMAP" extract --help | grep -c -- '--jobs' >/dev/null || { echo "bench: $INCIMAP has no -j" >&2; JOBS=1; }
for in in "${inputs[@]}"; do
    f="$WORK/$in.jsonl"
    reps=$REPS
    [ "$(stat -c %s "$f")" -gt $((50 * 1024 * 1024)) ] && reps=1
    for ((r = 1; r <= reps; r++)); do
        if [ -n "$BASELINE" ]; then
            rm -rf "$WORK/out-base-$in"
            best "base,$in" env ${BASE_DATA:+INCIMAP_DATA="$BASE_DATA"} "$BASELINE" extract "$f" \
                -o "$WORK/out-base-$in" -f GeoJSON --gazetteer "$GAZ" -q
        fi
        for j in $JOBS; do
            rm -rf "$WORK/out-j$j-$in"
            best "j$j,$in" "$INCIMAP" extract "$f" -o "$WORK/out-j$j-$in" -f GeoJSON \
                --gazetteer "$GAZ" -q -j "$j"
        done
    done
done

# ===== Report =====
echo
printf '%-12s %5s %10s %8s %9s %9s %9s %9s %9s %9s %6s\n' input run MB docs "wall s" "MB/s" "cpu MB/s" \
    "docs/s" "RSS MB" "anon MB" same
tiny_w=${WALL["j1,tiny"]}
for in in "${inputs[@]}"; do
    f="$WORK/$in.jsonl"
    bytes=$(stat -c %s "$f")
    docs=$(grep -c . "$f")
    runs=""
    [ -n "$BASELINE" ] && runs="base"
    for j in $JOBS; do runs="$runs j$j"; done
    for run in $runs; do
        key="$run,$in"
        same="-"
        if [ "$run" != j1 ] && [ -d "$WORK/out-j1-$in" ]; then
            same=yes
            for g in "$WORK/out-j1-$in"/*.geojson; do
                cmp -s "$g" "$WORK/out-$run-$in/$(basename "$g")" || same=no
            done
        fi
        w=${WALL[$key]}
        # real articles read once: after start-up (less the tiny run of the same binary)
        [ "$in" = dev ] && w=$(awk -v a="$w" -v t="${WALL[$run,tiny]}" 'BEGIN { d = a - t; print (d > 0.001 ? d : 0.001) }')
        awk -v inp="$in" -v run="$run" -v b="$bytes" -v d="$docs" -v w="$w" -v c="${CPU[$key]}" \
            -v r="${RSS[$key]}" -v an="${ANON[$key]}" -v same="$same" 'BEGIN {
            if (w <= 0) w = 0.001; if (c <= 0) c = 0.001
            printf "%-12s %5s %10.2f %8d %9.3f %9.2f %9.2f %9.0f %9.1f %9.1f %6s\n", inp, run,
                   b / 1048576, d, w, b / 1048576 / w, b / 1048576 / c, d / w, r / 1024, an / 1024,
                   same }'
    done
done
echo
echo "ratios (throughput by wall clock; RSS as peak memory):"
for in in "${inputs[@]}"; do
    [ "$in" = tiny ] && continue
    line="  $in:"
    if [ -n "$BASELINE" ]; then
        line="$line $(awk -v a="${WALL["base,$in"]}" -v b="${WALL["j1,$in"]}" -v ta="${WALL["base,tiny"]}" \
            -v tb="$tiny_w" -v dev="$([ "$in" = dev ] && echo 1 || echo 0)" \
            -v ra="${RSS["base,$in"]}" -v rb="${RSS["j1,$in"]}" 'BEGIN {
            if (dev) { a -= ta; b -= tb } if (a <= 0) a = 0.001; if (b <= 0) b = 0.001
            printf "j1/baseline speed %.2fx, RSS %.2fx;", a / b, rb / ra }')"
    fi
    for j in $JOBS; do
        [ "$j" = 1 ] && continue
        line="$line $(awk -v a="${WALL["j1,$in"]}" -v b="${WALL["j$j,$in"]}" 'BEGIN {
            if (b <= 0) b = 0.001; printf "j%s/j1 %.2fx;", "'"$j"'", a / b }')"
    done
    echo "$line"
done
echo "start-up (tiny input, wall): j1 ${WALL["j1,tiny"]} s${BASELINE:+, baseline ${WALL["base,tiny"]} s}"
echo "logs and layers: $WORK"
