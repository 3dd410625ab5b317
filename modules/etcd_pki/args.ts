/**
 * Argument schema of the `etcd_pki` module. Which certificates a host gets follows `role`;
 * paths default to pki-layout.ts. Cross-argument rules are checked in index.ts (prepare).
 */
import type { SchemaObject } from 'ajv';
import type { PreparedPki } from './plan-pki.js';

export interface EtcdPkiArgs {
  role?: 'member' | 'client';
  name?: string;
  addresses?: string[];
  pki_dir?: string;
  dest?: string;
  key_owner?: string;
  ca_cn?: string;
  valid_days?: number;
  ca_valid_days?: number;
  renew_before_days?: number;
  /** Set by prepare (controller side), never by users. */
  prepared?: PreparedPki;
}

export const etcdPkiArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    role: {
      type: 'string',
      enum: ['member', 'client'],
      default: 'member',
      description:
        'member: an etcd member gets ca.crt, server.crt/key and peer.crt/key (issued for `name` with SANs `addresses` + name + 127.0.0.1 + localhost) and the etcdctl client pair. client: an etcd client (e.g. a k3s server) gets ca.crt, client.crt and client.key for the client `name`.',
    },
    name: {
      type: 'string',
      minLength: 1,
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
      description: 'member: the member name (default: the inventory hostname). client: the client certificate name, its CN (default "k3s").',
    },
    addresses: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'member: IP addresses and DNS names the member is reached at (its etcd_address / ansible_host); they go into the server and peer certificates with the name, 127.0.0.1 and localhost. A change reissues both.',
    },
    pki_dir: {
      type: 'string',
      minLength: 1,
      default: '.k3play/pki/etcd',
      description:
        'PKI directory on the controller, relative to the directory k3play runs in: the CA and every certificate, keys 0600, directories 0700. Back it up: it holds the CA key. New material is saved there only by a real run (never by --check).',
    },
    dest: { type: 'string', minLength: 2, description: 'Directory on the host for the files (default /etc/etcd/pki for members, /etc/rancher/k3s/etcd for clients).' },
    key_owner: { type: 'string', minLength: 1, description: 'Owner (and group) of the private keys the service reads: default etcd for members (the Debian unit runs etcd as user etcd; the etcdctl key stays root), root for clients.' },
    ca_cn: { type: 'string', minLength: 1, default: 'k3play-etcd-ca', description: 'Common name of the CA when a new one is created.' },
    valid_days: { type: 'integer', minimum: 2, default: 3650, description: 'Lifetime of newly issued server, peer and client certificates, in days.' },
    ca_valid_days: { type: 'integer', minimum: 2, default: 7300, description: 'Lifetime of a newly created CA, in days. The CA is never replaced automatically.' },
    renew_before_days: {
      type: 'integer',
      minimum: 0,
      default: 30,
      description: 'A certificate that expires within this many days is issued again (as one whose SANs changed). Otherwise existing certificates are kept.',
    },
  },
};
