#!/bin/sh
# review.sh -- the issue's browser bar: a real headless chromium opens the
# review page, counts the markers against the store, accepts one pin,
# rejects one, moves one by clicking the map, reloads, then splits the
# incident of two sources (split.jsonl) from the keyboard and reloads; then
# the store's verdict rows and an export are checked. Screenshots stay in
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
run_incimap extract "$SERVE_SRC/tests/serve/split.jsonl" --db "$work/s.sqlite" -o "$work/layers0" \
    --gazetteer "$SERVE_GAZ" -q || die "extract of split.jsonl failed"
jermuk=$(sqlite3 "$work/s.sqlite" "SELECT incident_id FROM incidents WHERE place_name='Jermuk' AND n_sources=2")
r11=$(sqlite3 "$work/s.sqlite" "SELECT report_id FROM report WHERE doc_id='rev-11'")
[ -n "$jermuk" ] && [ -n "$r11" ] || die "no incident of two sources to split"
n=$(sqlite3 "$work/s.sqlite" "SELECT count(*) FROM incidents WHERE lon IS NOT NULL AND lat IS NOT NULL")
[ "$n" -ge 3 ] || die "the fixture gave only $n incidents"
before=$(sqlite3 "$work/s.sqlite" "SELECT incident_id, lon, lat FROM incidents WHERE incident_id<>$jermuk ORDER BY incident_id")
before_all=$(sqlite3 "$work/s.sqlite" "SELECT incident_id, lon, lat FROM incidents ORDER BY incident_id")

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
node "$SERVE_SRC/tests/serve/browser.mjs" review "$base/" "$n" "$work/shots" "$jermuk" "$r11" >"$work/browser.json" ||
    die "the browser run failed (screenshots in $work/shots)"
stop_server
cat "$work/browser.json"

ids=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["first"], d["second"], d["third"])' "$work/browser.json")
set -- $ids
first=$1 second=$2 third=$3

# The store: four verdict rows, in order, by the page's analyst
got=$(sqlite3 "$work/s.sqlite" "SELECT action FROM verdicts ORDER BY verdict_id" | tr '\n' ' ')
[ "$got" = "accept reject edit split " ] || die "verdict rows: '$got', expected 'accept reject edit split '"
sqlite3 "$work/s.sqlite" "SELECT count(*) FROM review_split s JOIN review_apart a ON a.split_id=s.split_id
    WHERE s.active=1 AND a.side=1 AND a.report_id=$r11" | grep -qx 1 || die "no active split of report $r11"
[ "$(sqlite3 "$work/s.sqlite" "SELECT count(DISTINCT incident_id) FROM report WHERE doc_id IN ('rev-01', 'rev-11')")" -eq 2 ] ||
    die "rev-01 and rev-11 are not in two incidents"
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
assert len(allf) == int(sys.argv[3]) + 1, f"{len(allf)} features, the split makes {int(sys.argv[3]) + 1}"
jer = [f["properties"] for f in allf if f["properties"]["place_name"] == "Jermuk"]
assert len(jer) == 2 and sorted(p["doc_ids"][0] for p in jer) == ["rev-01", "rev-11"], [p["doc_ids"] for p in jer]
assert jer[0]["incident_id"] != jer[1]["incident_id"], [p["incident_id"] for p in jer]
print("export: the split incident is two:", [(p["incident_id"], p["doc_ids"]) for p in jer])
assert sorted(f["properties"]["review"] for f in rev) == ["accepted", "edited"], \
    [f["properties"]["review"] for f in rev]
print("export: review fields", {s: states.count(s) for s in set(states)}, "; --reviewed", len(rev))
PY
# the moved incident's point changed, and the others did not
# (the split incident's rows are replaced by its two parts)
after=$(sqlite3 "$work/s.sqlite" "SELECT incident_id, lon, lat FROM incidents WHERE incident_id<>$jermuk
    AND incident_id NOT IN (SELECT incident_id FROM report WHERE doc_id IN ('rev-01', 'rev-11')) ORDER BY incident_id")
[ "$before" = "$after" ] || die "the stored incidents changed (verdicts must not rewrite them)"
python3 - "$work/all.geojson" "$work/s.sqlite" "$third" "$before_all" <<'PY' || die "moved point"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[2])
rows = {int(r.split("|")[0]): r.split("|") for r in sys.argv[4].splitlines()}
lon0, lat0 = float(rows[int(sys.argv[3])][1]), float(rows[int(sys.argv[3])][2])
edits = json.loads(db.execute("SELECT edits FROM review_item WHERE state=2").fetchone()[0])
assert abs(edits["lon"] - lon0) + abs(edits["lat"] - lat0) > 1e-4, "the click did not move it"
pts = [f["geometry"]["coordinates"] for f in json.load(open(sys.argv[1]))["features"]
       if f["properties"]["review"] == "edited"]
assert len(pts) == 1 and abs(pts[0][0] - edits["lon"]) < 1e-6 and abs(pts[0][1] - edits["lat"]) < 1e-6, pts
print(f"moved: ({lon0:.4f}, {lat0:.4f}) -> ({edits['lon']:.4f}, {edits['lat']:.4f}); export has it")
PY
echo "PASS: $n markers; accepted #$first, rejected #$second, moved #$third, split #$jermuk from the keyboard; screenshots in $work/shots"
