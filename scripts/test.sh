#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine: installs what the tests need, then `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
# System packages the test suites use; installed only when missing (root on CI, sudo elsewhere).
for pkg in $(cat scripts/system-packages.txt 2>/dev/null | grep -v '^#' || true); do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

log=$(mktemp)
set +e
dotnet test Remastered.sln -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "Tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$skipped" -ne 0 ]; then
  echo "Skipped tests are not allowed." >&2
  exit 1
fi
exit "$status"
