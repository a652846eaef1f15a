#!/usr/bin/env bash
# Installs the Debian packages that the system-package tests need, when they are missing.
# `npm test` runs those tests when the packages are there and skips them, naming the package,
# when they are not. CI (.ci/run) calls this first, so nothing is skipped there.
#
#   openssl   interop checks of requests, certificates and CRLs (tests/interop)
#   chromium  the browser page's sign-in, driven by playwright-core (tests/browser); the test
#             runs /usr/bin/chromium, never a browser Playwright downloads
set -euo pipefail

want=(openssl chromium)
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
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
