/**
 * The kubeadm / kubelet / kubectl TEST DOUBLES (kube-double.py) as .deb packages with the real
 * package names and pkgs.k8s.io-style versions (1.28.4-1.1), for the tests' local apt repository
 * (test/repos/apt-repo.ts): installing, pinning (`kubelet=1.28.4-1.1`) and holding them is real
 * apt. kubelet ships a systemd unit like the real package (Restart=always). The doubles need
 * python3-yaml, which is not in the lab's base image: tests add Debian's .debs of it to the same
 * repository (debian-debs.ts). Tests only.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DebPackage } from '../../repos/apt-repo.js';

export const KUBE_DOUBLE_PY = fileURLToPath(new URL('./kube-double.py', import.meta.url));
/** The pinned version of the example inventory, and a newer one the pin must not pick. */
export const KUBE_VERSIONS = ['1.28.4-1.1', '1.29.0-1.1'] as const;
/** Debian packages the doubles depend on beyond the lab's base image. */
export const KUBE_DOUBLE_DEPENDS = ['python3-yaml'] as const;

const KUBELET_UNIT = `[Unit]
Description=kubelet: The Kubernetes Node Agent (k3play TEST DOUBLE)
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=2

[Install]
WantedBy=multi-user.target
`;

function tool(name: string, version: string, source: string): DebPackage['files'] {
  const upstream = version.split('-')[0]!;
  return [
    { path: `/usr/lib/k3play-kube-double/${name}.py`, content: source.replace('@@VERSION@@', upstream), mode: 0o644 },
    { path: `/usr/bin/${name}`, content: `#!/bin/sh\n# k3play TEST DOUBLE of ${name} ${upstream}\nexec /usr/bin/python3 /usr/lib/k3play-kube-double/${name}.py ${name} "$@"\n`, mode: 0o755 },
  ];
}

/** kubeadm, kubelet and kubectl at every version of `versions`. */
export function kubeDoubleDebs(versions: readonly string[] = KUBE_VERSIONS): DebPackage[] {
  const source = readFileSync(KUBE_DOUBLE_PY, 'utf8');
  return versions.flatMap((v) => [
    { name: 'kubectl', version: v, depends: 'python3, python3-yaml', files: tool('kubectl', v, source) },
    { name: 'kubelet', version: v, depends: 'python3, python3-yaml, openssl', files: [...tool('kubelet', v, source)!, { path: '/lib/systemd/system/kubelet.service', content: KUBELET_UNIT }] },
    { name: 'kubeadm', version: v, depends: `python3, python3-yaml, openssl, kubelet (>= 1.28), kubectl (>= 1.28)`, files: tool('kubeadm', v, source) },
  ]);
}
