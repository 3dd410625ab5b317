/**
 * The pure decision of `firewalld`: (args, FirewalldCurrent) -> Changes. No I/O.
 * - not installed: disabled/stopped are already true ([]); enabled is a TaskFailure.
 * - stopped: `systemctl disable --now firewalld` unless it is neither running nor enabled.
 * - enabled/disabled: permanent via firewall-cmd --permanent (firewall-offline-cmd when the
 *   daemon is not running), immediate via firewall-cmd only when the daemon runs.
 */
import { TaskFailure, type Change } from '../../src/module-api/index.js';
import type { FirewalldArgs } from './args.js';
import { queryArgs, type FirewalldCurrent } from './read-firewalld.js';

export interface FirewalldRule {
  readonly kind: 'service' | 'port';
  readonly value: string;
  readonly zone?: string;
}

/** The rule a task opens/closes; null for state: stopped. TaskFailure on a wrong combination. */
export function ruleOf(args: FirewalldArgs): FirewalldRule | null {
  const given = [args.service, args.port].filter((x) => x !== undefined).length;
  if (args.state === 'stopped') {
    if (given > 0 || args.zone !== undefined) throw new TaskFailure('firewalld: state: stopped stops the firewalld service; service/port/zone do not go with it');
    return null;
  }
  if (given !== 1) throw new TaskFailure(`firewalld: state: ${args.state} needs exactly one of service or port`, 'e.g. `firewalld: {port: 6443/tcp, state: enabled}`');
  const zone = args.zone !== undefined ? { zone: args.zone } : {};
  return args.service !== undefined ? { kind: 'service', value: args.service, ...zone } : { kind: 'port', value: args.port as string, ...zone };
}

export function planFirewalld(args: FirewalldArgs, cur: FirewalldCurrent): Change[] {
  const rule = ruleOf(args);
  if (!cur.installed) {
    if (args.state === 'enabled') {
      throw new TaskFailure(`firewalld is not installed: cannot open ${rule?.kind} ${rule?.value}`, 'install the firewalld package first, or drop this task when the host has no firewall');
    }
    return []; // firewalld not installed: "disabled"/"stopped" already hold.
  }
  if (rule === null) {
    const running = cur.active === 'active' || cur.active === 'activating';
    const enabled = cur.enabled === 'enabled' || cur.enabled === 'enabled-runtime';
    if (!running && !enabled) return [];
    return [{ summary: `stop and disable firewalld (was ${cur.active}, ${cur.enabled})`, steps: [{ kind: 'exec', cmd: ['systemctl', 'disable', '--now', 'firewalld'], timeoutMs: 120_000 }] }];
  }
  const want = args.state === 'enabled';
  const verb = want ? 'add' : 'remove';
  const what = `${rule.kind} ${rule.value}${rule.zone ? ` (zone ${rule.zone})` : ''}`;
  const changes: Change[] = [];
  const running = cur.active === 'active';
  if (args.permanent !== false && cur.permanent !== want) {
    const cmd = running ? ['firewall-cmd', '--permanent', ...queryArgs(rule.kind, rule.value, rule.zone, verb)] : ['firewall-offline-cmd', ...queryArgs(rule.kind, rule.value, rule.zone, verb)];
    changes.push({ summary: `${want ? 'open' : 'close'} ${what} (permanent)`, steps: [{ kind: 'exec', cmd }] });
  }
  if (args.immediate !== false && running && cur.runtime !== want) {
    changes.push({ summary: `${want ? 'open' : 'close'} ${what} (running firewall)`, steps: [{ kind: 'exec', cmd: ['firewall-cmd', ...queryArgs(rule.kind, rule.value, rule.zone, verb)] }] });
  }
  if (args.permanent === false && args.immediate !== false && !running) {
    throw new TaskFailure(`firewalld is not running: cannot change the running firewall (${what})`, 'start firewalld first, or set permanent: true');
  }
  return changes;
}
