import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isK3playError } from '../errors/k3play-error.js';
import { formatError } from '../errors/print-error.js';
import { decryptVault, encryptVault, isVaultText, parseVaultEnvelope } from './vault-format.js';

const pw = (entries: Record<string, string>) => new Map(Object.entries(entries));

// Produced by ansible-vault 2.14 (`ansible-vault encrypt_string --vault-password-file pw`, pw = "pw1").
const ANSIBLE_11 = `$ANSIBLE_VAULT;1.1;AES256
          66626163626131646636633530333931383239643730343163323964393661393262383966313035
          6363613936396633393162363735636365346232376237380a653634616364643565386434316132
          37383365303838633536663938616639666566333862363035363965393661323334396334366661
          3562653336373065310a396233666131656639363365353038356561623030363536363363656231
          6632`;
const ANSIBLE_12 = `$ANSIBLE_VAULT;1.2;AES256;prod
38323830373830643631643534643933633739643533303738373730323132383865623465653864
6565313835636335633766646163633139373938636534630a323263303933333766666564366431
33363935373964323563643033326266323130383438396634623063663632383165616265313262
3737376132636438630a633835393831326233643837626265663262666630303138326665393664
3731
`;

describe('encryptVault / decryptVault', () => {
  const cases: { name: string; plaintext: string; vaultId?: string; header: string }[] = [
    { name: 'empty', plaintext: '', header: '$ANSIBLE_VAULT;1.1;AES256' },
    { name: 'one block exactly', plaintext: '0123456789abcdef', header: '$ANSIBLE_VAULT;1.1;AES256' },
    { name: 'yaml file', plaintext: 'db_password: hunter2\napi_token: abc\n', header: '$ANSIBLE_VAULT;1.1;AES256' },
    { name: 'utf-8', plaintext: 'grüße ✓ 密码', header: '$ANSIBLE_VAULT;1.1;AES256' },
    { name: 'vault id -> 1.2', plaintext: 'x', vaultId: 'prod', header: '$ANSIBLE_VAULT;1.2;AES256;prod' },
    { name: 'default id stays 1.1', plaintext: 'x', vaultId: 'default', header: '$ANSIBLE_VAULT;1.1;AES256' },
    { name: 'long text wraps at 80', plaintext: 'a'.repeat(500), header: '$ANSIBLE_VAULT;1.1;AES256' },
  ];
  it.each(cases)('round trip: $name', ({ plaintext, vaultId, header }) => {
    const text = encryptVault(Buffer.from(plaintext), 's3cret', vaultId);
    const lines = text.split('\n');
    expect(lines[0]).toBe(header);
    expect(text.endsWith('\n')).toBe(true);
    expect(lines.slice(1, -2).every((l) => l.length === 80)).toBe(true);
    expect(isVaultText(text)).toBe(true);
    expect(text).not.toContain(plaintext.length >= 3 ? plaintext : '\u0000');
    expect(decryptVault(text, pw({ default: 's3cret' })).toString()).toBe(plaintext);
  });

  it('a fixed salt gives a deterministic envelope (format is stable)', () => {
    const salt = Buffer.alloc(32, 7);
    expect(encryptVault(Buffer.from('x'), 'p', undefined, salt)).toBe(encryptVault(Buffer.from('x'), 'p', undefined, salt));
  });

  const ansibleCases = [
    { name: 'ansible 1.1 inline (indented)', text: ANSIBLE_11, passwords: { default: 'pw1' }, want: 'tok123' },
    { name: 'ansible 1.2 vault id matches', text: ANSIBLE_12, passwords: { other: 'nope', prod: 'pw1' }, want: 'x' },
    { name: 'ansible 1.2 label mismatch still tries all', text: ANSIBLE_12, passwords: { default: 'pw1' }, want: 'x' },
  ];
  it.each(ansibleCases)('decrypts data written by ansible-vault: $name', ({ text, passwords, want }) => {
    expect(decryptVault(text, pw(passwords)).toString()).toBe(want);
  });

  const failures = [
    { name: 'wrong password', text: ANSIBLE_11, passwords: { default: 'wrong' }, msg: 'vault: decryption failed (wrong password?) for group_vars/all/vault.yml:3' },
    { name: 'no password', text: ANSIBLE_11, passwords: {}, msg: 'vault-encrypted value but no vault password was given' },
    { name: 'bad version', text: '$ANSIBLE_VAULT;2.0;AES256\n00', passwords: { default: 'x' }, msg: 'unsupported format version' },
    { name: 'bad cipher', text: '$ANSIBLE_VAULT;1.1;DES\n00', passwords: { default: 'x' }, msg: 'unsupported cipher' },
    { name: 'not hex', text: '$ANSIBLE_VAULT;1.1;AES256\nzz', passwords: { default: 'x' }, msg: 'not hexadecimal' },
    { name: 'truncated', text: ANSIBLE_12.split('\n').slice(0, 3).join('\n'), passwords: { default: 'x' }, msg: 'malformed vault data' },
  ];
  it.each(failures)('fails clearly: $name', ({ text, passwords, msg }) => {
    let err: unknown;
    try {
      decryptVault(text, pw(passwords), { file: 'group_vars/all/vault.yml', line: 3, col: 7 });
    } catch (e) {
      err = e;
    }
    expect(isK3playError(err)).toBe(true);
    const out = formatError(err);
    expect(out).toContain(msg);
    expect(out).toContain('group_vars/all/vault.yml:3:7');
    expect(out).not.toContain('tok123');
    expect(out).not.toContain('pw1');
  });

  it('parses the 1.2 vault id', () => {
    expect(parseVaultEnvelope(ANSIBLE_12).vaultId).toBe('prod');
  });
});

const hasAnsible = spawnSync('ansible-vault', ['--version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasAnsible)('interop with ansible-vault', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'k3play-vault-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const passFile = path.join(dir, 'pass');
  writeFileSync(passFile, 'correct horse battery\n', { mode: 0o600 });

  it.each([
    { name: '1.1', vaultId: undefined },
    { name: '1.2 with a vault id', vaultId: 'prod' },
  ])('ansible-vault encrypt -> decryptVault ($name)', ({ vaultId }) => {
    const f = path.join(dir, `a-${vaultId ?? 'default'}.yml`);
    const plain = 'db_password: hunter2\nlist: [1, 2]\n';
    writeFileSync(f, plain);
    const idArgs = vaultId ? ['--vault-id', `${vaultId}@${passFile}`] : ['--vault-password-file', passFile];
    execFileSync('ansible-vault', ['encrypt', ...idArgs, f], { stdio: 'pipe' });
    const text = readFileSync(f, 'utf8');
    expect(text.startsWith(vaultId ? `$ANSIBLE_VAULT;1.2;AES256;${vaultId}` : '$ANSIBLE_VAULT;1.1;AES256')).toBe(true);
    expect(decryptVault(text, pw({ [vaultId ?? 'default']: 'correct horse battery' })).toString()).toBe(plain);
  });

  it.each([
    { name: '1.1', vaultId: undefined },
    { name: '1.2 with a vault id', vaultId: 'prod' },
    { name: 'binary-ish content', vaultId: undefined, plain: 'x'.repeat(16) },
  ])('encryptVault -> ansible-vault decrypt ($name)', ({ vaultId, plain = 'k3s_token: K10abc::server:xyz\n' }) => {
    const f = path.join(dir, `b-${vaultId ?? 'default'}-${plain.length}.yml`);
    writeFileSync(f, encryptVault(Buffer.from(plain), 'correct horse battery', vaultId));
    const idArgs = vaultId ? ['--vault-id', `${vaultId}@${passFile}`] : ['--vault-password-file', passFile];
    const out = execFileSync('ansible-vault', ['decrypt', ...idArgs, '--output', '-', f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe(plain);
  });
});
