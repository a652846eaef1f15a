#!/usr/bin/env bash
# A software TPM 2.0 (swtpm) exposed as a PKCS#11 token by tpm2-pkcs11, for tests and
# development, kept in a private directory: TPM state, token store, pid files and logs.
#
#   scripts/pkcs11/tpm-token.sh start <dir> [label] [so-pin] [pin]
#   scripts/pkcs11/tpm-token.sh stop <dir>
#
# start makes a fresh TPM and token every time (it stops an earlier one in <dir> first):
#   1. swtpm in socket mode on 127.0.0.1, a server port P and its control port P+1 (the swtpm
#      TCTI always uses P+1), P chosen free in 20000-32767, below the kernel's ephemeral range,
#      or TPM_PORT; the TPM is started by swtpm itself (startup-clear);
#   2. a private D-Bus session (its own config and socket in <dir>) and tpm2-abrmd on it: the
#      tpm2-tools that tpm2_ptool runs leave transient objects behind, which fill a TPM reached
#      directly; the access broker flushes them;
#   3. tpm2_ptool init (a persistent primary key) and addtoken with the label, security officer
#      PIN and user PIN given (or TPM_LABEL, TPM_SO_PIN, TPM_PIN; defaults sc2fa-tpm, 87654321,
#      12345678); TPM_MAX_TRIES, when set, replaces the TPM's dictionary-attack threshold (3);
#   4. stops tpm2-abrmd and the D-Bus session: the module talks to swtpm directly afterwards.
#      With TPM_RESOURCE_MANAGER=abrmd they keep running instead, and the module and tpm2-tools
#      go through tpm2-abrmd, as through /dev/tpmrm0 on a real machine: reached directly, swtpm
#      holds 3 loaded objects, so tpm2-pkcs11 can keep only one key loaded per login.
# swtpm keeps running. start prints the environment a PKCS#11 client needs, as `export
# NAME=value` lines for `eval "$(scripts/pkcs11/tpm-token.sh start /tmp/tpm)"`:
#   TPM2_PKCS11_TCTI     swtpm:host=127.0.0.1,port=P, for the module
#   TPM2_PKCS11_STORE    the token store (an SQLite file in <dir>/store)
#   TPM2TOOLS_TCTI       the same TCTI for tpm2-tools, e.g. `tpm2_dictionarylockout --clear-lockout`
#   PKCS11_MODULE        the module's path (/usr/lib/x86_64-linux-gnu/pkcs11/libtpm2_pkcs11.so)
#   PKCS11_TOKEN_LABEL   the token's label: find the token by it
#   PKCS11_SO_PIN, PKCS11_PIN, TPM_MAX_TRIES (wrong PINs before the TPM locks out)
#   DBUS_SESSION_BUS_ADDRESS  with TPM_RESOURCE_MANAGER=abrmd: the bus tpm2-abrmd is on (the
#                        tabrmd TCTI of the module and tools finds it there)
# Every process it starts is recorded in <dir>/*.pid; a failed start stops them all. stop ends
# them by PID and deletes <dir> (only a directory this script made, or an empty one).
#
# Needs the Debian packages swtpm swtpm-tools tpm2-tools libtpm2-pkcs11-1
# libtpm2-pkcs11-tools tpm2-abrmd libtss2-tcti-tabrmd0 dbus-daemon
# (scripts/install-system-packages.sh installs them).
set -euo pipefail

usage() {
  sed -n '5,6p' "$0" | sed 's/^# *//' >&2
  exit 2
}

action="${1:-}"
dir="${2:-}"
[ -n "$action" ] && [ -n "$dir" ] || usage
dir="$(realpath -m "$dir")"
marker='tpm-token.sh-made-this'

fail() {
  echo "tpm-token.sh: $*" >&2
  exit 1
}

safe() { # the values end up in unquoted `export` lines, a TCTI string and a D-Bus config
  [[ "$2" =~ ^[A-Za-z0-9_./:@+-]+$ ]] ||
    fail "$1 may only hold letters, digits and _./:@+- (got '$2')"
}
safe dir "$dir"

# Whether a process runs: a zombie does not (daemons are reparented to PID 1, which may be slow
# to reap them, and `kill -0` succeeds on a zombie).
alive() {
  [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# Ends the process in <dir>/<name>.pid, when it is still the program named <comm>, with the
# signal given (TERM when left out), then KILL if it is still there after 2 s.
stop_process() {
  local name="$1" comm="$2" signal="${3:-TERM}" file="$dir/$1.pid" pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  if [[ "$pid" =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ]; then
    kill "-$signal" "$pid" 2>/dev/null || true
    for _ in $(seq 40); do
      alive "$pid" || break
      sleep 0.05
    done
    ! alive "$pid" || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

stop_all() {
  stop_process abrmd tpm2-abrmd
  stop_process dbus dbus-daemon
  # swtpm takes a second to notice TERM; its state is thrown away with <dir>, so KILL it.
  stop_process swtpm swtpm KILL
}

remove_dir() {
  [ -e "$dir" ] || return 0
  if [ -f "$dir/$marker" ] || [ -z "$(ls -A "$dir")" ]; then
    rm -rf "$dir"
  else
    fail "$dir was not made by this script; leaving it alone"
  fi
}

need() { # command, Debian package
  command -v "$1" >/dev/null || {
    echo "tpm-token.sh: $1 not found: apt-get install $2" >&2
    exit 3
  }
}

find_module() {
  local candidate
  for candidate in /usr/lib/*-linux-gnu/pkcs11/libtpm2_pkcs11.so \
    /usr/lib/*-linux-gnu/libtpm2_pkcs11.so.1 /usr/local/lib/libtpm2_pkcs11.so; do
    [ -f "$candidate" ] && {
      echo "$candidate"
      return
    }
  done
  echo 'tpm-token.sh: libtpm2_pkcs11.so not found: apt-get install libtpm2-pkcs11-1' >&2
  exit 3
}

# Starts swtpm on a free port pair; prints the server port.
start_swtpm() {
  local port attempt
  for attempt in $(seq 20); do
    port="${TPM_PORT:-$((20000 + (RANDOM % 6383) * 2))}"
    if [ -z "${TPM_PORT:-}" ] &&
      [ -n "$(ss -Htln "( sport = :$port or sport = :$((port + 1)) )" 2>/dev/null)" ]; then
      continue
    fi
    if swtpm socket --tpm2 --tpmstate "dir=$dir/tpm,mode=0600" \
      --server "type=tcp,port=$port,bindaddr=127.0.0.1" \
      --ctrl "type=tcp,port=$((port + 1)),bindaddr=127.0.0.1" \
      --flags not-need-init,startup-clear --daemon --pid "file=$dir/swtpm.pid" \
      --log "file=$dir/swtpm.log" </dev/null >/dev/null 2>>"$dir/swtpm.log"; then
      echo "$port"
      return
    fi
    [ -z "${TPM_PORT:-}" ] || break # a port asked for and taken: no other to try
    [ "$attempt" -lt 20 ] || break
  done
  fail "swtpm could not start (ports in use?): $(tail -n 3 "$dir/swtpm.log")"
}

# Runs "$@" until it succeeds, for up to about 5 s.
wait_for() {
  for _ in $(seq 100); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  return 1
}

case "$action" in
  start)
    label="${3:-${TPM_LABEL:-sc2fa-tpm}}"
    so_pin="${4:-${TPM_SO_PIN:-87654321}}"
    pin="${5:-${TPM_PIN:-12345678}}"
    for value in "label:$label" "so-pin:$so_pin" "pin:$pin"; do
      safe "${value%%:*}" "${value#*:}"
    done
    [ "${#dir}" -lt 90 ] || fail "$dir is too long for a D-Bus socket path"
    need swtpm swtpm
    need tpm2_startup tpm2-tools
    need tpm2_ptool libtpm2-pkcs11-tools
    need tpm2-abrmd tpm2-abrmd
    need dbus-daemon dbus-daemon
    ls /usr/lib/*-linux-gnu/libtss2-tcti-tabrmd.so.0 >/dev/null 2>&1 || {
      echo 'tpm-token.sh: libtss2-tcti-tabrmd.so.0 not found: apt-get install libtss2-tcti-tabrmd0' >&2
      exit 3
    }
    module="$(find_module)"

    # Fresh every time: stop and remove this script's earlier TPM in <dir>.
    stop_all
    remove_dir
    mkdir -p "$dir/tpm" "$dir/store"
    chmod 700 "$dir"
    touch "$dir/$marker"
    started=false
    trap '[ "$started" = true ] || stop_all' EXIT

    port="$(start_swtpm)"
    tcti="swtpm:host=127.0.0.1,port=$port"
    wait_for tpm2_getrandom -T "$tcti" 4 || fail "swtpm on port $port does not answer"

    cat >"$dir/dbus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<!-- Written by scripts/pkcs11/tpm-token.sh: a private bus for tpm2-abrmd while provisioning. -->
<busconfig>
  <type>session</type>
  <listen>unix:path=$dir/dbus.sock</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
    dbus-daemon --config-file="$dir/dbus.conf" --fork --print-pid=1 --nopidfile \
      </dev/null >"$dir/dbus.pid" 2>"$dir/dbus.log"
    export DBUS_SESSION_BUS_ADDRESS="unix:path=$dir/dbus.sock"

    bus_name="com.intel.tss2.Tabrmd.sc2fa$port"
    root=()
    [ "$(id -u)" -ne 0 ] || root=(--allow-root) # it refuses root without this
    tpm2-abrmd --session "${root[@]}" --tcti="$tcti" --dbus-name="$bus_name" --logger=stdout \
      </dev/null >"$dir/abrmd.log" 2>&1 &
    echo "$!" >"$dir/abrmd.pid"
    export TPM2TOOLS_TCTI="tabrmd:bus_name=$bus_name,bus_type=session"
    wait_for tpm2_getrandom 4 || fail "tpm2-abrmd did not come up: $(tail -n 3 "$dir/abrmd.log")"

    if [ -n "${TPM_MAX_TRIES:-}" ]; then
      [[ "$TPM_MAX_TRIES" =~ ^[1-9][0-9]*$ ]] || fail "TPM_MAX_TRIES must be a count"
      tpm2_dictionarylockout --setup-parameters --max-tries="$TPM_MAX_TRIES" \
        --recovery-time=1000 --lockout-recovery-time=1000 >/dev/null
    fi
    tpm2_ptool init --path "$dir/store" >/dev/null
    tpm2_ptool addtoken --pid=1 --label="$label" --sopin="$so_pin" --userpin="$pin" \
      --path "$dir/store" >/dev/null

    module_tcti="$tcti"
    if [ "${TPM_RESOURCE_MANAGER:-}" = abrmd ]; then
      module_tcti="$TPM2TOOLS_TCTI"
    else
      [ -z "${TPM_RESOURCE_MANAGER:-}" ] || fail "TPM_RESOURCE_MANAGER may only be abrmd"
      stop_process abrmd tpm2-abrmd
      stop_process dbus dbus-daemon
      rm -f "$dir/dbus.sock"
    fi
    max_tries="$(tpm2_getcap -T "$module_tcti" properties-variable |
      sed -n 's/^TPM2_PT_MAX_AUTH_FAIL: *0x\([0-9A-Fa-f]*\)$/\1/p')"
    started=true

    echo "export TPM2_PKCS11_TCTI=$module_tcti"
    echo "export TPM2_PKCS11_STORE=$dir/store"
    echo "export TPM2TOOLS_TCTI=$module_tcti"
    [ "$module_tcti" = "$tcti" ] || echo "export DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS"
    echo "export PKCS11_MODULE=$module"
    echo "export PKCS11_TOKEN_LABEL=$label"
    echo "export PKCS11_SO_PIN=$so_pin"
    echo "export PKCS11_PIN=$pin"
    echo "export TPM_MAX_TRIES=$((16#${max_tries:-0}))"
    ;;
  stop)
    stop_all
    remove_dir
    ;;
  *)
    usage
    ;;
esac
