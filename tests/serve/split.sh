#!/bin/sh
# split.sh -- a split lasts: an incident that merges two reports (rev-01 and
# rev-11, the Jermuk shelling of 2022-09-13 seen by two sources) is split
# through the HTTP API; then `extract --db` again with the same articles,
# a third report of the same shelling (it fits both parts), and a new one;
# then a corrected rev-11 (same id, new text). Each time `export`, extract's
# own layers and `map -o x.html` show two Jermuk incidents with the same two
# incident_ids, the third report in one of them (the same one every time),
# and the verdict rows are unchanged. Then the split is undone through the
# API and the next import keeps one incident.
. "$(dirname "$0")/common.sh"
work="$SERVE_OUT/split"
rm -rf "$work"
mkdir -p "$work"
make_store "$work"
db="$work/s.sqlite"
run_incimap extract "$SERVE_SRC/tests/serve/split.jsonl" --db "$db" -o "$work/layers0" \
    --gazetteer "$SERVE_GAZ" -q || die "extract of split.jsonl failed"
jermuk=$(sqlite3 "$db" "SELECT incident_id FROM incidents WHERE place_name='Jermuk' AND date='2022-09-13'")
[ "$(echo "$jermuk" | wc -l)" -eq 1 ] && [ -n "$jermuk" ] || die "no single Jermuk incident: '$jermuk'"
[ "$(sqlite3 "$db" "SELECT n_sources FROM incidents WHERE incident_id=$jermuk")" -eq 2 ] ||
    die "the Jermuk incident does not hold both sources"
r11=$(sqlite3 "$db" "SELECT report_id FROM report WHERE doc_id='rev-11'")

start_server "$db"
r=$(api GET "/api/incidents/$jermuk")
echo "$r" | grep -q "\"report_id\": *$r11" || die "the sources do not list report $r11: $r"
r=$(api POST "/api/incidents/$jermuk/split" "{\"version\":0,\"who\":\"ana\",\"reports\":[$r11]}")
case "$r" in 200*) ;; *) die "split: $r" ;; esac
echo "split: $r" | cut -c1-200
parts=$(echo "$r" | sed 's/^200 //' | python3 -c 'import json,sys; print(*json.load(sys.stdin)["parts"])')
# a second tab that still shows version 0 is refused
r=$(api POST "/api/incidents/$jermuk/split" "{\"version\":0,\"who\":\"tab2\",\"reports\":[$r11]}")
case "$r" in 409*|404*) ;; *) die "a stale split was not refused: $r" ;; esac
r=$(api GET "/api/incidents")
n=$(echo "$r" | sed 's/^200 //' | python3 -c 'import json,sys; print(sum(1 for i in json.load(sys.stdin)["incidents"] if i["place_name"] == "Jermuk"))')
[ "$n" -eq 2 ] || die "the API lists $n Jermuk incidents after the split"
stop_server
rows=$(sqlite3 "$db" "SELECT verdict_id, item_id, who, at, action, before, after FROM verdicts ORDER BY 1")
[ "$(echo "$rows" | wc -l)" -eq 1 ] || die "one verdict row expected: $rows"
echo "$rows" | grep -q '|split|' || die "the verdict row is not a split: $rows"

# check LABEL GEOJSON...: two Jermuk incidents, rev-01 and rev-11 apart, the
# same ids as the first export; prints where rev-12 went
cat >"$work/check.py" <<'PY'
import json, sys
label, ref = sys.argv[1], sys.argv[2]
want = json.load(open(ref)) if ref != "-" else None
out = {}
for path in sys.argv[3:]:
    if path.endswith(".html"):
        html = open(path, encoding="utf-8").read()
        start = html.index('<script id="incimap-data" type="application/json">')
        data = html[html.index(">", start) + 1:html.index("</script>", start)]
        feats = [i for i in json.loads(data)["incidents"]]
        get = lambda f, k: f.get(k)
    else:
        feats = [f["properties"] for f in json.load(open(path))["features"]]
        get = lambda f, k: f.get(k)
    j = [f for f in feats if get(f, "place_name") == "Jermuk" and get(f, "date") == "2022-09-13"]
    assert len(j) == 2, (label, path, "Jermuk incidents", len(j))
    a = [f for f in j if "rev-01" in f["doc_ids"]]
    b = [f for f in j if "rev-11" in f["doc_ids"]]
    assert len(a) == 1 and len(b) == 1 and a[0] is not b[0], (label, path, [f["doc_ids"] for f in j])
    third = "stayed" if "rev-12" in a[0]["doc_ids"] else "left" if "rev-12" in b[0]["doc_ids"] else "none"
    got = {"third": third}
    if "incident_id" in a[0]:
        got.update(stayed=a[0]["incident_id"], left=b[0]["incident_id"])
        assert got["stayed"] != got["left"], (label, path, got)
    if want:
        for k in got:
            assert k not in want or want[k] == got[k] or (k == "third" and want[k] == "none"), (label, path, k, want[k], got[k])
    print(label, path.split("/")[-1], got, file=sys.stderr)
    out.update(got)
if ref == "-":
    json.dump(out, sys.stdout)
PY
run_incimap export --db "$db" -o - -q >"$work/split.geojson" || die "export"
python3 "$work/check.py" split - "$work/split.geojson" >"$work/ids.json" || die "after the split"
cat "$work/ids.json"; echo

# a re-import: the same articles, a third report of the shelling, a new one
cat >"$work/new.jsonl" <<'JSONL'
{"id": "rev-12", "published": "2022-09-13", "lang": "en", "title": "Jermuk again", "text": "Yerevan, September 13 – Jermuk came under Azerbaijani shelling on Tuesday, residents said."}
{"id": "rev-10", "published": "2022-09-16", "lang": "en", "title": "Kajaran", "text": "Kajaran, September 16 – Azerbaijani artillery shelled the town of Kajaran on Friday, local officials said."}
JSONL
run_incimap extract "$SERVE_SRC/tests/serve/articles.jsonl" "$SERVE_SRC/tests/serve/split.jsonl" \
    "$work/new.jsonl" --db "$db" -o "$work/layers" --overwrite --gazetteer "$SERVE_GAZ" -q ||
    die "re-import failed"
run_incimap export --db "$db" -o - -q >"$work/reimport.geojson" || die "export"
run_incimap map --db "$db" -o "$work/reimport.html" -q || die "map -o html"
python3 "$work/check.py" reimport "$work/ids.json" "$work/reimport.geojson" \
    "$work/layers/incidents.geojson" "$work/reimport.html" 2>"$work/reimport.out" ||
    die "the split did not survive the re-import: $(cat "$work/reimport.out")"
cat "$work/reimport.out"
grep -q "'third': 'none'" "$work/reimport.out" && die "the third report joined neither part"
third=$(sed -n "1s/.*'third': '\([a-z]*\)'.*/\1/p" "$work/reimport.out")
printf '{"third": "%s", "stayed": "%s", "left": "%s"}' "$third" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stayed"])' "$work/ids.json")" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["left"])' "$work/ids.json")" >"$work/ids2.json"
# the same import again changes nothing
run_incimap extract "$SERVE_SRC/tests/serve/articles.jsonl" "$SERVE_SRC/tests/serve/split.jsonl" \
    "$work/new.jsonl" --db "$db" -o "$work/layers" --overwrite --gazetteer "$SERVE_GAZ" -q ||
    die "second re-import failed"
run_incimap export --db "$db" -o - -q >"$work/again.geojson" || die "export"
python3 "$work/check.py" again "$work/ids2.json" "$work/again.geojson" || die "second re-import"

# a corrected rev-11 (same id, new text, same place and type): its new
# report takes the old one's side
cat >"$work/corrected.jsonl" <<'JSONL'
{"id": "rev-11", "published": "2022-09-13", "lang": "en", "title": "Jermuk under fire (corrected)", "url": "https://example.invalid/rev-11", "text": "Jermuk, September 13 – Azerbaijani artillery shelled Jermuk on Tuesday, the town's mayor said. A hotel was hit; an earlier version also named a school."}
JSONL
old=$(sqlite3 "$db" "SELECT group_concat(report_id) FROM report WHERE doc_id='rev-11'")
run_incimap extract "$work/corrected.jsonl" --db "$db" -o "$work/layers2" --overwrite \
    --gazetteer "$SERVE_GAZ" -q || die "the corrected article's import failed"
new=$(sqlite3 "$db" "SELECT group_concat(report_id) FROM report WHERE doc_id='rev-11'")
[ -n "$new" ] && [ "$new" != "$old" ] || die "the corrected text did not replace the old ($old -> $new)"
dangling=$(sqlite3 "$db" "SELECT count(*) FROM review_apart WHERE report_id NOT IN (SELECT report_id FROM report)")
[ "$dangling" -eq 0 ] || die "$dangling review_apart rows point at deleted reports"
run_incimap export --db "$db" -o - -q >"$work/corrected.geojson" || die "export"
python3 "$work/check.py" corrected "$work/ids2.json" "$work/corrected.geojson" \
    "$work/layers2/incidents.geojson" || die "the split did not survive the corrected article"
rows2=$(sqlite3 "$db" "SELECT verdict_id, item_id, who, at, action, before, after FROM verdicts ORDER BY 1")
[ "$rows" = "$rows2" ] || die "the re-imports changed the verdict rows"

# undo from the part that stayed: one incident again, and it stays one
start_server "$db"
stayed=$(sqlite3 "$db" "SELECT incident_id FROM report WHERE doc_id='rev-01'")
r=$(api GET "/api/incidents/$stayed")
v=$(echo "$r" | sed 's/^200 //' | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
r=$(api POST "/api/incidents/$stayed/undo" "{\"version\":$v,\"who\":\"ana\"}")
case "$r" in 200*) ;; *) die "undo: $r" ;; esac
stop_server
run_incimap extract "$SERVE_SRC/tests/serve/articles.jsonl" "$work/new.jsonl" --db "$db" \
    -o "$work/layers3" --overwrite --gazetteer "$SERVE_GAZ" -q || die "import after the undo"
run_incimap export --db "$db" -o - -q >"$work/undone.geojson" || die "export"
python3 - "$work/undone.geojson" "$work/ids2.json" <<'PY' || die "after the undo"
import json, sys
feats = [f["properties"] for f in json.load(open(sys.argv[1]))["features"]]
ids = json.load(open(sys.argv[2]))
j = [f for f in feats if f["place_name"] == "Jermuk" and f["date"] == "2022-09-13"]
assert len(j) == 1 and {"rev-01", "rev-11", "rev-12"} <= set(j[0]["doc_ids"]), [f["doc_ids"] for f in j]
assert j[0]["incident_id"] == ids["stayed"], (j[0]["incident_id"], ids)
print("undone: one incident", j[0]["incident_id"], j[0]["doc_ids"])
PY
sqlite3 "$db" "SELECT action FROM verdicts ORDER BY verdict_id" | tr '\n' ' ' | grep -qx 'split undo ' ||
    die "verdict rows: $(sqlite3 "$db" "SELECT action FROM verdicts ORDER BY verdict_id" | tr '\n' ' ')"
echo "PASS: the split holds through re-imports and a corrected article (export, layers, map -o html; the third report went to the part that $third), and its undo joins the parts again"
