/**
 * What `selinux` asks a host, in ONE round trip, and the pure parser of the answer. No writes.
 * Output: `getenforce=<Enforcing|Permissive|Disabled|absent>`, then `config=absent` or the
 * marker `@@k3play-config` followed by the config verbatim.
 */
import { sh, type ShellScript } from '../../src/module-api/index.js';

export type Runtime = 'enforcing' | 'permissive' | 'disabled';

export interface SelinuxCurrent {
  /** getenforce's answer, lower-cased; null when getenforce is not installed. */
  readonly runtime: Runtime | null;
  /** The config's content; null when it does not exist. */
  readonly config: string | null;
}

const MARK = '@@k3play-config\n';

export function selinuxReadScript(config: string): ShellScript {
  return sh`c=${config}
if command -v getenforce >/dev/null 2>&1; then echo "getenforce=$(getenforce 2>/dev/null)"; else echo getenforce=absent; fi
if [ -f "$c" ]; then printf '@@k3play-config\\n'; cat "$c"; else echo config=absent; fi`;
}

export function parseSelinuxRead(output: string): SelinuxCurrent {
  const m = /^getenforce=(.*)$/m.exec(output);
  if (!m) throw new Error('no getenforce record in the output');
  const g = (m[1] ?? '').trim().toLowerCase();
  if (g !== 'absent' && g !== 'enforcing' && g !== 'permissive' && g !== 'disabled') throw new Error(`unexpected getenforce answer ${JSON.stringify(m[1])}`);
  const at = output.indexOf(MARK);
  if (at < 0 && !/^config=absent$/m.test(output)) throw new Error('no config record in the output');
  return { runtime: g === 'absent' ? null : g, config: at < 0 ? null : output.slice(at + MARK.length) };
}
