import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import { TaskFailure, type Change } from '../../src/module-api/index.js';
import { unitName, type SystemdUnitArgs } from './args.js';
import systemdUnit from './index.js';
import { SYSTEMCTL_TIMEOUT_MS } from './plan-unit.js';
import { parseUnitRead, type UnitCurrent } from './read-unit.js';

const testdata = (name: string) => readFileSync(new URL(`testdata/${name}.txt`, import.meta.url), 'utf8');
const cur = (name: string) => parseUnitRead(testdata(name));
const OWN = '[Unit]\nDescription=cap\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n';
const P = '/etc/systemd/system/k3play-cap.service';
const ctl = (...argv: string[]) => ({ kind: 'exec' as const, cmd: ['systemctl', ...argv], timeoutMs: SYSTEMCTL_TIMEOUT_MS });
const reload: Change = { summary: 'systemctl daemon-reload', steps: [{ kind: 'exec', cmd: ['systemctl', 'daemon-reload'] }] };

describe('parseUnitRead on captured outputs', () => {
  it.each<[string, Partial<UnitCurrent>]>([
    ['etcd-packaged-disabled', { file: null, dropin: null, loadState: 'loaded', activeState: 'inactive', isEnabled: 'disabled', fragmentPath: '/lib/systemd/system/etcd.service' }],
    ['ssh-enabled-active', { file: null, activeState: 'active', isEnabled: 'enabled', needDaemonReload: false }],
    ['not-found', { loadState: 'not-found', isEnabled: '', fragmentPath: '' }],
    ['own-unit-running', { file: OWN, fileLink: null, activeState: 'active', subState: 'running', unitFileState: 'enabled' }],
    ['own-unit-need-reload', { file: `${OWN}# edited\n`, needDaemonReload: true }],
    ['masked', { file: null, fileLink: '/dev/null', loadState: 'masked', isEnabled: 'masked' }],
  ])('%s', (name, expected) => expect(cur(name)).toMatchObject(expected));
  it.each([['', /no file record/], ['file=absent\n', /no LoadState/], ['file=zz\nshow.LoadState=loaded\n', /unexpected file record/], ['junk\n', /unexpected line/]])(
    'rejects %j',
    (out, msg) => expect(() => parseUnitRead(out)).toThrow(msg),
  );
});

describe('unitName', () => {
  it.each([
    ['etcd', 'etcd.service'],
    ['etcd.service', 'etcd.service'],
    ['fstrim.timer', 'fstrim.timer'],
    ['getty@tty1.service', 'getty@tty1.service'],
    ['my.app', 'my.app.service'],
  ])('%s -> %s', (a, b) => expect(unitName(a)).toBe(b));
});

describe('systemd_unit plan', () => {
  const cases: { name: string; args: SystemdUnitArgs; current: string; expected: Change[] }[] = [
    {
      name: 'new unit: write, reload, enable, start',
      args: { name: 'k3play-cap', content: OWN, enabled: true, state: 'started' },
      current: 'not-found',
      expected: [
        { summary: `create ${P}`, steps: [{ kind: 'put', path: P, content: OWN, mode: '0644' }], diff: { path: P, before: null, after: OWN } },
        reload,
        { summary: 'enable k3play-cap.service', steps: [ctl('enable', 'k3play-cap.service')] },
        { summary: 'start k3play-cap.service', steps: [ctl('start', 'k3play-cap.service')] },
      ],
    },
    { name: 'converged', args: { name: 'k3play-cap.service', content: OWN, enabled: true, state: 'started' }, current: 'own-unit-running', expected: [] },
    {
      name: 'content change of a running unit: no restart by default',
      args: { name: 'k3play-cap', content: `${OWN}# v2\n`, state: 'started' },
      current: 'own-unit-running',
      expected: [
        { summary: `update ${P}`, steps: [{ kind: 'put', path: P, content: `${OWN}# v2\n`, mode: '0644' }], diff: { path: P, before: OWN, after: `${OWN}# v2\n` } },
        reload,
      ],
    },
    {
      name: 'content change with restart_on_change',
      args: { name: 'k3play-cap', content: `${OWN}# v2\n`, state: 'started', restart_on_change: true },
      current: 'own-unit-running',
      expected: [
        { summary: `update ${P}`, steps: [{ kind: 'put', path: P, content: `${OWN}# v2\n`, mode: '0644' }], diff: { path: P, before: OWN, after: `${OWN}# v2\n` } },
        reload,
        { summary: 'restart after change k3play-cap.service', steps: [ctl('restart', 'k3play-cap.service')] },
      ],
    },
    { name: 'NeedDaemonReload=yes -> reload only', args: { name: 'k3play-cap', state: 'started' }, current: 'own-unit-need-reload', expected: [reload] },
    { name: 'daemon_reload: false -> never', args: { name: 'k3play-cap', state: 'started', daemon_reload: false }, current: 'own-unit-need-reload', expected: [] },
    {
      name: 'packaged etcd: drop-in, enable, start --no-block',
      args: { name: 'etcd', dropin: { name: '10-k3play.conf', content: '[Service]\nNice=1\n' }, enabled: true, state: 'started', no_block: true },
      current: 'etcd-packaged-disabled',
      expected: [
        {
          summary: 'create /etc/systemd/system/etcd.service.d/10-k3play.conf',
          steps: [
            { kind: 'exec', cmd: ['mkdir', '-p', '--', '/etc/systemd/system/etcd.service.d'] },
            { kind: 'put', path: '/etc/systemd/system/etcd.service.d/10-k3play.conf', content: '[Service]\nNice=1\n', mode: '0644' },
          ],
          diff: { path: '/etc/systemd/system/etcd.service.d/10-k3play.conf', before: null, after: '[Service]\nNice=1\n' },
        },
        reload,
        { summary: 'enable etcd.service', steps: [ctl('enable', 'etcd.service')] },
        { summary: 'start etcd.service', steps: [ctl('--no-block', 'start', 'etcd.service')] },
      ],
    },
    { name: 'stopped + disabled already', args: { name: 'etcd', state: 'stopped', enabled: false }, current: 'etcd-packaged-disabled', expected: [] },
    { name: 'not-found: stop/disable are converged', args: { name: 'nothing', state: 'stopped', enabled: false }, current: 'not-found', expected: [] },
    {
      name: 'stop + disable a running unit',
      args: { name: 'ssh', state: 'stopped', enabled: false },
      current: 'ssh-enabled-active',
      expected: [
        { summary: 'disable ssh.service', steps: [ctl('disable', 'ssh.service')] },
        { summary: 'stop ssh.service', steps: [ctl('stop', 'ssh.service')] },
      ],
    },
    {
      name: 'restarted is an action: always, maybe',
      args: { name: 'ssh', state: 'restarted' },
      current: 'ssh-enabled-active',
      expected: [{ summary: 'restart ssh.service', steps: [ctl('restart', 'ssh.service')], maybe: true }],
    },
    {
      name: 'reloaded a running unit',
      args: { name: 'ssh', state: 'reloaded' },
      current: 'ssh-enabled-active',
      expected: [{ summary: 'reload ssh.service', steps: [ctl('reload', 'ssh.service')], maybe: true }],
    },
    {
      name: 'reloaded a stopped unit starts it',
      args: { name: 'etcd', state: 'reloaded' },
      current: 'etcd-packaged-disabled',
      expected: [{ summary: 'start etcd.service (was not running, so not reloaded)', steps: [ctl('start', 'etcd.service')], maybe: true }],
    },
    { name: 'mask', args: { name: 'etcd', masked: true }, current: 'etcd-packaged-disabled', expected: [{ summary: 'mask etcd.service', steps: [ctl('mask', 'etcd.service')] }] },
    { name: 'masked already', args: { name: 'k3play-cap', masked: true, state: 'stopped' }, current: 'masked', expected: [] },
    { name: 'unmask', args: { name: 'k3play-cap', masked: false }, current: 'masked', expected: [{ summary: 'unmask k3play-cap.service', steps: [ctl('unmask', 'k3play-cap.service')] }] },
  ];
  it.each(cases)('$name', ({ args, current, expected }) => expect(systemdUnit.plan(args, cur(current))).toEqual(expected));

  it.each<[SystemdUnitArgs, string, RegExp]>([
    [{ name: 'nothing', state: 'started' }, 'not-found', /unit nothing.service not found/],
    [{ name: 'nothing', enabled: true }, 'not-found', /not found/],
    [{ name: 'etcd', masked: true, state: 'started' }, 'etcd-packaged-disabled', /masked: true cannot go with state: started/],
    [{ name: 'etcd', masked: true, content: 'x' }, 'etcd-packaged-disabled', /cannot go with content/],
  ])('%j on %s -> TaskFailure', (args, current, msg) => {
    expect(() => systemdUnit.plan(args, cur(current))).toThrow(TaskFailure);
    expect(() => systemdUnit.plan(args, cur(current))).toThrow(msg);
  });

  it('static unit without a file change cannot be enabled', () => {
    expect(() => systemdUnit.plan({ name: 'x', enabled: true }, { ...cur('ssh-enabled-active'), isEnabled: 'static' })).toThrow(/static and cannot be enabled/);
  });
});

describe('systemd_unit read', () => {
  it('one round trip, parsed', async () => {
    const fake = new FakeConnection().on(/systemctl show/, { stdout: testdata('own-unit-running') });
    expect(await systemdUnit.read(fake, { name: 'k3play-cap' })).toMatchObject({ file: OWN });
    expect(fake.callsOf('exec')).toHaveLength(1);
    expect(fake.calls[0]?.cmd).toContain('/etc/systemd/system/k3play-cap.service');
  });
  it('asks for the drop-in when one is managed', async () => {
    const fake = new FakeConnection().on(/systemctl show/, { stdout: testdata('etcd-packaged-disabled') });
    await systemdUnit.read(fake, { name: 'etcd', dropin: { name: '10-a.conf', content: '' } });
    expect(fake.calls[0]?.cmd).toContain('/etc/systemd/system/etcd.service.d/10-a.conf');
  });
  it('garbage is a TaskFailure', async () => {
    const fake = new FakeConnection().on(/./, { stdout: 'nope' });
    await expect(systemdUnit.read(fake, { name: 'x' })).rejects.toThrow(/cannot read the state of x.service/);
  });
});

describe('systemd_unit schema', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(systemdUnit.args);
  it.each([
    [{ name: 'etcd', state: 'started' }, true],
    [{ name: 'etcd', dropin: { name: '10-x.conf', content: 'a' } }, true],
    [{ name: 'etcd', dropin: { name: '10-x', content: 'a' } }, false],
    [{ name: '../etc/passwd' }, false],
    [{ name: 'etcd', state: 'running' }, false],
    [{ name: 'etcd', enabled: 'yes' }, false],
    [{ state: 'started' }, false],
  ])('%j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(systemdUnit.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});
