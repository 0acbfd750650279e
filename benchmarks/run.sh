#!/usr/bin/env bash
# One-line benchmark: ./benchmarks/run.sh (as root: installs xorriso, genisoimage and time if
# missing, drops the page cache before each measurement). Prints markdown tables.
#
# Pipeline: makes a ~1 GiB ISO (xorriso -as mkisofs of a folder of random files) on local disk, then in the
# same run measures (a) our write pipeline into a file-backed simulated drive with no speed limit
# (image read with direct I/O, SHA-256 in its own stage; also once without the hash, for the split),
# (b) xorriso burning the same ISO to a stdio: pseudo-drive file, (c) dd bs=1M conv=fsync of the
# same image, each with the page cache dropped first; and (d) one node driving 32 simulated
# real-time BD-R 16x drives from the image for a bounded time.
#
# Mastering: makes two trees (16 random files of 64 MiB; 20,000 files of 1-16 KiB in 1,020 nested
# folders) and for each, in the same run, measures farm master as a user runs it (its own process),
# xorriso -as mkisofs -J and genisoimage -J (ISO 9660 + Joliet, no Rock Ridge, as ours), and the
# physical limits: reading the tree (tar | cat > /dev/null) and writing the image's size (dd
# conv=fsync). Every image is checked (file count, one file's bytes) before its figure is printed;
# peak memory is compared on a 200,000-file tree of the same shape; planning alone is measured on
# the small tree.
#
# Audio: a 74-minute WAV (random samples: 332,850 blocks, with the 2-second pre-gap exactly 74:00:00)
# burned disc-at-once by farm burn-audio on a simulated real-time 52x CD-R (--time-scale 1) and
# verified; the figure is set against the ideal 52x time of the same blocks (no peer tool can
# write to our simulated drive), and the drive's underrun count must be 0.
#
# UDF mastering (BENCH_ONLY=udf): on the same two trees, farm-bench master --udf 1.02 (UDF alone) and
# --bridge 1.02 (UDF + ISO 9660/Joliet) against genisoimage -J -udf (its UDF 1.02 bridge: the one
# Debian tool here that writes UDF from a folder in one pass; mkudffs only formats, and copying a
# tree into it needs a mount with the kernel's udf module), with xorriso -as mkisofs -J (ISO only)
# for reference. Every UDF image is checked with udfinfo (file count) and 7-Zip (last file's bytes).
#
# Cluster (BENCH_ONLY=cluster, benchmarks/cluster.sh says how): singleton failover after SIGKILL with 3
# and 5 members (real farm serve and farm-node processes, private PostgreSQL), outcome delivery
# latency node journal -> controller journal, controller recovery from 100k (CLUSTER_EVENTS) events
# with and without a snapshot on SQLite and PostgreSQL.
#
# 32 drives through farm-node (BENCH_ONLY=node32, benchmarks/node32.sh says how): a real farm serve and
# farm-node --simulate 32 with real-time BD-R 16x drives, buffer-underrun-free off, burning the 1 GiB
# image: underruns, each drive's write-phase rate, bytes read from disk, the node's CPU.
#
# Console (BENCH_ONLY=console, benchmarks/console.sh says how): 200 drive tiles in Debian's chromium,
# the page's own timings of its first render and of each frame's DOM updates, three runs.
#
# Order: the guest's drop_caches cannot drop the host's cache of the VM's disk, so whichever tool
# reads a tree first may read colder storage than the ones after it (farm master used to run first
# in every table). The timed tables (pipeline and mastering, the limits included) therefore run
# their tools in the order A B C, then C B A, each after a cache drop, and report each tool's mean
# of its two runs (peak RSS: the larger), the ratios coming from those means; both runs are
# printed under each table. The peak-memory, planning, audio and UDF tables run each tool once.
#
# Environment: BENCH_ONLY (pipeline, master, audio, udf, cluster, node32 or console: only that part; default all), BENCH_DIR (default
# /var/tmp/farm-bench), BENCH_SIZE_MIB (default 1024), BENCH_FARM_SECONDS (default 20),
# BENCH_FARM_DRIVES (default 32).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${BENCH_DIR:-/var/tmp/farm-bench}
SIZE_MIB=${BENCH_SIZE_MIB:-1024}
FARM_SECONDS=${BENCH_FARM_SECONDS:-20}
FARM_DRIVES=${BENCH_FARM_DRIVES:-32}
ONLY=${BENCH_ONLY:-}
case "$ONLY" in ""|pipeline|master|audio|udf|cluster|node32|console) ;; *) echo "run.sh: BENCH_ONLY is pipeline, master, audio, udf, cluster, node32 or console, not '$ONLY'" >&2; exit 1;; esac
want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }
mkdir -p "$WORK"

need() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/bin/$1" ]; }
if ! need xorriso || ! need genisoimage || ! need python3 || ! need udfinfo || ! need 7zz || ! [ -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -q xorriso genisoimage python3 time udftools 7zip >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q xorriso genisoimage python3 time udftools 7zip >/dev/null; }
  else
    echo "run.sh: xorriso, genisoimage, python3, udftools, 7zip and /usr/bin/time are needed (apt-get install xorriso genisoimage python3 time udftools 7zip, as root)" >&2; exit 1
  fi
fi

echo "building the benchmark and farm (Release)..." >&2
dotnet build benchmarks/Farm.Benchmarks -c Release -v q -nologo >/dev/null
BENCH="dotnet benchmarks/Farm.Benchmarks/bin/Release/net10.0/farm-bench.dll"
if want master || want audio || want node32; then dotnet build src/Farm.Controller -c Release -v q -nologo >/dev/null; fi
# farm as a user runs it: its own process, .NET start-up and JIT included.
FARM="dotnet src/Farm.Controller/bin/Release/net10.0/farm.dll"

if [ -w /proc/sys/vm/drop_caches ]; then CACHES="dropped"; else CACHES="not dropped (not root)"; fi

# there_and_back NAME... (each NAME a function that runs one measure NAME#RUN, RUN as $1): the
# NAMEs in order with run 1, then in reverse with run 2, so no tool always goes first.
there_and_back() {
  local step i
  for step in "$@"; do "$step" 1; done
  for (( i = $#; i >= 1; i-- )); do "${!i}" 2; done
}

# mean_rows ROWS: one row per NAME from its NAME#1 and NAME#2 rows: mean wall and CPU seconds,
# the larger peak RSS.
mean_rows() {
  echo "$1" | awk '{ split($1, n, "#"); k = n[1]; if (!(k in runs)) order[++count] = k; runs[k]++; wall[k] += $2; cpu[k] += $3; if ($4 > rss[k]) rss[k] = $4 }
    END { for (i = 1; i <= count; i++) { k = order[i]; printf "%s %.3f %.3f %d\n", k, wall[k] / runs[k], cpu[k] / runs[k], rss[k] } }'
}

# each_run ROWS: every run's wall and CPU seconds in the order they ran, one line.
each_run() {
  echo "each run in order (wall s / CPU s): $(echo "$1" | awk '{ printf "%s%s %.2f/%.2f", sep, $1, $2, $3; sep = ", " }')"
}
drop_caches() {
  sync
  if [ -w /proc/sys/vm/drop_caches ]; then echo 3 > /proc/sys/vm/drop_caches; fi
}

# measure NAME COMMAND...: wall seconds, user+system CPU seconds of the command and its children,
# peak resident memory (KiB, the largest process). NAME may end in #N (the Nth run of NAME): its
# output file, out.NAME without the #N, is removed first either way.
measure() {
  local name=$1; shift
  rm -f "$WORK/out.${name%#*}"
  drop_caches
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.$name" "$@" > "$WORK/log.$name" 2>&1
  read -r wall user sys rss < "$WORK/time.$name"
  echo "$name $wall $(echo "$user + $sys" | bc -l) $rss"
}

echo
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(uname -sr), $(df -T "$WORK" | awk 'NR==2{print $2}') on $(df "$WORK" | awk 'NR==2{print $1}'), .NET $(dotnet --version), xorriso $(xorriso -version 2>/dev/null | head -1 | awk '{print $2}'), genisoimage $(genisoimage --version 2>/dev/null | awk '{print $2}'), load average $(cut -d' ' -f1-3 /proc/loadavg)"

IMAGE="$WORK/image.iso"
if want pipeline || want node32; then
  if [ ! -f "$IMAGE" ] || [ "$(stat -c %s "$IMAGE")" -lt $(( (SIZE_MIB - 8) * 1024 * 1024 )) ]; then
    echo "making a ${SIZE_MIB} MiB ISO in $WORK..." >&2
    rm -rf "$WORK/tree" && mkdir -p "$WORK/tree"
    for i in $(seq -w 1 16); do head -c $(( SIZE_MIB * 1024 * 1024 / 16 - 65536 )) /dev/urandom > "$WORK/tree/file$i.bin"; done
    xorriso -as mkisofs -quiet -R -J -V FARMBENCH -o "$IMAGE" "$WORK/tree" 2>/dev/null
    rm -rf "$WORK/tree"
  fi
fi

if want pipeline; then
  BYTES=$(stat -c %s "$IMAGE")

  pipe_ours() { measure "ours#$1" $BENCH pipeline "$IMAGE" "$WORK/out.ours"; }
  pipe_xorriso() { measure "xorriso#$1" sh -c "xorriso -as cdrecord dev=stdio:$WORK/out.xorriso $IMAGE && sync $WORK/out.xorriso"; }
  pipe_dd() { measure "dd#$1" dd if="$IMAGE" of="$WORK/out.dd" bs=1M conv=fsync; }
  runs=$(there_and_back pipe_ours pipe_xorriso pipe_dd)
  results=$(mean_rows "$runs")
  rm -f "$WORK"/out.ours* "$WORK/out.xorriso" "$WORK/out.dd"

  echo
  echo "Image: $IMAGE, $BYTES bytes; page cache $CACHES before each run"
  echo
  echo "| run | wall s | MB/s | CPU s | CPU s/GB |"
  echo "|---|---|---|---|---|"
  echo "$results" | while read -r name wall cpu _; do
    printf "| %s | %.2f | %.1f | %.2f | %.2f |\n" "$name" "$wall" "$(echo "$BYTES / 1000000 / $wall" | bc -l)" "$cpu" "$(echo "$cpu / ($BYTES / 1000000000)" | bc -l)"
  done
  ours=$(echo "$results" | awk '$1=="ours"{print $2}'); xo=$(echo "$results" | awk '$1=="xorriso"{print $2}'); dd_=$(echo "$results" | awk '$1=="dd"{print $2}')
  printf "\nthroughput ratios (of the means of two runs each): ours/xorriso = %.2f, ours/dd = %.2f, xorriso/dd = %.2f\n" "$(echo "$xo / $ours" | bc -l)" "$(echo "$dd_ / $ours" | bc -l)" "$(echo "$dd_ / $xo" | bc -l)"
  each_run "$runs"
  echo "in-process pipeline figures, runs 1 and 2: $(grep -h '^pipeline' "$WORK/log.ours#1" "$WORK/log.ours#2" | tr '\n' ';' || cat "$WORK/log.ours#1")"
  echo "the SHA-256 alone (1 GiB in memory, 1 MiB pieces, as the sector sources hash): $($BENCH sha256 1024)"
  drop_caches
  echo "the same pipeline without the SHA-256 (a benchmark-only source reading through the page cache; not a product mode): $($BENCH pipeline "$IMAGE" "$WORK/out.ours" --no-hash | sed 's/ sha256=.*//')"
  rm -f "$WORK"/out.ours*

  echo
  echo "one node, $FARM_DRIVES simulated BD-R 16x drives (72 MB/s each, real-time clock, BUFE off), ${FARM_SECONDS} s:"
  drop_caches
  $BENCH farm "$IMAGE" "$FARM_DRIVES" "$FARM_SECONDS"
  echo "the same $FARM_DRIVES drives without speed limit (what the node can feed; BD-R 16x x $FARM_DRIVES = $((FARM_DRIVES * 72)) MB/s needed), 10 s:"
  drop_caches
  $BENCH farm "$IMAGE" "$FARM_DRIVES" 10 64 unlimited
  echo "the simulated drive alone (one drive, 64 KiB WRITE(10)s from memory, real-time BD-R 16x), 5 s:"
  $BENCH raw 5
fi

if want master || want udf; then
  # make_small_files DIR PROJECTS: PROJECTS x 10 x 4 nested folders of 25 random files of 1-16 KiB
  # each ("Project NN/part-N/batch_N/record-NNN.dat"; the sizes are seeded by the file count).
  make_small_files() {
    python3 - "$1" "$2" <<'PY'
import os, random, sys
root, projects = sys.argv[1], int(sys.argv[2])
sizes, width = random.Random(projects * 1000), 2 if projects <= 100 else 3
for a in range(projects):
    for b in range(10):
        for c in range(4):
            leaf = os.path.join(root, f"Project {a:0{width}d}", f"part-{b}", f"batch_{c}")
            os.makedirs(leaf)
            for n in range(25):
                with open(os.path.join(leaf, f"record-{n:03d}.dat"), "wb") as f:
                    f.write(os.urandom(sizes.randint(1024, 16 * 1024)))
PY
  }

  # Two trees, made once and kept in $WORK (their contents are random, their shape fixed).
  BIG="$WORK/master-big"; SMALL="$WORK/master-small"
  if [ "$(find "$BIG" -type f 2>/dev/null | wc -l)" != 16 ]; then
    echo "making $BIG: 16 random files of 64 MiB..." >&2
    rm -rf "$BIG" && mkdir -p "$BIG"
    for i in $(seq -w 1 16); do head -c $(( 64 * 1024 * 1024 )) /dev/urandom > "$BIG/file$i.bin"; done
  fi
  if [ "$(find "$SMALL" -type f 2>/dev/null | wc -l)" != 20000 ]; then
    echo "making $SMALL: 20,000 random files of 1-16 KiB in 20 x 10 x 4 nested folders..." >&2
    rm -rf "$SMALL"
    make_small_files "$SMALL" 20
  fi
fi

# print_table TAG TREE ROWS REFERENCE...: the rows of one tree as a markdown table, each run's wall
# time also as a ratio to each REFERENCE's (peer tools measured in the same run) and to the limit,
# and its CPU time as a ratio to the last REFERENCE's.
print_table() {
  local tag=$1 tree=$2 rows=$3; shift 3
  local refs=("$@") cpu_ref=${!#} data rd wr ref_cpu header=() rule="" dashes="" walls=() ref
  data=$(find "$tree" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
  for ref in "${refs[@]}"; do
    header+=("x $ref |"); rule+="---|"; dashes+=" - |"
    walls+=("$(echo "$rows" | awk -v n="${tag}_$ref" '$1==n{print $2}')")
  done
  ref_cpu=$(echo "$rows" | awk -v n="${tag}_$cpu_ref" '$1==n{print $3}')
  rd=$(echo "$rows" | awk -v n="${tag}_read" '$1==n{print $2}')
  wr=$(echo "$rows" | awk -v n="${tag}_write" '$1==n{print $2}')
  echo
  echo "$tag tree: $tree, $(find "$tree" -type f | wc -l) files, $(find "$tree" -type d | wc -l) folders, $data bytes of data; images checked (file count, last file read back); page cache $CACHES before each run"
  echo
  echo "| run | bytes | wall s | MB/s | CPU s | peak RSS MiB | ${header[*]} CPU / $cpu_ref's | x limit |"
  echo "|---|---|---|---|---|---|${rule}---|---|"
  echo "$rows" | while read -r name wall cpu rss; do
    local run=${name#"${tag}_"} bytes ratios="" w
    case $run in read) bytes=$data;; *) bytes=$(stat -c %s "$WORK/out.$name");; esac
    case $run in
      read|write) printf "| %s | %s | %.2f | %.1f | %.2f | - |%s - | - |\n" "limit: $run" "$bytes" "$wall" "$(echo "$bytes / 1000000 / $wall" | bc -l)" "$cpu" "$dashes";;
      *)
        for w in "${walls[@]}"; do ratios+=$(printf " %.2f |" "$(echo "$w / $wall" | bc -l)"); done
        printf "| %s | %s | %.2f | %.1f | %.2f | %.0f |%s %.2f | %.2f |\n" "$run" "$bytes" "$wall" "$(echo "$bytes / 1000000 / $wall" | bc -l)" "$cpu" "$(echo "$rss / 1024" | bc -l)" \
          "$ratios" "$(echo "$cpu / $ref_cpu" | bc -l)" "$(echo "($rd + $wr) / $wall" | bc -l)";;
    esac
  done
  echo
  echo "x TOOL: that tool's wall time / the run's (above 1: faster than it); CPU / $cpu_ref's: the run's CPU s / $cpu_ref's;"
  echo "x limit: (read + write) wall time / the run's (1: as fast as reading the tree and then writing the image's bytes)"
}

# limit_read TAG TREE RUN, limit_write TAG MIB RUN: the physical limits, reading the tree and
# writing MIB MiB (the image's size).
limit_read() { measure "${1}_read#$3" sh -c "tar -cf - -C $2 . | cat > /dev/null"; }
limit_write() { measure "${1}_write#$3" dd if=/dev/zero of="$WORK/out.${1}_write" bs=1M count="$2" conv=fsync; }

# limits TAG TREE IMAGE: both limits once (the UDF tables), IMAGE's size written.
limits() {
  limit_read "$1" "$2" 1 | sed 's/#1 / /'
  limit_write "$1" "$(( ($(stat -c %s "$3") + 1048575) / 1048576 ))" 1 | sed 's/#1 / /'
}

if want master; then
  # check_image IMAGE TREE: the image holds as many files as the tree, and the tree's last file
  # (by path) reads back the same through the image's Joliet names; a broken image stops the run.
  check_image() {
    local image=$1 tree=$2 files last
    files=$(find "$tree" -type f | wc -l)
    last=$(cd "$tree" && find . -type f | LC_ALL=C sort | tail -1 | cut -c2-)
    local got
    got=$(xorriso -indev "$image" -find / -type f 2>/dev/null | wc -l)
    if [ "$got" != "$files" ]; then
      echo "run.sh: $image holds $got files, $tree $files: the image is broken, its figure would mean nothing" >&2; exit 1
    fi
    rm -f "$WORK/check.bin"
    xorriso -osirrox on -indev "$image" -extract "$last" "$WORK/check.bin" >/dev/null 2>&1 || true
    if ! cmp -s "$WORK/check.bin" "$tree$last"; then
      echo "run.sh: $image: $last does not read back as in $tree: the image is broken" >&2; exit 1
    fi
    rm -f "$WORK/check.bin"
  }

  # master_tree TAG TREE: the five measurements of one tree there and back (ten runs), then its table.
  master_tree() {
    local tag=$1 tree=$2 runs rows
    m_ours() { measure "${tag}_ours#$1" sh -c "$FARM master $tree -o $WORK/out.${tag}_ours && sync $WORK/out.${tag}_ours"; }
    m_xorriso() { measure "${tag}_xorriso#$1" sh -c "xorriso -as mkisofs -quiet -J -o $WORK/out.${tag}_xorriso $tree && sync $WORK/out.${tag}_xorriso"; }
    m_genisoimage() { measure "${tag}_genisoimage#$1" sh -c "genisoimage -quiet -J -o $WORK/out.${tag}_genisoimage $tree && sync $WORK/out.${tag}_genisoimage"; }
    m_read() { limit_read "$tag" "$tree" "$1"; }
    # The write limit writes ours' image's size (its first run is done by then, both ways round).
    m_write() { limit_write "$tag" "$(( ($(stat -c %s "$WORK/out.${tag}_ours") + 1048575) / 1048576 ))" "$1"; }
    runs=$(there_and_back m_ours m_xorriso m_genisoimage m_read m_write)
    rows=$(mean_rows "$runs")
    for tool in ours xorriso genisoimage; do check_image "$WORK/out.${tag}_$tool" "$tree"; done
    print_table "$tag" "$tree" "$rows" xorriso genisoimage
    echo "every figure above: the mean of two runs, one in the order ours, xorriso, genisoimage, read, write, the other in reverse (peak RSS: the larger)."
    each_run "$runs"
    echo "ours: farm master TREE -o IMAGE as a user runs it (dotnet farm.dll: start-up, planning, writing, SHA-256), then sync IMAGE, as the peers."
    rm -f "$WORK/out.${tag}"_*
  }

  echo
  echo "mastering (ISO 9660 + Joliet images of a folder):"
  master_tree large "$BIG"
  master_tree small "$SMALL"

  # Memory against the number of entries: the same shape ten times larger (200,000 files).
  HUGE="$WORK/master-200k"
  if [ "$(find "$HUGE" -type f 2>/dev/null | wc -l)" != 200000 ]; then
    echo "making $HUGE: 200,000 random files of 1-16 KiB in 200 x 10 x 4 nested folders (a few minutes)..." >&2
    rm -rf "$HUGE"
    make_small_files "$HUGE" 200
  fi
  echo
  echo "peak memory against entries (peak RSS of the process, /usr/bin/time %M; small tree: 20,000 files, 200k tree: 200,000 files of the same shape):"
  echo
  echo "| run | small wall s | small RSS MiB | 200k wall s | 200k CPU s | 200k RSS MiB | RSS 200k / small |"
  echo "|---|---|---|---|---|---|---|"
  for tool in ours genisoimage; do
    case $tool in
      ours) cmd() { echo "$FARM master $1 -o $2"; };;
      genisoimage) cmd() { echo "genisoimage -quiet -J -o $2 $1"; };;
    esac
    read -r _ sw _ srss < <(measure "rss_small_$tool" sh -c "$(cmd "$SMALL" "$WORK/out.rss")")
    read -r _ hw hcpu hrss < <(measure "rss_huge_$tool" sh -c "$(cmd "$HUGE" "$WORK/out.rss")")
    rm -f "$WORK/out.rss"
    printf "| %s | %.2f | %.0f | %.2f | %.2f | %.0f | %.2f |\n" "$tool" "$sw" "$(echo "$srss / 1024" | bc -l)" "$hw" "$hcpu" "$(echo "$hrss / 1024" | bc -l)" "$(echo "$hrss / $srss" | bc -l)"
  done

  echo
  echo "planning alone, small tree (ours: farm-bench master --plan-only, which plans twice, cold then warm, so its wall and CPU hold two plans and .NET start-up; xorriso and genisoimage: -print-size, one plan):"
  echo
  echo "| planner | wall s | CPU s |"
  echo "|---|---|---|"
  {
    measure plan_ours $BENCH master --plan-only "$SMALL"
    measure plan_xorriso xorriso -as mkisofs -quiet -J -print-size "$SMALL"
    measure plan_genisoimage genisoimage -quiet -J -print-size "$SMALL"
  } | while read -r name wall cpu _; do printf "| %s | %.2f | %.2f |\n" "${name#plan_}" "$wall" "$cpu"; done
  echo
  echo "in process: $(grep '^plan' "$WORK/log.plan_ours" || cat "$WORK/log.plan_ours")"
fi

if want audio; then
  WAV="$WORK/audio74.wav"
  BLOCKS=332850
  if [ ! -s "$WAV" ]; then
    python3 - "$WAV" "$BLOCKS" <<'PY'
import struct, sys, os
path, blocks = sys.argv[1], int(sys.argv[2])
data = blocks * 2352
with open(path, 'wb') as f:
    f.write(b'RIFF' + struct.pack('<I', 36 + data) + b'WAVE' + b'fmt ' + struct.pack('<IHHIIHH', 16, 1, 2, 44100, 176400, 4, 16) + b'data' + struct.pack('<I', data))
    left = data
    while left:
        n = min(left, 1 << 24); f.write(os.urandom(n)); left -= n
PY
  fi
  echo
  echo "audio (a 74-minute disc, disc-at-once, simulated real-time 52x CD-R, verified):"
  echo
  echo "| run | wall s | CPU s | ideal 52x s | x ideal |"
  echo "|---|---|---|---|---|"
  IDEAL=$(echo "($BLOCKS + 150) / 75 / 52" | bc -l)
  measure audio_dao $FARM burn-audio "$WAV" --simulate CD-R --speed 52 --time-scale 1 \
    | while read -r name wall cpu _; do printf "| %s | %.1f | %.1f | %.1f | %.2f |\n" "$name" "$wall" "$cpu" "$IDEAL" "$(echo "$IDEAL / $wall" | bc -l)"; done
  grep -q "verify: OK" "$WORK/log.audio_dao" || { echo "run.sh: the audio burn did not verify:"; cat "$WORK/log.audio_dao"; exit 1; }
  grep -q "drive buffer underruns: 0" "$WORK/log.audio_dao" || { echo "run.sh: the audio burn underran:"; cat "$WORK/log.audio_dao"; exit 1; }
  echo
  echo "farm printed: $(grep -E '^(staged|written|verify|drive buffer)' "$WORK/log.audio_dao" | tr '\n' ';')"
fi

if want udf; then
  # check_udf IMAGE TREE: udfinfo counts the tree's files and 7-Zip reads its last file back the same.
  check_udf() {
    local image=$1 tree=$2 files last got
    files=$(find "$tree" -type f | wc -l)
    last=$(cd "$tree" && find . -type f | LC_ALL=C sort | tail -1 | cut -c3-)
    got=$(udfinfo "$image" 2>/dev/null | sed -n 's/^numfiles=//p')
    if [ "$got" != "$files" ]; then
      echo "run.sh: udfinfo counts $got files in $image, $tree holds $files: the image is broken, its figure would mean nothing" >&2; exit 1
    fi
    if ! 7zz e -so "$image" "$last" 2>/dev/null | cmp -s - "$tree/$last"; then
      echo "run.sh: $image: $last does not read back through 7-Zip as in $tree: the image is broken" >&2; exit 1
    fi
  }

  udf_tree() {
    local tag=udf_$1 tree=$2 rows
    rows=$(
      measure "${tag}_ours_udf" $BENCH master --udf 1.02 "$tree" "$WORK/out.${tag}_ours_udf"
      measure "${tag}_ours_bridge" $BENCH master --bridge 1.02 "$tree" "$WORK/out.${tag}_ours_bridge"
      measure "${tag}_genisoimage_udf" sh -c "genisoimage -quiet -J -udf -o $WORK/out.${tag}_genisoimage_udf $tree && sync $WORK/out.${tag}_genisoimage_udf"
      measure "${tag}_xorriso_iso_only" sh -c "xorriso -as mkisofs -quiet -J -o $WORK/out.${tag}_xorriso_iso_only $tree && sync $WORK/out.${tag}_xorriso_iso_only"
      limits "$tag" "$tree" "$WORK/out.${tag}_ours_bridge"
    )
    for tool in ours_udf ours_bridge genisoimage_udf; do check_udf "$WORK/out.${tag}_$tool" "$tree"; done
    print_table "$tag" "$tree" "$rows" genisoimage_udf
    echo "in process (UDF alone): $(grep '^master' "$WORK/log.${tag}_ours_udf" || cat "$WORK/log.${tag}_ours_udf")"
    echo "in process (bridge): $(grep '^master' "$WORK/log.${tag}_ours_bridge" || cat "$WORK/log.${tag}_ours_bridge")"
    rm -f "$WORK/out.${tag}"_*
  }

  echo
  echo "UDF mastering (UDF 1.02 images of a folder; ours alone and as the bridge, genisoimage -J -udf's bridge; xorriso's ISO-only image for reference):"
  udf_tree large "$BIG"
  udf_tree small "$SMALL"
fi

if want cluster; then
  echo
  benchmarks/cluster.sh
fi

if want node32; then
  echo
  echo "one farm-node process, $FARM_DRIVES simulated real-time BD-R 16x drives (BUFE off), one job of $FARM_DRIVES copies of $IMAGE:"
  benchmarks/node32.sh "$IMAGE" "$FARM_DRIVES"
fi

if want console; then
  echo
  echo "console, 200 drive tiles in chromium (the page's own timings; 16.7 ms is one 60 Hz frame):"
  benchmarks/console.sh 3
fi
