/**
 * What the etcd cluster says about itself, asked from one etcd host over TLS: the member list,
 * each member's health and status (`etcdctl member list`, `endpoint health --cluster`,
 * `endpoint status --cluster`, all -w json), as a script fragment for a module's ONE read round
 * trip, and the pure parser of its output. Reads only.
 *
 * Output of the fragment:
 *   @@etcd-client=absent                   (no etcdctl or no client certificate on this host)
 *   @@member-list / @@health / @@status    each followed by etcdctl's output (warnings dropped)
 *   @@rc=N                                 and its exit code
 * health and status run at the same time (a member that is down costs their timeout once, not
 * twice); their lines are prefixed "H " and "S " (sed -u: one write per line, so lines from the
 * two never mix within a line) and regrouped by the parser.
 * etcd's uint64 ids are quoted before JSON.parse (they exceed 2^53) and kept as hex strings,
 * the form etcdctl takes as arguments.
 */
import { sh, TaskFailure, type Probe, type ShellScript } from '../../src/module-api/index.js';
import { etcdctl, hexId, type EtcdctlTls } from './etcdctl.js';

export type Health = 'healthy' | 'unhealthy' | 'unknown';

export interface ClusterMember {
  /** Hex id, as `etcdctl member update/remove/promote` take it. */
  readonly id: string;
  /** '' until a newly added member has started and published its name. */
  readonly name: string;
  readonly peerUrls: readonly string[];
  readonly clientUrls: readonly string[];
  readonly isLearner: boolean;
  /** Voters: `endpoint health`; learners (which refuse health checks): whether they answer `endpoint status`. */
  readonly health: Health;
  readonly error?: string;
}

export type ClusterView =
  | { readonly kind: 'no-client' }
  | { readonly kind: 'unreachable'; readonly error: string }
  | {
      readonly kind: 'cluster';
      readonly clusterId: string;
      readonly members: readonly ClusterMember[];
      /** Distinct leader ids (hex) the answering members report. */
      readonly leaders: readonly string[];
      readonly version: string | null;
    };

export function clusterViewScript(tls: EtcdctlTls, endpoints: readonly string[]): ShellScript {
  const e = (args: string[]) => etcdctl(tls, endpoints, args);
  return sh`if command -v etcdctl >/dev/null 2>&1 && [ -r ${tls.cert} ] && [ -r ${tls.key} ]; then
k3play_etcd() { out=$("$@" 2>&1); rc=$?; printf '%s\\n' "$out" | grep -v '"level":"warn"'; printf '@@rc=%s\\n' "$rc"; return $rc; }
printf '@@member-list\\n'
if k3play_etcd ${e(['member', 'list', '-w', 'json'])}; then
{ { printf '@@health\\n'; k3play_etcd ${e(['endpoint', 'health', '--cluster', '-w', 'json'])}; } | sed -u 's/^/H /' &
  { printf '@@status\\n'; k3play_etcd ${e(['endpoint', 'status', '--cluster', '-w', 'json'])}; } | sed -u 's/^/S /' &
  wait; }
fi
else printf '@@etcd-client=absent\\n'; fi`;
}

interface Section {
  readonly lines: string[];
  rc: number | null;
}

/** Splits the fragment's output (a module may print other records before it: they are ignored here). */
function sections(output: string): Map<string, Section> {
  const out = new Map<string, Section>();
  const plain: string[] = [];
  const prefixed = { H: [] as string[], S: [] as string[] };
  for (const line of output.split('\n')) {
    const p = /^([HS]) (.*)$/.exec(line);
    if (p) prefixed[p[1] as 'H' | 'S'].push(p[2]!);
    else plain.push(line);
  }
  let cur: Section | undefined;
  for (const line of [...plain, ...prefixed.H, ...prefixed.S]) {
    const head = /^@@(member-list|health|status|etcd-client=absent)$/.exec(line);
    if (head) {
      cur = { lines: [], rc: null };
      out.set(head[1]!, cur);
      continue;
    }
    const rc = /^@@rc=(\d+)$/.exec(line);
    if (rc && cur) {
      cur.rc = Number(rc[1]);
      cur = undefined;
      continue;
    }
    if (cur && line !== '') cur.lines.push(line);
  }
  return out;
}

const BIG = /"(ID|cluster_id|member_id|leader|revision|raft_term|raftIndex|raftTerm|raftAppliedIndex)":(\d+)/g;

function json<T>(lines: readonly string[], opener: string): T | null {
  const line = lines.find((l) => l.startsWith(opener));
  return line === undefined ? null : (JSON.parse(line.replace(BIG, '"$1":"$2"')) as T);
}

/** The non-JSON lines of a section: etcdctl's error text. */
function errorText(s: Section | undefined): string {
  const text = (s?.lines ?? []).filter((l) => !l.startsWith('{') && !l.startsWith('[')).join(' ').trim();
  return text || `etcdctl exit ${s?.rc ?? '?'}`;
}

interface ListJson {
  header: { cluster_id: string };
  members?: { ID: string; name?: string; peerURLs?: string[]; clientURLs?: string[]; isLearner?: boolean }[];
}
interface HealthJson {
  endpoint: string;
  health: boolean;
  error?: string;
}
interface StatusJson {
  Endpoint: string;
  Status: { header: { member_id: string }; leader: string; version?: string; isLearner?: boolean };
}

export function parseClusterView(output: string): ClusterView {
  const s = sections(output);
  if (s.has('etcd-client=absent')) return { kind: 'no-client' };
  const list = s.get('member-list');
  if (!list) throw new Error('no member-list section in the output');
  if (list.rc !== 0) return { kind: 'unreachable', error: errorText(list) };
  const parsed = json<ListJson>(list.lines, '{');
  if (!parsed) throw new Error(`member list printed no JSON: ${errorText(list)}`);
  const health = json<HealthJson[]>(s.get('health')?.lines ?? [], '[') ?? [];
  const status = json<StatusJson[]>(s.get('status')?.lines ?? [], '[') ?? [];
  const statusById = new Map(status.map((x) => [hexId(x.Status.header.member_id), x.Status]));
  const members = (parsed.members ?? []).map((m): ClusterMember => {
    const id = hexId(m.ID);
    const clientUrls = m.clientURLs ?? [];
    const isLearner = m.isLearner === true;
    const h = health.find((x) => clientUrls.includes(x.endpoint));
    const answered = statusById.has(id);
    let state: Health = 'unknown';
    let error: string | undefined;
    if (isLearner) state = answered ? 'healthy' : clientUrls.length === 0 ? 'unknown' : 'unhealthy';
    else if (h) {
      state = h.health ? 'healthy' : 'unhealthy';
      if (!h.health) error = h.error ?? 'unhealthy';
    } else if (clientUrls.length === 0) error = 'not started (no client URL published yet)';
    return { id, name: m.name ?? '', peerUrls: m.peerURLs ?? [], clientUrls, isLearner, health: state, ...(error ? { error } : {}) };
  });
  const leaders = [...new Set(status.map((x) => x.Status.leader).filter((l) => l !== '0').map(hexId))];
  return { kind: 'cluster', clusterId: hexId(parsed.header.cluster_id), members, leaders, version: status[0]?.Status.version ?? null };
}

/** The cluster view alone, as a module's one read (etcd_member, etcd_check): parsed, or a TaskFailure. */
export async function readClusterView(probe: Probe, tls: EtcdctlTls, endpoints: readonly string[], prelude: ShellScript = sh``): Promise<ClusterView> {
  const r = await probe.exec(sh`${prelude}${clusterViewScript(tls, endpoints)}
exit 0`, { timeoutMs: 120_000 });
  try {
    if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.stderr.trim()}`);
    return parseClusterView(r.stdout);
  } catch (err) {
    throw new TaskFailure(`cannot read the etcd cluster from ${probe.host}: ${(err as Error).message}`, 'the etcd modules need etcdctl and the etcdctl client certificate (etcd_pki) on the host');
  }
}

/** A view with members, or a TaskFailure saying why there is none. */
export function requireCluster(view: ClusterView, host: string): Extract<ClusterView, { kind: 'cluster' }> {
  if (view.kind === 'no-client') throw new TaskFailure(`${host} has no etcdctl or no etcdctl client certificate`, 'push the certificates first (etcd_pki role: member)');
  if (view.kind === 'unreachable') throw new TaskFailure(`no etcd member answered from ${host}: ${view.error}`, 'is the cluster running and are the addresses in the inventory right? (etcd_check shows the details)');
  return view;
}
