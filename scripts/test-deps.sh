#!/usr/bin/env bash
# Debian packages the test suite uses besides the lab's (scripts/lab-deps.sh):
#   ansible           ansible-inventory --list/--graph shape, ansible-vault interop, bench baseline
#   openssh-server    private sshd instances on loopback for the SSH transport tests
#   sudo              become tests (password on stdin, never in ps)
#   gnupg             signing the local apt repository the package tests build
#   dnf rpm createrepo-c   the package module's dnf back end, tested for real (--installroot)
#   bsdutils          `script`, a pseudo-terminal for the live (listr2) reporter test
#   chromium          headless browser for the rollout HTML report test (screenshot + DOM, via playwright-core)
# Idempotent: installs only what is missing. Skipped when not root or not on apt (the tests that
# need these then skip themselves, saying why).
set -euo pipefail
command -v apt-get >/dev/null 2>&1 || exit 0
[ "$(id -u)" = 0 ] || { echo "test-deps: not root, skipping Debian packages"; exit 0; }
PACKAGES=(ansible openssh-server sudo gnupg dnf rpm createrepo-c bsdutils chromium)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "test-deps: all present"; exit 0; }
echo "test-deps: installing ${missing[*]}"
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mtime -1 -print -quit 2>/dev/null)" ]; then
  apt-get update -qq
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
