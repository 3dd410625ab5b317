/**
 * What `user` asks a host, in ONE round trip, and the pure parser of the answer. Output:
 *   passwd=absent                                  | passwd=<getent passwd line>
 *   primary=<primary group name>                   (only when the user exists)
 *   groups=<space-separated names from id -Gn>     (only when the user exists; includes primary)
 */
import { sh, type ShellScript } from '../../src/module-api/index.js';

export type UserCurrent =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly uid: number;
      readonly gid: number;
      readonly home: string;
      readonly shell: string;
      readonly primary: string;
      /** Supplementary groups (id -Gn without the primary group), sorted. */
      readonly groups: readonly string[];
    };

export function userReadScript(name: string): ShellScript {
  return sh`u=${name}
if e=$(getent passwd "$u"); then
  printf 'passwd=%s\\n' "$e"
  printf 'primary=%s\\n' "$(id -gn -- "$u")"
  printf 'groups=%s\\n' "$(id -Gn -- "$u")"
else echo passwd=absent; fi`;
}

export function parseUserRead(output: string): UserCurrent {
  const rec = new Map<string, string>();
  for (const line of output.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) rec.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const passwd = rec.get('passwd');
  if (passwd === undefined) throw new Error(`unexpected output ${JSON.stringify(output)}`);
  if (passwd === 'absent') return { exists: false };
  const f = passwd.split(':');
  const primary = rec.get('primary');
  if (f.length !== 7 || !/^\d+$/.test(f[2] ?? '') || !/^\d+$/.test(f[3] ?? '') || !primary) throw new Error(`unexpected output ${JSON.stringify(output)}`);
  const groups = (rec.get('groups') ?? '').split(' ').filter((g) => g !== '' && g !== primary);
  return { exists: true, uid: Number(f[2]), gid: Number(f[3]), home: f[5] as string, shell: f[6] as string, primary, groups: [...new Set(groups)].sort() };
}
