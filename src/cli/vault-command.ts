/**
 * `k3play vault encrypt|decrypt|view|edit|encrypt_string`: the ansible-vault subcommands k3play
 * users need, writing the same format (src/vault/vault-format.ts). Every file write is atomic
 * (temp file in the same directory, then rename) and keeps the file's mode. `edit` decrypts
 * into a 0600 file in a 0700 temp directory, runs $EDITOR, re-encrypts if the text changed,
 * and always removes the temp directory. Plaintext goes to stdout only for `view` and
 * `decrypt --output -`; it never appears in an error message.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExitCode, K3playError } from '../errors/k3play-error.js';
import { splitShellWords } from '../inventory/shell-words.js';
import { DEFAULT_VAULT_ID, decryptVault, encryptVault, isVaultText, noPasswordProblem, parseVaultEnvelope } from '../vault/vault-format.js';
import { loadVaultPasswords, type VaultPasswordOptions } from '../vault/vault-password.js';
import { encryptStringSnippet } from '../vault/vault-string.js';

export interface VaultCliOptions extends VaultPasswordOptions {
  /** Which vault id encrypts when several passwords are given. */
  encryptVaultId?: string;
  /** decrypt: write the plaintext here (`-` = stdout) instead of in place. */
  output?: string;
  /** encrypt_string: the variable name of the snippet. */
  name?: string;
}

type Keyring = Map<string, string>;

async function keyring(o: VaultCliOptions): Promise<Keyring> {
  const k = await loadVaultPasswords(o);
  if (k.size === 0) throw new K3playError(noPasswordProblem());
  return k;
}

/** The (id, password) that encrypts: the only one given, or the one named by --encrypt-vault-id. */
function encryptKey(k: Keyring, o: VaultCliOptions, preferId?: string): { id: string; password: string } {
  const want = o.encryptVaultId ?? (preferId !== undefined && k.has(preferId) ? preferId : undefined);
  if (want !== undefined) {
    const password = k.get(want);
    if (password === undefined) throw new K3playError({ message: `--encrypt-vault-id ${want}: no password was given for that vault id`, hint: `add --vault-id ${want}@FILE` });
    return { id: want, password };
  }
  if (k.size > 1) throw new K3playError({ message: 'several vault passwords were given; which one encrypts?', hint: `add --encrypt-vault-id ${[...k.keys()].join(' or ')}` });
  const [id, password] = [...k.entries()][0]!;
  return { id, password };
}

async function readInput(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new K3playError({ message: `${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : 'cannot read'}`, hint: 'give the path of an existing file' });
  }
}

/** Replaces `file` atomically, keeping its mode (0600 for a new file). */
export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  const mode = await stat(file).then((s) => s.mode & 0o7777, () => 0o600);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
    await fh.close();
    await chmod(tmp, mode);
    await rename(tmp, file);
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
}

function fileLoc(file: string) {
  return { file, line: 1, col: 1 };
}

export async function vaultEncryptCommand(files: readonly string[], o: VaultCliOptions): Promise<number> {
  const k = await keyring(o);
  const { id, password } = encryptKey(k, o);
  const inputs = await Promise.all(files.map(async (f) => ({ f, data: await readInput(f) })));
  const already = inputs.filter(({ data }) => isVaultText(data.toString('utf8')));
  if (already.length > 0) {
    throw new K3playError(already.map(({ f }) => ({ loc: fileLoc(f), message: 'input is already vault-encrypted', hint: `k3play vault edit ${f} changes it; k3play vault decrypt ${f} undoes it` })));
  }
  for (const { f, data } of inputs) {
    await writeFileAtomic(f, encryptVault(data, password, id === DEFAULT_VAULT_ID ? undefined : id));
    process.stderr.write(`encrypted ${f}\n`);
  }
  return ExitCode.ok;
}

async function decryptFile(file: string, k: Keyring): Promise<Buffer> {
  const text = (await readInput(file)).toString('utf8');
  if (!isVaultText(text)) throw new K3playError({ loc: fileLoc(file), message: 'input is not vault-encrypted', hint: 'nothing to decrypt: the file is plain text' });
  return decryptVault(text, k, fileLoc(file));
}

export async function vaultDecryptCommand(files: readonly string[], o: VaultCliOptions): Promise<number> {
  const k = await keyring(o);
  if (o.output !== undefined && files.length !== 1) throw new K3playError({ message: '--output takes exactly one input file', hint: 'decrypt files one at a time with --output' });
  const plain = await Promise.all(files.map(async (f) => ({ f, data: await decryptFile(f, k) })));
  for (const { f, data } of plain) {
    if (o.output === '-') process.stdout.write(data);
    else if (o.output !== undefined) await writeFileAtomic(o.output, data);
    else {
      await writeFileAtomic(f, data);
      process.stderr.write(`decrypted ${f}\n`);
    }
  }
  return ExitCode.ok;
}

export async function vaultViewCommand(files: readonly string[], o: VaultCliOptions): Promise<number> {
  const k = await keyring(o);
  for (const f of files) process.stdout.write(await decryptFile(f, k));
  return ExitCode.ok;
}

export async function vaultEditCommand(file: string, o: VaultCliOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const k = await keyring(o);
  const text = (await readInput(file)).toString('utf8');
  if (!isVaultText(text)) throw new K3playError({ loc: fileLoc(file), message: 'input is not vault-encrypted', hint: `encrypt it first: k3play vault encrypt ${file}` });
  const fileId = parseVaultEnvelope(text, fileLoc(file)).vaultId;
  const before = decryptVault(text, k, fileLoc(file));
  const { id, password } = encryptKey(k, o, fileId ?? DEFAULT_VAULT_ID);
  const editor = splitShellWords(env['EDITOR'] || env['VISUAL'] || 'vi').words.map((w) => w.text);
  if (editor.length === 0) throw new K3playError({ message: 'EDITOR is empty', hint: 'set EDITOR, e.g. EDITOR=nano' });
  const dir = await mkdtemp(path.join(tmpdir(), 'k3play-vault-'));
  try {
    await chmod(dir, 0o700);
    const tmp = path.join(dir, path.basename(file));
    await writeFile(tmp, before, { mode: 0o600 });
    const code = await runEditor(editor[0]!, [...editor.slice(1), tmp]);
    if (code !== 0) throw new K3playError({ message: `the editor (${editor[0]}) exited with code ${code}; ${file} was not changed`, hint: 'save and quit the editor normally to keep your changes' });
    const after = await readFile(tmp);
    if (after.equals(before)) {
      process.stderr.write(`${file}: unchanged\n`);
      return ExitCode.ok;
    }
    await writeFileAtomic(file, encryptVault(after, password, id === DEFAULT_VAULT_ID ? undefined : id));
    process.stderr.write(`re-encrypted ${file}\n`);
    return ExitCode.ok;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runEditor(cmd: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit' });
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(new K3playError({ message: `cannot start the editor ${cmd}: ${e.code === 'ENOENT' ? 'not found' : e.message}`, hint: 'set EDITOR to an installed editor, e.g. EDITOR=nano' })),
    );
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/**
 * stdin -> `NAME: !vault |` snippet on stdout. One trailing newline of the input is dropped
 * (`echo secret | k3play vault encrypt_string --name x` means "secret"). Values are read from
 * stdin only: argv is visible to every user of the machine.
 */
export async function vaultEncryptStringCommand(o: VaultCliOptions, stdin: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const name = o.name ?? '';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new K3playError({ message: `--name ${JSON.stringify(name)}: not a valid variable name`, hint: 'example: k3play vault encrypt_string --name k3s_token < token.txt' });
  const k = await keyring(o);
  const { id, password } = encryptKey(k, o);
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  const value = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (value === '') throw new K3playError({ message: 'encrypt_string: nothing to encrypt on stdin', hint: 'pipe the value in: k3play vault encrypt_string --name VAR < file' });
  process.stdout.write(`${encryptStringSnippet(name, value, password, id === DEFAULT_VAULT_ID ? undefined : id)}\n`);
  return ExitCode.ok;
}
