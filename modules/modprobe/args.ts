/**
 * Argument schema of the `modprobe` module. The module name pattern keeps it usable as a file
 * name (/etc/modules-load.d/<name>.conf) and as one argv word.
 */
import type { SchemaObject } from 'ajv';

export interface ModprobeArgs {
  name: string;
  state?: 'present' | 'absent';
  params?: string;
  persistent?: 'present' | 'absent' | 'disabled';
}

export const modprobeArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', description: 'Kernel module name (br_netfilter, overlay). Dashes and underscores are the same module, as for modprobe.' },
    state: {
      type: 'string',
      enum: ['present', 'absent'],
      default: 'present',
      description: 'present: loaded now (modprobe) unless already loaded or built in. absent: unloaded now (modprobe -r) when it is listed in /proc/modules.',
    },
    params: {
      type: 'string',
      default: '',
      description:
        'Module parameters ("nf_conntrack_helper=0"): passed when loading, and with persistent: present written as `options NAME PARAMS` to /etc/modprobe.d/NAME.conf. They do not change an already loaded module. Empty: that file is left alone.',
    },
    persistent: {
      type: 'string',
      enum: ['present', 'absent', 'disabled'],
      default: 'present',
      description:
        'present: loaded at boot (/etc/modules-load.d/NAME.conf lists it; params in /etc/modprobe.d/NAME.conf). absent: the module\'s lines are removed from those files (a file left empty is removed). disabled: the files are not managed.',
    },
  },
};
