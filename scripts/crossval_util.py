#!/usr/bin/env python3
"""Helpers of scripts/crossval.sh (standard library only).

  crossval_util.py split FOLDS.tsv K DOCS.jsonl OUT.jsonl OUT.ids
      the documents of fold K into OUT.jsonl, their ids comma-separated into OUT.ids
  crossval_util.py pool OUT.geojson IN.geojson...
      one FeatureCollection of the features of every input
  crossval_util.py unlock LOCKBOX.tsv DEV_DIR OUT_DIR
      the dev corpus less the lockbox: OUT_DIR/docs.jsonl, gold.jsonl and
      gold.annotated.jsonl, and OUT_DIR/ids (comma-separated ids kept)
  crossval_util.py summary < score.py --json output
      the closing line: crossval: P=.. R=.. F1=.. dates=.. actor1=..
"""
import json
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


def unlock(lockbox_path, dev_dir, out_dir):
    """Copy the dev corpus without the lockbox's articles: nothing downstream
    (training, folds, scoring) can see them by mistake."""
    lock = read_lockbox(lockbox_path)
    kept = []
    with open(f"{dev_dir}/docs.jsonl", encoding="utf-8") as f, \
            open(f"{out_dir}/docs.jsonl", "w", encoding="utf-8") as out:
        for line in f:
            if line.strip() and json.loads(line)["id"] not in lock:
                out.write(line if line.endswith("\n") else line + "\n")
                kept.append(json.loads(line)["id"])
    for name, key in (("gold.jsonl", "doc"), ("gold.annotated.jsonl", "file")):
        with open(f"{dev_dir}/{name}", encoding="utf-8") as f, \
                open(f"{out_dir}/{name}", "w", encoding="utf-8") as out:
            for line in f:
                if line.startswith("#") or not line.strip():
                    out.write(line)
                elif json.loads(line).get(key) not in lock:
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


if __name__ == "__main__":
    if sys.argv[1] == "unlock":
        unlock(sys.argv[2], sys.argv[3], sys.argv[4])
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
