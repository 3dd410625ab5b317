/** Argument schema of the `etcd_cluster` module: the member settings shared with etcd_member_update (etcd-args.ts). */
import type { SchemaObject } from 'ajv';
import { memberSettingsProperties } from './etcd-args.js';

export const etcdClusterArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['members'],
  properties: memberSettingsProperties,
};
