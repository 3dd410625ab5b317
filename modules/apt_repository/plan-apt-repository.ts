/**
 * The pure decision of `apt_repository`: (args, RepoFiles) -> Changes. No I/O. Order: key
 * (put, 0644, /etc/apt/keyrings created by the put), source (put with a diff), removal of the
 * other format's files of the same filename; with update_cache, `apt-get update` for this source
 * alone is the last step of the last change (never planned on its own: a converged run is []).
 */
import { TaskFailure, type Change, type Step } from '../../src/module-api/index.js';
import type { AptRepositoryArgs } from './args.js';
import { repoPaths, type RepoFiles } from './read-files.js';
import { parseSourceLine, renderDeb822, renderListLine } from './source-entry.js';

export interface WantedKey {
  readonly path: string;
  readonly content: Buffer;
}

const ARMOR = '-----BEGIN PGP PUBLIC KEY BLOCK-----';

export function wantedKey(args: AptRepositoryArgs): WantedKey | null {
  const p = repoPaths(args.filename);
  if (args.key_content !== undefined && args.key_base64 !== undefined) throw new TaskFailure('apt_repository: give key_content or key_src/key_base64, not both');
  if (args.key_content !== undefined) {
    const text = args.key_content.trim();
    if (!text.startsWith(ARMOR)) {
      throw new TaskFailure('apt_repository: key_content is not an ASCII-armored public key', `it must start with ${ARMOR}; for a binary key file use key_src`);
    }
    return { path: p.asc, content: Buffer.from(`${text}\n`) };
  }
  if (args.key_base64 !== undefined) return { path: p.gpg, content: Buffer.from(args.key_base64, 'base64') };
  return null;
}

function updateStep(sourceFile: string): Step {
  return {
    kind: 'exec',
    cmd: ['apt-get', 'update', '-q', '-o', `Dir::Etc::sourcelist=${sourceFile}`, '-o', 'Dir::Etc::sourceparts=-', '-o', 'APT::Get::List-Cleanup=0'],
    env: { DEBIAN_FRONTEND: 'noninteractive' },
  };
}

const text = (b: Buffer | null | undefined): string | null => (b === null || b === undefined ? null : b.toString('utf8'));

export function planAptRepository(args: AptRepositoryArgs, files: RepoFiles): Change[] {
  const p = repoPaths(args.filename);
  const changes: Change[] = [];
  const removeIfThere = (path: string, what: string): void => {
    if (files[path]) changes.push({ summary: `remove ${what} ${path}`, steps: [{ kind: 'remove', path }], diff: { path, before: path.endsWith('.gpg') ? '(binary key)\n' : (text(files[path]) ?? ''), after: null } });
  };
  if ((args.state ?? 'present') === 'absent') {
    for (const path of [p.list, p.sources]) removeIfThere(path, 'apt source');
    for (const path of [p.asc, p.gpg]) removeIfThere(path, 'apt key');
    return changes;
  }
  if (args.repo === undefined) throw new TaskFailure('apt_repository: state: present needs repo', 'e.g. repo: "deb https://pkgs.k8s.io/core:/stable:/v1.29/deb/ /"');
  const key = wantedKey(args);
  let entry;
  try {
    entry = parseSourceLine(args.repo);
  } catch (err) {
    throw new TaskFailure(`apt_repository: ${(err as Error).message}`, 'e.g. repo: "deb [arch=amd64] https://example.org/debian bookworm main"');
  }
  const deb822 = (args.format ?? 'list') === 'deb822';
  const sourcePath = deb822 ? p.sources : p.list;
  let source: string;
  try {
    source = deb822 ? renderDeb822(entry, key?.path ?? null) : renderListLine(entry, key?.path ?? null);
  } catch (err) {
    throw new TaskFailure(`apt_repository: ${(err as Error).message}`);
  }

  if (key !== null && !(files[key.path]?.equals(key.content) ?? false)) {
    const armored = key.path.endsWith('.asc');
    changes.push({
      summary: `${files[key.path] ? 'update' : 'add'} signing key ${key.path}`,
      steps: [{ kind: 'put', path: key.path, content: armored ? key.content.toString('utf8') : key.content, mode: '0644' }],
      ...(armored ? { diff: { path: key.path, before: text(files[key.path]), after: key.content.toString('utf8') } } : {}),
    });
  }
  for (const other of [p.asc, p.gpg]) if (other !== key?.path) removeIfThere(other, 'old apt key');
  const before = text(files[sourcePath]);
  if (before !== source) {
    changes.push({ summary: `${before === null ? 'add' : 'update'} apt source ${sourcePath}`, steps: [{ kind: 'put', path: sourcePath, content: source, mode: '0644' }], diff: { path: sourcePath, before, after: source } });
  }
  removeIfThere(deb822 ? p.list : p.sources, 'old apt source');
  const last = changes[changes.length - 1];
  if (last !== undefined && (args.update_cache ?? true)) {
    changes[changes.length - 1] = { ...last, steps: [...last.steps, updateStep(`sources.list.d/${sourcePath.split('/').pop() ?? ''}`)] };
  }
  return changes;
}
