#!/bin/sh
# Allocation-failure injection: a representative run of each command with
# its 1st, 2nd, ... N-th allocation failing in turn (build/augment-failalloc,
# tests/alloc/fail_alloc.c). Every run must end cleanly: exit 0 with the
# same outputs as without the failure, or exit 1 with a message that says
# out of memory; no crash, no sanitizer report (leaks included, in the
# ASan+UBSan pass), no temporary file left, no output half written.
. "$(dirname "$0")/lib/common.sh"

FA=$(dirname "$AUGMENT")/augment-failalloc
if [ ! -x "$FA" ]; then
    fail "no $FA (make builds it with the tests)"
    finish
fi
mkdir -p in set/a set/b
cp "$CAT" in/cat.png
cp "$EDGE/gray_alpha.png" in/ga.png
cp "$DATA/digits/0/0000.png" set/a/
cp "$DATA/digits/1/0001.png" set/b/
cp "$DATA/iris.csv" "$DATA/wine.csv" .

# inject CASE-NAME ARGS...: run once to count, then fail each allocation.
inject() {
    name=$1
    shift
    rm -rf ref && mkdir ref && cp -r in set iris.csv wine.csv ref/
    (cd ref && AUGMENT_COUNT_ALLOC="$T/count" "$FA" "$@" >stdout 2>stderr)
    rc=$?
    n=$(cat "$T/count" 2>/dev/null || echo 0)
    check_eq "$rc" 0 "$name: the run without a failure"
    [ "$n" -gt 10 ] && pass || fail "$name: only $n allocations counted"
    bad=0
    i=1
    while [ $i -le "$n" ]; do
        rm -rf run && mkdir run && cp -r in set iris.csv wine.csv run/
        (cd run && AUGMENT_FAIL_ALLOC=$i "$FA" "$@" >stdout 2>stderr)
        rc=$?
        why=""
        if grep -q -e 'Sanitizer' -e 'runtime error' run/stderr; then
            why="a sanitizer report: $(grep -m1 -e Sanitizer -e 'runtime error' run/stderr)"
        elif [ $rc -eq 1 ]; then
            grep -q 'out of memory' run/stderr || why="exit 1 without 'out of memory': $(head -c 200 run/stderr)"
        elif [ $rc -eq 0 ]; then
            diff -r -x stdout -x stderr ref run >/dev/null 2>&1 || why="exit 0 but other outputs"
        else
            why="exit $rc: $(head -c 200 run/stderr)"
        fi
        if [ -z "$why" ] && [ -n "$(find run -name '.augtmp-*' | head -1)" ]; then
            why="a temporary file was left"
        fi
        if [ -n "$why" ]; then
            fail "$name: allocation $i of $n failing: $why"
            bad=$((bad + 1))
            [ $bad -ge 5 ] && break
        else
            pass
        fi
        i=$((i + 1))
    done
}

inject "flip" flip -j 1 in -o out --manifest m.csv
inject "chain" chain 'rotate --range -9:9 | one-of { flip | noise --sigma 3 } | erase --count 2 --value random' -n 2 -j 1 in -o out --manifest m.csv
inject "rotate --include-original" rotate --angle 30 --expand -j 1 --include-original in -o out
inject "mixup (images)" mixup --alpha 1 -j 1 set -o out --manifest m.csv
inject "samplepairing" samplepairing -j 1 set -o out
inject "cutmix" cutmix -j 1 set -o out --manifest m.csv
inject "resize, crop, color" chain 'resize --scale 0.7 --interp lanczos | random-resized-crop --size 16 | color --brightness 0.3 --hue 0.1' -j 1 in -o out
inject "randaugment" randaugment --ops 4 -n 2 -j 1 in -o out
inject "warps and blurs" chain 'perspective | elastic --alpha 30 | blur --type motion | blur --type median --kernel 5 | sharpness --factor 2' -j 1 in -o out
inject "smote" smote iris.csv -o out.csv --manifest m.csv -j 1
inject "mixup (table)" mixup -n 20 wine.csv -o out.csv
inject "--dry-run" flip --dry-run -j 1 in -o out
finish
