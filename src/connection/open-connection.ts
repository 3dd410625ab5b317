/**
 * Picks and opens the transport for a host from its resolved variables: `local` for
 * `ansible_connection=local` (and an implicit localhost), otherwise SSH through the shared pool
 * (one connection per host for the whole run).
 */
import { K3playError } from '../errors/k3play-error.js';
import { connectionParams } from '../inventory/connection-params.js';
import { LocalConnection } from './local-connection.js';
import type { WarmShell } from './ssh-connection.js';
import type { Connection } from './types.js';

export interface ConnectOptions {
  readonly acceptNewHostKeys: boolean;
  /** Extra known_hosts files (e.g. one beside the inventory). */
  readonly knownHostsFiles: readonly string[];
  /** Opens SSH connections; absent until the SSH transport is wired in. */
  readonly ssh?: (host: string, params: ReturnType<typeof connectionParams>) => Promise<Connection>;
  /**
   * Starts opening a host's SSH connection ahead of `ssh`, and the persistent shell for `shell`'s
   * become options (see src/warm-connections.ts).
   */
  readonly warm?: (host: string, params: ReturnType<typeof connectionParams>, shell?: WarmShell) => void;
  /** Closes shared resources (bastion connections) at the end of the run. */
  readonly closeAll?: () => Promise<void>;
}

export async function openConnection(host: string, vars: Record<string, unknown>, opts: ConnectOptions): Promise<Connection> {
  const params = connectionParams(vars);
  if (params.connection === 'local') return new LocalConnection(host);
  if (!opts.ssh) {
    throw new K3playError({ context: `host ${host}`, message: 'the SSH transport is not available in this build', hint: 'set ansible_connection=local for local runs' });
  }
  return opts.ssh(host, params);
}
