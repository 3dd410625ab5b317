/**
 * Argument schema of the `firewalld` module. Which arguments go with which state is checked in
 * plan-firewalld.ts (a TaskFailure that says what to do).
 */
import type { SchemaObject } from 'ajv';

export type FirewalldState = 'enabled' | 'disabled' | 'stopped';

export interface FirewalldArgs {
  service?: string;
  port?: string;
  zone?: string;
  state: FirewalldState;
  permanent?: boolean;
  immediate?: boolean;
}

export const firewalldArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['state'],
  properties: {
    service: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', description: 'A firewalld service name to open or close, e.g. "https".' },
    port: { type: 'string', pattern: '^[0-9]+(-[0-9]+)?/(tcp|udp|sctp|dccp)$', description: 'A port or range with protocol to open or close, e.g. "6443/tcp" or "30000-32767/tcp".' },
    zone: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', description: 'Zone to change. Unset: the default zone.' },
    state: {
      type: 'string',
      enum: ['enabled', 'disabled', 'stopped'],
      description:
        'enabled: open `service`/`port`; disabled: close it. stopped: firewalld itself is stopped and disabled (systemctl disable --now firewalld), as the kubeadm guide asks. Where firewalld is not installed, disabled and stopped are already true (ok, no change); enabled fails.',
    },
    permanent: { type: 'boolean', default: true, description: 'Change the permanent configuration (survives reloads and reboots).' },
    immediate: { type: 'boolean', default: true, description: 'Change the running firewall too (only when firewalld is running).' },
  },
};
