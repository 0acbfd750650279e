#!/usr/bin/env bash
# The farm-size run (issue 15), one command:
#
#   benchmarks/farmsize.sh            # SQLite
#   benchmarks/farmsize.sh --pg       # PostgreSQL: a private cluster (scripts/postgres/start.sh, own folder and port)
#
# Builds farm and farm-bench (Release), then runs `farm-bench farmsize`: a real `farm serve` process
# on the store, and FARMSIZE_MEMBERS cluster members in the farm-bench process hosting FARMSIZE_NODES
# logical nodes between them, each with FARMSIZE_TOWERS towers of FARMSIZE_DRIVES protocol-level
# simulated DVD+R drives (the real registration and OutboxActor; no RecorderActor, no node journal,
# no SCSI simulator: the figures are the controller's). Every phase of a disc (load 8 s, write 360 s,
# close 20 s, verify 300 s, unload 6 s) runs FARMSIZE_TIME_SCALE times faster than real time. One job
# with enough copies to keep every drive busy; the run is measured for FARMSIZE_WINDOW from its
# submission. Prints one key=value line (see FarmSizeBenchmark for each figure), the journal's size
# on PostgreSQL, and the 1-minute load average before and after. Runs under nice: the machine is shared.
#
# Environment: FARMSIZE_NODES (500), FARMSIZE_MEMBERS (20), FARMSIZE_TOWERS (4), FARMSIZE_DRIVES (5),
# FARMSIZE_TIME_SCALE (10), FARMSIZE_WINDOW (180s), FARMSIZE_HEARTBEAT_PAUSE (10s),
# BENCH_DIR (/var/tmp/farm-bench), FARM_BENCH_CONTROLLER_VERBOSE=1 (farm serve --verbose: its information
# lines, e.g. each node joining, in controller.log).
set -euo pipefail
cd "$(dirname "$0")/.."
PG=no
[ "${1:-}" = "--pg" ] && PG=yes
WORK=${BENCH_DIR:-/var/tmp/farm-bench}/farmsize-$([ $PG = yes ] && echo pg || echo sqlite)
FARM="src/Farm.Controller/bin/Release/net10.0/farm.dll"
BENCH="benchmarks/Farm.Benchmarks/bin/Release/net10.0/farm-bench.dll"
nice dotnet build benchmarks/Farm.Benchmarks -c Release -v quiet -nologo >/dev/null
rm -rf "$WORK" && mkdir -p "$WORK"

DATABASE=farm_size
source benchmarks/store.sh

args=(--farm "$FARM" --store "$STORE" --work "$WORK"
  --nodes "${FARMSIZE_NODES:-500}" --members "${FARMSIZE_MEMBERS:-20}" --towers "${FARMSIZE_TOWERS:-4}" --drives "${FARMSIZE_DRIVES:-5}"
  --time-scale "${FARMSIZE_TIME_SCALE:-10}" --window "${FARMSIZE_WINDOW:-180s}" --heartbeat-pause "${FARMSIZE_HEARTBEAT_PAUSE:-10s}")
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
# Progress lines and the members' Akka warnings go to bench.log; the figures line is printed.
nice dotnet "$BENCH" farmsize "${args[@]}" > "$WORK/bench.log" 2>&1 || status=$?
grep -E '^farmsize ' "$WORK/bench.log" || { echo "farmsize.sh: no figures (exit $status); last lines of $WORK/bench.log:" >&2; tail -5 "$WORK/bench.log" >&2; }
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
report_store
exit $status
