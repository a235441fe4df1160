#!/bin/sh
# run.sh -- PostGIS round trip of the layer writer: start a throwaway
# PostgreSQL cluster (initdb + pg_ctl, as the postgres user when run as root)
# in a temporary folder on a loopback port, create the postgis extension,
# write the fixture layers through the writer (out_fixture), read them back
# with ogrinfo, check --overwrite/--append and -t_srs, stop the cluster.
# Installs nothing: exits 77 (skip) when PostgreSQL or PostGIS is absent
# (Debian: postgresql, postgresql-15-postgis-3).
#
# usage: run.sh OUT_FIXTURE [COUNTRIES_FILE]
set -u
fixture=$1
countries=${2:-}

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; status=1; }

bindir=
for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && bindir=$d
done
[ -n "$bindir" ] || skip "no PostgreSQL server binaries (apt-get install postgresql)"
ver=$(basename "$(dirname "$bindir")")
ls /usr/share/postgresql/"$ver"/extension/postgis.control >/dev/null 2>&1 ||
    skip "no PostGIS for PostgreSQL $ver (apt-get install postgresql-$ver-postgis-3)"
command -v ogrinfo >/dev/null || skip "no ogrinfo (apt-get install gdal-bin)"
ogrinfo --formats | grep -q PostgreSQL || skip "GDAL has no PostgreSQL driver"

tmp=$(mktemp -d /tmp/incimap-pg.XXXXXX) || exit 1
chmod 755 "$tmp"
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
user=$(if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi)
[ "$(id -u)" = 0 ] && chown postgres "$tmp"
port=$((20000 + $$ % 20000))
cleanup() {
    as_pg "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

as_pg "$bindir/initdb" -D "$tmp/data" -A trust -U "$user" --no-sync -E UTF8 >"$tmp/initdb.log" 2>&1 ||
    { cat "$tmp/initdb.log"; echo "FAIL: initdb"; exit 1; }
as_pg "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/pg.log" -w -t 60 \
    -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null ||
    { cat "$tmp/pg.log"; echo "FAIL: pg_ctl start"; exit 1; }

psql() { as_pg "$bindir/psql" -X -q -h 127.0.0.1 -p "$port" -U "$user" "$@"; }
for db in incimap utm; do
    psql -d postgres -c "CREATE DATABASE $db" || { echo "FAIL: createdb"; exit 1; }
    psql -d $db -c "CREATE EXTENSION postgis" || { echo "FAIL: CREATE EXTENSION postgis"; exit 1; }
done
conn="PG:host=127.0.0.1 port=$port dbname=incimap user=$user"
status=0
borders=
[ -n "$countries" ] && [ -f "$countries" ] && borders="--borders $countries"

count() { # count LAYER [CONN]
    ogrinfo -ro -so "${2:-$conn}" "$1" 2>/dev/null | sed -n 's/^Feature Count: //p'
}

# 1. create
"$fixture" "$conn" $borders || fail "write to PostGIS"
for l in shelling:2 clashes:1 evacuations:1 incidents:4; do
    n=$(count "${l%%:*}")
    [ "$n" = "${l##*:}" ] || fail "layer ${l%%:*}: $n features, expected ${l##*:}"
done
info=$(ogrinfo -ro -so "$conn" incidents)
for f in "type: String" "date: Date" "date_prec: String" "date_text: String" "place: String" \
         "place_name: String" "country: String" "admin1: String" "geo_prec: Integer" \
         "fatalities: Integer" "fatal_max: Integer" "injured: Integer" "doc_ids: String" \
         "n_sources: Integer" "evidence: String" "confidence: Real" "border_km: Real" \
         "contested: Integer(Boolean)" 'ID["EPSG",4326]' "Geometry: Point"; do
    printf '%s\n' "$info" | grep -qF "$f" || fail "incidents: no \"$f\""
done
printf '%s\n' "$info" | grep -qF "incident_id: String" || fail "incidents: no incident_id"
# issue 18: the sources table, keyed by incident_id
[ "$(count sources)" = 2 ] || fail "sources table: $(count sources) rows, expected 2"
nsrc=$(ogrinfo -ro -q "$conn" -sql "SELECT count(*) AS n FROM sources s JOIN incidents i ON i.incident_id = s.incident_id WHERE s.url LIKE 'https://%'" | sed -n 's/.*n (Integer[0-9]*) = //p')
[ "$nsrc" = 2 ] || fail "sources do not join incidents by incident_id ($nsrc)"
ev=$(ogrinfo -ro -q "$conn" -sql "SELECT octet_length(evidence) AS n, place FROM incidents WHERE place = 'Stepanakert'" | sed -n 's/.*n (Integer) = //p')
[ "$ev" = 401 ] || fail "evidence not kept whole in PostGIS ($ev bytes, expected 401)"
if [ -n "$borders" ]; then
    n=$(count borders)
    [ "${n:-0}" -gt 0 ] || fail "no border lines"
fi

# 2. create again: refused, nothing changed
if "$fixture" "$conn" --set 1 2>"$tmp/err"; then fail "existing tables were not refused"; fi
grep -q "table exists in the database (use --overwrite or --append)" "$tmp/err" ||
    fail "unexpected message: $(cat "$tmp/err")"
[ "$(count incidents)" = 4 ] || fail "refused write changed the table"

# 3. overwrite, 4. append
"$fixture" "$conn" --set 1 --overwrite || fail "--overwrite"
[ "$(count incidents)" = 2 ] || fail "--overwrite: $(count incidents) features, expected 2"
[ "$(count shelling)" = 0 ] || fail "--overwrite: shelling not emptied"
"$fixture" "$conn" --append || fail "--append"
[ "$(count incidents)" = 6 ] || fail "--append: $(count incidents) features, expected 6"
[ "$(count clashes)" = 2 ] || fail "--append: clashes $(count clashes), expected 2"

# 5. -t_srs EPSG:32638: 45E 40N -> 500000, 4427757.219 (cs2cs)
uconn="PG:host=127.0.0.1 port=$port dbname=utm user=$user"
"$fixture" "$uconn" --set 2 -t_srs EPSG:32638 || fail "-t_srs EPSG:32638"
xy=$(ogrinfo -ro -q "$uconn" -sql "SELECT round(ST_X(geom)::numeric, 2) AS x, round(ST_Y(geom)::numeric, 2) AS y, ST_SRID(geom) AS srid FROM incidents" |
     sed -n 's/^ *\([xy]\|srid\) ([A-Za-z(),0-9.]*) = //p' | tr '\n' ' ')
case "$xy" in
    "500000"*" 4427757.22 32638 ") ;;
    *) fail "-t_srs EPSG:32638 gave '$xy'" ;;
esac

[ $status = 0 ] && echo "PostGIS round trip: OK (PostgreSQL $ver, port $port)"
exit $status
