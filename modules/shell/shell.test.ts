import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import { rawScript, type Change } from '../../src/module-api/index.js';
import type { CommandCurrent } from '../command/index.js';
import type { ShellArgs } from './args.js';
import shell, { toCommandArgs } from './index.js';

const none: CommandCurrent = { createsExists: null, removesExists: null };

describe('shell plan', () => {
  const cases: [string, ShellArgs, CommandCurrent, Change[]][] = [
    ['through /bin/sh', { cmd: 'echo hi | tee /tmp/x' }, none, [{ summary: 'run: echo hi | tee /tmp/x', steps: [{ kind: 'exec', cmd: rawScript('echo hi | tee /tmp/x') }], maybe: true }]],
    [
      'another shell, with chdir and stdin',
      { cmd: 'set -o pipefail; a | b', executable: '/bin/bash', chdir: '/tmp', stdin: 'x' },
      none,
      [{ summary: 'run: set -o pipefail; a | b', steps: [{ kind: 'exec', cmd: ['/bin/bash', '-c', 'set -o pipefail; a | b'], stdin: 'x', cwd: '/tmp' }], maybe: true }],
    ],
    ['creates exists -> converged', { cmd: 'x', creates: '/a' }, { createsExists: true, removesExists: null }, []],
    ['removes missing -> converged', { cmd: 'x', removes: '/a' }, { createsExists: null, removesExists: false }, []],
  ];
  it.each(cases)('%s', (_n, args, cur, expected) => expect(shell.plan(args, cur)).toEqual(expected));
  it('maps to command args', () => {
    expect(toCommandArgs({ cmd: 'a', creates: '/c', executable: '/bin/sh' })).toEqual({ cmd: 'a', creates: '/c' });
  });
});

describe('shell read + schema', () => {
  it('uses command\'s one round trip', async () => {
    const fake = new FakeConnection().on(/creates=1/, { stdout: 'creates=1\n' });
    expect(await shell.read(fake, { cmd: 'x', creates: '/a' })).toEqual({ createsExists: true, removesExists: null });
    expect(fake.callsOf('exec')).toHaveLength(1);
  });
  const validate = new Ajv({ allErrors: true, strict: true }).compile(shell.args);
  it.each([
    [{ cmd: 'x' }, true],
    [{ cmd: '' }, false],
    [{ argv: ['x'] }, false],
    [{ cmd: 'x', executable: 'bash' }, false],
  ])('%j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('is free-form on cmd, and every property has a description', () => {
    expect(shell.freeForm).toBe('cmd');
    for (const p of Object.values(shell.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});
