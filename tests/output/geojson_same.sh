#!/bin/sh
# geojson_same.sh INCIMAP SMALL_GAZETTEER DEFAULT_GAZETTEER SHARED_DIR SRC_DIR WORK
# Issue 20: `extract` writes the same GeoJSON bytes with the streaming
# writer (output/out_geojson.c) as with GDAL's driver (INCIMAP_GEOJSON_GDAL=1),
# for every layer, in a folder (the default GeoJSON + Shapefile output and
# -f GeoJSON), in one file (-o FILE.geojson) and on standard output. Runs
# on sentences of our own (tests/output/geojson_docs.jsonl, small
# gazetteer) and, when ../shared
# and the default gazetteer are there, on the dev articles less the lockbox
# and on those articles reprinted under new ids (merged incidents with
# long doc_ids and sources); that part is skipped with a message otherwise.
# The runs on our sentences go through $INCIMAP_TEST_WRAPPER (valgrind in
# scripts/test.sh); the dev articles' would take too long under it.
set -u
incimap=$1 small=$2 gaz=$3 shared=$4 src=$5 work=$6
rm -rf "$work" && mkdir -p "$work" || exit 1
fail=0

wrap=${INCIMAP_TEST_WRAPPER:-}

# same NAME GAZETTEER INPUT [extract options...]
same() {
    name=$1 g=$2 in=$3
    shift 3
    INCIMAP_GEOJSON_GDAL=1 $wrap "$incimap" extract "$in" -o "$work/$name-gdal" --gazetteer "$g" -q "$@" ||
        { echo "FAIL: $name: extract (GDAL) failed"; fail=1; return; }
    $wrap "$incimap" extract "$in" -o "$work/$name-ours" --gazetteer "$g" -q "$@" ||
        { echo "FAIL: $name: extract failed"; fail=1; return; }
    n=0
    for f in "$work/$name-gdal"/*.geojson; do
        b=$(basename "$f")
        if cmp "$f" "$work/$name-ours/$b"; then n=$((n + 1)); else
            echo "FAIL: $name: $b differs"; fail=1; fi
    done
    [ "$n" -ge 4 ] || { echo "FAIL: $name: $n layers compared"; fail=1; }
    grep -q '"type": "Feature"' "$work/$name-ours/incidents.geojson" ||
        { echo "FAIL: $name: no incident written, nothing compared"; fail=1; }
    ogrinfo -ro -so "$work/$name-ours/incidents.geojson" >/dev/null 2>&1 ||
        { echo "FAIL: $name: ogrinfo cannot open the layer"; fail=1; }
    INCIMAP_GEOJSON_GDAL=1 $wrap "$incimap" extract "$in" -o - --gazetteer "$g" -q \
        >"$work/$name-gdal.stdout" || { echo "FAIL: $name: -o - (GDAL)"; fail=1; }
    $wrap "$incimap" extract "$in" -o - --gazetteer "$g" -q >"$work/$name-ours.stdout" ||
        { echo "FAIL: $name: -o -"; fail=1; }
    cmp "$work/$name-gdal.stdout" "$work/$name-ours.stdout" ||
        { echo "FAIL: $name: -o - differs"; fail=1; }
    # -o FILE.geojson: the one layer in that file
    INCIMAP_GEOJSON_GDAL=1 $wrap "$incimap" extract "$in" -o "$work/$name-gdal.geojson" \
        --gazetteer "$g" -q || { echo "FAIL: $name: -o FILE.geojson (GDAL)"; fail=1; }
    $wrap "$incimap" extract "$in" -o "$work/$name-ours.geojson" --gazetteer "$g" -q ||
        { echo "FAIL: $name: -o FILE.geojson"; fail=1; }
    cmp "$work/$name-gdal.geojson" "$work/$name-ours.geojson" ||
        { echo "FAIL: $name: -o FILE.geojson differs"; fail=1; }
    echo "$name: $n layers, standard output and -o FILE.geojson identical"
}

[ -f "$small" ] || { echo "FAIL: no small gazetteer at $small"; exit 1; }
same fixture "$small" "$src/tests/output/geojson_docs.jsonl"
same fixture_geojson "$small" "$src/tests/output/geojson_docs.jsonl" -f GeoJSON --no-merge

docs=$shared/corpus/dev/docs.jsonl
if [ ! -f "$docs" ] || [ ! -f "$gaz" ]; then
    echo "skipped the dev articles: $docs or the default gazetteer $gaz is absent"
    exit $fail
fi
wrap=
mkdir -p "$work/dev" &&
    python3 "$src/scripts/crossval_util.py" unlock "$src/data/model/lockbox.tsv" \
        "$shared/corpus/dev" "$work/dev" || exit 1
same dev "$gaz" "$work/dev/docs.jsonl"
# reprints: every article three times under new ids (merged, long doc_ids)
python3 - "$work/dev/docs.jsonl" "$work/reprints.jsonl" <<'EOF2' || exit 1
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in f:
        if line.strip():
            d = json.loads(line)
            for k in range(3):
                e = dict(d, id=f"{d['id']}/r{k}")
                out.write(json.dumps(e, ensure_ascii=False) + "\n")
EOF2
same reprints "$gaz" "$work/reprints.jsonl" -f GeoJSON
exit $fail
