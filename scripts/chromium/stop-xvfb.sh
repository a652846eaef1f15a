#!/usr/bin/env bash
# Stops the Xvfb that scripts/chromium/start-xvfb.sh STATE_DIR started, by its PID. Safe to run twice.
set -uo pipefail
dir=${1:?usage: stop-xvfb.sh STATE_DIR}
file="$dir/xvfb.pid"
[ -f "$file" ] || exit 0
pid=$(cat "$file")
if kill "$pid" 2>/dev/null; then
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  kill -9 "$pid" 2>/dev/null || true
fi
rm -f "$file"
