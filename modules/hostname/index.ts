/**
 * `hostname`: the host's name in /etc/hostname and in the running system. With systemd it uses
 * `hostnamectl set-hostname` (both at once, and hostnamed stays in sync); without, it writes
 * /etc/hostname and runs `hostname NAME`. read is ONE round trip (read-hostname.ts); plan is
 * pure. /etc/hosts is not touched (a separate task, e.g. hosts_entries).
 */
import { defineModule, TaskFailure, type Change } from '../../src/module-api/index.js';
import { hostnameArgsSchema, type HostnameArgs } from './args.js';
import { fileHostname, hostnameReadScript, parseHostnameRead, type HostnameCurrent } from './read-hostname.js';

export default defineModule<HostnameArgs, HostnameCurrent>({
  name: 'hostname',
  summary: 'Set the host name in /etc/hostname and in the running system (hostnamectl where systemd runs).',
  args: hostnameArgsSchema,
  examples: [
    `- name: name the node after its inventory name
  hostname:
    name: "{{ inventory_hostname }}"`,
  ],

  async read(probe) {
    const r = await probe.exec(hostnameReadScript);
    if (r.exitCode !== 0) throw new TaskFailure(`cannot read the host name: exit ${r.exitCode}: ${r.stderr.trim()}`);
    try {
      return parseHostnameRead(r.stdout);
    } catch (err) {
      throw new TaskFailure(`cannot read the host name: ${(err as Error).message}`, `output was: ${JSON.stringify(r.stdout.slice(0, 300))}`);
    }
  },

  plan: planHostname,
});

export function planHostname(args: HostnameArgs, cur: HostnameCurrent): Change[] {
  const name = args.name;
  const fileOk = fileHostname(cur.file) === name;
  const runtimeOk = cur.runtime === name;
  if (fileOk && runtimeOk) return [];
  const diff = fileOk ? undefined : { diff: { path: '/etc/hostname', before: cur.file, after: `${name}\n` } };
  if (cur.hostnamectl) {
    const from = fileOk ? cur.runtime : (fileHostname(cur.file) ?? cur.runtime);
    return [{ summary: `hostname ${from} -> ${name} (hostnamectl)`, steps: [{ kind: 'exec', cmd: ['hostnamectl', 'set-hostname', name] }], ...diff }];
  }
  const changes: Change[] = [];
  if (!fileOk) {
    changes.push({ summary: `/etc/hostname: ${fileHostname(cur.file) ?? '(none)'} -> ${name}`, steps: [{ kind: 'put', path: '/etc/hostname', content: `${name}\n`, mode: '0644' }], ...diff });
  }
  if (!runtimeOk) changes.push({ summary: `running host name ${cur.runtime} -> ${name}`, steps: [{ kind: 'exec', cmd: ['hostname', name] }] });
  return changes;
}
