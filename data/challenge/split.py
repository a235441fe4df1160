#!/usr/bin/env python3
"""Split the 100 challenge articles into dev/ and test/ (50 each).

Usage: split.py ALL_DIR OUT_DIR
ALL_DIR holds docs.jsonl, gold.jsonl and gold.annotated.jsonl for the 100
articles. The split is random within each language (25 English and 25 French
articles per split) with the fixed seed below, so it can be redone exactly.
"""
import json
import os
import random
import sys

SEED = 20261208


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip() and not l.startswith("#")]


def main():
    src, out = sys.argv[1:3]
    docs = read(os.path.join(src, "docs.jsonl"))
    rng = random.Random(SEED)
    dev = set()
    for lang in ("en", "fr"):
        ids = sorted(d["id"] for d in docs if d["lang"] == lang)
        dev.update(rng.sample(ids, len(ids) // 2))
    for part, keep in (("dev", lambda i: i in dev), ("test", lambda i: i not in dev)):
        os.makedirs(os.path.join(out, part), exist_ok=True)
        for name, key in (("docs.jsonl", "id"), ("gold.jsonl", "doc"), ("gold.annotated.jsonl", "file")):
            rows = [r for r in read(os.path.join(src, name)) if keep(r[key])]
            with open(os.path.join(out, part, name), "w", encoding="utf-8") as f:
                if name == "gold.jsonl":
                    f.write("# Gold incidents of the challenge corpus: see ../../../../shared/eval/score.py for the format.\n")
                for r in rows:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("dev:", ",".join(sorted(dev)))


if __name__ == "__main__":
    main()
