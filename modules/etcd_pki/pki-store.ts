/**
 * The controller-side view of one PKI directory during a run: what the CA and each requested
 * certificate ARE after this run (reused from disk, or issued now in memory). It reads the
 * directory but never writes it: saving new material is a ControllerPutStep planned by
 * plan-pki.ts and applied by the engine, so a check run issues in memory only and leaves the
 * directory as it was.
 *
 * One session per directory per process: hosts prepare concurrently, and they must all get the
 * SAME new CA and the same shared client certificate, so every decision for a directory is
 * serialized and cached here. Private keys are Secrets from the moment they are read or made.
 */
import { readFile } from 'node:fs/promises';
import { Secret, TaskFailure } from '../../src/module-api/index.js';
import { caProblem, day, reissueReason } from './cert-policy.js';
import { certPaths } from './pki-layout.js';
import { createCa, inspectCert, issueCert, keyMatchesCert, sanLabels, signedBy, type CertSpec, type PemPair } from './x509-certs.js';

export interface PkiOptions {
  readonly caCn: string;
  readonly caValidDays: number;
  readonly renewBeforeDays: number;
  readonly now: Date;
}

export interface PlannedPem {
  readonly id: string;
  readonly certPem: string;
  readonly keyPem: Secret;
  readonly certFile: string;
  readonly keyFile: string;
  /** Why it is issued in this run ("new", "SANs changed: ..."); null = reused from disk as it is. */
  readonly issued: string | null;
  readonly cn: string;
  readonly sans: readonly string[];
  readonly notAfter: Date;
}

export interface CertRequest {
  readonly id: string;
  readonly spec: CertSpec;
}

export interface PlannedPki {
  readonly dir: string;
  readonly ca: PlannedPem;
  readonly certs: readonly PlannedPem[];
}

interface Session {
  ca: PlannedPem | undefined;
  readonly certs: Map<string, { key: string; pem: PlannedPem }>;
  queue: Promise<unknown>;
}

const sessions = new Map<string, Session>();

/** The CA and the requested certificates of `dir` as they will be after this run (see file comment). */
export function planPki(dir: string, opts: PkiOptions, requests: readonly CertRequest[]): Promise<PlannedPki> {
  let s = sessions.get(dir);
  if (!s) {
    s = { ca: undefined, certs: new Map(), queue: Promise.resolve() };
    sessions.set(dir, s);
  }
  const session = s;
  const work = session.queue.then(async () => {
    session.ca ??= await loadOrCreateCa(dir, opts);
    const ca = session.ca;
    const certs: PlannedPem[] = [];
    for (const r of requests) certs.push(await certFor(session, dir, ca, r, opts));
    return { dir, ca, certs };
  });
  session.queue = work.catch(() => undefined);
  return work;
}

async function certFor(session: Session, dir: string, ca: PlannedPem, r: CertRequest, opts: PkiOptions): Promise<PlannedPem> {
  const key = JSON.stringify([r.spec.cn, r.spec.profile, sanLabels(r.spec.sans), r.spec.validDays]);
  const cached = session.certs.get(r.id);
  if (cached && cached.key === key) return cached.pem;
  const paths = certPaths(dir, r.id);
  // What exists: the copy planned earlier in this run, else the files on disk.
  const existing: PemPair | null = cached ? { certPem: cached.pem.certPem, keyPem: cached.pem.keyPem.reveal() } : await readPair(paths.cert, paths.key, r.id, false);
  const want = { cn: r.spec.cn, profile: r.spec.profile, sans: sanLabels(r.spec.sans) };
  let reason: string | null = 'new';
  if (existing) {
    try {
      const info = await inspectCert(existing.certPem);
      const caPair = { certPem: ca.certPem, keyPem: ca.keyPem.reveal() };
      reason = reissueReason({ info, signedByCa: await signedBy(existing.certPem, caPair.certPem), keyMatches: await keyMatchesCert(existing.keyPem, existing.certPem) }, want, opts.now, opts.renewBeforeDays);
    } catch (e) {
      reason = `cannot be read (${(e as Error).message})`;
    }
  }
  let pair = existing;
  if (reason !== null || pair === null) pair = await issueCert({ certPem: ca.certPem, keyPem: ca.keyPem.reveal() }, r.spec, opts.now);
  const info = await inspectCert(pair.certPem);
  const issued = reason ?? (cached?.pem.issued ?? null);
  const pem: PlannedPem = { id: r.id, certPem: pair.certPem, keyPem: new Secret(pair.keyPem), certFile: paths.cert, keyFile: paths.key, issued, cn: info.cn, sans: info.sans, notAfter: info.notAfter };
  session.certs.set(r.id, { key, pem });
  return pem;
}

async function loadOrCreateCa(dir: string, opts: PkiOptions): Promise<PlannedPem> {
  const paths = certPaths(dir, 'ca');
  const pair = await readPair(paths.cert, paths.key, 'ca', true);
  if (pair === null) {
    const made = await createCa(opts.caCn, opts.caValidDays, opts.now);
    const info = await inspectCert(made.certPem);
    return { id: 'ca', certPem: made.certPem, keyPem: new Secret(made.keyPem), certFile: paths.cert, keyFile: paths.key, issued: 'new', cn: info.cn, sans: [], notAfter: info.notAfter };
  }
  let problem: string | null;
  let info;
  try {
    info = await inspectCert(pair.certPem);
    problem = caProblem(info, await keyMatchesCert(pair.keyPem, pair.certPem), opts.now);
  } catch (e) {
    problem = `ca.crt or ca.key cannot be read: ${(e as Error).message}`;
  }
  if (problem !== null || !info) {
    throw new TaskFailure(`the etcd CA in ${dir} cannot be used: ${problem}`, 'every member and client trusts this CA: restore ca.crt and ca.key from a backup, or rotate the CA by hand (see docs/etcd.md, "Rotating the CA")');
  }
  return { id: 'ca', certPem: pair.certPem, keyPem: new Secret(pair.keyPem), certFile: paths.cert, keyFile: paths.key, issued: null, cn: info.cn, sans: [], notAfter: info.notAfter };
}

/**
 * Both halves from disk, or null when both are absent. Half a pair is a TaskFailure for the
 * CA (never overwrite a CA key that might be the only copy) and "absent" for a leaf (reissued).
 */
async function readPair(certFile: string, keyFile: string, id: string, strict: boolean): Promise<PemPair | null> {
  const [cert, key] = await Promise.all([readOptional(certFile), readOptional(keyFile)]);
  if (cert === null && key === null) return null;
  if (cert === null || key === null) {
    if (!strict) return null;
    throw new TaskFailure(`${id}: ${cert === null ? certFile : keyFile} is missing but ${cert === null ? keyFile : certFile} exists`, 'restore the missing half from a backup; k3play never replaces half of a CA');
  }
  return { certPem: cert, keyPem: key };
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TaskFailure(`cannot read ${file} on the controller: ${(e as Error).message}`);
  }
}

/** Drops the cached view of `dir`: the next planPki reads the directory again (as a new run does). */
export function forgetPkiSession(dir: string): void {
  sessions.delete(dir);
}

/** "until 2036-11-28" for summaries. */
export function until(p: PlannedPem): string {
  return `until ${day(p.notAfter)}`;
}
