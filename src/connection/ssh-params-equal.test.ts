import { describe, expect, it } from 'vitest';
import { Secret } from '../module-api/secret.js';
import type { SshParams } from './ssh-connection.js';
import { sameSshParams } from './ssh-params-equal.js';

const base: SshParams = { host: 'h1', address: '10.0.0.1', port: 22, user: 'root', knownHostsFiles: ['/k'], privateKeyFile: '/id' };

describe('sameSshParams', () => {
  it('equal params, nested jump hosts and Secrets by value', () => {
    const jump = { ...base, host: 'bastion' };
    expect(sameSshParams({ ...base, jump, password: new Secret('pw-1') }, { ...base, jump: { ...jump }, password: new Secret('pw-1') })).toBe(true);
    expect(sameSshParams({ ...base, connectTimeoutMs: undefined }, base)).toBe(true);
  });

  it('any difference is a different connection', () => {
    expect(sameSshParams(base, { ...base, user: 'admin' })).toBe(false);
    expect(sameSshParams(base, { ...base, knownHostsFiles: ['/k', '/other'] })).toBe(false);
    expect(sameSshParams({ ...base, password: new Secret('pw-1') }, { ...base, password: new Secret('pw-2') })).toBe(false);
    expect(sameSshParams(base, { ...base, jump: { ...base, host: 'bastion' } })).toBe(false);
  });
});
