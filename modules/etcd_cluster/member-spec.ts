/**
 * The wanted membership, as etcd's own `--initial-cluster` syntax: "h1=https://10.0.0.1:2380,
 * h2=https://10.0.0.2:2380,...", built by the runbooks from the inventory's `etcd` group. Pure
 * parsing (every problem reported at once) and the URLs derived from it. No I/O.
 */
import { TaskFailure } from '../../src/module-api/index.js';

export interface MemberSpec {
  readonly name: string;
  readonly peerUrl: string;
  /** Host part of the peer URL (an IPv4 address or a DNS name). */
  readonly host: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const URL_RE = /^https:\/\/([A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})$/;

export function parseMembers(text: string): MemberSpec[] {
  const problems: string[] = [];
  const out: MemberSpec[] = [];
  const entries = text.split(/[,\s]+/).filter((e) => e !== '');
  if (entries.length === 0) problems.push('the member list is empty');
  for (const e of entries) {
    const eq = e.indexOf('=');
    const name = eq > 0 ? e.slice(0, eq) : '';
    const url = eq > 0 ? e.slice(eq + 1) : '';
    const m = URL_RE.exec(url);
    if (!NAME.test(name) || !m) {
      problems.push(`"${e}" is not NAME=https://ADDRESS:PORT`);
      continue;
    }
    if (out.some((x) => x.name === name)) problems.push(`member ${name} is listed twice`);
    else if (out.some((x) => x.peerUrl === url)) problems.push(`peer URL ${url} is listed twice`);
    else out.push({ name, peerUrl: url, host: m[1]! });
  }
  if (problems.length > 0) {
    throw new TaskFailure(`members: ${problems.join('; ')}`, 'members is etcd\'s initial-cluster syntax: h1=https://10.0.0.1:2380,h2=https://10.0.0.2:2380 (one entry per host of the etcd group)');
  }
  return out;
}

export function clientUrlOf(m: MemberSpec, clientPort: number): string {
  return `https://${m.host}:${clientPort}`;
}

/** The member named `name`, or a TaskFailure saying the host is not in the member list. */
export function memberNamed(members: readonly MemberSpec[], name: string): MemberSpec {
  const m = members.find((x) => x.name === name);
  if (!m) throw new TaskFailure(`${name} is not in members (${members.map((x) => x.name).join(', ')})`, 'members must list every host of the etcd group, this one included');
  return m;
}

/** initial-cluster text of a member list. */
export function initialClusterOf(members: readonly { name: string; peerUrl: string }[]): string {
  return members.map((m) => `${m.name}=${m.peerUrl}`).join(',');
}
