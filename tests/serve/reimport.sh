#!/bin/sh
# reimport.sh -- verdicts last: review through the HTTP API (reject one
# incident, move one, accept one, merge two), then `extract --db` again with
# the same articles and a new one reporting the rejected incident: every
# verdict holds (the rejected one stays rejected with its new source, the
# moved place stays moved, the merge stays), no verdict row is added or
# changed, and extract's own layers carry the review field. Then a corrected
# article (same id, new text) replaces its reports: the edit follows them and
# no review_member row is left dangling.
. "$(dirname "$0")/common.sh"
work="$SERVE_OUT/reimport"
rm -rf "$work"
mkdir -p "$work"
make_store "$work"
db="$work/s.sqlite"
id_of() { sqlite3 "$db" "SELECT incident_id FROM incidents WHERE place_name='$1' AND date='$2'"; }
jermuk=$(id_of Jermuk 2022-09-13)
goris=$(id_of Goris 2022-09-14)
sotk=$(id_of Sotk 2022-09-13)
tegh=$(id_of Tegh 2022-09-15)
vardenis=$(id_of Vardenis 2022-09-15)
[ -n "$jermuk" ] && [ -n "$goris" ] && [ -n "$sotk" ] && [ -n "$tegh" ] && [ -n "$vardenis" ] ||
    die "the fixture's incidents are not all there"

start_server "$db"
r=$(api POST "/api/incidents/$jermuk/reject" '{"version":0,"who":"ana","reason":"not an event"}')
case "$r" in 200*) ;; *) die "reject: $r" ;; esac
r=$(api POST "/api/incidents/$goris/edit" '{"version":0,"who":"ana","edits":{"lon":46.33,"lat":39.52,"place_name":"Goris outskirts","place_id":""}}')
case "$r" in 200*) ;; *) die "edit: $r" ;; esac
r=$(api POST "/api/incidents/$sotk/accept" '{"version":0,"who":"ben"}')
case "$r" in 200*) ;; *) die "accept: $r" ;; esac
r=$(api POST "/api/incidents/$vardenis/merge" "{\"version\":0,\"who\":\"ben\",\"into\":$tegh}")
case "$r" in 200*) ;; *) die "merge: $r" ;; esac
# two tabs: the second one still shows version 0
r=$(api POST "/api/incidents/$sotk/reject" '{"version":0,"who":"tab2"}')
case "$r" in 409*) ;; *) die "a stale edit was not refused: $r" ;; esac
stop_server
rows=$(sqlite3 "$db" "SELECT verdict_id, item_id, who, at, action, before, after FROM verdicts ORDER BY 1")
[ "$(echo "$rows" | wc -l)" -eq 4 ] || die "4 verdict rows expected: $rows"

# a new article: the Jermuk shelling again (the rejected incident), and a new one
cat >"$work/new.jsonl" <<'JSONL'
{"id": "rev-09", "published": "2022-09-13", "lang": "en", "title": "Jermuk shelled", "text": "Yerevan, September 13 – The town of Jermuk was shelled overnight by Azerbaijani forces, the Armenian Defence Ministry said on Tuesday."}
{"id": "rev-10", "published": "2022-09-16", "lang": "en", "title": "Kajaran", "text": "Kajaran, September 16 – Azerbaijani artillery shelled the town of Kajaran on Friday, local officials said."}
JSONL
run_incimap extract "$SERVE_SRC/tests/serve/articles.jsonl" "$work/new.jsonl" --db "$db" \
    -o "$work/layers" --overwrite --gazetteer "$SERVE_GAZ" -q || die "re-import failed"
rows2=$(sqlite3 "$db" "SELECT verdict_id, item_id, who, at, action, before, after FROM verdicts ORDER BY 1")
[ "$rows" = "$rows2" ] || die "the re-import changed the verdict rows"
run_incimap export --db "$db" -o - -q >"$work/all.geojson" || die "export"
python3 - "$work/all.geojson" "$work/layers/incidents.geojson" <<'PY' || die "verdicts after re-import"
import json, sys
for path in sys.argv[1:]:
    feats = [f["properties"] | {"xy": f["geometry"]["coordinates"]} for f in json.load(open(path))["features"]]
    def one(**kw):
        m = [f for f in feats if all(f.get(k) == v for k, v in kw.items())]
        assert len(m) == 1, (path, kw, len(m))
        return m[0]
    j = one(date="2022-09-13", type="shelling")
    assert j["review"] == "rejected" and j["n_sources"] == 2, (path, "Jermuk", j["review"], j["n_sources"])
    g = one(date="2022-09-14", place_name="Goris outskirts")
    assert g["review"] == "edited" and abs(g["xy"][0] - 46.33) < 1e-6 and abs(g["xy"][1] - 39.52) < 1e-6, (path, g)
    assert one(date="2022-09-13", type="clash")["review"] == "accepted", path
    v = one(date="2022-09-15", place_name="Vardenis")
    assert v["review"] == "rejected", (path, "Vardenis merged", v["review"])
    t = one(date="2022-09-15", place_name="Tegh")
    assert sorted(t["doc_ids"]) == ["https://example.invalid/rev-06", "rev-07"] and t["n_sources"] == 2, (path, t["doc_ids"])
    k = one(date="2022-09-16")
    assert k["review"] == "unreviewed", (path, k)
    print(path, "ok:", {f["review"] for f in feats})
PY

# a corrected article (same id, new text): its old reports are deleted and
# new ones stored; the edit of Goris follows the new report of the same type
# and place, and no review_member row points at a deleted report
cat >"$work/corrected.jsonl" <<'JSONL'
{"id": "rev-03", "published": "2022-09-14", "lang": "en", "title": "Goris struck (corrected)", "url": "https://example.invalid/rev-03", "text": "Goris, September 14 – Artillery fire hit the outskirts of Goris on Wednesday morning, local officials said. Three civilians were wounded, not two as first reported."}
JSONL
old_rep=$(sqlite3 "$db" "SELECT group_concat(report_id) FROM report WHERE doc_id LIKE '%rev-03'")
run_incimap extract "$work/corrected.jsonl" --db "$db" -o "$work/layers2" --overwrite \
    --gazetteer "$SERVE_GAZ" -q || die "the corrected article's import failed"
new_rep=$(sqlite3 "$db" "SELECT group_concat(report_id) FROM report WHERE doc_id LIKE '%rev-03'")
[ -n "$new_rep" ] && [ "$new_rep" != "$old_rep" ] ||
    die "the corrected text did not replace the old one (reports $old_rep -> $new_rep)"
dangling=$(sqlite3 "$db" "SELECT count(*) FROM review_member WHERE report_id NOT IN (SELECT report_id FROM report)")
[ "$dangling" -eq 0 ] || die "$dangling review_member rows point at deleted reports"
rows3=$(sqlite3 "$db" "SELECT verdict_id, item_id, who, at, action, before, after FROM verdicts ORDER BY 1")
[ "$rows" = "$rows3" ] || die "the correction changed the verdict rows"
run_incimap export --db "$db" -o - -q >"$work/corrected.geojson" || die "export after the correction"
python3 - "$work/corrected.geojson" <<'PY' || die "the edit did not follow the corrected article"
import json, sys
feats = [f["properties"] | {"xy": f["geometry"]["coordinates"]} for f in json.load(open(sys.argv[1]))["features"]]
g = [f for f in feats if f.get("doc_ids") == ["rev-03"]]
assert len(g) == 1, g
g = g[0]
assert g["review"] == "edited" and g["place_name"] == "Goris outskirts", g
assert abs(g["xy"][0] - 46.33) < 1e-6 and abs(g["xy"][1] - 39.52) < 1e-6, g
print("corrected article ok:", g["review"], g["place_name"])
PY
echo "PASS: every verdict holds after the re-import and after a corrected article; extract --db layers carry the review field"
