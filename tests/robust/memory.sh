#!/bin/sh
# memory.sh INCIMAP GAZETTEER WORK -- issue 19, row "one 10 MB JSON
# document: 839 MB-1 GB peak RSS ... under a memory limit the whole batch
# writes nothing". A 6 MB document is read in windows: peak RSS under 350 MB
# (it was about 800 MB whole; /usr/bin/time). Under a 400 MB address-space
# limit the same batch (a small document and the big one) is read whole; and
# with windows disabled, the big document fails alone, named, exit 1, and the
# small one's incident is written.
set -u
INCIMAP=$1
GAZ=$2
WORK=$3
MODE=${4:-bars} # nobars under the sanitizers: no RSS bar, no memory limit
rm -rf "$WORK"
mkdir -p "$WORK" && cd "$WORK" || exit 1
export INCIMAP_VENDOR="$WORK/no-vendor" INCIMAP_HOME="$WORK/no-home"
fail() { echo "FAIL: $*"; for f in *.err; do echo "--- $f"; cat "$f"; done; exit 1; }
[ -x /usr/bin/time ] || fail "/usr/bin/time is missing (Debian package time)"
python3 - <<'PY'
import json
s1 = "Des obus sont tombés mardi sur Vardenis, selon le ministère arménien de la Défense, qui a fait état de deux blessés. "
s2 = "Azerbaijani forces shelled Martuni overnight, the Armenian defence ministry said on Wednesday. "
para = (s1 + s2) * 3 + "\n\n"
with open('big.json', 'w') as f:
    json.dump({"id": "big", "published": "2022-09-14", "text": para * (6 * 1024 * 1024 // len(para.encode()))}, f, ensure_ascii=False)
with open('mix.jsonl', 'w') as f:
    f.write(json.dumps({"id": "small", "published": "2022-09-13", "text": "Des obus sont tombés lundi sur Vardenis."}, ensure_ascii=False) + "\n")
    f.write(json.dumps({"id": "big", "published": "2022-09-14", "text": para * (4 * 1024 * 1024 // len(para.encode()))}, ensure_ascii=False) + "\n")
PY
/usr/bin/time -f "%M" -o rss.txt "$INCIMAP" extract big.json -o out1 -f GeoJSON --gazetteer "$GAZ" -q 2>big.err ||
    fail "6 MB document: exit $?"
rss=$(tail -n 1 rss.txt)
echo "6 MB document: peak RSS $rss KB"
grep -q '"doc_ids": \[ "big" \]' out1/incidents.geojson || fail "no incident of the big document"
if [ "$MODE" = nobars ]; then
    echo "memory: passed (sanitizer build: the run without the bars)"
    exit 0
fi
[ "$rss" -le 358400 ] || fail "peak RSS $rss KB for a 6 MB document (at most 350 MB)"

# One worker (-j 1) under the address-space limit: glibc reserves 64 MB of
# address space per worker thread's malloc arena, so with -j N the same 400 MB
# would test the thread count rather than the windowing. Peak RSS with
# threads is what the first run above measures.
(ulimit -v 400000; exec "$INCIMAP" extract -j 1 mix.jsonl -o out2 -f GeoJSON --gazetteer "$GAZ" 2>mix.err)
rc=$?
[ $rc = 0 ] || fail "in windows under a 400 MB limit: exit $rc, expected 0"

(ulimit -v 400000; INCIMAP_WINDOW_BYTES=100000000 exec "$INCIMAP" extract -j 1 mix.jsonl -o out3 -f GeoJSON --gazetteer "$GAZ" 2>whole.err)
rc=$?
[ $rc = 1 ] || fail "whole under a 400 MB limit: exit $rc, expected 1 (the big document fails alone)"
grep -q "mix.jsonl:2: error: document 'big'" whole.err || fail "the failed document is not named"
grep -q '"small"' out3/incidents.geojson || fail "the small document's incident is not written"
echo "memory: passed"
