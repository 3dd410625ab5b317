/**
 * What `get_url` asks a host, in ONE round trip, and the pure parser of the answer. Output:
 *   absent                                  dest does not exist
 *   notfile                                 dest exists and is not a regular file
 *   file<TAB>sha256<TAB>mode<TAB>owner<TAB>uid<TAB>group<TAB>gid
 */
import { sh, type ShellScript } from '../../src/module-api/index.js';

export type DestFacts =
  | { readonly kind: 'absent' }
  | { readonly kind: 'notfile' }
  | { readonly kind: 'file'; readonly sha256: string; readonly mode: string; readonly owner: string; readonly uid: number; readonly group: string; readonly gid: number };

export function destReadScript(dest: string): ShellScript {
  return sh`p=${dest}
if [ -f "$p" ]; then
  s=$(sha256sum -- "$p" | cut -d' ' -f1) || exit 3
  printf 'file\\t%s\\t' "$s"; stat -L --printf '%a\\t%U\\t%u\\t%G\\t%g\\n' -- "$p"
elif [ -e "$p" ]; then echo notfile
else echo absent; fi`;
}

export function parseDest(output: string): DestFacts {
  const line = output.trim();
  if (line === 'absent') return { kind: 'absent' };
  if (line === 'notfile') return { kind: 'notfile' };
  const f = line.split('\t');
  const [tag, sha, mode, owner, uid, group, gid] = f;
  if (f.length !== 7 || tag !== 'file' || !/^[0-9a-f]{64}$/.test(sha ?? '') || !/^[0-7]{1,4}$/.test(mode ?? '') || !/^\d+$/.test(uid ?? '') || !/^\d+$/.test(gid ?? '')) {
    throw new Error(`unexpected output ${JSON.stringify(output)}`);
  }
  return { kind: 'file', sha256: sha as string, mode: (mode as string).padStart(4, '0'), owner: owner as string, uid: Number(uid), group: group as string, gid: Number(gid) };
}
