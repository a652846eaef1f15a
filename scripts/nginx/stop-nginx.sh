#!/usr/bin/env bash
# stop-nginx.sh DIR: stops the nginx start-nginx.sh DIR started (its master, by the PID in DIR, a fast
# shutdown: the master stops its workers), and waits until it is gone.
set -euo pipefail
dir=${1:?usage: stop-nginx.sh DIR}
[ -s "$dir/nginx.pid" ] || exit 0
pid=$(cat "$dir/nginx.pid")
kill -TERM "$pid" 2>/dev/null || exit 0
for _ in $(seq 1 100); do
  kill -0 "$pid" 2>/dev/null || { rm -f "$dir/nginx.pid"; exit 0; }
  sleep 0.1
done
kill -9 "$pid" 2>/dev/null || true
rm -f "$dir/nginx.pid"
