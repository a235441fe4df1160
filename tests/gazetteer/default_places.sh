#!/bin/sh
# default_places.sh GAZETTEER CHECK -- checks over the default gazetteer (issue 13).
#   outside: no admin-1 centre lies more than 50 km from its own country's
#            polygon (country-state-city put "Aghjabadi District" AZ in India),
#            except in a territory the polygons draw apart from its sovereign;
#   one:     no two places of the same kind within 10 km share a folded name
#            unless both come from GeoNames (its own duplicates are not ours);
#   links:   merged source rows keep their ids (csc:AM-GR, incimap:am-gegharkunik
#            are one place).
# Skips (77) without the gazetteer or without the spatialite shell.
gaz=$1; check=$2
[ -f "$gaz" ] || { echo "SKIP: no default gazetteer $gaz"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
case $check in
outside)
    command -v spatialite >/dev/null || { echo "SKIP: no spatialite shell"; exit 77; }
    # the spatialite shell opens its file for writing (it may add its metadata),
    # which made concurrent readers of the shared gazetteer fail now and then:
    # it works on a copy
    tmp=$(mktemp -d) || exit 1
    trap 'rm -rf "$tmp"' EXIT
    cp "$gaz" "$tmp/g.sqlite" || fail "cannot copy $gaz"
    out=$(spatialite -batch -bail "$tmp/g.sqlite" 2>/dev/null <<'SQL'
.mode list
.separator "	"
CREATE TEMP TABLE terr(cc TEXT, geo TEXT);
INSERT INTO terr VALUES ('US','PR'),('US','VI'),('US','GU'),('US','AS'),('US','MP'),('US','UM'),
 ('FR','MF'),('FR','BL'),('FR','PM'),('FR','WF'),('FR','PF'),('FR','NC'),('FR','TF'),('FR','RE'),
 ('FR','GP'),('FR','MQ'),('FR','GF'),('FR','YT'),('GB','GG'),('GB','JE'),('GB','IM'),('GB','GI'),
 ('GB','BM'),('GB','KY'),('GB','VG'),('GB','TC'),('GB','MS'),('GB','AI'),('GB','FK'),('GB','SH'),
 ('GB','PN'),('GB','IO'),('GB','GS'),('NL','AW'),('NL','CW'),('NL','SX'),('NL','BQ'),('DK','GL'),
 ('DK','FO'),('NO','SJ'),('AU','CX'),('AU','CC'),('AU','NF'),('AU','HM'),('NZ','CK'),('NZ','NU'),
 ('NZ','TK'),('CN','HK'),('CN','MO'),('FI','AX'),('UA','RU'),('MA','EH'),('RS','XK'),('CY','CN');
SELECT p.src_id, p.name, p.country, p.lat, p.lon, coalesce(p.geo_country, '-') FROM places p
 WHERE p.kind = 1 AND (p.geo_country IS NULL OR p.geo_country <> p.country)
 AND NOT EXISTS (SELECT 1 FROM terr t WHERE t.cc = p.country AND t.geo = p.geo_country)
 AND EXISTS (SELECT 1 FROM regions r WHERE r.country = p.country AND r.place_id IS NULL
             AND ST_IsValid(r.geom))
 AND (SELECT min(ST_Distance(r.geom, MakePoint(p.lon, p.lat, 4326), 1)) FROM regions r
      WHERE r.country = p.country AND r.place_id IS NULL) > 50000;
SQL
) || fail "spatialite query failed"
    [ -z "$out" ] || { echo "$out" | head -20; fail "$(echo "$out" | wc -l) admin-1 places lie outside their country"; }
    # the examples of the issue are gone from where they were
    n=$(sqlite3 "$gaz" "SELECT count(*) FROM places WHERE country = 'AZ' AND (lon > 52 OR lon < 44)")
    [ "$n" = 0 ] || fail "$n AZ places outside 44-52E"
    echo "ok: no admin-1 centre outside its country";;
one)
    out=$(sqlite3 -bail "$gaz" <<'SQL'
CREATE TEMP TABLE nk AS SELECT DISTINCT n.place_id, n.key, p.kind, p.lat, p.lon, p.src
  FROM names n JOIN places p ON p.id = n.place_id;
CREATE INDEX temp.nk_key ON nk(key);
SELECT a.key || ': ' || pa.src_id || ' ' || pa.name || ' / ' || pb.src_id || ' ' || pb.name
  FROM nk a JOIN nk b ON a.key = b.key AND a.kind = b.kind AND a.place_id < b.place_id
  JOIN places pa ON pa.id = a.place_id JOIN places pb ON pb.id = b.place_id
 WHERE (a.src <> 'geonames' OR b.src <> 'geonames')
   AND abs(a.lat - b.lat) < 0.1 AND abs(a.lon - b.lon) < 0.2
   AND 6371 * sqrt(power(radians(a.lat - b.lat), 2) +
                   power(radians(a.lon - b.lon) * cos(radians(a.lat)), 2)) <= 10;
SQL
) || fail "sqlite3 query failed"
    [ -z "$out" ] || { echo "$out" | head -20; fail "places of two sources share a name within 10 km"; }
    echo "ok: one place per entity";;
links)
    a=$(sqlite3 "$gaz" "SELECT id FROM places WHERE src_id = 'csc:AM-GR'")
    b=$(sqlite3 "$gaz" "SELECT place_id FROM links WHERE src_id = 'incimap:am-gegharkunik'")
    [ -n "$a" ] && [ "$a" = "$b" ] || fail "Gegharkunik: csc:AM-GR is place '$a', the supplement's row links to '$b'"
    # Aghjabadi District: country-state-city's row (in India) repaired onto the supplement's
    c=$(sqlite3 "$gaz" "SELECT p.src_id || ' ' || round(p.lat, 1) || ' ' || round(p.lon, 1) FROM links l JOIN places p ON p.id = l.place_id WHERE l.src_id = 'csc:AZ-AGC'")
    [ "$c" = "incimap:az-aghjabadi 40.0 47.5" ] || fail "csc:AZ-AGC repaired onto '$c'"
    echo "ok: links";;
*) fail "unknown check $check";;
esac
