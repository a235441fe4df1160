#!/bin/sh
# press_spellings.sh INCIMAP [GAZETTEER]
# Looks up, in the default (installed) gazetteer, the press spellings of
# small Karabakh places and Armenia/Nakhchivan border villages that the
# regional supplement adds (data/regional/places-karabakh-villages.csv,
# places-border.csv, places-caucasus.csv): the first candidate must be in the
# expected country and within 5 km of the expected point.
# GAZETTEER defaults to where incimap looks ($INCIMAP_GAZETTEER >
# $INCIMAP_HOME/gazetteer.sqlite > /usr/local/share/incimap/gazetteer.sqlite).
# Exits 77 (skip) when that gazetteer is absent.
incimap=$1
gaz=${2:-${INCIMAP_GAZETTEER:-${INCIMAP_HOME:+$INCIMAP_HOME/gazetteer.sqlite}}}
gaz=${gaz:-/usr/local/share/incimap/gazetteer.sqlite}
[ -f "$gaz" ] || {
    echo "SKIP: default gazetteer $gaz absent (build it: incimap gazetteer build -o $gaz)"
    exit 77; }

fail=0; n=0
# name|country|lat|lon|extra lookup options (the context the extractor gives)
while IFS='|' read -r name cc lat lon opts; do
    case "$name" in ''|'#'*) continue ;; esac
    n=$((n + 1))
    # shellcheck disable=SC2086
    out=$("$incimap" gazetteer lookup "$name" --json -n 1 --gazetteer "$gaz" $opts 2>&1) || {
        echo "FAIL: \"$name\": no match"; fail=$((fail + 1)); continue; }
    got_cc=$(printf '%s\n' "$out" | sed -n 's/.*"country": "\([^"]*\)".*/\1/p' | head -n 1)
    got_lat=$(printf '%s\n' "$out" | sed -n 's/.*"lat": \([-0-9.e]*\).*/\1/p' | head -n 1)
    got_lon=$(printf '%s\n' "$out" | sed -n 's/.*"lon": \([-0-9.e]*\).*/\1/p' | head -n 1)
    got_id=$(printf '%s\n' "$out" | sed -n 's/.*"src_id": "\([^"]*\)".*/\1/p' | head -n 1)
    d=$(awk -v a="$lat" -v b="$lon" -v c="$got_lat" -v e="$got_lon" 'BEGIN {
        r = 3.14159265358979 / 180; x = sin((c - a) * r / 2); y = sin((e - b) * r / 2)
        h = x * x + cos(a * r) * cos(c * r) * y * y
        printf "%.1f", 2 * 6371 * atan2(sqrt(h), sqrt(1 - h)) }')
    if [ "$got_cc" != "$cc" ] || awk -v d="$d" 'BEGIN { exit !(d > 5) }'; then
        echo "FAIL: \"$name\" $opts -> $got_id $got_cc ($got_lat, $got_lon), $d km from" \
             "the expected $cc ($lat, $lon)"
        fail=$((fail + 1))
    else
        echo "ok: \"$name\" -> $got_id $got_cc, $d km"
    fi
done <<'LIST'
# Karabakh (AZ de jure)
Mataghis|AZ|40.257|46.549
Madaghis|AZ|40.257|46.549
Madagiz|AZ|40.257|46.549
Matağis|AZ|40.257|46.549
Sugovushan|AZ|40.257|46.549
Sugovuşan|AZ|40.257|46.549
Talish|AZ|40.168|46.645
Tonachen|AZ|40.168|46.645
Karmir Shuka|AZ|39.67669|46.95123
Karmir Chouka|AZ|39.67669|46.95123
Qırmızı Bazar|AZ|39.67669|46.95123
Aghavno|AZ|39.568|46.527
Zabukh|AZ|39.568|46.527
Zabux|AZ|39.568|46.527
Hakari bridge|AZ|39.540|46.545
pont de Hakari|AZ|39.540|46.545
Həkəri körpüsü|AZ|39.540|46.545
Dadivank|AZ|40.1617|46.2883
monastère de Dadivank|AZ|40.1617|46.2883
Stepanakert airport|AZ|39.901|46.787
aéroport de Stepanakert|AZ|39.901|46.787
Khojaly airport|AZ|39.901|46.787
Lachine|AZ|39.59881|46.55045
Latchin|AZ|39.59881|46.55045
# Armenian border villages
Kut|AM|40.19733|45.8667|--country AM
Kout|AM|40.19733|45.8667
Sotk|AM|40.20007|45.86951
Zod|AM|40.20007|45.86951
Sotq|AM|40.20007|45.86951
Verin Shorja|AM|40.08723|45.83259
Verin Chorja|AM|40.08723|45.83259
Artanich|AM|40.53228|45.37147
Djermuk|AM|39.84168|45.66949
Djermouk|AM|39.84168|45.66949
Khatchik|AM|39.62196|45.20837
Eraskh|AM|39.74572|44.82467
Ieraskh|AM|39.74572|44.82467
Ichkhanassar|AM|39.5682|46.03498
Chournoukh|AM|39.38131|46.39808
David Bek|AM|39.31997|46.49461
Sissian|AM|39.52191|46.02696
Tchinari|AM|40.90008|45.44171
Chinari|AM|40.90008|45.44171|--country AM
# Nakhchivan
Heydərabad|AZ|39.72286|44.84846
Heydarabad|AZ|39.72286|44.84846
Sadarak|AZ|39.71427|44.88455
Sədərək|AZ|39.71427|44.88455
Charour|AZ|39.55298|44.97993
Şərur|AZ|39.55298|44.97993
Djoulfa|AZ|38.95397|45.62961
Julfa|AZ|38.95397|45.62961|--country AZ
Chahbouz|AZ|39.40722|45.57389
LIST
echo "$((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
