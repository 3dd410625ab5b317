/**
 * Every deliberately broken playbook and inventory under test/fixtures/ run through the real CLI
 * (`k3play validate`): exit code 4, every problem with file:line:col and a hint, no stack trace.
 * The exact stderr of each is kept as a file snapshot beside this test (vitest -u refreshes them
 * after an intended wording change; review the diff).
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { k3play, repoRoot } from './cli.js';

const brokenPlaybooks = readdirSync(`${repoRoot}/test/fixtures/playbooks/broken`).filter((f) => f.endsWith('.yml'));
const brokenInventories = safeList(`${repoRoot}/test/fixtures/inventory/broken`).filter((f) => !f.startsWith('.'));

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function expectUserError(r: { code: number; stderr: string; stdout: string }): void {
  expect(r.code).toBe(4);
  expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m); // no stack frames
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.stderr).toMatch(/hint: /);
}

describe('k3play validate: broken playbooks', () => {
  it('has at least 15 broken playbook fixtures', () => {
    expect(brokenPlaybooks.length).toBeGreaterThanOrEqual(15);
  });
  it.each(brokenPlaybooks)('%s', async (name) => {
    const r = await k3play(['validate', `test/fixtures/playbooks/broken/${name}`]);
    expectUserError(r);
    expect(r.stderr).toMatch(/^test\/fixtures\/playbooks\/broken\/[\w./-]+:\d+:\d+/m);
    await expect(r.stderr).toMatchFileSnapshot(`./__snapshots__/validate/playbook-${name.replace(/\.yml$/, '')}.txt`);
  });
});

describe('k3play validate: broken inventories', () => {
  it.each(brokenInventories)('%s', async (name) => {
    const r = await k3play(['validate', 'test/fixtures/playbooks/valid/command-only.yml', '-i', `test/fixtures/inventory/broken/${name}`]);
    expectUserError(r);
    await expect(r.stderr).toMatchFileSnapshot(`./__snapshots__/validate/inventory-${name.replace(/\.\w+$/, '')}.txt`);
  });
});

describe('CLI usage errors', () => {
  it('a missing playbook file is exit 4 with a hint', async () => {
    const r = await k3play(['validate', 'no/such/playbook.yml']);
    expectUserError(r);
    expect(r.stderr).toMatch(/no\/such\/playbook\.yml/);
  });
  it('a missing inventory file is exit 4 with a hint', async () => {
    const r = await k3play(['run', 'playbooks/quickstart-local.yml', '-i', 'no/such/inventory.ini']);
    expectUserError(r);
    expect(r.stderr).toMatch(/no\/such\/inventory\.ini/);
  });
  it('an unknown option is exit 4', async () => {
    const r = await k3play(['run', 'x.yml', '--chek']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/unknown option '--chek'/);
  });
  it('hosts: naming an undefined group is exit 4 with did-you-mean', async () => {
    const r = await k3play(['validate', 'test/fixtures/playbooks/hosts-typo.yml', '-i', 'inventories/examples/edge-site.ini']);
    expectUserError(r);
    expect(r.stderr).toMatch(/^test\/fixtures\/playbooks\/hosts-typo\.yml:\d+:\d+/m);
    expect(r.stderr).toMatch(/did you mean "servers"/);
  });
  it('problems in the playbook and the inventory are reported together', async () => {
    const r = await k3play(['validate', 'test/fixtures/playbooks/broken/04-unknown-module.yml', '-i', 'test/fixtures/inventory/broken/cyclic-children.ini']);
    expectUserError(r);
    expect(r.stderr).toMatch(/04-unknown-module\.yml/);
    expect(r.stderr).toMatch(/cyclic-children\.ini/);
  });
  it('--help shows examples; --version prints the version', async () => {
    const help = await k3play(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
    expect(help.stdout).toMatch(/Exit codes: 0 ok, 2 a host failed, 3 a host was unreachable, 4 invalid input/);
    const v = await k3play(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
