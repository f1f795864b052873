#!/bin/sh
# A Slurm job array: each task takes its shard from SLURM_ARRAY_TASK_ID and
# SLURM_ARRAY_TASK_COUNT (--shard auto) and uses the CPUs it was given.
#   sbatch examples/scale/slurm-array.sh
#SBATCH --job-name=augment
#SBATCH --array=0-15
#SBATCH --cpus-per-task=4
DATA=${DATA:-data}
OUT=${OUT:-out}
RECIPE=${RECIPE:-recipe.txt}
exec augment chain --recipe "$RECIPE" -n 5 --shard auto -j "${SLURM_CPUS_PER_TASK:-1}" \
    "$DATA" -o "$OUT" --manifest "$OUT.manifest.$SLURM_ARRAY_TASK_ID.csv"
