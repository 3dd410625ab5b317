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
import type { Inventory } from './inventory/types.js';
import { patternHosts } from './execute/execute-playbook.js';
import { renderPlayPattern } from './execute/play-runner.js';
import type { RunOptions } from './execute/run-options.js';
import { truthy } from './execute/task-runner.js';

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

function firstPlayHosts(entry: unknown, inventory: Inventory, opts: RunOptions): string[] {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return [];
  const play = entry as Record<string, unknown>;
  if (typeof play['hosts'] !== 'string' || play['serial'] !== undefined || 'import_playbook' in play) return [];
  // As the engine selects a play's hosts (play-runner, execute-playbook), from the raw play.
  const vars = typeof play['vars'] === 'object' && play['vars'] !== null && !Array.isArray(play['vars']) ? (play['vars'] as Record<string, unknown>) : {};
  const loc = { file: '', line: 0, col: 0 };
  const hosts = patternHosts(renderPlayPattern({ hosts: play['hosts'], vars, loc }, opts.extraVars), inventory, opts.limit, loc);
  return hosts.slice(0, Math.max(1, opts.forks));
}
