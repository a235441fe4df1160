#!/bin/sh
# bench_gazetteer.sh [BUILD_DIR] -- measure the default gazetteer build
# (wall seconds and peak RSS under /usr/bin/time -v) and warm lookup/probe
# rates (bench_lookup). Needs the vendor files (scripts/fetch-data.sh).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
incimap=$build/incimap
bench=$build/tests/bench_lookup
[ -x "$incimap" ] || { echo "bench: $incimap not built" >&2; exit 1; }
[ -x "$bench" ] || { echo "bench: $bench not built (cmake --build $build --target bench_lookup)" >&2; exit 1; }
if [ ! -x /usr/bin/time ]; then
    echo "bench: installing GNU time (apt-get install time)" >&2
    apt-get install -y time >/dev/null
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/incimap-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT
echo "== default gazetteer build ($(nproc) cores)"
/usr/bin/time -v "$incimap" gazetteer build -q -o "$out/g.sqlite" 2>"$out/time.txt" || {
    cat "$out/time.txt" >&2; exit 1; }
secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/time.txt")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/time.txt")
echo "build: wall $secs, peak RSS $((rss / 1024)) MB, file $(($(stat -c %s "$out/g.sqlite") / 1048576)) MB"
"$incimap" gazetteer info --gazetteer "$out/g.sqlite" | grep -E '^(places|names|regions):'
echo "== warm lookups"
"$bench" "$out/g.sqlite" 2
