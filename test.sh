#!/usr/bin/env bash
# Runs every test of BurnFarm and ends with one line: "tests: N passed, M failed".
# On a fresh Debian machine it first installs what the tests use (when run as root): the real
# components the tests start themselves (PostgreSQL, tgt, libiscsi, chromium, and xorriso,
# genisoimage's isoinfo, udftools' udfinfo and 7-Zip, which read the mastered images back).
# Nothing is skipped.
set -uo pipefail
cd "$(dirname "$0")"

packages=(postgresql tgt libiscsi7 libiscsi-bin chromium xorriso genisoimage udftools 7zip python3-yaml libcdio-utils cdrdao)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "test.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || { echo "test.sh: could not install ${missing[*]}"; exit 1; }
  else
    echo "test.sh: missing Debian packages: ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}"
    exit 1
  fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet build BurnFarm.sln -c Release -nologo -v quiet 2>&1 | tail -n 20
build=${PIPESTATUS[0]}
if [ "$build" -ne 0 ]; then
  echo "tests: 0 passed, 1 failed (the build failed)"
  exit 1
fi

# A test that hangs fails the run with its name (blame) instead of hanging CI until its time limit.
# Test projects run one after another (-m:1): the end-to-end tests drive real processes and
# real-time simulated drives, and five projects at once on a 2-core machine starve them.
dotnet test BurnFarm.sln -c Release --no-build -nologo -m:1 --blame-hang-timeout 5m 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test project prints "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T" (or "Failed!").
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}')
passed=${passed:-0}; failed=${failed:-0}; skipped=${skipped:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # a test host crashed or a project could not run: never report that as green
fi
if [ "$skipped" -gt 0 ]; then
  echo "test.sh: $skipped test(s) skipped; CI does not allow skips"
  failed=$((failed + skipped))
fi
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
