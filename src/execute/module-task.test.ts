/**
 * The engine's side of the module contract, on a fake connection: converged -> nothing runs;
 * check -> plan only, no write; apply -> steps run, then read+plan again; a module whose
 * re-plan is not empty is reported as not converged; `maybe` changes skip that check.
 */
import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../connection/fake-connection.js';
import type { Change, ModuleDef } from '../module-api/types.js';
import { runModule } from './module-task.js';

/** A module that wants /etc/x to contain "on"; `buggy` writes "of" instead (never converges). */
function fileModule(opts: { buggy?: boolean; maybe?: boolean } = {}): ModuleDef<{ path: string }, string | null> {
  return {
    name: 'test_file',
    summary: 'test',
    args: { type: 'object' },
    async read(probe, args) {
      const r = await probe.exec(['cat', args.path]);
      return r.exitCode === 0 ? r.stdout : null;
    },
    plan(args, current): Change[] {
      if (current === 'on') return [];
      return [{ summary: 'write on', steps: [{ kind: 'put', path: args.path, content: opts.buggy ? 'of' : 'on' }], ...(opts.maybe ? { maybe: true as const } : {}) }];
    },
  };
}

function fake(): FakeConnection {
  const conn = new FakeConnection('h1');
  conn.on(/^cat /, (cmd) => {
    const f = conn.files.get(cmd.slice(4));
    return f ? { exitCode: 0, stdout: f.content.toString() } : { exitCode: 1, stderr: 'No such file' };
  });
  return conn;
}

const become = { sudo: false };

describe('runModule', () => {
  it('converged: one read, nothing applied', async () => {
    const conn = fake().seed('/etc/x', 'on');
    const out = await runModule(fileModule() as ModuleDef<unknown, unknown>, { path: '/etc/x' }, conn, become, false);
    expect(out).toEqual({ changes: [], applied: false });
    expect(conn.callsOf('put')).toHaveLength(0);
  });

  it('check mode: plans, writes nothing', async () => {
    const conn = fake();
    const out = await runModule(fileModule() as ModuleDef<unknown, unknown>, { path: '/etc/x' }, conn, become, true);
    expect(out.changes.map((c) => c.summary)).toEqual(['write on']);
    expect(out.applied).toBe(false);
    expect(conn.callsOf('put')).toHaveLength(0);
  });

  it('apply: steps run, then the re-plan is empty', async () => {
    const conn = fake();
    const out = await runModule(fileModule() as ModuleDef<unknown, unknown>, { path: '/etc/x' }, conn, become, false);
    expect(out.applied).toBe(true);
    expect(out.notConverged).toBeUndefined();
    expect(conn.files.get('/etc/x')?.content.toString()).toBe('on');
    expect(conn.callsOf('exec')).toHaveLength(2); // read, read again
  });

  it('a module whose re-plan is not empty is reported as not converged', async () => {
    const conn = fake();
    const out = await runModule(fileModule({ buggy: true }) as ModuleDef<unknown, unknown>, { path: '/etc/x' }, conn, become, false);
    expect(out.applied).toBe(true);
    expect(out.notConverged?.map((c) => c.summary)).toEqual(['write on']);
  });

  it('a `maybe` change skips the converge check (its outcome is only known by running it)', async () => {
    const conn = fake();
    const out = await runModule(fileModule({ buggy: true, maybe: true }) as ModuleDef<unknown, unknown>, { path: '/etc/x' }, conn, become, false);
    expect(out.notConverged).toBeUndefined();
    expect(conn.callsOf('exec')).toHaveLength(1);
  });
});
