#!/usr/bin/env bash
# challenge.sh -- score incimap on the blind challenge corpus (data/challenge).
#
#   bash scripts/challenge.sh [--keep DIR] dev|test|SPLIT_DIR
#
# Extracts the split's docs.jsonl with the tree's default model and scores the
# layer with ../shared/eval/score.py against the split's gold.jsonl. Prints:
#   - the scorer's report (per type, misses, false positives, dates, actor1);
#   - P/R/F1 per language;
#   - the scorer's summary at --min-confidence 0.8;
#   - as its last line:
#     challenge SPLIT: P=0.xx R=0.xx F1=0.xx dates=0.xx actor1=0.xx P@0.8=0.xx R@0.8=0.xx
# Floors (optional): MIN_F1, MIN_DATE, MIN_ACTOR; the script exits 1 when a
# figure is below its floor (the ctest accuracy_challenge sets them for dev/).
# test/ is scored by the lead once, at the end: never read or tune on it
# (data/challenge/README.md).
# Environment: INCIMAP (default build/incimap), INCIMAP_GAZETTEER (default the
# installed gazetteer), SHARED (default ../shared beside the repo).
# Exit status 77 when the scorer or the gazetteer is absent, 1 on a failure or
# a figure below its floor.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
keep=""
if [ "${1:-}" = "--keep" ]; then keep=${2:?--keep needs a folder}; shift 2; fi
split=${1:?usage: challenge.sh [--keep DIR] dev|test|SPLIT_DIR}
case $split in
    dev|test) dir=$here/data/challenge/$split ;;
    *) dir=$split ;;
esac
name=$(basename "$dir")
INCIMAP=${INCIMAP:-$here/build/incimap}
GAZ=${INCIMAP_GAZETTEER:-/usr/local/share/incimap/gazetteer.sqlite}
SHARED=${SHARED:-$here/../shared}
score=$SHARED/eval/score.py
if [ ! -f "$score" ]; then echo "skipped: no scorer at $score"; exit 77; fi
if [ ! -f "$GAZ" ]; then echo "skipped: no gazetteer at $GAZ"; exit 77; fi
for f in docs.jsonl gold.jsonl; do
    [ -f "$dir/$f" ] || { echo "challenge.sh: $dir/$f: no such file" >&2; exit 1; }
done
[ -x "$INCIMAP" ] || { echo "challenge.sh: $INCIMAP: not an executable (build first)" >&2; exit 1; }
work=${keep:-$(mktemp -d)}
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT

"$INCIMAP" extract "$dir/docs.jsonl" -o "$work/out" -f GeoJSON -q --overwrite --gazetteer "$GAZ"
layer=$work/out/incidents.geojson
[ -f "$layer" ] || { echo "challenge.sh: no layer at $layer" >&2; exit 1; }

echo "=== challenge $name: $(grep -c . "$dir/docs.jsonl") articles"
python3 "$score" --gold "$dir/gold.jsonl" "$layer"
python3 - "$score" "$dir" "$layer" "$name" "${MIN_F1:-}" "${MIN_DATE:-}" "${MIN_ACTOR:-}" <<'PY'
import json, subprocess, sys
score, d, layer, name, mf1, mdate, mactor = sys.argv[1:8]
docs = [json.loads(l) for l in open(f"{d}/docs.jsonl", encoding="utf-8") if l.strip()]
def run(*extra):
    out = subprocess.run([sys.executable, score, "--gold", f"{d}/gold.jsonl", layer, "--json", *extra],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)
def fmt(x):
    return "n/a" if x is None else f"{x:.2f}"
print("=== per language")
for lang in sorted({x["lang"] for x in docs}):
    ids = ",".join(x["id"] for x in docs if x["lang"] == lang)
    r = run("--docs", ids)
    per = " ".join(f"{t}={v['f1']:.2f}" for t, v in r["per_type"].items())
    print(f"{lang}: P={r['precision']:.2f} R={r['recall']:.2f} F1={r['f1']:.2f} "
          f"(tp {r['tp']}, fp {r['fp']}, fn {r['fn']}) dates={fmt(r['date_accuracy'])} "
          f"actor1={fmt(r['actor1_accuracy'])} | F1 per type: {per}")
r80 = run("--min-confidence", "0.8")
print("=== at --min-confidence 0.8")
for t, v in r80["per_type"].items():
    print(f"{t:11s} P={v['precision']:.2f} R={v['recall']:.2f} F1={v['f1']:.2f} "
          f"(tp {v['tp']}, fp {v['fp']}, fn {v['fn']})")
print(f"overall P={r80['precision']:.2f} R={r80['recall']:.2f} F1={r80['f1']:.2f}")
r = run()
print(f"challenge {name}: P={r['precision']:.2f} R={r['recall']:.2f} F1={r['f1']:.2f} "
      f"dates={fmt(r['date_accuracy'])} actor1={fmt(r['actor1_accuracy'])} "
      f"P@0.8={r80['precision']:.2f} R@0.8={r80['recall']:.2f}")
bad = []
for label, got, floor in (("F1", r["f1"], mf1), ("date accuracy", r["date_accuracy"], mdate),
                          ("actor1 accuracy", r["actor1_accuracy"], mactor)):
    if floor and (got is None or got < float(floor)):
        bad.append(f"{label} {fmt(got)} below the floor {floor}")
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
