#!/bin/sh
# bench_merge.sh -- build (Release) and run the merge benchmark.
# usage: bench/bench_merge.sh [N_REPORTS]   (default 100000; the bar is < 5 s)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$src/build-bench}
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target bench_merge -j2 >/dev/null
for n in 10000 ${1:-100000} $(( ${1:-100000} * 3 )); do
    "$build/tests/bench_merge" "$n"
done
