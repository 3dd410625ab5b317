/**
 * The pure decision shared by the "service with one config file" modules (keepalived,
 * haproxy): (wanted config text + service policy, ServiceConfigCurrent) -> Changes. No I/O.
 *
 * Order: the config directory (mkdir), the config file (ONE put, validated by the daemon's own
 * checker on a staged copy before the rename, so a bad config never replaces a good one), its
 * mode, then the unit: enable, start when not running, and — only when this task changed the
 * file of a running daemon — `onChange` (reload for both keepalived and haproxy: a reload keeps
 * established connections and VRRP state; restart is never the default).
 * Diffs go through `maskDiff`, which replaces inline secrets (auth_pass, stats auth) by ********.
 */
import { Secret, TaskFailure, type Change, type ExecStep } from '../../src/module-api/index.js';
import { SYSTEMCTL_TIMEOUT_MS } from './plan-unit.js';
import type { ServiceConfigCurrent } from './service-config-read.js';

export interface ServiceConfigTarget {
  /** The daemon's name for messages and the install hint (keepalived, haproxy). */
  readonly daemon: string;
  /** Debian/RHEL package that provides it. */
  readonly pkg: string;
  readonly unit: string;
  readonly path: string;
  /** The whole config text; written as a Secret when `secret` (it holds a password). */
  readonly content: string;
  readonly secret: boolean;
  /** 4-digit octal mode of the file. */
  readonly mode: string;
  /** Checker run on the staged copy; `%s` is its path. */
  readonly validate: string;
  /** What a config change does to a running daemon. */
  readonly onChange: 'reload' | 'restart';
  /** false: only the file; the unit is left alone. */
  readonly manageService: boolean;
  /** Replaces secrets in diff text. */
  readonly maskDiff: (text: string) => string;
}

const RUNNING = ['active', 'activating', 'reloading'];
const ENABLED = ['enabled', 'enabled-runtime', 'alias', 'indirect'];

export function planServiceConfig(t: ServiceConfigTarget, cur: ServiceConfigCurrent): Change[] {
  if (!cur.installed || (t.manageService && cur.loadState === 'not-found')) {
    throw new TaskFailure(`${t.daemon} is not installed on this host`, `install the ${t.pkg} package first, e.g. a package task with name: ${t.pkg}`);
  }
  if (t.manageService && (cur.loadState === 'masked' || cur.isEnabled === 'masked')) {
    throw new TaskFailure(`${t.unit} is masked`, `unmask it first (systemd_unit: {name: ${t.unit}, masked: false}) or set service: false`);
  }
  const changes: Change[] = [];
  const dir = t.path.replace(/\/[^/]*$/, '') || '/';
  if (!cur.dirExists) changes.push({ summary: `create ${dir}`, steps: [{ kind: 'exec', cmd: ['mkdir', '-p', '--', dir] }] });

  const contentChanged = cur.config !== t.content;
  if (contentChanged) {
    changes.push({
      summary: `${cur.config === null ? 'create' : 'update'} ${t.path} (checked with ${t.validate.split(' ')[0]})`,
      steps: [{ kind: 'put', path: t.path, content: t.secret ? new Secret(t.content) : t.content, mode: t.mode, validate: t.validate }],
      diff: { path: t.path, before: cur.config === null ? null : t.maskDiff(cur.config), after: t.maskDiff(t.content) },
    });
  } else if (cur.mode !== t.mode) {
    changes.push({ summary: `mode ${cur.mode} -> ${t.mode} (${t.path})`, steps: [{ kind: 'exec', cmd: ['chmod', t.mode, '--', t.path] }] });
  }

  if (!t.manageService) return changes;
  if (!ENABLED.includes(cur.isEnabled)) changes.push({ summary: `enable ${t.unit}`, steps: [systemctl('enable', t.unit)] });
  if (!RUNNING.includes(cur.activeState)) {
    changes.push({ summary: `start ${t.unit}`, steps: [systemctl('start', t.unit)] });
  } else if (contentChanged) {
    changes.push({ summary: `${t.onChange} ${t.unit} (config changed)`, steps: [systemctl(t.onChange, t.unit)] });
  }
  return changes;
}

function systemctl(verb: string, unit: string): ExecStep {
  return { kind: 'exec', cmd: ['systemctl', verb, unit], timeoutMs: SYSTEMCTL_TIMEOUT_MS };
}
