/**
 * From an inventory host to SshParams, honouring ~/.ssh/config like `ssh` does: the inventory
 * name (or ansible_host) is the alias looked up; explicit inventory values (address, port,
 * user, key file) win over ssh_config, which wins over the defaults (port 22, local user).
 * ProxyJump hops are resolved through the same config and nested (the last hop is the
 * target's `jump`, each hop's `jump` is the hop before it), so chains of any length work; an
 * explicit `jump` from the inventory (ansible_ssh_common_args) replaces ProxyJump. A hop
 * also tries the target's inventory key after its own. Pure.
 */
import { resolveSshHost, type JumpHost, type SshConfig } from './ssh-config.js';
import type { SshParams } from './ssh-connection.js';

export interface InventorySshHost {
  /** Inventory name. */
  readonly host: string;
  readonly address?: string;
  readonly port?: number;
  readonly user?: string;
  readonly privateKeyFile?: string;
  readonly jump?: readonly JumpHost[];
}

/** Everything else (timeouts, known_hosts, secrets) shared by the target and its jump hosts. */
export type SshCommon = Omit<SshParams, 'host' | 'address' | 'port' | 'user' | 'jump' | 'privateKeyFile' | 'identityFiles'>;

export function resolveSshParams(h: InventorySshHost, config: SshConfig, common: SshCommon, localUser = process.env['USER'] ?? 'root'): SshParams {
  const alias = h.address ?? h.host;
  const r = resolveSshHost(config, alias, localUser);
  const hops = h.jump ?? r.proxyJump;
  let jump: SshParams | undefined;
  for (const hop of hops) {
    const hr = resolveSshHost(config, hop.host, localUser);
    // A hop's own ProxyJump is ignored here: the chain is the one listed on the target.
    jump = {
      ...common,
      host: hop.host,
      address: hr.hostName,
      port: hop.port ?? hr.port ?? 22,
      user: hop.user ?? hr.user ?? localUser,
      // The inventory's key is tried after the hop's own (ssh_config) keys: operators give one
      // ansible_ssh_private_key_file for the bastion and the hosts behind it.
      identityFiles: [...hr.identityFiles, ...(h.privateKeyFile && !hr.identityFiles.includes(h.privateKeyFile) ? [h.privateKeyFile] : [])],
      ...(jump ? { jump } : {}),
    };
  }
  return {
    ...common,
    host: h.host,
    address: r.hostName,
    port: h.port ?? r.port ?? 22,
    user: h.user ?? r.user ?? localUser,
    ...(h.privateKeyFile ? { privateKeyFile: h.privateKeyFile } : {}),
    identityFiles: r.identityFiles,
    ...(jump ? { jump } : {}),
  };
}
