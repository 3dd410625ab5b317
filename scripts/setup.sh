#!/usr/bin/env bash
# Installs what k3play needs on this machine, idempotently: npm dependencies (npm ci, which also
# builds dist/ through the `prepare` script) and, with --lab, the Debian packages the lab uses.
# Safe to run again; does nothing that is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

need_npm=0
[ -d node_modules ] || need_npm=1
[ -f node_modules/.package-lock.json ] && [ package-lock.json -nt node_modules/.package-lock.json ] && need_npm=1
if [ "$need_npm" = 1 ]; then
  echo "setup: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# Rebuild when any source is newer than the build output.
if [ ! -f dist/src/cli/main.js ] || [ -n "$(find src modules bench tsconfig.json -newer dist/src/cli/main.js -name '*.ts' -o -newer dist/src/cli/main.js -name 'tsconfig.json' 2>/dev/null | grep -v '\.test\.ts$' | head -1)" ]; then
  echo "setup: building (npm run build)"
  npm run build --silent
fi

if [ "${1:-}" = "--lab" ]; then
  bash scripts/test-deps.sh
  [ -f scripts/lab-deps.sh ] && bash scripts/lab-deps.sh
fi
