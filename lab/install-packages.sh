#!/usr/bin/env bash
# Installs the Debian packages the test suite and the lab need, non-interactively,
# without letting the distribution start its own daemons (nothing binds 0.0.0.0:
# the tests start their own instances on loopback, by pid).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

PACKAGES=(postfix dovecot-core dovecot-imapd dovecot-pop3d unbound swaks tmux iproute2 procps openssl)

# Exim conflicts with Postfix as a package: it is unpacked into its own root instead.
bash "$(dirname "$0")/install-exim.sh"

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "lab: all packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# Forbid service start-up during installation (invoke-rc.d honours this), and
# answer Postfix's debconf question with "No configuration".
$SUDO sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
# Anything the packages started anyway (e.g. on systemd machines) is stopped.
for svc in postfix dovecot unbound; do
  $SUDO systemctl stop "$svc" 2>/dev/null || true
  $SUDO systemctl disable "$svc" 2>/dev/null || true
done
$SUDO rm -f /usr/sbin/policy-rc.d
echo "lab: installed ${missing[*]}"
