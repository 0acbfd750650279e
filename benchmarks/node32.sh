#!/usr/bin/env bash
# 32 real-time BD-R 16x drives through farm-node (BENCH_ONLY=node32 of benchmarks/run.sh; needs the
# Release build of farm and farm-node, which run.sh makes, and the 1 GiB image run.sh makes).
#
# A real `farm serve` (SQLite) and a real `farm-node --simulate 32 --media BD-R --write-speed 16
# --time-scale 1 --buffer-underrun-free off --discard-media --load-seconds 0 --unload-seconds 0
# --verbose` on this host, at real-time priority (NODE32_PREFIX, below); one job of 32 copies of the image (farm submit --media BD-R --verify none). Figures,
# from the node's own log and /proc:
# - each drive's write phase (the recorder's log line per burn: from the start of the data phase,
#   after power calibration, to the end of SYNCHRONIZE CACHE, i.e. the drive's buffer recorded):
#   min / average / max MB/s over the drives, against 72 MB/s (16 x 4,495,500 B/s);
# - underruns: with buffer-underrun-free off a starved drive loses its disc (loss of streaming):
#   counted from the node's "failed while" lines;
# - bytes the node read from the image file (its shared image reads' log line when the image's last
#   drive is done) against the image's size;
# - the node process's CPU (utime + stime from /proc/PID/stat) from the submission to the 32nd
#   write phase, in CPU seconds and as a share of the machine.
#
# Usage: benchmarks/node32.sh IMAGE [DRIVES]
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=${1:?usage: node32.sh IMAGE [DRIVES]}
DRIVES=${2:-32}
WORK=${BENCH_DIR:-/var/tmp/farm-bench}/node32
FARM="src/Farm.Controller/bin/Release/net10.0/farm.dll"
NODE="src/Farm.Node/bin/Release/net10.0/farm-node.dll"
for f in "$FARM" "$NODE"; do [ -f "$f" ] || { echo "node32.sh: $f is not built (dotnet build src/Farm.Controller -c Release)" >&2; exit 1; }; done
rm -rf "$WORK" && mkdir -p "$WORK"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PIDS=()
stop_all() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done; PIDS=(); }
trap stop_all EXIT
wait_for() {
  local what=$1 seconds=$2; shift 2
  local deadline=$(( $(date +%s) + seconds ))
  until "$@"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then echo "node32.sh: timed out waiting for $what; logs in $WORK" >&2; exit 1; fi
    sleep 0.2
  done
}
in_log() { grep -qs "$2" "$1"; }
idle_drives() { curl -s --max-time 2 "$URL/api/status" | jq '[.drives[] | select(.state == "Idle")] | length' 2>/dev/null || echo 0; }
has_idle() { [ "$(idle_drives)" -ge "$DRIVES" ]; }
ended() { [ $(( $(grep -c "bytes written; write phase" "$WORK/node.log" || true) + $(grep -c "failed while" "$WORK/node.log" || true) )) -ge "$DRIVES" ]; }
image_done() { grep -qs "shared image $IMAGE .*its last drive is done" "$WORK/node.log"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# NODE32_PREFIX: what the node is started under. Default, as root: `chrt -r 10` (real-time round-robin
# priority 10). Real-time drives give the host 58 ms per 4 MiB drive buffer at 72 MB/s; on this
# shared 2-core machine (CPU pressure 96 %) the node at `nice -n -15` still stalled 60-120 ms at a
# time and lost every disc, at real-time priority 32 of 32 drives kept streaming (docs/BENCHMARKS.md,
# issue 14 node part). NODE32_PREFIX="nice -n -15" for the old setting, NODE32_PREFIX=none for none.
# A dedicated node PC does the same with CPUSchedulingPolicy=rr in its unit (docs/OPERATIONS.md).
NICE="${NODE32_PREFIX:-}"
if [ "$NICE" = none ]; then NICE=""
elif [ -z "$NICE" ] && [ "$(id -u)" = 0 ] && command -v chrt >/dev/null; then NICE="chrt -r 10"; fi
cport=$(free_port); nport=$(free_port); hport=$(free_port)
URL="http://127.0.0.1:$hport"
dotnet "$FARM" serve --store "sqlite:$WORK/farm.db" --cluster "127.0.0.1:$cport" --seeds "127.0.0.1:$cport" --http "$URL" > "$WORK/serve.log" 2>&1 &
PIDS+=($!)
wait_for "farm serve to join its cluster" 120 in_log "$WORK/serve.log" "cluster member"
$NICE dotnet "$NODE" --cluster "127.0.0.1:$nport" --seeds "127.0.0.1:$cport" --node-id bench --data "$WORK/node" \
  --simulate "$DRIVES" --media BD-R --write-speed 16 --time-scale 1 --buffer-underrun-free off --discard-media \
  --load-seconds 0 --unload-seconds 0 --verbose > "$WORK/node.log" 2>&1 &
node_pid=$!
PIDS+=($node_pid)
wait_for "$DRIVES idle drives" 180 has_idle

sync
if [ -w /proc/sys/vm/drop_caches ]; then echo 3 > /proc/sys/vm/drop_caches; fi
load_before=$(cut -d' ' -f1 /proc/loadavg)
cpu0=$(cpu_ticks "$node_pid"); t0=$(date +%s.%N)
dotnet "$FARM" submit "$IMAGE" --copies "$DRIVES" --media BD-R --verify none --farm "$URL" > "$WORK/submit.log" 2>&1 || { cat "$WORK/submit.log" >&2; exit 1; }
wait_for "$DRIVES burns to end" 600 ended
cpu1=$(cpu_ticks "$node_pid"); t1=$(date +%s.%N)
wait_for "the node's image reads to end" 300 image_done

hz=$(getconf CLK_TCK)
cpu=$(echo "($cpu1 - $cpu0) / $hz" | bc -l); wall=$(echo "$t1 - $t0" | bc -l)
rates=$(grep -oE "write phase [0-9.]+ s \([0-9.]+ MB/s" "$WORK/node.log" | grep -oE "[0-9.]+ MB/s" | cut -d' ' -f1 || true)
finished=$(echo "$rates" | grep -c . || true)
failed=$(grep -c "failed while" "$WORK/node.log" || true)
lost=$(grep -c "LOSS_OF_STREAMING\|loss of streaming" "$WORK/node.log" || true)
disk=$(grep -oE "shared image $IMAGE .*its last drive is done; [0-9]+ bytes read from disk for [0-9]+ drive\(s\), [0-9]+" "$WORK/node.log" | head -1 || true)
echo "node32 drives=$DRIVES image_bytes=$(stat -c %s "$IMAGE") finished=$finished failed=$failed loss_of_streaming_lines=$lost load_before=$load_before node_priority=${NICE:-normal}"
if [ "$finished" -gt 0 ]; then
  echo "$rates" | awk -v n="$finished" '{ s += $1; if (min == "" || $1 < min) min = $1; if ($1 > max) max = $1 } END { printf "write_phase_mbps min=%.1f avg=%.1f max=%.1f (of 72.0; >= 68.4 is 95%%) drives_at_or_above_95pct=", min, s / n, max }'
  echo "$rates" | awk '$1 >= 68.4' | wc -l
fi
echo "node_cpu_seconds=$(printf %.1f "$cpu") over $(printf %.1f "$wall") s from submit to the last burn's end = $(echo "100 * $cpu / $wall / $(nproc)" | bc -l | xargs printf %.0f)% of the machine ($(nproc) cores)"
echo "disk (the first ring of the image, i.e. the first attempt of every copy): ${disk:-no image line in the node log}"
lbas=$(grep -oE "LOSS_OF_STREAMING.*WRITE\([0-9]+\) LBA [0-9]+" "$WORK/node.log" | grep -oE "[0-9]+$" | sort -n || true)
[ -z "$lbas" ] || echo "losses of streaming at LBA (2048-byte blocks): $(echo "$lbas" | head -1) to $(echo "$lbas" | tail -1) over $(echo "$lbas" | wc -l) drive(s)"
