/**
 * Argument schema of the `kubeadm_reset` module: which leftovers besides kubeadm's own files
 * are removed (the CNI directories kubeadm reset leaves, k3play's join material).
 */
import type { SchemaObject } from 'ajv';

export interface KubeadmResetArgs {
  cni_dirs?: string[];
  material_dir?: string;
  reset_timeout?: number;
}

export const DEFAULT_CNI_DIRS = ['/etc/cni/net.d', '/var/lib/cni'];

export const kubeadmResetArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cni_dirs: {
      type: 'array',
      items: { type: 'string', pattern: '^/.+', description: 'An absolute directory path.' },
      default: DEFAULT_CNI_DIRS,
      description: 'CNI directories removed after kubeadm reset ("The reset process does not clean CNI configuration").',
    },
    material_dir: { type: 'string', pattern: '^/.+', default: '/etc/kubernetes/k3play', description: "k3play's kubeadm files (recorded config, join material, logs), removed too." },
    reset_timeout: { type: 'integer', minimum: 10, default: 180, description: 'Seconds kubeadm reset may take.' },
  },
};
