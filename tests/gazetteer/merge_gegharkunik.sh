#!/bin/sh
# merge_gegharkunik.sh INCIMAP GAZETTEER WORK -- issue 13: two articles report
# one shelling in "Gegharkunik" and "la province de Gegharkunik"; with the
# default gazetteer both place it in the province (the village of the same
# name answers "Gegharkunik village"), so the reports merge: one incident,
# n_sources 2, named Gegharkunik in en and Gegharkounik in fr.
incimap=$1; gaz=$2; work=$3
[ -f "$gaz" ] || { echo "SKIP: no default gazetteer $gaz"; exit 77; }
here=$(dirname "$0")
mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
for names in en fr; do
    "$incimap" extract "$here/gegharkunik.jsonl" --gazetteer "$gaz" --names $names -q -o - \
        > "$work/gk-$names.geojson" || fail "extract --names $names failed"
    got=$(python3 -c '
import json, sys
fs = json.load(open(sys.argv[1]))["features"]
print(len(fs), *["%s|%s|%s" % (f["properties"]["place_name"], f["properties"]["place_id"], f["properties"]["n_sources"]) for f in fs])
' "$work/gk-$names.geojson")
    want="Gegharkunik"; [ $names = fr ] && want="Gegharkounik"
    [ "$got" = "1 $want|csc:AM-GR|2" ] || fail "--names $names: got '$got', want '1 $want|csc:AM-GR|2'"
done
echo "ok: one incident in Gegharkunik, n_sources 2"
