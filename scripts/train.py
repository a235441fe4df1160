#!/usr/bin/env python3
"""Fit the weights of incimap's pair model from annotated articles.

Usage:
  train.py --pairs PAIRS.jsonl --gold GOLD.jsonl -o data/model/pairs.json
           [--pairs MORE.jsonl --gold MORE_GOLD.jsonl ...]
           [--docs ID,ID...] [--exclude-docs ID,ID...] [--l2 1.0] [--threshold 0.5]

PAIRS.jsonl is what `incimap extract ARTICLES --dump-pairs PAIRS.jsonl` writes:
every candidate (trigger, place) pair with its features. GOLD.jsonl holds the
incidents a person found in the same articles, one per line, in either form:
  scorer form:    {"doc": "a.txt", "type": "shelling", "lat": 39.8, "lon": 46.7,
                   "radius_km": 15, "optional": false, ...}
  annotated form: {"file": "a.txt", "type": "shelling", "place": "Stepanakert",
                   "place_en": "Stepanakert", ...}
A pair is a positive example when an incident of its document and type lies
within radius_km of its place (scorer form; an incident with a radius wider
than 15 km is a region's: only a region or a line matches it, and a region
matches only such an incident, unless the place is written the same) or names the same place, compared
folded (annotated form); a pair matching only an `optional` incident is left
out; every other pair is a negative example.

The model is a logistic regression with an L2 penalty (the bias is not
penalised), fitted by Newton's method to convergence: the same pairs give the
same weights, to the sixth decimal, on any machine. Standard library only.
"""
import argparse
import json
import math
import sys
import unicodedata

TYPES = ("shelling", "clash", "evacuation")


def fold(s):
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in s).split())


def haversine_km(lat1, lon1, lat2, lon2):
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


def load_jsonl(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{n}: malformed JSON: {e}")
    return out


def load_gold(paths):
    gold = {}
    for path in [paths] if isinstance(paths, str) else paths:
        load_gold_into(path, gold)
    return gold


def load_gold_into(path, gold):
    for g in load_jsonl(path):
        doc = g.get("doc") or g.get("file")
        if not doc or g.get("type") not in TYPES:
            sys.exit(f"{path}: every incident needs a doc (or file) and a type among {TYPES}")
        gold.setdefault((doc, g["type"]), []).append(g)


def label(pair, gold):
    """1 positive, 0 negative, None left out (matches only optional incidents)."""
    cands = gold.get((pair["doc"], pair["type"]), [])
    hit_required = hit_optional = False
    for g in cands:
        if g.get("lat") is not None and g.get("lon") is not None:
            radius = g.get("radius_km", 15)
            ok = haversine_km(pair["lat"], pair["lon"], g["lat"], g["lon"]) <= radius
            # a region-level incident (a radius wider than 15 km) is not a town
            # inside it, and a region is not a town near its centre, unless
            # they bear the same name
            region = bool(pair["features"].get("place_region") or
                          pair["features"].get("place_line_or_feature"))
            if region != (radius > 15) and fold(pair["place"]) != fold(g.get("place")):
                ok = False
        else:
            names = {fold(g.get("place")), fold(g.get("place_en"))} - {""}
            ok = fold(pair["place"]) in names
        if ok:
            if g.get("optional"):
                hit_optional = True
            else:
                hit_required = True
    if hit_required:
        return 1
    return None if hit_optional else 0


def nearest_gold(pair, gold, keep=lambda g: True):
    """The nearest required gold incident that the pair matches and `keep`
    accepts, or None (the actor and the date decisions learn from it)."""
    best = None
    for g in gold.get((pair["doc"], pair["type"]), []):
        if g.get("optional") or not keep(g):
            continue
        if label(pair, {(pair["doc"], pair["type"]): [g]}) != 1:
            continue
        d = 0.0
        if g.get("lat") is not None and g.get("lon") is not None:
            d = haversine_km(pair["lat"], pair["lon"], g["lat"], g["lon"])
        if best is None or d < best[0]:
            best = (d, g)
    return best[1] if best else None


def solve(a, b):
    """Solve a x = b (a symmetric positive definite) by Gaussian elimination."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        piv = m[c][c]
        for r in range(c + 1, n):
            f = m[r][c] / piv
            if f:
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][k] * x[k] for k in range(r + 1, n))) / m[r][r]
    return x


def fit(rows, ys, n, l2, bias_index, iters=100):
    """Newton's method on the penalised log-likelihood. rows: lists of set feature indices."""
    w = [0.0] * n
    for _ in range(iters):
        grad = [0.0] * n
        hess = [[0.0] * n for _ in range(n)]
        for idx, y in zip(rows, ys):
            z = sum(w[i] for i in idx)
            p = 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0
            g = p - y
            h = p * (1 - p)
            for i in idx:
                grad[i] += g
                hi = hess[i]
                for j in idx:
                    hi[j] += h
        for i in range(n):
            if i != bias_index:
                grad[i] += l2 * w[i]
                hess[i][i] += l2
            hess[i][i] += 1e-9
        step = solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step)]
        if max(abs(s) for s in step) < 1e-10:
            break
    return w


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", required=True, action="append", help="pairs JSONL (repeatable)")
    ap.add_argument("--gold", required=True, action="append",
                    help="gold incidents of the articles of --pairs (repeatable)")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--docs", help="train only on these documents (comma-separated ids)")
    ap.add_argument("--exclude-docs", help="leave these documents out (comma-separated ids)")
    ap.add_argument("--l2", type=float, default=1.0, help="L2 penalty (default 1.0)")
    ap.add_argument("--drop-features", default="",
                    help="leave these features out (comma-separated): an ablation, to see "
                         "what a feature is worth in scripts/crossval.sh")
    ap.add_argument("--threshold", type=float, default=0.5,
                    help="probability from which a pair is an incident (default 0.5)")
    ap.add_argument("--actors",
                    help="the actor decision fitted by scripts/train_actors.py, embedded "
                         "as \"actors\"")
    ap.add_argument("--no-actors", action="store_true",
                    help="leave --actors out (an ablation: the hand-set actor order)")
    ap.add_argument("--dates",
                    help="the date choice fitted by scripts/train_dates.py, embedded as "
                         "\"dates\"")
    ap.add_argument("--no-dates", action="store_true",
                    help="leave --dates out (an ablation: the hand-set date rule)")
    ap.add_argument("--calibration",
                    help="a JSON file {\"method\": \"platt\", \"a\": A, \"b\": B, ...} "
                         "(scripts/crossval_util.py calibrate): the confidence becomes "
                         "1 / (1 + exp(-(A z + B))) of the logit z; its \"threshold\", "
                         "when present, replaces --threshold")
    a = ap.parse_args()
    keep = set(a.docs.split(",")) if a.docs else None
    drop = set(a.exclude_docs.split(",")) if a.exclude_docs else set()
    gold = load_gold(a.gold)
    pairs = []
    for path in a.pairs:
        pairs += load_jsonl(path)
    pairs = [p for p in pairs if (keep is None or p["doc"] in keep) and p["doc"] not in drop]
    if not pairs:
        sys.exit("train.py: no pairs to train on (check --pairs and --docs)")
    dropped = set(filter(None, a.drop_features.split(",")))
    for p in pairs:
        for f in dropped & set(p["features"]):
            del p["features"][f]
    names = sorted({f for p in pairs for f in p["features"]} | {"bias"})
    names.remove("bias")
    names.insert(0, "bias")
    index = {f: i for i, f in enumerate(names)}
    rows, ys = [], []
    left_out = 0
    for p in pairs:
        y = label(p, gold)
        if y is None:
            left_out += 1
            continue
        rows.append(sorted({index[f] for f, v in p["features"].items() if v} | {0}))
        ys.append(y)
    w = fit(rows, ys, len(names), a.l2, 0)
    docs = sorted({p["doc"] for p in pairs})
    cal = None
    if a.calibration:
        with open(a.calibration, encoding="utf-8") as f:
            cal = json.load(f)
        if cal.get("method") != "platt" or not cal.get("a", 0) > 0:
            sys.exit(f"train.py: {a.calibration}: not a Platt calibration with a > 0")
        if "threshold" in cal:  # the cut fitted with it beats --threshold
            a.threshold = cal.pop("threshold")
    model = {
        "model": "incimap pair model: logistic regression over the features of "
                 "extract/pair_features.h; z = sum(weight * feature); confidence = "
                 + ("1 / (1 + exp(-(a z + b))), a and b of \"calibration\" (Platt scaling "
                    "fitted on out-of-fold predictions)" if cal else "1 / (1 + exp(-z))"),
        "trained_by": "scripts/train.py",
        "l2": a.l2,
        "threshold": a.threshold,
        "training": {"documents": len(docs), "pairs": len(ys), "positives": sum(ys),
                     "left_out_optional": left_out},
        "weights": {f: round(w[i], 6) + 0.0 for i, f in enumerate(names)},
    }
    if cal:
        model["calibration"] = cal
    if a.actors and not a.no_actors:
        with open(a.actors, encoding="utf-8") as f:
            act = json.load(f)
        model["actors"] = {k: act[k] for k in ("trained_by", "training", "weights") if k in act}
    if a.dates and not a.no_dates:
        with open(a.dates, encoding="utf-8") as f:
            dt = json.load(f)
        model["dates"] = {k: dt[k] for k in ("trained_by", "training", "weights") if k in dt}
    with open(a.output, "w", encoding="utf-8") as f:
        json.dump(model, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"train.py: {len(ys)} pairs ({sum(ys)} positive, {left_out} left out) from "
          f"{len(docs)} documents -> {a.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
