import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintSha256, KnownHosts, knownHostName, parseKnownHosts } from './known-hosts.js';

function blob(type: string, body = randomBytes(32)): Buffer {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, body]);
}
function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

const k1 = blob('ssh-ed25519');
const k2 = blob('ssh-ed25519');
const krsa = blob('ssh-rsa');
const line = (hosts: string, k: Buffer, marker = ''): string => `${marker}${hosts} ${k.subarray(4, 4 + k.readUInt32BE(0)).toString()} ${k.toString('base64')}`;

describe('known_hosts', () => {
  it.each([
    { name: 'plain host', text: line('h1,10.0.0.5', k1), host: '10.0.0.5', port: 22, key: k1, status: 'known' },
    { name: '[host]:port', text: line('[10.0.0.5]:2222', k1), host: '10.0.0.5', port: 2222, key: k1, status: 'known' },
    { name: 'port 22 entry does not cover 2222', text: line('10.0.0.5', k1), host: '10.0.0.5', port: 2222, key: k1, status: 'unknown' },
    { name: 'hashed', text: line(hashed('10.0.0.5'), k1), host: '10.0.0.5', port: 22, key: k1, status: 'known' },
    { name: 'hashed with port', text: line(hashed('[10.0.0.5]:2222'), k1), host: '10.0.0.5', port: 2222, key: k1, status: 'known' },
    { name: 'wildcard', text: line('10.0.0.*', k1), host: '10.0.0.9', port: 22, key: k1, status: 'known' },
    { name: 'negated wildcard', text: line('10.0.0.*,!10.0.0.9', k1), host: '10.0.0.9', port: 22, key: k1, status: 'unknown' },
    { name: 'changed key', text: line('h1', k1), host: 'h1', port: 22, key: k2, status: 'changed' },
    { name: 'other key type known → changed', text: line('h1', krsa), host: 'h1', port: 22, key: k1, status: 'changed' },
    { name: 'revoked', text: `${line('h1', k1)}\n${line('*', k1, '@revoked ')}`, host: 'h1', port: 22, key: k1, status: 'revoked' },
    { name: 'cert-authority ignored', text: line('*', k1, '@cert-authority '), host: 'h1', port: 22, key: k1, status: 'unknown' },
    { name: 'comments and blanks', text: `# c\n\n${line('h1', k1)} comment here`, host: 'h1', port: 22, key: k1, status: 'known' },
  ])('$name → $status', ({ text, host, port, key, status }) => {
    const kh = new KnownHosts(parseKnownHosts(text, 'kh'), ['kh']);
    expect(kh.verify(host, port, key).status).toBe(status);
  });

  it('changed verdict points at file:line', () => {
    const kh = new KnownHosts(parseKnownHosts(`# x\n${line('h1', k1)}`, '/k/known_hosts'), []);
    const v = kh.verify('h1', 22, k2);
    expect(v.status === 'changed' && `${v.expected.file}:${v.expected.line}`).toBe('/k/known_hosts:2');
  });

  it('fingerprint matches ssh-keygen format', () => {
    expect(fingerprintSha256(k1)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(knownHostName('h', 22)).toBe('h');
    expect(knownHostName('h', 2)).toBe('[h]:2');
  });

  it('append writes one line (adding a missing newline) and is seen at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k3play-kh-'));
    try {
      const f = join(dir, 'sub', 'known_hosts');
      const kh = await KnownHosts.load([f]);
      await Promise.all([kh.append('10.0.0.5', 2222, k1), kh.append('10.0.0.6', 22, k2)]);
      expect(kh.verify('10.0.0.5', 2222, k1).status).toBe('known');
      const again = await KnownHosts.load([f]);
      expect(again.verify('10.0.0.6', 22, k2).status).toBe('known');
      writeFileSync(f, readFileSync(f, 'utf8').trimEnd());
      await (await KnownHosts.load([f])).append('h3', 22, krsa);
      expect(readFileSync(f, 'utf8').split('\n')).toHaveLength(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
