#!/bin/sh
# regen_readme_map.sh [OUT.png] -- make the README's example map, in English
# (docs/img/example-map.png) or, with MAP_NAMES=fr, in French
# (docs/img/example-map-fr.png: French place names and title).
#
# The map shows the incidents `incimap extract` finds in examples/ (the
# README's "try this first" command). While extraction yields nothing (no
# gazetteer installed, extractor unfinished) it falls back to the map test
# fixture tests/map/incidents.geojson. MAP_SOURCE=examples|fixture forces one.
# Without OUT it writes docs/img/example-map[-fr].png and records the source in
# docs/img/example-map[-fr].txt, which tests/map/check_readme_current.sh reads.
#
# Environment: INCIMAP (default build/incimap), INCIMAP_GAZETTEER (for
# extract; default: build/default-gazetteer.sqlite when present, else
# incimap's own lookup), MAP_COUNTRIES (default: the vendor lookup of
# incimap map, $INCIMAP_VENDOR/countries-10m.json).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
INCIMAP=${INCIMAP:-$here/build/incimap}
names=${MAP_NAMES:-en}
suffix=""
title="incimap: incidents in examples/"
ftitle="incimap: incidents of the map test fixture"
if [ "$names" = fr ]; then
    suffix=-fr
    title="incimap : incidents des articles d'exemple"
    ftitle="incimap : incidents de la fixture de test"
fi
out=${1:-$here/docs/img/example-map$suffix.png}
record=${1:+no}
want=${MAP_SOURCE:-auto}
if [ -z "${INCIMAP_GAZETTEER:-}" ] && [ -f "$here/build/default-gazetteer.sqlite" ]; then
    INCIMAP_GAZETTEER=$here/build/default-gazetteer.sqlite
    export INCIMAP_GAZETTEER
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
set -- --width 1200 --dpi 120 --names "$names"
[ -n "${MAP_COUNTRIES:-}" ] && set -- "$@" --countries "$MAP_COUNTRIES"

used=""
if [ "$want" != fixture ]; then
    "$INCIMAP" extract "$here/examples" -o "$tmp/layers" --date 2022-09-14 \
        >"$tmp/extract.log" 2>&1
    if "$INCIMAP" map --overwrite "$tmp/layers" -o "$tmp/map.png" "$@" \
        --title "$title" 2>"$tmp/map.log"; then
        used=examples
    elif [ "$want" = examples ]; then
        echo "regen_readme_map: examples/ gave no map:" >&2
        cat "$tmp/extract.log" "$tmp/map.log" >&2
        exit 1
    fi
fi
if [ -z "$used" ]; then
    "$INCIMAP" map --overwrite "$here/tests/map/incidents.geojson" -o "$tmp/map.png" "$@" \
        --title "$ftitle" || exit 1
    used=fixture
fi
mkdir -p "$(dirname "$out")" && cp "$tmp/map.png" "$out" || exit 1
if [ -z "$record" ]; then
    printf 'source: %s\n' "$used" >"$here/docs/img/example-map$suffix.txt"
fi
echo "regen_readme_map: $out from $used"
