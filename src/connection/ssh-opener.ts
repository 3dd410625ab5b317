/**
 * Opens SSH connections for a run: one SshPool (one connection per host, shared bastions,
 * throttled handshakes), ~/.ssh/config honoured, known_hosts = the user's file + files beside
 * the inventory + UserKnownHostsFile from ansible_ssh_common_args. Passwords become Secrets here.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { K3playError } from '../errors/k3play-error.js';
import type { ConnectionParams } from '../inventory/connection-params.js';
import { Secret, isSecret } from '../module-api/secret.js';
import { parseSshCommonArgs } from './ssh-common-args.js';
import { loadSshConfig, type SshConfig } from './ssh-config.js';
import type { SshParams, WarmShell } from './ssh-connection.js';
import { SshPool, type BastionCache } from './ssh-pool.js';
import { resolveSshParams } from './ssh-target.js';
import type { Connection } from './types.js';

export interface SshOpener {
  open(host: string, params: ConnectionParams): Promise<Connection>;
  /** Starts opening what `open` with the same arguments will return (and `shell`); never throws. */
  warm(host: string, params: ConnectionParams, shell?: WarmShell): void;
  closeAll(): Promise<void>;
}

export function createSshOpener(opts: { acceptNewHostKeys: boolean; knownHostsFiles: readonly string[]; bastions?: BastionCache }): SshOpener {
  const pool = new SshPool(opts.bastions ? { bastions: opts.bastions } : {});
  let config: Promise<SshConfig> | undefined;
  const userKnownHosts = `${homedir()}/.ssh/known_hosts`;
  async function resolve(host: string, p: ConnectionParams): Promise<SshParams> {
    config ??= loadSshConfig();
    const common = parseSshCommonArgs(p.sshCommonArgs);
    if (common.unsupported.length > 0) {
      throw new K3playError({
        context: `host ${host}`,
        message: `ansible_ssh_common_args: not supported: ${common.unsupported.join(' ')}`,
        hint: 'k3play understands -o ProxyJump=, -J, -o ProxyCommand="ssh -W %h:%p user@bastion", -o UserKnownHostsFile=, -p',
      });
    }
    const knownHostsFiles = [...new Set([...common.knownHostsFiles, ...opts.knownHostsFiles, userKnownHosts])].filter(
      (f, i) => i === 0 || existsSync(f),
    );
    const secret = (v: unknown) => (v === undefined ? undefined : isSecret(v) ? v : new Secret(String(v)));
    const password = secret(p.password);
    const becomePassword = secret(p.becomePassword);
    return resolveSshParams(
      {
        host,
        ...(p.host !== host ? { address: p.host } : {}),
        ...(p.port !== 22 || common.port === undefined ? { port: p.port } : { port: common.port }),
        ...(p.user ? { user: p.user } : {}),
        ...(p.privateKeyFile ? { privateKeyFile: p.privateKeyFile } : {}),
        ...(common.jump ? { jump: common.jump } : {}),
      },
      await config,
      {
        knownHostsFiles,
        acceptNewHostKeys: opts.acceptNewHostKeys,
        ...(common.keepaliveIntervalMs !== undefined ? { keepaliveIntervalMs: common.keepaliveIntervalMs } : {}),
        ...(common.connectTimeoutMs !== undefined ? { connectTimeoutMs: common.connectTimeoutMs } : {}),
        ...(password ? { password } : {}),
        ...(becomePassword ? { becomePassword } : {}),
        ...(p.becomeMethod === 'su' ? { becomeMethod: 'su' as const } : {}),
      },
    );
  }
  return {
    open: async (host, p) => pool.get(await resolve(host, p)),
    warm: (host, p, shell) => {
      // A problem resolving the params (an unsupported ssh arg, ...) is open()'s to report.
      resolve(host, p).then((params) => pool.warm(params, shell), () => undefined);
    },
    closeAll: () => pool.closeAll(),
  };
}
