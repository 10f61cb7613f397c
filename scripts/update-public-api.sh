#!/usr/bin/env bash
# Rewrites each package's PublicAPI.Unshipped.txt from its code (the public API analyzer's own fix), after an intended
# API change. Review the diff: every line added or removed is a change users see.
set -euo pipefail
cd "$(dirname "$0")/.."
for project in Remastered.Sessions Remastered.Sessions.AspNetCore Remastered.Sessions.Redis; do
  printf '#nullable enable\n' > "src/$project/PublicAPI.Unshipped.txt"
  dotnet format analyzers "src/$project/$project.csproj" --diagnostics RS0016 --severity info >/dev/null 2>&1 || true
  # Keep a stable order so the diff shows only real changes.
  { head -n 1 "src/$project/PublicAPI.Unshipped.txt"; tail -n +2 "src/$project/PublicAPI.Unshipped.txt" | LC_ALL=C sort; } > "src/$project/PublicAPI.tmp"
  mv "src/$project/PublicAPI.tmp" "src/$project/PublicAPI.Unshipped.txt"
done
