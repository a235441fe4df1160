#!/usr/bin/env bash
# bench_read.sh -- how well and how fast incimap reads HTML pages: the
# article-extraction benchmark's F1 (../shared/bench/article-extraction,
# score_body.py: 4-word shingles, per-page P/R/F1) and HTML pages per second,
# for `incimap text` with --html main (the article) and --html whole (every
# text node: the whole-page baseline). A report, not a timed test.
#
#   bash bench/bench_read.sh [-b INCIMAP] [-B BASELINE] [-r REPEAT] [-k KEEPDIR]
#
# -B: another incimap binary (an older build) measured in the same command.
#     When it has no `text` command (builds before issue 17), its F1 cannot be
#     taken; both binaries are then also timed through `extract` on the same
#     pages (pages/second end to end, reading included), which is what a
#     user of either build waits for.
# -r: timed passes over the 121 pages (default 3; the best is kept).
# Needs python3. Exit status 77 when ../shared is absent.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
INCIMAP=${INCIMAP:-$here/build/incimap}
BASELINE=
REPEAT=3
KEEP=
BENCH=${SHARED:-$here/../shared}/bench/article-extraction
GAZ=${INCIMAP_GAZETTEER:-/usr/local/share/incimap/gazetteer.sqlite}

while getopts "b:B:r:k:h" o; do
    case $o in
    b) INCIMAP=$OPTARG ;;
    B) BASELINE=$OPTARG ;;
    r) REPEAT=$OPTARG ;;
    k) KEEP=$OPTARG ;;
    *) sed -n '2,17p' "$0"; exit 2 ;;
    esac
done
if [ ! -f "$BENCH/score_body.py" ] || [ ! -d "$BENCH/html" ]; then
    echo "SKIPPED: $BENCH absent (the article-extraction benchmark)"
    exit 77
fi
work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
[ -n "$KEEP" ] || trap 'rm -rf "$work"' EXIT
pages=("$BENCH"/html/*.html.gz)
npages=${#pages[@]}

has_text() { "$1" text --help >/dev/null 2>&1; }

# best wall time (seconds) of REPEAT runs of "$@"
best_time() {
    local best="" t0 t1 t
    for _ in $(seq "$REPEAT"); do
        t0=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        t1=$(date +%s.%N)
        t=$(echo "$t1 - $t0" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
    done
    echo "$best"
}

f1_of() { # binary mode -> "P R F1"
    local out="$work/$(basename "$1")-$2.jsonl"
    "$1" text --html "$2" -q "${pages[@]}" -o "$out" 2>/dev/null || true
    python3 "$BENCH/score_body.py" "$out" | sed -n 's/.*P=\([0-9.]*\) R=\([0-9.]*\) F1=\([0-9.]*\).*/\1 \2 \3/p'
}

printf '%-34s %-6s %6s %6s %6s %10s\n' binary html P R F1 pages/s
row() { # binary label
    local b=$1
    if ! has_text "$b"; then
        printf '%-34s %-6s %6s %6s %6s %10s\n' "$2" - n/a n/a n/a "(no text)"
        return
    fi
    for mode in main whole; do
        read -r P R F <<<"$(f1_of "$b" $mode)"
        t=$(best_time "$b" text --html $mode -q "${pages[@]}" -o /dev/null)
        printf '%-34s %-6s %6s %6s %6s %10.1f\n' "$2" $mode "$P" "$R" "$F" \
            "$(echo "$npages / $t" | bc -l)"
    done
}
row "$INCIMAP" "$INCIMAP"
[ -z "$BASELINE" ] || row "$BASELINE" "$BASELINE"

# End to end (extract reads and extracts the pages), both binaries, when a
# baseline is given: the before/after any build can be timed on.
if [ -n "$BASELINE" ] && [ -f "$GAZ" ]; then
    echo
    printf '%-34s %10s\n' "extract (pages read + extracted)" pages/s
    for b in "$BASELINE" "$INCIMAP"; do
        t=$(best_time "$b" extract "${pages[@]}" --gazetteer "$GAZ" -o "$work/x.geojson" \
            -f GeoJSON --overwrite -q)
        printf '%-34s %10.1f\n' "$b" "$(echo "$npages / $t" | bc -l)"
    done
fi
echo "pages: $npages from $BENCH; best of $REPEAT passes"
