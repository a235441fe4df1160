#!/bin/sh
# lockbox_check.sh INCIMAP GAZETTEER SHARED_DIR OUT_DIR
# scripts/lockbox.sh on a FAKE lockbox, never the real one: a corpus without
# the real lockbox's articles (crossval_util.py unlock), five articles of its
# fold 0 as the fake lockbox, the other folds unchanged. The script must
# train without them, extract only them, and end with its summary line.
# Skips (77) without ../shared or the default gazetteer.
set -u
incimap=$1 gaz=$2 shared=$3 out=$4
here=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -f "$shared/corpus/dev/docs.jsonl" ] || [ ! -f "$shared/eval/score.py" ]; then
    echo "skipped: $shared/corpus/dev or $shared/eval/score.py is absent"
    exit 77
fi
if [ ! -f "$gaz" ]; then
    echo "skipped: no default gazetteer at $gaz (run scripts/fetch-data.sh)"
    exit 77
fi
rm -rf "$out"
mkdir -p "$out/shared/corpus/dev" "$out/shared/eval"
python3 "$here/scripts/crossval_util.py" unlock "$here/data/model/lockbox.tsv" \
    "$shared/corpus/dev" "$out/shared/corpus/dev" || exit 1
cp "$shared/eval/score.py" "$out/shared/eval/"
cp "$shared/corpus/dev/index.tsv" "$out/shared/corpus/dev/" 2>/dev/null
grep -P '\t0$' "$here/data/model/folds.tsv" | head -n 5 | cut -f1 >"$out/lockbox.tsv"
grep -v -F -f "$out/lockbox.tsv" "$here/data/model/folds.tsv" >"$out/folds.tsv"
INCIMAP=$incimap INCIMAP_GAZETTEER=$gaz SHARED=$out/shared LOCKBOX=$out/lockbox.tsv \
    FOLDS=$out/folds.tsv bash "$here/scripts/lockbox.sh" --keep "$out/work" >"$out/report.txt" 2>&1 || {
    cat "$out/report.txt"; echo "scripts/lockbox.sh failed"; exit 1; }
cat "$out/report.txt"
fail=0
grep -q '^=== lockbox: 5 articles' "$out/report.txt" || { echo "not 5 articles scored"; fail=1; }
tail -n 1 "$out/report.txt" | grep -Eq '^lockbox: P=[0-9.]+ R=[0-9.]+ F1=[0-9.]+ dates=[0-9.na/]+ actor1=[0-9.na/]+ P@0.8=[0-9.]+$' ||
    { echo "no summary line"; fail=1; }
# the layer holds the fake lockbox's articles only, and the model never saw them
python3 - "$out/work/out/incidents.geojson" "$out/lockbox.tsv" "$out/work/model.json" <<'PY' || fail=1
import json, sys
fc = json.load(open(sys.argv[1], encoding="utf-8"))
lock = {l.strip() for l in open(sys.argv[2]) if l.strip()}
docs = {d for f in fc["features"] for d in (f["properties"].get("doc_ids") or [])}
if not docs or not docs <= lock:
    sys.exit(f"the layer holds other articles than the fake lockbox: {sorted(docs - lock)}")
m = json.load(open(sys.argv[3], encoding="utf-8"))
if "calibration" not in m:
    sys.exit("the lockbox model has no calibration")
PY
exit $fail
