/**
 * `group`: a local group exists (with a gid) or not. read is ONE round trip (`getent group`);
 * plan is pure: groupadd / groupmod -g / groupdel. Members are managed by the `user` module.
 */
import { defineModule, sh, TaskFailure, type Change } from '../../src/module-api/index.js';
import { groupArgsSchema, type GroupArgs } from './args.js';

export interface GroupCurrent {
  /** null: no such group. */
  readonly gid: number | null;
}

export default defineModule<GroupArgs, GroupCurrent>({
  name: 'group',
  summary: 'Create a local group (optionally with a fixed gid, or as a system group), change its gid, or remove it.',
  args: groupArgsSchema,
  examples: [
    `- name: etcd group
  group:
    name: etcd
    system: true`,
  ],

  async read(probe, args) {
    const r = await probe.exec(sh`getent group ${args.name}; echo "rc=$?"`);
    try {
      return parseGetentGroup(args.name, r.stdout);
    } catch (err) {
      throw new TaskFailure(`cannot read group ${args.name}: ${(err as Error).message}`);
    }
  },

  plan(args, cur) {
    if ((args.state ?? 'present') === 'absent') {
      return cur.gid === null ? [] : [{ summary: `remove group ${args.name}`, steps: [{ kind: 'exec', cmd: ['groupdel', args.name] }] }];
    }
    if (cur.gid === null) {
      const argv = ['groupadd', ...(args.gid !== undefined ? ['-g', String(args.gid)] : []), ...(args.system ? ['-r'] : []), args.name];
      return [{ summary: `create group ${args.name}${args.gid !== undefined ? ` (gid ${args.gid})` : ''}`, steps: [{ kind: 'exec', cmd: argv }] }];
    }
    const changes: Change[] = [];
    if (args.gid !== undefined && args.gid !== cur.gid) {
      changes.push({ summary: `group ${args.name}: gid ${cur.gid} -> ${args.gid}`, steps: [{ kind: 'exec', cmd: ['groupmod', '-g', String(args.gid), args.name] }] });
    }
    return changes;
  },
});

/** Parses `getent group NAME; echo "rc=$?"` (rc 2 = no such group). */
export function parseGetentGroup(name: string, output: string): GroupCurrent {
  const rc = /^rc=(\d+)$/m.exec(output)?.[1];
  if (rc === '2') return { gid: null };
  if (rc !== '0') throw new Error(`getent exited ${rc ?? '?'}: ${JSON.stringify(output)}`);
  const line = output.split('\n').find((l) => l.startsWith(`${name}:`));
  const gid = line?.split(':')[2];
  if (gid === undefined || !/^\d+$/.test(gid)) throw new Error(`unexpected getent output ${JSON.stringify(output)}`);
  return { gid: Number(gid) };
}
