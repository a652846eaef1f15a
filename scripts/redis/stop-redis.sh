#!/usr/bin/env bash
# stop-redis.sh DIR: stops the redis-server start-redis.sh DIR started, by its PID, and waits
# until it is gone.
set -euo pipefail
dir=${1:?usage: stop-redis.sh DIR}
exec bash "$(dirname "$0")/../lib/stop-by-pid.sh" "$dir/redis.pid"
