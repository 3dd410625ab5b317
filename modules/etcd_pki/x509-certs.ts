/**
 * X.509 for the etcd PKI: create a CA, issue leaf certificates (ECDSA P-256, SHA-256) and read
 * back what an existing certificate says (subject, SANs, usages, expiry, issuer, key match).
 * Built on Node's WebCrypto through @peculiar/x509, loaded lazily: the library costs ~130 ms to
 * import and only runs that touch the PKI should pay for it. Knows nothing about files, hosts
 * or when to reissue (see cert-policy.ts). Private keys leave this file only as PKCS#8 PEM text;
 * callers wrap them in Secret before anything else sees them.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import type * as X509 from '@peculiar/x509';

export type CertProfile = 'ca' | 'server' | 'peer' | 'client';

export interface CertSpec {
  /** Subject common name: the member name, or the client's name (etcdctl, k3s). */
  readonly cn: string;
  readonly profile: Exclude<CertProfile, 'ca'>;
  /** DNS names and IP addresses, in any order; each is classified by its syntax. */
  readonly sans: readonly string[];
  readonly validDays: number;
}

export interface PemPair {
  readonly certPem: string;
  /** PKCS#8 PEM. */
  readonly keyPem: string;
}

/** What an existing certificate says, as plain data (compared by cert-policy.ts). */
export interface CertInfo {
  readonly cn: string;
  /** "DNS:name" / "IP:addr", sorted. */
  readonly sans: readonly string[];
  /** Extended key usages by name: serverAuth, clientAuth. */
  readonly usages: readonly string[];
  readonly isCa: boolean;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
/** Backdated so a host whose clock is a little behind the controller's accepts a fresh certificate. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const DAY_MS = 86_400_000;
const EKU = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' } as const;

let lib: Promise<typeof X509> | undefined;

/** @peculiar/x509 with Node's WebCrypto as its provider (tsyringe inside needs a Reflect polyfill first). */
async function x509(): Promise<typeof X509> {
  lib ??= (async () => {
    await import('reflect-metadata');
    const m = await import('@peculiar/x509');
    m.cryptoProvider.set(webcrypto as unknown as Parameters<typeof m.cryptoProvider.set>[0]);
    return m;
  })();
  return lib;
}

/** A self-signed CA: basicConstraints CA:true (critical), keyCertSign + cRLSign. */
export async function createCa(cn: string, validDays: number, now: Date): Promise<PemPair> {
  const m = await x509();
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await m.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: [{ CN: [cn] }, { O: ['k3play'] }],
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(now.getTime() + validDays * DAY_MS),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new m.BasicConstraintsExtension(true, 0, true),
      new m.KeyUsagesExtension(m.KeyUsageFlags.keyCertSign | m.KeyUsageFlags.cRLSign | m.KeyUsageFlags.digitalSignature, true),
      await m.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await keyToPem(m, keys.privateKey) };
}

/**
 * A leaf certificate signed by `ca`. server and peer certificates carry both serverAuth and
 * clientAuth (etcd dials its own client port and its peers with them); client certificates
 * carry clientAuth only.
 */
export async function issueCert(ca: PemPair, spec: CertSpec, now: Date): Promise<PemPair> {
  const m = await x509();
  const caCert = new m.X509Certificate(ca.certPem);
  const caKey = await importKey(m, ca.keyPem);
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const usages = spec.profile === 'client' ? [EKU.clientAuth] : [EKU.serverAuth, EKU.clientAuth];
  const extensions: X509.Extension[] = [
    new m.BasicConstraintsExtension(false, undefined, true),
    new m.KeyUsagesExtension(m.KeyUsageFlags.digitalSignature | m.KeyUsageFlags.keyEncipherment, true),
    new m.ExtendedKeyUsageExtension(usages, false),
    await m.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await m.AuthorityKeyIdentifierExtension.create(caCert, false),
  ];
  if (spec.sans.length > 0) {
    extensions.push(new m.SubjectAlternativeNameExtension(spec.sans.map((s) => (isIP(s) ? { type: 'ip' as const, value: s } : { type: 'dns' as const, value: s }))));
  }
  const cert = await m.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: [{ CN: [spec.cn] }, { O: ['k3play'] }],
    issuer: caCert.subjectName,
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(now.getTime() + spec.validDays * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALG,
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await keyToPem(m, keys.privateKey) };
}

/** Subject, SANs, usages and validity of a PEM certificate; throws on anything unparsable. */
export async function inspectCert(certPem: string): Promise<CertInfo> {
  const m = await x509();
  const cert = new m.X509Certificate(certPem);
  const san = cert.getExtension(m.SubjectAlternativeNameExtension);
  const sans = (san?.names.items ?? [])
    .map((n) => (n.type === 'ip' ? `IP:${n.value}` : n.type === 'dns' ? `DNS:${n.value}` : `${n.type}:${n.value}`))
    .sort();
  const eku = cert.getExtension(m.ExtendedKeyUsageExtension);
  const names = Object.entries(EKU);
  const usages = [...(eku?.usages ?? [])].map((u) => names.find(([, oid]) => oid === String(u))?.[0] ?? String(u)).sort();
  const bc = cert.getExtension(m.BasicConstraintsExtension);
  const cn = cert.subjectName.getField('CN')[0] ?? '';
  return { cn, sans, usages, isCa: bc?.ca ?? false, notBefore: cert.notBefore, notAfter: cert.notAfter };
}

/** True when `certPem` was signed by the CA `caPem` (signature checked, not only the names). */
export async function signedBy(certPem: string, caPem: string): Promise<boolean> {
  const m = await x509();
  const cert = new m.X509Certificate(certPem);
  const ca = new m.X509Certificate(caPem);
  if (cert.issuer !== ca.subject) return false;
  return cert.verify({ publicKey: ca.publicKey, signatureOnly: true });
}

/** True when the PKCS#8 key `keyPem` is the private half of `certPem`'s public key. */
export async function keyMatchesCert(keyPem: string, certPem: string): Promise<boolean> {
  const m = await x509();
  const cert = new m.X509Certificate(certPem);
  const key = await importKey(m, keyPem);
  // Sign a probe with the key and verify it with the certificate's public key.
  const probe = randomBytes(32);
  const sig = await webcrypto.subtle.sign(ALG, key, probe);
  const pub = await cert.publicKey.export(ALG, ['verify']);
  return webcrypto.subtle.verify(ALG, pub, sig, probe);
}

/** The SAN list as inspectCert reports it ("DNS:x"/"IP:y", sorted, deduplicated). */
export function sanLabels(sans: readonly string[]): string[] {
  return [...new Set(sans.map((s) => (isIP(s) ? `IP:${s}` : `DNS:${s}`)))].sort();
}

async function importKey(m: typeof X509, pem: string): Promise<webcrypto.CryptoKey> {
  const der = m.PemConverter.decodeFirst(pem);
  return webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign']);
}

async function keyToPem(m: typeof X509, key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return `${m.PemConverter.encode(der, 'PRIVATE KEY')}\n`;
}

/** 16 random bytes, first bit cleared (a positive INTEGER), as hex. */
function serial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString('hex');
}
