#!/usr/bin/env python3
"""Helpers of scripts/crossval.sh (standard library only).

  crossval_util.py split FOLDS.tsv K DOCS.jsonl OUT.jsonl OUT.ids
      the documents of fold K into OUT.jsonl, their ids comma-separated into OUT.ids
  crossval_util.py pool OUT.geojson IN.geojson...
      one FeatureCollection of the features of every input
  crossval_util.py unlock LOCKBOX.tsv DEV_DIR OUT_DIR
      the dev corpus less the lockbox: OUT_DIR/docs.jsonl, gold.jsonl and
      gold.annotated.jsonl, and OUT_DIR/ids (comma-separated ids kept)
  crossval_util.py lock LOCKBOX.tsv DEV_DIR OUT_DIR
      only the lockbox's articles and gold (scripts/lockbox.sh, run once)
  crossval_util.py summary < score.py --json output
      the closing line: crossval: P=.. R=.. F1=.. dates=.. actor1=..
  crossval_util.py calibrate SCORE.py GOLD.jsonl OUT_DIR FOLD_IDS... -- LAYER...
      Platt scaling of the confidence on out-of-fold predictions: LAYER k is
      fold k's held-out layer extracted with uncalibrated weights (every
      incident, --min-confidence 0.01) and FOLD_IDS k the file of its ids.
      Each predicted incident is labelled as score.py matches it (right,
      wrong, or left out when it matches an optional incident only). Writes
      OUT_DIR/calibration-K.json, fitted on the other folds' predictions (for
      fold K's honest figures), and OUT_DIR/calibration.json, fitted on all.
      Each also gives "threshold": the lowest calibrated cut (0.30 to 0.70
      by 0.05) whose F1 on those predictions is within 0.005 of the best.
  crossval_util.py attach WEIGHTS.json CALIBRATION.json THRESHOLD OUT.json
      the weights with that calibration and threshold (a number, or
      "fitted": the calibration's, the cut with the best out-of-fold F1)
  crossval_util.py recalibrate CALIBRATION.json IN.geojson OUT.geojson
      the layer with its confidences mapped through the calibration
  crossval_util.py reliability SCORE.py GOLD.jsonl LAYER.geojson
      the reliability table: per confidence band, predictions, mean predicted
      confidence and observed precision; and the precision at 0.8
  crossval_util.py bylang SCORE.py GOLD.jsonl DOCS.jsonl INDEX.tsv LAYER.geojson
      P/R/F1, dates and actor1 per language of the articles (index.tsv's lang)
"""
import importlib.util
import json
import math
import sys


def read_folds(path):
    folds = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                doc, k = line.rstrip("\n").split("\t")
                folds[doc] = int(k)
    return folds


def split(folds_path, k, docs_path, out_path, ids_path):
    folds = read_folds(folds_path)
    ids = []
    with open(docs_path, encoding="utf-8") as f, open(out_path, "w", encoding="utf-8") as out:
        for line in f:
            if not line.strip():
                continue
            doc = json.loads(line)
            if doc["id"] not in folds:
                sys.exit(f"crossval: document {doc['id']} has no fold in {folds_path}")
            if folds[doc["id"]] == int(k):
                out.write(line if line.endswith("\n") else line + "\n")
                ids.append(doc["id"])
    with open(ids_path, "w", encoding="utf-8") as f:
        f.write(",".join(ids))


def read_lockbox(path):
    with open(path, encoding="utf-8") as f:
        return {ln.strip() for ln in f if ln.strip() and not ln.startswith("#")}


def unlock(lockbox_path, dev_dir, out_dir, keep_locked=False):
    """Copy the dev corpus without the lockbox's articles: nothing downstream
    (training, folds, scoring) can see them by mistake."""
    lock = read_lockbox(lockbox_path)
    kept = []
    with open(f"{dev_dir}/docs.jsonl", encoding="utf-8") as f, \
            open(f"{out_dir}/docs.jsonl", "w", encoding="utf-8") as out:
        for line in f:
            if line.strip() and (json.loads(line)["id"] in lock) == keep_locked:
                out.write(line if line.endswith("\n") else line + "\n")
                kept.append(json.loads(line)["id"])
    for name, key in (("gold.jsonl", "doc"), ("gold.annotated.jsonl", "file")):
        with open(f"{dev_dir}/{name}", encoding="utf-8") as f, \
                open(f"{out_dir}/{name}", "w", encoding="utf-8") as out:
            for line in f:
                if line.startswith("#") or not line.strip():
                    out.write(line)
                elif (json.loads(line).get(key) in lock) == keep_locked:
                    out.write(line)
    with open(f"{out_dir}/ids", "w", encoding="utf-8") as f:
        f.write(",".join(kept))


def pool(out_path, inputs):
    feats = []
    for p in inputs:
        with open(p, encoding="utf-8") as f:
            feats += json.load(f)["features"]
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": feats}, f)


def summary():
    r = json.load(sys.stdin)

    def f(x):
        return "n/a" if x is None else f"{x:.2f}"
    print(f"crossval: P={f(r['precision'])} R={f(r['recall'])} F1={f(r['f1'])} "
          f"dates={f(r['date_accuracy'])} actor1={f(r['actor1_accuracy'])}")


def load_scorer(path):
    spec = importlib.util.spec_from_file_location("score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def label_predictions(sc, gold, preds):
    """(confidence, label) of each prediction, matched as score.py matches:
    per document and type, greedy, closest pairs first, within the radius.
    label 1 right, 0 wrong; a prediction matching an optional incident only
    is left out, as the scorer leaves it out."""
    from collections import defaultdict
    by_g, by_p = defaultdict(list), defaultdict(list)
    for g in gold:
        by_g[(sc.basename(g["doc"]), g["type"])].append(g)
    for p in preds:
        by_p[(p["doc"], p["type"])].append(p)
    docs = {sc.basename(g["doc"]) for g in gold}
    out = []
    for key in sorted(by_p):
        if key[0] not in docs:
            continue
        gs, ps = by_g.get(key, []), by_p[key]
        cand = []
        for gi, g in enumerate(gs):
            for pi, p in enumerate(ps):
                d = sc.haversine_km(g["lat"], g["lon"], p["lat"], p["lon"])
                if d <= g["radius_km"]:
                    cand.append((d, gi, pi))
        cand.sort()
        used_g, match = set(), {}
        for d, gi, pi in cand:
            if gi in used_g or pi in match:
                continue
            used_g.add(gi)
            match[pi] = gs[gi]
        for pi, p in enumerate(ps):
            if p["confidence"] is None:
                continue
            g = match.get(pi)
            if g is not None and g["optional"]:
                continue
            out.append((float(p["confidence"]), 1 if g is not None else 0))
    return out


def logit(p):
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def platt_loss(xs, ts, a, b):
    """The cross-entropy of Platt's fit a, b against the targets ts."""
    total = 0.0
    for x, t in zip(xs, ts):
        z = a * x + b
        # log(1 + exp(-z)) and log(1 + exp(z)), computed stably
        lp = math.log1p(math.exp(-z)) if z > 0 else -z + math.log1p(math.exp(z))
        ln = z + lp
        total += t * lp + (1 - t) * ln
    return total


def platt(points):
    """Platt's sigmoid fit, p = 1 / (1 + exp(-(a * logit(conf) + b))), by
    Newton's method with Platt's smoothed targets (no probability of exactly
    0 or 1 from a few examples). Deterministic; a and b to the sixth decimal."""
    npos = sum(y for _, y in points)
    nneg = len(points) - npos
    hi, lo = (npos + 1.0) / (npos + 2.0), 1.0 / (nneg + 2.0)
    xs = [logit(c) for c, _ in points]
    ts = [hi if y else lo for _, y in points]
    a, b = 1.0, 0.0
    for _ in range(100):
        ga = gb = haa = hab = hbb = 0.0
        for x, t in zip(xs, ts):
            z = a * x + b
            p = 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0
            g, h = p - t, max(p * (1 - p), 1e-12)
            ga += g * x
            gb += g
            haa += h * x * x
            hab += h * x
            hbb += h
        haa += 1e-9
        hbb += 1e-9
        det = haa * hbb - hab * hab
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        # a step that does not lower the cross-entropy is halved: plain
        # Newton can run away when the held-out confidences sit near 0 and 1
        cur, t = platt_loss(xs, ts, a, b), 1.0
        while platt_loss(xs, ts, a - t * da, b - t * db) > cur and t > 1e-6:
            t *= 0.5
        a, b = a - t * da, b - t * db
        if max(abs(t * da), abs(t * db)) < 1e-12:
            break
    if a <= 0:  # confidence that does not rank: keep the order, flatten nothing
        a, b = 1.0, 0.0
    return {"method": "platt", "a": round(a, 6) + 0.0, "b": round(b, 6) + 0.0,
            "fitted_on": {"predictions": len(points), "right": npos}}


def apply_cal(cal, conf):
    z = cal["a"] * logit(conf) + cal["b"]
    return 1.0 / (1.0 + math.exp(-z))


def layer_points(sc, gold_path, layer, ids=None):
    gold = sc.load_gold(gold_path)
    preds = sc.load_pred([layer])
    if ids is not None:
        gold = [g for g in gold if sc.basename(g["doc"]) in ids]
        preds = [p for p in preds if p["doc"] in ids]
    return label_predictions(sc, gold, preds)


def best_threshold(cal, points, n_gold):
    """The calibrated confidence from which a pair is an incident: on a grid
    of 0.05 from 0.30 to 0.70, the lowest cut whose F1 on these out-of-fold
    predictions (n_gold required incidents) is within 0.005 of the best:
    recall first where the F1 curve is flat, and a cut that does not jump
    with the noise of a few articles."""
    f1s = []
    for k in range(6, 15):
        t = k / 20
        kept = [y for c, y in points if apply_cal(cal, c) >= t]
        tp = sum(kept)
        f1s.append((t, 2 * tp / (len(kept) + n_gold) if kept or n_gold else 0.0))
    top = max(f for _, f in f1s)
    return min(t for t, f in f1s if f >= top - 0.005)


def fit_calibration(points, n_gold):
    cal = platt(points)
    cal["threshold"] = best_threshold(cal, points, n_gold)
    return cal


def calibrate(score_py, gold_path, out_dir, fold_ids, layers):
    sc = load_scorer(score_py)
    pts, ngold = [], []
    gold = sc.load_gold(gold_path)
    for ids_path, layer in zip(fold_ids, layers):
        with open(ids_path, encoding="utf-8") as f:
            ids = {d for d in f.read().strip().split(",") if d}
        pts.append(layer_points(sc, gold_path, layer, ids))
        ngold.append(sum(1 for g in gold if sc.basename(g["doc"]) in ids and not g["optional"]))
    for k in range(len(layers)):
        others = [p for j, fp in enumerate(pts) if j != k for p in fp]
        write_json(f"{out_dir}/calibration-{k}.json",
                   fit_calibration(others, sum(n for j, n in enumerate(ngold) if j != k)))
    write_json(f"{out_dir}/calibration.json",
               fit_calibration([p for fp in pts for p in fp], sum(ngold)))


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def attach(weights, cal_path, threshold, out):
    """threshold "fitted": the calibration's own (best_threshold)."""
    with open(weights, encoding="utf-8") as f:
        m = json.load(f)
    with open(cal_path, encoding="utf-8") as f:
        cal = json.load(f)
    m["threshold"] = cal.pop("threshold") if threshold == "fitted" else float(threshold)
    cal.pop("threshold", None)
    m["calibration"] = cal
    write_json(out, m)


def recalibrate(cal_path, inp, out):
    with open(cal_path, encoding="utf-8") as f:
        cal = json.load(f)
    with open(inp, encoding="utf-8") as f:
        fc = json.load(f)
    for ft in fc["features"]:
        pr = ft.get("properties") or {}
        if pr.get("confidence") is not None:
            pr["confidence"] = round(apply_cal(cal, float(pr["confidence"])), 3)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(fc, f)


def reliability(score_py, gold_path, layer):
    sc = load_scorer(score_py)
    pts = layer_points(sc, gold_path, layer)
    bands = [(0.0, 0.2), (0.2, 0.4), (0.4, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8),
             (0.8, 0.9), (0.9, 1.01)]
    print("confidence band  n     predicted  observed")
    for lo, hi in bands:
        b = [(c, y) for c, y in pts if lo <= c < hi]
        if not b:
            print(f"[{lo:.1f}, {min(hi, 1.0):.1f}){'':7s}0")
            continue
        pm = sum(c for c, _ in b) / len(b)
        ob = sum(y for _, y in b) / len(b)
        print(f"[{lo:.1f}, {min(hi, 1.0):.1f}){'':7s}{len(b):<5d} {pm:.2f}       {ob:.2f}")
    for cut in (0.5, 0.8, 0.9):
        b = [y for c, y in pts if c >= cut]
        prec = sum(b) / len(b) if b else float("nan")
        print(f"precision of predictions at confidence >= {cut}: {prec:.2f} of {len(b)}")


def bylang(score_py, gold_path, docs_path, index_path, layer):
    import subprocess
    ids = []
    with open(docs_path, encoding="utf-8") as f:
        ids = [json.loads(ln)["id"] for ln in f if ln.strip()]
    lang = {}
    with open(index_path, encoding="utf-8") as f:
        for ln in f:
            c = ln.rstrip("\n").split("\t")
            if len(c) >= 2 and c[0] != "file":
                lang[c[0]] = c[1]
    for lg in sorted({lang.get(d, "?") for d in ids}):
        sel = [d for d in ids if lang.get(d, "?") == lg]
        r = json.loads(subprocess.run(
            [sys.executable, score_py, "--gold", gold_path, layer, "--json", "--docs", ",".join(sel)],
            capture_output=True, text=True, check=True).stdout)

        def f(x):
            return "n/a" if x is None else f"{x:.2f}"
        print(f"{lg}: {len(sel)} articles P={f(r['precision'])} R={f(r['recall'])} "
              f"F1={f(r['f1'])} dates={f(r['date_accuracy'])} actor1={f(r['actor1_accuracy'])} "
              f"(tp {r['tp']}, fp {r['fp']}, fn {r['fn']})")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "calibrate" and "--" in sys.argv:
        cut = sys.argv.index("--")
        calibrate(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:cut], sys.argv[cut + 1:])
        sys.exit(0)
    if len(sys.argv) == 6 and sys.argv[1] == "attach":
        attach(*sys.argv[2:])
        sys.exit(0)
    if len(sys.argv) == 5 and sys.argv[1] == "recalibrate":
        recalibrate(*sys.argv[2:])
        sys.exit(0)
    if len(sys.argv) == 5 and sys.argv[1] == "reliability":
        reliability(*sys.argv[2:])
        sys.exit(0)
    if len(sys.argv) == 7 and sys.argv[1] == "bylang":
        bylang(*sys.argv[2:])
        sys.exit(0)
    if sys.argv[1] in ("unlock", "lock"):
        unlock(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[1] == "lock")
        sys.exit(0)
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "split" and len(sys.argv) == 7:
        split(*sys.argv[2:])
    elif cmd == "pool" and len(sys.argv) >= 3:
        pool(sys.argv[2], sys.argv[3:])
    elif cmd == "summary":
        summary()
    else:
        sys.exit(__doc__)
