#!/bin/sh
# export.sh -- `incimap export`: usage errors (exit 2 and their message),
# a missing store (3), filters, and byte-identical output on a second run.
# usage: export.sh INCIMAP STORE_TOOL WORKDIR
set -u
incimap=$1
tool=$2
work=$3
rm -rf "$work" && mkdir -p "$work" || exit 1
cd "$work" || exit 1
fail() { echo "export.sh: FAIL: $*" >&2; exit 1; }

"$tool" write s.sqlite 0 30 4 >/dev/null || fail "store_tool write"

# usage errors: status 2 and a message naming the problem
expect_usage() {
    msg=$1; shift
    "$incimap" export "$@" >out.txt 2>err.txt
    rc=$?
    [ $rc -eq 2 ] || fail "'$*' exited $rc, want 2"
    grep -qF -- "$msg" err.txt || fail "'$*': no '$msg' in: $(cat err.txt)"
}
expect_usage "--db FILE is required" -o o
expect_usage "-o OUT is required" --db s.sqlite
expect_usage "west must be less than east" --db s.sqlite -o o --bbox 46,39,45,40
expect_usage "south must be less than north" --db s.sqlite -o o --bbox 45,40,46,39
expect_usage "expected four numbers W,S,E,N" --db s.sqlite -o o --bbox 45,39,46
expect_usage "expected four numbers W,S,E,N" --db s.sqlite -o o --bbox 45,39,46,x
expect_usage "longitudes must be within -180..180" --db s.sqlite -o o --bbox -190,39,46,40
expect_usage "latitudes must be within -90..90" --db s.sqlite -o o --bbox 45,-91,46,40
expect_usage "is not a valid date" --db s.sqlite -o o --from 2020-02-30
expect_usage "is not a valid date" --db s.sqlite -o o --to 20201001
expect_usage "is after --to" --db s.sqlite -o o --from 2021-01-01 --to 2020-12-31
expect_usage "is not a list of shelling, clash, evacuation" --db s.sqlite -o o --type shelling,war
expect_usage "is not a two-letter country code" --db s.sqlite -o o --country ARM
expect_usage "exclude each other" --db s.sqlite -o o --overwrite --append
expect_usage "unexpected argument" --db s.sqlite -o o extra.txt
expect_usage "unknown option" --db s.sqlite -o o --nope
[ ! -e o ] || fail "a usage error wrote output"

# --help on stdout, status 0
"$incimap" export --help >help.txt || fail "--help status"
grep -q "^SYNOPSIS" help.txt && grep -q -- "--bbox W,S,E,N" help.txt || fail "--help text"

# a missing store or something else than a store: status 3, store untouched
"$incimap" export --db missing.sqlite -o o 2>err.txt; rc=$?
[ $rc -eq 3 ] || fail "missing store exited $rc, want 3"
[ ! -e missing.sqlite ] || fail "export created a store"
echo "not a database at all, but long enough to have a header of a file" >bad.sqlite
"$incimap" export --db bad.sqlite -o o 2>err.txt; rc=$?
[ $rc -eq 3 ] || fail "bad store exited $rc, want 3"
grep -q "is not an incimap store" err.txt || fail "bad store message: $(cat err.txt)"

# filters: counts of features in the GeoJSON on stdout
count() { "$incimap" export --db s.sqlite -o - "$@" | grep -c '"type": "Feature"'; }
all=$(count)
[ "$all" -gt 0 ] || fail "nothing exported"
sh=$(count --type shelling)
cl=$(count --type clash)
ev=$(count --type evacuations)
[ $((sh + cl + ev)) -eq "$all" ] || fail "types $sh+$cl+$ev != $all"

early=$(count --to 2020-10-05)
late=$(count --from 2020-10-06)
[ $((early + late)) -eq "$all" ] || fail "dates $early+$late != $all"
[ "$(count --from 2021)" -eq 0 ] || fail "--from 2021 exported something"
[ "$(count --bbox 40,30,50,45)" -eq "$all" ] || fail "a box around everything"
[ "$(count --bbox 10,10,11,11)" -eq 0 ] || fail "a box around nothing"

# the same store gives byte-identical layers
"$incimap" export --db s.sqlite -o a -f GeoJSON -q || fail "export a"
"$incimap" export --db s.sqlite -o b -f GeoJSON -q || fail "export b"
for f in a/*.geojson; do cmp "$f" "b/${f#a/}" || fail "$f differs between two exports"; done
# the output exists: without --overwrite it is refused, with it replaced
"$incimap" export --db s.sqlite -o a -f GeoJSON 2>err.txt && fail "existing output overwritten"
"$incimap" export --db s.sqlite -o a -f GeoJSON --overwrite --type clash || fail "--overwrite"
echo "export.sh: ok ($all incidents)"
