# lib.sh -- helpers for the map checks (sourced). Environment from tests/map.cmake:
# INCIMAP, MAP_COUNTRIES, MAP_FIXTURE, MAP_OUT, MAP_SRC, MAP_SHARED, TEST_MAP,
# MAP_GAZETTEER.
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
need_countries() {
    [ -f "$MAP_COUNTRIES" ] || skip "$MAP_COUNTRIES not found (run scripts/fetch-data.sh or set INCIMAP_VENDOR at configure time)"
}
# expect STATUS MESSAGE-SUBSTRING CMD...: run CMD, check its exit status and stderr.
expect() {
    want=$1 msg=$2
    shift 2
    "$@" >"$MAP_OUT/stdout.txt" 2>"$MAP_OUT/stderr.txt"
    got=$?
    [ "$got" = "$want" ] || fail "$* -> exit $got, expected $want; stderr: $(cat "$MAP_OUT/stderr.txt")"
    [ -z "$msg" ] || grep -qF -- "$msg" "$MAP_OUT/stderr.txt" ||
        fail "$* -> stderr lacks '$msg': $(cat "$MAP_OUT/stderr.txt")"
}
# The gazetteer for `incimap extract`: the default build of the tests, when made.
if [ -z "${INCIMAP_GAZETTEER:-}" ] && [ -f "${MAP_GAZETTEER:-}" ]; then
    INCIMAP_GAZETTEER=$MAP_GAZETTEER
    export INCIMAP_GAZETTEER
fi
