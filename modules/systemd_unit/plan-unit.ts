/**
 * The pure decision of `systemd_unit`: (args, UnitCurrent) -> Changes. No I/O.
 *
 * Order: mask/unmask, unit file, drop-in, daemon-reload, enable/disable, running state.
 * - daemon-reload (auto) follows a file change of this task, or NeedDaemonReload=yes.
 * - A changed file of a running unit restarts it only with restart_on_change: true.
 * - restarted/reloaded are actions (Ansible semantics): always planned, marked `maybe`.
 * - "activating"/"reloading" count as started (a Type=notify unit started with no_block).
 */
import { TaskFailure, type Change, type ExecStep } from '../../src/module-api/index.js';
import { unitName, type SystemdUnitArgs } from './args.js';
import { UNIT_DIR, type UnitCurrent } from './read-unit.js';

/** systemctl start/restart wait at most this long (systemd's own start timeout is 90 s). */
export const SYSTEMCTL_TIMEOUT_MS = 150_000;

const RUNNING = ['active', 'activating', 'reloading'];
const ENABLED = ['enabled', 'enabled-runtime', 'alias', 'indirect'];

export function dropinPath(args: SystemdUnitArgs): string | null {
  return args.dropin ? `${UNIT_DIR}/${unitName(args.name)}.d/${args.dropin.name}` : null;
}

export function planUnit(args: SystemdUnitArgs, cur: UnitCurrent): Change[] {
  const name = unitName(args.name);
  checkArgs(args, name);
  const changes: Change[] = [];
  const masked = cur.loadState === 'masked' || cur.isEnabled === 'masked' || cur.isEnabled === 'masked-runtime';
  const running = RUNNING.includes(cur.activeState);

  if (args.masked === true && !masked) {
    changes.push({ summary: `mask ${name}`, steps: [systemctl('mask', name)] });
  }
  if (args.masked === false && masked) {
    changes.push({ summary: `unmask ${name}`, steps: [systemctl('unmask', name)] });
  }

  const unitPath = `${UNIT_DIR}/${name}`;
  let fileChanged = false;
  if (args.content !== undefined && (cur.file !== args.content || cur.fileLink !== null)) {
    fileChanged = true;
    changes.push({
      summary: cur.file === null ? `create ${unitPath}` : `update ${unitPath}`,
      steps: [{ kind: 'put', path: unitPath, content: args.content, mode: '0644' }],
      diff: { path: unitPath, before: cur.file, after: args.content },
    });
  }
  const dPath = dropinPath(args);
  if (args.dropin && dPath && cur.dropin !== args.dropin.content) {
    fileChanged = true;
    changes.push({
      summary: cur.dropin === null ? `create ${dPath}` : `update ${dPath}`,
      steps: [
        { kind: 'exec', cmd: ['mkdir', '-p', '--', `${UNIT_DIR}/${name}.d`] },
        { kind: 'put', path: dPath, content: args.dropin.content, mode: '0644' },
      ],
      diff: { path: dPath, before: cur.dropin, after: args.dropin.content },
    });
  }
  if (args.daemon_reload !== false && (fileChanged || cur.needDaemonReload)) {
    changes.push({ summary: 'systemctl daemon-reload', steps: [{ kind: 'exec', cmd: ['systemctl', 'daemon-reload'] }] });
  }

  // A unit that does not exist yet and gets no file from this task cannot be enabled or started.
  const willExist = cur.loadState !== 'not-found' || args.content !== undefined;
  const needsUnit = args.enabled === true || args.state === 'started' || args.state === 'restarted' || args.state === 'reloaded';
  if (!willExist && needsUnit) {
    throw new TaskFailure(`unit ${name} not found`, 'install its package first, or give `content` to write the unit file');
  }

  if (args.enabled === true && !ENABLED.includes(cur.isEnabled)) {
    if (['static', 'generated', 'transient'].includes(cur.isEnabled) && !fileChanged) {
      throw new TaskFailure(`${name} is ${cur.isEnabled} and cannot be enabled`, 'a unit needs an [Install] section (WantedBy=...) to be enabled');
    }
    changes.push({ summary: `enable ${name}`, steps: [systemctl('enable', name)] });
  }
  if (args.enabled === false && ENABLED.includes(cur.isEnabled)) {
    changes.push({ summary: `disable ${name}`, steps: [systemctl('disable', name)] });
  }

  const noBlock = args.no_block === true;
  switch (args.state) {
    case 'started':
      if (!running) changes.push({ summary: `start ${name}`, steps: [systemctl('start', name, noBlock)] });
      else if (fileChanged && args.restart_on_change) changes.push(restart(name, noBlock, 'restart after change'));
      break;
    case 'stopped':
      if (running || cur.activeState === 'deactivating') changes.push({ summary: `stop ${name}`, steps: [systemctl('stop', name)] });
      break;
    case 'restarted':
      changes.push({ ...restart(name, noBlock, 'restart'), maybe: true });
      break;
    case 'reloaded':
      changes.push(
        running
          ? { summary: `reload ${name}`, steps: [systemctl('reload', name)], maybe: true }
          : { summary: `start ${name} (was not running, so not reloaded)`, steps: [systemctl('start', name, noBlock)], maybe: true },
      );
      break;
    case undefined:
      if (running && fileChanged && args.restart_on_change) changes.push(restart(name, noBlock, 'restart after change'));
      break;
  }
  return changes;
}

function checkArgs(args: SystemdUnitArgs, name: string): void {
  if (args.masked === true && (args.state === 'started' || args.state === 'restarted' || args.state === 'reloaded')) {
    throw new TaskFailure(`${name}: masked: true cannot go with state: ${args.state}`, 'a masked unit cannot be started; use state: stopped');
  }
  if (args.masked === true && args.enabled === true) {
    throw new TaskFailure(`${name}: masked: true cannot go with enabled: true`);
  }
  if (args.masked === true && args.content !== undefined) {
    throw new TaskFailure(`${name}: masked: true cannot go with content`, 'masking replaces /etc/systemd/system/NAME by a link to /dev/null');
  }
}

function restart(name: string, noBlock: boolean, what: string): Change {
  return { summary: `${what} ${name}`, steps: [systemctl('restart', name, noBlock)] };
}

function systemctl(verb: string, name: string, noBlock = false): ExecStep {
  return { kind: 'exec', cmd: ['systemctl', ...(noBlock ? ['--no-block'] : []), verb, name], timeoutMs: SYSTEMCTL_TIMEOUT_MS };
}
