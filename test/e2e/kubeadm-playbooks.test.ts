/**
 * The kubeadm playbooks, runbooks, example inventory and docs are valid k3play: kubeadm-ha.yml
 * and its runbooks go through `k3play validate` with inventories/examples/kubeadm-site.ini, and
 * so does every yaml playbook block of docs/kubeadm.md and every example of the kubeadm
 * modules. Connects to nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import kubeadmInit from '../../modules/kubeadm_init/index.js';
import kubeadmJoin from '../../modules/kubeadm_join/index.js';
import kubeadmReset from '../../modules/kubeadm_reset/index.js';
import kubectlApply from '../../modules/kubectl_apply/index.js';
import { k3play, repoRoot } from './cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'k3play-kubeadmdocs-'));
const EXAMPLE = path.join(repoRoot, 'inventories/examples/kubeadm-site.ini');

async function validate(file: string, extra: string[] = []): Promise<string> {
  const r = await k3play(['validate', file, '-i', EXAMPLE, ...extra]);
  expect(r.code, `${file}:\n${r.stdout}${r.stderr}`).toBe(0);
  return r.stdout;
}

describe('kubeadm playbooks, runbooks, inventory, docs and module examples', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['kubeadm-ha.yml', 'runbooks/remove-node.yml', 'runbooks/replace-control-plane.yml'])('playbooks/%s', async (f) => {
    await validate(path.join(repoRoot, 'playbooks', f), ['-e', 'node=h5', '-e', 'old_control_plane=h3']);
  });

  it('the example inventory has the lab topology kubeadm: servers h1-h3, agents h4-h5, lb h1 h2', async () => {
    const r = await k3play(['inventory', '-i', EXAMPLE, '--list']);
    expect(r.code, r.stderr).toBe(0);
    const inv = JSON.parse(r.stdout) as Record<string, { hosts?: string[] }>;
    expect([inv['servers']?.hosts, inv['agents']?.hosts, inv['lb']?.hosts]).toEqual([
      ['h1', 'h2', 'h3'],
      ['h4', 'h5'],
      ['h1', 'h2'],
    ]);
  });

  it('docs/kubeadm.md: yaml playbooks validate', async () => {
    const doc = readFileSync(path.join(repoRoot, 'docs/kubeadm.md'), 'utf8');
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    let playbooks = 0;
    for (const [i, b] of blocks.entries()) {
      if (!Array.isArray(parse(b) as unknown)) continue; // a vars file
      const f = path.join(dir, `doc-${i}.yml`);
      writeFileSync(f, b);
      await validate(f);
      playbooks++;
    }
    expect(playbooks).toBeGreaterThanOrEqual(1);
  });

  it('module examples validate', async () => {
    for (const [i, ex] of [kubeadmInit, kubeadmJoin, kubeadmReset, kubectlApply].flatMap((m) => m.examples ?? []).entries()) {
      const f = path.join(dir, `ex-${i}.yml`);
      writeFileSync(f, `- hosts: servers\n  gather_facts: false\n  vars: {_kubeadm_token: t, _kubeadm_certificate_key: k, _kubeadm_ca_cert: c, _flannel_manifest: m}\n  tasks:\n${ex.replace(/^/gm, '    ')}\n`);
      await validate(f);
    }
  });
});
