#!/bin/sh
# incimap map --db STORE: the incidents of an incident store (made here by
# the store tests' store_tool), with the same --type/--from/--to filters.
. "$(dirname "$0")/lib.sh"
need_countries
[ -x "${STORE_TOOL:-}" ] || skip "store_tool not built"
db="$MAP_OUT/map-store.sqlite"
rm -f "$db" "$db-wal" "$db-shm"
"$STORE_TOOL" write "$db" 0 30 4 >/dev/null || fail "store_tool write"
expect 0 "" "$INCIMAP" map --overwrite --db "$db" -o "$MAP_OUT/db.png" --countries "$MAP_COUNTRIES"
[ -s "$MAP_OUT/db.png" ] || fail "no map written"
expect 0 "" "$INCIMAP" map --overwrite --db "$db" -o "$MAP_OUT/db.svg" --countries "$MAP_COUNTRIES" \
    --type shelling --from 2020-10-05 --to 2020-10
# store_tool dates are October 2020: nothing in 2021.
expect 3 "no incidents to map" "$INCIMAP" map --overwrite --db "$db" -o "$MAP_OUT/db2.png" \
    --countries "$MAP_COUNTRIES" --from 2021-01-01
echo "ok"
