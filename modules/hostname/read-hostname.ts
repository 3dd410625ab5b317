/**
 * What `hostname` asks a host, in ONE round trip, and the pure parser of the answer. No writes.
 * Output: `runtime=<kernel host name>`, `hostnamectl=1` when systemd runs and hostnamectl is
 * installed, then `file=absent` or `@@k3play-file` followed by /etc/hostname verbatim.
 */
import { rawScript, type ShellScript } from '../../src/module-api/index.js';

export interface HostnameCurrent {
  /** The running kernel's host name (/proc/sys/kernel/hostname). */
  readonly runtime: string;
  /** hostnamectl can be used (systemd runs here and the tool is installed). */
  readonly hostnamectl: boolean;
  /** /etc/hostname content; null when it does not exist. */
  readonly file: string | null;
}

const MARK = '@@k3play-file\n';

export const hostnameReadScript: ShellScript = rawScript(`echo "runtime=$(cat /proc/sys/kernel/hostname)"
[ -d /run/systemd/system ] && command -v hostnamectl >/dev/null 2>&1 && echo hostnamectl=1
if [ -f /etc/hostname ]; then printf '@@k3play-file\\n'; cat /etc/hostname; else echo file=absent; fi`);

export function parseHostnameRead(output: string): HostnameCurrent {
  const at = output.indexOf(MARK);
  const head = at >= 0 ? output.slice(0, at) : output;
  const m = /^runtime=(.*)$/m.exec(head);
  if (!m) throw new Error('no runtime record in the output');
  if (at < 0 && !/^file=absent$/m.test(head)) throw new Error('no /etc/hostname record in the output');
  return { runtime: (m[1] ?? '').trim(), hostnamectl: /^hostnamectl=1$/m.test(head), file: at >= 0 ? output.slice(at + MARK.length) : null };
}

/** The name /etc/hostname sets: its first line that is not blank or a comment. */
export function fileHostname(text: string | null): string | null {
  if (text === null) return null;
  return text.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#')) ?? null;
}
