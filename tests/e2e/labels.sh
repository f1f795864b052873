#!/bin/sh
# Labels that move with the image: YOLO boxes and poses, COCO boxes,
# polygons, keypoints and RLE masks, segmentation masks. Every expected
# coordinate below is worked out by hand from the geometry (pixel i spans
# [i, i+1); a box is moved as its corners, a COCO keypoint is a pixel
# index, so x + 0.5 is moved), or from the drawn parameters the manifest
# records, never taken from a previous run's output.
. "$(dirname "$0")/lib/common.sh"

# ---- helpers ----

# check_yolo FILE WANT WHAT: the file's lines, field by field, equal WANT's
# (lines separated by ';', a field may be a fraction N/D) within 1e-9.
check_yolo() {
    got=$(awk -v want="$2" '
        function val(s,  p) { if (index(s, "/")) { split(s, p, "/"); return p[1] / p[2] } return s + 0 }
        BEGIN { n = split(want, W, ";") }
        { g[NR] = $0 }
        END {
            if (NR != n) { print "got " NR " lines, want " n; exit }
            for (i = 1; i <= n; i++) {
                a = split(g[i], G, " "); b = split(W[i], E, " ")
                if (a != b) { print "line " i ": \"" g[i] "\""; exit }
                for (j = 1; j <= a; j++) {
                    d = G[j] - val(E[j]); if (d < 0) d = -d
                    if (d > 1e-9) { print "line " i " field " j ": \"" g[i] "\""; exit }
                }
            }
            print "ok"
        }' "$1" 2>&1)
    if [ "$got" = ok ]; then pass; else fail "$3: $got (want $2)"; fi
}

# The bounding box "x0 y0 x1 y1" (x1, y1 exclusive) of the non-zero pixels
# of an image, and its size "w h", read from a 24-bit BMP that augment
# writes from it (pad --pad 0 only converts).
bmp_of() { aug pad --pad 0 "$1" -o "$T/view.bmp" 2>/dev/null; }
mask_bbox() { # PNG
    bmp_of "$1" || { echo "unreadable"; return; }
    od -An -v -tu1 "$T/view.bmp" | awk '
        { for (i = 1; i <= NF; i++) b[n++] = $i }
        END {
            off = b[10] + 256 * b[11]; w = b[18] + 256 * b[19]; h = b[22] + 256 * b[23]
            stride = int((w * 3 + 3) / 4) * 4
            x0 = w; y0 = h; x1 = -1; y1 = -1
            for (r = 0; r < h; r++) {
                y = h - 1 - r
                for (x = 0; x < w; x++)
                    if (b[off + r * stride + 3 * x] > 0) {
                        if (x < x0) x0 = x; if (x > x1) x1 = x
                        if (y < y0) y0 = y; if (y > y1) y1 = y
                    }
            }
            print x0, y0, x1 + 1, y1 + 1
        }'
}
image_size() { # IMAGE -> "w h"
    bmp_of "$1" || { echo "unreadable"; return; }
    od -An -v -tu1 -N26 "$T/view.bmp" | awk '{ for (i = 1; i <= NF; i++) b[n++] = $i }
        END { print b[18] + 256 * b[19], b[22] + 256 * b[23] }'
}

# A 0/255 mask of W x H with the rectangle [X0, X1) x [Y0, Y1) set, as PNG.
make_mask() { # OUT.png W H X0 Y0 X1 Y1
    LC_ALL=C awk -v w="$2" -v h="$3" -v x0="$4" -v y0="$5" -v x1="$6" -v y1="$7" 'BEGIN {
        printf "P5\n%d %d\n255\n", w, h
        for (y = 0; y < h; y++) for (x = 0; x < w; x++)
            printf "%c", (x >= x0 && x < x1 && y >= y0 && y < y1) ? 255 : 0 }' >"$T/mask.pgm"
    aug pad --pad 0 "$T/mask.pgm" -o "$1"
}

# One COCO annotation line of a file our writer made (one per line), by id.
ann() { grep "^{\"id\":$2," "$1"; }

# The labels column of a manifest's last row.
lcol() { tail -n 1 "$1" | grep -o 'objects=[^"]*'; }

# ---- a small labelled set ----
# in/a.png is 100x80. Its boxes, in pixels: class 0 x 15..35, y 30..50
# (centre 25,40; 20x20), class 1 x 65..75, y 20..28 (centre 70,24; 10x8).
mkdir -p in
aug resize --size 100x80 "$CAT" -o in/a.png
printf '0 0.25 0.5 0.2 0.25\n1 0.7 0.3 0.1 0.1\n' >in/a.txt
printf 'cat\ndog\n' >in/classes.txt
A0='0 0.25 0.5 0.2 0.25'
A1='1 0.7 0.3 0.1 0.1'

yolo() { # NAME WANT WHAT OP...
    name=$1 want=$2 what=$3
    shift 3
    rm -rf "o_$name"
    run "$@" --labels yolo in -o "o_$name" --manifest "m_$name.csv"
    check_rc 0 "$what"
    check_yolo "o_$name/a.txt" "$want" "$what"
}

# ---- boxes through each geometric operation, by hand ----
# flip: x -> 100 - x
yolo flip '0 0.75 0.5 0.2 0.25;1 0.3 0.3 0.1 0.1' "flip" flip
check_same o_flip/classes.txt in/classes.txt "classes.txt copied beside the outputs"
# vertical: y -> 80 - y; centres 40 -> 40, 24 -> 56
yolo vflip '0 0.25 0.5 0.2 0.25;1 0.7 56/80 0.1 0.1' "flip --vertical" flip --vertical
# rotate90 by 90 (counter-clockwise, 80x100 out): (x, y) -> (y, 100 - x)
yolo r90 '0 40/80 75/100 20/80 20/100;1 24/80 30/100 8/80 10/100' "rotate90 90" rotate90 --angles 90
# by 270: (x, y) -> (80 - y, x)
yolo r270 '0 40/80 25/100 20/80 20/100;1 56/80 70/100 8/80 10/100' "rotate90 270" rotate90 --angles 270
# by 180: (x, y) -> (100 - x, 80 - y)
yolo r180 '0 75/100 40/80 0.2 0.25;1 30/100 56/80 0.1 0.1' "rotate90 180" rotate90 --angles 180
# crop 50x40 at 10,20: box 0 -> x 5..25, y 10..30; box 1 (x 65..75) is outside
yolo crop '0 15/50 20/40 20/50 20/40' "crop" crop --size 50x40 --position 10,20
check_eq "$(lcol m_crop.csv)" "objects=1;dropped=2" "the dropped box is line 2"
check_err "1 dropped" "the summary counts the dropped box"
# pad left 20, top 10 (120x90 out)
yolo pad '0 45/120 50/90 20/120 20/90;1 90/120 34/90 10/120 8/90' "pad" pad --pad 20,10,0,0
# resize 50x160: the normalised values stay
yolo resize "$A0;$A1" "resize" resize --size 50x160
# a chain: flip, then crop 60x60 at 30,10 (box 0 -> x 65..85, y 30..50 ->
# 35..55, 20..40; box 1 -> x 25..35, y 20..28 is cut to 0..5, 10..18), then
# pad 5 all round (70x70)
yolo chain '0 50/70 35/70 20/70 20/70;1 7.5/70 19/70 5/70 8/70' "chain" chain 'flip | crop --size 60x60 --position 30,10 | pad --pad 5'
# crop at 36,10 instead: box 1 (x 25..35) is outside; box 0 -> 29..49 -> 34..54
yolo chain2 '0 44/70 35/70 20/70 20/70' "chain dropping a box" chain 'flip | crop --size 60x60 --position 36,10 | pad --pad 5'
check_eq "$(lcol m_chain2.csv)" "objects=1;dropped=2" "chain: dropped box recorded"

# ---- clipping and the filters ----
# crop 30x40 at 20,20: box 0 keeps x 20..35 of 15..35 (0.75 of it, 15x20 =
# 300 px), y 10..30; box 1 is gone
CROP="crop --size 30x40 --position 20,20"
yolo clip '0 7.5/30 20/40 15/30 20/40' "clipped to the image" $CROP
yolo vis70 '0 7.5/30 20/40 15/30 20/40' "--min-visibility 0.7 keeps 0.75" $CROP --min-visibility 0.7
yolo vis80 '' "--min-visibility 0.8 drops 0.75" $CROP --min-visibility 0.8
check_eq "$(lcol m_vis80.csv)" "objects=0;dropped=1,2" "manifest: both dropped"
check_err "2 dropped" "summary: 2 dropped"
yolo area300 '0 7.5/30 20/40 15/30 20/40' "--min-area 300 keeps 300" $CROP --min-area 300
yolo area301 '' "--min-area 301 drops 300" $CROP --min-area 301
yolo size15 '0 7.5/30 20/40 15/30 20/40' "--min-size 15 keeps 15 wide" $CROP --min-size 15
yolo size16 '' "--min-size 16 drops 15 wide" $CROP --min-size 16
check_file o_size16/a.png "an image whose boxes all went is still written"

# ---- rotation: the box around the corners or around the ellipse ----
# rotate 45 degrees counter-clockwise about the centre (50, 40) (same
# size): a point (x, y) goes to (50 + dx c + dy s, 40 - dx s + dy c),
# c = s = sqrt(1/2). Box 0 is a 20x20 square: the box around its corners is
# 20 sqrt 2 on each side; around its inscribed circle, still 20. Box 1 is
# 10x8: corners give (10 + 8) / sqrt 2, the ellipse of half-axes 5, 4
# gives 2 sqrt((25 + 16) / 2) on both sides (albumentations' two methods).
rot_want() { # METHOD
    awk -v m="$1" 'BEGIN {
        c = sqrt(0.5)
        x0 = 50 + (25 - 50) * c; y0 = 40 - (25 - 50) * c
        x1 = 50 + (70 - 50) * c + (24 - 40) * c; y1 = 40 - (70 - 50) * c + (24 - 40) * c
        if (m == "largest") { s0 = 20 / c; s1 = 18 * c } else { s0 = 20; s1 = 2 * sqrt(20.5) }
        printf "0 %.17g %.17g %.17g %.17g;1 %.17g %.17g %.17g %.17g", x0 / 100, y0 / 80, s0 / 100, s0 / 80, x1 / 100, y1 / 80, s1 / 100, s1 / 80 }'
}
# the ellipse is 360 points at whole degrees: its box is short of the true
# one by at most 5 (1 - cos 0.5 deg) = 2e-4 px; compare within 1e-3 px
check_rot() { # FILE METHOD WHAT
    got=$(awk -v want="$(rot_want "$2")" 'BEGIN { split(want, W, ";") }
        { split(W[NR], E, " "); for (j = 2; j <= 5; j++) { d = ($j - E[j]) * (j % 2 ? 80 : 100); if (d < 0) d = -d; if (d > 1e-3) bad = bad " line " NR " field " j } }
        END { print NR == 2 && bad == "" ? "ok" : "differs:" bad }' "$1")
    check_eq "$got" ok "$3"
}
run rotate --angle 45 --labels yolo in -o o_rl
check_rc 0 "rotate 45, largest"
check_rot o_rl/a.txt largest "rotate 45: the box around the corners (default)"
run rotate --angle 45 --box-method ellipse --labels yolo in -o o_re
check_rc 0 "rotate 45, ellipse"
check_rot o_re/a.txt ellipse "rotate 45: the box around the ellipse"

# ---- poses: YOLO keypoints and the left/right swap ----
# points (normalised): 0 left eye (0.3, 0.4), 1 right eye (0.55, 0.45),
# 2 nose (0.45, 0.6). A flip maps x -> 1 - x; with pairs 0-1 point 0 takes
# the mirrored point 1.
mkdir -p pose
cp in/a.png pose/p.png
printf '0 0.45 0.5 0.5 0.4 0.3 0.4 2 0.55 0.45 2 0.45 0.6 1\n' >pose/p.txt
printf 'names: [person]\nkpt_shape: [3, 3]\n' >pose/data.yaml
run flip --labels yolo --flip-pairs 0-1 pose -o o_pose
check_rc 0 "pose with --flip-pairs"
check_yolo o_pose/p.txt '0 0.55 0.5 0.5 0.4 0.45 0.45 2 0.7 0.4 2 0.55 0.6 1' "--flip-pairs swaps the eyes"
check_same o_pose/data.yaml pose/data.yaml "data.yaml copied through"
run flip --labels yolo pose -o o_pose2
check_yolo o_pose2/p.txt '0 0.55 0.5 0.5 0.4 0.7 0.4 2 0.45 0.45 2 0.55 0.6 1' "no pairs: each point mirrored in place"
printf 'names: [person]\nkpt_shape: [3, 3]\nflip_idx: [1, 0, 2]\n' >pose/data.yaml
run flip --labels yolo pose -o o_pose3
check_yolo o_pose3/p.txt '0 0.55 0.5 0.5 0.4 0.45 0.45 2 0.7 0.4 2 0.55 0.6 1' "data.yaml's flip_idx swaps the eyes"
# rotate90 by 90 moves keypoints as points: (x, y) -> (y, 1 - x), no swap
run rotate90 --angles 90 --labels yolo pose -o o_pose4
check_yolo o_pose4/p.txt '0 0.5 0.55 0.4 0.5 0.4 0.7 2 0.45 0.45 2 0.6 0.55 1' "rotate90 moves keypoints"

# ---- identity round trip: the same text ----
mkdir -p rt
cp in/a.png rt/a.png
printf '0 0.25 0.5 0.2 0.25\n1  0.7 0.3 0.1 0.1\n0 0.123456789 0.5 0.2 0.25\n' >rt/a.txt
run flip --prob 0 --labels yolo rt -o o_rt
check_same o_rt/a.txt rt/a.txt "flip --prob 0: the same YOLO text"
run chain 'noise --sigma 3 | color --brightness 0.2' --labels yolo rt -o o_rt2
check_same o_rt2/a.txt rt/a.txt "photometric chain: the same YOLO text"
printf '0 0.25 0.5 0.5 0.25\n1 0.625 0.125 0.25 0.125\n' >rt/a.txt
run chain 'flip | flip | rotate90 --angles 180 | rotate90 --angles 180' --labels yolo rt -o o_rt3
check_same o_rt3/a.txt rt/a.txt "moves that cancel: the same text (exact binary fractions)"

# ---- masks move with the image ----
# mi/a.png with one box (class 0, x 15..35, y 30..50) and a mask of it: after
# each op the box of the moved mask is the moved box within 1 px.
mkdir -p mi mim
cp in/a.png mi/a.png
echo "$A0" >mi/a.txt
cp in/classes.txt mi/
make_mask mim/a.png 100 80 15 30 35 50
check_eq "$(mask_bbox mim/a.png)" "15 30 35 50" "the test mask"
aligned() { # WHAT OP...
    what=$1
    shift
    rm -rf o_mk mo_mk
    run "$@" --labels yolo mi --masks mim --masks-out mo_mk -o o_mk
    check_rc 0 "masks: $what"
    size=$(image_size mo_mk/a.png)
    check_eq "$size" "$(image_size o_mk/a.png)" "masks: $what: the mask has the image's size"
    got=$(mask_bbox mo_mk/a.png)
    verdict=$(awk -v s="$size" -v m="$got" '
        { split(s, S, " "); split(m, M, " ")
          x0 = ($2 - $4 / 2) * S[1]; x1 = ($2 + $4 / 2) * S[1]
          y0 = ($3 - $5 / 2) * S[2]; y1 = ($3 + $5 / 2) * S[2]
          d = 0
          if ((x0 - M[1]) ^ 2 > 1 || (y0 - M[2]) ^ 2 > 1 || (x1 - M[3]) ^ 2 > 1 || (y1 - M[4]) ^ 2 > 1) d = 1
          print d ? "box " x0 " " y0 " " x1 " " y1 ", mask " m : "ok" }' o_mk/a.txt)
    check_eq "$verdict" ok "masks: $what: the mask's box is the moved box"
}
aligned "flip" flip
aligned "flip vertical" flip --vertical
aligned "rotate90 90" rotate90 --angles 90
aligned "rotate90 270" rotate90 --angles 270
aligned "crop" crop --size 50x40 --position 10,20
aligned "pad" pad --pad 20,10,0,0
aligned "resize (nearest on the mask)" resize --size 50x160
aligned "random-resized-crop" random-resized-crop --size 64x48 --scale 0.5:1 -s 3
aligned "a chain" chain 'flip | rotate90 --angles 90 | pad --pad 3 | crop --size 60x70 --position 5,5 | resize --size 45x35'
# a photometric op leaves the mask as it was, byte for byte
run noise --sigma 5 mi --masks mim --masks-out mo_noise -o o_noise
check_rc 0 "masks: noise"
check_same mo_noise/a.png mim/a.png "noise: the mask's own bytes"
# erase: the mask is kept unless --erase-masks; then the erased boxes are 0
run erase --count 1 --scale 0.3:0.33 --ratio 1:1 mi --masks mim --masks-out mo_er -o o_er --manifest m_er.csv
check_same mo_er/a.png mim/a.png "erase: the mask untouched by default"
make_mask mim/a.png 100 80 0 0 100 80
run erase --count 1 --scale 0.3:0.33 --ratio 1:1 --erase-masks mi --masks mim --masks-out mo_er2 -o o_er2 --manifest m_er2.csv
check_rc 0 "--erase-masks"
# the erased rectangle, from the manifest (x,y,w,h), is where the full mask became 0
box=$(tail -n 1 m_er2.csv | grep -o 'rect=[0-9,]*' | sed 's/rect=//')
x=${box%%,*} r=${box#*,} y=${r%%,*} r=${r#*,} w=${r%%,*} h=${r#*,}
make_mask want_er.png 100 80 0 0 100 80
inverse=$(awk -v x="$x" -v y="$y" -v w="$w" -v h="$h" 'BEGIN { print (w * h > 0) ? "ok" : "no box" }')
check_eq "$inverse" ok "--erase-masks: the manifest gives the box ($box)"
aug pad --pad 0 mo_er2/a.png -o er.bmp
zeros=$(od -An -v -tu1 er.bmp | awk -v X="$x" -v Y="$y" -v W="$w" -v H="$h" '
    { for (i = 1; i <= NF; i++) b[n++] = $i }
    END { off = b[10] + 256 * b[11]; iw = b[18] + 256 * b[19]; ih = b[22] + 256 * b[23]
          stride = int((iw * 3 + 3) / 4) * 4; bad = 0
          for (r = 0; r < ih; r++) for (c = 0; c < iw; c++) {
              yy = ih - 1 - r; inside = c >= X && c < X + W && yy >= Y && yy < Y + H
              v = b[off + r * stride + 3 * c]
              if ((inside && v != 0) || (!inside && v != 255)) bad++ }
          print bad }')
check_eq "$zeros" 0 "--erase-masks: 0 inside the erased box, the mask elsewhere"
make_mask mim/a.png 100 80 15 30 35 50

# ---- COCO ----
mkdir -p cin/sub
cp in/a.png cin/a.png
aug resize --size 40x30 in/a.png -o cin/sub/b.png
# a.png (id 5): a polygon (category 2) and a person with three keypoints;
# sub/b.png (id 9): a box and a crowd RLE of columns 1..3 (all 30 rows).
cat >cin.json <<'EOF'
{"info":{"description":"test set"},"images":[{"id":5,"file_name":"a.png","width":100,"height":80},{"id":9,"file_name":"sub/b.png","width":40,"height":30,"license":1}],
"annotations":[{"id":11,"image_id":5,"category_id":2,"bbox":[10,20,30,10],"area":300,"iscrowd":0,"segmentation":[[10,20,40,20,40,30,10,30]]},
{"id":12,"image_id":9,"category_id":1,"bbox":[4,3,8,6],"area":48,"iscrowd":0},
{"id":13,"image_id":9,"category_id":1,"bbox":[1,0,3,30],"area":90,"iscrowd":1,"segmentation":{"size":[30,40],"counts":[30,90,1080]}},
{"id":14,"image_id":5,"category_id":3,"bbox":[50,10,20,20],"area":400,"iscrowd":0,"num_keypoints":3,"keypoints":[55,15,2,65,15,2,60,25,1]}],
"categories":[{"id":1,"name":"a"},{"id":2,"name":"b"},{"id":3,"name":"person","keypoints":["left_eye","right_eye","nose"]}]}
EOF
CATS=$(grep -o '"categories":.*\]' cin.json)
run flip --labels coco --annotations cin.json -n 2 cin -o cout --annotations-out meta/ann.json --manifest cm.csv
check_rc 0 "coco flip"
J=meta/ann.json
check_file $J "--annotations-out"
check_absent cout/annotations.json "only where asked"
check_eq "$(grep -c '"file_name"' $J)" 4 "coco: 2 images x 2 copies"
# new ids: an input's id times the copies per input, plus the copy
check_eq "$(grep -o '"id":[0-9]*,"file_name":"[^"]*"' $J | tr '\n' ' ')" \
    '"id":10,"file_name":"../cout/a_0.png" "id":11,"file_name":"../cout/a_1.png" "id":18,"file_name":"../cout/sub/b_0.png" "id":19,"file_name":"../cout/sub/b_1.png" ' \
    "coco: new ids, file names relative to the annotations file"
check_eq "$(grep -c '"license":1' $J)" 2 "coco: other image fields kept"
check_eq "$(grep -o '"categories":.*\]' $J)" "$CATS" "coco: categories kept"
check_eq "$(grep -c '"description":"test set"' $J)" 1 "coco: info kept"
# annotations numbered from 1 in image order: 10 has 11 and 14 (1, 2), 11 (3, 4), 18 (5, 6), 19 (7, 8)
check_eq "$(grep -o '"id":[0-9]*,"image_id":[0-9]*' $J | tr '\n' ' ')" \
    '"id":1,"image_id":10 "id":2,"image_id":10 "id":3,"image_id":11 "id":4,"image_id":11 "id":5,"image_id":18 "id":6,"image_id":18 "id":7,"image_id":19 "id":8,"image_id":19 ' \
    "coco: annotations renumbered in image order"
# the polygon mirrored: x -> 100 - x
check_eq "$(ann $J 1 | grep -o '"bbox":[^]]*\],"area":[0-9.]*')" '"bbox":[60,20,30,10],"area":300' "coco: polygon's box and area"
check_eq "$(ann $J 1 | grep -o '"segmentation":.*\]\]')" '"segmentation":[[90,20,60,20,60,30,90,30]]' "coco: polygon mirrored"
# keypoints are pixel indices: x -> 100 - 1 - x; left and right eye swap
# (their names pair them): left = mirrored right = 34, right = 44
check_eq "$(ann $J 2 | grep -o '"keypoints":\[[^]]*\]')" '"keypoints":[34,15,2,44,15,2,39,25,1]' "coco: keypoints mirrored and swapped"
check_eq "$(ann $J 2 | grep -o '"bbox":[^]]*\]')" '"bbox":[30,10,20,20]' "coco: person's box"
# the crowd RLE: columns 1..3 -> 36..38 of 40: 36 x 30 zeros, 90 ones, 30 zeros
check_eq "$(ann $J 6 | grep -o '"bbox":.*}}')" '"bbox":[36,0,3,30],"area":90,"iscrowd":1,"segmentation":{"size":[30,40],"counts":[1080,90,30]}}' "coco: crowd RLE re-encoded, box and area from the mask"
check_eq "$(ann $J 5 | grep -o '"bbox":[^]]*\],"area":[0-9.]*')" '"bbox":[28,3,8,6],"area":48' "coco: a plain box"
# resize 50x40: a.png scales by 1/2, b.png by 5/4 x 4/3; areas recomputed
run resize --size 50x40 --labels coco --annotations cin.json cin -o cres
check_rc 0 "coco resize"
J=cres/annotations.json
check_eq "$(ann $J 1 | grep -o '"bbox":[^]]*\],"area":[0-9.]*')" '"bbox":[5,10,15,5],"area":75' "coco resize: polygon area recomputed"
check_eq "$(ann $J 3 | grep -o '"bbox":[^]]*\],"area":[0-9.]*')" '"bbox":[5,4,10,8],"area":80' "coco resize: box area recomputed"
# keypoints: (x + 0.5) / 2 - 0.5
check_eq "$(ann $J 2 | grep -o '"keypoints":\[[^]]*\]')" '"keypoints":[27.25,7.25,2,32.25,7.25,2,29.75,12.25,1]' "coco resize: keypoints"
# the RLE's columns 1..3 of 40 resized nearest to 50: output column x takes
# input column floor((x + 0.5) * 40 / 50): x = 1..4 -> 1, 2, 2, 3
check_eq "$(ann $J 4 | grep -o '"bbox":.*}}')" '"bbox":[1,0,4,40],"area":160,"iscrowd":1,"segmentation":{"size":[40,50],"counts":[40,160,1800]}}' "coco resize: RLE resized nearest"
# an RLE given as COCO's compressed text is written back the same way:
# [30,90,1080] is "N" "0" ... in COCO's LEB128-like code; we only ask that
# it round-trips unchanged through an op that does not move it
run noise --sigma 2 --labels coco --annotations cin.json cin -o cnoise
check_eq "$(ann cnoise/annotations.json 4 | grep -o '"segmentation":.*}}')" '"segmentation":{"size":[30,40],"counts":[30,90,1080]}}' "coco: a photometric op keeps the RLE"

# the same RLE as COCO's compressed text, written back as text: by hand
# (5-bit groups, low first, 0x20 = more, + 48; see tests/unit/test_labelfile.c)
# [30,90,1080] is "n0j2hQ1" and the mirrored [1080,90,30] "hQ1j2n0"
sed 's/"counts":\[30,90,1080\]/"counts":"n0j2hQ1"/' cin.json >cstr.json
run flip --labels coco --annotations cstr.json cin -o cstr
check_rc 0 "coco: RLE as text"
check_eq "$(ann cstr/annotations.json 4 | grep -o '"segmentation":.*}}')" '"segmentation":{"size":[30,40],"counts":"hQ1j2n0"}}' "coco: compressed RLE mirrored, written as text"

# ---- an image without a label file is a background ----
mkdir -p bg
cp in/a.png bg/x.png
cp in/a.png bg/y.png
echo "$A0" >bg/y.txt
run flip --labels yolo bg -o bgo --manifest bg.csv
check_rc 0 "a background image"
check_absent bgo/x.txt "a background gets no label file"
check_file bgo/y.txt "the labelled one does"
check_err "no label file (backgrounds)" "the summary says so"
check_eq "$(grep '^bgo/x.png' bg.csv | grep -o 'objects=[^"]*')" "objects=0" "background: manifest"

# ---- -j 2 gives the same bytes as -j 1 ----
mkdir -p many/d many_m
i=0
for s in 60x40 48x64 50x50 70x30 33x41 80x60; do
    i=$((i + 1))
    aug resize --size "$s" "$CAT" -o "many/d/im$i.png"
    w=${s%x*} h=${s#*x}
    printf '%d 0.5 0.5 0.4 0.3\n%d 0.2 0.3 0.1 0.2\n' $((i % 2)) $((1 - i % 2)) >"many/d/im$i.txt"
    make_mask "many_m/d/im$i.png" "$w" "$h" $((w / 4)) $((h / 4)) $((w / 2)) $((h / 2))
done
printf 'a\nb\n' >many/classes.txt
RECIPE='rotate --range -30:30 | one-of { flip | rotate90 } | random-resized-crop --size 40x40 | noise --sigma 3'
run chain "$RECIPE" -n 3 -j 1 --labels yolo --masks many_m --masks-out j1m many -o j1 --manifest j1.csv
check_rc 0 "-j 1"
run chain "$RECIPE" -n 3 -j 2 --labels yolo --masks many_m --masks-out j2m many -o j2 --manifest j2.csv
check_rc 0 "-j 2"
if diff -r j1 j2 >/dev/null && diff -r j1m j2m >/dev/null; then pass; else fail "-j 2 wrote other bytes than -j 1"; fi
check_eq "$(sed 's/^j2/j1/' j2.csv)" "$(cat j1.csv)" "-j: the same manifest"
check_eq "$(find j1 -name 'im*.txt' | wc -l | tr -d ' ')" 18 "-j: 6 inputs x 3 label files"

# ---- shards: one COCO file each, merged = a single run's ----
awk 'BEGIN {
    printf "{\"images\":["
    split("60x40 48x64 50x50 70x30 33x41 80x60", S, " ")
    for (i = 1; i <= 6; i++) { split(S[i], d, "x"); printf "%s{\"id\":%d,\"file_name\":\"d/im%d.png\",\"width\":%d,\"height\":%d}", (i > 1 ? "," : ""), i * 7, i, d[1], d[2] }
    printf "],\"annotations\":["
    for (i = 1; i <= 6; i++) printf "%s{\"id\":%d,\"image_id\":%d,\"category_id\":1,\"bbox\":[2,3,10,12],\"area\":120,\"iscrowd\":0,\"segmentation\":[[2,3,12,3,12,15]]}", (i > 1 ? "," : ""), 100 + i, i * 7
    printf "],\"categories\":[{\"id\":1,\"name\":\"thing\"}]}\n" }' >many.json
rm -f many/d/*.txt
run chain "$RECIPE" -n 2 --labels coco --annotations many.json many -o sh_all
check_rc 0 "coco: single run"
run chain "$RECIPE" -n 2 -j 1 --labels coco --annotations many.json many -o sh_j1
check_rc 0 "coco: -j 1"
run chain "$RECIPE" -n 2 -j 2 --labels coco --annotations many.json many -o sh_j2
check_rc 0 "coco: -j 2"
check_same sh_j1/annotations.json sh_j2/annotations.json "coco: -j 2 writes -j 1's file"
check_same sh_j1/annotations.json sh_all/annotations.json "coco: and the default -j's"
run chain "$RECIPE" -n 2 --labels coco --annotations many.json --shard 0/2 many -o sh
check_rc 0 "coco: shard 0/2"
run chain "$RECIPE" -n 2 --labels coco --annotations many.json --shard 1/2 many -o sh
check_rc 0 "coco: shard 1/2"
check_file sh/annotations-0-of-2.json "shard 0's COCO file"
check_file sh/annotations-1-of-2.json "shard 1's COCO file"
n0=$(grep -c '"file_name"' sh/annotations-0-of-2.json)
n1=$(grep -c '"file_name"' sh/annotations-1-of-2.json)
check_eq "$((n0 + n1))" 12 "the shards' images add up to the run's ($n0 + $n1)"
run coco-merge sh/annotations-1-of-2.json sh/annotations-0-of-2.json -o sh/annotations.json
check_rc 0 "coco-merge"
check_same sh/annotations.json sh_all/annotations.json "merged shards = a single run's file, byte for byte"
usage "no meaning here" coco-merge --seed 2 sh/annotations-0-of-2.json -o x.json
run coco-merge sh/annotations-0-of-2.json sh/annotations-0-of-2.json -o twice.json
check_rc 1 "coco-merge: an image twice"
check_absent twice.json "nothing written"
run coco-merge sh/none.json -o none.json
check_rc 1 "coco-merge: a missing file"
check_err "sh/none.json" "coco-merge names the missing file"

# ---- mixup, CutMix and SamplePairing on a labelled set ----
# set/a/x.png 60x40 with one box (class 0: x 9..21, y 15..25); set/b/y.png
# 30x20 with one box (class 1: x 7.5..22.5, y 5..15); classes at the top.
mkdir -p set/a set/b
aug resize --size 60x40 in/a.png -o set/a/x.png
aug resize --size 30x20 in/a.png -o set/b/y.png
echo '0 0.25 0.5 0.2 0.25' >set/a/x.txt
echo '1 0.5 0.5 0.5 0.5' >set/b/y.txt
cp in/classes.txt set/
# mixup: the output keeps A's box with weight lambda, then B's (resized to
# A's size, so normalised values stay) with 1 - lambda (Zhang 2019)
run mixup --alpha 1 --labels yolo set -o mx --manifest mx.csv
check_rc 0 "mixup with labels"
lam=$(grep '^mx/a/x.png' mx.csv | cut -d, -f4)
check_yolo mx/a/x.txt "0 0.25 0.5 0.2 0.25 $lam;1 0.5 0.5 0.5 0.5 $(awk -v l="$lam" 'BEGIN { printf "%.17g", 1 - l }')" "mixup: both images' boxes, weighted"
lam=$(grep '^mx/b/y.png' mx.csv | cut -d, -f4)
check_yolo mx/b/y.txt "1 0.5 0.5 0.5 0.5 $lam;0 0.25 0.5 0.2 0.25 $(awk -v l="$lam" 'BEGIN { printf "%.17g", 1 - l }')" "mixup: the other way"
check_absent mx/labels.csv "labelled sets keep labels in their files, no labels.csv"
run samplepairing --weight 0.75 --labels yolo set -o sp
check_rc 0 "samplepairing with labels"
check_yolo sp/a/x.txt "0 0.25 0.5 0.2 0.25 0.75;1 0.5 0.5 0.5 0.5 0.25" "samplepairing: both, weighted W and 1 - W"
usage "masks cannot be blended" mixup --masks many_m --masks-out q set -o q
# CutMix: B's boxes (scaled to A's size) clipped to the pasted box; A's
# kept whole unless the box hides all of them
cutmix_want() { # OUT A_PX B_PX W H (boxes as x0 y0 x1 y1 in A's pixels)
    row=$(grep "^$1," cm2.csv)
    pb=$(echo "$row" | cut -d'"' -f2)
    echo "$3 $pb" | awk -v a="$2" -v W="$4" -v H="$5" '{
        split(a, A, " ")
        px0 = $6; py0 = $7; px1 = $6 + $8; py1 = $7 + $9
        out = ""
        # A: kept unless the patch covers it
        ax0 = A[1]; ay0 = A[2]; ax1 = A[3]; ay1 = A[4]
        if (!(ax0 >= px0 && ax1 <= px1 && ay0 >= py0 && ay1 <= py1))
            out = sprintf("%s %.17g %.17g %.17g %.17g", A[5], (ax0 + ax1) / 2 / W, (ay0 + ay1) / 2 / H, (ax1 - ax0) / W, (ay1 - ay0) / H)
        x0 = $1 > px0 ? $1 : px0; y0 = $2 > py0 ? $2 : py0
        x1 = $3 < px1 ? $3 : px1; y1 = $4 < py1 ? $4 : py1
        if (x1 > x0 && y1 > y0)
            out = out (out == "" ? "" : ";") sprintf("%s %.17g %.17g %.17g %.17g", $5, (x0 + x1) / 2 / W, (y0 + y1) / 2 / H, (x1 - x0) / W, (y1 - y0) / H)
        print out }' FS="[ ,]+"
}
for seed in 1 2 3 4 5; do
    run cutmix -s $seed --labels yolo set -o cm2 --manifest cm2.csv
    check_rc 0 "cutmix with labels (seed $seed)"
    # A = x (60x40): its box 9..21 x 15..25; B = y scaled by 2: 15..45 x 10..30
    want=$(cutmix_want cm2/a/x.png "9 15 21 25 0" "15 10 45 30 1" 60 40)
    check_yolo cm2/a/x.txt "$want" "cutmix seed $seed: x's boxes"
    # A = y (30x20): 7.5..22.5 x 5..15; B = x scaled by 1/2: 4.5..10.5 x 7.5..12.5
    want=$(cutmix_want cm2/b/y.png "7.5 5 22.5 15 1" "4.5 7.5 10.5 12.5 0" 30 20)
    check_yolo cm2/b/y.txt "$want" "cutmix seed $seed: y's boxes"
done

# ---- --dry-run: the manifest with its labels column, nothing written ----
run crop --size 50x40 --position 10,20 --labels yolo in -o dry --manifest dry_real.csv
(cd "$T" && aug crop --size 50x40 --position 10,20 --labels yolo in -o dry2 --dry-run >dry.csv 2>/dev/null)
check_eq "$(lcol dry.csv)" "objects=1;dropped=2" "--dry-run: labels column"
check_eq "$(sed 's/dry2/dry/' dry.csv)" "$(cat dry_real.csv)" "--dry-run: the real run's rows"
check_absent dry2 "--dry-run writes nothing"
run flip --labels coco --annotations cin.json cin -o cdry --dry-run
check_rc 0 "--dry-run, coco"
check_absent cdry "--dry-run, coco: no annotations file"

# ---- bad labels: the file and line named, that image skipped, exit 1 ----
bad_case() { # WHAT WANT-IN-MESSAGE  (inputs in bad/, output bo/)
    rm -rf bo bmo
    run "$@"
    check_rc 1 "$WHAT: exit 1"
    check_err "$WANT" "$WHAT: message"
    check_absent bo/a.png "$WHAT: nothing written for that image"
    check_absent bo/a.txt "$WHAT: no label file for it"
    check_absent bmo/a.png "$WHAT: no mask for it"
    check_file bo/c.png "$WHAT: the other image goes on"
}
mkdir -p bad bm
cp in/a.png bad/a.png
cp in/a.png bad/c.png
printf 'x\ny\n' >bad/classes.txt
echo '1 0.5 0.5 0.1 0.1' >bad/c.txt
printf '0 0.5 0.5 0.1 0.1\n5 0.5 0.5 0.1 0.1\n' >bad/a.txt
WHAT="class id outside classes.txt" WANT="bad/a.txt:2: class 5"
bad_case flip --labels yolo bad -o bo
printf '0 0.5 0.5 0.1 0.1\n\n0 1.2 0.5 0.1 0.1\n' >bad/a.txt
WHAT="a YOLO value outside 0..1" WANT="bad/a.txt:3:"
bad_case flip --labels yolo bad -o bo
check_err "outside 0..1" "$WHAT: says why"
printf '0 0.5 0.5 0.1\n' >bad/a.txt
WHAT="a short YOLO line" WANT="bad/a.txt:1:"
bad_case flip --labels yolo bad -o bo
echo '0 0.5 0.5 0.1 0.1' >bad/a.txt
make_mask bm/c.png 100 80 1 1 5 5
make_mask bm/a.png 50 40 1 1 5 5
WHAT="a mask of another size" WANT="mask bm/a.png is 50x40, the image 100x80"
bad_case flip --labels yolo --masks bm --masks-out bmo bad -o bo
check_file bmo/c.png "the other image's mask is written"
rm bm/a.png
WHAT="a missing mask" WANT="bm/a.png"
bad_case flip --masks bm --masks-out bmo bad -o bo
# COCO: an annotation whose image is not in the file; an input not in the file
sed 's/"image_id":9,"category_id":1,"bbox":\[4/"image_id":77,"category_id":1,"bbox":[4/' cin.json >cbad.json
run flip --labels coco --annotations cbad.json cin -o cbo
check_rc 1 "coco: an annotation pointing at a missing image"
check_err "cbad.json: annotation 12: image_id 77 is not among the images" "coco: names the file and the annotation"
check_file cbo/a.png "coco: the images go on"
check_file cbo/annotations.json "coco: the file is written for them"
grep -v 'sub/b.png' cin.json | sed 's/"id":5,"file_name":"a.png","width":100,"height":80},/"id":5,"file_name":"a.png","width":100,"height":80}/' >conly.json
printf '{"images":[{"id":5,"file_name":"a.png","width":100,"height":80}],"annotations":[],"categories":[]}\n' >conly.json
run flip --labels coco --annotations conly.json cin -o cbo2
check_rc 1 "coco: an input that the file does not list"
check_err "sub/b.png" "coco: names the input"
check_absent cbo2/sub/b.png "coco: nothing written for it"
check_file cbo2/a.png "coco: the other goes on"
printf '{"images":[{"id":5,"file_name":"a.png","width":100,\n"height":80}],"annotations":[' >csyn.json
run flip --labels coco --annotations csyn.json cin -o cbo3
check_rc 1 "coco: a syntax error"
check_err "csyn.json: line 2" "coco: syntax error with its line"
check_absent cbo3 "coco: a file that does not load writes nothing"
printf '{"images":[{"id":5,"file_name":"a.png","width":90,"height":80}],"annotations":[],"categories":[]}\n' >csz.json
run flip --labels coco --annotations csz.json cin/a.png -o cbo4/a.png
check_rc 1 "coco: an image of another size than its entry"
check_err "csz.json" "coco: size mismatch names the file"
check_absent cbo4/a.png "coco: nothing written for it"
# masks/ beside the images under one INPUT folder: the walk leaves the mask
# and label folders out, so the masks are not read as images
mkdir -p tree/img tree/masks/img tree/lab/img
cp in/a.png tree/img/a.png
echo "$A0" >tree/lab/img/a.txt
cp in/classes.txt tree/lab/
make_mask tree/masks/img/a.png 100 80 15 30 35 50
run flip --labels yolo --labels-dir tree/lab --masks tree/masks --masks-out tm --labels-out tl tree -o to
check_rc 0 "masks and labels inside the input folder"
check_eq "$(cd to && find . -type f | sort | tr '\n' ' ')" "./img/a.png " \
    "masks and labels inside the input folder are not inputs"
check_eq "$(mask_bbox tm/img/a.png)" "65 30 85 50" "the mask inside the input folder is moved"
check_yolo tl/img/a.txt "0 0.75 0.5 0.2 0.25" "the labels inside the input folder are moved"
# usage errors
usage "--labels coco reads --annotations" flip --labels coco in -o u
usage "--masks needs --masks-out" flip --masks mim in -o u
usage "for --labels yolo" flip --labels coco --annotations cin.json --classes in/classes.txt in -o u
usage "apply to image sets only" mixup --labels yolo "$DATA/wine.csv" -o u.csv
usage "not pairs of keypoint indices" flip --labels yolo --flip-pairs 1-1 in -o u
check_no_temp . "no temporary files left"

finish
