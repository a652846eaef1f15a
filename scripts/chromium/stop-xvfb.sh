#!/usr/bin/env bash
# Stops the Xvfb that scripts/chromium/start-xvfb.sh STATE_DIR started, by its PID. Safe to run twice.
set -euo pipefail
dir=${1:?usage: stop-xvfb.sh STATE_DIR}
exec bash "$(dirname "$0")/../lib/stop-by-pid.sh" "$dir/xvfb.pid"
