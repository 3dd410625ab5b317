/**
 * Pure parser for os-release(5) text: shell-style KEY=value assignments, values optionally
 * single- or double-quoted (backslash escapes inside double quotes). Also derives the OS family
 * and a codename. No I/O.
 */
import type { OsFamily, OsInfo } from './host-facts.js';

export function parseOsReleaseVars(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    out[m[1] ?? ''] = unquote(m[2] ?? '');
  }
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1);
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\([$"`\\])/g, '$1');
  return v;
}

const FAMILY_BY_ID: Readonly<Record<string, OsFamily>> = {
  debian: 'debian',
  ubuntu: 'debian',
  raspbian: 'debian',
  linuxmint: 'debian',
  rhel: 'redhat',
  centos: 'redhat',
  fedora: 'redhat',
  rocky: 'redhat',
  almalinux: 'redhat',
  ol: 'redhat',
  amzn: 'redhat',
  suse: 'suse',
  sles: 'suse',
  'sle-micro': 'suse',
  'opensuse-leap': 'suse',
  'opensuse-tumbleweed': 'suse',
  opensuse: 'suse',
  alpine: 'alpine',
};

export function osFamily(id: string, idLike: readonly string[]): OsFamily {
  for (const word of [id, ...idLike]) {
    const f = FAMILY_BY_ID[word];
    if (f) return f;
  }
  return 'other';
}

export function parseOsRelease(text: string): OsInfo {
  const v = parseOsReleaseVars(text);
  const id = (v['ID'] ?? '').toLowerCase();
  const idLike = (v['ID_LIKE'] ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const versionCodename = v['VERSION_CODENAME'] || v['UBUNTU_CODENAME'] || '';
  const fromVersion = /\(([^)]+)\)/.exec(v['VERSION'] ?? '')?.[1] ?? '';
  return {
    id,
    idLike,
    name: v['NAME'] ?? '',
    versionId: v['VERSION_ID'] ?? '',
    family: osFamily(id, idLike),
    prettyName: v['PRETTY_NAME'] ?? v['NAME'] ?? '',
    codename: versionCodename || fromVersion || null,
  };
}
