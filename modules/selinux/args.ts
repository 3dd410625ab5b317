/**
 * Argument schema of the `selinux` module. `state` is required: there is no safe default
 * between enforcing and disabled.
 */
import type { SchemaObject } from 'ajv';

export type SelinuxState = 'enforcing' | 'permissive' | 'disabled';

export interface SelinuxArgs {
  state: SelinuxState;
  policy?: string;
  config?: string;
}

export const selinuxArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['state'],
  properties: {
    state: {
      type: 'string',
      enum: ['enforcing', 'permissive', 'disabled'],
      description:
        'Wanted SELinux mode, written to SELINUX= in the config and applied now with setenforce where SELinux is enabled. Going to or from disabled needs a reboot (said in the change summary). On a host without SELinux, permissive and disabled succeed with no change; enforcing fails.',
    },
    policy: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', default: 'targeted', description: 'Policy name written to SELINUXTYPE= (targeted, mls, ...).' },
    config: { type: 'string', default: '/etc/selinux/config', description: 'The SELinux config file; other lines are kept byte for byte.' },
  },
};
