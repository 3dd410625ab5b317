/**
 * Test helper: SshParams for a private sshd (root login with the sshd's client key, its own
 * known_hosts, no agent, no default keys from ~/.ssh). Shared by the ssh tests only.
 */
import type { SshParams } from '../../src/connection/ssh-connection.js';
import type { PrivateSshd } from './private-sshd.js';

export function sshdParams(sshd: PrivateSshd, over: Partial<SshParams> = {}): SshParams {
  return {
    host: 'h1',
    address: '127.0.0.1',
    port: sshd.port,
    user: 'root',
    privateKeyFile: sshd.clientKeyPath,
    agentSocket: false,
    knownHostsFiles: [sshd.knownHostsPath],
    // Also the remote shell's start timeout: 5 s was seen to expire on a 2-core machine under a full lab.
    connectTimeoutMs: 15_000,
    ...over,
  };
}

/** An environment without SSH_AUTH_SOCK or a passphrase. */
export const CLEAN_ENV: NodeJS.ProcessEnv = {};
