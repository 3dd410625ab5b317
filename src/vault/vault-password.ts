/**
 * Vault passwords: where they come from, and the process-wide keyring that holds them.
 *
 * Sources, as ansible takes them: `--vault-password-file FILE` (the file's content without
 * surrounding CR/LF; an executable file is run and its stdout used, a `*-client*` script gets
 * `--vault-id LABEL`), the env var K3PLAY_VAULT_PASSWORD_FILE when no option is given, and
 * `--vault-id LABEL@FILE` (repeatable; `@FILE` alone means the "default" label).
 *
 * The keyring is process-wide on purpose: YAML is parsed synchronously in many places
 * (inventories, group_vars, playbooks, vars_files) through parseYamlSource, and threading a
 * keyring through every loader would touch every stage for one concern. The CLI sets it once,
 * before any file is loaded (setVaultPasswords); loaders only read it. Tests reset it.
 * Nothing here prints a password.
 */
import { execFile } from 'node:child_process';
import { access, constants, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { K3playError } from '../errors/k3play-error.js';
import { DEFAULT_VAULT_ID } from './vault-format.js';

const execFileP = promisify(execFile);

export const VAULT_PASSWORD_ENV = 'K3PLAY_VAULT_PASSWORD_FILE';

let keyring: ReadonlyMap<string, string> = new Map();

/** Replaces the process-wide keyring (the CLI calls this once, before loading files). */
export function setVaultPasswords(passwords: ReadonlyMap<string, string>): void {
  keyring = new Map(passwords);
}

/** The passwords in effect: vault id ("default" for none) -> password. */
export function vaultPasswords(): ReadonlyMap<string, string> {
  return keyring;
}

export interface VaultPasswordOptions {
  /** --vault-password-file (repeatable in ansible; each gets the "default" label). */
  readonly vaultPasswordFile?: readonly string[] | string | undefined;
  /** --vault-id LABEL@FILE (repeatable). */
  readonly vaultId?: readonly string[] | undefined;
}

/** Reads every password source; falls back to K3PLAY_VAULT_PASSWORD_FILE when none is given. */
export async function loadVaultPasswords(o: VaultPasswordOptions, env: NodeJS.ProcessEnv = process.env): Promise<Map<string, string>> {
  const specs: { label: string; file: string; origin: string }[] = [];
  const files = o.vaultPasswordFile === undefined ? [] : typeof o.vaultPasswordFile === 'string' ? [o.vaultPasswordFile] : o.vaultPasswordFile;
  for (const f of files) specs.push({ label: DEFAULT_VAULT_ID, file: f, origin: '--vault-password-file' });
  for (const id of o.vaultId ?? []) specs.push({ ...parseVaultIdSpec(id), origin: '--vault-id' });
  const fromEnv = env[VAULT_PASSWORD_ENV];
  if (specs.length === 0 && fromEnv) specs.push({ label: DEFAULT_VAULT_ID, file: fromEnv, origin: VAULT_PASSWORD_ENV });
  const out = new Map<string, string>();
  for (const s of specs) {
    if (!out.has(s.label)) out.set(s.label, await readPasswordFile(s.file, s.label, s.origin));
  }
  return out;
}

/** `label@file`, `@file` or `file` -> label and file. `label@prompt` is refused (no prompts). */
export function parseVaultIdSpec(spec: string): { label: string; file: string } {
  const at = spec.indexOf('@');
  const label = at > 0 ? spec.slice(0, at) : DEFAULT_VAULT_ID;
  const file = at >= 0 ? spec.slice(at + 1) : spec;
  if (file === '' || file === 'prompt') {
    throw new K3playError({ message: `--vault-id ${spec}: k3play does not prompt for passwords`, hint: 'give a password file: --vault-id LABEL@FILE' });
  }
  if (!/^[^;\s]+$/.test(label)) throw new K3playError({ message: `--vault-id ${spec}: invalid vault id "${label}"`, hint: 'a vault id is one word without ";" or spaces, e.g. prod@secrets/prod.pass' });
  return { label, file };
}

async function readPasswordFile(file: string, label: string, origin: string): Promise<string> {
  let st;
  try {
    st = await stat(file);
  } catch {
    throw new K3playError({ message: `${origin} ${file}: no such file`, hint: 'give the path of a file that holds the vault password' });
  }
  if (!st.isFile()) throw new K3playError({ message: `${origin} ${file}: not a regular file`, hint: 'give the path of a file that holds the vault password' });
  let raw: string;
  if (await isExecutable(file)) {
    const args = /-client(\.[^/]*)?$/.test(path.basename(file)) ? ['--vault-id', label] : [];
    try {
      raw = (await execFileP(path.resolve(file), args, { encoding: 'utf8', maxBuffer: 1 << 20 })).stdout;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      throw new K3playError({
        message: `${origin} ${file}: the password script failed${typeof code === 'number' ? ` with exit code ${code}` : ''}`,
        hint: 'the script must print the password on stdout and exit 0 (remove the execute bit to read the file as text)',
      });
    }
  } else {
    raw = await readFile(file, 'utf8');
  }
  const password = raw.replace(/^[\r\n]+|[\r\n]+$/g, '');
  if (password === '') throw new K3playError({ message: `${origin} ${file}: the vault password is empty`, hint: 'put the password on the first line of the file' });
  return password;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads the password options of a CLI command (and K3PLAY_VAULT_PASSWORD_FILE) into the
 * process-wide keyring. Call before loading any file.
 */
export async function initVaultKeyring(o: VaultPasswordOptions, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  setVaultPasswords(await loadVaultPasswords(o, env));
}
