#!/bin/sh
# Formats in and out, and broken files: tests/data/edge holds the loader
# edge cases (palette, 16-bit, grey+alpha, odd sizes, 1x1, BMP/TGA/PGM/PPM,
# GIF, progressive and grey JPEG) and four broken files.
. "$(dirname "$0")/lib/common.sh"

BROKEN="astronaut_truncated.png empty.jpg not_an_image.png truncated.jpg"
# input name -> expected output name (unwritable formats become .png)
VALID="camera.pgm:camera.png chelsea.bmp:chelsea.bmp chelsea.tga:chelsea.tga
chessboard_GRAY.png:chessboard_GRAY.png coffee.ppm:coffee.png
foo3x5x4indexed.png:foo3x5x4indexed.png gray16.png:gray16.png
gray_alpha.png:gray_alpha.png green_palette.png:green_palette.png
one_pixel.png:one_pixel.png palette_color.png:palette_color.png
rgba_odd_size.png:rgba_odd_size.png rocket_gray.jpg:rocket_gray.jpg
rocket_progressive.jpg:rocket_progressive.jpg two_frames.gif:two_frames.png"
nvalid=$(echo $VALID | wc -w | tr -d ' ')
nall=$((nvalid + 4))

# ---- the whole edge folder in one run ----
run flip "$EDGE" -o edge_out
check_rc 1 "edge folder: broken files make the run exit 1"
for b in $BROKEN; do
    check_eq "$(grep -c "$b" "$T/stderr")" 1 "exactly one error line names $b"
    check_absent "edge_out/$b" "no output for the broken $b"
    check_absent "edge_out/${b%.*}.png" "no output for the broken $b"
done
for pair in $VALID; do
    check_file "edge_out/${pair#*:}" "valid ${pair%%:*} gives an output"
done
check_eq "$(find edge_out -type f | wc -l | tr -d ' ')" "$nvalid" "one output per valid input"
check_err "4 of $nall inputs failed" "summary line"
# a flip keeps a 16-bit PNG at 16 bits (its samples moved, not reduced): no note
check_eq "$(grep -c 'gray16.png' "$T/stderr")" 0 "no note for the 16-bit PNG flipped at full depth"
check_eq "$(od -An -tu1 -j24 -N1 edge_out/gray16.png | tr -d ' ')" 16 "the flipped gray16.png is 16-bit"
# errors + summary, nothing else
check_err_lines 5 "edge folder stderr"
check_no_temp edge_out "a run with broken inputs"

# -q keeps the errors and the summary, drops the note
run flip -q "$EDGE" -o edge_quiet
check_rc 1 "edge folder with -q"
check_err_lines 5 "edge folder with -q: errors and summary only"

# each broken file on its own: exit 1, one line naming it, nothing written
for b in $BROKEN; do
    run flip "$EDGE/$b" -o "alone_$b.png"
    check_rc 1 "broken $b alone"
    check_eq "$(grep -c "$b" "$T/stderr")" 1 "broken $b alone: one line names it"
    check_absent "alone_$b.png" "broken $b alone: no output"
done
check_no_temp "$T" "broken inputs alone"

# and a broken file never stops the others, whatever the order
run rotate --angle 90 "$EDGE/empty.jpg" "$CAT" "$EDGE/not_an_image.png" -o order_out
check_rc 1 "broken files around a good one"
check_file order_out/cat.png "the good file between broken ones"

# ---- output formats: extension or --format, magic bytes ----
for fmt in png jpg bmp tga; do
    run flip "$CAT" -o "ext.$fmt"
    check_rc 0 "-o ext.$fmt"
    run flip --format "$fmt" "$CAT" -o fmtdir/
    check_rc 0 "--format $fmt"
    check_file "fmtdir/cat.$fmt" "--format $fmt names the output .$fmt"
    check_same "ext.$fmt" "fmtdir/cat.$fmt" "the extension and --format $fmt agree"
done
run flip --format jpeg "$CAT" -o jpegdir/
check_file jpegdir/cat.jpg "--format jpeg writes .jpg"
check_eq "$(magic ext.png 8)" 89504e470d0a1a0a "PNG signature"
check_eq "$(magic ext.jpg 3)" ffd8ff "JPEG signature"
check_eq "$(magic ext.bmp 2)" 424d "BMP signature"
# TGA has no signature: uncompressed or RLE true-colour (type 2 or 10)
tgatype=$(od -An -tu1 -j2 -N1 ext.tga | tr -d ' ')
case $tgatype in 2 | 10) pass ;; *) fail "TGA image type byte is $tgatype, expected 2 or 10" ;; esac
cp ext.jpg UPPER.JPG
run flip UPPER.JPG -o upper_out/
check_file upper_out/UPPER.JPG "an upper-case .JPG is read and its extension kept"

# ---- lossless round trips through BMP and TGA ----
# flip(flip(x)) written as PNG must be the same bytes whichever lossless
# format held the intermediate image. (BMP holds grey as RGB, so grey
# inputs are checked through TGA only; the C tests check BMP's values.)
for f in "$CAT" "$EDGE/rgba_odd_size.png" "$EDGE/gray_alpha.png" "$EDGE/chessboard_GRAY.png"; do
    b=$(basename "$f" .png)
    aug flip "$f" -o "rt_$b.png" 2>/dev/null
    aug flip "rt_$b.png" -o "ref_$b.png" 2>/dev/null
    for fmt in tga bmp; do
        case $fmt$b in bmpgray_alpha | bmpchessboard_GRAY) continue ;; esac
        aug flip "$f" -o "rt_$b.$fmt" 2>/dev/null
        aug flip "rt_$b.$fmt" -o "back_$b.$fmt.png" 2>/dev/null
        check_same "back_$b.$fmt.png" "ref_$b.png" "$b through $fmt is lossless"
    done
done

# ---- JPEG quality ----
aug flip "$CAT" -o q_default.jpg 2>/dev/null
aug flip --quality 95 "$CAT" -o q95.jpg 2>/dev/null
aug flip --quality 10 "$CAT" -o q10.jpg 2>/dev/null
check_same q_default.jpg q95.jpg "the default JPEG quality is 95"
s10=$(wc -c <q10.jpg 2>/dev/null || echo 0)
s95=$(wc -c <q95.jpg 2>/dev/null || echo 0)
[ "$s10" -gt 0 ] && [ "$s10" -lt "$s95" ] && pass || fail "--quality 10 ($s10 bytes) is not smaller than 95 ($s95 bytes)"

# ---- PGM/PPM written here by hand, read and re-encoded ----
# A 3x2 PPM flipped horizontally equals the PPM with its columns swapped,
# written by hand too: same pixels, so the same PNG bytes.
printf 'P6\n3 2\n255\n\001\002\003\004\005\006\007\010\011\012\013\014\015\016\017\020\021\022' >in.ppm
printf 'P6\n3 2\n255\n\007\010\011\004\005\006\001\002\003\020\021\022\015\016\017\012\013\014' >mirrored.ppm
run flip in.ppm -o in_flipped.png
check_rc 0 "a hand-made PPM"
run flip --prob 0 mirrored.ppm -o mirrored.png
check_rc 0 "--prob 0 on a PPM converts it"
check_same in_flipped.png mirrored.png "PPM read and flipped exactly"
printf 'P5\n2 3\n255\n\000\377\100\200\001\002' >in.pgm
printf 'P5\n2 3\n255\n\001\002\100\200\000\377' >vmirrored.pgm
run flip --vertical in.pgm -o in_vflipped.png
run flip --prob 0 vmirrored.pgm -o vmirrored.png
check_same in_vflipped.png vmirrored.png "PGM read and flipped exactly"
printf 'P6\n3 2\n255\n\001\002' >short.ppm
run flip short.ppm -o short.png
check_rc 1 "a truncated PPM"
check_err "short.ppm" "a truncated PPM is named"
check_absent short.png "no output for a truncated PPM"

# ---- WebP and TIFF ----
for ch in 1 2 3 4; do
    case $ch in 1) src=$EDGE/gray16.png ;; 2) src=$EDGE/gray_alpha.png ;; 3) src=$CAT ;; 4) src=$EDGE/rgba_odd_size.png ;; esac
    # the reference goes through our PNG encoder too (a lossless TGA between)
    aug flip -q --prob 0 --format tga "$src" -o "ref$ch.tga"
    aug flip -q --prob 0 --format png "ref$ch.tga" -o "ref$ch.png"
    aug flip -q --prob 0 --format tif "$src" -o "t$ch.tif"
    check_eq "$(magic "t$ch.tif" 4)" 49492a00 "$ch channels: a TIFF is written (II*)"
    aug flip -q --prob 0 --format png "t$ch.tif" -o "t$ch.png"
    check_same "t$ch.png" "ref$ch.png" "$ch channels: TIFF in and out is lossless"
    aug flip -q --prob 0 --format webp --lossless "$src" -o "w$ch.webp"
    check_eq "$(head -c 4 "w$ch.webp")$(od -An -c -j8 -N4 "w$ch.webp" | tr -d ' ')" RIFFWEBP \
        "$ch channels: a WebP is written"
done
# lossless WebP keeps RGB and RGBA exactly (grey comes back as RGB)
for ch in 3 4; do
    aug flip -q --prob 0 --format png "w$ch.webp" -o "w$ch.png"
    check_same "w$ch.png" "ref$ch.png" "$ch channels: lossless WebP round trip"
done
for c in deflate lzw none; do
    run flip --prob 0 --format tif --tiff-compression $c "$CAT" -o "tc_$c.tif"
    check_rc 0 "--tiff-compression $c"
done
sz_none=$(wc -c <tc_none.tif)
sz_deflate=$(wc -c <tc_deflate.tif)
[ "$sz_deflate" -lt "$sz_none" ] && pass || fail "deflate ($sz_deflate) is not smaller than none ($sz_none)"
aug flip -q --quality 90 --format webp "$CAT" -o q90.webp
aug flip -q --quality 10 --format webp "$CAT" -o q10.webp
[ "$(wc -c <q10.webp)" -lt "$(wc -c <q90.webp)" ] && pass || fail "WebP --quality 10 is not smaller than 90"
usage "--tiff-compression" flip --tiff-compression zip "$CAT" -o u.tif
head -c 300 t3.tif >cut.tif
run flip cut.tif -o cut_out.png
check_rc 1 "a truncated TIFF"
check_err "cut.tif" "a truncated TIFF is named"
head -c 100 w3.webp >cut.webp
run flip cut.webp -o cut_out.png
check_rc 1 "a truncated WebP"
run flip --max-pixels 100 t3.tif -o big.png
check_err "over the limit" "--max-pixels from a TIFF header"
run flip --max-pixels 100 w3.webp -o big.png
check_err "over the limit" "--max-pixels from a WebP header"
# an image file we do not read, in a folder, is named
mkdir -p foreign
cp "$CAT" foreign/a.png
echo x >foreign/b.heic
run flip foreign -o foreign_out
check_rc 0 "a folder with a .heic beside a PNG"
check_err "b.heic: an image format we do not read" "the .heic is named"

# ---- JPEG without generation loss ----
# cat.jpg is 64x43, 4:2:0 (16x16 MCUs): a left-right flip and a quarter
# turn counter-clockwise move no partial MCU; a top-bottom flip would.
run flip --manifest lj.csv "$DATA/img/cat.jpg" -o lj.jpg
check_eq "$(tail -n 1 lj.csv | awk -F, '{print $NF}')" lossless "a JPEG flip takes the lossless path"
run flip --vertical --manifest lv.csv "$DATA/img/cat.jpg" -o lv.jpg
check_eq "$(tail -n 1 lv.csv | awk -F, '{print $NF}')" pixels \
    "a partial MCU on the edge that moves: decoded and encoded, never trimmed"
run rotate --angle 90 --expand --manifest lr.csv "$DATA/img/cat.jpg" -o lr.jpg
check_eq "$(tail -n 1 lr.csv | awk -F, '{print $NF}')" lossless "a quarter turn with --expand is lossless"
aug flip -q --prob 0 --format png lr.jpg -o lr.png
check_eq "$(od -An -tu1 -j16 -N8 lr.png | awk '{print $3 * 256 + $4, $7 * 256 + $8}')" "43 64" \
    "the quarter turn gives 43x64"
run chain 'flip | rotate --angle 90 --expand' --manifest lc.csv "$DATA/img/cat.jpg" -o lc.jpg
check_eq "$(tail -n 1 lc.csv | awk -F, '{print $NF}')" lossless "a chain of flips and quarter turns is one lossless transform"
run flip --reencode --manifest le.csv "$DATA/img/cat.jpg" -o le.jpg
check_eq "$(tail -n 1 le.csv | awk -F, '{print $NF}')" pixels "--reencode forces the pixel path"
check_differ lj.jpg le.jpg "the two paths write different files"
run flip --format png --manifest lp.csv "$DATA/img/cat.jpg" -o lp.png
check_eq "$(tail -n 1 lp.csv | awk -F, '{print $NF}')" pixels "JPEG in, PNG out: pixels"
run chain 'flip | flip' --manifest li.csv "$DATA/img/cat.jpg" -o li.jpg
check_eq "$(tail -n 1 li.csv | awk -F, '{print $NF}')" pixels "two flips drawn are two steps applied"
run flip --prob 0 --manifest ls.csv "$DATA/img/cat.jpg" -o ls.jpg
check_eq "$(tail -n 1 ls.csv | awk -F, '{print $NF}')" copy "a skipped flip copies the bytes"
check_same ls.jpg "$DATA/img/cat.jpg" "the copy is the input's bytes"
# the dry run predicts the path from the header alone
run flip --vertical --dry-run "$DATA/img/cat.jpg" -o lv.jpg
check_eq "$(tail -n 1 "$T/stdout" | awk -F, '{print $NF}')" pixels "the dry run names the path"

# ---- files found by fuzzing (tests/data/found, see tests/data/SOURCES.md) ----
FOUND=$DATA/found
run flip --prob 0 --format png "$FOUND/topdown_2x2_valid.bmp" -o topdown.png
check_rc 0 "a top-down BMP (negative height) is decoded"
for f in pnm_zero_dims.pgm pnm_5x0.ppm; do
    run flip "$FOUND/$f" -o zero.png
    check_rc 1 "$f: an image with a zero side"
    check_err "$f" "$f is named"
    check_err "no pixels" "$f: says the size has no pixels"
    check_err_lines 2 "$f: one line for the file, one summary"
    check_absent zero.png "$f: nothing written"
done
run flip "$FOUND/png_empty_idat.png" -o idat.png
check_rc 1 "a PNG whose first IDAT is empty is refused cleanly"
check_err "png_empty_idat.png: corrupt" "the empty IDAT file is named"
run rotate --angle 45 --expand "$FOUND/tga_9235x19_rle.tga" -o tga.png
check_rc 0 "a 9235x19 RLE TGA rotated by 45 degrees with --expand"
check_eq "$(od -An -tu1 -j16 -N8 tga.png | awk '{print $3 * 256 + $4, $7 * 256 + $8}')" "6544 6544" \
    "its canvas is ceil((9235 + 19) cos 45) = 6544 a side"
# ---- 16-bit PNG ----
# flips and quarter turns keep the 16 bits (path lossless); an interpolating
# op works at 8 bits and says so once per input, as --reencode does
run flip --manifest m16.csv "$EDGE/gray16.png" -o g16_flip.png
check_rc 0 "a 16-bit PNG flipped"
check_eq "$(od -An -tu1 -j24 -N1 g16_flip.png | tr -d ' ')" 16 "still 16-bit after the flip"
check_eq "$(tail -n 1 m16.csv | awk -F, '{print $NF}')" lossless "the manifest says lossless"
check_err_lines 0 "no note when the bits are kept"
# (the unit tests check every sample of every symmetry, tests/unit/test_png.c)
run rotate --angle 30 -n 2 "$EDGE/gray16.png" -o g16_rot
check_rc 0 "a 16-bit PNG rotated by 30 degrees"
check_eq "$(grep -c 'reduced to 8 bits' "$T/stderr")" 1 "one note for two reduced outputs of one input"
check_eq "$(od -An -tu1 -j24 -N1 g16_rot/gray16_0.png | tr -d ' ')" 8 "the rotated output is 8-bit"
run flip --reencode "$EDGE/gray16.png" -o g16_re.png
check_err "reduced to 8 bits" "--reencode takes the 8-bit pixel path"

# a header that says more than the limit is refused from the header, with its size
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\001\206\240\000\001\206\240\010\002\000\000\000\000\000\000\000' >huge.png
run flip huge.png -o huge_out.png
check_rc 1 "a 100000x100000 PNG"
check_err "100000x100000 = 10000000000 pixels, over the limit" "the size is in the message"
# --expand may not make an image over --max-pixels
run rotate --angle 45 --expand --max-pixels 3000 "$CAT" -o big.png
check_rc 1 "--expand over --max-pixels"
check_err "--max-pixels" "the message names --max-pixels"
check_absent big.png "nothing written over the limit"

finish
