/**
 * Argument schema of the `k3s_etcd_member` module: the embedded etcd of a k3s server, checked
 * against the expected servers and/or with members removed (quorum-safely).
 */
import type { SchemaObject } from 'ajv';

export interface K3sEtcdMemberArgs {
  expected?: string[] | string;
  remove?: string[] | string;
  force?: boolean;
}

export const k3sEtcdMemberArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    expected: {
      anyOf: [{ type: 'array', items: { type: 'string', minLength: 1 } }, { type: 'string' }],
      description:
        'A list, or a string of comma/space-separated entries (what a handlebars #each loop renders). The servers that must be the voting etcd members, by node IP or peer URL (https://IP:2380). Any difference (a server missing, a stale member left behind, a learner, an unhealthy member) fails the task with the exact difference; nothing is changed.',
    },
    remove: {
      anyOf: [{ type: 'array', items: { type: 'string', minLength: 1 } }, { type: 'string' }],
      description:
        'A list or a comma/space-separated string. Members to remove (member remove through this server\'s etcd), by node name (k3s names members <node>-<8 hex>), node IP or peer URL. Already absent: no change. A removal that would leave the cluster without quorum is refused unless force.',
    },
    force: { type: 'boolean', default: false, description: 'Remove even when the remaining members would have no quorum. Off by default.' },
  },
};

/** A list argument given as a list or as "a, b c" text. */
export function listArg(v: string[] | string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : v.split(/[\s,]+/)).map((x) => x.trim()).filter((x) => x !== '');
}
