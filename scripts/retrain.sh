#!/usr/bin/env bash
# retrain.sh -- fit the shipped pair model, data/model/pairs.json, the way it
# was fitted: on every dev article (../shared/corpus/dev, gold.jsonl) and on
# the project's own annotated articles (data/train), with scripts/train.py.
#
#   bash scripts/retrain.sh [-o FILE]      (default: data/model/pairs.json)
#
# Run it after changing a feature, a lexicon or the gazetteer, then
# scripts/crossval.sh for the figure that predicts unseen articles. For another
# conflict or language, see README ("Retrain the model").
# Environment: INCIMAP (default build/incimap), INCIMAP_GAZETTEER (default the
# installed one), SHARED (default ../shared beside the repo), L2 (default 1.0).
# Exit status 77 when the dev corpus or the gazetteer is absent.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
INCIMAP=${INCIMAP:-$here/build/incimap}
SHARED=${SHARED:-$here/../shared}
GAZ=${INCIMAP_GAZETTEER:-/usr/local/share/incimap/gazetteer.sqlite}
L2=${L2:-1.0}
out=$here/data/model/pairs.json
[ "${1:-}" = "-o" ] && out=${2:?-o needs a file}
dev=$SHARED/corpus/dev
if [ ! -f "$dev/docs.jsonl" ] || [ ! -f "$dev/gold.jsonl" ]; then
    echo "retrain: skipped: the dev corpus $dev is absent"
    exit 77
fi
if [ ! -f "$GAZ" ]; then
    echo "retrain: skipped: no gazetteer at $GAZ"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo '{"weights": {}}' >"$work/empty.json"
dump() { # articles pairs-out
    "$INCIMAP" extract "$1" -o "$work/layers" -f GeoJSON -q --overwrite --gazetteer "$GAZ" \
        --model "$work/empty.json" --dump-pairs "$2"
}
dump "$dev/docs.jsonl" "$work/dev.jsonl"
args=(--pairs "$work/dev.jsonl" --gold "$dev/gold.jsonl")
if [ -f "$here/data/train/articles.jsonl" ]; then
    dump "$here/data/train/articles.jsonl" "$work/train.jsonl"
    args+=(--pairs "$work/train.jsonl" --gold "$here/data/train/gold.annotated.jsonl")
fi
python3 "$here/scripts/train.py" "${args[@]}" --l2 "$L2" -o "$out"
