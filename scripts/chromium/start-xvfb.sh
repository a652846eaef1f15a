#!/usr/bin/env bash
# Starts Xvfb (a virtual display) for a headed Chromium, inside the namespaces of a PC/SC stack
# (scripts/pcsc/start-stack.sh) when NAMESPACE_PID is given, else on the machine. Xvfb picks a free
# display number itself (-displayfd), so runs side by side do not collide; no TCP listener.
#
#   scripts/chromium/start-xvfb.sh STATE_DIR [NAMESPACE_PID]
#
# Writes STATE_DIR/xvfb.pid, STATE_DIR/display (its number), STATE_DIR/xvfb.log and the screen's
# pixels, always current, as an XWD file: STATE_DIR/Xvfb_screen0 (-fbdir); prints the display
# (e.g. ":3"). Stop it with scripts/chromium/stop-xvfb.sh STATE_DIR (by PID). Needs Debian's xvfb.
set -euo pipefail
dir=${1:?usage: start-xvfb.sh STATE_DIR [NAMESPACE_PID]}
holder=${2:-}
[ -x /usr/bin/Xvfb ] || { echo "start-xvfb: Xvfb is not installed (package xvfb)" >&2; exit 3; }
mkdir -p "$dir"
rm -f "$dir/display" "$dir/xvfb.pid"
enter=()
[ -n "$holder" ] && enter=(nsenter -t "$holder" -n -m)
# nsenter (for network and mount namespaces) execs Xvfb in its place: $! is Xvfb's PID.
"${enter[@]}" /usr/bin/Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset -fbdir "$dir" \
  3>"$dir/display" </dev/null >"$dir/xvfb.log" 2>&1 &
echo $! >"$dir/xvfb.pid"
for _ in $(seq 1 100); do
  if [ -s "$dir/display" ]; then
    echo ":$(tr -d '\n' <"$dir/display")"
    exit 0
  fi
  kill -0 "$(cat "$dir/xvfb.pid")" 2>/dev/null || break
  sleep 0.05
done
echo "start-xvfb: Xvfb did not start; its log:" >&2
cat "$dir/xvfb.log" >&2
kill "$(cat "$dir/xvfb.pid")" 2>/dev/null || true
exit 1
