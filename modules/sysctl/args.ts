/**
 * Argument schema of the `sysctl` module. `value` accepts YAML numbers (`value: 1`) and turns
 * them into strings in plan (the kernel only knows text). Name syntax and newlines in values
 * are checked in plan-sysctl.ts with a TaskFailure that says what to do.
 */
import type { SchemaObject } from 'ajv';

export interface SysctlArgs {
  name: string;
  value?: string | number;
  state?: 'present' | 'absent';
  sysctl_file?: string;
  reload?: boolean;
  ignore_readonly?: boolean;
}

export const DEFAULT_SYSCTL_FILE = '/etc/sysctl.d/99-k3play.conf';

export const sysctlArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      minLength: 1,
      pattern: '^[A-Za-z0-9_][A-Za-z0-9_.:/-]*$',
      description: 'Kernel parameter, dotted (net.ipv4.ip_forward) or as a path below /proc/sys (net/ipv4/ip_forward).',
    },
    value: {
      anyOf: [{ type: 'string' }, { type: 'number' }],
      description:
        'Wanted value (required with state: present). Numbers are written as text. Multi-value parameters compare with whitespace normalised: "32768 60999" equals the kernel\'s "32768\\t60999".',
    },
    state: {
      type: 'string',
      enum: ['present', 'absent'],
      default: 'present',
      description: 'present: the parameter is set in sysctl_file (and at runtime with reload). absent: its line is removed from sysctl_file; the runtime value is left as it is.',
    },
    sysctl_file: {
      type: 'string',
      default: DEFAULT_SYSCTL_FILE,
      description: 'File holding the persisted `name = value` line (read at boot by systemd-sysctl). Other lines of the file are kept byte for byte.',
    },
    reload: {
      type: 'boolean',
      default: true,
      description: 'Also set the value in the running kernel (writes /proc/sys/...). false: only persist it (takes effect at the next boot).',
    },
    ignore_readonly: {
      type: 'boolean',
      default: false,
      description:
        'When the parameter is read-only on this host (e.g. vm.* inside a container, where /proc/sys/vm is mounted read-only), persist it in sysctl_file and skip the runtime part instead of failing. The skipped part is named in the change summary.',
    },
  },
  if: { properties: { state: { const: 'present' } } },
  then: { properties: { value: { anyOf: [{ type: 'string' }, { type: 'number' }] } }, required: ['value'] },
};
