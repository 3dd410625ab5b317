/**
 * The k3s playbooks, runbooks and docs are valid k3play: every playbook of the k3s site
 * (ha-embedded.yml, ha-external-db.yml, datastore-mariadb.yml and the runbooks) goes through
 * `k3play validate` with the example inventory, and so does every yaml block of docs/k3s.md that
 * is a playbook and every example of the k3s modules. Connects to nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import k3sEtcdMember from '../../modules/k3s_etcd_member/index.js';
import k3sInstall from '../../modules/k3s_install/index.js';
import { k3play, repoRoot } from './cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'k3play-k3sdocs-'));
const EXAMPLE = path.join(repoRoot, 'inventories/examples/edge-site.ini');
const DATASTORE = path.join(dir, 'datastore.ini');
writeFileSync(DATASTORE, '[datastore]\nh1\n');

async function validate(file: string, extra: string[] = []): Promise<void> {
  const r = await k3play(['validate', file, '-i', EXAMPLE, ...extra]);
  expect(r.code, `${file}:\n${r.stdout}${r.stderr}`).toBe(0);
}

describe('k3s playbooks, runbooks, docs and module examples', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['ha-embedded.yml', 'ha-external-db.yml', 'runbooks/upgrade.yml', 'runbooks/replace-server.yml', 'runbooks/change-server-ip.yml', 'runbooks/add-node.yml', 'runbooks/uninstall.yml'])(
    'playbooks/%s',
    async (f) => validate(path.join(repoRoot, 'playbooks', f), ['-e', 'old_server=h3', '-e', 'server=h2', '-e', 'node=h5']),
  );

  it('playbooks/datastore-mariadb.yml (with a datastore group)', async () => validate(path.join(repoRoot, 'playbooks/datastore-mariadb.yml'), ['-i', DATASTORE]));

  it('docs/k3s.md: yaml playbooks validate', async () => {
    const doc = readFileSync(path.join(repoRoot, 'docs/k3s.md'), 'utf8');
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const [i, b] of blocks.entries()) {
      const value = parse(b.replace(/!vault \|[\s\S]*/, '""')) as unknown;
      if (!Array.isArray(value)) continue; // a vars file
      const f = path.join(dir, `doc-${i}.yml`);
      writeFileSync(f, b);
      await validate(f);
    }
  });

  it('module examples validate', async () => {
    for (const [i, ex] of [...(k3sInstall.examples ?? []), ...(k3sEtcdMember.examples ?? [])].entries()) {
      const f = path.join(dir, `ex-${i}.yml`);
      writeFileSync(f, `- hosts: servers\n  gather_facts: false\n  vars: {k3s_token: t, k3s_version: v1.28.4+k3s2}\n  tasks:\n${ex.replace(/^/gm, '    ')}\n`);
      await validate(f);
    }
  });
});
