#!/bin/sh
# An installed binary reads the data installed with it, never the source
# tree it was built from; INCIMAP_HOME and INCIMAP_DATA come first; a
# build-tree binary reads the tree's data (issue 18, data paths).
# Environment: BUILD (the build tree), INCIMAP, GAZ, WORK, HERE.
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
prefix="$WORK/prefix"
cmake --install "$BUILD" --prefix "$prefix" >"$WORK/install.log" 2>&1 ||
    fail "cmake --install failed: $(tail -5 "$WORK/install.log")"
bin="$prefix/bin/incimap"
[ -x "$bin" ] || fail "$bin not installed"
data="$prefix/share/incimap/data"
[ -f "$data/conflicts/armenia-azerbaijan.json" ] || fail "data not installed under $data"
in="$HERE/article.jsonl"
run() { env -u INCIMAP_DATA -u INCIMAP_HOME "$@"; }
# 1. The installed tree's data, seen through -v.
run "$bin" extract "$in" --gazetteer "$GAZ" -o "$WORK/o1" -v 2>"$WORK/e1" || fail "installed run: $(cat "$WORK/e1")"
grep -q "data: $data\$" "$WORK/e1" || fail "installed binary does not read $data: $(grep 'data:' "$WORK/e1")"
# 2. Its conflict file removed: the error names the installed path (the
#    source tree, which still has it, is not read) and lists what is there.
mv "$data/conflicts/armenia-azerbaijan.json" "$data/conflicts/other-conflict.json"
run "$bin" extract "$in" --gazetteer "$GAZ" -o "$WORK/o2" 2>"$WORK/e2"
st=$?
[ "$st" = 3 ] || fail "missing conflict file: exit $st, expected 3: $(cat "$WORK/e2")"
grep -q "$data/conflicts/armenia-azerbaijan.json: error: no such conflict file" "$WORK/e2" ||
    fail "the missing file is not named: $(cat "$WORK/e2")"
grep -q "conflicts in $data/conflicts: other-conflict" "$WORK/e2" ||
    fail "the available conflicts are not listed: $(cat "$WORK/e2")"
# 3. A lexicon folder without lexicons: named, with what is there.
mv "$data/conflicts/other-conflict.json" "$data/conflicts/armenia-azerbaijan.json"
mkdir -p "$WORK/lexsave" && mv "$data/lexicon/"*.json "$WORK/lexsave/"
run "$bin" extract "$in" --gazetteer "$GAZ" -o "$WORK/o3" 2>"$WORK/e3"
st=$?
[ "$st" = 3 ] || fail "no lexicon: exit $st, expected 3: $(cat "$WORK/e3")"
grep -q "$data/lexicon" "$WORK/e3" || fail "the lexicon folder is not named: $(cat "$WORK/e3")"
grep -q "lexicons there: none" "$WORK/e3" || fail "the lexicons available are not listed: $(cat "$WORK/e3")"
mv "$WORK/lexsave/"*.json "$data/lexicon/"
# 4. INCIMAP_HOME comes before the install prefix.
mkdir -p "$WORK/home" && cp -r "$data" "$WORK/home/data"
INCIMAP_HOME="$WORK/home" "$bin" extract "$in" --gazetteer "$GAZ" -o "$WORK/o4" -v 2>"$WORK/e4" ||
    fail "INCIMAP_HOME run: $(cat "$WORK/e4")"
grep -q "data: $WORK/home/data\$" "$WORK/e4" || fail "INCIMAP_HOME not used: $(grep 'data:' "$WORK/e4")"
# 5. A copy of the binary outside any prefix or build tree: the compiled
#    install prefix, not the source tree.
mkdir -p "$WORK/elsewhere" && cp "$bin" "$WORK/elsewhere/incimap"
run "$WORK/elsewhere/incimap" extract "$in" --gazetteer "$GAZ" -o "$WORK/o5" -v 2>"$WORK/e5"
grep 'data:' "$WORK/e5" | grep -q "$SRC/data" && fail "a binary outside the build tree read the source tree's data"
# 6. The build-tree binary reads the tree's data.
run "$INCIMAP" extract "$in" --gazetteer "$GAZ" -o "$WORK/o6" -v 2>"$WORK/e6" || fail "build-tree run: $(cat "$WORK/e6")"
grep -q "data: $SRC/data\$" "$WORK/e6" || fail "build-tree binary does not read $SRC/data: $(grep 'data:' "$WORK/e6")"
echo "ok"
