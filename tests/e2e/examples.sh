#!/bin/sh
# The scale-out examples shipped in examples/scale/ do what the README says:
# a Make pattern rule over single files (--root) and GNU parallel over
# shards each write exactly the files of one run over the folder. (The
# Slurm script runs under a real Slurm in slurm.sh; the Kubernetes Job's
# --shard auto is checked with its environment in engine.sh.)
. "$(dirname "$0")/lib/common.sh"

EX=$ROOT/examples/scale
mkdir -p data/cats data/digits bin
cp "$CAT" "$DATA/img/cat.jpg" data/cats/
cp "$EDGE/rgba_odd_size.png" data/cats/odd.png
cp "$DATA"/digits/0/* "$DATA"/digits/1/* data/digits/
ln -s "$AUGMENT" bin/augment
aug chain --recipe "$EX/recipe.txt" data -o single 2>/dev/null

# Make: one target per file, two at a time
if make -s -f "$EX/Makefile" -j2 DATA=data OUT=made AUGMENT="$AUGMENT" >make.out 2>&1; then
    pass
else
    fail "make -f examples/scale/Makefile: $(head -3 make.out)"
fi
if diff -r made single >/dev/null; then pass; else fail "the Make example and the folder run differ"; fi
# a second make has nothing to do
check_eq "$(make -f "$EX/Makefile" DATA=data OUT=made AUGMENT="$AUGMENT" 2>&1 | grep -c chain)" 0 \
    "a rerun of the Make example makes nothing"

# GNU parallel: eight shards
if command -v parallel >/dev/null 2>&1; then
    PATH="$T/bin:$PATH" sh "$EX/parallel.sh" data par >par.out 2>&1 && pass ||
        fail "examples/scale/parallel.sh: $(head -3 par.out)"
    if diff -r par single >/dev/null; then pass; else fail "the GNU parallel example and the folder run differ"; fi
    check_eq "$(cat par.manifest.*.csv | grep -vc '^output,')" "$(find single -type f | wc -l | tr -d ' ')" \
        "the eight shards' manifests list every output once"
else
    echo "examples: skipped the GNU parallel example (apt-get install parallel)"
fi
finish
