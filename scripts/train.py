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
# the penalty of the type conjunctions: the best pooled figure of the values
# tried on the folds (docs/extraction.md, "Type conjunctions")
L2_TYPE = 25.0


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


# The features that say the pair's type, and the separator of a conjunction's
# name: "clash*place_region" is place_region in a clash pair only
# (extract/model.c reads the same names).
TYPE_FEATURES = {"type_" + t for t in TYPES}
CONJ = "*"


def pair_features(p, conjunctions=True):
    """The names of the features set in pair p: its own (dumped by the
    extractor) and, with conjunctions, each of them but the bias and the
    type features joined to the pair's type ("clash*place_region");
    conjunctions may be a set of feature names: only those are joined."""
    own = [f for f, v in p["features"].items() if v]
    if not conjunctions:
        return own
    return own + [p["type"] + CONJ + f for f in own
                  if f != "bias" and f not in TYPE_FEATURES
                  and (conjunctions is True or f in conjunctions)]


def score(weights, p, calibration=None):
    """The logit z and the confidence that extract/model.c gives pair p with
    these weights (a dict name -> weight; conjunctions by name)."""
    z = sum(weights.get(f, 0.0) * v for f, v in p["features"].items())
    z += sum(weights.get(p["type"] + CONJ + f, 0.0) * v for f, v in p["features"].items()
             if f != "bias" and f not in TYPE_FEATURES)
    zc = calibration["a"] * z + calibration["b"] if calibration else z
    return z, 1.0 / (1.0 + math.exp(-zc))


def solve(a, b):
    """Solve a x = b (a symmetric positive definite) by Cholesky
    factorisation, a = L L^T, in a fixed order of operations: the same
    system gives the same bits on any machine."""
    n = len(b)
    low = [[0.0] * n for _ in range(n)]
    for j in range(n):
        lj = low[j]
        d = a[j][j] - sum(v * v for v in lj[:j])
        if d <= 0:
            raise ValueError("train.py: the Hessian is not positive definite")
        d = math.sqrt(d)
        lj[j] = d
        for i in range(j + 1, n):
            li = low[i]
            li[j] = (a[i][j] - sum(x * y for x, y in zip(li[:j], lj[:j]))) / d
    y = [0.0] * n
    for i in range(n):
        y[i] = (b[i] - sum(low[i][k] * y[k] for k in range(i))) / low[i][i]
    x = [0.0] * n
    for i in range(n - 1, -1, -1):
        x[i] = (y[i] - sum(low[k][i] * x[k] for k in range(i + 1, n))) / low[i][i]
    return x


def objective(groups, w, pen):
    """The penalised negative log-likelihood of the grouped rows."""
    total = 0.5 * sum(p * wi * wi for p, wi in zip(pen, w))
    for idx, cnt, pos in groups:
        z = sum(w[i] for i in idx)
        # log(1 + exp(z)) computed stably
        lse = z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))
        total += cnt * lse - pos * z
    return total


def fit(rows, ys, n, l2, bias_index, iters=100, penalty=None):
    """Newton's method on the penalised log-likelihood. rows: lists of set
    feature indices. penalty: the L2 penalty of each weight (default l2 for
    every weight but the bias, which is not penalised). Rows with the same
    features are grouped (a count and a count of positives), and a step that
    does not lower the objective is halved: the optimum is unique (the
    objective is strictly convex), so the weights do not depend on the path."""
    if penalty is None:
        penalty = [0.0 if i == bias_index else l2 for i in range(n)]
    agg = {}
    for idx, y in zip(rows, ys):
        key = tuple(idx)
        c = agg.setdefault(key, [0, 0])
        c[0] += 1
        c[1] += y
    groups = [(list(k), c[0], c[1]) for k, c in sorted(agg.items())]
    w = [0.0] * n
    cur = objective(groups, w, penalty)
    for _ in range(iters):
        grad = [penalty[i] * w[i] for i in range(n)]
        hess = [[0.0] * n for _ in range(n)]
        for idx, cnt, pos in groups:
            z = sum(w[i] for i in idx)
            p = 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0
            g = cnt * p - pos
            h = cnt * p * (1 - p)
            for i in idx:
                grad[i] += g
                hi = hess[i]
                for j in idx:
                    hi[j] += h
        for i in range(n):
            hess[i][i] += penalty[i] + 1e-9
        step = solve(hess, grad)
        t = 1.0
        while True:
            cand = [wi - t * si for wi, si in zip(w, step)]
            new = objective(groups, cand, penalty)
            if new <= cur or t < 1e-6:
                break
            t *= 0.5
        w, cur = cand, new
        if max(abs(t * s) for s in step) < 1e-10:
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
    ap.add_argument("--type-conjunctions", action="store_true",
                    help="also fit each feature joined to the pair's type (\"clash*place_region\"): "
                         "a weight per type on top of the shared one; off in the shipped model, "
                         "which cross-validation did not improve enough (docs/extraction.md)")
    ap.add_argument("--l2-type", type=float, default=L2_TYPE,
                    help=f"L2 penalty of the type conjunctions (default {L2_TYPE})")
    ap.add_argument("--conjoin", default="",
                    help="with --type-conjunctions: join only these features (comma-separated) "
                         "to the type (default: every feature)")
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
    conj = a.type_conjunctions
    if conj and a.conjoin:
        conj = set(a.conjoin.split(","))
    for p in pairs:
        if p["type"] not in TYPES:
            sys.exit(f"train.py: pair of {p['doc']} has type {p['type']!r}, not one of {TYPES}")
    names = sorted({f for p in pairs for f in pair_features(p, conj)} | {"bias"})
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
        rows.append(sorted({index[f] for f in pair_features(p, conj)} | {0}))
        ys.append(y)
    penalty = [0.0 if i == 0 else a.l2_type if CONJ in f else a.l2
               for i, f in enumerate(names)]
    w = fit(rows, ys, len(names), a.l2, 0, penalty=penalty)
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
                 "extract/pair_features.h"
                 + (" and their conjunctions with the pair's type (\"clash*place_region\": "
                    "place_region in a clash pair)" if conj else "")
                 + "; z = sum(weight * feature); confidence = "
                 + ("1 / (1 + exp(-(a z + b))), a and b of \"calibration\" (Platt scaling "
                    "fitted on out-of-fold predictions)" if cal else "1 / (1 + exp(-z))"),
        "trained_by": "scripts/train.py",
        "l2": a.l2,
        **({"l2_type": a.l2_type} if conj else {}),
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
