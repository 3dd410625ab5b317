#!/usr/bin/env bash
# `npm run bench`: installs what the bench needs (npm packages and build, the lab's Debian
# packages, Debian's ansible for the comparison — scripts/setup.sh --lab does all of it), then
# runs bench/main.ts (compiled to dist/bench/) with the given options. Needs root (the lab).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --lab
exec node dist/bench/main.js "$@"
