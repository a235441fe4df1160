#!/bin/sh
# review.sh -- the issue's browser bar: a real headless chromium opens the
# review page, counts the markers against the store, accepts one pin,
# rejects one, moves one by clicking the map, reloads; then the store's
# verdict rows and an export are checked. Screenshots stay in
# $SERVE_OUT/review/shots (test artefacts).
. "$(dirname "$0")/common.sh"
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || skip "no /usr/bin/chromium (apt-get install chromium)"
command -v node >/dev/null || skip "no node"
export PUPPETEER_DIR="$SERVE_VENDOR/node/node_modules"
[ -d "$PUPPETEER_DIR/puppeteer-core" ] || skip "no puppeteer-core in $PUPPETEER_DIR (scripts/fetch-data.sh)"

work="$SERVE_OUT/review"
rm -rf "$work"
mkdir -p "$work/shots"
make_store "$work"
n=$(sqlite3 "$work/s.sqlite" "SELECT count(*) FROM incidents WHERE lon IS NOT NULL AND lat IS NOT NULL")
[ "$n" -ge 3 ] || die "the fixture gave only $n incidents"
before=$(sqlite3 "$work/s.sqlite" "SELECT incident_id, lon, lat FROM incidents ORDER BY incident_id")

# Issue 21: the page marks exactly the trigger the extractor paired and the
# place's mention. rev-04 is a known report: "La ville de Kapan a été
# bombardée mercredi" (a headline report moved to that body sentence, whose
# folded report paired "bombardée"). rev-01's offsets are made NULL, as in a
# report stored before schema 4: the page falls back to the word search.
exact_id=$(sqlite3 "$work/s.sqlite" "SELECT incident_id FROM report WHERE doc_id='rev-04'")
legacy_id=$(sqlite3 "$work/s.sqlite" "SELECT incident_id FROM report WHERE doc_id='rev-01'")
[ -n "$exact_id" ] && [ -n "$legacy_id" ] || die "rev-01 or rev-04 gave no report"
sqlite3 "$work/s.sqlite" "SELECT substr(evidence, trig_start + 1, trig_end - trig_start),
    substr(evidence, place_start + 1, place_end - place_start) FROM report WHERE doc_id='rev-04'" |
    grep -qx 'bombardée|Kapan' || die "rev-04's stored offsets do not give bombardée and Kapan"
sqlite3 "$work/s.sqlite" "UPDATE report SET trig_start=NULL, trig_end=NULL, place_start=NULL,
    place_end=NULL WHERE doc_id='rev-01'"
export EXACT_ID="$exact_id" EXACT_DOC=rev-04 EXACT_TRIGGER=bombardée EXACT_PLACE=Kapan
export LEGACY_ID="$legacy_id" LEGACY_DOC=rev-01

start_server "$work/s.sqlite"
node "$SERVE_SRC/tests/serve/browser.mjs" review "$base/" "$n" "$work/shots" >"$work/browser.json" ||
    die "the browser run failed (screenshots in $work/shots)"
stop_server
cat "$work/browser.json"

ids=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["first"], d["second"], d["third"])' "$work/browser.json")
set -- $ids
first=$1 second=$2 third=$3

# The store: three verdict rows, in order, by the page's analyst
got=$(sqlite3 "$work/s.sqlite" "SELECT action FROM verdicts ORDER BY verdict_id" | tr '\n' ' ')
[ "$got" = "accept reject edit " ] || die "verdict rows: '$got', expected 'accept reject edit '"
sqlite3 "$work/s.sqlite" "SELECT count(*) FROM verdicts WHERE who='' OR at='' OR before='' OR after=''" |
    grep -qx 0 || die "a verdict without who, when, before or after"
reason=$(sqlite3 "$work/s.sqlite" "SELECT reason FROM review_item WHERE state=3")
[ "$reason" = "wrong place" ] || die "the rejection's reason is '$reason'"

# An export: the review field, the moved point, --reviewed
run_incimap export --db "$work/s.sqlite" -o - -q >"$work/all.geojson" || die "export failed"
run_incimap export --db "$work/s.sqlite" -o - --reviewed -q >"$work/reviewed.geojson" || die "export --reviewed failed"
python3 - "$work/all.geojson" "$work/reviewed.geojson" "$n" <<'PY' || die "export check"
import json, sys
allf = json.load(open(sys.argv[1]))["features"]
rev = json.load(open(sys.argv[2]))["features"]
states = sorted(f["properties"]["review"] for f in allf)
want = sorted(["accepted", "rejected", "edited"] + ["unreviewed"] * (len(allf) - 3))
assert states == want, f"review fields {states}"
assert len(allf) == int(sys.argv[3]), f"{len(allf)} features"
assert sorted(f["properties"]["review"] for f in rev) == ["accepted", "edited"], \
    [f["properties"]["review"] for f in rev]
print("export: review fields", {s: states.count(s) for s in set(states)}, "; --reviewed", len(rev))
PY
# the moved incident's point changed, and the others did not
after=$(sqlite3 "$work/s.sqlite" "SELECT incident_id, lon, lat FROM incidents ORDER BY incident_id")
[ "$before" = "$after" ] || die "the stored incidents changed (verdicts must not rewrite them)"
python3 - "$work/all.geojson" "$work/s.sqlite" "$third" <<'PY' || die "moved point"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[2])
lon0, lat0 = db.execute("SELECT lon, lat FROM incidents WHERE incident_id=?", (int(sys.argv[3]),)).fetchone()
edits = json.loads(db.execute("SELECT edits FROM review_item WHERE state=2").fetchone()[0])
assert abs(edits["lon"] - lon0) + abs(edits["lat"] - lat0) > 1e-4, "the click did not move it"
pts = [f["geometry"]["coordinates"] for f in json.load(open(sys.argv[1]))["features"]
       if f["properties"]["review"] == "edited"]
assert len(pts) == 1 and abs(pts[0][0] - edits["lon"]) < 1e-6 and abs(pts[0][1] - edits["lat"]) < 1e-6, pts
print(f"moved: ({lon0:.4f}, {lat0:.4f}) -> ({edits['lon']:.4f}, {edits['lat']:.4f}); export has it")
PY
echo "PASS: $n markers; accepted #$first, rejected #$second, moved #$third; screenshots in $work/shots"
