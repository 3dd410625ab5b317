#!/usr/bin/env bash
# Debian packages the test suite compares against: ansible (ansible-inventory --list/--graph shape,
# vault interoperability, the benchmark baseline). Idempotent; skipped when not root or not apt.
set -euo pipefail
command -v apt-get >/dev/null 2>&1 || exit 0
[ "$(id -u)" = 0 ] || { echo "test-deps: not root, skipping Debian packages (tests that need them are skipped)"; exit 0; }
missing=()
command -v ansible-inventory >/dev/null 2>&1 || missing+=(ansible)
command -v script >/dev/null 2>&1 || missing+=(bsdutils)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "test-deps: installing ${missing[*]}"
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
