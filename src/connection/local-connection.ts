/**
 * LocalConnection: the Connection for `localhost` runs, on node:child_process and node:fs.
 * argv arrays are spawned WITHOUT a shell; ShellScripts run through `/bin/sh -c`. Children get
 * a minimal clean environment (PATH, HOME, LANG=C.UTF-8, plus `env`), never the controller's
 * full environment. `exec` never rejects on a non-zero exit; it rejects (HostUnreachable) only
 * when /bin/sh itself cannot be started. A missing argv[0] gives exit code 127, like a shell.
 *
 * Become: when the controller already runs as root, commands run directly (becomeUser root) or
 * through `runuser -u USER --` (another becomeUser); otherwise they are prefixed with `sudo -n`
 * (no password prompt: passwordless sudo is required for local runs in this version, and a
 * clear message says so).
 *
 * It must not print anything or read process.argv; it owns only the child processes it starts.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { chmod, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { constants as osConstants, homedir } from 'node:os';
import { posix } from 'node:path';
import { isShellScript } from '../module-api/shell-quote.js';
import { ownerSpec, putScript, putTempPrefix, PUT_DIR_MISSING_EXIT } from './put-script.js';
import {
  HostUnreachable,
  type Command,
  type Connection,
  type ExecOptions,
  type ExecResult,
  type PutOptions,
} from './types.js';

const SHELL = '/bin/sh';
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** After SIGTERM on timeout, how long the child gets before SIGKILL. */
const KILL_GRACE_MS = 2000;
export const TIMEOUT_EXIT_CODE = 124;
export const NOT_FOUND_EXIT_CODE = 127;

export const SUDO_PASSWORD_HINT =
  'k3play: local become uses `sudo -n`; password prompts are not supported for local connections in this version. ' +
  'Run k3play as root, or allow passwordless sudo for this user.';

interface RawResult {
  exitCode: number;
  stdout: Buffer;
  stderr: string;
  durationMs: number;
}

export class LocalConnection implements Connection {
  readonly #isRoot: boolean;
  readonly #running = new Set<number>();

  constructor(readonly host: string = 'localhost') {
    this.#isRoot = process.getuid?.() === 0;
  }

  async exec(cmd: Command, opts: ExecOptions = {}): Promise<ExecResult> {
    const raw = await this.#run(cmd, opts);
    return { exitCode: raw.exitCode, stdout: raw.stdout.toString('utf8'), stderr: raw.stderr, durationMs: raw.durationMs };
  }

  async put(path: string, content: string | Buffer, opts: PutOptions = {}): Promise<void> {
    if (this.#needsSudo(opts)) return this.#putViaSudo(path, content, opts);
    const dir = posix.dirname(path);
    const tmp = `${putTempPrefix(path)}${randomBytes(6).toString('hex')}`;
    const mode = opts.mode !== undefined ? parseOctalMode(opts.mode) : await existingMode(path);
    let handle;
    try {
      handle = await open(tmp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
    } catch (err) {
      if (isErrno(err, 'ENOENT')) throw new Error(`put ${path}: directory ${dir} does not exist`);
      throw new Error(`put ${path}: cannot create a temp file in ${dir}: ${errMessage(err)}`);
    }
    try {
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      const owner = ownerSpec(opts.owner, opts.group);
      if (owner) {
        const r = await this.exec(['chown', owner, '--', tmp]);
        if (r.exitCode !== 0) throw new Error(`put ${path}: chown ${owner} failed: ${r.stderr.trim()}`);
      }
      // chmod after chown: chown may clear setuid/setgid bits.
      await chmod(tmp, mode);
      await rename(tmp, path);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err instanceof Error && err.message.startsWith('put ') ? err : new Error(`put ${path}: ${errMessage(err)}`);
    }
    await fsyncDir(dir);
  }

  async get(path: string, opts: { sudo?: boolean } = {}): Promise<Buffer | null> {
    if (this.#needsSudo(opts)) {
      // Exit 3 = missing: distinguishes "no such file" from "cannot read it".
      const script = '[ -e "$1" ] || exit 3; exec cat -- "$1"';
      const raw = await this.#run([SHELL, '-c', script, 'k3play-get', path], { sudo: true });
      if (raw.exitCode === 3) return null;
      if (raw.exitCode !== 0) throw new Error(`get ${path}: exit ${raw.exitCode}: ${raw.stderr.trim()}`);
      return raw.stdout;
    }
    try {
      return await readFile(path);
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return null;
      throw new Error(`get ${path}: ${errMessage(err)}`);
    }
  }

  /** Kills the process groups of commands still running (e.g. on interrupt). */
  async close(): Promise<void> {
    for (const pid of this.#running) killGroup(pid, 'SIGKILL');
    this.#running.clear();
  }

  #needsSudo(opts: { sudo?: boolean; becomeUser?: string }): boolean {
    if (!opts.sudo) return false;
    const user = opts.becomeUser ?? 'root';
    return !(this.#isRoot && (user === 'root' || user === '0'));
  }

  async #putViaSudo(path: string, content: string | Buffer, opts: PutOptions): Promise<void> {
    const r = await this.#run(putScript(path, opts, Buffer.byteLength(content)), { sudo: true, becomeUser: opts.becomeUser, stdin: content });
    if (r.exitCode === PUT_DIR_MISSING_EXIT) throw new Error(`put ${path}: directory ${posix.dirname(path)} does not exist`);
    if (r.exitCode !== 0) throw new Error(`put ${path}: exit ${r.exitCode}: ${r.stderr.trim()}`);
  }

  #run(cmd: Command, opts: ExecOptions): Promise<RawResult> {
    let argv: readonly string[] = isShellScript(cmd) ? [SHELL, '-c', cmd.script] : cmd;
    if (argv.length === 0) return Promise.reject(new Error('exec: empty argv'));
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? DEFAULT_PATH,
      HOME: homedir(),
      LANG: 'C.UTF-8',
      ...opts.env,
    };
    const sudo = this.#needsSudo(opts);
    if (sudo) {
      // sudo resets the environment: pass the caller's `env` through env(1) after it.
      // Root switching to another user needs no sudo: runuser (util-linux) does it.
      const extra = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`);
      const user = opts.becomeUser && opts.becomeUser !== 'root' ? opts.becomeUser : undefined;
      const become = this.#isRoot && user ? ['runuser', '-u', user, '--'] : ['sudo', '-n', ...(user ? ['-u', user] : []), '--'];
      argv = [...become, ...(extra.length ? ['env', ...extra] : []), ...argv];
    }
    const program = argv[0] as string;
    const started = performance.now();
    return new Promise<RawResult>((resolve, reject) => {
      const child = spawn(program, argv.slice(1), {
        cwd: opts.cwd,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
        // Own process group, so a timeout kills the whole tree (sh and its children).
        detached: true,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      // After a spawn error node still emits 'close' (code -2): the 'error' handler answers instead.
      let spawnFailed = false;
      let timer: NodeJS.Timeout | undefined;
      let killTimer: NodeJS.Timeout | undefined;
      const done = (r: Omit<RawResult, 'durationMs'>): void => {
        clearTimeout(timer);
        clearTimeout(killTimer);
        if (child.pid !== undefined) this.#running.delete(child.pid);
        resolve({ ...r, durationMs: Math.round(performance.now() - started) });
      };
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.on('error', (e: NodeJS.ErrnoException) => {
        spawnFailed = true;
        if (e.code !== 'ENOENT' && e.code !== 'EACCES') {
          clearTimeout(timer);
          reject(new HostUnreachable(this.host, `cannot start ${program}: ${e.message}`));
          return;
        }
        void explainSpawnFailure(program, opts.cwd, e.code).then((why) => {
          if (why === 'shell') reject(new HostUnreachable(this.host, `cannot start ${SHELL}: ${e.message}`));
          else done({ exitCode: why.exitCode, stdout: Buffer.alloc(0), stderr: why.stderr });
        });
      });
      child.on('close', (code, signal) => {
        if (spawnFailed) return;
        let stderr = Buffer.concat(err).toString('utf8');
        let exitCode = code ?? (signal ? 128 + signalNumber(signal) : 1);
        if (timedOut) {
          exitCode = TIMEOUT_EXIT_CODE;
          stderr += `${stderr && !stderr.endsWith('\n') ? '\n' : ''}k3play: timed out after ${opts.timeoutMs} ms (killed)\n`;
        } else if (sudo && exitCode === 1 && /password is required|a terminal is required/.test(stderr)) {
          stderr += `${SUDO_PASSWORD_HINT}\n`;
        }
        done({ exitCode, stdout: Buffer.concat(out), stderr });
      });
      if (child.pid !== undefined) this.#running.add(child.pid);
      if (opts.timeoutMs !== undefined && opts.timeoutMs > 0) {
        timer = setTimeout(() => {
          timedOut = true;
          if (child.pid === undefined) return;
          killGroup(child.pid, 'SIGTERM');
          killTimer = setTimeout(() => child.pid !== undefined && killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
        }, opts.timeoutMs);
      }
      // A child that exits without reading stdin makes the write fail with EPIPE: not an error.
      child.stdin.on('error', () => undefined);
      if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
      else child.stdin.end();
    });
  }
}

/** Octal mode string ("0644", "644", "4755") -> number; throws on anything else. */
export function parseOctalMode(mode: string): number {
  if (!/^[0-7]{3,4}$/.test(mode)) throw new Error(`invalid file mode "${mode}": expected octal like "0644"`);
  return parseInt(mode, 8);
}

async function existingMode(path: string): Promise<number> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch {
    return 0o644;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const h = await open(dir, fsConstants.O_RDONLY);
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename itself is already done.
  }
}

/**
 * spawn() reports ENOENT both for a missing program and for a missing cwd. Work out which,
 * and answer like a shell would (127 command not found / 1 no such directory), or 'shell' when
 * /bin/sh itself is missing (the host is unusable).
 */
async function explainSpawnFailure(
  program: string,
  cwd: string | undefined,
  code: string | undefined,
): Promise<'shell' | { exitCode: number; stderr: string }> {
  if (cwd !== undefined) {
    const cwdOk = await stat(cwd).then((s) => s.isDirectory(), () => false);
    if (!cwdOk) return { exitCode: 1, stderr: `k3play: cannot change to directory ${cwd}: no such directory\n` };
  }
  if (program === SHELL) return 'shell';
  if (code === 'EACCES') return { exitCode: 126, stderr: `permission denied: ${program}\n` };
  return { exitCode: NOT_FOUND_EXIT_CODE, stderr: `command not found: ${program}\n` };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return (osConstants.signals as Record<string, number | undefined>)[signal] ?? 0;
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === code;
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
