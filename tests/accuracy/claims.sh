#!/bin/sh
# accuracy/claims.sh INCIMAP GAZETTEER SHARED_DIR OUT_DIR
# claimed_by on every dev article but the lockbox (issue 18): each value
# (one or more, "; "-separated) is a party of the conflict file (an actor's
# side name or label) or a named organisation: it starts with a capitalised
# word or an organisation noun of the lexicon (claim_cues.organisations) and
# ends with a capitalised word; no word of claim_cues.not_claimants. Skips (77) without ../shared or the gazetteer.
set -u
incimap=$1 gaz=$2 shared=$3 out=$4
here=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -f "$shared/corpus/dev/docs.jsonl" ]; then
    echo "skipped: $shared/corpus/dev is absent (the dev corpus lives in ../shared)"
    exit 77
fi
if [ ! -f "$gaz" ]; then
    echo "skipped: no default gazetteer at $gaz (run scripts/fetch-data.sh)"
    exit 77
fi
rm -rf "$out"
mkdir -p "$out/dev"
python3 "$here/scripts/crossval_util.py" unlock "$here/data/model/lockbox.tsv" \
    "$shared/corpus/dev" "$out/dev" || exit 1
"$incimap" extract "$out/dev/docs.jsonl" -o "$out/layer" -f GeoJSON -q --gazetteer "$gaz" \
    --min-confidence 0.01 || { echo "incimap extract failed"; exit 1; }
python3 - "$here/data" "$out/layer/incidents.geojson" <<'PY'
import json, sys, unicodedata
data, layer = sys.argv[1], sys.argv[2]
def fold(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in s).split())
conf = json.load(open(f"{data}/conflicts/armenia-azerbaijan.json", encoding="utf-8"))
parties = {a.get("side_name") or a.get("name") or a.get("label") for a in conf["actors"]}
for key in ("sides", "side_names"):
    v = conf.get(key)
    if isinstance(v, dict):
        parties |= set(v.values())
orgs, notc, func = set(), set(), set()
for lang in ("fr", "en"):
    lx = json.load(open(f"{data}/lexicon/{lang}.json", encoding="utf-8"))
    orgs |= {fold(w) for w in lx["claim_cues"]["organisations"]}
    notc |= {fold(w) for w in lx["claim_cues"]["not_claimants"]}
    func |= {fold(w) for w in lx["function_words"]} | {fold(w) for w in lx["determiners"]}
    func |= {fold(w) for w in lx["genitive"]}
def named(v):
    words = v.replace("'", " ").replace("’", " ").replace("-", " ").split()
    if not words or fold(v) in notc or any(fold(w) in notc for w in words):
        return False
    if not words[-1][:1].isupper():
        return False
    # it starts with a name or an organisation noun ("ministère des Affaires
    # étrangères d'Ankara"); lower-case words only between names
    first = fold(words[0])
    return words[0][:1].isupper() or first in orgs or any(o.split()[0] == first for o in orgs)
    return True
fc = json.load(open(layer, encoding="utf-8"))
seen, bad = 0, []
for ft in fc["features"]:
    cb = ft["properties"].get("claimed_by") or ""
    for v in filter(None, (x.strip() for x in cb.split(";"))):
        seen += 1
        if v not in parties and not named(v):
            bad.append(f'{v!r} ({",".join(ft["properties"].get("doc_ids") or [])})')
print(f"claimed_by: {seen} values on {len(fc['features'])} incidents; parties {sorted(p for p in parties if p)}")
if bad:
    print("not a party or a named organisation:\n  " + "\n  ".join(sorted(set(bad))))
    sys.exit(1)
print("every claimed_by is a party or a named organisation")
PY
