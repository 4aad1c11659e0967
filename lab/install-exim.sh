#!/usr/bin/env bash
# Unpacks Debian's Exim (exim4-daemon-light, plus libidn12 which it links to)
# into its own root for the lab, without installing it: Debian's MTAs conflict
# (Postfix and Exim cannot both be installed through apt), and this leaves the
# system's packages exactly as they were. Idempotent.
#   EXIM_ROOT (default /opt/relaywiz-lab/exim-root)
set -euo pipefail
ROOT="${EXIM_ROOT:-/opt/relaywiz-lab/exim-root}"
if [ -x "$ROOT/usr/sbin/exim4" ] && compgen -G "$ROOT/usr/lib/*/libidn.so.12" >/dev/null; then
  echo "lab: exim already unpacked in $ROOT"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
# apt-get download runs as _apt when it can; let it write here.
chown _apt "$work" 2>/dev/null || true
(cd "$work" && apt-get download -q exim4-daemon-light libidn12 \
  || { $SUDO apt-get update -q && apt-get download -q exim4-daemon-light libidn12; })
$SUDO mkdir -p "$ROOT"
for deb in "$work"/*.deb; do
  $SUDO dpkg-deb -x "$deb" "$ROOT"
done
echo "lab: exim unpacked in $ROOT (dpkg knows nothing of it)"
