/**
 * The text of the managed /etc/hosts block: one "IP NAME NAME..." line per entry, after
 * checking each address (node:net isIP) and name (letters, digits, dot, dash, underscore).
 * Entries may also come as text, one line each. Pure; the placement in the file is blockinfile's edit-block.ts.
 */
import { isIP } from 'node:net';
import { TaskFailure } from '../../src/module-api/index.js';
import type { HostsEntry } from './args.js';

const NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

/** Entries given as text: "IP NAME NAME..." per line; blank lines skipped. */
export function parseEntriesText(text: string): HostsEntry[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/).filter(Boolean))
    .filter((f) => f.length > 0)
    .map(([ip, ...names]) => ({ ip: ip as string, names }));
}

export function hostsBlock(given: readonly HostsEntry[] | string): string {
  const entries = typeof given === 'string' ? parseEntriesText(given) : given;
  const problems: string[] = [];
  entries.forEach((e, i) => {
    if (e.names.length === 0) problems.push(`entries[${i}] "${e.ip}" has no names`);
    if (isIP(e.ip) === 0) problems.push(`entries[${i}].ip "${e.ip}" is not an IPv4 or IPv6 address`);
    for (const n of e.names) if (!NAME.test(n)) problems.push(`entries[${i}].names: "${n}" is not a host name`);
  });
  if (problems.length > 0) throw new TaskFailure(problems.join('; '), 'each entry is {ip: 10.0.0.11, names: [node1, node1.example.com]}');
  return entries.map((e) => `${e.ip} ${e.names.join(' ')}\n`).join('');
}
