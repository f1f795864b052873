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

# The pictures shown in the README (examples/results/ holds a copy).
mkdir -p "$out/readme"
cp "$out/flip/chelsea.png" "$out/readme/flip.png"
cp "$out/rotate/chelsea.png" "$out/readme/rotate.png"
cp "$out/noise/chelsea.png" "$out/readme/noise.png"
cp "$out/erase/chelsea.png" "$out/readme/erase.png"
cp "$out/chain/chelsea_1.png" "$out/readme/chain.png"
cp "$out/photos_mixup/cat_chelsea.png" "$out/readme/mixup.png"
cp "$out/photos_samplepairing/cat/chelsea.png" "$out/readme/samplepairing.png"
echo "results in $out (README pictures in $out/readme)"
