#!/bin/sh
# sources.sh -- issue 18 end to end: a French and an English report of one
# event (tests/store/sources/*.jsonl, written for this test), read into a
# store, then a corrected re-feed of the English one under the same id.
#  - (issue 21) each source's trigger and place offsets, in characters, in
#    GeoJSON, the GeoPackage and the store's sources view;
#  - one incident, with both documents as sources (URL, outlet, sentence),
#    in GeoJSON (the sources array), GeoPackage (the sources table) and CSV
#    (first URL, latitude/longitude, an ISO date);
#  - the same incident_id after a re-run, the correction and an export;
#  - the correction replaces the old text (exit 0, one warning; none with
#    --replace) and its fields (fatalities, injured) are re-derived.
# usage: sources.sh INCIMAP STORE_TOOL GAZETTEER WORKDIR
set -u
incimap=$1
tool=$2
gaz=$3
work=$4
here=$(cd "$(dirname "$0")" && pwd)/sources
[ -f "$gaz" ] || { echo "sources.sh: skip: no default gazetteer at $gaz"; exit 77; }
command -v python3 >/dev/null || { echo "sources.sh: skip: no python3"; exit 77; }
rm -rf "$work" && mkdir -p "$work" || exit 1
cd "$work" || exit 1
fail() { echo "sources.sh: FAIL: $*" >&2; exit 1; }
run() { # OUT ARGS...: extract into the store, GeoJSON + GPKG + CSV
    out=$1
    shift
    "$incimap" extract "$@" --db s.sqlite -o "$out" -f GeoJSON -f GPKG -f CSV \
        --gazetteer "$gaz" 2>"$out.err"
}
# prop FILE EXPR: a Python expression over `p`, the properties of the only
# feature of FILE, and `n`, the number of features
prop() {
    python3 - "$1" "$2" <<'PY'
import json, sys
fs = json.load(open(sys.argv[1], encoding="utf-8"))["features"]
n = len(fs)
p = fs[0]["properties"] if fs else {}
print(eval(sys.argv[2]))
PY
}

run o1 "$here/fr.jsonl" "$here/en.jsonl" || fail "first run exited $?: $(cat o1.err)"
! grep -q "warning\|error" o1.err || fail "first run printed: $(cat o1.err)"
g=o1/incidents.geojson
[ "$(prop $g n)" = 1 ] || fail "want one incident, got $(prop $g n)"
[ "$(prop $g 'p["type"], p["place_name"], p["date"]')" = "('shelling', 'Jermuk', '2022-09-13')" ] ||
    fail "wrong incident: $(prop $g 'p')"
id=$(prop $g 'p["incident_id"]')
[ ${#id} -eq 16 ] || fail "bad incident_id '$id'"
[ "$(prop $g 'sorted((s["doc_id"], s["url"], s["outlet"], s["published"]) for s in p["sources"])')" = \
  "[('en-1', 'https://news.example.com/2022/09/jermuk', 'news.example.com', '2022-09-14'), ('fr-1', 'https://www.journal-test.fr/monde/jermouk-1', 'journal-test.fr', '2022-09-14')]" ] ||
    fail "sources: $(prop $g 'p["sources"]')"
[ "$(prop $g 'p["n_sources"], p["n_reprints"], p["url"], p["fatalities"], p["injured"]')" = \
  "(2, 0, 'https://news.example.com/2022/09/jermuk', 2, None)" ] || fail "fields: $(prop $g p)"
# the headline "Bombardements à Djermouk" gives way to the body sentence
prop $g '[s["evidence"] for s in p["sources"] if s["doc_id"] == "fr-1"][0]' |
    grep -q "^La ville arménienne de Djermouk a été bombardée mardi" ||
    fail "fr-1 evidence is the headline: $(prop $g p['sources'])"
ogrinfo -q -sql "SELECT count(*) AS n, min(incident_id) AS a, max(incident_id) AS b, count(DISTINCT url) AS u, count(DISTINCT outlet) AS o FROM sources" \
    o1/incimap.gpkg >gpkg.txt 2>&1 || fail "ogrinfo: $(cat gpkg.txt)"
grep -q "n (Integer) = 2" gpkg.txt && grep -q "a (String) = $id" gpkg.txt &&
    grep -q "b (String) = $id" gpkg.txt && grep -q "u (Integer) = 2" gpkg.txt &&
    grep -q "o (Integer) = 2" gpkg.txt || fail "GeoPackage sources table: $(cat gpkg.txt)"
# issue 21: each source marks its trigger and its place, in characters of
# its sentence (the accents of "arménienne", "été" come before them), in
# GeoJSON, the GeoPackage's sources table and the store's sources view
[ "$(prop $g 'sorted((s["doc_id"], s["evidence"][s["trigger_start"]:s["trigger_end"]], s["evidence"][s["place_start"]:s["place_end"]]) for s in p["sources"])')" = \
  "[('en-1', 'shelled', 'Jermuk'), ('fr-1', 'bombardée', 'Djermouk')]" ] ||
    fail "GeoJSON sources' offsets: $(prop $g 'p["sources"]')"
for db in o1/incimap.gpkg s.sqlite; do
    ogrinfo -q -sql "SELECT doc_id || ':' || substr(evidence, trigger_start + 1, trigger_end - trigger_start) || ':' || substr(evidence, place_start + 1, place_end - place_start) AS m FROM sources ORDER BY doc_id" \
        "$db" >marks.txt 2>&1 || fail "ogrinfo $db: $(cat marks.txt)"
    grep -q "m (String) = en-1:shelled:Jermuk" marks.txt &&
        grep -q "m (String) = fr-1:bombardée:Djermouk" marks.txt || fail "$db sources' offsets: $(cat marks.txt)"
done
head -1 o1/incidents.csv | grep -q ',latitude,longitude$' || fail "CSV header: $(head -1 o1/incidents.csv)"
grep -q ',shelling,2022-09-13,day,' o1/incidents.csv || fail "CSV date not ISO: $(sed -n 2p o1/incidents.csv)"
grep -q "$id" o1/incidents.csv || fail "CSV without the incident_id"

# the same documents again: nothing changes
run o2 "$here/en.jsonl" "$here/fr.jsonl" || fail "re-run exited $?: $(cat o2.err)"
cmp o1/incidents.geojson o2/incidents.geojson || fail "a re-run changed the layers"

# the corrected English report under the same id
run o3 "$here/en-fix.jsonl" || fail "the correction exited $?: $(cat o3.err)"
grep -q "warning: document 'en-1' is stored with other content: the new text replaces it" o3.err ||
    fail "no warning for the correction: $(cat o3.err)"
g=o3/incidents.geojson
[ "$(prop $g 'n, p["incident_id"]')" = "(1, '$id')" ] || fail "after the correction: $(prop $g 'n, p')"
[ "$(prop $g 'p["fatalities"], p["fatal_max"], p["injured"], p["inj_max"], p["n_sources"]')" = "(2, 5, 3, 3, 2)" ] ||
    fail "corrected fields: $(prop $g p)"
"$tool" check s.sqlite >/dev/null || fail "store check after the correction"

# --replace: the original back, without a warning
run o4 "$here/en.jsonl" --replace || fail "--replace exited $?: $(cat o4.err)"
! grep -q "warning\|error" o4.err || fail "--replace printed: $(cat o4.err)"
cmp o1/incidents.geojson o4/incidents.geojson || fail "the original text did not give the first layers back"

# the export carries the same id and sources
"$incimap" export --db s.sqlite -o e.gpkg -f GPKG -q || fail "export"
ogrinfo -q -sql "SELECT incident_id FROM incidents" e.gpkg | grep -q "incident_id (String) = $id" ||
    fail "export: another incident_id"
ogrinfo -q -sql "SELECT count(*) AS n FROM sources WHERE incident_id = '$id'" e.gpkg |
    grep -q "n (Integer) = 2" || fail "export: sources table"
"$tool" check s.sqlite >/dev/null || fail "store check"
echo "sources.sh: ok ($id)"
