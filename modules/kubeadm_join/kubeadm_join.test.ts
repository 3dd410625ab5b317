import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isSecret, Secret } from '../../src/module-api/index.js';
import { undescribed } from '../../test/schema-descriptions.js';
import type { KubeadmJoinArgs } from './args.js';
import { caCertHash } from './ca-cert-hash.js';
import kubeadmJoin from './index.js';
import { planJoin } from './plan-join.js';
import { parseJoinRead, type KubeadmJoinCurrent } from './read-join.js';

const testdata = (n: string) => readFileSync(new URL(`./testdata/${n}`, import.meta.url), 'utf8');
const CA = testdata('ca.crt');
const OTHER = testdata('other-ca.crt');
const TOKEN = 'abcdef.0123456789abcdef';
const KEY = 'f'.repeat(64);
const worker: KubeadmJoinArgs = { role: 'worker', api_server_endpoint: '10.231.0.10:16443', token: new Secret(TOKEN), ca_cert: CA, node_name: 'h4' };
const cp: KubeadmJoinArgs = { ...worker, role: 'control-plane', certificate_key: new Secret(KEY), advertise_address: '10.231.0.12', node_name: 'h2' };
const none: KubeadmJoinCurrent = { joined: false, controlPlane: false, caCert: null };

describe('kubeadm_join', () => {
  it('the CA pin is sha256 of the DER SubjectPublicKeyInfo, as openssl computes it (EC and RSA)', () => {
    expect(caCertHash(CA)).toBe(testdata('ca.crt.hash').trim());
    expect(caCertHash(OTHER)).toBe(testdata('other-ca.crt.hash').trim());
  });

  it('parses the read output', () => {
    const out = `joined=yes\ncontrol_plane=yes\nca=${Buffer.from(CA).toString('base64')}\n`;
    expect(parseJoinRead(out)).toEqual({ joined: true, controlPlane: true, caCert: CA });
    expect(parseJoinRead('')).toEqual(none);
  });

  it('converged: a worker / a control plane of this cluster', () => {
    expect(planJoin(worker, { joined: true, controlPlane: false, caCert: CA })).toEqual([]);
    expect(planJoin(cp, { joined: true, controlPlane: true, caCert: CA })).toEqual([]);
  });

  it('a worker joins with the JoinConfiguration on stdin (a Secret), nothing secret in argv or summary', () => {
    const [c, ...rest] = planJoin(worker, none);
    expect(rest).toEqual([]);
    expect(c!.summary).toBe(`kubeadm join 10.231.0.10:16443 as a worker with token ******** and --discovery-token-ca-cert-hash ${testdata('ca.crt.hash').trim()}`);
    const step = c!.steps[0] as { cmd: { script: string }; stdin: unknown };
    expect(isSecret(step.stdin)).toBe(true);
    expect(parse((step.stdin as Secret).reveal())).toEqual({
      apiVersion: 'kubeadm.k8s.io/v1beta3',
      kind: 'JoinConfiguration',
      discovery: { bootstrapToken: { apiServerEndpoint: '10.231.0.10:16443', token: TOKEN, caCertHashes: [testdata('ca.crt.hash').trim()] } },
      nodeRegistration: { name: 'h4' },
    });
    expect(step.cmd.script).toContain('umask 077');
    expect(step.cmd.script).toContain('kubeadm join --config "$d/join.yaml" > "$d/join.log" 2>&1');
    expect(JSON.stringify(c)).not.toContain(TOKEN);
  });

  it('a control plane joins with --control-plane and the certificate key in the config', () => {
    const [c] = planJoin(cp, none);
    expect(c!.summary).toMatch(/as a control plane \(advertise 10\.231\.0\.12:6443, certificate key \*{8}\)/);
    const doc = parse(((c!.steps[0] as { stdin: Secret }).stdin).reveal());
    expect(doc.controlPlane).toEqual({ localAPIEndpoint: { advertiseAddress: '10.231.0.12', bindPort: 6443 }, certificateKey: KEY });
    expect(JSON.stringify(c)).not.toContain(KEY);
  });

  it.each<[string, KubeadmJoinArgs, KubeadmJoinCurrent, RegExp]>([
    ['another cluster', worker, { joined: true, controlPlane: false, caCert: OTHER }, /joined another cluster/],
    ['worker asked to be a control plane', cp, { joined: true, controlPlane: false, caCert: CA }, /joined as a worker/],
    ['control plane asked to be a worker', worker, { joined: true, controlPlane: true, caCert: CA }, /is a control plane, not a worker/],
    ['a malformed token', { ...worker, token: new Secret('nope') }, none, /not a kubeadm bootstrap token/],
    ['a control plane without a key', { ...cp, certificate_key: undefined as unknown as string }, none, /certificate_key/],
    ['no CA', { ...worker, ca_cert: undefined as unknown as string }, none, /needs ca_cert/],
    ['a CA that is no certificate', { ...worker, ca_cert: 'not a pem' }, none, /not a PEM certificate/],
  ])('refuses: %s', (_n, a, cur, re) => {
    expect(() => planJoin(a, cur)).toThrow(re);
  });

  it('errors never contain the token', () => {
    try {
      planJoin({ ...worker, token: new Secret('abcdef.0123456789abcdeX') }, none);
    } catch (e) {
      expect(String(e)).not.toContain('0123456789abcde');
    }
  });

  it('token and certificate_key are secret arguments; every argument is described', () => {
    expect(kubeadmJoin.secretArgs).toEqual(['token', 'certificate_key']);
    expect(undescribed(kubeadmJoin.args)).toEqual([]);
  });
});
