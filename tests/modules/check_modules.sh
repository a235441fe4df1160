#!/bin/sh
# check_modules.sh -- the incimap executable without GDAL (issue 20,
# docs/modules.md). Usage: check_modules.sh CHECK INCIMAP SMALL_GAZETTEER WORK
#                           [CMAKE BUILD_DIR]
#   needed   readelf: no libgdal/libproj/libspatialite/libcairo/libcurl NEEDED,
#            nor libmicrohttpd (serve loads it: serve/serve_mhd.c)
#   missing  INCIMAP_MODULE pointing nowhere: GeoJSON and `gazetteer info`
#            still work (the module is not needed), GPKG, map and gazetteer
#            build fail with exit 5/5/4 and a message naming the file
#   gpkg     -f GPKG,GeoJSON through the module: both written, and the
#            GeoJSON identical to a GeoJSON-only run without the module
#   installed  `cmake --install BUILD_DIR --prefix WORK/inst`: the installed
#            executable looks for WORK/inst/bin/../lib/incimap/incimap-gdal.so
#            and writes a GeoPackage with it
set -u
check=$1 incimap=$2 gaz=$3 work=$4 cmake=${5:-cmake} build=${6:-}
fail() { echo "check_modules $check: FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work" || exit 1
cat >"$work/in.jsonl" <<'JSON'
{"id":"m1","title":"Shelling near Vardenis","text":"On 3 May 2021, Azerbaijani forces shelled Vardenis, the ministry said.","published":"2021-05-04"}
JSON
case $check in
needed)
    command -v readelf >/dev/null || { echo "readelf missing (binutils)"; exit 77; }
    libs=$(readelf -d "$incimap" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p')
    [ -n "$libs" ] || fail "readelf shows no NEEDED entry at all"
    echo "$libs"
    bad=$(echo "$libs" | grep -E '^lib(gdal|proj|spatialite|cairo|curl|geos|gdal|tiff|poppler|microhttpd|gnutls)')
    [ -z "$bad" ] || fail "the extract executable links $bad again (see docs/modules.md)"
    ;;
missing)
    export INCIMAP_MODULE="$work/no-such-module.so"
    "$incimap" extract "$work/in.jsonl" -o "$work/gj" -f GeoJSON -q --gazetteer "$gaz" ||
        fail "GeoJSON needed the module (exit $?)"
    [ -s "$work/gj/incidents.geojson" ] || fail "no incidents.geojson"
    "$incimap" extract "$work/in.jsonl" -o "$work/gpkg" -f GPKG -q --gazetteer "$gaz" 2>"$work/err"
    rc=$?
    [ $rc -eq 5 ] || fail "GPKG without the module: exit $rc, expected 5"
    grep -q "no-such-module.so" "$work/err" || fail "the error does not name the module: $(cat "$work/err")"
    [ ! -e "$work/gpkg/incimap.gpkg" ] || fail "a GeoPackage was written"
    "$incimap" map "$work/gj/incidents.geojson" -o "$work/m.svg" 2>"$work/err"
    rc=$?
    [ $rc -eq 5 ] || fail "map without the module: exit $rc, expected 5"
    grep -q "GDAL module.*no-such-module.so" "$work/err" || fail "map: $(cat "$work/err")"
    "$incimap" gazetteer info --gazetteer "$gaz" >/dev/null ||
        fail "gazetteer info needed the module (exit $?)"
    "$incimap" gazetteer build --no-defaults --geonames "$work/in.jsonl" -o "$work/g.sqlite" \
        2>"$work/err"
    rc=$?
    [ $rc -eq 4 ] || fail "gazetteer build without the module: exit $rc, expected 4"
    grep -q "no-such-module.so" "$work/err" || fail "gazetteer build: $(cat "$work/err")"
    ;;
gpkg)
    "$incimap" extract "$work/in.jsonl" -o "$work/both" -f GPKG -f GeoJSON -q --gazetteer "$gaz" ||
        fail "-f GPKG -f GeoJSON: exit $?"
    [ -s "$work/both/incimap.gpkg" ] || fail "no GeoPackage"
    INCIMAP_MODULE="$work/no-such-module.so" "$incimap" extract "$work/in.jsonl" -o "$work/gj" \
        -f GeoJSON -q --gazetteer "$gaz" || fail "GeoJSON alone: exit $?"
    for l in incidents shelling; do
        cmp "$work/both/$l.geojson" "$work/gj/$l.geojson" ||
            fail "$l.geojson differs between the module's writer and the executable's"
    done
    ;;
installed)
    "$cmake" --install "$build" --prefix "$work/inst" >"$work/install.log" 2>&1 ||
        fail "cmake --install: $(tail -3 "$work/install.log")"
    mod="$work/inst/lib/incimap/incimap-gdal.so"
    [ -f "$mod" ] || mod=$(find "$work/inst" -name incimap-gdal.so | head -1)
    [ -n "$mod" ] && [ -f "$mod" ] || fail "the module was not installed"
    mv "$mod" "$mod.away"
    unset INCIMAP_MODULE
    "$work/inst/bin/incimap" extract "$work/in.jsonl" -o "$work/none" -f GPKG -q \
        --gazetteer "$gaz" 2>"$work/err"
    mv "$mod.away" "$mod"
    # (no error: another incimap's module, at the install path compiled in,
    # was found after ours; the tried list is only printed on failure)
    if [ -s "$work/err" ]; then
        grep -q "$work/inst/bin/../lib/incimap/incimap-gdal.so" "$work/err" ||
            fail "the installed module's path is not looked for: $(cat "$work/err")"
    fi
    "$work/inst/bin/incimap" extract "$work/in.jsonl" -o "$work/inst-out" -f GPKG -q \
        --gazetteer "$gaz" || fail "the installed incimap: -f GPKG: exit $?"
    [ -s "$work/inst-out/incimap.gpkg" ] || fail "no GeoPackage from the installed incimap"
    ;;
*)
    echo "unknown check $check" >&2
    exit 2
    ;;
esac
echo "check_modules $check: ok"
