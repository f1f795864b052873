#!/bin/sh
# GNU parallel: eight processes, each one shard of the inputs. Shards split
# by key, so together they write exactly the files of a single run.
#   sh examples/scale/parallel.sh data out
DATA=${1:-data}
OUT=${2:-out}
RECIPE=${RECIPE:-$(dirname "$0")/recipe.txt}
parallel augment chain --recipe "$RECIPE" -j 1 --shard {}/8 "$DATA" -o "$OUT" \
    --manifest "$OUT.manifest.{}.csv" ::: 0 1 2 3 4 5 6 7
