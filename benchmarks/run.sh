#!/usr/bin/env bash
# One-line pipeline benchmark: ./benchmarks/run.sh
# Makes a ~1 GiB ISO (xorriso -as mkisofs of a folder of random files) on local disk, then in the
# same run measures (a) our write pipeline into a file-backed simulated drive with no speed limit,
# (b) xorriso burning the same ISO to a stdio: pseudo-drive file, (c) dd bs=1M conv=fsync of the
# same image, each with the page cache dropped first; and (d) one node driving 32 simulated
# real-time BD-R 16x drives from the image for a bounded time. Prints a markdown table.
# Environment: BENCH_DIR (default /var/tmp/farm-bench), BENCH_SIZE_MIB (default 1024),
# BENCH_FARM_SECONDS (default 20), BENCH_FARM_DRIVES (default 32).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${BENCH_DIR:-/var/tmp/farm-bench}
SIZE_MIB=${BENCH_SIZE_MIB:-1024}
FARM_SECONDS=${BENCH_FARM_SECONDS:-20}
FARM_DRIVES=${BENCH_FARM_DRIVES:-32}
mkdir -p "$WORK"

need() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/bin/$1" ]; }
if ! need xorriso || ! [ -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -q xorriso time >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q xorriso time >/dev/null; }
  else
    echo "run.sh: xorriso and /usr/bin/time are needed (apt-get install xorriso time, as root)" >&2; exit 1
  fi
fi

echo "building the benchmark (Release)..." >&2
dotnet build benchmarks/Farm.Benchmarks -c Release -v q -nologo >/dev/null
BENCH="dotnet benchmarks/Farm.Benchmarks/bin/Release/net10.0/farm-bench.dll"

IMAGE="$WORK/image.iso"
if [ ! -f "$IMAGE" ] || [ "$(stat -c %s "$IMAGE")" -lt $(( (SIZE_MIB - 8) * 1024 * 1024 )) ]; then
  echo "making a ${SIZE_MIB} MiB ISO in $WORK..." >&2
  rm -rf "$WORK/tree" && mkdir -p "$WORK/tree"
  for i in $(seq -w 1 16); do head -c $(( SIZE_MIB * 1024 * 1024 / 16 - 65536 )) /dev/urandom > "$WORK/tree/file$i.bin"; done
  xorriso -as mkisofs -quiet -R -J -V FARMBENCH -o "$IMAGE" "$WORK/tree" 2>/dev/null
  rm -rf "$WORK/tree"
fi
BYTES=$(stat -c %s "$IMAGE")

if [ -w /proc/sys/vm/drop_caches ]; then CACHES="dropped"; else CACHES="not dropped (not root)"; fi
drop_caches() {
  sync
  if [ -w /proc/sys/vm/drop_caches ]; then echo 3 > /proc/sys/vm/drop_caches; fi
}

# measure NAME COMMAND...: wall seconds, user+system CPU seconds of the command and its children.
measure() {
  local name=$1; shift
  rm -f "$WORK/out.$name"
  drop_caches
  /usr/bin/time -f "%e %U %S" -o "$WORK/time.$name" "$@" > "$WORK/log.$name" 2>&1
  read -r wall user sys < "$WORK/time.$name"
  echo "$name $wall $(echo "$user + $sys" | bc -l)"
}

results=$(
  measure ours $BENCH pipeline "$IMAGE" "$WORK/out.ours"
  measure xorriso sh -c "xorriso -as cdrecord dev=stdio:$WORK/out.xorriso $IMAGE && sync $WORK/out.xorriso"
  measure dd dd if="$IMAGE" of="$WORK/out.dd" bs=1M conv=fsync
)
rm -f "$WORK"/out.ours* "$WORK/out.xorriso" "$WORK/out.dd"

echo
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(uname -sr), $(df -T "$WORK" | awk 'NR==2{print $2}') on $(df "$WORK" | awk 'NR==2{print $1}'), .NET $(dotnet --version), xorriso $(xorriso -version 2>/dev/null | head -1 | awk '{print $2}')"
echo "Image: $IMAGE, $BYTES bytes; page cache $CACHES before each run"
echo
echo "| run | wall s | MB/s | CPU s | CPU s/GB |"
echo "|---|---|---|---|---|"
echo "$results" | while read -r name wall cpu; do
  printf "| %s | %.2f | %.1f | %.2f | %.2f |\n" "$name" "$wall" "$(echo "$BYTES / 1000000 / $wall" | bc -l)" "$cpu" "$(echo "$cpu / ($BYTES / 1000000000)" | bc -l)"
done
ours=$(echo "$results" | awk '$1=="ours"{print $2}'); xo=$(echo "$results" | awk '$1=="xorriso"{print $2}'); dd_=$(echo "$results" | awk '$1=="dd"{print $2}')
printf "\nthroughput ratios: ours/xorriso = %.2f, ours/dd = %.2f, xorriso/dd = %.2f\n" "$(echo "$xo / $ours" | bc -l)" "$(echo "$dd_ / $ours" | bc -l)" "$(echo "$dd_ / $xo" | bc -l)"
echo "in-process pipeline figures: $(grep '^pipeline' "$WORK/log.ours" || cat "$WORK/log.ours")"

echo
echo "one node, $FARM_DRIVES simulated BD-R 16x drives (72 MB/s each, real-time clock, BUFE off), ${FARM_SECONDS} s:"
drop_caches
$BENCH farm "$IMAGE" "$FARM_DRIVES" "$FARM_SECONDS"
echo "the same $FARM_DRIVES drives without speed limit (what the node can feed; BD-R 16x x $FARM_DRIVES = $((FARM_DRIVES * 72)) MB/s needed), 10 s:"
drop_caches
$BENCH farm "$IMAGE" "$FARM_DRIVES" 10 64 unlimited
echo "the simulated drive alone (one drive, 64 KiB WRITE(10)s from memory, real-time BD-R 16x), 5 s:"
$BENCH raw 5
