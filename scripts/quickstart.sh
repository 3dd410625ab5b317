#!/usr/bin/env bash
# `npm run quickstart`: install what k3play needs (npm packages, the lab's Debian packages),
# boot the default local lab (5 real Debian hosts with systemd, reached over real SSH with
# strict host key checking), and run the node preparation playbook on it twice: the first run
# changes the hosts, the second must report changed=0. The lab stays up for you to explore;
# `npx k3play lab down` removes it.
# Without root (the lab needs it), it falls back to the local scratch-directory playbook.
set -euo pipefail
cd "$(dirname "$0")/.."
k3play() { node bin/k3play.js "$@"; }

if [ "$(id -u)" != 0 ] || [ "$(uname -s)" != Linux ]; then
  bash scripts/setup.sh
  scratch="${K3PLAY_QUICKSTART_DIR:-$PWD/.k3play/quickstart}"
  echo "== not root: running the local quick start in $scratch instead of the lab"
  k3play run playbooks/quickstart-local.yml -i inventories/local.ini -e "scratch_dir=$scratch"
  k3play run playbooks/quickstart-local.yml -i inventories/local.ini -e "scratch_dir=$scratch"
  exit 0
fi

bash scripts/setup.sh --lab
echo "== k3play lab up 5 (first time: builds a cached Debian base image, about a minute)"
k3play lab up 5 --topology ha-embedded
inv=.k3play/lab/lab/inventory.ini
echo "== what would change (--check --diff, nothing is written)"
k3play run playbooks/node-prep.yml -i "$inv" --check | tail -n 8
echo "== first run: prepares the nodes"
k3play run playbooks/node-prep.yml -i "$inv"
echo "== second run: nothing left to change"
k3play run playbooks/node-prep.yml -i "$inv"
echo
echo "The lab is still up: npx k3play lab status | npx k3play lab ssh h1 | npx k3play lab down"
