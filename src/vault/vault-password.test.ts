import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isK3playError } from '../errors/k3play-error.js';
import { loadVaultPasswords, parseVaultIdSpec } from './vault-password.js';

const dir = mkdtempSync(path.join(tmpdir(), 'k3play-vault-pw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string, mode = 0o600) => {
  const p = path.join(dir, name);
  writeFileSync(p, content, { mode });
  return p;
};

describe('parseVaultIdSpec', () => {
  it.each([
    ['prod@a.pass', { label: 'prod', file: 'a.pass' }],
    ['@a.pass', { label: 'default', file: 'a.pass' }],
    ['a.pass', { label: 'default', file: 'a.pass' }],
  ])('%s', (spec, want) => expect(parseVaultIdSpec(spec)).toEqual(want));
  it.each(['prod@prompt', 'prod@', 'a b@x'])('refuses %s', (spec) => expect(() => parseVaultIdSpec(spec)).toThrow());
});

describe('loadVaultPasswords', () => {
  const plain = file('plain', 'pw one\r\n');
  const script = file('script.sh', "#!/bin/sh\necho 'from script'\n", 0o700);
  const client = file('keyring-client.sh', '#!/bin/sh\necho "client:$2"\n', 0o700);
  const failing = file('fail.sh', '#!/bin/sh\nexit 3\n', 0o700);
  const empty = file('empty', '\n');
  it.each([
    { name: 'file, CR/LF stripped', o: { vaultPasswordFile: [plain] }, env: {}, want: [['default', 'pw one']] },
    { name: 'executable: stdout', o: { vaultPasswordFile: [script] }, env: {}, want: [['default', 'from script']] },
    { name: 'client script gets --vault-id', o: { vaultId: [`prod@${client}`] }, env: {}, want: [['prod', 'client:prod']] },
    { name: 'env var when no option', o: {}, env: { K3PLAY_VAULT_PASSWORD_FILE: plain }, want: [['default', 'pw one']] },
    { name: 'options win over the env var', o: { vaultId: [`a@${script}`] }, env: { K3PLAY_VAULT_PASSWORD_FILE: plain }, want: [['a', 'from script']] },
    { name: 'several ids', o: { vaultPasswordFile: [plain], vaultId: [`b@${script}`] }, env: {}, want: [['default', 'pw one'], ['b', 'from script']] },
    { name: 'nothing', o: {}, env: {}, want: [] },
  ])('$name', async ({ o, env, want }) => {
    expect([...(await loadVaultPasswords(o, env)).entries()]).toEqual(want);
  });
  it.each([
    { name: 'missing file', o: { vaultPasswordFile: [path.join(dir, 'nope')] }, msg: 'no such file' },
    { name: 'failing script', o: { vaultPasswordFile: [failing] }, msg: 'the password script failed with exit code 3' },
    { name: 'empty password', o: { vaultPasswordFile: [empty] }, msg: 'the vault password is empty' },
  ])('fails clearly: $name', async ({ o, msg }) => {
    const err = await loadVaultPasswords(o, {}).catch((e: unknown) => e);
    expect(isK3playError(err)).toBe(true);
    expect((err as Error).message).toContain(msg);
  });
});
