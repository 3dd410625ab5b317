/**
 * When a certificate of the etcd PKI is kept and when it is issued again: pure decisions over
 * what x509-certs.ts read from an existing certificate. A certificate is reused unless it is
 * missing, not signed by the current CA, not matched by its key, for another subject or usage,
 * for other SANs, or expiring within `renew_before_days`. The CA itself is never replaced
 * automatically (every member trusts it): an expired or broken CA is a failure to act on.
 */
import type { CertInfo, CertProfile } from './x509-certs.js';

export interface ExistingCert {
  readonly info: CertInfo;
  readonly signedByCa: boolean;
  readonly keyMatches: boolean;
}

export interface WantedCert {
  readonly cn: string;
  readonly profile: Exclude<CertProfile, 'ca'>;
  /** "DNS:x" / "IP:y", sorted (sanLabels). */
  readonly sans: readonly string[];
}

const DAY_MS = 86_400_000;

/** Extended key usages a profile must carry, sorted as inspectCert reports them. */
export function usagesOf(profile: WantedCert['profile']): string[] {
  return profile === 'client' ? ['clientAuth'] : ['clientAuth', 'serverAuth'];
}

/** Why the certificate must be issued (again), or null to keep it. */
export function reissueReason(existing: ExistingCert | null, want: WantedCert, now: Date, renewBeforeDays: number): string | null {
  if (existing === null) return 'new';
  const { info } = existing;
  if (!existing.signedByCa) return 'not signed by the current CA';
  if (!existing.keyMatches) return 'its key does not match it';
  if (info.cn !== want.cn) return `subject CN=${info.cn}, wanted CN=${want.cn}`;
  if (info.isCa) return 'it is a CA certificate';
  if (info.usages.join(',') !== usagesOf(want.profile).join(',')) return `usages ${info.usages.join('+') || 'none'}, wanted ${usagesOf(want.profile).join('+')}`;
  const diff = sanDiff(info.sans, want.sans);
  if (diff !== '') return `SANs changed: ${diff}`;
  if (info.notAfter.getTime() - now.getTime() < renewBeforeDays * DAY_MS) {
    return `expires ${day(info.notAfter)} (within renew_before_days=${renewBeforeDays})`;
  }
  return null;
}

/** "+IP:10.0.0.9 -IP:10.0.0.3" (added, then removed), '' when equal. */
export function sanDiff(have: readonly string[], want: readonly string[]): string {
  const h = new Set(have);
  const w = new Set(want);
  return [...[...w].filter((s) => !h.has(s)).map((s) => `+${s}`), ...[...h].filter((s) => !w.has(s)).map((s) => `-${s}`)].join(' ');
}

/** A problem that forbids using the CA, or null. */
export function caProblem(info: CertInfo, keyMatches: boolean, now: Date): string | null {
  if (!info.isCa) return 'ca.crt is not a CA certificate (basicConstraints CA:FALSE)';
  if (!keyMatches) return 'ca.key does not match ca.crt';
  if (info.notAfter.getTime() <= now.getTime()) return `the CA expired on ${day(info.notAfter)}`;
  return null;
}

export function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}
