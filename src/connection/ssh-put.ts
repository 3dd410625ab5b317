/**
 * Atomic put and get over an ssh connection. put: one round trip reads the target's mode,
 * owner and sha256; an identical file is not sent again (only mode/owner are fixed); otherwise
 * the content goes to `.<name>.k3play-XXXXXX` beside the target, is fsynced, chmod/chowned and
 * renamed over it (put-script.ts). Small files travel as stdin of one persistent-shell command;
 * files of LARGE_PUT_BYTES and more are streamed on their own channel. It decides and builds
 * commands; running them is the transport's (ssh-connection.ts).
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { sh, type ShellScript } from '../module-api/shell-quote.js';
import { ownerSpec, putScript, PUT_DIR_MISSING_EXIT } from './put-script.js';
import type { RawExecResult } from './remote-shell.js';
import type { Command, ExecOptions, PutOptions } from './types.js';

export const LARGE_PUT_BYTES = 1024 * 1024;

export interface PutTransport {
  run(cmd: Command, opts: ExecOptions): Promise<RawExecResult>;
  /** Runs `script` with `content` streamed on its stdin (own channel); resolves its exit. */
  stream(script: ShellScript, content: Buffer, opts: Pick<ExecOptions, 'sudo' | 'becomeUser'>): Promise<{ exitCode: number; stderr: string }>;
}

export interface PutStats {
  putsSkipped: number;
  putsSent: number;
  bytesSent: number;
}

export interface RemoteFileState {
  readonly exists: boolean;
  readonly dirExists: boolean;
  readonly mode?: number;
  readonly owner?: string;
  readonly group?: string;
  readonly uid?: string;
  readonly gid?: string;
  readonly sha256?: string;
}

export function statScript(path: string): ShellScript {
  const dir = posix.dirname(path);
  return sh`if [ -f ${path} ]; then stat -L -c '%a %U %G %u %g' -- ${path} && sha256sum -- ${path}; elif [ -e ${path} ]; then echo notfile; elif [ -d ${dir} ]; then echo absent; else echo nodir; fi`;
}

export function parseStat(stdout: string): RemoteFileState {
  const lines = stdout.trim().split('\n');
  const first = lines[0]?.trim() ?? '';
  if (first === 'absent') return { exists: false, dirExists: true };
  if (first === 'nodir') return { exists: false, dirExists: false };
  if (first === 'notfile') return { exists: true, dirExists: true };
  const [mode, owner, group, uid, gid] = first.split(/\s+/);
  const hash = lines[1]?.split(/\s+/)[0];
  return {
    exists: true,
    dirExists: true,
    ...(mode ? { mode: parseInt(mode, 8) } : {}),
    ...(owner ? { owner } : {}),
    ...(group ? { group } : {}),
    ...(uid ? { uid } : {}),
    ...(gid ? { gid } : {}),
    ...(hash && /^[0-9a-f]{64}$/.test(hash) ? { sha256: hash } : {}),
  };
}

function sameId(want: string | undefined, name: string | undefined, id: string | undefined): boolean {
  return want === undefined || want === name || want === id;
}

export async function sshPut(t: PutTransport, path: string, content: string | Buffer, opts: PutOptions, stats: PutStats): Promise<void> {
  const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
  const become = { sudo: opts.sudo, becomeUser: opts.becomeUser };
  const st = await t.run(statScript(path), become);
  if (st.exitCode !== 0) throw new Error(`put ${path}: cannot inspect the target: exit ${st.exitCode}: ${st.stderr.toString().trim()}`);
  const cur = parseStat(st.stdout.toString());
  if (!cur.dirExists) throw new Error(`put ${path}: directory ${posix.dirname(path)} does not exist`);
  const wantMode = opts.mode !== undefined ? parseMode(opts.mode) : undefined;
  const hash = createHash('sha256').update(data).digest('hex');
  if (cur.sha256 === hash) {
    stats.putsSkipped++;
    const fixOwner = !sameId(opts.owner, cur.owner, cur.uid) || !sameId(opts.group, cur.group, cur.gid);
    const fixMode = wantMode !== undefined && wantMode !== cur.mode;
    if (!fixOwner && !fixMode) return;
    const owner = ownerSpec(opts.owner, opts.group);
    // chmod after chown: chown may clear setuid/setgid bits.
    const script = sh`${fixOwner && owner ? sh`chown ${owner} -- ${path} &&` : sh``} ${fixMode ? sh`chmod ${opts.mode ?? ''} -- ${path}` : sh`:`}`;
    const r = await t.run(script, become);
    if (r.exitCode !== 0) throw new Error(`put ${path}: fixing owner/mode failed: ${r.stderr.toString().trim()}`);
    return;
  }
  const script = putScript(path, opts, data.length);
  stats.putsSent++;
  stats.bytesSent += data.length;
  const r =
    data.length >= LARGE_PUT_BYTES
      ? await t.stream(script, data, become)
      : await t.run(script, { ...become, stdin: data }).then((x) => ({ exitCode: x.exitCode, stderr: x.stderr.toString() }));
  if (r.exitCode === PUT_DIR_MISSING_EXIT) throw new Error(`put ${path}: directory ${posix.dirname(path)} does not exist`);
  if (r.exitCode !== 0) throw new Error(`put ${path}: exit ${r.exitCode}: ${r.stderr.trim()}`);
}

/** Exit 3 = missing, so "no such file" differs from "cannot read it". */
export async function sshGet(t: PutTransport, path: string, opts: { sudo?: boolean }): Promise<Buffer | null> {
  const r = await t.run(sh`[ -e ${path} ] || exit 3; exec cat -- ${path}`, { sudo: opts.sudo });
  if (r.exitCode === 3) return null;
  if (r.exitCode !== 0) throw new Error(`get ${path}: exit ${r.exitCode}: ${r.stderr.toString().trim()}`);
  return r.stdout;
}

function parseMode(mode: string): number {
  if (!/^[0-7]{3,4}$/.test(mode)) throw new Error(`invalid file mode "${mode}": expected octal like "0644"`);
  return parseInt(mode, 8);
}
