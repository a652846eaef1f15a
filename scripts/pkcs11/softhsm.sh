#!/usr/bin/env bash
# A SoftHSM2 PKCS#11 token for tests and development, kept in a private directory: its own
# softhsm2.conf and token directory, nothing in /etc or /var/lib/softhsm touched.
#
#   scripts/pkcs11/softhsm.sh setup <dir> [label] [so-pin] [pin]
#   scripts/pkcs11/softhsm.sh teardown <dir>
#
# setup creates <dir> (when missing) with softhsm2.conf and tokens/, and initialises one fresh
# token with the label, security officer PIN and user PIN given (or SOFTHSM_LABEL,
# SOFTHSM_SO_PIN, SOFTHSM_PIN; defaults sc2fa-softhsm, 87654321, 12345678). Running it again
# replaces the token with a fresh one. It prints the environment a PKCS#11 client needs, as
# `export NAME=value` lines for `eval "$(scripts/pkcs11/softhsm.sh setup /tmp/hsm)"`:
#   SOFTHSM2_CONF        the private config (the module reads it when it is initialised)
#   PKCS11_MODULE        the module's path (/usr/lib/softhsm/libsofthsm2.so on Debian)
#   PKCS11_TOKEN_LABEL   the token's label: find the token by it, the slot id changes on init
#   PKCS11_SO_PIN, PKCS11_PIN
# The slot reports CKF_REMOVABLE_DEVICE (a stand-in for a physical token) unless
# SOFTHSM_REMOVABLE=false. SoftHSM starts no process; teardown deletes <dir>, and only a
# directory this script made (it holds its marker) or an empty one.
#
# Needs the Debian package softhsm2 (scripts/install-system-packages.sh installs it).
set -euo pipefail

usage() {
  sed -n '5,6p' "$0" | sed 's/^# *//' >&2
  exit 2
}

action="${1:-}"
dir="${2:-}"
[ -n "$action" ] && [ -n "$dir" ] || usage
marker='softhsm.sh-made-this'

safe() { # the values end up in unquoted `export` lines and in a config file
  [[ "$2" =~ ^[A-Za-z0-9_./:@+-]+$ ]] || {
    echo "softhsm.sh: $1 may only hold letters, digits and _./:@+- (got '$2')" >&2
    exit 2
  }
}

find_module() {
  local candidate
  for candidate in /usr/lib/softhsm/libsofthsm2.so /usr/lib/*-linux-gnu/softhsm/libsofthsm2.so \
    /usr/local/lib/softhsm/libsofthsm2.so; do
    [ -f "$candidate" ] && {
      echo "$candidate"
      return
    }
  done
  echo 'softhsm.sh: libsofthsm2.so not found: apt-get install softhsm2' >&2
  exit 3
}

teardown() {
  [ -e "$dir" ] || return 0
  if [ -f "$dir/$marker" ] || [ -z "$(ls -A "$dir")" ]; then
    rm -rf "$dir"
  else
    echo "softhsm.sh: $dir was not made by this script; leaving it alone" >&2
    exit 1
  fi
}

case "$action" in
  setup)
    label="${3:-${SOFTHSM_LABEL:-sc2fa-softhsm}}"
    so_pin="${4:-${SOFTHSM_SO_PIN:-87654321}}"
    pin="${5:-${SOFTHSM_PIN:-12345678}}"
    removable="${SOFTHSM_REMOVABLE:-true}"
    command -v softhsm2-util >/dev/null || {
      echo 'softhsm.sh: softhsm2-util not found: apt-get install softhsm2' >&2
      exit 3
    }
    module="$(find_module)"
    dir="$(realpath -m "$dir")"
    for value in "dir:$dir" "label:$label" "so-pin:$so_pin" "pin:$pin"; do
      safe "${value%%:*}" "${value#*:}"
    done
    # Fresh every time: remove this script's earlier token, refuse a directory it did not make.
    teardown
    mkdir -p "$dir/tokens"
    touch "$dir/$marker"
    cat >"$dir/softhsm2.conf" <<EOF
# Written by scripts/pkcs11/softhsm.sh: a private SoftHSM2 configuration.
directories.tokendir = $dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = $removable
slots.mechanisms = ALL
library.reset_on_fork = false
EOF
    SOFTHSM2_CONF="$dir/softhsm2.conf" softhsm2-util --init-token --free --label "$label" \
      --so-pin "$so_pin" --pin "$pin" >/dev/null
    echo "export SOFTHSM2_CONF=$dir/softhsm2.conf"
    echo "export PKCS11_MODULE=$module"
    echo "export PKCS11_TOKEN_LABEL=$label"
    echo "export PKCS11_SO_PIN=$so_pin"
    echo "export PKCS11_PIN=$pin"
    ;;
  teardown)
    teardown
    ;;
  *)
    usage
    ;;
esac
