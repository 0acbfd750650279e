#!/usr/bin/env bash
# The cluster figures (BENCH_ONLY=cluster of benchmarks/run.sh; needs the Release build of farm,
# farm-node and farm-bench, which run.sh makes). Prints markdown tables; every figure carries the
# 1-minute load average (/proc/loadavg) when it was taken.
#
# 1. Singleton failover after SIGKILL: a private PostgreSQL (scripts/postgres/start.sh, own folder
#    and port), and for each run a fresh database and a fresh cluster of real processes on this host:
#    two `farm serve` (the first started is the oldest member: it hosts the singleton) and
#    `farm-node --simulate 1` processes to make up MEMBERS (3 or 5). A job is submitted; once the
#    second controller answers GET /api/jobs/{id} with 200 (it forwards to the singleton), the first
#    is killed with SIGKILL and the second is asked every 100 ms (curl, 2 s timeout) until it
#    answers 200 again (503 while the singleton is away). Figure: SIGKILL to that 200, wall clock.
# 2. Outcome delivery latency: in the first 5-member run, before the kill, the job (12 copies)
#    runs to its end; then farm-bench delivery reads every node's journal and the controller's (via
#    Akka.Persistence.Query) and pairs each event a node's drive or tower persisted with the
#    NodeReported the controller persisted for it.
# 3. Controller recovery: farm-bench recovery on a fresh SQLite file and a fresh PostgreSQL database,
#    for each of CLUSTER_EVENTS.
#
# Environment: CLUSTER_RUNS (failover runs per size, default 5; 0: recovery only), CLUSTER_EVENTS
# (default "100000 1000000"; empty: no recovery part), CLUSTER_RECOVERY_RUNS (default 3), BENCH_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${BENCH_DIR:-/var/tmp/farm-bench}/cluster
RUNS=${CLUSTER_RUNS:-5}
EVENTS=${CLUSTER_EVENTS-100000 1000000}
RECOVERY_RUNS=${CLUSTER_RECOVERY_RUNS:-3}
FARM="src/Farm.Controller/bin/Release/net10.0/farm.dll"
NODE="src/Farm.Node/bin/Release/net10.0/farm-node.dll"
BENCH="benchmarks/Farm.Benchmarks/bin/Release/net10.0/farm-bench.dll"
for f in "$FARM" "$NODE" "$BENCH"; do [ -f "$f" ] || { echo "cluster.sh: $f is not built (dotnet build benchmarks/Farm.Benchmarks -c Release)" >&2; exit 1; }; done
rm -rf "$WORK" && mkdir -p "$WORK"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
load() { cut -d' ' -f1 /proc/loadavg; }
PIDS=()
stop_all() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done; PIDS=(); }

export FARM_PG_DIR="$WORK/pg/data" FARM_PG_PORT
FARM_PG_PORT=$(free_port)
scripts/postgres/start.sh > "$WORK/pg.log" 2>&1 || { cat "$WORK/pg.log" >&2; exit 1; }
trap 'stop_all; scripts/postgres/stop.sh >/dev/null 2>&1 || true' EXIT
psql_admin() { psql -q -h 127.0.0.1 -p "$FARM_PG_PORT" -U postgres -d postgres -c "$1" >/dev/null; }

# wait_for WHAT SECONDS COMMAND...: polls COMMAND every 200 ms until it succeeds.
wait_for() {
  local what=$1 seconds=$2; shift 2
  local deadline=$(( $(date +%s) + seconds ))
  until "$@"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then echo "cluster.sh: timed out waiting for $what; logs in $WORK" >&2; exit 1; fi
    sleep 0.2
  done
}
status_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true; }
answers() { [ "$(status_code "$1")" = 200 ]; }
idle_drives() { curl -s --max-time 2 "$1/api/status" | jq '[.drives[] | select(.state == "Idle")] | length' 2>/dev/null || echo 0; }
has_idle() { [ "$(idle_drives "$1")" -ge "$2" ]; }
in_log() { grep -qs "$2" "$1"; }
job_done() { [ "$(curl -s --max-time 2 "$1" | jq -r '.status' 2>/dev/null)" = "Completed" ]; }

IMAGE="$WORK/image.iso"
head -c $((4 * 1024 * 1024)) /dev/urandom > "$IMAGE"
FAILOVER=""
DELIVERY=""
[ "$RUNS" -gt 0 ] && sizes="3 5" || sizes=""
for members in $sizes; do
  for run in $(seq 1 "$RUNS"); do
    dir="$WORK/m$members-r$run"; mkdir -p "$dir"
    db="farm_bench_m${members}_r$run"
    psql_admin "CREATE DATABASE $db"
    store="postgres://postgres@127.0.0.1:$FARM_PG_PORT/$db"
    c1=$(free_port); c2=$(free_port); h1=$(free_port); h2=$(free_port)
    seeds="127.0.0.1:$c1,127.0.0.1:$c2"
    for i in 1 2; do
      c=c$i; h=h$i
      dotnet "$FARM" serve --store "$store" --cluster "127.0.0.1:${!c}" --seeds "$seeds" --http "http://127.0.0.1:${!h}" > "$dir/controller$i.log" 2>&1 &
      PIDS+=($!); [ "$i" = 1 ] && victim=$!
      wait_for "controller $i to join" 120 in_log "$dir/controller$i.log" "cluster member"
    done
    nodes=$((members - 2))
    for n in $(seq 1 "$nodes"); do
      dotnet "$NODE" --cluster "127.0.0.1:$(free_port)" --seeds "$seeds" --node-id "n$n" --data "$dir/n$n" --simulate 1 --time-scale 10 > "$dir/node$n.log" 2>&1 &
      PIDS+=($!)
    done
    standby="http://127.0.0.1:$h2"
    wait_for "$nodes idle drives" 180 has_idle "$standby" "$nodes"
    copies=2; [ "$members" = 5 ] && [ "$run" = 1 ] && copies=12
    job=$(dotnet "$FARM" submit "$IMAGE" --copies "$copies" --farm "$standby" 2>&1 | grep -oE 'job [0-9]{8}-[0-9]{6}-[0-9a-f]+' | head -1 | cut -d' ' -f2)
    [ -n "$job" ] || { echo "cluster.sh: farm submit printed no job id" >&2; exit 1; }
    wait_for "the standby to answer for job $job" 60 answers "$standby/api/jobs/$job"
    if [ "$copies" = 12 ]; then
      wait_for "job $job to complete" 600 job_done "$standby/api/jobs/$job"
      node_dirs=$(for n in $(seq 1 "$nodes"); do printf '%s ' "$dir/n$n"; done)
      # shellcheck disable=SC2086
      DELIVERY=$(dotnet "$BENCH" delivery "$store" $node_dirs)
    fi
    before=$(load)
    kill -9 "$victim"
    t0=$(date +%s.%N)
    date -u -d "@$t0" +%H:%M:%S.%3N > "$dir/killed-at" # to set beside the survivors' log stamps
    until answers "$standby/api/jobs/$job"; do
      if [ "$(echo "$(date +%s.%N) - $t0 > 120" | bc)" = 1 ]; then echo "cluster.sh: no answer 120 s after the kill; logs in $dir" >&2; exit 1; fi
      sleep 0.1
    done
    t1=$(date +%s.%N)
    seconds=$(echo "$t1 - $t0" | bc -l)
    FAILOVER+="failover members=$members run=$run seconds=$(printf %.2f "$seconds") load_before=$before load_after=$(load)"$'\n'
    echo "failover: $members members, run $run: $(printf %.2f "$seconds") s (load $before)" >&2
    stop_all
  done
done

if [ -n "$sizes" ]; then
echo
echo "Singleton failover after SIGKILL of its host (real farm serve + farm-node processes on this host, PostgreSQL; 2 controllers + members-2 nodes):"
echo
echo "| members | run | SIGKILL to 200 (s) | load before | load after |"
echo "|---|---|---|---|---|"
echo -n "$FAILOVER" | awk '{for(i=2;i<=NF;i++){split($i,a,"=");v[a[1]]=a[2]} printf "| %s | %s | %s | %s | %s |\n", v["members"], v["run"], v["seconds"], v["load_before"], v["load_after"]}'
echo
for members in 3 5; do
  echo -n "$FAILOVER" | awk -v m="$members" '$2=="members="m{split($4,a,"=");print a[2]}' | sort -n | awk -v m="$members" '{x[NR]=$1} END {printf "%s members: min %.2f s, median %.2f s, max %.2f s over %d runs\n", m, x[1], (NR%2 ? x[(NR+1)/2] : (x[NR/2]+x[NR/2+1])/2), x[NR], NR}'
done

echo
echo "Outcome delivery latency, node journal -> controller journal (one 12-copy job, 3 nodes, before any kill):"
echo
echo "$DELIVERY"
fi

if [ -n "$EVENTS" ]; then
echo
echo "Controller recovery (a real FarmControllerActor, fresh ActorSystem each run, to its first GetFarmState answer):"
echo
echo "| store | events | snapshot at | snapshot bytes | run | ms | load |"
echo "|---|---|---|---|---|---|---|"
for events in $EVENTS; do
  rm -f "$WORK/recovery.db"*
  psql_admin "DROP DATABASE IF EXISTS farm_bench_recovery"; psql_admin "CREATE DATABASE farm_bench_recovery"
  for store in "sqlite:$WORK/recovery.db" "postgres://postgres@127.0.0.1:$FARM_PG_PORT/farm_bench_recovery"; do
    dotnet "$BENCH" recovery "$store" "$events" "$RECOVERY_RUNS" | tee -a "$WORK/recovery.log" | awk '
      $1=="fill" {print "fill: " $0 > "/dev/stderr"; next}
      {for(i=2;i<=NF;i++){split($i,a,"=");v[a[1]]=a[2]} printf "| %s | %s | %s | %s | %s | %s | %s |\n", v["store"], v["events"], (v["snapshot"]=="yes" ? v["snapshot_at"] : "none"), v["snapshot_bytes"], v["run"], v["ms"], v["load"]}'
  done
done
echo
echo "fills: $(grep '^fill' "$WORK/recovery.log" | tr '\n' ';')"
fi
