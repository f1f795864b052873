#!/bin/sh
# The crops, resizes, warps, colour operations, policies and CutMix from
# the command line: refusals name the flag and its range, a window that
# does not fit fails that image alone, outputs keep what their geometry
# says (sizes, grey stays grey), and CutMix's manifest, labels and pixels
# agree with each other (checked with crop, itself tested exactly).
. "$(dirname "$0")/lib/common.sh"

# ---- refusals: exit 2, the flag and what it accepts, nothing written ----
usage "--size: '0x4' is not WxH or S with sides 1..1048576" crop --size 0x4 "$CAT" -o u.png
usage "give the window's size" crop "$CAT" -o u.png
usage "--border and --fill apply with --pad-if-needed only" crop --size 9 --fill 3 "$CAT" -o u.png
usage "give exactly one of --size WxH, --scale F, --short-side S, --long-side S" resize "$CAT" -o u.png
usage "--interp: 'cubic' is not one of nearest, bilinear, bicubic, area, lanczos" resize --size 9 --interp cubic "$CAT" -o u.png
usage "--scale: '0:1' is not V or LO:HI with 0 < LO <= HI <= 1" random-resized-crop --size 8 --scale 0:1 "$CAT" -o u.png
usage "--pad: '-1' is not N, H,V or L,T,R,B" pad --pad -1 "$CAT" -o u.png
usage "--degrees: '400' is not V (meaning -V:V) or LO:HI with -360 <= LO <= HI <= 360" affine --degrees 400 "$CAT" -o u.png
usage "--distortion: '1.5' is not a number in [0, 1]" perspective --distortion 1.5 "$CAT" -o u.png
usage "--angles: '30' is not a list of distinct angles among 0, 90, 180, 270" rotate90 --angles 30 "$CAT" -o u.png
usage "--hue: '0.6' is not V (0 <= V <= 0.5, meaning -V:V)" color --hue 0.6 "$CAT" -o u.png
usage "--bits: '9' is not V or LO:HI with 0 <= LO <= HI <= 8" posterize --bits 9 "$CAT" -o u.png
usage "--kernel: odd whole numbers 1..255" blur --type median --kernel 4 "$CAT" -o u.png
usage "--magnitude 31: must be below --bins (31), 0..30" randaugment --magnitude 31 "$CAT" -o u.png
usage "--alpha: '0' is not a number in [0.001, 1000]" cutmix --alpha 0 "$DATA/digits" -o u
check_absent u.png "a refused command writes nothing"

# ---- a window larger than one image fails that image, by name ----
mkdir -p in
cp "$CAT" in/cat.png                      # 64x43
cp "$EDGE/gray_alpha.png" in/ga.png       # 31x17
run crop --size 40x20 in -o cropped
check_rc 1 "a crop larger than one of the images"
check_err "in/ga.png: crop: the 40x20 window is larger than the 31x17 image (--pad-if-needed pads it)" "the failure names the image and the fix"
check_file cropped/cat.png "the images it fits are still written"
run crop --size 40x20 --pad-if-needed in -o padded
check_rc 0 "--pad-if-needed pads instead"

# ---- sizes and channels as the geometry says ----
run resize --short-side 20 "$CAT" -o r.png
check_rc 0 "resize --short-side"
check_eq "$(magic r.png 24 | cut -c33-48)" "0000001d00000014" "64x43 with a short side of 20 is int(20 * 64 / 43) = 29 x 20"
run rotate90 --angles 90 "$CAT" -o q.png
check_eq "$(magic q.png 24 | cut -c33-48)" "0000002b00000040" "a quarter turn swaps the sides"
run grayscale in/cat.png -o g.png
check_eq "$(magic g.png 26 | cut -c51-52)" "00" "grayscale writes a grey PNG (colour type 0)"
run grayscale in/ga.png -o ga.png
check_eq "$(magic ga.png 26 | cut -c51-52)" "04" "grey with alpha stays grey with alpha (colour type 4)"
run color --saturation 0.5 --hue 0.2 in/ga.png -o gs.png
aug crop --size 31x17 in/ga.png -o ga0.png 2>/dev/null
check_same gs.png ga0.png "saturation and hue leave a grey image's pixels as they are"
# identities are the input's pixels (written again as PNG, compared through a copy)
aug crop --size 64x43 "$CAT" -o c0.png 2>/dev/null
for op in "resize --size 64x43" "color --brightness 1:1" "solarize --threshold 256" "posterize --bits 8" "randaugment --ops 0"; do
    # shellcheck disable=SC2086
    aug $op "$CAT" -o id.png 2>/dev/null
    check_same id.png c0.png "'$op' leaves the pixels as they are"
done

# ---- CutMix: manifest, labels and pixels agree ----
mkdir -p set/a set/b
cp "$DATA"/digits/0/000*.png set/a/
cp "$DATA"/digits/1/000*.png set/b/
run cutmix -n 3 -s 4 set -o cm --manifest cm.csv
check_rc 0 "cutmix on an image set"
check_eq "$(head -n 1 cm.csv)" "output,input_a,input_b,lambda,box" "the manifest's columns"
check_eq "$(tail -n +2 cm.csv | wc -l | tr -d ' ')" "$(($(ls set/a set/b | grep -c png) * 3))" "one row per output"
check_file cm/labels.csv "labels.csv beside the outputs"
# lambda is 1 - w h / (8 * 8) for the digits' 8x8 images, and the label of A's class
bad=$(tail -n +2 cm.csv | tr -d '"' | awk -F, '{ want = 1 - $7 * $8 / 64; if ($4 + 0 != want) print $1 }')
check_eq "$bad" "" "lambda is the share of A's pixels left"
# (a loop over a file, not a pipe: a pipe would run it in a subshell,
# where the checks' counts are lost)
tail -n +2 cm.csv | tr -d '"' >rows.txt
while IFS=, read -r out a b lam x y w h; do
    f=$(basename "$out")
    ca=$(basename "$(dirname "$a")")
    col=$([ "$ca" = a ] && echo 2 || echo 3)
    got=$(awk -F, -v f="$f" -v c="$col" '$1 == f { print $c }' cm/labels.csv)
    [ "$(awk -v g="$got" -v l="$lam" -v same="$([ "$ca" = "$(basename "$(dirname "$b")")" ] && echo 1 || echo 0)" \
        'BEGIN { print (same ? (g == 1) : (g == l)) ? "ok" : "bad" }')" = ok ] && pass ||
        fail "$f: A's label weight $got, lambda $lam"
    # inside the box the output is B, and a column outside it is A's
    if [ "$w" -gt 0 ] && [ "$h" -gt 0 ]; then
        aug crop --size "${w}x$h" --position "$x,$y" "$out" -o in_out.png 2>/dev/null
        aug crop --size "${w}x$h" --position "$x,$y" "$b" -o in_b.png 2>/dev/null
        check_same in_out.png in_b.png "$f: the box is B's pixels"
    fi
    if [ "$w" -lt 8 ]; then
        cx=$([ "$x" -gt 0 ] && echo 0 || echo 7)
        aug crop --size 1x8 --position "$cx,0" "$out" -o col_out.png 2>/dev/null
        aug crop --size 1x8 --position "$cx,0" "$a" -o col_a.png 2>/dev/null
        check_same col_out.png col_a.png "$f: outside the box is A's pixels"
    fi
done <rows.txt
finish
