#!/usr/bin/env bash
# Debian's Chromium inside the namespaces of a PC/SC stack (scripts/pcsc/start-stack.sh): given to
# playwright-core as its executablePath, with SC2FA_NAMESPACE_PID in the environment. nsenter
# execs Chromium in its own place, so the PID playwright-core stops is Chromium's, and the pipe
# playwright-core speaks CDP over (fds 3 and 4) stays open. CHROMIUM_PATH overrides the binary.
# With SC2FA_CHROMIUM_LOG set, Chromium's stderr is also written to that file (an artifact).
set -euo pipefail
: "${SC2FA_NAMESPACE_PID:?chromium-in-namespace.sh: set SC2FA_NAMESPACE_PID}"
if [[ -n "${SC2FA_CHROMIUM_LOG:-}" ]]; then
  exec 2> >(tee "$SC2FA_CHROMIUM_LOG" >&2)
fi
exec nsenter -t "$SC2FA_NAMESPACE_PID" -n -m "${CHROMIUM_PATH:-/usr/bin/chromium}" "$@"
