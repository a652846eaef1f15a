#!/usr/bin/env bash
# Starts a private PC/SC stack: pcscd with one virtual reader (vpcd) inside network and mount
# namespaces of its own, so vpcd's card port (it listens on every interface) is reachable only on
# that namespace's loopback and pcscd's socket (/run/pcscd, a fixed path) is a private directory.
#
#   scripts/pcsc/start-stack.sh STATE_DIR [PORT]     PORT: vpcd's card port, default 20123 (0x4E9B)
#
# Writes STATE_DIR/namespace.pid (a holder process whose namespaces everything joins),
# STATE_DIR/pcscd.pid, STATE_DIR/pcscd.log and STATE_DIR/reader.conf.d/vpcd. Run the card and every
# PC/SC client inside the namespaces:  nsenter -t "$(cat STATE_DIR/namespace.pid)" -n -m CMD
# Stop everything with scripts/pcsc/stop-stack.sh STATE_DIR (by PID). Needs root (namespaces) and
# Debian's pcscd and vsmartcard-vpcd (scripts/install-system-packages.sh).
set -euo pipefail

dir=${1:?usage: start-stack.sh STATE_DIR [PORT]}
port=${2:-20123}
driver=/usr/lib/pcsc/drivers/serial/libifdvpcd.so
[ -x /usr/sbin/pcscd ] || { echo "start-stack: pcscd is not installed (package pcscd)" >&2; exit 3; }
[ -e "$driver" ] || { echo "start-stack: vpcd is not installed (package vsmartcard-vpcd)" >&2; exit 3; }

mkdir -p "$dir/reader.conf.d" "$dir/run"
dir=$(cd "$dir" && pwd)
hex=$(printf '0x%X' "$port")
cat > "$dir/reader.conf.d/vpcd" <<CONF
FRIENDLYNAME "smartcard-2fa virtual reader"
DEVICENAME /dev/null:$hex
LIBPATH $driver
CHANNELID $hex
CONF

# The holder: new network and mount namespaces, loopback up, a private /run/pcscd, then asleep.
# `unshare` without --fork execs the shell, so $! is the holder itself.
unshare -n -m --propagation private sh -c '
  ip link set lo up
  mkdir -p /run/pcscd
  mount --bind "$1/run" /run/pcscd
  exec sleep infinity' holder "$dir" </dev/null >/dev/null 2>&1 &
holder=$!
echo "$holder" > "$dir/namespace.pid"

# Wait until the holder's namespaces are set up (its /run/pcscd is the private directory).
for _ in $(seq 1 100); do
  if nsenter -t "$holder" -n -m sh -c 'ip link show lo | grep -q UP && mountpoint -q /run/pcscd' \
    2>/dev/null; then break; fi
  sleep 0.05
done

nsenter -t "$holder" -n -m /usr/sbin/pcscd -f -a -i -c "$dir/reader.conf.d" \
  </dev/null > "$dir/pcscd.log" 2>&1 &
echo $! > "$dir/pcscd.pid"

# Ready when pcscd's socket exists and vpcd listens on its card port.
for _ in $(seq 1 200); do
  if [ -S "$dir/run/pcscd.comm" ] &&
    nsenter -t "$holder" -n sh -c "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null" |
      grep -qi ":$(printf '%04X' "$port") 00000000:0000 0A\|:$(printf '%04X' "$port") 00000000000000000000000000000000:0000 0A"; then
    echo "pcsc stack: pcscd $(cat "$dir/pcscd.pid") in namespaces of $holder, vpcd card port $port"
    exit 0
  fi
  sleep 0.05
done
echo "start-stack: pcscd did not come up; its log:" >&2
cat "$dir/pcscd.log" >&2
exit 1
