/**
 * Argument schema of the `wait_for` module. "Exactly one of port/path" and which states go
 * with which are checked in wait-condition.ts (a TaskFailure that says what to do).
 */
import type { SchemaObject } from 'ajv';

export type WaitState = 'started' | 'stopped' | 'present' | 'absent';

export interface WaitForArgs {
  port?: number;
  host?: string;
  path?: string;
  search_regex?: string;
  state?: WaitState;
  timeout?: number;
  delay?: number;
  sleep?: number;
}

export const waitForArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    port: { type: 'integer', minimum: 1, maximum: 65535, description: 'TCP port to wait for (on `host`).' },
    host: {
      type: 'string',
      minLength: 1,
      pattern: '^[A-Za-z0-9.:_-]+$',
      description:
        'Address or name to connect to, as seen FROM the managed host (default 127.0.0.1). For the local host (127.0.0.1, localhost, ::1, 0.0.0.0) a listening socket on `port` (any address, `ss -ltn`) counts; otherwise a TCP connection is tried (bash /dev/tcp).',
    },
    path: { type: 'string', minLength: 1, description: 'A file path on the host to wait for (present/absent), or to search with `search_regex`.' },
    search_regex: { type: 'string', minLength: 1, description: 'With `path`: wait until the file contains a line matching this extended regular expression (grep -E).' },
    state: {
      type: 'string',
      enum: ['started', 'stopped', 'present', 'absent'],
      description: 'port: started (default; something listens) or stopped (nothing does). path: present (default) or absent.',
    },
    timeout: { type: 'integer', minimum: 1, default: 300, description: 'Seconds to wait before the task fails.' },
    delay: { type: 'integer', minimum: 0, default: 0, description: 'Seconds to sleep before polling starts (only when the condition did not already hold).' },
    sleep: { type: 'integer', minimum: 1, default: 1, description: 'Seconds between checks.' },
  },
};
