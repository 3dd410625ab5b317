/**
 * SSH client authentication plan: which methods to offer, in which order, as ssh2 auth
 * objects. Order: private key files (explicit first, then ssh_config IdentityFiles, then the
 * default ~/.ssh/id_{ed25519,ecdsa,rsa} when none was named), the ssh-agent (SSH_AUTH_SOCK or
 * an explicit socket), the password as last resort. Encrypted keys are decrypted with the
 * passphrase from the environment (K3PLAY_SSH_PASSPHRASE by default); a key that cannot be used
 * becomes a `note` shown when authentication fails. It reads key files; it never connects.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
// ssh2 is CommonJS: Node's ESM loader exposes only its default export.
import ssh2 from 'ssh2';
import type { AnyAuthMethod, ParsedKey } from 'ssh2';

const { utils } = ssh2;
import type { Secret } from '../module-api/secret.js';

export const PASSPHRASE_ENV = 'K3PLAY_SSH_PASSPHRASE';

export interface AuthInput {
  readonly user: string;
  /** Explicit key files (inventory ansible_ssh_private_key_file, then ssh_config IdentityFile). */
  readonly privateKeyFiles?: readonly string[];
  /** When no key file is named, try ~/.ssh/id_ed25519, id_ecdsa, id_rsa (default true). */
  readonly defaultKeys?: boolean;
  readonly passphrase?: string;
  /** ssh-agent socket; default: SSH_AUTH_SOCK from `env`. `false` disables the agent. */
  readonly agentSocket?: string | false;
  readonly password?: Secret;
  readonly env?: NodeJS.ProcessEnv;
}

export interface AuthOption {
  /** For messages: `publickey ~/.ssh/id_ed25519 (ssh-ed25519)`, `agent`, `password`. */
  readonly label: string;
  readonly method: AnyAuthMethod;
}

export interface AuthPlan {
  readonly options: readonly AuthOption[];
  /** Why a configured method is not offered (missing file, encrypted key without passphrase). */
  readonly notes: readonly string[];
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export async function planAuth(input: AuthInput): Promise<AuthPlan> {
  const env = input.env ?? process.env;
  const options: AuthOption[] = [];
  const notes: string[] = [];
  const explicit = [...new Set(input.privateKeyFiles ?? [])];
  const files = explicit.length > 0 || input.defaultKeys === false ? explicit : DEFAULT_KEYS.map((k) => `${homedir()}/.ssh/${k}`);
  const passphrase = input.passphrase ?? env[PASSPHRASE_ENV];
  for (const file of files) {
    const data = readKeyFile(file);
    if (data instanceof Error) {
      if (explicit.includes(file)) notes.push(`key file ${file}: ${data.code === 'ENOENT' ? 'not found' : data.message}`);
      continue;
    }
    const key = parsedKey(file, data, passphrase);
    if (typeof key === 'string') {
      notes.push(`key file ${file}: ${key}`);
      continue;
    }
    options.push({ label: `publickey ${file} (${key.type})`, method: { type: 'publickey', username: input.user, key } });
  }
  const agent = input.agentSocket === false ? undefined : (input.agentSocket ?? env['SSH_AUTH_SOCK']);
  if (agent) options.push({ label: `agent ${agent}`, method: { type: 'agent', username: input.user, agent } });
  if (input.password) {
    options.push({ label: 'password', method: { type: 'password', username: input.user, password: input.password.reveal() } });
  }
  return { options, notes };
}

/** Read synchronously (a few hundred bytes): a host's connection then starts without waiting
 *  for a thread-pool round trip behind other work. */
function readKeyFile(file: string): Buffer | NodeJS.ErrnoException {
  try {
    return readFileSync(file);
  } catch (e) {
    return e as NodeJS.ErrnoException;
  }
}

interface ParsedKeyEntry {
  readonly data: Buffer;
  readonly passphrase: string | undefined;
  readonly key: ParsedKey | string;
}

/** Parsed keys by file: parsing (ssh2 converts the key to PEM and builds key objects) cost ~1 ms
 *  per connection, the same key for every host. Reused only while the file's bytes and the
 *  passphrase are the same, so an edited key file is parsed again. */
const parsedKeys = new Map<string, ParsedKeyEntry>();

function parsedKey(file: string, data: Buffer, passphrase: string | undefined): ParsedKey | string {
  const hit = parsedKeys.get(file);
  if (hit && hit.passphrase === passphrase && hit.data.equals(data)) return hit.key;
  const key = parsePrivateKey(data, passphrase);
  parsedKeys.set(file, { data, passphrase, key });
  return key;
}

/** A parsed private key, or why it cannot be used. */
export function parsePrivateKey(data: Buffer, passphrase: string | undefined): ParsedKey | string {
  const parsed = utils.parseKey(data, passphrase);
  if (parsed instanceof Error) {
    if (/no passphrase given|encrypted/i.test(parsed.message) && passphrase === undefined) {
      return `encrypted; set ${PASSPHRASE_ENV} to its passphrase`;
    }
    if (/bad passphrase|decrypt/i.test(parsed.message)) return `the passphrase in ${PASSPHRASE_ENV} does not decrypt it`;
    return `cannot parse: ${parsed.message}`;
  }
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey | undefined) : parsed;
  if (!key || !key.isPrivateKey()) return 'not a private key';
  return key;
}
