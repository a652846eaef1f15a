#!/usr/bin/env bash
# Starts an MIT KDC with PKINIT (smart card logon) for the realm CONTOSO.TEST on 127.0.0.1:PORT,
# from files in STATE_DIR and writing nothing outside it.
#
#   scripts/kerberos/start-kdc.sh STATE_DIR PORT [PRINCIPAL...]    default principal: alice
#
# STATE_DIR holds, before: kdc.pem and kdc-key.pem (the KDC's certificate, EKU id-pkinit-KPKdc and
# SAN krbtgt/CONTOSO.TEST@CONTOSO.TEST, and its key, PEM), ca-root.pem (the CA users' and the
# KDC's certificates chain to) and ca-issuer.pem (the issuing CA). The script writes kdc.conf and
# krb5.conf (point KRB5_CONFIG at it for kinit and klist), the database and its stash (a random
# master password, never shown), krb5kdc.log and krb5kdc.pid. Each PRINCIPAL gets no key, only
# +requires_preauth: it signs in with its certificate (PKINIT) or not at all. The KDC takes a
# user's certificate whose UPN (SAN) is the principal's name and whose EKU is Smart Card Logon.
# To run it beside a PC/SC stack's clients, run it in that stack's namespaces (nsenter -n -m).
# Stop it with scripts/kerberos/stop-kdc.sh STATE_DIR (by PID). Needs Debian's krb5-kdc,
# krb5-pkinit and krb5-admin-server (scripts/install-system-packages.sh).
set -euo pipefail

dir=${1:?usage: start-kdc.sh STATE_DIR PORT [PRINCIPAL...]}
port=${2:?usage: start-kdc.sh STATE_DIR PORT [PRINCIPAL...]}
shift 2
principals=("${@:-alice}")
realm=CONTOSO.TEST
for tool in /usr/sbin/krb5kdc:krb5-kdc /usr/sbin/kdb5_util:krb5-kdc \
  /usr/sbin/kadmin.local:krb5-admin-server \
  /usr/lib/x86_64-linux-gnu/krb5/plugins/preauth/pkinit.so:krb5-pkinit; do
  [ -e "${tool%%:*}" ] || { echo "start-kdc: ${tool##*:} is not installed" >&2; exit 3; }
done
dir=$(cd "$dir" && pwd)
for file in kdc.pem kdc-key.pem ca-root.pem ca-issuer.pem; do
  [ -s "$dir/$file" ] || { echo "start-kdc: $dir/$file is missing" >&2; exit 2; }
done

cat > "$dir/kdc.conf" <<CONF
[kdcdefaults]
  kdc_listen = 127.0.0.1:$port
  kdc_tcp_listen = 127.0.0.1:$port

[realms]
  $realm = {
    database_name = $dir/principal
    key_stash_file = $dir/stash
    acl_file = $dir/kadm5.acl
    pkinit_identity = FILE:$dir/kdc.pem,$dir/kdc-key.pem
    pkinit_anchors = FILE:$dir/ca-root.pem
    pkinit_pool = FILE:$dir/ca-issuer.pem
    pkinit_allow_upn = true
    pkinit_eku_checking = scLogin
    pkinit_require_crl_checking = false
  }

[logging]
  kdc = FILE:$dir/krb5kdc.log
CONF

cat > "$dir/krb5.conf" <<CONF
[libdefaults]
  default_realm = $realm
  dns_lookup_kdc = false
  dns_lookup_realm = false
  rdns = false
  udp_preference_limit = 1
  default_ccache_name = FILE:$dir/ccache

[realms]
  $realm = {
    kdc = 127.0.0.1:$port
    pkinit_anchors = FILE:$dir/ca-root.pem
    pkinit_pool = FILE:$dir/ca-issuer.pem
  }
CONF
: > "$dir/kadm5.acl"

export KRB5_CONFIG="$dir/krb5.conf" KRB5_KDC_PROFILE="$dir/kdc.conf" KRB5RCACHEDIR="$dir"
master=$(head -c 32 /dev/urandom | base64)
kdb5_util -r "$realm" create -s -P "$master" > "$dir/kdb5_util.log" 2>&1
for principal in "${principals[@]}"; do
  kadmin.local -r "$realm" -q "addprinc -nokey +requires_preauth $principal@$realm" \
    >> "$dir/kdb5_util.log" 2>&1
done

# krb5kdc goes to the background itself and writes its PID to the file.
krb5kdc -r "$realm" -P "$dir/krb5kdc.pid" </dev/null >> "$dir/krb5kdc.log" 2>&1

hex=$(printf '%04X' "$port")
for _ in $(seq 1 100); do
  if [ -s "$dir/krb5kdc.pid" ] && grep -qi ":$hex 00000000:0000 0A" /proc/net/tcp; then
    echo "kdc: krb5kdc $(cat "$dir/krb5kdc.pid") for $realm on 127.0.0.1:$port"
    exit 0
  fi
  sleep 0.05
done
echo "start-kdc: krb5kdc did not come up; its log:" >&2
cat "$dir/krb5kdc.log" >&2
exit 1
