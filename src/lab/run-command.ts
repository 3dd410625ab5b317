/**
 * Runs one controller-side program for the lab, argv only (never a shell string), and turns a
 * failure into a K3playError that says what ran, its exit code and stderr. It owns no state
 * and must not be used for anything that talks to lab hosts over the network.
 */
import { spawn } from 'node:child_process';
import { K3playError, ExitCode } from '../errors/k3play-error.js';

export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly stdin?: string;
  readonly timeoutMs?: number;
  readonly env?: Readonly<Record<string, string>>;
}

/** Never rejects on a non-zero exit; rejects only when the program cannot be started. */
export function runCommand(argv: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.reject(new Error('runCommand: empty argv'));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(
        new K3playError(
          { context: 'lab', message: `cannot run ${file}: ${e.message}`, hint: 'run scripts/lab-deps.sh to install the lab tools' },
          ExitCode.internal,
        ),
      );
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({
        exitCode: code ?? (signal ? 128 + 9 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // the program may exit without reading stdin
      child.stdin.end(opts.stdin);
    }
  });
}

/** Like runCommand, but a non-zero exit is a K3playError naming the command. */
export async function runChecked(argv: readonly string[], opts: RunOptions & { hint?: string } = {}): Promise<CommandResult> {
  const r = await runCommand(argv, opts);
  if (r.exitCode !== 0) {
    throw new K3playError(
      {
        context: 'lab',
        message: `\`${argv.join(' ')}\` failed with exit code ${r.exitCode}: ${lastLines(r.stderr || r.stdout)}`,
        ...(opts.hint ? { hint: opts.hint } : {}),
      },
      ExitCode.internal,
    );
  }
  return r;
}

function lastLines(s: string, n = 6): string {
  const lines = s.trim().split('\n');
  return lines.slice(-n).join(' | ') || '(no output)';
}
