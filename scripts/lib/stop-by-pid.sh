#!/usr/bin/env bash
# stop-by-pid.sh PIDFILE: stops the process whose PID PIDFILE holds (SIGTERM, SIGKILL if it is
# still there after 10 s), waits until it is gone and removes PIDFILE. Nothing to stop when
# PIDFILE is missing or empty or its process has ended. The stop scripts under scripts/ call it.
set -euo pipefail
file=${1:?usage: stop-by-pid.sh PIDFILE}
[ -s "$file" ] || { rm -f "$file"; exit 0; }
pid=$(cat "$file")
if kill -TERM "$pid" 2>/dev/null; then
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
fi
rm -f "$file"
