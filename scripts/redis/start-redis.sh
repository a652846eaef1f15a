#!/usr/bin/env bash
# start-redis.sh DIR PORT: Debian's redis-server on 127.0.0.1:PORT for the tests, its files in DIR
# (pidfile, log; nothing persisted: no RDB snapshots, no AOF), refusing writes when full rather
# than evicting (maxmemory-policy noeviction, as RedisChallengeStore asks). Prints its PID once it
# answers PING. Stop it with stop-redis.sh DIR.
set -euo pipefail
dir=${1:?usage: start-redis.sh DIR PORT}
port=${2:?usage: start-redis.sh DIR PORT}
mkdir -p "$dir"
rm -f "$dir/redis.pid"
redis-server --bind 127.0.0.1 --port "$port" --protected-mode yes \
  --save '' --appendonly no --dir "$dir" \
  --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
  --maxmemory-policy noeviction
for _ in $(seq 1 100); do
  if [ -s "$dir/redis.pid" ] && redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
    cat "$dir/redis.pid"
    exit 0
  fi
  sleep 0.1
done
echo "redis-server did not answer on 127.0.0.1:$port; its log:" >&2
cat "$dir/redis.log" >&2 || true
exit 1
