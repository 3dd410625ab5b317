import { afterEach, describe, expect, it } from 'vitest';
import { parseYamlSource } from '../errors/yaml-source.js';
import { isSecret, type Secret } from '../module-api/secret.js';
import { parseVarsFile } from '../inventory/vars-files.js';
import { encryptVault } from './vault-format.js';
import { setVaultPasswords } from './vault-password.js';
import { encryptStringSnippet } from './vault-string.js';

const PW = 'yaml-test-pw';
afterEach(() => setVaultPasswords(new Map()));
const withPassword = () => setVaultPasswords(new Map([['default', PW]]));

describe('parseYamlSource with vault', () => {
  it('decrypts an inline !vault value into a Secret (and keeps the other values plain)', () => {
    withPassword();
    const text = `plain: hello\n${encryptStringSnippet('db_password', 'inline-s3cret', PW)}\nport: 5432\n`;
    const src = parseYamlSource(text, 'vars.yml');
    expect(src.problems).toEqual([]);
    const v = src.value as Record<string, unknown>;
    expect(v['plain']).toBe('hello');
    expect(v['port']).toBe(5432);
    expect(isSecret(v['db_password'])).toBe(true);
    expect((v['db_password'] as Secret).reveal()).toBe('inline-s3cret');
    expect(JSON.stringify(v)).not.toContain('inline-s3cret');
  });

  it('node-level readers (group_vars) get the Secret too', () => {
    withPassword();
    const r = parseVarsFile(encryptStringSnippet('tok', 'node-level-s3cret', PW), 'group_vars/all.yml');
    expect(r.problems).toEqual([]);
    const e = r.entries[0]!;
    expect(e.key).toBe('tok');
    expect(isSecret(e.value) && e.value.reveal()).toBe('node-level-s3cret');
    expect(e.loc).toEqual({ file: 'group_vars/all.yml', line: 1, col: 13 });
  });

  it('decrypts a whole vault file: string leaves become Secrets, numbers and booleans stay plain', () => {
    withPassword();
    const plain = 'api_token: whole-file-s3cret\nnested:\n  list: [abc-item, 3]\nreplicas: 3\nenabled: true\n';
    const src = parseYamlSource(encryptVault(Buffer.from(plain), PW), 'group_vars/all/vault.yml');
    expect(src.problems).toEqual([]);
    expect(src.vaulted).toBe(true);
    const v = src.value as { api_token: Secret; nested: { list: [Secret, number] }; replicas: number; enabled: boolean };
    expect(v.api_token.reveal()).toBe('whole-file-s3cret');
    expect(isSecret(v.nested.list[0])).toBe(true);
    expect(v.nested.list[1]).toBe(3);
    expect(v.replicas).toBe(3);
    expect(v.enabled).toBe(true);
    expect(Object.keys(v)).toEqual(['api_token', 'nested', 'replicas', 'enabled']);
  });

  const problemCases = [
    {
      name: 'inline value, no password',
      password: undefined,
      text: () => `a: 1\n${encryptStringSnippet('tok', 'x-s3cret', PW)}\n`,
      want: { loc: { file: 'f.yml', line: 2, col: 13 }, message: 'vault-encrypted value but no vault password was given', hint: '--vault-password-file FILE or K3PLAY_VAULT_PASSWORD_FILE' },
    },
    {
      name: 'whole file, no password',
      password: undefined,
      text: () => encryptVault(Buffer.from('a: b\n'), PW),
      want: { loc: { file: 'f.yml', line: 1, col: 1 }, message: 'vault-encrypted value but no vault password was given' },
    },
    {
      name: 'inline value, wrong password',
      password: 'wrong',
      text: () => `${encryptStringSnippet('tok', 'x-s3cret', PW)}\n`,
      want: { loc: { file: 'f.yml', line: 1, col: 13 }, message: 'vault: decryption failed (wrong password?) for f.yml:1' },
    },
    {
      name: '!vault on plain text',
      password: PW,
      text: () => 'tok: !vault not-encrypted\n',
      want: { loc: { file: 'f.yml', line: 1, col: 13 }, message: 'a !vault value must hold vault-encrypted text ($ANSIBLE_VAULT;...)' },
    },
  ];
  it.each(problemCases)('reports a located problem: $name', ({ password, text, want }) => {
    if (password) setVaultPasswords(new Map([['default', password]]));
    const src = parseYamlSource(text(), 'f.yml');
    expect(src.problems).toHaveLength(1);
    expect(src.problems[0]).toMatchObject(want);
  });

  it('collects every problem of a file', () => {
    const text = `${encryptStringSnippet('a', 'x-s3cret', PW)}\n${encryptStringSnippet('b', 'y-s3cret', PW)}\n`;
    expect(parseYamlSource(text, 'f.yml').problems.map((p) => p.loc?.line)).toEqual([1, 8]);
  });
});
