#!/usr/bin/env bash
# start-nginx.sh DIR PORT UPSTREAM: Debian's nginx on 127.0.0.1:PORT for the tests, terminating
# TLS (a throwaway P-256 certificate for 127.0.0.1 made here) and proxying to the app on
# 127.0.0.1:UPSTREAM with the client's certificate in X-SSL-Client-Cert (scripts/nginx/nginx.conf).
# Its configuration, PID file, logs and temp files are in DIR. Prints its PID once it listens.
# Stop it with stop-nginx.sh DIR.
set -euo pipefail
dir=${1:?usage: start-nginx.sh DIR PORT UPSTREAM}
port=${2:?usage: start-nginx.sh DIR PORT UPSTREAM}
upstream=${3:?usage: start-nginx.sh DIR PORT UPSTREAM}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir/tmp"
# nginx's workers run as nobody: they need to reach the temp folders.
chmod 755 "$dir"
chmod 777 "$dir/tmp"
rm -f "$dir/nginx.pid"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -keyout "$dir/server.key" -out "$dir/server.crt" \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
sed -e "s#@DIR@#$dir#g" -e "s#@PORT@#$port#g" -e "s#@UPSTREAM@#$upstream#g" \
  "$here/nginx.conf" >"$dir/nginx.conf"
nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
for _ in $(seq 1 100); do
  if [ -s "$dir/nginx.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    cat "$dir/nginx.pid"
    exit 0
  fi
  sleep 0.1
done
echo "nginx did not listen on 127.0.0.1:$port; its log:" >&2
cat "$dir/error.log" >&2 || true
exit 1
