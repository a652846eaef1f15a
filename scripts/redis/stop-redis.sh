#!/usr/bin/env bash
# stop-redis.sh DIR: stops the redis-server start-redis.sh DIR started, by its PID, and waits
# until it is gone.
set -euo pipefail
dir=${1:?usage: stop-redis.sh DIR}
[ -s "$dir/redis.pid" ] || exit 0
pid=$(cat "$dir/redis.pid")
kill "$pid" 2>/dev/null || exit 0
for _ in $(seq 1 100); do
  kill -0 "$pid" 2>/dev/null || { rm -f "$dir/redis.pid"; exit 0; }
  sleep 0.1
done
kill -9 "$pid" 2>/dev/null || true
rm -f "$dir/redis.pid"
