/**
 * How commands that talk to hosts connect: host key policy, the known_hosts files (the user's
 * and one beside each inventory, as the lab writes), and the SSH transport.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ConnectOptions } from '../connection/open-connection.js';
import { createSshOpener } from '../connection/ssh-opener.js';
import type { BastionCache } from '../connection/ssh-pool.js';

/** `bastions`: shared with other runs in this process (a rollout's sites); its owner closes it. */
export function connectOptions(acceptNewHostKeys: boolean, inventories: readonly string[], bastions?: BastionCache): ConnectOptions {
  const beside = inventories.map((i) => {
    const dir = existsSync(i) && statSync(i).isDirectory() ? i : path.dirname(i);
    return path.join(dir, 'known_hosts');
  });
  const knownHostsFiles = beside.filter((f) => existsSync(f));
  const ssh = createSshOpener({ acceptNewHostKeys, knownHostsFiles, ...(bastions ? { bastions } : {}) });
  return {
    acceptNewHostKeys,
    knownHostsFiles,
    ssh: (host, params) => ssh.open(host, params),
    warm: (host, params, shell) => ssh.warm(host, params, shell),
    closeAll: () => ssh.closeAll(),
  };
}
