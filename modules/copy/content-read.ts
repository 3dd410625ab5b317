/**
 * The one read shared by the file-content modules (copy, template, lineinfile, blockinfile,
 * replace, hosts_entries): ONE round trip that prints what is at a path, its mode, owner,
 * group and its full content (base64, binary-safe). Files larger than CONTENT_LIMIT bytes are
 * reported by sha256 only. `parseContentState` is the pure parser (tested on testdata/*.txt);
 * `readContentState` runs the script through a Probe and turns odd output into a TaskFailure.
 * Writes nothing.
 *
 * Output, one tab-separated record per line:
 *   absent | directory | dangling | other<TAB>%F
 *   file<TAB>%a<TAB>%U<TAB>%u<TAB>%G<TAB>%g<TAB>%s      (stat -L: a symlink is followed)
 *   content<TAB>BASE64  or  sha256<TAB>HEX               (after a file record)
 */
import { sh, TaskFailure, type Probe, type ShellScript } from '../../src/module-api/index.js';

/** Above this size, read reports a sha256 instead of the content (editing modules then fail). */
export const CONTENT_LIMIT = 16 * 1024 * 1024;

export interface FileAttrs {
  /** 4-digit octal, e.g. "0644". */
  readonly mode: string;
  readonly owner: string;
  readonly uid: number;
  readonly group: string;
  readonly gid: number;
  readonly size: number;
}

export type ContentState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'directory' }
  | { readonly kind: 'dangling' }
  | { readonly kind: 'other'; readonly type: string }
  | { readonly kind: 'file'; readonly attrs: FileAttrs; readonly content: Buffer; readonly sha256?: undefined }
  | { readonly kind: 'file'; readonly attrs: FileAttrs; readonly content: null; readonly sha256: string };

export function contentScript(path: string): ShellScript {
  return sh`p=${path}
if [ -d "$p" ]; then echo directory; exit 0; fi
if [ ! -e "$p" ]; then if [ -L "$p" ]; then echo dangling; else echo absent; fi; exit 0; fi
if [ ! -f "$p" ]; then printf 'other\\t%s\\n' "$(stat -L -c %F -- "$p")"; exit 0; fi
stat -L --printf ${'file\\t%a\\t%U\\t%u\\t%G\\t%g\\t%s\\n'} -- "$p" || exit 2
if [ "$(stat -L -c %s -- "$p")" -le ${CONTENT_LIMIT} ]; then
  printf 'content\\t'; base64 -w0 -- "$p" || exit 2; echo
else
  printf 'sha256\\t'; sha256sum < "$p" | cut -c1-64
fi`;
}

export function parseContentState(output: string): ContentState {
  const lines = output.split('\n').filter((l) => l !== '');
  const [first, second] = lines;
  if (lines.length === 1 && (first === 'absent' || first === 'directory' || first === 'dangling')) return { kind: first };
  if (lines.length === 1 && first?.startsWith('other\t')) return { kind: 'other', type: first.slice(6) };
  const f = first?.split('\t') ?? [];
  const [tag, mode, owner, uid, group, gid, size] = f;
  if (lines.length !== 2 || tag !== 'file' || f.length !== 7 || !/^[0-7]{1,4}$/.test(mode ?? '') || !owner || !group || !/^\d+$/.test(`${uid}${gid}${size}`)) {
    throw new Error(`unexpected read output: ${JSON.stringify(output.slice(0, 200))}`);
  }
  const attrs: FileAttrs = { mode: (mode as string).padStart(4, '0'), owner, uid: Number(uid), group, gid: Number(gid), size: Number(size) };
  const tab = second?.indexOf('\t') ?? -1;
  const kind = second?.slice(0, tab);
  const value = second?.slice(tab + 1) ?? '';
  if (kind === 'content' && /^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
    const content = Buffer.from(value, 'base64');
    if (content.length !== attrs.size) throw new Error(`read ${content.length} bytes of a ${attrs.size}-byte file (did it change while being read?)`);
    return { kind: 'file', attrs, content };
  }
  if (kind === 'sha256' && /^[0-9a-f]{64}$/.test(value)) return { kind: 'file', attrs, content: null, sha256: value };
  throw new Error(`unexpected read output: ${JSON.stringify(output.slice(0, 200))}`);
}

/** The read of every file-content module: one exec, parsed. */
export async function readContentState(probe: Probe, path: string): Promise<ContentState> {
  const r = await probe.exec(contentScript(path));
  if (r.exitCode !== 0) throw new TaskFailure(`cannot read ${path}: exit ${r.exitCode}: ${r.stderr.trim()}`, 'does the connecting user (or become) have read access to it?');
  try {
    return parseContentState(r.stdout);
  } catch (err) {
    throw new TaskFailure(`cannot read ${path}: ${(err as Error).message}`, 'the host needs GNU coreutils (stat, base64, sha256sum)');
  }
}
