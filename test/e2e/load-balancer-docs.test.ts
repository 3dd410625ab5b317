/**
 * The load-balancer documentation and module examples are valid k3play: every ```yaml block
 * of docs/load-balancer.md that is a playbook or a task list, and every example of the
 * keepalived and haproxy modules, goes through `k3play validate` (with the shipped
 * playbooks/tasks/api-load-balancer.yml beside it) and must exit 0. INI blocks are inventories.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import haproxy from '../../modules/haproxy/index.js';
import keepalived from '../../modules/keepalived/index.js';
import { k3play, repoRoot } from './cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'k3play-lbdocs-'));
mkdirSync(path.join(dir, 'tasks'));
copyFileSync(path.join(repoRoot, 'playbooks/tasks/api-load-balancer.yml'), path.join(dir, 'tasks/api-load-balancer.yml'));
const INVENTORY = path.join(dir, 'inventory.ini');
writeFileSync(INVENTORY, '[servers]\nh1 ansible_host=10.0.0.11\nh2 ansible_host=10.0.0.12\n[lb]\nh1 keepalived_state=MASTER\nh2\n[all:vars]\napi_vip=10.0.0.10\n');

function blocks(markdown: string, lang: string): string[] {
  return [...markdown.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
}

async function validate(name: string, yamlText: string): Promise<void> {
  const value = parse(yamlText) as unknown[];
  const isPlaybook = Array.isArray(value) && value.every((x) => typeof x === 'object' && x !== null && 'hosts' in x);
  const file = path.join(dir, `${name}.yml`);
  writeFileSync(file, isPlaybook ? yamlText : `- hosts: lb\n  gather_facts: false\n  tasks:\n${yamlText.replace(/^/gm, '    ')}`);
  const r = await k3play(['validate', file, '-i', INVENTORY]);
  expect(r.code, `${name}:\n${r.stdout}${r.stderr}`).toBe(0);
}

describe('docs/load-balancer.md and the LB module examples', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const doc = readFileSync(path.join(repoRoot, 'docs/load-balancer.md'), 'utf8');
  const yamlBlocks = blocks(doc, 'yaml');
  it('has yaml and ini examples', () => {
    expect(yamlBlocks.length).toBeGreaterThanOrEqual(2);
    expect(blocks(doc, 'ini').length).toBe(1);
  });
  it.each(yamlBlocks.map((b, i) => [i, b] as const))('doc example %i validates', async (i, b) => validate(`doc-${i}`, b));
  it.each([...keepalived.examples!.map((e, i) => [`keepalived-${i}`, e] as const), ...haproxy.examples!.map((e, i) => [`haproxy-${i}`, e] as const)])(
    'module example %s validates',
    async (name, e) => validate(name, e),
  );
});
