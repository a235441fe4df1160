#!/bin/sh
# The map's type colours are the QGIS styles' (data/styles/<layer>.qml, the
# first marker fill colour of each): one look across a map and a QGIS project.
. "$(dirname "$0")/lib.sh"
styles="$MAP_SRC/data/styles"
[ -f "$styles/shelling.qml" ] || skip "$styles/*.qml not there yet"
"$TEST_MAP" colours | while read -r layer rgb; do
    qml="$styles/$layer.qml"
    [ -f "$qml" ] || fail "$qml missing"
    want=$(grep -o 'k="color" v="[0-9]*,[0-9]*,[0-9]*' "$qml" | head -1 | sed 's/.*v="//')
    [ "$want" = "$rgb" ] || fail "$layer: map draws $rgb, $qml has $want (align map_type_rgb in map/map_draw.c)"
done || exit 1
echo "ok"
