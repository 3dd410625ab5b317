/**
 * ControllerPutStep through the engine: check mode writes no controller file; apply writes it
 * atomically with its mode (parents created 0700) and the module's re-plan converges because
 * its read looks at the same file; a write that cannot be done is a failed step, not a crash.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeConnection } from '../connection/fake-connection.js';
import { Secret } from '../module-api/secret.js';
import type { Change, ModuleDef } from '../module-api/types.js';
import { applySteps, StepFailed } from './apply-steps.js';
import { runModule } from './module-task.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'k3play-ctlput-'));
  dirs.push(d);
  return d;
}

/** Wants the controller file `path` to hold "state"; reads it from the controller. */
const stateModule: ModuleDef<{ path: string }, string | null> = {
  name: 'test_controller_state',
  summary: 'test',
  args: { type: 'object' },
  async read(_probe, args) {
    try {
      return readFileSync(args.path, 'utf8');
    } catch {
      return null;
    }
  },
  plan(args, current): Change[] {
    return current === 'state' ? [] : [{ summary: 'save state', steps: [{ kind: 'controller_put', path: args.path, content: new Secret('state'), mode: '0600' }] }];
  },
};

describe('controller_put', () => {
  it('check mode plans it and writes nothing', async () => {
    const file = path.join(tmp(), 'pki', 'ca.key');
    const out = await runModule(stateModule as ModuleDef<unknown, unknown>, { path: file }, new FakeConnection('h1'), { sudo: false }, true);
    expect(out.changes.map((c) => c.summary)).toEqual(['save state']);
    expect(() => statSync(path.dirname(file))).toThrow();
  });

  it('apply writes the file (mode, 0700 parents), then the re-plan is empty', async () => {
    const dir = tmp();
    const file = path.join(dir, 'pki', 'members', 'ca.key');
    const conn = new FakeConnection('h1');
    const out = await runModule(stateModule as ModuleDef<unknown, unknown>, { path: file }, conn, { sudo: false }, false);
    expect(out.applied).toBe(true);
    expect(out.notConverged).toBeUndefined();
    expect(readFileSync(file, 'utf8')).toBe('state');
    expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
    expect((statSync(path.join(dir, 'pki')).mode & 0o777).toString(8)).toBe('700');
    expect(conn.calls).toHaveLength(0); // nothing went to the host
    expect(readdirSync(path.dirname(file))).toEqual(['ca.key']); // no temp file left
  });

  it('replaces an existing file with the new mode', async () => {
    const file = path.join(tmp(), 'ca.crt');
    writeFileSync(file, 'old', { mode: 0o600 });
    await applySteps(new FakeConnection('h1'), [{ kind: 'controller_put', path: file, content: 'new', mode: '0644' }], { sudo: false });
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect((statSync(file).mode & 0o777).toString(8)).toBe('644');
  });

  it('a write that cannot be done is a StepFailed naming the path', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'file'), 'x');
    const step = { kind: 'controller_put' as const, path: path.join(dir, 'file', 'below'), content: 'x' };
    await expect(applySteps(new FakeConnection('h1'), [step], { sudo: false })).rejects.toThrow(StepFailed);
    await expect(applySteps(new FakeConnection('h1'), [step], { sudo: false })).rejects.toThrow(/cannot write .*below on the controller/);
  });
});
