import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import type { Change } from '../../src/module-api/index.js';
import type { YumRepositoryArgs } from './args.js';
import yumRepository, { parseYumRepoRead, type YumRepoCurrent } from './index.js';
import { withSection } from './repo-file.js';

const F = '/etc/yum.repos.d/kubernetes.repo';
const K8S: YumRepositoryArgs = {
  name: 'kubernetes',
  description: 'Kubernetes',
  baseurl: 'https://pkgs.k8s.io/core:/stable:/v1.29/rpm/',
  gpgcheck: true,
  repo_gpgcheck: true,
  gpgkey: 'https://pkgs.k8s.io/core:/stable:/v1.29/rpm/repodata/repomd.xml.key',
  exclude: ['kubelet', 'kubeadm', 'kubectl', 'cri-tools', 'kubernetes-cni'],
};
// The kubeadm install guide's kubernetes.repo, as k3play writes it.
const K8S_TEXT = `[kubernetes]
name=Kubernetes
baseurl=https://pkgs.k8s.io/core:/stable:/v1.29/rpm/
enabled=1
gpgcheck=1
repo_gpgcheck=1
gpgkey=https://pkgs.k8s.io/core:/stable:/v1.29/rpm/repodata/repomd.xml.key
exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni
`;
const OTHER = '# local mirror\n[other]\nname=Other\nbaseurl=file:///srv/other\n';

describe('yum_repository plan', () => {
  const cases: { name: string; args: YumRepositoryArgs; current: YumRepoCurrent; expected: Change[] }[] = [
    { name: 'converged', args: K8S, current: { file: K8S_TEXT }, expected: [] },
    { name: 'converged: next to other sections', args: K8S, current: { file: `${OTHER}\n${K8S_TEXT}\n[third]\nname=3\n` }, expected: [] },
    { name: 'converged: absent', args: { name: 'kubernetes', state: 'absent' }, current: { file: null }, expected: [] },
    { name: 'new file', args: K8S, current: { file: null }, expected: [{ summary: `add [kubernetes] in ${F}`, steps: [{ kind: 'exec', cmd: ['mkdir', '-p', '--', '/etc/yum.repos.d'] }, { kind: 'put', path: F, content: K8S_TEXT, mode: '0644' }], diff: { path: F, before: null, after: K8S_TEXT } }] },
    {
      name: 'changed option; other sections kept byte for byte',
      args: { ...K8S, enabled: false },
      current: { file: `${K8S_TEXT}\n${OTHER}` },
      expected: [
        {
          summary: `update [kubernetes] in ${F}`,
          steps: [{ kind: 'put', path: F, content: `${K8S_TEXT.replace('enabled=1', 'enabled=0')}\n${OTHER}`, mode: '0644' }],
          diff: { path: F, before: `${K8S_TEXT}\n${OTHER}`, after: `${K8S_TEXT.replace('enabled=1', 'enabled=0')}\n${OTHER}` },
        },
      ],
    },
    { name: 'absent: last section removes the file', args: { name: 'kubernetes', state: 'absent' }, current: { file: K8S_TEXT }, expected: [{ summary: `remove ${F} (its only repository was [kubernetes])`, steps: [{ kind: 'remove', path: F }], diff: { path: F, before: K8S_TEXT, after: null } }] },
    {
      name: 'absent: other sections stay',
      args: { name: 'kubernetes', state: 'absent', file: 'kubernetes' },
      current: { file: `${OTHER}\n${K8S_TEXT}` },
      expected: [{ summary: `remove [kubernetes] from ${F}`, steps: [{ kind: 'put', path: F, content: `${OTHER}\n`, mode: '0644' }], diff: { path: F, before: `${OTHER}\n${K8S_TEXT}`, after: `${OTHER}\n` } }],
    },
  ];
  it.each(cases)('$name', ({ args, current, expected }) => expect(yumRepository.plan(args, current)).toEqual(expected));

  it('several baseurls and keys: one per line', () => {
    const [c] = yumRepository.plan({ name: 'r', baseurl: ['http://a/', 'http://b/'], gpgkey: ['file:///k1', 'file:///k2'], gpgcheck: false }, { file: null });
    expect(c?.diff?.after).toBe('[r]\nname=r\nbaseurl=http://a/\n\thttp://b/\nenabled=1\ngpgcheck=0\ngpgkey=file:///k1\n\tfile:///k2\n');
  });
  it('appending keeps one blank line between sections', () => expect(withSection('[a]\nx=1\n', 'b', '[b]\ny=2\n')).toBe('[a]\nx=1\n\n[b]\ny=2\n'));
  it.each<[string, YumRepositoryArgs, RegExp]>([
    ['no url', { name: 'r' }, /baseurl, metalink or mirrorlist/],
    ['newline in a value', { name: 'r', baseurl: 'http://a/\nevil=1' }, /one line/],
  ])('fails: %s', (_n, a, msg) => expect(() => yumRepository.plan(a, { file: null })).toThrow(msg));
});

describe('yum_repository read', () => {
  it.each<[string, YumRepoCurrent]>([
    ['absent\n', { file: null }],
    [`@@k3play-file\n${K8S_TEXT}`, { file: K8S_TEXT }],
  ])('parses %j', (out, cur) => expect(parseYumRepoRead(out)).toEqual(cur));
  it('is one round trip', async () => {
    const fake = new FakeConnection().on(/kubernetes\.repo/, { stdout: `@@k3play-file\n${K8S_TEXT}` });
    expect(yumRepository.plan(K8S, await yumRepository.read(fake, K8S))).toEqual([]);
    expect(fake.callsOf('exec')).toHaveLength(1);
  });
});

describe('yum_repository schema', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(yumRepository.args);
  it.each([
    [K8S, true],
    [{ name: 'r', state: 'absent' }, true],
    [{ name: 'a b' }, false],
    [{ name: 'r', file: '../x' }, false],
    [{ name: 'r', enabled: 'yes' }, false],
  ])('%j valid=%s', (a, ok) => expect(validate(a)).toBe(ok));
  it('every property has a description', () => {
    for (const x of Object.values(yumRepository.args['properties'] as Record<string, { description?: string }>)) expect(x.description).toBeTruthy();
  });
});
