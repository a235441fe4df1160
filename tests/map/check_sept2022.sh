#!/bin/sh
# The September 2022 border war (issue 18's bar): the dev articles published
# 2022-09-12..16, without the lockbox, extracted and mapped. Every shelling
# star shows (every symbol the renderer drew shows in its colour, the
# shelling ones included), region-centroid pins (geo_precision 3) are drawn
# hollow, and the French map has its legend in French. The QGIS side of the
# same bar is tests/qgis/check_sept2022.py (ctest qgis_sept2022).
. "$(dirname "$0")/lib.sh"
need_countries
dev="$MAP_SHARED/corpus/dev"
[ -f "$dev/docs.jsonl" ] || skip "$dev/docs.jsonl not found"
out="$MAP_OUT/sept2022"
rm -rf "$out" && mkdir -p "$out/dev"
python3 "$MAP_SRC/scripts/crossval_util.py" unlock "$MAP_SRC/data/model/lockbox.tsv" "$dev" \
    "$out/dev" || fail "cannot copy the corpus without the lockbox"
python3 - "$out/dev/docs.jsonl" "$out/sept.jsonl" <<'PY' || fail "cannot select the articles"
import json, sys
n = 0
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as o:
    for line in f:
        if line.strip() and "2022-09-12" <= (json.loads(line).get("published") or "")[:10] <= "2022-09-16":
            o.write(line)
            n += 1
print(f"sept2022: {n} articles published 2022-09-12..16 (lockbox left out)")
sys.exit(0 if n else 1)
PY
"$INCIMAP" extract "$out/sept.jsonl" -o "$out/layers" 2>"$out/extract.log" ||
    fail "extract exited $?: $(cat "$out/extract.log")"
cat "$out/extract.log"
"$INCIMAP" map "$out/layers" -o "$out/sept.png" --countries "$MAP_COUNTRIES" 2>"$out/map.log" ||
    fail "map exited $?: $(cat "$out/map.log")"
cat "$out/map.log"
"$TEST_MAP" render "$out/layers" "$MAP_COUNTRIES" "$out" || fail "pixel check failed"
"$TEST_MAP" hollow "$out/layers" "$MAP_COUNTRIES" "$out" || fail "hollow check failed"
# --names fr: a French map renders (its words: test_map unit, map_type_label_lang)
"$INCIMAP" map "$out/layers" -o "$out/sept-fr.png" --countries "$MAP_COUNTRIES" --names fr -q \
    --gazetteer "${INCIMAP_GAZETTEER:-$MAP_GAZETTEER}" || fail "French map exited $?"
echo "ok"
