#!/bin/sh
# html_map.sh -- `incimap map -o x.html` writes one self-contained page:
# it opens from file:// in headless chromium with every network request
# refused and shows every incident, with popups (evidence, source links),
# type toggles and the time slider; from a store (review applied) and from
# an extract OUT folder.
. "$(dirname "$0")/common.sh"
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || skip "no /usr/bin/chromium (apt-get install chromium)"
command -v node >/dev/null || skip "no node"
export PUPPETEER_DIR="$SERVE_VENDOR/node/node_modules"
[ -d "$PUPPETEER_DIR/puppeteer-core" ] || skip "no puppeteer-core in $PUPPETEER_DIR (scripts/fetch-data.sh)"
work="$SERVE_OUT/html_map"
rm -rf "$work"
mkdir -p "$work/shots-db" "$work/shots-layer"
make_store "$work"
n=$(sqlite3 "$work/s.sqlite" "SELECT count(*) FROM incidents WHERE lon IS NOT NULL")

run_incimap map --db "$work/s.sqlite" -o "$work/db.html" --title "Review fixture" || die "map -o db.html"
run_incimap map "$work/layers" -o "$work/layer.html" || die "map -o layer.html"
# nothing in the page points outside but the source links
for f in db layer; do
    grep -o '<script src=[^>]*>\|<link rel="stylesheet"[^>]*>' "$work/$f.html" &&
        die "$f.html still loads a file"
    size=$(wc -c <"$work/$f.html")
    echo "$f.html: $size bytes"
done
node "$SERVE_SRC/tests/serve/browser.mjs" offline "$work/db.html" "$n" "$work/shots-db" >"$work/db.json" ||
    die "db.html in the browser (screenshots in $work/shots-db)"
node "$SERVE_SRC/tests/serve/browser.mjs" offline "$work/layer.html" "$n" "$work/shots-layer" >"$work/layer.json" ||
    die "layer.html in the browser"
cat "$work/db.json"
# issue 21: the popup of the least confident pin marks exactly the trigger
# the store records for it (characters: SQLite's substr counts them too),
# from the store's page and from the layer's (through its sources)
want=$(sqlite3 "$work/s.sqlite" "SELECT substr(evidence, trig_start + 1, trig_end - trig_start)
    FROM incidents ORDER BY confidence, incident_id LIMIT 1")
[ -n "$want" ] || die "the least confident incident has no trigger offsets"
for f in db layer; do
    python3 - "$work/$f.json" "$want" <<'PY' || die "$f.html: the popup's marks"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["marks"] == "exact" and d["triggers"] == [sys.argv[2]], (d["marks"], d["triggers"], sys.argv[2])
PY
done
urls=$(sqlite3 "$work/s.sqlite" "SELECT group_concat(url, ' ') FROM (SELECT s.url FROM sources s
    WHERE s.incident_id = (SELECT uid FROM incidents ORDER BY confidence, incident_id LIMIT 1)
    ORDER BY s.doc_id)")
[ -n "$urls" ] || die "the least confident incident has no source URL"
python3 - "$work/db.json" "$n" "$urls" <<'PY' || die "offline page behaviour"
import json, sys
d = json.load(open(sys.argv[1])); n = int(sys.argv[2]); links = sys.argv[3].split()
assert d["rows"] == n, d["rows"]
assert d["withoutShelling"] < n, "the shelling toggle did nothing"
assert d["atFirstDay"] < n, "the time slider did nothing"
assert d["popup"], "no popup text"
assert d["links"] == links, (d["links"], links)  # the least confident pin's sources' own URLs
print("offline:", n, "markers;", "popup:", d["popup"][:60], "...; links:", d["links"][:2])
PY
# a bad output and a missing input are errors naming them
run_incimap map "$work/nothing-here" -o "$work/x.html" 2>"$work/err"
[ $? -eq 3 ] || die "missing input: want status 3"
grep -q "nothing-here" "$work/err" || die "the message does not name the input: $(cat "$work/err")"
echo "PASS: the offline page shows all $n incidents from file:// with no network"
