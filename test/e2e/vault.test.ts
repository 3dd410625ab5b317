/**
 * `k3play vault ...` and vault-encrypted data in runs, through the built CLI: inline `!vault`
 * values and whole encrypted vars files decrypt to Secrets (JSON events never hold the
 * plaintext), missing/wrong passwords are located input errors (exit 4), `vault edit` works on
 * a private temp file it always removes, and files interoperate with ansible-vault both ways
 * (when ansible-vault is installed).
 */
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { k3play } from './cli.js';

const SECRET = 'e2e-plaintext-s3cret-value';
const PASSWORD = 'e2e vault password';
let dir: string;
let pass: string;
const env = () => ({ K3PLAY_NO_JOURNAL: '1' });
const hasAnsible = spawnSync('ansible-vault', ['--version'], { stdio: 'ignore' }).status === 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'k3play-e2e-vault-'));
  pass = path.join(dir, 'vault.pass');
  await writeFile(pass, `${PASSWORD}\n`, { mode: 0o600 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function snippet(name: string, value: string): Promise<string> {
  const r = await k3play(['vault', 'encrypt_string', '--name', name, '--vault-password-file', pass], { input: value, env: env() });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

function playbook(varsBlock: string, extra = ''): string {
  return [
    '- hosts: localhost',
    '  gather_facts: false',
    ...(varsBlock ? ['  vars:', ...varsBlock.trimEnd().split('\n').map((l) => `    ${l}`)] : []),
    ...(extra ? [extra] : []),
    '  tasks:',
    '    - name: use the secret',
    '      debug:',
    '        msg: "db password is {{ db_password }}"',
    '',
  ].join('\n');
}

describe('inline !vault values in a playbook', () => {
  let pb: string;
  beforeAll(async () => {
    pb = path.join(dir, 'inline.yml');
    await writeFile(pb, playbook(await snippet('db_password', `${SECRET}\n`)));
  });

  it.each([
    { name: '--vault-password-file', args: ['--vault-password-file', 'PASS'], envVar: false },
    { name: 'K3PLAY_VAULT_PASSWORD_FILE', args: [], envVar: true },
    { name: '--vault-id label@file', args: ['--vault-id', 'prod@PASS'], envVar: false },
  ])('runs with the password from $name, JSON events never contain the plaintext', async ({ args, envVar }) => {
    const r = await k3play(['run', pb, '-i', 'inventories/local.ini', '--json', ...args.map((a) => a.replace('PASS', pass))], {
      env: { ...env(), ...(envVar ? { K3PLAY_VAULT_PASSWORD_FILE: pass } : {}) },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('db password is ********');
    expect(r.stdout).not.toContain(SECRET);
  });

  it('without a password: exit 4 and a located problem', async () => {
    const r = await k3play(['run', pb, '-i', 'inventories/local.ini'], { env: env() });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/inline\.yml:4:\d+\n {2}vault-encrypted value but no vault password was given\n {2}hint: --vault-password-file FILE or K3PLAY_VAULT_PASSWORD_FILE/);
  });

  it('with a wrong password: exit 4, "decryption failed", nothing leaked', async () => {
    const wrong = path.join(dir, 'wrong.pass');
    await writeFile(wrong, 'not it\n');
    const r = await k3play(['validate', pb, '--vault-password-file', wrong], { env: env() });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('vault: decryption failed (wrong password?) for ');
    expect(r.stderr).not.toContain(SECRET);
    expect(r.stderr).not.toContain('not it');
  });

  it('an executable password file is run and its stdout used', async () => {
    const script = path.join(dir, 'pass-script.sh');
    await writeFile(script, `#!/bin/sh\nprintf '%s\\n' '${PASSWORD}'\n`, { mode: 0o700 });
    const r = await k3play(['validate', pb, '--vault-password-file', script], { env: env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('whole vault-encrypted vars files', () => {
  it('vars_files, -e @file and group_vars/ decrypt to masked values', async () => {
    const secrets = path.join(dir, 'secrets.yml');
    await writeFile(secrets, `db_password: ${SECRET}\nreplicas: 3\n`);
    expect((await k3play(['vault', 'encrypt', secrets, '--vault-password-file', pass], { env: env() })).code).toBe(0);
    expect(await readFile(secrets, 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/);

    const pb = path.join(dir, 'vars-files.yml');
    await writeFile(pb, playbook('', '  vars_files:\n    - secrets.yml'));
    const r1 = await k3play(['run', pb, '-i', 'inventories/local.ini', '--json', '--vault-password-file', pass], { env: env() });
    expect(r1.stderr).toBe('');
    expect(r1.code).toBe(0);
    expect(r1.stdout).toContain('db password is ********');
    expect(r1.stdout).not.toContain(SECRET);

    const pb2 = path.join(dir, 'extra-vars.yml');
    await writeFile(pb2, playbook(''));
    const r2 = await k3play(['run', pb2, '-i', 'inventories/local.ini', '--json', '-e', `@${secrets}`, '--vault-password-file', pass], { env: env() });
    expect(r2.stderr).toBe('');
    expect(r2.code).toBe(0);
    expect(r2.stdout).toContain('db password is ********');
    expect(r2.stdout).not.toContain(SECRET);

    const inv = path.join(dir, 'inv');
    await mkdir(path.join(inv, 'group_vars', 'all'), { recursive: true });
    await writeFile(path.join(inv, 'hosts.ini'), 'localhost ansible_connection=local\n');
    await writeFile(path.join(inv, 'group_vars', 'all', 'vault.yml'), await readFile(secrets));
    const r3 = await k3play(['inventory', '-i', path.join(inv, 'hosts.ini'), '--host', 'localhost', '--vault-password-file', pass], { env: env() });
    expect(r3.stderr).toBe('');
    expect(r3.code).toBe(0);
    expect(JSON.parse(r3.stdout)).toMatchObject({ db_password: '********', replicas: 3 });
  });
});

describe('k3play vault', () => {
  it('encrypt keeps the mode, view shows, decrypt restores; refuses double encryption', async () => {
    const f = path.join(dir, 'plain.yml');
    const content = `token: ${SECRET}\n`;
    await writeFile(f, content);
    await chmod(f, 0o640);
    const enc = await k3play(['vault', 'encrypt', f, '--vault-id', `prod@${pass}`], { env: env() });
    expect(enc.code).toBe(0);
    expect(await readFile(f, 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;prod\n/);
    expect((await stat(f)).mode & 0o777).toBe(0o640);
    expect((await k3play(['vault', 'encrypt', f, '--vault-password-file', pass], { env: env() })).code).toBe(4);
    const view = await k3play(['vault', 'view', f, '--vault-password-file', pass], { env: env() });
    expect(view).toMatchObject({ code: 0, stdout: content });
    expect((await k3play(['vault', 'decrypt', f, '--vault-password-file', pass], { env: env() })).code).toBe(0);
    expect(await readFile(f, 'utf8')).toBe(content);
    expect((await stat(f)).mode & 0o777).toBe(0o640);
    expect(await readdir(dir)).not.toContainEqual(expect.stringMatching(/\.tmp$/));
  });

  it('edit runs $EDITOR on a 0600 file in a 0700 dir, re-encrypts, removes the temp dir', async () => {
    const f = path.join(dir, 'edit.yml');
    await writeFile(f, 'a: 1\n');
    expect((await k3play(['vault', 'encrypt', f, '--vault-password-file', pass], { env: env() })).code).toBe(0);
    const editor = path.join(dir, 'editor.sh');
    const probe = path.join(dir, 'editor-saw');
    await writeFile(editor, `#!/bin/sh\nstat -c '%a %n' "$1" "$(dirname "$1")" > '${probe}'\necho 'b: 2' >> "$1"\n`, { mode: 0o700 });
    const tmp = path.join(dir, 'tmp');
    await mkdir(tmp);
    const r = await k3play(['vault', 'edit', f, '--vault-password-file', pass], { env: { ...env(), EDITOR: editor, TMPDIR: tmp } });
    expect(r.code).toBe(0);
    const [fileLine, dirLine] = (await readFile(probe, 'utf8')).trim().split('\n');
    expect(fileLine).toMatch(/^600 /);
    expect(dirLine).toMatch(/^700 /);
    expect(await readdir(tmp)).toEqual([]);
    expect(await readFile(f, 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/);
    expect((await k3play(['vault', 'view', f, '--vault-password-file', pass], { env: env() })).stdout).toBe('a: 1\nb: 2\n');
  });

  it('bad input: a missing file or no password is exit 4', async () => {
    expect((await k3play(['vault', 'view', path.join(dir, 'nope.yml'), '--vault-password-file', pass], { env: env() })).code).toBe(4);
    const r = await k3play(['vault', 'view', path.join(dir, 'edit.yml')], { env: env() });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('no vault password was given');
  });

  it.skipIf(!hasAnsible)('interoperates with ansible-vault both ways', async () => {
    const ours = path.join(dir, 'ours.yml');
    await writeFile(ours, `k: ${SECRET}\n`);
    expect((await k3play(['vault', 'encrypt', ours, '--vault-password-file', pass], { env: env() })).code).toBe(0);
    const a = spawnSync('ansible-vault', ['decrypt', '--vault-password-file', pass, '--output', '-', ours], { encoding: 'utf8' });
    expect(a.stdout).toBe(`k: ${SECRET}\n`);

    const theirs = path.join(dir, 'theirs.yml');
    await writeFile(theirs, `k: ${SECRET}\n`);
    expect(spawnSync('ansible-vault', ['encrypt', '--vault-id', `prod@${pass}`, theirs]).status).toBe(0);
    const v = await k3play(['vault', 'view', theirs, '--vault-id', `prod@${pass}`], { env: env() });
    expect(v).toMatchObject({ code: 0, stdout: `k: ${SECRET}\n` });

    const s = spawnSync('ansible-vault', ['encrypt_string', '--vault-password-file', pass, '--name', 'db_password', SECRET], { encoding: 'utf8' });
    const pb = path.join(dir, 'ansible-inline.yml');
    await writeFile(pb, playbook(s.stdout));
    const r = await k3play(['run', pb, '-i', 'inventories/local.ini', '--json', '--vault-password-file', pass], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('db password is ********');
    expect(r.stdout).not.toContain(SECRET);
  });
});
