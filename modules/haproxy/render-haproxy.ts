/**
 * haproxy.cfg from the module's args: pure text building plus the cross-argument checks
 * (every problem collected, then ONE TaskFailure listing them all). Servers come as objects or
 * as "NAME ADDRESS:PORT [words]" lines (what a handlebars loop over a group yields) and are
 * parsed here. Stable output: same args, same bytes. The stats password is inserted here,
 * which is why the text is written as a Secret and diffs go through maskHaproxySecrets.
 */
import { isSecret, MASK, TaskFailure } from '../../src/module-api/index.js';
import type { HaproxyArgs, HaproxyBackend, HaproxyServer } from './args.js';

export const HEADER = '# Managed by k3play (haproxy module): changes made here are overwritten on the next run.';

interface ServerLine {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly check: boolean;
  readonly words: readonly string[];
}

export function renderHaproxy(args: HaproxyArgs): string {
  const problems: string[] = [];
  const backends = (args.backends ?? []).map((b) => ({ b, servers: serverLines(b, problems) }));
  checkNames(args, problems);
  const password = statsPassword(args);
  if (password !== undefined && /[\s]/.test(password)) problems.push('stats_password cannot contain spaces (haproxy splits the `stats auth` line on them)');
  if (password !== undefined && args.stats === undefined) problems.push('stats_password is set but stats is not: give stats.bind (e.g. "*:1080") for the page it protects');
  if (problems.length > 0) {
    throw new TaskFailure(`haproxy arguments: ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n  - ${problems.join('\n  - ')}`, 'see: k3play modules haproxy');
  }

  const g = args.global ?? {};
  const d = args.defaults ?? {};
  const mode = d.mode ?? 'tcp';
  const out: string[] = [HEADER, 'global'];
  for (const l of g.log ?? ['/dev/log local0']) out.push(`    log ${l}`);
  const chroot = g.chroot === undefined ? '/var/lib/haproxy' : g.chroot;
  if (chroot !== null) out.push(`    chroot ${chroot}`);
  const socket = g.stats_socket === undefined ? '/run/haproxy/admin.sock mode 660 level admin' : g.stats_socket;
  if (socket !== null) out.push(`    stats socket ${socket}`);
  out.push(`    user ${g.user ?? 'haproxy'}`, `    group ${g.group ?? 'haproxy'}`, '    daemon', `    maxconn ${g.maxconn ?? 4000}`);
  for (const l of g.lines ?? []) out.push(`    ${l}`);

  out.push('', 'defaults', `    mode ${mode}`, '    log global');
  for (const o of d.options ?? ['dontlognull', 'redispatch']) out.push(`    option ${o}`);
  out.push(
    `    retries ${d.retries ?? 3}`,
    `    timeout connect ${d.timeout_connect ?? '10s'}`,
    `    timeout client ${d.timeout_client ?? '1m'}`,
    `    timeout server ${d.timeout_server ?? '1m'}`,
    `    timeout check ${d.timeout_check ?? '10s'}`,
    `    maxconn ${d.maxconn ?? 3000}`,
  );
  for (const l of d.lines ?? []) out.push(`    ${l}`);

  for (const f of args.frontends ?? []) {
    const fmode = f.mode ?? mode;
    out.push('', `frontend ${f.name}`);
    for (const b of Array.isArray(f.bind) ? f.bind : [f.bind]) out.push(`    bind ${b}`);
    out.push(`    mode ${fmode}`);
    for (const o of f.options ?? [fmode === 'tcp' ? 'tcplog' : 'httplog']) out.push(`    option ${o}`);
    out.push(`    default_backend ${f.default_backend}`);
  }
  for (const { b, servers } of backends) {
    const c = b.check ?? {};
    out.push('', `backend ${b.name}`, `    mode ${b.mode ?? mode}`, `    balance ${b.balance ?? 'roundrobin'}`);
    for (const o of b.options ?? []) out.push(`    option ${o}`);
    out.push(`    default-server inter ${c.inter ?? '2s'} fall ${c.fall ?? 3} rise ${c.rise ?? 2}`);
    for (const s of servers) {
      out.push(`    server ${s.name} ${hostPort(s.address, s.port)}${s.check ? ' check' : ''}${s.words.length ? ` ${s.words.join(' ')}` : ''}`);
    }
  }
  if (args.stats !== undefined) {
    const s = args.stats;
    out.push('', 'listen stats', `    bind ${s.bind}`, '    mode http', '    stats enable', `    stats uri ${s.uri ?? '/admin?stats'}`);
    out.push(`    stats refresh ${s.refresh ?? '5s'}`, `    stats realm ${(s.realm ?? 'HAProxy Statistics').replace(/ /g, '\\ ')}`);
    if (password !== undefined) out.push(`    stats auth ${s.user ?? 'admin'}:${password}`);
  }
  return `${out.join('\n')}\n`;
}

function hostPort(address: string, port: number): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** The backend's servers as lines; unparsable entries become problems. */
function serverLines(b: HaproxyBackend, problems: string[]): ServerLine[] {
  const items: (HaproxyServer | string)[] =
    typeof b.servers === 'string'
      ? b.servers
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '' && !l.startsWith('#'))
      : b.servers;
  const out: ServerLine[] = [];
  items.forEach((item, i) => {
    if (typeof item !== 'string') {
      out.push({ name: item.name, address: item.address, port: item.port, check: item.check ?? true, words: item.options ?? [] });
      return;
    }
    const words = item.trim().split(/\s+/);
    const [name, addr, ...rest] = words;
    const m = addr === undefined ? null : /^(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*|[A-Za-z0-9_.-]+):([0-9]{1,5})$/.exec(addr);
    const port = m ? Number(m[2]) : NaN;
    if (name === undefined || !/^[A-Za-z0-9_.:-]+$/.test(name) || !m || port < 1 || port > 65535) {
      problems.push(`backend ${b.name}: server ${i + 1} "${item.trim()}" is not "NAME ADDRESS:PORT [words]", e.g. "h1 10.0.0.11:6443"`);
      return;
    }
    const noCheck = rest.includes('no-check');
    out.push({ name, address: m[1]!.replace(/^\[|\]$/g, ''), port, check: !noCheck, words: rest.filter((w) => w !== 'no-check' && w !== 'check') });
  });
  if (out.length === 0 && !problems.some((p) => p.startsWith(`backend ${b.name}:`))) problems.push(`backend ${b.name}: no servers (is the inventory group empty?)`);
  const seen = new Set<string>();
  for (const s of out) {
    if (seen.has(s.name)) problems.push(`backend ${b.name}: server name "${s.name}" is used twice`);
    seen.add(s.name);
  }
  return out;
}

function checkNames(args: HaproxyArgs, problems: string[]): void {
  // haproxy: a frontend and a backend may share a name (the guide's kubernetes-apiserver), two
  // of one kind may not, and a `listen` section (stats) counts as both.
  const seen = { frontend: new Set<string>(), backend: new Set<string>() };
  const add = (kind: 'frontend' | 'backend', name: string): void => {
    if (seen[kind].has(name)) problems.push(`${kind} "${name}": the name is already used by another ${kind}${name === 'stats' ? ' (the stats listener is named stats)' : ''}`);
    seen[kind].add(name);
  };
  if (args.stats !== undefined) {
    add('frontend', 'stats');
    add('backend', 'stats');
  }
  const backends = new Set((args.backends ?? []).map((b) => b.name));
  for (const f of args.frontends ?? []) {
    add('frontend', f.name);
    if (!backends.has(f.default_backend)) {
      problems.push(`frontend ${f.name}: default_backend "${f.default_backend}" is not in backends${backends.size ? ` (defined: ${[...backends].join(', ')})` : ''}`);
    }
  }
  for (const b of args.backends ?? []) add('backend', b.name);
  if ((args.frontends ?? []).length === 0 && args.stats === undefined) problems.push('nothing to listen on: give frontends (and backends) or stats');
}

/** The stats password, or undefined when none (not given or empty). */
export function statsPassword(args: HaproxyArgs): string | undefined {
  const v = args.stats_password === undefined ? undefined : isSecret(args.stats_password) ? args.stats_password.reveal() : args.stats_password;
  return v === '' ? undefined : v;
}

/** The text with the password of every `stats auth user:password` line shown as ********. */
export function maskHaproxySecrets(text: string): string {
  return text.replace(/^(\s*stats\s+auth\s+[^:\s]+:)\S+/gm, `$1${MASK}`);
}
