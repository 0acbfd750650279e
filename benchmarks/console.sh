#!/usr/bin/env bash
# The console with 200 drives (BENCH_ONLY=console of benchmarks/run.sh): how long the page takes to
# draw them, read in the page itself by the browser test ConsoleScaleTests (Debian's chromium,
# headless, software rendering, through Playwright; an embedded farm of 4 simulated towers of 50
# drives in accelerated time, a 200-copy job running). The test asserts the work the page does
# (one flush of DOM updates per animation frame, tiles updated in place); the time it takes depends
# on the machine and on what else runs, so it is measured here, RUNS times, and not asserted.
#
# Prints each run's line: first render of the 200 tiles, flushes and frames in 4 s, flush p95/max
# (budget of a 60 Hz frame: 16.7 ms), the longest chunk of events read, frame times, long tasks.
#
# Usage: benchmarks/console.sh [RUNS]   (needs Debian's chromium, which test.sh installs as root)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
dotnet build tests/Farm.Controller.Tests -c Release -v q -nologo >/dev/null
for run in $(seq 1 "$RUNS"); do
  out=$(dotnet test tests/Farm.Controller.Tests -c Release --no-build --filter "FullyQualifiedName~ConsoleScaleTests" --logger "console;verbosity=detailed" 2>&1) || { echo "$out" | tail -40 >&2; echo "console.sh: run $run failed" >&2; exit 1; }
  line=$(echo "$out" | grep -o 'console-200: .*' | head -1)
  echo "run $run (load $(cut -d' ' -f1 /proc/loadavg)): ${line#console-200: }"
done
