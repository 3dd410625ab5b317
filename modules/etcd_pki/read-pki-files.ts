/**
 * What `etcd_pki` looks at, without writing anything: on the host, in ONE round trip, each
 * target file's mode, owner, group and sha256 (never its content: keys stay on the host) and
 * whether the directory exists; on the controller, the PKI directory's files the plan would
 * write (so the engine's re-plan after apply sees them saved). `parsePkiHostRead` is pure.
 *
 * Host output, one tab-separated record a line:
 *   dir<TAB>present|absent
 *   file<TAB>PATH<TAB>MODE<TAB>OWNER<TAB>GROUP<TAB>SHA256   |   absent<TAB>PATH
 */
import { readFile } from 'node:fs/promises';
import { sh, type ShellScript } from '../../src/module-api/index.js';

export type HostFileState = { readonly kind: 'absent' } | { readonly kind: 'file'; readonly mode: string; readonly owner: string; readonly group: string; readonly sha256: string };

export interface PkiHostState {
  readonly destDir: boolean;
  readonly files: ReadonlyMap<string, HostFileState>;
}

export function pkiHostReadScript(dest: string, paths: readonly string[]): ShellScript {
  return sh`if [ -d ${dest} ]; then printf 'dir\\tpresent\\n'; else printf 'dir\\tabsent\\n'; fi
for p in ${[...paths]}; do
  if [ -f "$p" ]; then
    printf 'file\\t%s\\t%s\\t%s\\n' "$p" "$(stat -c '%a\t%U\t%G' -- "$p")" "$(sha256sum < "$p" | cut -c1-64)"
  else
    printf 'absent\\t%s\\n' "$p"
  fi
done`;
}

export function parsePkiHostRead(output: string, paths: readonly string[]): PkiHostState {
  let destDir: boolean | undefined;
  const files = new Map<string, HostFileState>();
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const f = line.split('\t');
    if (f[0] === 'dir' && (f[1] === 'present' || f[1] === 'absent')) destDir = f[1] === 'present';
    else if (f[0] === 'absent' && f.length === 2) files.set(f[1]!, { kind: 'absent' });
    else if (f[0] === 'file' && f.length === 6 && /^[0-7]{3,4}$/.test(f[2]!) && /^[0-9a-f]{64}$/.test(f[5]!)) {
      files.set(f[1]!, { kind: 'file', mode: f[2]!.padStart(4, '0'), owner: f[3]!, group: f[4]!, sha256: f[5]! });
    } else throw new Error(`unexpected line ${JSON.stringify(line.slice(0, 200))}`);
  }
  if (destDir === undefined) throw new Error('no dir record in the output');
  const missing = paths.filter((p) => !files.has(p));
  if (missing.length > 0) throw new Error(`no record for ${missing.join(', ')}`);
  return { destDir, files };
}

/** Contents of controller files (null when absent). */
export async function readControllerFiles(paths: readonly string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  await Promise.all(
    paths.map(async (p) => {
      try {
        out.set(p, await readFile(p, 'utf8'));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        out.set(p, null);
      }
    }),
  );
  return out;
}
