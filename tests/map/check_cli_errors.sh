#!/bin/sh
# incimap map: usage errors exit 2, unreadable input 3, unwritable output 5,
# each with an "incimap: ..." message on stderr. Uses the fixture as the
# "countries" file so that it needs no vendor data.
. "$(dirname "$0")/lib.sh"
m() { "$INCIMAP" map --overwrite "$@"; }
C="--countries=$MAP_FIXTURE"
expect 2 "missing INPUT" m -o "$MAP_OUT/e.png"
expect 2 "missing -o" m "$MAP_FIXTURE"
expect 2 "must end in .png, .svg or .pdf" m "$MAP_FIXTURE" -o "$MAP_OUT/e.jpg"
expect 2 "--bbox: expected W,S,E,N" m "$MAP_FIXTURE" -o "$MAP_OUT/e.png" --bbox 1,2,3
expect 2 "west must be less than east" m "$MAP_FIXTURE" -o "$MAP_OUT/e.png" --bbox 47,38,44,41
expect 2 "--from: expected a date" m "$MAP_FIXTURE" -o "$MAP_OUT/e.png" --from 2022-13-01
expect 2 "is after --to" m "$MAP_FIXTURE" -o "$MAP_OUT/e.png" --from 2022-09-14 --to 2022-09-13
expect 2 "unknown type 'riot'" m "$MAP_FIXTURE" -o "$MAP_OUT/e.png" --type shelling,riot
expect 2 "--width: expected pixels" m "$MAP_FIXTURE" -o "$MAP_OUT/e.png" --width 12
expect 2 "--dpi: expected" m "$MAP_FIXTURE" -o "$MAP_OUT/e.png" --dpi abc
expect 2 "unknown option '--bogus'" m "$MAP_FIXTURE" -o "$MAP_OUT/e.png" --bogus
expect 2 "give INPUT or --db, not both" m "$MAP_FIXTURE" --db "$MAP_OUT/store.sqlite" -o "$MAP_OUT/e.png"
expect 3 "incimap: /nonexistent/store.sqlite: " m --db /nonexistent/store.sqlite -o "$MAP_OUT/e.png" "$C"
expect 0 "" m --help
grep -q "EXIT STATUS" "$EXPECT_STDOUT" || fail "--help lacks EXIT STATUS"
expect 3 "incimap: /nonexistent/in.geojson: no such file" m /nonexistent/in.geojson -o "$MAP_OUT/e.png" "$C"
expect 3 "incimap: /nonexistent/countries.json: no such file" m "$MAP_FIXTURE" -o "$MAP_OUT/e.png" --countries /nonexistent/countries.json
mkdir -p "$MAP_OUT/emptydir"
expect 3 "no incidents layer in this folder" m "$MAP_OUT/emptydir" -o "$MAP_OUT/e.png" "$C"
# Nothing matches the filter and no bbox: nothing to fit.
expect 3 "no incidents to map" m "$MAP_FIXTURE" -o "$MAP_OUT/e.png" "$C" --from 2030-01-01
# ...but with --bbox an empty map is drawn.
expect 0 "" m "$MAP_FIXTURE" -o "$MAP_OUT/empty.png" "$C" --from 2030-01-01 --bbox 44,38,47,41
[ -s "$MAP_OUT/empty.png" ] || fail "empty map not written"
expect 5 "incimap: /nonexistent-dir/e.png: cannot write" m "$MAP_FIXTURE" -o /nonexistent-dir/e.png "$C"
echo "ok"
