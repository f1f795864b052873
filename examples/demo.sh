#!/bin/sh
# make demo: run every command on the shipped examples into OUT.
#   examples/demo.sh build/augment examples build/demo
set -eu
aug=$1
ex=$2
out=$3
rm -rf "$out"
mkdir -p "$out"
run() {
    echo "\$ augment $*"
    "$aug" "$@"
}

# Single-image transforms over the whole photo folder (folders in, folders out).
run flip --horizontal "$ex/photos" -o "$out/flip"
run rotate --angle 30 --border reflect101 "$ex/photos" -o "$out/rotate"
run rotate --range -15:15 -n 3 --expand "$ex/photos/chelsea.png" -o "$out/rotate_random" \
    --manifest "$out/rotate_random/manifest.csv"
run noise --type gaussian --sigma 25 "$ex/photos" -o "$out/noise"
run noise --type saltpepper --amount 0.05 "$ex/photos/camera.png" -o "$out/saltpepper.png"
run erase --count 2 --value random --seed 7 "$ex/photos" -o "$out/erase" --manifest "$out/erase.csv"
cat "$out/erase.csv"

# Crops, resizes and warps; colour; the policies (each on one photo, and the
# first two over the whole folder).
cat="$ex/photos/chelsea.png"
run resize --short-side 128 --interp lanczos "$ex/photos" -o "$out/resize"
run random-resized-crop --size 224 -n 4 -s 3 "$ex/photos" -o "$out/rrc" --manifest "$out/rrc.csv"
head -n 3 "$out/rrc.csv"
run crop --size 200x150 --position random -s 2 "$cat" -o "$out/geo/1_crop.png"
run resize --size 300x120 "$cat" -o "$out/geo/2_resize.png"
run random-resized-crop --size 224 -s 3 "$cat" -o "$out/geo/3_random-resized-crop.png"
run pad --pad 60,30 --border reflect "$cat" -o "$out/geo/4_pad.png"
run affine --degrees 25 --translate 0.1,0.1 --scale 0.8:1.1 --shear 10 -s 4 "$cat" -o "$out/geo/5_affine.png"
run perspective --distortion 0.5 -s 5 "$cat" -o "$out/geo/6_perspective.png"
run elastic --alpha 400 --sigma 9 --border reflect101 -s 6 "$cat" -o "$out/geo/7_elastic.png"
run rotate90 -s 7 "$cat" -o "$out/geo/8_rotate90.png"
run color --brightness 0.4 --contrast 0.4 --saturation 0.4 --hue 0.1 -s 1 "$cat" -o "$out/col/01_color.png"
run color --hue 0.3:0.3 "$cat" -o "$out/col/02_hue.png"
run grayscale "$cat" -o "$out/col/03_grayscale.png"
run invert "$cat" -o "$out/col/04_invert.png"
run posterize --bits 2 "$cat" -o "$out/col/05_posterize.png"
run solarize --threshold 128 "$cat" -o "$out/col/06_solarize.png"
run equalize "$cat" -o "$out/col/07_equalize.png"
run autocontrast "$cat" -o "$out/col/08_autocontrast.png"
run sharpness --factor 4 "$cat" -o "$out/col/09_sharpness.png"
run gamma --gamma 2.2 "$cat" -o "$out/col/10_gamma.png"
run blur --sigma 3:3 "$cat" -o "$out/col/11_blur.png"
run blur --type motion --length 21 --angle 30 "$cat" -o "$out/col/12_motion.png"
run randaugment -n 4 -s 8 "$cat" -o "$out/pol/randaugment" --manifest "$out/pol/randaugment.csv"
run trivialaugment -n 2 -s 9 "$cat" -o "$out/pol/trivialaugment"
run autoaugment -n 2 -s 10 "$cat" -o "$out/pol/autoaugment"
tail -n +2 "$out/pol/randaugment.csv" | cut -d, -f4- | tr -d '"'

# The contact sheets of the README, made with libaugment (examples/contact_sheet.c).
lib=$(dirname "$aug")
sheet="$lib/contact_sheet"
# shellcheck disable=SC2086
${CC:-cc} -O2 -I"$ex/../include" -o "$sheet" "$ex/contact_sheet.c" "$lib/libaugment.a" \
    ${LDLIBS:--ldeflate -lturbojpeg -lwebp -ltiff -lm}
"$sheet" "$out/geometric.png" 4 225 150 "$out"/geo/*.png
"$sheet" "$out/colour.png" 4 225 150 "$out"/col/*.png
"$sheet" "$out/policies.png" 4 225 150 "$out"/pol/randaugment/*.png "$out"/pol/trivialaugment/*.png \
    "$out"/pol/autoaugment/*.png

# A chain: several operations on every output with one decode and one
# encode, and the same as a recipe file kept with the data.
run chain 'rotate --range -15:15 --border reflect101 | flip --horizontal --prob 0.5 | noise --sigma 8' \
    -n 4 -s 1 "$ex/photos" -o "$out/chain" --manifest "$out/chain.csv"
head -n 3 "$out/chain.csv"
run chain --recipe "$ex/scale/recipe.txt" -n 2 "$ex/photos" -o "$out/recipe"

# Tables.
run smote "$ex/tables/breast_cancer.csv" -o "$out/breast_cancer_smote.csv" --manifest "$out/smote_manifest.csv"
echo "rows per class after SMOTE:"
tail -n +2 "$out/breast_cancer_smote.csv" | awk -F, '{print $NF}' | sort | uniq -c
run smote --method borderline1 --undersample tomek "$ex/tables/breast_cancer.csv" -o "$out/bc_border_tomek.csv"
run smote "$ex/tables/wine_categorical.csv" -o "$out/wine_smotenc.csv" --manifest "$out/smotenc_manifest.csv"
tail -n 2 "$out/wine_smotenc.csv"
run mixup --alpha 0.2 -n 200 "$ex/tables/wine.csv" -o "$out/wine_mixup.csv"
head -n 3 "$out/wine_mixup.csv" | cut -c1-160

# Image sets (one folder per class).
run mixup --alpha 1.0 -n 2 "$ex/digits" -o "$out/digits_mixup" --manifest "$out/digits_mixup.csv"
head -n 4 "$out/digits_mixup/labels.csv"
run samplepairing -n 2 "$ex/digits" -o "$out/digits_samplepairing"

# The same on photos, as a class-per-folder set of four "classes" of different
# sizes and channel counts (the partner is resized to the first image's size).
mkdir -p "$out/set/cat" "$out/set/cup" "$out/set/rocket" "$out/set/camera"
cp "$ex/photos/chelsea.png" "$out/set/cat/"
cp "$ex/photos/coffee.png" "$out/set/cup/"
cp "$ex/photos/rocket.jpg" "$out/set/rocket/"
cp "$ex/photos/camera.png" "$out/set/camera/"
run mixup --alpha 1.0 --format png "$out/set" -o "$out/photos_mixup" --manifest "$out/photos_mixup.csv"
cat "$out/photos_mixup/labels.csv"
run samplepairing --format png "$out/set" -o "$out/photos_samplepairing" --manifest "$out/photos_samplepairing.csv"
run cutmix --alpha 1.0 --format png -s 2 "$out/set" -o "$out/photos_cutmix" --manifest "$out/photos_cutmix.csv"
cat "$out/photos_cutmix.csv"
cat "$out/photos_cutmix/labels.csv"

# Labels that move with the image: a small labelled set made here from two
# of the photos (boxes placed by hand: eyes and nose of the cat, the cup and
# its saucer; YOLO text), masks drawn from those boxes' ellipses by
# examples/label_view.c, then a chain that flips, rotates and crops with
# the boxes and masks following. label_view draws both, before and after.
view="$lib/label_view"
# shellcheck disable=SC2086
${CC:-cc} -O2 -I"$ex/../include" -o "$view" "$ex/label_view.c" "$lib/libaugment.a" \
    ${LDLIBS:--ldeflate -lturbojpeg -lwebp -ltiff -lm}
lab="$out/labelled"
mkdir -p "$lab/photos" "$lab/masks" "$lab/view"
cp "$ex/photos/chelsea.png" "$ex/photos/coffee.png" "$lab/photos/"
printf 'eye\nnose\ncup\nsaucer\n' >"$lab/photos/classes.txt"
printf '0 0.38248 0.38333 0.16630 0.22\n0 0.70510 0.45167 0.11086 0.18333\n1 0.58426 0.81667 0.13969 0.15333\n' \
    >"$lab/photos/chelsea.txt"
printf '3 0.46333 0.5725 0.67333 0.795\n2 0.485 0.40375 0.39667 0.7175\n' >"$lab/photos/coffee.txt"
for p in chelsea coffee; do
    "$view" mask "$lab/photos/$p.png" "$lab/photos/$p.txt" "$lab/masks/$p.png"
done
run chain 'flip | rotate --range -25:25 | random-resized-crop --size 360x240 --scale 0.5:0.9' -s 4 \
    --labels yolo --box-method ellipse --masks "$lab/masks" --masks-out "$lab/out_masks" --min-visibility 0.3 \
    "$lab/photos" -o "$lab/out" --manifest "$lab/out.csv"
cat "$lab/out.csv"
for p in chelsea coffee; do
    "$view" draw "$lab/photos/$p.png" "$lab/photos/$p.txt" "$lab/masks/$p.png" "$lab/view/${p}_0before.png"
    "$view" draw "$lab/out/$p.png" "$lab/out/$p.txt" "$lab/out_masks/$p.png" "$lab/view/${p}_1after.png"
done
"$sheet" "$out/labels.png" 2 300 200 "$lab"/view/*.png

# The pictures shown in the README (examples/results/ holds a copy).
mkdir -p "$out/readme"
cp "$out/flip/chelsea.png" "$out/readme/flip.png"
cp "$out/rotate/chelsea.png" "$out/readme/rotate.png"
cp "$out/noise/chelsea.png" "$out/readme/noise.png"
cp "$out/erase/chelsea.png" "$out/readme/erase.png"
cp "$out/chain/chelsea_1.png" "$out/readme/chain.png"
cp "$out/photos_mixup/cat_chelsea.png" "$out/readme/mixup.png"
cp "$out/photos_samplepairing/cat/chelsea.png" "$out/readme/samplepairing.png"
cp "$out/photos_cutmix/cat_chelsea.png" "$out/readme/cutmix.png"
cp "$out/geometric.png" "$out/colour.png" "$out/policies.png" "$out/labels.png" "$out/readme/"
echo "results in $out (README pictures in $out/readme)"
