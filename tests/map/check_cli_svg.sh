#!/bin/sh
# incimap map -o FILE.svg writes an SVG that an XML parser accepts, with the
# page size of --width/--dpi in points.
. "$(dirname "$0")/lib.sh"
need_countries
command -v python3 >/dev/null || skip "python3 not found"
out="$MAP_OUT/cli.svg"
rm -f "$out"
"$INCIMAP" map --overwrite "$MAP_FIXTURE" -o "$out" --countries "$MAP_COUNTRIES" --width 1200 --dpi 144 \
    --title "SVG check" || fail "incimap map exited $?"
python3 - "$out" <<'PY' || fail "SVG check failed"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag.endswith("svg"), root.tag
w = float(root.get("width").rstrip("pt"))
assert abs(w - 1200 * 72 / 144) < 0.5, w          # 600 pt
assert sum(1 for _ in root.iter()) > 100           # a real drawing, not an empty page
PY
echo "ok"
