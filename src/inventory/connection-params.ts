/**
 * A host's resolved vars -> how to reach it. Reads Ansible's names (ansible_host, ansible_port,
 * ansible_user, ansible_ssh_private_key_file, ansible_password, ansible_become*, ansible_connection,
 * ansible_ssh_common_args, plus the old ansible_ssh_* aliases) and k3play's own names, which win
 * (k3play_host, k3play_port, k3play_user, k3play_private_key, k3play_become, k3play_become_user,
 * k3play_become_password, k3play_connection). INI values arrive as strings, so numbers and
 * booleans (yes/no/true/false/on/off/1/0) are coerced here; anything else is a K3playError
 * naming the variable. `localhost` without an address is a local connection, like Ansible's
 * implicit localhost. Pure; opens nothing.
 */
import { K3playError, type Problem } from '../errors/k3play-error.js';

export interface ConnectionParams {
  host: string;
  port: number;
  user?: string;
  privateKeyFile?: string;
  password?: string;
  become?: boolean;
  becomeUser?: string;
  becomeMethod?: string;
  becomePassword?: string;
  connection: 'ssh' | 'local';
  sshCommonArgs?: string;
}

/** Names to read for each field, strongest first. */
const NAMES = {
  host: ['k3play_host', 'ansible_host', 'ansible_ssh_host'],
  port: ['k3play_port', 'ansible_port', 'ansible_ssh_port'],
  user: ['k3play_user', 'ansible_user', 'ansible_ssh_user'],
  privateKeyFile: ['k3play_private_key', 'ansible_ssh_private_key_file', 'ansible_private_key_file'],
  password: ['k3play_password', 'ansible_password', 'ansible_ssh_pass'],
  become: ['k3play_become', 'ansible_become'],
  becomeUser: ['k3play_become_user', 'ansible_become_user'],
  becomeMethod: ['k3play_become_method', 'ansible_become_method'],
  becomePassword: ['k3play_become_password', 'ansible_become_password', 'ansible_become_pass'],
  connection: ['k3play_connection', 'ansible_connection'],
  sshCommonArgs: ['k3play_ssh_common_args', 'ansible_ssh_common_args'],
} as const;

const SSH_LIKE = new Set(['ssh', 'smart', 'paramiko', 'paramiko_ssh']);

export function connectionParams(vars: Record<string, unknown>): ConnectionParams {
  const problems: Problem[] = [];
  const pick = (names: readonly string[]): { name: string; value: unknown } | undefined => {
    for (const n of names) if (vars[n] !== undefined && vars[n] !== null) return { name: n, value: vars[n] };
    return undefined;
  };
  const str = (names: readonly string[]): string | undefined => {
    const p = pick(names);
    return p === undefined ? undefined : String(p.value);
  };
  const bool = (names: readonly string[]): boolean | undefined => {
    const p = pick(names);
    if (p === undefined) return undefined;
    const b = toBool(p.value);
    if (b === undefined) {
      problems.push({ message: `${p.name} must be a boolean, got ${JSON.stringify(p.value)}`, hint: 'use true/false (yes/no, 1/0 also work)' });
    }
    return b;
  };

  const inventoryName = typeof vars['inventory_hostname'] === 'string' ? vars['inventory_hostname'] : undefined;
  const hostVar = str(NAMES.host);
  const host = hostVar ?? inventoryName ?? '';
  if (host === '') problems.push({ message: 'no address for the host: set ansible_host (or k3play_host)' });

  let port = 22;
  const portVar = pick(NAMES.port);
  if (portVar) {
    const n = Number(portVar.value);
    if (!Number.isInteger(n) || n < 1 || n > 65535) {
      problems.push({ message: `${portVar.name} must be a port number 1-65535, got ${JSON.stringify(portVar.value)}` });
    } else {
      port = n;
    }
  }

  let connection: 'ssh' | 'local' = 'ssh';
  const connVar = pick(NAMES.connection);
  if (connVar) {
    const c = String(connVar.value);
    if (c === 'local') connection = 'local';
    else if (!SSH_LIKE.has(c)) {
      problems.push({ message: `${connVar.name}=${c} is not supported`, hint: 'k3play connects with ssh or local' });
    }
  } else if (hostVar === undefined && isLocalhostName(inventoryName)) {
    connection = 'local';
  }

  const out: ConnectionParams = { host, port, connection };
  const user = str(NAMES.user);
  if (user !== undefined) out.user = user;
  const key = str(NAMES.privateKeyFile);
  if (key !== undefined) out.privateKeyFile = key;
  const password = str(NAMES.password);
  if (password !== undefined) out.password = password;
  const become = bool(NAMES.become);
  if (become !== undefined) out.become = become;
  const becomeUser = str(NAMES.becomeUser);
  if (becomeUser !== undefined) out.becomeUser = becomeUser;
  const becomeMethod = str(NAMES.becomeMethod);
  if (becomeMethod !== undefined) out.becomeMethod = becomeMethod;
  const becomePassword = str(NAMES.becomePassword);
  if (becomePassword !== undefined) out.becomePassword = becomePassword;
  const sshArgs = str(NAMES.sshCommonArgs);
  if (sshArgs !== undefined) out.sshCommonArgs = sshArgs;

  if (problems.length > 0) {
    throw new K3playError(problems.map((p) => ({ ...p, context: inventoryName ? `host ${inventoryName}` : undefined })));
  }
  return out;
}

/** Ansible's boolean strings, case-insensitive. */
export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (['yes', 'true', 'on', '1', 'y'].includes(s)) return true;
  if (['no', 'false', 'off', '0', 'n'].includes(s)) return false;
  return undefined;
}

function isLocalhostName(name: string | undefined): boolean {
  return name === 'localhost' || name === '127.0.0.1' || name === '::1';
}
