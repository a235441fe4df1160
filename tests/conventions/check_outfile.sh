#!/bin/sh
# -o FILE.ext writes that one file in the extension's format, as ogr2ogr
# does (issue 18): .geojson .json .shp .csv .fgb, and .gpkg, for extract and
# export; an existing FILE needs --overwrite (exit 5); the run ends with a
# one-line summary on stderr, and -q silences it.
# Environment: INCIMAP, GAZ (the small test gazetteer), WORK, HERE.
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v ogrinfo >/dev/null || { echo "SKIP: no ogrinfo (gdal-bin)"; exit 77; }
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
cd "$WORK" || exit 1
in="$HERE/article.jsonl"
count() { ogrinfo -so -al "$1" 2>/dev/null | sed -n 's/^Feature Count: //p' | head -1; }
for ext in geojson json shp csv fgb gpkg; do
    "$INCIMAP" extract "$in" --gazetteer "$GAZ" -o "t.$ext" 2>err.txt ||
        fail "extract -o t.$ext exited $?: $(cat err.txt)"
    [ -f "t.$ext" ] || fail "t.$ext is not a file: $(ls -la)"
    n=$(count "t.$ext")
    [ -n "$n" ] && [ "$n" -ge 1 ] || fail "t.$ext: feature count '$n' (ogrinfo cannot read it as one layer)"
    grep -q "1 document read, 0 skipped; $n incident.*without a pin" err.txt ||
        fail "no summary line for t.$ext: $(cat err.txt)"
    ls -d t.*tmp-* >/dev/null 2>&1 && fail "a stage was left beside t.$ext"
done
# the format is the extension's: GDAL names the driver
ogrinfo -so t.fgb 2>/dev/null | grep -q "FlatGeobuf" || fail "t.fgb is not FlatGeobuf"
ogrinfo -so t.json 2>/dev/null | grep -q "GeoJSON" || fail "t.json is not GeoJSON"
ogrinfo -so t.shp 2>/dev/null | grep -q "ESRI Shapefile" || fail "t.shp is not a Shapefile"
[ -f t.dbf ] && [ -f t.shx ] && [ -f t.prj ] || fail "the Shapefile's sidecars are not named after t.shp"
[ -f t.qml ] || echo "note: no t.qml (styles not found)"
head -1 t.csv | grep -q "type" || fail "t.csv has no header"
# an existing file: exit 5 without --overwrite, replaced with it
"$INCIMAP" extract "$in" --gazetteer "$GAZ" -o t.geojson 2>err.txt
st=$?
[ "$st" = 5 ] || fail "existing t.geojson: exit $st, expected 5"
grep -q "output exists (use --overwrite)" err.txt || fail "existing: $(cat err.txt)"
"$INCIMAP" extract "$in" --gazetteer "$GAZ" -o t.geojson --overwrite -q 2>err.txt ||
    fail "--overwrite exited $?"
[ -s err.txt ] && fail "-q printed: $(cat err.txt)"
# --layers names the one layer
"$INCIMAP" extract "$in" --gazetteer "$GAZ" -o s.geojson --layers evacuations -q ||
    fail "--layers evacuations exited $?"
[ "$(count s.geojson)" = 0 ] || fail "s.geojson (evacuations) is not empty"
# a folder is still a folder
"$INCIMAP" extract "$in" --gazetteer "$GAZ" -o layers -q || fail "folder output exited $?"
[ -f layers/incidents.geojson ] && [ -f layers/shelling.shp ] || fail "folder output lacks its layers"
# export: the same conventions from a store
"$INCIMAP" extract "$in" --gazetteer "$GAZ" --db store.sqlite -o db-layers -q || fail "--db exited $?"
for ext in geojson csv; do
    "$INCIMAP" export --db store.sqlite --gazetteer "$GAZ" -o "e.$ext" 2>err.txt ||
        fail "export -o e.$ext exited $?: $(cat err.txt)"
    [ -f "e.$ext" ] || fail "export: e.$ext is not a file"
    grep -q "incident.*written to e.$ext" err.txt || fail "export: no summary line: $(cat err.txt)"
done
echo "ok"
