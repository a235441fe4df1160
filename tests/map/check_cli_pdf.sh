#!/bin/sh
# incimap map -o FILE.pdf writes a one-page PDF (pdfinfo, Debian poppler-utils).
. "$(dirname "$0")/lib.sh"
need_countries
command -v pdfinfo >/dev/null || skip "pdfinfo not found (apt-get install poppler-utils)"
out="$MAP_OUT/cli.pdf"
rm -f "$out"
"$INCIMAP" map --overwrite "$MAP_FIXTURE" -o "$out" --countries "$MAP_COUNTRIES" --type shelling,clash \
    || fail "incimap map exited $?"
info=$(pdfinfo "$out") || fail "pdfinfo rejects $out"
echo "$info" | grep -Eq '^Pages: +1$' || fail "not one page: $info"
# Basemap paths are clipped to the frame: a regional PDF stays small (70 KB
# here; 2 MB when every vertex of the neighbouring countries was kept).
size=$(wc -c <"$out")
[ "$size" -lt 500000 ] || fail "$out is $size bytes: basemap not clipped?"
# The default vendor lookup finds the same file through INCIMAP_VENDOR.
INCIMAP_VENDOR=$(dirname "$MAP_COUNTRIES") "$INCIMAP" map --overwrite "$MAP_FIXTURE" -o "$MAP_OUT/cli2.pdf" \
    || fail "vendor lookup failed"
echo "ok"
