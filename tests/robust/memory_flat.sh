#!/bin/sh
# memory_flat.sh INCIMAP GAZETTEER WORK [bars|nobars] -- issue 20, "peak
# memory <= 300 MB at 1 GB of input": what a run holds must not grow with
# its input. Two runs of `extract -j 2` on dense generated text (sentences
# of our own, about five reports per document): 1 MB (about 5,000 distinct
# reports) and 5 MB (about 26,000). The larger run's peak RSS may exceed the
# smaller one's by at most 12 MB. Before the bound it grew by 48 MB: the
# reports were held until 20,000 (then copied once more to be spilled), and
# the workers' malloc arenas kept their high-water mark. Also: the 5 MB
# run (about 180 batches of documents) writes with -j 2 what it writes
# with -j 1, byte for byte.
# Under the sanitizers RSS measures the shadow memory: nobars runs 1 and
# 2 MB (and the comparison) without the RSS bar.
set -u
INCIMAP=$1
GAZ=$2
WORK=$3
MODE=${4:-bars}
rm -rf "$WORK"
mkdir -p "$WORK/tmp" && cd "$WORK" || exit 1
export INCIMAP_VENDOR="$WORK/no-vendor" INCIMAP_HOME="$WORK/no-home" TMPDIR="$WORK/tmp"
fail() { echo "FAIL: $*"; for f in *.err; do echo "--- $f"; tail -n 5 "$f"; done; exit 1; }
[ -x /usr/bin/time ] || fail "/usr/bin/time is missing (Debian package time)"
MF_MODE=$MODE python3 - <<'PY' || fail "cannot generate the input"
import datetime, json, random
places = ["Vardenis", "Martuni", "Sevan", "Ganja", "Yerevan", "Nerkin Getashen", "Goris", "Baku"]
sents = ["Des obus sont tombés {d} sur {p}, selon le ministère de la Défense.",
         "Des affrontements ont éclaté {d} près de {p}, a indiqué l'armée.",
         "Les habitants de {p} ont été évacués {d}, selon les autorités locales.",
         "Azerbaijani forces shelled {p} {e}, the defence ministry said."]
days_fr = ["mardi", "mercredi", "jeudi", "vendredi"]
days_en = ["on Tuesday", "on Wednesday", "overnight", "on Friday"]
rnd = random.Random(5)
day0 = datetime.date(2015, 1, 1)
import os
sizes = (("small", 1), ("big", 5)) if os.environ.get("MF_MODE") != "nobars" else (("small", 1), ("big", 2))
for name, mb in sizes:
    size, i = 0, 0
    with open(name + ".jsonl", "w", encoding="utf-8") as f:
        while size < mb * 1024 * 1024:
            text = "\n\n".join(rnd.choice(sents).format(p=rnd.choice(places), d=rnd.choice(days_fr),
                                                        e=rnd.choice(days_en)) for _ in range(6))
            line = json.dumps({"id": "m%d" % i, "lang": "fr", "text": text,
                               "published": (day0 + datetime.timedelta(days=rnd.randrange(3600))).isoformat()},
                              ensure_ascii=False) + "\n"
            f.write(line)
            size += len(line.encode("utf-8"))
            i += 1
PY
run() { # NAME INPUT JOBS -> peak RSS in KB on stdout
    /usr/bin/time -f "%M" -o "$1.rss" "$INCIMAP" extract "$2" -o "$1.geojson" -f GeoJSON \
        --gazetteer "$GAZ" -v -j "$3" 2>"$1.err" || fail "$1: exit $?"
    grep -q 'incidents written: [1-9]' "$1.err" || fail "$1: no incident: the test proves nothing"
    tail -n 1 "$1.rss"
}
small=$(run small small.jsonl 2) || exit 1
big=$(run big big.jsonl 2) || exit 1
grep -q 'merging in a temporary store' small.err || fail "small: the run did not spill"
echo "peak RSS -j 2: 1 MB $small KB, 5 MB $big KB"
big1=$(run big1 big.jsonl 1) || exit 1
cmp big.geojson big1.geojson || fail "5 MB: -j 2 and -j 1 write different layers"
[ -z "$(ls tmp)" ] || fail "temporary files left in TMPDIR: $(ls tmp)"
if [ "$MODE" = nobars ]; then
    echo "memory_flat: passed (sanitizer build: without the RSS bar)"
    exit 0
fi
[ $((big - small)) -le 12288 ] ||
    fail "peak RSS grew by $((big - small)) KB from 1 to 5 MB of input (at most 12 MB)"
echo "memory_flat: passed"
