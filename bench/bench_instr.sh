#!/usr/bin/env bash
# bench_instr.sh -- instructions executed by `incimap extract` (callgrind),
# for one binary and a baseline in the same command. Instruction counts do
# not move with the load of a shared machine, which wall clocks do: this is
# the figure to compare two builds by; bench_extract.sh gives MB/s.
#
#   bash bench/bench_instr.sh -b INCIMAP [-B BASELINE] [-D BASELINE_DATA]
#                             [-g GAZETTEER] [-m MB] [-w WORKDIR]
#
# Inputs (made once in WORKDIR, default $TMPDIR/incimap-instr):
#   tiny      one short document: the start-up
#   fresh     MB (default 0.5) of bench/gen_fresh.py text, seed 7: every
#             document new, place names drawn from the whole gazetteer
#   dev       the real dev articles without the lockbox, read once
#   reprint   those articles three times under new ids
# Each runs with `-j 1 -f GeoJSON`. The report gives, per binary, the total
# instructions and the instructions per MB after start-up (total less the
# tiny run's, over the input's size), and their ratio baseline / INCIMAP.
# With perf, it adds the tiny run's page faults and CPU time (perf stat -r
# 10): on this machine a page fault costs about 15 us, some 30 k
# instructions, so start-up's wall clock follows the faults as much as the
# instructions.
# Each binary reads its own data: a build-tree binary its source tree's;
# BASELINE reads -D when given (INCIMAP_DATA).
# Needs: valgrind, python3.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
INCIMAP=
BASELINE=
BASE_DATA=
GAZ=${INCIMAP_GAZETTEER:-/usr/local/share/incimap/gazetteer.sqlite}
MB=0.5
WORK=${TMPDIR:-/tmp}/incimap-instr
while getopts "b:B:D:g:m:w:h" o; do
    case $o in
    b) INCIMAP=$OPTARG ;;
    B) BASELINE=$OPTARG ;;
    D) BASE_DATA=$OPTARG ;;
    g) GAZ=$OPTARG ;;
    m) MB=$OPTARG ;;
    w) WORK=$OPTARG ;;
    *)
        sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'
        exit 2
        ;;
    esac
done
[ -n "$INCIMAP" ] && [ -x "$INCIMAP" ] || { echo "bench_instr: no incimap binary (-b)" >&2; exit 2; }
[ -z "$BASELINE" ] || [ -x "$BASELINE" ] || { echo "bench_instr: $BASELINE is not executable" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "bench_instr: valgrind missing" >&2; exit 2; }
[ -s "$GAZ" ] || { echo "bench_instr: no gazetteer at $GAZ (-g)" >&2; exit 2; }
mkdir -p "$WORK"

inputs=(tiny fresh)
printf '{"id": "tiny-1", "published": "2022-09-14", "lang": "fr", "text": "Des tirs ont visé Goris mardi soir, selon le ministère."}\n' >"$WORK/tiny.jsonl"
if [ ! -s "$WORK/fresh.jsonl" ] || [ "$GAZ" -nt "$WORK/fresh.jsonl" ] ||
    [ "$(cat "$WORK/fresh.mb" 2>/dev/null)" != "$MB" ]; then
    python3 "$here/bench/gen_fresh.py" "$GAZ" "$WORK/fresh.jsonl" "$MB" 7 >/dev/null
    echo "$MB" >"$WORK/fresh.mb"
fi
dev=$here/../shared/corpus/dev
if [ -f "$dev/docs.jsonl" ]; then
    mkdir -p "$WORK/unlocked"
    python3 "$here/scripts/crossval_util.py" unlock "$here/data/model/lockbox.tsv" "$dev" "$WORK/unlocked" >/dev/null
    cp "$WORK/unlocked/docs.jsonl" "$WORK/dev.jsonl"
    python3 - "$WORK/dev.jsonl" "$WORK/reprint.jsonl" <<'EOF'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for k in range(3):
        for d in docs:
            out.write(json.dumps(dict(d, id="r%d-%s" % (k, d["id"])), ensure_ascii=False) + "\n")
EOF
    inputs+=(dev reprint)
else
    echo "bench_instr: no ../shared/corpus/dev: the real articles and reprints are left out"
fi

# count BIN INPUT [env...] -> instructions
count() {
    local bin=$1 in=$2
    shift 2
    env "$@" valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" extract "$WORK/$in.jsonl" \
        -o "$WORK/out.geojson" -f GeoJSON -q -j 1 --overwrite --gazetteer "$GAZ" 2>&1 |
        sed -n 's/.*refs: *//p' | tr -d ,
}
declare -A N
runs=(new)
[ -n "$BASELINE" ] && runs+=(base)
for in in "${inputs[@]}"; do
    N[new,$in]=$(count "$INCIMAP" "$in")
    [ -n "$BASELINE" ] && N[base,$in]=$(count "$BASELINE" "$in" ${BASE_DATA:+INCIMAP_DATA="$BASE_DATA"})
done

echo "bench_instr: incimap = $INCIMAP${BASELINE:+, baseline = $BASELINE}"
printf '%-8s %6s %14s %16s %16s %8s\n' input MB "new instr" "new M/MB" "base M/MB" ratio
for in in "${inputs[@]}"; do
    bytes=$(stat -c %s "$WORK/$in.jsonl")
    awk -v in_="$in" -v b="$bytes" -v n="${N[new,$in]}" -v nt="${N[new,tiny]}" \
        -v o="${N[base,$in]:-0}" -v ot="${N[base,tiny]:-0}" 'BEGIN {
        mb = b / 1048576
        if (in_ == "tiny") {
            printf "%-8s %6.2f %14d %16s %16s %8s\n", in_, mb, n, "(start-up)",
                   o ? sprintf("%d", o) : "-", o ? sprintf("%.2fx", o / n) : "-"
            exit
        }
        pn = (n - nt) / mb / 1e6; po = o ? (o - ot) / mb / 1e6 : 0
        printf "%-8s %6.2f %14d %16.0f %16s %8s\n", in_, mb, n, pn,
               o ? sprintf("%.0f", po) : "-", o ? sprintf("%.2fx", po / pn) : "-" }'
done
if command -v perf >/dev/null; then
    # faults BIN [env...] -> "page-faults ms-of-CPU"
    faults() {
        local bin=$1
        shift
        env "$@" perf stat -r 10 -e page-faults,task-clock "$bin" extract "$WORK/tiny.jsonl" \
            -o "$WORK/out.geojson" -f GeoJSON -q -j 1 --overwrite --gazetteer "$GAZ" 2>&1 |
            awk '/page-faults/ {f = $1} /task-clock/ {t = $1} END {print f, t}' | tr -d ,
    }
    read -r fn tn <<<"$(faults "$INCIMAP")"
    line="tiny: page faults $fn, $tn ms of CPU (perf stat -r 10)"
    if [ -n "$BASELINE" ]; then
        read -r fo to <<<"$(faults "$BASELINE" ${BASE_DATA:+INCIMAP_DATA="$BASE_DATA"})"
        line="$line; baseline $fo, $to ms"
    fi
    echo "$line"
fi
