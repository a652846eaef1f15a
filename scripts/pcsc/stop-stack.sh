#!/usr/bin/env bash
# Stops what scripts/pcsc/start-stack.sh STATE_DIR started, by the PIDs it wrote: pcscd, then the
# namespace holder (the namespaces go with it). Safe to run twice.
set -euo pipefail
dir=${1:?usage: stop-stack.sh STATE_DIR}
for name in pcscd namespace; do
  bash "$(dirname "$0")/../lib/stop-by-pid.sh" "$dir/$name.pid"
done
