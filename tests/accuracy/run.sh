#!/bin/sh
# accuracy/run.sh INCIMAP GAZETTEER SHARED_DIR OUT_DIR
# Extract the dev corpus and score it with ../shared/eval/score.py; fail when
# F1, date or actor accuracy fall below the floors reached (see the closing
# notes of issue 3). Prints the scorer's report.
set -u
incimap=$1 gaz=$2 shared=$3 out=$4
F1_MIN=${F1_MIN:-0.96}
DATE_MIN=${DATE_MIN:-0.96}
ACTOR_MIN=${ACTOR_MIN:-0.89}
if [ ! -f "$shared/eval/score.py" ] || [ ! -f "$shared/corpus/dev/docs.jsonl" ]; then
    echo "skipped: $shared/eval/score.py or the dev corpus is absent"
    exit 77
fi
if [ ! -f "$gaz" ]; then
    echo "skipped: no default gazetteer at $gaz (run scripts/fetch-data.sh)"
    exit 77
fi
rm -rf "$out"
"$incimap" extract "$shared/corpus/dev/docs.jsonl" -o "$out" -f GeoJSON --gazetteer "$gaz" -q
rc=$?
if [ $rc -ne 0 ]; then
    echo "incimap extract failed with status $rc"
    exit 1
fi
python3 "$shared/eval/score.py" --gold "$shared/corpus/dev/gold.jsonl" "$out/incidents.geojson" || exit 1
python3 - "$shared/eval/score.py" "$shared/corpus/dev/gold.jsonl" "$out/incidents.geojson" \
    "$F1_MIN" "$DATE_MIN" "$ACTOR_MIN" <<'PY'
import json, subprocess, sys
score, gold, layer, f1_min, date_min, actor_min = sys.argv[1:]
res = json.loads(subprocess.run([sys.executable, score, "--gold", gold, layer, "--json"],
                                capture_output=True, text=True, check=True).stdout)
bad = []
for name, got, floor in (("F1", res["f1"], f1_min), ("date accuracy", res["date_accuracy"], date_min),
                         ("actor1 accuracy", res["actor1_accuracy"], actor_min)):
    if got is None or got < float(floor):
        bad.append(f"{name} {got} below the floor {floor}")
print("floors: F1 >= %s, date >= %s, actor1 >= %s" % (f1_min, date_min, actor_min))
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
