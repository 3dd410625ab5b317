/**
 * Argument schema of the `k3s_install` module. Cross-argument rules (who needs a token, which
 * config keys a role accepts, airgap files) are checked in plan-install.ts / prepare-airgap.ts
 * with a TaskFailure that says what to do.
 */
import type { SchemaObject } from 'ajv';
import type { Secret } from '../../src/module-api/index.js';
import { DEFAULT_MIRROR, VERSION_PATTERN } from './release.js';

export interface AirgapArch {
  readonly binaryName: string;
  readonly binary: Buffer;
  readonly binarySha256: string;
  readonly images?: { readonly name: string; readonly content: Buffer; readonly sha256: string };
}

export interface K3sInstallArgs {
  role: 'server' | 'agent';
  version: string;
  mirror_url?: string;
  airgap_dir?: string;
  airgap_images?: boolean;
  token?: string | Secret;
  agent_token?: string | Secret;
  server?: string;
  cluster_init?: boolean;
  datastore_endpoint?: string | Secret;
  config?: Record<string, unknown>;
  extra_config?: Record<string, unknown>;
  extra_args?: string[];
  env?: Record<string, string>;
  ready_timeout?: number;
  download_timeout?: number;
  force_restart?: boolean;
  /** Set by prepare (controller side) from airgap_dir: verified release files per arch. */
  airgap?: Readonly<Record<string, AirgapArch>>;
}

export const k3sInstallArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['role', 'version'],
  properties: {
    role: { type: 'string', enum: ['server', 'agent'], description: 'server: `k3s server` in the k3s unit; agent: `k3s agent` in the k3s-agent unit. The other role\'s unit, if present, is stopped, disabled and removed.' },
    version: { type: 'string', pattern: VERSION_PATTERN, description: 'k3s release, e.g. "v1.28.4+k3s2". A change is an upgrade (or downgrade): new binary, then a restart.' },
    mirror_url: {
      type: 'string',
      pattern: '^https?://',
      default: DEFAULT_MIRROR,
      description: `Where the host downloads the release from: <mirror_url>/<version>/k3s(-arm64...) and sha256sum-<arch>.txt (the layout of ${DEFAULT_MIRROR}). Offline sites point it at a local mirror. Not used with airgap_dir.`,
    },
    airgap_dir: {
      type: 'string',
      description:
        'Empty = not set. Air-gapped install: a directory ON THE CONTROLLER with the release files (k3s or k3s-arm64..., sha256sum-<arch>.txt, optionally k3s-airgap-images-<arch>.tar.zst|.tar.gz|.tar). Each file is checked against the checksum file before anything is sent; the host never downloads. Relative paths resolve against the playbook directory.',
    },
    airgap_images: { type: 'boolean', default: true, description: 'With airgap_dir: copy the images archive into /var/lib/rancher/k3s/agent/images/ (k3s imports it at start).' },
    token: {
      type: 'string',
      description:
        'Empty = not set. Cluster token (secret): the plain secret or the full K10<ca-hash>::server:<secret> of /var/lib/rancher/k3s/server/token. Required to join (server or agent); omit it on the first server to let k3s generate one. A host whose k3s data was created with another token is refused (it would form or keep a separate cluster).',
    },
    agent_token: { type: 'string', description: 'Empty = not set. Servers: a separate token for agents (secret; config key agent-token).' },
    server: { type: 'string', pattern: '^(https://.*)?$', description: 'Empty = not set. URL of the server (or registration address) to join, e.g. "https://10.0.0.10:6443" (config key server).' },
    cluster_init: { type: 'boolean', description: 'Servers: start a new embedded-etcd cluster (the first server only; config key cluster-init).' },
    datastore_endpoint: {
      type: 'string',
      description: 'Empty = not set. Servers: external datastore (secret: it carries the password), e.g. "mysql://k3s:PASS@tcp(10.0.0.5:3306)/k3s" or "https://etcd1:2379,https://etcd2:2379" (config key datastore-endpoint).',
    },
    config: {
      type: 'object',
      description:
        'Other k3s flags for /etc/rancher/k3s/config.yaml: long flag names without "--" as keys (e.g. node-ip, tls-san, disable, flannel-backend), strings, numbers, booleans or lists. Unknown keys and keys of the other role are refused; token, agent-token and datastore-endpoint go through their own (secret) arguments.',
    },
    extra_config: {
      type: 'object',
      description: 'More config keys, merged over config (for a site\'s own flags next to the ones a playbook sets). Same rules as config.',
    },
    extra_args: {
      type: 'array',
      items: { type: 'string' },
      description:
        'Flags as on the k3s command line ("--disable=traefik", "--secrets-encryption"), as the install script takes them after `sh -s -`; merged into config.yaml (list flags accumulate; a bare flag is true). Same key rules as config.',
    },
    env: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Environment of the unit, written to /etc/systemd/system/<unit>.service.env (0600), e.g. HTTPS_PROXY, NO_PROXY, CONTAINERD_*.',
    },
    ready_timeout: { type: 'integer', minimum: 5, default: 300, description: 'Seconds to wait after a start or restart until k3s is ready (servers: /readyz ok and, with embedded etcd, a voting and healthy member; agents: unit active).' },
    download_timeout: { type: 'integer', minimum: 5, default: 300, description: 'Seconds the binary download may take.' },
    force_restart: {
      type: 'boolean',
      default: false,
      description: 'Restart even when this server\'s embedded etcd would lose quorum meanwhile (another member is down). Off by default: such a restart is refused with the list of unhealthy members.',
    },
  },
};

/** Optional string arguments given as "" (a template with a default of "") count as not set. */
export function withoutEmpty(args: K3sInstallArgs): K3sInstallArgs {
  const out: K3sInstallArgs = { ...args };
  for (const k of ['airgap_dir', 'token', 'agent_token', 'server', 'datastore_endpoint', 'mirror_url'] as const) {
    const v = out[k];
    const text = v === undefined ? undefined : typeof v === 'string' ? v : v.reveal();
    if (text === '') delete out[k];
  }
  return out;
}
