/**
 * The Ansible Vault envelope, 1.1 and 1.2, with node:crypto only, byte-compatible with
 * ansible-vault both ways:
 *
 *     $ANSIBLE_VAULT;1.1;AES256            (1.2 adds ";<vault-id>")
 *     hex( hex(salt) "\n" hex(hmac) "\n" hex(ciphertext) ), wrapped at 80 columns
 *
 * PBKDF2-HMAC-SHA256 (10000 iterations, 32-byte random salt) gives 80 bytes: AES-256-CTR key,
 * HMAC-SHA256 key, 16-byte counter IV. The plaintext is PKCS#7-padded to the AES block before
 * CTR (as ansible does); the HMAC covers the ciphertext and is checked in constant time before
 * anything is decrypted. Owns only the format: where passwords come from is vault-password.ts,
 * YAML is vault-yaml.ts. Error messages never contain plaintext, passwords or key material.
 */
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { K3playError, type Problem } from '../errors/k3play-error.js';
import type { SourceLocation } from '../errors/source-location.js';

export const VAULT_HEADER = '$ANSIBLE_VAULT';
/** The label used for passwords given without a vault id (ansible's "default"). */
export const DEFAULT_VAULT_ID = 'default';

const ITERATIONS = 10000;
const KEY_LEN = 32;
const IV_LEN = 16;
const SALT_LEN = 32;
const BLOCK = 16;
const LINE = 80;

/** True when `text` (a file, or an inline `!vault` scalar) starts with the vault header. */
export function isVaultText(text: string): boolean {
  return text.replace(/^\uFEFF/, '').trimStart().startsWith(`${VAULT_HEADER};`);
}

export interface VaultEnvelope {
  readonly version: '1.1' | '1.2';
  readonly cipher: string;
  /** The 1.2 label, when present. */
  readonly vaultId?: string;
  readonly salt: Buffer;
  readonly hmac: Buffer;
  readonly ciphertext: Buffer;
}

function deriveKeys(password: string, salt: Buffer): { key: Buffer; hmacKey: Buffer; iv: Buffer } {
  const km = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, ITERATIONS, 2 * KEY_LEN + IV_LEN, 'sha256');
  return { key: km.subarray(0, KEY_LEN), hmacKey: km.subarray(KEY_LEN, 2 * KEY_LEN), iv: km.subarray(2 * KEY_LEN) };
}

/**
 * Encrypts `plaintext` as ansible-vault does; `vaultId` (other than "default") writes a 1.2
 * header. The result ends with a newline, like files ansible-vault writes.
 */
export function encryptVault(plaintext: Buffer, password: string, vaultId?: string, salt: Buffer = randomBytes(SALT_LEN)): string {
  if (password === '') throw new K3playError({ message: 'vault: the vault password is empty', hint: 'put the password in the file given with --vault-password-file' });
  if (vaultId !== undefined && !/^[^;\s]+$/.test(vaultId)) {
    throw new K3playError({ message: `vault: invalid vault id ${JSON.stringify(vaultId)}`, hint: 'a vault id is one word without ";" or spaces, e.g. prod' });
  }
  const { key, hmacKey, iv } = deriveKeys(password, salt);
  const pad = BLOCK - (plaintext.length % BLOCK);
  const padded = Buffer.concat([plaintext, Buffer.alloc(pad, pad)]);
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  const ciphertext = Buffer.concat([cipher.update(padded), cipher.final()]);
  const hmac = createHmac('sha256', hmacKey).update(ciphertext).digest();
  const inner = `${salt.toString('hex')}\n${hmac.toString('hex')}\n${ciphertext.toString('hex')}`;
  const body = Buffer.from(inner, 'ascii').toString('hex');
  const header = vaultId !== undefined && vaultId !== DEFAULT_VAULT_ID ? `${VAULT_HEADER};1.2;AES256;${vaultId}` : `${VAULT_HEADER};1.1;AES256`;
  const lines = [header];
  for (let i = 0; i < body.length; i += LINE) lines.push(body.slice(i, i + LINE));
  return `${lines.join('\n')}\n`;
}

/** Splits the envelope; a malformed one is a K3playError located at `loc`. */
export function parseVaultEnvelope(text: string, loc?: SourceLocation): VaultEnvelope {
  const bad = (why: string): K3playError =>
    new K3playError({ ...(loc ? { loc } : {}), message: `vault: malformed vault data: ${why}`, hint: 'the text was probably edited by hand or truncated; restore it from version control' });
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const parts = (lines[0] ?? '').split(';');
  if (parts[0] !== VAULT_HEADER) throw bad('no $ANSIBLE_VAULT header');
  const version = parts[1];
  if (version !== '1.1' && version !== '1.2') throw bad(`unsupported format version ${JSON.stringify(version ?? '')} (1.1 and 1.2 are supported)`);
  const cipher = parts[2] ?? '';
  if (cipher !== 'AES256') throw bad(`unsupported cipher ${JSON.stringify(cipher)} (AES256 is supported)`);
  const vaultId = version === '1.2' ? parts[3] : undefined;
  const hex = lines.slice(1).join('');
  if (hex === '' || !/^(?:[0-9a-fA-F]{2})+$/.test(hex)) throw bad('the body is not hexadecimal');
  const inner = Buffer.from(hex, 'hex').toString('ascii').split('\n');
  if (inner.length !== 3 || !inner.every((p) => /^(?:[0-9a-fA-F]{2})+$/.test(p))) throw bad('the body does not hold salt, hmac and ciphertext');
  const [salt, hmac, ciphertext] = inner.map((p) => Buffer.from(p, 'hex')) as [Buffer, Buffer, Buffer];
  return { version, cipher, ...(vaultId ? { vaultId } : {}), salt, hmac, ciphertext };
}

/** Decrypts with one password; null when the HMAC does not match (wrong password). */
function tryPassword(env: VaultEnvelope, password: string): Buffer | null {
  const { key, hmacKey, iv } = deriveKeys(password, env.salt);
  const expected = createHmac('sha256', hmacKey).update(env.ciphertext).digest();
  if (expected.length !== env.hmac.length || !timingSafeEqual(expected, env.hmac)) return null;
  const decipher = createDecipheriv('aes-256-ctr', key, iv);
  const padded = Buffer.concat([decipher.update(env.ciphertext), decipher.final()]);
  const pad = padded[padded.length - 1] ?? 0;
  // ansible always pads; tolerate unpadded data (very old writers) rather than fail after a good HMAC.
  if (pad < 1 || pad > BLOCK || pad > padded.length || !padded.subarray(padded.length - pad).every((b) => b === pad)) return padded;
  return padded.subarray(0, padded.length - pad);
}

/**
 * Decrypts vault text with the passwords of the keyring (vault id -> password; "default" for
 * one given without an id). The password whose id matches a 1.2 header is tried first, then
 * every other one (as ansible does). `loc` places the error message.
 */
export function decryptVault(text: string, passwords: ReadonlyMap<string, string>, loc?: SourceLocation): Buffer {
  const env = parseVaultEnvelope(text, loc);
  if (passwords.size === 0) throw new K3playError(noPasswordProblem(loc));
  const order = [...passwords.entries()].sort(([a], [b]) => Number(b === env.vaultId) - Number(a === env.vaultId));
  for (const [, password] of order) {
    const out = tryPassword(env, password);
    if (out) return out;
  }
  const where = loc ? ` for ${loc.line > 0 ? `${loc.file}:${loc.line}` : loc.file}` : '';
  throw new K3playError({
    ...(loc ? { loc } : {}),
    message: `vault: decryption failed (wrong password?)${where}`,
    hint: `tried vault id${passwords.size === 1 ? '' : 's'} ${[...passwords.keys()].join(', ')}${env.vaultId ? `; the data names vault id "${env.vaultId}"` : ''}`,
  });
}

export function noPasswordProblem(loc?: SourceLocation): Problem {
  return {
    ...(loc ? { loc } : {}),
    message: 'vault-encrypted value but no vault password was given',
    hint: '--vault-password-file FILE or K3PLAY_VAULT_PASSWORD_FILE',
  };
}
