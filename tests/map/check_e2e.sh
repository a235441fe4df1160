#!/bin/sh
# End to end: extract the dev corpus, then map its incidents: the PNG has each
# (uncrowded) incident's type colour where it should be, SVG and PDF are
# written. Skips while ../shared or extraction is not there yet.
. "$(dirname "$0")/lib.sh"
need_countries
dev="$MAP_SHARED/corpus/dev"
[ -d "$dev" ] || skip "$dev not found"
rm -rf "$MAP_OUT/e2e"
"$INCIMAP" extract "$dev" -o "$MAP_OUT/e2e" >"$MAP_OUT/e2e.log" 2>&1
st=$?
[ "$st" -le 1 ] || skip "incimap extract exited $st (not working yet): $(tail -3 "$MAP_OUT/e2e.log")"
"$INCIMAP" map "$MAP_OUT/e2e" -o "$MAP_OUT/e2e.png" --countries "$MAP_COUNTRIES" \
    --title "Dev corpus" 2>"$MAP_OUT/e2e-map.log"
st=$?
[ "$st" = 3 ] && grep -q "no incidents to map\|no incidents layer" "$MAP_OUT/e2e-map.log" &&
    skip "incimap extract produced no incidents yet"
[ "$st" = 0 ] || fail "incimap map exited $st: $(cat "$MAP_OUT/e2e-map.log")"
# Incident pixels lie where the incidents are (map_project + sampling).
"$TEST_MAP" render "$MAP_OUT/e2e" "$MAP_COUNTRIES" "$MAP_OUT" || fail "pixel check failed"
for f in svg pdf; do
    "$INCIMAP" map "$MAP_OUT/e2e" -o "$MAP_OUT/e2e.$f" --countries "$MAP_COUNTRIES" ||
        fail "$f map failed"
done
echo "ok"
