#!/bin/bash
# Submits the sweep's job array and the merge job that depends on it.
#   SHARDS=8 SCENARIO=my.yaml RESULTS=/shared/msgsim deploy/slurm/submit.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export SHARDS=${SHARDS:-4}
jid=$(sbatch --parsable --export=ALL --array="0-$((SHARDS - 1))" "$here/sweep.sbatch")
sbatch --export=ALL --dependency="afterok:$jid" "$here/merge.sbatch"
echo "sweep array $jid ($SHARDS shards) submitted, merge queued after it"
