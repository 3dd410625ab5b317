/**
 * Connection warm-up: the SSH logins a run's first task waits for (~0.1 s per host, nearly all
 * of it sshd, PAM and logind on the host) start while the inventory and playbook still load and
 * validate, and with each connection the persistent shell of the play's become user. Called with the first play as parsed; it works
 * out that play's hosts the way the engine will (hosts: rendered with the play's vars and -e, --limit,
 * the first --forks hosts) and asks the transport to open their connections. Purely an
 * optimisation: whatever it cannot work out for certain (a pattern that does not render from
 * those alone, serial batches, templated connection vars, a local connection) it leaves to the
 * engine, and a connection the engine then asks for differently is not used (SshPool.warm).
 * Errors are never reported here: the engine meets them when it connects, as it would have.
 */
import type { ConnectOptions } from './connection/open-connection.js';
import { connectionParams } from './inventory/connection-params.js';
import { hostVarsPlain } from './inventory/host-vars.js';
import { selectHosts } from './inventory/host-pattern.js';
import type { Inventory } from './inventory/types.js';
import type { RunOptions } from './execute/run-options.js';
import { renderDeep } from './template/index.js';

export function warmFirstPlay(entry: unknown, inventory: Inventory, opts: RunOptions, warm: NonNullable<ConnectOptions['warm']>): void {
  try {
    const play = entry as Record<string, unknown>;
    for (const host of firstPlayHosts(entry, inventory, opts)) {
      const vars = { ...hostVarsPlain(inventory, host), ...opts.extraVars };
      const params = connectionParams(vars);
      if (params.connection !== 'ssh' || Object.values(params).some((v) => typeof v === 'string' && v.includes('{{'))) continue;
      // The shell the play's first command will likely use: the play's become, else the host's.
      const become = play['become'] !== undefined ? truthy(play['become']) : (params.become ?? false);
      const becomeUser = typeof play['become_user'] === 'string' ? play['become_user'] : params.becomeUser;
      if (becomeUser?.includes('{{')) continue;
      warm(host, params, { sudo: become, ...(becomeUser ? { becomeUser } : {}) });
    }
  } catch {
    // Not certain: the engine connects when it needs to.
  }
}

function truthy(v: unknown): boolean {
  return typeof v === 'string' ? ['yes', 'true', '1', 'on'].includes(v.toLowerCase()) : v === true;
}

function firstPlayHosts(entry: unknown, inventory: Inventory, opts: RunOptions): string[] {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return [];
  const play = entry as Record<string, unknown>;
  if (typeof play['hosts'] !== 'string' || play['serial'] !== undefined || 'import_playbook' in play) return [];
  let pattern = play['hosts'];
  if (pattern.includes('{{')) {
    const vars = typeof play['vars'] === 'object' && play['vars'] !== null && !Array.isArray(play['vars']) ? play['vars'] : {};
    const v = renderDeep(pattern, { ...vars, ...opts.extraVars }, { file: '', line: 0, col: 0 });
    if (typeof v !== 'string') return [];
    pattern = v;
  }
  const sel = selectHosts(inventory, pattern);
  if (sel.problems.length > 0) return [];
  let hosts = [...sel.hosts];
  if (opts.limit) {
    const lim = selectHosts(inventory, opts.limit);
    if (lim.problems.length > 0) return [];
    const keep = new Set(lim.hosts);
    hosts = hosts.filter((h) => keep.has(h));
  }
  return hosts.slice(0, Math.max(1, opts.forks));
}
