#!/bin/sh
# concurrency.sh -- two processes writing the same store at once: each
# succeeds, or fails with "is locked by another incimap process"; the
# store is never damaged, and documents both wrote are stored once.
# usage: concurrency.sh STORE_TOOL WORKDIR
set -u
tool=$1
work=$2
rm -rf "$work" && mkdir -p "$work" || exit 1
db=$work/conc.sqlite
fail() { echo "concurrency.sh: FAIL: $*" >&2; exit 1; }

# Both start on a missing file (both may try to create the schema), and
# their ranges overlap on w000100..w000199.
"$tool" write "$db" 0 200 6 >"$work/a.out" 2>"$work/a.err" &
a=$!
"$tool" write "$db" 100 200 6 >"$work/b.out" 2>"$work/b.err" &
b=$!
wait $a; ra=$?
wait $b; rb=$?
for w in a b; do
    eval "r=\$r$w"
    if [ "$r" -ne 0 ]; then
        grep -q "is locked by another incimap process" "$work/$w.err" ||
            fail "writer $w failed without the lock message: $(cat "$work/$w.err")"
        echo "concurrency.sh: writer $w gave up: $(cat "$work/$w.err")"
    fi
done
"$tool" check "$db" || fail "check"
# every document a writer reported (committed or known) is stored
sed -n 's/^[a-z]* //p' "$work/a.out" "$work/b.out" | sort -u >"$work/ids"
"$tool" has "$db" <"$work/ids" || fail "documents missing"
docs=$("$tool" check "$db" | sed 's/^documents \([0-9]*\).*/\1/')
want=$(wc -l <"$work/ids")
[ "$docs" -eq "$want" ] || fail "$docs documents stored, $want reported"
# the overlap was written once: each id committed by exactly one writer
dups=$(sed -n 's/^committed //p' "$work/a.out" "$work/b.out" | sort | uniq -d | wc -l)
[ "$dups" -eq 0 ] || fail "$dups documents committed twice"
if [ $ra -eq 0 ] && [ $rb -eq 0 ]; then
    [ "$docs" -eq 300 ] || fail "both succeeded but $docs documents, want 300"
fi
echo "concurrency.sh: ok ($docs documents; exits $ra $rb)"
