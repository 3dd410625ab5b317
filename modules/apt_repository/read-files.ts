/**
 * The one read of `apt_repository` (and the shape of its answer): the four files a filename
 * may own (source .list/.sources, key .asc/.gpg), each printed as `present<TAB>PATH<TAB>base64`
 * or `absent<TAB>PATH`, so binary keys survive byte for byte. Writes nothing.
 */
import { sh, type ShellScript } from '../../src/module-api/index.js';

export const SOURCES_DIR = '/etc/apt/sources.list.d';
export const KEYRINGS_DIR = '/etc/apt/keyrings';

export interface RepoPaths {
  readonly list: string;
  readonly sources: string;
  readonly asc: string;
  readonly gpg: string;
}

export function repoPaths(filename: string): RepoPaths {
  return {
    list: `${SOURCES_DIR}/${filename}.list`,
    sources: `${SOURCES_DIR}/${filename}.sources`,
    asc: `${KEYRINGS_DIR}/${filename}.asc`,
    gpg: `${KEYRINGS_DIR}/${filename}.gpg`,
  };
}

/** path -> content (null: absent). */
export type RepoFiles = Readonly<Record<string, Buffer | null>>;

export function readFilesScript(paths: readonly string[]): ShellScript {
  return sh`for f in ${paths}; do
  if [ -f "$f" ]; then printf 'present\\t%s\\t' "$f"; base64 -w0 < "$f"; echo; else printf 'absent\\t%s\\n' "$f"; fi
done`;
}

export function parseReadFiles(out: string, paths: readonly string[]): RepoFiles {
  const files: Record<string, Buffer | null> = {};
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const [what, path, b64] = line.split('\t');
    if (what === 'absent' && path) files[path] = null;
    else if (what === 'present' && path && b64 !== undefined) files[path] = Buffer.from(b64, 'base64');
    else throw new Error(`unexpected line ${JSON.stringify(line.slice(0, 100))}`);
  }
  for (const p of paths) if (!(p in files)) throw new Error(`no record for ${p}`);
  return files;
}
