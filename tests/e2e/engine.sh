#!/bin/sh
# The engine: chains and recipes, groups, threads, keys that survive any
# split (--root, stdin, --files-from, shards), long jobs (progress, Ctrl-C,
# kill -9 and --skip-existing) and the errors that stop a run once.
. "$(dirname "$0")/lib/common.sh"

PHOTOS=$ROOT/examples/photos
# A small set with every channel layout and both codecs.
mkdir -p in/sub
cp "$CAT" in/cat.png
cp "$DATA/img/cat.jpg" in/cat.jpg
cp "$EDGE/gray_alpha.png" in/sub/ga.png
cp "$EDGE/rgba_odd_size.png" in/sub/rgba.png
cp "$EDGE/rocket_gray.jpg" in/sub/grey.jpg
cp "$EDGE/camera.pgm" in/cam.pgm

# Run ARGS in a fresh folder DIR (created), quietly; outputs go to DIR/out
# and the manifest to DIR/m.csv, so that two such folders compare whole.
in_dir() { # DIR ARGS...
    d=$1
    shift
    rm -rf "$d"
    mkdir -p "$d"
    (cd "$d" && aug "$@" -o out --manifest m.csv 2>err.txt)
    echo $? >"$d/rc"
}

same_tree() { # A B WHAT
    if diff -r "$1" "$2" >/dev/null 2>&1; then pass; else fail "$3: $1 and $2 differ"; diff -r "$1" "$2" 2>&1 | head -3 | sed 's/^/    /'; fi
}

# ---- every operation: a chain of one stage writes the command's bytes ----
run --help
ops=$(sed -n '/^commands:/,/^$/p' "$T/stdout" | awk 'NF > 1 {print $1}' |
    grep -v -x -e chain -e smote -e mixup -e samplepairing -e cutmix -e coco-merge)
check_eq "$(echo "$ops" | tr '\n' ' ')" "flip rotate noise erase crop resize random-resized-crop pad affine perspective elastic rotate90 color grayscale invert posterize solarize equalize autocontrast sharpness gamma blur randaugment trivialaugment autoaugment " "the operations listed by --help"
stage_flags() { # OP: two sets of flags per operation, each with a random draw
    case $1 in
    flip) echo "--random|--vertical --prob 0.6" ;;
    rotate) echo "--range -40:40 --expand|--angle 33 --interp bicubic --border reflect --prob 0.7" ;;
    noise) echo "--sigma 3:30 --per-channel|--type saltpepper --amount 0.01:0.2 --prob 0.5" ;;
    erase) echo "--count 3 --value random|--value mean --scale 0.1:0.3 --prob 0.8" ;;
    crop) echo "--size 16x9 --position random|--size 48x20 --pad-if-needed --position random --border reflect101 --prob 0.7" ;;
    resize) echo "--scale 0.5 --interp lanczos --prob 0.6|--size 20x30 --interp area" ;;
    random-resized-crop) echo "--size 24x16|--size 12 --scale 0.3:0.9 --ratio 0.5:2 --interp bicubic --prob 0.8" ;;
    pad) echo "--pad 3,1,4,1 --border wrap --prob 0.5|--to 64x50 --fill 9,8,7" ;;
    affine) echo "--degrees 20 --translate 0.1,0.2 --scale 0.8:1.2 --shear 5,3|--degrees -5:5 --interp bicubic --border reflect --prob 0.6" ;;
    perspective) echo "--distortion 0.4|--interp nearest --border replicate --prob 0.5" ;;
    elastic) echo "--alpha 20:60 --sigma 3:6|--alpha 40 --sigma 4 --border reflect101 --prob 0.7" ;;
    rotate90) echo "|--angles 0,90 --prob 0.6" ;;
    color) echo "--brightness 0.4 --contrast 0.4 --saturation 0.4 --hue 0.1|--hue -0.2:0.3 --prob 0.6" ;;
    grayscale) echo "--prob 0.5|--keep-channels --prob 0.7" ;;
    invert) echo "--prob 0.5|--prob 0.3" ;;
    posterize) echo "--bits 2:6|--bits 3 --prob 0.5" ;;
    solarize) echo "--threshold 64:192|--prob 0.5" ;;
    equalize) echo "--prob 0.5|--prob 0.8" ;;
    autocontrast) echo "--prob 0.5|--prob 0.8" ;;
    sharpness) echo "--factor 0:3|--factor 2 --prob 0.5" ;;
    gamma) echo "--gamma 0.5:2|--gamma 0.8 --prob 0.5" ;;
    blur) echo "--sigma 0.5:2|--type motion --length 3:9 --angle 0:180 --prob 0.7" ;;
    randaugment) echo "--ops 3 --magnitude 12|--ops 1 --bins 11 --magnitude 10 --prob 0.7" ;;
    trivialaugment) echo "--fill 128|--interp bilinear --prob 0.6" ;;
    autoaugment) echo "--policy imagenet|--policy svhn --prob 0.8" ;;
    esac
}
for op in $ops; do
    flags=$(stage_flags "$op")
    [ -n "$flags" ] && pass || fail "no flags in this test for the operation $op"
    # a loop over a file, not a pipe, so that its checks count (a pipe's
    # loop runs in a subshell)
    echo "$flags" | tr '|' '\n' >flags.txt
    while read -r f; do
        # shellcheck disable=SC2086
        in_dir "one_$op" "$op" $f -n 3 -s 11 ../in
        in_dir "chain_$op" chain "$op $f" -n 3 -s 11 ../in
        check_eq "$(cat "one_$op/rc") $(cat "chain_$op/rc")" "0 0" "$op $f: both runs succeed"
        same_tree "one_$op/out" "chain_$op/out" "'$op $f' alone and as a one-stage chain"
        # The manifest differs only in the command and the stage's name.
        tail -n +2 "one_$op/m.csv" | awk -F, '{print $1}' >a.txt
        tail -n +2 "chain_$op/m.csv" | awk -F, '{print $1}' >b.txt
        check_same a.txt b.txt "$op: the same outputs listed in the same order"
    done <flags.txt
done

# ---- stages draw from streams of their own ----
aug chain 'flip --random | noise --sigma 5:9 | rotate --range -9:9' -n 20 in/cat.png -o s1 --manifest s1.csv 2>/dev/null
aug chain 'flip | noise --sigma 5:9 | rotate --range -9:9' -n 20 in/cat.png -o s2 --manifest s2.csv 2>/dev/null
cut_noise() { sed 's/.*noise(\([^)]*\)).*rotate(\([^)]*\)).*/\1 \2/' "$1" | tail -n +2; }
check_same_text() { if [ "$1" = "$2" ]; then pass; else fail "$3"; fi; }
check_same_text "$(cut_noise s1.csv)" "$(cut_noise s2.csv)" \
    "what a later stage draws does not depend on what an earlier stage drew"
aug rotate --range -9:9 -n 20 in/cat.png -o s3 --manifest s3.csv 2>/dev/null
tail -n +2 s3.csv | sed 's/.*angle=\([-0-9.e]*\).*/\1/' >alone.txt
aug chain 'rotate --range -9:9 | rotate --range -9:9' -n 20 in/cat.png -o s4 --manifest s4.csv 2>/dev/null
tail -n +2 s4.csv | sed 's/.*,"*rotate(angle=\([-0-9.e]*\)) |.*/\1/' >first.txt
tail -n +2 s4.csv | sed 's/.*| rotate(angle=\([-0-9.e]*\)).*/\1/' >second.txt
check_same alone.txt first.txt "the first stage draws what the standalone command draws"
check_eq "$(paste -d' ' first.txt second.txt | awk '$1 == $2' | wc -l | tr -d ' ')" 0 \
    "two stages of the same op draw different angles"
check_eq "$(wc -l <second.txt | tr -d ' ')" 20 "20 rows with two angles each"

# ---- chains: one decode, every stage in the manifest, skips named ----
run chain 'rotate --range -15:15 | flip --horizontal --prob 0.5 | noise --sigma 8' -n 5 in -o ch --manifest ch.csv
check_rc 0 "the issue's chain"
check_eq "$(tail -n +2 ch.csv | wc -l | tr -d ' ')" 30 "one row per output (6 inputs x 5)"
bad=$(tail -n +2 ch.csv | grep -v -E 'rotate\(angle=[-0-9.e]+\) \| flip\((flip=horizontal|skipped)\) \| noise\(type=gaussian;sigma=8\),0,pixels$' | head -1)
check_eq "$bad" "" "every row names the three stages and what each drew"
nskip=$(grep -c 'flip(skipped)' ch.csv)
[ "$nskip" -ge 5 ] && [ "$nskip" -le 25 ] && pass || fail "--prob 0.5 inside a chain skipped $nskip of 30"
# a chain whose every stage is skipped writes the input's own bytes
run chain 'rotate --angle 5 --prob 0 | noise --prob 0' in/cat.jpg -o skipped.jpg
check_same skipped.jpg in/cat.jpg "a chain of skipped stages keeps the JPEG's bytes"
# a recipe file is the same chain
cat >recipe.txt <<'EOF'
# the augmentation of this dataset
rotate --range -15:15

flip --horizontal --prob 0.5   # half of them mirrored
noise --sigma 8
EOF
in_dir rec chain --recipe ../recipe.txt -n 5 ../in
in_dir inl chain 'rotate --range -15:15 | flip --horizontal --prob 0.5 | noise --sigma 8' -n 5 ../in
same_tree rec inl "a recipe file and the same chain inline"
printf 'rotate --range -5:5\n\nnoise --sigma -4\n' >bad_recipe.txt
usage "bad_recipe.txt:3: noise: --sigma" chain --recipe bad_recipe.txt in -o u
usage "stage 2 (noise): --sigma" chain 'rotate --angle 4 | noise --sigma 300000' in -o u
usage "'nosie' is not an operation" chain 'flip | nosie' in -o u
usage "--angle" chain 'rotate' in -o u
usage "missing '}'" chain 'one-of { flip | noise' in -o u
usage "empty" chain ' | ' in -o u
usage "--prob" chain 'flip --prob 2' in -o u
usage "--recipe" chain --recipe does_not_exist.txt in -o u
check_absent u "a chain usage error writes nothing"

# ---- groups ----
aug chain 'one-of { flip --horizontal --prob 0.8 | flip --vertical --prob 0.2 }' -n 400 in/cat.png -o g1 --manifest g1.csv 2>/dev/null
nh=$(grep -c 'one-of\[flip(flip=horizontal)\]' g1.csv)
nv=$(grep -c 'one-of\[flip(flip=vertical)\]' g1.csv)
check_eq "$((nh + nv))" 400 "one-of applies exactly one member"
# weights 0.8 / 0.2: 320 expected, sd 8; 5 sd either way
[ "$nh" -ge 280 ] && [ "$nh" -le 360 ] && pass || fail "one-of weights 0.8/0.2: $nh of 400 horizontal"
aug chain 'some-of 2 { flip --vertical | noise --sigma 3 | erase }' -n 300 in/cat.png -o g2 --manifest g2.csv 2>/dev/null
counts=$(tail -n +2 g2.csv | sed 's/.*some-of\[\(.*\)\].*/\1/' | awk -F' [|] ' '{print NF}' | sort -u | tr '\n' ' ')
check_eq "$counts" "2 " "some-of 2 applies exactly two members"
dups=$(tail -n +2 g2.csv | sed 's/.*some-of\[\(.*\)\].*/\1/' | awk -F' [|] ' '{split($1, a, "("); split($2, b, "("); if (a[1] == b[1]) print}' | head -1)
check_eq "$dups" "" "some-of picks distinct members"
# order is random: each ordered pair (6 of them) about 50 times of 300
for pair in 'flip.*noise' 'noise.*flip' 'flip.*erase' 'erase.*flip' 'noise.*erase' 'erase.*noise'; do
    n=$(tail -n +2 g2.csv | sed 's/.*some-of\[\(.*\)\].*/\1/' | grep -c "^$pair")
    [ "$n" -ge 25 ] && [ "$n" -le 80 ] && pass || fail "some-of order $pair: $n of 300 (expected about 50)"
done
aug chain 'some-of 0:3 { flip | noise --sigma 3 | erase }' -n 400 in/cat.png -o g3 --manifest g3.csv 2>/dev/null
for k in 0 1 2 3; do
    n=$(tail -n +2 g3.csv | sed 's/.*,"*some-of\(.*\),0,[a-z]*$/\1/' |
        awk -v k=$k '{ if ($0 == "[]") m = 0; else m = gsub(/ [|] /, "&") + 1; if (m == k) c++ } END { print c + 0 }')
    [ "$n" -ge 60 ] && [ "$n" -le 140 ] && pass || fail "some-of 0:3 applied $k members $n times of 400 (expected about 100)"
done
run chain 'one-of --prob 0 { flip | noise }' in/cat.png -o g4.png --manifest g4.csv
check_same g4.png in/cat.png "a group with --prob 0 leaves the image as it is"
grep -q 'one-of(skipped)' g4.csv && pass || fail "a skipped group is named in the manifest"

# ---- threads: the same bytes and manifest for every -j ----
for cmd in "flip --random" "rotate --range -30:30 --expand" "noise --sigma 2:20" \
    "erase --count 2 --value random" "chain|rotate --range -9:9 | noise --sigma 4 | erase"; do
    case $cmd in
    chain*) set -- chain "${cmd#chain|}" ;;
    *) set -- $cmd ;;
    esac
    for j in 1 2 8; do in_dir "j$j" "$@" -n 4 -j $j ../in; done
    same_tree j1 j2 "$cmd: -j 1 and -j 2"
    same_tree j1 j8 "$cmd: -j 1 and -j 8"
done
mkdir -p set/a set/b set/c
cp "$DATA"/digits/0/* set/a/ 2>/dev/null
cp "$DATA"/digits/1/* set/b/ 2>/dev/null
cp "$DATA"/digits/2/* set/c/ 2>/dev/null
cp "$CAT" set/c/cat.png
for cmd in "mixup --alpha 1" "samplepairing"; do
    for j in 1 2 8; do in_dir "p$j" $cmd -n 3 -j $j ../set; done
    same_tree p1 p2 "$cmd: -j 1 and -j 2"
    same_tree p1 p8 "$cmd: -j 1 and -j 8"
done

# ---- shards: the union is the single run ----
shards() { # N ARGS... : run every shard K/N into one folder
    n=$1
    shift
    rm -rf sh
    mkdir -p sh
    k=0
    while [ $k -lt "$n" ]; do
        (cd sh && aug "$@" --shard $k/$n -o out --manifest m$k.csv 2>>err.txt)
        k=$((k + 1))
    done
}
sorted_rows() { # FILES...: data rows of manifests, sorted
    for f in "$@"; do tail -n +2 "$f"; done | sort
}
shards 3 chain 'rotate --range -9:9 | noise --sigma 4' -n 2 ../in
in_dir one chain 'rotate --range -9:9 | noise --sigma 4' -n 2 ../in
same_tree sh/out one/out "3 shards of a chain and the single run"
check_eq "$(sorted_rows sh/m0.csv sh/m1.csv sh/m2.csv | cksum)" "$(sorted_rows one/m.csv | cksum)" \
    "the shards' manifests, concatenated and sorted, are the single run's"
n0=$(tail -n +2 sh/m0.csv | wc -l)
n1=$(tail -n +2 sh/m1.csv | wc -l)
[ "$n0" -gt 0 ] && [ "$n1" -gt 0 ] && pass || fail "every shard got work ($n0, $n1)"
shards 4 mixup --alpha 1 -n 2 ../set
in_dir one mixup --alpha 1 -n 2 ../set
rm -f sh/out/labels-*.csv.tmp
for f in one/out/*.png; do check_same "$f" "sh/out/${f#one/out/}" "mixup shards: $f"; done
check_eq "$(ls sh/out/*.png | wc -l)" "$(ls one/out/*.png | wc -l)" "mixup shards: as many outputs"
check_eq "$(sorted_rows sh/out/labels-*.csv | cksum)" "$(sorted_rows one/out/labels.csv | cksum)" \
    "mixup shards: labels rows together are labels.csv"
check_eq "$(sorted_rows sh/m*.csv | cksum)" "$(sorted_rows one/m.csv | cksum)" "mixup shards: manifests"
shards 2 samplepairing -n 2 ../set
in_dir one samplepairing -n 2 ../set
same_tree sh/out one/out "samplepairing: 2 shards and the single run"
# auto: Slurm job arrays (also one that starts at 1 and steps by 2), Kubernetes Indexed Jobs
rm -rf auto
for id in 1 3 5; do
    (SLURM_ARRAY_TASK_ID=$id SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_STEP=2 \
        aug noise --sigma 2:9 --shard auto in -o auto/slurm 2>/dev/null)
    (JOB_COMPLETION_INDEX=$(((id - 1) / 2)) AUGMENT_SHARDS=3 aug noise --sigma 2:9 --shard auto in -o auto/k8s 2>/dev/null)
done
aug noise --sigma 2:9 in -o auto/single 2>/dev/null
same_tree auto/slurm auto/single "--shard auto under a Slurm array"
same_tree auto/k8s auto/single "--shard auto under a Kubernetes Indexed Job"
usage "SLURM_ARRAY_TASK_ID" noise --shard auto in -o u
(JOB_COMPLETION_INDEX=0 aug noise --shard auto in -o u 2>"$T/stderr")
rc=$?
cmd="noise --shard auto (JOB_COMPLETION_INDEX set, AUGMENT_SHARDS not)"
check_rc 2 "--shard auto needs AUGMENT_SHARDS"
check_err "AUGMENT_SHARDS" "the message names AUGMENT_SHARDS"
usage "--shard" noise --shard 3/3 in -o u
usage "--shard" noise --shard 1of2 in -o u

# ---- keys: --root, stdin, --files-from ----
mkdir -p data/a data/b
cp "$CAT" data/a/x.png
cp "$EDGE/rgba_odd_size.png" data/b/x.png
cp "$DATA/img/cat.jpg" data/b/y.jpg
aug noise --sigma 3:20 -s 4 data -o folder --manifest folder.csv 2>/dev/null
for f in a/x.png b/x.png b/y.jpg; do
    aug noise --sigma 3:20 -s 4 --root data "data/$f" -o "perfile_$(echo $f | tr / _)" 2>/dev/null
    check_same "folder/$f" "perfile_$(echo $f | tr / _)" "--root: one file at a time gives the folder run's bytes ($f)"
done
# the same name in two folders: without --root a per-file run keys on the base name
aug noise --sigma 3:20 -s 4 --manifest pa.csv data/a/x.png -o pa.png 2>/dev/null
aug noise --sigma 3:20 -s 4 --manifest pb.csv data/b/x.png -o pb.png 2>/dev/null
sig() { tail -n 1 "$1" | sed 's/.*sigma=\([0-9.e]*\).*/\1/'; }
check_eq "$(sig pa.csv)" "$(sig pb.csv)" "without --root, a/x.png and b/x.png share the key x.png"
aug noise --sigma 3:20 -s 4 --root data --manifest ra.csv data/a/x.png -o ra.png 2>/dev/null
aug noise --sigma 3:20 -s 4 --root data --manifest rb.csv data/b/x.png -o rb.png 2>/dev/null
[ "$(sig ra.csv)" != "$(sig rb.csv)" ] && pass || fail "with --root, a/x.png and b/x.png are keyed apart"
usage "--root" noise --root data "$CAT" -o u.png
# files-from: newline and NUL separated, keyed as listed
(cd data && find . -type f | sort) >list.txt
(cd data && aug noise --sigma 3:20 -s 4 --files-from ../list.txt -o ../ff 2>/dev/null)
same_tree ff folder "--files-from (lines) and the folder run"
find data -type f -print0 | aug noise --sigma 3:20 -s 4 --files-from - -0 --root data -o ff0 2>/dev/null
same_tree ff0 folder "--files-from - -0 with --root and the folder run"
echo "$T/data/a/x.png" >abs.txt
usage "--root" noise --files-from abs.txt -o u
usage "-0" noise -0 data -o u
# stdin: keyed by content, or by --key
aug rotate --range -30:30 --manifest st1.csv - -o - <data/a/x.png >st1.png 2>/dev/null
aug rotate --range -30:30 --manifest st2.csv - -o - <data/b/x.png >st2.png 2>/dev/null
aug rotate --range -30:30 --manifest st3.csv - -o - <data/a/x.png >st3.png 2>/dev/null
ang() { tail -n 1 "$1" | sed 's/.*angle=\([-0-9.e]*\).*/\1/'; }
[ "$(ang st1.csv)" != "$(ang st2.csv)" ] && pass || fail "two different images from stdin draw different angles"
check_same st1.png st3.png "the same image from stdin twice: the same bytes"
aug noise --sigma 3:20 -s 4 --key a/x.png - -o keyed/ <data/a/x.png 2>/dev/null
check_same keyed/a/x.png folder/a/x.png "--key names and keys stdin as the folder run would"
usage "--key" noise --key a.png data -o u

# ---- long jobs ----
mkdir -p many
i=0
while [ $i -lt 120 ]; do cp "$PHOTOS/coffee.png" "many/c$i.png"; i=$((i + 1)); done
aug rotate --angle 21 --interp bicubic -j 2 many -o whole --manifest whole.csv 2>/dev/null
# Ctrl-C: exit 130, the manifest of what is done, no temporary file. (A
# shell starts background jobs with SIGINT ignored, and augment keeps an
# ignored signal ignored: env gives this one the default back.)
bg() { # ARGS...: augment in the background, its pid in $pid
    if [ -n "$VALGRIND" ]; then
        env --default-signal=INT valgrind -q --error-exitcode=99 --log-file="$VG/vg.%p" "$AUGMENT" "$@" &
    else
        env --default-signal=INT "$AUGMENT" "$@" &
    fi
    pid=$!
}
bg rotate --angle 21 --interp bicubic -j 2 many -o intr --manifest intr.csv 2>intr.err
sleep 0.4
kill -INT $pid
wait $pid
rc=$?
check_eq "$rc" 130 "SIGINT exits 130"
grep -q "interrupted" intr.err && pass || fail "SIGINT says it was interrupted"
check_eq "$(tail -n +2 intr.csv | wc -l | tr -d ' ')" "$(ls intr | wc -l | tr -d ' ')" \
    "after SIGINT the manifest lists exactly the outputs written"
check_no_temp intr "SIGINT"
aug rotate --angle 21 --interp bicubic -j 2 --skip-existing many -o intr --manifest intr.csv 2>/dev/null
same_tree intr whole "resumed after SIGINT: the outputs of an uninterrupted run"
check_eq "$(sed 's/^intr/X/' intr.csv | cksum)" "$(sed 's/^whole/X/' whole.csv | cksum)" \
    "resumed after SIGINT: the manifest of an uninterrupted run"
# kill -9: no manifest at all, but every output present is whole
bg rotate --angle 21 --interp bicubic -j 1 many -o k9 --manifest k9.csv 2>/dev/null
sleep 0.4
kill -9 $pid
wait $pid 2>/dev/null
# temporaries of ours whose owner is gone are removed by the next run; one
# of a live process (this shell) and one of another host are left alone
host=$(hostname | tr /- __)
: >"k9/.augtmp-$host-$pid-7"
: >"k9/.augtmp-$host-$$-7"
: >"k9/.augtmp-otherhost-$pid-7"
aug rotate --angle 21 --interp bicubic -j 2 --skip-existing many -o k9 --manifest k9.csv 2>/dev/null
check_absent "k9/.augtmp-$host-$pid-7" "a dead run's temporary is removed"
check_file_exists() { if [ -e "$1" ]; then pass; else fail "$2: $1 is gone"; fi; }
check_file_exists "k9/.augtmp-$host-$$-7" "a live process's temporary stays"
check_file_exists "k9/.augtmp-otherhost-$pid-7" "another host's temporary stays"
rm -f k9/.augtmp-*
same_tree k9 whole "resumed after kill -9"
check_eq "$(sed 's/^k9/X/' k9.csv | cksum)" "$(sed 's/^whole/X/' whole.csv | cksum)" \
    "resumed after kill -9: the manifest of an uninterrupted run"
# SIGTERM on a run of one image and many copies still leaves a manifest
bg noise -n 100000 "$PHOTOS/coffee.png" -o term --manifest term.csv 2>/dev/null
sleep 0.5
kill -TERM $pid
wait $pid
check_eq "$?" 130 "SIGTERM exits 130"
check_eq "$(tail -n +2 term.csv | wc -l | tr -d ' ')" "$(ls term | wc -l | tr -d ' ')" \
    "-n 100000, SIGTERM: the manifest lists the outputs written"
# progress: on a terminal only, at the end a summary
if command -v script >/dev/null 2>&1; then
    script -qc "'$AUGMENT' rotate --angle 21 -j 1 many -o prog" /dev/null >prog.txt 2>&1
    grep -q 'images/s' prog.txt && pass || fail "a progress line on a terminal"
    grep -q '120 outputs from 120 inputs, 0 failed' prog.txt && pass || fail "a summary line on a terminal"
    script -qc "'$AUGMENT' rotate --angle 21 -q many -o prog" /dev/null >prog.txt 2>&1
    check_eq "$(cat prog.txt)" "" "-q: nothing on a terminal"
    script -qc "'$AUGMENT' rotate --angle 21 --no-progress many -o prog" /dev/null >prog.txt 2>&1
    check_eq "$(cat prog.txt)" "" "--no-progress: nothing on a terminal"
else
    echo "skipped: progress on a terminal (no script(1))"
fi
run rotate --angle 21 many -o prog
check_err_lines 0 "no progress and no summary when stderr is not a terminal"
run rotate --angle 21 --progress many -o prog
check_err "120 outputs from 120 inputs" "--progress forces the summary"

# ---- long names: a 240-byte output name and its temporary fit ----
long=$(printf 'n%.0s' $(seq 1 240))
mkdir -p longdir
cp "$CAT" "longdir/$long.png"
run flip longdir -o longout
check_rc 0 "a 244-byte file name"
check_file "longout/$long.png" "its output, under the 255-byte limit"
check_no_temp longout "long names"

# ---- link loops and dangling links ----
mkdir -p loop/a
cp "$CAT" loop/a/cat.png
ln -s .. loop/a/up
ln -s ../a loop/a/again
ln -s nowhere loop/a/dead.png
run flip loop -o loopout
check_rc 0 "a folder with a link loop"
check_eq "$(find loopout -type f | wc -l | tr -d ' ')" 1 "each folder walked once: one output, no duplicates"
check_err "loop/a/up: a link to a folder already walked" "the loop is noted"
grep -q dead.png "$T/stderr" && fail "a dangling link is named without -v" || pass
run flip -v loop -o loopout
check_err "loop/a/dead.png: a link to nothing" "-v names a dangling link"

# ---- errors that stop a run once, and usage errors ----
mkdir -p notimg/sub
echo text >notimg/a.txt
echo x >notimg/sub/b.xcf
echo x >notimg/sub/c.xcf
run flip notimg -o u
check_rc 1 "a folder without a supported image"
check_err "skipped 3 files (2 .xcf, 1 .txt)" "says what was skipped"
mkdir -p emptydir
run flip emptydir -o u
check_rc 1 "an empty folder"
usage "-o u.png names one image" flip in -o u.png
usage "-o u.png names one image" flip -n 2 "$CAT" -o u.png
check_absent u.png "not a folder called u.png"
check_absent u "usage errors write nothing"
# image-set mixup: two inputs flattened to one name is a usage error
mkdir -p clash/a_b clash/a
cp "$CAT" clash/a_b/c.png
cp "$CAT" clash/a/b_c.png
run mixup clash -o clashout
check_rc 2 "mixup: two inputs flattened to one output"
check_err "a_b_c.png" "the clash is named"
check_absent clashout "nothing written"
# the manifest must not be an output
usage "also an output" flip "$CAT" -o same.png --manifest same.png
usage "also an output" flip in -o mo --manifest mo/cat.png
check_absent mo "nothing written"
# manifest params have no length limit
run erase --count 40 --scale 0.001:0.002 --manifest long.csv "$PHOTOS/coffee.png" -o long.png
check_eq "$(tail -n 1 long.csv | grep -o 'rect=' | wc -l | tr -d ' ')" 40 "erase --count 40: every rectangle in the manifest"
# a full disk stops the run once, naming the folder
if [ "$(id -u)" = 0 ] && mkdir -p small && mount -t tmpfs -o size=300k tmpfs small 2>/dev/null; then
    run rotate --angle 3 many -o small/out
    check_rc 1 "a full disk"
    check_eq "$(grep -c 'No space left' "$T/stderr")" 1 "one message for a full disk"
    check_err "small/out" "the message names the folder"
    check_no_temp small "a full disk"
    umount small
else
    echo "skipped: disk full (needs root to mount a small tmpfs)"
fi

finish
