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
# a small labelled set: YOLO boxes, masks, and a COCO file with a
# polygon, keypoints and a crowd RLE
mkdir -p lab/s labm/s
aug resize --size 24x16 "$CAT" -o lab/a.png
aug resize --size 16x20 "$CAT" -o lab/s/b.png
printf 'a\nb\n' >lab/classes.txt
printf '0 0.5 0.5 0.5 0.5\n1 0.2 0.2 0.2 0.3\n' >lab/a.txt
printf '1 0.5 0.4 0.6 0.2\n' >lab/s/b.txt
for f in a:24:16 s/b:16:20; do
    n=${f%%:*} r=${f#*:} w=${r%%:*} h=${r#*:}
    LC_ALL=C awk -v w="$w" -v h="$h" 'BEGIN { printf "P5\n%d %d\n255\n", w, h
        for (y = 0; y < h; y++) for (x = 0; x < w; x++) printf "%c", (x > 3 && x < 12 && y > 2 && y < 9) ? 1 : 0 }' >m.pgm
    aug pad --pad 0 m.pgm -o "labm/$n.png"
done
cat >lab.json <<'EOF'
{"images":[{"id":1,"file_name":"a.png","width":24,"height":16},{"id":2,"file_name":"s/b.png","width":16,"height":20}],
"annotations":[{"id":1,"image_id":1,"category_id":1,"bbox":[2,2,8,6],"area":48,"iscrowd":0,"segmentation":[[2,2,10,2,10,8,2,8]]},
{"id":2,"image_id":1,"category_id":2,"bbox":[12,4,6,6],"area":36,"iscrowd":0,"num_keypoints":2,"keypoints":[13,5,2,16,5,2]},
{"id":3,"image_id":2,"category_id":1,"bbox":[1,0,2,20],"area":40,"iscrowd":1,"segmentation":{"size":[20,16],"counts":[20,40,260]}}],
"categories":[{"id":1,"name":"a"},{"id":2,"name":"p","keypoints":["left_hand","right_hand"]}]}
EOF

# inject CASE-NAME ARGS...: run once to count, then fail each allocation.
inject() {
    name=$1
    shift
    rm -rf ref && mkdir ref && cp -r in set lab labm lab.json iris.csv wine.csv ref/
    (cd ref && AUGMENT_COUNT_ALLOC="$T/count" "$FA" "$@" >stdout 2>stderr)
    rc=$?
    n=$(cat "$T/count" 2>/dev/null || echo 0)
    check_eq "$rc" 0 "$name: the run without a failure"
    [ "$n" -gt 10 ] && pass || fail "$name: only $n allocations counted"
    bad=0
    i=1
    while [ $i -le "$n" ]; do
        rm -rf run && mkdir run && cp -r in set lab labm lab.json iris.csv wine.csv run/
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
inject "labels: YOLO and masks" chain 'flip | rotate --angle 20 | crop --size 14' --labels yolo --masks labm --masks-out mo --min-visibility 0.3 -j 1 lab -o out --manifest m.csv
inject "labels: COCO" rotate90 --labels coco --annotations lab.json -n 2 -j 1 lab -o out --manifest m.csv
inject "labels: CutMix" cutmix --labels yolo --masks labm --masks-out mo -j 1 lab -o out --manifest m.csv
finish
