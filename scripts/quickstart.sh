#!/usr/bin/env bash
# `npm run quickstart`: installs what k3play needs, then runs the main job twice against the
# default local target (the first run changes things, the second must report changed=0).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
scratch="${K3PLAY_QUICKSTART_DIR:-$PWD/.k3play/quickstart}"
echo "== k3play quick start: first run (changes the scratch directory $scratch)"
node bin/k3play.js run playbooks/quickstart-local.yml -i inventories/local.ini -e "scratch_dir=$scratch"
echo "== second run: nothing left to change"
node bin/k3play.js run playbooks/quickstart-local.yml -i inventories/local.ini -e "scratch_dir=$scratch"
