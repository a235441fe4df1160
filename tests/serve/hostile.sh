#!/bin/sh
# hostile.sh -- hostile requests get a 4xx and leave the store as it was
# (hostile.py); a non-loopback bind needs a token, and with one every
# request without it gets 401.
. "$(dirname "$0")/common.sh"
work="$SERVE_OUT/hostile"
rm -rf "$work"
mkdir -p "$work"
make_store "$work"
start_server "$work/s.sqlite"
python3 "$SERVE_SRC/tests/serve/hostile.py" "$port" "$work/s.sqlite" || die "hostile requests"
stop_server
sqlite3 "$work/s.sqlite" "PRAGMA integrity_check" | grep -qx ok || die "integrity_check"

# a public bind without a token is refused before anything is opened
run_incimap serve --db "$work/s.sqlite" --bind 0.0.0.0 --port 0 2>"$work/err"
st=$?
[ "$st" -eq 2 ] || die "--bind 0.0.0.0 without --token: status $st, expected 2"
grep -q "not a loopback address" "$work/err" || die "message: $(cat "$work/err")"
# a token: every request needs it
start_server "$work/s.sqlite" --token s3cret-token-1
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/incidents")
[ "$code" = 401 ] || die "no token: $code, expected 401"
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/")
[ "$code" = 401 ] || die "no token (page): $code, expected 401"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer wrong-token-2' "$base/api/incidents")
[ "$code" = 401 ] || die "wrong token: $code, expected 401"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer s3cret-token-1' "$base/api/incidents")
[ "$code" = 200 ] || die "bearer token: $code, expected 200"
curl -s -D "$work/headers" -o /dev/null "$base/?token=s3cret-token-1"
grep -qi '^set-cookie: incimap_token=s3cret-token-1; HttpOnly; SameSite=Strict' "$work/headers" ||
    die "no HttpOnly SameSite cookie: $(cat "$work/headers")"
code=$(curl -s -o /dev/null -w '%{http_code}' -b 'incimap_token=s3cret-token-1' "$base/api/incidents")
[ "$code" = 200 ] || die "cookie: $code, expected 200"
stop_server
echo "PASS: hostile requests refused, store unchanged; token required when set"
