/**
 * Argument schema of the `hostname` module: one RFC 1123 host name (letters, digits, dashes,
 * dot-separated labels of at most 63 characters), so it is safe in /etc/hostname and argv.
 */
import type { SchemaObject } from 'ajv';

export interface HostnameArgs {
  name: string;
}

export const hostnameArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      maxLength: 253,
      pattern: '^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$',
      description: 'The host name, e.g. "cp1" or "cp1.example.net" (RFC 1123). Written to /etc/hostname and set in the running system; /etc/hosts is not changed.',
    },
  },
};
