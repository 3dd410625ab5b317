/**
 * A small ~/.ssh/config reader: `Host` blocks with `*`, `?` and `!` patterns, the keywords
 * k3play honours (HostName, User, Port, IdentityFile, ProxyJump, plus UserKnownHostsFile,
 * IdentitiesOnly, ConnectTimeout, ServerAliveInterval kept for callers) and OpenSSH's
 * first-obtained-value-wins rule (IdentityFile accumulates). `Match` blocks and `Include` are
 * not evaluated (their blocks are skipped and listed in `unsupported`). It never touches the
 * network; reading the file is the caller's business (`loadSshConfig` is a thin helper).
 */
import { homedir } from 'node:os';
import { readSshFile } from './read-ssh-file.js';
import { matchHostPatternList } from './ssh-host-pattern.js';

export interface SshConfigBlock {
  /** Host patterns, or null for the lines before the first Host (apply to every host). */
  readonly patterns: string | null;
  readonly line: number;
  readonly options: readonly { key: string; value: string; line: number }[];
}

export interface SshConfig {
  readonly file: string;
  readonly blocks: readonly SshConfigBlock[];
  /** `file:line keyword` of directives that were skipped (Match, Include). */
  readonly unsupported: readonly string[];
}

export interface JumpHost {
  readonly user?: string;
  readonly host: string;
  readonly port?: number;
}

export interface ResolvedSshHost {
  /** The alias looked up (inventory name or address). */
  readonly alias: string;
  readonly hostName: string;
  readonly user?: string;
  readonly port?: number;
  readonly identityFiles: readonly string[];
  /** Hops in order (first = nearest to the controller); empty = direct. */
  readonly proxyJump: readonly JumpHost[];
  readonly userKnownHostsFiles: readonly string[];
  readonly identitiesOnly?: boolean;
  readonly connectTimeoutS?: number;
  readonly serverAliveIntervalS?: number;
}

/** Splits `Key value`, `Key=value`, `Key = "quoted value"`; returns null for blank/comment lines. */
export function splitDirective(line: string): { key: string; value: string } | null {
  const t = line.trim();
  if (t === '' || t.startsWith('#')) return null;
  const m = /^([A-Za-z][A-Za-z0-9]*)(?:\s*=\s*|\s+)(.*)$/.exec(t);
  if (!m) return { key: t.toLowerCase(), value: '' };
  let value = (m[2] ?? '').trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"') && !value.slice(1, -1).includes('"')) {
    value = value.slice(1, -1);
  }
  return { key: (m[1] ?? '').toLowerCase(), value };
}

export function parseSshConfig(text: string, file = 'ssh_config'): SshConfig {
  const blocks: { patterns: string | null; line: number; options: { key: string; value: string; line: number }[] }[] = [
    { patterns: null, line: 0, options: [] },
  ];
  const unsupported: string[] = [];
  let skipping = false;
  text.split('\n').forEach((raw, i) => {
    const d = splitDirective(raw);
    if (!d) return;
    const line = i + 1;
    if (d.key === 'host') {
      skipping = false;
      blocks.push({ patterns: d.value, line, options: [] });
      return;
    }
    if (d.key === 'match') {
      skipping = true;
      unsupported.push(`${file}:${line} Match ${d.value}`);
      return;
    }
    if (d.key === 'include') {
      unsupported.push(`${file}:${line} Include ${d.value}`);
      return;
    }
    if (skipping) return;
    blocks[blocks.length - 1]?.options.push({ ...d, line });
  });
  return { file, blocks, unsupported };
}

export async function loadSshConfig(file = `${homedir()}/.ssh/config`): Promise<SshConfig> {
  return parseSshConfig(readSshFile(file, 'ssh config'), file);
}

/** `[user@]host[:port]` or `[user@][ipv6]:port`, comma-separated; `none` → []. */
export function parseProxyJump(value: string): JumpHost[] {
  if (value.trim().toLowerCase() === 'none') return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((spec) => {
      let rest = spec.replace(/^ssh:\/\//, '');
      let user: string | undefined;
      const at = rest.lastIndexOf('@');
      if (at >= 0) {
        user = rest.slice(0, at);
        rest = rest.slice(at + 1);
      }
      let host = rest;
      let port: number | undefined;
      const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
      const v4 = /^([^:]+):(\d+)$/.exec(rest);
      if (v6) {
        host = v6[1] ?? '';
        if (v6[2]) port = Number(v6[2]);
      } else if (v4) {
        host = v4[1] ?? '';
        port = Number(v4[2]);
      }
      return { ...(user ? { user } : {}), host, ...(port !== undefined ? { port } : {}) };
    });
}

/** `~` and the tokens %h %p %r %u %d %% in IdentityFile/UserKnownHostsFile values. */
export function expandPath(value: string, ctx: { host: string; port: number; user: string }): string {
  const home = homedir();
  let v = value.replace(/^~(?=\/|$)/, home);
  v = v.replace(/%([%hprud])/g, (_m, c: string) =>
    c === '%' ? '%' : c === 'h' ? ctx.host : c === 'p' ? String(ctx.port) : c === 'r' ? ctx.user : c === 'd' ? home : ctx.user,
  );
  return v;
}

/**
 * Resolves the options for `alias` like `ssh -G alias` would for the keywords above: blocks are
 * scanned in file order, a block applies when its pattern list matches the alias, and the first
 * value obtained for a keyword wins (IdentityFile and UserKnownHostsFile accumulate).
 */
export function resolveSshHost(config: SshConfig, alias: string, localUser = defaultLocalUser()): ResolvedSshHost {
  const first = new Map<string, string>();
  const identityFiles: string[] = [];
  const knownHosts: string[] = [];
  for (const b of config.blocks) {
    if (b.patterns !== null && matchHostPatternList(b.patterns, alias, /\s+/) !== true) continue;
    for (const o of b.options) {
      if (o.key === 'identityfile') identityFiles.push(o.value);
      else if (o.key === 'userknownhostsfile') knownHosts.push(...o.value.split(/\s+/).filter(Boolean));
      else if (!first.has(o.key)) first.set(o.key, o.value);
    }
  }
  const hostName = (first.get('hostname') ?? alias).replace(/%h/g, alias);
  const portStr = first.get('port');
  const port = portStr !== undefined && /^\d+$/.test(portStr) ? Number(portStr) : undefined;
  const user = first.get('user');
  const ctx = { host: hostName, port: port ?? 22, user: user ?? localUser };
  const jump = first.get('proxyjump');
  const num = (k: string): number | undefined => {
    const v = first.get(k);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const io = first.get('identitiesonly');
  return {
    alias,
    hostName,
    ...(user !== undefined ? { user } : {}),
    ...(port !== undefined ? { port } : {}),
    identityFiles: identityFiles.filter((f) => f.toLowerCase() !== 'none').map((f) => expandPath(f, ctx)),
    proxyJump: jump !== undefined ? parseProxyJump(jump) : [],
    userKnownHostsFiles: knownHosts.filter((f) => f.toLowerCase() !== 'none').map((f) => expandPath(f, ctx)),
    ...(io !== undefined ? { identitiesOnly: io.toLowerCase() === 'yes' } : {}),
    ...(num('connecttimeout') !== undefined ? { connectTimeoutS: num('connecttimeout') } : {}),
    ...(num('serveraliveinterval') !== undefined ? { serverAliveIntervalS: num('serveraliveinterval') } : {}),
  };
}

function defaultLocalUser(): string {
  return process.env['USER'] ?? process.env['LOGNAME'] ?? 'root';
}
