/** Argument schema of the `k3s_datastore` module. */
import type { SchemaObject } from 'ajv';

export interface K3sDatastoreArgs {
  endpoint: string;
  cafile?: string;
  certfile?: string;
  keyfile?: string;
  config?: string;
  restart?: boolean;
}

export const k3sDatastoreArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['endpoint'],
  properties: {
    endpoint: {
      type: 'string',
      minLength: 1,
      description: 'The datastore-endpoint value, e.g. "https://10.0.0.1:2379,https://10.0.0.2:2379,https://10.0.0.3:2379" for an external etcd (the runbooks build it as etcd_endpoints).',
    },
    cafile: { type: 'string', minLength: 1, description: 'Also set datastore-cafile (e.g. /etc/rancher/k3s/etcd/ca.crt). Unset: left as it is.' },
    certfile: { type: 'string', minLength: 1, description: 'Also set datastore-certfile (e.g. /etc/rancher/k3s/etcd/client.crt). Unset: left as it is.' },
    keyfile: { type: 'string', minLength: 1, description: 'Also set datastore-keyfile (e.g. /etc/rancher/k3s/etcd/client.key). Unset: left as it is.' },
    config: { type: 'string', minLength: 2, default: '/etc/rancher/k3s/config.yaml', description: 'k3s config file. When it does not exist (k3s not installed here), nothing is done.' },
    restart: { type: 'boolean', default: true, description: 'Restart k3s when the file changed and k3s is active (one server at a time: run the play with serial: 1), then wait until it is active again.' },
  },
};
