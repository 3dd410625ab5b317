/**
 * What `sysctl` asks a host, in ONE round trip, and the pure parser of the answer. The script
 * writes nothing; it needs no `sysctl` binary (reads /proc/sys directly). Output, one record a
 * line, then the file verbatim after a marker (so its bytes, final newline included, survive):
 *
 *   proc=absent                      | writable=1|0 + runtime=<value, newlines as spaces>
 *   file=absent                      | @@k3play-file, then the file's content
 */
import { sh, type ShellScript } from '../../src/module-api/index.js';
import { procPath } from './sysctl-conf.js';

export interface SysctlCurrent {
  /** /proc/sys path of the key. */
  readonly path: string;
  /** The key exists in this kernel (its module is loaded). */
  readonly exists: boolean;
  /** Writable here: false on a read-only mount such as /proc/sys/vm in a container. */
  readonly writable: boolean;
  /** Runtime value (raw, whitespace not yet normalised); null when it does not exist or cannot be read. */
  readonly runtime: string | null;
  /** sysctl_file's content; null when the file does not exist. */
  readonly file: string | null;
}

const FILE_MARK = '@@k3play-file\n';

export function sysctlReadScript(name: string, file: string): ShellScript {
  return sh`p=${procPath(name)}; f=${file}
if [ -e "$p" ]; then
  if [ -w "$p" ]; then echo writable=1; else echo writable=0; fi
  if v=$(cat "$p" 2>/dev/null); then printf 'runtime=%s\\n' "$(printf %s "$v" | tr '\\n' ' ')"; fi
else
  echo proc=absent
fi
if [ -f "$f" ]; then printf '@@k3play-file\\n'; cat "$f"; else echo file=absent; fi`;
}

export function parseSysctlRead(name: string, output: string): SysctlCurrent {
  const mark = output.indexOf(FILE_MARK);
  const head = mark >= 0 ? output.slice(0, mark) : output;
  const file = mark >= 0 ? output.slice(mark + FILE_MARK.length) : null;
  const rec = new Map<string, string>();
  for (const line of head.split('\n')) {
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`unexpected line ${JSON.stringify(line)}`);
    rec.set(line.slice(0, eq), line.slice(eq + 1));
  }
  if (mark < 0 && rec.get('file') !== 'absent') throw new Error('no file record in the output');
  const exists = rec.get('proc') !== 'absent';
  if (exists && !rec.has('writable')) throw new Error('no writable record in the output');
  return { path: procPath(name), exists, writable: rec.get('writable') === '1', runtime: exists ? (rec.get('runtime') ?? null) : null, file };
}
