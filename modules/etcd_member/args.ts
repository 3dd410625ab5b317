/** Argument schema of the `etcd_member` module (cluster connection arguments from etcd_cluster/etcd-args.ts). */
import type { SchemaObject } from 'ajv';
import { clusterRefProperties, type EtcdClusterRef } from '../etcd_cluster/etcd-args.js';

export interface EtcdMemberArgs extends EtcdClusterRef {
  name: string;
  peer_url?: string;
  state?: 'learner' | 'voter' | 'absent';
  replaces?: string;
  force?: boolean;
}

export const etcdMemberArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['members', 'name'],
  properties: {
    ...clusterRefProperties,
    name: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description: 'The member this task is about.' },
    peer_url: { type: 'string', pattern: '^https://', description: 'Its peer URL (state: learner). Default: its entry in members.' },
    state: {
      type: 'string',
      enum: ['learner', 'voter', 'absent'],
      default: 'voter',
      description:
        'learner: add it as a non-voting learner if it is not a member (etcd older than 3.4: as a voter); then start it (etcd_cluster). voter: promote the learner once it has caught up (it must be a member already). absent: remove it. Each step is refused when it would leave the cluster without quorum.',
    },
    replaces: {
      type: 'string',
      minLength: 1,
      description: 'state: learner: the member this new one replaces. The replacement is refused up front when taking that member out would leave the cluster without quorum (e.g. another member is already down).',
    },
    force: { type: 'boolean', default: false, description: 'Do it even when the quorum guard refuses; the summary says FORCED and why.' },
  },
};
