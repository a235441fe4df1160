#!/bin/sh
# same_output.sh -- `extract -j N` writes what `extract -j 1` writes: the
# layers byte for byte and the same messages (but the line naming the number
# of threads), in the merged, --no-merge and --db modes, on inputs that mix
# good and bad documents across several files; and in the spill mode (the
# merge through a temporary store, INCIMAP_SPILL_REPORTS=2, whose export
# hands the writer its incidents in a thread of its own with -j N), whose
# layers must also be those of the merged mode.
#   same_output.sh INCIMAP GAZETTEER WORK N INPUT...
# With INCIMAP_TEST_WRAPPER (valgrind --tool=helgrind, ...) in front of the
# -j N runs; SAME_MODES (default "merge nomerge db") limits the modes.
# Exit 0 when the same, 1 with a diff otherwise.
set -u
incimap=$1 gaz=$2 work=$3 n=$4
shift 4
rm -rf "$work"
mkdir -p "$work"
status=0
for mode in ${SAME_MODES:-merge nomerge db spill}; do
    for j in 1 "$n"; do
        extra=""
        [ "$mode" = nomerge ] && extra="--no-merge"
        [ "$mode" = db ] && extra="--db $work/store-$j.sqlite"
        spill=""
        [ "$mode" = spill ] && spill=2
        wrap=""
        [ "$j" != 1 ] && wrap=${INCIMAP_TEST_WRAPPER:-}
        # shellcheck disable=SC2086
        INCIMAP_SPILL_REPORTS=$spill $wrap "$incimap" extract "$@" -o "$work/out-$mode-$j" \
            -f GeoJSON --gazetteer "$gaz" --date 2022-08-03 -j "$j" -vv $extra \
            2>"$work/err-$mode-$j.txt"
        echo $? >"$work/status-$mode-$j.txt"
        grep -v -e 'worker thread' -e 'gazetteer: .* cached' -e '^==' "$work/err-$mode-$j.txt" \
            | sed "s/-$j\\.sqlite/-J.sqlite/g; s/out-$mode-$j/out-$mode-J/g" \
            | sed 's/incimap-spill-[^/]*/incimap-spill-X/' >"$work/msg-$mode-$j.txt"
    done
    if [ "$mode" = spill ]; then
        grep -q 'merging in a temporary store' "$work/err-$mode-$n.txt" || {
            echo "same_output: spill: no temporary store: the test proves nothing" >&2
            status=1
        }
        for f in "$work/out-merge-1"/*.geojson; do
            [ -f "$f" ] || continue
            if ! cmp "$f" "$work/out-spill-$n/$(basename "$f")" >&2; then
                echo "same_output: spill: $(basename "$f") differs from the merge in memory" >&2
                status=1
            fi
        done
    fi
    if ! cmp -s "$work/status-$mode-1.txt" "$work/status-$mode-$n.txt"; then
        echo "same_output: $mode: exit status differs" >&2
        status=1
    fi
    if ! diff "$work/msg-$mode-1.txt" "$work/msg-$mode-$n.txt" >&2; then
        echo "same_output: $mode: messages differ" >&2
        status=1
    fi
    for f in "$work/out-$mode-1"/*.geojson; do
        if ! cmp "$f" "$work/out-$mode-$n/$(basename "$f")" >&2; then
            echo "same_output: $mode: $(basename "$f") differs between -j 1 and -j $n" >&2
            status=1
        fi
    done
    grep -q 'incidents written: [1-9]' "$work/err-$mode-1.txt" || {
        echo "same_output: $mode: no incident at all: the test proves nothing" >&2
        status=1
    }
done
exit $status
