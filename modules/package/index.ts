/**
 * `package`: packages installed (optionally pinned and held), at the latest version, or removed,
 * with apt (Debian/Ubuntu) or dnf/yum (RHEL family), detected on the host unless `use` says.
 * read is ONE round trip (read-script.ts: installed state, holds, candidates, index age; no
 * writes); plan is the pure plan-apt.ts / plan-rpm.ts. A refresh of the package index is a
 * planned change (only when older than cache_valid_time), never part of read.
 */
import { defineModule, TaskFailure, type Change } from '../../src/module-api/index.js';
import { packageArgsSchema, type PackageArgs, type PackageManager } from './args.js';
import { parsePackageRead, type PackageCurrent } from './package-current.js';
import { namesOf, parsePackageSpec, specProblems, type PackageSpec } from './package-spec.js';
import { planApt } from './plan-apt.js';
import { planRpm } from './plan-rpm.js';
import { packageReadScript } from './read-script.js';

/** Specs for a manager; every syntax problem and rule violation in one TaskFailure. */
export function packageSpecs(args: PackageArgs, manager: PackageManager): PackageSpec[] {
  const specs = namesOf(args.name).map((n) => parsePackageSpec(n, manager));
  const problems = specs.flatMap(specProblems);
  const state = args.state ?? 'present';
  if (specs.length === 0) problems.push('name lists no package');
  for (const s of specs) {
    if (s.version !== undefined && state !== 'present') problems.push(`"${s.raw}": a version pin needs state: present (state is ${state})`);
  }
  if (args.hold === true && state === 'absent') problems.push('hold: true does not go with state: absent (use hold: false to release a hold)');
  if (manager === 'apt' && (args.installroot !== undefined || args.releasever !== undefined)) problems.push('installroot and releasever are dnf/yum options');
  if (problems.length > 0) throw new TaskFailure(`package: ${problems.join('; ')}`, 'apt pins: name=version; dnf/yum pins: name-version or name=version');
  return specs;
}

export default defineModule<PackageArgs, PackageCurrent>({
  name: 'package',
  summary: 'Install (optionally pinned and held), upgrade to latest, or remove packages with apt or dnf/yum.',
  args: packageArgsSchema,
  examples: [
    `- name: kubelet, kubeadm, kubectl pinned and held
  package:
    name: [kubelet=1.29.3-1.1, kubeadm=1.29.3-1.1, kubectl=1.29.3-1.1]
    hold: true
    update_cache: true
    cache_valid_time: 3600`,
    `- name: dnf, pinned and versionlocked
  package:
    name: [kubelet-1.29.3, kubeadm-1.29.3]
    hold: true`,
    `- name: upgrade a held package on purpose (the hold stays)
  package:
    name: kubeadm=1.30.0-1.1
    allow_change_held: true`,
    `- package: {name: [nfs-common, open-iscsi], state: latest}`,
    `- package: {name: snapd, state: absent}`,
  ],

  async read(probe, args) {
    // Validate names before asking the host: the read uses base names only.
    const specs = packageSpecs(args, args.use ?? 'apt');
    const r = await probe.exec(
      packageReadScript({
        ...(args.use ? { use: args.use } : {}),
        names: specs.map((s) => s.name),
        locks: args.hold !== undefined || (args.allow_change_held ?? false),
        candidates: (args.state ?? 'present') === 'latest',
        ...(args.installroot ? { installroot: args.installroot } : {}),
        ...(args.releasever ? { releasever: args.releasever } : {}),
      }),
    );
    try {
      return parsePackageRead(r.stdout);
    } catch (err) {
      throw new TaskFailure(`cannot read the package state: ${(err as Error).message} (exit ${r.exitCode}: ${r.stderr.trim().slice(0, 300)})`);
    }
  },

  plan(args, current): Change[] {
    if (current.manager === 'none') throw new TaskFailure('no package manager found (looked for apt-get, dnf, yum)', 'install one, or set use: apt|dnf|yum');
    const specs = packageSpecs(args, current.manager);
    return current.manager === 'apt' ? planApt(args, specs, current) : planRpm(args, specs, current);
  },
});
