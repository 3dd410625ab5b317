/**
 * The pure decision of the `selinux` module: (args, SelinuxCurrent) -> Changes. No I/O.
 * Changes: the config (SELINUX= and SELINUXTYPE= set in place or appended; a PutStep with a
 * diff; other lines byte-identical), then `setenforce 0|1` when SELinux is enabled now and its
 * mode differs (disabled maps to permissive until the reboot). Crossing the disabled boundary
 * needs a reboot: the config change's summary says "reboot required" (the registered result
 * cannot carry a reboot_required field yet). A host without SELinux (no config, no getenforce)
 * is converged for permissive/disabled and fails for enforcing.
 */
import { TaskFailure, type Change } from '../../src/module-api/index.js';
import type { SelinuxArgs } from './args.js';
import type { SelinuxCurrent } from './read-selinux.js';

export function planSelinux(args: SelinuxArgs, cur: SelinuxCurrent): Change[] {
  const path = args.config ?? '/etc/selinux/config';
  const policy = args.policy ?? 'targeted';
  if (cur.runtime === null && cur.config === null) {
    if (args.state !== 'enforcing') return [];
    throw new TaskFailure(
      `SELinux is not available on this host (no ${path} and no getenforce): cannot make it enforcing`,
      'install and enable SELinux first (on Debian: apt install selinux-basics selinux-policy-default, selinux-activate, reboot), or use state: permissive / disabled',
    );
  }
  const changes: Change[] = [];
  const before = cur.config;
  const after = setKey(setKey(before ?? '', 'SELINUX', args.state), 'SELINUXTYPE', policy);
  if (after !== before) {
    const oldMode = before === null ? null : getKey(before, 'SELINUX');
    const wasDisabled = oldMode === 'disabled' || cur.runtime === 'disabled';
    const reboot = wasDisabled !== (args.state === 'disabled');
    changes.push({
      summary: `SELINUX=${oldMode ?? '(unset)'} -> ${args.state}, SELINUXTYPE=${policy} in ${path}${reboot ? ' (reboot required)' : ''}`,
      steps: [{ kind: 'put', path, content: after, mode: '0644' }],
      diff: { path, before, after },
    });
  }
  if (cur.runtime === 'enforcing' || cur.runtime === 'permissive') {
    const want = args.state === 'enforcing' ? 'enforcing' : 'permissive';
    if (cur.runtime !== want) {
      changes.push({
        summary: `setenforce ${want === 'enforcing' ? 1 : 0}: ${cur.runtime} -> ${want}${args.state === 'disabled' ? ' (disabled after the reboot)' : ''}`,
        steps: [{ kind: 'exec', cmd: ['setenforce', want === 'enforcing' ? '1' : '0'] }],
      });
    }
  }
  return changes;
}

const line = (key: string) => new RegExp(`^[ \\t]*${key}[ \\t]*=(.*)$`, 'm');

/** Value of the first `KEY=value` line, unquoted; null when there is none. */
export function getKey(text: string, key: string): string | null {
  const m = line(key).exec(text);
  return m ? (m[1] ?? '').trim().replace(/^["']|["']$/g, '') : null;
}

/** `text` with the first KEY= line set to KEY=value (kept as is when already equal), or the line appended. */
export function setKey(text: string, key: string, value: string): string {
  const m = line(key).exec(text);
  if (!m) return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${key}=${value}\n`;
  if (getKey(text, key) === value) return text;
  return text.slice(0, m.index) + `${key}=${value}` + text.slice(m.index + m[0].length);
}
