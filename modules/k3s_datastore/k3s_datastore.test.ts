import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import { TaskFailure } from '../../src/module-api/index.js';
import k3s from './index.js';

const CONFIG = readFileSync(new URL('./testdata/config.yaml', import.meta.url), 'utf8');
const NEW = 'https://10.231.0.11:2379,https://10.231.0.12:2379,https://10.231.0.60:2379';
const P = '/etc/rancher/k3s/config.yaml';

describe('k3s_datastore plan', () => {
  it('rewrites datastore-endpoint, keeps every other key and comment, diff shows only datastore keys; restarts an active k3s', () => {
    const c = k3s.plan({ endpoint: NEW }, { config: CONFIG, active: 'active' });
    expect(c.map((x) => x.summary)).toEqual([`${P}: datastore-endpoint -> ${NEW}`, 'restart k3s to use the new datastore settings, and wait until it is active']);
    const after = (c[0]!.steps[0] as { content: string }).content;
    expect(after).toBe(CONFIG.replace('https://10.231.0.11:2379,https://10.231.0.12:2379,https://10.231.0.13:2379', NEW));
    expect(c[0]!.diff).toEqual({ path: `${P} (datastore keys only)`, before: 'datastore-endpoint: https://10.231.0.11:2379,https://10.231.0.12:2379,https://10.231.0.13:2379\n', after: `datastore-endpoint: ${NEW}\n` });
    expect(JSON.stringify(c[0]!.diff)).not.toContain('K10secret');
    expect(c[1]!.steps.map((s) => (s.kind === 'exec' ? s.cmd : s.kind))).toEqual([['systemctl', 'restart', 'k3s'], ['systemctl', 'is-active', '--quiet', 'k3s']]);
  });
  it('also sets the TLS files when given', () => {
    const c = k3s.plan({ endpoint: NEW, cafile: '/etc/rancher/k3s/etcd/ca.crt', certfile: '/etc/rancher/k3s/etcd/client.crt', keyfile: '/etc/rancher/k3s/etcd/client.key' }, { config: 'token: x\n', active: 'inactive' });
    expect((c[0]!.steps[0] as { content: string }).content).toBe(`token: x\ndatastore-endpoint: ${NEW}\ndatastore-cafile: /etc/rancher/k3s/etcd/ca.crt\ndatastore-certfile: /etc/rancher/k3s/etcd/client.crt\ndatastore-keyfile: /etc/rancher/k3s/etcd/client.key\n`);
    expect(c).toHaveLength(1); // k3s not running: no restart
  });
  it.each([
    ['converged', { endpoint: 'https://10.231.0.11:2379,https://10.231.0.12:2379,https://10.231.0.13:2379' }, { config: CONFIG, active: 'active' }],
    ['no config.yaml: k3s is not installed here', { endpoint: NEW }, { config: null, active: 'inactive' }],
    ['restart: false', { endpoint: NEW, restart: false }, null],
  ])('%s', (name, args, cur) => {
    const c = k3s.plan(args, cur ?? { config: CONFIG, active: 'active' });
    expect(c.length).toBe(name === 'restart: false' ? 1 : 0);
  });
  it('invalid YAML is a clear failure', () => expect(() => k3s.plan({ endpoint: NEW }, { config: 'a: [\n', active: '' })).toThrow(TaskFailure));
  it('read is one round trip', async () => {
    const fake = new FakeConnection('h4').on(/base64/, { stdout: `config=b64:${Buffer.from(CONFIG).toString('base64')}\nactive=active\n` });
    expect(await k3s.read(fake, { endpoint: NEW })).toEqual({ config: CONFIG, active: 'active' });
    expect(fake.callsOf('exec')).toHaveLength(1);
  });
});
