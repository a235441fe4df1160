#!/bin/sh
# bars.sh -- the bars of issue 5 on the dev corpus, end to end:
#  1. docs.jsonl given twice (the second copy under other ids) gives the
#     incidents of one pass, each with twice the sources (n_sources 2 when
#     one pass gives 1);
#  2. the corpus read in one run, or in three runs of a third each, gives
#     byte-identical exported layers.
# Skips (77) without ../shared, without the default gazetteer, or while
# `incimap extract --db` is not wired yet.
# usage: bars.sh INCIMAP STORE_TOOL GAZETTEER SHARED_DIR WORKDIR
set -u
incimap=$1
tool=$2
gaz=$3
shared=$4
work=$5
docs=$shared/corpus/dev/docs.jsonl
[ -f "$docs" ] || { echo "bars.sh: skip: no $docs (../shared absent)"; exit 77; }
[ -f "$gaz" ] || { echo "bars.sh: skip: no default gazetteer at $gaz"; exit 77; }
rm -rf "$work" && mkdir -p "$work" || exit 1
cd "$work" || exit 1
fail() { echo "bars.sh: FAIL: $*" >&2; exit 1; }

extract() { # STORE INPUT OUT
    "$incimap" extract "$2" --db "$1" -o "$3" -f GeoJSON --gazetteer "$gaz" -q 2>extract.err
}
export_layers() { # STORE OUT
    "$incimap" export --db "$1" -o "$2" -f GeoJSON -q || fail "export $1"
}

extract once.sqlite "$docs" o1
rc=$?
if grep -q "not supported yet" extract.err; then
    echo "bars.sh: skip: incimap extract --db is not wired yet"
    exit 77
fi
[ $rc -eq 0 ] || [ $rc -eq 1 ] || fail "extract exited $rc: $(cat extract.err)"
"$tool" check once.sqlite >/dev/null || fail "check once.sqlite"
export_layers once.sqlite e1
n1=$(grep -c '"type": "Feature"' e1/incidents.geojson)
[ "$n1" -gt 0 ] || fail "one pass found no incident"

# 1. the corpus twice, the copy under other ids
lines=$(wc -l <"$docs")
sed 's/^{"id": "/{"id": "again-/' "$docs" >again.jsonl
[ "$(grep -c '^{"id": "again-' again.jsonl)" -eq "$lines" ] || fail "could not rename the ids"
cat "$docs" again.jsonl >twice.jsonl
extract twice.sqlite twice.jsonl o2 || [ $? -eq 1 ] || fail "extract twice: $(cat extract.err)"
"$tool" check twice.sqlite >/dev/null || fail "check twice.sqlite"
export_layers twice.sqlite e2
n2=$(grep -c '"type": "Feature"' e2/incidents.geojson)
[ "$n2" -eq "$n1" ] || fail "twice: $n2 incidents, one pass: $n1"
# the copy is the same text under other ids: a reprint (issue 18). n_sources
# counts distinct texts and stays; n_reprints counts the copies
grep -o '"n_sources": [0-9]*' e1/incidents.geojson | awk '{print $2}' >want.txt
grep -o '"n_sources": [0-9]*' e2/incidents.geojson | awk '{print $2}' >got.txt
cmp -s want.txt got.txt || fail "reprints changed n_sources: $(paste want.txt got.txt | head)"
grep -o '"n_reprints": [0-9]*' e2/incidents.geojson | awk '{print $2}' >reprints.txt
cmp -s want.txt reprints.txt || fail "n_reprints is not the number of copies: $(paste want.txt reprints.txt | head)"
"$tool" stats once.sqlite
"$tool" stats twice.sqlite
# reading the same documents again adds nothing
extract twice.sqlite twice.jsonl o3 || [ $? -eq 1 ] || fail "extract again: $(cat extract.err)"
export_layers twice.sqlite e3
cmp e2/incidents.geojson e3/incidents.geojson || fail "reading the same documents again changed the store"

# 2. one run vs three runs of a third
third=$(( (lines + 2) / 3 ))
sed -n "1,${third}p" "$docs" >part1.jsonl
sed -n "$((third + 1)),$((2 * third))p" "$docs" >part2.jsonl
sed -n "$((2 * third + 1)),\$p" "$docs" >part3.jsonl
for p in 1 2 3; do
    extract three.sqlite part$p.jsonl p$p || [ $? -eq 1 ] || fail "extract part $p: $(cat extract.err)"
done
"$tool" check three.sqlite >/dev/null || fail "check three.sqlite"
export_layers three.sqlite e4
for f in e1/*.geojson; do
    cmp "$f" "e4/${f#e1/}" || fail "one run and three runs differ: ${f#e1/}"
done
echo "bars.sh: ok ($n1 incidents; twice: n_sources doubled; three runs = one run)"
