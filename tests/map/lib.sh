# lib.sh -- helpers for the map checks (sourced). Environment from tests/map.cmake:
# INCIMAP, MAP_COUNTRIES, MAP_FIXTURE, MAP_OUT, MAP_SRC, MAP_SHARED, TEST_MAP,
# MAP_GAZETTEER.
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
need_countries() {
    [ -f "$MAP_COUNTRIES" ] || skip "$MAP_COUNTRIES not found (run scripts/fetch-data.sh or set INCIMAP_VENDOR at configure time)"
}
# expect STATUS MESSAGE-SUBSTRING CMD...: run CMD, check its exit status and
# stderr. Each check script has its own output files: ctest runs the map
# checks in parallel in one MAP_OUT folder.
EXPECT_STDOUT="$MAP_OUT/$(basename "$0" .sh).stdout.txt"
EXPECT_STDERR="$MAP_OUT/$(basename "$0" .sh).stderr.txt"
expect() {
    want=$1 msg=$2
    shift 2
    "$@" >"$EXPECT_STDOUT" 2>"$EXPECT_STDERR"
    got=$?
    [ "$got" = "$want" ] || fail "$* -> exit $got, expected $want; stderr: $(cat "$EXPECT_STDERR")"
    [ -z "$msg" ] || grep -qF -- "$msg" "$EXPECT_STDERR" ||
        fail "$* -> stderr lacks '$msg': $(cat "$EXPECT_STDERR")"
}
# The gazetteer for `incimap extract`: the default build of the tests, when made.
if [ -z "${INCIMAP_GAZETTEER:-}" ] && [ -f "${MAP_GAZETTEER:-}" ]; then
    INCIMAP_GAZETTEER=$MAP_GAZETTEER
    export INCIMAP_GAZETTEER
fi
