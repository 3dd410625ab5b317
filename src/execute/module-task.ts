/**
 * One module on one host: read -> plan -> (check: stop) -> apply -> read + plan again.
 * This is the whole of the read/plan/apply contract from the engine's side; nothing else
 * calls a module. A non-empty plan after apply is reported as "not converged" (a module bug
 * made visible), unless a change was marked `maybe`.
 */
import type { Connection, ExecResult } from '../connection/types.js';
import type { Change, ModuleDef, Probe } from '../module-api/types.js';
import { applySteps, type BecomeOptions } from './apply-steps.js';

export interface ModuleOutcome {
  readonly changes: readonly Change[];
  /** True when the changes were applied (false in check mode or when converged). */
  readonly applied: boolean;
  readonly last?: ExecResult;
  /** Changes still planned after apply: the module did not converge. */
  readonly notConverged?: readonly Change[];
}

export function makeProbe(conn: Connection, become: BecomeOptions): Probe {
  return {
    host: conn.host,
    exec: (cmd, opts) =>
      conn.exec(cmd, {
        sudo: become.sudo,
        ...(become.becomeUser ? { becomeUser: become.becomeUser } : {}),
        ...(become.env ? { env: become.env } : {}),
        ...opts,
      }),
  };
}

export async function runModule(
  mod: ModuleDef<unknown, unknown>,
  args: unknown,
  conn: Connection,
  become: BecomeOptions,
  check: boolean,
): Promise<ModuleOutcome> {
  const probe = makeProbe(conn, become);
  const changes = mod.plan(args, await mod.read(probe, args));
  if (changes.length === 0) return { changes, applied: false };
  if (check) return { changes, applied: false };
  let last: ExecResult | undefined;
  for (const c of changes) {
    const r = await applySteps(conn, c.steps, become);
    if (r) last = r;
  }
  if (changes.some((c) => c.maybe)) return { changes, applied: true, ...(last ? { last } : {}) };
  const again = mod.plan(args, await mod.read(probe, args));
  return { changes, applied: true, ...(last ? { last } : {}), ...(again.length > 0 ? { notConverged: again } : {}) };
}
