import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Secret, TaskFailure, type Change } from '../../src/module-api/index.js';
import type { K3sInstallArgs } from './args.js';
import { configText, killallText, maskConfigText, maskEndpoint, uninstallText, unitText } from './install-files.js';
import { buildConfig, checkQuorum, planInstall, splitToken } from './plan-install.js';
import { parseInstallRead, parseMembers, type FileState, type InstallCurrent } from './read-install.js';
import { parseChecksums, releaseArch, releaseUrl } from './release.js';

const fixture = (name: string): InstallCurrent => parseInstallRead(readFileSync(new URL(`./testdata/${name}.txt`, import.meta.url), 'utf8'));
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const MIRROR = 'http://10.236.0.1:18080/k3s-io/k3s/releases/download';
const summaries = (c: readonly Change[]) => c.map((x) => x.summary);

/** The installed server of testdata/server-installed-etcd.txt was made with exactly these args. */
const installedArgs: K3sInstallArgs = {
  role: 'server',
  version: 'v1.28.4+k3s2',
  mirror_url: MIRROR,
  cluster_init: true,
  token: new Secret('s3cret-token'),
  config: { 'node-ip': '10.236.0.11', 'tls-san': ['10.236.0.250'] },
};

function withFile(cur: InstallCurrent, key: string, f: FileState): InstallCurrent {
  const files = new Map(cur.files);
  files.set(key, f);
  return { ...cur, files };
}

describe('read parser (captured from lab hosts running the k3s test double)', () => {
  test('an installed server with embedded etcd', () => {
    const cur = fixture('server-installed-etcd');
    expect(cur).toMatchObject({ unameM: 'x86_64', hostname: 'h1', systemd: true, selinux: 'absent', etcdData: true, binVersion: 'k3s version v1.28.4+k3s2 (6ba6c1b6)' });
    expect(cur.units.get('k3s')).toMatchObject({ enabled: 'enabled', active: 'active' });
    expect(cur.units.get('k3s-agent')).toMatchObject({ enabled: '', active: 'inactive' });
    expect(cur.links.get('kubectl')).toEqual({ kind: 'link', target: 'k3s' });
    expect(cur.etcd?.members?.map((m) => m.name)).toEqual([expect.stringMatching(/^h1-[0-9a-f]{8}$/)]);
    expect(cur.etcd?.health.get('https://10.236.0.11:2379')).toBe(true);
    expect(cur.tokenSha256).toBe(sha('s3cret-token'));
    expect(typeof cur.checksums).toBe('string');
  });
  test('a fresh host about to join with a K10 token: the CA of the server is read', () => {
    const cur = fixture('fresh-host-join');
    expect(cur).toMatchObject({ binSha256: null, etcdData: false, tokenSha256: null, etcd: null });
    expect(cur.cacerts).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(cur.links.get('ctr')).toEqual({ kind: 'absent', elsewhere: '' });
  });
  test('a fresh host, airgap: no checksum download', () => {
    expect(fixture('fresh-host-airgap').checksums).toBeNull();
  });
  test('malformed output is an error', () => {
    expect(() => parseInstallRead('arch=x86_64\nnonsense\n')).toThrow(/unexpected line/);
    expect(() => parseInstallRead('arch=x86_64\n')).toThrow(/no link.kubectl record/);
  });
  test('etcd member list: learners, string IDs', () => {
    expect(parseMembers('{"members":[{"ID":"12","name":"h2-aa","peerURLs":["https://10.0.0.2:2380"],"isLearner":true},{"ID":"13","peerURLs":["https://10.0.0.3:2380"]}]}')).toEqual([
      { id: '12', name: 'h2-aa', peerURLs: ['https://10.0.0.2:2380'], clientURLs: [], isLearner: true },
      { id: '13', name: '', peerURLs: ['https://10.0.0.3:2380'], clientURLs: [], isLearner: false },
    ]);
  });
});

describe('release layout', () => {
  test.each([
    ['x86_64', 'amd64', 'k3s'],
    ['aarch64', 'arm64', 'k3s-arm64'],
    ['armv7l', 'arm', 'k3s-armhf'],
    ['s390x', 's390x', 'k3s-s390x'],
  ])('%s -> %s %s', (m, arch, binary) => expect(releaseArch(m)).toEqual({ arch, binary }));
  test('unsupported arch', () => expect(releaseArch('riscv64')).toBeNull());
  test('version is URL-encoded as on github.com', () => {
    expect(releaseUrl('https://github.com/k3s-io/k3s/releases/download/', 'v1.28.4+k3s2', 'k3s')).toBe('https://github.com/k3s-io/k3s/releases/download/v1.28.4%2Bk3s2/k3s');
  });
  test('checksum file', () => {
    expect(parseChecksums(`${'a'.repeat(64)}  k3s\n${'B'.repeat(64)}  k3s-airgap-images-amd64.tar.zst\n`)).toEqual(
      new Map([['k3s', 'a'.repeat(64)], ['k3s-airgap-images-amd64.tar.zst', 'b'.repeat(64)]]),
    );
    expect(() => parseChecksums('not a checksum\n')).toThrow(/line 1/);
  });
});

describe('files', () => {
  test('the unit is the install script\'s: Type=notify, env file, command in ExecStart', () => {
    const u = unitText('agent');
    expect(u).toContain('EnvironmentFile=-/etc/systemd/system/k3s-agent.service.env');
    expect(u).toMatch(/KillMode=process\nDelegate=yes\nUser=root\n/);
    expect(u.endsWith('ExecStart=/usr/local/bin/k3s \\\n    agent \\\n\n')).toBe(true);
  });
  test('config.yaml: dedicated keys first, others sorted, strings quoted, lists as blocks', () => {
    expect(configText(new Map<string, string | boolean | string[]>([['tls-san', ['10.0.0.10']], ['cluster-init', true], ['node-ip', '10.0.0.1']]), ['cluster-init'])).toBe(
      '# managed by k3play (k3s_install); k3s reads it at start: keys are the long flag names\ncluster-init: true\nnode-ip: "10.0.0.1"\ntls-san:\n  - "10.0.0.10"\n',
    );
  });
  test('secrets are masked in any config text, also values nobody registered as secret', () => {
    expect(maskConfigText('token: old-plain\nagent-token: "x"\ndatastore-endpoint: "mysql://k3s:pa55@tcp(10.0.0.5:3306)/k3s"\nnode-ip: 1.2.3.4\n')).toBe(
      'token: "********"\nagent-token: "********"\ndatastore-endpoint: "mysql://k3s:********@tcp(10.0.0.5:3306)/k3s"\nnode-ip: 1.2.3.4\n',
    );
    expect(maskEndpoint('postgres://u:p@db:5432/k3s')).toBe('postgres://u:********@db:5432/k3s');
    expect(maskEndpoint('https://10.0.0.1:2379,https://10.0.0.2:2379')).toBe('https://10.0.0.1:2379,https://10.0.0.2:2379');
  });
  test('scripts name the role\'s unit', () => {
    expect(uninstallText('agent')).toContain('systemctl disable k3s-agent');
    expect(killallText()).toMatch(/^#!\/bin\/sh\n/);
  });
  test('tokens', () => {
    expect(splitToken(`K10${'c'.repeat(64)}::server:abc:def`)).toEqual({ caHash: 'c'.repeat(64), secret: 'abc:def' });
    expect(splitToken('plain')).toEqual({ caHash: null, secret: 'plain' });
  });
});

describe('plan', () => {
  const installed = fixture('server-installed-etcd');
  const fresh = fixture('fresh-host-join');

  test('converged: the installed server with the args it was installed with', () => {
    expect(planInstall(installedArgs, installed)).toEqual([]);
  });

  test('fresh host joining: everything, in the install script\'s order, then start + wait', () => {
    const token = `K10${sha(fresh.cacerts!)}::server:s3cret-token`;
    const c = planInstall({ role: 'server', version: 'v1.28.4+k3s2', mirror_url: MIRROR, server: 'https://10.236.0.11:6443', token: new Secret(token), config: { 'node-ip': '10.236.0.12' } }, fresh);
    expect(summaries(c)).toEqual([
      `install k3s v1.28.4+k3s2 (amd64) from ${MIRROR}/v1.28.4%2Bk3s2/k3s`,
      'symlink /usr/local/bin/kubectl, /usr/local/bin/crictl, /usr/local/bin/ctr -> k3s',
      'create /usr/local/bin/k3s-killall.sh',
      'create /usr/local/bin/k3s-uninstall.sh',
      'create /etc/rancher/k3s/config.yaml',
      'create /etc/systemd/system/k3s.service.env',
      'create /etc/systemd/system/k3s.service',
      'systemctl daemon-reload',
      'enable k3s',
      'start k3s and wait until it is ready',
    ]);
    const cfg = c.find((x) => x.summary.includes('config.yaml'))!;
    expect(cfg.diff?.after).toContain('token: "********"');
    expect(JSON.stringify(c.map((x) => x.diff))).not.toContain('s3cret-token');
    expect(cfg.steps.find((s) => s.kind === 'put')).toMatchObject({ mode: '0600', owner: 'root' });
  });

  test('a config change restarts (rolling) and names the changed keys', () => {
    const c = planInstall({ ...installedArgs, config: { ...installedArgs.config, 'node-label': ['site=a'] } }, installed);
    expect(summaries(c)).toEqual(['update /etc/rancher/k3s/config.yaml (node-label)', 'restart k3s (config changed) and wait until it is ready']);
    const wait = c[1]!.steps[1]!;
    expect(wait.kind === 'exec' && 'script' in wait.cmd && wait.cmd.script).toContain('"isLearner":true');
  });

  test('a version change is an upgrade: new binary, restart', () => {
    const c = planInstall({ ...installedArgs, version: 'v1.28.5+k3s1' }, { ...installed, checksums: `${'e'.repeat(64)}  k3s\n` });
    expect(summaries(c)).toEqual([`upgrade k3s v1.28.4+k3s2 -> v1.28.5+k3s1 from ${MIRROR}/v1.28.5%2Bk3s1/k3s`, 'restart k3s (binary changed) and wait until it is ready']);
  });

  test('no download when the installed sha256 is the release\'s, even if the mirror is down and the version matches', () => {
    expect(planInstall(installedArgs, { ...installed, checksums: { error: 'curl: (7) Failed to connect' } })).toEqual([]);
  });

  test('mirror unreachable on a fresh host: a clear failure naming the URL', () => {
    expect(() => planInstall({ ...installedArgs, server: undefined }, { ...fresh, checksums: { error: 'curl: (7) Failed to connect to 10.0.0.1 port 80' }, cacerts: null })).toThrow(
      /cannot fetch http:\/\/10\.236\.0\.1:18080\/k3s-io\/k3s\/releases\/download\/v1\.28\.4%2Bk3s2\/sha256sum-amd64\.txt on this host: curl: \(7\)/,
    );
  });

  test('a server whose data was made with another token is refused before anything is written', () => {
    expect(() => planInstall({ ...installedArgs, token: new Secret('another-token') }, installed)).toThrow(/created with a different cluster token/);
  });

  test('a K10 token of another cluster is refused before the join', () => {
    const token = `K10${'0'.repeat(64)}::server:s3cret-token`;
    expect(() => planInstall({ role: 'agent', version: 'v1.28.4+k3s2', mirror_url: MIRROR, server: 'https://10.236.0.11:6443', token: new Secret(token) }, fresh)).toThrow(/the token belongs to another cluster/);
  });

  test('joining without a token', () => {
    expect(() => planInstall({ role: 'agent', version: 'v1.28.4+k3s2', mirror_url: MIRROR, server: 'https://10.0.0.10:6443' }, fresh)).toThrow(/needs the cluster token/);
  });

  test('the other role\'s unit is removed (exactly one of k3s / k3s-agent)', () => {
    const units = new Map(installed.units);
    units.set('k3s-agent', { enabled: 'enabled', active: 'active', invocation: 'x' });
    const cur = withFile({ ...installed, units }, 'unit.k3s-agent', { kind: 'file', text: unitText('agent') });
    const c = planInstall(installedArgs, cur);
    expect(summaries(c)).toEqual(['remove the k3s-agent unit (this host is a k3s server: exactly one of k3s / k3s-agent)']);
    expect(c[0]!.steps.map((s) => (s.kind === 'exec' && Array.isArray(s.cmd) ? s.cmd.join(' ') : s.kind))).toEqual([
      'systemctl stop k3s-agent',
      'systemctl disable k3s-agent',
      'rm -f -- /etc/systemd/system/k3s-agent.service /etc/systemd/system/k3s-agent.service.env /usr/local/bin/k3s-agent-uninstall.sh',
      'systemctl daemon-reload',
    ]);
  });

  test('a stopped unit is started; a failed one too', () => {
    const units = new Map(installed.units);
    units.set('k3s', { enabled: 'enabled', active: 'failed', invocation: '' });
    expect(summaries(planInstall(installedArgs, { ...installed, units }))).toEqual(['start k3s and wait until it is ready']);
  });

  test('airgap: the verified binary and images are put; no mirror', () => {
    const bin = Buffer.from('#!/bin/sh\necho k3s\n');
    const img = Buffer.from('images');
    const args: K3sInstallArgs = {
      ...installedArgs,
      airgap: { amd64: { binaryName: 'k3s', binary: bin, binarySha256: sha('#!/bin/sh\necho k3s\n'), images: { name: 'k3s-airgap-images-amd64.tar.gz', content: img, sha256: sha('images') } } },
    };
    const c = planInstall(args, { ...installed, checksums: null });
    expect(summaries(c)).toEqual([
      'replace /usr/local/bin/k3s (its sha256 is not v1.28.4+k3s2\'s) from the controller (airgap)',
      'copy airgap images /var/lib/rancher/k3s/agent/images/k3s-airgap-images-amd64.tar.gz (6 bytes)',
      'restart k3s (binary, images changed) and wait until it is ready',
    ]);
    expect(c[0]!.steps[0]).toMatchObject({ kind: 'put', path: '/usr/local/bin/k3s', mode: '0755' });
    expect(() => planInstall({ ...args, airgap: {} }, installed)).toThrow(/airgap_dir has no k3s release for amd64/);
  });

  test('config keys: unknown, other role, dedicated secrets; all problems at once', () => {
    expect(() => buildConfig({ role: 'agent', version: 'v1.28.4+k3s2', config: { 'tls-sans': 'x', 'tls-san': 'y', token: 't', 'cluster-init': 'maybe' } })).toThrow(TaskFailure);
    try {
      buildConfig({ role: 'agent', version: 'v1.28.4+k3s2', config: { 'node-lable': 'x', 'tls-san': 'y', token: 't' } });
    } catch (e) {
      expect((e as Error).message).toBe(
        'config.node-lable: not a k3s agent flag (did you mean "node-label"?); config.tls-san: a server flag; k3s agent does not take it; config.token: give it as the token argument (a secret: masked in every output)',
      );
    }
    expect(() => buildConfig({ role: 'server', version: 'v1.28.4+k3s2', config: { 'cluster-init': true } })).toThrow(/give it as the cluster_init argument/);
    expect(() => buildConfig({ role: 'server', version: 'v1.28.4+k3s2', config: { 'etcd-expose-metrics': 'yes please' } })).toThrow(/expected true or false/);
  });

  test('INI strings are coerced by flag kind', () => {
    expect([...buildConfig({ role: 'server', version: 'v1.28.4+k3s2', config: { 'secrets-encryption': 'true', 'https-listen-port': '6443', disable: ['traefik'] } })]).toEqual([
      ['secrets-encryption', true],
      ['https-listen-port', 6443],
      ['disable', ['traefik']],
    ]);
  });

  test('systemd and arch are verified first', () => {
    expect(() => planInstall(installedArgs, { ...installed, systemd: false })).toThrow(/Can not find systemd/);
    expect(() => planInstall(installedArgs, { ...installed, unameM: 'mips' })).toThrow(/Unsupported architecture mips/);
  });
});

describe('quorum guard for restarts', () => {
  const members = (healthy: boolean[]) => ({
    members: healthy.map((_, i) => ({ id: String(i), name: `h${i + 1}-abcdef12`, peerURLs: [`https://10.0.0.${i + 1}:2380`], clientURLs: [`https://10.0.0.${i + 1}:2379`], isLearner: false })),
    health: new Map(healthy.map((h, i) => [`https://10.0.0.${i + 1}:2379`, h])),
  });
  const cur = (healthy: boolean[]) => ({ ...fixture('server-installed-etcd'), hostname: 'h1', etcd: members(healthy) });
  test('3 healthy: h1 may restart', () => expect(() => checkQuorum(cur([true, true, true]), {})).not.toThrow());
  test('one other down: restarting h1 would leave 1 of 3', () => {
    expect(() => checkQuorum(cur([true, true, false]), {})).toThrow(/would leave 1 of 3 etcd members running; quorum needs 2\. Not healthy: h3-abcdef12/);
  });
  test('h1 itself down: restarting it takes nothing away', () => expect(() => checkQuorum(cur([false, true, true]), {})).not.toThrow());
  test('force_restart overrides', () => expect(() => checkQuorum(cur([true, false, false]), { force_restart: true })).not.toThrow());
  test('5 members, 1 other down: still 3 of 5 after the restart', () => expect(() => checkQuorum(cur([true, true, true, true, false]), {})).not.toThrow());
  test('the planned restart itself is refused', () => {
    expect(() => planInstall({ ...installedArgs, config: { ...installedArgs.config, 'node-label': ['x=y'] } }, cur([true, false, false]))).toThrow(/quorum needs 2/);
  });
});
