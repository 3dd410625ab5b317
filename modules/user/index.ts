/**
 * `user`: a local account exists with the given attributes, or not. read is ONE round trip
 * (read-user.ts); plan is pure: ONE useradd, usermod or userdel per task, its summary naming
 * every attribute that differs. Passwords and ssh keys are not managed here.
 */
import { defineModule, TaskFailure, type Change } from '../../src/module-api/index.js';
import { userArgsSchema, type UserArgs } from './args.js';
import { parseUserRead, userReadScript, type UserCurrent } from './read-user.js';

export default defineModule<UserArgs, UserCurrent>({
  name: 'user',
  summary: 'Create a local user (uid, primary and supplementary groups, home, shell), change those attributes, or remove it.',
  args: userArgsSchema,
  examples: [
    `- name: etcd service account
  user:
    name: etcd
    group: etcd
    system: true
    home: /var/lib/etcd
    shell: /usr/sbin/nologin
    create_home: false`,
  ],

  async read(probe, args) {
    const r = await probe.exec(userReadScript(args.name));
    try {
      if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.stderr.trim()}`);
      return parseUserRead(r.stdout);
    } catch (err) {
      throw new TaskFailure(`cannot read user ${args.name}: ${(err as Error).message}`);
    }
  },

  plan: planUser,
});

export function planUser(args: UserArgs, cur: UserCurrent): Change[] {
  if ((args.state ?? 'present') === 'absent') {
    if (!cur.exists) return [];
    return [{ summary: `remove user ${args.name}${args.remove ? ' and its home' : ''}`, steps: [{ kind: 'exec', cmd: ['userdel', ...(args.remove ? ['-r'] : []), args.name] }] }];
  }
  if (args.remove) throw new TaskFailure('user: remove goes with state: absent');
  if (!cur.exists) {
    const argv = ['useradd'];
    if (args.uid !== undefined) argv.push('-u', String(args.uid));
    if (args.group !== undefined) argv.push('-g', args.group);
    if (args.groups && args.groups.length > 0) argv.push('-G', args.groups.join(','));
    if (args.home !== undefined) argv.push('-d', args.home);
    if (args.shell !== undefined) argv.push('-s', args.shell);
    if (args.system) argv.push('-r');
    argv.push(args.create_home === false ? '-M' : '-m', args.name);
    return [{ summary: `create user ${args.name}`, steps: [{ kind: 'exec', cmd: argv }] }];
  }
  const argv: string[] = [];
  const parts: string[] = [];
  if (args.uid !== undefined && args.uid !== cur.uid) {
    argv.push('-u', String(args.uid));
    parts.push(`uid ${cur.uid} -> ${args.uid}`);
  }
  if (args.group !== undefined && args.group !== cur.primary && args.group !== String(cur.gid)) {
    argv.push('-g', args.group);
    parts.push(`group ${cur.primary} -> ${args.group}`);
  }
  if (args.groups !== undefined) {
    if (args.append === false) {
      const wanted = [...new Set(args.groups)].sort();
      if (wanted.join(',') !== cur.groups.join(',')) {
        argv.push('-G', wanted.join(','));
        parts.push(`groups ${cur.groups.join(',') || '(none)'} -> ${wanted.join(',') || '(none)'}`);
      }
    } else {
      const missing = args.groups.filter((g) => !cur.groups.includes(g) && g !== cur.primary);
      if (missing.length > 0) {
        argv.push('-a', '-G', missing.join(','));
        parts.push(`groups +${missing.join(',')}`);
      }
    }
  }
  if (args.home !== undefined && args.home !== cur.home) {
    argv.push('-d', args.home);
    parts.push(`home ${cur.home} -> ${args.home}`);
  }
  if (args.shell !== undefined && args.shell !== cur.shell) {
    argv.push('-s', args.shell);
    parts.push(`shell ${cur.shell} -> ${args.shell}`);
  }
  if (argv.length === 0) return [];
  return [{ summary: `user ${args.name}: ${parts.join(', ')}`, steps: [{ kind: 'exec', cmd: ['usermod', ...argv, args.name] }] }];
}
