/**
 * Argument schema of the `kubeadm_join` module: a worker or a further control plane joining
 * through the load balancer with a bootstrap token, the pinned CA (its certificate, hashed on
 * the controller, or the hash itself) and, for control planes, the certificate key. The token
 * and key are secret arguments: they reach the host only on stdin, inside a 0600
 * JoinConfiguration file (kubeadm join --config), never as process arguments.
 */
import type { SchemaObject } from 'ajv';
import type { Secret } from '../../src/module-api/index.js';

export interface KubeadmJoinArgs {
  role: 'control-plane' | 'worker';
  api_server_endpoint: string;
  token: string | Secret;
  ca_cert?: string;
  ca_cert_hash?: string;
  certificate_key?: string | Secret;
  node_name?: string;
  advertise_address?: string;
  bind_port?: number;
  material_dir?: string;
  join_timeout?: number;
}

export const kubeadmJoinArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['role', 'api_server_endpoint', 'token'],
  properties: {
    role: { type: 'string', enum: ['control-plane', 'worker'], description: 'worker: kubeadm join; control-plane: kubeadm join --control-plane (needs certificate_key and advertise_address).' },
    api_server_endpoint: { type: 'string', pattern: '^[A-Za-z0-9.-]+:[0-9]+$', description: "discovery.bootstrapToken.apiServerEndpoint: the cluster's controlPlaneEndpoint (VIP:PORT)." },
    token: { type: 'string', description: 'The bootstrap token ([a-z0-9]{6}.[a-z0-9]{16}), e.g. the one kubeadm_init recorded. Secret.' },
    ca_cert: { type: 'string', description: "The cluster CA certificate (PEM, /etc/kubernetes/pki/ca.crt of a control plane); k3play pins sha256 of its DER SubjectPublicKeyInfo (--discovery-token-ca-cert-hash), computed on the controller." },
    ca_cert_hash: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$', description: 'The pin itself (sha256:<hex>) instead of ca_cert.' },
    certificate_key: { type: 'string', description: 'Control planes: the key of the uploaded certificates (kubeadm init phase upload-certs). Secret.' },
    node_name: { type: 'string', description: 'nodeRegistration.name (default: the hostname).' },
    advertise_address: { type: 'string', description: "Control planes: controlPlane.localAPIEndpoint.advertiseAddress, this host's own address." },
    bind_port: { type: 'integer', minimum: 1, maximum: 65535, default: 6443, description: 'Control planes: the API server port (6443).' },
    material_dir: { type: 'string', default: '/etc/kubernetes/k3play', description: 'Where the 0600 JoinConfiguration is written for the join (and removed after it) and the join log kept.' },
    join_timeout: { type: 'integer', minimum: 10, default: 300, description: 'Seconds kubeadm join may take.' },
  },
};
