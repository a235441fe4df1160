# common.sh -- shared by the serve tests (sourced). Environment from
# tests/serve.cmake: INCIMAP, SERVE_SRC, SERVE_OUT, SERVE_VENDOR, SERVE_GAZ.
set -u
skip() { echo "SKIP: $*"; exit 77; }
die() { echo "FAIL: $*" >&2; [ -n "${srv_pid:-}" ] && kill "$srv_pid" 2>/dev/null; exit 1; }
command -v sqlite3 >/dev/null || skip "no sqlite3"
command -v python3 >/dev/null || skip "no python3"
[ -f "$SERVE_GAZ" ] || skip "no gazetteer at $SERVE_GAZ (scripts/setup.sh builds it)"
[ -f "$SERVE_VENDOR/leaflet.js" ] || skip "no $SERVE_VENDOR/leaflet.js (run scripts/fetch-data.sh)"
export INCIMAP_VENDOR="$SERVE_VENDOR"
srv_pid=

# incimap, under $INCIMAP_TEST_WRAPPER (valgrind in CI) when set
run_incimap() { ${INCIMAP_TEST_WRAPPER:-} "$INCIMAP" "$@"; }

# start_server STORE [ARGS...]: serve on a free port; sets srv_pid, port, base.
start_server() {
    db=$1
    shift
    log="$work/serve.log"
    # removed first: the child truncates it only once it runs, and until
    # then the loop below would read the last server's port
    rm -f "$log"
    csrf= # api() asks the new server for its own
    ${INCIMAP_TEST_WRAPPER:-} "$INCIMAP" serve --db "$db" --port 0 --gazetteer "$SERVE_GAZ" "$@" 2>"$log" &
    srv_pid=$!
    i=0
    while [ $i -lt 600 ]; do
        port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$log")
        [ -n "$port" ] && break
        kill -0 "$srv_pid" 2>/dev/null || die "serve exited: $(cat "$log")"
        sleep 0.1
        i=$((i + 1))
    done
    [ -n "$port" ] || die "serve did not start: $(cat "$log")"
    base="http://127.0.0.1:$port"
}

# stop_server: SIGTERM, which must end it with status 0 and a clean store.
stop_server() {
    kill -TERM "$srv_pid"
    wait "$srv_pid"
    st=$?
    [ "$st" -eq 0 ] || die "serve ended with status $st after SIGTERM: $(cat "$log")"
    grep -q "SIGTERM: stopping" "$log" || die "no clean stop in the log: $(cat "$log")"
    srv_pid=
}

# make_store DIR: the fixture articles extracted into DIR/s.sqlite.
make_store() {
    ${INCIMAP_TEST_WRAPPER:-} "$INCIMAP" extract "$SERVE_SRC/tests/serve/articles.jsonl" --db "$1/s.sqlite" -o "$1/layers" \
        --gazetteer "$SERVE_GAZ" -q || die "extract --db failed"
}

# api METHOD PATH [BODY]: curl the server with the CSRF token; prints
# "STATUS BODY".
api() {
    [ -n "${csrf:-}" ] || csrf=$(curl -s "$base/api/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
    if [ "$1" = POST ]; then
        curl -s -o "$work/api.out" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
            -H "X-CSRF-Token: $csrf" --data-binary "$3" "$base$2"
    else
        curl -s -o "$work/api.out" -w '%{http_code}' "$base$2"
    fi
    printf ' '
    cat "$work/api.out"
    echo
}
