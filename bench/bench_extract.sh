#!/usr/bin/env bash
# bench_extract.sh -- throughput and memory of `incimap extract` at 1, 10 and
# 100 MB of input, against one pass of `grep -F -f <all gazetteer names>`
# over the same text. A report, not a timed test: numbers go to stdout.
#
#   bash bench/bench_extract.sh [-b INCIMAP] [-B BASELINE] [-g GAZETTEER] [-s "1 10 100"]
#                               [-w WORKDIR] [-d]
#
# -B: another incimap binary (an older build) run on the same files in the
# same command, alternating with -b, three times each; the table then gives
# each one's best time and the ratio of throughput and peak memory (a shared
# machine's load moves both alike).
#
# -d: each repetition gets another publication date (a day later, over
# 3,000 days), so relative dates differ and reports do not repeat: the
# worst case for the merge's memory (a varied news feed), against the
# default where repetitions are reprints that fold into one record.
#
# Input: JSON Lines made by repeating an article set: the project's own
# articles (examples/, tests/fixtures/docs/*.txt), plus, when present,
# ../shared/corpus/dev/*.txt read at run time (never copied into the repo).
# Each repetition is a separate document with its own id.
# Needs: python3, /usr/bin/time (Debian package "time"), sqlite3, grep.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
INCIMAP=${INCIMAP:-}
GAZ=${INCIMAP_GAZETTEER:-/usr/local/share/incimap/gazetteer.sqlite}
SIZES="1 10 100"
WORK=${TMPDIR:-/tmp}/incimap-bench
DISTINCT=0
BASELINE=

while getopts "b:B:g:s:w:dh" o; do
    case $o in
    b) INCIMAP=$OPTARG ;;
    B) BASELINE=$OPTARG ;;
    g) GAZ=$OPTARG ;;
    s) SIZES=$OPTARG ;;
    w) WORK=$OPTARG ;;
    d) DISTINCT=1 ;;
    *)
        sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'
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
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 missing (apt-get install sqlite3)" >&2; exit 2; }

mkdir -p "$WORK"
echo "bench: incimap = $INCIMAP ($("$INCIMAP" --version))"
echo "bench: gazetteer = $GAZ"
echo "bench: cpu = $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), cores used: 1"

# ===== Input =====
sources=("$here"/examples/*.txt "$here"/tests/fixtures/docs/frontiere.txt)
if compgen -G "$here/../shared/corpus/dev/*.txt" >/dev/null; then
    sources+=("$here"/../shared/corpus/dev/*.txt)
    echo "bench: article set = project articles + ../shared/corpus/dev (${#sources[@]} files)"
else
    echo "bench: article set = project articles only (${#sources[@]} files)"
fi

kind=input
[ "$DISTINCT" = 1 ] && kind=distinct
for mb in $SIZES; do
    f="$WORK/$kind-${mb}MB.jsonl"
    [ -s "$f" ] && continue
    python3 - "$f" "$mb" "$DISTINCT" "${sources[@]}" <<'EOF'
import datetime, json, sys
out, mb, distinct, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4:]
arts = [open(p, encoding="utf-8").read() for p in paths]
target, size, i = mb * 1024 * 1024, 0, 0
with open(out, "w", encoding="utf-8") as f:
    while size < target:
        day = datetime.date(2019, 1, 1) + datetime.timedelta(days=i % 3000) if distinct \
            else datetime.date(2022, 9, 14)
        line = json.dumps({"id": "bench-%d" % i, "published": day.isoformat(), "lang": "fr",
                           "text": arts[i % len(arts)]}, ensure_ascii=False) + "\n"
        f.write(line)
        size += len(line.encode("utf-8"))
        i += 1
EOF
done

# ===== The names grep looks for =====
names="$WORK/names.txt"
if [ ! -s "$names" ] || [ "$GAZ" -nt "$names" ]; then
    sqlite3 "$GAZ" "SELECT DISTINCT name FROM names WHERE length(name) >= 3;" >"$names"
fi
echo "bench: grep patterns = $(wc -l <"$names") distinct gazetteer names"

# ===== Runs =====
timed() { # log cmd... -> prints "wall_seconds max_rss_kb"
    local log=$1
    shift
    /usr/bin/time -v "$@" >/dev/null 2>"$log" || true
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
        /Maximum resident set size/ { rss = $2 }
        END { printf "%.3f %d\n", s, rss }' "$log"
}

printf '\n%-8s %10s %8s %10s %10s %10s %12s %10s %8s\n' size bytes docs "incimap s" "MB/s" "docs/s" "peak RSS MB" "grep s" ratio
for mb in $SIZES; do
    f="$WORK/$kind-${mb}MB.jsonl"
    bytes=$(stat -c %s "$f")
    docs=$(wc -l <"$f")
    rm -rf "$WORK/out-$mb"
    read -r secs rss < <(timed "$WORK/time-incimap-$mb.log" \
        "$INCIMAP" extract "$f" -o "$WORK/out-$mb" -f GeoJSON --gazetteer "$GAZ" -q)
    read -r gsecs _ < <(timed "$WORK/time-grep-$mb.log" grep -F -c -f "$names" "$f")
    awk -v mb="$mb" -v b="$bytes" -v d="$docs" -v s="$secs" -v r="$rss" -v g="$gsecs" 'BEGIN {
        if (s <= 0) s = 0.001; if (g <= 0) g = 0.001
        printf "%-8s %10d %8d %10.2f %10.2f %10.0f %12.1f %10.2f %8.2f\n",
               mb "MB", b, d, s, b / 1048576 / s, d / s, r / 1024, g, s / g }'
    grep -Eq "Exit status: ([2-9]|[1-9][0-9])" "$WORK/time-incimap-$mb.log" &&
        echo "bench: warning: incimap exited with $(grep 'Exit status' "$WORK/time-incimap-$mb.log")" >&2
done
if [ -n "$BASELINE" ]; then
    [ -x "$BASELINE" ] || { echo "bench: baseline $BASELINE is not executable" >&2; exit 2; }
    echo
    echo "bench: baseline = $BASELINE ($("$BASELINE" --version))"
    printf '%-8s %12s %12s %14s %14s %12s %12s\n' size "base MB/s" "new MB/s" "base RSS MB" \
        "new RSS MB" "speed ratio" "RSS ratio"
    for mb in $SIZES; do
        f="$WORK/$kind-${mb}MB.jsonl"
        bytes=$(stat -c %s "$f")
        best_b=999999 best_n=999999 rss_b=0 rss_n=0
        for rep in 1 2 3; do
            for who in base new; do
                bin=$INCIMAP
                [ "$who" = base ] && bin=$BASELINE
                rm -rf "$WORK/out-cmp"
                read -r secs rss < <(timed "$WORK/time-$who-$mb.log" \
                    "$bin" extract "$f" -o "$WORK/out-cmp" -f GeoJSON --gazetteer "$GAZ" -q)
                if [ "$who" = base ]; then
                    best_b=$(awk -v a="$best_b" -v b="$secs" 'BEGIN { print (b < a ? b : a) }')
                    rss_b=$rss
                else
                    best_n=$(awk -v a="$best_n" -v b="$secs" 'BEGIN { print (b < a ? b : a) }')
                    rss_n=$rss
                fi
            done
        done
        awk -v mb="$mb" -v by="$bytes" -v tb="$best_b" -v tn="$best_n" -v rb="$rss_b" -v rn="$rss_n" 'BEGIN {
            if (tb <= 0) tb = 0.001; if (tn <= 0) tn = 0.001
            printf "%-8s %12.2f %12.2f %14.1f %14.1f %12.2f %12.2f\n", mb "MB", by / 1048576 / tb,
                   by / 1048576 / tn, rb / 1024, rn / 1024, tb / tn, rn / rb }'
    done
    echo "speed ratio = new throughput / baseline throughput (best of 3 each, alternated);"
    echo "RSS ratio = new peak memory / baseline peak memory."
fi
echo
echo "ratio = incimap time / grep -F -f time on the same file (1.0 = as fast as one grep pass)."
echo "logs: $WORK/time-*.log"
