#!/usr/bin/env bash
# Explores the fuzz campaigns with fresh seeds, outside CI (where each campaign uses its fixed seed:
# tests/Farm.Testing/FuzzSeed.cs). Each round runs every campaign once with a new seed; a failing
# round prints its seed (FARM_FUZZ_SEED=N replays it) and the soak goes on. Low priority (nice 19),
# so it can run beside other work.
#
# Usage: scripts/fuzz-soak.sh [ROUNDS]   (default 50; the failures are also kept in $FUZZ_LOG)
set -uo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-50}
LOG=${FUZZ_LOG:-/var/tmp/farm-fuzz-soak.log}
unset CI
nice -n 19 dotnet build tests/Farm.Device.Tests -c Release -v q -nologo >/dev/null || exit 1
nice -n 19 dotnet build tests/Farm.Controller.Tests -c Release -v q -nologo >/dev/null || exit 1
: >"$LOG"
failed=0
for round in $(seq 1 "$ROUNDS"); do
  for project in Farm.Device.Tests Farm.Controller.Tests; do
    out=$(nice -n 19 dotnet test "tests/$project" -c Release --no-build --filter "FullyQualifiedName~Fuzz" --logger "console;verbosity=normal" 2>&1)
    if ! echo "$out" | grep -q "Passed!"; then
      failed=$((failed + 1))
      { echo "== round $round, $project"; echo "$out" | grep -E "seed [0-9]+|Error Message|escaped|Assert" | head -20; } | tee -a "$LOG"
    fi
  done
  echo "round $round/$ROUNDS: $failed failing run(s) so far"
done
echo "fuzz soak: $ROUNDS rounds, $failed failing run(s); failures in $LOG"
[ "$failed" -eq 0 ]
