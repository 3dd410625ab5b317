/**
 * The only writer: runs a Change's Steps on a host through its Connection, in order. A step
 * that fails stops the change and is reported with what ran, where, the exit code and stderr.
 * Secrets reach the host only through stdin or file content, never argv. A `controller_put`
 * step writes on the controller instead (controller-write.ts), in the same order as the others.
 */
import { HostUnreachable, type Connection, type ExecResult } from '../connection/types.js';
import { isSecret } from '../module-api/secret.js';
import { isShellScript, shellJoin, shellQuote } from '../module-api/shell-quote.js';
import type { Step } from '../module-api/types.js';
import { writeControllerFile } from './controller-write.js';

export interface BecomeOptions {
  readonly sudo: boolean;
  readonly becomeUser?: string;
  readonly env?: Readonly<Record<string, string>>;
}

export class StepFailed extends Error {
  constructor(
    message: string,
    readonly result: ExecResult,
    readonly command: string,
  ) {
    super(message);
    this.name = 'StepFailed';
  }
}

export function describeCommand(cmd: readonly string[] | { script: string }): string {
  return isShellScript(cmd) ? cmd.script : shellJoin(cmd as readonly string[]);
}

/** Runs the steps; returns the last exec result (registered as the task's rc/stdout/stderr). */
export async function applySteps(conn: Connection, steps: readonly Step[], become: BecomeOptions): Promise<ExecResult | undefined> {
  let last: ExecResult | undefined;
  for (const step of steps) {
    switch (step.kind) {
      case 'exec': {
        const attempts = step.retry?.attempts ?? 1;
        const ok = step.okExitCodes ?? [0];
        for (let attempt = 1; ; attempt++) {
          const stdin = step.stdin === undefined ? undefined : isSecret(step.stdin) ? step.stdin.reveal() : step.stdin;
          last = await conn.exec(step.cmd, {
            sudo: become.sudo,
            ...(become.becomeUser ? { becomeUser: become.becomeUser } : {}),
            ...(stdin !== undefined ? { stdin } : {}),
            ...(step.cwd ? { cwd: step.cwd } : {}),
            ...(step.timeoutMs ? { timeoutMs: step.timeoutMs } : {}),
            env: { ...(become.env ?? {}), ...(step.env ?? {}) },
          });
          if (ok.includes(last.exitCode)) break;
          if (attempt >= attempts) {
            const cmd = describeCommand(step.cmd);
            const err = last.stderr.trim() || last.stdout.trim();
            throw new StepFailed(`command failed with exit code ${last.exitCode}: ${cmd}${err ? `\n${err}` : ''}`, last, cmd);
          }
          await new Promise((r) => setTimeout(r, step.retry!.delayMs));
        }
        break;
      }
      case 'put': {
        const content = isSecret(step.content) ? step.content.reveal() : step.content;
        if (step.validate) {
          // Validate a staged copy before the real file is touched: the rename is the commit point.
          const staged = `${step.path}.k3play-validate`;
          await conn.put(staged, content, { mode: '0600', sudo: become.sudo });
          const cmdText = step.validate.split('%s').join(shellQuote(staged));
          const res = await conn.exec({ kind: 'sh', script: cmdText }, { sudo: become.sudo });
          await conn.exec(['rm', '-f', staged], { sudo: become.sudo });
          if (res.exitCode !== 0) {
            throw new StepFailed(`validation failed (${step.validate}) for ${step.path}: ${(res.stderr || res.stdout).trim()}`, res, cmdText);
          }
        }
        await putOrFail(conn, step.path, content, {
          sudo: become.sudo,
          ...(step.mode ? { mode: step.mode } : {}),
          ...(step.owner ? { owner: step.owner } : {}),
          ...(step.group ? { group: step.group } : {}),
        });
        break;
      }
      case 'remove': {
        const res = await conn.exec(['rm', step.recursive ? '-rf' : '-f', '--', step.path], { sudo: become.sudo });
        if (res.exitCode !== 0) throw new StepFailed(`could not remove ${step.path}: ${res.stderr.trim()}`, res, `rm ${step.path}`);
        break;
      }
      case 'controller_put': {
        const content = isSecret(step.content) ? step.content.reveal() : step.content;
        try {
          await writeControllerFile(step.path, content, step.mode ?? '0600');
        } catch (e) {
          const msg = `cannot write ${step.path} on the controller: ${(e as Error).message}`;
          throw new StepFailed(msg, { exitCode: 1, stdout: '', stderr: msg, durationMs: 0 }, `write ${step.path} (controller)`);
        }
        break;
      }
    }
  }
  return last;
}

/**
 * A put that cannot be done (missing directory, no space, permission) is a failed step of the
 * task, reported with the path and the cause, not an internal error. Losing the host still
 * propagates as HostUnreachable.
 */
async function putOrFail(conn: Connection, path: string, content: string | Buffer, opts: Parameters<Connection['put']>[2]): Promise<void> {
  try {
    await conn.put(path, content, opts);
  } catch (e) {
    if (e instanceof HostUnreachable) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    throw new StepFailed(msg.startsWith('put ') ? msg : `put ${path}: ${msg}`, { exitCode: 1, stdout: '', stderr: msg, durationMs: 0 }, `put ${path}`);
  }
}
