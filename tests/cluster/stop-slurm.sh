#!/usr/bin/env bash
# Stops a cluster started by start-slurm.sh: cancels its jobs first (job processes outlive a killed slurmd),
# then ends the daemons by the PIDs it recorded, and removes DIR unless --keep is given.
#   tests/cluster/stop-slurm.sh DIR [--keep]
set -uo pipefail
DIR=${1:?usage: stop-slurm.sh DIR [--keep]}
[ -f "$DIR/pids" ] || { echo "stop-slurm: $DIR holds no cluster" >&2; exit 1; }
export PATH=$PATH:/usr/sbin SLURM_CONF=$DIR/slurm.conf
if [ -f "$SLURM_CONF" ]; then
  jobs=$(squeue -h -o %A 2>/dev/null)
  [ -n "$jobs" ] && scancel $jobs 2>/dev/null
  for _ in $(seq 100); do [ -z "$(squeue -h -o %A 2>/dev/null)" ] && break; sleep 0.1; done
fi
# reverse start order: slurmd, slurmctld, munged
tac "$DIR/pids" | while read -r name pid; do
  kill -TERM "$pid" 2>/dev/null || continue
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
done
rm -f "$DIR/pids"
[ "${2:-}" = --keep ] || rm -rf "$DIR"
exit 0
