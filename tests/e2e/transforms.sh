#!/bin/sh
# The image commands' own options and exact properties that show in the
# bytes: flips and multiples of 90 degrees are permutations, so composing
# them must give byte-identical PNGs (same pixels, same encoder). Pixel-level
# checks live in tests/unit/test_cli_images.c.
. "$(dirname "$0")/lib/common.sh"

# 1, 2, 3 and 4 channels, all of odd or non-square size
A() { # COMMAND ARGS...: quietly (gray16.png would print its 16-bit note)
    sub=$1
    shift
    aug "$sub" -q "$@" 2>>"$T/quiet_err"
}
# 64x48 grey: gray16.png mirrored at 8 bits (its own flips would stay 16-bit)
A flip --reencode "$EDGE/gray16.png" -o c1.png
cp "$EDGE/gray_alpha.png" c2.png # 31x17 grey+alpha
cp "$CAT" c3.png # 64x43 RGB
cp "$EDGE/rgba_odd_size.png" c4.png # 53x37 RGBA
for c in 1 2 3 4; do
    x=c$c.png
    A flip "$x" -o "h$c.png"
    A flip "h$c.png" -o "id$c.png"
    A flip --vertical "$x" -o "v$c.png"
    A flip --both "$x" -o "b$c.png"
    check_differ "h$c.png" "id$c.png" "$c channels: a flip changes the image"
    A flip --vertical "v$c.png" -o "vv$c.png"
    check_same "vv$c.png" "id$c.png" "$c channels: vertical twice is the identity"
    A flip --vertical "h$c.png" -o "hv$c.png"
    check_same "hv$c.png" "b$c.png" "$c channels: horizontal then vertical is --both"
    for interp in nearest bilinear bicubic; do
        A rotate --angle 180 --interp $interp "$x" -o "r180$c$interp.png"
        check_same "r180$c$interp.png" "b$c.png" "$c channels: rotate 180 ($interp) is flip --both"
    done
    A rotate --angle 0 "$x" -o "r0$c.png"
    check_same "r0$c.png" "id$c.png" "$c channels: rotate 0 is the identity"
    A rotate --angle -360 "$x" -o "r360$c.png"
    check_same "r360$c.png" "id$c.png" "$c channels: rotate -360 is the identity"
    A rotate --angle 90 --expand "$x" -o "r90$c.png"
    A rotate --angle 90 --expand "r90$c.png" -o "r90x2$c.png"
    check_same "r90x2$c.png" "b$c.png" "$c channels: 2 x 90 --expand is flip --both"
    A rotate --angle 90 --expand "r90x2$c.png" -o "r90x3$c.png"
    A rotate --angle 90 --expand "r90x3$c.png" -o "r90x4$c.png"
    check_same "r90x4$c.png" "id$c.png" "$c channels: 4 x 90 --expand is the identity"
    A rotate --angle -90 --expand "r90$c.png" -o "r90back$c.png"
    check_same "r90back$c.png" "id$c.png" "$c channels: 90 then -90 is the identity"
    A rotate --angle 270 --expand "$x" -o "r270$c.png"
    check_same "r270$c.png" "r90x3$c.png" "$c channels: 270 is 3 x 90"
    # 90 degrees swaps width and height: the PNG header says so
    w=$(od -An -tu1 -j16 -N8 "id$c.png" | awk '{print $3 * 256 + $4, $7 * 256 + $8}')
    w90=$(od -An -tu1 -j16 -N8 "r90$c.png" | awk '{print $7 * 256 + $8, $3 * 256 + $4}')
    check_eq "$w90" "$w" "$c channels: 90 --expand gives HxW"
done
check_eq "$(cat "$T/quiet_err")" "" "no messages from the runs above"
# a square image: 90 without --expand loses nothing
A rotate --angle 90 "$EDGE/camera.pgm" -o sq90.png
A rotate --angle 90 --expand "$EDGE/camera.pgm" -o sq90x.png
check_same sq90.png sq90x.png "square image: 90 with and without --expand"

# ---- flip options ----
usage "--horizontal" flip --both --random "$CAT" -o u.png
usage "--vertical" flip --vertical --vertical "$CAT" -o u.png
usage "unknown option" flip --angle 90 "$CAT" -o u.png

# ---- rotate options ----
usage "--angle" rotate "$CAT" -o u.png
usage "--range" rotate --angle 5 --range 0:10 "$CAT" -o u.png
usage "--range" rotate --range 10:5 "$CAT" -o u.png
usage "--range" rotate --range 1:x "$CAT" -o u.png
usage "--angle" rotate --angle ten "$CAT" -o u.png
usage "bicubic" rotate --angle 5 --interp lanczos "$CAT" -o u.png
usage "reflect101" rotate --angle 5 --border mirror "$CAT" -o u.png
usage "--fill" rotate --angle 5 --border reflect --fill 255 "$CAT" -o u.png
usage "--fill" rotate --angle 5 --fill 1,2 "$CAT" -o u.png
usage "--fill" rotate --angle 5 --fill 256 "$CAT" -o u.png
check_absent u.png "usage errors write nothing"
for border in constant replicate reflect reflect101 wrap; do
    run rotate --angle 30 --border $border "$CAT" -o "border_$border.png"
    check_rc 0 "--border $border"
done
check_differ border_constant.png border_replicate.png "border modes differ"
check_differ border_reflect.png border_wrap.png "border modes differ"
run rotate --angle 30 --fill 255,0,0 "$CAT" -o fill_red.png
check_differ fill_red.png border_constant.png "--fill changes the uncovered area"
run rotate --angle 30 --fill 0 "$CAT" -o fill_zero.png
check_same fill_zero.png border_constant.png "the default fill is 0"
run rotate --range 12.5:12.5 "$CAT" -o range_fixed.png
run rotate --angle 12.5 "$CAT" -o angle_fixed.png
check_same range_fixed.png angle_fixed.png "--range A:A is --angle A"
run rotate --angle 30 --expand "$CAT" -o expand30.png
w=$(od -An -tu1 -j16 -N8 expand30.png | awk '{print $3 * 256 + $4, $7 * 256 + $8}')
[ "${w% *}" -gt 64 ] && [ "${w#* }" -gt 43 ] && pass || fail "--expand at 30 degrees gives $w, expected larger than 64x43"

# ---- noise options ----
usage "--sigma" noise --type saltpepper --sigma 5 "$CAT" -o u.png
usage "--sigma" noise --type poisson --sigma 5 "$CAT" -o u.png
usage "--amount" noise --amount 0.1 "$CAT" -o u.png
usage "--salt-ratio" noise --type speckle --salt-ratio 0.1 "$CAT" -o u.png
usage "--scale" noise --type uniform --scale 2 "$CAT" -o u.png
usage "poisson" noise --type pink "$CAT" -o u.png
usage "--sigma" noise --sigma -1 "$CAT" -o u.png
usage "--amount" noise --type saltpepper --amount 1.5 "$CAT" -o u.png
usage "--scale" noise --type poisson --scale 0 "$CAT" -o u.png
for type in gaussian uniform saltpepper speckle poisson; do
    run noise --type $type "$CAT" -o "noise_$type.png"
    check_rc 0 "noise --type $type"
    check_differ "noise_$type.png" id3.png "noise --type $type changes the image"
done
check_same noise_gaussian.png "$(aug noise "$CAT" -o noise_default.png && echo noise_default.png)" \
    "the default noise type is gaussian"
run noise --sigma 0 "$CAT" -o sigma0.png
check_same sigma0.png id3.png "gaussian noise with sigma 0 is the identity"
run noise --type saltpepper --amount 0 "$CAT" -o amount0.png
check_same amount0.png id3.png "salt-and-pepper with amount 0 is the identity"
run noise --per-channel "$CAT" -o perchan.png
check_differ perchan.png noise_gaussian.png "--per-channel draws differently"

# ---- erase options ----
usage "--scale" erase --scale 0:0.5 "$CAT" -o u.png
usage "--scale" erase --scale 0.5:2 "$CAT" -o u.png
usage "--ratio" erase --ratio 0:1 "$CAT" -o u.png
usage "--value" erase --value 1,2 "$CAT" -o u.png
usage "--value" erase --value white "$CAT" -o u.png
usage "--count" erase --count 0 "$CAT" -o u.png
usage "--attempts" erase --attempts 0 "$CAT" -o u.png
# area 0.1 * 64 * 43 = 275.2, aspect 1: a 17x17 square inside the image
run erase --scale 0.1:0.1 --ratio 1:1 --manifest e1.csv -n 5 "$CAT" -o e1
check_rc 0 "erase a fixed-size square"
bad=$(tail -n +2 e1.csv | sed 's/.*"rect=\([0-9,]*\)".*/\1/' |
    awk -F, '$3 != 17 || $4 != 17 || $1 < 0 || $2 < 0 || $1 + $3 > 64 || $2 + $4 > 43')
check_eq "$bad" "" "erase: 17x17 rectangles inside the 64x43 image"
# a square of the whole area never fits: the image is left as it is
run erase --scale 1:1 --ratio 1:1 --manifest e2.csv "$CAT" -o e2.png
check_rc 0 "erase that cannot fit"
check_same e2.png id3.png "erase that cannot fit leaves the image"
grep -q '"rect=0,0,0,0"' e2.csv && pass || fail "erase that cannot fit records rect=0,0,0,0: $(tail -n 1 e2.csv)"
run erase --count 3 --manifest e3.csv "$CAT" -o e3.png
check_eq "$(grep -o 'rect=' e3.csv | wc -l | tr -d ' ')" 3 "--count 3 records 3 rectangles"
for v in 0 10,20,30 random mean; do
    run erase --value $v "$CAT" -o "value_$v.png"
    check_rc 0 "erase --value $v"
    check_differ "value_$v.png" id3.png "erase --value $v changes the image"
done

# ---- same seed, same bytes; another seed, other bytes (every command) ----
mkdir -p set/a set/b
cp "$DATA"/digits/0/0000.png "$DATA"/digits/0/0010.png set/a/
cp "$DATA"/digits/1/0001.png "$DATA"/digits/1/0011.png set/b/
for args in "flip --random" "rotate --range -30:30" "noise --type poisson" \
    "noise --type saltpepper" "erase --value random" "mixup" "samplepairing --weight 0.3"; do
    tag=$(echo "$args" | tr -c 'a-z0-9\n' _)
    # shellcheck disable=SC2086 # the flags are meant to split
    if [ "${args%% *}" = mixup ] || [ "${args%% *}" = samplepairing ]; then
        input=set
    else
        input=$CAT
    fi
    aug $args -n 6 --seed 11 "$input" -o "s1_$tag" 2>/dev/null
    aug $args -n 6 --seed 11 "$input" -o "s2_$tag" 2>/dev/null
    aug $args -n 6 --seed 12 "$input" -o "s3_$tag" 2>/dev/null
    if [ -d "s1_$tag" ] && diff -r "s1_$tag" "s2_$tag" >/dev/null; then
        pass
    else
        fail "$args: the same seed does not give the same bytes"
    fi
    if [ -d "s3_$tag" ] && ! diff -r "s1_$tag" "s3_$tag" >/dev/null; then
        pass
    else
        fail "$args: seeds 11 and 12 give the same bytes"
    fi
done

# ---- mixup and samplepairing on image sets: usage ----
usage "--append" mixup --append set -o u
usage "tables" mixup --label 0 set -o u
usage "--weight" samplepairing --weight 1.5 set -o u
usage "folder" samplepairing set set -o u
usage "folder" samplepairing set -o -
check_absent u "usage errors write nothing"
usage "folder" samplepairing "$CAT" -o u
check_absent u "a file given as the image set: no output folder created"
mkdir -p noclass/a
cp "$CAT" noclass/loose.png
cp "$CAT" noclass/a/x.png
run mixup noclass -o noclass_out
check_rc 1 "mixup with an image outside a class folder"
check_err "loose.png" "the image outside a class folder is named"
check_no_temp "$T" "every run of this script"

finish
