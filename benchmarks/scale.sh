#!/usr/bin/env bash
# The scale run (issue 15), one command:
#
#   benchmarks/scale.sh            # SQLite
#   benchmarks/scale.sh --pg       # PostgreSQL: a private cluster (scripts/postgres/start.sh, own folder and port)
#
# Builds farm and farm-bench (Release), then runs `farm-bench scale`: a real `farm serve` process on
# the store, and SCALE_NODES node ActorSystems in the farm-bench process (SCALE_TOWERS towers of
# SCALE_DRIVES simulated DVD+R 16x drives each; arm load 8 s, unload 6 s) at SCALE_TIME_SCALE
# simulated seconds per real second; one job of SCALE_DISCS copies with full verify of a
# SCALE_IMAGE_MIB MiB image. Prints one key=value line (see ScaleBenchmark / ScaleFigures for what
# each figure is), the journal's size on PostgreSQL, and the 1-minute load average before and after.
# Runs under nice: the machine is shared.
#
# Environment: SCALE_NODES (20), SCALE_TOWERS (2), SCALE_DRIVES (5), SCALE_DISCS (1000),
# SCALE_TIME_SCALE (10), SCALE_IMAGE_MIB (4), SCALE_HEARTBEAT_PAUSE (the farm's default; e.g. 10s),
# SCALE_MEDIA (ram: the simulated discs' files in /dev/shm; disk: in the run's folder),
# SCALE_NODE_FOLDERS (disk; ram: each node's folder, its journal too, in /dev/shm),
# BENCH_DIR (/var/tmp/farm-bench), SCALE_FARM and SCALE_BENCH (farm.dll and farm-bench.dll to use
# instead of building this tree's).
set -euo pipefail
cd "$(dirname "$0")/.."
PG=no
[ "${1:-}" = "--pg" ] && PG=yes
WORK=${BENCH_DIR:-/var/tmp/farm-bench}/scale-$([ $PG = yes ] && echo pg || echo sqlite)
if [ -n "${SCALE_FARM:-}" ]; then
  # Given builds (e.g. a copy of an earlier commit's, for a before/after pair): used as they are.
  FARM=$SCALE_FARM; BENCH=${SCALE_BENCH:?SCALE_BENCH goes with SCALE_FARM}
else
  FARM="src/Farm.Controller/bin/Release/net10.0/farm.dll"
  BENCH="benchmarks/Farm.Benchmarks/bin/Release/net10.0/farm-bench.dll"
  nice dotnet build benchmarks/Farm.Benchmarks -c Release -v quiet -nologo >/dev/null
fi
rm -rf "$WORK" && mkdir -p "$WORK"

# The simulated drives keep each disc they burn as a file (4 MiB x 1,000 discs). A real drive writes
# its disc, not the host's disk, so by default these files go to RAM (/dev/shm), one folder per node
# linked as the node's media folder. SCALE_NODE_FOLDERS=ram puts each node's whole folder there, its
# journal too (a farm's nodes flush their own disks; here 20 node journals and the controller's
# share one): used once on 2026-12-03 to rule the disk out as the cause of the controller's slow
# commits (it was Microsoft.Data.Sqlite's 150 ms retry; docs/BENCHMARKS.md). In RAM a node's
# journal costs no flush at all: say so with the figures.
MEDIA=""
if [ "${SCALE_MEDIA:-ram}" = ram ] || [ "${SCALE_NODE_FOLDERS:-disk}" = ram ]; then
  MEDIA=$(mktemp -d /dev/shm/farm-bench-nodes.XXXXXX)
  # At the end the discs go; a node folder kept in RAM comes back to the run's folder (its journal, for scale-figures).
  keep_nodes() {
    rm -rf "$MEDIA"/n*/media
    for n in $(seq 1 "${SCALE_NODES:-20}"); do
      if [ -L "$WORK/n$n" ]; then rm "$WORK/n$n" && mv "$MEDIA/n$n" "$WORK/n$n"; fi
    done
    rm -rf "$MEDIA"
  }
  trap keep_nodes EXIT
  for n in $(seq 1 "${SCALE_NODES:-20}"); do
    if [ "${SCALE_NODE_FOLDERS:-disk}" = ram ]; then
      mkdir -p "$MEDIA/n$n" && ln -s "$MEDIA/n$n" "$WORK/n$n"
    else
      mkdir -p "$MEDIA/n$n" "$WORK/n$n" && ln -s "$MEDIA/n$n" "$WORK/n$n/media"
    fi
  done
fi

DATABASE=farm_scale
source benchmarks/store.sh

args=(--farm "$FARM" --store "$STORE" --work "$WORK"
  --nodes "${SCALE_NODES:-20}" --towers "${SCALE_TOWERS:-2}" --drives "${SCALE_DRIVES:-5}"
  --discs "${SCALE_DISCS:-1000}" --time-scale "${SCALE_TIME_SCALE:-10}" --image-mib "${SCALE_IMAGE_MIB:-4}")
[ -n "${SCALE_HEARTBEAT_PAUSE:-}" ] && args+=(--heartbeat-pause "$SCALE_HEARTBEAT_PAUSE")
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
# The nodes' Akka log lines (heartbeat warnings on a loaded machine) go to bench.log; the figures line is printed.
nice dotnet "$BENCH" scale "${args[@]}" > "$WORK/bench.log" 2>&1 || status=$?
grep -E '^(scale|drive-time|harness) ' "$WORK/bench.log" || { echo "scale.sh: no figures (exit $status); last lines of $WORK/bench.log:" >&2; tail -5 "$WORK/bench.log" >&2; }
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
report_store
# The simulated drives keep each verified disc as a file (4 MiB x 1,000 discs = 4 GB a run); the
# figures come from the journals and logs, which stay. Kept runs filled a 252 GB disk on 2026-12-03.
rm -rf "$WORK"/n*/media
exit $status
