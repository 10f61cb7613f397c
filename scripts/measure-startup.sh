#!/usr/bin/env bash
# Start-up time and size of the sample: the Native AOT binary against the JIT sample (dotnet Sample.dll).
# Each run starts the app on a free port and polls GET /api/session every 5 ms until it answers 200; the median of
# 7 runs is reported. Usage: scripts/measure-startup.sh   (publishes both first; needs clang and zlib1g-dev)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-7}
dotnet publish samples/Remastered.Sessions.AotSample -c Release -o artifacts/aot-sample -nologo -v q >/dev/null
dotnet publish samples/Remastered.Sessions.Sample -c Release -o artifacts/jit-sample -nologo -v q >/dev/null

measure() { # name, command...
  local name=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    local port=$(( 20000 + RANDOM % 20000 ))
    local start=$(date +%s%N)
    "$@" --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
    local pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$port/api/session"; do sleep 0.005; done
    local end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
  local median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  echo "$name: median ${median} ms to the first response (runs: ${times[*]})"
}

echo "AOT binary: $(du -m artifacts/aot-sample/Remastered.Sessions.AotSample | cut -f1) MB (single file, no runtime needed)"
echo "JIT sample: $(du -sm artifacts/jit-sample | cut -f1) MB of app files, plus the shared .NET runtime"
measure "AOT, cookie storage" artifacts/aot-sample/Remastered.Sessions.AotSample --storage cookie
measure "JIT, cookie storage" dotnet artifacts/jit-sample/Remastered.Sessions.Sample.dll --storage cookie
measure "AOT, memory storage" artifacts/aot-sample/Remastered.Sessions.AotSample --storage memory
measure "JIT, memory storage" dotnet artifacts/jit-sample/Remastered.Sessions.Sample.dll --storage memory
