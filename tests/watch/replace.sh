#!/bin/sh
# replace.sh INCIMAP GAZETTEER WORK -- `incimap watch`, a changed file
# (issue 19, row "watch: ... replaced or edited under its name"): an article
# dropped, then rewritten under its name about another place (once edited in
# place, once replaced by a rename). After each batch the store holds the
# new incidents and not the old ones, no warning is printed (watch passes
# --replace), and the layers equal an export of the store. Waits bounded.
set -u
INCIMAP=$1
GAZ=$2
WORK=$3
rm -rf "$WORK"
mkdir -p "$WORK/in" && cd "$WORK" || exit 1
export INCIMAP_VENDOR="$WORK/no-vendor" INCIMAP_HOME="$WORK/no-home" INCIMAP_GAZETTEER="$GAZ"
PID=""
fail() {
    echo "FAIL: $*"
    echo "--- watch.err"; cat watch.err
    [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
    exit 1
}
until_ok() {
    i=0
    while ! eval "$1" >/dev/null 2>&1; do
        i=$((i + 1)); [ $i -gt $(($2 * 10)) ] && fail "waited $2 s for: $1"
        sleep 0.1
    done
}
batches() { grep -c 'layers written' watch.err; }
places() { sqlite3 store.sqlite "select group_concat(place, ',') from (select distinct place from incidents order by place)"; }
# the features of a GeoJSON layer, one per line, without the order
feats() {
    python3 - "$1" <<'PY'
import json, sys
for f in sorted(json.dumps(f, sort_keys=True) for f in json.load(open(sys.argv[1]))["features"]):
    print(f)
PY
}
same_as_export() {
    rm -rf exp
    "$INCIMAP" export --db store.sqlite -o exp -f GeoJSON 2>export.err || fail "export: exit $?"
    for l in incidents shelling clashes; do
        [ "$(feats out/$l.geojson)" = "$(feats exp/$l.geojson)" ] || fail "$1: out/$l.geojson differs from an export"
    done
}

"$INCIMAP" watch in --db store.sqlite -o out -f GeoJSON --date 2022-09-14 --interval 0.5 2>watch.err &
PID=$!
until_ok "[ -f out/incidents.geojson ]" 10

printf 'Shelling in Martuni\n\nAzerbaijani forces shelled Martuni overnight, the Armenian defence ministry said.\n' >in/a.txt
until_ok "grep -q Martuni out/incidents.geojson" 30
b=$(batches)
[ "$(sqlite3 store.sqlite "select count(*) from incidents where place like '%Martuni%'")" -ge 1 ] ||
    fail "no Martuni incident stored: $(places)"
same_as_export "first drop"

# edited in place: another place
printf 'Shelling in Vardenis\n\nAzerbaijani forces shelled Vardenis overnight, the Armenian defence ministry said.\n' >in/a.txt
until_ok "[ \$(batches) -gt $b ]" 30
grep -q Vardenis out/incidents.geojson || fail "the edited article's incident is not in the layers"
grep -q Martuni out/incidents.geojson && fail "the old incident (Martuni) is still in the layers"
p=$(places)
case "$p" in *Vardenis*) ;; *) fail "store places after the edit: $p" ;; esac
case "$p" in *Martuni*) fail "store places after the edit: $p (the old incident is kept)" ;; esac
[ "$(sqlite3 store.sqlite "select count(*) from documents")" = 1 ] || fail "documents: not one"
grep -q "stored with other content" watch.err && fail "a warning about the changed file (watch passes --replace)"
grep -q "error" watch.err && fail "an error in the batch"
same_as_export "edit"
b=$(batches)

# replaced by a rename: another place again
printf 'Combats à Sotk\n\nDes combats ont eu lieu mardi à Sotk, selon le ministère arménien de la Défense.\n' >a.new
mv a.new in/a.txt
until_ok "[ \$(batches) -gt $b ]" 30
p=$(places)
case "$p" in *Sotk*) ;; *) fail "store places after the replacement: $p" ;; esac
case "$p" in *Vardenis*) fail "store places after the replacement: $p (the old incident is kept)" ;; esac
grep -q Vardenis out/incidents.geojson && fail "the replaced incident (Vardenis) is still in the layers"
same_as_export "replacement"

kill -TERM $PID
wait $PID
rc=$?
PID=""
[ $rc = 0 ] || fail "SIGTERM: exit $rc"
[ "$(sqlite3 store.sqlite 'pragma integrity_check')" = ok ] || fail "integrity_check"
echo "watch replace: passed"
