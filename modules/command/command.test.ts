import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import { LocalConnection } from '../../src/connection/local-connection.js';
import type { Connection } from '../../src/connection/types.js';
import { isSecret, rawScript, TaskFailure, type Change, type Step } from '../../src/module-api/index.js';
import type { CommandArgs } from './args.js';
import command, { type CommandCurrent } from './index.js';

const none: CommandCurrent = { createsExists: null, removesExists: null };

describe('command plan', () => {
  const cases: { name: string; args: CommandArgs; current: CommandCurrent; expected: Change[] }[] = [
    {
      name: 'cmd runs through sh',
      args: { cmd: 'echo hi | tee /tmp/x' },
      current: none,
      expected: [{ summary: 'run: echo hi | tee /tmp/x', steps: [{ kind: 'exec', cmd: rawScript('echo hi | tee /tmp/x') }], maybe: true }],
    },
    {
      name: 'argv runs without a shell, with stdin and chdir',
      args: { argv: ['cat', 'a b'], stdin: 'x', chdir: '/tmp' },
      current: none,
      expected: [{ summary: "run: cat 'a b'", steps: [{ kind: 'exec', cmd: ['cat', 'a b'], stdin: 'x', cwd: '/tmp' }], maybe: true }],
    },
    { name: 'creates exists -> converged', args: { cmd: 'x', creates: '/a' }, current: { createsExists: true, removesExists: null }, expected: [] },
    {
      name: 'creates missing -> run',
      args: { cmd: 'x', creates: '/a' },
      current: { createsExists: false, removesExists: null },
      expected: [{ summary: 'run: x', steps: [{ kind: 'exec', cmd: rawScript('x') }], maybe: true }],
    },
    { name: 'removes missing -> converged', args: { cmd: 'x', removes: '/a' }, current: { createsExists: null, removesExists: false }, expected: [] },
    {
      name: 'removes exists -> run',
      args: { cmd: 'x', removes: '/a' },
      current: { createsExists: null, removesExists: true },
      expected: [{ summary: 'run: x', steps: [{ kind: 'exec', cmd: rawScript('x') }], maybe: true }],
    },
    {
      name: 'multi-line script: first line in the summary',
      args: { cmd: 'set -e\necho a\n' },
      current: none,
      expected: [{ summary: 'run: set -e …', steps: [{ kind: 'exec', cmd: rawScript('set -e\necho a\n') }], maybe: true }],
    },
  ];
  it.each(cases)('$name', ({ args, current, expected }) => {
    expect(command.plan(args, current)).toEqual(expected);
  });

  it.each([
    [{ cmd: 'a', argv: ['b'] }, /either cmd or argv, not both/],
    [{}, /nothing to run/],
    [{ cmd: '  ' }, /nothing to run/],
  ])('bad args %j -> TaskFailure', (args, msg) => {
    expect(() => command.plan(args as CommandArgs, none)).toThrow(TaskFailure);
    expect(() => command.plan(args as CommandArgs, none)).toThrow(msg);
  });
});

describe('command read', () => {
  it('no creates/removes: no round trip', async () => {
    const fake = new FakeConnection();
    expect(await command.read(fake, { cmd: 'x' })).toEqual(none);
    expect(fake.calls).toHaveLength(0);
  });

  it('creates + removes: exactly one round trip', async () => {
    const fake = new FakeConnection().on(/creates=1/, { stdout: 'creates=0\nremoves=1\n' });
    expect(await command.read(fake, { cmd: 'x', creates: '/a b', removes: '/c', chdir: '/d' })).toEqual({
      createsExists: false,
      removesExists: true,
    });
    expect(fake.callsOf('exec')).toHaveLength(1);
    expect(fake.calls[0]?.cmd).toContain("cd /d || exit 2; if [ -e '/a b' ]");
  });

  it('a failing check is a TaskFailure', async () => {
    const fake = new FakeConnection().on(/./, { exitCode: 2, stderr: 'cd: /d: No such file' });
    await expect(command.read(fake, { cmd: 'x', creates: 'a', chdir: '/d' })).rejects.toThrow(/cannot check creates/);
  });
});

describe('command schema', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(command.args);
  it.each([
    [{ cmd: 'x', creates: '/a' }, true],
    [{ argv: ['a'] }, true],
    [{ argv: [] }, false],
    [{ cmd: 'x', bogus: 1 }, false],
  ])('%j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(command.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});

/** The engine's job, in miniature: run the steps of each change. */
async function applySteps(conn: Connection, steps: readonly Step[]): Promise<void> {
  for (const s of steps) {
    if (s.kind === 'exec') {
      const stdin = s.stdin === undefined ? undefined : isSecret(s.stdin) ? s.stdin.reveal() : s.stdin;
      const r = await conn.exec(s.cmd, { ...(stdin !== undefined ? { stdin } : {}), ...(s.cwd ? { cwd: s.cwd } : {}) });
      if (!(s.okExitCodes ?? [0]).includes(r.exitCode)) throw new Error(`step failed: ${r.exitCode} ${r.stderr}`);
    } else if (s.kind === 'put') {
      await conn.put(s.path, isSecret(s.content) ? s.content.reveal() : s.content, { ...(s.mode ? { mode: s.mode } : {}) });
    } else {
      await conn.exec(['rm', s.recursive ? '-rf' : '-f', '--', s.path]);
    }
  }
}

describe('command on a local host (converge twice)', () => {
  const conn = new LocalConnection();
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k3play-command-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates guard: runs once, then converged', async () => {
    const args: CommandArgs = { cmd: 'cat > out.txt; echo done >> out.txt', stdin: 'in\n', chdir: dir, creates: 'out.txt' };
    const first = command.plan(args, await command.read(conn, args));
    expect(first).toHaveLength(1);
    for (const c of first) await applySteps(conn, c.steps);
    expect(await readFile(join(dir, 'out.txt'), 'utf8')).toBe('in\ndone\n');
    expect(command.plan(args, await command.read(conn, args))).toEqual([]);
  });

  it('removes guard with argv: runs once, then converged', async () => {
    const target = join(dir, 'out.txt');
    const args: CommandArgs = { argv: ['rm', target], removes: target };
    const first = command.plan(args, await command.read(conn, args));
    for (const c of first) await applySteps(conn, c.steps);
    expect(command.plan(args, await command.read(conn, args))).toEqual([]);
  });
});
