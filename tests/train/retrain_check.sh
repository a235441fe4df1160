#!/bin/sh
# retrain_check.sh INCIMAP GAZETTEER SHARED_DIR OUT_DIR
# Training is part of the product: fitting the model again from the annotated
# articles (scripts/retrain.sh) must give the shipped weights
# (data/model/pairs.json, and the date choice data/model/dates.json) exactly,
# and extraction with them the same layer.
# A change to a feature, a lexicon or the regional gazetteer that is not
# followed by a retrain fails here. Skips (77) without ../shared or the
# default gazetteer.
set -u
incimap=$1 gaz=$2 shared=$3 out=$4
here=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -f "$shared/corpus/dev/docs.jsonl" ]; then
    echo "skipped: $shared/corpus/dev is absent"
    exit 77
fi
if [ ! -f "$gaz" ]; then
    echo "skipped: no default gazetteer at $gaz (run scripts/fetch-data.sh)"
    exit 77
fi
rm -rf "$out"
mkdir -p "$out"
INCIMAP=$incimap INCIMAP_GAZETTEER=$gaz SHARED=$shared \
    bash "$here/scripts/retrain.sh" -o "$out/pairs.json" || exit 1
if ! cmp -s "$out/pairs.json" "$here/data/model/pairs.json"; then
    echo "retraining gives other weights than data/model/pairs.json:"
    diff "$here/data/model/pairs.json" "$out/pairs.json" | head -n 40
    echo "run: bash scripts/retrain.sh (then scripts/crossval.sh) and commit the weights"
    exit 1
fi
if ! cmp -s "$out/dates.json" "$here/data/model/dates.json"; then
    echo "retraining gives another date choice than data/model/dates.json:"
    diff "$here/data/model/dates.json" "$out/dates.json" | head -n 40
    echo "run: bash scripts/retrain.sh (then scripts/crossval.sh) and commit the weights"
    exit 1
fi
for m in shipped retrained; do
    model=$here/data/model/pairs.json
    [ "$m" = retrained ] && model=$out/pairs.json
    "$incimap" extract "$shared/corpus/dev/docs.jsonl" -o "$out/$m" -f GeoJSON -q \
        --gazetteer "$gaz" --model "$model" || exit 1
done
if ! cmp -s "$out/shipped/incidents.geojson" "$out/retrained/incidents.geojson"; then
    echo "the retrained weights give another layer than the shipped ones"
    exit 1
fi
echo "retrained weights = shipped weights; same layer ($(grep -o '"Feature"' \
    "$out/shipped/incidents.geojson" | wc -l) incidents)"
