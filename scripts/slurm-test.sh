#!/usr/bin/env bash
# `ltnb sweep --backend slurm` against a real Slurm: installs Debian slurm-wlm and munge
# when missing, starts munged, slurmctld and slurmd for a one-node cluster on localhost
# (all state under a temporary folder, no cgroups), runs sweeps through sbatch, checks
# what they wrote, and stops the daemons.
#
# Gated: when Slurm cannot be installed or started here it says why (with the daemons'
# log tails) and exits 0 *without* claiming a pass: the last line then reads
# "slurm: NOT RUN". Set LTNB_REQUIRE_SLURM=1 to make that an error instead.
# Usage: scripts/slurm-test.sh PATH/TO/ltnb
set -uo pipefail
BIN=$(readlink -f "$1")
ROOT=$(cd "$(dirname "$0")/.." && pwd)

not_run() {
    echo "slurm: NOT RUN: $*"
    for f in "${tmp:-/nonexistent}"/{munged,slurmctld,slurmd}.log; do
        [ -s "$f" ] && { echo "--- tail of $f"; tail -n 15 "$f"; }
    done
    [ "${LTNB_REQUIRE_SLURM:-0}" = 1 ] && exit 1
    exit 0
}

# 1. Install when missing (root: apt-get; otherwise only with passwordless sudo).
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo -n true 2>/dev/null || not_run "slurm-wlm/munge are not installed and this user cannot install them (not root, no sudo)"
        SUDO="sudo -n"
    fi
    echo "slurm: installing slurm-wlm and munge"
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends slurm-wlm munge; } \
        > /tmp/ltnb-slurm-apt.log 2>&1 || { tail -n 20 /tmp/ltnb-slurm-apt.log; not_run "apt-get install slurm-wlm munge failed"; }
fi
[ "$(id -u)" -eq 0 ] || not_run "slurmd must run as root to start jobs for this user; run the tests as root (CI does)"

# 2. A one-node cluster under $tmp.
tmp=$(mktemp -d /tmp/ltnb-slurm.XXXXXX)
chmod 700 "$tmp"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    sleep 1
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ctl_port=$(free_port); node_port=$(free_port)
host=$(hostname -s)
mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool"
chmod 700 "$tmp/munge"
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$tmp/munge/munge.key"
munged --force --socket="$tmp/munge/socket" --key-file="$tmp/munge/munge.key" --pid-file="$tmp/munge/munged.pid" \
    --log-file="$tmp/munged.log" --seed-file="$tmp/munge/seed" || not_run "munged did not start"
sleep 0.5
[ -f "$tmp/munge/munged.pid" ] && pids+=("$(cat "$tmp/munge/munged.pid")")

cat > "$tmp/slurm.conf" <<EOF
ClusterName=ltnbtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctl_port
SlurmdPort=$node_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool/%n
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
SchedulerType=sched/backfill
NodeName=ltnbnode NodeHostname=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=ltnbnode Default=YES MaxTime=INFINITE State=UP
EOF
# No cgroups anywhere: an empty cgroup.conf keeps slurmd from probing for one.
echo "CgroupAutomount=no" > "$tmp/cgroup.conf"
export SLURM_CONF="$tmp/slurm.conf"

slurmctld -f "$SLURM_CONF" -i || not_run "slurmctld did not start"
sleep 1
[ -f "$tmp/slurmctld.pid" ] && pids+=("$(cat "$tmp/slurmctld.pid")")
slurmd -f "$SLURM_CONF" -N ltnbnode || not_run "slurmd did not start"
[ -f "$tmp/slurmd.pid" ] || sleep 1
[ -f "$tmp/slurmd.pid" ] && pids+=("$(cat "$tmp/slurmd.pid")")

# Wait for the node to come up idle.
up=0
for _ in $(seq 1 30); do
    state=$(sinfo -h -n ltnbnode -o %T 2>/dev/null | head -1)
    case "$state" in idle*|mix*|alloc*) up=1; break ;; esac
    sleep 1
done
[ "$up" = 1 ] || not_run "the node never became idle (sinfo says '${state:-nothing}')"
echo "slurm: controller and node up ($(sinfo -h -o '%P %D %T' | head -1)); $(sbatch --version)"

# 3. The sweeps.
pass=0; fail=0
ok() { pass=$((pass+1)); echo "ok   $1"; }
bad() { fail=$((fail+1)); echo "FAIL $1"; }
work="$tmp/work"; mkdir -p "$work"
cat > "$work/nb.ltnb" <<'EOF'
---
params:
  seed: 0
  loss: ce
---
```ltnb
#| label: tbl-acc
acc = 0.5 + seed / 100 + (if loss == "la" { 0.1 } else if loss == "bad" { error("no such loss") } else { 0 })
table([{method: loss, acc: acc, few: acc - 0.2}])
```
EOF
export SOURCE_DATE_EPOCH=1700000000
out="$work/sweep"
"$BIN" sweep "$work/nb.ltnb" -p seed=0..2 -p loss=ce,la -o "$out" --backend slurm > "$work/sweep.log" 2>&1
rc=$?
cat "$work/sweep.log"
[ "$rc" -eq 0 ] && ok "slurm sweep exits 0" || bad "slurm sweep exit $rc"
grep -q "submitted Slurm job array" "$work/sweep.log" && ok "submitted through sbatch" || bad "no submission"
n=$(ls "$out"/logs/slurm-*_*.out 2>/dev/null | wc -l)
[ "$n" -eq 6 ] && ok "one Slurm log per task (6)" || bad "Slurm task logs: $n"
n=$(ls "$out"/runs/*/nb.html 2>/dev/null | wc -l)
[ "$n" -eq 6 ] && ok "six run reports" || bad "run reports: $n"
grep -q '0.510 ± 0.010' "$out/index.html" && ok "index.html aggregates over seed" || bad "index.html aggregate"
grep -q "Slurm job array" "$out/index.html" && ok "provenance names the job array" || bad "provenance"
grep -q '^tbl-acc,la,la,acc,3,0.61' "$out/summary.csv" && ok "summary.csv" || bad "summary.csv: $(sed -n 2,3p "$out/summary.csv")"

# --no-wait, then --collect once squeue has no task left.
out2="$work/sweep2"
"$BIN" sweep "$work/nb.ltnb" -p seed=0,1 -p loss=ce -o "$out2" --backend slurm --no-wait > "$work/nowait.log" 2>&1
rc=$?
job=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["slurmJobID"])' "$out2/sweep.json" 2>/dev/null)
[ "$rc" -eq 0 ] && [ -n "$job" ] && [ ! -f "$out2/index.html" ] && ok "--no-wait returns after submitting job $job" \
    || { bad "--no-wait (exit $rc, job '$job')"; cat "$work/nowait.log"; }
for _ in $(seq 1 60); do
    [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
    sleep 1
done
"$BIN" sweep --collect "$out2" > "$work/collect.log" 2>&1
rc=$?
[ "$rc" -eq 0 ] && grep -q '0.505 ± 0.007' "$out2/index.html" && ok "--collect builds the summary" || { bad "--collect (exit $rc)"; cat "$work/collect.log"; }

# A failing point: exit 1, the summary still written and naming it.
"$BIN" sweep "$work/nb.ltnb" -p seed=0 -p loss=ce,bad -o "$work/sweep4" --backend slurm > "$work/failing.log" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q 'failed (exit 1)' "$work/sweep4/index.html" && grep -q "failed seed-0_loss-bad (exit 1): nb.ltnb:.*no such loss" "$work/failing.log" \
    && ok "a failing task: exit 1, listed in the summary" || { bad "failing task (exit $rc)"; cat "$work/failing.log"; }

# sbatch refusing: a partition that does not exist; exit 2 and nothing queued.
before=$(squeue -h | wc -l)
"$BIN" sweep "$work/nb.ltnb" -p seed=0 -o "$work/sweep3" --backend slurm --slurm-opt "--partition=no-such-partition" > "$work/refused.log" 2>&1
rc=$?
after=$(squeue -h | wc -l)
[ "$rc" -eq 2 ] && grep -q "sbatch refused" "$work/refused.log" && [ "$before" -eq "$after" ] \
    && ok "sbatch refusing exits 2, nothing submitted" || { bad "sbatch refusal (exit $rc)"; cat "$work/refused.log"; }

# A task cancelled while it runs: the sweep reports it (exit 1), it does not hang or pass.
cat > "$work/spin.ltnb" <<'EOF'
---
params:
  seed: 0
---
```ltnb
#| label: tbl-x
n = 0
while seed > 0 and n < 1000000000 { n += 1 }
table([{x: seed}])
```
EOF
"$BIN" sweep "$work/spin.ltnb" -p seed=0,1 -o "$work/sweep5" --backend slurm --no-wait > "$work/cancel.log" 2>&1
job=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["slurmJobID"])' "$work/sweep5/sweep.json" 2>/dev/null)
for _ in $(seq 1 120); do
    [ -f "$work/sweep5/runs/seed-0/exit-code" ] && [ -n "$(squeue -h -j "$job" -t R 2>/dev/null)" ] && break
    sleep 0.5
done
"$BIN" sweep "$work/spin.ltnb" -p seed=0,1 -o "$work/sweep5" --backend slurm > "$work/twice.log" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q "still queued or running" "$work/twice.log" \
    && ok "no second submission while the array runs" || { bad "second submission (exit $rc)"; cat "$work/twice.log"; }
scancel "$job"
for _ in $(seq 1 60); do [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break; sleep 1; done
"$BIN" sweep --collect "$work/sweep5" > "$work/collect5.log" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q '1 succeeded, 1 failed' "$work/sweep5/index.html" && grep -Eq 'failed seed-1 \(exit 1[0-9][0-9]\)' "$work/collect5.log" \
    && ok "a cancelled task is reported, exit 1: $(grep 'failed seed-1' "$work/collect5.log")" || { bad "cancelled task (exit $rc)"; cat "$work/cancel.log" "$work/collect5.log"; }

echo "slurm: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
