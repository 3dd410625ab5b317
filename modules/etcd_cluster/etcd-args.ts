/**
 * Arguments every etcd module shares (where the cluster is and how to reach it over TLS) and
 * the member settings etcd_cluster and etcd_member_update both write. Schema fragments + the
 * resolved values; cross-argument rules live in the plans.
 */
import type { SchemaObject } from 'ajv';
import { memberTls, type EtcdctlTls } from './etcdctl.js';
import { clientUrlOf, parseMembers, type MemberSpec } from './member-spec.js';

export interface EtcdClusterRef {
  members: string;
  pki_dest?: string;
  client_port?: number;
}

export interface EtcdMemberSettings extends EtcdClusterRef {
  name?: string;
  data_dir?: string;
  cluster_token?: string;
  extra_env?: Record<string, string> | null;
  force?: boolean;
}

export const DEFAULT_PKI_DEST = '/etc/etcd/pki';
export const DEFAULT_DATA_DIR = '/var/lib/etcd/default';

export const clusterRefProperties: Record<string, SchemaObject> = {
  members: {
    type: 'string',
    minLength: 1,
    description:
      'The wanted members in etcd\'s initial-cluster syntax, from the inventory\'s etcd group: "h1=https://10.0.0.1:2380,h2=https://10.0.0.2:2380,h3=https://10.0.0.3:2380" (the runbooks build it as etcd_members). Client URLs are the same addresses on client_port.',
  },
  pki_dest: { type: 'string', minLength: 2, default: DEFAULT_PKI_DEST, description: 'Directory on the etcd host with the files etcd_pki pushes (ca.crt, server/peer pairs, etcdctl.crt/key).' },
  client_port: { type: 'integer', minimum: 1, maximum: 65535, default: 2379, description: 'etcd client port on every member.' },
};

export const memberSettingsProperties: Record<string, SchemaObject> = {
  ...clusterRefProperties,
  name: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description: 'This member\'s name in `members` (default: the inventory hostname).' },
  data_dir: { type: 'string', minLength: 2, default: DEFAULT_DATA_DIR, description: 'etcd data directory (ETCD_DATA_DIR). A member whose data directory has a member/ subdirectory is initialized.' },
  cluster_token: { type: 'string', minLength: 1, default: 'k3play-etcd', description: 'ETCD_INITIAL_CLUSTER_TOKEN of a new cluster.' },
  extra_env: {
    type: ['object', 'null'],
    additionalProperties: { type: 'string' },
    propertyNames: { pattern: '^ETCD_[A-Z0-9_]+$' },
    description: 'More etcd settings as ETCD_* variables, e.g. {ETCD_HEARTBEAT_INTERVAL: "200", ETCD_QUOTA_BACKEND_BYTES: "8589934592"}. null or {}: none.',
  },
  force: {
    type: 'boolean',
    default: false,
    description: 'Restart even when the quorum guard refuses (the cluster then stops serving until enough members are back). The change summary says FORCED and why it was refused.',
  },
};

export interface ResolvedRef {
  readonly members: readonly MemberSpec[];
  readonly tls: EtcdctlTls;
  readonly pkiDest: string;
  readonly clientPort: number;
  /** Client URLs of every wanted member: where etcdctl asks. */
  readonly endpoints: readonly string[];
}

export function resolveRef(args: EtcdClusterRef): ResolvedRef {
  const members = parseMembers(args.members);
  const pkiDest = (args.pki_dest ?? DEFAULT_PKI_DEST).replace(/\/+$/, '');
  const clientPort = args.client_port ?? 2379;
  return { members, tls: memberTls(pkiDest), pkiDest, clientPort, endpoints: members.map((m) => clientUrlOf(m, clientPort)) };
}
