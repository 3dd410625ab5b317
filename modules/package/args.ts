/**
 * Argument schema of the `package` module. Cross-argument rules (a version pin with
 * state: absent/latest, hold with absent, dnf-only options) are checked in the plan with a
 * TaskFailure that says what to do; version syntax in names is parsed by package-spec.ts.
 */
import type { SchemaObject } from 'ajv';

export type PackageManager = 'apt' | 'dnf' | 'yum';
export type PackageState = 'present' | 'absent' | 'latest';

export interface PackageArgs {
  name: string | string[];
  state?: PackageState;
  use?: PackageManager;
  hold?: boolean;
  update_cache?: boolean;
  cache_valid_time?: number;
  allow_downgrade?: boolean;
  allow_change_held?: boolean;
  installroot?: string;
  releasever?: string;
}

/** Seconds a package cache counts as fresh when update_cache is true and cache_valid_time is not given. */
export const DEFAULT_CACHE_VALID_TIME = 3600;

export const packageArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: {
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
      ],
      description:
        'Package name or list of names, optionally with a version pin: apt style `kubelet=1.22.3-00` (exact Debian version), or yum style `kubelet-1.22.3` / `kubelet-1.22.3-0` (the version after the dash must start with a digit and contain a dot, so `java-11-openjdk` stays a name; `kubelet=1.22.3` works for dnf/yum too).',
    },
    state: {
      type: 'string',
      enum: ['present', 'absent', 'latest'],
      default: 'present',
      description:
        'present: installed (at the pinned version, if given). latest: installed at the candidate version of the configured repositories (no pins). absent: removed (apt-get remove: configuration files stay; dnf remove).',
    },
    use: {
      type: 'string',
      enum: ['apt', 'dnf', 'yum'],
      description: 'Package manager to use. Default: detected on the host (apt-get, then dnf, then yum). yum means the dnf-based yum of RHEL 8 and later.',
    },
    hold: {
      type: 'boolean',
      description:
        'true: keep the packages at their version (apt-mark hold; dnf/yum versionlock add, which needs the versionlock plugin). false: release a hold (apt-mark unhold; versionlock delete). Not given: holds are left as they are.',
    },
    update_cache: {
      type: 'boolean',
      default: false,
      description:
        'Refresh the package index (apt-get update; dnf makecache) before installing, but only when it is older than cache_valid_time. A refresh counts as a change (k3play reports what it ran), so a converged run with a fresh cache reports changed=0.',
    },
    cache_valid_time: {
      type: 'integer',
      minimum: 0,
      description:
        'Seconds the package index counts as fresh (default 3600 when update_cache is true). apt: age of /var/lib/apt/periodic/update-success-stamp or /var/lib/apt/lists, whichever is newer; k3play touches the stamp after a refresh. 0: refresh on every run (always reported as changed).',
    },
    allow_downgrade: {
      type: 'boolean',
      default: false,
      description: 'Allow a pin lower than the installed version (apt-get --allow-downgrades; dnf downgrade). Off: such a pin fails the task instead of downgrading.',
    },
    allow_change_held: {
      type: 'boolean',
      default: false,
      description:
        'Allow installing another version of, or removing, a held (apt-mark hold / versionlock) package without releasing the hold (apt-get --allow-change-held-packages; dnf: versionlock delete, change, versionlock add). Off: such a change fails the task; set hold: false to release the hold instead.',
    },
    installroot: {
      type: 'string',
      description: 'dnf/yum only: operate on the system below this directory (dnf --installroot, rpm --root).',
    },
    releasever: {
      type: 'string',
      description: 'dnf/yum only: value of $releasever (dnf --releasever), needed with an installroot that has no release package yet.',
    },
  },
};
