#!/usr/bin/env bash
# `npm run quickstart`: install what k3play needs (npm packages, the lab's Debian packages),
# boot the local lab (5 real Debian hosts with systemd, reached over real SSH with strict host
# key checking, topology ha-embedded) and run the main job on it: playbooks/ha-embedded.yml with
# the example inventory, first --check (nothing is written), then for real (3 k3s servers with
# embedded etcd, 2 agents, keepalived + haproxy holding the API VIP), then again (changed=0).
# The real k3s release cannot be downloaded here, so a local mirror on the lab bridge serves
# k3play's k3s TEST DOUBLE (test/doubles/k3s/) in the release's layout; etcd, keepalived, haproxy
# and systemd are real. On a real site k3s_mirror_url is the real release (the default) or an
# offline mirror. The lab stays up for you to explore; `npx k3play lab down` removes it.
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
echo "== k3play lab up 5 --topology ha-embedded (first time: builds a cached Debian base image, about a minute)"
lab="${K3PLAY_QUICKSTART_LAB:-lab}"   # another name keeps a second checkout's quick start apart
k3play lab up 5 --topology ha-embedded --name "$lab"
inv=".k3play/lab/$lab/inventory.ini"
bridge=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).bridgeIp)' ".k3play/lab/$lab/lab.json")
mirror_dir=.k3play/quickstart/k3s-mirror
rm -rf "$mirror_dir"
python3 test/doubles/k3s/mirror.py build "$mirror_dir" --version v1.28.4+k3s2 --version v1.28.5+k3s1 --version v1.29.0+k3s1
log=.k3play/quickstart/k3s-mirror.log
python3 test/doubles/k3s/mirror.py serve "$mirror_dir" --bind "$bridge" > "$log" &
mirror_pid=$!
trap 'kill "$mirror_pid" 2>/dev/null' EXIT
for _ in $(seq 50); do grep -q '^serving ' "$log" 2>/dev/null && break; sleep 0.1; done
mirror_url="$(sed -n 's/^serving //p' "$log" | head -n 1)/k3s-io/k3s/releases/download"
echo "== NOTE: k3s comes from a local mirror at $mirror_url that serves k3play's k3s TEST DOUBLE"
echo "   (test/doubles/k3s/: k3s's CLI, files and join protocol, Debian's real etcd inside), because"
echo "   the real release cannot be downloaded here. On a real site, leave k3s_mirror_url unset (the"
echo "   GitHub release) or point it at your offline mirror."
site=(playbooks/ha-embedded.yml -i inventories/examples/edge-site.ini -i "$inv" -e "k3s_mirror_url=$mirror_url")
echo "== what would change (--check --diff, nothing is written)"
k3play run "${site[@]}" --check | tail -n 8
echo "== first run: 3 servers (embedded etcd, one at a time), 2 agents, the API VIP"
k3play run "${site[@]}"
echo "== second run: nothing left to change"
k3play run "${site[@]}"
echo
echo "The lab is still up: npx k3play lab ssh h1 -- k3s kubectl get nodes | npx k3play lab status | npx k3play lab down"
echo "(k3s there is the test double, served by the mirror only while this script ran)"
