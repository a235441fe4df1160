#!/bin/sh
# outlets.sh -- issue 18 end to end: the outlet is the one the document
# names, else its URL's host. The documents of tests/store/outlets/ (written
# for this test) name it in each reader's way: a JSON "outlet" field, a
# "source" object's "name" (read by Jansson), none (a "source" that is a
# URL: the host), an HTML page's og:site_name, an RSS channel's title.
# Checks every source's outlet and the flat `outlet` in GeoJSON, the
# GeoPackage `sources` table, and the store's documents.
# usage: outlets.sh INCIMAP GAZETTEER WORKDIR
set -u
incimap=$1
gaz=$2
work=$3
here=$(cd "$(dirname "$0")" && pwd)/outlets
[ -f "$gaz" ] || { echo "outlets.sh: skip: no default gazetteer at $gaz"; exit 77; }
command -v python3 >/dev/null || { echo "outlets.sh: skip: no python3"; exit 77; }
rm -rf "$work" && mkdir -p "$work" || exit 1
cd "$work" || exit 1
fail() { echo "outlets.sh: FAIL: $*" >&2; exit 1; }
"$incimap" extract "$here" --db s.sqlite -o out -f GeoJSON -f GPKG -q --gazetteer "$gaz" \
    2>err.txt || fail "extract exited $?: $(cat err.txt)"
want="[('Djermouk', 'o-1', \"Le Courrier d'Erevan\", \"Le Courrier d'Erevan\"), ('Goris', 'goris.html', 'Gazette du Syunik', 'Gazette du Syunik'), ('Kapan', 'o-3', 'plain-host.example', 'plain-host.example'), ('Sotk', 'o-2', 'Wire Service', 'Wire Service'), ('Vardenis', 'https://radio-vardenis.example/2022/12/05/vardenis', 'Radio Vardenis', 'Radio Vardenis')]"
got=$(python3 - out/incidents.geojson <<'PY'
import json, sys
fs = json.load(open(sys.argv[1], encoding="utf-8"))["features"]
print(sorted((f["properties"]["place"], s["doc_id"], s["outlet"], f["properties"]["outlet"])
             for f in fs for s in f["properties"]["sources"]))
PY
)
[ "$got" = "$want" ] || fail "GeoJSON outlets: $got"
got=$(python3 - s.sqlite <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(sorted(c.execute("SELECT id, outlet FROM documents")))
PY
)
[ "$got" = "[('goris.html', 'Gazette du Syunik'), ('https://radio-vardenis.example/2022/12/05/vardenis', 'Radio Vardenis'), ('o-1', \"Le Courrier d'Erevan\"), ('o-2', 'Wire Service'), ('o-3', 'plain-host.example')]" ] ||
    fail "store documents: $got"
ogrinfo -q -sql "SELECT count(DISTINCT outlet) AS o FROM sources" out/incimap.gpkg >gpkg.txt 2>&1 ||
    fail "ogrinfo: $(cat gpkg.txt)"
grep -q "o (Integer) = 5" gpkg.txt || fail "GeoPackage sources: $(cat gpkg.txt)"
echo "outlets.sh: ok"
