#!/usr/bin/env python3
"""Unit tests of scripts/train.py on a tiny synthetic corpus written here:
weights learn the sign the data give them, training is deterministic, and
pairs are labelled as documented (scorer form, annotated form, optional
incidents, regions against towns). Standard library only; prints
'N passed, N failed'."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TRAIN = os.path.join(HERE, "..", "..", "scripts", "train.py")
sys.path.insert(0, os.path.dirname(TRAIN))
import train  # noqa: E402

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {what}")


def pair(doc, typ, place, lat, lon, feats):
    return {"doc": doc, "type": typ, "place": place, "place_id": "t:" + place, "lat": lat,
            "lon": lon, "sentence": 1, "prob": 0.5, "features": dict({"bias": 1.0}, **feats)}


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


def run_train(tmp, pairs, gold, out, *extra):
    pp, gp = os.path.join(tmp, "pairs.jsonl"), os.path.join(tmp, "gold.jsonl")
    write_jsonl(pp, pairs)
    write_jsonl(gp, gold)
    subprocess.run([sys.executable, TRAIN, "--pairs", pp, "--gold", gp, "-o", out, *extra],
                   check=True, capture_output=True)
    with open(out, encoding="utf-8") as f:
        return f.read()


def test_signs(tmp):
    # 'locative' pairs are incidents, 'blocked' pairs are not; 'noise' (every
    # other document, on both) says nothing
    pairs, gold = [], []
    for i in range(40):
        doc = f"d{i}.txt"
        lat = 40.0 + i * 0.5  # far apart: one gold point never matches another pair
        noise = {"noise": 1.0} if i % 2 else {}
        pairs.append(pair(doc, "shelling", "Good", lat, 45.0, dict({"locative": 1.0}, **noise)))
        pairs.append(pair(doc, "shelling", "Bad", lat, 47.0, dict({"blocked": 1.0}, **noise)))
        if i % 5 == 0:  # a few of each the other way, so no weight runs off
            pairs.append(pair(doc, "clash", "Odd", lat, 49.0, {"locative": 1.0}))
        gold.append({"doc": doc, "type": "shelling", "lat": lat, "lon": 45.0, "radius_km": 15})
    out = os.path.join(tmp, "w.json")
    text = run_train(tmp, pairs, gold, out)
    w = json.loads(text)["weights"]
    check(w["locative"] > 0.5, f"locative weight positive ({w['locative']})")
    check(w["blocked"] < -0.5, f"blocked weight negative ({w['blocked']})")
    check(abs(w["noise"]) < abs(w["locative"]), "a feature present everywhere weighs less")
    check(list(w)[0] == "bias", "bias comes first")
    again = run_train(tmp, pairs, gold, os.path.join(tmp, "w2.json"))
    check(text == again, "the same pairs give the same file, byte for byte")
    # the model is what the C side reads: threshold and weights by name
    m = json.loads(text)
    check(m["threshold"] == 0.5 and m["training"]["pairs"] == len(pairs), "summary fields")


def test_conjunctions(tmp):
    """A cue that means an incident in a shelling pair and none in a clash
    pair: one shared weight cannot say both, the type conjunctions do
    (shelling*cue > 0 > clash*cue); without --type-conjunctions there are none."""
    pairs, gold = [], []
    for i in range(40):
        doc = f"c{i}.txt"
        lat = 40.0 + i * 0.5
        cue = {"cue": 1.0}
        # the cue: right for a shelling, wrong for a clash; 'other' pairs balance
        pairs.append(pair(doc, "shelling", "S", lat, 45.0, dict(cue, type_shelling=1.0)))
        pairs.append(pair(doc, "clash", "C", lat, 47.0, dict(cue, type_clash=1.0)))
        pairs.append(pair(doc, "shelling", "S2", lat, 49.0, {"type_shelling": 1.0}))
        pairs.append(pair(doc, "clash", "C2", lat, 51.0, {"type_clash": 1.0}))
        gold.append({"doc": doc, "type": "shelling", "lat": lat, "lon": 45.0, "radius_km": 15})
        if i % 4 == 0:  # a few the other way, so no weight runs off
            gold.append({"doc": doc, "type": "clash", "lat": lat, "lon": 47.0, "radius_km": 15})
        if i % 2 == 0:
            gold.append({"doc": doc, "type": "clash", "lat": lat, "lon": 51.0, "radius_km": 15})
            gold.append({"doc": doc, "type": "shelling", "lat": lat, "lon": 49.0, "radius_km": 15})
    out = os.path.join(tmp, "cj.json")
    text = run_train(tmp, pairs, gold, out, "--type-conjunctions", "--l2-type", "1.0")
    m = json.loads(text)
    w = m["weights"]
    check(w.get("shelling*cue", 0) > 0.5, f"shelling*cue positive ({w.get('shelling*cue')})")
    check(w.get("clash*cue", 0) < -0.5, f"clash*cue negative ({w.get('clash*cue')})")
    check("shelling*type_shelling" not in w and "clash*bias" not in w,
          "no conjunction of the bias or of a type feature")
    check("evacuation*cue" not in w, "no weight for a conjunction no pair has")
    check(m.get("l2_type") == 1.0, "the conjunctions' penalty is recorded")
    # the same pairs, scored as extract/model.c does: the fitted shelling
    # cue pair is more likely than the clash one
    zs, _ = train.score(w, pairs[0])
    zc, _ = train.score(w, pairs[1])
    check(zs > 0 > zc, f"score(): shelling cue {zs:.3f} > 0 > clash cue {zc:.3f}")
    check(abs(zs - (w["bias"] + w["cue"] + w["type_shelling"] + w["shelling*cue"])) < 1e-12,
          "score() adds the feature, the type and the conjunction weights")
    again = run_train(tmp, pairs, gold, os.path.join(tmp, "cj2.json"), "--type-conjunctions",
                      "--l2-type", "1.0")
    check(text == again, "conjunctions: the same pairs give the same file, byte for byte")
    flat = json.loads(run_train(tmp, pairs, gold, os.path.join(tmp, "cj3.json")))
    check(not any("*" in k for k in flat["weights"]) and "l2_type" not in flat,
          "without --type-conjunctions: one weight vector")
    for only, joined in (("cue", True), ("other", False)):
        some = json.loads(run_train(tmp, pairs, gold, os.path.join(tmp, "cj5.json"),
                                    "--type-conjunctions", "--conjoin", only))["weights"]
        check(("clash*cue" in some) == joined, f"--conjoin {only}: only the features named are joined")
    # heavier penalty on the conjunctions: they shrink
    stiff = json.loads(run_train(tmp, pairs, gold, os.path.join(tmp, "cj4.json"),
                                 "--type-conjunctions", "--l2-type", "50"))["weights"]
    check(abs(stiff["clash*cue"]) < abs(w["clash*cue"]), "a larger --l2-type shrinks them")


def test_solver():
    """fit() reaches the optimum: the penalised gradient vanishes there, with
    rows repeated (grouped) and a weight that plain Newton would overshoot."""
    rows = [[0, 1], [0, 1], [0, 2], [0, 1, 2], [0], [0, 2, 3]] * 3 + [[0, 3]]
    ys = [1, 1, 0, 1, 0, 0] * 3 + [1]
    n = 4
    pen = [0.0, 1.0, 1.0, 0.1]
    w = train.fit(rows, ys, n, 1.0, 0, penalty=pen)
    grad = [pen[i] * w[i] for i in range(n)]
    for idx, y in zip(rows, ys):
        z = sum(w[i] for i in idx)
        p = 1 / (1 + train.math.exp(-z))
        for i in idx:
            grad[i] += p - y
    check(max(abs(g) for g in grad) < 1e-8, f"the gradient vanishes at the fit ({grad})")
    x = train.solve([[4.0, 2.0, 0.0], [2.0, 5.0, 1.0], [0.0, 1.0, 3.0]], [2.0, 1.0, 4.0])
    back = [4 * x[0] + 2 * x[1], 2 * x[0] + 5 * x[1] + x[2], x[1] + 3 * x[2]]
    check(max(abs(a - b) for a, b in zip(back, [2.0, 1.0, 4.0])) < 1e-12, "solve() by Cholesky")


def test_platt():
    """crossval_util.platt() converges where plain Newton ran away (a = 7e10 on
    these points, confidences near 0 and 1 on both sides): the fitted a is
    modest and positive, and it does lower the cross-entropy."""
    import crossval_util as cu
    counts = {(0.0002, 0): 9, (0.0002, 1): 1, (0.001, 0): 7, (0.001, 1): 2, (0.02, 0): 2,
              (0.02, 1): 3, (0.3, 0): 4, (0.3, 1): 3, (0.6, 0): 1, (0.6, 1): 3, (0.97, 0): 1,
              (0.97, 1): 4, (0.995, 0): 3, (0.995, 1): 11, (0.9995, 1): 6}
    pts = [k for k, n in sorted(counts.items()) for _ in range(n)]
    cal = cu.platt(pts)
    check(0 < cal["a"] < 5, f"platt(): a modest slope ({cal['a']})")
    xs = [cu.logit(c) for c, _ in pts]
    npos = sum(y for _, y in pts)
    hi, lo = (npos + 1.0) / (npos + 2.0), 1.0 / (len(pts) - npos + 2.0)
    ts = [hi if y else lo for _, y in pts]
    check(cu.platt_loss(xs, ts, cal["a"], cal["b"]) < cu.platt_loss(xs, ts, 1.0, 0.0),
          "platt(): the fit lowers the loss of the identity")


def test_labels():
    gold = {}
    rows = [
        {"doc": "a", "type": "shelling", "place": "Stepanakert", "lat": 39.8177, "lon": 46.7528,
         "radius_km": 15},
        {"doc": "a", "type": "clash", "place": "Haut-Karabakh", "lat": 39.85, "lon": 46.7,
         "radius_km": 60},
        {"doc": "a", "type": "evacuation", "place": "Goris", "lat": 39.51, "lon": 46.34,
         "radius_km": 15, "optional": True},
        {"file": "b", "type": "shelling", "place": "Chouchi", "place_en": "Shusha"},
    ]
    for g in rows:
        gold.setdefault((g.get("doc") or g.get("file"), g["type"]), []).append(g)
    town = {"place_region": 0}
    region = {"place_region": 1.0}
    lab = train.label
    check(lab(pair("a", "shelling", "Stepanakert", 39.8177, 46.7528, town), gold) == 1,
          "a town at the gold point is positive")
    check(lab(pair("a", "shelling", "Karabakh", 39.85, 46.70, region), gold) == 0,
          "a region 6 km from a gold town is not that town")
    check(lab(pair("a", "clash", "Stepanakert", 39.8177, 46.7528, town), gold) == 0,
          "a town inside a region-level incident is not it")
    check(lab(pair("a", "clash", "Nagorny Karabakh", 39.85, 46.70, region), gold) == 1,
          "a region matches the region-level incident")
    check(lab(pair("a", "evacuation", "Goris", 39.51, 46.34, town), gold) is None,
          "a pair matching only an optional incident is left out")
    check(lab(pair("b", "shelling", "Shusha", 0, 0, town), gold) == 1,
          "annotated form: the English name matches, folded")
    check(lab(pair("b", "shelling", "CHOUCHI", 0, 0, town), gold) == 1,
          "annotated form: the name as written matches, folded")
    check(lab(pair("b", "clash", "Chouchi", 0, 0, town), gold) == 0, "another type does not")


def test_actors(tmp):
    """train_actors.py: the cue that agrees with the gold's actor1 gets the
    larger weight, the gold's side names are read, the fit is deterministic,
    evacuations and pairs without a cue are left out."""
    ta = os.path.join(HERE, "..", "..", "scripts", "train_actors.py")
    pairs, gold = [], []
    for i in range(24):
        doc = f"act{i}.txt"
        # the controller's opponent is right every time, the subject one time in three
        first = i % 2 == 0  # actor1 is the first party (AM)
        c = 1.0 if first else -1.0
        subj = c if i % 3 == 0 else -c
        p = pair(doc, "shelling", "Sotk", 40.2, 45.9, {})
        p["actor_features"] = {"controller_opposes": c, "subject_in_clause": subj}
        pairs.append(p)
        q = pair(doc, "evacuation", "Sotk", 40.2, 45.9, {})
        q["actor_features"] = {"controller_opposes": -c}
        pairs.append(q)
        pairs.append(dict(pair(doc, "shelling", "Sotk", 40.2, 45.9, {}), actor_features={}))
        gold.append({"doc": doc, "type": "shelling", "lat": 40.2, "lon": 45.9, "radius_km": 15,
                     "actor1": "AM" if first else "Azerbaijani forces"})
        gold.append({"doc": doc, "type": "evacuation", "lat": 40.2, "lon": 45.9, "radius_km": 15,
                     "actor1": ""})
    pp, gp = os.path.join(tmp, "apairs.jsonl"), os.path.join(tmp, "agold.jsonl")
    write_jsonl(pp, pairs)
    write_jsonl(gp, gold)
    outs = []
    for k in range(2):
        out = os.path.join(tmp, f"actors{k}.json")
        subprocess.run([sys.executable, ta, "--pairs", pp, "--gold", gp, "-o", out],
                       check=True, capture_output=True)
        with open(out, encoding="utf-8") as f:
            outs.append(f.read())
    check(outs[0] == outs[1], "train_actors.py is deterministic")
    m = json.loads(outs[0])
    w = m["weights"]
    check(m["training"]["examples"] == 24, "one example per shelling pair with a cue (no evacuation)")
    check(m["training"]["first_party"] == 12, "AM and 'Azerbaijani forces' read as sides")
    check(w["controller_opposes"] > 0.5, "the reliable cue gets a positive weight")
    check(w["controller_opposes"] > w["subject_in_clause"], "the reliable cue outweighs the noisy one")
    check("bias" not in w, "no intercept: the parties are symmetric")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        test_signs(tmp)
        test_conjunctions(tmp)
        test_actors(tmp)
    test_solver()
    test_platt()
    test_labels()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
