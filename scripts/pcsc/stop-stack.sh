#!/usr/bin/env bash
# Stops what scripts/pcsc/start-stack.sh STATE_DIR started, by the PIDs it wrote: pcscd, then the
# namespace holder (the namespaces go with it). Safe to run twice.
set -uo pipefail
dir=${1:?usage: stop-stack.sh STATE_DIR}
for name in pcscd namespace; do
  file="$dir/$name.pid"
  [ -f "$file" ] || continue
  pid=$(cat "$file")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
done
