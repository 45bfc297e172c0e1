#!/usr/bin/env bash
# A sweep sharded over a Slurm job array: task i runs the runs j with
# j mod 8 = i and writes results/shard-i.csv; merge them when all are done:
#
#   sbatch slurm-array.sh
#   regionsim merge sweep.csv results/shard-*.csv
#
#SBATCH --job-name=regionsim-sweep
#SBATCH --array=0-7
#SBATCH --cpus-per-task=2
#SBATCH --mem=512M
#SBATCH --time=01:00:00
#SBATCH --output=results/slurm-%A_%a.log
set -euo pipefail
mkdir -p results
regionsim sweep scenarios/eastus2-fails-frontdoor.toml \
  --param routing.probe_interval=10s,30s,60s,100s \
  --param regions.centralus.instances.initial=6..14 \
  --seeds 20 --threads "${SLURM_CPUS_PER_TASK:-2}" --shards 8 \
  --csv "results/shard-${SLURM_ARRAY_TASK_ID}.csv"
