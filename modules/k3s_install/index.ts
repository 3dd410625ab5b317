/**
 * `k3s_install`: k3s installed on a host with the install script's semantics, natively (no
 * script piped into sh): verify the system, the release binary for the host's arch from a
 * mirror (sha256-verified against the release's checksum file) or from controller files
 * (airgap), symlinks, k3s-killall.sh and the uninstall script, /etc/rancher/k3s/config.yaml and
 * the env file (0600, secrets masked in diffs), the k3s / k3s-agent unit, enable, start or
 * restart, and a wait until k3s is ready. prepare (controller) verifies airgap files; read is
 * ONE round trip (read-install.ts); plan is the pure plan-install.ts.
 */
import { defineModule, isSecret, TaskFailure } from '../../src/module-api/index.js';
import { k3sInstallArgsSchema, type K3sInstallArgs } from './args.js';
import { planInstall, splitToken, usesEmbeddedEtcd } from './plan-install.js';
import { prepareAirgap } from './prepare-airgap.js';
import { installReadScript, parseInstallRead, type InstallCurrent } from './read-install.js';
import { DEFAULT_MIRROR, releaseUrl } from './release.js';

export default defineModule<K3sInstallArgs, InstallCurrent>({
  name: 'k3s_install',
  summary: 'Install k3s (server or agent) as the k3s install script does: verified binary from a mirror or airgap files, config.yaml, env file, systemd unit, start, wait until ready.',
  args: k3sInstallArgsSchema,
  secretArgs: ['token', 'agent_token', 'datastore_endpoint'],
  examples: [
    `- name: first server (embedded etcd)
  k3s_install:
    role: server
    version: v1.28.4+k3s2
    cluster_init: true
    token: "{{ k3s_token }}"
    config:
      node-ip: "{{ ansible_host }}"
      tls-san: ["{{ api_vip }}"]`,
    `- name: agent, through the registration address, from an offline mirror
  k3s_install:
    role: agent
    version: v1.28.4+k3s2
    mirror_url: http://mirror.site.internal/k3s
    server: "https://{{ api_vip }}:6443"
    token: "{{ k3s_token }}"`,
    `- name: air-gapped server (files on the controller, checked against sha256sum-amd64.txt)
  k3s_install:
    role: server
    version: v1.28.4+k3s2
    airgap_dir: files/k3s-v1.28.4+k3s2
    server: "https://{{ api_vip }}:6443"
    token: "{{ k3s_token }}"`,
  ],

  prepare: (args, ctx) => prepareAirgap(args, ctx),

  async read(probe, args) {
    const token = args.token === undefined ? undefined : isSecret(args.token) ? args.token.reveal() : args.token;
    const k10 = token !== undefined && splitToken(token).caHash !== null;
    const r = await probe.exec(
      installReadScript({
        releaseBase: args.airgap !== undefined ? null : releaseUrl(args.mirror_url ?? DEFAULT_MIRROR, args.version, '').replace(/\/$/, ''),
        cacertsFrom: k10 && args.server !== undefined ? args.server : null,
        etcd: usesEmbeddedEtcd(args, { etcdData: true }),
      }),
      { timeoutMs: 60_000 },
    );
    try {
      if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.stderr.trim()}`);
      return parseInstallRead(r.stdout);
    } catch (err) {
      throw new TaskFailure(`cannot read the k3s installation state: ${(err as Error).message}`, 'k3s_install needs a POSIX shell, coreutils (sha256sum, base64), curl and systemd on the host');
    }
  },

  plan: planInstall,
});
