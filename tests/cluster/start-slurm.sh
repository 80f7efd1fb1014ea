#!/usr/bin/env bash
# A throwaway single-node Slurm cluster for the tests: munged, slurmctld and slurmd on this host, config, state
# and logs in one folder, no cgroups, no accounting. Installs Debian's slurm-wlm and munge when missing.
#   tests/cluster/start-slurm.sh [DIR]   start (DIR: a new temp folder by default); prints DIR on stdout
#   . DIR/env                            SLURM_CONF for the clients (sbatch, squeue, scontrol, …)
#   tests/cluster/stop-slurm.sh DIR      cancel the jobs, stop the daemons by the PIDs recorded in DIR/pids
# On failure it exits 1 with the daemon's own error (the tail of its log) on stderr.
set -euo pipefail

need_install=0
for tool in munged slurmctld slurmd sbatch; do command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin command -v "$tool" >/dev/null || need_install=1; done
if [ "$need_install" = 1 ]; then
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "start-slurm: installing slurm-wlm and munge (Debian)" >&2
  $SUDO apt-get update -qq >&2
  # policy-rc.d is Debian's way to keep a package's postinst from starting the system-wide daemons
  $SUDO env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends slurm-wlm munge >&2
fi
export PATH=$PATH:/usr/sbin

DIR=${1:-$(mktemp -d /tmp/annscope-slurm.XXXXXX)}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
[ -e "$DIR/pids" ] && { echo "start-slurm: $DIR already holds a cluster (stop it with stop-slurm.sh $DIR)" >&2; exit 1; }
mkdir -p "$DIR/munge" "$DIR/state" "$DIR/spool" "$DIR/log"
chmod 755 "$DIR" "$DIR/munge"   # munged refuses a socket folder others cannot search
: > "$DIR/pids"

fail() {
  echo "start-slurm: $1" >&2
  [ -n "${2:-}" ] && [ -f "$2" ] && tail -n 15 "$2" >&2
  "$(dirname "$0")/stop-slurm.sh" "$DIR" >/dev/null 2>&1 || true
  exit 1
}

# ---- munge: a fresh key and a private socket
dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$DIR/munge/munge.key"
SOCKET=$DIR/munge/munge.socket
setsid munged -F --force --key-file "$DIR/munge/munge.key" --socket "$SOCKET" --pid-file "$DIR/munge/munged.pid" \
  --log-file "$DIR/log/munged.log" --seed-file "$DIR/munge/munged.seed" </dev/null >>"$DIR/log/munged.log" 2>&1 &
echo "munged $!" >> "$DIR/pids"
for _ in $(seq 100); do [ -S "$SOCKET" ] && break; sleep 0.05; done
[ -S "$SOCKET" ] || fail "munged did not start" "$DIR/log/munged.log"

# ---- slurm.conf: this host as controller and only node; free ports so a second cluster cannot clash
HOST=$(hostname -s)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
CTLD_PORT=$(free_port); SLURMD_PORT=$(free_port)
while [ "$SLURMD_PORT" = "$CTLD_PORT" ]; do SLURMD_PORT=$(free_port); done
# RealMemory above what slurmd -C reports drains the node: take its own figure
read -r CPUS MEMORY < <(slurmd -C 2>/dev/null | tr ' ' '\n' | awk -F= '/^CPUs=/{c=$2} /^RealMemory=/{m=$2} END{print c, m}')
[ -n "${CPUS:-}" ] && [ -n "${MEMORY:-}" ] || fail "slurmd -C did not describe this node"
USER_NAME=$(id -un)
CONF=$DIR/slurm.conf
cat > "$CONF" <<CONF
ClusterName=annscope-test
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=$USER_NAME
SlurmdUser=$USER_NAME
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCKET,cred_expire=10
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool/%n
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
KillWait=5
MinJobAge=600
SchedulerParameters=defer_batch=0
SlurmctldTimeout=30
SlurmdTimeout=60
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEMORY State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$CONF
printf 'export SLURM_CONF=%q\nexport PATH="$PATH:/usr/sbin"\n' "$CONF" > "$DIR/env"

setsid slurmctld -D -c -f "$CONF" </dev/null >>"$DIR/log/slurmctld.out" 2>&1 &
echo "slurmctld $!" >> "$DIR/pids"
setsid slurmd -D -f "$CONF" </dev/null >>"$DIR/log/slurmd.out" 2>&1 &
echo "slurmd $!" >> "$DIR/pids"

# ready when the node is idle: sinfo answers only once slurmctld listens, idle only once slurmd registered
for _ in $(seq 300); do
  state=$(sinfo -h -n "$HOST" -o %T 2>/dev/null || true)
  [ "$state" = idle ] && { echo "$DIR"; exit 0; }
  while read -r name pid; do
    kill -0 "$pid" 2>/dev/null || fail "$name exited while starting" "$DIR/log/$name.log"
  done < "$DIR/pids"
  sleep 0.1
done
fail "the node did not become idle in 30 s (state: ${state:-no answer})" "$DIR/log/slurmd.log"
