/**
 * `k3s_datastore`: point a k3s server at its datastore by rewriting the datastore-* keys of
 * /etc/rancher/k3s/config.yaml (when the file exists) and restarting k3s if it runs. Used by
 * the etcd runbooks after a member's address or the member set changed. read is ONE round trip
 * (the file, base64, and `systemctl is-active k3s`); plan is the pure plan-k3s-datastore.ts.
 */
import { defineModule, sh, TaskFailure } from '../../src/module-api/index.js';
import { k3sDatastoreArgsSchema, type K3sDatastoreArgs } from './args.js';
import { DEFAULT_K3S_CONFIG, planK3sDatastore, type K3sConfigState } from './plan-k3s-datastore.js';

export default defineModule<K3sDatastoreArgs, K3sConfigState>({
  name: 'k3s_datastore',
  summary: 'Set datastore-endpoint (and datastore-cafile/certfile/keyfile) in k3s\'s config.yaml when it exists, keeping the rest of the file; restart k3s if it is active.',
  args: k3sDatastoreArgsSchema,
  examples: [
    `- name: k3s uses the external etcd
  k3s_datastore:
    endpoint: "{{ etcd_endpoints }}"
    cafile: /etc/rancher/k3s/etcd/ca.crt
    certfile: /etc/rancher/k3s/etcd/client.crt
    keyfile: /etc/rancher/k3s/etcd/client.key`,
  ],

  async read(probe, args) {
    const r = await probe.exec(sh`f=${args.config ?? DEFAULT_K3S_CONFIG}
if [ -f "$f" ]; then printf 'config=b64:%s\\n' "$(base64 -w0 < "$f")"; else echo config=absent; fi
printf 'active=%s\\n' "$(systemctl is-active k3s 2>/dev/null)"`);
    const m = /^config=(absent|b64:([A-Za-z0-9+/=]*))$/m.exec(r.stdout);
    if (r.exitCode !== 0 || !m) throw new TaskFailure(`cannot read ${args.config ?? DEFAULT_K3S_CONFIG}: ${r.stderr.trim() || r.stdout.slice(0, 200)}`);
    return { config: m[1] === 'absent' ? null : Buffer.from(m[2] ?? '', 'base64').toString('utf8'), active: /^active=(.*)$/m.exec(r.stdout)?.[1] ?? '' };
  },

  plan: planK3sDatastore,
});
