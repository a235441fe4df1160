#!/bin/sh
# spill.sh INCIMAP GAZETTEER SHARED_DIR WORK
# A run that holds too many reports in memory merges them in a temporary
# store instead: the layers must be byte-identical to the in-memory merge,
# and the temporary store must be gone afterwards.
set -u
incimap=$1 gaz=$2 shared=$3 work=$4
here=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$shared/corpus/dev/docs.jsonl" ] || { echo "skipped: $shared/corpus/dev/docs.jsonl is absent"; exit 77; }
[ -f "$gaz" ] || { echo "skipped: no default gazetteer at $gaz"; exit 77; }
rm -rf "$work" && mkdir -p "$work/tmp" "$work/dev" || exit 1
# the dev articles less the lockbox: no run of any test reads those
python3 "$here/scripts/crossval_util.py" unlock "$here/data/model/lockbox.tsv" \
    "$shared/corpus/dev" "$work/dev" >/dev/null || exit 1
docs=$work/dev/docs.jsonl

# same_as_memory NAME INPUT SPILL_AT: the run spilled past SPILL_AT
# distinct reports writes the layers of the in-memory run.
same_as_memory() {
    "$incimap" extract "$2" -o "$work/$1-memory" -f GeoJSON --gazetteer "$gaz" -q || exit 1
    TMPDIR=$work/tmp INCIMAP_SPILL_REPORTS=$3 "$incimap" extract "$2" -o "$work/$1-spilled" \
        -f GeoJSON --gazetteer "$gaz" -v 2>"$work/$1.err" || exit 1
    grep -q "merging in a temporary store" "$work/$1.err" ||
        { echo "FAIL: $1: the run did not spill"; exit 1; }
    for l in incidents shelling clashes evacuations; do
        cmp "$work/$1-memory/$l.geojson" "$work/$1-spilled/$l.geojson" ||
            { echo "FAIL: $1: $l differs between the in-memory and the spilled merge"; exit 1; }
    done
}

same_as_memory dev "$docs" 3

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
same_as_memory reprints "$work/twice.jsonl" 20
# a reprint (the same text under another id) counts once in n_sources and
# once in n_reprints (issue 18)
python3 - "$work/reprints-memory/incidents.geojson" <<'EOF2' || { echo "FAIL: reprints did not merge"; exit 1; }
import json, sys
ps = [f["properties"] for f in json.load(open(sys.argv[1], encoding="utf-8"))["features"]]
sys.exit(0 if ps and all(p["n_reprints"] == p["n_sources"] and
                         len(p["doc_ids"]) == 2 * p["n_sources"] for p in ps) else 1)
EOF2

# Different documents under one id (a feed's ids are not always unique):
# the in-memory merge keeps the reports of all of them, and so must a run
# that spills between them.
python3 - "$docs" "$work/same-id.jsonl" <<'EOF2' || exit 1
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in [l for l in f if l.strip()][:4]:
        d = json.loads(line)
        d["id"] = "same"
        out.write(json.dumps(d, ensure_ascii=False) + "\n")
EOF2
same_as_memory same-id "$work/same-id.jsonl" 1
[ "$(grep -c '"type": "Feature"' "$work/same-id-spilled/incidents.geojson")" -gt 5 ] ||
    { echo "FAIL: same-id: reports of documents sharing an id were lost"; exit 1; }

[ -z "$(ls -A "$work/tmp")" ] || { echo "FAIL: temporary files left: $(ls -A "$work/tmp")"; exit 1; }
echo "spill: identical layers, nothing left behind"
