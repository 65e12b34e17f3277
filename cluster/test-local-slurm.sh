#!/usr/bin/env bash
# End-to-end test of the Slurm path on this machine: start a private single-node Slurm cluster
# (munge + slurmctld + slurmd, all state in a temporary directory, non-default ports), submit the
# smoke-scale induction sweep with cluster/slurm-sweep.sh as a 3-task array job plus its afterok
# merge job, wait, and check that the merged results are complete and pass the golden check and
# that every figure was drawn. The daemons are stopped on exit.
#
#   cluster/test-local-slurm.sh            (needs root, slurm-wlm and munge; paper-repro.sh test
#                                           installs them and runs this)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release/paper-repro
[ -x "$bin" ] || { echo "test-local-slurm.sh: build first (swift build -c release)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "test-local-slurm.sh: needs root (slurmd runs jobs as root here)" >&2; exit 1; }
for tool in munged mungekey slurmctld slurmd sbatch squeue sinfo; do
    command -v "$tool" >/dev/null || { echo "test-local-slurm.sh: '$tool' missing: apt-get install slurm-wlm munge" >&2; exit 1; }
done

work=$(mktemp -d /tmp/repro-slurm.XXXXXX)
mkdir -p "$work"/{state,spool,log,munge}
export SLURM_CONF="$work/slurm.conf"
keep=0   # set to 1 on failure: the logs stay for reading
running() { ps -o stat= -p "$1" 2>/dev/null | grep -qv Z; }   # alive and not a zombie
stop() {
    local pids=() pid
    for pidfile in "$work/slurmd.pid" "$work/slurmctld.pid" "$work/munge/munged.pid"; do
        [ -f "$pidfile" ] && pids+=("$(cat "$pidfile")")
    done
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for _ in $(seq 40); do   # slurmctld saves its state before it exits
        local alive=0
        for pid in "${pids[@]}"; do running "$pid" && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.25
    done
    for pid in "${pids[@]}"; do running "$pid" && kill -9 "$pid" 2>/dev/null || true; done
    [ "$keep" = 1 ] || rm -rf "$work"
}
trap stop EXIT
# Ports of our own, so that a cluster already running here (or a leftover) does not collide.
port=$((20000 + ($$ % 5000) * 2))

mungekey -c -f -k "$work/munge.key" && chmod 600 "$work/munge.key"
munged --key-file="$work/munge.key" --socket="$work/munge/munge.socket" --pid-file="$work/munge/munged.pid" \
       --log-file="$work/log/munged.log" --seed-file="$work/munge/seed" -f
host=$(hostname -s)
cat > "$SLURM_CONF" <<CONF
ClusterName=repro-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
SlurmctldPort=$port
SlurmdPort=$((port + 1))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 30); do sinfo -h -o %t 2>/dev/null | grep -qE '^idle' && break; sleep 1; done
sinfo -h -o %t | grep -qE '^idle' || { keep=1; echo "Slurm did not come up; logs in $work/log" >&2; tail -n 5 "$work"/log/*.log >&2; exit 1; }

results="$work/results"
cluster/slurm-sweep.sh induction smoke 3 "$results" --cpus-per-task=1
for _ in $(seq 300); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 1; done
[ -z "$(squeue -h)" ] || { keep=1; echo "jobs still queued after 300 s:" >&2; squeue >&2; exit 1; }

status=0
ls "$results"/shard-* >/dev/null || { echo "no shard directories written" >&2; exit 1; }
"$bin" merge "$results"/shard-* --experiment induction --scale smoke --output "$work/remerged" | tail -n 2 || status=1
"$bin" check induction --scale smoke --output "$results/merged" | tail -n 1 || status=1
figures=$(ls "$results"/figures/*.pdf 2>/dev/null | wc -l)
[ "$figures" = 24 ] || { echo "expected 24 induction figures from the merge job, found $figures" >&2; status=1; }
[ "$status" = 0 ] || { keep=1; echo "logs: $work/log, $results/logs"; cat "$results"/logs/*merge*.out >&2 || true; exit 1; }
echo "Slurm array job (3 tasks) + afterok merge job: results complete, golden check passed, $figures figures drawn"
