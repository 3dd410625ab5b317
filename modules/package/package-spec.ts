/**
 * Pure parsing of the `name` argument into (package, version pin) pairs, per package manager.
 * apt: `name=version`. dnf/yum: `name=version` or `name-version[-release]` where the version
 * starts with a digit and contains a dot (so `java-11-openjdk` stays a name). No I/O.
 */
import type { PackageManager } from './args.js';

export interface PackageSpec {
  /** Package name as the manager knows it (apt may carry `:arch`). */
  readonly name: string;
  /** Version pin: Debian version for apt, `[epoch:]version[-release]` for rpm; undefined = any. */
  readonly version?: string;
  /** The argument as written (for messages). */
  readonly raw: string;
}

const RPM_DASH_PIN = /^(.+?)-((?:\d+:)?\d[^-]*\.[^-]*(?:-[^-]+)?)$/;

export function parsePackageSpec(raw: string, manager: PackageManager): PackageSpec {
  const s = raw.trim();
  const eq = s.indexOf('=');
  if (eq > 0) return { name: s.slice(0, eq), version: s.slice(eq + 1), raw: s };
  if (manager !== 'apt') {
    const m = RPM_DASH_PIN.exec(s);
    if (m) return { name: m[1] as string, version: m[2] as string, raw: s };
  }
  return { name: s, raw: s };
}

/** Problems with the spec's syntax, as one-line messages (empty when fine). */
export function specProblems(spec: PackageSpec): string[] {
  const out: string[] = [];
  if (!/^[A-Za-z0-9][A-Za-z0-9+._:@-]*$/.test(spec.name)) out.push(`"${spec.raw}": "${spec.name}" is not a package name`);
  if (spec.version !== undefined && !/^[A-Za-z0-9][A-Za-z0-9+.~:_^-]*$/.test(spec.version)) out.push(`"${spec.raw}": "${spec.version}" is not a version`);
  return out;
}

export function namesOf(name: string | readonly string[]): string[] {
  return (typeof name === 'string' ? name.split(',') : [...name]).map((n) => n.trim()).filter((n) => n !== '');
}
