import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import { sh, TaskFailure, type Change } from '../../src/module-api/index.js';
import type { PackageArgs } from './args.js';
import pkg from './index.js';
import { parsePackageRead, type AptCurrent, type RpmCurrent } from './package-current.js';
import { parsePackageSpec } from './package-spec.js';
import { parseAptPolicy, parseDpkgQuery, parseShowhold } from './parse-apt.js';
import { parseRepoquery, parseRpmQuery, parseVersionlockList } from './parse-rpm.js';
import { APT_INSTALL } from './plan-apt.js';
import { compareDebianVersions, compareRpmEvr, rpmvercmp } from './version-compare.js';

const testdata = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');
const NOW = 1_763_862_000;
const ENV = { DEBIAN_FRONTEND: 'noninteractive' };
const policy = (candidate: string | null, ...versions: string[]) => ({ candidate, versions });
const apt = (over: Partial<AptCurrent> = {}): AptCurrent => ({
  manager: 'apt',
  now: NOW,
  installed: { 'k3play-demo': { version: '1.0', status: 'ii ' } },
  held: [],
  policy: { 'k3play-demo': policy('1.1', '1.1', '1.0'), 'k3play-dep': policy('1.0', '1.0') },
  cacheMtime: NOW - 60,
  ...over,
});
const install = (...targets: string[]): Change['steps'][number] => ({ kind: 'exec', cmd: [...APT_INSTALL, ...targets], env: ENV });
const refresh: Change['steps'] = [
  { kind: 'exec', cmd: ['apt-get', 'update', '-q'], env: ENV },
  { kind: 'exec', cmd: sh`mkdir -p /var/lib/apt/periodic && touch ${'/var/lib/apt/periodic/update-success-stamp'}` },
];

describe('package plan (apt)', () => {
  const cases: { name: string; args: PackageArgs; current: AptCurrent; expected: Change[] }[] = [
    { name: 'converged: installed, no pin', args: { name: 'k3play-demo' }, current: apt(), expected: [] },
    { name: 'converged: pin matches, held', args: { name: 'k3play-demo=1.0', hold: true }, current: apt({ held: ['k3play-demo'] }), expected: [] },
    { name: 'converged: latest', args: { name: 'k3play-demo', state: 'latest' }, current: apt({ installed: { 'k3play-demo': { version: '1.1', status: 'ii ' } } }), expected: [] },
    { name: 'converged: absent (config files left = absent)', args: { name: 'k3play-dep', state: 'absent' }, current: apt({ installed: { 'k3play-dep': { version: '1.0', status: 'rc ' } } }), expected: [] },
    { name: 'converged: update_cache with a fresh cache', args: { name: 'k3play-demo', update_cache: true }, current: apt(), expected: [] },
    {
      name: 'install pinned + hold',
      args: { name: ['k3play-demo=1.0', 'k3play-dep'], hold: true },
      current: apt({ installed: {} }),
      expected: [
        { summary: 'install k3play-demo (none) -> 1.0, k3play-dep (none) -> 1.0', steps: [install('k3play-demo=1.0', 'k3play-dep')] },
        { summary: 'hold k3play-demo, k3play-dep', steps: [{ kind: 'exec', cmd: ['apt-mark', 'hold', 'k3play-demo', 'k3play-dep'] }] },
      ],
    },
    {
      name: 'latest with unhold',
      args: { name: 'k3play-demo', state: 'latest', hold: false },
      current: apt({ held: ['k3play-demo'] }),
      expected: [
        { summary: 'release the hold on k3play-demo', steps: [{ kind: 'exec', cmd: ['apt-mark', 'unhold', 'k3play-demo'] }] },
        { summary: 'install k3play-demo 1.0 -> 1.1', steps: [install('k3play-demo')] },
      ],
    },
    {
      name: 'held package changed with allow_change_held: hold stays',
      args: { name: 'k3play-demo=1.1', allow_change_held: true },
      current: apt({ held: ['k3play-demo'] }),
      expected: [{ summary: 'install k3play-demo 1.0 -> 1.1', steps: [{ kind: 'exec', cmd: [...APT_INSTALL, '--allow-change-held-packages', 'k3play-demo=1.1'], env: ENV }] }],
    },
    {
      name: 'downgrade allowed',
      args: { name: 'k3play-demo=1.0', allow_downgrade: true },
      current: apt({ installed: { 'k3play-demo': { version: '1.1', status: 'ii ' } } }),
      expected: [{ summary: 'install k3play-demo 1.1 -> 1.0', steps: [{ kind: 'exec', cmd: [...APT_INSTALL, '--allow-downgrades', 'k3play-demo=1.0'], env: ENV }] }],
    },
    {
      name: 'stale cache: refresh first, availability not checked yet',
      args: { name: 'kubelet=1.29.3-1.1', update_cache: true },
      current: apt({ cacheMtime: NOW - 7200, policy: {} }),
      expected: [
        { summary: 'refresh the apt package index (7200 s old, cache_valid_time 3600 s)', steps: refresh },
        { summary: 'install kubelet (none) -> 1.29.3-1.1', steps: [install('kubelet=1.29.3-1.1')] },
      ],
    },
    {
      name: 'stale cache + latest on an installed package: maybe',
      args: { name: 'k3play-demo', state: 'latest', update_cache: true, cache_valid_time: 60 },
      current: apt({ cacheMtime: null }),
      expected: [
        { summary: 'refresh the apt package index (never refreshed, cache_valid_time 60 s)', steps: refresh },
        { summary: 'install k3play-demo 1.0 -> latest after the refresh', steps: [install('k3play-demo')], maybe: true },
      ],
    },
    {
      name: 'cache_valid_time 0: refresh every run, as maybe',
      args: { name: 'k3play-demo', update_cache: true, cache_valid_time: 0 },
      current: apt(),
      expected: [{ summary: 'refresh the apt package index (60 s old, cache_valid_time 0 s)', steps: refresh, maybe: true }],
    },
    {
      name: 'remove',
      args: { name: 'k3play-demo, k3play-dep', state: 'absent' },
      current: apt(),
      expected: [{ summary: 'remove k3play-demo 1.0', steps: [{ kind: 'exec', cmd: ['apt-get', 'remove', '-y', 'k3play-demo'], env: ENV }] }],
    },
  ];
  it.each(cases)('$name', ({ args, current, expected }) => expect(pkg.plan(args, current)).toEqual(expected));

  const failures: { name: string; args: PackageArgs; current: AptCurrent; msg: RegExp }[] = [
    { name: 'downgrade refused', args: { name: 'k3play-demo=0.9' }, current: apt(), msg: /pin 0.9 is lower than the installed 1.0[^]*allow_downgrade/ },
    { name: 'held: latest refused', args: { name: 'k3play-demo', state: 'latest' }, current: apt({ held: ['k3play-demo'] }), msg: /k3play-demo is held[^]*hold: false/ },
    { name: 'held: remove refused', args: { name: 'k3play-demo', state: 'absent' }, current: apt({ held: ['k3play-demo'] }), msg: /held/ },
    { name: 'version not available', args: { name: 'k3play-demo=2.0' }, current: apt(), msg: /2.0 is not available \(known: 1.1, 1.0;[^]*update_cache/ },
    { name: 'unknown package', args: { name: 'nope' }, current: apt(), msg: /nope: no installation candidate/ },
    { name: 'pin with latest', args: { name: 'k3play-demo=1.1', state: 'latest' }, current: apt(), msg: /version pin needs state: present/ },
    { name: 'hold with absent', args: { name: 'x', state: 'absent', hold: true }, current: apt(), msg: /hold: true does not go with state: absent/ },
    { name: 'bad name', args: { name: 'a b' }, current: apt(), msg: /is not a package name/ },
    { name: 'installroot on apt', args: { name: 'x', installroot: '/tmp/r' }, current: apt(), msg: /dnf\/yum options/ },
  ];
  it.each(failures)('fails: $name', ({ args, current, msg }) => {
    expect(() => pkg.plan(args, current)).toThrow(TaskFailure);
    expect(() => pkg.plan(args, current)).toThrow(msg);
  });
  it('no package manager', () => expect(() => pkg.plan({ name: 'x' }, { manager: 'none' })).toThrow(/no package manager found/));
});

const rpm = (over: Partial<RpmCurrent> = {}): RpmCurrent => ({
  manager: 'dnf',
  now: NOW,
  installed: { kubelet: '0:1.29.3-150500.1.1' },
  locked: null,
  candidates: null,
  cacheMtime: NOW - 60,
  ...over,
});

describe('package plan (dnf/yum)', () => {
  const cases: { name: string; args: PackageArgs; current: RpmCurrent; expected: Change[] }[] = [
    { name: 'converged: pin without release', args: { name: 'kubelet-1.29.3' }, current: rpm(), expected: [] },
    { name: 'converged: pin with release, locked', args: { name: 'kubelet-1.29.3-150500.1.1', hold: true }, current: rpm({ locked: ['kubelet'] }), expected: [] },
    { name: 'converged: latest', args: { name: 'kubelet', state: 'latest' }, current: rpm({ candidates: { kubelet: '0:1.29.3-150500.1.1' } }), expected: [] },
    { name: 'converged: absent', args: { name: 'kubeadm', state: 'absent' }, current: rpm(), expected: [] },
    {
      name: 'install + upgrade + lock',
      args: { name: ['kubelet-1.29.4', 'kubeadm=1.29.4'], hold: true, use: 'dnf' },
      current: rpm({ locked: [] }),
      expected: [
        {
          summary: 'kubelet 1.29.3-150500.1.1 -> 1.29.4, kubeadm (none) -> 1.29.4',
          steps: [
            { kind: 'exec', cmd: ['dnf', 'install', '-y', 'kubeadm-1.29.4'] },
            { kind: 'exec', cmd: ['dnf', 'upgrade', '-y', 'kubelet-1.29.4'] },
          ],
        },
        { summary: 'versionlock kubelet, kubeadm', steps: [{ kind: 'exec', cmd: ['dnf', '-q', 'versionlock', 'add', 'kubelet', 'kubeadm'] }] },
      ],
    },
    {
      name: 'locked + allow_change_held: unlock, change, lock again',
      args: { name: 'kubelet-1.29.4', allow_change_held: true },
      current: rpm({ locked: ['kubelet'], manager: 'yum' }),
      expected: [
        { summary: 'release the versionlock on kubelet', steps: [{ kind: 'exec', cmd: ['yum', '-q', 'versionlock', 'delete', 'kubelet'] }] },
        { summary: 'kubelet 1.29.3-150500.1.1 -> 1.29.4', steps: [{ kind: 'exec', cmd: ['yum', 'upgrade', '-y', 'kubelet-1.29.4'] }] },
        { summary: 'versionlock kubelet', steps: [{ kind: 'exec', cmd: ['yum', '-q', 'versionlock', 'add', 'kubelet'] }] },
      ],
    },
    {
      name: 'installroot: options on every command',
      args: { name: 'k3play-demo', installroot: '/tmp/r', releasever: '9', update_cache: true },
      current: rpm({ installed: {}, cacheMtime: null }),
      expected: [
        {
          summary: 'refresh the dnf metadata (never refreshed, cache_valid_time 3600 s)',
          steps: [
            { kind: 'exec', cmd: ['dnf', '-q', '--installroot=/tmp/r', '--releasever=9', 'makecache'] },
            { kind: 'exec', cmd: sh`mkdir -p ${'/tmp/r/var/cache/dnf'} && touch ${'/tmp/r/var/cache/dnf/k3play-makecache-stamp'}` },
          ],
        },
        { summary: 'k3play-demo (none) -> candidate', steps: [{ kind: 'exec', cmd: ['dnf', 'install', '-y', '--installroot=/tmp/r', '--releasever=9', 'k3play-demo'] }] },
      ],
    },
    {
      name: 'downgrade allowed',
      args: { name: 'kubelet-1.28.0', allow_downgrade: true },
      current: rpm(),
      expected: [{ summary: 'kubelet 1.29.3-150500.1.1 -> 1.28.0', steps: [{ kind: 'exec', cmd: ['dnf', 'downgrade', '-y', 'kubelet-1.28.0'] }] }],
    },
  ];
  it.each(cases)('$name', ({ args, current, expected }) => expect(pkg.plan(args, current)).toEqual(expected));

  it.each<[string, PackageArgs, RpmCurrent, RegExp]>([
    ['versionlock plugin missing', { name: 'kubelet', hold: true }, rpm({ locked: 'missing' }), /versionlock plugin[^]*python3-dnf-plugin-versionlock/],
    ['downgrade refused', { name: 'kubelet-1.28.0' }, rpm(), /lower than the installed 1.29.3-150500.1.1/],
    ['locked', { name: 'kubelet', state: 'absent' }, rpm({ locked: ['kubelet'] }), /kubelet is versionlocked/],
  ])('fails: %s', (_n, args, current, msg) => {
    let err: unknown;
    try {
      pkg.plan(args, current);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TaskFailure);
    expect(`${(err as TaskFailure).message}\n${(err as TaskFailure).hint ?? ''}`).toMatch(msg);
  });
});

describe('package specs and versions', () => {
  it.each<[string, 'apt' | 'dnf', string, string | undefined]>([
    ['kubelet=1.22.3-00', 'apt', 'kubelet', '1.22.3-00'],
    ['kubelet-1.22.3', 'apt', 'kubelet-1.22.3', undefined],
    ['kubelet-1.22.3', 'dnf', 'kubelet', '1.22.3'],
    ['kubelet-1.22.3-0', 'dnf', 'kubelet', '1.22.3-0'],
    ['java-11-openjdk', 'dnf', 'java-11-openjdk', undefined],
    ['java-11-openjdk-11.0.20.0.8-1.el9', 'dnf', 'java-11-openjdk', '11.0.20.0.8-1.el9'],
    ['containerd.io-1:1.6.28-3.1.el9', 'dnf', 'containerd.io', '1:1.6.28-3.1.el9'],
    ['python3-pip', 'dnf', 'python3-pip', undefined],
  ])('%s (%s)', (raw, mgr, name, version) => expect(parsePackageSpec(raw, mgr)).toEqual({ name, raw, ...(version ? { version } : {}) }));

  it.each<[string, string, number]>([
    ['1.0', '1.1', -1],
    ['1.0~rc1', '1.0', -1],
    ['1:0.9', '2.0', 1],
    ['1.22.3-00', '1.22.3-00', 0],
    ['5.2.15-2+b8', '5.2.15-2+b13', -1],
    ['1.29.3-1.1', '1.29.10-1.1', -1],
    ['1.0a', '1.0+', -1],
  ])('dpkg %s vs %s', (a, b, r) => expect(Math.sign(compareDebianVersions(a, b))).toBe(r));
  it.each<[string, string, number]>([
    ['1.29.3', '0:1.29.3-150500.1.1', 0],
    ['1.29.4', '0:1.29.3-150500.1.1', 1],
    ['1:1.0', '0:2.0-1', 1],
    ['1.0~rc1', '1.0', -1],
    ['1.0^git1', '1.0', 1],
    ['1.0-2.el9', '1.0-10.el9', -1],
  ])('rpm %s vs %s', (a, b, r) => expect(Math.sign(compareRpmEvr(a, b))).toBe(r));
  it('rpmvercmp: numbers beat letters', () => expect(rpmvercmp('1.a', '1.1')).toBe(-1));
});

describe('package parsers (captured outputs)', () => {
  it('dpkg-query', () =>
    expect(parseDpkgQuery(testdata('dpkg-query-bash-dpkg-missing.txt'))).toEqual({ bash: { version: '5.2.15-2+b8', status: 'ii ' }, dpkg: { version: '1.21.22', status: 'ii ' } }));
  it('apt-mark showhold', () => expect(parseShowhold(testdata('apt-mark-showhold.txt'))).toEqual(['kubelet', 'kubeadm']));
  it('apt-cache policy', () =>
    expect(parseAptPolicy(testdata('apt-cache-policy-bash-dnf.txt'))).toEqual({
      bash: policy('5.2.15-2+b13', '5.2.15-2+b13', '5.2.15-2+b8'),
      dnf: policy('4.14.0-3+deb12u1', '4.14.0-3+deb12u1'),
    }));
  it('rpm -q', () => expect(parseRpmQuery(testdata('rpm-query.txt'))).toEqual({ kubelet: '0:1.29.3-150500.1.1', bash: '0:5.1.8-6.el9' }));
  it('rpm -q --root (captured, one missing)', () => expect(parseRpmQuery(testdata('rpm-query-installroot.txt'))).toEqual({ 'k3play-demo': '0:1.0-1' }));
  it('dnf repoquery (captured)', () => expect(parseRepoquery(testdata('dnf-repoquery-installroot.txt'))).toEqual({ 'k3play-demo': '0:1.0-1' }));
  it('dnf versionlock list', () => expect(parseVersionlockList(testdata('dnf-versionlock-list.txt'), 0)).toEqual(['kubelet', 'kubeadm']));
  it('dnf versionlock missing', () => expect(parseVersionlockList(testdata('dnf-versionlock-missing.txt'), 1)).toBe('missing'));
  it('dnf repoquery', () => expect(parseRepoquery(testdata('dnf-repoquery.txt'))).toEqual({ kubelet: '0:1.29.4-150500.1.1', kubeadm: '0:1.29.4-150500.1.1' }));
  it('whole read (apt, held package)', () =>
    expect(parsePackageRead(testdata('read-apt-held-demo.txt'))).toMatchObject({
      manager: 'apt',
      held: ['k3play-demo'],
      installed: { 'k3play-demo': { version: '1.0', status: 'hi ' } },
      policy: { 'k3play-demo': policy('1.1', '1.1', '1.0') },
    }));
  it('whole read (dnf, no versionlock plugin)', () =>
    expect(parsePackageRead(testdata('read-dnf-missing-lock.txt'))).toEqual({ manager: 'dnf', now: NOW, installed: { 'cri-tools': '0:1.28.0-1.1' }, locked: 'missing', candidates: null, cacheMtime: null }));
  it('no manager', () => expect(parsePackageRead(testdata('read-none.txt'))).toEqual({ manager: 'none' }));

  it('read is one round trip', async () => {
    const fake = new FakeConnection().on(/dpkg-query/, { stdout: testdata('read-apt-held-demo.txt') });
    expect(await pkg.read(fake, { name: ['k3play-demo', 'k3play-dep'] })).toMatchObject({ manager: 'apt', held: ['k3play-demo'] });
    expect(fake.callsOf('exec')).toHaveLength(1);
  });
  it('a truncated answer is a TaskFailure', async () => {
    const fake = new FakeConnection().on(/./, { stdout: '@@manager apt\n@@now 5\n@@dpkg\n' });
    await expect(pkg.read(fake, { name: 'x' })).rejects.toThrow(/stopped early/);
  });
});

describe('package schema', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(pkg.args);
  it.each([
    [{ name: 'curl' }, true],
    [{ name: ['a=1', 'b'], hold: true, update_cache: true, cache_valid_time: 600 }, true],
    [{ name: 'x', use: 'dnf', installroot: '/r' }, true],
    [{ name: [] }, false],
    [{ name: 'x', state: 'installed' }, false],
    [{ name: 'x', use: 'zypper' }, false],
    [{ name: 'x', cache_valid_time: -1 }, false],
    [{ name: 'x', bogus: 1 }, false],
  ])('%j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(pkg.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});
