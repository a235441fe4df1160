#!/usr/bin/env bash
# bench_f1.sh INCIMAP SHARED FLOOR -- the article-extraction benchmark as a
# test: `incimap text` on its pages, scored by its score_body.py; fails when
# F1 is under FLOOR. Prints SKIPPED (a ctest skip) when ../shared is absent.
set -euo pipefail
incimap=$1 shared=$2 floor=$3
bench=$shared/bench/article-extraction
if [ ! -f "$bench/score_body.py" ] || [ ! -d "$bench/html" ]; then
    echo "SKIPPED: $bench absent (the article-extraction benchmark)"
    exit 0
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$incimap" text -q "$bench"/html/*.html.gz -o "$out" || true
line=$(python3 "$bench/score_body.py" "$out")
echo "$line"
f1=$(echo "$line" | sed -n 's/.*F1=\([0-9.]*\).*/\1/p')
python3 -c "import sys; sys.exit(0 if float('$f1') >= float('$floor') else 1)" || {
    echo "F1 $f1 is under the floor $floor"
    exit 1
}
