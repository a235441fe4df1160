#!/bin/sh
# The README map docs/img/example-map.png is current: regenerate it (from the
# source recorded in docs/img/example-map.txt) into a temporary file and
# compare with test_map pngcmp: same size, both non-blank, < 3% of pixels
# visibly different. Byte equality is not asked: PNG bytes change with cairo,
# zlib and font versions. On failure: tests/map/regen_readme_map.sh.
. "$(dirname "$0")/lib.sh"
need_countries
img="$MAP_SRC/docs/img/example-map.png"
[ -f "$img" ] || fail "$img missing: run tests/map/regen_readme_map.sh"
src=$(sed -n 's/^source: //p' "$MAP_SRC/docs/img/example-map.txt" 2>/dev/null)
[ -n "$src" ] || src=fixture
if ! INCIMAP="$INCIMAP" MAP_SOURCE="$src" sh "$MAP_SRC/tests/map/regen_readme_map.sh" \
    "$MAP_OUT/readme-map.png"; then
    [ "$src" = examples ] && skip "the map was made from examples/, which give no incidents here (gazetteer?)"
    fail "regen_readme_map.sh failed"
fi
"$TEST_MAP" pngcmp "$img" "$MAP_OUT/readme-map.png" ||
    fail "$img is stale: run tests/map/regen_readme_map.sh (and commit the result)"
echo "ok"
