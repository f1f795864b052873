#!/bin/sh
# The CLI contract shared by every image command: help, usage errors and
# exit statuses, where outputs go and how they are named, stdin/stdout,
# the seeding rule, --prob 0, manifests, -q/-v, partial failures, never
# writing over an input, no temporaries left, idempotent reruns.
. "$(dirname "$0")/lib/common.sh"

# ---- help and version ----
run --help
check_rc 0 "--help"
grep -q '^usage: augment <command>' "$T/stdout" && pass || fail "--help prints no usage line"
for c in flip rotate noise erase smote mixup samplepairing; do
    grep -q "^  $c " "$T/stdout" && pass || fail "--help does not list the command $c"
done
run --version
check_rc 0 "--version"
grep -Eq '^augment [0-9]+\.[0-9]+\.[0-9]+$' "$T/stdout" && pass || fail "--version prints '$(cat "$T/stdout")'"
run help flip
check_rc 0 "help flip"
cp "$T/stdout" help1
grep -q -- '--horizontal' help1 && pass || fail "help flip does not describe --horizontal"
run flip --help
check_rc 0 "flip --help"
check_same help1 "$T/stdout" "'help flip' and 'flip --help'"
run help nope
check_rc 2 "help of an unknown command"
run nope a.png -o b.png
check_rc 2 "unknown command"
check_err "nope" "unknown command is named"
run
check_rc 2 "no arguments"

# ---- usage errors: exit 2, name the flag and what is allowed, write nothing ----
usage "--bogus" flip --bogus "$CAT" -o u1
usage "--copies" flip -n 0 "$CAT" -o u1
usage "--copies" flip -n two "$CAT" -o u1
usage "--prob" flip --prob 1.5 "$CAT" -o u1
usage "[0, 1]" flip --prob -0.1 "$CAT" -o u1
usage "--seed" flip --seed -1 "$CAT" -o u1
usage "--seed" flip --seed 12abc "$CAT" -o u1
usage "png" flip --format gif "$CAT" -o u1
usage "--quality" flip --quality 0 "$CAT" -o u1
usage "--quality" flip --quality 101 "$CAT" -o u1
usage "--max-pixels" flip --max-pixels 0 "$CAT" -o u1
usage "-o" flip "$CAT"
usage "INPUT" flip -o u1
usage "needs a value" flip "$CAT" -o
usage "--format" flip "$CAT" -o u1.xyz
usage "--copies" smote --copies 2 "$DATA/wine.csv" -o u1.csv
usage "--horizontal" flip --horizontal --vertical "$CAT" -o u1
usage "stdin" flip - - -o u1
usage "-o -" flip -n 2 "$CAT" -o -
check_absent u1 "a usage error creates no output"
check_absent u1.xyz "a usage error creates no output"

# ---- -o: one file for one input and one copy, else a folder ----
run flip "$CAT" -o single.png
check_rc 0 "one input to a file"
check_eq "$(magic single.png 4)" 89504e47 "one input, -o x.png writes a PNG file"
run flip "$CAT" -o single.bmp
check_rc 0 "one input to a .bmp file"
check_eq "$(magic single.bmp 2)" 424d "-o x.bmp writes a BMP"
run flip "$CAT" -o slashdir/
check_rc 0 "-o DIR/ with one input"
check_file slashdir/cat.png "-o DIR/ makes a folder"
mkdir existing
run flip "$CAT" -o existing
check_rc 0 "-o an existing folder"
check_file existing/cat.png "an existing folder as -o"
run flip "$CAT" "$DATA/img/cat.jpg" -o two
check_rc 0 "two inputs"
check_file two/cat.png "two inputs go into a folder"
check_file two/cat.jpg "two inputs go into a folder (keeping .jpg)"

# -n: <stem>_<k>.<ext>, k = 0..N-1; nothing named without the suffix
run flip -n 3 "$CAT" -o copies
check_rc 0 "-n 3"
for k in 0 1 2; do check_file "copies/cat_$k.png" "-n 3 names copies _k"; done
check_absent copies/cat_3.png "-n 3 writes exactly 3 copies"
check_absent copies/cat.png "-n 3 does not also write the plain name"

# A folder input: walked recursively, its layout recreated; extensions kept
# when writable, .pgm/.ppm/.gif become .png, --format changes every one.
mkdir -p tree/sub/deeper tree/empty
cp "$CAT" tree/a.png
cp "$DATA/img/cat.jpg" tree/sub/b.jpg
cp "$DATA/edge/camera.pgm" tree/sub/deeper/c.pgm
cp "$DATA/edge/coffee.ppm" tree/sub/d.ppm
cp "$DATA/edge/two_frames.gif" tree/e.gif
cp "$DATA/edge/chelsea.bmp" tree/sub/f.bmp
cp "$DATA/edge/chelsea.tga" tree/g.tga
cp "$CAT" tree/.hidden.png
echo "not an image, and not named like one" >tree/notes.txt
run flip tree -o treeout
check_rc 0 "a folder input"
check_err_lines 0 "a clean folder run is silent"
for f in a.png sub/b.jpg sub/deeper/c.png sub/d.png e.png sub/f.bmp g.tga; do
    check_file "treeout/$f" "folder layout recreated"
done
check_absent treeout/.hidden.png "hidden files are not inputs"
check_absent treeout/notes.txt "non-image names are not inputs"
check_absent treeout/notes.png "non-image names are not inputs"
n=$(find treeout -type f | wc -l | tr -d ' ')
check_eq "$n" 7 "outputs of the folder run"
check_eq "$(magic treeout/sub/deeper/c.png 4)" 89504e47 ".pgm input written as PNG"
check_eq "$(magic treeout/sub/b.jpg 2)" ffd8 ".jpg input written as JPEG"
run flip --format tga tree -o treetga
check_rc 0 "--format tga on a folder"
for f in a sub/b sub/deeper/c sub/d e sub/f g; do
    check_file "treetga/$f.tga" "--format tga names every output .tga"
done

# ---- stdin and stdout ----
aug flip - -o fromstdin.png <"$CAT" 2>/dev/null
check_rc_direct=$?
[ "$check_rc_direct" -eq 0 ] && pass || fail "'augment flip - -o fromstdin.png' exited $check_rc_direct"
check_same fromstdin.png single.png "stdin input gives the same bytes as the file"
aug flip "$CAT" -o - >tostdout.png 2>/dev/null
check_same tostdout.png single.png "-o - writes the same PNG to stdout"
aug flip --format bmp - -o - <"$CAT" >pipe.bmp 2>/dev/null
check_same pipe.bmp single.bmp "stdin to stdout with --format bmp"
run flip - -o stdindir/ <"$CAT"
check_rc 0 "stdin into a folder"
check_file stdindir/stdin.png "stdin into a folder is named stdin.png"

# ---- the seeding rule ----
# An output's bytes depend only on (seed, path relative to its INPUT, copy):
# not on the other files present, nor on their order.
mkdir -p set1 set2 lone
cp "$CAT" set1/cat.png
cp "$DATA/img/cat.jpg" set1/aaa.jpg
cp "$DATA/edge/rgba_odd_size.png" set1/zzz.png
cp "$CAT" set2/cat.png
cp "$CAT" lone/cat.png
aug noise --seed 7 "$CAT" -o seed_file.png 2>/dev/null
aug noise --seed 7 set1 -o seed_dir1 2>/dev/null
aug noise --seed 7 set2 -o seed_dir2 2>/dev/null
aug noise --seed 7 set1/zzz.png lone/cat.png set1/aaa.jpg -o seed_order 2>/dev/null
aug noise --seed 7 "$CAT" -o seed_again.png 2>/dev/null
aug noise --seed 8 "$CAT" -o seed_other.png 2>/dev/null
aug noise "$CAT" -o seed_default.png 2>/dev/null
aug noise --seed 0 "$CAT" -o seed_zero.png 2>/dev/null
check_same seed_file.png seed_dir1/cat.png "same image alone vs in a folder with others"
check_same seed_file.png seed_dir2/cat.png "same image alone vs in a folder alone"
check_same seed_file.png seed_order/cat.png "same image listed in another order"
check_same seed_file.png seed_again.png "same seed twice"
check_differ seed_file.png seed_other.png "another seed gives other bytes"
check_same seed_default.png seed_zero.png "the default seed is 0"
check_differ seed_file.png seed_default.png "seed 7 differs from seed 0"
# copy k is the same whatever -n is, and copies differ from each other
aug noise --seed 7 -n 2 "$CAT" -o seed_n2 2>/dev/null
aug noise --seed 7 -n 3 "$CAT" -o seed_n3 2>/dev/null
check_same seed_n2/cat_0.png seed_n3/cat_0.png "copy 0 does not depend on -n"
check_same seed_n2/cat_1.png seed_n3/cat_1.png "copy 1 does not depend on -n"
check_differ seed_n3/cat_0.png seed_n3/cat_1.png "copies differ"
check_differ seed_n3/cat_1.png seed_n3/cat_2.png "copies differ"

# ---- --prob ----
run flip --prob 0 "$CAT" -o prob0.png
check_rc 0 "--prob 0"
check_same prob0.png "$CAT" "--prob 0, same format: the input's bytes"
run rotate --angle 30 --prob 0 "$DATA/img/cat.jpg" -o prob0.jpg
check_same prob0.jpg "$DATA/img/cat.jpg" "--prob 0 on a JPEG keeps its bytes"
run flip --prob 1 "$CAT" -o prob1.png
check_same prob1.png single.png "--prob 1 always applies"
run flip --prob 0.5 -n 40 --manifest probm.csv "$CAT" -o probhalf
check_rc 0 "--prob 0.5"
nskip=$(grep -c ',skipped,' probm.csv)
nflip=$(grep -c ',flip=horizontal,' probm.csv)
[ "$nskip" -ge 8 ] && [ "$nflip" -ge 8 ] && [ $((nskip + nflip)) -eq 40 ] && pass ||
    fail "--prob 0.5 -n 40: $nskip skipped, $nflip flipped (expected about 20 each, 40 in all)"
for k in 0 1 2 3 4 5 6 7 8 9; do
    if grep -q "^probhalf/cat_$k.png,.*,skipped," probm.csv; then
        check_same "probhalf/cat_$k.png" "$CAT" "a skipped copy is the input's bytes"
    else
        check_same "probhalf/cat_$k.png" single.png "an applied copy is flipped"
    fi
done

# ---- --manifest ----
run rotate --range -20:20 -n 2 --seed 3 --manifest man.csv tree -o manout
check_rc 0 "rotate with a manifest"
check_eq "$(head -n 1 man.csv | tr -d '\r')" "output,input,command,params,seed,path" "manifest header"
check_eq "$(wc -l <man.csv | tr -d ' ')" 15 "manifest: one row per output (7 inputs x 2 + header)"
check_eq "$(grep -c '^manout/sub/b_1\.jpg,tree/sub/b\.jpg,rotate,angle=[-0-9.e]*,3' man.csv)" 1 \
    "manifest row names output, input, command, angle=, seed"
bad=$(tail -n +2 man.csv | awk -F, '{ sub(/^angle=/, "", $4); if ($4 + 0 < -20 || $4 + 0 >= 20) print $4 }')
check_eq "$bad" "" "manifest angles within --range"
tail -n +2 man.csv | cut -d, -f1 | while read -r f; do
    [ -f "$f" ] || echo "$f" 
done >missing.txt
check_eq "$(cat missing.txt)" "" "every manifest output exists"
run erase --seed 2 --manifest erase.csv "$CAT" -o erased.png
grep -Eq '^erased\.png,.*,erase,"rect=[0-9]+,[0-9]+,[0-9]+,[0-9]+",2' erase.csv && pass ||
    fail "erase manifest records rect=x,y,w,h (quoted): $(tail -n 1 erase.csv)"
run noise --sigma 5:9 --manifest noise.csv "$CAT" -o noised.png
grep -Eq '^noised\.png,.*,noise,type=gaussian;sigma=[5-8]\.?[0-9]*,0' noise.csv && pass ||
    fail "noise manifest records the drawn sigma: $(tail -n 1 noise.csv)"
run flip --random -n 12 --manifest flipm.csv "$CAT" -o flipr
n=$(grep -Ec ',flip=(horizontal|vertical|none),' flipm.csv)
check_eq "$n" 12 "flip --random records flip= per output"
aug flip single.png -o ident.png 2>/dev/null
aug flip --vertical "$CAT" -o vflip.png 2>/dev/null
for k in 0 1 2 3 4 5; do
    case $(grep "^flipr/cat_$k.png," flipm.csv) in
    *flip=horizontal*) want=single.png ;;
    *flip=vertical*) want=vflip.png ;;
    *) want=ident.png ;;
    esac
    check_same "flipr/cat_$k.png" "$want" "flip --random output matches the flip= it records"
done

# ---- -q / -v ----
run flip -v -n 2 "$CAT" "$DATA/img/cat.jpg" -o verbose
check_rc 0 "-v"
check_eq "$(grep -c -- '->' "$T/stderr")" 4 "-v prints one line per output"
run flip -q "$DATA/edge/gray16.png" -o quiet.png
check_rc 0 "-q on a 16-bit PNG"
check_err_lines 0 "-q silences the 16-bit note"

# ---- partial failure: exit 1, others still processed, summary counts ----
mkdir -p mixed
cp "$CAT" mixed/good1.png
cp "$DATA/img/cat.jpg" mixed/good2.jpg
printf 'garbage' >mixed/bad.png
run flip mixed "$T/does_not_exist.png" -o mixedout
check_rc 1 "some inputs failed"
check_file mixedout/good1.png "good inputs still processed"
check_file mixedout/good2.jpg "good inputs still processed"
check_absent mixedout/bad.png "no output for a broken input"
check_err "2 of 4 inputs failed" "summary line counts failures"
check_eq "$(grep -c 'bad.png' "$T/stderr")" 1 "one error line names bad.png"
check_eq "$(grep -c 'does_not_exist.png' "$T/stderr")" 1 "one error line names the missing file"
check_no_temp mixedout "failed run"

# ---- --max-pixels ----
run flip --max-pixels 2000 "$CAT" -o big.png
check_rc 1 "an image over --max-pixels"
check_err "--max-pixels" "the limit message names --max-pixels"
check_absent big.png "no output over --max-pixels"
run flip --max-pixels 2752 "$CAT" -o fits.png
check_rc 0 "an image of exactly --max-pixels pixels"

# ---- never over an input ----
cp "$CAT" self.png
run flip self.png -o self.png
check_rc 2 "writing over the input"
check_same self.png "$CAT" "the input is untouched"
run flip self.png -o ./self.png
check_rc 2 "writing over the input by another path"
check_same self.png "$CAT" "the input is untouched"
ln self.png hardlink.png
run flip self.png -o hardlink.png
check_rc 2 "writing over the input through a hard link"
check_same self.png "$CAT" "the input is untouched"
cp -r tree intree
run flip intree -o intree
check_rc 2 "output folder = input folder"
check_same intree/a.png "$CAT" "the input folder is untouched"
run flip --format png "$CAT" "$DATA/img/cat.jpg" -o clash
check_rc 2 "two inputs writing the same output"
check_absent clash "nothing written when two outputs clash"
# output folder inside the input folder: not walked into on a rerun
run flip intree -o intree/out
check_rc 0 "output folder inside the input folder"
run flip intree -o intree/out
check_rc 0 "rerun with the output inside the input"
check_absent intree/out/out "the output folder is not an input"
check_same intree/a.png "$CAT" "the input folder is untouched"

# ---- reruns replace outputs; no temporaries, ever ----
cp -r treeout treeout.first
echo garbage >treeout/a.png
run flip tree -o treeout
check_rc 0 "rerun"
diff -r treeout treeout.first >/dev/null && pass || fail "a rerun does not give the same outputs"
# a write that fails (the output name is taken by a folder) leaves nothing
mkdir -p blockedout/cat.png
run flip "$CAT" "$DATA/img/cat.jpg" -o blockedout
check_rc 1 "an output that cannot be written"
check_err "1 of 2 inputs failed" "a failed write counts as a failed input"
check_file blockedout/cat.jpg "the other input is still written"
check_no_temp blockedout "a failed write"
echo x >plainfile
run flip "$CAT" -o plainfile/x.png
check_rc 1 "an output under a plain file"
check_no_temp "$T" "all runs of this script"  # (tree/.hidden.png is ours)

finish
