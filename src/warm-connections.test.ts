import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunOptions } from './execute/run-options.js';
import { loadInventory } from './inventory/load-inventory.js';
import { warmFirstPlay } from './warm-connections.js';

const dir = mkdtempSync(path.join(tmpdir(), 'k3play-warm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const inv = path.join(dir, 'site.ini');
writeFileSync(
  inv,
  [
    '[servers]',
    's1 ansible_host=10.9.0.1',
    's2 ansible_host=10.9.0.2',
    's3 ansible_host="{{ lookup_ip }}"',
    '[agents]',
    'a1 ansible_host=10.9.0.11 ansible_become=true',
    'local1 ansible_connection=local',
    '',
  ].join('\n'),
);
const opts = (o: Partial<RunOptions> = {}): RunOptions => ({ check: false, diff: false, forks: 50, verbose: 0, tags: [], skipTags: [], extraVars: {}, ...o });

async function warmed(entry: unknown, o: Partial<RunOptions> = {}) {
  const calls: { host: string; address: string; shell: unknown }[] = [];
  warmFirstPlay(entry, await loadInventory([inv]), opts(o), (host, params, shell) => calls.push({ host, address: params.host, shell }));
  return calls;
}

describe('warmFirstPlay: which connections open while the playbook loads', () => {
  it("the first play's SSH hosts with their address and the play's become", async () => {
    expect(await warmed({ hosts: 'all', become: true })).toEqual([
      { host: 's1', address: '10.9.0.1', shell: { sudo: true } },
      { host: 's2', address: '10.9.0.2', shell: { sudo: true } },
      { host: 'a1', address: '10.9.0.11', shell: { sudo: true } },
    ]);
  });

  it("the host's ansible_become when the play sets none; -e renders the pattern; --limit and --forks apply", async () => {
    expect(await warmed({ hosts: '{{ target }}' }, { extraVars: { target: 'agents' } })).toEqual([{ host: 'a1', address: '10.9.0.11', shell: { sudo: true } }]);
    expect((await warmed({ hosts: 'all' }, { limit: 's2' })).map((c) => c.host)).toEqual(['s2']);
    expect((await warmed({ hosts: 'servers' }, { forks: 1 })).map((c) => c.host)).toEqual(['s1']);
  });

  it('nothing it cannot be sure of: serial, a pattern that does not render, an import, not a play', async () => {
    expect(await warmed({ hosts: 'all', serial: 1 })).toEqual([]);
    expect(await warmed({ hosts: '{{ undefined_var }}' })).toEqual([]);
    expect(await warmed({ import_playbook: 'x.yml' })).toEqual([]);
    expect(await warmed({ hosts: 'no_such_group' })).toEqual([]);
    expect(await warmed('oops')).toEqual([]);
  });
});
