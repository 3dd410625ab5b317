/**
 * The atomic-put shell script: write stdin to a temp file beside the target, fsync, chmod,
 * chown, rename, fsync the directory. Used when a put cannot be done with node:fs directly
 * (local put through sudo; any connection that only has a remote shell, e.g. ssh). It only
 * builds the script (quoted by construction through sh``); it runs nothing itself.
 *
 * Exit codes of the script: 0 done, 3 the target's directory is missing, 4 short transfer
 * (fewer bytes arrived than expected), other = the failing tool's code (stderr says which
 * step). The temp file is removed on every failure and on HUP/INT/PIPE/TERM (sshd hanging up
 * when k3play dies mid-transfer); only a SIGKILLed remote shell or a host that loses power
 * leaves a `.<name>.k3play-XXXXXX` behind.
 */
import { posix } from 'node:path';
import { sh, type ShellScript } from '../module-api/shell-quote.js';
import type { PutOptions } from './types.js';

export const PUT_DIR_MISSING_EXIT = 3;
export const PUT_SHORT_EXIT = 4;

/** Temp-file prefix in the target's directory: `.<name>.k3play-` (+ random suffix). */
export function putTempPrefix(path: string): string {
  return posix.join(posix.dirname(path), `.${posix.basename(path)}.k3play-`);
}

/**
 * `expectedBytes`: the content's length. When given, a short temp file (the sender died and
 * `cat` saw an early EOF, e.g. k3play SIGKILLed mid-transfer) is removed, never renamed over
 * the target; exit PUT_SHORT_EXIT. Always give it when the content travels over a connection.
 */
export function putScript(path: string, opts: Pick<PutOptions, 'mode' | 'owner' | 'group'> = {}, expectedBytes?: number): ShellScript {
  const dir = posix.dirname(path);
  const template = `${putTempPrefix(path)}XXXXXX`;
  const chmod = opts.mode
    ? sh`chmod ${opts.mode} "$tmp"`
    : sh`if [ -e ${path} ]; then chmod "$(stat -L -c %a ${path})" "$tmp"; else chmod 0644 "$tmp"; fi`;
  const owner = ownerSpec(opts.owner, opts.group);
  const chown = owner ? sh`chown ${owner} "$tmp"` : sh`:`;
  const sizeCheck =
    expectedBytes === undefined
      ? sh`:`
      : sh`[ "$(stat -c %s "$tmp")" = ${String(expectedBytes)} ] || { echo "k3play put: short transfer ($(stat -c %s "$tmp") of "${String(expectedBytes)}" bytes), target left unchanged" >&2; exit ${PUT_SHORT_EXIT}; }`;
  return sh`set -e
[ -d ${dir} ] || { echo "k3play put: directory "${dir}" does not exist" >&2; exit ${PUT_DIR_MISSING_EXIT}; }
tmp=$(mktemp ${template})
trap 'rm -f "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM
cat > "$tmp"
${sizeCheck}
sync -- "$tmp" 2>/dev/null || sync
${chown}
${chmod}
mv -f -- "$tmp" ${path}
trap - EXIT HUP INT PIPE TERM
sync -- ${dir} 2>/dev/null || true`;
}

/** `owner:group`, `owner`, `:group` for chown, or undefined when neither is given. */
export function ownerSpec(owner?: string, group?: string): string | undefined {
  if (owner && group) return `${owner}:${group}`;
  if (owner) return owner;
  if (group) return `:${group}`;
  return undefined;
}
