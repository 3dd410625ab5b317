/**
 * `k3play run` against localhost with the local connection, in a scratch directory:
 * first run changes, second run changed=0, --check changes nothing (hashed) and reports the
 * same changes the real run then makes.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, readlink, rm, lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { k3play } from './cli.js';

let scratch: string;

/** Hash of every path, type, mode, link target and content under dir. */
async function treeHash(dir: string): Promise<string> {
  const h = createHash('sha256');
  async function walk(p: string): Promise<void> {
    let st;
    try {
      st = await lstat(p);
    } catch {
      h.update(`${p}:absent\n`);
      return;
    }
    h.update(`${path.relative(dir, p)}:${st.mode}:`);
    if (st.isSymbolicLink()) h.update(`link:${await readlink(p)}\n`);
    else if (st.isDirectory()) {
      h.update('dir\n');
      for (const e of (await readdir(p)).sort()) await walk(path.join(p, e));
    } else h.update(createHash('sha256').update(await readFile(p)).digest('hex') + '\n');
  }
  await walk(dir);
  return h.digest('hex');
}

const run = (...extra: string[]) =>
  k3play(['run', 'playbooks/quickstart-local.yml', '-i', 'inventories/local.ini', '-e', `scratch_dir=${scratch}/qs`, ...extra]);

function recapLine(stdout: string): string {
  const line = stdout.split('\n').find((l) => /^localhost\s+:/.test(l));
  if (!line) throw new Error(`no recap line in:\n${stdout}`);
  return line;
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'k3play-e2e-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('k3play run (local connection)', () => {
  let checkOut = '';
  it('--check --diff before the first run writes nothing and shows what would change', async () => {
    const before = await treeHash(scratch);
    const r = await run('--check', '--diff');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await treeHash(scratch)).toBe(before);
    expect(recapLine(r.stdout)).toMatch(/changed=[1-9]/);
    checkOut = r.stdout;
  });

  it('first run changes what --check said it would (tasks that depend on earlier changes were reported as not checkable)', async () => {
    const r = await run();
    expect(r.code).toBe(0);
    expect(recapLine(r.stdout)).toMatch(/changed=[1-9]/);
    const tasksWith = (out: string, re: RegExp) =>
      out
        .split(/\n(?=TASK )/)
        .filter((sec) => re.test(sec))
        .map((sec) => sec.split('\n')[0]);
    const wouldChange = tasksWith(checkOut, /^changed:/m);
    const notCheckable = tasksWith(checkOut, /^skipping:.*cannot be checked/m);
    expect(tasksWith(r.stdout, /^changed:/m)).toEqual(tasksWith(checkOut, /^(changed|skipping):/m));
    expect(wouldChange.length).toBeGreaterThan(0);
    expect(notCheckable).toEqual(['TASK [registration file is private] *******************************************']);
    expect(await readFile(`${scratch}/qs/etc/rancher/k3s/registration.txt`, 'utf8')).toBe('server: https://10.231.0.250:6443\n');
  });

  it('second run reports changed=0', async () => {
    const before = await treeHash(scratch);
    const r = await run();
    expect(r.code).toBe(0);
    expect(recapLine(r.stdout)).toMatch(/changed=0\s/);
    expect(recapLine(r.stdout)).toMatch(/failed=0\s/);
    expect(await treeHash(scratch)).toBe(before);
  });

  it('--json emits parseable events ending with run_end and the recap', async () => {
    const r = await run('--json');
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; recap?: Record<string, { changed: number }> });
    expect(events[0]!.type).toBe('run_start');
    const end = events.at(-1)!;
    expect(end.type).toBe('run_end');
    expect(end.recap!['localhost']!.changed).toBe(0);
  });
});

describe('run journal', () => {
  it('every event of a run lands in .k3play/runs/*.jsonl, masked', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'k3play-journal-'));
    try {
      const { repoRoot, k3play: cli } = await import('./cli.js');
      const r = await cli(['run', `${repoRoot}/playbooks/quickstart-local.yml`, '-i', `${repoRoot}/inventories/local.ini`, '-e', `scratch_dir=${cwd}/qs`], { cwd });
      expect(r.code).toBe(0);
      const files = await readdir(path.join(cwd, '.k3play', 'runs'));
      expect(files).toHaveLength(1);
      const lines = (await readFile(path.join(cwd, '.k3play', 'runs', files[0]!), 'utf8')).trim().split('\n');
      const types = lines.map((l) => (JSON.parse(l) as { type: string }).type);
      expect(types[0]).toBe('run_start');
      expect(types.at(-1)).toBe('run_end');
      expect((await lstat(path.join(cwd, '.k3play', 'runs', files[0]!))).mode & 0o777).toBe(0o600);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
