#!/bin/sh
# --dry-run prints the manifest the run would write, from image headers
# only, and writes nothing else: its rows equal the real run's, byte for
# byte, for every command. --include-original writes each input unchanged
# beside its copies.
. "$(dirname "$0")/lib/common.sh"

mkdir -p in/sub set/a set/b
cp "$CAT" in/cat.png
cp "$DATA/img/cat.jpg" in/cat.jpg
cp "$EDGE/gray_alpha.png" in/sub/ga.png
cp "$EDGE/rgba_odd_size.png" in/sub/rgba.png
cp "$DATA"/digits/0/* set/a/
cp "$DATA"/digits/1/* set/b/
cp "$CAT" set/b/cat.png

# real ARGS / dry ARGS: the same command line; -o out, --manifest m.csv
same_manifest() { # WHAT ARGS...
    what=$1
    shift
    rm -rf real dry
    mkdir real dry
    (cd real && aug "$@" -o out --manifest m.csv 2>err.txt)
    (cd dry && aug "$@" -o out --dry-run >stdout.csv 2>err.txt)
    (cd dry && aug "$@" -o out --dry-run --manifest m.csv 2>>err.txt)
    if [ -s real/m.csv ] && cmp -s real/m.csv dry/stdout.csv; then pass; else
        fail "$what: the dry run's manifest (stdout) is not the real run's"
        diff real/m.csv dry/stdout.csv | head -4 | sed 's/^/    /'
    fi
    check_same real/m.csv dry/m.csv "$what: the dry run's --manifest"
    check_absent dry/out "$what: a dry run writes no output"
    check_eq "$(ls dry | tr '\n' ' ')" "err.txt m.csv stdout.csv " "$what: nothing else written"
}
same_manifest "flip" flip --random -n 3 ../in
same_manifest "rotate" rotate --range -30:30 --expand -n 2 ../in
same_manifest "noise" noise --sigma 2:20 --prob 0.5 -n 3 ../in
same_manifest "erase" erase --count 3 --value random -n 2 ../in
same_manifest "chain" chain 'rotate --range -9:9 | one-of { flip | noise --sigma 4 } | some-of 1:2 { erase | flip --vertical }' -n 3 ../in
same_manifest "--include-original" rotate --range -5:5 -n 2 --include-original ../in
same_manifest "mixup (images)" mixup --alpha 1 -n 2 ../set
same_manifest "samplepairing" samplepairing -n 2 ../set
same_manifest "cutmix" cutmix -n 2 ../set
same_manifest "cutmix --include-original" cutmix -n 2 --include-original ../set
same_manifest "a chain that changes the size" chain 'random-resized-crop --size 20x14 | rotate90 | crop --size 9 --position random | affine --degrees 20 --translate 0.2,0.2' -n 3 ../in
same_manifest "randaugment" randaugment --ops 3 -n 3 ../in
same_manifest "smote" smote "$DATA/wine.csv"
same_manifest "mixup (table)" mixup -n 50 "$DATA/wine.csv"
# headers only: a PNG cut after its header is listed by the dry run, and
# fails in the real run when its pixels are decoded
cp "$EDGE/astronaut_truncated.png" in/cut.png
run flip --dry-run in/cut.png -o cut_out.png
check_rc 0 "a dry run reads headers only"
run flip in/cut.png -o cut_out.png
check_rc 1 "the real run decodes the pixels"
rm in/cut.png

# --include-original
run rotate --range -5:5 -n 2 --include-original --manifest inc.csv in -o inc
check_rc 0 "--include-original"
for f in cat.png cat.jpg sub/ga.png sub/rgba.png; do
    check_same "inc/$f" "in/$f" "the original $f is the input's bytes"
done
for f in cat_0.png cat_1.png cat_0.jpg sub/ga_1.png; do check_file "inc/$f" "copies are named _k"; done
check_eq "$(grep -c ',original,0,copy$' inc.csv)" 4 "one 'original' row per input, its path a copy"
check_eq "$(tail -n +2 inc.csv | wc -l | tr -d ' ')" 12 "rows: 4 inputs x (2 copies + the original)"
run rotate --range -5:5 --include-original in/cat.png -o inc1
check_rc 0 "--include-original with one copy"
check_same inc1/cat.png in/cat.png "one copy: the original keeps the name"
check_file inc1/cat_0.png "one copy: the copy is cat_0"
run rotate --angle 5 --include-original --format bmp in/cat.png -o incbmp
check_eq "$(magic incbmp/cat.bmp 2)" 424d "another --format: the original is converted"
usage "the original too" rotate --angle 5 --include-original in/cat.png -o one.png
# an original that would be another input's copy: x_1.png is copy 1 of x.png
mkdir -p clash
cp "$CAT" clash/x.png
cp "$CAT" clash/x_1.png
usage "would both write" flip -n 2 --include-original clash -o u
check_absent u "nothing written"
# image sets: the originals with one-hot labels
run mixup --alpha 1 -n 2 --include-original set -o mix --manifest mix.csv
check_rc 0 "mixup --include-original"
check_same mix/b_cat.png set/b/cat.png "mixup: the original is the input's bytes, named as flat"
check_eq "$(grep '^b_cat.png,' mix/labels.csv)" "b_cat.png,0,1" "mixup: the original's one-hot label"
grep -q '^mix/b_cat.png,set/b/cat.png,,1$' mix.csv && pass || fail "mixup: the original's manifest row"
run samplepairing --include-original set -o sp
check_same sp/b/cat.png set/b/cat.png "samplepairing: the original in its class folder"
check_file sp/b/cat_0.png "samplepairing: the pair is cat_0"
run cutmix -n 2 --include-original set -o cm --manifest cm.csv
check_rc 0 "cutmix --include-original"
check_same cm/b_cat.png set/b/cat.png "cutmix: the original is the input's bytes, named as flat"
check_eq "$(grep '^b_cat.png,' cm/labels.csv)" "b_cat.png,0,1" "cutmix: the original's one-hot label"
grep -q '^cm/b_cat.png,set/b/cat.png,,1,$' cm.csv && pass || fail "cutmix: the original's manifest row"
finish
