/**
 * The pure decision of the `package` module on apt hosts: (args, specs, AptCurrent) -> Changes,
 * in the order unhold, refresh index, install, remove, hold. No I/O.
 *
 * Rules: a pin lower than the installed version fails unless allow_downgrade; changing or
 * removing a held package fails unless hold: false (released first) or allow_change_held
 * (Ansible errors too). With a stale index and update_cache, availability is not checked
 * (the refresh may bring the package) and state: latest also plans `apt-get install` of the
 * already installed names as a `maybe` change: the newer candidate is unknown until the refresh.
 */
import { sh, TaskFailure, type Change, type ExecStep } from '../../src/module-api/index.js';
import { DEFAULT_CACHE_VALID_TIME, type PackageArgs } from './args.js';
import type { AptCurrent } from './package-current.js';
import type { PackageSpec } from './package-spec.js';
import { isInstalled } from './parse-apt.js';
import { APT_STAMP } from './read-script.js';
import { compareDebianVersions } from './version-compare.js';

const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive' } as const;
export const APT_INSTALL = ['apt-get', 'install', '-y', '--no-install-recommends', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold'];

/** The cache refresh change when update_cache is set and the index is older than cache_valid_time. */
export function cacheRefresh(args: PackageArgs, now: number, mtime: number | null, what: string, steps: ExecStep[]): Change | null {
  if (!(args.update_cache ?? false)) return null;
  const valid = args.cache_valid_time ?? DEFAULT_CACHE_VALID_TIME;
  const age = mtime === null ? null : now - mtime;
  if (age !== null && valid > 0 && age <= valid) return null;
  return {
    summary: `refresh the ${what} (${age === null ? 'never refreshed' : `${age} s old`}, cache_valid_time ${valid} s)`,
    steps,
    ...(valid === 0 ? { maybe: true as const } : {}),
  };
}

interface Item {
  readonly spec: PackageSpec;
  readonly from: string | null;
  readonly to: string;
  readonly target: string;
}

export function planApt(args: PackageArgs, specs: readonly PackageSpec[], cur: AptCurrent): Change[] {
  const state = args.state ?? 'present';
  const refresh = cacheRefresh(args, cur.now, cur.cacheMtime, 'apt package index', [
    { kind: 'exec', cmd: ['apt-get', 'update', '-q'], env: APT_ENV },
    { kind: 'exec', cmd: sh`mkdir -p /var/lib/apt/periodic && touch ${APT_STAMP}` },
  ]);
  const problems: string[] = [];
  const installs: Item[] = [];
  const removes: Item[] = [];
  let uncertain = false;
  let downgrade = false;

  for (const spec of specs) {
    const inst = cur.installed[spec.name];
    const have = isInstalled(inst) ? (inst?.version ?? null) : null;
    const policy = cur.policy[spec.name];
    if (state === 'absent') {
      if (have !== null) removes.push({ spec, from: have, to: '(removed)', target: spec.name });
      continue;
    }
    if (spec.version !== undefined) {
      if (have === spec.version) continue;
      if (have !== null && compareDebianVersions(spec.version, have) < 0) {
        if (!(args.allow_downgrade ?? false)) {
          problems.push(`${spec.name}: the pin ${spec.version} is lower than the installed ${have} (set allow_downgrade: true to downgrade)`);
          continue;
        }
        downgrade = true;
      }
      if (refresh === null && !(policy?.versions ?? []).includes(spec.version)) {
        problems.push(`${spec.name}: version ${spec.version} is not available (known: ${(policy?.versions ?? []).join(', ') || 'none'}; add its repository or set update_cache: true)`);
        continue;
      }
      installs.push({ spec, from: have, to: spec.version, target: `${spec.name}=${spec.version}` });
      continue;
    }
    const candidate = policy?.candidate ?? null;
    if (have === null) {
      if (refresh === null && candidate === null) {
        problems.push(`${spec.name}: no installation candidate (add its repository or set update_cache: true)`);
        continue;
      }
      installs.push({ spec, from: null, to: candidate ?? 'candidate', target: spec.name });
    } else if (state === 'latest') {
      if (refresh !== null) {
        uncertain = true;
        installs.push({ spec, from: have, to: 'latest after the refresh', target: spec.name });
      } else if (candidate !== null && compareDebianVersions(candidate, have) > 0) {
        installs.push({ spec, from: have, to: candidate, target: spec.name });
      }
    }
  }

  const held = new Set(cur.held);
  const names = specs.map((s) => s.name);
  const unhold = args.hold === false ? names.filter((n) => held.has(n)) : [];
  const hold = args.hold === true && state !== 'absent' ? names.filter((n) => !held.has(n)) : [];
  const touchesHeld = [...installs, ...removes].filter((i) => held.has(i.spec.name) && !unhold.includes(i.spec.name));
  const allowHeld = args.allow_change_held ?? false;
  if (!allowHeld) {
    for (const i of touchesHeld) problems.push(`${i.spec.name} is held (apt-mark hold) at ${i.from ?? '?'}: not changing it to ${i.to} (set hold: false to release the hold, or allow_change_held: true)`);
  }
  if (problems.length > 0) throw new TaskFailure(problems.join('; '), 'see the package names above');

  const heldFlag = allowHeld && touchesHeld.length > 0 ? ['--allow-change-held-packages'] : [];
  const changes: Change[] = [];
  if (unhold.length > 0) changes.push({ summary: `release the hold on ${unhold.join(', ')}`, steps: [{ kind: 'exec', cmd: ['apt-mark', 'unhold', ...unhold] }] });
  if (refresh !== null) changes.push(refresh);
  if (installs.length > 0) {
    changes.push({
      summary: `install ${installs.map((i) => `${i.spec.name} ${i.from ?? '(none)'} -> ${i.to}`).join(', ')}`,
      steps: [{ kind: 'exec', cmd: [...APT_INSTALL, ...(downgrade ? ['--allow-downgrades'] : []), ...heldFlag, ...installs.map((i) => i.target)], env: APT_ENV }],
      ...(uncertain ? { maybe: true as const } : {}),
    });
  }
  if (removes.length > 0) {
    changes.push({
      summary: `remove ${removes.map((i) => `${i.spec.name} ${i.from ?? ''}`.trim()).join(', ')}`,
      steps: [{ kind: 'exec', cmd: ['apt-get', 'remove', '-y', ...heldFlag, ...removes.map((i) => i.target)], env: APT_ENV }],
    });
  }
  if (hold.length > 0) changes.push({ summary: `hold ${hold.join(', ')}`, steps: [{ kind: 'exec', cmd: ['apt-mark', 'hold', ...hold] }] });
  return changes;
}
