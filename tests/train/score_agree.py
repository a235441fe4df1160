#!/usr/bin/env python3
"""score_agree.py INCIMAP GAZETTEER OUT_DIR
The extractor (extract/model.c) and the trainer (scripts/train.py score())
give every candidate pair the same confidence, type conjunctions
("clash*place_region") and the Platt calibration included. The pairs are the
project's own articles (data/train/articles.jsonl); the weights are made up
here, a different one for every feature and every conjunction, so that a
conjunction applied to the wrong type, or not at all, changes the figure.
Skips (77) without the gazetteer. Prints 'N pairs agree' or the first pairs
that differ."""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import train  # noqa: E402


def extract(incimap, gaz, model, out, dump):
    subprocess.run([incimap, "extract", os.path.join(ROOT, "data", "train", "articles.jsonl"),
                    "-o", out, "-f", "GeoJSON", "-q", "--overwrite", "--gazetteer", gaz,
                    "--model", model, "--dump-pairs", dump], check=True)
    with open(dump, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    incimap, gaz, out = sys.argv[1:4]
    if not os.path.isfile(gaz):
        print(f"skipped: no gazetteer at {gaz}")
        return 77
    os.makedirs(out, exist_ok=True)
    empty = os.path.join(out, "empty.json")
    with open(empty, "w", encoding="utf-8") as f:
        f.write('{"weights": {}}\n')
    pairs = extract(incimap, gaz, empty, os.path.join(out, "a"), os.path.join(out, "a.jsonl"))
    names = sorted({f for p in pairs for f in p["features"]})
    weights = {}
    for k, f in enumerate(names):
        weights[f] = round(((k * 37) % 23 - 11) / 20.0, 6)
        if f != "bias" and f not in train.TYPE_FEATURES:
            for t, typ in enumerate(train.TYPES):
                weights[typ + train.CONJ + f] = round((((k + 5 * t) * 29) % 17 - 8) / 16.0, 6)
    cal = {"method": "platt", "a": 0.7, "b": -0.2}
    model = os.path.join(out, "model.json")
    with open(model, "w", encoding="utf-8") as f:
        json.dump({"threshold": 0.5, "weights": weights, "calibration": cal}, f)
    pairs = extract(incimap, gaz, model, os.path.join(out, "b"), os.path.join(out, "b.jsonl"))
    types = {p["type"] for p in pairs}
    if len(pairs) < 20 or len(types) < 3:
        print(f"FAILED: only {len(pairs)} pairs of types {sorted(types)}: the test needs all three")
        return 1
    bad = moved = 0
    for p in pairs:
        _, conf = train.score(weights, p, cal)
        _, plain = train.score({k: v for k, v in weights.items() if train.CONJ not in k}, p, cal)
        moved += abs(conf - plain) > 1e-3
        # the dump prints 6 significant digits
        if abs(conf - p["prob"]) > 1e-5 * max(1.0, abs(conf)):
            bad += 1
            if bad <= 5:
                print(f"FAILED: {p['doc']} {p['type']} {p['place']}: extractor {p['prob']}, "
                      f"train.py {conf:.6g} (without conjunctions {plain:.6g})")
    if bad:
        print(f"{bad} of {len(pairs)} pairs differ")
        return 1
    if moved * 2 < len(pairs):
        print(f"FAILED: the conjunctions move only {moved} of {len(pairs)} confidences")
        return 1
    print(f"{len(pairs)} pairs agree (types {sorted(types)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
