/**
 * Argument schema of the `systemd_unit` module, and the unit-name rule (".service" implied).
 * Cross-argument rules (masked with content or state: started, drop-in names) are checked in
 * plan-unit.ts with a TaskFailure that says what to do.
 */
import type { SchemaObject } from 'ajv';

export type UnitState = 'started' | 'stopped' | 'restarted' | 'reloaded';

export interface SystemdUnitArgs {
  name: string;
  content?: string;
  dropin?: { name: string; content: string };
  enabled?: boolean;
  state?: UnitState;
  masked?: boolean;
  daemon_reload?: boolean;
  restart_on_change?: boolean;
  no_block?: boolean;
}

export const systemdUnitArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      minLength: 1,
      pattern: '^[A-Za-z0-9:_.@\\\\-]+$',
      description: 'Unit name, e.g. "etcd.service" or "etcd" (".service" is implied when the name has no unit type suffix).',
    },
    content: {
      type: 'string',
      description: 'Full text of the unit file, written to /etc/systemd/system/NAME (mode 0644). Shown as a diff with --diff.',
    },
    dropin: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'content'],
      description: 'A drop-in file written to /etc/systemd/system/NAME.d/<dropin.name> (mode 0644), e.g. to override one setting of a packaged unit.',
      properties: {
        name: { type: 'string', pattern: '^[A-Za-z0-9:_.@-]+\\.conf$', description: 'File name of the drop-in, ending in .conf, e.g. "10-k3play.conf".' },
        content: { type: 'string', description: 'Text of the drop-in file.' },
      },
    },
    enabled: { type: 'boolean', description: 'Whether the unit starts at boot (systemctl enable/disable). Unset: left as it is.' },
    state: {
      type: 'string',
      enum: ['started', 'stopped', 'restarted', 'reloaded'],
      description:
        'started/stopped: converge (changed only when the unit was not already so; "activating" counts as started). restarted/reloaded are actions, as in Ansible: they run every time and always report changed (reloaded starts a stopped unit). Unset: the running state is left as it is.',
    },
    masked: { type: 'boolean', description: 'true: systemctl mask (the unit cannot be started at all); false: unmask a masked unit. Unset: left as it is.' },
    daemon_reload: {
      type: 'boolean',
      description:
        'Unset (auto): `systemctl daemon-reload` runs only when this task changed the unit file or drop-in, or systemd reports NeedDaemonReload=yes (the file was changed on disk by something else). false: never reload.',
    },
    restart_on_change: {
      type: 'boolean',
      default: false,
      description: 'When the unit file or drop-in changes and the unit is running, restart it. Off by default: a content change alone never restarts a running service.',
    },
    no_block: {
      type: 'boolean',
      default: false,
      description:
        'Start/restart with `systemctl --no-block` (queue the job, do not wait). Needed for Type=notify units that block until peers join, e.g. the first etcd member of a new cluster; wait for health in a later task.',
    },
  },
};

const UNIT_TYPES = ['service', 'socket', 'device', 'mount', 'automount', 'swap', 'target', 'path', 'timer', 'slice', 'scope'];

/** "etcd" -> "etcd.service"; names that already carry a unit type are kept. */
export function unitName(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && UNIT_TYPES.includes(name.slice(dot + 1)) ? name : `${name}.service`;
}
