/**
 * The pure decision of the `package` module on dnf/yum hosts: (args, specs, RpmCurrent) ->
 * Changes, in the order unlock, refresh metadata, install/upgrade/downgrade, remove, lock.
 * Same rules as plan-apt.ts (downgrades and held packages need explicit permission). A pin
 * `1.22.3` matches any release of 1.22.3. allow_change_held on dnf releases the versionlock
 * around the change and locks again at the new version (dnf has no "ignore the lock" switch).
 * The versionlock plugin missing while hold is given is a TaskFailure with an install hint.
 */
import { sh, TaskFailure, type Change } from '../../src/module-api/index.js';
import type { PackageArgs } from './args.js';
import type { RpmCurrent } from './package-current.js';
import type { PackageSpec } from './package-spec.js';
import { cacheRefresh } from './plan-apt.js';
import { dnfRootOptions, DNF_STAMP } from './read-script.js';
import { compareRpmEvr, parseEvr } from './version-compare.js';

/** "0:1.22.3-0" -> "1.22.3-0" (epoch 0 is not shown, as rpm does). */
function showEvr(evr: string): string {
  return evr.replace(/^0:/, '');
}

export function planRpm(args: PackageArgs, specs: readonly PackageSpec[], cur: RpmCurrent): Change[] {
  const state = args.state ?? 'present';
  const mgr = cur.manager;
  const opts = dnfRootOptions(args);
  const root = args.installroot ?? '';
  const refresh = cacheRefresh(args, cur.now, cur.cacheMtime, `${mgr} metadata`, [
    { kind: 'exec', cmd: [mgr, '-q', ...opts, 'makecache'] },
    { kind: 'exec', cmd: sh`mkdir -p ${`${root}/var/cache/dnf`} && touch ${root + DNF_STAMP}` },
  ]);
  if (args.hold !== undefined && cur.locked === 'missing') {
    throw new TaskFailure(
      `hold needs the ${mgr} versionlock plugin, which is not installed`,
      'install it first: python3-dnf-plugin-versionlock (RHEL/Fedora: dnf install python3-dnf-plugin-versionlock), e.g. with a package task before this one',
    );
  }
  const locked = new Set(Array.isArray(cur.locked) ? cur.locked : []);
  const problems: string[] = [];
  const install: string[] = [];
  const upgrade: string[] = [];
  const downgrade: string[] = [];
  const remove: string[] = [];
  const touched: string[] = [];
  const lines: string[] = [];
  let uncertain = false;

  for (const spec of specs) {
    const have = cur.installed[spec.name] ?? null;
    if (state === 'absent') {
      if (have !== null) {
        remove.push(spec.name);
        touched.push(spec.name);
        lines.push(`remove ${spec.name} ${showEvr(have)}`);
      }
      continue;
    }
    if (spec.version !== undefined) {
      const cmp = have === null ? 1 : compareRpmEvr(spec.version, have);
      if (cmp === 0 && parseEvr(spec.version).epoch === parseEvr(have ?? '0:').epoch) continue;
      const target = `${spec.name}-${spec.version}`;
      if (have === null) install.push(target);
      else if (cmp > 0) upgrade.push(target);
      else if (!(args.allow_downgrade ?? false)) {
        problems.push(`${spec.name}: the pin ${spec.version} is lower than the installed ${showEvr(have)} (set allow_downgrade: true to downgrade)`);
        continue;
      } else downgrade.push(target);
      if (have !== null) touched.push(spec.name);
      lines.push(`${spec.name} ${have === null ? '(none)' : showEvr(have)} -> ${spec.version}`);
      continue;
    }
    if (have === null) {
      install.push(spec.name);
      lines.push(`${spec.name} (none) -> ${cur.candidates?.[spec.name] ? showEvr(cur.candidates[spec.name] as string) : 'candidate'}`);
    } else if (state === 'latest' && refresh !== null) {
      // The newer version is unknown until the metadata is refreshed: upgrade is a no-op when current.
      uncertain = true;
      upgrade.push(spec.name);
      touched.push(spec.name);
      lines.push(`${spec.name} ${showEvr(have)} -> latest after the refresh`);
    } else if (state === 'latest') {
      const cand = cur.candidates?.[spec.name];
      if (cand !== undefined && compareRpmEvr(cand, have) > 0) {
        upgrade.push(spec.name);
        touched.push(spec.name);
        lines.push(`${spec.name} ${showEvr(have)} -> ${showEvr(cand)}`);
      }
    }
  }

  const names = specs.map((s) => s.name);
  const unlock = args.hold === false ? names.filter((n) => locked.has(n)) : [];
  const allowHeld = args.allow_change_held ?? false;
  const heldTouched = touched.filter((n) => locked.has(n) && !unlock.includes(n));
  if (!allowHeld) {
    for (const n of heldTouched) problems.push(`${n} is versionlocked: not changing it (set hold: false to release the lock, or allow_change_held: true)`);
  }
  if (problems.length > 0) throw new TaskFailure(problems.join('; '), 'see the package names above');

  const relock = allowHeld ? heldTouched.filter((n) => state !== 'absent' && args.hold !== false) : [];
  const lock = args.hold === true && state !== 'absent' ? names.filter((n) => !locked.has(n)) : [];
  const changes: Change[] = [];
  const unlockAll = [...unlock, ...(allowHeld ? heldTouched : [])];
  if (unlockAll.length > 0) changes.push({ summary: `release the versionlock on ${unlockAll.join(', ')}`, steps: [{ kind: 'exec', cmd: [mgr, '-q', ...opts, 'versionlock', 'delete', ...unlockAll] }] });
  if (refresh !== null) changes.push(refresh);
  const pkgSteps: Change['steps'][number][] = [];
  if (install.length > 0) pkgSteps.push({ kind: 'exec', cmd: [mgr, 'install', '-y', ...opts, ...install] });
  if (upgrade.length > 0) pkgSteps.push({ kind: 'exec', cmd: [mgr, 'upgrade', '-y', ...opts, ...upgrade] });
  if (downgrade.length > 0) pkgSteps.push({ kind: 'exec', cmd: [mgr, 'downgrade', '-y', ...opts, ...downgrade] });
  if (remove.length > 0) pkgSteps.push({ kind: 'exec', cmd: [mgr, 'remove', '-y', ...opts, ...remove] });
  if (pkgSteps.length > 0) changes.push({ summary: lines.join(', '), steps: pkgSteps, ...(uncertain ? { maybe: true as const } : {}) });
  const lockAll = [...new Set([...lock, ...relock])];
  if (lockAll.length > 0) changes.push({ summary: `versionlock ${lockAll.join(', ')}`, steps: [{ kind: 'exec', cmd: [mgr, '-q', ...opts, 'versionlock', 'add', ...lockAll] }] });
  return changes;
}
