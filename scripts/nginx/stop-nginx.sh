#!/usr/bin/env bash
# stop-nginx.sh DIR: stops the nginx start-nginx.sh DIR started (its master, by the PID in DIR, a
# fast shutdown: the master stops its workers), and waits until it is gone.
set -euo pipefail
dir=${1:?usage: stop-nginx.sh DIR}
exec bash "$(dirname "$0")/../lib/stop-by-pid.sh" "$dir/nginx.pid"
