#!/bin/sh
# A real Slurm, not a simulation: start munged, slurmctld and slurmd on this
# machine with a private configuration (own key, socket, ports and state
# folder), submit a job array of 4 tasks running `augment ... --shard auto`,
# and check that the union of the tasks' outputs is byte for byte the
# single run, and their manifests together its manifest. Needs root (the
# daemons switch users) and Debian's slurm-wlm and munge (.ci/deps installs
# them); otherwise it says why it is skipped.
. "$(dirname "$0")/lib/common.sh"

if [ "$(id -u)" != 0 ]; then
    echo "slurm: skipped: needs root (it starts munged, slurmctld and slurmd)"
    exit 0
fi
for c in munged slurmctld slurmd sbatch runuser; do
    if ! command -v $c >/dev/null 2>&1 && [ ! -x /usr/sbin/$c ]; then
        echo "slurm: skipped: $c is not installed (apt-get install slurm-wlm munge)"
        exit 0
    fi
done
PATH=$PATH:/usr/sbin

# munged runs as the munge user, which cannot enter $T (mode 700): its
# files live in a folder of their own.
M=$(mktemp -d /tmp/augment-munge.XXXXXX) || exit 1
S=$T/slurm
mkdir -p "$S/state" "$S/spool"
stop_all() {
    for f in "$S/slurmd.pid" "$S/slurmctld.pid" "$M/pid"; do
        [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
    done
    # give them a moment to go, then make sure
    sleep 0.5
    for f in "$S/slurmd.pid" "$S/slurmctld.pid" "$M/pid"; do
        [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null
    done
    rm -rf "$M" "$T" "$VG"
}
trap stop_all EXIT

chown munge:munge "$M"
chmod 700 "$M"
dd if=/dev/urandom of="$M/munge.key" bs=1024 count=1 2>/dev/null
chown munge:munge "$M/munge.key"
chmod 400 "$M/munge.key"
if ! runuser -u munge -- munged --key-file="$M/munge.key" --socket="$M/sock" \
    --pid-file="$M/pid" --log-file="$M/log" --seed-file="$M/seed" --force; then
    fail "munged did not start"
    finish
fi

H=$(hostname -s 2>/dev/null || hostname)
base=$((20000 + $$ % 20000))
export SLURM_CONF="$S/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=augtest
SlurmctldHost=$H(127.0.0.1)
SlurmctldPort=$base
SlurmdPort=$((base + 1))
AuthType=auth/munge
AuthInfo=socket=$M/sock
CryptoType=crypto/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/slurmctld.log
SlurmdLogFile=$S/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$H NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=augtest Nodes=$H Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -i || fail "slurmctld did not start"
slurmd || fail "slurmd did not start"
# the node registers within a second or two
i=0
until sinfo -h -o %t 2>/dev/null | grep -q idle; do
    i=$((i + 1))
    if [ $i -gt 60 ]; then
        fail "the Slurm node did not come up: $(sinfo 2>&1 | tail -1)"
        tail -5 "$S/slurmctld.log" "$S/slurmd.log" | sed 's/^/    /'
        finish
    fi
    sleep 0.5
done
pass

# The data: the digits of three classes and a few photos. The job is the
# shipped example, examples/scale/slurm-array.sh, with augment on PATH.
cp -r "$DATA/digits" data
cp "$CAT" "$DATA/img/cat.jpg" "$EDGE/rgba_odd_size.png" data/
mkdir bin
ln -s "$AUGMENT" bin/augment
RECIPE=$ROOT/examples/scale/recipe.txt
if PATH="$T/bin:$PATH" DATA=data OUT=sharded RECIPE=$RECIPE \
    timeout 300 sbatch --wait --array=0-3 --cpus-per-task=1 --chdir="$T" -o "$T/task-%a.out" -e "$T/task-%a.err" \
    "$ROOT/examples/scale/slurm-array.sh" >sbatch.out 2>&1; then
    pass
else
    fail "sbatch --wait --array=0-3 failed: $(cat sbatch.out)"
    cat task-*.err 2>/dev/null | head -5 | sed 's/^/    /'
fi
aug chain --recipe "$RECIPE" -n 5 data -o single --manifest single.csv 2>/dev/null
if diff -r sharded single >/dev/null; then pass; else fail "4 Slurm tasks vs a single run: outputs differ"; fi
tail -q -n +2 sharded.manifest.0.csv sharded.manifest.1.csv sharded.manifest.2.csv \
    sharded.manifest.3.csv 2>/dev/null | sed 's/^sharded/X/' | sort >union.txt
tail -n +2 single.csv | sed 's/^single/X/' | sort >one.txt
check_same union.txt one.txt "the 4 tasks' manifests together are the single run's"
n=$(wc -l <one.txt | tr -d ' ')
echo "slurm: $(cat sbatch.out); 4 tasks wrote $(wc -l <union.txt | tr -d ' ') outputs," \
    "rows per task: $(for k in 0 1 2 3; do printf '%s ' $(($(wc -l <sharded.manifest.$k.csv) - 1)); done)(single run: $n)"
for k in 0 1 2 3; do
    [ "$(wc -l <sharded.manifest.$k.csv)" -gt 1 ] && pass || fail "task $k had no input"
done
finish
