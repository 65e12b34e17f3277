#!/usr/bin/env bash
# Run a paper-repro sweep as a Slurm array job, then merge, check and draw in a dependent job.
#
#   cluster/slurm-sweep.sh EXPERIMENT SCALE SHARDS RESULTS [extra sbatch options…]
#   e.g. cluster/slurm-sweep.sh induction paper 256 /shared/softmax-repro/results --partition=cpu
#
# Each array task runs shard i/SHARDS (paper-repro reads SLURM_ARRAY_TASK_ID and
# SLURM_ARRAY_TASK_COUNT) into RESULTS/shard-<i>; finished runs are kept, so resubmitting the same
# command after a failure or preemption only runs what is missing. The merge job starts when
# every task succeeded (afterok), gathers the shards into RESULTS/merged, lists missing and
# duplicated runs, then checks golden values and draws the figures; it fails (non-zero, visible in
# sacct) when the merge is incomplete, the golden check fails, or a figure cannot be drawn. A run
# list without golden values fails the check: nothing was compared.
# Run it from the repository root after `./paper-repro.sh` has built .build/release/paper-repro
# on a file system the compute nodes share.
set -euo pipefail
[ $# -ge 4 ] || { sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
experiment="$1" scale="$2" shards="$3" results="$4"
shift 4
bin="$PWD/.build/release/paper-repro"
[ -x "$bin" ] || { echo "slurm-sweep.sh: build first (./paper-repro.sh or swift build -c release)" >&2; exit 1; }
mkdir -p "$results/logs"

array_job=$(sbatch --parsable "$@" --job-name="repro-$experiment" --array="0-$((shards - 1))" \
    --cpus-per-task=2 --output="$results/logs/%x-%a.out" \
    --wrap="cd '$PWD' && '$bin' run '$experiment' --scale '$scale' --jobs 1 --output '$results/shard-\$SLURM_ARRAY_TASK_ID'")
echo "array job $array_job: $shards tasks"

merge_job=$(sbatch --parsable "$@" --job-name="repro-$experiment-merge" --dependency="afterok:$array_job" \
    --cpus-per-task=1 --output="$results/logs/%x.out" \
    --wrap="cd '$PWD' && '$bin' merge '$results'/shard-* --experiment '$experiment' --scale '$scale' --output '$results/merged' \
            && { '$bin' check '$experiment' --scale '$scale' --output '$results/merged'; checked=\$?; \
                 '$bin' figures '$experiment' --scale '$scale' --output '$results/merged' --figures '$results/figures' && exit \$checked; }")
echo "merge job $merge_job (after every task succeeded): results in $results/merged, figures in $results/figures"
