import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import { isSecret, type Change } from '../../src/module-api/index.js';
import { reissueReason, sanDiff, caProblem, type WantedCert } from './cert-policy.js';
import etcdPki from './index.js';
import { memberFiles } from './pki-layout.js';
import { planPkiChanges, type PreparedPki } from './plan-pki.js';
import { forgetPkiSession, planPki, type PkiOptions } from './pki-store.js';
import { parsePkiHostRead, type PkiHostState } from './read-pki-files.js';
import { createCa, inspectCert, issueCert, keyMatchesCert, sanLabels, signedBy, type CertInfo } from './x509-certs.js';

const testdata = (name: string): string => readFileSync(new URL(`./testdata/${name}.txt`, import.meta.url), 'utf8');
const NOW = new Date('2030-01-01T00:00:00Z');
const DAY = 86_400_000;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'k3play-pki-'));
  dirs.push(d);
  return d;
}
const OPTS: PkiOptions = { caCn: 'test-ca', caValidDays: 7300, renewBeforeDays: 30, now: NOW };

describe('cert policy', () => {
  const info = (over: Partial<CertInfo> = {}): CertInfo => ({
    cn: 'h1', sans: ['DNS:h1', 'DNS:localhost', 'IP:10.0.0.1', 'IP:127.0.0.1'], usages: ['clientAuth', 'serverAuth'], isCa: false,
    notBefore: new Date(NOW.getTime() - DAY), notAfter: new Date(NOW.getTime() + 365 * DAY), ...over,
  });
  const want: WantedCert = { cn: 'h1', profile: 'server', sans: sanLabels(['h1', 'localhost', '127.0.0.1', '10.0.0.1']) };
  const ok = { signedByCa: true, keyMatches: true };
  it.each<[string, Parameters<typeof reissueReason>[0], WantedCert, string | null]>([
    ['reused: everything matches (converged)', { info: info(), ...ok }, want, null],
    ['missing', null, want, 'new'],
    ['other CA', { info: info(), signedByCa: false, keyMatches: true }, want, 'not signed by the current CA'],
    ['key mismatch', { info: info(), signedByCa: true, keyMatches: false }, want, 'its key does not match it'],
    ['other subject', { info: info({ cn: 'h2' }), ...ok }, want, 'subject CN=h2, wanted CN=h1'],
    ['client usage for a server', { info: info({ usages: ['clientAuth'] }), ...ok }, want, 'usages clientAuth, wanted clientAuth+serverAuth'],
    ['IP changed', { info: info(), ...ok }, { ...want, sans: sanLabels(['h1', 'localhost', '127.0.0.1', '10.0.0.9']) }, 'SANs changed: +IP:10.0.0.9 -IP:10.0.0.1'],
    ['expires within renew_before_days', { info: info({ notAfter: new Date(NOW.getTime() + 10 * DAY) }), ...ok }, want, 'expires 2030-01-11 (within renew_before_days=30)'],
    ['expires just after the window: kept', { info: info({ notAfter: new Date(NOW.getTime() + 31 * DAY) }), ...ok }, want, null],
  ])('%s', (_n, existing, w, expected) => expect(reissueReason(existing, w, NOW, 30)).toBe(expected));
  it('sanDiff lists added then removed', () => expect(sanDiff(['IP:1', 'DNS:a'], ['DNS:a', 'IP:2'])).toBe('+IP:2 -IP:1'));
  it('an expired CA cannot be used', () => expect(caProblem(info({ isCa: true, notAfter: new Date(NOW.getTime() - DAY) }), true, NOW)).toMatch(/expired on 2029-12-31/));
});

describe('x509', () => {
  it('issues certificates a CA signed, with the SANs and usages asked for', async () => {
    const ca = await createCa('test-ca', 10, NOW);
    const other = await createCa('other-ca', 10, NOW);
    const c = await issueCert(ca, { cn: 'h1', profile: 'peer', sans: ['h1', '10.0.0.1', '127.0.0.1', 'localhost'], validDays: 5 }, NOW);
    const info = await inspectCert(c.certPem);
    expect(info).toMatchObject({ cn: 'h1', sans: ['DNS:h1', 'DNS:localhost', 'IP:10.0.0.1', 'IP:127.0.0.1'], usages: ['clientAuth', 'serverAuth'], isCa: false });
    expect(info.notAfter.getTime() - NOW.getTime()).toBe(5 * DAY);
    expect((await inspectCert(ca.certPem)).isCa).toBe(true);
    expect([await signedBy(c.certPem, ca.certPem), await signedBy(c.certPem, other.certPem)]).toEqual([true, false]);
    expect([await keyMatchesCert(c.keyPem, c.certPem), await keyMatchesCert(ca.keyPem, c.certPem)]).toEqual([true, false]);
    expect(c.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const client = await inspectCert((await issueCert(ca, { cn: 'k3s', profile: 'client', sans: [], validDays: 5 }, NOW)).certPem);
    expect([client.usages, client.sans]).toEqual([['clientAuth'], []]);
  });
});

/** Simulates the engine applying the controller_put steps of `changes`. */
function applyController(changes: readonly Change[]): void {
  for (const c of changes) for (const s of c.steps) if (s.kind === 'controller_put') {
    mkdirSync(path.dirname(s.path), { recursive: true });
    writeFileSync(s.path, isSecret(s.content) ? s.content.reveal() : s.content);
  }
}

describe('pki store', () => {
  const req = (name: string, ip: string) => [
    { id: `members/${name}/server`, spec: { cn: name, profile: 'server' as const, sans: [name, 'localhost', '127.0.0.1', ip], validDays: 3650 } },
    { id: 'clients/etcdctl', spec: { cn: 'etcdctl', profile: 'client' as const, sans: [], validDays: 3650 } },
  ];

  it('hosts preparing at once share one new CA and one etcdctl certificate; nothing is written', async () => {
    const dir = tmp();
    const [a, b] = await Promise.all([planPki(dir, OPTS, req('h1', '10.0.0.1')), planPki(dir, OPTS, req('h2', '10.0.0.2'))]);
    expect(a.ca.certPem).toBe(b.ca.certPem);
    expect(a.ca.issued).toBe('new');
    expect(a.certs[1]!.certPem).toBe(b.certs[1]!.certPem);
    expect(a.certs[0]!.sans).toEqual(['DNS:h1', 'DNS:localhost', 'IP:10.0.0.1', 'IP:127.0.0.1']);
    expect(isSecret(a.ca.keyPem) && isSecret(a.certs[0]!.keyPem)).toBe(true);
    expect(() => readFileSync(path.join(dir, 'ca.crt'))).toThrow();
  });

  it('a new run reuses what was saved; a changed address reissues only that member', async () => {
    const dir = tmp();
    const first = await planPki(dir, OPTS, req('h1', '10.0.0.1'));
    for (const x of [first.ca, ...first.certs]) {
      mkdirSync(path.dirname(x.certFile), { recursive: true });
      writeFileSync(x.certFile, x.certPem);
      writeFileSync(x.keyFile, x.keyPem.reveal());
    }
    forgetPkiSession(dir);
    const again = await planPki(dir, OPTS, req('h1', '10.0.0.1'));
    expect([again.ca.issued, ...again.certs.map((c) => c.issued)]).toEqual([null, null, null]);
    expect(again.certs[0]!.certPem).toBe(first.certs[0]!.certPem);
    forgetPkiSession(dir);
    const moved = await planPki(dir, OPTS, req('h1', '10.0.0.60'));
    expect(moved.certs.map((c) => c.issued)).toEqual(['SANs changed: +IP:10.0.0.60 -IP:10.0.0.1', null]);
    expect(moved.ca.certPem).toBe(first.ca.certPem);
  });

  it('refuses half a CA (never replaces a CA key)', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'ca.crt'), 'x');
    await expect(planPki(dir, OPTS, [])).rejects.toThrow(/ca\.key is missing but .*ca\.crt exists/);
  });
});

describe('etcd_pki plan', () => {
  async function prepared(dir: string): Promise<PreparedPki> {
    const pki = await planPki(dir, OPTS, [
      { id: 'members/h1/server', spec: { cn: 'h1', profile: 'server', sans: ['h1', '10.0.0.1'], validDays: 3650 } },
      { id: 'members/h1/peer', spec: { cn: 'h1', profile: 'peer', sans: ['h1', '10.0.0.1'], validDays: 3650 } },
      { id: 'clients/etcdctl', spec: { cn: 'etcdctl', profile: 'client', sans: [], validDays: 3650 } },
    ]);
    return { dirLabel: 'pki', ca: pki.ca, certs: pki.certs.map((pem, i) => ({ pem, label: ['server certificate', 'peer certificate', 'client certificate'][i]! })), dest: '/etc/etcd/pki', files: memberFiles('/etc/etcd/pki', 'h1', 'etcd') };
  }
  const absentHost = (p: PreparedPki): PkiHostState => ({ destDir: false, files: new Map(p.files.map((f) => [f.path, { kind: 'absent' as const }])) });

  it('fresh site: create the CA, issue three certificates, create the directory, push seven files; no key text anywhere', async () => {
    const p = await prepared(tmp());
    const changes = planPkiChanges(p, { host: absentHost(p), controller: new Map() });
    const summaries = changes.map((c) => c.summary);
    expect(summaries.slice(0, 4).map((s) => s.replace(/\(until [\d-]+\)/, '(until D)'))).toEqual([
      'create the etcd CA CN=test-ca (until D) in pki',
      'issue server certificate CN=h1 [DNS:h1, IP:10.0.0.1] (until D) in pki',
      'issue peer certificate CN=h1 [DNS:h1, IP:10.0.0.1] (until D) in pki',
      'issue client certificate CN=etcdctl (until D) in pki',
    ]);
    expect(summaries.slice(4)).toEqual(['create /etc/etcd/pki', ...p.files.map((f) => `push ${f.path}`)]);
    const keyPut = changes.flatMap((c) => c.steps).find((s) => s.kind === 'put' && s.path === '/etc/etcd/pki/server.key');
    expect(keyPut).toMatchObject({ mode: '0600', owner: 'etcd', group: 'etcd' });
    expect(isSecret((keyPut as { content: unknown }).content)).toBe(true);
    expect(JSON.stringify(changes)).not.toContain('PRIVATE KEY');
    expect(changes.every((c) => c.diff === undefined)).toBe(true);
  });

  it('converged: everything saved and on the host as planned -> []', async () => {
    const p = await prepared(tmp());
    const fresh = planPkiChanges(p, { host: absentHost(p), controller: new Map() });
    applyController(fresh);
    const { createHash } = await import('node:crypto');
    const byId = new Map([p.ca, ...p.certs.map((c) => c.pem)].map((x) => [x.id, x]));
    const files = new Map(p.files.map((f) => {
      const x = byId.get(f.source.id)!;
      const text = f.source.part === 'cert' ? x.certPem : x.keyPem.reveal();
      return [f.path, { kind: 'file' as const, mode: f.mode, owner: f.owner, group: f.group, sha256: createHash('sha256').update(text).digest('hex') }];
    }));
    const controller = new Map([p.ca, ...p.certs.map((c) => c.pem)].flatMap((x) => [[x.certFile, readFileSync(x.certFile, 'utf8')], [x.keyFile, readFileSync(x.keyFile, 'utf8')]] as [string, string][]));
    expect(planPkiChanges(p, { host: { destDir: true, files }, controller })).toEqual([]);
    const wrongMode = new Map(files);
    wrongMode.set('/etc/etcd/pki/peer.key', { ...files.get('/etc/etcd/pki/peer.key')!, mode: '0644', owner: 'root', group: 'root' });
    expect(planPkiChanges(p, { host: { destDir: true, files: wrongMode }, controller }).map((c) => c.summary)).toEqual([
      'owner root:root -> etcd:etcd (/etc/etcd/pki/peer.key)',
      'mode 0644 -> 0600 (/etc/etcd/pki/peer.key)',
    ]);
  });
});

describe('etcd_pki read', () => {
  const paths = ['/etc/etcd/pki/ca.crt', '/etc/etcd/pki/server.key'];
  it('parses the captured host output', () => {
    const s = parsePkiHostRead(testdata('host-read'), paths);
    expect(s.destDir).toBe(true);
    expect(s.files.get('/etc/etcd/pki/ca.crt')).toMatchObject({ kind: 'file', mode: '0644', owner: 'root' });
    expect(s.files.get('/etc/etcd/pki/server.key')).toEqual({ kind: 'absent' });
  });
  it('garbage is an error', () => expect(() => parsePkiHostRead('oops\n', paths)).toThrow(/unexpected line/));
  it('is one round trip and never prints file contents', async () => {
    const dir = tmp();
    const fake = new FakeConnection('h1').on(/sha256sum/, { stdout: 'dir\tabsent\n' + memberFiles('/etc/etcd/pki', 'h1', 'etcd').map((f) => `absent\t${f.path}`).join('\n') });
    const args = await etcdPki.prepare!({ role: 'member', addresses: ['10.0.0.1'], pki_dir: dir }, { host: 'h1', resolvePath: (p) => p, readFile: async () => Buffer.from(''), renderTemplate: (t) => t });
    const cur = await etcdPki.read(fake, args);
    expect(fake.callsOf('exec')).toHaveLength(1);
    expect(fake.calls[0]!.cmd).not.toMatch(/\bcat\b|base64/);
    expect(etcdPki.plan(args, cur).length).toBe(4 + 1 + 7);
  });
});

describe('etcd_pki schema', () => {
  const validate = new Ajv({ allErrors: true, strict: true, useDefaults: true }).compile(etcdPki.args);
  it.each([
    [{}, true],
    [{ role: 'client', name: 'k3s' }, true],
    [{ addresses: ['10.0.0.1', 'etcd1.example'] }, true],
    [{ role: 'server' }, false],
    [{ name: 'a b' }, false],
    [{ prepared: {} }, false],
  ])('%j valid=%s', (args, ok) => expect(validate(structuredClone(args))).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(etcdPki.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});
