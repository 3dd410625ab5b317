#!/usr/bin/env bash
# Installs the Debian packages the k3play lab needs (src/lab): debootstrap, systemd-nspawn,
# iproute2, nftables, the OpenSSH client and apt-utils. Idempotent: does nothing when they are
# all installed; runs `apt-get update` only when the package lists are missing or older than a
# day. Needs root on Debian/Ubuntu. It installs packages only; it starts nothing.
set -euo pipefail

PACKAGES=(debootstrap systemd-container iproute2 nftables openssh-client apt-utils)

if [ "$(id -u)" -ne 0 ]; then
  echo "lab-deps: run as root (apt-get install)" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "lab-deps: apt-get not found; the lab needs a Debian-based machine" >&2
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "lab-deps: all present (${PACKAGES[*]})"
  exit 0
fi

lists=/var/lib/apt/lists
if [ -z "$(find "$lists" -maxdepth 1 -name '*_Packages*' -mtime -1 -print -quit 2>/dev/null)" ]; then
  apt-get update -qq
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "lab-deps: installed ${missing[*]}"
