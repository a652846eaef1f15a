#!/usr/bin/env bash
# Installs the Debian packages that the system-package tests need, when they are missing.
# `npm test` runs those tests when the packages are there and skips them, naming the package,
# when they are not. CI (.ci/run) calls this first, so nothing is skipped there.
#
#   openssl   interop checks of requests, certificates and CRLs (tests/interop)
#   chromium  the browser page's sign-in, driven by playwright-core (tests/browser); the test
#             runs /usr/bin/chromium, never a browser Playwright downloads
#   softhsm2              a software PKCS#11 token (tests/pkcs11, scripts/pkcs11/softhsm.sh)
#   swtpm                 a software TPM 2.0, the TPM token's backing (scripts/pkcs11/tpm-token.sh)
#   swtpm-tools           swtpm_setup, to manufacture the software TPM's state
#   tpm2-tools            tpm2_startup and tpm2_dictionarylockout (the TPM lockout test)
#   libtpm2-pkcs11-1      the PKCS#11 module over the TPM (libtpm2_pkcs11.so.1)
#   libtpm2-pkcs11-tools  tpm2_ptool, which provisions the TPM token
#   tpm2-abrmd            the TPM access broker tpm2_ptool talks to, on a private D-Bus session
#   libtss2-tcti-tabrmd0  the TCTI library that reaches tpm2-abrmd
#   dbus-daemon           the private D-Bus session for tpm2-abrmd
#   g++ make python3      node-gyp's toolchain, for `npm run build:pkcs11` (the pkcs11js binding)
#   pcscd                 the PC/SC daemon real card readers sit behind (tests/pcsc, scripts/pcsc)
#   vsmartcard-vpcd       vpcd, a virtual reader for pcscd that a card in software connects to
#   opensc                OpenSC's tools and PKCS#11 module, real middleware in front of the card
#   iproute2              `ip`, to bring up loopback in the PC/SC stack's own network namespace
#   libpcsclite-dev       the PC/SC headers `npm run build:pcsc` builds the smartcard binding with
#   krb5-kdc              MIT Kerberos's KDC, krb5kdc and kdb5_util (tests/kerberos, scripts/kerberos)
#   krb5-pkinit           the KDC's and kinit's PKINIT plugin: smart card logon with a certificate
#   krb5-user             kinit and klist, the client side of the smart card logon
#   krb5-admin-server     kadmin.local, which adds the test principals to the KDC's database
#   redis-server          the shared challenge store's server (tests/redis, scripts/redis)
#   nginx-light           a TLS proxy that forwards the client certificate (tests/mtls, scripts/nginx)
#   xvfb xdotool          a virtual display for headed Chromium, and typing the PIN into its dialog
#   libnss3-tools         certutil and modutil: Chromium's NSS database with OpenSC's module in it
#   libengine-pkcs11-openssl  OpenSSL's PKCS#11 engine: openssl s_client signs TLS with the card's key
#   curl                  an HTTPS client with a client certificate, as scripts and proxies use one
#
# Installing a server package must not start it (Debian starts redis-server and nginx on
# install): a policy-rc.d that refuses every start is in place for the install, so only the
# project's start scripts run servers, on 127.0.0.1, stopped by their PID.
set -euo pipefail

want=(
  openssl chromium softhsm2
  swtpm swtpm-tools tpm2-tools libtpm2-pkcs11-1 libtpm2-pkcs11-tools tpm2-abrmd
  libtss2-tcti-tabrmd0 dbus-daemon g++ make python3
  pcscd vsmartcard-vpcd opensc iproute2 libpcsclite-dev
  krb5-kdc krb5-pkinit krb5-user krb5-admin-server
  redis-server nginx-light xvfb xdotool libnss3-tools libengine-pkcs11-openssl curl
)
missing=()
for package in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present (${want[*]})"
  exit 0
fi

echo "system packages: installing ${missing[*]}"
SUDO=''
[ "$(id -u)" -eq 0 ] || SUDO='sudo'
export DEBIAN_FRONTEND=noninteractive
policy=/usr/sbin/policy-rc.d
placed_policy=''
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 755 "$policy"
  placed_policy=1
fi
remove_policy() { [ -z "$placed_policy" ] || $SUDO rm -f "$policy"; }
trap remove_policy EXIT
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
