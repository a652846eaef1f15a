#!/usr/bin/env bash
# Stops the KDC scripts/kerberos/start-kdc.sh STATE_DIR started, by the PID in
# STATE_DIR/krb5kdc.pid, and waits until it is gone. Leaves STATE_DIR's files in place.
set -euo pipefail
dir=${1:?usage: stop-kdc.sh STATE_DIR}
exec bash "$(dirname "$0")/../lib/stop-by-pid.sh" "$dir/krb5kdc.pid"
