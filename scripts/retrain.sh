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
. "$(dirname "$0")/model_pairs.sh" retrain
out=$here/data/model/pairs.json
[ "${1:-}" = "-o" ] && out=${2:?-o needs a file}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
model_pairs "$work"
python3 "$here/scripts/train.py" "${train_args[@]}" --l2 "$L2" -o "$out"
