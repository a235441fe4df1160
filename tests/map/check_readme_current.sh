#!/bin/sh
# The README maps docs/img/example-map.png (English) and example-map-fr.png
# (French names, --names fr) are current: regenerate it (from the
# source recorded in docs/img/example-map.txt) into a temporary file and
# compare with test_map pngcmp: same size, both non-blank, < 3% of pixels
# visibly different. Byte equality is not asked: PNG bytes change with cairo,
# zlib and font versions. On failure: tests/map/regen_readme_map.sh.
. "$(dirname "$0")/lib.sh"
need_countries
for names in en fr; do
    suffix=""
    [ "$names" = fr ] && suffix=-fr
    img="$MAP_SRC/docs/img/example-map$suffix.png"
    [ -f "$img" ] || fail "$img missing: run MAP_NAMES=$names tests/map/regen_readme_map.sh"
    src=$(sed -n 's/^source: //p' "$MAP_SRC/docs/img/example-map$suffix.txt" 2>/dev/null)
    [ -n "$src" ] || src=fixture
    if ! INCIMAP="$INCIMAP" MAP_SOURCE="$src" MAP_NAMES="$names" \
        sh "$MAP_SRC/tests/map/regen_readme_map.sh" "$MAP_OUT/readme-map$suffix.png"; then
        [ "$src" = examples ] && skip "the map was made from examples/, which give no incidents here (gazetteer?)"
        fail "regen_readme_map.sh failed ($names)"
    fi
    "$TEST_MAP" pngcmp "$img" "$MAP_OUT/readme-map$suffix.png" ||
        fail "$img is stale: run MAP_NAMES=$names tests/map/regen_readme_map.sh (and commit the result)"
done
echo "ok"
