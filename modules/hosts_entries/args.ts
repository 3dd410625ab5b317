/**
 * Argument schema of `hosts_entries`. Addresses and names are checked in hosts-block.ts with
 * TaskFailures that name the entry.
 */
import type { SchemaObject } from 'ajv';

export interface HostsEntry {
  ip: string;
  names: string[];
}

export interface HostsEntriesArgs {
  path?: string;
  entries?: HostsEntry[] | string;
  state?: 'present' | 'absent';
  marker?: string;
  backup?: boolean;
}

export const DEFAULT_HOSTS_MARKER = '# {mark} K3PLAY MANAGED HOSTS';

export const hostsEntriesArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: { type: 'string', minLength: 1, default: '/etc/hosts', description: 'The hosts file to manage.' },
    entries: {
      default: [],
      description:
        'The lines of the managed block, in order: a list of {ip, names}, or text with one "IP NAME..." line per entry (what a template loop over a group gives; blank lines are skipped).',
      anyOf: [
        { type: 'string' },
        {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['ip', 'names'],
            properties: {
              ip: { type: 'string', minLength: 1, description: 'IPv4 or IPv6 address.' },
              names: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 }, description: 'Host names for the address, canonical name first.' },
            },
          },
        },
      ],
    },
    state: { type: 'string', enum: ['present', 'absent'], default: 'present', description: 'present: the block holds exactly `entries`. absent: the block is removed.' },
    marker: {
      type: 'string',
      minLength: 1,
      description: `The marker line around the block; {mark} becomes BEGIN / END. Default "${DEFAULT_HOSTS_MARKER}". Lines outside the block are never touched.`,
    },
    backup: { type: 'boolean', default: false, description: 'Before changing the file, copy it to `PATH.<YYYYmmddHHMMSS>~` (time taken on the host).' },
  },
};
