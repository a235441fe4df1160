#!/bin/sh
# spill.sh INCIMAP GAZETTEER SHARED_DIR WORK
# A run that holds too many reports in memory merges them in a temporary
# store instead: the layers must be byte-identical to the in-memory merge,
# and the temporary store must be gone afterwards.
set -u
incimap=$1 gaz=$2 shared=$3 work=$4
docs=$shared/corpus/dev/docs.jsonl
[ -f "$docs" ] || { echo "skipped: $docs is absent"; exit 77; }
[ -f "$gaz" ] || { echo "skipped: no default gazetteer at $gaz"; exit 77; }
rm -rf "$work" && mkdir -p "$work/tmp" || exit 1
"$incimap" extract "$docs" -o "$work/memory" -f GeoJSON --gazetteer "$gaz" -q || exit 1
TMPDIR=$work/tmp INCIMAP_SPILL_REPORTS=3 \
    "$incimap" extract "$docs" -o "$work/spilled" -f GeoJSON --gazetteer "$gaz" -v 2>"$work/err" || exit 1
grep -q "merging in a temporary store" "$work/err" || { echo "FAIL: the run did not spill"; exit 1; }
for l in incidents shelling clashes evacuations; do
    cmp "$work/memory/$l.geojson" "$work/spilled/$l.geojson" ||
        { echo "FAIL: $l differs between the in-memory and the spilled merge"; exit 1; }
done
# Reprints: each article twice in a row under two ids, so the run folds
# copies into one record (with two doc ids) before it spills them.
python3 - "$docs" "$work/twice.jsonl" <<'EOF2' || exit 1
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in f:
        if line.strip():
            d = json.loads(line)
            out.write(json.dumps(d, ensure_ascii=False) + "\n")
            d["id"] = str(d.get("id", "")) + "-reprint"
            out.write(json.dumps(d, ensure_ascii=False) + "\n")
EOF2
"$incimap" extract "$work/twice.jsonl" -o "$work/memory2" -f GeoJSON --gazetteer "$gaz" -q || exit 1
TMPDIR=$work/tmp INCIMAP_SPILL_REPORTS=20 \
    "$incimap" extract "$work/twice.jsonl" -o "$work/spilled2" -f GeoJSON --gazetteer "$gaz" -v 2>"$work/err2" || exit 1
grep -q "merging in a temporary store" "$work/err2" || { echo "FAIL: the reprint run did not spill"; exit 1; }
for l in incidents shelling clashes evacuations; do
    cmp "$work/memory2/$l.geojson" "$work/spilled2/$l.geojson" ||
        { echo "FAIL: $l differs between the in-memory and the spilled merge of reprints"; exit 1; }
done
grep -q '"n_sources": 2' "$work/memory2/incidents.geojson" || { echo "FAIL: reprints did not merge"; exit 1; }
[ -z "$(ls -A "$work/tmp")" ] || { echo "FAIL: temporary files left: $(ls -A "$work/tmp")"; exit 1; }
echo "spill: identical layers, nothing left behind"
