#!/usr/bin/env bash
# Stops the KDC scripts/kerberos/start-kdc.sh STATE_DIR started, by the PID in
# STATE_DIR/krb5kdc.pid, and waits until it is gone. Leaves STATE_DIR's files in place.
set -euo pipefail

dir=${1:?usage: stop-kdc.sh STATE_DIR}
[ -s "$dir/krb5kdc.pid" ] || exit 0
pid=$(cat "$dir/krb5kdc.pid")
if kill -TERM "$pid" 2>/dev/null; then
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
fi
rm -f "$dir/krb5kdc.pid"
