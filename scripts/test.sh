#!/usr/bin/env bash
# `npm test`: everything the suite needs is installed by scripts/setup.sh, then every test runs
# (unit tests beside the code, e2e CLI tests and lab integration tests under test/).
# Vitest's JSON report goes to test-results/vitest.json (read by .ci/run for its summary line).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --lab
mkdir -p test-results
exec npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
