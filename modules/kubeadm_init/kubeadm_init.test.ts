import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { TaskFailure } from '../../src/module-api/index.js';
import { undescribed } from '../../test/schema-descriptions.js';
import type { KubeadmInitArgs } from './args.js';
import kubeadmInit from './index.js';
import { planInit } from './plan-init.js';
import { parseReadOutput, parseShortTtl, type KubeadmInitCurrent } from './read-init.js';
import { renderKubeadmConfig } from './render-config.js';

const testdata = (n: string) => readFileSync(new URL(`./testdata/${n}`, import.meta.url), 'utf8');
const ARGS: KubeadmInitArgs = { control_plane_endpoint: '10.231.0.10:16443', kubernetes_version: 'v1.28.4', pod_subnet: '10.244.0.0/16', advertise_address: '10.231.0.11', node_name: 'h1' };
const CONFIG = renderKubeadmConfig(ARGS);
const converged = (over: Partial<KubeadmInitCurrent> = {}): KubeadmInitCurrent => ({
  initialized: true,
  apiUp: true,
  recordedConfig: CONFIG,
  recordedTokenId: 'abcdef',
  certificateKeyRecorded: true,
  tokens: [
    { id: 'abcdef', ttlSeconds: 23 * 3600, description: 'k3play join token' },
    { id: 'q1w2e3', ttlSeconds: 3600, description: 'Proxy for managing TTL for the kubeadm-certs secret' },
  ],
  ...over,
});
const fresh: KubeadmInitCurrent = { initialized: false, apiUp: false, recordedConfig: null, recordedTokenId: null, certificateKeyRecorded: false, tokens: [] };
const summaries = (a: KubeadmInitArgs, c: KubeadmInitCurrent) => planInit(a, c).map((x) => x.summary);

describe('kubeadm_init config', () => {
  it('renders ClusterConfiguration, KubeletConfiguration and InitConfiguration last (the host appends the secrets to it)', () => {
    const docs = parseAllDocuments(CONFIG).map((d) => d.toJS() as Record<string, unknown>);
    expect(docs.map((d) => d['kind'])).toEqual(['ClusterConfiguration', 'KubeletConfiguration', 'InitConfiguration']);
    expect(docs[0]).toEqual({ apiVersion: 'kubeadm.k8s.io/v1beta3', kind: 'ClusterConfiguration', kubernetesVersion: 'v1.28.4', controlPlaneEndpoint: '10.231.0.10:16443', networking: { podSubnet: '10.244.0.0/16' } });
    expect(docs[1]).toMatchObject({ cgroupDriver: 'systemd' });
    expect(docs[2]).toEqual({ apiVersion: 'kubeadm.k8s.io/v1beta3', kind: 'InitConfiguration', localAPIEndpoint: { advertiseAddress: '10.231.0.11', bindPort: 6443 }, nodeRegistration: { name: 'h1' } });
    // what the apply script appends stays inside InitConfiguration
    const withSecrets = `${CONFIG}bootstrapTokens:\n- token: "abcdef.0123456789abcdef"\n  ttl: 24h0m0s\ncertificateKey: "${'a'.repeat(64)}"\n`;
    const last = parseAllDocuments(withSecrets).at(-1)!.toJS() as Record<string, unknown>;
    expect(last['certificateKey']).toBe('a'.repeat(64));
    expect(last['bootstrapTokens']).toEqual([{ token: 'abcdef.0123456789abcdef', ttl: '24h0m0s' }]);
  });

  it('cluster_config merges deeply', () => {
    const c = parseAllDocuments(renderKubeadmConfig({ ...ARGS, cert_sans: ['api.example'], cluster_config: { apiServer: { extraArgs: { 'audit-log-maxage': '30' } } } }))[0]!.toJS();
    expect(c.apiServer).toEqual({ certSANs: ['api.example'], extraArgs: { 'audit-log-maxage': '30' } });
  });

  it('every argument is described', () => {
    expect(undescribed(kubeadmInit.args)).toEqual([]);
  });
});

describe('kubeadm_init read parsing', () => {
  it('parses the read script output: kubeadm token list (TTL as duration.ShortHumanDuration) with each token cut to its id by the sed of the script', () => {
    const out = [`admin=yes`, `config=${Buffer.from(CONFIG).toString('base64')}`, 'token_id=abcdef', 'cert_key=yes', 'api=ok', testdata('token-list-after-sed.txt')].join('\n');
    expect(parseReadOutput(out)).toEqual(converged());
  });
  it('a host without kubeadm', () => expect(parseReadOutput('admin=no\n')).toEqual(fresh));
  it.each([
    ['23h', 82800],
    ['59m', 3540],
    ['3d', 259200],
    ['10s', 10],
    ['<forever>', Infinity],
    ['<invalid>', 0],
    ['0s', 0],
  ])('TTL %s = %d s', (s, n) => expect(parseShortTtl(s)).toBe(n));
});

describe('kubeadm_init plan', () => {
  it('converged: initialised, same config, nothing asked', () => expect(planInit(ARGS, converged({ tokens: [] }))).toEqual([]));
  it('converged with fresh material asked for', () => expect(planInit({ ...ARGS, refresh_token: true, refresh_certificate_key: true }, converged())).toEqual([]));

  it('a fresh host: kubeadm init with the config put 0600 and no secret in any argument', () => {
    const [c, ...rest] = planInit(ARGS, fresh);
    expect(rest).toEqual([]);
    expect(c!.summary).toMatch(/^kubeadm init \(controlPlaneEndpoint 10\.231\.0\.10:16443, Kubernetes v1\.28\.4, --upload-certs\)/);
    expect(c!.diff).toEqual({ path: '/etc/kubernetes/k3play/kubeadm-config.yaml', before: null, after: CONFIG });
    expect(c!.steps[1]).toEqual({ kind: 'put', path: '/etc/kubernetes/k3play/kubeadm-config.yaml', content: CONFIG, mode: '0600' });
    const script = (c!.steps[2] as { cmd: { script: string } }).cmd.script;
    expect(script).toContain('umask 077');
    expect(script).toContain('kubeadm init --config "$d/init.yaml" --upload-certs > "$d/init.log" 2>&1');
    expect(script).toMatch(/rm -f "\$d\/init\.yaml"; mv "\$d\/token\.new" "\$d\/token"/);
    expect(script).toContain("sed -E 's/[a-z0-9]{6}\\.[a-z0-9]{16}/<token>/g; s/[0-9a-f]{64}/<key>/g'");
  });

  it('without upload_certs the upload phase is skipped', () => {
    const script = (planInit({ ...ARGS, upload_certs: false }, fresh)[0]!.steps[2] as { cmd: { script: string } }).cmd.script;
    expect(script).toContain('--skip-phases=upload-certs');
  });

  it.each<[string, Partial<KubeadmInitCurrent>, Partial<KubeadmInitArgs>, string[]]>([
    ['token expired (gone from the list)', { tokens: [converged().tokens[1]!] }, { refresh_token: true }, ['create a join token (ttl 24h0m0s): token abcdef has expired (tokens live 24h0m0s)']],
    ['token about to expire', { tokens: [{ id: 'abcdef', ttlSeconds: 1800, description: '' }, converged().tokens[1]!] }, { refresh_token: true }, ['create a join token (ttl 24h0m0s): token abcdef has 30 min left, less than 3600 s']],
    ['no token recorded', { recordedTokenId: null }, { refresh_token: true }, ['create a join token (ttl 24h0m0s): no join token recorded']],
    ['certs expired (3 h after init)', { tokens: [converged().tokens[0]!] }, { refresh_certificate_key: true }, [expect.stringMatching(/^upload the control-plane certificates again .*: the uploaded certificates have expired$/) as unknown as string]],
    ['certs about to expire', { tokens: [converged().tokens[0]!, { ...converged().tokens[1]!, ttlSeconds: 600 }] }, { refresh_certificate_key: true }, [expect.stringMatching(/10 min left, less than 900 s$/) as unknown as string]],
    ['both expired (25 h after init)', { tokens: [] }, { refresh_token: true, refresh_certificate_key: true }, [expect.stringMatching(/^create a join token/) as unknown as string, expect.stringMatching(/^upload the control-plane certificates/) as unknown as string]],
    ['certs expired but not asked for', { tokens: [converged().tokens[0]!] }, { refresh_token: true }, []],
    ['a cluster made by hand: its config is recorded', { recordedConfig: null }, {}, ['record the configuration of the existing cluster in /etc/kubernetes/k3play/kubeadm-config.yaml']],
  ])('%s', (_n, cur, over, want) => {
    expect(summaries({ ...ARGS, ...over }, converged(cur))).toEqual(want);
  });

  it('the token step writes kubeadm token create output into the 0600 token file (never an argument)', () => {
    const step = planInit({ ...ARGS, refresh_token: true }, converged({ recordedTokenId: null }))[0]!.steps[0] as { cmd: { script: string } };
    expect(step.cmd.script).toBe(
      "set -e; umask 077; d=/etc/kubernetes/k3play; kubeadm token create --kubeconfig /etc/kubernetes/admin.conf --ttl 24h0m0s --description 'k3play join token' > \"$d/token.new\"; mv \"$d/token.new\" \"$d/token\"",
    );
  });

  it('the certificate key reaches upload-certs inside a 0600 config, not as --certificate-key', () => {
    const step = planInit({ ...ARGS, refresh_certificate_key: true }, converged({ certificateKeyRecorded: false }))[0]!.steps[0] as { cmd: { script: string } };
    expect(step.cmd.script).toContain('kubeadm init phase upload-certs --upload-certs --config "$d/upload.yaml"');
    expect(step.cmd.script).not.toContain('--certificate-key');
  });

  it('refuses another configuration on a running cluster', () => {
    expect(() => planInit({ ...ARGS, pod_subnet: '10.42.0.0/16' }, converged())).toThrow(TaskFailure);
    expect(() => planInit({ ...ARGS, pod_subnet: '10.42.0.0/16' }, converged())).toThrow(/initialised with another configuration/);
  });

  it('refuses when admin.conf exists but the API does not answer', () => {
    expect(() => planInit(ARGS, converged({ apiUp: false }))).toThrow(/does not answer/);
  });

  it('the recorded config parses as YAML documents', () => expect(() => parse(CONFIG.split('---\n')[0]!)).not.toThrow());
});
