/**
 * The pure decision of the `sysctl` module: (args, SysctlCurrent) -> Changes. No I/O.
 *
 * Up to two changes, in this order: persist (a PutStep rewriting sysctl_file, with a diff; the
 * other lines are kept byte for byte) and runtime (an exec writing /proc/sys/...). state: absent
 * only removes the line: the running value is left alone (there is no "unset" for a sysctl).
 * A read-only key (see SysctlCurrent.writable) fails unless ignore_readonly, which persists
 * only and names the skipped runtime part in the summary; a runtime mismatch that cannot be
 * applied is then never planned again, so the task converges.
 */
import { sh, TaskFailure, type Change } from '../../src/module-api/index.js';
import { DEFAULT_SYSCTL_FILE, type SysctlArgs } from './args.js';
import type { SysctlCurrent } from './read-sysctl.js';
import { findEntries, normalizeValue, removeEntry, setEntry } from './sysctl-conf.js';

export function planSysctl(args: SysctlArgs, cur: SysctlCurrent): Change[] {
  const name = args.name.trim();
  const file = args.sysctl_file ?? DEFAULT_SYSCTL_FILE;
  if (!file.startsWith('/')) throw new TaskFailure(`sysctl_file "${file}" is not absolute`, 'e.g. sysctl_file: /etc/sysctl.d/90-k8s.conf');
  if ((args.state ?? 'present') === 'absent') return planAbsent(name, file, cur);

  if (args.value === undefined) throw new TaskFailure(`sysctl ${name}: state: present needs a value`, `e.g. value: "1"`);
  const value = normalizeValue(String(args.value));
  if (String(args.value).includes('\n')) throw new TaskFailure(`sysctl ${name}: the value contains a newline`, 'give a one-line value');
  if (!cur.exists) {
    throw new TaskFailure(
      `sysctl ${name} does not exist on this host (${cur.path} is missing)`,
      name.startsWith('net.bridge.') || name.startsWith('net/bridge/')
        ? 'load the kernel module first (modprobe br_netfilter), e.g. with a modprobe task before this one'
        : 'load the kernel module first (modprobe <module>), or check the name for typos',
    );
  }

  const changes: Change[] = [];
  const reload = args.reload ?? true;
  const runtimeDiffers = reload && (cur.runtime === null || normalizeValue(cur.runtime) !== value);
  let skipped = '';
  if (runtimeDiffers && !cur.writable) {
    if (!(args.ignore_readonly ?? false)) {
      throw new TaskFailure(
        `${name} is read-only on this host (${cur.path} is not writable: a read-only /proc/sys mount, e.g. inside a container)`,
        'set it on the container host instead, or set ignore_readonly: true to only persist it in the file (applied at the next boot where it is writable)',
      );
    }
    skipped = `; runtime not applied: ${cur.path} is read-only here (ignore_readonly)`;
  }

  const entries = cur.file === null ? [] : findEntries(cur.file, name);
  const persisted = entries.length === 1 && normalizeValue(entries[0]?.value ?? '') === value;
  if (!persisted) {
    const after = setEntry(cur.file, name, value);
    changes.push({
      summary: `${name} = ${value} in ${file}${skipped}`,
      steps: [{ kind: 'put', path: file, content: after, mode: '0644' }],
      diff: { path: file, before: cur.file, after },
    });
  }
  if (runtimeDiffers && cur.writable) {
    changes.push({
      summary: `${name}: ${cur.runtime === null ? '?' : normalizeValue(cur.runtime)} -> ${value}`,
      steps: [{ kind: 'exec', cmd: sh`printf '%s\\n' ${value} > ${cur.path}` }],
    });
  }
  return changes;
}

function planAbsent(name: string, file: string, cur: SysctlCurrent): Change[] {
  if (cur.file === null || findEntries(cur.file, name).length === 0) return [];
  const after = removeEntry(cur.file, name);
  return [
    {
      summary: `remove ${name} from ${file} (the running value is left as it is)`,
      steps: [{ kind: 'put', path: file, content: after, mode: '0644' }],
      diff: { path: file, before: cur.file, after },
    },
  ];
}
