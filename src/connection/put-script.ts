/**
 * The atomic-put shell script: write stdin to a temp file beside the target, fsync, chmod,
 * chown, rename, fsync the directory. Used when a put cannot be done with node:fs directly
 * (local put through sudo; any connection that only has a remote shell, e.g. ssh). It only
 * builds the script (quoted by construction through sh``); it runs nothing itself.
 *
 * Exit codes of the script: 0 done, 3 the target's directory is missing, other = the failing
 * tool's code (stderr says which step). The temp file is removed on every failure.
 */
import { posix } from 'node:path';
import { sh, type ShellScript } from '../module-api/shell-quote.js';
import type { PutOptions } from './types.js';

export const PUT_DIR_MISSING_EXIT = 3;

/** Temp-file prefix in the target's directory: `.<name>.k3play-` (+ random suffix). */
export function putTempPrefix(path: string): string {
  return posix.join(posix.dirname(path), `.${posix.basename(path)}.k3play-`);
}

export function putScript(path: string, opts: Pick<PutOptions, 'mode' | 'owner' | 'group'> = {}): ShellScript {
  const dir = posix.dirname(path);
  const template = `${putTempPrefix(path)}XXXXXX`;
  const chmod = opts.mode
    ? sh`chmod ${opts.mode} "$tmp"`
    : sh`if [ -e ${path} ]; then chmod "$(stat -L -c %a ${path})" "$tmp"; else chmod 0644 "$tmp"; fi`;
  const owner = ownerSpec(opts.owner, opts.group);
  const chown = owner ? sh`chown ${owner} "$tmp"` : sh`:`;
  return sh`set -e
[ -d ${dir} ] || { echo "k3play put: directory "${dir}" does not exist" >&2; exit ${PUT_DIR_MISSING_EXIT}; }
tmp=$(mktemp ${template})
trap 'rm -f "$tmp"' EXIT
cat > "$tmp"
sync -- "$tmp" 2>/dev/null || sync
${chown}
${chmod}
mv -f -- "$tmp" ${path}
trap - EXIT
sync -- ${dir} 2>/dev/null || true`;
}

/** `owner:group`, `owner`, `:group` for chown, or undefined when neither is given. */
export function ownerSpec(owner?: string, group?: string): string | undefined {
  if (owner && group) return `${owner}:${group}`;
  if (owner) return owner;
  if (group) return `:${group}`;
  return undefined;
}
